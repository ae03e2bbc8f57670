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

/* Place the phrase in time: pick the day, the time of day, convert. A day
 * (WHEN_DAY) is compared with today by the day, not by the clock. */
int when_place(const struct phrase *pp, const struct when_in *in, struct when_out *o)
{
	struct tz_local ln, l;
	int rc = tz_from_utc(in->tzid, in->now, &ln);
	if (rc < 0)
		return rc == TZ_EZONE ? WHEN_BAD_ZONE : WHEN_BAD_DATE;
	struct phrase q = *pp, *p = &q;
	int day_only = (in->flags & WHEN_DAY) != 0, past_ok = (in->flags & WHEN_PAST_OK) != 0;
	if (day_only && (p->have_time || p->have_instant || p->part_hour >= 0 || p->rel_secs))
		return WHEN_NOT_DAY;
	if (p->rel_secs && p->have_time)
		return WHEN_UNKNOWN;  /* "over 1 dag en 2 uur 14:00" */
	if (p->have_time && p->part_hour >= PART_AFTERNOON && p->hh >= 1 && p->hh < 12)
		p->hh += 12;  /* "vanmiddag 3 uur", "morgenavond 8 uur" */
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
		if (p->instant < 0 || tz_from_utc(in->tzid, (time_t)p->instant, &chk) < 0)
			return WHEN_BAD_DATE;
		if (p->instant < (long long)in->now && !past_ok)
			return WHEN_PAST;
		o->at = (time_t)p->instant;
		o->day = (long)tz_days_from_civil(chk.year, chk.mon, chk.day);
		return WHEN_OK;
	}
	long long today = tz_days_from_civil(ln.year, ln.mon, ln.day), day = today;
	/* The instant from which a phrase is "still to come": a day from the
	 * start of today, a time from now. */
	long long lnow = day_only ? lsecs(today, 0, 0, 0) : lsecs(today, ln.hour, ln.min, ln.sec);
	int keep = p->rel_keep && !p->have_time && !day_only;
	int end_hour = in->end_hour > 0 && in->end_hour < 24 ? in->end_hour : in->default_hour;
	int h = p->have_time ? p->hh : p->part_hour >= 0 ? p->part_hour : keep ? ln.hour
		: p->end_of_period ? end_hour : in->default_hour;
	int mi = p->have_time ? p->mi : keep ? ln.min : 0;
	int ss = p->have_time ? p->ss : keep ? ln.sec : 0;
	if (p->have_date && p->y) {
		day = tz_days_from_civil(p->y, p->m, p->d);
		if (p->wday >= 0 && tz_weekday(p->y, p->m, p->d) != p->wday)
			return WHEN_BAD_DATE;
	} else if (p->have_date) {  /* no year */
		int y = year_for(p, &ln, today, lnow, h, mi, ss, in->flags);
		if (!y)
			return WHEN_BAD_DATE;
		int d = p->month_end ? tz_days_in_month(y, p->m) : p->d;
		day = tz_days_from_civil(y, p->m, d);
		if (p->wday >= 0 && tz_weekday(y, p->m, d) != p->wday && !p->month_end)
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
	if (p->end_of_period) {  /* "eind januari", "eind deze week": its last working day */
		while ((day + 4) % 7 == 0 || (day + 4) % 7 == 6)
			day--;
		o->period_end = 1;
	}
	tz_civil_from_days(day, &l.year, &l.mon, &l.day);
	l.hour = h, l.min = mi, l.sec = ss;
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
		return day < today ? WHEN_PAST : WHEN_OK;
	return o->at < in->now ? WHEN_PAST : WHEN_OK;
}
