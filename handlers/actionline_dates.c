/* actionline_dates: days and periods of action lines. Phase dates, due days
 * and spending days are whole days, often in the past: they are read by the
 * one date grammar (handlers/when.h) with WHEN_DAY and WHEN_PAST_OK. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/actionline.h"
#include "handlers/reply.h"
#include "handlers/when_ctx.h"
#include "lib/tz.h"

long al_day_of(const struct wt_ctx *ctx, time_t t)
{
	struct tz_local lt;
	const char *tz = ctx->net && ctx->net->tz ? ctx->net->tz : "UTC";
	if (tz_from_utc(tz, t, &lt) != TZ_OK)
		return (long)(t / 86400);
	return (long)tz_days_from_civil(lt.year, lt.mon, lt.day);
}

long al_today(const struct wt_ctx *ctx)
{
	return al_day_of(ctx, ctx->now);
}

time_t al_day_start(const struct wt_ctx *ctx, long day, int hour)
{
	struct tz_local lt = { 0 };
	tz_civil_from_days(day, &lt.year, &lt.mon, &lt.day);
	lt.hour = hour;
	time_t t;
	const char *tz = ctx->net && ctx->net->tz ? ctx->net->tz : "UTC";
	if (tz_to_utc(tz, &lt, &t) != TZ_OK)
		t = (time_t)day * 86400 + hour * 3600;
	return t;
}

int al_read_day(const struct wt_ctx *ctx, const char *text, long *day, size_t *used)
{
	struct when_out o;
	int rc = ctx_when(ctx, text, 0, AL_DAY_FLAGS, &o);
	*used = rc == WHEN_OK ? o.used : 0;
	if (rc == WHEN_OK)
		*day = o.day;
	return rc;
}

void al_period_of(long day, int half, struct al_period *p)
{
	int y, m, d;
	tz_civil_from_days(day, &y, &m, &d);
	p->year = y;
	p->half = half ? 1 : 0;
	int span = half ? 6 : 3;
	p->n = (m - 1) / span + 1;
	int first = (p->n - 1) * span + 1, last = first + span - 1;
	p->from = (long)tz_days_from_civil(y, first, 1);
	p->to = (long)tz_days_from_civil(y, last, tz_days_in_month(y, last));
}

int al_parse_period(const char *text, long today, int half, struct al_period *p)
{
	int ty, tm, td;
	tz_civil_from_days(today, &ty, &tm, &td);
	struct when_span s;
	if (when_read_span(text, ty, half ? WHEN_SPAN_HALF : WHEN_SPAN_QUARTER, &s) != WHEN_OK)
		return -1;
	for (const char *r = text + s.used; *r; r++)
		if (*r != ' ' && *r != '\t' && *r != '\n' && *r != '\r')
			return -1;
	al_period_of(s.first, half, p);
	return 0;
}

void al_period_key(const struct al_period *p, char out[8])
{
	out[0] = (char)('0' + p->year / 1000 % 10);
	out[1] = (char)('0' + p->year / 100 % 10);
	out[2] = (char)('0' + p->year / 10 % 10);
	out[3] = (char)('0' + p->year % 10);
	out[4] = p->half ? 'H' : 'Q';
	out[5] = (char)('0' + p->n);
	out[6] = '\0';
}

void al_period_label(struct strbuf *sb, const struct wt_ctx *ctx, const struct al_period *p)
{
	sb_addm(sb, ctx, p->half ? M_AL_PERIOD_H : M_AL_PERIOD_Q, p->n, p->year);
}

void al_format_day(struct strbuf *sb, const struct wt_ctx *ctx, long day)
{
	int y, m, d;
	tz_civil_from_days(day, &y, &m, &d);
	sb_addf(sb, "%d %s %d", d, T(ctx, (enum msg_id)(M_DATE_MON_LONG_1 + m - 1)), y);
}
