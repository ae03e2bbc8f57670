/* sync: the /sync long-poll and, exactly once, the processing of what it
 * returns.
 *
 * One response is processed in ONE SQLite transaction: for each new command
 * (m.text from someone else in a room of a network, not an edit) whose event
 * id is not yet in handled_events: dispatch it, put its replies in the
 * outbox, record the event id; then store next_batch; commit. The same
 * for edits, redactions and reactions: each event is read into a struct
 * wt_event (bot/sync_event.h) and handed to wt_handle_event
 * (handlers/event.h), which routes it; env->dispatch runs its messages. Only after the
 * commit is the outbox flushed. A crash at any point either loses the whole
 * batch (it comes again with the old token) or keeps all of it.
 *
 * Each event runs in its own SAVEPOINT: when handling it fails with an
 * error of its own (not the database's), only that event is rolled back
 * and quarantined (bot/poison.h); the batch goes on. An event the bot
 * would handle but whose id, sender, type or text is unusable (a NUL
 * character, a wrong type) is skipped with one warn line.
 *
 * A command the bot's own events in the same batch already answer (a reply
 * with m.in_reply_to, a reaction m.annotation) is recorded as handled and
 * not dispatched: a database restored from an older backup gets the
 * history since its older token again, and must not answer it twice. When
 * that history is too long for one timeline, the catch-up first reads the
 * bot's own events of the gap (sync_note_own_answers), since a reply may
 * lie pages after its command.
 *
 * The first sync of a new database only records next_batch and the rooms:
 * history is never handled. In a room the bot joins later, only events after
 * its own join are handled (join time per room in the rooms table).
 */
#ifndef WT_SYNC_H
#define WT_SYNC_H

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

#include "bot/config.h"
#include "handlers/context.h"

struct matrix;
struct poison_watch;

struct sync_env {
	sqlite3 *db;
	const struct wt_config *cfg;
	const char *user_id;                 /* the bot itself */
	int (*dispatch)(struct wt_ctx *ctx, const char *body); /* wt_dispatch */
	time_t (*now)(void);                 /* NULL: time() */
	struct poison_watch *watch;          /* crash note (bot/poison.h); NULL: none */
	/* End-to-end encryption (bot/e2ee.h); NULL: none. decrypt_sync runs
	 * on each /sync answer before anything else reads it (its to-device
	 * part goes to the crypto machine, its timelines are decrypted in
	 * place); decrypt_page on each page of a catch-up. An event that
	 * stays encrypted waits for its key (table e2ee_pending). */
	void (*decrypt_sync)(void *arg, json_t *resp);
	void (*decrypt_page)(void *arg, const char *room_id, json_t *events);
	void *crypto_arg;
	/* The scheduler's hook: milliseconds until its next wakeup, -1 for
	 * none; NULL: no hook. The long-poll timeout is min(30 s, that). */
	long (*next_wakeup_ms)(void *arg);
	void *wakeup_arg;
};

struct sync_stats {
	int first;      /* it was the first sync: nothing handled */
	int commands;   /* events given to dispatch */
	int duplicates; /* events skipped because already handled */
	int replies;    /* outbox rows written */
	int invites;    /* invites seen */
	int undecrypted; /* encrypted events kept to wait for their key */
};

/* Process one /sync response (see above). Returns 0 when committed, or
 * negative when nothing changed (malformed response or database error). */
int sync_apply(const struct sync_env *env, json_t *resp, struct sync_stats *st);

/* Catch-up of a room whose timeline was cut ("limited"), one page of the
 * missed events at a time, oldest first (bot/sync_loop.c reads them with
 * /messages). sync_gap_wanted: whether the events before room's timeline
 * are the bot's at all (not when its own join is in the timeline).
 * sync_apply_room_events: handle one page of events of room_id, as
 * sync_apply would in its timeline (the same join, redaction and
 * exactly-once rules), in one transaction of its own that does not touch
 * the sync token; room is the response's room object (its state tells a
 * join during the gap). Returns 0 when committed, negative when nothing
 * changed. */
int sync_gap_wanted(const struct sync_env *env, json_t *room);
/* Before the catch-up of a room's gap (a restored database has an older
 * token, and the bot's reply to a command may come pages after it): record
 * as handled every event that one of the bot's own events in events
 * replies to (m.in_reply_to) or reacts to (m.annotation), INSERT OR IGNORE,
 * in one transaction; *noted: how many were new. Idempotent. Returns 0
 * when committed, negative when nothing changed. */
int sync_note_own_answers(const struct sync_env *env, const char *room_id,
			  json_t *events, int *noted);
int sync_apply_room_events(const struct sync_env *env, const char *room_id,
			   json_t *room, json_t *events, struct sync_stats *st);

/* The long-poll timeout to use now, in milliseconds: min(30 s, what
 * env's next_wakeup_ms says). */
long sync_poll_timeout_ms(const struct sync_env *env);

/* The long-poll loop: one /sync in flight at a time; after each committed
 * response `after` runs (flush the outbox, join rooms, ...). */
struct sync_loop;
struct sync_loop *sync_loop_new(struct matrix *m, const struct sync_env *env,
				void (*after)(void *arg), void *arg);
void sync_loop_start(struct sync_loop *s);
void sync_loop_free(struct sync_loop *s);

/* Another transport carries the sync (bot/transport_ws.c). pause: no
 * long-poll (the one in flight is dropped); feed: a pushed /sync body
 * (borrowed) takes the same way as a long-polled one (gap filling,
 * sync_apply, after) and bodies are processed in order; resume: the
 * long-poll goes on at once from the committed since token. When a fed
 * body cannot be processed, failed(arg) runs; the transport should then
 * give way to HTTP. */
void sync_loop_pause(struct sync_loop *s);
void sync_loop_resume(struct sync_loop *s);
void sync_loop_feed(struct sync_loop *s, json_t *body);
void sync_loop_on_feed_failure(struct sync_loop *s, void (*failed)(void *arg),
			       void *arg);

/* The next long-poll waits while the replies of the batch just handled are
 * on their way: busy(arg) says whether sends are in flight, and
 * sync_loop_sent is called when they are all answered; never longer than
 * SYNC_HOLD_MAX_MS. A /sync waiting on the homeserver when the reply lands
 * is woken and answered (the bot's own echo) in the same moment as the
 * member's: on a single-process homeserver (Synapse) the member's answer
 * waits for the bot's. Asked after the PUT's answer, the echo comes at
 * once and costs nobody anything. */
#define SYNC_HOLD_MAX_MS 1000
void sync_loop_hold_while(struct sync_loop *s, int (*busy)(void *arg), void *arg);
void sync_loop_sent(struct sync_loop *s);

#endif
