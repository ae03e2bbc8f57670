/* Action lines: every subcommand's success and refusal paths through
 * wt_dispatch (a refused command changes nothing), per-line roles, the
 * derived state, the day and period readers, and the reminder family. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/actionline.h"
#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "demo/actionline_demo.h"
#include "storage/actionlines.h"
#include "storage/db.h"
#include "storage/reminders.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define CHAIR "@anna:demo.test"
#define SECR "@bram:demo.test"
#define BOARD "@carla:demo.test"
#define LEAD "@daan:demo.test"
#define MEMBER "@eva:demo.test"
#define OUTSIDER "@olaf:demo.test"

/* 10:00 local time in Amsterdam on d-m-y. */
static time_t at(int y, int m, int d)
{
	struct tz_local lt = { .year = y, .mon = m, .day = d, .hour = 10 };
	time_t t;
	assert_int_equal(tz_to_utc("Europe/Amsterdam", &lt, &t), TZ_OK);
	return t;
}

static long day(int y, int m, int d)
{
	return (long)tz_days_from_civil(y, m, d);
}

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	f->event_id = "$ev";
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, 0);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, 0);
	roles_set(f->db, "demo", BOARD, ROLE_BOARD, NULL, 0);
	f->now = at(2027, 2, 15);
	*state = f;
	return 0;
}

static int run(struct fx_cmds *f, const char *sender, const char *body)
{
	return fx_run(f, &net_nl, sender, body);
}

/* Assert that the first reply contains s. */
#define HAS(f, s) do { if (!strstr(fx_reply0(f), (s))) fail_msg("no \"%s\" in:\n%s", (s), fx_reply0(f)); } while (0)

/* Run a command that must be refused with code rc, and check that the
 * database did not change. */
static void refused(struct fx_cmds *f, const char *sender, const char *body, int rc, const char *expect)
{
	char *before = fx_snapshot(f->db, NULL);
	int got = run(f, sender, body);
	if (got != rc)
		fail_msg("%s: got %d, want %d; reply: %s", body, got, rc, f->out.n ? fx_reply0(f) : "-");
	assert_true(f->out.v[0].is_error);
	if (expect)
		HAS(f, expect);
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
}

/* AL1 with people, a budget, a phase and two deliverables. */
static void make_line(struct fx_cmds *f)
{
	assert_int_equal(run(f, SECR, "!al nieuw Samen leren in de regio\n"
			      "doel: Gedeelde scholing\n"
			      "budget: € 12.500,00\n"
			      "penvoerder: @carla:demo.test\n"
			      "projectleider: @daan:demo.test\n"
			      "zorgprofessional: @fien:demo.test\n"
			      "team: @eva:demo.test @gijs:demo.test"), WT_OK);
	HAS(f, "AL1");
	assert_int_equal(run(f, LEAD, "!al fase AL1 nieuw 1-1-2027 30-6-2027 Verkennen en plannen"), WT_OK);
	assert_int_equal(run(f, LEAD, "!al resultaat AL1 toevoegen 1-3-2027 fase 1 Plan van aanpak vastgesteld"), WT_OK);
	assert_int_equal(run(f, LEAD, "!al resultaat AL1 toevoegen 1-6-2027 Eerste proef"), WT_OK);
}

static void test_empty_list_and_new(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, MEMBER, "!al"), WT_OK);
	HAS(f, "nog geen actielijnen");
	make_line(f);
	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_string_equal(l.title, "Samen leren in de regio");
	assert_string_equal(l.goal, "Gedeelde scholing");
	assert_int_equal(l.budget_cents, 1250000);
	assert_true(al_has_person(&l, AL_SPONSOR, BOARD));
	assert_true(al_has_person(&l, AL_LEAD, LEAD));
	assert_true(al_has_person(&l, AL_CARE, "@fien:demo.test"));
	assert_true(al_has_person(&l, AL_MEMBER, MEMBER));
	assert_true(al_has_person(&l, AL_MEMBER, "@gijs:demo.test"));
	assert_int_equal(l.nphases, 1);
	assert_int_equal(l.ndelivs, 2);
	assert_int_equal(l.delivs[0].phase_id, l.phases[0].id);
	assert_int_equal(l.delivs[1].phase_id, 0);
	al_free(&l);
	/* The list: marker, code, title, status, current phase, next due. */
	assert_int_equal(run(f, MEMBER, "!actielijn"), WT_OK);
	HAS(f, "🟢 **AL1** Samen leren in de regio — op schema");
	HAS(f, "fase: 1. Verkennen en plannen");
	HAS(f, "volgend resultaat: Plan van aanpak vastgesteld (1 maart 2027)");
	HAS(f, "nog geen update");
	/* A second line gets AL2. */
	assert_int_equal(run(f, CHAIR, "!al new Tweede lijn"), WT_OK);
	HAS(f, "AL2");
}

