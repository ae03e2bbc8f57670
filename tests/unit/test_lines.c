/* Action lines in the governance (issue 19, item 5): sign-up confirmed or
 * declined by the lead with a direct message each way and the wanted team
 * size, the external guide, a budget and a go / no-go per phase logged as
 * a decision linked to the line, explicit `al:AL1` links, and overdue
 * deliverables told to lead and sponsor too. Each success and each
 * refusal (which changes nothing) through wt_dispatch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/actionline.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/actionlines.h"
#include "storage/bodies.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define CHAIR "@anna:demo.test"
#define SECR "@bram:demo.test"
#define SPONSOR "@carla:demo.test"
#define LEAD "@daan:demo.test"
#define MEMBER "@eva:demo.test"
#define JOINER "@ida:demo.test"
#define GUIDE "@hans:demo.test"
#define BOARD "@olga:demo.test"

static time_t at(int y, int m, int d)
{
	struct tz_local lt = { .year = y, .mon = m, .day = d, .hour = 10 };
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
	roles_set(f->db, "demo", BOARD, ROLE_BOARD, NULL, 0);
	f->now = at(2027, 2, 15);
	fx_ok(f, &net_nl, SECR, "!al nieuw Samen leren\npenvoerder: " SPONSOR
	      "\nprojectleider: " LEAD "\nbegeleider: " GUIDE "\nteam: " MEMBER);
	*state = f;
	return 0;
}

/* The reply (of any) that goes to user by direct message, or NULL. */
static const struct wt_reply *dm_to(struct fx_cmds *f, const char *user)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].to_user && strcmp(f->out.v[i].to_user, user) == 0)
			return &f->out.v[i];
	return NULL;
}

/* r pings user: notify and user in m.mentions. */
static void pings(const struct wt_reply *r, const char *user)
{
	assert_non_null(r);
	assert_true(r->notify);
	int found = 0;
	for (size_t i = 0; i < r->nmentions; i++)
		found |= strcmp(r->mentions[i], user) == 0;
	assert_true(found);
}

static void test_guide_part(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!al AL1");
	fx_reply_has(f, "Externe begeleider: [hans]");
	fx_reply_has(f, "Gewenst: 3 projectteamleden per actielijn, nu 1 teamlid.");
	fx_ok(f, &net_nl, SECR, "!al team AL1 begeleider @jan:demo.test");
	fx_reply_has(f, "als Externe begeleider");
	fx_refused(f, &net_nl, SECR, "!al team AL1 coach @jan:demo.test", WT_EUSAGE, "`begeleider`");
	fx_ok(f, &net_en, MEMBER, "!al AL1");
	fx_reply_has(f, "External guide: [hans]");
}

static void test_team_size(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!al wijzig AL1 teamgrootte 4");
	fx_reply_has(f, "AL1 vraagt nu 4 projectteamleden per actielijn");
	assert_int_equal(fx_int(f->db, "SELECT team_size FROM action_lines"), 4);
	fx_refused(f, &net_nl, SECR, "!al wijzig AL1 teamgrootte veel", WT_EUSAGE,
		   "De teamgrootte is een getal van 0 tot en met 50");
	fx_refused(f, &net_nl, SECR, "!al wijzig AL1 teamgrootte 51", WT_EUSAGE, "niet 51");
	fx_ok(f, &net_en, SECR, "!al edit AL1 team-size 1");
	fx_reply_has(f, "AL1 now asks for 1 project team member per action line");
	/* 0: the network's setting. */
	struct wt_network five = net_nl;
	five.al_team_size = 5;
	fx_ok(f, &five, SECR, "!al wijzig AL1 teamgrootte 0");
	fx_reply_has(f, "5 projectteamleden");
}

