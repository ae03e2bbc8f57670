/* when: reading the date phrases people type (Dutch and English) and
 * writing dates back. See handlers/when.h for the phrases.
 *
 * The text comes from the network: every read is bounded by the length
 * measured once at the start, numbers are capped while they are read (so
 * "99999999999999999999" is just "too big", never an overflow), bytes
 * outside ASCII only ever make a word unknown, and nothing is copied into
 * buffers.
 *
 * Rules (documented for users in the catalogue examples):
 *   - A phrase without a year or day ("12 maart", "dinsdag", "14:00") is
 *     the next time it occurs from now; one with them ("12-03-2027",
 *     "morgen") that lies before now is refused as past.
 *   - "over 2 dagen" / "in 2 weeks" keep the wall-clock time of now on the
 *     later day, so across a DST change they are 23 or 25 hours away;
 *     "over 3 uur" / "in 90 minutes" are exact elapsed time.
 *   - "volgende dinsdag" / "next tuesday" is the first Tuesday after today;
 *     plain "dinsdag" may be today when the time is still to come.
 *   - Dash and dot dates are day-month-year; slash dates too in Dutch, in
 *     English a slash date that reads validly both ways is ambiguous. */
#include "handlers/when.h"

#include <string.h>

#include "handlers/catalog.h"
#include "handlers/when_lex.h"
#include "lib/tz.h"

#define REL_MAX 100000L      /* largest "over N ..." count */

/* Check a day and month (and the year when given). */
static int check_date(int y, int m, int d)
{
	if (m < 1 || m > 12 || d < 1)
		return WHEN_BAD_DATE;
	if (d > tz_days_in_month(y ? y : 2028, m))
		return WHEN_BAD_DATE;
	return 0;
}

/* A time of day: 14:00, 9:30:15, 14.00, 9am, 9:30 pm, 9 uur, om 9, at 19:30,
 * optionally followed by "uur". 1 matched, 0 not, or an error. */
static int parse_time(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	long h, mi = 0, ss = 0;
	int nd, has_min = 0, ampm = 0, uur = 0, prefixed = 0;
	if (peek(lx, 0) == ',')  /* "morgen, 9:00" */
		lx->i++;
	skip_ws(lx);
	if (lex_word_is(lx, "om") || lex_word_is(lx, "at") || lex_word_is(lx, "rond")) {
		prefixed = 1;
		skip_ws(lx);
	}
	if (!lex_number(lx, &h, &nd))
		goto nomatch;
	int sep = peek(lx, 0);
	if ((sep == ':' || sep == '.') && peek(lx, 1) >= 0 &&
	    is_digit((unsigned char)peek(lx, 1))) {
		size_t at = lx->i;
		lx->i++;
		lex_number(lx, &mi, &nd);
		if (sep == '.' && (nd != 2 || peek(lx, 0) == '.' || peek(lx, 0) == '-')) {
			lx->i = at;  /* a dotted date, not a time */
			goto nomatch;
		}
		if (nd != 2)
			return WHEN_BAD_DATE;
		has_min = 1;
		if (sep == ':' && peek(lx, 0) == ':') {
			lx->i++;
			if (!lex_number(lx, &ss, &nd) || nd != 2)
				return WHEN_BAD_DATE;
		}
	}
	if (!at_boundary(lx) || peek(lx, 0) == ' ') {
		size_t at = lx->i;
		skip_ws(lx);
		if (lex_word_is(lx, "am"))
			ampm = 1;
		else if (lex_word_is(lx, "pm"))
			ampm = 2;
		else
			lx->i = at;
	}
	if (!at_boundary(lx) && !has_min)
		goto nomatch;
	{
		size_t at = lx->i;
		skip_ws(lx);
		if (lex_word_is(lx, "uur") || (has_min && lex_word_is(lx, "u")))
			uur = 1;
		else
			lx->i = at;
	}
	if (!has_min && !ampm && !uur && !prefixed)
		goto nomatch;
	if (!at_boundary(lx))
		return WHEN_BAD_DATE;
	if (ampm) {
		if (h < 1 || h > 12)
			return WHEN_BAD_DATE;
		h = h % 12 + (ampm == 2 ? 12 : 0);
	}
	if (h > 23 || mi > 59 || ss > 59)
		return WHEN_BAD_DATE;
	p->have_time = 1;
	p->hh = (int)h;
	p->mi = (int)mi;
	p->ss = (int)ss;
	return 1;
nomatch:
	lx->i = save;
	return 0;
}

