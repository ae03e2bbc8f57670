/* The message catalogue: every key in both languages, with the same printf
 * arguments in the same order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/catalog.h"
#include "lib/strbuf.h"

/* The conversion specifiers of a printf format, e.g. "s d zu". */
static void conversions(const char *fmt, struct strbuf *out)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && strchr("0123456789.-+ #*", *p))
			p++;
		while (*p && strchr("hlzjt", *p))
			sb_addc(out, *p++);
		if (*p)
			sb_addc(out, *p);
		sb_addc(out, ' ');
		if (!*p)
			break;
	}
}

static void test_every_key_in_both_languages(void **state)
{
	(void)state;
	assert_true(M__COUNT > 10);
	for (int id = M_NONE + 1; id < M__COUNT; id++) {
		const char *nl = msg_text(LANG_NL, (enum msg_id)id);
		const char *en = msg_text(LANG_EN, (enum msg_id)id);
		if (!*nl || !*en)
			fail_msg("%s has an empty text", msg_name((enum msg_id)id));
	}
}

static void test_same_arguments(void **state)
{
	(void)state;
	for (int id = 0; id < M__COUNT; id++) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		conversions(msg_text(LANG_NL, (enum msg_id)id), &a);
		conversions(msg_text(LANG_EN, (enum msg_id)id), &b);
		if (strcmp(a.buf, b.buf) != 0)
			fail_msg("%s: nl takes \"%s\", en takes \"%s\"",
				 msg_name((enum msg_id)id), a.buf, b.buf);
		sb_release(&a);
		sb_release(&b);
	}
}

/* The texts differ between the languages where they hold words (a check that
 * nothing was left untranslated by copying). */
static void test_translated(void **state)
{
	(void)state;
	int same = 0;
	for (int id = 0; id < M__COUNT; id++) {
		const char *nl = msg_text(LANG_NL, (enum msg_id)id);
		if (strcmp(nl, msg_text(LANG_EN, (enum msg_id)id)) == 0 && strlen(nl) > 24)
			same++;
	}
	assert_int_equal(same, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key_in_both_languages),
		cmocka_unit_test(test_same_arguments),
		cmocka_unit_test(test_translated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
