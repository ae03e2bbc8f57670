/* reminder_kinds: how a generated reminder's text is written when it fires,
 * and how each command family (re)generates its reminders.
 *
 * The scheduler (bot/) calls reminder_render with a context for the
 * reminder's network and the recipient's language; the renderer looks the
 * object up (ref_id) and writes the text as of now. */
#ifndef WT_REMINDER_KINDS_H
#define WT_REMINDER_KINDS_H

#include "handlers/dispatch.h"
#include "lib/strbuf.h"

/* Write the text of a reminder of this kind about ref_id into out. Return 0,
 * or 1 to drop the reminder silently (its object is gone or done), or
 * negative on error. */
typedef int (*reminder_render_fn)(struct wt_ctx *ctx, const char *kind,
				  long long ref_id, struct strbuf *out);

/* (Re)generate the family's reminders of one network from its data, as of
 * ctx->now: idempotent, through reminders_upsert_generated and
 * reminders_cancel_generated. Called at start and after every command that
 * succeeded. */
typedef int (*reminder_generate_fn)(struct wt_ctx *ctx);

struct reminder_family {
	const char *kind_prefix;        /* "meeting.", "actionline.", "advice." */
	reminder_render_fn render;
	reminder_generate_fn generate;
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

#endif
