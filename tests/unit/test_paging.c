/* Long lists are cut into pages: with hundreds of rows every list shows
 * 20, says how many there are and how to see the next page; page 2 shows
 * the next 20; a page past the end is refused with a clear message and
 * changes nothing; "pagina 0" is refused; a count stops past 1,000 rows
 * ("meer dan 1.000"). Through wt_dispatch on an
 * in-memory database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/args.h"
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400
#define ADMIN "@admin:demo.test"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { ADMIN, NULL };

static int setup(void **state)
{
	*state = fx_new(NOW, admins);
	return 0;
}

/* Lines of the reply that start with "- " (the rows). */
static int rows(const char *md)
{
	int n = 0;
	for (const char *p = md; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		n += p[0] == '-' && p[1] == ' ';
	return n;
}

static void has(const char *md, const char *needle)
{
	if (!strstr(md, needle))
		fail_msg("reply lacks \"%s\":\n%s", needle, md);
}

static void lacks(const char *md, const char *needle)
{
	if (strstr(md, needle))
		fail_msg("reply has \"%s\":\n%s", needle, md);
}

/* The page request is read in one place: anywhere on the first line,
 * either language, other words kept. */
static void test_args_take_page(void **state)
{
	(void)state;
	struct strbuf rest = STRBUF_INIT;
	long page;
	assert_int_equal(args_take_page("", &rest, &page), 0);
	assert_int_equal(page, 1);
	assert_int_equal(args_take_page("pagina 3", &rest, &page), 0);
	assert_int_equal(page, 3);
	assert_string_equal(rest.buf, "");
	assert_int_equal(args_take_page("thema:kwaliteit Page 2 2027", &rest, &page), 0);
	assert_int_equal(page, 2);
	assert_string_equal(rest.buf, "thema:kwaliteit 2027");
	assert_int_equal(args_take_page("pagina nummering", &rest, &page), 0);
	assert_int_equal(page, 1);
	assert_string_equal(rest.buf, "pagina nummering");
	assert_int_equal(args_take_page("pagina 0", &rest, &page), -1);
	assert_int_equal(args_take_page("pagina 99999999999", &rest, &page), -1);
	assert_int_equal(args_take_page("tekst\npagina 2", &rest, &page), 0);
	assert_int_equal(page, 1);
	sb_release(&rest);
}

/* Decisions "Besluit nummer 1" to n, logged by the admin. */
static void add_decisions(struct fx_cmds *f, int n)
{
	char cmd[64];
	for (int i = 1; i <= n; i++) {
		snprintf(cmd, sizeof cmd, "!besluit Besluit nummer %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
}

/* 500 decisions: 20 on a page, newest first, with the total and the next
 * page's command; page 2 the next 20; page 26 past the end. */
static void test_decisions_paged(void **state)
{
	struct fx_cmds *f = *state;
	add_decisions(f, 500);
	fx_ok(f, &net, ADMIN, "!besluiten");
	const char *r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	has(r, "Besluit nummer 500");
	has(r, "Besluit nummer 481");
	lacks(r, "Besluit nummer 480");
	has(r, "1–20 van 500 getoond. Volgende pagina: `!besluiten pagina 2`");

	fx_ok(f, &net, ADMIN, "!besluiten pagina 2");
	r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	has(r, "Besluit nummer 480");
	has(r, "Besluit nummer 461");
	lacks(r, "Besluit nummer 481");
	has(r, "21–40 van 500 getoond. Volgende pagina: `!besluiten pagina 3`");

	/* The last page: 20 rows, no "more" line. */
	fx_ok(f, &net, ADMIN, "!besluiten pagina 25");
	r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	assert_string_equal(r + strlen(r) - strlen("· Besluit nummer 1"), "· Besluit nummer 1");
	lacks(r, "Volgende pagina");

	/* With a filter the hint keeps the filter (a search is counted 100
	 * rows past the page's start). */
	fx_ok(f, &net, ADMIN, "!besluiten nummer pagina 3");
	r = fx_reply0(f);
	has(r, "41–60 van meer dan 140 getoond. Volgende pagina: hetzelfde commando met `pagina 4` erachter");

	fx_refused(f, &net, ADMIN, "!besluiten pagina 26", WT_EUSAGE,
		   "Pagina 26 bestaat niet: er zijn 25 pagina's (500 in totaal)");
	fx_refused(f, &net, ADMIN, "!besluiten pagina 0", WT_EUSAGE, "geen paginanummer");
	fx_refused(f, &net_en, ADMIN, "!decisions page 99", WT_EUSAGE,
		   "Page 99 does not exist: there are 25 pages (500 in all)");
}

/* 45 open action items: pages of 20, then 5; page 4 past the end. */
static void test_actions_paged(void **state)
{
	struct fx_cmds *f = *state;
	char cmd[80];
	for (int i = 1; i <= 45; i++) {
		snprintf(cmd, sizeof cmd, "!actie @admin:demo.test Taak nummer %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!acties");
	const char *r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	has(r, "(45)");
	has(r, "1–20 van 45 getoond. Volgende pagina: `!acties pagina 2`");
	fx_ok(f, &net, ADMIN, "!acties pagina 3");
	r = fx_reply0(f);
	assert_int_equal(rows(r), 5);
	lacks(r, "Volgende pagina");
	fx_refused(f, &net, ADMIN, "!acties pagina 4", WT_EUSAGE, "er zijn 3 pagina's");
	fx_refused(f, &net, ADMIN, "!acties alles", WT_EUSAGE, "alleen `pagina N`");
}

/* 30 advice requests: the list and its archive page the same way. */
static void test_advice_paged(void **state)
{
	struct fx_cmds *f = *state;
	char cmd[80];
	for (int i = 1; i <= 30; i++) {
		snprintf(cmd, sizeof cmd, "!advies nieuw Vraag nummer %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!advies");
	const char *r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	has(r, "(30)");
	has(r, "1–20 van 30 getoond. Volgende pagina: `!advies pagina 2`");
	fx_ok(f, &net, ADMIN, "!advies pagina 2");
	assert_int_equal(rows(fx_reply0(f)), 10);
	fx_refused(f, &net, ADMIN, "!advies pagina 3", WT_EUSAGE, "er zijn 2 pagina's");
	fx_ok(f, &net, ADMIN, "!advies archief pagina 1");
	/* An empty list is empty on every page. */
	fx_ok(f, &net, ADMIN, "!advies archief pagina 2");
	has(fx_reply0(f), "leeg");
}

/* A long list is not counted to its end: past WT_PAGE_COUNT_MAX_DEFAULT
 * (1,000) rows after the page's start the total says "meer dan 1.000" /
 * "more than 1,000", in the heading and the paging line; a later page
 * counts on from its own start, and a page past the count still shows. */
static void test_counts_bounded(void **state)
{
	struct fx_cmds *f = *state;
	add_decisions(f, 1005);
	fx_ok(f, &net, ADMIN, "!besluiten");
	const char *r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	has(r, "(20 van meer dan 1.000, nieuwste eerst)");
	has(r, "1–20 van meer dan 1.000 getoond. Volgende pagina: `!besluiten pagina 2`");
	fx_ok(f, &net_en, ADMIN, "!decisions");
	r = fx_reply0(f);
	has(r, "(20 of more than 1,000, newest first)");
	has(r, "1–20 of more than 1,000 shown.");
	/* From row 981 on the count reaches the end. */
	fx_ok(f, &net, ADMIN, "!besluiten pagina 50");
	r = fx_reply0(f);
	has(r, "981–1000 van 1005 getoond");
	fx_ok(f, &net, ADMIN, "!besluiten pagina 51");
	r = fx_reply0(f);
	assert_int_equal(rows(r), 5);
	has(r, "(5 van 1005,");
	fx_refused(f, &net, ADMIN, "!besluiten pagina 52", WT_EUSAGE,
		   "er zijn 51 pagina's (1005 in totaal)");
	/* A term that few decisions hold is counted exactly (100, 1000-1005). */
	fx_ok(f, &net, ADMIN, "!besluiten nummer 100");
	has(fx_reply0(f), "(7 van 7,");
	/* A term that many hold is counted 100 rows past the page's start
	 * (WT_PAGE_SEARCH_COUNT_MAX), the last pages to their end. */
	fx_ok(f, &net, ADMIN, "!besluiten nummer");
	r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	has(r, "(20 van meer dan 100, nieuwste eerst)");
	has(r, "1–20 van meer dan 100 getoond. Volgende pagina: hetzelfde commando met `pagina 2` erachter");
	fx_ok(f, &net, ADMIN, "!besluiten nummer pagina 5");
	has(fx_reply0(f), "81–100 van meer dan 180 getoond");
	fx_ok(f, &net, ADMIN, "!besluiten nummer pagina 50");
	has(fx_reply0(f), "981–1000 van 1005 getoond");

	/* The config's limit (page_count_max) instead of the default. */
	f->limits.page_count_max = 30;
	char cmd[80];
	for (int i = 1; i <= 45; i++) {
		snprintf(cmd, sizeof cmd, "!actie @admin:demo.test Taak nummer %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!acties");
	r = fx_reply0(f);
	has(r, "(meer dan 30)");
	has(r, "1–20 van meer dan 30 getoond");
	fx_ok(f, &net, ADMIN, "!acties pagina 2");
	has(fx_reply0(f), "21–40 van 45 getoond");
	for (int i = 1; i <= 35; i++) {
		snprintf(cmd, sizeof cmd, "!advies nieuw Vraag nummer %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net_en, ADMIN, "!advice");
	r = fx_reply0(f);
	has(r, "(more than 30)");
	has(r, "1–20 of more than 30 shown");
	fx_ok(f, &net, ADMIN, "!besluiten");
	has(fx_reply0(f), "1–20 van meer dan 30 getoond");
}

/* 25 reminders: 20, then 5; past the end refused. */
static void test_reminders_paged(void **state)
{
	struct fx_cmds *f = *state;
	char cmd[80];
	for (int i = 1; i <= 25; i++) {
		snprintf(cmd, sizeof cmd, "!herinner mij over %d dagen Bellen %d", i, i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!herinneringen");
	const char *r = fx_reply0(f);
	has(r, "1–20 van 25 getoond. Volgende pagina: `!herinneringen pagina 2`");
	has(r, "Bellen 20");
	lacks(r, "Bellen 21");
	fx_ok(f, &net, ADMIN, "!herinneringen pagina 2");
	r = fx_reply0(f);
	has(r, "Bellen 25");
	lacks(r, "Bellen 20 ");
	fx_refused(f, &net, ADMIN, "!herinneringen pagina 3", WT_EUSAGE, "er zijn 2 pagina's");
}

/* Lines that are rows of a list: "- **...", "- @..." or "12. ...". */
static int list_rows(const char *md)
{
	int n = 0;
	for (const char *p = md; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		n += (p[0] == '-' && p[1] == ' ') || (p[0] >= '1' && p[0] <= '9' && strchr(p, '.')
			&& strchr(p, '.') < strchr(p, ' '));
	return n;
}

/* Coming meetings, roles, who knows what, action lines and an agenda:
 * 20 on a page, then the rest, then past the end. */
static void test_other_lists_paged(void **state)
{
	struct fx_cmds *f = *state;
	char cmd[96], user[48];
	for (int i = 1; i <= 23; i++) {
		snprintf(cmd, sizeof cmd, "!vergadering plan %02d-02-2027 19:30", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!vergadering lijst");
	has(fx_reply0(f), "1–20 van 23 getoond. Volgende pagina: `!vergadering lijst pagina 2`");
	assert_int_equal(list_rows(fx_reply0(f)), 20);
	fx_ok(f, &net, ADMIN, "!vergadering lijst pagina 2");
	assert_int_equal(list_rows(fx_reply0(f)), 3);
	fx_refused(f, &net, ADMIN, "!vergadering lijst pagina 3", WT_EUSAGE, "er zijn 2 pagina's");

	for (int i = 1; i <= 25; i++) {
		snprintf(user, sizeof user, "@lid%02d:demo.test", i);
		snprintf(cmd, sizeof cmd, "!rol %s secretaris", user);
		fx_ok(f, &net, ADMIN, cmd);
		fx_ok(f, &net, user, "!expertise dementie");
	}
	fx_ok(f, &net, ADMIN, "!rol");
	assert_int_equal(list_rows(fx_reply0(f)), 20);
	has(fx_reply0(f), "1–20 van 26 getoond. Volgende pagina: `!rol pagina 2`");
	fx_ok(f, &net, ADMIN, "!rol pagina 2");
	assert_int_equal(list_rows(fx_reply0(f)), 6);
	fx_refused(f, &net, ADMIN, "!rol pagina 3", WT_EUSAGE, "er zijn 2 pagina's");

	fx_ok(f, &net, ADMIN, "!wie dementie");
	assert_int_equal(list_rows(fx_reply0(f)), 20);
	has(fx_reply0(f), "1–20 van 25 getoond. Volgende pagina: hetzelfde commando met `pagina 2` erachter");
	fx_ok(f, &net, ADMIN, "!wie dementie pagina 2");
	assert_int_equal(list_rows(fx_reply0(f)), 5);
	fx_refused(f, &net, ADMIN, "!wie dementie pagina 3", WT_EUSAGE, "er zijn 2 pagina's");

	for (int i = 1; i <= 22; i++) {
		snprintf(cmd, sizeof cmd, "!al nieuw Lijn %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!al");
	assert_int_equal(list_rows(fx_reply0(f)), 20);
	has(fx_reply0(f), "1–20 van 22 getoond. Volgende pagina: `!al pagina 2`");
	fx_ok(f, &net, ADMIN, "!al pagina 2");
	assert_int_equal(list_rows(fx_reply0(f)), 2);
	fx_refused(f, &net, ADMIN, "!al pagina 3", WT_EUSAGE, "er zijn 2 pagina's");

	/* The next meeting's agenda: 5 accepted items, 25 proposals. */
	for (int i = 1; i <= 30; i++) {
		snprintf(cmd, sizeof cmd, "!agenda voorstel Punt %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	for (int i = 1; i <= 5; i++) {
		snprintf(cmd, sizeof cmd, "!agenda accepteer %d", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!agenda");
	const char *r = fx_reply0(f);
	assert_int_equal(list_rows(r), 20);
	has(r, "5. **Punt 5**");
	has(r, "1–20 van 30 getoond. Volgende pagina: `!agenda pagina 2`");
	fx_ok(f, &net, ADMIN, "!agenda pagina 2");
	r = fx_reply0(f);
	assert_int_equal(list_rows(r), 10);
	lacks(r, "Punt 5**");
	has(r, "Punt 30");
	fx_ok(f, &net, ADMIN, "!agenda 1 pagina 2");
	assert_int_equal(list_rows(fx_reply0(f)), 10);
	fx_refused(f, &net, ADMIN, "!agenda pagina 3", WT_EUSAGE, "er zijn 2 pagina's");
}

/* A profile holds at most 50 topics: the 51st is refused, nothing added. */
static void test_expertise_capped(void **state)
{
	struct fx_cmds *f = *state;
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "!expertise ");
	for (int i = 1; i <= 50; i++)
		sb_addf(&sb, "%sonderwerp %d", i > 1 ? ", " : "", i);
	fx_ok(f, &net, ADMIN, sb.buf);
	fx_refused(f, &net, ADMIN, "!expertise nog een", WT_EUSAGE,
		   "Dan komen er 51 onderwerpen op je profiel; er passen er hoogstens 50");
	fx_ok(f, &net, ADMIN, "!expertise weg onderwerp 1");
	fx_ok(f, &net, ADMIN, "!expertise nog een");
	sb_release(&sb);
}

/* !meer shows the next page of the list the same person last read in the
 * room, with its filter and sub-command kept; at the end it says so; a
 * list of someone else, or none, is not continued; !meer with words after
 * it is refused. A refused !meer changes nothing. */
static void test_more(void **state)
{
	struct fx_cmds *f = *state;
	char cmd[64];
	fx_refused(f, &net, ADMIN, "!meer", WT_EUSAGE, "Er is geen lijst om verder te lezen");
	add_decisions(f, 45);
	fx_ok(f, &net, ADMIN, "!besluiten");
	has(fx_reply0(f), "Volgende pagina: `!besluiten pagina 2`, of kortweg `!meer`");
	fx_ok(f, &net, ADMIN, "!meer");
	const char *r = fx_reply0(f);
	assert_int_equal(rows(r), 20);
	has(r, "Besluit nummer 25");
	lacks(r, "Besluit nummer 26");
	has(r, "21–40 van 45 getoond");
	fx_ok(f, &net, ADMIN, "!meer");
	r = fx_reply0(f);
	assert_int_equal(rows(r), 5);
	has(r, "Besluit nummer 1");
	fx_refused(f, &net, ADMIN, "!meer", WT_EUSAGE,
		   "de laatste pagina van `!besluiten` heb je al gekregen");
	/* Another person has read no list here. */
	fx_refused(f, &net, "@lid:demo.test", "!meer", WT_EUSAGE, "geen lijst");

	/* A filter stays (every decision matches it), in English too. */
	fx_ok(f, &net, ADMIN, "!besluiten Besluit");
	has(fx_reply0(f), "1–20 van 45 getoond. Volgende pagina: hetzelfde commando met `pagina 2` erachter, of kortweg `!meer`");
	fx_ok(f, &net_en, ADMIN, "!more");
	has(fx_reply0(f), "21–40 of 45 shown. Next page: the same command with `page 3` after it, or just `!more`");

	/* A sub-command stays in front: the coming meetings, page 2. */
	for (int i = 1; i <= 23; i++) {
		snprintf(cmd, sizeof cmd, "!vergadering plan %02d-03-2027 19:30", i);
		fx_ok(f, &net, ADMIN, cmd);
	}
	fx_ok(f, &net, ADMIN, "!vergadering lijst");
	fx_ok(f, &net, ADMIN, "!meer");
	assert_int_equal(list_rows(fx_reply0(f)), 3);
	fx_refused(f, &net, ADMIN, "!meer alles", WT_EUSAGE, "Achter `!meer` hoort niets");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_take_page),
		cmocka_unit_test_setup_teardown(test_decisions_paged, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_actions_paged, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_advice_paged, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_counts_bounded, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reminders_paged, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_other_lists_paged, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_expertise_capped, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_more, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
