/* recur: recurrence phrases to RRULEs, evaluated with libical in a zone. */
#include "handlers/recur.h"

#include <ctype.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/catalog.h"
#include "handlers/when.h"
#include "lib/tz.h"

/* Longest a search for the next occurrence may iterate (about 270 years of
 * daily occurrences): a rule that yields nothing in that time never will. */
#define MAX_STEPS 100000
/* How far ahead recur_first looks before calling a rule "never". */
#define NEVER_HORIZON (10LL * 366 * 86400)

static const char *const byday[7] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA" };

/* Weekday names, 0 = Sunday: Dutch, English and short forms. */
static const char *const day_words[7][6] = {
	{ "zondag", "sunday", "zo", "sun", "zondagen", "sundays" },
	{ "maandag", "monday", "ma", "mon", "maandagen", "mondays" },
	{ "dinsdag", "tuesday", "di", "tue", "dinsdagen", "tuesdays" },
	{ "woensdag", "wednesday", "wo", "wed", "woensdagen", "wednesdays" },
	{ "donderdag", "thursday", "do", "thu", "donderdagen", "thursdays" },
	{ "vrijdag", "friday", "vr", "fri", "vrijdagen", "fridays" },
	{ "zaterdag", "saturday", "za", "sat", "zaterdagen", "saturdays" },
};

/* Ordinals: 1..4, -1 = last; "other" means every second. */
static const struct { const char *w; int n; } ordinals[] = {
	{ "eerste", 1 }, { "first", 1 }, { "1e", 1 }, { "1st", 1 },
	{ "tweede", 2 }, { "second", 2 }, { "2e", 2 }, { "2nd", 2 }, { "other", 2 },
	{ "derde", 3 }, { "third", 3 }, { "3e", 3 }, { "3rd", 3 },
	{ "vierde", 4 }, { "fourth", 4 }, { "4e", 4 }, { "4th", 4 },
	{ "laatste", -1 }, { "last", -1 },
};

/* Period units with their FREQ. */
static const struct { const char *w; const char *freq; } units[] = {
	{ "dag", "DAILY" }, { "dagen", "DAILY" }, { "day", "DAILY" }, { "days", "DAILY" },
	{ "week", "WEEKLY" }, { "weken", "WEEKLY" }, { "weeks", "WEEKLY" },
	{ "maand", "MONTHLY" }, { "maanden", "MONTHLY" }, { "month", "MONTHLY" },
	{ "months", "MONTHLY" }, { "jaar", "YEARLY" }, { "jaren", "YEARLY" },
	{ "year", "YEARLY" }, { "years", "YEARLY" },
};

/* Copy the next word of p (letters, digits) lowercased into w; returns its
 * end. */
static const char *word_at(const char *p, char *w, size_t cap)
{
	size_t n = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	while (isalnum((unsigned char)*p) && n + 1 < cap)
		w[n++] = (char)tolower((unsigned char)*p++);
	w[n] = '\0';
	while (isalnum((unsigned char)*p))
		p++;
	return p;
}

/* Weekday of a word (0 = Sunday), or -1. */
static int day_of(const char *w)
{
	for (int d = 0; d < 7; d++)
		for (int k = 0; k < 6; k++)
			if (strcmp(w, day_words[d][k]) == 0)
				return d;
	return -1;
}

/* 1..4 or -1 (last) for an ordinal word, else 0. */
static int ordinal_of(const char *w)
{
	for (size_t i = 0; i < sizeof ordinals / sizeof ordinals[0]; i++)
		if (strcmp(w, ordinals[i].w) == 0)
			return ordinals[i].n;
	return 0;
}

/* The FREQ of a period word, or NULL. */
static const char *unit_of(const char *w)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(w, units[i].w) == 0)
			return units[i].freq;
	return NULL;
}

/* An optional time of day after the period ("9:00", "19.30", "om 9:00",
 * "at 8:30", "9u", "14u30"), read as every date phrase reads one
 * (when_read_time). Sets hour/min and returns the end, p unchanged when
 * there is none, or NULL for a time that does not exist ("25:00"). */
static const char *time_at(const char *p, int *hour, int *min)
{
	size_t used;
	int rc = when_read_time(p, hour, min, &used);
	if (rc < 0)
		return NULL;
	return rc ? p + used : p;
}

/* Number of entries of a libical BY* array (it ends at ARRAY_MAX). */
static int by_count(const short *v, int size)
{
	int n = 0;
	while (n < size && v[n] != ICAL_RECURRENCE_ARRAY_MAX)
		n++;
	return n;
}

