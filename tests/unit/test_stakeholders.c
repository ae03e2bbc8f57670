/* The stakeholder register (issue 19, item 4): each sub-command's success
 * and refusal through wt_dispatch (a refusal changes nothing), in both
 * languages, the links to action lines and agenda items, and a stakeholder
 * as the requester of advice, shown in !advies, !al <code> and the line's
 * report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "lib/tz.h"
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
#define BOARD "@carla:demo.test"
#define MEMBER "@eva:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	f->event_id = "$ev";
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, 0);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, 0);
	roles_set(f->db, "demo", BOARD, ROLE_BOARD, NULL, 0);
	struct tz_local lt = { .year = 2027, .mon = 2, .day = 15, .hour = 10 };
	assert_int_equal(tz_to_utc("Europe/Amsterdam", &lt, &f->now), TZ_OK);
	fx_ok(f, &net_nl, SECR, "!al nieuw Samen leren");
	*state = f;
	return 0;
}

static void test_empty_and_new(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!belanghebbenden");
	fx_reply_has(f, "Er zijn nog geen belanghebbenden");
	fx_ok(f, &net_nl, SECR, "!belanghebbenden nieuw Huisartsenpraktijk De Linde\nsoort: huisarts\n"
	      "contact: praktijkmanager\nbetrokkenheid: betrekken\nactielijnen: AL1");
	fx_reply_has(f, "Toegevoegd aan het register: **BH1** Huisartsenpraktijk De Linde (huisarts, betrekken)");
	assert_int_equal(fx_count(f->db, "stakeholder_links"), 1);
	fx_ok(f, &net_en, SECR, "!stakeholders new Regional care office\nkind: care office");
	fx_reply_has(f, "Added to the register: **SH2** Regional care office (care office, inform)");
	fx_ok(f, &net_nl, MEMBER, "!belanghebbenden");
	fx_reply_has(f, "**Belanghebbenden** (2)");
	fx_reply_has(f, "betrokken bij AL1");
	fx_ok(f, &net_nl, MEMBER, "!belanghebbenden BH1");
	fx_reply_has(f, "Contact: praktijkmanager");
	fx_ok(f, &net_en, MEMBER, "!stakeholders SH2");
	fx_reply_has(f, "not involved in anything yet");
}

static void test_new_refused(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!belanghebbenden nieuw Iets", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!belanghebbenden nieuw", WT_EUSAGE, "De naam ontbreekt");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden nieuw X\nbetrokkenheid: misschien", WT_EUSAGE,
		   "Betrokkenheid is `betrekken` of `informeren`, niet misschien");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden nieuw X\nactielijnen: AL9", WT_ENOTFOUND,
		   "Er is geen actielijn AL9");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden nieuw X\nsoort:", WT_EUSAGE, NULL);
	fx_refused(f, &net_en, SECR, "!stakeholders new X\nengagement: maybe", WT_EUSAGE,
		   "Engagement is `involve` or `inform`, not maybe");
	fx_refused(f, &net_nl, MEMBER, "!belanghebbenden BH9", WT_ENOTFOUND, "Er is geen belanghebbende BH9");
	fx_refused(f, &net_nl, MEMBER, "!belanghebbenden BH1 meer", WT_EUSAGE, NULL);
	fx_refused(f, &net_nl, MEMBER, "!belanghebbenden onzin", WT_EUSAGE, NULL);
}

static void test_edit_link_remove(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!belanghebbenden nieuw Ziekenhuis Oost\nsoort: ziekenhuis");
	fx_ok(f, &net_nl, SECR, "!belanghebbenden wijzig BH1 betrokkenheid betrekken");
	fx_reply_has(f, "Bijgewerkt: **BH1** Ziekenhuis Oost (ziekenhuis, betrekken)");
	fx_ok(f, &net_nl, SECR, "!belanghebbenden wijzig BH1 contact afdeling transmurale zorg");
	fx_ok(f, &net_nl, SECR, "!belanghebbenden wijzig BH1 soort");
	fx_reply_has(f, "Ziekenhuis Oost (betrekken)");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden wijzig BH1 kleur rood", WT_EUSAGE, "Onbekend veld: kleur");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden wijzig BH1 naam", WT_EUSAGE, "De naam ontbreekt");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden wijzig BH1 betrokkenheid soms", WT_EUSAGE, NULL);
	fx_refused(f, &net_nl, SECR, "!belanghebbenden wijzig", WT_EUSAGE, "Welke belanghebbende?");
	fx_ok(f, &net_nl, SECR, "!belanghebbenden koppel BH1 AL1");
	fx_reply_has(f, "BH1 is nu betrokken bij AL1.");
	fx_ok(f, &net_nl, SECR, "!belanghebbenden koppel BH1 AL1");  /* twice: no second link */
	assert_int_equal(fx_count(f->db, "stakeholder_links"), 1);
	fx_refused(f, &net_nl, SECR, "!belanghebbenden koppel BH1 #5", WT_ENOTFOUND, "Er is geen agendapunt \\#5");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden koppel BH1 iets", WT_EUSAGE,
		   "is geen actielijn (`AL1`) of agendapunt (`#12`)");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden koppel BH1", WT_EUSAGE, "Noem minstens");
	fx_refused(f, &net_nl, MEMBER, "!belanghebbenden koppel BH1 AL1", WT_EPERM, NULL);
	fx_ok(f, &net_nl, MEMBER, "!al AL1");
	fx_reply_has(f, "Belanghebbenden: **BH1** Ziekenhuis Oost (betrekken)");
	fx_ok(f, &net_nl, SECR, "!belanghebbenden ontkoppel BH1 AL1");
	fx_reply_has(f, "BH1 is niet meer betrokken bij AL1.");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden ontkoppel BH1 AL1", WT_EUSAGE,
		   "niet betrokken bij AL1; er is niets veranderd");
	fx_refused(f, &net_nl, SECR, "!belanghebbenden weg BH1 nu", WT_EUSAGE, NULL);
	fx_ok(f, &net_en, SECR, "!stakeholders remove SH1");
	fx_reply_has(f, "Removed from the register: **SH1** Ziekenhuis Oost");
	assert_int_equal(fx_count(f->db, "stakeholders"), 0);
}

