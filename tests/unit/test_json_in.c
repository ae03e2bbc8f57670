/* JSON from the network (bot/json_in.c): what jansson alone refuses is
 * repaired or kept, nothing valid is changed, and strings holding a NUL
 * are never handed out half. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/transport_ws.h"
#include "lib/strbuf.h"

#define FFFD "\xEF\xBF\xBD"

static json_t *parse(const char *text, struct json_in_stats *st)
{
	return json_in_parse(text, strlen(text), st);
}

/* \u0000 in a value is kept (whole length) but never read as a C string;
 * in a key it becomes U+FFFD (jansson cannot hold it there). */
static void test_nul(void **state)
{
	(void)state;
	struct json_in_stats st;
	json_t *j = parse("{\"a\":\"x\\u0000y\",\"k\\u0000ey\":1,\"b\":\"ok\"}", &st);
	assert_non_null(j);
	json_t *a = json_object_get(j, "a");
	assert_int_equal(json_string_length(a), 3);
	assert_true(json_in_has_nul(a));
	assert_null(json_in_str(j, "a"));
	assert_string_equal(json_in_str(j, "b"), "ok");
	assert_false(json_in_has_nul(json_object_get(j, "b")));
	assert_non_null(json_object_get(j, "k" FFFD "ey"));
	assert_int_equal(st.key_nuls, 1);
	json_decref(j);
	/* The same through mx_parse, the parser of every response body. */
	const char *body = "{\"next_batch\":\"s\",\"name\":\"a\\u0000b\"}";
	j = mx_parse(body, strlen(body));
	assert_non_null(j);
	assert_string_equal(json_in_str(j, "next_batch"), "s");
	json_decref(j);
}

/* Lone surrogates become U+FFFD; a proper pair stays one character. */
static void test_surrogates(void **state)
{
	(void)state;
	struct json_in_stats st;
	json_t *j = parse("{\"a\":\"\\ud800x\",\"b\":\"\\udc00\",\"c\":\"\\ud83d\\ude00\","
			  "\"d\":\"\\uD800\\u0041\",\"e\":\"end\\udbff\"}", &st);
	assert_non_null(j);
	assert_string_equal(json_in_str(j, "a"), FFFD "x");
	assert_string_equal(json_in_str(j, "b"), FFFD);
	assert_string_equal(json_in_str(j, "c"), "\xF0\x9F\x98\x80");
	assert_string_equal(json_in_str(j, "d"), FFFD "A");
	assert_string_equal(json_in_str(j, "e"), "end" FFFD);
	assert_int_equal(st.surrogates, 4);
	json_decref(j);
}

/* Invalid UTF-8 (stray bytes, cut sequences, overlong forms, encoded
 * surrogates, beyond U+10FFFF) becomes U+FFFD; valid text stays. */
static void test_bad_utf8(void **state)
{
	(void)state;
	struct json_in_stats st;
	json_t *j = parse("{\"a\":\"\xff\",\"b\":\"\xc3(\",\"c\":\"\xc0\xaf\","
			  "\"d\":\"\xed\xa0\x80\",\"e\":\"\xf4\x90\x80\x80\",\"f\":\"caf\xc3\xa9\"}", &st);
	assert_non_null(j);
	assert_string_equal(json_in_str(j, "a"), FFFD);
	assert_string_equal(json_in_str(j, "b"), FFFD "(");
	assert_string_equal(json_in_str(j, "c"), FFFD FFFD);
	assert_string_equal(json_in_str(j, "d"), FFFD FFFD FFFD);
	assert_string_equal(json_in_str(j, "e"), FFFD FFFD FFFD FFFD);
	assert_string_equal(json_in_str(j, "f"), "caf\xc3\xa9");
	assert_int_equal(st.bad_utf8, 11);
	json_decref(j);
}

/* A value nested deeper than the limit becomes null; what is around it
 * stays, also when the deep part holds strings with brackets and quotes. */
static void test_depth(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "{\"deep\":");
	for (int i = 0; i < 10000; i++)
		sb_add(&sb, i % 2 ? "[" : "{\"k\":");
	sb_add(&sb, "\"]}\\\"[{\"");
	for (int i = 10000; i-- > 0;)
		sb_add(&sb, i % 2 ? "]" : "}");
	sb_add(&sb, ",\"after\":\"ok\"}");
	struct json_in_stats st;
	json_t *j = json_in_parse(sb.buf, sb.len, &st);
	assert_non_null(j);
	assert_string_equal(json_in_str(j, "after"), "ok");
	assert_int_equal(st.deep, 1);
	int depth = 1;
	json_t *v = json_object_get(j, "deep");
	while (json_is_object(v) || json_is_array(v)) {
		v = json_is_object(v) ? json_object_get(v, "k") : json_array_get(v, 0);
		depth++;
	}
	assert_true(json_is_null(v));
	assert_int_equal(depth, JSON_IN_MAX_DEPTH);
	json_decref(j);
	sb_release(&sb);
}

