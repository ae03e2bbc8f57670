/* tz: zone names, UTC <-> local in Europe/Amsterdam and Europe/London,
 * the spring-forward gap, the autumn overlap, and the calendar helpers.
 * Expected instants are computed with timegm, not with the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "lib/tz.h"

#define AMS "Europe/Amsterdam"
#define LON "Europe/London"

/* "YYYY-MM-DD HH:MM:SS" (UTC) as time_t. */
static time_t utc(const char *s)
{
	struct tm tm = { 0 };
	if (!strptime(s, "%Y-%m-%d %H:%M:%S", &tm))
		fail_msg("bad time in test: %s", s);
	return timegm(&tm);
}

static struct tz_local loc(int y, int mo, int d, int h, int mi)
{
	struct tz_local l = { y, mo, d, h, mi, 0, 0 };
	return l;
}

static void test_valid(void **state)
{
	(void)state;
	assert_int_equal(tz_valid(AMS), 1);
	assert_int_equal(tz_valid(LON), 1);
	assert_int_equal(tz_valid("America/New_York"), 1);
	assert_int_equal(tz_valid("UTC"), 1);
	assert_int_equal(tz_valid("Mars/Olympus"), 0);
	assert_int_equal(tz_valid(""), 0);
	assert_int_equal(tz_valid(NULL), 0);
	assert_int_equal(tz_valid("../../etc/passwd"), 0);
	assert_int_equal(tz_valid("/usr/share/zoneinfo/Europe/Amsterdam"), 0);
	assert_int_equal(tz_valid("Europe/Amsterdam\n"), 0);
	assert_int_equal(tz_valid("Europe/Amsterdam; rm"), 0);
	/* Files of the tz database that are not zones of zone.tab (leap
	 * seconds, aliases, the POSIX default) stay refused, as libical's
	 * own list refused them. */
	assert_int_equal(tz_valid("right/Europe/Amsterdam"), 0);
	assert_int_equal(tz_valid("posixrules"), 0);
	assert_int_equal(tz_valid("Etc/GMT+2"), 0);
	/* Asked again: the same answer from the zones read so far. */
	assert_int_equal(tz_valid(AMS), 1);
	assert_int_equal(tz_valid("Mars/Olympus"), 0);
}

struct conv {
	const char *tz;
	int y, mo, d, h, mi;
	int rc;
	const char *want;  /* UTC, when rc == TZ_OK */
};

static const struct conv to_utc_cases[] = {
	/* Amsterdam: CET (+1) in winter, CEST (+2) in summer. */
	{ AMS, 2027, 3, 10, 11, 0, TZ_OK, "2027-03-10 10:00:00" },
	{ AMS, 2027, 7, 1, 12, 0, TZ_OK, "2027-07-01 10:00:00" },
	{ AMS, 2027, 3, 28, 1, 59, TZ_OK, "2027-03-28 00:59:00" },
	{ AMS, 2027, 3, 28, 2, 0, TZ_EGAP, NULL },
	{ AMS, 2027, 3, 28, 2, 30, TZ_EGAP, NULL },
	{ AMS, 2027, 3, 28, 2, 59, TZ_EGAP, NULL },
	{ AMS, 2027, 3, 28, 3, 0, TZ_OK, "2027-03-28 01:00:00" },
	{ AMS, 2027, 10, 31, 1, 59, TZ_OK, "2027-10-30 23:59:00" },
	{ AMS, 2027, 10, 31, 2, 0, TZ_OK, "2027-10-31 00:00:00" },   /* first of two */
	{ AMS, 2027, 10, 31, 2, 30, TZ_OK, "2027-10-31 00:30:00" },  /* first of two */
	{ AMS, 2027, 10, 31, 3, 0, TZ_OK, "2027-10-31 02:00:00" },
	{ AMS, 2027, 12, 31, 23, 59, TZ_OK, "2027-12-31 22:59:00" },
	{ AMS, 2100, 6, 30, 12, 0, TZ_OK, "2100-06-30 10:00:00" },
	/* London: GMT and BST, changing at 01:00 UTC. */
	{ LON, 2027, 3, 10, 11, 0, TZ_OK, "2027-03-10 11:00:00" },
	{ LON, 2027, 3, 28, 1, 30, TZ_EGAP, NULL },
	{ LON, 2027, 3, 28, 2, 0, TZ_OK, "2027-03-28 01:00:00" },
	{ LON, 2027, 10, 31, 1, 30, TZ_OK, "2027-10-31 00:30:00" },
	{ LON, 2027, 10, 31, 2, 0, TZ_OK, "2027-10-31 02:00:00" },
	{ "UTC", 2027, 3, 28, 2, 30, TZ_OK, "2027-03-28 02:30:00" },
	/* Bad input. */
	{ "Mars/Olympus", 2027, 3, 10, 11, 0, TZ_EZONE, NULL },
	{ AMS, 2027, 2, 29, 12, 0, TZ_ERANGE, NULL },
	{ AMS, 2027, 13, 1, 12, 0, TZ_ERANGE, NULL },
	{ AMS, 2027, 3, 10, 24, 0, TZ_ERANGE, NULL },
	{ AMS, 2027, 3, 10, 12, 60, TZ_ERANGE, NULL },
	{ AMS, 1900, 3, 10, 12, 0, TZ_ERANGE, NULL },
	{ AMS, 99999, 3, 10, 12, 0, TZ_ERANGE, NULL },
};

