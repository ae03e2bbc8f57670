/* !agenda through wt_dispatch: showing, proposing, accepting, deferring and
 * ordering, each refusal leaving the database unchanged, in both
 * languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/context.h"
#include "handlers/render.h"
#include "lib/strbuf.h"
#include "storage/agenda.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding", "Arbeidsmarkt" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 3, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 3, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define BOARD "@carla:demo.test"
#define MEMBER "@daan:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	for (int i = 0; i < 2; i++) {
		const char *net = i ? "demo-en" : "demo";
		roles_set(f->db, net, SECR, ROLE_SECRETARY, NULL, NOW);
		roles_set(f->db, net, BOARD, ROLE_BOARD, NULL, NOW);
	}
	*state = f;
	return 0;
}

/* a appears before b in the first reply. */
static void assert_before(struct fx_cmds *f, const char *a, const char *b)
{
	const char *r = fx_reply0(f), *pa = strstr(r, a), *pb = strstr(r, b);
	if (!pa || !pb || pa > pb)
		fail_msg("expected \"%s\" before \"%s\" in:\n%s", a, b, r);
}

static void item(struct fx_cmds *f, const char *network, long long sid, struct wt_agenda_item *it)
{
	assert_int_equal(agenda_by_short_id(f->db, network, sid, it), 1);
}

static long long meeting_row(struct fx_cmds *f, const char *network, long long sid)
{
	struct wt_meeting m;
	assert_int_equal(meeting_by_short_id(f->db, network, sid, &m), 1);
	long long id = m.id;
	meeting_free(&m);
	return id;
}

/* Two meetings in the Dutch network: 1 on 12 March, 2 on 12 May. */
static void two_meetings(struct fx_cmds *f)
{
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-05-2027 19:30");
}

static void test_propose_full(void **state)
{
	struct fx_cmds *f = *state;
	two_meetings(f);
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Gezamenlijke scholing\n"
	   "Thema: Opleiding\n  waarom : nieuwe collega's\nwat: een dag per jaar\nhoe: werkgroep");
	fx_reply_has(f, "punt #1");
	fx_reply_has(f, "**Gezamenlijke scholing**");
	fx_reply_has(f, "vergadering 1");
	fx_reply_has(f, "!agenda accepteer 1");
	struct wt_agenda_item it;
	item(f, "demo", 1, &it);
	assert_string_equal(it.title, "Gezamenlijke scholing");
	assert_string_equal(it.theme, "opleiding");   /* the configured spelling */
	assert_string_equal(it.why, "nieuwe collega's");
	assert_string_equal(it.what, "een dag per jaar");
	assert_string_equal(it.how, "werkgroep");
	assert_string_equal(it.proposer, MEMBER);
	assert_string_equal(it.event_id, "$ev1");
	assert_int_equal(it.state, AGENDA_PROPOSED);
	assert_int_equal(it.meeting_id, meeting_row(f, "demo", 1));
	agenda_item_free(&it);
	/* Board members propose too; no optional lines is fine. */
	fx_ok(f, &net_nl, BOARD, "!agenda voorstel Alleen een titel");
	item(f, "demo", 2, &it);
	assert_null(it.theme);
	assert_null(it.why);
	agenda_item_free(&it);
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "Nog geen geaccepteerde punten");
	fx_reply_has(f, "**Voorstellen**");
	fx_reply_has(f, "thema: opleiding");
	fx_reply_has(f, "waarom: nieuwe collega\\'s");
	fx_reply_has(f, "voorgesteld door [daan](https://matrix.to/#/@daan:demo.test)");
	assert_before(f, "Gezamenlijke scholing", "Alleen een titel");
}

static void test_propose_english(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	fx_ok(f, &net_en, MEMBER, "!agenda propose Night shift video calls\ntheme: arbeidsmarkt\nwhy: speed\nhow: a trial");
	fx_reply_has(f, "Proposal noted as item #1");
	fx_reply_has(f, "!agenda accept 1");
	struct wt_agenda_item it;
	item(f, "demo-en", 1, &it);
	assert_string_equal(it.theme, "Arbeidsmarkt");
	assert_string_equal(it.why, "speed");
	assert_null(it.what);
	assert_string_equal(it.how, "a trial");
	agenda_item_free(&it);
	fx_ok(f, &net_en, MEMBER, "!agenda");
	fx_reply_has(f, "**Agenda Round table** (meeting 1,");
	fx_reply_has(f, "No accepted items yet");
	fx_reply_has(f, "why: speed");
}

static void test_propose_without_meeting(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Wacht op vergadering");
	fx_reply_has(f, "nog geen vergadering gepland");
	struct wt_agenda_item it;
	item(f, "demo", 1, &it);
	assert_int_equal(it.meeting_id, 0);
	agenda_item_free(&it);
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "geen vergadering gepland");
	fx_reply_has(f, "Wacht op vergadering");
	fx_refused(f, &net_nl, SECR, "!agenda accepteer 1", WT_EUSAGE, "hoort nog bij geen vergadering");
	fx_refused(f, &net_nl, SECR, "!agenda uitstel 1", WT_EUSAGE, "hoort nog bij geen vergadering");
}

