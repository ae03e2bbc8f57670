/* Outbox: txn ids fixed at insert and reused, order per room, rows without
 * a room waiting, failed rows skipped; URL-encoding of ids in request paths;
 * parsing of homeserver answers (Retry-After, malformed JSON, bad UTF-8);
 * and the sender against a fake HTTP layer: one send in flight per room,
 * retries with the same txn id after 500 (once the room's timeline showed
 * it is not there) and 429, rows deleted only after a 200, a refused row
 * skipped, a new login after 401. The look-up itself: test_outbox_once.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/http.h"
#include "bot/matrix.h"
#include "bot/outbox.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"

/* Each row gets "wt-<id>-<hex>" at insert, unique, and the same txn id is
 * handed out again on every retry until the row is deleted. */
static void test_txn_fixed_and_reused(void **state)
{
	sqlite3 *db = *state;
	long long a, b;
	assert_int_equal(outbox_enqueue(db, "!r1:demo.test", NULL, "m.room.message",
					"{\"body\":\"one\"}", 1000, &a), 0);
	assert_int_equal(outbox_enqueue(db, "!r1:demo.test", NULL, "m.room.message",
					"{\"body\":\"two\"}", 1000, &b), 0);
	assert_true(b > a);
	struct outbox_row r1, r2;
	assert_int_equal(outbox_next_for_room(db, "!r1:demo.test", &r1), 1);
	assert_int_equal(r1.id, a);
	char prefix[64];
	snprintf(prefix, sizeof prefix, "wt-%lld-", a);
	assert_int_equal(strncmp(r1.txn_id, prefix, strlen(prefix)), 0);
	assert_true(strlen(r1.txn_id) > strlen(prefix) + 8);
	/* A failed try keeps the row and its txn id. */
	assert_int_equal(outbox_note_attempt(db, a, "HTTP 500"), 0);
	assert_int_equal(outbox_next_for_room(db, "!r1:demo.test", &r2), 1);
	assert_string_equal(r1.txn_id, r2.txn_id);
	assert_int_equal(r2.attempts, 1);
	assert_string_equal(r2.content, "{\"body\":\"one\"}");
	outbox_row_free(&r2);
	/* The second row has another txn id. */
	assert_int_equal(outbox_delete(db, a), 0);
	assert_int_equal(outbox_next_for_room(db, "!r1:demo.test", &r2), 1);
	assert_int_equal(r2.id, b);
	assert_string_not_equal(r1.txn_id, r2.txn_id);
	outbox_row_free(&r1);
	outbox_row_free(&r2);
	assert_int_equal(outbox_delete(db, b), 0);
	assert_int_equal(outbox_next_for_room(db, "!r1:demo.test", &r1), 0);
	assert_int_equal(outbox_count_pending(db), 0);
}

/* Rooms with work come oldest first; rows are per room in insert order;
 * rows waiting for a DM room and failed rows are not offered. */
static void test_order_per_room(void **state)
{
	sqlite3 *db = *state;
	long long ids[5];
	outbox_enqueue(db, "!b:demo.test", NULL, "m.room.message", "{}", 1, &ids[0]);
	outbox_enqueue(db, "!a:demo.test", NULL, "m.room.message", "{}", 1, &ids[1]);
	outbox_enqueue(db, "!b:demo.test", NULL, "m.reaction", "{}", 1, &ids[2]);
	outbox_enqueue(db, NULL, "@anna:demo.test", "m.room.message", "{}", 1, &ids[3]);
	outbox_enqueue(db, "!c:demo.test", NULL, "m.room.message", "{}", 1, &ids[4]);
	assert_true(outbox_enqueue(db, NULL, NULL, "m.room.message", "{}", 1, NULL) < 0);
	assert_int_equal(outbox_mark_failed(db, ids[4], "HTTP 403 M_FORBIDDEN", 2), 0);

	char **rooms;
	assert_int_equal(outbox_pending_rooms(db, &rooms), 2);
	assert_string_equal(rooms[0], "!b:demo.test");
	assert_string_equal(rooms[1], "!a:demo.test");
	assert_null(rooms[2]);
	outbox_rooms_free(rooms);
	assert_int_equal(outbox_count_pending(db), 4);

	struct outbox_row r;
	assert_int_equal(outbox_next_for_room(db, "!b:demo.test", &r), 1);
	assert_int_equal(r.id, ids[0]);
	outbox_row_free(&r);
	outbox_delete(db, ids[0]);
	assert_int_equal(outbox_next_for_room(db, "!b:demo.test", &r), 1);
	assert_int_equal(r.id, ids[2]);
	assert_string_equal(r.event_type, "m.reaction");
	outbox_row_free(&r);
	assert_int_equal(outbox_next_for_room(db, "!c:demo.test", &r), 0);

	/* The DM row follows its user once the room exists. */
	assert_int_equal(outbox_assign_room(db, "@anna:demo.test", "!dm:demo.test"), 0);
	assert_int_equal(outbox_next_for_room(db, "!dm:demo.test", &r), 1);
	assert_int_equal(r.id, ids[3]);
	assert_string_equal(r.to_user, "@anna:demo.test");
	outbox_row_free(&r);
}

