/* Pipelined sends (issue 15): within a room the answers to different
 * commands are in flight together (up to a window of 8), the rows of one
 * command one after another, a row of no command alone in its place; at
 * most 32 sends in all; the rows sent in one loop turn leave the outbox
 * in one transaction, and a crash before it leads to the look-up, never
 * a second send. And replies too large for one event: numbered parts cut
 * at line boundaries, in order, or one file. Real storage (in-memory
 * SQLite), the real flusher, a fake HTTP layer (fake_http.h). */
#include <jansson.h>

#include "bot/message.h"
#include "storage/outbox.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"

#define ROOM "!r:demo.test"
#define ANNA "@anna:demo.test"

/* The reply text to command cmd (its event id) from sender, as reply_add
 * makes it, into room; returns its row. */
static long long reply(sqlite3 *db, const char *room, const char *cmd,
		       const char *sender, const char *text)
{
	struct wt_reply r = { .kind = REPLY_NOTICE, .markdown = (char *)text,
			      .in_reply_to = (char *)cmd, .answers = (char *)sender };
	long long id = 0;
	assert_int_equal(message_enqueue(db, &r, room, 1, &id), 0);
	return id;
}

/* The live PUT of row id (by its txn id), or NULL. */
static struct fake *put_of(sqlite3 *db, long long id)
{
	char *t = txn_of(db, id);
	struct fake *f = t ? live_with(t) : NULL;
	free(t);
	return f;
}

/* The homeserver's 200 to f, within the current loop turn (nothing
 * settled yet). */
static void ok_in_turn(struct fake *f, const char *event_id)
{
	char body[128];
	snprintf(body, sizeof body, "{\"event_id\":\"%s\"}", event_id);
	struct http_response res = { .status = 200, .body = body,
				     .len = strlen(body), .retry_after_ms = -1 };
	assert_non_null(f);
	f->live = 0;
	f->cb(f->arg, &res);
}

static int commits;
static int count_commit(void *arg)
{
	(void)arg;
	commits++;
	return 0;
}

/* Twenty answers to twenty commands: eight in flight at once; each 200
 * lets the next one go; all leave the outbox. */
static void test_window_per_room(void **state)
{
	sqlite3 *db = *state;
	long long id[20];
	for (int i = 0; i < 20; i++) {
		char cmd[16];
		snprintf(cmd, sizeof cmd, "$c%d", i);
		id[i] = reply(db, ROOM, cmd, i % 2 ? ANNA : "@bert:demo.test", "Klaar.");
	}
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	outbox_flush(s.f);
	assert_int_equal(nlive(), 8);
	for (int k = 0; k < 20; k++) {
		struct fake *f = NULL;
		for (int i = 0; i < 20 && !f; i++)
			f = put_of(db, id[i]);
		assert_non_null(f);
		answer(f, 200, "{\"event_id\":\"$x\"}");
		assert_int_equal(nlive(), k < 12 ? 8 : 19 - k);
	}
	assert_int_equal(rows(db, "1"), 0);
	sender_stop(&s);
}

/* One command's replies go one after another, beside another command's;
 * a row of no command (a reminder) waits for all before it and goes
 * alone, and what comes after it waits for it. */
static void test_order_kept_where_needed(void **state)
{
	sqlite3 *db = *state;
	long long a1 = reply(db, ROOM, "$a", ANNA, "Eerste antwoord.");
	long long a2 = reply(db, ROOM, "$a", ANNA, "Tweede antwoord.");
	long long b1 = reply(db, ROOM, "$b", ANNA, "Antwoord op b.");
	long long rem;
	struct wt_reply r = { .kind = REPLY_NOTICE, .markdown = "Herinnering", .notify = 1 };
	assert_int_equal(message_enqueue(db, &r, ROOM, 1, &rem), 0);
	long long c1 = reply(db, ROOM, "$c", ANNA, "Antwoord op c.");
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	assert_int_equal(nlive(), 2);
	assert_non_null(put_of(db, a1));
	assert_non_null(put_of(db, b1));
	answer(put_of(db, a1), 200, "{\"event_id\":\"$1\"}");
	assert_int_equal(nlive(), 2);
	assert_non_null(put_of(db, a2));
	answer(put_of(db, a2), 200, "{\"event_id\":\"$2\"}");
	assert_int_equal(nlive(), 1);           /* the reminder waits for b1 */
	answer(put_of(db, b1), 200, "{\"event_id\":\"$3\"}");
	assert_int_equal(nlive(), 1);
	assert_non_null(put_of(db, rem));       /* alone: c1 waits for it */
	answer(put_of(db, rem), 200, "{\"event_id\":\"$4\"}");
	assert_non_null(put_of(db, c1));
	answer(put_of(db, c1), 200, "{\"event_id\":\"$5\"}");
	assert_int_equal(rows(db, "1"), 0);
	sender_stop(&s);
}

