/* The words of the message catalogue, in every message of both languages:
 * real plurals (no "punt(en)", "item(s)"), no doubled word ("op op"), no
 * blank before a full stop or comma, and every counted text a pair of keys
 * M_X_ONE, M_X_MANY that msg_count picks from. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "handlers/catalog.h"

/* The problem in text, or NULL: what the tests below look for. */
static const char *plural_problem(const char *text)
{
	if (strstr(text, "(en)"))
		return "(en)";
	if (strstr(text, "(s)"))
		return "(s)";
	/* any "word(xx)": a letter, then one to three lower-case letters in
	 * brackets ("voorstel(len)", "actie(s)") */
	for (const char *p = text; (p = strchr(p, '(')) != NULL; p++) {
		if (p == text || !isalpha((unsigned char)p[-1]))
			continue;
		size_t n = 0;
		while (n < 4 && islower((unsigned char)p[1 + n]))
			n++;
		if (n >= 1 && n <= 3 && p[1 + n] == ')')
			return "word(ending)";
	}
	return NULL;
}

/* The first word written twice in a row ("op op"), copied into out. */
static int doubled_word(const char *text, char *out, size_t size)
{
	const char *prev = NULL;
	size_t prevlen = 0;
	const char *p = text;
	while (*p) {
		if (!isalpha((unsigned char)*p)) {
			/* only a single blank keeps two words "in a row" */
			if (!(*p == ' ' && prev && p[-1] != ' '))
				prev = NULL;
			p++;
			continue;
		}
		const char *w = p;
		while (isalpha((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - w);
		int after_blank = w > text && w[-1] == ' ';
		/* part of a conversion (%s, %lld, %02d) or glued to a number
		 * ("2u"): not a word */
		int conv = w > text && (w[-1] == '%' || isdigit((unsigned char)w[-1]));
		if (!conv && prev && after_blank && len == prevlen
		    && strncasecmp(prev, w, len) == 0) {
			snprintf(out, size, "%.*s %.*s", (int)len, w, (int)len, w);
			return 1;
		}
		prev = conv ? NULL : w;
		prevlen = len;
	}
	return 0;
}

/* A blank right before a full stop or a comma ("schema ."); an ellipsis
 * ("`thema: ...`") is no full stop. */
static const char *blank_before_stop(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p != ' ')
			continue;
		if (p[1] == ',')
			return p;
		if (p[1] == '.' && p[2] != '.')
			return p;
	}
	return NULL;
}

/* The texts of both languages, with the key's name, for each check. */
static void each_text(void (*check)(const char *name, const char *lang, const char *text))
{
	for (int id = M_NONE + 1; id < M__COUNT; id++) {
		check(msg_name((enum msg_id)id), "nl", msg_text(LANG_NL, (enum msg_id)id));
		check(msg_name((enum msg_id)id), "en", msg_text(LANG_EN, (enum msg_id)id));
	}
}

static void check_plural(const char *name, const char *lang, const char *text)
{
	const char *why = plural_problem(text);
	if (why)
		fail_msg("%s (%s) writes a plural as %s: \"%s\"", name, lang, why, text);
}

static void check_doubled(const char *name, const char *lang, const char *text)
{
	char w[128];
	if (doubled_word(text, w, sizeof w))
		fail_msg("%s (%s) has a doubled word \"%s\": \"%s\"", name, lang, w, text);
}

static void check_blank(const char *name, const char *lang, const char *text)
{
	const char *p = blank_before_stop(text);
	if (p)
		fail_msg("%s (%s) has a blank before \"%c\": \"%s\"", name, lang, p[1], text);
}

static void test_no_bracket_plurals(void **state)
{
	(void)state;
	each_text(check_plural);
}

static void test_no_doubled_words(void **state)
{
	(void)state;
	each_text(check_doubled);
}

static void test_no_blank_before_stop(void **state)
{
	(void)state;
	each_text(check_blank);
}

/* The checks find what they look for: each rule on a text that breaks it,
 * and a text that keeps them all. */
static void test_checks_find_problems(void **state)
{
	(void)state;
	char w[128];
	assert_non_null(plural_problem("%d punt(en)"));
	assert_non_null(plural_problem("%d item(s)"));
	assert_non_null(plural_problem("%d voorstel(len) wachten"));
	assert_non_null(plural_problem("(s) alone"));
	assert_null(plural_problem("Aanwezig (sprak mee): %s"));
	assert_null(plural_problem("fase %d (%s) van %s"));
	assert_int_equal(doubled_word("AL1 staat nu op op schema", w, sizeof w), 1);
	assert_string_equal(w, "op op");
	assert_int_equal(doubled_word("Dat Dat kan", w, sizeof w), 1);
	assert_int_equal(doubled_word("%s %s, %d %d, %02d %02d", w, sizeof w), 0);
	assert_int_equal(doubled_word("op\nop", w, sizeof w), 0);
	assert_int_equal(doubled_word("staat nu op schema.", w, sizeof w), 0);
	assert_non_null(blank_before_stop("AL1 staat nu op schema ."));
	assert_non_null(blank_before_stop("eerst , dan"));
	assert_null(blank_before_stop("`thema: ...`, `hoe: ...`"));
	assert_null(blank_before_stop("AL1 staat nu op schema."));
}

/* Every M_X_ONE is followed by its M_X_MANY (msg_count relies on the order),
 * and every M_X_MANY follows its M_X_ONE. */
static void test_count_pairs(void **state)
{
	(void)state;
	int pairs = 0;
	for (int id = M_NONE + 1; id < M__COUNT; id++) {
		const char *name = msg_name((enum msg_id)id);
		size_t len = strlen(name);
		if (len > 4 && strcmp(name + len - 4, "_ONE") == 0) {
			const char *next = id + 1 < M__COUNT ? msg_name((enum msg_id)(id + 1)) : "";
			if (strncmp(next, name, len - 4) != 0
			    || strcmp(next + len - 4, "_MANY") != 0)
				fail_msg("%s is followed by %s, not by its _MANY key", name, next);
			assert_int_equal(msg_count((enum msg_id)id, 1), id);
			assert_int_equal(msg_count((enum msg_id)id, 0), id + 1);
			assert_int_equal(msg_count((enum msg_id)id, 2), id + 1);
			assert_int_equal(msg_count((enum msg_id)id, 21), id + 1);
			pairs++;
		} else if (len > 5 && strcmp(name + len - 5, "_MANY") == 0) {
			const char *prev = msg_name((enum msg_id)(id - 1));
			if (strncmp(prev, name, len - 5) != 0
			    || strcmp(prev + len - 5, "_ONE") != 0)
				fail_msg("%s does not follow its _ONE key (but %s)", name, prev);
		}
	}
	assert_true(pairs >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks_find_problems),
		cmocka_unit_test(test_no_bracket_plurals),
		cmocka_unit_test(test_no_doubled_words),
		cmocka_unit_test(test_no_blank_before_stop),
		cmocka_unit_test(test_count_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
