/* Expertise: folding (case, accents), matching, the profile commands and
 * !wie / !who, and the suggestions when advice is assigned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/expertise.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };
#define NOW ((time_t)1800000000)

static void fold_is(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	expertise_fold(in, &sb);
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

static void test_fold(void **state)
{
	(void)state;
	fold_is("Dementie", "dementie");
	fold_is("DÉMENTIE", "dementie");
	fold_is("Ouderenzorg  &   Geriatrie ", "ouderenzorg & geriatrie");
	fold_is("  café crème", "cafe creme");
	fold_is("ÀÁÂÃÄÅ àáâãäå", "aaaaaa aaaaaa");
	fold_is("ÇçÈÉÊËèéêëÌÍÎÏìíîï", "cceeeeeeeeiiiiiiii");
	fold_is("ÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ", "nnoooooooooooouuuuuuuuyyy");
	fold_is("Straße Æsop Œ", "strasse aesop Œ");   /* Œ is outside Latin-1: kept */
	fold_is("Ĳsselmonde ĳs", "ijsselmonde ijs");
	fold_is("tab\tand\nnewline", "tab and newline");
	fold_is("× ÷", "× ÷");
	fold_is("", "");
}

static void test_score(void **state)
{
	(void)state;
	/* Containment at a word start. */
	assert_int_equal(expertise_score("dementie", "dementie"), 100);
	assert_int_equal(expertise_score("dementie", "zorg bij dementie"), 100);
	assert_int_equal(expertise_score("expertteam dementiezorg", "dementie"), 100);
	/* Not in the middle of a word. */
	assert_int_equal(expertise_score("zorg", "ouderenzorg"), 0);
	/* Word prefixes, common words left out. */
	assert_int_equal(expertise_score("palliatief beleid", "palliatieve zorg"), 0);
	assert_int_equal(expertise_score("palliatieve zorgpaden", "palliatieve zorg"), 100);
	assert_int_equal(expertise_score("kwaliteit regionale ouderenzorg", "kwaliteitszorg en regionale netwerken"), 1);
	assert_int_equal(expertise_score("advies voor regio", "advies"), 100);
	assert_int_equal(expertise_score("vraag over advies", "advies over vraag"), 0);
	assert_int_equal(expertise_score("", "x"), 0);
	assert_int_equal(expertise_score("ab", "ab"), 0);   /* too short to mean much */
}

static void test_storage(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	assert_int_equal(expertise_count(db, "demo"), 0);
	assert_int_equal(expertise_add(db, "demo", "@daan:demo.test", "Dementie", NOW), 1);
	/* The same topic folded is not added twice. */
	assert_int_equal(expertise_add(db, "demo", "@daan:demo.test", "DÉMENTIE", NOW), 0);
	assert_int_equal(expertise_add(db, "demo", "@eva:demo.test", "dementiezorg", NOW), 1);
	assert_int_equal(expertise_add(db, "other", "@eva:demo.test", "dementie", NOW), 1);
	assert_int_equal(expertise_count(db, "demo"), 2);
	assert_true(expertise_user_listed(db, "demo", "@daan:demo.test"));
	assert_false(expertise_user_listed(db, "demo", "@anna:demo.test"));
	struct expertise_hit *v;
	int n = expertise_find(db, "demo", "Démentie", 10, &v);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].user, "@daan:demo.test");
	assert_string_equal(v[0].topics, "Dementie");
	assert_string_equal(v[1].user, "@eva:demo.test");
	expertise_hits_free(v, (size_t)n);
	n = expertise_find(db, "demo", "dementie", 1, &v);
	assert_int_equal(n, 1);
	expertise_hits_free(v, (size_t)n);
	assert_int_equal(expertise_remove(db, "demo", "@daan:demo.test", "dementie"), 1);
	assert_int_equal(expertise_remove(db, "demo", "@daan:demo.test", "dementie"), 0);
	assert_int_equal(expertise_count(db, "demo"), 1);
	db_close(db);
}

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	roles_set(f->db, "demo", "@anna:demo.test", ROLE_CHAIR, NULL, NOW);
	*state = f;
	return 0;
}

static int run(struct fx_cmds *f, const char *sender, const char *body)
{
	return fx_run(f, &net, sender, body);
}

