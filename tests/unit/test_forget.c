/* Erasing a person (issue 23, item 4): !vergeet / !forget first shows what
 * would go and changes nothing, `bevestig` / `confirm` erases; every user
 * id column of the schema is covered by storage/forget.c; a relabelled
 * record gets no reminder; each refusal says how to write it and changes
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "demo/demo.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/forget.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam",
	.advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam",
	.advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };
#define ADMIN "@admin:demo.test"
#define DAAN "@daan:demo.test"
#define NOW ((time_t)1800000000)

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	assert_int_equal(demo_seed(f->db, &net, NOW), 0);
	/* their own reminder, time zone and expertise on top of the demo's */
	fx_ok(f, &net, DAAN, "!herinner mij morgen 9:00 bel de huisarts");
	fx_ok(f, &net, DAAN, "!tijdzone Europe/London");
	fx_ok(f, &net, "@anna:demo.test", "!rol " DAAN " secretaris");
	*state = f;
	return 0;
}

/* Rows of every table but the homeserver's mirrors mentioning text. */
static int mentions(sqlite3 *db, const char *text)
{
	char *snap = fx_snapshot(db, "room_members");
	int hit = strstr(snap, text) != NULL;
	free(snap);
	return hit;
}

static void test_overview_changes_nothing(void **state)
{
	struct fx_cmds *f = *state;
	char *before = fx_snapshot(f->db, NULL);
	fx_ok(f, &net, ADMIN, "!vergeet " DAAN);
	fx_reply_has(f, "Hiermee wis je de persoonsgegevens van");
	/* his own reminder and the demo's to him (a goal he owns among them;
	 * the overdue deliverables of the lines he leads or sponsors) */
	fx_reply_has(f, "10 herinneringen, 2 expertiseonderwerpen, 1 rol en de eigen tijdzone");
	fx_reply_has(f, "worden niet gewist");
	fx_reply_has(f, "Doorgaan: `!vergeet " DAAN " bevestig`");
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
	assert_true(mentions(f->db, DAAN));
}

static void test_confirm_erases(void **state)
{
	struct fx_cmds *f = *state;
	long long decisions = fx_int(f->db, "SELECT count(*) FROM logged_items");
	fx_ok(f, &net, ADMIN, "!vergeet " DAAN " bevestig");
	fx_reply_has(f, "zijn gewist: ");
	fx_reply_has(f, "staat nu „oud-lid 1” in plaats van de naam");
	fx_reply_has(f, "De berichten die de bot zelf in de kamers heeft gestuurd, worden niet gewist");
	assert_false(mentions(f->db, DAAN));
	/* the records stay, with the label */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items"), decisions);
	assert_true(fx_int(f->db, "SELECT count(*) FROM logged_items WHERE owner = 'oud-lid 1'"
			   " OR logged_by = 'oud-lid 1'") > 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM user_settings"), 0);
	/* a relabelled record gets no reminder: nobody to send it to */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE to_user"
				" IS NOT NULL AND to_user NOT LIKE '@%'"), 0);
	/* asked again: nothing left */
	fx_ok(f, &net, ADMIN, "!vergeet " DAAN);
	fx_reply_has(f, "De database bevat niets van");
	/* the next one gets their own label */
	fx_ok(f, &net_en, ADMIN, "!forget @eva:demo.test confirm");
	fx_reply_has(f, "The personal data of");
	fx_reply_has(f, "the name is now “former member 2”");
	fx_reply_has(f, "The bot's own messages in the rooms are not erased");
	assert_false(mentions(f->db, "@eva:demo.test"));
}