static void test_new_refused(void **state)
{
	struct fx_cmds *f = *state;
	refused(f, MEMBER, "!al nieuw Titel", WT_EPERM, "secretaris");
	refused(f, BOARD, "!al nieuw Titel", WT_EPERM, NULL);
	refused(f, SECR, "!al nieuw", WT_EUSAGE, "titel ontbreekt");
	refused(f, SECR, "!al nieuw Titel\nbudget: -500", WT_EUSAGE, "niet negatief");
	refused(f, SECR, "!al nieuw Titel\nbudget: 12.5", WT_EUSAGE, "niet als bedrag");
	/* The line is inserted before the bad team member is read: the
	 * savepoint takes it back, short code counter included. */
	refused(f, SECR, "!al nieuw Titel\nprojectleider: @daan:demo.test niemand", WT_EUSAGE,
		"Ik weet niet wie \"niemand\" is");
	assert_int_equal(fx_count(f->db, "action_lines"), 0);
	assert_int_equal(fx_count(f->db, "id_counters"), 0);
	char *long_title = malloc(300);
	strcpy(long_title, "!al nieuw ");
	memset(long_title + 10, 'x', 250);
	long_title[260] = '\0';
	refused(f, SECR, long_title, WT_EUSAGE, "te lang");
	free(long_title);
}

static void test_show_line(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	assert_int_equal(run(f, MEMBER, "!al update AL1 Eerste sessie gehouden"), WT_OK);
	assert_int_equal(run(f, LEAD, "!al uitgave AL1 € 1.250,50 begeleiding"), WT_OK);
	assert_int_equal(run(f, MEMBER, "!al al1"), WT_OK);
	HAS(f, "**AL1 — Samen leren in de regio**");
	HAS(f, "Penvoerder: [carla](https://matrix.to/#/@carla:demo.test)");
	HAS(f, "Projectleiding: [daan](https://matrix.to/#/@daan:demo.test)");
	HAS(f, "1. Verkennen en plannen: 1 januari 2027 – 30 juni 2027 (gepland)");
	HAS(f, "(0 afgerond, 2 open, 0 over tijd)");
	HAS(f, "Eerste sessie gehouden");
	HAS(f, "**Budget** € 12.500,00, besteed € 1.250,50 (10%), resterend € 11.249,50");
	/* Codes in other spellings. */
	assert_int_equal(run(f, MEMBER, "!al 1"), WT_OK);
	assert_int_equal(run(f, MEMBER, "!al AL-1"), WT_OK);
}

static void test_unknown_code_lists_codes(void **state)
{
	struct fx_cmds *f = *state;
	refused(f, MEMBER, "!al AL1", WT_ENOTFOUND, "er zijn nog geen actielijnen");
	make_line(f);
	assert_int_equal(run(f, SECR, "!al nieuw Tweede lijn"), WT_OK);
	refused(f, MEMBER, "!al AL9", WT_ENOTFOUND, "Er is geen actielijn AL9. Bestaande actielijnen: `AL1` Samen leren in de regio, `AL2` Tweede lijn.");
	refused(f, LEAD, "!al status AL7 risico", WT_ENOTFOUND, "`AL1`");
	refused(f, LEAD, "!al update XYZ tekst", WT_ENOTFOUND, "Er is geen actielijn XYZ");
	refused(f, LEAD, "!al XYZ", WT_EUSAGE, "\"XYZ\" is geen onderdeel van `!actielijn`");
	refused(f, LEAD, "!al status", WT_EUSAGE, "Welke actielijn");
}

static void test_status(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	/* Who may: project lead, sponsor, chair (and admin); not a team member,
	 * the secretary or an outsider. */
	refused(f, MEMBER, "!al status AL1 risico", WT_EPERM, "projectleiding of penvoerder van AL1");
	refused(f, SECR, "!al status AL1 risico", WT_EPERM, NULL);
	refused(f, OUTSIDER, "!al status AL1 risico", WT_EPERM, NULL);
	refused(f, LEAD, "!al status AL1 paars", WT_EUSAGE,
		"Onbekende status: paars. Kies uit: `op-schema`, `risico`, `vertraagd`, `afgerond`");
	assert_int_equal(run(f, LEAD, "!al status AL1 risico Te weinig mensen"), WT_OK);
	HAS(f, "AL1 loopt nu risico — Te weinig mensen.");
	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(l.status, AL_AT_RISK);
	assert_string_equal(l.status_reason, "Te weinig mensen");
	assert_int_equal(l.nchanges, 2);
	al_free(&l);
	if (run(f, BOARD, "!al status AL1 op schema") != WT_OK)
		fail_msg("%s", fx_reply0(f));
	assert_int_equal(run(f, CHAIR, "!al status AL1 vertraagd: wachten op besluit"), WT_OK);
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(l.status, AL_LATE);
	assert_string_equal(l.status_reason, "wachten op besluit");
	assert_int_equal(l.nchanges, 4);
	al_free(&l);
	assert_int_equal(fx_run(f, &net_en, "@admin:demo.test", "!actionline status AL1 at risk funding"), WT_OK);
	HAS(f, "AL1 is now at risk — funding");
	assert_int_equal(run(f, MEMBER, "!al"), WT_OK);
	HAS(f, "🟠 **AL1**");
}

