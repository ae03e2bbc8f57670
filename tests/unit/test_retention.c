/* Retention (issue 23, item 5): a year of simulated traffic with a fixed
 * clock, pruned once a day as the scheduler does (scheduler_prune): handled
 * event ids, refused messages, quarantined events, fired reminders and
 * closed advice drafts stay within each network's retention, so the rows
 * kept reach a steady state instead of growing; a network's own settings
 * and the defaults for rooms in no network; the config keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/config.h"
#include "bot/scheduler.h"
#include "lib/log.h"
#include "storage/db.h"
#include "storage/retention.h"
#include "tests/unit/fixture.h"

#define T0 ((time_t)1798761600)  /* 2027-01-01 00:00 UTC */
#define DAY 86400
#define EVENTS_A_DAY 40


/* One day of traffic in room of network (NULL: a direct chat). */
static void traffic(sqlite3 *db, const char *network, const char *room, int d, time_t now)
{
	char id[64], key[64];
	for (int i = 0; i < EVENTS_A_DAY; i++) {
		snprintf(id, sizeof id, "$%s-%d-%d", room, d, i);
		assert_int_equal(db_execf(db, "INSERT INTO handled_events VALUES (?1, ?2, ?3)",
					  "tti", id, room, (sqlite3_int64)now), 0);
	}
	snprintf(id, sizeof id, "txn-%s-%d", room, d);
	assert_int_equal(db_execf(db, "INSERT INTO outbox(room_id, txn_id, event_type, content,"
				  " created_at, failed_at, last_error) VALUES (?1, ?2, 'm.room.message',"
				  " '{}', ?3, ?3, 'M_FORBIDDEN')", "tti", room, id,
				  (sqlite3_int64)now), 0);
	snprintf(id, sizeof id, "$q-%s-%d", room, d);
	assert_int_equal(db_execf(db, "INSERT INTO quarantine VALUES (?1, ?2, '@x:demo.test',"
				  " 'crash', ?3)", "tti", id, room, (sqlite3_int64)now), 0);
	if (!network)
		return;
	for (int i = 0; i < 2; i++)
		assert_int_equal(db_execf(db, "INSERT INTO reminders(network, kind, to_user, due_at,"
					  " text, state, fired_at, created_at) VALUES (?1, 'personal',"
					  " '@daan:demo.test', ?2, 'bel de huisarts', 'fired', ?2, ?2)",
					  "ti", network, (sqlite3_int64)now), 0);
	snprintf(key, sizeof key, "gen-%s-%d", network, d);
	assert_int_equal(db_execf(db, "INSERT INTO reminders(network, kind, source_key, room_id,"
				  " due_at, text, state, fired_at, created_at) VALUES (?1, 'meeting',"
				  " ?2, ?3, ?4, 'morgen vergadering', 'fired', ?4, ?4)", "ttti",
				  network, key, room, (sqlite3_int64)now), 0);
	assert_int_equal(db_execf(db, "INSERT INTO advice_requests(network, short_id, title,"
				  " submitted_by, state, draft, created_at, updated_at) VALUES (?1, ?2,"
				  " 'advies', '@eva:demo.test', 'decided', 'een lange tekst', ?3, ?3)",
				  "tii", network, (sqlite3_int64)(d + 1), (sqlite3_int64)now), 0);
}

/* The rows of a table (its count query, with ?1 for the room) in room. */
static long long count_room(sqlite3 *db, const char *count_sql, const char *room)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, count_sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, room, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
#define HANDLED "SELECT count(*) FROM handled_events WHERE room_id = ?1"
#define OUTBOX "SELECT count(*) FROM outbox WHERE room_id = ?1"
#define QUARANTINE "SELECT count(*) FROM quarantine WHERE room_id = ?1"