/* ISO 8601: 2027-03-12, 2027-03-12T14:00[:00], 2027-03-12 14:00, with an
 * optional Z or +01:00 / -0500 / +01 after a time. */
static int parse_iso(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	long y, m, d, h = 0, mi = 0, ss = 0;
	int nd;
	skip_ws(lx);
	if (!lex_number(lx, &y, &nd) || nd != 4 || peek(lx, 0) != '-')
		goto nomatch;
	lx->i++;
	if (!lex_number(lx, &m, &nd) || nd != 2 || peek(lx, 0) != '-')
		goto nomatch;
	lx->i++;
	if (!lex_number(lx, &d, &nd) || nd != 2)
		goto nomatch;
	if (check_date((int)y, (int)m, (int)d) < 0 || y < 1)
		return WHEN_BAD_DATE;
	p->have_date = 1;
	p->y = (int)y, p->m = (int)m, p->d = (int)d;
	int c = peek(lx, 0);
	int spaced = c == ' ' && peek(lx, 1) >= 0 && is_digit((unsigned char)peek(lx, 1)) &&
		     peek(lx, 2) >= 0 && is_digit((unsigned char)peek(lx, 2)) && peek(lx, 3) == ':';
	if (c != 'T' && c != 't' && !spaced)
		return at_boundary(lx) ? 1 : WHEN_BAD_DATE;
	lx->i++;
	if (!lex_number(lx, &h, &nd) || nd != 2 || peek(lx, 0) != ':')
		return WHEN_BAD_DATE;
	lx->i++;
	if (!lex_number(lx, &mi, &nd) || nd != 2)
		return WHEN_BAD_DATE;
	if (peek(lx, 0) == ':') {
		lx->i++;
		if (!lex_number(lx, &ss, &nd) || nd != 2)
			return WHEN_BAD_DATE;
		if (peek(lx, 0) == '.' || peek(lx, 0) == ',') {  /* fraction: ignored */
			lx->i++;
			long frac;
			if (!lex_number(lx, &frac, &nd))
				return WHEN_BAD_DATE;
		}
	}
	if (h > 23 || mi > 59 || ss > 59)
		return WHEN_BAD_DATE;
	p->have_time = 1;
	p->hh = (int)h, p->mi = (int)mi, p->ss = (int)ss;
	c = peek(lx, 0);
	long long off = 0;
	if (c == 'Z' || c == 'z') {
		lx->i++;
	} else if (c == '+' || c == '-') {
		long oh, om = 0;
		lx->i++;
		if (!lex_number(lx, &oh, &nd) || (nd != 2 && nd != 4))
			return WHEN_BAD_DATE;
		if (nd == 4) {
			om = oh % 100;
			oh /= 100;
		} else if (peek(lx, 0) == ':') {
			lx->i++;
			if (!lex_number(lx, &om, &nd) || nd != 2)
				return WHEN_BAD_DATE;
		}
		if (oh > 23 || om > 59)
			return WHEN_BAD_DATE;
		off = (oh * 3600LL + om * 60LL) * (c == '-' ? -1 : 1);
	} else {
		return at_boundary(lx) ? 1 : WHEN_BAD_DATE;
	}
	if (!at_boundary(lx))
		return WHEN_BAD_DATE;
	p->have_instant = 1;
	p->instant = tz_days_from_civil(p->y, p->m, p->d) * 86400LL +
		     h * 3600LL + mi * 60LL + ss - off;
	return 1;
nomatch:
	lx->i = save;
	return 0;
}

