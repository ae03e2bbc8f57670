/* Reminders generated when their source changes (storage/reminder_dirty.h,
 * handlers/reminder_regen.c): a change regenerates its reminders in its
 * own transaction, a closed or deleted source loses its pending ones, the
 * incremental result equals a full regeneration (demo and randomised
 * databases, compared row by row), and an unrelated command runs no
 * generator at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/scheduler.h"
#include "bot/sync.h"
#include "fixture.h"
#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/actionlines.h"
#include "storage/actions.h"
#include "storage/advice.h"
#include "storage/db.h"
#include "demo/demo.h"
#include "storage/meetings.h"
#include "storage/minutes.h"
#include "storage/reminder_dirty.h"
#include "storage/reminders.h"
#include "storage/roles.h"

#define AMS "Europe/Amsterdam"
#define DAY 86400

#define ROOM "!noord:demo.test"
static char *rooms[] = { "werktafel", ROOM };
static struct wt_offset offsets[] = {
	{ "agenda_call", 21 * DAY }, { "agenda_final", 10 * DAY },
	{ "invitation", 7 * DAY }, { "meeting_tomorrow", DAY },
	{ "room_day_before", DAY }, { "room_hour_before", 3600 },
};
static struct wt_network nets[] = {
	{ .name = "noord", .rooms = rooms, .nrooms = 2, .lang = LANG_NL, .tz = AMS,
	  .offsets = offsets, .noffsets = 6, .advice_wait_days = 14 },
};
static const char *const admins[] = { "@beheer:demo.test", NULL };

#define CHAIR "@anna:demo.test"
#define SECRETARY "@bram:demo.test"
#define MEMBER "@cees:demo.test"

/* Wednesday 13 January 2027, 10:00 in Amsterdam. */
static time_t noon(void)
{
	struct tz_local l = { 2027, 1, 13, 10, 0, 0, 0 };
	time_t t;
	assert_int_equal(tz_to_utc(AMS, &l, &t), TZ_OK);
	return t;
}

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(noon(), admins);
	assert_int_equal(roles_set(f->db, "noord", CHAIR, ROLE_CHAIR, NULL, f->now), 0);
	assert_int_equal(roles_set(f->db, "noord", SECRETARY, ROLE_SECRETARY, NULL, f->now), 0);
	f->networks = nets;
	f->nnetworks = 1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static long long scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Every generated reminder, one line each, in key order. */
static char *generated(sqlite3 *db)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT source_key, kind, ref_id, coalesce(to_user, '-'),"
		" coalesce(room_id, '-'), due_at, state FROM reminders"
		" WHERE source_key IS NOT NULL ORDER BY source_key", -1, &st, NULL), SQLITE_OK);
	struct strbuf sb = STRBUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(&sb, "%s|%s|%lld|%s|%s|%lld|%s\n", sqlite3_column_text(st, 0),
			sqlite3_column_text(st, 1), (long long)sqlite3_column_int64(st, 2),
			sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
			(long long)sqlite3_column_int64(st, 5), sqlite3_column_text(st, 6));
	sqlite3_finalize(st);
	return sb_detach(&sb);
}

/* Fail naming the first line where a and b differ. */
static void same_rows(const char *what, const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return;
	size_t i = 0, line = 0;
	while (a[i] && a[i] == b[i]) {
		if (a[i] == '\n')
			line = i + 1;
		i++;
	}
	fail_msg("%s: incremental and full differ at\n  incremental: %.120s\n  full:        %.120s",
		 what, a + line, b + line);
}

/* Regenerate what is marked, in ctx's transaction. */
static int regen(struct fx_cmds *f)
{
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &nets[0], .sender = "", .now = f->now,
			      .lang = LANG_NL, .role = ROLE_ADMIN, .out = &none,
			      .networks = nets, .nnetworks = 1 };
	int rc = reminder_regen_dirty(&ctx);
	wt_replies_free(&none);
	return rc;
}

/* A full regeneration of every family, as at start-up. */
static void full(struct fx_cmds *f)
{
	struct wt_config cfg = { .networks = nets, .nnetworks = 1, .lang = LANG_NL };
	assert_int_equal(scheduler_generate(f->db, &cfg, f->now), 0);
}

static long long plan_meeting(struct fx_cmds *f, time_t at, int state)
{
	struct wt_meeting m = { .network = "noord", .title = "Werktafel", .starts_at = at,
				.duration_min = 120, .state = state, .created_at = f->now };
	assert_int_equal(meeting_create(f->db, &m), 0);
	return m.id;
}

