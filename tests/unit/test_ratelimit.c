/* Flooding: the per-sender command limit, through the real sync processing
 * and the real dispatch on an in-memory database. One sender's 500
 * commands in a minute get the burst, the refill and one notice; another
 * member's commands are all answered; held commands are recorded as
 * handled and put nothing in the outbox; a backlog is judged by when it
 * was sent; a batch read again counts once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!noord:demo.test"
#define ROOM2 "!bestuur:demo.test"
#define FLOODER "@flip:demo.test"
#define OTHER "@olga:demo.test"
/* 2027-01-15 08:00:00 UTC, 09:00:00 in Amsterdam. */
#define NOW 1800000000
#define T0 (NOW * 1000LL)

static char *rooms[] = { ROOM, ROOM2 };
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 2, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_config cfg;

static time_t fixed_now(void) { return NOW + 3600; }

struct fx {
	sqlite3 *db;
	struct sync_env env;
	int seq;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = &net;
	cfg.nnetworks = 1;
	cfg.ratelimit.per_minute = 30;
	cfg.ratelimit.burst = 20;
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = wt_dispatch_message, .now = fixed_now };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->db);
	free(f);
	return 0;
}

/* A sync with one timeline per room (events stolen); room2 may be NULL. */
static json_t *batch(struct fx *f, json_t *ev, json_t *ev2)
{
	char next[32];
	snprintf(next, sizeof next, "s%d", ++f->seq);
	json_t *join = json_object();
	json_object_set_new(join, ROOM, json_pack("{s:{s:o}}", "timeline", "events", ev));
	if (ev2)
		json_object_set_new(join, ROOM2, json_pack("{s:{s:o}}", "timeline", "events", ev2));
	return json_pack("{s:s,s:{s:o}}", "next_batch", next, "rooms", "join", join);
}

static int apply(struct fx *f, json_t *resp)
{
	struct sync_stats st;
	int rc = sync_apply(&f->env, resp, &st);
	json_decref(resp);
	return rc;
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	long long n = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

/* The first sync of a database handles nothing (history). */
static void first(struct fx *f)
{
	assert_int_equal(apply(f, batch(f, json_array(), NULL)), 0);
}

/* Outbox rows answering events whose id starts with prefix. */
static long long replies_to(struct fx *f, const char *prefix)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
		 " '%%\"m.in_reply_to\":{\"event_id\":\"%s%%'", prefix);
	return count(f->db, sql);
}

static long long notices(struct fx *f)
{
	return count(f->db, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
		     " '%te veel commando''s kort na elkaar%'");
}

/* 500 commands in a minute from one sender, ten from another in between:
 * the flooder gets the burst plus a minute's refill and one notice, the
 * other member every answer; all 510 are handled, none is left. */
static void test_flood_one_notice(void **state)
{
	struct fx *f = *state;
	first(f);
	json_t *ev = json_array();
	char id[32];
	for (int i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "$f%03d", i);
		json_array_append_new(ev, fx_msg_event(id, FLOODER, "!hulp", T0 + i * 120LL));
		if (i % 50 == 25) {
			snprintf(id, sizeof id, "$o%03d", i);
			json_array_append_new(ev, fx_msg_event(id, OTHER, "!hulp", T0 + i * 120LL));
		}
	}
	assert_int_equal(apply(f, batch(f, ev, NULL)), 0);
	/* 20 at once, then one per 2 s over the 59.88 s the flood lasts. */
	long long answered = replies_to(f, "$f") - 1;
	long long refill = 59880LL * 30 / 60000;
	assert_in_range(answered, 20 + refill - 1, 20 + refill + 1);
	assert_int_equal(notices(f), 1);
	assert_int_equal(replies_to(f, "$o"), 10);
	/* Each row knows whom it answers, so the room's sends take turns. */
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM outbox WHERE answers = '" OTHER "'"), 10);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM handled_events"), 510);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM outbox"), answered + 1 + 10);
	/* The notice answers one of the flooder's commands. */
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
			       " '%te veel commando%' AND content LIKE"
			       " '%\"m.in_reply_to\":{\"event_id\":\"$f%'"), 1);
	/* Read again (a server replay): nothing more. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$f499", FLOODER, "!hulp", T0 + 499 * 120LL));
	json_array_append_new(ev, fx_msg_event("$f300", FLOODER, "!hulp", T0 + 300 * 120LL));
	assert_int_equal(apply(f, batch(f, ev, NULL)), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM outbox"), answered + 1 + 10);
}

/* The notice says from when commands are answered again, in the network's
 * time: all at the same instant, the 21st waits one refill (2 s). Plain
 * chat in between counts for nothing. */
