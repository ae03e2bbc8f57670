/* ratelimit: the per-sender token bucket (see ratelimit.h). */
#include "handlers/ratelimit.h"

#include <ctype.h>
#include <stdlib.h>

#include "handlers/reply.h"
#include "lib/log.h"
#include "lib/tz.h"
#include "storage/rate_buckets.h"
#include "storage/reminders.h"

/* One command costs UNIT credit; a bucket gains per_minute credit per
 * millisecond, so a minute refills per_minute commands. Whole numbers, no
 * rounding drift. */
#define UNIT 60000LL

/* 1 when body would reach a command handler: the same test as wt_dispatch
 * ("!" then a word, after leading blanks). Plain chat is never limited. */
static int looks_like_command(const char *body)
{
	const char *p = body;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p[0] == '!' && p[1] && !isspace((unsigned char)p[1]) && p[1] != '!';
}

/* Add the stretch's one notice: the limit and the local time (the
 * sender's own zone, else the network's) from which a command is taken
 * again. */
static void add_notice(struct wt_ctx *ctx, long per_minute, long burst,
		       long long again_ms)
{
	char *own = user_tz_dup(ctx->db, ctx->sender);
	const char *zone = own ? own : ctx->net ? ctx->net->tz : NULL;
	struct tz_local l;
	struct strbuf at = STRBUF_INIT;
	if (zone && tz_from_utc(zone, (time_t)((again_ms + 999) / 1000), &l) == TZ_OK)
		sb_addf(&at, "%02d:%02d:%02d", l.hour, l.min, l.sec);
	else
		sb_addf(&at, "%lld s", (again_ms - ctx->now * 1000LL + 999) / 1000);
	reply_msgf(ctx, M_RATE_LIMITED, burst, per_minute, at.buf);
	sb_release(&at);
	free(own);
}

int ratelimit_hold(struct wt_ctx *ctx, const struct wt_ratelimit *lim,
		   const char *body, long long ts_ms)
{
	if (!body || !ctx->sender || !looks_like_command(body))
		return 0;
	long long rate = lim && lim->per_minute > 0 ? lim->per_minute : WT_RATE_PER_MINUTE;
	long long burst = lim && lim->burst > 0 ? lim->burst : WT_RATE_BURST;
	long long cap = burst * UNIT;
	if (ts_ms <= 0)
		ts_ms = (long long)ctx->now * 1000;
	long long credit = cap, last = ts_ms, held = 0;
	int found = rate_bucket_get(ctx->db, ctx->sender, &credit, &last, &held);
	if (found < 0)
		return 0;
	/* Refill for the time since the last command; events from several
	 * servers may come a little out of order: no refill then, no debt. */
	long long dt = ts_ms - last;
	if (dt > 0)
		credit = dt > (cap - credit) / rate ? cap : credit + dt * rate;
	if (credit >= cap)
		held = 0;       /* quiet long enough: a new stretch */
	int hold = credit < UNIT;
	if (!hold)
		credit -= UNIT;
	else if (held++ == 0) {
		log_info("rate limit: commands of %s held back (more than %lld in a"
			 " row, %lld a minute)", ctx->sender, burst, rate);
		add_notice(ctx, (long)rate, (long)burst,
			   ts_ms + (UNIT - credit + rate - 1) / rate);
	}
	if (rate_bucket_put(ctx->db, ctx->sender, credit, dt > 0 ? ts_ms : last,
			    held) < 0)
		log_warn("rate limit: the bucket of %s was not stored", ctx->sender);
	return hold;
}
