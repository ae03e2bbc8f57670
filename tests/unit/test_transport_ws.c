/* WebSocket transport, the parts without a network: draft requests as JSON,
 * classifying what the server sends, the stream URL, the fallback state
 * machine (websocket, auto, http; handshake refused, closes, retries,
 * backoff) and where a send goes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/transport_ws.h"

/* ---- requests ---- */

static void test_request_json(void **state)
{
	char *s = ws_request_dup("ping-1", "ping", NULL);
	json_t *j = json_loads(s, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "ping-1");
	assert_string_equal(json_string_value(json_object_get(j, "method")), "ping");
	assert_true(json_is_object(json_object_get(j, "params")));
	assert_int_equal(json_object_size(json_object_get(j, "params")), 0);
	assert_null(strchr(s, '\n'));   /* compact: one frame, no padding */
	json_decref(j);
	free(s);
}

static void test_send_request(void **state)
{
	const char *content = "{\"msgtype\":\"m.notice\",\"body\":\"Agenda \\\"x\\\" ü\"}";
	char *s = ws_send_request_dup("wt-7-abc", "!room:demo.test",
				      "m.room.message", content);
	assert_non_null(s);
	json_t *j = json_loads(s, 0, NULL);
	assert_non_null(j);
	/* The outbox's txn id is the request id. */
	assert_string_equal(json_string_value(json_object_get(j, "id")), "wt-7-abc");
	assert_string_equal(json_string_value(json_object_get(j, "method")), "send");
	json_t *p = json_object_get(j, "params");
	assert_string_equal(json_string_value(json_object_get(p, "room_id")),
			    "!room:demo.test");
	assert_string_equal(json_string_value(json_object_get(p, "event_type")),
			    "m.room.message");
	json_t *c = json_object_get(p, "content");
	assert_string_equal(json_string_value(json_object_get(c, "body")),
			    "Agenda \"x\" ü");
	json_decref(j);
	free(s);
	/* Content that is no JSON object cannot be sent this way. */
	assert_null(ws_send_request_dup("t", "!r:demo.test", "m.room.message", "[1]"));
	assert_null(ws_send_request_dup("t", "!r:demo.test", "m.room.message", "{bad"));
	assert_null(ws_send_request_dup("t", "!r:demo.test", "m.room.message", NULL));
}

static void test_pong(void **state)
{
	char *s = ws_pong_dup("srv-9");
	json_t *j = json_loads(s, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "srv-9");
	assert_true(json_is_object(json_object_get(j, "result")));
	assert_null(json_object_get(j, "error"));
	json_decref(j);
	free(s);
}

/* ---- what the server sends ---- */

static enum ws_msg_kind kind_of(const char *text)
{
	struct ws_msg m;
	ws_msg_parse(text, strlen(text), &m);
	enum ws_msg_kind k = m.kind;
	ws_msg_clear(&m);
	return k;
}

static void test_parse_kinds(void **state)
{
	assert_int_equal(kind_of("{\"next_batch\":\"s1\",\"rooms\":{}}"), WS_MSG_SYNC);
	assert_int_equal(kind_of("{\"id\":\"a\",\"result\":{}}"), WS_MSG_RESULT);
	assert_int_equal(kind_of("{\"id\":\"a\",\"error\":{\"errcode\":\"M_X\"}}"),
			 WS_MSG_ERROR);
	assert_int_equal(kind_of("{\"id\":\"a\",\"method\":\"ping\"}"), WS_MSG_REQUEST);
	/* Not draft messages. */
	assert_int_equal(kind_of(""), WS_MSG_INVALID);
	assert_int_equal(kind_of("not json"), WS_MSG_INVALID);
	assert_int_equal(kind_of("[1,2]"), WS_MSG_INVALID);
	assert_int_equal(kind_of("{\"rooms\":{}}"), WS_MSG_INVALID);
	assert_int_equal(kind_of("{\"id\":5,\"result\":{}}"), WS_MSG_INVALID);
	assert_int_equal(kind_of("{\"id\":\"a\"}"), WS_MSG_INVALID);
	assert_int_equal(kind_of("{\"id\":\"a\",\"error\":\"text\"}"), WS_MSG_INVALID);
	assert_int_equal(kind_of("{\"next_batch\":7}"), WS_MSG_INVALID);
}

