/* when_place: a phrase read by the date grammar (handlers/when.c) placed in
 * time: the day it means from now in the reader's zone, its time of day,
 * the instant in UTC; the rules are in handlers/when.h. */
#include "handlers/when.h"

#include "handlers/when_lex.h"
#include "lib/tz.h"

/* Local date-time as seconds on one scale, for "is it still to come". */
static long long lsecs(long long day, int h, int m, int s)
{
	return day * 86400LL + h * 3600LL + m * 60LL + s;
}

/* The year of a date given without one: with WHEN_PAST_OK the one nearest
 * to today (before or after), else the next time it comes (from the local
 * instant lnow on, at h:mi:ss). 0 when none fits (29 February for years). */
static int year_for(const struct phrase *p, const struct tz_local *ln, long long today,
		    long long lnow, int h, int mi, int ss, unsigned flags)
{
	int best = 0;
	long long best_dist = 0;
	for (int y = ln->year - 1; y <= ln->year + 8; y++) {
		int d = p->month_end ? tz_days_in_month(y, p->m) : p->d;
		if (d > tz_days_in_month(y, p->m))
			continue;
		long long day = tz_days_from_civil(y, p->m, d);
		if (flags & WHEN_PAST_OK) {
			long long dist = day > today ? day - today : today - day;
			if (!best || dist < best_dist)
				best = y, best_dist = dist;
		} else if (y >= ln->year && lsecs(day, h, mi, ss) >= lnow) {
			return y;
		}
	}
	return best;
}

/* What the day-picking needs of the reader's now. */
struct place_now {
	struct tz_local ln;  /* now in the reader's zone */
	long long today;     /* its day */
	long long lnow;      /* from when a phrase is "still to come" */
	int h, mi, ss;       /* the time of day the phrase ends up at */
};

/* Mark a day that cannot be; 0 stands in for it. */
static long long bad_day(int *bad)
{
	*bad = 1;
	return 0;
}

/* The day a phrase without an exact instant means (see when.h): the day
 * itself, without the checks of pick_day. *bad is set for a day that cannot
 * be ("dinsdag 12 maart" where the 12th is no Tuesday). */
static long long day_of_phrase(const struct phrase *p, const struct place_now *n,
			       unsigned flags, int *bad)
{
	const struct tz_local *ln = &n->ln;
	long long today = n->today;
	if (p->have_date && p->y) {
		if (p->wday >= 0 && tz_weekday(p->y, p->m, p->d) != p->wday)
			return bad_day(bad);
		return tz_days_from_civil(p->y, p->m, p->d);
	}
	if (p->have_date) {  /* no year */
		int y = year_for(p, ln, today, n->lnow, n->h, n->mi, n->ss, flags);
		if (!y)
			return bad_day(bad);
		int d = p->month_end ? tz_days_in_month(y, p->m) : p->d;
		if (p->wday >= 0 && tz_weekday(y, p->m, d) != p->wday && !p->month_end)
			return bad_day(bad);
		return tz_days_from_civil(y, p->m, d);
	}
	if (p->have_rel && p->rel_months) {
		long long mm = (long long)ln->year * 12 + (ln->mon - 1) + p->rel_months;
		int y = (int)(mm / 12), m = (int)(mm % 12) + 1;
		int d = ln->day > tz_days_in_month(y, m) ? tz_days_in_month(y, m) : ln->day;
		return tz_days_from_civil(y, m, d);
	}
	if (p->have_rel)
		return today + p->rel_days;
	if (p->wday >= 0 && p->this_week)
		return today - (ln->wday + 6) % 7 + (p->wday + 6) % 7;
	if (p->wday >= 0 && p->next_week)
		return today - (ln->wday + 6) % 7 + 7 + (p->wday + 6) % 7;
	int later = lsecs(today, n->h, n->mi, n->ss) < n->lnow;
	if (p->wday >= 0) {
		int delta = (p->wday - ln->wday + 7) % 7;
		if (delta == 0 && (p->wday_next || later))
			delta = 7;
		return today + delta;
	}
	return later ? today + 1 : today;  /* a time alone: today or tomorrow */
}

/* The day of a phrase into *day: WHEN_OK, or WHEN_BAD_DATE for none. */
static int pick_day(const struct phrase *p, const struct place_now *n, unsigned flags,
		    long long *day)
{
	int bad = 0;
	*day = day_of_phrase(p, n, flags, &bad);
	return bad ? WHEN_BAD_DATE : WHEN_OK;
}

