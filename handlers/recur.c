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
int recur_by_count(const short *v, int size)
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
	int nm = recur_by_count(r->by_month, ICAL_BY_MONTH_SIZE);
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
	if (recur_by_count(r->by_set_pos, ICAL_BY_SETPOS_SIZE) || recur_by_count(r->by_year_day, ICAL_BY_YEARDAY_SIZE)
	    || recur_by_count(r->by_week_no, ICAL_BY_WEEKNO_SIZE) || recur_by_count(r->by_hour, ICAL_BY_HOUR_SIZE)
	    || recur_by_count(r->by_minute, ICAL_BY_MINUTE_SIZE) || recur_by_count(r->by_second, ICAL_BY_SECOND_SIZE))
		return 0;
	/* BYMONTHDAY is not for a weekly rule (RFC 5545), and libical finds no
	 * day counted from a month's end in a daily one: it would step through
	 * a hundred thousand days (half a second) to say "never". */
	int nmd = recur_by_count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);
	for (int i = 0; i < nmd; i++)
		if (r->freq == ICAL_WEEKLY_RECURRENCE
		    || (r->freq == ICAL_DAILY_RECURRENCE && r->by_month_day[i] < 0))
			return 0;
	int nm = recur_by_count(r->by_month, ICAL_BY_MONTH_SIZE);
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
	int nmd = recur_by_count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);
	int nm = recur_by_count(r->by_month, ICAL_BY_MONTH_SIZE);
	int any_day = !nmd;
	for (int i = 0; i < nmd; i++)
		any_day |= month_has_day(r, r->by_month_day[i]);
	if (!any_day)
		return 0;
	int monthly = r->freq == ICAL_MONTHLY_RECURRENCE || (r->freq == ICAL_YEARLY_RECURRENCE && nm);
	int max_pos = monthly ? 5 : r->freq == ICAL_YEARLY_RECURRENCE ? 53 : 0;
	int nd = recur_by_count(r->by_day, ICAL_BY_DAY_SIZE);
	for (int i = 0; i < nd; i++) {
		int pos = icalrecurrencetype_day_position(r->by_day[i]);
		if (pos < -max_pos || pos > max_pos || (pos && nmd))
			return 0;
	}
	return 1;
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

/* 1 when w is "de" or "the". */
static int is_the(const char *w)
{
	return !strcmp(w, "de") || !strcmp(w, "the");
}

/* A day of the month written as "12e", "12de", "12ste", "12th", "1st",
 * "2nd", "3rd" or "12": 1..31, else 0. */
static int month_day_of(const char *w)
{
	char *end;
	long n = strtol(w, &end, 10);
	if (end == w || n < 1 || n > 31)
		return 0;
	static const char *const suffix[] = { "", "e", "de", "ste", "th", "st", "nd", "rd" };
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
		if (!strcmp(end, suffix[i]))
			return (int)n;
	return 0;
}

/* After a period: "op de 12e", "on the 12th", "op de tweede dinsdag", "on
 * the last friday", "op de laatste dag" (monthly), or "op dinsdag", "on
 * tuesdays" (weekly). Appends the BY part to rule and returns the end; p
 * unchanged when no "op"/"on" follows that starts such a part (the words
 * are then text), NULL when it starts one that is not right. */
