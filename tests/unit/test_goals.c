/* Goals and effect measurement: !doel nieuw / meting / <nr> / the list,
 * each refusal (changing nothing), the owner's rule, the trend, the
 * overdue reminder kept by the reminder_dirty triggers, the goals
 * paragraph of the half-year report, goal_measurement_add for polls, the
 * indicators of an action line in !al <code> and the reports, and the
 * Dutch number reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/goals.h"
#include "handlers/number.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/db.h"
#include "storage/goals.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define CHAIR "@anna:demo.test"
#define SECR "@bram:demo.test"
#define OWNER "@daan:demo.test"
#define MEMBER "@eva:demo.test"

static time_t at(int y, int m, int d, int h)
{
	struct tz_local lt = { .year = y, .mon = m, .day = d, .hour = h };
	time_t t;
	assert_int_equal(tz_to_utc("Europe/Amsterdam", &lt, &t), TZ_OK);
	return t;
}

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	f->event_id = "$ev";
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, 0);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, 0);
	f->now = at(2027, 2, 15, 10);
	*state = f;
	return 0;
}

static void make_goal(struct fx_cmds *f)
{
	fx_ok(f, &net_nl, SECR, "!doel nieuw Gemiddeld een 8 van onze patiënten\n"
	      "doel: 8\neenheid: cijfer\nperiode: 2022-2024\neigenaar: " OWNER "\n"
	      "meetfrequentie: per kwartaal");
	fx_reply_has(f, "Doel 1 aangemaakt: Gemiddeld een 8 van onze patiënten");
}

static void test_new_and_list(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!doelen");
	fx_reply_has(f, "Er zijn nog geen doelen");
	make_goal(f);
	fx_ok(f, &net_nl, SECR, "!doel nieuw Vacatures gevuld\ndoel: 95%\neenheid: %");
	assert_int_equal(fx_count(f->db, "goals"), 2);
	fx_ok(f, &net_nl, MEMBER, "!doelen");
	fx_reply_has(f, "Gemiddeld een 8 van onze patiënten — doel 8 cijfer, periode 2022\\-2024; nog niet gemeten");
	fx_reply_has(f, "Vacatures gevuld — doel 95\\%; nog niet gemeten");
	fx_ok(f, &net_en, MEMBER, "!goals");
	fx_reply_has(f, "target 8 cijfer, period 2022\\-2024; not measured yet");
}

static void test_new_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!doel nieuw Iets", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, SECR, "!doel nieuw", WT_EUSAGE, "Geef het doel een titel");
	fx_refused(f, &net_nl, SECR, "!doel nieuw X\ndoel: 12.5", WT_EUSAGE,
		   "Dat lees ik niet als getal: 12\\.5");
	fx_refused(f, &net_nl, SECR, "!doel nieuw X\neenheid:", WT_EUSAGE, "Achter `eenheid:` staat niets");
	fx_refused(f, &net_nl, SECR, "!doel nieuw X\neigenaar: " OWNER "\nmeetfrequentie: wekelijks",
		   WT_EUSAGE, "Die meetfrequentie ken ik niet: wekelijks");
	fx_refused(f, &net_nl, SECR, "!doel nieuw X\nmeetfrequentie: jaarlijks", WT_EUSAGE,
		   "heeft een eigenaar nodig");
	fx_refused(f, &net_nl, SECR, "!doel nieuw X\neigenaar: " OWNER " " MEMBER, WT_EUSAGE,
		   "één eigenaar");
	fx_refused(f, &net_en, SECR, "!goal new X\nfrequency: weekly\nowner: " OWNER, WT_EUSAGE,
		   "I don't know that frequency: weekly");
	assert_int_equal(fx_count(f->db, "goals"), 0);
}

static void test_measure(void **state)
{
	struct fx_cmds *f = *state;
	make_goal(f);
	fx_ok(f, &net_nl, SECR, "!doel meting 1 7,2 1-1-2027 enquête januari");
	fx_reply_has(f, "Meting bij doel 1 (Gemiddeld een 8 van onze patiënten) opgeslagen: 7,2 cijfer");
	fx_ok(f, &net_nl, OWNER, "!doel meting 1 7,6");
	fx_ok(f, &net_nl, MEMBER, "!doelen");
	fx_reply_has(f, "laatste meting 7,6 cijfer op 15 februari 2027, ↑ gestegen (was 7,2 cijfer)");
	fx_ok(f, &net_en, MEMBER, "!goal 1");
	fx_reply_has(f, "**Owner**");
	fx_reply_has(f, "↑ up (was 7.2 cijfer)");
	fx_reply_has(f, "source: enquête januari");
	fx_ok(f, &net_nl, CHAIR, "!doel meting 1 7,6");
	fx_ok(f, &net_nl, MEMBER, "!doel 1");
	fx_reply_has(f, "→ gelijk gebleven");
	fx_reply_has(f, "volgende meting uiterlijk 15 mei 2027");
	assert_int_equal(fx_count(f->db, "goal_measurements"), 3);
}

static void test_measure_refusals(void **state)
{
	struct fx_cmds *f = *state;
	make_goal(f);
	fx_refused(f, &net_nl, MEMBER, "!doel meting 1 7", WT_EPERM,
		   "Alleen de eigenaar van doel 1, de secretaris of de voorzitter");
	fx_refused(f, &net_nl, SECR, "!doel meting", WT_EUSAGE, "Welk doel?");
	fx_refused(f, &net_nl, SECR, "!doel meting x 7", WT_EUSAGE, "Dat is geen doelnummer: x");
	fx_refused(f, &net_nl, SECR, "!doel meting 9 7", WT_ENOTFOUND, "Doel 9 bestaat niet");
	fx_refused(f, &net_nl, SECR, "!doel meting 1", WT_EUSAGE, "Er ontbreekt een waarde");
	fx_refused(f, &net_nl, SECR, "!doel meting 1 12.5", WT_EUSAGE, "niet als getal: 12\\.5");
	fx_refused(f, &net_nl, SECR, "!doel meting 1 7 1-1-2028", WT_EUSAGE, "niet in de toekomst");
	fx_refused(f, &net_en, SECR, "!goal measure 1 abc", WT_EUSAGE, "I can't read that as a number: abc");
	fx_refused(f, &net_nl, MEMBER, "!doel 9", WT_ENOTFOUND, "Doel 9 bestaat niet");
	fx_refused(f, &net_nl, MEMBER, "!doel 1 meer", WT_EUSAGE, NULL);
	fx_refused(f, &net_nl, MEMBER, "!doel onzin", WT_EUSAGE, "onzin");
	assert_int_equal(fx_count(f->db, "goal_measurements"), 0);
}

/* The pending goal reminder as "key kind>user@due", or "". */
static char *goal_pending(struct fx_cmds *f)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT source_key, kind, to_user, due_at FROM reminders"
			" WHERE state = 'pending' AND source_key LIKE 'goal:%' ORDER BY source_key", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(&sb, "%s %s>%s@%lld\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			sqlite3_column_text(st, 2), (long long)sqlite3_column_int64(st, 3));
	sqlite3_finalize(st);
	return sb_detach(&sb);
}

