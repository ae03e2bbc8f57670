/* sync_event: what the sync processing (bot/sync.c) reads of one event:
 * whether it is a command, an edit, a redaction or a reaction, the bot's
 * own join or answer, and what makes it unusable. Pure functions of the
 * event JSON (own: the bot's user id). */
#ifndef WT_BOT_SYNC_EVENT_H
#define WT_BOT_SYNC_EVENT_H

#include <jansson.h>

/* A real join of the bot itself (not a profile change while joined). */
int sync_is_own_join(json_t *ev, const char *own);

/* The event's origin_server_ts in milliseconds, 0 when it has none. */
long long sync_event_ts(json_t *ev);

/* The command text of ev, or NULL when ev is no command candidate: only
 * m.text messages from someone else, no edits, with a string body. */
const char *sync_command_body(json_t *ev, const char *own);

/* The thread ev was sent in (m.relates_to rel_type m.thread), or NULL. */
const char *sync_thread_of(json_t *ev);

/* An edit (m.replace) of a message or a redaction, from someone else:
 * returns 1 for an edit (*target = the edited event, *body = its new
 * text), 2 for a redaction (*target = the redacted event), 3 for a
 * reaction (*target = the event, *body = the key), else 0. The handlers
 * update or remove what was logged from the target. */
int sync_change_of(json_t *ev, const char *own, const char **target, const char **body);

/* Whether ev was redacted: marked so by the server, or by a redaction in
 * the same timeline (a command deleted before the bot saw it is no
 * command). */
int sync_is_redacted(json_t *ev, json_t *events);

/* The event ev answers when ev is the bot's own reply (m.in_reply_to) or
 * reaction (m.annotation, e.g. the check mark on a #besluit line), or
 * NULL. */
const char *sync_answer_target(json_t *ev, const char *own);

/* Why ev, an event the bot would handle (a message, edit, redaction or
 * reaction from someone else), cannot be: a field it reads holds a NUL
 * character (it would be read only up to there) or has the wrong type.
 * NULL when ev is fine or nothing the bot reads. */
const char *sync_event_flaw(json_t *ev, const char *own);

#endif
