/* Markdown rendering and escaping of user text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "handlers/render.h"
#include "lib/strbuf.h"

static void test_html_basic(void **state)
{
	(void)state;
	char *h = render_html("**vet** en `code`");
	assert_string_equal(h, "<p><strong>vet</strong> en <code>code</code></p>");
	free(h);
}

/* Raw HTML in Markdown never reaches formatted_body. */
static void test_html_raw_suppressed(void **state)
{
	(void)state;
	char *h = render_html("hallo <script>alert(1)</script> <b>x</b>");
	assert_null(strstr(h, "<script>"));
	assert_null(strstr(h, "<b>"));
	free(h);
	h = render_html("[klik](javascript:alert(1))");
	assert_null(strstr(h, "javascript:"));
	free(h);
}

static void test_plain(void **state)
{
	(void)state;
	char *p = render_plain("**Agenda**\n\n1. Eerste\n2. Tweede\n\n- a\n- b\n\nslot \\*echt\\*");
	assert_string_equal(p, "Agenda\n\n1. Eerste\n2. Tweede\n\n- a\n- b\n\nslot *echt*");
	free(p);
}

/* User text escaped with sb_add_md renders as the same text, with no markup,
 * link or mention in the HTML. */
static void test_user_text_escaped(void **state)
{
	(void)state;
	const char *evil[] = {
		"**bold** _it_ `code` [link](http://x.test) <b>html</b>",
		"# heading\n- list\n> quote",
		"@room @anna:demo.test https://matrix.to/#/@x:y",
		"1. not a list",
		"![img](mxc://x/y)",
	};
	for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, "Titel: ");
		sb_add_md(&sb, evil[i]);
		char *h = render_html(sb.buf);
		assert_null(strstr(h, "<strong>"));
		assert_null(strstr(h, "<em>"));
		assert_null(strstr(h, "<code>"));
		assert_null(strstr(h, "<a "));
		assert_null(strstr(h, "<img"));
		assert_null(strstr(h, "<h1>"));
		assert_null(strstr(h, "<li>"));
		assert_null(strstr(h, "<blockquote>"));
		assert_null(strstr(h, "<b>"));
		/* The plain rendering gives the user's text back (newlines
		 * folded), "@room" with a word joiner after the '@' so the
		 * body cannot ping the room. */
		char *p = render_plain(sb.buf);
		struct strbuf want = STRBUF_INIT;
		sb_add(&want, "Titel: ");
		for (const char *c = evil[i]; *c; c++) {
			sb_addc(&want, *c == '\n' ? ' ' : *c);
			if (*c == '@' && strncasecmp(c + 1, "room", 4) == 0)
				sb_add(&want, "\xE2\x81\xA0");
		}
		assert_null(strstr(p, "@room"));
		assert_string_equal(p, want.buf);
		free(p);
		free(h);
		sb_release(&want);
		sb_release(&sb);
	}
}

/* A file's Markdown keeps only the backslashes it needs: it reads as
 * typed and cmark renders it exactly as the escaped form, for texts that
 * try every construct (lists, headings, links, images, entities, code,
 * emphasis, rules, quotes) at the start of a line, after a list marker
 * and in the middle. */
static void test_file_markdown_relaxed(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"@sanne:demo.test", "95% klaar.", "1. punt", "2) punt", "# kop", "## kop",
		"- lijst", "+ lijst", "* ster", "> citaat", "---", "===", "a = b", "Groei 2.5%",
		"zie [dit](http://x.test)", "![plaatje](http://x.test/p.png)", "Hoi!", "&amp; &#38; & ;",
		"`code`", "*nadruk* _ook_", "<b>vet</b>", "a|b", "~~weg~~", "\\ backslash",
		"(haakjes) [blok]", "vraag: wat?", "\"citaat\" en 'enkel'", "$5 ^ 2 {x}", "@room",
		"10. oktober", "3 - 2 = 1", "-1 graad", "#hashtag", "e-mail: a@b.test", "!",
		"1.", "#", "-", "a\\", "[", "]", "](", "!\\[",
	};
	/* Each alone and after a list item marker and a link our builders make. */
	static const char *const before[] = { "", "- ", "1. ", "[naam](https://matrix.to/#/@a:b.test)" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		for (size_t b = 0; b < sizeof before / sizeof before[0]; b++) {
			struct strbuf md = STRBUF_INIT;
			sb_add(&md, before[b]);
			sb_add_md(&md, texts[i]);
			sb_add(&md, "\n\nVolgende regel");
			char *file = markdown_for_file_dup(md.buf);
			char *h1 = render_html(md.buf), *h2 = render_html(file);
			if (strcmp(h1, h2) != 0)
				fail_msg("\"%s\" after \"%s\": %s reads as\n%s\nbut %s as\n%s",
					 texts[i], before[b], md.buf, h1, file, h2);
			free(h1);
			free(h2);
			free(file);
			sb_release(&md);
		}
	}
	/* What the issue saw: no backslash left where none is needed. */
	struct strbuf md = STRBUF_INIT;
	sb_add_md(&md, "Voorgesteld door @sanne:demo.test, 95% klaar. Zie e-mail.");
	char *file = markdown_for_file_dup(md.buf);
	assert_string_equal(file, "Voorgesteld door @sanne:demo.test, 95% klaar. Zie e-mail.");
	free(file);
	sb_release(&md);
}

/* One parse for both bodies gives exactly what the two separate
 * renderers give (lists, links, pills, code, raw HTML, hard breaks). */
static void test_plain_html_one_parse(void **state)
{
	(void)state;
	static const char *md[] = {
		"**Agenda** voor *dinsdag*\n- punt een\n- punt twee\n\n1. a\n2. b",
		"[Anna](https://matrix.to/#/@anna:example.org) zie <https://example.org>",
		"regel een\nregel twee\n\n```\ncode <b>\n```\n\n> citaat",
		"<script>alert(1)</script> `x` \\* ster", "",
	};
	for (size_t i = 0; i < sizeof md / sizeof md[0]; i++) {
		char *plain, *html;
		render_plain_html(md[i], &plain, &html);
		char *p2 = render_plain(md[i]), *h2 = render_html(md[i]);
		assert_string_equal(plain, p2);
		assert_string_equal(html, h2);
		free(plain);
		free(html);
		free(p2);
		free(h2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_basic),
		cmocka_unit_test(test_html_raw_suppressed),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_plain_html_one_parse),
		cmocka_unit_test(test_user_text_escaped),
		cmocka_unit_test(test_file_markdown_relaxed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