static long long pending_of(sqlite3 *db, const char *prefix)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM reminders WHERE state = 'pending'"
		 " AND source_key LIKE '%s%%'", prefix);
	return scalar(db, sql);
}

/* A command's change is regenerated inside its transaction: the reminders
 * are there before the commit, the marks are gone, and a rollback takes
 * both back. */
static void test_command_regenerates_in_its_transaction(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(fx_run(f, &nets[0], CHAIR, "!vergadering plan 09-02-2027 19:30 titel Werktafel"), WT_OK);
	long long id = scalar(f->db, "SELECT max(id) FROM meetings");
	char prefix[40];
	snprintf(prefix, sizeof prefix, "meeting:%lld:", id);
	/* the six configured and the secretary's report if it is not opened */
	assert_int_equal(pending_of(f->db, prefix), 7);
	assert_int_equal(fx_count(f->db, "reminder_dirty"), 0);
	assert_int_equal(db_commit(f->db), 0);

	/* A change rolled back leaves the reminders as they were. */
	char *before = generated(f->db);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(meeting_set_state(f->db, id, MEETING_CANCELLED, f->now), 0);
	assert_int_equal(fx_count(f->db, "reminder_dirty"), 1);
	assert_int_equal(regen(f), 0);
	assert_int_equal(pending_of(f->db, prefix), 0);
	assert_int_equal(db_rollback(f->db), 0);
	char *after = generated(f->db);
	assert_string_equal(before, after);
	assert_int_equal(fx_count(f->db, "reminder_dirty"), 0);
	free(before);
	free(after);

	/* Moved by a command: the reminders move with it at once. */
	long long due = scalar(f->db, "SELECT due_at FROM reminders WHERE source_key LIKE"
			       " '%:room_hour_before'");
	fx_ok(f, &nets[0], CHAIR, "!vergadering verzet 1 10-02-2027 19:30");
	assert_int_equal(scalar(f->db, "SELECT due_at FROM reminders WHERE source_key LIKE"
				" '%:room_hour_before'"), due + DAY);
}

/* Closing or deleting a source drops its pending reminders: a cancelled
 * meeting, a decided advice request, a done action, a done or deleted
 * action line; a raw SQL writer is caught by the triggers too. */
static void test_closed_sources_drop_their_reminders(void **state)
{
	struct fx_cmds *f = *state;
	long long m = plan_meeting(f, f->now + 30 * DAY, MEETING_PLANNED);
	struct wt_advice a = { .network = "noord", .title = "Valpreventie",
			       .submitted_by = MEMBER, .requested_by = CHAIR,
			       .deadline = f->now + 20 * DAY, .created_at = f->now };
	assert_int_equal(advice_create(f->db, &a), 0);
	assert_int_equal(advice_assign(f->db, a.id, MEMBER, CHAIR, f->now), 1);
	struct wt_logged act = { .network = "noord", .kind = LOGGED_ACTION, .text = "Bellen",
				 .owner = MEMBER, .due_at = f->now + 5 * DAY,
				 .logged_by = SECRETARY, .room = rooms[0], .created_at = f->now };
	assert_int_equal(logged_add(f->db, &act), 0);
	struct actionline l = { .network = "noord", .title = "Mantelzorg", .created_at = f->now };
	assert_int_equal(al_create(f->db, &l), 0);
	assert_int_equal(al_person_add(f->db, l.id, AL_LEAD, MEMBER, f->now), 0);
	assert_int_equal(regen(f), 0);
	char p_m[40], p_a[40], p_act[40], p_l[40];
	snprintf(p_m, sizeof p_m, "meeting:%lld:", m);
	snprintf(p_a, sizeof p_a, "advice:%lld:", a.id);
	snprintf(p_act, sizeof p_act, "action:%lld:", act.id);
	snprintf(p_l, sizeof p_l, "actionline:%lld:", l.id);
	assert_true(pending_of(f->db, p_m) > 0);
	assert_true(pending_of(f->db, p_a) > 0);
	assert_int_equal(pending_of(f->db, p_act), 1);
	assert_int_equal(pending_of(f->db, p_l), 2);

	assert_int_equal(meeting_set_state(f->db, m, MEETING_CANCELLED, f->now), 0);
	assert_int_equal(advice_step(f->db, &a, "decide", ADVICE_DECIDED, CHAIR, f->now, NULL, NULL), 0);
	assert_int_equal(actions_set_done(f->db, act.id, MEMBER, f->now), 0);
	assert_int_equal(al_set_status(f->db, l.id, AL_DONE, NULL, CHAIR, f->now), 0);
	assert_int_equal(regen(f), 0);
	assert_int_equal(pending_of(f->db, p_m), 0);
	assert_int_equal(pending_of(f->db, p_a), 0);
	assert_int_equal(pending_of(f->db, p_act), 0);
	assert_int_equal(pending_of(f->db, p_l), 0);

	/* Deleted with plain SQL, no storage function involved. */
	long long m2 = plan_meeting(f, f->now + 40 * DAY, MEETING_PLANNED);
	assert_int_equal(regen(f), 0);
	snprintf(p_m, sizeof p_m, "meeting:%lld:", m2);
	assert_true(pending_of(f->db, p_m) > 0);
	assert_int_equal(db_execf(f->db, "DELETE FROM meetings WHERE id = ?1", "i",
				  (sqlite3_int64)m2), 0);
	assert_int_equal(regen(f), 0);
	assert_int_equal(pending_of(f->db, p_m), 0);
}