static void test_reminder(void **state)
{
	struct fx_cmds *f = *state;
	make_goal(f);
	/* Set on 15 Feb, quarterly: due 15 May at 9:00 for the owner, and a
	 * week later when nothing came in. */
	char want[300];
	snprintf(want, sizeof want, "goal:1:due goal.due>" OWNER "@%lld\n"
		 "goal:1:late goal.overdue>" OWNER "@%lld\n",
		 (long long)at(2027, 5, 15, 9), (long long)at(2027, 5, 22, 9));
	char *p = goal_pending(f);
	assert_string_equal(p, want);
	free(p);
	/* A measurement moves it a quarter on. */
	f->now = at(2027, 4, 1, 10);
	fx_ok(f, &net_nl, OWNER, "!doel meting 1 7,9");
	snprintf(want, sizeof want, "goal:1:due goal.due>" OWNER "@%lld\n"
		 "goal:1:late goal.overdue>" OWNER "@%lld\n",
		 (long long)at(2027, 7, 1, 9), (long long)at(2027, 7, 8, 9));
	p = goal_pending(f);
	assert_string_equal(p, want);
	free(p);
	/* Rendered on the day, dropped when a measurement came in. */
	struct wt_ctx ctx = { 0 };
	ctx.db = f->db;
	ctx.net = &net_nl;
	ctx.lang = LANG_NL;
	ctx.out = &f->out;
	ctx.now = at(2027, 7, 1, 9);
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(reminder_render(&ctx, "goal.due", 1, &out), 0);
	assert_non_null(strstr(out.buf, "De meting van doel 1 (Gemiddeld een 8 van onze patiënten) is aan de beurt"));
	assert_non_null(strstr(out.buf, "laatste meting was op 1 april 2027"));
	assert_non_null(strstr(out.buf, "`!doel meting 1 <waarde> [datum] [bron]`"));
	sb_reset(&out);
	ctx.now = at(2027, 7, 8, 9);
	assert_int_equal(reminder_render(&ctx, "goal.overdue", 1, &out), 0);
	assert_non_null(strstr(out.buf, "doel 1 (Gemiddeld een 8 van onze patiënten) is te laat: hij was op 1 juli 2027 aan de beurt"));
	sb_reset(&out);
	ctx.now = at(2027, 5, 1, 9);
	assert_int_equal(reminder_render(&ctx, "goal.due", 1, &out), 1);
	assert_int_equal(reminder_render(&ctx, "goal.overdue", 1, &out), 1);
	assert_int_equal(reminder_render(&ctx, "goal.due", 99, &out), 1);
	sb_release(&out);
	/* The full generator agrees and is idempotent. */
	ctx.now = f->now;
	assert_int_equal(goal_reminder_generate(&ctx), 0);
	p = goal_pending(f);
	assert_string_equal(p, want);
	free(p);
	/* A goal without frequency gets none. */
	fx_ok(f, &net_nl, SECR, "!doel nieuw Geen schema\neigenaar: " OWNER);
	p = goal_pending(f);
	assert_string_equal(p, want);
	free(p);
}

