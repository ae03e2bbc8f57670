/* reminder_kinds: how a generated reminder's text is written when it fires,
 * and how each command family (re)generates its reminders.
 *
 * The scheduler (bot/) calls reminder_render with a context for the
 * reminder's network and the recipient's language; the renderer looks the
 * object up (ref_id) and writes the text as of now. */
#ifndef WT_REMINDER_KINDS_H
#define WT_REMINDER_KINDS_H

#include "handlers/context.h"
#include "lib/strbuf.h"

/* Write the text of a reminder of this kind about ref_id into out. Return 0,
 * or 1 to drop the reminder silently (its object is gone or done), or
 * negative on error. */
typedef int (*reminder_render_fn)(struct wt_ctx *ctx, const char *kind,
				  long long ref_id, struct strbuf *out);

/* (Re)generate the family's reminders of one network from its data, as of
 * ctx->now: idempotent, through reminders_upsert_generated and
 * reminders_cancel_generated. Called at start-up (bot/scheduler.c), when
 * a network's chairs change, and for the clock-driven parts; it reads open
 * sources only (not done actions, closed meetings, decided advice). */
typedef int (*reminder_generate_fn)(struct wt_ctx *ctx);

/* The same for one source object (row id ref_id of the family's table)
 * alone: afterwards its pending reminders are exactly those the full
 * generator would leave for it (none when it is gone, done, closed or
 * decided). Called for the sources the triggers of storage/schema.c
 * marked changed (storage/reminder_dirty.h). */
typedef int (*reminder_generate_ref_fn)(struct wt_ctx *ctx, long long ref_id);

struct reminder_family {
	const char *kind_prefix;        /* "meeting.", "actionline.", "advice." */
	const char *name;               /* reminder_dirty.family: "meeting", ... */
	reminder_render_fn render;
	reminder_generate_fn generate;
	reminder_generate_ref_fn generate_ref;
};

/* The families (handlers/reminder_kinds.c lists them). */
extern const struct reminder_family reminder_families[];
extern const size_t reminder_nfamilies;

/* Local hours in which no generated reminder reaches a person: from
 * WT_QUIET_FROM:00 until WT_QUIET_UNTIL:00 it waits for WT_QUIET_MORNING:00. */
#define WT_QUIET_FROM 22
#define WT_QUIET_UNTIL 7
#define WT_QUIET_MORNING 8

/* due, or when it falls in the night in zone tz, that morning at
 * WT_QUIET_MORNING:00 local time. */
time_t reminder_daytime(const char *tz, time_t due);

/* Create or update a generated reminder (reminders_upsert_generated) in
 * network. One for a person (to_user) is moved out of the night in that
 * person's zone (their own, else the network's), so nobody is woken by the
 * bot; room reminders keep their time. */
int reminder_want(struct wt_ctx *ctx, const char *network, const char *source_key,
		  const char *kind, long long ref_id, const char *to_user,
		  const char *room_id, time_t due);

/* Find the family of kind and render; 1 (drop) when none matches. */
int reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
		    struct strbuf *out);
/* Run every family's generator for ctx->net. */
int reminder_generate_all(struct wt_ctx *ctx);
/* Run family's (reminder_family.name) generator for one source object. */
int reminder_generate_ref(struct wt_ctx *ctx, const char *family, long long ref_id);

/* Family generators run (full or per object) since the start: tests and
 * benchmarks count with it (a process-wide counter; nothing reads it to
 * decide anything). */
extern long long reminder_generator_runs;

/* The source keys a generator wants, to cancel the pending others: add
 * them all, sort once, then look up in O(log n). */
struct reminder_keys {
	char **v;
	size_t n, cap;
};
void reminder_keys_add(struct reminder_keys *k, const char *key);
void reminder_keys_sort(struct reminder_keys *k);
int reminder_keys_has(const struct reminder_keys *k, const char *key);
void reminder_keys_free(struct reminder_keys *k);
/* Cancel the pending generated reminders of ctx->net whose source key
 * starts with prefix and that keys (sorted) does not hold: one lookup each.
 * 0 or -1. */
int reminder_keys_cancel_others(struct wt_ctx *ctx, const char *prefix,
				const struct reminder_keys *keys);
/* The end of a family's full pass: sort wanted, cancel the pending
 * generated reminders of ctx->net whose source key starts with prefix and
 * is not wanted, free wanted. rc is the pass's outcome so far: nothing is
 * cancelled unless it is 0. Returns 0 or -1. */
int reminder_keys_settle(struct wt_ctx *ctx, const char *prefix, struct reminder_keys *wanted,
			 int rc);

/* ---- generation as sources change (handlers/reminder_regen.c) ---------- */

/* Regenerate the sources marked changed (storage/reminder_dirty.h) of
 * ctx->net, or of every network in ctx->networks when set, and forget
 * them: called in the transaction that changed them, before it commits
 * (handlers/dispatch.c). Returns 0 or negative (the caller rolls back). */
int reminder_regen_dirty(struct wt_ctx *ctx);

/* The same inside a sync batch's transaction, before it commits, for
 * what the batch changed outside commands (an item logged in meeting
 * mode, a redaction, a reaction), for the n networks of nets (the
 * config's): nothing when there are none or no source is marked. A failed regeneration is undone and left marked (the
 * scheduler retries); negative only when the savepoint itself fails. */
int reminder_regen_batch(sqlite3 *db, const struct wt_network *nets, size_t n,
			 time_t now);

/* The parts that depend on the clock rather than on a change, for
 * ctx->net at ctx->now: a series plans its occurrences SERIES_HORIZON
 * ahead, and action lines are reminded per quarter (a new quarter, from
 * the stored last one, regenerates the family). Cheap when nothing is due;
 * the scheduler calls it once a day. 0 or negative. */
int reminder_generate_timed(struct wt_ctx *ctx);

#endif
