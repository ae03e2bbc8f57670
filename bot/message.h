/* message: a handler's reply (struct wt_reply) as the JSON content of the
 * Matrix event that carries it. */
#ifndef WT_MESSAGE_H
#define WT_MESSAGE_H

#include "handlers/dispatch.h"

/* Build the event for r. On success returns 0, sets *event_type to a static
 * string ("m.room.message" or "m.reaction") and *content to the compact JSON
 * text (caller frees). Returns negative when r cannot become an event (a
 * reaction without the event it annotates).
 *
 * Messages are m.notice with body = plain text and formatted_body = HTML
 * (org.matrix.custom.html) of r->markdown; in_reply_to becomes
 * m.relates_to.m.in_reply_to; m.mentions.user_ids is always present and holds
 * exactly r->mentions, so text in a reply never pings anybody by itself.
 * REPLY_FILE is sent as a notice with the file's name and its text in a
 * code block. */
int message_content_dup(const struct wt_reply *r, const char **event_type,
			char **content);

#endif
