/* Reports of action lines: the quarterly report of one line and the
 * half-year report of the programme, compared with golden files in
 * tests/golden/ (Dutch and English). The same data and period give the
 * same text whenever the report is made; data outside the period stays
 * out. Set WT_UPDATE_GOLDEN=1 to rewrite the golden files after a change
 * that is meant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/render.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { NULL };

/* hh:00 local time in Amsterdam on d-m-y. */
static time_t at(int y, int m, int d, int hh)
{
	struct tz_local lt = { .year = y, .mon = m, .day = d, .hour = hh };
	time_t t;
	assert_int_equal(tz_to_utc("Europe/Amsterdam", &lt, &t), TZ_OK);
	return t;
}

static int run(struct fx_cmds *f, const struct wt_network *net, const char *sender, const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = net, .sender = sender, .room = "werktafel",
		.event_id = NULL, .now = f->now, .lang = net->lang, .admins = admins,
		.out = &f->out,
	};
	int rc = wt_dispatch(&ctx, body);
	if (rc != WT_OK)
		fail_msg("%s: %d %s", body, rc, f->out.n ? f->out.v[0].markdown : "");
	return rc;
}

/* Run body at local day d-m-y 11:00. */
static void on(struct fx_cmds *f, int y, int m, int d, const char *sender, const char *body)
{
	f->now = at(y, m, d, 11);
	run(f, &net_nl, sender, body);
}

#define SECR "@bram:demo.test"
#define LEAD "@daan:demo.test"
#define SPONSOR "@carla:demo.test"
#define MEMBER "@eva:demo.test"

/* Two lines with a history over Q4 2026 .. Q2 2027. */
static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, 0);
	roles_set(f->db, "demo", "@anna:demo.test", ROLE_CHAIR, NULL, 0);
	on(f, 2026, 11, 2, SECR, "!al nieuw Samen leren in de regio\n"
	   "doel: Gedeelde scholing voor de hele regio\nbudget: € 12.500,00\n"
	   "penvoerder: @carla:demo.test\nprojectleider: @daan:demo.test\n"
	   "zorgprofessional: @fien:demo.test\nteam: @eva:demo.test @gijs:demo.test");
	on(f, 2026, 11, 2, SECR, "!al nieuw Slimmer werken\nbudget: 8000\nprojectleider: @eva:demo.test");
	on(f, 2026, 11, 3, LEAD, "!al fase AL1 nieuw 1-12-2026 30-6-2027 Verkennen en plannen");
	on(f, 2026, 11, 3, LEAD, "!al fase AL1 nieuw 1-7-2027 31-12-2027 Uitproberen en invoeren");
	on(f, 2026, 11, 3, LEAD, "!al resultaat AL1 toevoegen 15-1-2027 fase 1 Verkenning afgerond");
	on(f, 2026, 11, 3, LEAD, "!al resultaat AL1 toevoegen 1-3-2027 fase 1 Plan van aanpak opgesteld en vastgesteld");
	on(f, 2026, 11, 3, LEAD, "!al resultaat AL1 toevoegen 31-3-2027 fase 1 Trekkers per onderdeel benoemd");
	on(f, 2026, 11, 3, LEAD, "!al resultaat AL1 toevoegen 1-6-2027 fase 1 Eerste gezamenlijke lesdag");
	on(f, 2026, 12, 1, LEAD, "!al fase AL1 1 start");
	on(f, 2026, 12, 10, LEAD, "!al uitgave AL1 750 startbijeenkomst");
	on(f, 2026, 12, 12, MEMBER, "!al update AL1 Startbijeenkomst gehouden met twaalf deelnemers");
	/* Q1 2027 */
	on(f, 2027, 1, 14, LEAD, "!al resultaat AL1 klaar 1");
	on(f, 2027, 1, 20, LEAD, "!al uitgave AL1 € 1.250,50 begeleiding werksessies");
	on(f, 2027, 2, 3, LEAD, "!al status AL1 risico twee teamleden hebben minder tijd");
	on(f, 2027, 2, 4, MEMBER, "!al update AL1 Werksessie 2 verschoven naar maart");
	on(f, 2027, 3, 8, SPONSOR, "!al update AL1 Bestuurlijk overleg: plan komt in april");
	on(f, 2027, 3, 10, LEAD, "!al uitgave AL1 12,5 9-3-2027 koffie en thee");
	on(f, 2027, 3, 12, "@eva:demo.test", "!al update AL2 Trendverkenning gestart");
	on(f, 2027, 3, 20, "@eva:demo.test", "!al uitgave AL2 9.000 externe verkenning");
	/* Q2 2027: stays out of the Q1 report. */
	on(f, 2027, 4, 2, LEAD, "!al resultaat AL1 klaar 2");
	on(f, 2027, 4, 3, LEAD, "!al status AL1 vertraagd plan pas in april vastgesteld");
	on(f, 2027, 4, 5, LEAD, "!al uitgave AL1 2000 drukwerk");
	on(f, 2027, 4, 6, MEMBER, "!al update AL1 Plan vastgesteld");
	on(f, 2027, 5, 2, "@eva:demo.test", "!al status AL2 afgerond verkenning klaar");
	*state = f;
	return 0;
}

/* Compare text with tests/golden/name (fixture.h fx_golden). */
static void golden(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "tests/golden/%s", name);
	fx_golden(path, text);
}