/* Forty rooms with a reply each: 32 sends at once, the others as places
 * come free. */
static void test_cap_in_all(void **state)
{
	sqlite3 *db = *state;
	long long id[40];
	for (int i = 0; i < 40; i++) {
		char room[32];
		snprintf(room, sizeof room, "!r%d:demo.test", i);
		id[i] = reply(db, room, "$c", ANNA, "Klaar.");
	}
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	assert_int_equal(nlive(), 32);
	for (int i = 0; i < 40; i++) {
		struct fake *f = put_of(db, id[i]);
		assert_non_null(f);  /* in order of the rooms' oldest rows */
		answer(f, 200, "{\"event_id\":\"$x\"}");
		assert_int_equal(nlive(), i < 8 ? 32 : 39 - i);
	}
	assert_int_equal(rows(db, "1"), 0);
	sender_stop(&s);
}

/* Eight 200s in one loop turn: the rows stay until the turn ends, then
 * leave in one transaction (one commit, not two or three each); a
 * restart before that finds each in the room by its outbox id and sends
 * none of them again. */
static void test_completions_batched(void **state)
{
	sqlite3 *db = *state;
	long long id[8];
	for (int i = 0; i < 8; i++) {
		char cmd[16];
		snprintf(cmd, sizeof cmd, "$c%d", i);
		id[i] = reply(db, ROOM, cmd, ANNA, "Klaar.");
	}
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	assert_int_equal(nlive(), 8);
	for (int i = 0; i < 8; i++)
		ok_in_turn(put_of(db, id[i]), "$sent");
	/* Sent, not yet written: marked tried, so a crash now means a
	 * look-up at the next start. */
	assert_int_equal(rows(db, "tried = 1"), 8);
	commits = 0;
	sqlite3_commit_hook(db, count_commit, NULL);
	spin(&s.loop, 0);
	sqlite3_commit_hook(db, NULL, NULL);
	assert_int_equal(commits, 1);
	assert_int_equal(rows(db, "1"), 0);
	sender_stop(&s);
}

/* The process dies between the 200 and the write: the next run looks
 * for the row (GET /messages), finds it, and does not PUT it again. */
static void test_crash_before_write_looks_up(void **state)
{
	sqlite3 *db = *state;
	long long a = reply(db, ROOM, "$a", ANNA, "Klaar.");
	char *txn = txn_of(db, a);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	ok_in_turn(put_of(db, a), "$sent");
	/* The crash: the first run's memory is gone, its rows are as they
	 * were; a new flusher starts on the same database. */
	struct outbox_flusher *dead = s.f;
	s.f = outbox_flusher_new(&s.m);
	fake_flusher = s.f;
	outbox_flush(s.f);
	struct fake *look = live_with("/messages?dir=b");
	assert_non_null(look);
	assert_int_equal(nlive(), 1);
	char found[512];
	snprintf(found, sizeof found, "{\"chunk\":[{\"type\":\"m.room.message\","
		 "\"sender\":\"@werktafel:demo.test\",\"event_id\":\"$sent\","
		 "\"content\":{\"" MESSAGE_OUTBOX_KEY "\":\"%s\"}}]}", txn);
	answer(look, 200, found);
	assert_int_equal(nlive(), 0);
	assert_int_equal(rows(db, "1"), 0);
	outbox_flusher_free(dead);
	free(txn);
	sender_stop(&s);
}

/* A 200 KiB text of lines ("- regel N ...") into numbered lines, in order. */
static char *long_text(int nl)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; sb.len < 200 * 1024; i++)
		sb_addf(&sb, "- regel %d: actie voor het netwerk, met een **datum** "
			"en een eigenaar%s", i, nl ? "\n" : " ");
	return sb_detach(&sb);
}

/* A 200 KiB reply: parts "(i/n)" each within the event size, each a
 * reply to the command, every line once and in order, sent one after
 * another. */
