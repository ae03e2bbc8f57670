/* scheduler: sends reminders when they fall due.
 *
 * One libuv timer is armed at the earliest pending due time
 * (reminders_next_due, an indexed query) and re-armed whenever that may have
 * changed; nothing polls. Firing a reminder writes its text, puts the
 * message in the outbox and marks the reminder fired (or moves a recurring
 * one to its next occurrence) in one transaction, so a reminder is never
 * lost and never sent twice.
 *
 * Reminders that fell due while the bot was down are sent on start, marked
 * late with the time they were due; those older than cfg->late_limit_hours
 * are listed in one summary message per recipient instead.
 *
 * The functions without a struct scheduler take the time as an argument, so
 * tests drive them with their own clock. */
#ifndef WT_SCHEDULER_H
#define WT_SCHEDULER_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "bot/config.h"

/* Fire every pending reminder due at or before now. Those due before
 * `started` are marked late. Returns the number of messages put in the
 * outbox, or negative. */
int scheduler_fire_due(sqlite3 *db, const struct wt_config *cfg, time_t now,
		       time_t started);

/* Close the polls whose end time is at or before now (handlers/poll.h
 * poll_close): their end events with the results go in the outbox.
 * Returns the number of messages put there, or negative. */
int scheduler_end_polls(sqlite3 *db, const struct wt_config *cfg, time_t now);

/* The start-up pass over reminders missed while the bot was down: those
 * due before started - late_limit_hours are summarised (one message per
 * recipient) and marked fired; the rest are left for scheduler_fire_due,
 * which sends them late. Returns the number of reminders summarised. */
int scheduler_summarise_missed(sqlite3 *db, const struct wt_config *cfg,
			       time_t started);

/* (Re)generate every network's generated reminders as of now, in one
 * transaction, from scratch: at start-up (the configuration's offsets and
 * networks may have changed). Returns 0 or negative. */
int scheduler_generate(sqlite3 *db, const struct wt_config *cfg, time_t now);

/* Prune every network's rows past its retention (storage/retention.h), in
 * one transaction; scheduler_refresh runs it with each full and each
 * clock-driven pass (at start and once a day). 0 or negative. */
int scheduler_prune(sqlite3 *db, const struct wt_config *cfg, time_t now);

/* Seconds between two passes of the clock-driven generation
 * (reminder_generate_timed). */
#define SCHEDULER_TIMED_EVERY 86400

/* What a change or the clock leaves to do, without rescanning: a full
 * generation when *timed_at is 0 (then *timed_at is set), the clock-driven
 * part when now has reached *timed_at, and the sources a writer outside a
 * command changed (storage/reminder_dirty.h). Opens no transaction when
 * there is nothing to do. Returns 0 or negative. */
int scheduler_refresh(sqlite3 *db, const struct wt_config *cfg, time_t now,
		      time_t *timed_at);

/* How many times the scheduler ran a pass that generates reminders (full,
 * clock-driven or of changed sources) since the start: for tests (a
 * process-wide counter; nothing reads it to decide anything). */
extern long long scheduler_generate_passes;

/* Milliseconds from now_ms until the earliest pending reminder or poll
 * end, 0 when one is due already, or cap_ms when none comes sooner. */
long scheduler_delay_ms(sqlite3 *db, int64_t now_ms, long cap_ms);

struct scheduler;

/* Milliseconds since the epoch (UTC); replaceable for tests. */
typedef int64_t (*scheduler_clock_fn)(void *arg);
/* Called after the scheduler put messages in the outbox. */
typedef void (*scheduler_enqueued_fn)(void *arg);

struct scheduler *scheduler_new(uv_loop_t *loop, sqlite3 *db,
				const struct wt_config *cfg);
/* Stop the timer and free the scheduler (once the loop closed the timer). */
void scheduler_free(struct scheduler *s);
void scheduler_set_clock(struct scheduler *s, scheduler_clock_fn fn, void *arg);
void scheduler_on_enqueued(struct scheduler *s, scheduler_enqueued_fn fn, void *arg);

/* Start: summarise and send what was missed, generate, arm the timer. */
int scheduler_start(struct scheduler *s);
/* After a sync batch or a change: scheduler_refresh (nothing when the
 * commands regenerated their own sources), fire what is due, re-arm at
 * the next due reminder. */
void scheduler_changed(struct scheduler *s);
/* For the sync long-poll: milliseconds until the next reminder, at most
 * cap_ms. */
long scheduler_timeout_ms(struct scheduler *s, long cap_ms);
/* When the timer is armed, the due time it is armed for (else 0). */
time_t scheduler_armed_for(const struct scheduler *s);

/* The clock used by default: CLOCK_REALTIME in milliseconds. */
int64_t scheduler_real_clock(void *arg);

#endif
