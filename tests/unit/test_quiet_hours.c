/* Generated reminders never reach a person at night: they wait for the
 * morning in that person's zone; room reminders keep their time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/reminder_kinds.h"
#include "lib/tz.h"
#include "storage/db.h"
#include "storage/reminders.h"

static time_t local(const char *tz, int y, int mo, int d, int h, int mi)
{
	struct tz_local l = { .year = y, .mon = mo, .day = d, .hour = h, .min = mi };
	time_t t;
	assert_int_equal(tz_to_utc(tz, &l, &t), TZ_OK);
	return t;
}

static void test_daytime(void **state)
{
	(void)state;
	const char *ams = "Europe/Amsterdam";
	/* Night before morning: same day 08:00. */
	assert_int_equal(reminder_daytime(ams, local(ams, 2027, 3, 10, 2, 1)),
			 local(ams, 2027, 3, 10, 8, 0));
	/* Late evening: next day 08:00. */
	assert_int_equal(reminder_daytime(ams, local(ams, 2027, 3, 10, 23, 30)),
			 local(ams, 2027, 3, 11, 8, 0));
	assert_int_equal(reminder_daytime(ams, local(ams, 2027, 3, 10, 22, 0)),
			 local(ams, 2027, 3, 11, 8, 0));
	/* Daytime and the edges stay. */
	time_t t = local(ams, 2027, 3, 10, 7, 0);
	assert_int_equal(reminder_daytime(ams, t), t);
	t = local(ams, 2027, 3, 10, 21, 59);
	assert_int_equal(reminder_daytime(ams, t), t);
	t = local(ams, 2027, 3, 10, 19, 30);
	assert_int_equal(reminder_daytime(ams, t), t);
	/* Across the spring-forward night, and the end of a month. */
	assert_int_equal(reminder_daytime(ams, local(ams, 2027, 3, 27, 23, 0)),
			 local(ams, 2027, 3, 28, 8, 0));
	assert_int_equal(reminder_daytime(ams, local(ams, 2027, 4, 30, 22, 15)),
			 local(ams, 2027, 5, 1, 8, 0));
	/* Another zone. */
	const char *lon = "Europe/London";
	assert_int_equal(reminder_daytime(lon, local(lon, 2027, 12, 31, 23, 0)),
			 local(lon, 2028, 1, 1, 8, 0));
}

static void test_want_moves_only_person_reminders(void **state)
{
	(void)state;
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(":memory:", &db, &err), 0);
	char *rooms[] = { "!r:demo.test" };
	struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
	time_t now = local(net.tz, 2027, 3, 9, 12, 0);
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = db, .net = &net, .now = now, .out = &out };
	time_t night = local(net.tz, 2027, 3, 10, 6, 0);
	assert_int_equal(reminder_want(&ctx, "noord", "t:1", "test.x", 1, "@anna:demo.test",
				       NULL, night), 0);
	assert_int_equal(reminder_want(&ctx, "noord", "t:2", "test.x", 1, NULL,
				       "!r:demo.test", night), 0);
	/* A person with a zone of their own gets the morning there. */
	assert_int_equal(db_execf(db, "INSERT INTO user_settings(user_id, tz) VALUES (?1, ?2)",
				  "tt", "@bram:demo.test", "America/New_York"), 0);
	assert_int_equal(reminder_want(&ctx, "noord", "t:3", "test.x", 1, "@bram:demo.test",
				       NULL, night), 0);
	sqlite3_stmt *st = db_prepare(db, "SELECT source_key, due_at FROM reminders ORDER BY source_key");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 1), local(net.tz, 2027, 3, 10, 8, 0));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 1), night);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	/* 06:00 in Amsterdam is midnight in New York: 08:00 New York time. */
	assert_int_equal(sqlite3_column_int64(st, 1), local("America/New_York", 2027, 3, 10, 8, 0));
	db_done(st);
	/* Generating again with the same night time changes nothing. */
	assert_int_equal(reminder_want(&ctx, "noord", "t:1", "test.x", 1, "@anna:demo.test",
				       NULL, night), 0);
	st = db_prepare(db, "SELECT due_at, state FROM reminders WHERE source_key = 't:1'");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), local(net.tz, 2027, 3, 10, 8, 0));
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "pending");
	db_done(st);
	db_close(db);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_daytime),
		cmocka_unit_test(test_want_moves_only_person_reminders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