static void test_join_confirm(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, JOINER, "!al aanmelden AL1");
	fx_reply_has(f, "Je aanmelding voor het team van AL1 Samen leren is doorgegeven aan [daan]");
	fx_reply_has(f, "Gewenst: 3 projectteamleden per actielijn, nu 1 teamlid.");
	const struct wt_reply *dm = dm_to(f, LEAD);
	pings(dm, LEAD);
	assert_non_null(strstr(dm->markdown, "!al bevestig AL1 @ida:demo.test"));
	fx_ok(f, &net_nl, MEMBER, "!al AL1");
	fx_reply_has(f, "Aanmeldingen (nog te bevestigen): [ida]");
	/* Refusals: twice, already in the team, not the lead, nobody asked. */
	fx_refused(f, &net_nl, JOINER, "!al aanmelden AL1", WT_EUSAGE, "wacht al op bevestiging");
	fx_refused(f, &net_nl, MEMBER, "!al aanmelden AL1", WT_EUSAGE, "Je hoort al bij AL1 (Teamleden)");
	fx_refused(f, &net_nl, JOINER, "!al aanmelden AL1 nu", WT_EUSAGE, NULL);
	fx_refused(f, &net_nl, JOINER, "!al aanmelden AL9", WT_ENOTFOUND, "Er is geen actielijn AL9");
	fx_refused(f, &net_nl, JOINER, "!al bevestig AL1 " JOINER, WT_EPERM,
		   "Alleen de projectleiding van AL1 of de voorzitter");
	fx_refused(f, &net_nl, SPONSOR, "!al bevestig AL1 " JOINER, WT_EPERM, NULL);
	fx_refused(f, &net_nl, LEAD, "!al bevestig AL1 @jan:demo.test", WT_ENOTFOUND,
		   "heeft zich niet aangemeld voor AL1. Aanmeldingen die wachten: [ida]");
	fx_refused(f, &net_nl, LEAD, "!al bevestig AL1", WT_EUSAGE, "Noem minstens");
	/* The lead confirms: a member now, told by DM. */
	fx_ok(f, &net_nl, LEAD, "!al bevestig AL1 " JOINER);
	fx_reply_has(f, "is nu teamlid van AL1. Gewenst: 3 projectteamleden per actielijn, nu 2 teamleden.");
	dm = dm_to(f, JOINER);
	pings(dm, JOINER);
	assert_non_null(strstr(dm->markdown, "Welkom in het team van AL1"));
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM action_line_people WHERE role = 'member'"
			 " AND user_id = '" JOINER "'"), 1);
	fx_refused(f, &net_nl, LEAD, "!al bevestig AL1 " JOINER, WT_ENOTFOUND,
		   "er wachten geen aanmeldingen");
	/* A done line takes none. */
	fx_ok(f, &net_nl, LEAD, "!al status AL1 afgerond");
	fx_refused(f, &net_nl, "@jan:demo.test", "!al aanmelden AL1", WT_EUSAGE, "AL1 is afgerond");
}

static void test_join_decline_en(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_en, JOINER, "!al join AL1");
	fx_reply_has(f, "Your sign-up for the team of AL1 Samen leren went to [daan]");
	fx_refused(f, &net_en, JOINER, "!al join AL1", WT_EUSAGE, "already waiting");
	fx_refused(f, &net_en, MEMBER, "!al decline AL1 " JOINER, WT_EPERM, "Only the project lead of AL1");
	/* The chair may decide too; the reason reaches the person. */
	fx_ok(f, &net_en, CHAIR, "!al decline AL1 " JOINER " the team is full");
	fx_reply_has(f, "for AL1 was declined.");
	const struct wt_reply *dm = dm_to(f, JOINER);
	pings(dm, JOINER);
	assert_non_null(strstr(dm->markdown, "Reason: the team is full"));
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM action_line_people WHERE user_id = '"
			 JOINER "'"), 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM action_line_signups WHERE state = 'declined'"), 1);
	/* Declined: may ask again. */
	fx_ok(f, &net_en, JOINER, "!al join AL1");
}

static void test_join_no_lead(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!al nieuw Zonder leiding");
	fx_ok(f, &net_nl, JOINER, "!al aanmelden AL2");
	fx_reply_has(f, "de lijn heeft nog geen projectleiding, dus de voorzitter bevestigt haar");
	fx_ok(f, &net_nl, CHAIR, "!al bevestig AL2 " JOINER);
}

static void test_phase_budget_gate(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, LEAD, "!al fase AL1 nieuw 1-3-2027 30-6-2027 Verkennen en plannen");
	fx_refused(f, &net_nl, CHAIR, "!al fase AL1 1 go", WT_EUSAGE, "Fase 1 van AL1 heeft nog geen budget");
	fx_refused(f, &net_nl, MEMBER, "!al fase AL1 1 budget 5000", WT_EPERM, NULL);
	fx_refused(f, &net_nl, LEAD, "!al fase AL1 1 budget veel", WT_EUSAGE, "Dat lees ik niet als bedrag");
	fx_refused(f, &net_nl, LEAD, "!al fase AL1 1 budget -5", WT_EUSAGE, "niet negatief");
	fx_refused(f, &net_nl, LEAD, "!al fase AL1 1 budget", WT_EUSAGE, "Het bedrag ontbreekt");
	fx_refused(f, &net_nl, LEAD, "!al fase AL1 7 budget 5000", WT_ENOTFOUND, NULL);
	fx_ok(f, &net_nl, LEAD, "!al fase AL1 1 budget € 5.000");
	fx_reply_has(f, "Fase 1 van AL1 heeft nu een budget van € 5.000,00.");
	/* The board's decision: not the lead's, not the secretary's. */
	fx_refused(f, &net_nl, LEAD, "!al fase AL1 1 go", WT_EPERM, "neemt het bestuur");
	fx_refused(f, &net_nl, SPONSOR, "!al fase AL1 1 go", WT_EPERM, NULL);
	fx_ok(f, &net_nl, BOARD, "!al fase AL1 1 go plan is helder");
	fx_reply_has(f, "Besluit 1 vastgelegd: Go voor fase 1 \\(Verkennen en plannen\\)");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items WHERE text = 'Go voor fase 1"
			 " (Verkennen en plannen) van AL1: de investering van € 5.000,00 is gewenst."
			 " Toelichting: plan is helder'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT action_line FROM logged_items WHERE kind = 'decision'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT gate_decision FROM action_line_phases"),
			 fx_int(f->db, "SELECT id FROM logged_items WHERE short_id = 1"));
	fx_ok(f, &net_nl, CHAIR, "!al fase AL1 1 no-go");
	fx_reply_has(f, "Dit vervangt het eerdere besluit 1.");
	fx_refused(f, &net_en, MEMBER, "!al phase AL1 1 nogo", WT_EPERM, "is the board's");
	fx_ok(f, &net_nl, SECR, "!al fase AL1 1 go");  /* the secretary records it too */
	fx_ok(f, &net_nl, CHAIR, "!al fase AL1 1 nogo");
	fx_ok(f, &net_nl, MEMBER, "!al AL1");
	fx_reply_has(f, "budget € 5.000,00, no-go (besluit 4)");
	fx_reply_has(f, "- besluit 1, ");
	fx_ok(f, &net_nl, MEMBER, "!besluiten AL1");
	fx_reply_has(f, "No\\-go voor fase 1");
}