/* Ids go into paths percent-encoded: '!', ':', '$', '/', '#', '@', '?'. */
static void test_url_encoding(void **state)
{
	(void)state;
	char *p = outbox_send_path("!abc:demo.test", "m.room.message", "wt-1-ab");
	assert_string_equal(p, "/_matrix/client/v3/rooms/%21abc%3Ademo.test/send/"
			    "m.room.message/wt-1-ab");
	free(p);
	char *e = mx_escape("$ev/../x?y=1#z @anna:demo.test");
	assert_string_equal(e, "%24ev%2F..%2Fx%3Fy%3D1%23z%20%40anna%3Ademo.test");
	free(e);
	e = mx_escape("caf\xC3\xA9~_-.");
	assert_string_equal(e, "caf%C3%A9~_-.");
	free(e);
}

/* Homeserver answers: JSON objects only; bad UTF-8 replaced; Retry-After in
 * seconds or as a date. */
static void test_parse_answers(void **state)
{
	(void)state;
	json_t *j = mx_parse("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":1500}", 53);
	assert_non_null(j);
	assert_string_equal(mx_errcode(j), "M_LIMIT_EXCEEDED");
	json_decref(j);
	assert_null(mx_parse("[1,2]", 5));
	assert_null(mx_parse("{\"a\":", 5));
	assert_null(mx_parse("", 0));
	assert_string_equal(mx_errcode(NULL), "");
	const char bad[] = "{\"body\":\"caf\xC3 \xFF!\"}";
	j = mx_parse(bad, sizeof bad - 1);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "body")),
			    "caf\xEF\xBF\xBD \xEF\xBF\xBD!");
	json_decref(j);
	/* Wrong types are no crash: errcode as a number reads as none. */
	j = mx_parse("{\"errcode\":42}", 14);
	assert_string_equal(mx_errcode(j), "");
	json_decref(j);

	assert_int_equal(http_parse_retry_after(" 3", 0), 3000);
	assert_int_equal(http_parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT",
						1445412480), 10000);
	assert_int_equal(http_parse_retry_after("soon", 0), -1);
}

/* ---- the sender, with a fake HTTP layer (fake_http.h) ---- */