static void test_update(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	refused(f, OUTSIDER, "!al update AL1 hallo", WT_EPERM, "Alleen het team van AL1");
	refused(f, SECR, "!al update AL1 hallo", WT_EPERM, NULL);
	refused(f, MEMBER, "!al update AL1", WT_EUSAGE, "tekst ontbreekt");
	refused(f, MEMBER, "!al update AL1   \n  ", WT_EUSAGE, "tekst ontbreekt");
	assert_int_equal(run(f, MEMBER, "!al update AL1 Twee werksessies *gehouden*"), WT_OK);
	HAS(f, "Update bij AL1 opgeslagen");
	assert_int_equal(run(f, "@fien:demo.test", "!al update AL1 Zorgprofessional meldt zich"), WT_OK);
	assert_int_equal(run(f, CHAIR, "!al update AL1 Besproken in het overleg"), WT_OK);
	assert_int_equal(fx_count(f->db, "action_line_updates"), 3);
	/* The list shows the age of the last update; two days later too. */
	assert_int_equal(run(f, OUTSIDER, "!al"), WT_OK);
	HAS(f, "laatste update vandaag");
	f->now += 2 * 86400;
	assert_int_equal(run(f, OUTSIDER, "!al"), WT_OK);
	HAS(f, "laatste update 2 dagen geleden");
	/* User text is escaped in the line view. */
	assert_int_equal(run(f, OUTSIDER, "!al AL1"), WT_OK);
	HAS(f, "Twee werksessies \\*gehouden\\*");
}

static void test_phases(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	refused(f, MEMBER, "!al fase AL1 nieuw 1-7-2027 31-12-2027 Uitproberen", WT_EPERM, NULL);
	refused(f, LEAD, "!al fase AL1 nieuw 1-7-2027 1-1-2027 Uitproberen", WT_EUSAGE,
		"De fase eindigt (1 januari 2027) voor ze begint (1 juli 2027)");
	refused(f, LEAD, "!al fase AL1 nieuw 31-2-2027 1-3-2027 Uitproberen", WT_EUSAGE,
		"Datum niet gelezen: \"31\\-2");
	refused(f, LEAD, "!al fase AL1 nieuw 1-7-2027", WT_EUSAGE, "datum ontbreekt");
	refused(f, LEAD, "!al fase AL1 nieuw 1-7-2027 31-12-2027", WT_EUSAGE, "naam van de fase ontbreekt");
	assert_int_equal(run(f, SECR, "!al fase AL1 nieuw 2027-07-01 31 december 2027 Uitproberen en invoeren"), WT_OK);
	HAS(f, "fase 2 (Uitproberen en invoeren) van 1 juli 2027 tot en met 31 december 2027");
	refused(f, LEAD, "!al fase AL1 3 start", WT_ENOTFOUND,
		"AL1 heeft geen fase 3. Fasen: 1. Verkennen en plannen, 2. Uitproberen en invoeren");
	refused(f, LEAD, "!al fase AL1 1 begin-maar", WT_EUSAGE, "is geen onderdeel van `!actielijn fase`");
	refused(f, MEMBER, "!al fase AL1 1 verzet 1-2-2027 30-6-2027", WT_EPERM, NULL);
	refused(f, LEAD, "!al fase AL1 1 verzet 1-2-2027", WT_EUSAGE, "datum ontbreekt");
	refused(f, LEAD, "!al fase AL1 1 verzet 1-7-2027 1-2-2027", WT_EUSAGE,
		"De fase eindigt (1 februari 2027) voor ze begint (1 juli 2027)");
	refused(f, LEAD, "!al fase AL1 1 verzet 1-2-2027 30-6-2027 x", WT_EUSAGE, "Hier hoort niets meer achter");
	assert_int_equal(run(f, LEAD, "!al fase AL1 1 verzet 1-2-2027 31-7-2027"), WT_OK);
	HAS(f, "fase 1 loopt nu van 1 februari 2027 tot 31 juli 2027");
	refused(f, LEAD, "!al fase AL1 1 start 5-1-2027 extra", WT_EUSAGE, "Hier hoort niets meer achter");
	refused(f, LEAD, "!al fase AL1 onbekend start", WT_ENOTFOUND, "geen fase onbekend");
	assert_int_equal(run(f, LEAD, "!al fase AL1 verkennen start 5-1-2027"), WT_OK);
	HAS(f, "fase 1 gestart op 5 januari 2027");
	refused(f, LEAD, "!al fase AL1 1 klaar 1-1-2027", WT_EUSAGE, "ligt voor de start van de fase (5 januari 2027)");
	assert_int_equal(run(f, BOARD, "!al fase AL1 1 klaar"), WT_OK);
	HAS(f, "fase 1 afgerond op 15 februari 2027");
	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(l.phases[0].started_on, day(2027, 1, 5));
	assert_int_equal(l.phases[0].done_on, day(2027, 2, 15));
	assert_int_equal(l.phases[0].start_day, day(2027, 2, 1));
	assert_int_equal(l.phases[0].end_day, day(2027, 7, 31));
	/* Phase 1 is done; phase 2 is current once its dates hold. */
	assert_null(al_current_phase(&l, day(2027, 2, 16)));
	assert_ptr_equal(al_current_phase(&l, day(2027, 8, 1)), &l.phases[1]);
	al_free(&l);
	/* A line without phases says how to add one. */
	assert_int_equal(run(f, SECR, "!al nieuw Leeg"), WT_OK);
	refused(f, SECR, "!al fase AL2 1 start", WT_ENOTFOUND, "AL2 heeft nog geen fasen");
}