/* Run a report command; check the message, the file and return the text. */
static char *report(struct fx_cmds *f, const struct wt_network *net, const char *body, const char *filename)
{
	run(f, net, MEMBER, body);
	assert_int_equal(f->out.n, 3);
	assert_int_equal(f->out.v[0].kind, REPLY_NOTICE);
	assert_int_equal(f->out.v[1].kind, REPLY_FILE);
	assert_string_equal(f->out.v[1].filename, filename);
	/* The same report as HTML, for a word processor: same name, .html. */
	assert_int_equal(f->out.v[2].kind, REPLY_FILE);
	char html_name[128];
	snprintf(html_name, sizeof html_name, "%.*s.html", (int)strlen(filename) - 3, filename);
	assert_string_equal(f->out.v[2].filename, html_name);
	assert_non_null(strstr(f->out.v[2].markdown, "<!DOCTYPE html>"));
	assert_non_null(strstr(f->out.v[2].markdown, "<h"));
	assert_null(strstr(f->out.v[2].markdown, "\\-"));
	/* The file is the message with only the backslashes Markdown needs. */
	char *doc = markdown_for_file_dup(f->out.v[0].markdown);
	assert_string_equal(doc, f->out.v[1].markdown);
	free(doc);
	return xstrdup(f->out.v[1].markdown);
}

static void test_quarter_report_golden(void **state)
{
	struct fx_cmds *f = *state;
	f->now = at(2027, 4, 20, 12);
	char *nl = report(f, &net_nl, "!al rapport AL1 2027-K1", "AL1-2027Q1.md");
	golden("actionline_AL1_2027Q1.nl.md", nl);
	char *en = report(f, &net_en, "!al report AL1 Q1 2027", "AL1-2027Q1.md");
	golden("actionline_AL1_2027Q1.en.md", en);
	/* Later, with more data since: the same text. */
	on(f, 2027, 6, 1, LEAD, "!al update AL1 Nog een update in juni");
	f->now = at(2027, 9, 1, 8);
	char *again = report(f, &net_nl, "!al rapport al1 K1 2027", "AL1-2027Q1.md");
	assert_string_equal(nl, again);
	/* Kept in the reports table, once per line, period and language. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT count(*) OVER (), markdown FROM action_line_reports"
					    " WHERE period = '2027Q1' AND lang = 'nl'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	/* Kept as the message; the file is that with fewer backslashes. */
	char *kept = markdown_for_file_dup((const char *)sqlite3_column_text(st, 1));
	assert_string_equal(kept, nl);
	free(kept);
	sqlite3_finalize(st);
	/* What the Q1 report must and must not say. */
	assert_non_null(strstr(nl, "- ✅ 1. Verkenning afgerond — afgerond 14 januari 2027"));
	assert_non_null(strstr(nl, "- ⚠️ 2. Plan van aanpak opgesteld en vastgesteld — uiterlijk 1 maart 2027, over tijd"));
	assert_non_null(strstr(nl, "- Besteed in deze periode: € 1.263,00"));
	assert_non_null(strstr(nl, "- Besteed t/m deze periode: € 2.013,00 (16% van het budget)"));
	assert_null(strstr(nl, "drukwerk"));
	assert_null(strstr(nl, "Plan vastgesteld"));
	assert_null(strstr(nl, "vertraagd"));
	free(nl);
	free(en);
	free(again);
}

static void test_programme_report_golden(void **state)
{
	struct fx_cmds *f = *state;
	f->now = at(2027, 7, 3, 9);
	char *nl = report(f, &net_nl, "!programma 2027-H1", "programma-2027H1.md");
	golden("programme_2027H1.nl.md", nl);
	char *en = report(f, &net_en, "!programme H1 2027", "programme-2027H1.md");
	golden("programme_2027H1.en.md", en);
	f->now = at(2028, 1, 3, 9);
	char *again = report(f, &net_nl, "!programma 2027H1", "programma-2027H1.md");
	assert_string_equal(nl, again);
	free(nl);
	free(en);
	free(again);
}

static void test_running_quarter_and_bad_periods(void **state)
{
	struct fx_cmds *f = *state;
	/* Without a period: the quarter holding today, as of today. */
	f->now = at(2027, 2, 10, 12);
	char *r = report(f, &net_nl, "!al rapport AL1", "AL1-2027Q1.md");
	assert_non_null(strstr(r, "Periode: K1 2027 (1 januari 2027 t/m 31 maart 2027), stand per 10 februari 2027."));
	free(r);
	struct wt_ctx ctx = {
		.db = f->db, .net = &net_nl, .sender = MEMBER, .room = "werktafel",
		.now = f->now, .lang = LANG_NL, .admins = admins, .out = &f->out,
	};
	static const char *const bad[] = {
		"!al rapport AL1 2027-K5", "!al rapport AL1 kwartaal", "!al rapport AL1 2027-H1",
		"!programma 2027-Q1", "!programma H3",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wt_replies_free(&f->out);
		assert_int_equal(wt_dispatch(&ctx, bad[i]), WT_EUSAGE);
		assert_true(f->out.v[0].is_error);
		assert_non_null(strstr(f->out.v[0].markdown, "Schrijf bijvoorbeeld"));
	}
	wt_replies_free(&f->out);
	assert_int_equal(wt_dispatch(&ctx, "!al rapport AL7"), WT_ENOTFOUND);
	assert_non_null(strstr(f->out.v[0].markdown, "`AL1`"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quarter_report_golden, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_programme_report_golden, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_running_quarter_and_bad_periods, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