static const char *on_part(const char *p, const char *freq, struct strbuf *rule, int *err)
{
	char w[32];
	const char *q = word_at(p, w, sizeof w);
	if (strcmp(w, "op") && strcmp(w, "on"))
		return p;
	const char *r = word_at(q, w, sizeof w);
	int d = day_of(w);
	if (d >= 0) {
		/* "om de 2 weken op dinsdag". */
		if (strcmp(freq, "WEEKLY")) {
			*err = RECUR_BAD_ON;
			return NULL;
		}
		sb_addf(rule, ";BYDAY=%s", byday[d]);
		return r;
	}
	if (!is_the(w))
		return p;
	r = word_at(r, w, sizeof w);
	int ord = ordinal_of(w), md = month_day_of(w);
	if (!ord && !md && !isdigit((unsigned char)w[0]))
		return p;   /* "op de zaak": text */
	if (!ord && !md) {
		*err = RECUR_BAD_ON;   /* "op de 40e" */
		return NULL;
	}
	if (strcmp(freq, "MONTHLY")) {
		*err = RECUR_BAD_ON;
		return NULL;
	}
	if (isdigit((unsigned char)w[0]) && md) {
		sb_addf(rule, ";BYMONTHDAY=%d", md);
		return r;
	}
	const char *t = word_at(r, w, sizeof w);
	d = day_of(w);
	if (d >= 0) {
		sb_addf(rule, ";BYDAY=%d%s", ord, byday[d]);
		r = t;
		/* "op de tweede dinsdag van de maand". */
		char w2[16];
		t = word_at(r, w2, sizeof w2);
		if (!strcmp(w2, "van") || !strcmp(w2, "of")) {
			t = word_at(t, w2, sizeof w2);
			if (is_the(w2))
				t = word_at(t, w2, sizeof w2);
			if (!strcmp(w2, "maand") || !strcmp(w2, "month"))
				r = t;
		}
		return r;
	}
	if (ord == -1 && (!strcmp(w, "dag") || !strcmp(w, "day"))) {
		sb_add(rule, ";BYMONTHDAY=-1");
		return t;
	}
	*err = RECUR_BAD_ON;
	return NULL;
}

/* The end of a rule: "tot [en met] 1 juli" / "until 1 July" (UNTIL: the
 * end of that day in tz) or "10 keer" / "10 times" (COUNT). Appends it to
 * rule and returns the end; p unchanged when none follows ("tot ziens" is
 * text), NULL with *err when it starts one that is not right. */
static const char *end_part(const char *p, const struct recur_in *in, struct strbuf *rule,
			    int *err)
{
	char w[32];
	const char *q = word_at(p, w, sizeof w);
	if (isdigit((unsigned char)w[0])) {
		char *e;
		long n = strtol(w, &e, 10);
		char w2[16];
		const char *r = word_at(q, w2, sizeof w2);
		if (*e || (strcmp(w2, "keer") && strcmp(w2, "maal") && strcmp(w2, "times")))
			return p;
		if (n < 1 || n > 999) {
			*err = RECUR_BAD_END;
			return NULL;
		}
		sb_addf(rule, ";COUNT=%ld", n);
		return r;
	}
	if (strcmp(w, "tot") && strcmp(w, "until") && strcmp(w, "till"))
		return p;
	const char *r = q;
	if (!strcmp(w, "tot")) {
		char w2[16], w3[16];
		const char *a = word_at(q, w2, sizeof w2);
		const char *b = word_at(a, w3, sizeof w3);
		if (!strcmp(w2, "en") && !strcmp(w3, "met"))
			r = b;
	}
	while (*r == ' ' || *r == '\t')
		r++;
	if (!when_starts_date(r))
		return p;
	if (!in || !in->tz) {
		*err = RECUR_BAD_END;
		return NULL;
	}
	struct when_in wi = { in->now, in->tz, in->lang, 0, WHEN_DAY, 0 };
	struct when_out wo;
	if (when_read(r, &wi, &wo) != WHEN_OK) {
		*err = RECUR_BAD_END;
		return NULL;
	}
	/* The end of that local day: the start of the next one, less a second. */
	struct tz_local l;
	time_t next;
	if (tz_from_utc("UTC", (time_t)(wo.day + 1) * 86400, &l) != TZ_OK) {
		*err = RECUR_BAD_END;
		return NULL;
	}
	l.hour = l.min = l.sec = 0;
	if (local_to_utc(in->tz, ical_of(&l), &next) != TZ_OK) {
		*err = RECUR_BAD_END;
		return NULL;
	}
	struct tz_local u;
	tz_from_utc("UTC", next - 1, &u);
	sb_addf(rule, ";UNTIL=%04d%02d%02dT%02d%02d%02dZ", u.year, u.mon, u.day, u.hour, u.min,
		u.sec);
	return r + wo.used;
}

/* Read "elke|every|om de [N|ordinal] <period> [op de ...] [time] [end]"
 * or a raw FREQ= rule. */
/* A raw "FREQ=..." rule (after an optional "RRULE:") and an optional time
 * of day: RECUR_OK (out filled, *end after it), RECUR_NONE when p is none,
 * RECUR_BAD for a rule we do not run. */
