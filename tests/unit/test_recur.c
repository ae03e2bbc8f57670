/* Recurrence phrases, RRULE evaluation in a zone across DST, rules that
 * never occur. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/recur.h"
#include "lib/tz.h"

#define AMS "Europe/Amsterdam"

static time_t utc_of(const char *tz, int y, int mo, int d, int h, int mi)
{
	struct tz_local l = { y, mo, d, h, mi, 0, 0 };
	time_t t;
	assert_int_equal(tz_to_utc(tz, &l, &t), TZ_OK);
	return t;
}

static struct tz_local local_of(const char *tz, time_t t)
{
	struct tz_local l;
	assert_int_equal(tz_from_utc(tz, t, &l), TZ_OK);
	return l;
}

/* Parse text and check the rule, the time of day and what was consumed. */
static void check_parse(const char *text, const char *rule, int hour, int min,
			const char *rest)
{
	struct recur r;
	size_t used = 0;
	assert_int_equal(recur_parse(text, &r, &used), RECUR_OK);
	assert_string_equal(r.rrule, rule);
	assert_int_equal(r.hour, hour);
	assert_int_equal(r.min, min);
	while (text[used] == ' ')
		used++;
	assert_string_equal(text + used, rest);
	recur_free(&r);
}

static void test_parse_phrases(void **state)
{
	(void)state;
	check_parse("elke maandag 9:00 weekstart", "FREQ=WEEKLY;BYDAY=MO", 9, 0, "weekstart");
	check_parse("every weekday 8:30 standup", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 8, 30, "standup");
	check_parse("elke werkdag om 8.30 x", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 8, 30, "x");
	check_parse("elke 2 maanden", "FREQ=MONTHLY;INTERVAL=2", -1, -1, "");
	check_parse("every 2 months", "FREQ=MONTHLY;INTERVAL=2", -1, -1, "");
	check_parse("elke tweede dinsdag 19:30 overleg", "FREQ=MONTHLY;BYDAY=2TU", 19, 30, "overleg");
	check_parse("every second tuesday of the month at 19:30 x", "FREQ=MONTHLY;BYDAY=2TU", 19, 30, "x");
	check_parse("elke laatste vrijdag borrel", "FREQ=MONTHLY;BYDAY=-1FR", -1, -1, "borrel");
	check_parse("every other week", "FREQ=WEEKLY;INTERVAL=2", -1, -1, "");
	check_parse("elke dag 7u koffie", "FREQ=DAILY", 7, 0, "koffie");
	check_parse("Every Monday 9:00 Plan", "FREQ=WEEKLY;BYDAY=MO", 9, 0, "Plan");
	/* A number right after the period is the text, not a time. */
	check_parse("elke week 3 dingen", "FREQ=WEEKLY", -1, -1, "3 dingen");
}

static void test_parse_refusals(void **state)
{
	(void)state;
	struct recur r;
	size_t used;
	assert_int_equal(recur_parse("morgen 9:00 x", &r, &used), RECUR_NONE);
	assert_int_equal(recur_parse("12-03-2027", &r, &used), RECUR_NONE);
	assert_int_equal(recur_parse("elke blauwe maan", &r, &used), RECUR_BAD);
	assert_int_equal(recur_parse("every 0 days", &r, &used), RECUR_BAD);
	assert_int_equal(recur_parse("every 500 days", &r, &used), RECUR_BAD);
	assert_int_equal(recur_parse("elke laatste maand", &r, &used), RECUR_BAD);
	assert_int_equal(recur_parse("FREQ=SECONDLY", &r, &used), RECUR_BAD);
	assert_int_equal(recur_parse("FREQ=NONSENSE", &r, &used), RECUR_BAD);
	/* Rules libical cannot step through: refused at once, not after half a
	 * second of stepping to find no day (a fuzz finding). */
	assert_int_equal(recur_parse("FREQ=DAILY;BYMONTHDAY=-1", &r, &used), RECUR_BAD);
	assert_int_equal(recur_parse("FREQ=WEEKLY;BYMONTHDAY=3", &r, &used), RECUR_BAD);
	assert_int_equal(recur_parse("FREQ=MONTHLY;BYMONTHDAY=-1", &r, &used), RECUR_OK);
	recur_free(&r);
	assert_int_equal(recur_parse("", &r, &used), RECUR_NONE);
}

