/* Exactly once without the homeserver's transaction memory (bot/outbox.h):
 * every event carries its outbox id; a send whose outcome is unknown (no
 * answer, a 5xx, a 2xx without event id, a row a previous run had sent) is
 * looked for in the room's timeline before the same PUT goes again, also
 * across a new login; answers that mean "nothing was done" (429) are
 * retried without a look-up. Real storage (in-memory SQLite), a fake HTTP
 * layer (fake_http.h). */
#include <jansson.h>

#include "bot/message.h"
#include "storage/outbox.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"

#define ROOM "!a:demo.test"
#define ROOM_ENC "%21a%3Ademo.test"
#define BOT "@werktafel:demo.test"

/* A /messages answer with one event of sender carrying outbox_id (NULL:
 * no outbox id at all) as event_id, after an unrelated event. */
static char *messages_with(const char *sender, const char *outbox_id,
			   const char *event_id)
{
	json_t *content = json_pack("{s:s,s:s}", "msgtype", "m.notice", "body", "x");
	if (outbox_id)
		json_object_set_new(content, MESSAGE_OUTBOX_KEY, json_string(outbox_id));
	json_t *a = json_pack("{s:[{s:s,s:s,s:s,s:{s:s}},{s:s,s:s,s:s,s:o}],s:s}",
			      "chunk",
			      "type", "m.room.message", "sender", BOT, "event_id", "$older",
			      "content", MESSAGE_OUTBOX_KEY, "wt-0-other",
			      "type", "m.room.message", "sender", sender, "event_id", event_id,
			      "content", content, "start", "t1");
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

/* Percent-decode the query value name= of url (caller frees). */
static char *query_value(const char *url, const char *name)
{
	char key[32];
	snprintf(key, sizeof key, "%s=", name);
	const char *p = strstr(url, key);
	assert_non_null(p);
	p += strlen(key);
	char *out = malloc(strlen(p) + 1), *o = out;
	for (; *p && *p != '&'; p++) {
		if (*p == '%' && p[1] && p[2]) {
			char hex[3] = { p[1], p[2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* The live look-up of ROOM: a GET of the bot's own recent events of type,
 * newest first. */
static struct fake *lookup_of(const char *type)
{
	struct fake *f = live_with("/rooms/" ROOM_ENC "/messages?");
	assert_non_null(f);
	assert_string_equal(f->method, "GET");
	assert_non_null(strstr(f->url, "dir=b"));
	char *fs = query_value(f->url, "filter");
	json_t *filter = json_loads(fs, 0, NULL);
	assert_non_null(filter);
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(filter, "senders"), 0)), BOT);
	assert_int_equal(json_array_size(json_object_get(filter, "senders")), 1);
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(filter, "types"), 0)), type);
	json_decref(filter);
	free(fs);
	return f;
}

static void cut(struct fake *f)
{
	struct http_response none = { .status = 0, .body = "", .retry_after_ms = -1,
				      .error = "Empty reply from server" };
	assert_non_null(f);
	f->live = 0;
	f->cb(f->arg, &none);
}

/* The content the homeserver gets is the stored content plus the outbox
 * id; a reply's other keys stay as they were. */
static void test_every_event_carries_its_outbox_id(void **state)
{
	sqlite3 *db = *state;
	struct wt_reply r = { .kind = REPLY_NOTICE, .markdown = "Hallo **allemaal**",
			      .in_reply_to = "$cmd" };
	struct wt_reply re = { .kind = REPLY_REACTION, .markdown = "\xF0\x9F\x91\x8D",
			       .in_reply_to = "$cmd" };
	long long id1, id2;
	assert_int_equal(message_enqueue(db, &r, ROOM, 1, &id1), 0);
	assert_int_equal(message_enqueue(db, &re, "!b:demo.test", 1, &id2), 0);
	char *t1 = txn_of(db, id1), *t2 = txn_of(db, id2);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	struct fake *f = live_with("/send/m.room.message/");
	json_t *c = json_loads(f->body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(c, MESSAGE_OUTBOX_KEY)), t1);
	assert_string_equal(json_string_value(json_object_get(c, "msgtype")), "m.notice");
	assert_non_null(json_object_get(c, "m.mentions"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(c, "m.relates_to"), "m.in_reply_to"), "event_id")), "$cmd");
	json_decref(c);
	f = live_with("/send/m.reaction/");
	c = json_loads(f->body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(c, MESSAGE_OUTBOX_KEY)), t2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		c, "m.relates_to"), "rel_type")), "m.annotation");
	json_decref(c);
	/* The stored row is not changed by sending it. */
	struct outbox_row row;
	assert_int_equal(outbox_next_for_room(db, ROOM, &row), 1);
	assert_null(strstr(row.content, MESSAGE_OUTBOX_KEY));
	assert_int_equal(row.tried, 1);
	outbox_row_free(&row);
	sender_stop(&s);
	free(t1);
	free(t2);
}

