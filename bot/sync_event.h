/* sync_event: what the sync processing (bot/sync.c) reads of one event:
 * the typed event the handlers get (handlers/event.h), the bot's own join
 * or answer, and what makes an event unusable. Pure functions of the
 * event JSON (own: the bot's user id). */
#ifndef WT_BOT_SYNC_EVENT_H
#define WT_BOT_SYNC_EVENT_H

#include <jansson.h>

#include "handlers/event.h"

/* A real join of the bot itself (not a profile change while joined). */
int sync_is_own_join(json_t *ev, const char *own);

/* The event's origin_server_ts in milliseconds, 0 when it has none. */
long long sync_event_ts(json_t *ev);

/* The thread ev was sent in (m.relates_to rel_type m.thread), or NULL. */
const char *sync_thread_of(json_t *ev);

/* Read the event ev, as Element and the other clients shape it, into
 * *out (handlers/event.h): a text message (m.text with a string body), a
 * reply (one with m.in_reply_to that is not a thread's fallback; its body
 * past the quoted fallback, its quote), an edit (m.replace whose
 * m.new_content is m.text), a redaction (redacts at the top or, room
 * version 11, in content) or a reaction (m.annotation with a key), with
 * thread, mentions and origin_server_ts. Returns out->kind (WT_EV_NONE:
 * nothing the handlers read). The bot's own events are read too; the
 * handlers ignore them (wt_event_wanted). out borrows ev's strings; free
 * it with wt_event_release. */
enum wt_event_kind sync_event_read(json_t *ev, struct wt_event *out);
/* The same without what it must allocate (reply_quote, mentions stay
 * empty): only what kind of event ev is; nothing to release. */
enum wt_event_kind sync_event_kind(json_t *ev, struct wt_event *out);

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