/* The demo database built with the triggers on and only the incremental
 * path run, then a full regeneration: not one row may change. */
static void test_incremental_equals_full_on_demo(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(demo_seed(f->db, &nets[0], f->now), 0);
	assert_true(fx_count(f->db, "reminder_dirty") > 0);
	assert_int_equal(regen(f), 0);
	assert_int_equal(fx_count(f->db, "reminder_dirty"), 0);
	char *inc = generated(f->db);
	assert_true(strlen(inc) > 0);
	full(f);
	char *all = generated(f->db);
	same_rows("demo", inc, all);
	free(inc);
	free(all);
}

/* A small deterministic generator (the seed is printed on failure). */
static unsigned long long rng;
static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static const char *const people[] = { CHAIR, SECRETARY, MEMBER, "@dirk:demo.test", "@eva:demo.test" };
#define NPEOPLE (sizeof people / sizeof people[0])

/* The row id of a row picked at random from the rows of `from` (an SQL
 * literal: "FROM table WHERE ..."), or 0 when there is none. The SQL is
 * literals only; the offset is bound. */
#define RANDOM_ID(db, from) random_id(db, "SELECT count(*) " from, \
				      "SELECT id " from " ORDER BY id LIMIT 1 OFFSET ?1")
static long long random_id(sqlite3 *db, const char *count_sql, const char *pick_sql)
{
	long long n = scalar(db, count_sql);
	if (!n)
		return 0;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, pick_sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)pick((unsigned)n));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One random change to a random source of the demo database, through the
 * storage functions or plain SQL. */
