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

/* "14u", "9h", "14u30", "14h30": the hour with its unit attached, after
 * the hour's digits. 1 read (*mi set, *has_min when minutes came), 0 none
 * (position kept), WHEN_BAD_DATE for "14u3" (no time, and no text either). */
static int attached_unit(struct lex *lx, long *mi, int *has_min)
{
	int c = peek(lx, 0), nd = 0;
	if (c != 'u' && c != 'h' && c != 'U' && c != 'H')
		return 0;
	size_t at = lx->i++;
	if (at_boundary(lx))
		return 1;
	if (lex_number(lx, mi, &nd) && nd == 2 && at_boundary(lx))
		return *has_min = 1;
	if (is_digit(peek(lx, 0)) || nd)
		return WHEN_BAD_DATE;
	lx->i = at;
	return 0;
}

/* ":30" or ".30", and ":15" seconds after the hour. 1 read, 0 none
 * (position kept: "12.03.2027" is a date), or WHEN_BAD_DATE ("9:5"). */
static int minutes_after(struct lex *lx, long *mi, long *ss)
{
	int sep = peek(lx, 0), nd;
	if ((sep != ':' && sep != '.') || !is_digit(peek(lx, 1)))
		return 0;
	size_t at = lx->i++;
	lex_number(lx, mi, &nd);
	if (sep == '.' && (nd != 2 || peek(lx, 0) == '.' || peek(lx, 0) == '-')) {
		lx->i = at;  /* a dotted date, not a time */
		return 0;
	}
	if (nd != 2)
		return WHEN_BAD_DATE;
	if (sep == ':' && peek(lx, 0) == ':') {
		lx->i++;
		if (!lex_number(lx, ss, &nd) || nd != 2)
			return WHEN_BAD_DATE;
	}
	return 1;
}

/* "am" (1) or "pm" (2) after a time, attached or not; 0 none (position
 * kept). */
static int ampm_word(struct lex *lx)
{
	size_t at = lx->i;
	skip_ws(lx);
	if (lex_word_is(lx, "am"))
		return 1;
	if (lex_word_is(lx, "pm"))
		return 2;
	lx->i = at;
	return 0;
}

/* "uur" (or "u" after minutes: "14.30 u") after a time; 0 none (position
 * kept). */
static int uur_word(struct lex *lx, int has_min)
{
	size_t at = lx->i;
	skip_ws(lx);
	if (lex_word_is(lx, "uur") || (has_min && lex_word_is(lx, "u")))
		return 1;
	lx->i = at;
	return 0;
}

/* A time of day: 14:00, 9:30:15, 14.00, 14u, 14u30, 9am, 9:30 pm, 9 uur, om
 * 9, at 19:30, om 2 uur 's middags. 1 matched, 0 not, or an error. */
