/* Recurrence as people say it, through wt_dispatch: a meeting series keeps
 * its weekday, the reply states the rule in words with the next three
 * dates, a refused phrase changes nothing, and a meeting that overlaps
 * another planned one gets a warning (and is still planned). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/catalog.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* Wednesday 2 December 2026, 12:00 UTC. */
#define NOW 1796212800

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL,
				    .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1,
				    .lang = LANG_EN, .tz = "Europe/Amsterdam",
				    .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	roles_set(f->db, "demo-en", SECR, ROLE_SECRETARY, NULL, NOW);
	*state = f;
	return 0;
}

/* The reply (any of the last command's) that contains needle, or NULL. */
static const char *reply_with(struct fx_cmds *f, const char *needle)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].markdown && strstr(f->out.v[i].markdown, needle))
			return f->out.v[i].markdown;
	return NULL;
}

/* Fail unless some reply of the last command contains needle. */
static void has(struct fx_cmds *f, const char *needle)
{
	if (!reply_with(f, needle)) {
		for (size_t i = 0; i < f->out.n; i++)
			print_message("reply %zu: %s\n", i, f->out.v[i].markdown);
		fail_msg("no reply has \"%s\"", needle);
	}
}

/* The number of meetings of network "demo" for which the query's
 * condition holds (the query names it whole: no SQL is put together). */
#define DEMO_MEETINGS "SELECT COUNT(*) FROM meetings WHERE network = 'demo' AND "

/* "elke 2 maanden" from Tuesday 12 January (the second Tuesday) is every
 * second month on its second Tuesday, not the 12th; the reply says so in
 * words and lists the next three dates (across the change to summer time). */
static void test_series_keeps_weekday(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-01-2027 19:30 titel Overleg elke 2 maanden");
	has(f, "herhaalt zich elke 2 maanden op de tweede dinsdag.");
	has(f, "latere volgen vanzelf");
	has(f, "De eerstvolgende keren: dinsdag 12 januari 2027, dinsdag 9 maart 2027 en dinsdag 11 mei 2027.");
	assert_int_equal(fx_int(f->db, DEMO_MEETINGS "rrule = 'FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU'"), 1);
	fx_ok(f, &net_en, SECR, "!meeting schedule 2027-01-29 10:00 every month");
	has(f, "repeats every last Friday of the month.");
	has(f, "The next dates: Friday 29 January 2027, Friday 26 February 2027 and Friday 26 March 2027.");
}

/* "op de 12e" keeps the day of the month; the other phrases as people
 * write them, each with its rule in words. */
static void test_series_phrases(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-01-2027 19:30 elke maand op de 12e");
	has(f, "elke maand op de 12e.");
	has(f, "dinsdag 12 januari 2027, vrijdag 12 februari 2027 en vrijdag 12 maart 2027.");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 04-01-2027 9:00 elke eerste maandag van de maand");
	has(f, "elke eerste maandag van de maand.");
	has(f, "maandag 4 januari 2027, maandag 1 februari 2027 en maandag 1 maart 2027.");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 08-01-2027 15:00 duur 1u elke werkdag 3 keer");
	has(f, "elke werkdag, 3 keer. Gepland: 3 vergaderingen tot en met dinsdag 12 januari 2027; "
	       "daarmee is de reeks compleet.");
	has(f, "vrijdag 8 januari 2027, maandag 11 januari 2027 en dinsdag 12 januari 2027.");
	assert_int_equal(fx_int(f->db, DEMO_MEETINGS "duration_min = 60"), 3);
	fx_ok(f, &net_nl, SECR, "!vergadering plan 05-01-2027 13:00 duur 1u om de 2 weken tot 3 februari");
	has(f, "elke 2 weken, tot en met woensdag 3 februari 2027.");
	has(f, "dinsdag 5 januari 2027, dinsdag 19 januari 2027 en dinsdag 2 februari 2027.");
}

/* A phrase read half is refused whole, with an example, and changes
 * nothing (fx_refused compares the database before and after). */
static void test_refused_changes_nothing(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, SECR, "!vergadering plan 12-01-2027 19:30 om de 2 maanden op de tweede",
		   WT_EUSAGE, "`op de tweede dinsdag`");
	fx_refused(f, &net_nl, SECR, "!vergadering plan 12-01-2027 19:30 elke maand tot 31 februari",
		   WT_EUSAGE, "`tot 1 juli`");
	fx_refused(f, &net_nl, MEMBER, "!herinner mij elke week op de 12e verslag", WT_EUSAGE,
		   "`op de 12e`");
	fx_refused(f, &net_nl, MEMBER, "!herinner mij elke maandag 0 keer verslag", WT_EUSAGE,
		   "`10 keer`");
}

/* A recurring reminder says its rule in words and its next three dates. */
static void test_reminder_reply(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!herinner mij om de 2 maanden op de tweede dinsdag 9:00 declaraties");
	has(f, "komt elke 2 maanden op de tweede dinsdag, de eerste keer op dinsdag 8 december om 09:00");
	has(f, "De eerstvolgende keren: dinsdag 8 december, dinsdag 9 februari 2027 en dinsdag 13 april 2027.");
	/* "elke maand" set on Wednesday 2 December keeps the first Wednesday. */
	fx_ok(f, &net_en, MEMBER, "!remind me every month 9:00 rent");
	has(f, "every first Wednesday of the month");
	has(f, "The next dates: Wednesday 6 January 2027, Wednesday 3 February 2027 and Wednesday 3 March 2027.");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM reminders WHERE rrule = "
				"'FREQ=MONTHLY;BYDAY=1WE'"), 1);
}

/* A meeting that overlaps another planned one of the same network gets a
 * warning naming it, and is planned all the same; another network's
 * meeting at that time, or one that ends as this one starts, is no
 * overlap. */
static void test_overlap_warning(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-01-2027 19:30 duur 2u titel Bestuur");
	assert_null(reply_with(f, "overlapt"));
	fx_ok(f, &net_en, SECR, "!meeting schedule 2027-01-12 20:00 title Elsewhere");
	assert_null(reply_with(f, "overlaps"));
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-01-2027 21:30 duur 1u titel Na afloop");
	assert_null(reply_with(f, "overlapt"));
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-01-2027 20:30 duur 1u titel Werkgroep");
	/* In the reply that says it is planned. */
	fx_reply_has(f, "overlapt met");
	has(f, "⚠️ Let op: vergadering #3 (Werkgroep, dinsdag 12 januari 2027 om 20:30) overlapt met "
	       "vergadering #1 (Bestuur, dinsdag 12 januari 2027 om 19:30).");
	assert_null(reply_with(f, "overlapt met vergadering #2"));
	assert_int_equal(fx_int(f->db, DEMO_MEETINGS "state = 'planned'"), 3);
	/* A series: the occurrence on 9 February meets a meeting planned then. */
	fx_ok(f, &net_nl, SECR, "!vergadering plan 09-02-2027 19:00 duur 1u titel Kas");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 26-01-2027 19:30 titel Reeks om de 2 weken");
	has(f, "vergadering #6 (Reeks, dinsdag 9 februari 2027 om 19:30) overlapt met vergadering "
	       "#4 (Kas, dinsdag 9 februari 2027 om 19:00)");
	assert_null(reply_with(f, "#5 (Reeks, dinsdag 26 januari"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_series_keeps_weekday, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_series_phrases, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refused_changes_nothing, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reminder_reply, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_overlap_warning, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
