/* The scheduler with an injected clock: firing into the outbox exactly
 * once, recurring reminders, the late policy after downtime, meeting
 * reminders rendered when they fire, and the one timer's arming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/config.h"
#include "bot/scheduler.h"
#include "handlers/remind.h"
#include "lib/tz.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/reminders.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "storage/rooms.h"
#include "tests/unit/fixture.h"

#define AMS "Europe/Amsterdam"
#define DAY 86400

static char *rooms[] = { "!noord:demo.test" };
static struct wt_offset offsets[] = { { "agenda_call", 21 * DAY }, { "room_hour_before", 3600 } };
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = AMS, .offsets = offsets, .noffsets = 2, .advice_wait_days = 14 };

struct fx {
	sqlite3 *db;
	struct wt_config cfg;
	time_t now;
};

static time_t local(int y, int mo, int d, int h, int mi)
{
	struct tz_local l = { y, mo, d, h, mi, 0, 0 };
	time_t t;
	assert_int_equal(tz_to_utc(AMS, &l, &t), TZ_OK);
	return t;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	f->cfg.lang = LANG_NL;
	f->cfg.timezone = AMS;
	f->cfg.late_limit_hours = 24;
	f->cfg.networks = &net;
	f->cfg.nnetworks = 1;
	f->now = local(2027, 1, 13, 10, 0);
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

/* A personal reminder for user, due at due; returns its row id. */
static long long add(struct fx *f, const char *user, const char *text, time_t due,
		     const char *rrule)
{
	struct wt_reminder r = { .network = "noord", .kind = "personal", .owner = (char *)user,
				 .to_user = (char *)user, .text = (char *)text, .due_at = due,
				 .rrule = (char *)rrule, .tz = rrule ? AMS : NULL,
				 .created_at = f->now };
	assert_int_equal(reminders_add(f->db, &r), 0);
	return r.id;
}

static long long scalar(struct fx *f, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The content of outbox row number i (1-based, by id); caller frees. */
static char *outbox_content(struct fx *f, int i)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT content FROM outbox ORDER BY id"
					    " LIMIT 1 OFFSET ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int(st, 1, i - 1);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static void test_fires_once_into_outbox(void **state)
{
	struct fx *f = *state;
	long long id = add(f, "@cees:demo.test", "verslag lezen", f->now + 60, NULL);
	add(f, "@cees:demo.test", "later", f->now + 3600, NULL);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 59, f->now), 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 60, f->now), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox WHERE to_user = '@cees:demo.test'"
			       " AND room_id IS NULL"), 1);
	char *c = outbox_content(f, 1);
	assert_non_null(strstr(c, "verslag lezen"));
	assert_non_null(strstr(c, "Herinnering"));
	/* It notifies (m.text, not a suppressed m.notice) and pings only him. */
	assert_non_null(strstr(c, "\"msgtype\":\"m.text\""));
	assert_non_null(strstr(c, "\"m.mentions\":{\"user_ids\":[\"@cees:demo.test\"]}"));
	assert_null(strstr(c, "Te laat"));
	free(c);
	struct wt_reminder r;
	assert_int_equal(reminders_by_id(f->db, id, &r), 1);
	assert_int_equal(r.state, REMINDER_FIRED);
	reminder_free(&r);
	/* Never twice. */
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 120, f->now), 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(scheduler_delay_ms(f->db, (int64_t)(f->now + 120) * 1000, 30000), 30000);
	assert_int_equal(scheduler_delay_ms(f->db, (int64_t)(f->now + 3590) * 1000 + 500, 30000), 9500);
}

static void test_room_reminder_and_recurring(void **state)
{
	struct fx *f = *state;
	struct wt_reminder room = { .network = "noord", .kind = "room", .owner = "@bram:demo.test",
				    .room_id = "!noord:demo.test", .text = "koffie",
				    .due_at = f->now + 10, .created_at = f->now };
	assert_int_equal(reminders_add(f->db, &room), 0);
	time_t monday = local(2027, 1, 18, 9, 0);
	long long id = add(f, "@cees:demo.test", "weekstart", monday, "FREQ=WEEKLY;BYDAY=MO");
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 10, f->now), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox WHERE room_id = '!noord:demo.test'"), 1);
	/* A room reminder notifies the room but pings nobody. */
	char *rc = outbox_content(f, 1);
	assert_non_null(strstr(rc, "\"msgtype\":\"m.text\""));
	assert_non_null(strstr(rc, "\"m.mentions\":{}"));
	free(rc);
	/* Every Monday 9:00, still 9:00 after the clocks change in March. */
	time_t t = monday;
	for (int i = 0; i < 12; i++) {
		assert_int_equal(scheduler_fire_due(f->db, &f->cfg, t, f->now), 1);
		struct wt_reminder r;
		assert_int_equal(reminders_by_id(f->db, id, &r), 1);
		assert_int_equal(r.state, REMINDER_PENDING);
		assert_int_equal(r.due_at - t, i == 9 ? 7 * DAY - 3600 : 7 * DAY);
		struct tz_local l;
		tz_from_utc(AMS, r.due_at, &l);
		assert_int_equal(l.hour, 9);
		assert_int_equal(l.wday, 1);
		t = r.due_at;
		reminder_free(&r);
	}
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 13);
}