static void test_advice_requester(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!belanghebbenden nieuw Huisartsenpraktijk De Linde\nsoort: huisarts\n"
	      "actielijnen: AL1");
	fx_ok(f, &net_nl, SECR, "!advies nieuw Inzet praktijkondersteuner\ngevraagd door: BH1");
	fx_reply_has(f, "Gevraagd advies, aangevraagd door **BH1** Huisartsenpraktijk De Linde");
	assert_int_equal(fx_int(f->db, "SELECT requester_stakeholder FROM advice_requests"),
			 fx_int(f->db, "SELECT id FROM stakeholders"));
	fx_ok(f, &net_nl, MEMBER, "!advies");
	fx_reply_has(f, "gevraagd door **BH1**");
	fx_ok(f, &net_nl, MEMBER, "!advies A1");
	fx_reply_has(f, "aangevraagd door **BH1** Huisartsenpraktijk De Linde (huisarts, informeren), ingediend door");
	fx_ok(f, &net_nl, MEMBER, "!belanghebbenden BH1");
	fx_reply_has(f, "Vroeg advies: A1");
	fx_refused(f, &net_nl, MEMBER, "!advies nieuw Iets\ngevraagd door: BH1", WT_EPERM,
		   "Een belanghebbende als aanvrager noteert de secretaris of de voorzitter");
	fx_refused(f, &net_nl, BOARD, "!advies nieuw Iets\ngevraagd door: BH1", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!advies nieuw Iets\ngevraagd door: BH7", WT_ENOTFOUND,
		   "Er is geen belanghebbende BH7");
	fx_ok(f, &net_en, SECR, "!advice new Second\nrequested by: SH1");
	fx_reply_has(f, "asked for by **SH1**");
	/* The line's report names its stakeholders. */
	fx_ok(f, &net_nl, MEMBER, "!al rapport AL1");
	fx_reply_has(f, "Belanghebbenden: **BH1** Huisartsenpraktijk De Linde");
	/* Gone from the register: the requests stay, without it. */
	fx_ok(f, &net_nl, SECR, "!belanghebbenden weg BH1");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM advice_requests"
			 " WHERE requester_stakeholder IS NOT NULL"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_and_new, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_new_refused, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_edit_link_remove, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_advice_requester, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