static void test_parse_fields(void **state)
{
	struct ws_msg m;
	const char *r = "{\"id\":\"wt-1-x\",\"result\":{\"event_id\":\"$ev\"}}";
	assert_int_equal(ws_msg_parse(r, strlen(r), &m), 0);
	assert_string_equal(m.id, "wt-1-x");
	assert_string_equal(json_string_value(json_object_get(m.result, "event_id")),
			    "$ev");
	ws_msg_clear(&m);
	const char *e = "{\"id\":\"wt-2\",\"error\":{\"errcode\":\"M_UNRECOGNIZED\","
		"\"error\":\"Unknown method\"}}";
	assert_int_equal(ws_msg_parse(e, strlen(e), &m), 0);
	assert_int_equal(m.kind, WS_MSG_ERROR);
	assert_string_equal(m.errcode, "M_UNRECOGNIZED");
	assert_string_equal(m.error, "Unknown method");
	ws_msg_clear(&m);
	const char *bare = "{\"id\":\"wt-3\",\"error\":{}}";
	assert_int_equal(ws_msg_parse(bare, strlen(bare), &m), 0);
	assert_string_equal(m.errcode, "");
	assert_string_equal(m.error, "");
	ws_msg_clear(&m);
	const char *q = "{\"id\":\"s-1\",\"method\":\"ping\",\"params\":{}}";
	assert_int_equal(ws_msg_parse(q, strlen(q), &m), 0);
	assert_string_equal(m.method, "ping");
	assert_string_equal(m.id, "s-1");
	ws_msg_clear(&m);
	/* Bad UTF-8 in a sync body is replaced, not fatal. */
	const char bad[] = "{\"next_batch\":\"s2\",\"x\":\"\xff\xfe\"}";
	assert_int_equal(ws_msg_parse(bad, sizeof bad - 1, &m), 0);
	assert_int_equal(m.kind, WS_MSG_SYNC);
	ws_msg_clear(&m);
}

/* ---- URLs ---- */

static void test_stream_url(void **state)
{
	char *u = ws_stream_url_dup("ws://127.0.0.1:8009/_matrix/client/unstable/stream",
				    "syt_tok/en+x", "s72_4#1", "{\"room\":{}}");
	assert_string_equal(u, "ws://127.0.0.1:8009/_matrix/client/unstable/stream"
			    "?access_token=syt_tok%2Fen%2Bx&since=s72_4%231"
			    "&filter=%7B%22room%22%3A%7B%7D%7D");
	free(u);
	/* No since on a first start; a URL with a query already. */
	u = ws_stream_url_dup("wss://hs.demo.test/stream?v=1", "t", NULL, "3");
	assert_string_equal(u, "wss://hs.demo.test/stream?v=1&access_token=t&filter=3");
	free(u);
}

static void test_default_url(void **state)
{
	char *u = ws_default_url_dup("https://matrix.demo.test/");
	assert_string_equal(u, "wss://matrix.demo.test/_matrix/client/unstable/stream");
	free(u);
	u = ws_default_url_dup("http://127.0.0.1:8008");
	assert_string_equal(u, "ws://127.0.0.1:8008/_matrix/client/unstable/stream");
	free(u);
	assert_null(ws_default_url_dup("ftp://x"));
}

/* ---- the state machine ---- */

static void test_http_mode_never_connects(void **state)
{
	struct ws_fsm f;
	ws_fsm_init(&f, TRANSPORT_HTTP);
	struct ws_step s = ws_fsm_step(&f, WS_EV_START, 0, 0);
	assert_false(s.connect);
	assert_true(s.http);
	assert_int_equal(f.state, WS_ST_HTTP);
}