static void test_long_reply_in_parts(void **state)
{
	sqlite3 *db = *state;
	char *text = long_text(1);
	long long first = reply(db, ROOM, "$lang", ANNA, text);
	int n = rows(db, "1");
	assert_true(n > 1);
	assert_int_equal(rows(db, "length(content) > 40000"), 0);
	assert_int_equal(rows(db, "json_extract(content, '$.\"m.relates_to\"."
			      "\"m.in_reply_to\".event_id') = '$lang'"), n);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	int next_line = 0;
	for (int k = 0; k < n; k++) {
		assert_int_equal(nlive(), 1);
		struct fake *f = put_of(db, first + k);
		assert_non_null(f);
		json_t *c = json_loads(f->body, 0, NULL);
		const char *body = json_string_value(json_object_get(c, "body"));
		char head[32];
		snprintf(head, sizeof head, "(%d/%d)", k + 1, n);
		assert_int_equal(strncmp(body, head, strlen(head)), 0);
		for (const char *p = body; (p = strstr(p, "regel ")); p++) {
			assert_int_equal(atoi(p + 6), next_line);
			next_line++;
		}
		json_decref(c);
		answer(f, 200, "{\"event_id\":\"$p\"}");
	}
	assert_true(strstr(text, "regel ") != NULL);
	char last[32];
	snprintf(last, sizeof last, "regel %d:", next_line - 1);
	assert_non_null(strstr(text, last));
	snprintf(last, sizeof last, "regel %d:", next_line);
	assert_null(strstr(text, last));
	assert_int_equal(rows(db, "1"), 0);
	free(text);
	sender_stop(&s);
}

/* One block of 200 KiB without a line break: one m.file, its text a
 * Markdown file to upload, a reply to the command. */
static void test_huge_block_as_file(void **state)
{
	sqlite3 *db = *state;
	char *text = long_text(0);
	reply(db, ROOM, "$blok", ANNA, text);
	assert_int_equal(rows(db, "1"), 1);
	assert_int_equal(rows(db, "upload_type LIKE 'text/markdown%'"
			      " AND json_extract(content, '$.msgtype') = 'm.file'"
			      " AND json_extract(content, '$.\"m.relates_to\"."
			      "\"m.in_reply_to\".event_id') = '$blok'"), 1);
	sqlite3_stmt *st = db_prepare(db, "SELECT upload FROM outbox");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), text);
	sqlite3_finalize(st);
	free(text);
}

/* Taking turns with several in flight: after the flood's first answer,
 * the other member's answer is next, not the flood's second. */
static void test_turns_with_window(void **state)
{
	sqlite3 *db = *state;
	long long f1 = reply(db, ROOM, "$f1", "@flood:demo.test", "Een.");
	long long f2 = reply(db, ROOM, "$f2", "@flood:demo.test", "Twee.");
	long long o1 = reply(db, ROOM, "$o1", "@olga:demo.test", "Olga.");
	struct outbox_row r;
	long long busy[2] = { f1 };
	assert_int_equal(outbox_next_sendable(db, ROOM, "@flood:demo.test", busy, 1, &r), 1);
	assert_int_equal(r.id, o1);
	outbox_row_free(&r);
	busy[1] = o1;
	assert_int_equal(outbox_next_sendable(db, ROOM, "@olga:demo.test", busy, 2, &r), 1);
	assert_int_equal(r.id, f2);
	outbox_row_free(&r);
}

static void on_guard(uv_timer_t *t)
{
	(void)t;
}

/* A 200 handled outside the loop's I/O poll (a curl timer, the websocket
 * transport): the loop's next turn writes it at once, it does not sleep
 * in the poll until other I/O comes (on Dendrite: the next sync, seconds
 * later). A guard timer of 2 s stands for that other I/O. */
static void test_answer_outside_poll_settles_next_turn(void **state)
{
	sqlite3 *db = *state;
	long long id = reply(db, ROOM, "$c1", ANNA, "Klaar.");
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	assert_int_equal(nlive(), 1);
	uv_timer_t guard;
	uv_timer_init(&s.loop, &guard);
	uv_timer_start(&guard, on_guard, 2000, 0);
	ok_in_turn(put_of(db, id), "$sent");
	assert_int_equal(rows(db, "1"), 1);
	uint64_t t0 = uv_hrtime();
	uv_run(&s.loop, UV_RUN_ONCE);
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	assert_int_equal(rows(db, "1"), 0);
	assert_true(ms < 1000);
	uv_timer_stop(&guard);
	uv_close((uv_handle_t *)&guard, NULL);
	sender_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_window_per_room, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_order_kept_where_needed, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_cap_in_all, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_turns_with_window, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_completions_batched, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_crash_before_write_looks_up, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_answer_outside_poll_settles_next_turn, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_long_reply_in_parts, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_huge_block_as_file, fx_db_setup, fx_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