static void random_change(struct fx_cmds *f)
{
	sqlite3 *db = f->db;
	time_t t = f->now + (time_t)pick(90 * DAY) - 20 * DAY;
	const char *who = people[pick(NPEOPLE)];
	switch (pick(14)) {
	case 0:
		plan_meeting(f, t, pick(4) ? MEETING_PLANNED : MEETING_OPEN);
		break;
	case 1:
		db_execf(db, "UPDATE meetings SET starts_at = ?1 WHERE id = ?2", "ii", (sqlite3_int64)t,
			 (sqlite3_int64)RANDOM_ID(db, "FROM meetings"));
		break;
	case 2:
		db_execf(db, "UPDATE meetings SET state = ?1 WHERE id = ?2", "ti",
			 pick(2) ? "cancelled" : "closed",
			 (sqlite3_int64)RANDOM_ID(db, "FROM meetings"));
		break;
	case 3: {
		struct wt_advice a = { .network = "noord", .title = "Vraag", .submitted_by = (char *)who,
				       .requested_by = pick(2) ? CHAIR : NULL,
				       .deadline = pick(3) ? t : 0, .created_at = f->now - pick(30) * DAY };
		advice_create(db, &a);
		break;
	}
	case 4:
		db_execf(db, "INSERT OR IGNORE INTO advice_assignees VALUES (?4, ?1, ?2, ?3)",
			 "ttii", who, CHAIR, (sqlite3_int64)f->now,
			 (sqlite3_int64)RANDOM_ID(db, "FROM advice_requests"));
		break;
	case 5:
		db_execf(db, "UPDATE advice_requests SET state = ?1 WHERE id = ?2", "ti",
			 (const char *[]){ "accepted", "in_progress", "delivered", "decided",
					   "withdrawn" }[pick(5)],
			 (sqlite3_int64)RANDOM_ID(db, "FROM advice_requests"));
		break;
	case 6:
		db_execf(db, "UPDATE advice_requests SET deadline = ?1 WHERE id = ?2", "ii", (sqlite3_int64)t,
			 (sqlite3_int64)RANDOM_ID(db, "FROM advice_requests"));
		break;
	case 7: {
		struct wt_logged it = { .network = "noord", .kind = LOGGED_ACTION, .text = "Doen",
					.owner = (char *)who, .due_at = pick(4) ? t : 0,
					.logged_by = SECRETARY, .room = rooms[0], .created_at = f->now };
		logged_add(db, &it);
		break;
	}
	case 8:
		db_execf(db, "UPDATE logged_items SET done_at = ?1 WHERE id = ?2", "ii",
			 (sqlite3_int64)f->now,
			 (sqlite3_int64)RANDOM_ID(db, "FROM logged_items WHERE kind = 'action'"));
		break;
	case 9:
		db_execf(db, "UPDATE logged_items SET due_at = ?1 WHERE id = ?2", "ii",
			 (sqlite3_int64)t,
			 (sqlite3_int64)RANDOM_ID(db, "FROM logged_items WHERE kind = 'action'"));
		break;
	case 10: {
		long long line = RANDOM_ID(db, "FROM action_lines");
		if (line)
			al_person_add(db, line, pick(2) ? AL_LEAD : AL_MEMBER, who, f->now);
		break;
	}
	case 11: {
		long long line = RANDOM_ID(db, "FROM action_lines");
		if (line)
			al_set_status(db, line, (enum al_status)pick(4), "reden", CHAIR, f->now);
		break;
	}
	case 12: {
		long long line = RANDOM_ID(db, "FROM action_lines");
		struct al_deliverable d = { .text = "Opleveren",
					    .due_day = (long)(t / DAY) };
		if (line)
			al_deliv_add(db, line, &d, f->now);
		break;
	}
	default:
		roles_set(db, "noord", who, pick(2) ? ROLE_CHAIR : 1, CHAIR, f->now);
		break;
	}
}

/* Random changes, each regenerated incrementally in its own transaction,
 * against one full regeneration at the end. */
static void test_incremental_equals_full_randomised(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(demo_seed(f->db, &nets[0], f->now), 0);
	full(f);
	for (unsigned seed = 1; seed <= 3; seed++) {
		rng = seed;
		for (int i = 0; i < 150; i++) {
			assert_int_equal(db_begin(f->db), 0);
			random_change(f);
			assert_int_equal(regen(f), 0);
			assert_int_equal(db_commit(f->db), 0);
		}
		char *inc = generated(f->db);
		full(f);
		char *all = generated(f->db);
		char what[32];
		snprintf(what, sizeof what, "random seed %u", seed);
		same_rows(what, inc, all);
		free(inc);
		free(all);
	}
}

/* A command that changes no source (help, a list) runs no generator, and
 * the scheduler pass after the batch (bot/run.c after_sync) neither. */