static void test_a_year_stays_bounded(void **state)
{
	sqlite3 *db = fx_db();
	assert_int_equal(db_execf(db, "INSERT INTO rooms(room_id, network) VALUES"
				  " ('!a:demo.test', 'noord'), ('!b:demo.test', 'zuid'),"
				  " ('!dm:demo.test', NULL)", ""), 0);
	struct wt_network nets[2] = {
		{ .name = "noord" },
		{ .name = "zuid", .keep = { .handled_days = 7, .failed_days = 3,
					    .reminder_days = 14, .draft_days = 30,
					    .quarantine_days = 5 } },
	};
	struct wt_config cfg = { .networks = nets, .nnetworks = 2 };
	long long at180 = 0, pages180 = 0;
	log_set_level(LOG_WARN);
	for (int d = 0; d < 365; d++) {
		time_t now = T0 + (time_t)d * DAY + 12 * 3600;
		assert_int_equal(db_begin(db), 0);
		traffic(db, "noord", "!a:demo.test", d, now);
		traffic(db, "zuid", "!b:demo.test", d, now);
		traffic(db, NULL, "!dm:demo.test", d, now);
		assert_int_equal(db_commit(db), 0);
		assert_int_equal(scheduler_prune(db, &cfg, now), 0);
		if (d == 180) {
			at180 = fx_count(db, "handled_events") + fx_count(db, "outbox")
				+ fx_count(db, "quarantine");
			pages180 = fx_int(db, "PRAGMA page_count");
		}
	}
	log_set_level(LOG_INFO);
	/* each network within its own days (the day itself included) */
	assert_int_equal(count_room(db, HANDLED, "!a:demo.test"), 31 * EVENTS_A_DAY);
	assert_int_equal(count_room(db, HANDLED, "!b:demo.test"), 8 * EVENTS_A_DAY);
	assert_int_equal(count_room(db, HANDLED, "!dm:demo.test"), 31 * EVENTS_A_DAY);
	assert_int_equal(count_room(db, OUTBOX, "!a:demo.test"), 31);
	assert_int_equal(count_room(db, OUTBOX, "!b:demo.test"), 4);
	assert_int_equal(count_room(db, QUARANTINE, "!b:demo.test"), 6);
	assert_int_equal(count_room(db, QUARANTINE, "!dm:demo.test"), 31);
	assert_int_equal(fx_int(db, "SELECT count(*) FROM reminders WHERE network = 'noord'"
				" AND source_key IS NULL"), 91 * 2);
	assert_int_equal(fx_int(db, "SELECT count(*) FROM reminders WHERE network = 'zuid'"
				" AND source_key IS NULL"), 15 * 2);
	/* a generated reminder keeps its row for its source, not its text */
	assert_int_equal(fx_int(db, "SELECT count(*) FROM reminders WHERE network = 'noord'"
				" AND source_key IS NOT NULL"), 365);
	assert_int_equal(fx_int(db, "SELECT count(*) FROM reminders WHERE network = 'noord'"
				" AND source_key IS NOT NULL AND text IS NOT NULL"), 91);
	/* closed advice keeps its outcome; the draft goes after a year (noord:
	 * the default, 365 days: none yet older) or 30 days (zuid) */
	assert_int_equal(fx_int(db, "SELECT count(*) FROM advice_requests WHERE network ="
				" 'noord' AND draft IS NOT NULL"), 365);
	assert_int_equal(fx_int(db, "SELECT count(*) FROM advice_requests WHERE network ="
				" 'zuid' AND draft IS NOT NULL"), 31);
	/* steady state: the transient rows of day 364 are those of day 180,
	 * and the file hardly grew (freed pages are used again) */
	assert_int_equal(fx_count(db, "handled_events") + fx_count(db, "outbox")
			 + fx_count(db, "quarantine"), at180);
	long long pages = fx_int(db, "PRAGMA page_count");
	if (pages > pages180 * 3 / 2)
		fail_msg("the database grew from %lld to %lld pages", pages180, pages);
	db_close(db);
}