static void test_edit(void **state)
{
	struct fx_cmds *f = *state;
	make_goal(f);
	fx_ok(f, &net_nl, SECR, "!doel wijzig 1 eigenaar " MEMBER);
	fx_reply_has(f, "Doel 1 (Gemiddeld een 8 van onze patiënten) gewijzigd");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE state = 'pending'"
				" AND to_user = '" MEMBER "' AND source_key LIKE 'goal:1:%'"), 2);
	fx_ok(f, &net_en, CHAIR, "!goal edit 1 target 7,5");
	fx_ok(f, &net_nl, SECR, "!doel wijzig 1 periode 2025-2027");
	fx_ok(f, &net_nl, SECR, "!doel wijzig 1 titel Een 8 van patiënten en naasten");
	fx_ok(f, &net_nl, SECR, "!doel 1");
	fx_reply_has(f, "Doel 1: Een 8 van patiënten en naasten");
	fx_reply_has(f, "doel 7,5 cijfer, periode 2025\\-2027");
	fx_ok(f, &net_nl, SECR, "!doel wijzig 1 meetfrequentie geen");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE state = 'pending'"
				" AND source_key LIKE 'goal:1:%'"), 0);
	fx_ok(f, &net_nl, SECR, "!doel wijzig 1 eigenaar geen");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM goals WHERE owner IS NULL"), 1);
}