/* Raw rules on which libical searched for seconds to minutes (found by
 * tests/fuzz/dates): parts the phrases never make are refused, and rules
 * that plainly never occur are RECUR_NEVER at once; the rules people
 * write still pass and still run. */
static void test_raw_rules_that_never_occur(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYSETPOS=6;BYDAY=MO",
		"FREQ=YEARLY;BYYEARDAY=367", "FREQ=YEARLY;BYWEEKNO=54", "FREQ=DAILY;BYHOUR=25",
		"FREQ=YEARLY;BYMONTH=13",
	};
	static const char *const never[] = {
		"FREQ=MONTHLY;BYDAY=6TU", "FREQ=MONTHLY;BYDAY=-6TU", "FREQ=WEEKLY;BYDAY=2MO",
		"FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2,4",
		"FREQ=YEARLY;BYDAY=54MO", "FREQ=YEARLY;BYMONTH=1;BYDAY=6MO",
		"FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=20", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
	};
	static const char *const good[] = {
		"FREQ=MONTHLY;BYDAY=5TU", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
		"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR",
		"FREQ=YEARLY;BYDAY=20MO", "RRULE:FREQ=DAILY;INTERVAL=3",
	};
	struct recur r;
	size_t used;
	time_t start, first;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (recur_parse(bad[i], &r, &used) != RECUR_BAD)
			fail_msg("%s was accepted", bad[i]);
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
		assert_int_equal(recur_parse(never[i], &r, &used), RECUR_OK);
		if (recur_first(&r, AMS, 1800000000, 9, &start, &first) != RECUR_NEVER)
			fail_msg("%s: not RECUR_NEVER", never[i]);
		recur_free(&r);
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(recur_parse(good[i], &r, &used), RECUR_OK);
		assert_int_equal(recur_first(&r, AMS, 1800000000, 9, &start, &first), RECUR_OK);
		recur_free(&r);
	}
}

/* 19:30 stays 19:30 local across both DST changes of 2027. */
static void test_local_time_kept_across_dst(void **state)
{
	(void)state;
	time_t start = utc_of(AMS, 2027, 1, 12, 19, 30); /* second Tuesday */
	time_t t = start - 1;
	int seen_summer = 0, seen_winter = 0;
	for (int i = 0; i < 12; i++) {
		time_t next;
		assert_int_equal(recur_next("FREQ=MONTHLY;BYDAY=2TU", AMS, start, t, &next), RECUR_OK);
		assert_true(next > t);
		struct tz_local l = local_of(AMS, next);
		assert_int_equal(l.hour, 19);
		assert_int_equal(l.min, 30);
		assert_int_equal(l.wday, 2);
		assert_true(l.day >= 8 && l.day <= 14);
		assert_int_equal(l.mon, i + 1);
		/* UTC offset: +1 in winter, +2 in summer. */
		struct tz_local u = local_of("UTC", next);
		if (u.hour == 17)
			seen_summer = 1;
		if (u.hour == 18)
			seen_winter = 1;
		t = next;
	}
	assert_true(seen_summer && seen_winter);
}

static void test_every_two_months(void **state)
{
	(void)state;
	time_t start = utc_of(AMS, 2027, 1, 19, 19, 30);
	time_t next;
	assert_int_equal(recur_next("FREQ=MONTHLY;INTERVAL=2", AMS, start, start, &next), RECUR_OK);
	struct tz_local l = local_of(AMS, next);
	assert_int_equal(l.mon, 3);
	assert_int_equal(l.day, 19);
	assert_int_equal(l.hour, 19);
	assert_int_equal(recur_next("FREQ=MONTHLY;INTERVAL=2", AMS, start, next, &next), RECUR_OK);
	l = local_of(AMS, next);
	assert_int_equal(l.mon, 5);
	assert_int_equal(l.hour, 19); /* summer time, same wall clock */
}