/* With a board body the go / no-go is that body's: its members decide,
 * its advisory members and board roles outside it do not. */
static void test_phase_gate_board_body(void **state)
{
	struct fx_cmds *f = *state;
	long long board = 0;
	assert_int_equal(body_create(f->db, "demo", "BNO", BODY_BOARD, at(2027, 1, 4), &board),
			 BODY_CREATE_OK);
	assert_int_equal(body_member_set(f->db, board, JOINER, 0), 0);
	assert_int_equal(body_member_set(f->db, board, GUIDE, 1), 0);
	fx_ok(f, &net_nl, LEAD, "!al fase AL1 nieuw 1-3-2027 30-6-2027 Verkennen en plannen");
	fx_ok(f, &net_nl, LEAD, "!al fase AL1 1 budget 5000");
	fx_refused(f, &net_nl, BOARD, "!al fase AL1 1 go", WT_EPERM, "neemt het bestuur");
	fx_refused(f, &net_nl, GUIDE, "!al fase AL1 1 go", WT_EPERM, NULL);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items"), 0);
	fx_ok(f, &net_nl, JOINER, "!al fase AL1 1 go");
	fx_ok(f, &net_nl, SECR, "!al fase AL1 1 nogo");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items WHERE action_line = 1"), 2);
}

static void test_decision_link(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!besluit Werkgroep start in januari al:AL1");
	assert_int_equal(fx_int(f->db, "SELECT action_line FROM logged_items"), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items"
			 " WHERE text = 'Werkgroep start in januari'"), 1);
	fx_ok(f, &net_nl, SECR, "!besluit actielijn:al1 tweede besluit, met komma");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items"
			 " WHERE text = 'tweede besluit, met komma' AND action_line = 1"), 1);
	char *before = fx_snapshot(f->db, NULL);
	int rc = fx_run(f, &net_nl, SECR, "!besluit Iets anders al:AL7");
	assert_true(rc < 0);
	assert_non_null(strstr(fx_reply0(f), "Er is geen actielijn AL7 om het besluit aan te koppelen"));
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
	fx_ok(f, &net_nl, MEMBER, "!al AL1");
	fx_reply_has(f, "**Besluiten**");
	fx_reply_has(f, "Werkgroep start in januari");
	/* More than five: the register for the rest. */
	for (int i = 0; i < 5; i++)
		fx_ok(f, &net_nl, SECR, "!besluit nog een al:AL1");
	fx_ok(f, &net_nl, MEMBER, "!al AL1");
	fx_reply_has(f, "Alle besluiten: `!besluiten AL1`");
}

/* The pending overdue reminders' recipients, one per line. */
static char *overdue_to(struct fx_cmds *f)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT to_user FROM reminders WHERE state ="
			" 'pending' AND kind = 'actionline.overdue' ORDER BY to_user", -1, &st, NULL),
			SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(&sb, "%s\n", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return sb_detach(&sb);
}

static void test_overdue_to_lead_and_sponsor(void **state)
{
	struct fx_cmds *f = *state;
	/* The chair leads too: told once. */
	fx_ok(f, &net_nl, SECR, "!al team AL1 projectleider " CHAIR);
	fx_ok(f, &net_nl, LEAD, "!al resultaat AL1 toevoegen 1-3-2027 Plan van aanpak");
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .now = f->now, .lang = LANG_NL,
			      .out = &f->out };
	assert_int_equal(actionline_reminder_generate(&ctx), 0);
	char *who = overdue_to(f);
	assert_string_equal(who, CHAIR "\n" SPONSOR "\n" LEAD "\n");
	free(who);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guide_part, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_team_size, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_join_confirm, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_join_decline_en, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_join_no_lead, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_phase_budget_gate, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_phase_gate_board_body, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_decision_link, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_overdue_to_lead_and_sponsor, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