/* A year after a written date: four digits on their own (not a time). */
static void opt_year(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	long y;
	int nd;
	if (peek(lx, 0) == ',')
		lx->i++;
	skip_ws(lx);
	if (lex_number(lx, &y, &nd) && nd == 4 && at_boundary(lx) &&
	    peek(lx, 0) != ':' && !(peek(lx, 0) == '.' && peek(lx, 1) >= 0 &&
				   is_digit((unsigned char)peek(lx, 1)))) {
		p->y = (int)y;
		return;
	}
	lx->i = save;
}

/* A day number with an optional ordinal suffix (12, 12th, 1ste). */
static int day_number(struct lex *lx, long *d)
{
	size_t save = lx->i;
	int nd;
	if (!lex_number(lx, d, &nd) || nd > 2)
		goto nomatch;
	lex_word_in(lx, when_ordinals, NULL);
	if (!at_boundary(lx))
		goto nomatch;
	return 1;
nomatch:
	lx->i = save;
	return 0;
}

/* Written dates: "12 maart [2027]", "12th March", "March 12[,] [2027]". */
static int parse_written(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	long d;
	int m;
	skip_ws(lx);
	if (day_number(lx, &d)) {
		skip_ws(lx);
		if (!lex_word_in(lx, when_months, &m))
			goto nomatch;
	} else if (lex_word_in(lx, when_months, &m)) {
		skip_ws(lx);
		if (!day_number(lx, &d))
			goto nomatch;
	} else {
		goto nomatch;
	}
	p->y = 0;
	opt_year(lx, p);
	p->m = m;
	p->d = (int)d;
	p->have_date = 1;
	return check_date(p->y, p->m, p->d) < 0 ? WHEN_BAD_DATE : 1;
nomatch:
	lx->i = save;
	return 0;
}

/* Numeric dates, day first: 12-03-2027, 12-3, 12/3/27, 12.03.2027. In
 * English a slash date that is valid both ways round is ambiguous. */
static int parse_numeric(struct lex *lx, struct phrase *p, enum wt_lang lang)
{
	size_t save = lx->i;
	long a, b, y = 0;
	int nd, ny = 0;
	skip_ws(lx);
	if (!lex_number(lx, &a, &nd) || nd > 2)
		goto nomatch;
	int sep = peek(lx, 0);
	if ((sep != '-' && sep != '/' && sep != '.') || peek(lx, 1) < 0 ||
	    !is_digit((unsigned char)peek(lx, 1)))
		goto nomatch;
	lx->i++;
	if (!lex_number(lx, &b, &nd) || nd > 2)
		goto nomatch;
	if (peek(lx, 0) == sep && peek(lx, 1) >= 0 && is_digit((unsigned char)peek(lx, 1))) {
		lx->i++;
		lex_number(lx, &y, &ny);
		if (ny != 2 && ny != 4)
			return WHEN_BAD_DATE;
		if (ny == 2)
			y += 2000;
		else if (y < 1000)
			return WHEN_BAD_DATE;
	} else if (sep == '.') {
		goto nomatch;  /* 14.00 is a time */
	}
	if (!at_boundary(lx) || (sep == '-' && peek(lx, 0) == '-'))
		return WHEN_BAD_DATE;
	int day = (int)a, mon = (int)b;
	if (sep == '/' && lang == LANG_EN) {
		int month_first = check_date((int)y, (int)a, (int)b) == 0;
		int day_first = check_date((int)y, (int)b, (int)a) == 0;
		if (month_first && day_first && a != b)
			return WHEN_AMBIGUOUS;
		if (month_first) {  /* only month-first reads as a date */
			day = (int)b;
			mon = (int)a;
		}
	}
	if (check_date((int)y, mon, day) < 0)
		return WHEN_BAD_DATE;
	p->have_date = 1;
	p->y = (int)y, p->m = mon, p->d = day;
	return 1;
nomatch:
	lx->i = save;
	return 0;
}