static void test_edit_refusals(void **state)
{
	struct fx_cmds *f = *state;
	make_goal(f);
	fx_refused(f, &net_nl, OWNER, "!doel wijzig 1 titel X", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, SECR, "!doel wijzig 1", WT_EUSAGE, "Welk veld?");
	fx_refused(f, &net_nl, SECR, "!doel wijzig 1 kleur rood", WT_EUSAGE, "Welk veld?");
	fx_refused(f, &net_nl, SECR, "!doel wijzig 1 doel", WT_EUSAGE, "Er ontbreekt een waarde");
	fx_refused(f, &net_nl, SECR, "!doel wijzig 1 doel veel", WT_EUSAGE, "niet als getal: veel");
	fx_refused(f, &net_nl, SECR, "!doel wijzig 1 meetfrequentie soms", WT_EUSAGE,
		   "Die meetfrequentie ken ik niet: soms");
	fx_refused(f, &net_nl, SECR, "!doel wijzig 1 eigenaar geen", WT_EUSAGE,
		   "heeft een eigenaar nodig");
	fx_refused(f, &net_nl, SECR, "!doel wijzig 9 titel X", WT_ENOTFOUND, "Doel 9 bestaat niet");
	fx_refused(f, &net_en, SECR, "!goal edit 1 colour red", WT_EUSAGE, "Which field?");
}

static void test_poll_api_and_report(void **state)
{
	struct fx_cmds *f = *state;
	make_goal(f);
	long long id = fx_int(f->db, "SELECT id FROM goals WHERE short_id = 1");
	assert_int_equal(goal_measurement_add(f->db, id, 7.5, at(2027, 1, 10, 12), "peiling 3"), 0);
	assert_int_equal(goal_measurement_add(f->db, id, 8.1, at(2027, 8, 10, 12), NULL), 0);
	assert_true(goal_measurement_add(f->db, 999, 1, at(2027, 1, 10, 12), NULL) < 0);
	/* The H1 report reads as of its end: 7,5 only, not August's 8,1. */
	f->now = at(2027, 9, 1, 10);
	fx_ok(f, &net_nl, SECR, "!programma 2027-H1");
	fx_reply_has(f, "Doelen");
	fx_reply_has(f, "laatste meting 7,5 cijfer op 10 januari 2027");
	assert_null(strstr(fx_reply0(f), "8,1"));
	fx_ok(f, &net_en, SECR, "!programme 2027-H2");
	fx_reply_has(f, "latest measurement 8.1 cijfer on 10 August 2027, ↑ up (was 7.5 cijfer)");
}

static void test_indicators(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!al nieuw Samen leren\nprojectleider: " OWNER);
	fx_refused(f, &net_nl, OWNER, "!al meting AL1 1 5", WT_ENOTFOUND, "AL1 heeft nog geen indicatoren");
	fx_ok(f, &net_nl, OWNER, "!al indicator AL1 nieuw Deelnemers scholing\neenheid: deelnemers\n"
	      "doel: 40\nnulmeting: 12 1-1-2027 presentielijst");
	fx_reply_has(f, "Indicator 1 bij AL1 aangemaakt met 0-meting: Deelnemers scholing");
	fx_ok(f, &net_nl, SECR, "!al indicator AL1 nieuw Tevredenheid");
	fx_ok(f, &net_nl, OWNER, "!al meting AL1 2 7,5");
	fx_reply_has(f, "0-meting van indicator 2 bij AL1 (Tevredenheid) vastgelegd: 7,5");
	fx_ok(f, &net_nl, OWNER, "!al meting AL1 1 25 1-2-2027 inschrijvingen");
	fx_reply_has(f, "opgeslagen: 25 deelnemers (0-meting 12 deelnemers, ↑ gestegen)");
	fx_ok(f, &net_nl, MEMBER, "!al AL1");
	fx_reply_has(f, "**Effectmeting**");
	fx_reply_has(f, "Deelnemers scholing, doel 40 deelnemers: 0-meting 12 deelnemers (1 januari 2027, presentielijst); nu 25 deelnemers (1 februari 2027, inschrijvingen) ↑ gestegen");
	fx_ok(f, &net_nl, MEMBER, "!al rapport AL1 2027-K1");
	fx_reply_has(f, "Effectmeting");
	fx_reply_has(f, "in deze periode 2 metingen");
	fx_ok(f, &net_en, MEMBER, "!al report AL1 2027-Q1");
	fx_reply_has(f, "Effect measurement");
	fx_reply_has(f, "baseline 12 deelnemers");
	fx_ok(f, &net_nl, MEMBER, "!programma 2027-H1");
	fx_reply_has(f, "### Effectmeting");
}