static void test_first_occurrence(void **state)
{
	(void)state;
	/* Wednesday 13 January 2027, 10:00 in Amsterdam. */
	time_t now = utc_of(AMS, 2027, 1, 13, 10, 0);
	struct recur r;
	size_t used;
	time_t dtstart, first;
	assert_int_equal(recur_parse("elke maandag 9:00", &r, &used), RECUR_OK);
	assert_int_equal(recur_first(&r, AMS, now, 9, &dtstart, &first), RECUR_OK);
	struct tz_local l = local_of(AMS, first);
	assert_int_equal(l.day, 18);
	assert_int_equal(l.wday, 1);
	assert_int_equal(l.hour, 9);
	recur_free(&r);
	/* Every day at 9:00, asked at 10:00: tomorrow. At 8:00: today. */
	assert_int_equal(recur_parse("elke dag 9:00", &r, &used), RECUR_OK);
	assert_int_equal(recur_first(&r, AMS, now, 9, &dtstart, &first), RECUR_OK);
	assert_int_equal(local_of(AMS, first).day, 14);
	assert_int_equal(recur_first(&r, AMS, now - 2 * 3600, 9, &dtstart, &first), RECUR_OK);
	assert_int_equal(local_of(AMS, first).day, 13);
	/* Same wall clock in London is another instant. */
	time_t london;
	assert_int_equal(recur_first(&r, "Europe/London", now, 9, &dtstart, &london), RECUR_OK);
	assert_int_equal(local_of("Europe/London", london).hour, 9);
	assert_int_not_equal(london, first);
	recur_free(&r);
}

static void test_never_and_bad_zone(void **state)
{
	(void)state;
	time_t now = utc_of(AMS, 2027, 1, 13, 10, 0), d, f;
	struct recur r;
	size_t used;
	assert_int_equal(recur_parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 nooit", &r, &used), RECUR_OK);
	assert_int_equal(recur_first(&r, AMS, now, 9, &d, &f), RECUR_NEVER);
	assert_int_equal(recur_first(&r, "Mars/Olympus", now, 9, &d, &f), RECUR_BAD_ZONE);
	recur_free(&r);
	/* A rule with COUNT that ran out. */
	assert_int_equal(recur_next("FREQ=DAILY;COUNT=2", AMS, now, now + 5 * 86400, &f), RECUR_NEVER);
}

/* A daily 2:30 on the night clocks jump forward comes at 3:30. */
static void test_gap_moves_later(void **state)
{
	(void)state;
	time_t start = utc_of(AMS, 2027, 3, 26, 2, 30);
	time_t t = start, next;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(recur_next("FREQ=DAILY", AMS, start, t, &next), RECUR_OK);
		struct tz_local l = local_of(AMS, next);
		assert_int_equal(l.day, 27 + i);
		assert_int_equal(l.hour, l.day == 28 ? 3 : 2);
		assert_int_equal(l.min, 30);
		t = next;
	}
}