/* vandaag, morgen, overmorgen, today, tomorrow, day after tomorrow. */
static int parse_relword(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	int v;
	skip_ws(lx);
	if (lex_word_in(lx, when_reldays, &v) && at_boundary(lx)) {
		p->have_rel = 1;
		p->rel_days = v;
		return 1;
	}
	lx->i = save;
	skip_ws(lx);
	if (lex_word_is(lx, "day")) {
		skip_ws(lx);
		if (lex_word_is(lx, "after")) {
			skip_ws(lx);
			if (lex_word_is(lx, "tomorrow")) {
				p->have_rel = 1;
				p->rel_days = 2;
				return 1;
			}
		}
	}
	lx->i = save;
	return 0;
}

/* [volgende|next|komende|aanstaande|this] [week] weekday, optionally
 * followed by a written or numeric date that must fall on that weekday. */
static int parse_weekday(struct lex *lx, struct phrase *p, enum wt_lang lang)
{
	size_t save = lx->i;
	int wd = -1, next = 0, week = 0;
	skip_ws(lx);
	if (lex_word_is(lx, "volgende") || lex_word_is(lx, "next") || lex_word_is(lx, "komende") ||
	    lex_word_is(lx, "aanstaande")) {
		next = 1;
		skip_ws(lx);
		size_t at = lx->i;
		if (lex_word_is(lx, "week")) {  /* "volgende week dinsdag" */
			skip_ws(lx);
			if (lex_word_in(lx, when_wdays, &wd) && at_boundary(lx))
				week = 1;
			else
				lx->i = at, wd = -1;
		}
	} else if (lex_word_is(lx, "this") || lex_word_is(lx, "deze")) {
		skip_ws(lx);
	}
	if (!week && (!lex_word_in(lx, when_wdays, &wd) || !at_boundary(lx))) {
		lx->i = save;
		return 0;
	}
	p->wday = wd;
	p->wday_next = next;
	p->next_week = week;
	if (next)
		return 1;
	size_t at = lx->i;
	if (peek(lx, 0) == ',')
		lx->i++;
	int r = parse_written(lx, p);
	if (r == 0)
		r = parse_numeric(lx, p, lang);
	if (r == 0)
		lx->i = at;
	return r < 0 ? r : 1;
}

/* "over N minuten/uur/dagen/weken/maanden", "in N minutes/hours/days/...". */
static int parse_relative(struct lex *lx, struct phrase *p, time_t now)
{
	size_t save = lx->i;
	long n, milli;
	int unit;
	skip_ws(lx);
	if (!lex_word_is(lx, "over") && !lex_word_is(lx, "in"))
		goto nomatch;
	skip_ws(lx);
	if (!lex_count(lx, &n, &milli))
		goto nomatch;
	skip_ws(lx);
	if (!lex_word_in(lx, when_units, &unit) || !at_boundary(lx))
		goto nomatch;
	int exact = unit == UNIT_MIN || unit == UNIT_QUARTER || unit == UNIT_HOUR;
	if (milli && !exact)
		goto nomatch;  /* "over 1,5 dag": say it in hours */
	if (n > REL_MAX)
		return WHEN_TOO_FAR;
	if (exact) {
		p->have_instant = 1;
		p->instant = (long long)now + n * (long long)unit + milli * (long long)unit / 1000;
	} else {
		p->have_rel = 1;
		p->rel_keep = 1;
		if (unit == UNIT_MONTH)
			p->rel_months = n;
		else
			p->rel_days = n * (unit / UNIT_DAY);
	}
	return 1;
nomatch:
	lx->i = save;
	return 0;
}