static int raw_rule(const char *p, struct recur *out, const char **end)
{
	if (strncasecmp(p, "RRULE:", 6) == 0)
		p += 6;
	if (strncasecmp(p, "FREQ=", 5) != 0)
		return RECUR_NONE;
	size_t n = strcspn(p, " \t\n");
	char *rule = xstrndup(p, n);
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rule);
	if (!raw_rule_supported(&r) || !(p = time_at(p + n, &out->hour, &out->min))) {
		free(rule);
		return RECUR_BAD;
	}
	out->rrule = rule;
	*end = p;
	return RECUR_OK;
}

/* The lead-in: "elke", "every", "iedere", "om de", then an interval ("2"),
 * "andere" or an ordinal ("tweede"). Returns the position of the period's
 * word (copied into w), or NULL with *err (RECUR_NONE: no recurrence). */
static const char *lead_in(const char *p, char *w, size_t cap, int *interval, int *ord,
			   int *err)
{
	p = word_at(p, w, cap);
	*err = RECUR_NONE;
	if (!strcmp(w, "om")) {
		/* "om de week", "om de 2 maanden"; "om 9:00" is a time. */
		p = word_at(p, w, cap);
		if (strcmp(w, "de"))
			return NULL;
	} else if (strcmp(w, "elke") && strcmp(w, "every") && strcmp(w, "iedere")
		   && strcmp(w, "ieder")) {
		return NULL;
	}
	*interval = 1;
	*ord = 0;
	const char *q = word_at(p, w, cap);
	if (isdigit((unsigned char)w[0]) && !ordinal_of(w)) {
		char *end;
		long n = strtol(w, &end, 10);
		*err = RECUR_BAD;
		if (*end || n < 1 || n > 99)
			return NULL;
		*interval = (int)n;
	} else if (!strcmp(w, "andere")) {
		*interval = 2;  /* "om de andere week" */
	} else if ((*ord = ordinal_of(w)) == 0) {
		return p;  /* the period's word is w itself */
	}
	word_at(q, w, cap);
	return q;
}

/* The period after the lead-in, its word w at p: a weekday ("dinsdag",
 * "tweede dinsdag [van de maand]"), "werkdag", or a unit ("maand") with an
 * "op ..." part. Writes the rule; returns the position after it, or NULL
 * with *err. */