static void test_propose_refusals(void **state)
{
	struct fx_cmds *f = *state;
	two_meetings(f);
	fx_refused(f, &net_nl, MEMBER, "!agenda voorstel", WT_EUSAGE, "heeft een titel nodig");
	fx_refused(f, &net_nl, MEMBER, "!agenda voorstel Iets\nthema: zorgkosten", WT_EUSAGE,
		"kwaliteit, opleiding, Arbeidsmarkt");
	fx_reply_has(f, "zorgkosten");
	fx_refused(f, &net_en, MEMBER, "!agenda propose Something\ntheme: costs", WT_EUSAGE,
		"Unknown theme");
	fx_refused(f, &net_nl, MEMBER, "!agenda voorstel Iets\ntema: kwaliteit", WT_EUSAGE,
		"Deze regel begrijp ik niet");
	fx_refused(f, &net_nl, MEMBER, "!agenda voorstel Iets\nen nog wat tekst", WT_EUSAGE, NULL);
	struct strbuf body = STRBUF_INIT;
	sb_add(&body, "!agenda voorstel ");
	for (int i = 0; i <= WT_MAX_FIELD; i++)
		sb_addc(&body, 't');
	fx_refused(f, &net_nl, MEMBER, body.buf, WT_EUSAGE, "De titel is te lang (201 tekens; maximaal 200)");
	sb_reset(&body);
	sb_add(&body, "!agenda propose Short\nwhy: ");
	for (int i = 0; i <= 5 * WT_MAX_FIELD; i++)
		sb_addc(&body, 'w');
	fx_refused(f, &net_en, MEMBER, body.buf, WT_EUSAGE, "The why is too long (1001 characters; at most 1000)");
	sb_release(&body);
	fx_refused(f, &net_nl, MEMBER, "!agenda onzin", WT_EUSAGE, "onzin");
	fx_refused(f, &net_nl, MEMBER, "!agenda 99", WT_ENOTFOUND, "Vergadering 99 bestaat niet");
	/* Nothing was stored by any of these. */
	struct wt_agenda_item it;
	assert_int_equal(agenda_by_short_id(f->db, "demo", 1, &it), 0);
}

static void test_accept_and_order(void **state)
{
	struct fx_cmds *f = *state;
	two_meetings(f);
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Alfa");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Bravo");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Charlie");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Delta");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 2");
	fx_reply_has(f, "Punt #2 (**Bravo**) staat op de agenda van vergadering 1 als nummer 1");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_reply_has(f, "als nummer 2");
	fx_ok(f, &net_en, MEMBER, "!agenda");   /* other network: untouched */
	fx_ok(f, &net_nl, SECR, "!agenda accept 3");
	fx_reply_has(f, "als nummer 3");
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "1. **Bravo** (#2)");
	fx_reply_has(f, "2. **Alfa** (#1)");
	fx_reply_has(f, "3. **Charlie** (#3)");
	assert_before(f, "3. **Charlie**", "**Voorstellen**");
	assert_before(f, "**Voorstellen**", "Delta");
	fx_ok(f, &net_nl, MEMBER, "!vergadering");
	fx_reply_has(f, "Agenda: 3 punten, 1 voorstel.");

	fx_ok(f, &net_nl, SECR, "!agenda volgorde 3 1");
	fx_reply_has(f, "Punt #3 (**Charlie**) is nu nummer 1");
	fx_ok(f, &net_nl, MEMBER, "!agenda 1");
	fx_reply_has(f, "1. **Charlie** (#3)");
	fx_reply_has(f, "2. **Bravo** (#2)");
	fx_reply_has(f, "3. **Alfa** (#1)");
	fx_ok(f, &net_nl, SECR, "!agenda order 3 3");
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "1. **Bravo** (#2)");
	fx_reply_has(f, "2. **Alfa** (#1)");
	fx_reply_has(f, "3. **Charlie** (#3)");
	/* A newly accepted item goes to the end. */
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 4");
	fx_reply_has(f, "als nummer 4");

	fx_refused(f, &net_nl, SECR, "!agenda accepteer 4", WT_EUSAGE, "al geaccepteerd");
	fx_refused(f, &net_nl, MEMBER, "!agenda accepteer 1", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, BOARD, "!agenda volgorde 1 2", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!agenda accepteer", WT_EUSAGE, "!agenda accepteer <id>");
	fx_refused(f, &net_nl, SECR, "!agenda accepteer x1", WT_EUSAGE, "geen nummer");
	fx_refused(f, &net_nl, SECR, "!agenda accepteer 77", WT_ENOTFOUND, "Agendapunt #77 bestaat niet");
	fx_refused(f, &net_en, SECR, "!agenda accept 77", WT_ENOTFOUND, "There is no agenda item #77");
	fx_refused(f, &net_nl, SECR, "!agenda volgorde 1 9", WT_EUSAGE, "van 1 tot en met 4");
	fx_refused(f, &net_nl, SECR, "!agenda volgorde 1 0", WT_EUSAGE, NULL);
	fx_refused(f, &net_nl, SECR, "!agenda volgorde 1 eerst", WT_EUSAGE, "eerst");
	fx_refused(f, &net_nl, SECR, "!agenda volgorde 1", WT_EUSAGE, "!agenda volgorde <id> <positie>");
	fx_refused(f, &net_nl, SECR, "!agenda volgorde 1 2 3", WT_EUSAGE, NULL);
}