static void test_sender_faults(void **state)
{
	sqlite3 *db = *state;
	long long a1, a2, b1, b2;
	outbox_enqueue(db, "!a:demo.test", NULL, "m.room.message", "{\"body\":\"a1\"}", 1, &a1);
	outbox_enqueue(db, "!a:demo.test", NULL, "m.room.message", "{\"body\":\"a2\"}", 1, &a2);
	outbox_enqueue(db, "!b:demo.test", NULL, "m.reaction", "{\"body\":\"b1\"}", 1, &b1);
	outbox_enqueue(db, "!b:demo.test", NULL, "m.room.message", "{\"body\":\"b2\"}", 1, &b2);
	char *ta1 = txn_of(db, a1), *ta2 = txn_of(db, a2), *tb1 = txn_of(db, b1), *tb2 = txn_of(db, b2);
	struct sender s;
	sender_start(&s, db, "secret");

	/* One send in flight per room, the oldest row first. */
	outbox_flush(s.f);
	outbox_flush(s.f);
	assert_int_equal(nlive(), 2);
	struct fake *fa = live_with("/rooms/%21a%3Ademo.test/send/m.room.message/");
	assert_non_null(fa);
	assert_string_equal(fa->method, "PUT");
	assert_non_null(strstr(fa->url, ta1));
	assert_int_equal(strncmp(fa->url, "http://hs.demo.test/_matrix/", 28), 0);
	assert_string_equal(fa->bearer, "tok1");
	char want[128];
	snprintf(want, sizeof want, "{\"body\":\"a1\",\"org.werktafel.outbox\":\"%s\"}", ta1);
	assert_string_equal(fa->body, want);
	struct fake *fb = live_with("/rooms/%21b%3Ademo.test/send/m.reaction/");
	assert_non_null(fb);
	assert_non_null(strstr(fb->url, tb1));

	/* 500: an unknown outcome. After a backoff the bot looks for the
	 * message in the room; not there: the same txn again; the row stays. */
	answer(fa, 500, "{}");
	assert_null(live_with("%21a"));
	spin(&s.loop, 30);
	fa = live_with("/rooms/%21a%3Ademo.test/messages?dir=b");
	assert_non_null(fa);
	assert_string_equal(fa->method, "GET");
	answer(fa, 200, "{\"chunk\":[]}");
	fa = live_with("%21a");
	assert_non_null(fa);
	assert_string_equal(fa->method, "PUT");
	assert_non_null(strstr(fa->url, ta1));
	/* A transport failure (no status) is handled the same way. */
	struct http_response none = { .status = 0, .body = "", .retry_after_ms = -1,
				      .error = "Connection refused" };
	fa->live = 0;
	fa->cb(fa->arg, &none);
	spin(&s.loop, 30);
	answer(live_with("/messages?dir=b"), 200, "{\"chunk\":[]}");
	fa = live_with("%21a");
	assert_non_null(strstr(fa->url, ta1));
	assert_int_equal(rows(db, "id = 1"), 1);
	/* 200: the row goes, the room's next one is sent. */
	answer(fa, 200, "{\"event_id\":\"$e1\"}");
	assert_int_equal(rows(db, "id = 1"), 0);
	fa = live_with("%21a");
	assert_non_null(fa);
	assert_non_null(strstr(fa->url, ta2));

	/* 429 with retry_after_ms: not before it, then the same txn. */
	answer(fb, 429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":300}");
	spin(&s.loop, 20);
	assert_null(live_with("%21b"));
	spin(&s.loop, 450);
	fb = live_with("%21b");
	assert_non_null(fb);
	assert_non_null(strstr(fb->url, tb1));
	/* 403: refused for good; kept as failed, the next row goes. */
	answer(fb, 403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not in room\"}");
	assert_int_equal(rows(db, "failed_at IS NOT NULL AND last_error LIKE '%M_FORBIDDEN%'"), 1);
	fb = live_with("%21b");
	assert_non_null(strstr(fb->url, tb2));
	answer(fb, 200, "{\"event_id\":\"$e2\"}");

	/* 401: log in again with the password, then the same send with the
	 * new token. */
	answer(fa, 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
	struct fake *login = live_with("/_matrix/client/v3/login");
	assert_non_null(login);
	assert_string_equal(login->method, "POST");
	assert_null(login->bearer);
	assert_non_null(strstr(login->body, "\"m.id.user\""));
	assert_null(live_with("%21a"));
	answer(login, 200, "{\"access_token\":\"tok2\",\"device_id\":\"DEV1\"}");
	fa = live_with("%21a");
	assert_non_null(fa);
	assert_non_null(strstr(fa->url, ta2));
	assert_string_equal(fa->bearer, "tok2");
	char *kv = db_kv_get(db, "matrix.access_token");
	assert_string_equal(kv, "tok2");
	free(kv);
	answer(fa, 200, "{\"event_id\":\"$e3\"}");
	assert_int_equal(rows(db, "failed_at IS NULL"), 0);
	assert_int_equal(nlive(), 0);
	assert_false(s.m.stopping);
	sender_stop(&s);
	free(ta1);
	free(ta2);
	free(tb1);
	free(tb2);
}

/* 401 and no password: the bot stops with exit code 3, the row stays. */
static void test_sender_token_refused(void **state)
{
	sqlite3 *db = *state;
	outbox_enqueue(db, "!a:demo.test", NULL, "m.room.message", "{}", 1, NULL);
	struct sender s;
	sender_start(&s, db, NULL);
	outbox_flush(s.f);
	answer(live_with("%21a"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
	assert_true(s.m.stopping);
	assert_int_equal(s.m.exit_code, 3);
	assert_int_equal(nlive(), 0);
	assert_int_equal(outbox_count_pending(db), 1);
	sender_stop(&s);
}

/* A room's sends take turns between the users they answer: after one of
 * a flooder's 20 answers the other member's one goes next, then the
 * flooder's again in their own order; with no previous send the oldest. */
static void test_turns_per_user(void **state)
{
	sqlite3 *db = *state;
	long long id, other = 0;
	for (int i = 0; i < 20; i++) {
		assert_int_equal(outbox_enqueue(db, "!r:demo.test", NULL, "m.room.message",
						"{}", 1, &id), 0);
		assert_int_equal(outbox_set_answers(db, id, "@flood:demo.test"), 0);
	}
	assert_int_equal(outbox_enqueue(db, "!r:demo.test", NULL, "m.room.message", "{}", 1,
					&other), 0);
	assert_int_equal(outbox_set_answers(db, other, "@olga:demo.test"), 0);
	struct outbox_row r;
	assert_int_equal(outbox_next_for_room_turn(db, "!r:demo.test", NULL, &r), 1);
	assert_string_equal(r.answers, "@flood:demo.test");
	long long first = r.id;
	outbox_delete(db, r.id);
	outbox_row_free(&r);
	/* The flood's first went out: the other member's is next. */
	assert_int_equal(outbox_next_for_room_turn(db, "!r:demo.test", "@flood:demo.test", &r), 1);
	assert_int_equal(r.id, other);
	outbox_delete(db, r.id);
	outbox_row_free(&r);
	/* Then the flood goes on in its order. */
	assert_int_equal(outbox_next_for_room_turn(db, "!r:demo.test", "@olga:demo.test", &r), 1);
	assert_int_equal(r.id, first + 1);
	outbox_row_free(&r);
	assert_int_equal(outbox_next_for_room_turn(db, "!r:demo.test", "@flood:demo.test", &r), 1);
	assert_int_equal(r.id, first + 1);
	outbox_row_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_txn_fixed_and_reused, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_order_per_room, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_turns_per_user, fx_db_setup, fx_db_teardown),
		cmocka_unit_test(test_url_encoding),
		cmocka_unit_test(test_parse_answers),
		cmocka_unit_test_setup_teardown(test_sender_faults, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_sender_token_refused, fx_db_setup, fx_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