static void test_unrelated_command_runs_no_generator(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(demo_seed(f->db, &nets[0], f->now), 0);
	full(f);
	struct wt_config cfg = { .networks = nets, .nnetworks = 1, .lang = LANG_NL };
	time_t timed_at = f->now + SCHEDULER_TIMED_EVERY;
	long long runs = reminder_generator_runs, passes = scheduler_generate_passes;
	fx_ok(f, &nets[0], MEMBER, "!hulp agenda");
	fx_ok(f, &nets[0], MEMBER, "!acties");
	assert_int_equal(scheduler_refresh(f->db, &cfg, f->now + 60, &timed_at), 0);
	assert_int_equal(reminder_generator_runs, runs);
	assert_int_equal(scheduler_generate_passes, passes);
	/* One that plans a meeting runs the meeting family once, for it. */
	fx_ok(f, &nets[0], CHAIR, "!vergadering plan 09-03-2027 19:30 titel Extra");
	assert_int_equal(reminder_generator_runs, runs + 1);
	assert_int_equal(scheduler_refresh(f->db, &cfg, f->now + 60, &timed_at), 0);
	assert_int_equal(scheduler_generate_passes, passes);
	/* The next due reminder is found through an index. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "EXPLAIN QUERY PLAN SELECT min(due_at)"
		" FROM reminders WHERE state = 'pending'", -1, &st, NULL), SQLITE_OK);
	int indexed = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		indexed |= strstr((const char *)sqlite3_column_text(st, 3), "USING") != NULL;
	sqlite3_finalize(st);
	assert_true(indexed);
}

/* What depends on the clock alone waits for its day, not for a sync: a
 * weekly series plans further ahead once a day has passed, and those new
 * meetings get their reminders in the same pass. */
static void test_clock_driven_part_once_a_day(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_config cfg = { .networks = nets, .nnetworks = 1, .lang = LANG_NL };
	fx_ok(f, &nets[0], CHAIR, "!vergadering plan 19-01-2027 19:30 titel Werktafel elke dinsdag");
	long long planned = fx_count(f->db, "meetings");
	time_t timed_at = 0;
	assert_int_equal(scheduler_refresh(f->db, &cfg, f->now, &timed_at), 0);
	assert_int_equal(timed_at, f->now + SCHEDULER_TIMED_EVERY);
	/* Within the day nothing is planned or generated. */
	long long passes = scheduler_generate_passes;
	assert_int_equal(scheduler_refresh(f->db, &cfg, f->now + 3600, &timed_at), 0);
	assert_int_equal(scheduler_generate_passes, passes);
	assert_int_equal(fx_count(f->db, "meetings"), planned);
	/* Three weeks on: three more Tuesdays within the horizon. */
	f->now += 21 * DAY;
	assert_int_equal(scheduler_refresh(f->db, &cfg, f->now, &timed_at), 0);
	assert_int_equal(scheduler_generate_passes, passes + 1);
	assert_int_equal(fx_count(f->db, "meetings"), planned + 3);
	assert_int_equal(fx_count(f->db, "reminder_dirty"), 0);
	long long last = scalar(f->db, "SELECT max(id) FROM meetings");
	char prefix[40];
	snprintf(prefix, sizeof prefix, "meeting:%lld:", last);
	assert_int_equal(pending_of(f->db, prefix), 7);  /* 6 + the unopened report */
	char *inc = generated(f->db);
	full(f);
	char *all = generated(f->db);
	same_rows("series", inc, all);
	free(inc);
	free(all);
}

/* A text message event of a /sync response. */
/* Apply a /sync response with one message in ROOM through the real
 * dispatch, as bot/sync.c does for a batch. */
static void batch(struct fx_cmds *f, const struct wt_config *cfg, const char *next,
		  const char *id, const char *sender, const char *body)
{
	struct sync_env env = { .db = f->db, .cfg = cfg, .user_id = "@werktafel:demo.test",
				.dispatch = wt_dispatch_message };
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event(id, sender, body, 1000));
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", next, "rooms",
			      "join", ROOM, "timeline", "events", ev);
	struct sync_stats st;
	assert_int_equal(sync_apply(&env, r, &st), 0);
	json_decref(r);
}

/* Sync batches through the real sync layer and dispatch: one with an
 * unrelated command runs no generator, and neither does the pass after
 * it; one whose command logs an action has its reminder when the batch
 * has committed, with no mark left. */
static void test_sync_batch_runs_no_generator(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(demo_seed(f->db, &nets[0], f->now), 0);
	struct wt_config cfg = { .networks = nets, .nnetworks = 1, .lang = LANG_NL };
	full(f);
	batch(f, &cfg, "s1", "$old", MEMBER, "!hulp");   /* the first: history */
	long long runs = reminder_generator_runs, passes = scheduler_generate_passes;
	time_t timed_at = time(NULL) + SCHEDULER_TIMED_EVERY;
	batch(f, &cfg, "s2", "$e1", "@daan:demo.test", "!hulp agenda");
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(scheduler_refresh(f->db, &cfg, time(NULL), &timed_at), 0);
	assert_int_equal(reminder_generator_runs, runs);
	assert_int_equal(scheduler_generate_passes, passes);

	batch(f, &cfg, "s3", "$e2", CHAIR, "!actie @daan:demo.test bellen voor 20-01-2099");
	assert_int_equal(reminder_generator_runs, runs + 1);
	assert_int_equal(fx_count(f->db, "reminder_dirty"), 0);
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM reminders r JOIN logged_items l"
				" ON r.ref_id = l.id WHERE r.kind = 'action.due'"
				" AND r.state = 'pending' AND l.text = 'bellen'"), 1);
	assert_int_equal(scheduler_refresh(f->db, &cfg, time(NULL), &timed_at), 0);
	assert_int_equal(scheduler_generate_passes, passes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_command_regenerates_in_its_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_sources_drop_their_reminders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incremental_equals_full_on_demo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incremental_equals_full_randomised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unrelated_command_runs_no_generator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_batch_runs_no_generator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_driven_part_once_a_day, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