static void test_late_policy_after_downtime(void **state)
{
	struct fx *f = *state;
	time_t started = f->now;
	add(f, "@cees:demo.test", "een uur te laat", started - 3600, NULL);
	add(f, "@cees:demo.test", "twee dagen te laat", started - 2 * DAY, NULL);
	add(f, "@cees:demo.test", "drie dagen te laat", started - 3 * DAY, NULL);
	add(f, "@dirk:demo.test", "ook oud", started - 5 * DAY, NULL);
	add(f, "@cees:demo.test", "op tijd", started + 60, NULL);
	assert_int_equal(scheduler_summarise_missed(f->db, &f->cfg, started), 3);
	/* One summary per person. */
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 2);
	/* Dirk's is first (the oldest), then Cees's with both of his. */
	char *c = outbox_content(f, 1);
	assert_non_null(strstr(c, "ook oud"));
	assert_non_null(strstr(c, "Gemiste herinnering (1): deze had ik moeten sturen toen ik"
			       " offline was, en hij is nu meer dan 24 uur oud:"));
	free(c);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox WHERE id = 2"
			       " AND to_user = '@cees:demo.test'"), 1);
	c = outbox_content(f, 2);
	assert_non_null(strstr(c, "Gemiste herinneringen (2): deze had ik moeten sturen toen ik"
			       " offline was, en ze zijn nu meer dan 24 uur oud:"));
	assert_non_null(strstr(c, "twee dagen te laat"));
	assert_non_null(strstr(c, "drie dagen te laat"));
	assert_non_null(strstr(c, "24 uur"));
	free(c);
	/* The hour-late one is sent, marked late with its due time. */
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, started, started), 1);
	c = outbox_content(f, 3);
	assert_non_null(strstr(c, "een uur te laat"));
	assert_non_null(strstr(c, "Te laat verstuurd"));
	assert_non_null(strstr(c, "dit had op woensdag 13 januari om 09:00 moeten komen"));
	free(c);
	/* Nothing is sent twice: a second start finds nothing. */
	assert_int_equal(scheduler_summarise_missed(f->db, &f->cfg, started + 5), 0);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, started + 5, started + 5), 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 1);
	/* A reminder due after the start is not late. */
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, started + 60, started), 1);
	c = outbox_content(f, 4);
	assert_null(strstr(c, "Te laat"));
	free(c);
}

static void test_meeting_reminder_fires_to_chair(void **state)
{
	struct fx *f = *state;
	roles_set(f->db, "noord", "@anna:demo.test", 4, NULL, f->now);
	struct wt_meeting m = { .network = "noord", .title = "Werktafel februari",
				.room = "!noord:demo.test", .starts_at = f->now + 22 * DAY,
				.duration_min = 120, .created_at = f->now };
	assert_int_equal(meeting_create(f->db, &m), 0);
	assert_int_equal(scheduler_generate(f->db, &f->cfg, f->now), 0);
	/* two configured, and the report the morning after if not opened */
	assert_int_equal(scalar(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 3);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + DAY, f->now), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox WHERE to_user = '@anna:demo.test'"), 1);
	char *c = outbox_content(f, 1);
	assert_non_null(strstr(c, "Werktafel februari"));
	assert_non_null(strstr(c, "agendapunten"));
	assert_non_null(strstr(c, "\"msgtype\":\"m.text\""));
	assert_non_null(strstr(c, "\"m.mentions\":{\"user_ids\":[\"@anna:demo.test\"]}"));
	free(c);
	/* Cancelled before the room's reminder: nothing goes out. */
	assert_int_equal(meeting_set_state(f->db, m.id, MEETING_CANCELLED, f->now), 0);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 22 * DAY, f->now), 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 1);
}

