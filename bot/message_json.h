/* message_json: the content JSON of the replies that carry text (a
 * message, a reaction, a file to upload), written directly into one
 * buffer (lib/json_out.h) rather than built as a jansson tree and dumped:
 * the same bytes as json_dumps(JSON_COMPACT) of that tree, keys in the
 * same order, for a fifth of the instructions. bot/message.h
 * message_content_dup says what each holds; these are its parts. */
#ifndef WT_MESSAGE_JSON_H
#define WT_MESSAGE_JSON_H

#include "handlers/replies.h"

/* The content of r as an m.room.message with r->markdown's plain and
 * HTML bodies (an edit of r->replaces when set): 0 and *content (caller
 * frees), or -1 when r cannot be sent (replaces is no valid UTF-8). */
int message_json_text_dup(const struct wt_reply *r, char **content);

/* The m.reaction content of r (key r->markdown on r->in_reply_to): 0 and
 * *content, or -1 without either (or with in_reply_to no valid UTF-8). */
int message_json_reaction_dup(const struct wt_reply *r, char **content);

/* The m.file content of r (its name, MIME type and size, without the
 * "url" that message_with_url adds after the upload): 0 and *content. */
int message_json_file_dup(const struct wt_reply *r, char **content);

#endif