static const char *period(const char *p, const char *w, int interval, int ord,
			  struct strbuf *rule, int *err)
{
	char word[32];
	const char *q = word_at(p, word, sizeof word);
	int d = day_of(w);
	const char *freq = unit_of(w);
	*err = RECUR_BAD;
	if (d >= 0 && ord && !(ord == 2 && interval == 1 && strcmp(w, "other") == 0)) {
		/* "elke tweede dinsdag": that weekday of every month. */
		sb_addf(rule, "FREQ=MONTHLY;BYDAY=%d%s", ord, byday[d]);
		char w2[16];
		const char *r = word_at(q, w2, sizeof w2);
		if (strcmp(w2, "van") == 0 || strcmp(w2, "of") == 0) {
			r = word_at(r, w2, sizeof w2);
			if (is_the(w2))
				r = word_at(r, w2, sizeof w2);
			if (strcmp(w2, "maand") == 0 || strcmp(w2, "month") == 0)
				q = r;
		}
		return q;
	}
	if (d >= 0) {
		if (interval > 1)
			sb_addf(rule, "FREQ=WEEKLY;INTERVAL=%d;BYDAY=%s", interval, byday[d]);
		else
			sb_addf(rule, "FREQ=WEEKLY;BYDAY=%s", byday[d]);
		return q;
	}
	if (!strcmp(w, "werkdag") || !strcmp(w, "werkdagen") || !strcmp(w, "weekdag")
	    || !strcmp(w, "weekday") || !strcmp(w, "weekdays") || !strcmp(w, "workday")) {
		sb_add(rule, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
		return q;
	}
	if (!freq || ord < 0)
		return NULL;
	int n = ord > 0 ? ord : interval;
	if (n > 1)
		sb_addf(rule, "FREQ=%s;INTERVAL=%d", freq, n);
	else
		sb_addf(rule, "FREQ=%s", freq);
	return on_part(q, freq, rule, err);
}

int recur_parse_in(const char *text, const struct recur_in *in, struct recur *out,
		   size_t *consumed)
{
	memset(out, 0, sizeof *out);
	out->hour = out->min = -1;
	const char *p = text, *t;
	while (*p == ' ' || *p == '\t')
		p++;
	int err = raw_rule(p, out, &t);
	if (err != RECUR_NONE) {
		if (err == RECUR_OK)
			*consumed = (size_t)(t - text);
		return err;
	}
	char w[32];
	int interval, ord;
	if (!(p = lead_in(p, w, sizeof w, &interval, &ord, &err)))
		return err;
	struct strbuf rule = STRBUF_INIT;
	const char *q = period(p, w, interval, ord, &rule, &err);
	/* A time of day, an end, and a time after a count ("10 keer 9:00"). */
	t = q ? time_at(q, &out->hour, &out->min) : NULL;
	if (t)
		t = end_part(t, in, &rule, &err);
	if (t && out->hour < 0)
		t = time_at(t, &out->hour, &out->min);
	if (!t) {
		sb_release(&rule);
		return err;
	}
	out->rrule = sb_detach(&rule);
	*consumed = (size_t)(t - text);
	return RECUR_OK;
}

int recur_parse(const char *text, struct recur *out, size_t *consumed)
{
	return recur_parse_in(text, NULL, out, consumed);
}

void recur_free(struct recur *r)
{
	free(r->rrule);
	r->rrule = NULL;
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
	/* UNTIL is a UTC instant; the iterator runs on floating local time, so
	 * the end is checked here on the UTC of each occurrence. */
	time_t until = 0;
	if (!icaltime_is_null_time(r.until)) {
		until = icaltime_as_timet(r.until);
		r.until = icaltime_null_time();
	}
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
		if (until && u > until)
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

/* 1 when the rule is monthly or yearly with no day of its own: the anchor's
 * weekday is then added (recur_keep_weekday). */
static int needs_weekday(const struct icalrecurrencetype *r)
{
	if (r->freq != ICAL_MONTHLY_RECURRENCE && r->freq != ICAL_YEARLY_RECURRENCE)
		return 0;
	if (recur_by_count(r->by_day, ICAL_BY_DAY_SIZE) || recur_by_count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE)
	    || recur_by_count(r->by_year_day, ICAL_BY_YEARDAY_SIZE)
	    || recur_by_count(r->by_week_no, ICAL_BY_WEEKNO_SIZE)
	    || recur_by_count(r->by_set_pos, ICAL_BY_SETPOS_SIZE))
		return 0;
	return r->freq == ICAL_MONTHLY_RECURRENCE || !recur_by_count(r->by_month, ICAL_BY_MONTH_SIZE);
}

char *recur_keep_weekday(const char *rrule, const char *tz, time_t dtstart)
{
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
	struct tz_local l;
	if (!needs_weekday(&r) || tz_from_utc(tz, dtstart, &l) != TZ_OK)
		return xstrdup(rrule);
	/* The fifth weekday of a month is its last one. */
	int pos = (l.day - 1) / 7 + 1;
	if (pos == 5)
		pos = -1;
	struct strbuf sb = STRBUF_INIT;
	/* The day part goes before UNTIL/COUNT, after FREQ and INTERVAL. */
	size_t head = strcspn(rrule, ";");
	while (rrule[head] == ';' && (strncmp(rrule + head, ";UNTIL=", 7) != 0
				     && strncmp(rrule + head, ";COUNT=", 7) != 0)) {
		head++;
		head += strcspn(rrule + head, ";");
	}
	sb_addf(&sb, "%.*s", (int)head, rrule);
	if (r.freq == ICAL_YEARLY_RECURRENCE)
		sb_addf(&sb, ";BYMONTH=%d", l.mon);
	sb_addf(&sb, ";BYDAY=%d%s%s", pos, byday[l.wday % 7], rrule + head);
	return sb_detach(&sb);
}

int recur_first(struct recur *r, const char *tz, time_t now,
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
	char *kept = recur_keep_weekday(r->rrule, tz, *dtstart);
	free(r->rrule);
	r->rrule = kept;
	int rc = recur_next(r->rrule, tz, *dtstart, now, first);
	if (rc == RECUR_OK && *first - now > NEVER_HORIZON)
		return RECUR_NEVER;
	return rc;
}
