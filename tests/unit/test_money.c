/* Dutch money notation: parsing to cents and formatting back, in Dutch and
 * in English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/money.h"

/* Parse s and return the code; *cents and *used filled. */
static int parse(const char *s, long long *cents, size_t *used)
{
	return money_parse(s, cents, used);
}

static void test_accepted_forms(void **state)
{
	(void)state;
	static const struct { const char *in; long long cents; } ok[] = {
		{ "€ 12.500,00", 1250000 }, { "12500", 1250000 }, { "12.500", 1250000 },
		{ "1.250,50", 125050 }, { "€12,5", 1250 }, { "€12,50", 1250 },
		{ "500,-", 50000 }, { "500,--", 50000 }, { "0,99", 99 }, { "0", 0 },
		{ "1.000.000", 100000000 }, { "12500 euro", 1250000 }, { "EUR 75", 7500 },
		{ "  €  3,07", 307 }, { "999", 99900 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		long long c = -1;
		size_t used = 0;
		assert_int_equal(parse(ok[i].in, &c, &used), MONEY_OK);
		assert_int_equal(c, ok[i].cents);
		assert_int_equal(used, strlen(ok[i].in));
	}
}

static void test_consumed_stops_at_word(void **state)
{
	(void)state;
	long long c;
	size_t used;
	const char *s = "€ 1.250,50 begeleiding fase 1";
	assert_int_equal(parse(s, &c, &used), MONEY_OK);
	assert_int_equal(c, 125050);
	assert_string_equal(s + used, " begeleiding fase 1");
	s = "75 euro koffie";
	assert_int_equal(parse(s, &c, &used), MONEY_OK);
	assert_int_equal(c, 7500);
	assert_string_equal(s + used, " koffie");
}

static void test_refused_forms(void **state)
{
	(void)state;
	static const struct { const char *in; int err; } bad[] = {
		{ "", MONEY_EMPTY }, { "   ", MONEY_EMPTY }, { "€", MONEY_EMPTY },
		{ "-50", MONEY_NEGATIVE }, { "€ -12,00", MONEY_NEGATIVE }, { "-€ 5", MONEY_NEGATIVE },
		{ "12.5", MONEY_BAD }, { "12.50", MONEY_BAD }, { "1,234", MONEY_BAD },
		{ "1234.567", MONEY_BAD }, { "1.23.456", MONEY_BAD }, { "abc", MONEY_BAD },
		{ "12,", MONEY_BAD }, { ",50", MONEY_BAD }, { ".500", MONEY_BAD },
		{ "12a", MONEY_BAD }, { "1.000.000.000.000", MONEY_TOO_BIG },
		{ "99999999999999999999999", MONEY_TOO_BIG },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long long c = 7;
		size_t used = 7;
		int rc = parse(bad[i].in, &c, &used);
		if (rc != bad[i].err)
			fail_msg("%s: got %d, want %d", bad[i].in, rc, bad[i].err);
		assert_int_equal(used, 0);
	}
}

static void test_format(void **state)
{
	(void)state;
	static const struct { long long cents; const char *nl, *en; } f[] = {
		{ 1250000, "€ 12.500,00", "€12,500.00" }, { 0, "€ 0,00", "€0.00" },
		{ 5, "€ 0,05", "€0.05" }, { 125050, "€ 1.250,50", "€1,250.50" },
		{ 420000, "€ 4.200,00", "€4,200.00" },
		{ 100000000, "€ 1.000.000,00", "€1,000,000.00" },
		{ -125050, "€ -1.250,50", "-€1,250.50" }, { 99900, "€ 999,00", "€999.00" },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		money_format(&sb, f[i].cents, LANG_NL);
		assert_string_equal(sb.buf, f[i].nl);
		sb_reset(&sb);
		money_format(&sb, f[i].cents, LANG_EN);
		assert_string_equal(sb.buf, f[i].en);
		sb_release(&sb);
	}
}

/* Every amount written in Dutch parses back to itself. */
static void test_round_trip(void **state)
{
	(void)state;
	for (long long c = 0; c < 300000000; c = c * 3 + 7) {
		struct strbuf sb = STRBUF_INIT;
		money_format(&sb, c, LANG_NL);
		long long back = -1;
		size_t used;
		assert_int_equal(money_parse(sb.buf, &back, &used), MONEY_OK);
		assert_int_equal(back, c);
		sb_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted_forms),
		cmocka_unit_test(test_consumed_stops_at_word),
		cmocka_unit_test(test_refused_forms),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