/* Any one date part: weekday phrase, relative day word, or a date. */
static int parse_datepart(struct lex *lx, struct phrase *p, enum wt_lang lang)
{
	size_t save = lx->i;
	int r, on = 0;
	skip_ws(lx);
	if (lex_word_is(lx, "op") || lex_word_is(lx, "on"))
		on = 1;
	else
		lx->i = save;
	if ((r = when_parse_period(lx, p)) != 0 || (r = parse_weekday(lx, p, lang)) != 0 || (r = parse_relword(lx, p)) != 0 ||
	    (r = parse_numeric(lx, p, lang)) != 0 || (r = parse_written(lx, p)) != 0)
		return r;
	if (on)
		lx->i = save;
	return 0;
}

/* The whole phrase: ISO | relative [time] | date [time] | time [date]. */
static int parse_phrase(struct lex *lx, struct phrase *p, enum wt_lang lang, time_t now)
{
	int r;
	if ((r = parse_iso(lx, p)) != 0) {
		if (r < 0 || p->have_time)
			return r;
		r = parse_time(lx, p);  /* 2027-03-12 9:00 */
		return r < 0 ? r : 1;
	}
	if ((r = parse_relative(lx, p, now)) != 0) {
		if (r < 0 || p->have_instant)
			return r;
		r = parse_time(lx, p);
		return r < 0 ? r : 1;
	}
	if ((r = parse_datepart(lx, p, lang)) != 0) {
		if (r < 0)
			return r;
		r = parse_time(lx, p);
		return r < 0 ? r : 1;
	}
	if ((r = parse_time(lx, p)) <= 0)
		return r < 0 ? r : WHEN_UNKNOWN;
	r = parse_datepart(lx, p, lang);
	return r < 0 ? r : 1;
}

/* Local date-time as seconds on one scale, for "is it still to come". */
static long long lsecs(long long day, int h, int m, int s)
{
	return day * 86400LL + h * 3600LL + m * 60LL + s;
}