static void test_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net, ADMIN, "!vergeet", WT_EUSAGE, "Noem de persoon");
	fx_refused(f, &net_en, ADMIN, "!forget", WT_EUSAGE, "Name the person");
	fx_refused(f, &net, ADMIN, "!vergeet " DAAN " nu", WT_EUSAGE,
		   "Na de persoon mag alleen `bevestig` volgen, niet „nu”");
	fx_refused(f, &net_en, ADMIN, "!forget " DAAN " now", WT_EUSAGE,
		   "Only `confirm` may follow the person, not “now”");
	fx_refused(f, &net, ADMIN, "!vergeet " DAAN " bevestig echt", WT_EUSAGE,
		   "!vergeet @naam:server [bevestig]");
	fx_refused(f, &net, ADMIN, "!vergeet @niemand", WT_EUSAGE, NULL);
	/* the chair is no admin */
	fx_refused(f, &net, "@anna:demo.test", "!vergeet " DAAN " bevestig", WT_EPERM, NULL);
	fx_refused(f, &net, DAAN, "!vergeet " DAAN " bevestig", WT_EPERM, NULL);
}

/* A column name that holds a person. */
static int user_column(const char *c)
{
	size_t n = strlen(c);
	static const char *const exact[] = { "user_id", "owner", "to_user", "sender",
		"actor", "author", "proposer", "answers", "dm_user", NULL };
	for (int i = 0; exact[i]; i++)
		if (strcmp(c, exact[i]) == 0)
			return 1;
	return n > 3 && strcmp(c + n - 3, "_by") == 0;
}

struct covered { char **names; size_t n; };

static void note(void *arg, const char *table, const char *column, int kept)
{
	struct covered *cv = arg;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s.%s", table, column);
	cv->names = realloc(cv->names, (cv->n + 1) * sizeof *cv->names);
	cv->names[cv->n++] = sb_detach(&sb);
}

/* Every user column of every table is erased, relabelled or knowingly
 * kept: a migration that adds one fails here until forget.c has it. */
static void test_every_user_column_covered(void **state)
{
	sqlite3 *db = fx_db();
	struct covered cv = { NULL, 0 };
	forget_each_column(note, &cv);
	sqlite3_stmt *t;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT t.name, c.name FROM sqlite_master t,"
		" pragma_table_info(t.name) c WHERE t.type = 'table'", -1, &t, NULL),
		SQLITE_OK);
	int checked = 0;
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(t, 0);
		const char *col = (const char *)sqlite3_column_text(t, 1);
		if (!user_column(col))
			continue;
		struct strbuf want = STRBUF_INIT;
		sb_addf(&want, "%s.%s", table, col);
		int found = 0;
		for (size_t i = 0; i < cv.n && !found; i++)
			found = strcmp(cv.names[i], want.buf) == 0;
		if (!found)
			fail_msg("%s holds a user id and storage/forget.c does not cover it",
				 want.buf);
		checked++;
		sb_release(&want);
	}
	sqlite3_finalize(t);
	assert_true(checked > 30);
	for (size_t i = 0; i < cv.n; i++)
		free(cv.names[i]);
	free(cv.names);
	db_close(db);
}

static void test_storage_outcomes(void **state)
{
	sqlite3 *db = fx_db();
	struct forget_counts c;
	assert_int_equal(forget_person(db, DAAN, "x", &c), FORGET_NOTHING);
	assert_int_equal(db_execf(db, "INSERT INTO expertise VALUES (?, ?, ?, ?, ?)", "tttti",
				  "demo", DAAN, "Dementie", "dementie", (sqlite3_int64)NOW), 0);
	assert_int_equal(forget_preview(db, DAAN, "x", &c), FORGET_DONE);
	assert_int_equal(c.expertise, 1);
	assert_int_equal(fx_count(db, "expertise"), 1);  /* the preview rolled back */
	assert_int_equal(forget_person(db, DAAN, "x", &c), FORGET_DONE);
	assert_int_equal(fx_count(db, "expertise"), 0);
	assert_int_equal(forget_next_label(db), 1);
	assert_int_equal(forget_next_label(db), 2);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_overview_changes_nothing, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_confirm_erases, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fx_teardown),
		cmocka_unit_test(test_every_user_column_covered),
		cmocka_unit_test(test_storage_outcomes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