static void test_to_utc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof to_utc_cases / sizeof to_utc_cases[0]; i++) {
		const struct conv *c = &to_utc_cases[i];
		struct tz_local l = loc(c->y, c->mo, c->d, c->h, c->mi);
		time_t t = 0;
		int rc = tz_to_utc(c->tz, &l, &t);
		if (rc != c->rc)
			fail_msg("%s %04d-%02d-%02d %02d:%02d: rc %d, want %d", c->tz, c->y,
				 c->mo, c->d, c->h, c->mi, rc, c->rc);
		if (rc == TZ_OK && t != utc(c->want))
			fail_msg("%s %04d-%02d-%02d %02d:%02d: %lld, want %s", c->tz, c->y,
				 c->mo, c->d, c->h, c->mi, (long long)t, c->want);
	}
}

static void test_from_utc(void **state)
{
	(void)state;
	struct tz_local l;
	assert_int_equal(tz_from_utc(AMS, utc("2027-03-10 10:00:00"), &l), TZ_OK);
	assert_int_equal(l.year, 2027);
	assert_int_equal(l.mon, 3);
	assert_int_equal(l.day, 10);
	assert_int_equal(l.hour, 11);
	assert_int_equal(l.min, 0);
	assert_int_equal(l.wday, 3);
	/* Both instants of the autumn overlap read as 02:30. */
	assert_int_equal(tz_from_utc(AMS, utc("2027-10-31 00:30:00"), &l), TZ_OK);
	assert_int_equal(l.hour, 2);
	assert_int_equal(l.min, 30);
	assert_int_equal(tz_from_utc(AMS, utc("2027-10-31 01:30:00"), &l), TZ_OK);
	assert_int_equal(l.hour, 2);
	assert_int_equal(l.wday, 0);
	/* Just before and after spring-forward. */
	assert_int_equal(tz_from_utc(AMS, utc("2027-03-28 00:59:59"), &l), TZ_OK);
	assert_int_equal(l.hour, 1);
	assert_int_equal(tz_from_utc(AMS, utc("2027-03-28 01:00:00"), &l), TZ_OK);
	assert_int_equal(l.hour, 3);
	assert_int_equal(tz_from_utc(LON, utc("2027-07-01 12:00:00"), &l), TZ_OK);
	assert_int_equal(l.hour, 13);
	assert_int_equal(tz_from_utc("Mars/Olympus", 0, &l), TZ_EZONE);
	assert_int_equal(tz_from_utc(AMS, (time_t)-1, &l), TZ_ERANGE);
	assert_int_equal(tz_from_utc(AMS, utc("2200-01-01 00:00:00"), &l), TZ_ERANGE);
}

/* Every quarter hour of 2027 and back: the same instant, except the second
 * pass through the autumn hour, which maps to the first. */
static void test_round_trip(void **state)
{
	(void)state;
	const char *zones[] = { AMS, LON };
	for (size_t z = 0; z < 2; z++) {
		int repeated = 0;
		for (time_t t = utc("2027-01-01 00:00:00"); t < utc("2028-01-01 00:00:00");
		     t += 900) {
			struct tz_local l;
			time_t back;
			assert_int_equal(tz_from_utc(zones[z], t, &l), TZ_OK);
			assert_int_equal(tz_to_utc(zones[z], &l, &back), TZ_OK);
			if (back == t)
				continue;
			assert_int_equal(back, t - 3600);
			repeated++;
		}
		assert_int_equal(repeated, 4);  /* the four quarters of one hour */
	}
}

static void test_calendar(void **state)
{
	(void)state;
	assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tz_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(tz_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(tz_days_in_month(2027, 2), 28);
	assert_int_equal(tz_days_in_month(2028, 2), 29);
	assert_int_equal(tz_days_in_month(2100, 2), 28);
	assert_int_equal(tz_days_in_month(2000, 2), 29);
	assert_int_equal(tz_days_in_month(2027, 4), 30);
	assert_int_equal(tz_days_in_month(2027, 13), 0);
	assert_int_equal(tz_weekday(2027, 3, 10), 3);
	assert_int_equal(tz_weekday(1970, 1, 1), 4);
	assert_int_equal(tz_weekday(2027, 10, 31), 0);
	/* Day numbers agree with timegm and round-trip for every day. */
	for (long long day = tz_days_from_civil(1971, 1, 1);
	     day < tz_days_from_civil(2200, 1, 1); day += 1) {
		int y, m, d;
		tz_civil_from_days(day, &y, &m, &d);
		assert_int_equal(tz_days_from_civil(y, m, d), day);
		if (day % 97 == 0) {
			struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
			assert_int_equal(timegm(&tm) / 86400, day);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_to_utc),
		cmocka_unit_test(test_from_utc),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_calendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
