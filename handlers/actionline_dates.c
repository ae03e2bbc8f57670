/* actionline_dates: days and periods of action lines. Phase dates, due days
 * and spending days are whole days, often in the past, so they get this
 * small day-only reader instead of when_parse (which wants future
 * instants). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/actionline.h"
#include "handlers/reply.h"
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

/* Month names, Dutch and English, full and short; index / 1 = month. */
static const struct { const char *name; int mon; } months[] = {
	{ "januari", 1 }, { "january", 1 }, { "jan", 1 },
	{ "februari", 2 }, { "february", 2 }, { "feb", 2 },
	{ "maart", 3 }, { "march", 3 }, { "mrt", 3 }, { "mar", 3 },
	{ "april", 4 }, { "apr", 4 },
	{ "mei", 5 }, { "may", 5 },
	{ "juni", 6 }, { "june", 6 }, { "jun", 6 },
	{ "juli", 7 }, { "july", 7 }, { "jul", 7 },
	{ "augustus", 8 }, { "august", 8 }, { "aug", 8 },
	{ "september", 9 }, { "sept", 9 }, { "sep", 9 },
	{ "oktober", 10 }, { "october", 10 }, { "okt", 10 }, { "oct", 10 },
	{ "november", 11 }, { "nov", 11 },
	{ "december", 12 }, { "dec", 12 },
};

/* 1 when c ends a word. */
static int word_end(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',';
}

/* Read up to max digits; returns the number or -1, and the digits read. */
static int read_num(const char *p, int max, int *ndig)
{
	int v = 0, n = 0;
	while (n < max && isdigit((unsigned char)p[n]))
		v = v * 10 + (p[n++] - '0');
	*ndig = n;
	return n ? v : -1;
}

/* Check y-m-d and store the day number. */
static int make_day(int y, int m, int d, long *day)
{
	if (y < 1971 || y > 2199 || m < 1 || m > 12 || d < 1 || d > tz_days_in_month(y, m))
		return AL_DAY_BAD;
	*day = (long)tz_days_from_civil(y, m, d);
	return AL_DAY_OK;
}

/* Two-digit years are this century. */
static int full_year(int y, int ndig)
{
	return ndig <= 2 ? 2000 + y : y;
}

int al_parse_day(const char *text, long today, long *day, size_t *consumed)
{
	const char *p = text;
	*consumed = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (word_end(*p) && *p != ',')
		return AL_DAY_EMPTY;
	int ty, tm, td;
	tz_civil_from_days(today, &ty, &tm, &td);
	static const struct { const char *w; int off; } rel[] = {
		{ "vandaag", 0 }, { "today", 0 }, { "gisteren", -1 }, { "yesterday", -1 },
		{ "morgen", 1 }, { "tomorrow", 1 },
	};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		size_t n = strlen(rel[i].w);
		if (strncasecmp(p, rel[i].w, n) == 0 && word_end(p[n])) {
			*day = today + rel[i].off;
			*consumed = (size_t)(p + n - text);
			return AL_DAY_OK;
		}
	}
	int n1, a = read_num(p, 4, &n1);
	if (a < 0 || (isdigit((unsigned char)p[n1])))
		return AL_DAY_BAD;
	const char *q = p + n1;
	int rc;
	if (n1 == 4 && *q == '-') { /* 2027-04-01 */
		int n2, n3, m = read_num(q + 1, 2, &n2);
		if (m < 0 || q[1 + n2] != '-')
			return AL_DAY_BAD;
		int d = read_num(q + 2 + n2, 2, &n3);
		q += 2 + n2 + n3;
		if (d < 0 || !word_end(*q))
			return AL_DAY_BAD;
		rc = make_day(a, m, d, day);
	} else if (*q == '-' || *q == '/' || *q == '.') { /* 1-4-2027, 1-4 */
		char sep = *q;
		int n2, m = read_num(q + 1, 2, &n2);
		if (m < 0)
			return AL_DAY_BAD;
		q += 1 + n2;
		int y = ty;
		if (*q == sep) {
			int n3, yy = read_num(q + 1, 4, &n3);
			if (yy < 0 || n3 == 3)
				return AL_DAY_BAD;
			y = full_year(yy, n3);
			q += 1 + n3;
		}
		if (!word_end(*q))
			return AL_DAY_BAD;
		rc = make_day(y, m, a, day);
	} else if (*q == ' ' && n1 <= 2) { /* 1 april 2027, 1 apr */
		const char *w = q + 1;
		while (*w == ' ')
			w++;
		int m = 0;
		size_t len = 0;
		while (!word_end(w[len]) && w[len] != '.')
			len++;
		for (size_t i = 0; i < sizeof months / sizeof months[0] && !m; i++)
			if (strlen(months[i].name) == len && strncasecmp(w, months[i].name, len) == 0)
				m = months[i].mon;
		if (!m)
			return AL_DAY_BAD;
		q = w + len + (w[len] == '.');
		int y = ty;
		const char *r = q;
		while (*r == ' ')
			r++;
		int n3, yy = read_num(r, 4, &n3);
		if (yy >= 0 && n3 == 4 && word_end(r[4])) {
			y = yy;
			q = r + 4;
		}
		rc = make_day(y, m, a, day);
	} else {
		return AL_DAY_BAD;
	}
	if (rc == AL_DAY_OK)
		*consumed = (size_t)(q - text);
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

/* Fill p for year y, number n; -1 when out of range. */
static int period_make(int y, int n, int half, struct al_period *p)
{
	if (y < 1971 || y > 2199 || n < 1 || n > (half ? 2 : 4))
		return -1;
	int span = half ? 6 : 3;
	al_period_of((long)tz_days_from_civil(y, (n - 1) * span + 1, 1), half, p);
	return 0;
}

int al_parse_period(const char *text, long today, int half, struct al_period *p)
{
	char buf[32];
	size_t n = 0;
	for (const char *s = text; *s && n < sizeof buf - 1; s++)
		if (!isspace((unsigned char)*s) && *s != '-' && *s != '/')
			buf[n++] = (char)toupper((unsigned char)*s);
	buf[n] = '\0';
	if (strlen(text) > 24 || n < 2)
		return -1;
	int ty, tm, td;
	tz_civil_from_days(today, &ty, &tm, &td);
	const char *letters = half ? "H" : "QK";
	int year = -1, num = -1;
	char *end;
	if (strchr(letters, buf[0])) { /* Q1 2027, Q1, K1 2027, H1 2027 */
		if (!isdigit((unsigned char)buf[1]))
			return -1;
		num = buf[1] - '0';
		if (buf[2] == '\0') {
			year = ty;
		} else {
			long y = strtol(buf + 2, &end, 10);
			if (*end || end - (buf + 2) != 4)
				return -1;
			year = (int)y;
		}
	} else if (n == 6 && isdigit((unsigned char)buf[0])) { /* 2027Q1 */
		long y = strtol(buf, &end, 10);
		if (end != buf + 4 || !strchr(letters, buf[4]) || !isdigit((unsigned char)buf[5]))
			return -1;
		year = (int)y;
		num = buf[5] - '0';
	} else {
		return -1;
	}
	return period_make(year, num, half, p);
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
	sb_addf(sb, "%d %s %d", d, T(ctx, (enum msg_id)(M_DATE_MON_1 + m - 1)), y);
}
