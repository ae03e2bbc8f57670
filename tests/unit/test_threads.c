/* Threads and replies (issue 13, item 4): a command sent in a thread is
 * answered in that thread; a command sent as a reply, with or without the
 * reply fallback, is handled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/message.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"

#define NOW ((time_t)1800000000)
#define ROOM "!werktafel:demo.test"
#define BOT "@werktafel:demo.test"
#define ANNA "@anna:demo.test"

static char *rooms[] = { ROOM };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static char *admin_list[] = { ANNA, NULL };

static time_t fixed_now(void) { return NOW; }

/* The fallback lines of a reply are skipped, only when they have the
 * spec's shape; the mx-reply block of formatted_body too. */
static void test_strip_fallback(void **state)
{
	(void)state;
	const char *b = "> <@bram:demo.test> Vergadering morgen?\n> tweede regel\n\n!hulp";
	assert_string_equal(message_body_without_reply(b), "!hulp");
	assert_string_equal(message_body_without_reply("!hulp"), "!hulp");
	const char *q = "> alleen een citaat";
	assert_ptr_equal(message_body_without_reply(q), q);
	const char *nq = "> citaat\nzonder lege regel";
	assert_ptr_equal(message_body_without_reply(nq), nq);
	assert_null(message_body_without_reply(NULL));
	assert_string_equal(message_html_without_reply(
		"<mx-reply><blockquote>x</blockquote></mx-reply>!hulp"), "!hulp");
	assert_string_equal(message_html_without_reply("<p>!hulp</p>"), "<p>!hulp</p>");
}

/* An answer in a thread: m.thread to the root, is_falling_back, and the
 * command as m.in_reply_to; a direct message never goes in the thread. */
static void test_thread_relation(void **state)
{
	(void)state;
	struct wt_reply r = { .kind = REPLY_NOTICE, .markdown = "ok",
			      .in_reply_to = "$cmd", .thread_root = "$root" };
	const char *type;
	char *text;
	assert_int_equal(message_content_dup(&r, &type, &text), 0);
	json_t *c = json_loads(text, 0, NULL);
	free(text);
	json_t *rel = json_object_get(c, "m.relates_to");
	assert_string_equal(json_string_value(json_object_get(rel, "rel_type")), "m.thread");
	assert_string_equal(json_string_value(json_object_get(rel, "event_id")), "$root");
	assert_true(json_is_true(json_object_get(rel, "is_falling_back")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(rel,
		"m.in_reply_to"), "event_id")), "$cmd");
	json_decref(c);
	r.to_user = "@bram:demo.test";
	assert_int_equal(message_content_dup(&r, &type, &text), 0);
	c = json_loads(text, 0, NULL);
	free(text);
	rel = json_object_get(c, "m.relates_to");
	assert_null(json_object_get(rel, "rel_type"));
	assert_non_null(json_object_get(rel, "m.in_reply_to"));
	json_decref(c);
}

static json_t *message(const char *id, const char *body, json_t *relates, long long ts)
{
	json_t *ev = json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type", "m.room.message",
			       "event_id", id, "sender", ANNA, "origin_server_ts",
			       (json_int_t)ts, "content", "msgtype", "m.text", "body", body);
	if (relates)
		json_object_set_new(json_object_get(ev, "content"), "m.relates_to", relates);
	return ev;
}

/* The outbox content answering event id (by m.in_reply_to), parsed. */
static json_t *answer_to(sqlite3 *db, const char *id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT content FROM outbox ORDER BY id");
	json_t *found = NULL;
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		json_t *c = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		json_t *rel = json_object_get(c, "m.relates_to");
		const char *to = json_string_value(json_object_get(json_object_get(rel,
			"m.in_reply_to"), "event_id"));
		if (to && strcmp(to, id) == 0 && json_object_get(c, "msgtype"))
			found = c;
		else
			json_decref(c);
	}
	db_done(st);
	return found;
}

/* Through the sync: in a thread, as a reply with fallback, as a reply
 * without. */
static void test_sync_thread_and_replies(void **state)
{
	(void)state;
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(":memory:", &db, &err), 0);
	struct wt_config cfg = { 0 };
	cfg.networks = &net;
	cfg.nnetworks = 1;
	cfg.admins = admin_list;
	struct sync_env env = { .db = db, .cfg = &cfg, .user_id = BOT,
				.dispatch = wt_dispatch_message, .now = fixed_now };
	long long ts = (long long)NOW * 1000;
	json_t *me = json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
			       "event_id", "$j0", "sender", BOT, "state_key", BOT,
			       "origin_server_ts", (json_int_t)ts - 9000, "content",
			       "membership", "join");
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:[o]}}}}}", "next_batch", "s1", "rooms",
			      "join", ROOM, "timeline", "events", me);
	struct sync_stats st;
	assert_int_equal(sync_apply(&env, r, &st), 0);
	json_decref(r);
	json_t *evs = json_pack("[o,o,o,o]",
		message("$root", "Vergadering in maart?", NULL, ts),
		message("$t1", "!hulp", json_pack("{s:s,s:s,s:b,s:{s:s}}", "rel_type", "m.thread",
			"event_id", "$root", "is_falling_back", 1, "m.in_reply_to",
			"event_id", "$root"), ts + 1),
		message("$r1", "> <@anna:demo.test> Vergadering in maart?\n\n!hulp",
			json_pack("{s:{s:s}}", "m.in_reply_to", "event_id", "$root"), ts + 2),
		message("$r2", "!hulp", json_pack("{s:{s:s}}", "m.in_reply_to", "event_id",
			"$root"), ts + 3));
	r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", "s2", "rooms",
		      "join", ROOM, "timeline", "events", evs);
	assert_int_equal(sync_apply(&env, r, &st), 0);
	json_decref(r);
	json_t *a = answer_to(db, "$t1");
	assert_non_null(a);
	json_t *rel = json_object_get(a, "m.relates_to");
	assert_string_equal(json_string_value(json_object_get(rel, "rel_type")), "m.thread");
	assert_string_equal(json_string_value(json_object_get(rel, "event_id")), "$root");
	json_decref(a);
	a = answer_to(db, "$r1");
	assert_non_null(a);
	assert_null(json_object_get(json_object_get(a, "m.relates_to"), "rel_type"));
	json_decref(a);
	a = answer_to(db, "$r2");
	assert_non_null(a);
	json_decref(a);
	assert_null(answer_to(db, "$root"));
	db_close(db);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strip_fallback),
		cmocka_unit_test(test_thread_relation),
		cmocka_unit_test(test_sync_thread_and_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
