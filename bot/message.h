/* message: a handler's reply (struct wt_reply) as the JSON content of the
 * Matrix event that carries it. */
#ifndef WT_MESSAGE_H
#define WT_MESSAGE_H

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

#include "handlers/mentions.h"
#include "handlers/replies.h"

/* Build the event for r. On success returns 0, sets *event_type to a static
 * string ("m.room.message" or "m.reaction") and *content to the compact JSON
 * text (caller frees). Returns negative when r cannot become an event (a
 * reaction without the event it annotates).
 *
 * Messages have body = plain text and formatted_body = HTML
 * (org.matrix.custom.html) of r->markdown; in_reply_to becomes
 * m.relates_to.m.in_reply_to (and, for an answer to a command sent in a
 * thread, the m.thread relation with is_falling_back). A message meant for people (r->notify, or a
 * direct message: r->to_user) is m.text, so it notifies under the default
 * push rules; any other is m.notice (message_reply_notify makes every
 * reply m.text when the config says so). m.mentions is always present: user_ids holds exactly
 * r->mentions plus r->to_user, or it is {} when there are none, so text in
 * a message never pings anybody by itself (nor @room).
 * REPLY_FILE becomes an m.file message whose "url" is filled in after the
 * file's upload (message_with_url). */
int message_content_dup(const struct wt_reply *r, const char **event_type,
			char **content);

/* Ordinary replies (not meant for anybody in particular) as m.text, which
 * notifies, when cfg says [bot] replies = text (else m.notice, the
 * default): sets r->notify then. The transports call it on each reply of
 * a command before message_enqueue. */
struct wt_config;
void message_reply_notify(struct wt_reply *r, const struct wt_config *cfg);

/* Put r in the outbox for room (NULL: a direct message waiting for its
 * room): a file with its text to upload first, anything else as is. A
 * message whose content is over MESSAGE_CONTENT_MAX goes as numbered
 * parts ("(1/3)", cut at line boundaries, each a reply like r, only the
 * first pinging), or as the file MESSAGE_LARGE_FILE when its text has no
 * line breaks to cut at. An answer to a command (r->answers and
 * in_reply_to) is put in the command's ordering group (storage/outbox.h
 * outbox_set_group). Returns MESSAGE_OK and the (first) row in *id_out,
 * MESSAGE_UNSENDABLE when r cannot become an event (nothing written), or
 * MESSAGE_EDB on a database error. */
enum { MESSAGE_OK = 0, MESSAGE_EDB = -1, MESSAGE_UNSENDABLE = -2 };
int message_enqueue(sqlite3 *db, const struct wt_reply *r, const char *room,
		    time_t now, long long *id_out);

/* The most bytes of content JSON the bot puts in one event. The spec
 * bounds the whole event (with its envelope, signatures and hashes, as
 * canonical JSON) at 65536 bytes; an encrypted event carries the
 * content as base64 of its ciphertext, a third more: 40,000 leaves room
 * for both. */
#define MESSAGE_CONTENT_MAX 40000
/* The file name of a reply too large for parts. */
#define MESSAGE_LARGE_FILE "werktafel.md"

/* r's text cut into numbered parts whose contents are each at most
 * MESSAGE_CONTENT_MAX (bot/message_split.c): 0 and *parts (event
 * contents, NULL-terminated; free with message_parts_free), or negative
 * when r has no text, or a line too long to fit. */
int message_split_dup(const struct wt_reply *r, char ***parts);
void message_parts_free(char **parts);

/* The file a stored message too large to send becomes (bot/outbox.c,
 * for a row written before it could be split): an m.file message named
 * MESSAGE_LARGE_TEXT_FILE with content's relation and mentions, its
 * text content's body (*text, caller frees). NULL when content is no
 * message with a body. Caller frees. */
char *message_file_of_text_dup(const char *content, char **text);
#define MESSAGE_LARGE_TEXT_FILE "werktafel.txt"

/* content (JSON text of an m.file message) with "url" set (caller frees),
 * or NULL when content is no JSON object. */
char *message_with_url(const char *content, const char *mxc_url);

/* The key in the content of every event the bot sends that holds the
 * event's outbox id (its txn id, "wt-<row>-<hex>"): the sender finds its
 * own event by it when a send's outcome is unknown (bot/outbox.h). */
#define MESSAGE_OUTBOX_KEY "org.werktafel.outbox"

/* The key in the content of an event the bot sends in answer to an edit
 * of a command (r->answers_event): the edit's event id, which neither
 * m.in_reply_to (the command) nor m.replace (the bot's own refusal)
 * names. A restored database's catch-up reads it (bot/sync.c), so an
 * edit is not answered twice. */
#define MESSAGE_ANSWERS_KEY "org.werktafel.answers"

/* content (JSON text of an object) with MESSAGE_OUTBOX_KEY set to
 * outbox_id (caller frees), or NULL when content is no JSON object. */
char *message_with_outbox_id(const char *content, const char *outbox_id);

/* The outbox id in an event's content (borrowed from ev), or NULL. */
const char *message_outbox_id(json_t *ev);

/* A command sent as a reply: body past the reply fallback (the spec's
 * "> <@sender> quoted" lines and the blank line after them), or body
 * itself when it has none. Points into body. */
const char *message_body_without_reply(const char *body);
/* The quoted text of a reply fallback ("> <@sender> first line\n> more"),
 * without the quote marks and the sender; NULL when body has none. Caller
 * frees. */
char *message_reply_quote_dup(const char *body);
/* formatted_body past its <mx-reply>...</mx-reply> block, if any. */
const char *message_html_without_reply(const char *html);

/* The people an incoming message's content names as clients do it: the
 * pills of its formatted_body (org.matrix.custom.html) and its
 * m.mentions.user_ids; for an edit, those of m.new_content. Adds to out
 * (free with person_mentions_free). */
void message_mentions_read(json_t *content, struct wt_mentions *out);

/* The MIME type the bot gives a file, by its name's ending. */
const char *message_mimetype(const char *filename);

#endif