static void test_indicator_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!al nieuw Samen leren\nprojectleider: " OWNER);
	fx_ok(f, &net_nl, OWNER, "!al indicator AL1 nieuw Deelnemers");
	fx_refused(f, &net_nl, MEMBER, "!al indicator AL1 nieuw X", WT_EPERM,
		   "Alleen de projectleiding of penvoerder van AL1");
	fx_refused(f, &net_nl, MEMBER, "!al meting AL1 1 5", WT_EPERM, "effectmeting");
	fx_refused(f, &net_nl, OWNER, "!al indicator AL1 Deelnemers", WT_EUSAGE, "Na de code komt `nieuw`");
	fx_refused(f, &net_nl, OWNER, "!al indicator AL1 nieuw", WT_EUSAGE, "Geef de indicator een naam");
	fx_refused(f, &net_nl, OWNER, "!al indicator AL1 nieuw X\ndoel: veel", WT_EUSAGE, "niet als getal: veel");
	fx_refused(f, &net_nl, OWNER, "!al indicator AL1 nieuw X\nnulmeting: 5 1-1-2030", WT_EUSAGE,
		   "niet in de toekomst");
	fx_refused(f, &net_nl, OWNER, "!al indicator AL9 nieuw X", WT_ENOTFOUND, "AL9");
	fx_refused(f, &net_nl, OWNER, "!al meting AL1", WT_EUSAGE, "Welke indicator?");
	fx_refused(f, &net_nl, OWNER, "!al meting AL1 7 5", WT_ENOTFOUND, "7 is geen indicator van AL1");
	fx_refused(f, &net_nl, OWNER, "!al meting AL1 1", WT_EUSAGE, "Er ontbreekt een waarde");
	fx_refused(f, &net_en, OWNER, "!al measure AL1 1 1,2345", WT_EUSAGE, "I can't read that as a number");
	assert_int_equal(fx_count(f->db, "action_line_indicator_values"), 0);
}

static void test_number(void **state)
{
	(void)state;
	static const struct { const char *in; int rc; double v; } cases[] = {
		{ "8", NUMBER_OK, 8 }, { "7,5", NUMBER_OK, 7.5 }, { "1.250", NUMBER_OK, 1250 },
		{ "1.250,75", NUMBER_OK, 1250.75 }, { "95%", NUMBER_OK, 95 }, { "95 %", NUMBER_OK, 95 },
		{ "-3,5", NUMBER_OK, -3.5 }, { "12.5", NUMBER_BAD, 0 }, { "1,2345", NUMBER_BAD, 0 },
		{ "abc", NUMBER_BAD, 0 }, { "8x", NUMBER_BAD, 0 }, { "1234.567", NUMBER_BAD, 0 },
		{ "", NUMBER_EMPTY, 0 }, { "9999999999999", NUMBER_TOO_BIG, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double v = 0;
		size_t used = 0;
		int rc = number_parse(cases[i].in, &v, &used);
		if (rc != cases[i].rc || (rc == NUMBER_OK && v != cases[i].v))
			fail_msg("%s: rc %d v %g", cases[i].in, rc, v);
	}
	struct strbuf sb = STRBUF_INIT;
	number_format(&sb, 1250.5, LANG_NL);
	assert_string_equal(sb.buf, "1.250,5");
	sb_reset(&sb);
	number_format(&sb, 1250.5, LANG_EN);
	assert_string_equal(sb.buf, "1,250.5");
	sb_reset(&sb);
	number_format(&sb, -0.25, LANG_NL);
	assert_string_equal(sb.buf, "-0,25");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_and_list, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_new_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_measure, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_measure_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reminder, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_edit, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_edit_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_poll_api_and_report, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_indicators, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_indicator_refusals, setup, fx_teardown),
		cmocka_unit_test(test_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