/* 1 when some month of r (all when it names none) has day d (1..31 or
 * -31..-1; February counted with 29 days). */
static int month_has_day(const struct icalrecurrencetype *r, int d)
{
	static const int mdays[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int nm = by_count(r->by_month, ICAL_BY_MONTH_SIZE);
	int ad = d < 0 ? -d : d;
	if (ad < 1 || ad > 31)
		return 0;
	if (!nm)
		return 1;
	for (int i = 0; i < nm; i++) {
		int m = icalrecurrencetype_month_month(r->by_month[i]);
		if (m >= 1 && m <= 12 && ad <= mdays[m])
			return 1;
	}
	return 0;
}

/* A raw rule of the parts the phrases make: daily to yearly, BYDAY,
 * BYMONTHDAY, BYMONTH (real months). libical's search for a first
 * occurrence of BYSETPOS beyond its set, or of hourly rules on days that
 * do not exist, takes seconds to minutes and would block the bot. */
static int raw_rule_supported(const struct icalrecurrencetype *r)
{
	if (r->freq != ICAL_DAILY_RECURRENCE && r->freq != ICAL_WEEKLY_RECURRENCE
	    && r->freq != ICAL_MONTHLY_RECURRENCE && r->freq != ICAL_YEARLY_RECURRENCE)
		return 0;
	if (by_count(r->by_set_pos, ICAL_BY_SETPOS_SIZE) || by_count(r->by_year_day, ICAL_BY_YEARDAY_SIZE)
	    || by_count(r->by_week_no, ICAL_BY_WEEKNO_SIZE) || by_count(r->by_hour, ICAL_BY_HOUR_SIZE)
	    || by_count(r->by_minute, ICAL_BY_MINUTE_SIZE) || by_count(r->by_second, ICAL_BY_SECOND_SIZE))
		return 0;
	int nm = by_count(r->by_month, ICAL_BY_MONTH_SIZE);
	for (int i = 0; i < nm; i++) {
		int m = icalrecurrencetype_month_month(r->by_month[i]);
		if (m < 1 || m > 12 || icalrecurrencetype_month_is_leap(r->by_month[i]))
			return 0;
	}
	return 1;
}

/* 0 when r plainly never occurs: a BYMONTHDAY no BYMONTH month has, a
 * BYDAY position beyond the period (6TU in a month), a position with a
 * BYMONTHDAY. libical searches for the first occurrence of such a rule
 * for seconds to minutes (FREQ=MONTHLY;BYDAY=6TU, FREQ=HOURLY;BYMONTH=2;
 * BYMONTHDAY=30); recur_next answers RECUR_NEVER at once instead. */
static int rule_can_occur(const struct icalrecurrencetype *r)
{
	int nmd = by_count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);
	int nm = by_count(r->by_month, ICAL_BY_MONTH_SIZE);
	int any_day = !nmd;
	for (int i = 0; i < nmd; i++)
		any_day |= month_has_day(r, r->by_month_day[i]);
	if (!any_day)
		return 0;
	int monthly = r->freq == ICAL_MONTHLY_RECURRENCE || (r->freq == ICAL_YEARLY_RECURRENCE && nm);
	int max_pos = monthly ? 5 : r->freq == ICAL_YEARLY_RECURRENCE ? 53 : 0;
	int nd = by_count(r->by_day, ICAL_BY_DAY_SIZE);
	for (int i = 0; i < nd; i++) {
		int pos = icalrecurrencetype_day_position(r->by_day[i]);
		if (pos < -max_pos || pos > max_pos || (pos && nmd))
			return 0;
	}
	return 1;
}