static void test_websocket_open_and_fall_back(void **state)
{
	struct ws_fsm f;
	ws_fsm_init(&f, TRANSPORT_WEBSOCKET);
	struct ws_step s = ws_fsm_step(&f, WS_EV_START, 0, 0);
	assert_true(s.connect);
	assert_false(s.http);          /* the first outcome decides */
	s = ws_fsm_step(&f, WS_EV_OPENED, 0, 0);
	assert_int_equal(f.state, WS_ST_OPEN);
	assert_false(s.http);
	assert_true(s.switched);
	/* A close (1011, 1006, a dead connection): HTTP at once, one switch,
	 * a retry scheduled. */
	s = ws_fsm_step(&f, WS_EV_FAILED, 0, 0);
	assert_int_equal(f.state, WS_ST_WAITING);
	assert_true(s.http);
	assert_true(s.switched);
	assert_false(s.connect);
	assert_in_range(s.retry_ms, 500, 1000);
	/* The retry connects while HTTP goes on. */
	s = ws_fsm_step(&f, WS_EV_RETRY, 0, 0);
	assert_true(s.connect);
	assert_true(s.http);
	assert_false(s.switched);
	/* It fails again: no new switch, a longer wait. */
	s = ws_fsm_step(&f, WS_EV_FAILED, 0, 0);
	assert_true(s.http);
	assert_false(s.switched);
	assert_in_range(s.retry_ms, 1000, 2000);
	s = ws_fsm_step(&f, WS_EV_RETRY, 0, 0);
	s = ws_fsm_step(&f, WS_EV_OPENED, 0, 0);
	assert_false(s.http);
	assert_true(s.switched);
	assert_int_equal(f.failures, 0);
}

static void test_failed_first_handshake(void **state)
{
	struct ws_fsm f;
	ws_fsm_init(&f, TRANSPORT_WEBSOCKET);
	ws_fsm_step(&f, WS_EV_START, 0, 0);
	/* A bad token (401) in websocket mode: HTTP now, retry later. */
	struct ws_step s = ws_fsm_step(&f, WS_EV_REFUSED, 401, 0);
	assert_true(s.http);
	assert_true(s.switched);
	assert_true(s.retry_ms >= 0);
	assert_int_equal(f.state, WS_ST_WAITING);
	/* Even a 404 is retried when websocket was asked for. */
	ws_fsm_step(&f, WS_EV_RETRY, 0, 0);
	s = ws_fsm_step(&f, WS_EV_REFUSED, 404, 0);
	assert_int_equal(f.state, WS_ST_WAITING);
	assert_false(s.switched);
	assert_true(s.retry_ms >= 0);
}

static void test_auto_stays_on_http_where_none_is_offered(void **state)
{
	int none[] = { 404, 405, 400, 200 };
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		struct ws_fsm f;
		ws_fsm_init(&f, TRANSPORT_AUTO);
		assert_true(ws_fsm_step(&f, WS_EV_START, 0, 0).connect);
		struct ws_step s = ws_fsm_step(&f, WS_EV_REFUSED, none[i], 0);
		assert_int_equal(f.state, WS_ST_HTTP);
		assert_true(s.http);
		assert_true(s.switched);
		assert_int_equal(s.retry_ms, -1);   /* for good */
		s = ws_fsm_step(&f, WS_EV_RETRY, 0, 0);
		assert_false(s.connect);
		assert_true(s.http);
	}
	/* A failure that says nothing about an offer is retried. */
	struct ws_fsm f;
	ws_fsm_init(&f, TRANSPORT_AUTO);
	ws_fsm_step(&f, WS_EV_START, 0, 0);
	struct ws_step s = ws_fsm_step(&f, WS_EV_REFUSED, 502, 0);
	assert_int_equal(f.state, WS_ST_WAITING);
	assert_true(s.retry_ms >= 0);
	/* Once it was open, auto retries like websocket, even after a 404. */
	ws_fsm_init(&f, TRANSPORT_AUTO);
	ws_fsm_step(&f, WS_EV_START, 0, 0);
	ws_fsm_step(&f, WS_EV_OPENED, 0, 0);
	ws_fsm_step(&f, WS_EV_FAILED, 0, 0);
	ws_fsm_step(&f, WS_EV_RETRY, 0, 0);
	s = ws_fsm_step(&f, WS_EV_REFUSED, 404, 0);
	assert_int_equal(f.state, WS_ST_WAITING);
	assert_true(s.retry_ms >= 0);
}