/* agenda_call = auto: the chair's reminder goes out with the call itself
 * in the network's room, notifying its members, in one transaction. */
static void test_agenda_call_auto_posts_in_rooms(void **state)
{
	struct fx *f = *state;
	struct wt_network autonet = net;
	autonet.agenda_call_auto = 1;
	f->cfg.networks = &autonet;
	roles_set(f->db, "noord", "@anna:demo.test", 4, NULL, f->now);
	assert_int_equal(rooms_note_joined(f->db, "!noord:demo.test", "noord", 1000), 0);
	assert_int_equal(room_set_verified(f->db, "!noord:demo.test", "noord"), 0);
	assert_int_equal(room_members_set(f->db, "!noord:demo.test", "@piet:demo.test", "join"), 0);
	assert_int_equal(room_members_mark_known(f->db, "!noord:demo.test"), 0);
	struct wt_meeting m = { .network = "noord", .title = "Werktafel maart",
				.room = "!noord:demo.test", .starts_at = f->now + 22 * DAY,
				.duration_min = 120, .created_at = f->now };
	assert_int_equal(meeting_create(f->db, &m), 0);
	assert_int_equal(scheduler_generate(f->db, &f->cfg, f->now), 0);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + DAY, f->now), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 2);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox WHERE to_user = '@anna:demo.test'"), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox WHERE room_id = '!noord:demo.test'"
				" AND to_user IS NULL"), 1);
	char *chair = outbox_content(f, 1), *call = outbox_content(f, 2);
	assert_non_null(strstr(chair, "Ik heb de oproep voor agendapunten in 1 kamer gezet"));
	assert_non_null(strstr(call, "Oproep: agendapunten voor Werktafel maart"));
	assert_non_null(strstr(call, "\"msgtype\":\"m.text\""));
	assert_non_null(strstr(call, "\"m.mentions\":{\"user_ids\":[\"@piet:demo.test\"]}"));
	free(chair);
	free(call);
	f->cfg.networks = &net;
}

/* The txn id of the newest outbox row (caller frees). */
static char *last_txn(struct fx *f)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT txn_id FROM outbox"
					    " WHERE room_id IS NOT NULL OR to_user = '@cees:demo.test'"
					    " ORDER BY id DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static int answer(struct fx *f, struct wt_replies *out, const char *sender, time_t now,
		  const char *event, const char *body, const char *key)
{
	wt_replies_free(out);
	struct wt_ctx ctx = { .db = f->db, .net = &net, .sender = sender,
			      .room = "!noord:demo.test", .event_id = "$answer", .now = now,
			      .lang = LANG_NL, .out = out };
	return body ? remind_on_reply(&ctx, event, body) : remind_on_reaction(&ctx, event, key);
}