static int parse_time(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	long h, mi = 0, ss = 0;
	int nd, has_min = 0, ampm = 0, uur = 0, prefixed = 0, r;
	if (peek(lx, 0) == ',')  /* "morgen, 9:00" */
		lx->i++;
	skip_ws(lx);
	if (lex_word_is(lx, "om") || lex_word_is(lx, "at") || lex_word_is(lx, "rond")) {
		prefixed = 1;
		skip_ws(lx);
	}
	if (!lex_number(lx, &h, &nd))
		goto nomatch;
	if (nd <= 2 && (r = attached_unit(lx, &mi, &has_min)) != 0) {
		if (r < 0)
			return r;
		uur = 1;
	} else {
		if ((r = minutes_after(lx, &mi, &ss)) < 0)
			return r;
		has_min = r;
		if (!at_boundary(lx) || peek(lx, 0) == ' ')
			ampm = ampm_word(lx);
		if (!at_boundary(lx) && !has_min)
			goto nomatch;
		uur = uur_word(lx, has_min);
		if (!has_min && !ampm && !uur && !prefixed)
			goto nomatch;
		if (!at_boundary(lx))
			return WHEN_BAD_DATE;
	}
	if (!ampm && (r = when_time_part(lx, &h)) < 0)  /* "om 2 uur 's middags" */
		return r;
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
		when_opt_part(lx, p);
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
				when_opt_part(lx, p);
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
	if (when_opt_part(lx, p) || next)
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

/* A unit's size, to keep the parts of "over 1 dag en 2 uur" falling. */
static long long unit_size(int unit)
{
	return unit == UNIT_MONTH ? 31LL * UNIT_DAY : unit;
}

/* One count and unit ("2 uur", "een kwartier", "anderhalf uur"): 1 read,
 * 0 not (position kept). */
static int rel_part(struct lex *lx, long *n, long *milli, int *unit)
{
	size_t save = lx->i;
	skip_ws(lx);
	if (lex_count(lx, n, milli)) {
		skip_ws(lx);
		if (lex_word_in(lx, when_units, unit) && at_boundary(lx))
			return 1;
	}
	lx->i = save;
	return 0;
}

/* "over N minuten/uur/dagen/weken/maanden", "in N minutes/hours/days/...",
 * in parts: "over 1 dag en 2 uur", "in 1 hour and 30 minutes", "over 2
 * uur 15 minuten". Days, weeks and months are calendar units (the time of
 * now kept), seconds to hours exact time on top. */
static int parse_relative(struct lex *lx, struct phrase *p, time_t now)
{
	size_t save = lx->i;
	long n, milli;
	int unit;
	skip_ws(lx);
	if (!lex_word_is(lx, "over") && !lex_word_is(lx, "in"))
		goto nomatch;
	long long secs = 0, days = 0, months = 0, last = 0;
	int parts = 0;
	for (;;) {
		size_t before = lx->i;
		if (parts) {  /* "en", "and", "," or nothing between the parts */
			skip_ws(lx);
			if (peek(lx, 0) == ',')
				lx->i++;
			else if (!lex_word_is(lx, "en") && !lex_word_is(lx, "and"))
				lx->i = before;
		}
		if (!rel_part(lx, &n, &milli, &unit) || (last && unit_size(unit) >= last)) {
			lx->i = before;
			break;
		}
		int exact = unit == UNIT_SEC || unit == UNIT_MIN || unit == UNIT_QUARTER ||
			    unit == UNIT_HOUR;
		if (milli && !exact) {
			lx->i = before;
			if (!parts)
				goto nomatch;  /* "over 1,5 dag": say it in hours */
			break;
		}
		if (n > REL_MAX)
			return WHEN_TOO_FAR;
		if (exact)
			secs += n * (long long)unit + milli * (long long)unit / 1000;
		else if (unit == UNIT_MONTH)
			months += n;
		else
			days += n * (unit / UNIT_DAY);
		last = unit_size(unit);
		parts++;
	}
	if (!parts)
		goto nomatch;
	if (days > REL_MAX || months > REL_MAX)
		return WHEN_TOO_FAR;
	if (secs == 0 && days == 0 && months == 0)
		return WHEN_PAST;  /* "over 0 minuten" is now: no time to come */
	if (!days && !months) {
		p->have_instant = 1;
		p->instant = (long long)now + secs;
	} else {
		p->have_rel = 1;
		p->rel_keep = 1;
		p->rel_months = (long)months;
		p->rel_days = (long)days;
		p->rel_secs = secs;
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
	if ((r = when_parse_period(lx, p)) != 0 || (r = when_parse_partday(lx, p)) != 0 ||
	    (r = parse_weekday(lx, p, lang)) != 0 || (r = parse_relword(lx, p)) != 0 ||
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

/* A duration at the position (WHEN_DURATION). */
static int read_duration(struct lex *lx, struct when_out *o)
{
	long secs = lex_duration(lx);
	if (secs < 0)
		return WHEN_BAD_DURATION;
	o->secs = secs;
	return WHEN_OK;
}

/* Read the date phrase at the start of text: lex and parse it, then place
 * it in time in in->tzid (see when.h for the readings and the flags). */
int when_read(const char *text, const struct when_in *in, struct when_out *out)
{
	struct lex lx = { text ? text : "", text ? strlen(text) : 0, 0 };
	struct phrase p = { .wday = -1, .part_hour = -1 };
	struct when_out o = { 0 };
	struct when_in i = *in;
	if (out)
		*out = o;
	skip_ws(&lx);
	if (lx.i >= lx.n || lx.s[lx.i] == '\n' || lx.s[lx.i] == '\r')
		return i.flags & WHEN_DURATION ? WHEN_BAD_DURATION : WHEN_EMPTY;
	int rc;
	if (i.flags & WHEN_DURATION) {
		rc = read_duration(&lx, &o);
	} else {
		if (!tz_valid(i.tzid))
			return WHEN_BAD_ZONE;
		if (i.default_hour < 0 || i.default_hour > 23)
			i.default_hour = 9;
		rc = parse_phrase(&lx, &p, i.lang, i.now);
		if (rc >= 0)
			rc = when_place(&p, &i, &o);
	}
	if (rc < 0)
		return rc;
	/* A phrase ends where a word ends: "1h3x" is no duration, "14u30x" no
	 * time, whatever the part before it would have read as. */
	if (lx.i > 0 && lx.i < lx.n && !at_boundary(&lx) &&
	    (is_digit((unsigned char)lx.s[lx.i - 1]) || is_alpha((unsigned char)lx.s[lx.i - 1])))
		return i.flags & WHEN_DURATION ? WHEN_BAD_DURATION : WHEN_UNKNOWN;
	o.used = lx.i;
	if (out)
		*out = o;
	return WHEN_OK;
}

int when_read_time(const char *text, int *hour, int *min, size_t *used)
{
	struct lex lx = { text ? text : "", text ? strlen(text) : 0, 0 };
	struct phrase p = { .wday = -1 };
	*used = 0;
	int rc = parse_time(&lx, &p);
	if (rc <= 0)
		return rc;
	*hour = p.hh;
	*min = p.mi;
	*used = lx.i;
	return 1;
}