static void test_deliverables_and_overdue(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	refused(f, MEMBER, "!al resultaat AL1 klaar 1", WT_EPERM, NULL);
	refused(f, LEAD, "!al resultaat AL1 klaar 9", WT_ENOTFOUND, "AL1 heeft geen resultaat 9. Resultaten: 1, 2");
	refused(f, LEAD, "!al resultaat AL1 toevoegen morgen", WT_EUSAGE, "tekst ontbreekt");
	refused(f, LEAD, "!al resultaat AL1 toevoegen 1-5-2027 fase 4 Tekst", WT_ENOTFOUND, "geen fase 4");
	refused(f, LEAD, "!al resultaat AL1 toevoegen", WT_EUSAGE, "datum ontbreekt");
	refused(f, LEAD, "!al resultaat AL1 weg 1", WT_EUSAGE, "\"weg\" is geen onderdeel van `!actielijn resultaat`");
	refused(f, MEMBER, "!al resultaat AL1 verzet 1 1-4-2027", WT_EPERM, NULL);
	refused(f, LEAD, "!al resultaat AL1 verzet 1", WT_EUSAGE, "datum ontbreekt");
	refused(f, LEAD, "!al resultaat AL1 verzet 7 1-4-2027", WT_ENOTFOUND, "geen resultaat 7");
	refused(f, LEAD, "!al resultaat AL1 verzet 1 31-4-2027", WT_EUSAGE, NULL);
	refused(f, LEAD, "!al resultaat AL1 verzet 1 1-4-2027 en later", WT_EUSAGE, "Hier hoort niets meer achter");
	/* Overdue is derived from the clock: nothing stored changes. */
	char *before = fx_snapshot(f->db, NULL);
	f->now = at(2027, 3, 2);
	assert_int_equal(run(f, MEMBER, "!al AL1"), WT_OK);
	HAS(f, "(0 afgerond, 2 open, 1 over tijd)");
	HAS(f, "⚠️ 1. Plan van aanpak vastgesteld — uiterlijk 1 maart 2027, over tijd");
	assert_int_equal(run(f, MEMBER, "!al"), WT_OK);
	HAS(f, "⚠️ over tijd");
	f->now = at(2027, 3, 1);
	assert_int_equal(run(f, MEMBER, "!al AL1"), WT_OK);
	HAS(f, "(0 afgerond, 2 open, 0 over tijd)");
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
	assert_int_equal(run(f, LEAD, "!al resultaat AL1 klaar 1 28-2-2027"), WT_OK);
	HAS(f, "resultaat 1 afgerond op 28 februari 2027");
	f->now = at(2027, 3, 5);
	assert_int_equal(run(f, MEMBER, "!al AL1"), WT_OK);
	HAS(f, "(1 afgerond, 1 open, 0 over tijd)");
	assert_int_equal(fx_run(f, &net_en, LEAD, "!al deliverable AL1 add 2027-09-01 phase 1 Report"), WT_OK);
	HAS(f, "deliverable 3, due 1 September 2027");
	/* Moving a due date: an overdue deliverable is no longer overdue. */
	f->now = at(2027, 6, 2);
	assert_int_equal(run(f, MEMBER, "!al AL1"), WT_OK);
	HAS(f, "(1 afgerond, 2 open, 1 over tijd)");
	assert_int_equal(run(f, LEAD, "!al resultaat AL1 verzet 2 1-7-2027"), WT_OK);
	HAS(f, "resultaat 2 moet nu af zijn uiterlijk 1 juli 2027");
	assert_int_equal(run(f, MEMBER, "!al AL1"), WT_OK);
	HAS(f, "(1 afgerond, 2 open, 0 over tijd)");
	assert_int_equal(fx_run(f, &net_en, SECR, "!al deliverable AL1 move 3 2027-10-01"), WT_OK);
	HAS(f, "deliverable 3 is now due 1 October 2027");
	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(l.delivs[1].due_day, day(2027, 7, 1));
	assert_int_equal(l.delivs[2].due_day, day(2027, 10, 1));
	assert_int_equal(l.delivs[0].due_day, day(2027, 3, 1));
	al_free(&l);
}

