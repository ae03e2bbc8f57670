/* The one UTF-8 validator (lib/utf8.c): the edges of each sequence length,
 * overlong forms, surrogates, code points above U+10FFFF, sequences cut
 * short, and the lossy copy the reply builder makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"

/* A byte string and its length (it may hold NUL). */
struct bytes {
	const char *s;
	size_t n;
};
#define B(lit) { lit, sizeof lit - 1 }

/* Valid text of every length, at the edges of each range. */
static void test_valid(void **state)
{
	(void)state;
	static const struct bytes ok[] = {
		B(""), B("a"), B("\x7F"),
		B("\xC2\x80"), B("\xDF\xBF"),                 /* U+0080, U+07FF */
		B("\xE0\xA0\x80"), B("\xED\x9F\xBF"),         /* U+0800, U+D7FF */
		B("\xEE\x80\x80"), B("\xEF\xBF\xBF"),         /* U+E000, U+FFFF */
		B("\xF0\x90\x80\x80"), B("\xF4\x8F\xBF\xBF"), /* U+10000, U+10FFFF */
		B("caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x98\x80"),
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_true(utf8_valid(ok[i].s, ok[i].n));
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xF0\x9F\x98\x80", 4), 4);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xE2\x82\xAC", 3), 3);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xC3\xA9", 2), 2);
	assert_int_equal(utf8_seq_len((const unsigned char *)"a", 1), 1);
}

/* Overlong forms, surrogates, > U+10FFFF, truncation, stray bytes, NUL. */
static void test_refused(void **state)
{
	(void)state;
	static const struct bytes bad[] = {
		/* overlong: '/' in 2, 3 and 4 bytes, U+07FF in 3, U+FFFF in 4 */
		B("\xC0\xAF"), B("\xC1\xBF"), B("\xE0\x80\xAF"), B("\xE0\x9F\xBF"),
		B("\xF0\x80\x80\xAF"), B("\xF0\x8F\xBF\xBF"),
		/* surrogates U+D800, U+DBFF, U+DC00, U+DFFF; a CESU-8 pair */
		B("\xED\xA0\x80"), B("\xED\xAF\xBF"), B("\xED\xB0\x80"),
		B("\xED\xBF\xBF"), B("\xED\xA0\xBD\xED\xB8\x80"),
		/* above U+10FFFF: U+110000, F5..FF lead bytes */
		B("\xF4\x90\x80\x80"), B("\xF5\x80\x80\x80"), B("\xF7\xBF\xBF\xBF"),
		B("\xF8\x88\x80\x80\x80"), B("\xFF"), B("\xFE"),
		/* cut short, at the end and before ASCII */
		B("\xC3"), B("\xE2\x82"), B("\xF0\x9F\x98"), B("ok\xE2\x82"),
		B("\xE2\x82" "a"), B("\xF0\x9F" "ab"),
		/* a continuation byte without a lead byte; NUL inside */
		B("\x80"), B("a\xBF" "b"), B("a\0b"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(utf8_valid(bad[i].s, bad[i].n));
		/* the bad part is refused where it starts, too */
		const char *s = bad[i].s;
		size_t at = 0;
		while (at < bad[i].n && (unsigned char)s[at] < 0x80 && s[at])
			at++;
		if (at < bad[i].n && s[at])
			assert_int_equal(utf8_seq_len((const unsigned char *)s + at,
						      bad[i].n - at), 0);
	}
	/* valid bytes, but fewer of them allowed than the sequence needs */
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xE2\x82\xAC", 2), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"a", 0), 0);
	assert_false(utf8_valid("\xE2\x82\xAC", 2));
}

/* Code points are counted, not bytes. */
static void test_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("caf\xC3\xA9"), 4);
	assert_int_equal(utf8_chars("\xE2\x82\xAC\xF0\x9F\x98\x80"), 2);
}

/* The lossy copy keeps valid text and makes each bad byte one U+FFFD. */
static void test_lossy(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "caf\xC3\xA9", "caf\xC3\xA9" },
		{ "a\xFF" "b", "a\xEF\xBF\xBD" "b" },
		{ "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "x\xE2\x82", "x\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xE2\x82\xAC\xF4\x90\x80\x80",
		  "\xE2\x82\xAC\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		utf8_add_lossy(&sb, cases[i].in);
		assert_string_equal(sb.buf, cases[i].out);
		assert_true(utf8_valid(sb.buf, sb.len));
		sb_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_lossy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