/* Fill in what a phrase leaves to now: "deze/volgende maand", "dit jaar",
 * the last day of a month; refuse what cannot be. */
static int settle(struct phrase *p, const struct tz_local *ln, unsigned flags)
{
	if ((flags & WHEN_DAY) && (p->have_time || p->have_instant || p->part_hour >= 0 ||
				   p->rel_secs))
		return WHEN_NOT_DAY;
	if (p->rel_secs && p->have_time)
		return WHEN_UNKNOWN;  /* "over 1 dag en 2 uur 14:00" */
	if (p->have_time && p->part_hour >= PART_AFTERNOON && p->hh >= 1 && p->hh < 12)
		p->hh += 12;  /* "vanmiddag 3 uur", "morgenavond 8 uur" */
	if (p->rel_month) {  /* "eind deze maand", "begin volgende maand" */
		long long mm = (long long)ln->year * 12 + (ln->mon - 1) + p->rel_month - 1;
		p->y = (int)(mm / 12);
		p->m = (int)(mm % 12) + 1;
	}
	if (p->rel_year)
		p->y = ln->year + p->rel_year - 1;
	if (p->month_end && p->y)
		p->d = tz_days_in_month(p->y, p->m);
	return WHEN_OK;
}

int when_place(const struct phrase *pp, const struct when_in *in, struct when_out *o)
{
	struct place_now n;
	int rc = tz_from_utc(in->tzid, in->now, &n.ln);
	if (rc < 0)
		return rc == TZ_EZONE ? WHEN_BAD_ZONE : WHEN_BAD_DATE;
	struct phrase q = *pp, *p = &q;
	int day_only = (in->flags & WHEN_DAY) != 0, past_ok = (in->flags & WHEN_PAST_OK) != 0;
	if ((rc = settle(p, &n.ln, in->flags)) != WHEN_OK)
		return rc;
	if (p->have_instant) {
		struct tz_local chk;
		if (p->instant < 0 || tz_from_utc(in->tzid, (time_t)p->instant, &chk) < 0)
			return WHEN_BAD_DATE;
		if (p->instant < (long long)in->now && !past_ok)
			return WHEN_PAST;
		o->at = (time_t)p->instant;
		o->day = (long)tz_days_from_civil(chk.year, chk.mon, chk.day);
		return WHEN_OK;
	}
	const struct tz_local *ln = &n.ln;
	n.today = tz_days_from_civil(ln->year, ln->mon, ln->day);
	/* A day is still to come from the start of today, a time from now. */
	n.lnow = day_only ? lsecs(n.today, 0, 0, 0) : lsecs(n.today, ln->hour, ln->min, ln->sec);
	int keep = p->rel_keep && !p->have_time && !day_only;
	int end_hour = in->end_hour > 0 && in->end_hour < 24 ? in->end_hour : in->default_hour;
	n.h = p->have_time ? p->hh : p->part_hour >= 0 ? p->part_hour : keep ? ln->hour
		: p->end_of_period ? end_hour : in->default_hour;
	n.mi = p->have_time ? p->mi : keep ? ln->min : 0;
	n.ss = p->have_time ? p->ss : keep ? ln->sec : 0;
	long long day;
	if ((rc = pick_day(p, &n, in->flags, &day)) != WHEN_OK)
		return rc;
	if (p->end_of_period) {  /* "eind januari", "eind deze week": its last working day */
		day = when_workday_back(day);
		o->period_end = 1;
	}
	struct tz_local l;
	tz_civil_from_days(day, &l.year, &l.mon, &l.day);
	l.hour = n.h, l.min = n.mi, l.sec = n.ss;
	rc = tz_to_utc(in->tzid, &l, &o->at);
	if (rc == TZ_EGAP && (keep || !p->have_time) && l.hour < 23) {
		l.hour++;  /* "over 1 dag" or a day landing in the gap: just after it */
		rc = tz_to_utc(in->tzid, &l, &o->at);
	}
	if (rc == TZ_EGAP)
		return WHEN_GAP;
	if (rc < 0)
		return rc == TZ_EZONE ? WHEN_BAD_ZONE : WHEN_BAD_DATE;
	o->day = (long)day;
	o->at += p->rel_secs;
	if (past_ok)
		return WHEN_OK;
	if (day_only)
		return day < n.today ? WHEN_PAST : WHEN_OK;
	return o->at < in->now ? WHEN_PAST : WHEN_OK;
}