/* A cut-off send whose event is in the room: found by its outbox id, the
 * row leaves the outbox, nothing is sent again, the room's next row goes. */
static void test_cut_off_and_found(void **state)
{
	sqlite3 *db = *state;
	long long a1, a2;
	outbox_enqueue(db, ROOM, NULL, "m.room.message", "{\"body\":\"a1\"}", 1, &a1);
	outbox_enqueue(db, ROOM, NULL, "m.room.message", "{\"body\":\"a2\"}", 1, &a2);
	char *t1 = txn_of(db, a1), *t2 = txn_of(db, a2);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	cut(live_with("/send/"));
	/* No PUT at once: the look-up comes after a backoff. */
	assert_int_equal(nlive(), 0);
	spin(&s.loop, 30);
	assert_int_equal(nlive(), 1);
	char *found = messages_with(BOT, t1, "$sent1");
	answer(lookup_of("m.room.message"), 200, found);
	free(found);
	assert_int_equal(rows(db, "id = 1"), 0);
	struct fake *f = live_with("/send/");
	assert_non_null(f);
	assert_non_null(strstr(f->url, t2));
	assert_int_equal(nlive(), 1);
	answer(f, 200, "{\"event_id\":\"$sent2\"}");
	assert_int_equal(outbox_count_pending(db), 0);
	/* One PUT of each row in all. */
	int puts = 0;
	for (int i = 0; i < nfakes; i++)
		puts += strcmp(fakes[i].method, "PUT") == 0;
	assert_int_equal(puts, 2);
	sender_stop(&s);
	free(t1);
	free(t2);
}

/* Not in the room (or only someone else's event with that id, or the bot's
 * event of another send): the same PUT again, same txn id, same body. */
static void test_not_found_sends_the_same_again(void **state)
{
	sqlite3 *db = *state;
	long long a1;
	outbox_enqueue(db, ROOM, NULL, "m.room.message", "{\"body\":\"a1\"}", 1, &a1);
	char *t1 = txn_of(db, a1);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	struct fake *f = live_with("/send/");
	char *first_url = strdup(f->url), *first_body = strdup(f->body);
	answer(f, 502, "<html>bad gateway</html>");
	spin(&s.loop, 30);
	char *other = messages_with("@mallory:demo.test", t1, "$forged");
	answer(lookup_of("m.room.message"), 200, other);
	free(other);
	f = live_with("/send/");
	assert_string_equal(f->url, first_url);
	assert_string_equal(f->body, first_body);
	/* A 2xx without an event id is no proof either. */
	answer(f, 200, "{}");
	assert_int_equal(rows(db, "id = 1"), 1);
	spin(&s.loop, 30);
	char *none = messages_with(BOT, NULL, "$plain");
	answer(lookup_of("m.room.message"), 200, none);
	free(none);
	f = live_with("/send/");
	assert_string_equal(f->url, first_url);
	answer(f, 200, "{\"event_id\":\"$ok\"}");
	assert_int_equal(outbox_count_pending(db), 0);
	sender_stop(&s);
	free(first_url);
	free(first_body);
	free(t1);
}

/* The token is revoked between the cut-off send and the look-up: the bot
 * logs in again, looks with the new token, finds its event: no resend
 * (a new token is where some homeservers forget the txn id). */