static void test_reply_snoozes_and_thumbs_up_subscribes(void **state)
{
	struct fx *f = *state;
	struct wt_replies out = { 0 };
	long long id = add(f, "@cees:demo.test", "bellen", f->now + 60, NULL);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 60, f->now), 1);
	char *txn = last_txn(f);
	assert_int_equal(reminders_note_sent(f->db, txn, "$fired1"), 0);
	free(txn);
	/* Not a snooze, not a reminder, not allowed: nothing happens. */
	assert_int_equal(answer(f, &out, "@cees:demo.test", f->now + 70, "$fired1", "dank je", NULL),
			 WT_NOT_COMMAND);
	assert_int_equal(answer(f, &out, "@cees:demo.test", f->now + 70, "$other", "snooze 1h", NULL),
			 WT_NOT_COMMAND);
	assert_int_equal(answer(f, &out, "@dirk:demo.test", f->now + 70, "$fired1", "snooze 1h", NULL),
			 WT_EPERM);
	/* A reply with the quoted original snoozes it. */
	assert_int_equal(answer(f, &out, "@cees:demo.test", f->now + 70, "$fired1",
				"> <@werktafel:demo.test> Herinnering #1: bellen\n\nlater 10m", NULL), WT_OK);
	assert_non_null(strstr(out.v[0].markdown, "uitgesteld"));
	struct wt_reminder r;
	assert_int_equal(reminders_by_id(f->db, id, &r), 1);
	assert_int_equal(r.state, REMINDER_PENDING);
	assert_int_equal(r.due_at, f->now + 70 + 600);
	reminder_free(&r);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 670, f->now), 1);

	/* A recurring room reminder: 👍 subscribes to a personal copy. */
	struct wt_reminder room = { .network = "noord", .kind = "room", .owner = "@bram:demo.test",
				    .room_id = "!noord:demo.test", .text = "weekstart",
				    .rrule = "FREQ=WEEKLY;BYDAY=MO", .tz = AMS,
				    .due_at = local(2027, 1, 18, 9, 0), .created_at = f->now };
	assert_int_equal(reminders_add(f->db, &room), 0);
	time_t monday = room.due_at;
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, monday, f->now), 1);
	txn = last_txn(f);
	assert_int_equal(reminders_note_sent(f->db, txn, "$fired2"), 0);
	free(txn);
	assert_int_equal(answer(f, &out, "@eva:demo.test", monday + 5, "$fired2", NULL, "\xF0\x9F\x8E\x89"),
			 WT_NOT_COMMAND);
	assert_int_equal(answer(f, &out, "@eva:demo.test", monday + 5, "$fired2", NULL, "\xF0\x9F\x91\x8D"),
			 WT_OK);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].to_user, "@eva:demo.test");
	assert_non_null(strstr(out.v[0].markdown, "weekstart"));
	assert_int_equal(scalar(f, "SELECT count(*) FROM reminders WHERE kind = 'personal'"
			       " AND to_user = '@eva:demo.test' AND rrule = 'FREQ=WEEKLY;BYDAY=MO'"
			       " AND state = 'pending'"), 1);
	/* Twice is once. */
	assert_int_equal(answer(f, &out, "@eva:demo.test", monday + 6, "$fired2", NULL,
				"\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"), WT_OK);
	assert_int_equal(scalar(f, "SELECT count(*) FROM reminders WHERE to_user = '@eva:demo.test'"), 1);
	/* Next Monday both go out: the room's and eva's. */
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, monday + 7 * DAY, f->now), 2);
	/* The older message no longer stands for it; the new one does. */
	txn = last_txn(f);
	assert_int_equal(reminders_note_sent(f->db, txn, "$fired3"), 0);
	free(txn);
	assert_int_equal(answer(f, &out, "@bram:demo.test", monday + 7 * DAY + 5, "$fired2",
				"snooze", NULL), WT_NOT_COMMAND);
	/* Snoozing one occurrence of a recurring reminder leaves the series. */
	assert_int_equal(answer(f, &out, "@bram:demo.test", monday + 7 * DAY + 5, "$fired3",
				"snooze", NULL), WT_OK);
	assert_int_equal(scalar(f, "SELECT count(*) FROM reminders WHERE kind = 'room'"
			       " AND rrule IS NULL AND state = 'pending'"), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM reminders WHERE kind = 'room'"
			       " AND rrule IS NOT NULL AND state = 'pending'"), 1);
	wt_replies_free(&out);
}

/* One reminder that cannot be written (the outbox refuses it) is dropped
 * with a log line; the others in the same batch still go out. */
static void test_bad_reminder_does_not_block(void **state)
{
	struct fx *f = *state;
	assert_int_equal(sqlite3_exec(f->db, "CREATE TEMP TRIGGER refuse BEFORE INSERT ON outbox"
				      " WHEN NEW.content LIKE '%kapot%'"
				      " BEGIN SELECT RAISE(ABORT, 'refused'); END;", NULL, NULL, NULL),
			 SQLITE_OK);
	add(f, "@cees:demo.test", "eerste", f->now + 10, NULL);
	long long bad = add(f, "@cees:demo.test", "kapot", f->now + 10, NULL);
	add(f, "@cees:demo.test", "derde", f->now + 10, NULL);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 10, f->now), 2);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 2);
	assert_int_equal(scalar(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 0);
	struct wt_reminder r;
	assert_int_equal(reminders_by_id(f->db, bad, &r), 1);
	assert_int_equal(r.state, REMINDER_FIRED);
	reminder_free(&r);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, f->now + 20, f->now), 0);
}

static int64_t fake_ms;
static int64_t fake_clock(void *arg)
{
	(void)arg;
	return fake_ms;
}
static int enqueued_calls;
static void on_enqueued(void *arg)
{
	(void)arg;
	enqueued_calls++;
}