static void test_spending(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	refused(f, MEMBER, "!al uitgave AL1 100 koffie", WT_EPERM, NULL);
	refused(f, LEAD, "!al uitgave AL1 -50 koffie", WT_EUSAGE, "negatief zijn: \\-50");
	refused(f, LEAD, "!al uitgave AL1 € -12,00 koffie", WT_EUSAGE, "niet negatief");
	refused(f, LEAD, "!al uitgave AL1 12.5 koffie", WT_EUSAGE, "niet als bedrag: 12\\.5");
	refused(f, LEAD, "!al uitgave AL1 veel koffie", WT_EUSAGE, "niet als bedrag: veel");
	refused(f, LEAD, "!al uitgave AL1 0 koffie", WT_EUSAGE, "meer dan € 0,00");
	refused(f, LEAD, "!al uitgave AL1 100", WT_EUSAGE, "tekst ontbreekt");
	refused(f, LEAD, "!al uitgave AL1", WT_EUSAGE, "bedrag ontbreekt");
	assert_int_equal(run(f, LEAD, "!al uitgave AL1 € 1.250,50 begeleiding werksessie"), WT_OK);
	HAS(f, "uitgave van € 1.250,50 op 15 februari 2027. Besteed: € 1.250,50 van € 12.500,00");
	assert_int_equal(run(f, SECR, "!al uitgave AL1 €12,5 10-1-2027 koffie"), WT_OK);
	HAS(f, "€ 12,50 op 10 januari 2027. Besteed: € 1.263,00");
	assert_int_equal(run(f, BOARD, "!al uitgave AL1 12.500 zaalhuur"), WT_OK);
	struct actionline l, h;
	/* The status view's load: the total, no spending rows. */
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(l.nspending, 0);
	assert_int_equal(al_spent(&l, 0, 0), 125050 + 1250 + 1250000);
	/* A report's: every row. */
	assert_int_equal(al_load_history(f->db, l.id, &h), 1);
	assert_int_equal(h.nspending, 3);
	assert_int_equal(al_spent(&h, 0, 0), 125050 + 1250 + 1250000);
	assert_int_equal(al_spent(&h, day(2027, 2, 1), 0), 125050 + 1250000);
	al_free(&h);
	al_free(&l);
}

static void test_team_and_edit(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	refused(f, LEAD, "!al team AL1 lid @hugo:demo.test", WT_EPERM, "secretaris");
	refused(f, SECR, "!al team AL1 kok @hugo:demo.test", WT_EUSAGE,
		"Onbekende rol in een actielijn: kok. Kies uit: `penvoerder`");
	refused(f, SECR, "!al team AL1 lid hugo", WT_EUSAGE, "Ik weet niet wie \"hugo\" is");
	refused(f, SECR, "!al team AL1 lid", WT_EUSAGE, "minstens één");
	refused(f, SECR, "!al team AL1 weg @nobody:demo.test", WT_EUSAGE, "hoort niet bij AL1");
	assert_int_equal(run(f, SECR, "!al team AL1 lid @hugo:demo.test, @ida:demo.test"), WT_OK);
	HAS(f, "[hugo](https://matrix.to/#/@hugo:demo.test), [ida](https://matrix.to/#/@ida:demo.test) toegevoegd als Teamleden");
	assert_int_equal(run(f, CHAIR, "!al team AL1 penvoerder @anna:demo.test"), WT_OK);
	assert_int_equal(run(f, CHAIR, "!al team AL1 weg @eva:demo.test"), WT_OK);
	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_true(al_has_person(&l, AL_MEMBER, "@ida:demo.test"));
	assert_true(al_has_person(&l, AL_SPONSOR, CHAIR));
	assert_false(al_has_person(&l, AL_SPONSOR, BOARD)); /* one sponsor */
	assert_false(al_has_person(&l, -1, MEMBER));
	al_free(&l);
	/* The old sponsor no longer may set the status. */
	refused(f, BOARD, "!al status AL1 risico", WT_EPERM, NULL);

	refused(f, LEAD, "!al wijzig AL1 budget 100", WT_EPERM, NULL);
	refused(f, SECR, "!al wijzig AL1 kleur rood", WT_EUSAGE, "Onbekend veld: kleur");
	refused(f, SECR, "!al wijzig AL1 budget -1", WT_EUSAGE, "niet negatief");
	refused(f, SECR, "!al wijzig AL1 budget 1,234", WT_EUSAGE, "niet als bedrag");
	refused(f, SECR, "!al wijzig AL1 budget", WT_EUSAGE, "bedrag ontbreekt");
	refused(f, SECR, "!al wijzig AL1 titel", WT_EUSAGE, "titel ontbreekt");
	assert_int_equal(run(f, SECR, "!al wijzig AL1 budget € 20.000"), WT_OK);
	assert_int_equal(run(f, SECR, "!al wijzig AL1 titel Nieuwe titel"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, SECR, "!al edit AL1 goal A new goal"), WT_OK);
	HAS(f, "AL1 updated");
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(l.budget_cents, 2000000);
	assert_string_equal(l.title, "Nieuwe titel");
	assert_string_equal(l.goal, "A new goal");
	al_free(&l);
}