static void test_stray_events_change_nothing(void **state)
{
	struct ws_fsm f;
	ws_fsm_init(&f, TRANSPORT_WEBSOCKET);
	ws_fsm_step(&f, WS_EV_START, 0, 0);
	ws_fsm_step(&f, WS_EV_OPENED, 0, 0);
	/* A retry timer firing while open, a second open: stay open. */
	struct ws_step s = ws_fsm_step(&f, WS_EV_RETRY, 0, 0);
	assert_int_equal(f.state, WS_ST_OPEN);
	assert_false(s.connect);
	assert_false(s.http);
	s = ws_fsm_step(&f, WS_EV_OPENED, 0, 0);
	assert_false(s.switched);
	assert_false(s.http);
	/* A failure reported twice counts once. */
	ws_fsm_step(&f, WS_EV_FAILED, 0, 0);
	s = ws_fsm_step(&f, WS_EV_FAILED, 0, 0);
	assert_false(s.switched);
	assert_int_equal(s.retry_ms, -1);
	assert_true(s.http);
	assert_int_equal(f.failures, 1);
}

static void test_backoff(void **state)
{
	/* 1 s doubling, capped at 60 s; half fixed, half jitter. */
	assert_int_equal(ws_backoff_ms(1, 0), 500);
	assert_int_equal(ws_backoff_ms(1, 500), 1000);
	assert_int_equal(ws_backoff_ms(2, 0), 1000);
	assert_int_equal(ws_backoff_ms(3, 0), 2000);
	assert_int_equal(ws_backoff_ms(7, 0), 30000);
	assert_int_equal(ws_backoff_ms(8, 0), 30000);
	assert_int_equal(ws_backoff_ms(50, 0), 30000);
	assert_true(ws_backoff_ms(50, 0xffffffffu) <= 60000);
	for (unsigned r = 0; r < 5000; r += 37)
		assert_in_range(ws_backoff_ms(4, r), 4000, 8000);
}

static void test_send_route(void **state)
{
	struct ws_fsm f;
	ws_fsm_init(&f, TRANSPORT_WEBSOCKET);
	ws_fsm_step(&f, WS_EV_START, 0, 0);
	assert_false(ws_send_route(&f, 0, 100));      /* not open yet */
	ws_fsm_step(&f, WS_EV_OPENED, 0, 0);
	assert_true(ws_send_route(&f, 0, 100));
	assert_true(ws_send_route(&f, 0, WS_FRAME_MAX));
	assert_false(ws_send_route(&f, 0, WS_FRAME_MAX + 1));  /* too big */
	assert_false(ws_send_route(&f, 1, 100));      /* server refuses send */
	ws_fsm_step(&f, WS_EV_FAILED, 0, 0);
	assert_false(ws_send_route(&f, 0, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_json),
		cmocka_unit_test(test_send_request),
		cmocka_unit_test(test_pong),
		cmocka_unit_test(test_parse_kinds),
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_stream_url),
		cmocka_unit_test(test_default_url),
		cmocka_unit_test(test_http_mode_never_connects),
		cmocka_unit_test(test_websocket_open_and_fall_back),
		cmocka_unit_test(test_failed_first_handshake),
		cmocka_unit_test(test_auto_stays_on_http_where_none_is_offered),
		cmocka_unit_test(test_stray_events_change_nothing),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_send_route),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