static void test_notice_says_when(void **state)
{
	struct fx *f = *state;
	first(f);
	json_t *ev = json_array();
	char id[32];
	for (int i = 0; i < 25; i++) {
		snprintf(id, sizeof id, "$f%03d", i);
		json_array_append_new(ev, fx_msg_event(id, FLOODER, "!hulp", T0));
		snprintf(id, sizeof id, "$p%03d", i);
		json_array_append_new(ev, fx_msg_event(id, FLOODER, "gewoon gepraat", T0));
	}
	assert_int_equal(apply(f, batch(f, ev, NULL)), 0);
	assert_int_equal(replies_to(f, "$f"), 21);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
			       " '%vóór 09:00:02 stuurt%'"), 1);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM handled_events WHERE"
			       " event_id LIKE '$p%'"), 0);
}

/* A backlog read at once after downtime is judged by when it was sent:
 * 100 commands 3 s apart are all answered. */
static void test_backlog_by_send_time(void **state)
{
	struct fx *f = *state;
	first(f);
	json_t *ev = json_array();
	char id[32];
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof id, "$b%03d", i);
		json_array_append_new(ev, fx_msg_event(id, FLOODER, "!hulp", T0 + i * 3000LL));
	}
	assert_int_equal(apply(f, batch(f, ev, NULL)), 0);
	assert_int_equal(replies_to(f, "$b"), 100);
	assert_int_equal(notices(f), 0);
}

/* One bucket per sender over all rooms; a new stretch, after the bucket
 * filled again, gets a new notice; a flood going on gets none. */
static void test_stretches_and_rooms(void **state)
{
	struct fx *f = *state;
	first(f);
	json_t *ev = json_array(), *ev2 = json_array();
	char id[32];
	for (int i = 0; i < 15; i++) {
		snprintf(id, sizeof id, "$a%03d", i);
		json_array_append_new(ev, fx_msg_event(id, FLOODER, "!hulp", T0));
		snprintf(id, sizeof id, "$c%03d", i);
		json_array_append_new(ev2, fx_msg_event(id, FLOODER, "!help", T0));
	}
	assert_int_equal(apply(f, batch(f, ev, ev2)), 0);
	assert_int_equal(replies_to(f, "$a") + replies_to(f, "$c"), 21);
	assert_int_equal(notices(f), 1);
	/* Still flooding 10 s later: 5 refilled, no second notice. */
	ev = json_array();
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof id, "$d%03d", i);
		json_array_append_new(ev, fx_msg_event(id, FLOODER, "!hulp", T0 + 10000));
	}
	assert_int_equal(apply(f, batch(f, ev, NULL)), 0);
	assert_int_equal(replies_to(f, "$d"), 5);
	assert_int_equal(notices(f), 1);
	/* Quiet for a minute (the bucket is full), then another flood. */
	ev = json_array();
	for (int i = 0; i < 22; i++) {
		snprintf(id, sizeof id, "$e%03d", i);
		json_array_append_new(ev, fx_msg_event(id, FLOODER, "!hulp", T0 + 80000));
	}
	assert_int_equal(apply(f, batch(f, ev, NULL)), 0);
	assert_int_equal(replies_to(f, "$e"), 21);
	assert_int_equal(notices(f), 2);
}

/* A batch that fails and is read again counts its commands once: the
 * bucket is written in the batch's transaction. */
static void test_rolled_back_batch_counts_once(void **state)
{
	struct fx *f = *state;
	first(f);
	/* Storing the batch's token fails: the whole batch rolls back (a
	 * failure of one event alone would only quarantine that event). */
	assert_int_equal(sqlite3_exec(f->db, "CREATE TRIGGER boom BEFORE UPDATE ON"
		" kv WHEN NEW.key = 'sync.next_batch' BEGIN SELECT RAISE(ABORT,"
		" 'boom'); END", NULL, NULL, NULL), SQLITE_OK);
	char id[32];
	for (int round = 0; round < 2; round++) {
		json_t *ev = json_array();
		for (int i = 0; i < 20; i++) {
			snprintf(id, sizeof id, "$g%03d", i);
			json_array_append_new(ev, fx_msg_event(id, FLOODER, "!hulp", T0));
		}
		int rc = apply(f, batch(f, ev, NULL));
		if (round == 0) {
			assert_true(rc < 0);
			sqlite3_exec(f->db, "DROP TRIGGER boom", NULL, NULL, NULL);
		} else {
			assert_int_equal(rc, 0);
		}
	}
	assert_int_equal(replies_to(f, "$g"), 20);
	assert_int_equal(notices(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_one_notice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notice_says_when, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backlog_by_send_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stretches_and_rooms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rolled_back_batch_counts_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