/* Read "elke|every [N|ordinal] <period> [time]" or a raw FREQ= rule. */
int recur_parse(const char *text, struct recur *out, size_t *consumed)
{
	memset(out, 0, sizeof *out);
	out->hour = out->min = -1;
	const char *p = text;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "RRULE:", 6) == 0)
		p += 6;
	if (strncasecmp(p, "FREQ=", 5) == 0) {
		size_t n = strcspn(p, " \t\n");
		char *rule = xstrndup(p, n);
		struct icalrecurrencetype r = icalrecurrencetype_from_string(rule);
		if (!raw_rule_supported(&r)) {
			free(rule);
			return RECUR_BAD;
		}
		p = time_at(p + n, &out->hour, &out->min);
		if (!p) {
			free(rule);
			return RECUR_BAD;
		}
		out->rrule = rule;
		*consumed = (size_t)(p - text);
		return RECUR_OK;
	}
	char w[32];
	p = word_at(p, w, sizeof w);
	if (strcmp(w, "elke") && strcmp(w, "every") && strcmp(w, "iedere") && strcmp(w, "ieder"))
		return RECUR_NONE;
	int interval = 1, ord = 0;
	const char *q = word_at(p, w, sizeof w);
	if (isdigit((unsigned char)w[0]) && !ordinal_of(w)) {
		char *end;
		long n = strtol(w, &end, 10);
		if (*end || n < 1 || n > 99)
			return RECUR_BAD;
		interval = (int)n;
		p = q;
		q = word_at(p, w, sizeof w);
	} else if ((ord = ordinal_of(w)) != 0) {
		p = q;
		q = word_at(p, w, sizeof w);
	}
	struct strbuf rule = STRBUF_INIT;
	int d = day_of(w);
	const char *freq = unit_of(w);
	if (d >= 0) {
		if (ord && !(ord == 2 && interval == 1 && strcmp(w, "other") == 0)) {
			/* "elke tweede dinsdag": that weekday of every month. */
			sb_addf(&rule, "FREQ=MONTHLY;BYDAY=%d%s", ord, byday[d]);
			const char *r = q;
			char w2[16];
			r = word_at(r, w2, sizeof w2);
			if (strcmp(w2, "van") == 0 || strcmp(w2, "of") == 0) {
				r = word_at(r, w2, sizeof w2);
				if (strcmp(w2, "de") == 0 || strcmp(w2, "the") == 0)
					r = word_at(r, w2, sizeof w2);
				if (strcmp(w2, "maand") == 0 || strcmp(w2, "month") == 0)
					q = r;
			}
		} else if (interval > 1) {
			sb_addf(&rule, "FREQ=WEEKLY;INTERVAL=%d;BYDAY=%s", interval, byday[d]);
		} else {
			sb_addf(&rule, "FREQ=WEEKLY;BYDAY=%s", byday[d]);
		}
	} else if (!strcmp(w, "werkdag") || !strcmp(w, "werkdagen") || !strcmp(w, "weekdag")
		   || !strcmp(w, "weekday") || !strcmp(w, "weekdays") || !strcmp(w, "workday")) {
		sb_add(&rule, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
	} else if (freq) {
		int n = ord > 0 ? ord : interval;
		if (ord < 0) {
			sb_release(&rule);
			return RECUR_BAD;
		}
		if (n > 1)
			sb_addf(&rule, "FREQ=%s;INTERVAL=%d", freq, n);
		else
			sb_addf(&rule, "FREQ=%s", freq);
	} else {
		sb_release(&rule);
		return RECUR_BAD;
	}
	p = time_at(q, &out->hour, &out->min);
	if (!p) {
		sb_release(&rule);
		return RECUR_BAD;
	}
	out->rrule = sb_detach(&rule);
	*consumed = (size_t)(p - text);
	return RECUR_OK;
}

void recur_free(struct recur *r)
{
	free(r->rrule);
	r->rrule = NULL;
}

/* Local wall-clock fields as a floating libical time. */
static struct icaltimetype ical_of(const struct tz_local *l)
{
	struct icaltimetype t = icaltime_null_time();
	t.year = l->year;
	t.month = l->mon;
	t.day = l->day;
	t.hour = l->hour;
	t.minute = l->min;
	t.second = l->sec;
	t.is_date = 0;
	return t;
}

/* Local wall-clock time t in tz to UTC; a time in the spring-forward gap is
 * taken one hour later. */
static int local_to_utc(const char *tz, struct icaltimetype t, time_t *out)
{
	struct tz_local l = { t.year, t.month, t.day, t.hour, t.minute, t.second, 0 };
	int rc = tz_to_utc(tz, &l, out);
	if (rc == TZ_EGAP && l.hour > 0) {
		l.hour--;
		rc = tz_to_utc(tz, &l, out);
		*out += 3600;
	}
	return rc;
}

/* Iterate the rule on local wall-clock time from dtstart and convert each
 * occurrence to UTC in tz: that is what keeps 19:30 at 19:30 across DST. */
