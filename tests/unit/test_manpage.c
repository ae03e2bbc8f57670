/* The man pages (bot/manpage.h) are generated from the tables, so they
 * cannot drift: every command and sub-command in both languages, every
 * config key of every section, every option; every key has its
 * description (bot/config_doc.c) and every description is a key; both
 * pages are well-formed roff (groff's warnings: tests/console/install.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/config_doc.h"
#include "bot/config_reload.h"
#include "bot/manpage.h"
#include "handlers/commands.h"
#include "lib/roff.h"

static char *page(int section)
{
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(manpage_write(&sb, section, "9.9"), 0);
	return sb_detach(&sb);
}

/* 1 when page holds name as roff writes it. */
static int has(const char *text, const char *name)
{
	struct strbuf want = STRBUF_INIT;
	roff_add(&want, name, 0);
	int found = strstr(text, want.buf) != NULL;
	if (!found)
		print_error("missing from the page: %s\n", name);
	sb_release(&want);
	return found;
}

/* Every name of every row of table, at each depth (its "Names:" line). */
static void check_rows(const char *p, const struct wt_command *table, int depth, int *rows)
{
	for (const struct wt_command *c = table; c->name[0]; c++) {
		if (c->flags & WT_CMD_HIDDEN)
			continue;
		(*rows)++;
		for (int l = 0; l < WT_NLANGS; l++) {
			char name[80];
			snprintf(name, sizeof name, "`%s`", c->name[l]);
			assert_true(has(p, name));
		}
		if (c->subs)
			check_rows(p, c->subs, depth + 1, rows);
	}
}

static void test_every_command(void **state)
{
	char *p = page(1);
	int rows = 0;
	/* wt_commands has no end row: walk it by count */
	for (size_t i = 0; i < wt_ncommands; i++) {
		const struct wt_command *c = &wt_commands[i];
		if (c->flags & WT_CMD_HIDDEN)
			continue;
		char sec[80];
		snprintf(sec, sizeof sec, ".SS !%s", c->name[LANG_NL]);
		assert_non_null(strstr(p, sec));
		for (int l = 0; l < WT_NLANGS; l++) {
			char name[80];
			snprintf(name, sizeof name, "`!%s`", c->name[l]);
			assert_true(has(p, name));
		}
		rows++;
		if (c->subs)
			check_rows(p, c->subs, 1, &rows);
	}
	assert_true(rows > 40);
	/* each row is one .TP entry */
	int tps = 0;
	for (const char *q = strstr(p, ".SH COMMANDS"); (q = strstr(q + 1, "\n.TP\n")) &&
	     q < strstr(p, ".SH SIGNALS");)
		tps++;
	assert_int_equal(tps, rows);
	for (const char *const *o = manpage_options; *o; o++) {
		struct strbuf opt = STRBUF_INIT;
		sb_add(&opt, ".TP\n\\fB\\-\\-");
		roff_add(&opt, *o, 0);
		sb_add(&opt, "\\fR");
		assert_non_null(strstr(p, opt.buf));
		sb_release(&opt);
	}
	assert_non_null(strstr(p, ".TH WERKTAFEL 1 "));
	assert_non_null(strstr(p, "\"werktafel 9.9\""));
	free(p);
}

static void test_every_key(void **state)
{
	static const char *const sections[] = { "matrix", "bot", "crypto", "web", "network", "body" };
	char *p = page(5);
	size_t keys = 0;
	for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
		for (const char *const *k = cfg_doc_keys(sections[s]); *k; k++) {
			const struct cfg_doc *d = cfg_doc_find(sections[s], *k);
			if (!d)
				print_error("[%s] %s has no description\n", sections[s], *k);
			assert_non_null(d);
			assert_true(strlen(d->text) > 10);
			/* SIGHUP knows what to do with it, and the page says it */
			int rt = config_reload_runtime(sections[s], *k);
			if (rt < 0)
				print_error("[%s] %s: not in bot/config_reload.c\n", sections[s], *k);
			assert_true(rt >= 0);
			struct strbuf entry = STRBUF_INIT;
			sb_add(&entry, ".TP\n\\fB");
			roff_add(&entry, *k, 0);
			sb_add(&entry, "\\fR = ");
			assert_non_null(strstr(p, entry.buf));
			sb_release(&entry);
			keys++;
		}
	}
	/* and no description of a key the parser does not take */
	assert_int_equal(keys, cfg_ndocs);
	for (size_t i = 0; i < cfg_ndocs; i++) {
		int found = 0;
		for (const char *const *k = cfg_doc_keys(cfg_docs[i].section); k && *k; k++)
			found |= strcmp(*k, cfg_docs[i].key) == 0;
		assert_true(found);
	}
	assert_null(cfg_doc_keys("nosuch"));
	assert_int_equal(config_reload_runtime("bot", "nosuch"), -1);
	assert_int_equal(config_reload_runtime("bot", "log_level"), 1);
	assert_int_equal(config_reload_runtime("network", "rooms"), 0);
	assert_non_null(strstr(p, "On SIGHUP: applied at once."));
	assert_non_null(strstr(p, "On SIGHUP: needs a restart."));
	assert_non_null(strstr(p, ".SS [network.NAME]"));
	assert_non_null(strstr(p, ".TH WERKTAFEL.INI 5 "));
	free(p);
}

/* The example config (installed beside the pages) shows every key too,
 * set or commented out. Run from the repository root. */
static void test_example_has_every_key(void **state)
{
	static const char *const sections[] = { "matrix", "bot", "crypto", "web", "network", "body" };
	FILE *f = fopen("config.example.ini", "r");
	assert_non_null(f);
	struct strbuf text = STRBUF_INIT;
	assert_int_equal(sb_read_file(&text, f, 1 << 20), 0);
	fclose(f);
	for (size_t s = 0; s < 5; s++)
		for (const char *const *k = cfg_doc_keys(sections[s]); *k; k++) {
			char a[80], b[80], c[80];
			snprintf(a, sizeof a, "\n%s = ", *k);
			snprintf(b, sizeof b, "\n;%s = ", *k);
			snprintf(c, sizeof c, "\n; %s = ", *k);
			if (!strstr(text.buf, a) && !strstr(text.buf, b) && !strstr(text.buf, c))
				fail_msg("config.example.ini lacks [%s] %s", sections[s], *k);
		}
	sb_release(&text);
}

static void test_other_sections(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(manpage_write(&sb, 7, "1"), -1);
	assert_int_equal(manpage_write(&sb, 0, "1"), -1);
	assert_int_equal(sb.len, 0);
	sb_release(&sb);
}

static void test_date(void **state)
{
	setenv("SOURCE_DATE_EPOCH", "1800000000", 1);  /* 2027-01-15 */
	char *p = page(1);
	assert_non_null(strstr(p, ".TH WERKTAFEL 1 2027-01-15 "));
	free(p);
	unsetenv("SOURCE_DATE_EPOCH");
}

static void test_roff_escapes(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	roff_add(&sb, ".dot `!agenda` a-b \\x café — *x*", 1);
	assert_string_equal(sb.buf, "\\&.dot \\fB!agenda\\fR a\\-b \\ex caf\\[u00E9] \\[em] x");
	sb_reset(&sb);
	roff_add(&sb, "'quote\nnext `open", 0);
	assert_string_equal(sb.buf, "\\&'quote next \\fBopen\\fR");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_example_has_every_key),
		cmocka_unit_test(test_other_sections),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_roff_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