static void test_plans_use_indexes(void **state)
{
	sqlite3 *db = fx_db();
	struct wt_network net = { .name = "noord" };
	struct wt_config cfg = { .networks = &net, .nnetworks = 1 };
	assert_int_equal(scheduler_prune(db, &cfg, T0), 0);
	static const char *const grows[] = { "handled_events", "outbox", "quarantine",
					     "reminders", NULL };
	static const char *const sqls[] = {
		"EXPLAIN QUERY PLAN DELETE FROM handled_events WHERE handled_at < 1",
		"EXPLAIN QUERY PLAN DELETE FROM outbox WHERE failed_at IS NOT NULL AND failed_at < 1",
		"EXPLAIN QUERY PLAN DELETE FROM quarantine WHERE quarantined_at < 1",
		"EXPLAIN QUERY PLAN DELETE FROM reminders WHERE network = 'n' AND state IN"
		" ('fired','cancelled') AND coalesce(fired_at, created_at) < 1"
		" AND source_key IS NULL",
		NULL,
	};
	for (int i = 0; sqls[i]; i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db, sqls[i], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(st, 3);
			char scan[64];
			snprintf(scan, sizeof scan, "SCAN %s", grows[i]);
			if (strncmp(detail, scan, strlen(scan)) == 0 && !strstr(detail, "INDEX"))
				fail_msg("%s: %s", sqls[i], detail);
		}
		sqlite3_finalize(st);
	}
	db_close(db);
}

/* The scheduler's own passes prune: the first (full) one and the daily
 * clock-driven one, not a pass for changed sources in between. */
static void test_scheduler_passes_prune(void **state)
{
	sqlite3 *db = fx_db();
	struct wt_network net = { .name = "noord", .rooms = NULL, .tz = "Europe/Amsterdam",
				  .keep = { .handled_days = 2 } };
	struct wt_config cfg = { .networks = &net, .nnetworks = 1 };
	assert_int_equal(db_execf(db, "INSERT INTO rooms(room_id, network) VALUES"
				  " ('!a:demo.test', 'noord')", ""), 0);
	assert_int_equal(db_execf(db, "INSERT INTO handled_events VALUES ('$old',"
				  " '!a:demo.test', ?1)", "i", (sqlite3_int64)T0), 0);
	time_t timed_at = 0;
	assert_int_equal(scheduler_refresh(db, &cfg, T0 + 3 * DAY, &timed_at), 0);
	assert_int_equal(fx_count(db, "handled_events"), 0);
	/* an old row after the pass: kept until the next day's pass */
	assert_int_equal(db_execf(db, "INSERT INTO handled_events VALUES ('$next',"
				  " '!a:demo.test', ?1)", "i", (sqlite3_int64)T0), 0);
	assert_int_equal(scheduler_refresh(db, &cfg, T0 + 4 * DAY - 3600, &timed_at), 0);
	assert_int_equal(fx_count(db, "handled_events"), 1);
	assert_int_equal(scheduler_refresh(db, &cfg, T0 + 4 * DAY, &timed_at), 0);
	assert_int_equal(fx_count(db, "handled_events"), 0);
	db_close(db);
}

static void test_config_keys(void **state)
{
	char path[] = "/tmp/wt-retention-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "[network.noord]\nrooms = werktafel\nkeep_handled_days = 7\n"
		"keep_failed_messages_days = 3\nkeep_fired_reminders_days = 14\n"
		"keep_advice_drafts_days = 30\nkeep_quarantine_days = 5\n"
		"[network.zuid]\nrooms = zuid\nkeep_handled_days = 0\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(config_load(path, &cfg, &err), -1);
	assert_non_null(strstr(err.buf, ":10: keep_handled_days: \"0\" is not a whole number"
			       " of days from 1 to 3650"));
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, text, strlen(text) - 22), (ssize_t)strlen(text) - 22);
	close(fd);
	sb_reset(&err);
	assert_int_equal(config_load(path, &cfg, &err), 0);
	const struct wt_retention *k = &cfg.networks[0].keep;
	assert_int_equal(k->handled_days, 7);
	assert_int_equal(k->failed_days, 3);
	assert_int_equal(k->reminder_days, 14);
	assert_int_equal(k->draft_days, 30);
	assert_int_equal(k->quarantine_days, 5);
	assert_int_equal(cfg.networks[1].keep.handled_days, 0);  /* the default */
	config_free(&cfg);
	unlink(path);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_year_stays_bounded),
		cmocka_unit_test(test_plans_use_indexes),
		cmocka_unit_test(test_scheduler_passes_prune),
		cmocka_unit_test(test_config_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