static void test_new_login_between(void **state)
{
	sqlite3 *db = *state;
	long long a1;
	outbox_enqueue(db, ROOM, NULL, "m.room.message", "{\"body\":\"a1\"}", 1, &a1);
	char *t1 = txn_of(db, a1);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	cut(live_with("/send/"));
	spin(&s.loop, 30);
	answer(lookup_of("m.room.message"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
	answer(live_with("/_matrix/client/v3/login"), 200,
	       "{\"access_token\":\"tok2\",\"device_id\":\"DEV1\"}");
	struct fake *f = lookup_of("m.room.message");
	assert_string_equal(f->bearer, "tok2");
	char *found = messages_with(BOT, t1, "$sent1");
	answer(f, 200, found);
	free(found);
	assert_int_equal(outbox_count_pending(db), 0);
	assert_int_equal(nlive(), 0);
	sender_stop(&s);
	free(t1);
}

/* 429 and 401 answers mean nothing was done: the same PUT again without a
 * look-up. */
static void test_refusals_need_no_look_up(void **state)
{
	sqlite3 *db = *state;
	outbox_enqueue(db, ROOM, NULL, "m.reaction", "{}", 1, NULL);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	answer(live_with("/send/"), 429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":5}");
	spin(&s.loop, 30);
	assert_null(live_with("/messages"));
	struct fake *f = live_with("/send/m.reaction/");
	assert_non_null(f);
	answer(f, 200, "{\"event_id\":\"$r\"}");
	assert_int_equal(outbox_count_pending(db), 0);
	sender_stop(&s);
}

/* A row a previous run had sent (marked tried, the process died waiting):
 * the new run looks first, and sends only when the event is not there. */
static void test_tried_before_a_restart(void **state)
{
	sqlite3 *db = *state;
	long long a1, b1;
	outbox_enqueue(db, ROOM, NULL, "m.room.message", "{\"body\":\"a1\"}", 1, &a1);
	outbox_enqueue(db, "!b:demo.test", NULL, "m.room.message", "{\"body\":\"b1\"}", 1, &b1);
	assert_int_equal(outbox_mark_tried(db, a1), 0);
	assert_int_equal(outbox_mark_tried(db, b1), 0);
	char *t1 = txn_of(db, a1), *tb = txn_of(db, b1);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	assert_int_equal(nlive(), 2);
	assert_null(live_with("/send/"));
	char *found = messages_with(BOT, t1, "$sent1");
	answer(lookup_of("m.room.message"), 200, found);
	free(found);
	assert_int_equal(rows(db, "id = 1"), 0);
	/* Room b: the look-up is refused (the filter, a 403...): the same PUT
	 * again rather than nothing at all. */
	struct fake *fb = live_with("/rooms/%21b%3Ademo.test/messages?");
	assert_non_null(fb);
	answer(fb, 400, "{\"errcode\":\"M_UNKNOWN\"}");
	fb = live_with("/rooms/%21b%3Ademo.test/send/");
	assert_non_null(fb);
	assert_non_null(strstr(fb->url, tb));
	answer(fb, 200, "{\"event_id\":\"$b\"}");
	assert_int_equal(outbox_count_pending(db), 0);
	sender_stop(&s);
	free(t1);
	free(tb);
}

/* Wrong-typed answers find nothing and crash nothing. */
static void test_find_sent_wrong_types(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{}", "{\"chunk\":{}}", "{\"chunk\":[1,\"x\",null]}",
		"{\"chunk\":[{\"sender\":\"" BOT "\",\"event_id\":\"$e\",\"content\":[]}]}",
		"{\"chunk\":[{\"sender\":\"" BOT "\",\"event_id\":\"$e\",\"content\":"
		"{\"" MESSAGE_OUTBOX_KEY "\":7}}]}",
		"{\"chunk\":[{\"sender\":\"" BOT "\",\"event_id\":7,\"content\":"
		"{\"" MESSAGE_OUTBOX_KEY "\":\"wt-1-ab\"}}]}",
		"{\"chunk\":[{\"sender\":[],\"event_id\":\"$e\",\"content\":"
		"{\"" MESSAGE_OUTBOX_KEY "\":\"wt-1-ab\"}}]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		assert_null(outbox_find_sent(j, BOT, "wt-1-ab"));
		json_decref(j);
	}
	assert_null(outbox_find_sent(NULL, BOT, "wt-1-ab"));
	json_t *ok = json_loads("{\"chunk\":[{\"sender\":\"" BOT "\",\"event_id\":\"$e\","
				"\"content\":{\"" MESSAGE_OUTBOX_KEY "\":\"wt-1-ab\"}}]}", 0, NULL);
	assert_string_equal(outbox_find_sent(ok, BOT, "wt-1-ab"), "$e");
	assert_null(outbox_find_sent(ok, BOT, "wt-1-abc"));
	json_decref(ok);
	/* A content that is no JSON object is sent as it is. */
	assert_null(message_with_outbox_id("[1]", "wt-1-ab"));
	assert_null(message_with_outbox_id("{\"a\":", "wt-1-ab"));
}

/* The outbox id is appended to the stored text (no parse and dump of a
 * long reply); what comes out is the same object as the parsed way gives:
 * every key kept, the id once, also when the text mentions the key or a
 * stored content already holds one (the slow path replaces it). */
static void check_id(const char *content, const char *id, size_t keys)
{
	char *out = message_with_outbox_id(content, id);
	assert_non_null(out);
	json_error_t err;
	json_t *j = json_loads(out, JSON_REJECT_DUPLICATES, &err);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), keys);
	assert_string_equal(json_string_value(json_object_get(j, MESSAGE_OUTBOX_KEY)), id);
	json_decref(j);
	free(out);
}

static void test_outbox_id_appended(void **state)
{
	(void)state;
	check_id("{\"body\":\"hallo\",\"msgtype\":\"m.notice\"}", "wt-1-ab", 3);
	check_id("{\"body\":\"zie \\\"" MESSAGE_OUTBOX_KEY "\\\"\"}", "wt-2-cd", 2);
	check_id("{\"" MESSAGE_OUTBOX_KEY "\":\"wt-0-00\",\"b\":1}", "wt-3-ef", 2);
	check_id("{}", "wt-4-01", 1);
	/* An id that would need escaping goes the parsed way. */
	check_id("{\"a\":1}", "wt\"5", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_event_carries_its_outbox_id, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_cut_off_and_found, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_not_found_sends_the_same_again, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_new_login_between, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_refusals_need_no_look_up, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_tried_before_a_restart, fx_db_setup, fx_db_teardown),
		cmocka_unit_test(test_find_sent_wrong_types),
		cmocka_unit_test(test_outbox_id_appended),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
