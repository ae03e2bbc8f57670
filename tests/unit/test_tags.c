/* Line-prefix parsing of #besluit / #actie / #info: several per message,
 * the synonyms and case, and everything that must not count: code blocks,
 * inline code (also across lines), quotes, indented code, words that only
 * start like a tag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/tags.h"

/* Parse body and compare with the expected kinds and texts. */
static void expect(const char *body, size_t n, const enum tag_kind *kinds,
		   const char *const *texts)
{
	struct wt_tags t;
	size_t got = tags_parse(body, &t);
	if (got != n)
		fail_msg("\"%s\": %zu tags, expected %zu", body, got, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(t.v[i].kind, kinds[i]);
		assert_string_equal(t.v[i].text, texts[i]);
	}
	tags_free(&t);
}

static void test_several_in_one_message(void **state)
{
	(void)state;
	const char *body = "Goed, dan vatten we samen:\n"
			   "#besluit We houden een scholingsdag.\n"
			   "#actie @eva:demo.test zaal reserveren voor 1 mei\n"
			   "tussendoor gewoon praten\n"
			   "#info Carla stuurt het programma rond\n"
			   "#agreed Second decision";
	const enum tag_kind k[] = { TAG_DECISION, TAG_ACTION, TAG_INFO, TAG_DECISION };
	const char *const x[] = { "We houden een scholingsdag.",
				  "@eva:demo.test zaal reserveren voor 1 mei",
				  "Carla stuurt het programma rond", "Second decision" };
	expect(body, 4, k, x);
	struct wt_tags t;
	tags_parse(body, &t);
	assert_int_equal(t.v[0].line, 2);
	assert_int_equal(t.v[3].line, 6);
	tags_free(&t);
}

static void test_synonyms_case_and_forms(void **state)
{
	(void)state;
	const enum tag_kind k[] = { TAG_DECISION, TAG_DECISION, TAG_ACTION, TAG_INFO,
				    TAG_INFO, TAG_DECISION, TAG_ACTION };
	const char *const x[] = { "a", "b", "@a:b c", "d", "e", "f", "@g:h i" };
	expect("#DECISION a\n#Besluit: b\n  #action @a:b c\n#note d\n#notitie\te\n"
	       "- #besluit f\n* #actie @g:h i", 7, k, x);
	/* An empty tag is still a tag (the logger says what is missing). */
	const enum tag_kind k2[] = { TAG_DECISION };
	const char *const x2[] = { "" };
	expect("#besluit", 1, k2, x2);
	expect("#besluit   \r\n", 1, k2, x2);
}

static void test_not_tags(void **state)
{
	(void)state;
	expect("", 0, NULL, NULL);
	expect("#besluiten zijn er genoeg", 0, NULL, NULL);
	expect("#actiepunt iets", 0, NULL, NULL);
	expect("een #besluit midden in de zin", 0, NULL, NULL);
	expect("> #besluit in een citaat", 0, NULL, NULL);
	expect("> <@anna:demo.test> #besluit\n\nantwoord", 0, NULL, NULL);
	expect("    #besluit ingesprongen code", 0, NULL, NULL);
	expect("\t#besluit ingesprongen code", 0, NULL, NULL);
	expect("# besluit kop", 0, NULL, NULL);
	expect("!besluit een commando", 0, NULL, NULL);
}

static void test_code_blocks_ignored(void **state)
{
	(void)state;
	const enum tag_kind k[] = { TAG_DECISION, TAG_INFO };
	const char *const x[] = { "buiten", "na" };
	expect("#besluit buiten\n```\n#besluit binnen\n#actie @a:b c\n```\n#info na", 2, k, x);
	/* A longer or tilde fence, closed only by a long enough run. */
	expect("#besluit buiten\n~~~~ text\n#besluit binnen\n~~~\n#actie @a:b c\n~~~~\n#info na",
	       2, k, x);
	/* An unclosed fence runs to the end. */
	const enum tag_kind k1[] = { TAG_DECISION };
	const char *const x1[] = { "buiten" };
	expect("#besluit buiten\n```\n#besluit binnen\n#info ook binnen", 1, k1, x1);
}

static void test_inline_code_ignored(void **state)
{
	(void)state;
	expect("`#besluit in code`", 0, NULL, NULL);
	expect("zo: `\n#besluit in code over regels\n` klaar", 0, NULL, NULL);
	expect("zo: ``a ` b\n#besluit nog in code\n`` klaar", 0, NULL, NULL);
	/* An unmatched backtick is a literal: the tag after it counts. */
	const enum tag_kind k[] = { TAG_DECISION };
	const char *const x[] = { "telt wel" };
	expect("een losse ` hier\n#besluit telt wel", 1, k, x);
	/* A blank line ends the paragraph, so a span cannot reach past it. */
	expect("open ` hier\n\n#besluit telt wel\nen ` daar", 1, k, x);
	/* Inline code inside the tag's text is kept as text. */
	const char *const x2[] = { "gebruik `!agenda`" };
	expect("#besluit gebruik `!agenda`", 1, k, x2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_several_in_one_message),
		cmocka_unit_test(test_synonyms_case_and_forms),
		cmocka_unit_test(test_not_tags),
		cmocka_unit_test(test_code_blocks_ignored),
		cmocka_unit_test(test_inline_code_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