static void test_profile_commands(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, "@daan:demo.test", "!expertise"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "nog geen expertise"));
	assert_int_equal(run(f, "@daan:demo.test", "!expertise Dementie, palliatieve zorg; Wondzorg"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Op je expertiseprofiel gezet: Dementie, palliatieve zorg, Wondzorg"));
	assert_int_equal(run(f, "@daan:demo.test", "!expertise démentie"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Stond er al op: démentie"));
	assert_int_equal(run(f, "@daan:demo.test", "!expertise"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Je expertise: Dementie, palliatieve zorg, Wondzorg"));
	assert_int_equal(run(f, "@eva:demo.test", "!expertise @daan:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Dementie, palliatieve zorg, Wondzorg"));
	assert_int_equal(run(f, "@eva:demo.test", "!expertise @anna:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "geen expertise opgegeven"));
	/* Removing, and removing what is not there (a refusal). */
	assert_int_equal(run(f, "@daan:demo.test", "!expertise weg WONDZORG"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Van je profiel gehaald: WONDZORG"));
	assert_int_equal(run(f, "@daan:demo.test", "!expertise weg wondzorg"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Stond niet op je profiel"));
	assert_int_equal(run(f, "@daan:demo.test", "!expertise weg"), WT_EUSAGE);
	/* Too long. */
	char big[200];
	memcpy(big, "!expertise ", 11);
	memset(big + 11, 'x', 150);
	big[161] = '\0';
	assert_int_equal(run(f, "@daan:demo.test", big), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "te lang"));
	sqlite3_stmt *st = db_prepare(f->db, "SELECT count(*) FROM expertise");
	sqlite3_step(st);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	db_done(st);
}

static void test_who(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, "@daan:demo.test", "!expertise Dementie"), WT_OK);
	assert_int_equal(run(f, "@eva:demo.test", "!expertise Dementiezorg thuis, Kwaliteit"), WT_OK);
	assert_int_equal(run(f, "@bram:demo.test", "!expertise opleiden"), WT_OK);
	assert_int_equal(run(f, "@anna:demo.test", "!wie DÉMENTIE"), WT_OK);
	const char *m = fx_reply0(f);
	assert_non_null(strstr(m, "daan"));
	assert_non_null(strstr(m, "eva"));
	assert_non_null(strstr(m, "Dementiezorg thuis"));
	assert_null(strstr(m, "bram"));
	assert_int_equal(fx_run(f, &net_en, "@anna:demo.test", "!who dementia"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Nobody listed expertise on dementia"));
	assert_int_equal(run(f, "@anna:demo.test", "!wie kwaliteit"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "eva"));
	assert_null(strstr(fx_reply0(f), "daan"));
	/* Without a topic: the members per organisation. */
	assert_int_equal(run(f, "@anna:demo.test", "!wie"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "!wie <onderwerp>"));
}

/* On acceptance the bot suggests members whose expertise matches the
 * request's theme and words; on assignment those not yet assigned. */
static void test_suggestions(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, "@daan:demo.test", "!expertise dementie"), WT_OK);
	assert_int_equal(run(f, "@eva:demo.test", "!expertise Kwaliteit van zorg"), WT_OK);
	assert_int_equal(run(f, "@bram:demo.test", "!expertise opleiden"), WT_OK);
	assert_int_equal(run(f, "@eva:demo.test", "!advies nieuw Expertteam voor dementiezorg\nthema: kwaliteit"), WT_OK);
	assert_int_equal(run(f, "@anna:demo.test", "!advies accepteer A1"), WT_OK);
	const char *m = fx_reply0(f);
	assert_non_null(strstr(m, "Met passende expertise"));
	assert_non_null(strstr(m, "daan"));
	assert_non_null(strstr(m, "eva"));
	assert_null(strstr(m, "bram"));
	assert_int_equal(run(f, "@anna:demo.test", "!advies wijs toe A1 @daan:demo.test"), WT_OK);
	m = fx_reply0(f);
	assert_non_null(strstr(m, "eva"));
	assert_null(strstr(m, "daan\\:demo\\.test (")); /* daan is no longer suggested */
	/* A request nobody knows about. */
	assert_int_equal(run(f, "@eva:demo.test", "!advies nieuw Parkeerbeleid"), WT_OK);
	assert_int_equal(run(f, "@anna:demo.test", "!advies accepteer A2"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Niemand heeft expertise opgegeven die bij deze aanvraag past"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_storage),
		cmocka_unit_test_setup_teardown(test_profile_commands, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_who, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_suggestions, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