/* A key twice: the last value counts (as in the homeserver's reader). */
static void test_duplicate_keys(void **state)
{
	(void)state;
	struct json_in_stats st;
	json_t *j = parse("{\"body\":\"!first\",\"x\":{\"a\":1,\"a\":2},\"body\":\"!second\"}", &st);
	assert_non_null(j);
	assert_string_equal(json_in_str(j, "body"), "!second");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "x"), "a")), 2);
	assert_int_equal(st.duplicates, 1);
	json_decref(j);
}

/* Numbers jansson cannot hold become null; the others stay exact. */
static void test_numbers(void **state)
{
	(void)state;
	struct json_in_stats st;
	json_t *j = parse("{\"i\":99999999999999999999,\"r\":1e400,\"n\":-1e999,"
			  "\"small\":1e-400,\"ok\":12,\"min\":-9223372036854775808,"
			  "\"f\":2.5}", &st);
	assert_non_null(j);
	assert_true(json_is_null(json_object_get(j, "i")));
	assert_true(json_is_null(json_object_get(j, "r")));
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_true(json_is_real(json_object_get(j, "small")));
	assert_int_equal(json_integer_value(json_object_get(j, "ok")), 12);
	assert_true(json_integer_value(json_object_get(j, "min")) < 0);
	assert_true(json_real_value(json_object_get(j, "f")) == 2.5);
	assert_int_equal(st.numbers, 3);
	json_decref(j);
	/* Around the fast path (short tokens copied unconverted): 18 and 19
	 * digits, one past the largest integer, a long real. */
	char real[400];
	memset(real, '1', 298);
	real[0] = '0';
	real[1] = '.';
	real[298] = '\0';
	char text[600];
	snprintf(text, sizeof text, "{\"a\":999999999999999999,\"b\":9223372036854775807,"
		 "\"c\":9223372036854775808,\"d\":-99999999999999999,\"e\":%s}", real);
	j = parse(text, &st);
	assert_non_null(j);
	assert_true(json_integer_value(json_object_get(j, "a")) == 999999999999999999LL);
	assert_true(json_integer_value(json_object_get(j, "b")) == 9223372036854775807LL);
	assert_true(json_is_null(json_object_get(j, "c")));
	assert_true(json_integer_value(json_object_get(j, "d")) == -99999999999999999LL);
	assert_true(json_is_real(json_object_get(j, "e")));
	assert_int_equal(st.numbers, 1);
	json_decref(j);
}

/* Raw control characters and malformed escapes inside strings. */
static void test_controls_and_escapes(void **state)
{
	(void)state;
	struct json_in_stats st;
	json_t *j = parse("{\"a\":\"x\ty\",\"b\":\"\\x\",\"c\":\"q\\\"\\\\\",\"d\":\"\\u12G4\"}", &st);
	assert_non_null(j);
	assert_string_equal(json_in_str(j, "a"), "x\ty");
	assert_string_equal(json_in_str(j, "b"), FFFD);
	assert_string_equal(json_in_str(j, "c"), "q\"\\");
	assert_string_equal(json_in_str(j, "d"), FFFD "12G4");
	assert_int_equal(st.controls, 1);
	assert_int_equal(st.bad_escapes, 2);
	json_decref(j);
}

/* Valid JSON passes unchanged byte for byte; what is no JSON at all is
 * still refused. */
static void test_valid_unchanged_and_garbage_refused(void **state)
{
	(void)state;
	const char *ok = "{\"next_batch\":\"s1_2\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":"
			 "{\"events\":[{\"type\":\"m.room.message\",\"content\":{\"body\":"
			 "\"caf\xc3\xa9 \\u00e9 \\n \\\"q\\\" \\ud83d\\ude00\",\"n\":[1,-2.5e3,true,"
			 "false,null]}}]}}}}}";
	struct strbuf out = STRBUF_INIT;
	struct json_in_stats st;
	json_in_sanitize(ok, strlen(ok), &out, &st);
	assert_string_equal(out.buf, ok);
	struct strbuf why = STRBUF_INIT;
	assert_false(json_in_repaired(&st, &why));
	sb_release(&out);
	const char *bad[] = { "{\"a\":", "{\"a\":\"cut", "", "nope", "{\"a\" 1}", "[1,]" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(json_in_parse(bad[i], strlen(bad[i]), NULL));
	/* Something repaired is described. */
	json_decref(parse("{\"a\":\"\\ud800\"}", &st));
	assert_true(json_in_repaired(&st, &why));
	assert_non_null(strstr(why.buf, "surrogate"));
	sb_release(&why);
}

/* A WebSocket message is parsed the same way: a pushed sync body with a
 * NUL, a lone surrogate and a key twice is a sync body, not dropped. */
static void test_ws_message(void **state)
{
	(void)state;
	const char *text = "{\"next_batch\":\"s9\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":"
			   "{\"events\":[{\"type\":\"m.room.name\",\"content\":{\"name\":"
			   "\"a\\u0000b\\udead\",\"name\":\"c\"}}]}}}}}";
	struct ws_msg msg;
	assert_int_equal(ws_msg_parse(text, strlen(text), &msg), 0);
	assert_int_equal(msg.kind, WS_MSG_SYNC);
	ws_msg_clear(&msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_surrogates),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_controls_and_escapes),
		cmocka_unit_test(test_valid_unchanged_and_garbage_refused),
		cmocka_unit_test(test_ws_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
