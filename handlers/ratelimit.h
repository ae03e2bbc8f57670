/* ratelimit: how many commands one sender may have answered, per minute.
 *
 * A token bucket per sender (across all rooms and networks): a full bucket
 * holds `burst` commands and refills at `per_minute`. Time is the event's
 * origin_server_ts, so a backlog read after downtime is judged by when it
 * was sent. A command that finds the bucket empty is not run: it is
 * recorded as handled by the caller and gets no reply, except the first one
 * of a limited stretch, which gets one notice saying when commands are
 * answered again. The stretch ends when the bucket is full again (the
 * sender was quiet long enough).
 *
 * The buckets live in a TEMP table of the connection: gone at restart (a
 * fresh bucket then), and written inside the caller's transaction, so a
 * batch that is rolled back and read again counts its commands once. */
#ifndef WT_RATELIMIT_H
#define WT_RATELIMIT_H

#include "handlers/context.h"

#define WT_RATE_PER_MINUTE 30   /* default commands_per_minute */
#define WT_RATE_BURST 20        /* default command_burst */
#define WT_RATE_MAX 1000000     /* upper bound of both settings */

/* The limits; 0 in a field means its default. */
struct wt_ratelimit {
	long per_minute;
	long burst;
};

/* Whether the message body from ctx->sender, sent at ts_ms (Unix ms; 0 or
 * less: ctx->now), is held back by the limit: 1 when it must not run (the
 * stretch's notice, if this is its first, is added to ctx->out), 0 when it
 * may run, is no command ("!...") or the limiter cannot read its table (the
 * limiter never stops a command because of its own failure). */
int ratelimit_hold(struct wt_ctx *ctx, const struct wt_ratelimit *lim,
		   const char *body, long long ts_ms);

#endif