/* Place the phrase in time: pick the day, the time of day, convert. */
static int resolve(const struct phrase *pp, time_t now, const char *tzid,
		   int default_hour, time_t *out)
{
	struct tz_local ln, l;
	int rc = tz_from_utc(tzid, now, &ln);
	if (rc < 0)
		return rc == TZ_EZONE ? WHEN_BAD_ZONE : WHEN_BAD_DATE;
	struct phrase q = *pp, *p = &q;
	if (p->rel_month) {  /* "eind deze maand", "begin volgende maand" */
		long long mm = (long long)ln.year * 12 + (ln.mon - 1) + p->rel_month - 1;
		p->y = (int)(mm / 12);
		p->m = (int)(mm % 12) + 1;
	}
	if (p->rel_year)
		p->y = ln.year + p->rel_year - 1;
	if (p->month_end && p->y)
		p->d = tz_days_in_month(p->y, p->m);
	if (p->have_instant) {
		struct tz_local chk;
		if (p->instant < 0 || tz_from_utc(tzid, (time_t)p->instant, &chk) < 0)
			return WHEN_BAD_DATE;
		if (p->instant < (long long)now)
			return WHEN_PAST;
		*out = (time_t)p->instant;
		return WHEN_OK;
	}
	long long today = tz_days_from_civil(ln.year, ln.mon, ln.day), day = today;
	long long lnow = lsecs(today, ln.hour, ln.min, ln.sec);
	int keep = p->rel_keep && !p->have_time;
	int h = p->have_time ? p->hh : keep ? ln.hour : default_hour;
	int mi = p->have_time ? p->mi : keep ? ln.min : 0;
	int ss = p->have_time ? p->ss : keep ? ln.sec : 0;
	if (p->have_date && p->y) {
		day = tz_days_from_civil(p->y, p->m, p->d);
		if (p->wday >= 0 && tz_weekday(p->y, p->m, p->d) != p->wday)
			return WHEN_BAD_DATE;
	} else if (p->have_date) {  /* no year: the next time it comes */
		int y = ln.year, found = 0;
		for (; y <= ln.year + 8; y++) {
			int d = p->month_end ? tz_days_in_month(y, p->m) : p->d;
			if (d > tz_days_in_month(y, p->m))
				continue;
			day = tz_days_from_civil(y, p->m, d);
			if (lsecs(day, h, mi, ss) >= lnow) {
				found = 1;
				break;
			}
		}
		if (!found || (p->wday >= 0 && tz_weekday(y, p->m, p->d) != p->wday
			       && !p->month_end))
			return WHEN_BAD_DATE;
	} else if (p->have_rel && p->rel_months) {
		long long mm = (long long)ln.year * 12 + (ln.mon - 1) + p->rel_months;
		int y = (int)(mm / 12), m = (int)(mm % 12) + 1;
		int d = ln.day > tz_days_in_month(y, m) ? tz_days_in_month(y, m) : ln.day;
		day = tz_days_from_civil(y, m, d);
	} else if (p->have_rel) {
		day = today + p->rel_days;
	} else if (p->wday >= 0 && p->this_week) {
		day = today - (ln.wday + 6) % 7 + (p->wday + 6) % 7;
	} else if (p->wday >= 0 && p->next_week) {
		day = today - (ln.wday + 6) % 7 + 7 + (p->wday + 6) % 7;
	} else if (p->wday >= 0) {
		int delta = (p->wday - ln.wday + 7) % 7;
		if (delta == 0 && (p->wday_next || lsecs(today, h, mi, ss) < lnow))
			delta = 7;
		day = today + delta;
	} else if (lsecs(today, h, mi, ss) < lnow) {  /* a time alone */
		day = today + 1;
	}
	tz_civil_from_days(day, &l.year, &l.mon, &l.day);
	l.hour = h, l.min = mi, l.sec = ss;
	rc = tz_to_utc(tzid, &l, out);
	if (rc == TZ_EGAP && keep && l.hour < 23) {
		l.hour++;  /* "over 1 dag" landing in the gap: just after it */
		rc = tz_to_utc(tzid, &l, out);
	}
	if (rc == TZ_EGAP)
		return WHEN_GAP;
	if (rc < 0)
		return rc == TZ_EZONE ? WHEN_BAD_ZONE : WHEN_BAD_DATE;
	return *out < now ? WHEN_PAST : WHEN_OK;
}

/* Read the date phrase at the start of text: lex and parse it, then place
 * it in time in tzid (see when.h for the readings). */
int when_parse(const char *text, time_t now, const char *tzid, enum wt_lang lang,
	       int default_hour, time_t *out, size_t *consumed)
{
	struct lex lx = { text ? text : "", text ? strlen(text) : 0, 0 };
	struct phrase p = { .wday = -1 };
	time_t t = 0;
	if (consumed)
		*consumed = 0;
	skip_ws(&lx);
	if (lx.i >= lx.n || lx.s[lx.i] == '\n' || lx.s[lx.i] == '\r')
		return WHEN_EMPTY;
	if (!tz_valid(tzid))
		return WHEN_BAD_ZONE;
	if (default_hour < 0 || default_hour > 23)
		default_hour = 9;
	int rc = parse_phrase(&lx, &p, lang, now);
	if (rc < 0)
		return rc;
	rc = resolve(&p, now, tzid, default_hour, &t);
	if (rc < 0)
		return rc;
	if (out)
		*out = t;
	if (consumed)
		*consumed = lx.i;
	return WHEN_OK;
}

/* Write t as "di 12 mrt 2027" (with_time adds " 19:30"), in tzid. */
static void format_in(struct strbuf *sb, time_t t, const char *tzid,
		      enum wt_lang lang, int with_time)
{
	struct tz_local l;
	if (tz_from_utc(tzid, t, &l) < 0 && tz_from_utc("UTC", t, &l) < 0) {
		sb_addf(sb, "@%lld", (long long)t);
		return;
	}
	sb_addf(sb, "%s %d %s %d", msg_text(lang, (enum msg_id)(M_DATE_WDAY_0 + l.wday)),
		l.day, msg_text(lang, (enum msg_id)(M_DATE_MON_1 + l.mon - 1)), l.year);
	if (with_time)
		sb_addf(sb, " %02d:%02d", l.hour, l.min);
}