static void test_describe(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	recur_describe(&sb, "FREQ=MONTHLY;INTERVAL=2", LANG_NL);
	assert_string_equal(sb.buf, "elke 2 maanden");
	sb_reset(&sb);
	recur_describe(&sb, "FREQ=MONTHLY;BYDAY=2TU", LANG_EN);
	assert_string_equal(sb.buf, "every second Tuesday of the month");
	sb_reset(&sb);
	recur_describe(&sb, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", LANG_EN);
	assert_string_equal(sb.buf, "every weekday");
	sb_reset(&sb);
	recur_describe(&sb, "FREQ=WEEKLY;BYDAY=MO", LANG_NL);
	assert_string_equal(sb.buf, "elke maandag");
	sb_release(&sb);
}

/* Wednesday 2 December 2026, 10:00 in Amsterdam: the fixed now of the
 * phrase tests below. */
static time_t now_dec(void)
{
	return utc_of(AMS, 2026, 12, 2, 10, 0);
}

/* Parse text as the bot does (in Amsterdam, now_dec) and check the rule,
 * the time of day and what is left as text. */
static void check_in(const char *text, const char *rule, int hour, int min, const char *rest)
{
	struct recur_in in = { AMS, now_dec(), LANG_NL };
	struct recur r;
	size_t used = 0;
	int rc = recur_parse_in(text, &in, &r, &used);
	if (rc != RECUR_OK)
		fail_msg("%s: refused (%d)", text, rc);
	if (strcmp(r.rrule, rule) != 0)
		fail_msg("%s: %s, not %s", text, r.rrule, rule);
	assert_int_equal(r.hour, hour);
	assert_int_equal(r.min, min);
	while (text[used] == ' ')
		used++;
	assert_string_equal(text + used, rest);
	recur_free(&r);
}

static void test_phrases_people_use(void **state)
{
	(void)state;
	check_in("om de 2 maanden op de tweede dinsdag 19:30 overleg",
		 "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", 19, 30, "overleg");
	check_in("every 2 months on the second tuesday", "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", -1, -1, "");
	check_in("elke eerste maandag van de maand 9:00 x", "FREQ=MONTHLY;BYDAY=1MO", 9, 0, "x");
	check_in("elke laatste vrijdag 16:00 borrel", "FREQ=MONTHLY;BYDAY=-1FR", 16, 0, "borrel");
	check_in("om de week koffie", "FREQ=WEEKLY", -1, -1, "koffie");
	check_in("om de 2 weken", "FREQ=WEEKLY;INTERVAL=2", -1, -1, "");
	check_in("om de andere week", "FREQ=WEEKLY;INTERVAL=2", -1, -1, "");
	check_in("om de 2 weken op dinsdag 10:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", 10, 0, "");
	check_in("elke werkdag 8:30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 8, 30, "");
	check_in("elke 3 maanden", "FREQ=MONTHLY;INTERVAL=3", -1, -1, "");
	check_in("elke maand op de 12e", "FREQ=MONTHLY;BYMONTHDAY=12", -1, -1, "");
	check_in("every month on the 12th at 9:00", "FREQ=MONTHLY;BYMONTHDAY=12", 9, 0, "");
	check_in("elke maand op de laatste dag", "FREQ=MONTHLY;BYMONTHDAY=-1", -1, -1, "");
	/* The end of 1 July in Amsterdam (summer time) is 21:59:59 UTC. */
	check_in("elke maandag tot 1 juli koffie", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270701T215959Z",
		 -1, -1, "koffie");
	check_in("elke maandag 9:00 tot en met 1 juli x",
		 "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270701T215959Z", 9, 0, "x");
	/* In winter the day ends at 22:59:59 UTC. */
	check_in("every monday until 1 February 2027", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270201T225959Z",
		 -1, -1, "");
	check_in("elke dinsdag 19:30 10 keer", "FREQ=WEEKLY;BYDAY=TU;COUNT=10", 19, 30, "");
	check_in("every week 3 times report", "FREQ=WEEKLY;COUNT=3", -1, -1, "report");
	/* Words that start no part of the phrase stay text. */
	check_in("elke maandag op de zaak", "FREQ=WEEKLY;BYDAY=MO", -1, -1, "op de zaak");
	check_in("elke maand tot ziens", "FREQ=MONTHLY", -1, -1, "tot ziens");
	check_in("elke week 3 dingen", "FREQ=WEEKLY", -1, -1, "3 dingen");
}

/* A phrase that starts a part it cannot finish is refused whole. */
static void test_phrase_refused_whole(void **state)
{
	(void)state;
	static const struct { const char *text; int err; } bad[] = {
		{ "om de 2 maanden op de tweede", RECUR_BAD_ON },
		{ "om de 2 maanden op de tweede vergadering", RECUR_BAD_ON },
		{ "elke week op de 12e", RECUR_BAD_ON },
		{ "elke maand op de 40e", RECUR_BAD_ON },
		{ "elke maand op dinsdag", RECUR_BAD_ON },
		{ "elke maandag tot 31 februari", RECUR_BAD_END },
		{ "elke maandag tot 1 juli 25:00", RECUR_BAD_END },
		/* A time after the end date: the time goes before "tot". */
		{ "elke maandag tot 1 juli 9:00 x", RECUR_BAD_END },
		{ "elke maandag tot 1 juli 14u", RECUR_BAD_END },
		{ "elke maandag 0 keer", RECUR_BAD_END },
		{ "elke maandag 1000 keer", RECUR_BAD_END },
		{ "om de hoek", RECUR_BAD },
	};
	struct recur_in in = { AMS, now_dec(), LANG_NL };
	struct recur r;
	size_t used;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = recur_parse_in(bad[i].text, &in, &r, &used);
		if (rc != bad[i].err)
			fail_msg("%s: %d, not %d", bad[i].text, rc, bad[i].err);
	}
	/* Without a zone an end date cannot be read. */
	assert_int_equal(recur_parse("elke maandag tot 1 juli", &r, &used), RECUR_BAD_END);
	/* "om 9:00" is a time, not a recurrence. */
	assert_int_equal(recur_parse_in("om 9:00 bellen", &in, &r, &used), RECUR_NONE);
}

/* The local dates of the next n occurrences of rule from dtstart. */
static void check_dates(const char *rule, time_t dtstart, int n, const int (*want)[3], int hour)
{
	time_t at[8];
	assert_int_equal(recur_next_dates(rule, AMS, dtstart, dtstart, at, n), n);
	for (int i = 0; i < n; i++) {
		struct tz_local l = local_of(AMS, at[i]);
		if (l.year != want[i][0] || l.mon != want[i][1] || l.day != want[i][2] || l.hour != hour)
			fail_msg("%s #%d: %04d-%02d-%02d %02d:00", rule, i, l.year, l.mon, l.day, l.hour);
	}
}

/* "elke 2 maanden" from the second Tuesday stays on the second Tuesday,
 * across the change to summer time; from a fifth Friday on the last one. */
static void test_series_keeps_weekday(void **state)
{
	(void)state;
	time_t tue = utc_of(AMS, 2027, 1, 12, 19, 30);
	char *k = recur_keep_weekday("FREQ=MONTHLY;INTERVAL=2", AMS, tue);
	assert_string_equal(k, "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU");
	static const int two[][3] = { { 2027, 1, 12 }, { 2027, 3, 9 }, { 2027, 5, 11 } };
	check_dates(k, tue, 3, two, 19);
	free(k);
	k = recur_keep_weekday("FREQ=MONTHLY", AMS, tue);
	assert_string_equal(k, "FREQ=MONTHLY;BYDAY=2TU");
	free(k);
	time_t fri = utc_of(AMS, 2027, 1, 29, 19, 30);
	k = recur_keep_weekday("FREQ=MONTHLY", AMS, fri);
	assert_string_equal(k, "FREQ=MONTHLY;BYDAY=-1FR");
	static const int last[][3] = { { 2027, 1, 29 }, { 2027, 2, 26 }, { 2027, 3, 26 },
				       { 2027, 4, 30 } };
	check_dates(k, fri, 4, last, 19);
	free(k);
	k = recur_keep_weekday("FREQ=MONTHLY;INTERVAL=2;COUNT=3", AMS, tue);
	assert_string_equal(k, "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=3");
	free(k);
	k = recur_keep_weekday("FREQ=YEARLY", AMS, tue);
	assert_string_equal(k, "FREQ=YEARLY;BYMONTH=1;BYDAY=2TU");
	free(k);
	/* A day of its own, or not monthly: as it was. */
	static const char *const kept[] = { "FREQ=MONTHLY;BYMONTHDAY=12", "FREQ=MONTHLY;BYDAY=1MO",
					     "FREQ=WEEKLY;INTERVAL=2", "FREQ=DAILY" };
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		k = recur_keep_weekday(kept[i], AMS, tue);
		assert_string_equal(k, kept[i]);
		free(k);
	}
	/* "op de 12e" asks for the day of the month. */
	static const int twelfth[][3] = { { 2027, 1, 12 }, { 2027, 2, 12 }, { 2027, 3, 12 } };
	check_dates("FREQ=MONTHLY;BYMONTHDAY=12", tue, 3, twelfth, 19);
}