int recur_next(const char *rrule, const char *tz, time_t dtstart, time_t after,
	       time_t *out)
{
	if (!tz_valid(tz))
		return RECUR_BAD_ZONE;
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
	if (r.freq == ICAL_NO_RECURRENCE)
		return RECUR_BAD;
	if (!rule_can_occur(&r))
		return RECUR_NEVER;
	struct tz_local start;
	if (tz_from_utc(tz, dtstart, &start) != TZ_OK)
		return RECUR_BAD_ZONE;
	icalrecur_iterator *it = icalrecur_iterator_new(r, ical_of(&start));
	if (!it)
		return RECUR_NEVER;
	int rc = RECUR_NEVER;
	for (int i = 0; i < MAX_STEPS; i++) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t) || t.year > 2199)
			break;
		time_t u;
		if (local_to_utc(tz, t, &u) != TZ_OK)
			break;
		if (u > after) {
			*out = u;
			rc = RECUR_OK;
			break;
		}
	}
	icalrecur_iterator_free(it);
	return rc;
}

int recur_first(const struct recur *r, const char *tz, time_t now,
		int default_hour, time_t *dtstart, time_t *first)
{
	struct tz_local l;
	if (!tz_valid(tz) || tz_from_utc(tz, now, &l) != TZ_OK)
		return RECUR_BAD_ZONE;
	l.hour = r->hour >= 0 ? r->hour : default_hour;
	l.min = r->hour >= 0 ? r->min : 0;
	l.sec = 0;
	if (local_to_utc(tz, ical_of(&l), dtstart) != TZ_OK)
		return RECUR_BAD_ZONE;
	int rc = recur_next(r->rrule, tz, *dtstart, now, first);
	if (rc == RECUR_OK && *first - now > NEVER_HORIZON)
		return RECUR_NEVER;
	return rc;
}

void recur_describe(struct strbuf *sb, const char *rrule, enum wt_lang lang)
{
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
	int n = r.interval > 1 ? r.interval : 1;
	int nday = 0;
	while (nday < ICAL_BY_DAY_SIZE && r.by_day[nday] != ICAL_RECURRENCE_ARRAY_MAX)
		nday++;
	if (r.freq == ICAL_WEEKLY_RECURRENCE && nday == 5 && n == 1) {
		sb_add(sb, msg_text(lang, M_RECUR_WEEKDAYS));
		return;
	}
	if (nday == 1) {
		int dow = icalrecurrencetype_day_day_of_week(r.by_day[0]) - 1;
		int pos = icalrecurrencetype_day_position(r.by_day[0]);
		const char *dn = msg_text(lang, (enum msg_id)(M_DATE_WDAY_0 + (dow >= 0 && dow < 7 ? dow : 0)));
		if (r.freq == ICAL_MONTHLY_RECURRENCE && pos != 0) {
			enum msg_id o = pos < 0 ? M_RECUR_ORD_LAST
				: (enum msg_id)(M_RECUR_ORD_1 + (pos <= 4 ? pos - 1 : 3));
			sb_addf(sb, msg_text(lang, M_RECUR_MONTHLY_DAY), msg_text(lang, o), dn);
			return;
		}
		if (n > 1)
			sb_addf(sb, msg_text(lang, M_RECUR_WEEKLY_N_DAY), n, dn);
		else
			sb_addf(sb, msg_text(lang, M_RECUR_WEEKLY_DAY), dn);
		return;
	}
	enum msg_id one, many;
	switch (r.freq) {
	case ICAL_DAILY_RECURRENCE: one = M_RECUR_DAILY; many = M_RECUR_DAILY_N; break;
	case ICAL_WEEKLY_RECURRENCE: one = M_RECUR_WEEKLY; many = M_RECUR_WEEKLY_N; break;
	case ICAL_MONTHLY_RECURRENCE: one = M_RECUR_MONTHLY; many = M_RECUR_MONTHLY_N; break;
	case ICAL_YEARLY_RECURRENCE: one = M_RECUR_YEARLY; many = M_RECUR_YEARLY_N; break;
	default:
		sb_add(sb, rrule);
		return;
	}
	if (n > 1)
		sb_addf(sb, msg_text(lang, many), n);
	else
		sb_add(sb, msg_text(lang, one));
}

const char *recur_error_text(enum wt_lang lang, int err)
{
	switch (err) {
	case RECUR_NEVER: return msg_text(lang, M_RECUR_E_NEVER);
	case RECUR_BAD_ZONE: return msg_text(lang, M_RECUR_E_ZONE);
	default: return msg_text(lang, M_RECUR_E_BAD);
	}
}