/* "di 12 mrt 2027 19:30" / "Tue 12 Mar 2027 19:30". */
void when_format(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang)
{
	format_in(sb, t, tzid, lang, 1);
}

/* "di 12 mrt 2027" / "Tue 12 Mar 2027". */
void when_format_date(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang)
{
	format_in(sb, t, tzid, lang, 0);
}

void when_format_day_long(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang,
			  int default_hour)
{
	struct tz_local l;
	if (tz_from_utc(tzid, t, &l) < 0 && tz_from_utc("UTC", t, &l) < 0) {
		sb_addf(sb, "@%lld", (long long)t);
		return;
	}
	sb_addf(sb, "%s %d %s %d",
		msg_text(lang, (enum msg_id)(M_DATE_WDAY_LONG_0 + l.wday)), l.day,
		msg_text(lang, (enum msg_id)(M_DATE_MON_LONG_1 + l.mon - 1)), l.year);
	if (l.hour != default_hour || l.min != 0)
		sb_addf(sb, " %02d:%02d", l.hour, l.min);
}

/* The day written out, with the year when it is not the year of now, and
 * " om 09:00" when with_time. */
static void format_long(struct strbuf *sb, time_t t, time_t now, const char *tzid,
			enum wt_lang lang, int with_time)
{
	struct tz_local l, n;
	if (tz_from_utc(tzid, t, &l) < 0 && tz_from_utc(tzid = "UTC", t, &l) < 0) {
		sb_addf(sb, "@%lld", (long long)t);
		return;
	}
	sb_addf(sb, "%s %d %s", msg_text(lang, (enum msg_id)(M_DATE_WDAY_LONG_0 + l.wday)), l.day,
		msg_text(lang, (enum msg_id)(M_DATE_MON_LONG_1 + l.mon - 1)));
	if (now == 0 || tz_from_utc(tzid, now, &n) < 0 || n.year != l.year)
		sb_addf(sb, " %d", l.year);
	if (with_time)
		sb_addf(sb, msg_text(lang, M_DATE_AT_TIME), l.hour, l.min);
}

void when_format_long(struct strbuf *sb, time_t t, time_t now, const char *tzid,
		      enum wt_lang lang)
{
	format_long(sb, t, now, tzid, lang, 1);
}

void when_format_long_day(struct strbuf *sb, time_t t, time_t now, const char *tzid,
			  enum wt_lang lang)
{
	format_long(sb, t, now, tzid, lang, 0);
}

/* The catalogue text for a when_parse error: what was wrong, with examples. */
const char *when_error_text(enum wt_lang lang, int err)
{
	switch (err) {
	case WHEN_EMPTY: return msg_text(lang, M_WHEN_EMPTY);
	case WHEN_BAD_DATE: return msg_text(lang, M_WHEN_BAD_DATE);
	case WHEN_PAST: return msg_text(lang, M_WHEN_PAST);
	case WHEN_AMBIGUOUS: return msg_text(lang, M_WHEN_AMBIGUOUS);
	case WHEN_GAP: return msg_text(lang, M_WHEN_GAP);
	case WHEN_BAD_ZONE: return msg_text(lang, M_WHEN_BAD_ZONE);
	case WHEN_TOO_FAR: return msg_text(lang, M_WHEN_TOO_FAR);
	case WHEN_PERIOD: return msg_text(lang, M_WHEN_PERIOD);
	default: return msg_text(lang, M_WHEN_UNKNOWN);
	}
}

/* The catalogue text showing how to write a duration. */
const char *when_duration_error_text(enum wt_lang lang)
{
	return msg_text(lang, M_WHEN_DURATION);
}