/* A reminder "elke maand 9:00" set on Wednesday 13 January keeps the second
 * Wednesday. */
static void test_first_keeps_weekday(void **state)
{
	(void)state;
	time_t now = utc_of(AMS, 2027, 1, 13, 10, 0), dtstart, first;
	struct recur_in in = { AMS, now, LANG_NL };
	struct recur r;
	size_t used;
	assert_int_equal(recur_parse_in("elke maand 9:00", &in, &r, &used), RECUR_OK);
	assert_int_equal(recur_first(&r, AMS, now, 9, &dtstart, &first), RECUR_OK);
	assert_string_equal(r.rrule, "FREQ=MONTHLY;BYDAY=2WE");
	struct tz_local l = local_of(AMS, first);
	assert_int_equal(l.mon, 2);
	assert_int_equal(l.day, 10);
	assert_int_equal(l.hour, 9);
	recur_free(&r);
}

/* UNTIL and COUNT end a rule: the last Monday before 1 July is 28 June. */
static void test_until_and_count(void **state)
{
	(void)state;
	time_t mon = utc_of(AMS, 2027, 6, 7, 9, 0), t = mon - 1, next;
	int n = 0;
	const char *rule = "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270701T215959Z";
	while (recur_next(rule, AMS, mon, t, &next) == RECUR_OK) {
		t = next;
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(local_of(AMS, t).day, 28);
	/* Ten Tuesdays from a Wednesday anchor: ten, all Tuesdays. */
	time_t now = utc_of(AMS, 2027, 1, 13, 10, 0), dtstart, first;
	struct recur_in in = { AMS, now, LANG_NL };
	struct recur r;
	size_t used;
	assert_int_equal(recur_parse_in("elke dinsdag 19:30 10 keer", &in, &r, &used), RECUR_OK);
	assert_int_equal(recur_first(&r, AMS, now, 9, &dtstart, &first), RECUR_OK);
	n = 0;
	for (t = first - 1; recur_next(r.rrule, AMS, dtstart, t, &next) == RECUR_OK; t = next) {
		assert_int_equal(local_of(AMS, next).wday, 2);
		n++;
	}
	assert_int_equal(n, 10);
	recur_free(&r);
}

/* Each phrase as a reminder reads it (recur_first: anchored today, weekday
 * kept) and its next three dates from a fixed now, several across a change
 * of summer time (28 March and 31 October 2027) with the wall clock kept. */
static void test_phrase_dates(void **state)
{
	(void)state;
	static const struct {
		int now_mon;   /* 12: Wednesday 2 December 2026; 10: Wednesday 20 October 2027 */
		const char *text, *rule;
		int n, hour, min;
		int d[3][3];
	} t[] = {
		{ 12, "om de 2 maanden op de tweede dinsdag 19:30", "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU",
		  3, 19, 30, { { 2026, 12, 8 }, { 2027, 2, 9 }, { 2027, 4, 13 } } },
		{ 12, "elke eerste maandag van de maand 9:00", "FREQ=MONTHLY;BYDAY=1MO",
		  3, 9, 0, { { 2026, 12, 7 }, { 2027, 1, 4 }, { 2027, 2, 1 } } },
		{ 12, "elke laatste vrijdag 16:00", "FREQ=MONTHLY;BYDAY=-1FR",
		  3, 16, 0, { { 2026, 12, 25 }, { 2027, 1, 29 }, { 2027, 2, 26 } } },
		{ 12, "om de week 9:00", "FREQ=WEEKLY",
		  3, 9, 0, { { 2026, 12, 9 }, { 2026, 12, 16 }, { 2026, 12, 23 } } },
		{ 12, "om de 2 weken 9:00", "FREQ=WEEKLY;INTERVAL=2",
		  3, 9, 0, { { 2026, 12, 16 }, { 2026, 12, 30 }, { 2027, 1, 13 } } },
		{ 12, "elke werkdag 8:30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
		  3, 8, 30, { { 2026, 12, 3 }, { 2026, 12, 4 }, { 2026, 12, 7 } } },
		{ 12, "elke 3 maanden 9:00", "FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE",
		  3, 9, 0, { { 2027, 3, 3 }, { 2027, 6, 2 }, { 2027, 9, 1 } } },
		{ 12, "elke maand 9:00", "FREQ=MONTHLY;BYDAY=1WE",
		  3, 9, 0, { { 2027, 1, 6 }, { 2027, 2, 3 }, { 2027, 3, 3 } } },
		{ 12, "elke maand op de 12e 9:00", "FREQ=MONTHLY;BYMONTHDAY=12",
		  3, 9, 0, { { 2026, 12, 12 }, { 2027, 1, 12 }, { 2027, 2, 12 } } },
		{ 12, "elke maandag 9:00 tot 14 december", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261214T225959Z",
		  2, 9, 0, { { 2026, 12, 7 }, { 2026, 12, 14 } } },
		{ 12, "elke dinsdag 19:30 2 keer", "FREQ=WEEKLY;BYDAY=TU;COUNT=2",
		  2, 19, 30, { { 2026, 12, 8 }, { 2026, 12, 15 } } },
		{ 10, "om de week 19:30", "FREQ=WEEKLY",
		  3, 19, 30, { { 2027, 10, 20 }, { 2027, 10, 27 }, { 2027, 11, 3 } } },
		{ 10, "elke laatste zondag 2:30", "FREQ=MONTHLY;BYDAY=-1SU",
		  3, 2, 30, { { 2027, 10, 31 }, { 2027, 11, 28 }, { 2027, 12, 26 } } },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		time_t now = t[i].now_mon == 12 ? utc_of(AMS, 2026, 12, 2, 10, 0)
			: utc_of(AMS, 2027, 10, 20, 10, 0);
		struct recur_in in = { AMS, now, LANG_NL };
		struct recur r;
		size_t used;
		time_t dtstart, first, at[4];
		assert_int_equal(recur_parse_in(t[i].text, &in, &r, &used), RECUR_OK);
		assert_int_equal(recur_first(&r, AMS, now, 9, &dtstart, &first), RECUR_OK);
		if (strcmp(r.rrule, t[i].rule) != 0)
			fail_msg("%s: %s, not %s", t[i].text, r.rrule, t[i].rule);
		int n = recur_next_dates(r.rrule, AMS, dtstart, now, at, 4);
		if (n != t[i].n && !(t[i].n == 3 && n == 4))
			fail_msg("%s: %d dates, not %d", t[i].text, n, t[i].n);
		assert_int_equal(at[0], first);
		for (int k = 0; k < t[i].n; k++) {
			struct tz_local l = local_of(AMS, at[k]);
			if (l.year != t[i].d[k][0] || l.mon != t[i].d[k][1] || l.day != t[i].d[k][2]
			    || l.hour != t[i].hour || l.min != t[i].min)
				fail_msg("%s #%d: %04d-%02d-%02d %02d:%02d", t[i].text, k, l.year, l.mon,
					 l.day, l.hour, l.min);
		}
		recur_free(&r);
	}
}

/* The rule in words, both languages, whole words, with its end. */
static void test_describe_words(void **state)
{
	(void)state;
	static const struct { const char *rule; enum wt_lang lang; const char *want; } t[] = {
		{ "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", LANG_NL, "elke 2 maanden op de tweede dinsdag" },
		{ "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", LANG_EN, "every 2 months on the second Tuesday" },
		{ "FREQ=MONTHLY;BYDAY=1MO", LANG_NL, "elke eerste maandag van de maand" },
		{ "FREQ=MONTHLY;BYDAY=-1FR", LANG_NL, "elke laatste vrijdag van de maand" },
		{ "FREQ=MONTHLY;BYDAY=-1FR", LANG_EN, "every last Friday of the month" },
		{ "FREQ=MONTHLY;BYMONTHDAY=12", LANG_NL, "elke maand op de 12e" },
		{ "FREQ=MONTHLY;BYMONTHDAY=12", LANG_EN, "every month on the 12th" },
		{ "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", LANG_EN, "every 3 months on the 1st" },
		{ "FREQ=MONTHLY;BYMONTHDAY=22", LANG_EN, "every month on the 22nd" },
		{ "FREQ=MONTHLY;BYMONTHDAY=-1", LANG_NL, "elke maand op de laatste dag" },
		{ "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", LANG_NL, "om de 2 weken op dinsdag" },
		{ "FREQ=WEEKLY;INTERVAL=2", LANG_NL, "elke 2 weken" },
		{ "FREQ=YEARLY;BYMONTH=1;BYDAY=2TU", LANG_NL, "elk jaar op de tweede dinsdag van januari" },
		{ "FREQ=YEARLY;BYMONTH=1;BYDAY=2TU", LANG_EN, "every year on the second Tuesday of January" },
		{ "FREQ=WEEKLY;BYDAY=TU;COUNT=10", LANG_NL, "elke dinsdag, 10 keer" },
		{ "FREQ=WEEKLY;BYDAY=TU;COUNT=1", LANG_EN, "every Tuesday, 1 time" },
		{ "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270701T215959Z", LANG_NL,
		  "elke maandag, tot en met donderdag 1 juli 2027" },
		{ "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270701T215959Z", LANG_EN,
		  "every Monday, until Thursday 1 July 2027" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		recur_describe_in(&sb, t[i].rule, AMS, t[i].lang);
		if (strcmp(sb.buf, t[i].want) != 0)
			fail_msg("%s: \"%s\", not \"%s\"", t[i].rule, sb.buf, t[i].want);
		sb_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_phrases),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_raw_rules_that_never_occur),
		cmocka_unit_test(test_local_time_kept_across_dst),
		cmocka_unit_test(test_every_two_months),
		cmocka_unit_test(test_first_occurrence),
		cmocka_unit_test(test_never_and_bad_zone),
		cmocka_unit_test(test_gap_moves_later),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_phrases_people_use),
		cmocka_unit_test(test_phrase_refused_whole),
		cmocka_unit_test(test_series_keeps_weekday),
		cmocka_unit_test(test_first_keeps_weekday),
		cmocka_unit_test(test_until_and_count),
		cmocka_unit_test(test_describe_words),
		cmocka_unit_test(test_phrase_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