static void test_timer_armed_at_earliest(void **state)
{
	struct fx *f = *state;
	uv_loop_t loop;
	uv_loop_init(&loop);
	fake_ms = (int64_t)f->now * 1000;
	enqueued_calls = 0;
	add(f, "@cees:demo.test", "straks", f->now + 300, NULL);
	add(f, "@cees:demo.test", "gemist", f->now - 60, NULL);
	struct scheduler *s = scheduler_new(&loop, f->db, &f->cfg);
	scheduler_set_clock(s, fake_clock, NULL);
	scheduler_on_enqueued(s, on_enqueued, NULL);
	assert_int_equal(scheduler_start(s), 0);
	/* The missed one went out at start, late; the timer waits for the next. */
	assert_int_equal(enqueued_calls, 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(scheduler_armed_for(s), f->now + 300);
	assert_int_equal(scheduler_timeout_ms(s, 30000), 30000);
	fake_ms += 290 * 1000;
	assert_int_equal(scheduler_timeout_ms(s, 30000), 10000);
	/* An earlier reminder re-arms the timer. */
	add(f, "@cees:demo.test", "eerder", f->now + 295, NULL);
	scheduler_changed(s);
	assert_int_equal(scheduler_armed_for(s), f->now + 295);
	assert_int_equal(scheduler_timeout_ms(s, 30000), 5000);
	/* The long-poll's timeout is the timer's instant, not a query: a
	 * reminder written since counts from the next scheduler_changed. */
	add(f, "@cees:demo.test", "nog eerder", f->now + 292, NULL);
	assert_int_equal(scheduler_timeout_ms(s, 30000), 5000);
	scheduler_changed(s);
	assert_int_equal(scheduler_timeout_ms(s, 30000), 2000);
	/* Time passes: the next change fires what is due. */
	fake_ms = (int64_t)(f->now + 300) * 1000;
	scheduler_changed(s);
	assert_int_equal(scalar(f, "SELECT count(*) FROM outbox"), 4);
	assert_int_equal(scheduler_armed_for(s), 0);
	assert_int_equal(enqueued_calls, 2);
	scheduler_free(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* n decisions, each written in a transaction of its own (a segment of
 * the search index each), short ids from first + 9000. */
static void add_decisions(struct fx *f, int n, int first)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(f->db, "INSERT INTO logged_items(network, kind,"
		" short_id, text, logged_by, room, created_at) VALUES ('demo', 'decision', ?1,"
		" 'Besluit over het werkplan', '@bram:demo.test', '!r:demo.test', ?2)",
		-1, &st, NULL), SQLITE_OK);
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int(st, 1, 9000 + first + i);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)f->now - 3600 + first + i);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

static int segments(struct fx *f)
{
	return (int)scalar(f, "SELECT count(DISTINCT segid) FROM decisions_fts_idx");
}

/* The pass at start-up (as the daily one) is followed by the merge of the
 * register's search index, a step at a time on the loop, until it is one
 * segment; then the loop has nothing left to run. */
static void test_register_index_merged_after_the_pass(void **state)
{
	struct fx *f = *state;
	add_decisions(f, 40, 0);
	assert_true(segments(f) > 4);
	uv_loop_t loop;
	uv_loop_init(&loop);
	fake_ms = (int64_t)f->now * 1000;
	struct scheduler *s = scheduler_new(&loop, f->db, &f->cfg);
	scheduler_set_clock(s, fake_clock, NULL);
	assert_int_equal(scheduler_start(s), 0);
	assert_true(segments(f) > 4);    /* not at once: on the loop */
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(segments(f), 1);
	/* Changes without the daily pass merge nothing; nor does the daily
	 * pass while FTS5's own merging keeps the segments few. */
	add_decisions(f, 1, 100);
	scheduler_changed(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(segments(f), 2);
	fake_ms += (int64_t)2 * 86400 * 1000;
	scheduler_changed(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(segments(f), 2);
	/* Many segments (FTS5's own merging lets them grow to about 15 before
	 * it folds them): the next day's pass merges them. */
	for (int i = 0; segments(f) <= 4; i++) {
		assert_true(i < 200);
		add_decisions(f, 1, 200 + i);
	}
	scheduler_changed(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_true(segments(f) > 4);
	fake_ms += (int64_t)2 * 86400 * 1000;
	scheduler_changed(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(segments(f), 1);
	scheduler_free(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fires_once_into_outbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_room_reminder_and_recurring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_policy_after_downtime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meeting_reminder_fires_to_chair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda_call_auto_posts_in_rooms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_armed_at_earliest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_index_merged_after_the_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_reminder_does_not_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_snoozes_and_thumbs_up_subscribes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