static void test_order_needs_accepted(void **state)
{
	struct fx_cmds *f = *state;
	two_meetings(f);
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Alfa");
	fx_refused(f, &net_nl, SECR, "!agenda volgorde 1 1", WT_EUSAGE, "nog niet geaccepteerd");
	fx_refused(f, &net_en, SECR, "!agenda order 1 1", WT_ENOTFOUND, NULL);   /* other network */
}

static void test_defer(void **state)
{
	struct fx_cmds *f = *state;
	two_meetings(f);
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Alfa\nthema: kwaliteit");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Bravo");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 2");
	fx_ok(f, &net_nl, SECR, "!agenda uitstel 1");
	fx_reply_has(f, "Punt #1 (**Alfa**) is uitgesteld naar vergadering 2");
	fx_reply_has(f, "(woensdag 12 mei om ");
	struct wt_agenda_item it;
	item(f, "demo", 1, &it);
	assert_int_equal(it.meeting_id, meeting_row(f, "demo", 2));
	assert_int_equal(it.state, AGENDA_DEFERRED);
	agenda_item_free(&it);
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "1. **Bravo** (#2)");
	assert_null(strstr(fx_reply0(f), "Alfa"));
	fx_ok(f, &net_nl, MEMBER, "!agenda 2");
	fx_reply_has(f, "**Voorstellen**");
	fx_reply_has(f, "status: uitgesteld");
	fx_reply_has(f, "Alfa");
	/* Deferred items wait to be accepted again on the later meeting. */
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_reply_has(f, "vergadering 2 als nummer 1");
	/* No meeting after meeting 2. */
	fx_refused(f, &net_nl, SECR, "!agenda uitstel 1", WT_EUSAGE, "Na vergadering 2 is nog geen vergadering gepland");
	fx_refused(f, &net_nl, MEMBER, "!agenda uitstel 2", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!agenda uitstel", WT_EUSAGE, "!agenda uitstel <id>");
	/* English, and past a cancelled meeting. */
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-04-12 19:30");
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-05-12 19:30");
	fx_ok(f, &net_en, MEMBER, "!agenda propose Echo");
	fx_ok(f, &net_en, SECR, "!meeting cancel 2");
	fx_ok(f, &net_en, SECR, "!agenda defer 1");
	fx_reply_has(f, "Item #1 (**Echo**) is deferred to meeting 3");
	fx_refused(f, &net_en, SECR, "!agenda defer 1 now", WT_EUSAGE, "now");
}

/* Ten or more items stay one numbered list with their details nested. */
static void test_long_agenda_is_one_list(void **state)
{
	struct fx_cmds *f = *state;
	two_meetings(f);
	char body[64];
	for (int i = 1; i <= 11; i++) {
		snprintf(body, sizeof body, "!agenda voorstel Punt %d\nthema: kwaliteit", i);
		fx_ok(f, &net_nl, MEMBER, body);
		snprintf(body, sizeof body, "!agenda accepteer %d", i);
		fx_ok(f, &net_nl, SECR, body);
	}
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	char *html = render_html(fx_reply0(f));
	const char *p = strstr(html, "<ol");
	assert_non_null(p);
	assert_null(strstr(p + 1, "<ol"));
	assert_null(strstr(html, "<ol start"));
	char *plain = render_plain(fx_reply0(f));
	assert_non_null(strstr(plain, "11. Punt 11 (#11)\n  - thema: kwaliteit"));
	free(html);
	free(plain);
}

static void test_escaping(void **state)
{
	struct fx_cmds *f = *state;
	two_meetings(f);
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel <b>vet</b> *x* @eva:demo.test\nwaarom: [klik](http://x) `code`");
	const char *r = fx_reply0(f);
	assert_null(strstr(r, "<b>"));
	assert_null(strstr(r, "*x*"));
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	r = fx_reply0(f);
	assert_null(strstr(r, "<b>"));
	assert_null(strstr(r, " @eva"));
	assert_null(strstr(r, "[klik]("));
	assert_null(strstr(r, "`code`"));
	assert_non_null(strstr(r, "\\<b\\>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_propose_full, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_propose_english, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_propose_without_meeting, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_propose_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_accept_and_order, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_order_needs_accepted, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_defer, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_long_agenda_is_one_list, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