static void test_english(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_run(f, &net_en, SECR, "!actionline new Learning together\n"
				"goal: Shared training\nbudget: 5000\nlead: @daan:demo.test"), WT_OK);
	HAS(f, "Action line **AL1** created");
	assert_int_equal(fx_run(f, &net_en, LEAD, "!al phase AL1 add 1-1-2027 30-6-2027 Explore"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, LEAD, "!al phase AL1 1 start"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, LEAD, "!al spend AL1 EUR 75 coffee"), WT_OK);
	HAS(f, "spent €75.00 on 15 February 2027");
	assert_int_equal(fx_run(f, &net_en, MEMBER, "!al"), WT_OK);
	HAS(f, "🟢 **AL1** Learning together: on track; phase: 1. Explore; no open deliverables; no update yet");
	assert_int_equal(fx_run(f, &net_en, LEAD, "!al status AL1 purple"), WT_EUSAGE);
	HAS(f, "Choose from: `on-track`, `at-risk`, `late`, `done`");
	assert_int_equal(fx_run(f, &net_en, LEAD, "!al foo"), WT_EUSAGE);
	HAS(f, "\"foo\" is not part of `!actionline`");
}

static void test_day_parser(void **state)
{
	(void)state;
	/* Monday 15 February 2027, noon in Amsterdam. */
	struct wt_ctx ctx = { .net = &net_nl, .lang = LANG_NL,
			      .now = (time_t)day(2027, 2, 15) * 86400 + 11 * 3600 };
	long d;
	size_t used;
	static const struct { const char *in; int y, m, dd; size_t used; } ok[] = {
		{ "1-4-2027", 2027, 4, 1, 8 }, { "01-04-2027 rest", 2027, 4, 1, 10 },
		{ "1/4/2027", 2027, 4, 1, 8 }, { "1.4.27", 2027, 4, 1, 6 },
		{ "2027-04-01", 2027, 4, 1, 10 }, { "1 april 2027", 2027, 4, 1, 12 },
		{ "1 apr", 2027, 4, 1, 5 }, { "12 mrt 2026 x", 2026, 3, 12, 11 },
		{ "3 March 2028", 2028, 3, 3, 12 }, { "1-4", 2027, 4, 1, 3 },
		{ "29-2-2028", 2028, 2, 29, 9 }, { "vandaag", 2027, 2, 15, 7 },
		{ "gisteren", 2027, 2, 14, 8 }, { "tomorrow", 2027, 2, 16, 8 },
		/* The phrases every other family reads, now here too. */
		{ "overmorgen", 2027, 2, 17, 10 }, { "volgende dinsdag", 2027, 2, 16, 16 },
		{ "over 2 weken", 2027, 3, 1, 12 }, { "eind maart", 2027, 3, 31, 10 },
		/* Without a year: the one nearest to today, before or after. */
		{ "1 december", 2026, 12, 1, 10 }, { "20-5", 2027, 5, 20, 4 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int rc = al_read_day(&ctx, ok[i].in, &d, &used);
		if (rc != WHEN_OK || d != day(ok[i].y, ok[i].m, ok[i].dd) || used != ok[i].used)
			fail_msg("%s: rc %d used %zu", ok[i].in, rc, used);
	}
	static const char *const bad[] = {
		"31-2-2027", "29-2-2027", "0-1-2027", "1-13-2027", "abc", "1-4-202", "2027-4",
		"12 foo 2027", "1-4-2027x", "99999", "1--4", "morgen 14:00", "over 3 uur",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (al_read_day(&ctx, bad[i], &d, &used) == WHEN_OK)
			fail_msg("%s was accepted", bad[i]);
	assert_int_equal(al_read_day(&ctx, "  ", &d, &used), WHEN_EMPTY);
	assert_int_equal(al_read_day(&ctx, "morgen 14:00", &d, &used), WHEN_NOT_DAY);
}

static void test_period_parser(void **state)
{
	(void)state;
	long today = day(2027, 5, 10);
	struct al_period p;
	static const char *const q1[] = { "2027-Q1", "2027Q1", "Q1 2027", "K1 2027", "2027-K1", "q1-2027", " k1 2027 " };
	for (size_t i = 0; i < sizeof q1 / sizeof q1[0]; i++) {
		if (al_parse_period(q1[i], today, 0, &p) != 0)
			fail_msg("%s refused", q1[i]);
		assert_int_equal(p.year, 2027);
		assert_int_equal(p.n, 1);
		assert_int_equal(p.from, day(2027, 1, 1));
		assert_int_equal(p.to, day(2027, 3, 31));
	}
	assert_int_equal(al_parse_period("Q4", today, 0, &p), 0);
	assert_int_equal(p.from, day(2027, 10, 1));
	assert_int_equal(p.to, day(2027, 12, 31));
	assert_int_equal(al_parse_period("2027-H2", today, 1, &p), 0);
	assert_int_equal(p.from, day(2027, 7, 1));
	assert_int_equal(p.to, day(2027, 12, 31));
	static const char *const bad[] = { "Q5 2027", "Q0", "2027", "H1 2027", "Q1 27", "x", "2027-Q12" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (al_parse_period(bad[i], today, 0, &p) == 0)
			fail_msg("%s accepted as a quarter", bad[i]);
	assert_int_equal(al_parse_period("Q1 2027", today, 1, &p), -1);
	assert_int_equal(al_parse_period("H3 2027", today, 1, &p), -1);
	al_period_of(day(2027, 5, 10), 0, &p);
	char key[8];
	al_period_key(&p, key);
	assert_string_equal(key, "2027Q2");
	al_period_of(day(2027, 5, 10), 1, &p);
	al_period_key(&p, key);
	assert_string_equal(key, "2027H1");
}

/* The pending generated reminders, "key>to_user@due" one per line. */
static char *pending(struct fx_cmds *f)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT source_key, kind, to_user, due_at FROM reminders"
			" WHERE state = 'pending' ORDER BY source_key", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(&sb, "%s %s>%s@%lld\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			sqlite3_column_text(st, 2), (long long)sqlite3_column_int64(st, 3));
	sqlite3_finalize(st);
	return sb_detach(&sb);
}

static int generate(struct fx_cmds *f, struct wt_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->db = f->db;
	ctx->net = &net_nl;
	ctx->now = f->now;
	ctx->lang = LANG_NL;
	ctx->out = &f->out;
	return actionline_reminder_generate(ctx);
}

static void test_reminders(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	struct wt_ctx ctx;
	assert_int_equal(generate(f, &ctx), 0);
	char *p = pending(f);
	/* Lead: two weeks before the end of Q1 and of Q2, 9:00 local. */
	char want[256];
	snprintf(want, sizeof want, "actionline:1:quarter:2027Q1:@daan:demo.test actionline.quarter>@daan:demo.test@%lld",
		 (long long)at(2027, 3, 17) - 3600);
	if (!strstr(p, want))
		fail_msg("missing %s in\n%s", want, p);
	assert_non_null(strstr(p, "actionline:1:quarter:2027Q2:@daan:demo.test"));
	/* The chair: the morning after each open deliverable's due day. */
	snprintf(want, sizeof want, "actionline:1:overdue:1:2027-03-01:@anna:demo.test actionline.overdue>@anna:demo.test@%lld",
		 (long long)at(2027, 3, 2) - 3600);
	if (!strstr(p, want))
		fail_msg("missing %s in\n%s", want, p);
	assert_null(strstr(p, ":late:"));
	free(p);
	/* Idempotent. */
	p = pending(f);
	assert_int_equal(generate(f, &ctx), 0);
	char *p2 = pending(f);
	assert_string_equal(p, p2);
	free(p);
	free(p2);

	/* Late: the chair gets a reminder; rendered with the reason. */
	assert_int_equal(run(f, LEAD, "!al status AL1 vertraagd wachten op de regio"), WT_OK);
	assert_int_equal(generate(f, &ctx), 0);
	p = pending(f);
	assert_non_null(strstr(p, ":late:"));
	free(p);
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(reminder_render(&ctx, "actionline.late", 1, &out), 0);
	assert_non_null(strstr(out.buf,
			       "AL1 — Samen leren in de regio** is vertraagd: wachten op de regio"));
	sb_reset(&out);
	assert_int_equal(reminder_render(&ctx, "actionline.quarter", 1, &out), 0);
	assert_non_null(strstr(out.buf, "Het kwartaal eindigt op 31 maart 2027"));
	assert_non_null(strstr(out.buf, "`!al update AL1 <tekst>`"));
	/* Not overdue yet: dropped; the day after: rendered. */
	sb_reset(&out);
	assert_int_equal(reminder_render(&ctx, "actionline.overdue", 1, &out), 1);
	ctx.now = at(2027, 3, 2);
	assert_int_equal(reminder_render(&ctx, "actionline.overdue", 1, &out), 0);
	assert_non_null(strstr(out.buf, "Resultaat 1 van **AL1"));
	sb_release(&out);

	/* Done deliverable and status no longer late: their reminders go. */
	assert_int_equal(run(f, LEAD, "!al resultaat AL1 klaar 1"), WT_OK);
	assert_int_equal(run(f, LEAD, "!al status AL1 op-schema"), WT_OK);
	struct strbuf o2 = STRBUF_INIT;
	assert_int_equal(reminder_render(&ctx, "actionline.late", 1, &o2), 1);
	assert_int_equal(generate(f, &ctx), 0);
	p = pending(f);
	assert_null(strstr(p, ":late:"));
	assert_null(strstr(p, "overdue:1:"));
	assert_non_null(strstr(p, "overdue:2:"));
	free(p);
	/* A line that is done has no reminders left. */
	assert_int_equal(run(f, LEAD, "!al status AL1 afgerond"), WT_OK);
	assert_int_equal(generate(f, &ctx), 0);
	p = pending(f);
	assert_string_equal(p, "");
	free(p);
	assert_int_equal(reminder_render(&ctx, "actionline.quarter", 1, &o2), 1);
	assert_int_equal(reminder_render(&ctx, "actionline.quarter", 99, &o2), 1);
	sb_release(&o2);
}

static void test_demo_seed(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(actionline_seed_demo(f->db, &net_nl, f->now), 0);
	assert_int_equal(fx_count(f->db, "action_lines"), 3);
	assert_int_equal(actionline_seed_demo(f->db, &net_nl, f->now), 1);
	assert_int_equal(fx_count(f->db, "action_lines"), 3);
	assert_int_equal(run(f, MEMBER, "!al"), WT_OK);
	HAS(f, "**AL3**");
	HAS(f, "🟠 **AL2**");
	assert_int_equal(run(f, MEMBER, "!al AL2"), WT_OK);
	HAS(f, "1 over tijd");
}

/* The parts of !al in tables: the secretary's parts refuse a member before
 * the line is read, the parts after the code run in either order, !hulp
 * lists each part with its role, and a misspelt part gets the closest. */
static void test_parts_table(void **state)
{
	struct fx_cmds *f = *state;
	make_line(f);
	refused(f, MEMBER, "!al wijzig AL99 titel Anders", WT_EPERM,
		"Dit mag alleen een secretaris (of hoger). Jouw rol: lid");
	refused(f, LEAD, "!al team AL1 weg @eva:demo.test", WT_EPERM, "secretaris");
	refused(f, LEAD, "!al nieuw", WT_EPERM, "secretaris");
	/* The part after the code, or the part first. */
	assert_int_equal(run(f, LEAD, "!al resultaat klaar AL1 1 2-3-2027"), WT_OK);
	HAS(f, "AL1");
	assert_int_equal(run(f, LEAD, "!al fase AL1 1 start 5-1-2027"), WT_OK);
	assert_int_equal(run(f, SECR, "!al team AL1 verwijder @gijs:demo.test"), WT_OK);
	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_false(al_has_person(&l, AL_MEMBER, "@gijs:demo.test"));
	assert_int_not_equal(l.delivs[0].done_on, 0);
	al_free(&l);
	/* Misspelt parts, at each level. */
	refused(f, LEAD, "!al resultaat AL1 klar 1", WT_EUSAGE,
		"\"klar\" is geen onderdeel van `!actielijn resultaat`. Bedoel je `klaar`?");
	refused(f, LEAD, "!al fase AL1 1 strat", WT_EUSAGE, "Bedoel je `start`?");
	refused(f, LEAD, "!al rapprt AL1", WT_EUSAGE, "Bedoel je `rapport`?");
	/* Help: every part with its role, and one level down. */
	assert_int_equal(run(f, MEMBER, "!hulp al"), WT_OK);
	HAS(f, "- `!al wijzig <code> titel|doel|budget|teamgrootte <waarde>` — secretaris");
	HAS(f, "- `!al update <code> <tekst>` — lid");
	assert_int_equal(run(f, MEMBER, "!hulp al resultaat"), WT_OK);
	HAS(f, "- `!al resultaat <code> verzet <nr> <datum>` — lid");
	assert_int_equal(fx_run(f, &net_en, MEMBER, "!help al team"), WT_OK);
	HAS(f, "- `!al team <code> remove @someone [...]` — secretary");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_list_and_new, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_new_refused, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_show_line, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_code_lists_codes, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_update, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_phases, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_deliverables_and_overdue, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_spending, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_team_and_edit, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_english, setup, fx_teardown),
		cmocka_unit_test(test_day_parser),
		cmocka_unit_test(test_period_parser),
		cmocka_unit_test_setup_teardown(test_reminders, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_demo_seed, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_parts_table, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
