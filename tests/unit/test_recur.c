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
	assert_string_equal(sb.buf, "every second Tue of the month");
	sb_reset(&sb);
	recur_describe(&sb, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", LANG_EN);
	assert_string_equal(sb.buf, "every weekday");
	sb_reset(&sb);
	recur_describe(&sb, "FREQ=WEEKLY;BYDAY=MO", LANG_NL);
	assert_string_equal(sb.buf, "elke ma");
	sb_release(&sb);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
