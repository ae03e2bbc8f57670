/* Bodies and proposals through wt_dispatch: `!orgaan` / `!body` (list,
 * show, new, room, member, advisory, remove, chair, secretary) with each
 * refusal; `!agenda` in a body's room showing that body's next meeting;
 * `!voorstel` from subteam through the action-line meeting to the board,
 * each step a decision in the register linked to the one before, with
 * every refusal of `besluit` and `doorsturen` and `!agenda doorsturen`;
 * body_board_room. Refusals leave the database as it was (fx_refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/config.h"
#include "bot/config_bodies.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/bodies.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC (13:00 in Amsterdam). */
#define NOW 1800014400

static char *rooms[] = { "subteam", "actielijnen", "bno", "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 4, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 4, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define CHAIR "@anna:demo.test"
#define MEMBER "@daan:demo.test"
#define ADVISOR "@vera:demo.test"
#define LEAD "@lotte:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	for (int i = 0; i < 2; i++) {
		const char *n = i ? "demo-en" : "demo";
		roles_set(f->db, n, SECR, ROLE_SECRETARY, NULL, NOW);
		roles_set(f->db, n, CHAIR, ROLE_CHAIR, NULL, NOW);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* Run body in room. */
static void in_room(struct fx_cmds *f, const char *room)
{
	f->room = room;
}

/* Three bodies of net, each with its room and a meeting planned there. */
static void three_bodies(struct fx_cmds *f, const struct wt_network *net)
{
	int en = net->lang == LANG_EN;
	in_room(f, "werktafel");
	fx_ok(f, net, SECR, en ? "!body new Deelteam subteam" : "!orgaan nieuw Deelteam subteam");
	fx_ok(f, net, SECR, en ? "!body new ALO actionlines" : "!orgaan nieuw ALO actielijnenoverleg");
	fx_ok(f, net, SECR, en ? "!body new BNO board" : "!orgaan nieuw BNO bestuur");
	const char *const rooms_of[3] = { "subteam", "actielijnen", "bno" };
	const char *const names[3] = { "Deelteam", "ALO", "BNO" };
	const char *const dates[3] = { "10-02-2027 14:00", "20-02-2027 14:00", "01-03-2027 14:00" };
	for (int i = 0; i < 3; i++) {
		char cmd[120];
		in_room(f, rooms_of[i]);
		snprintf(cmd, sizeof cmd, en ? "!body room %s" : "!orgaan kamer %s", names[i]);
		fx_ok(f, net, SECR, cmd);
		snprintf(cmd, sizeof cmd, en ? "!meeting plan %s title %s" : "!vergadering plan %s titel %s",
			 dates[i], names[i]);
		fx_ok(f, net, SECR, cmd);
	}
	fx_ok(f, net, SECR, en ? "!body member BNO @vera:demo.test advisory"
			       : "!orgaan lid BNO @vera:demo.test adviserend");
}

static void test_no_bodies(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!orgaan");
	fx_reply_has(f, "geen aparte organen");
	fx_ok(f, &net_en, MEMBER, "!body");
	fx_reply_has(f, "no separate bodies");
	char *room = (char *)"x";
	assert_int_equal(body_board_room(f->db, "demo", &room), 0);
	assert_null(room);
	/* a proposal needs a body's room */
	fx_refused(f, &net_nl, MEMBER, "!voorstel nieuw Iets", WT_EUSAGE, "hoort bij geen orgaan");
	fx_refused(f, &net_en, MEMBER, "!proposal new Something", WT_EUSAGE, "belongs to no body");
	fx_ok(f, &net_nl, MEMBER, "!voorstel");
	fx_reply_has(f, "nog geen voorstellen");
}

static void test_body_commands(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!orgaan nieuw BNO bestuur");
	fx_reply_has(f, "Orgaan **BNO** (bestuurlijk overleg) aangemaakt");
	fx_refused(f, &net_nl, SECR, "!orgaan nieuw bno werktafel", WT_EUSAGE, "al een orgaan dat **bno**");
	fx_refused(f, &net_nl, SECR, "!orgaan nieuw", WT_EUSAGE, "Noem het orgaan");
	fx_refused(f, &net_nl, SECR, "!orgaan nieuw Raad", WT_EUSAGE, "Die soort orgaan ken ik niet");
	fx_refused(f, &net_nl, SECR, "!orgaan nieuw Raad kerkenraad", WT_EUSAGE, "kerkenraad");
	fx_refused(f, &net_nl, SECR, "!orgaan nieuw Raad werktafel nu", WT_EUSAGE, "niets meer achter");
	fx_refused(f, &net_nl, SECR, "!orgaan nieuw Een-naam-die-veel-te-lang-is-voor-een-orgaan-echt werktafel",
		   WT_EUSAGE, "hoogstens 40 tekens");
	fx_refused(f, &net_nl, MEMBER, "!orgaan nieuw Raad werktafel", WT_EPERM, "secretaris");
	in_room(f, "bno");
	fx_ok(f, &net_nl, SECR, "!orgaan kamer BNO");
	fx_reply_has(f, "Deze kamer hoort nu bij **BNO**");
	fx_refused(f, &net_nl, SECR, "!orgaan kamer Raad", WT_ENOTFOUND, "De organen zijn: BNO");
	fx_ok(f, &net_nl, SECR, "!orgaan lid BNO @vera:demo.test adviserend");
	fx_reply_has(f, "adviserend lid van **BNO**");
	fx_ok(f, &net_nl, SECR, "!orgaan lid BNO @daan:demo.test");
	fx_reply_has(f, "is nu lid van **BNO**");
	fx_refused(f, &net_nl, SECR, "!orgaan lid BNO", WT_EUSAGE, "Noem de persoon");
	fx_refused(f, &net_nl, SECR, "!orgaan lid BNO @daan:demo.test altijd", WT_EUSAGE, "niets meer achter");
	fx_ok(f, &net_nl, SECR, "!orgaan voorzitter BNO @anna:demo.test");
	fx_reply_has(f, "voorzitter van **BNO**");
	fx_ok(f, &net_nl, SECR, "!orgaan secretaris BNO @bram:demo.test");
	fx_reply_has(f, "secretaris van **BNO**");
	fx_ok(f, &net_nl, MEMBER, "!orgaan BNO");
	fx_reply_has(f, "Kamers: `bno`");
	fx_reply_has(f, "(adviserend)");
	fx_reply_has(f, "Geen vergadering gepland");
	fx_ok(f, &net_nl, MEMBER, "!orgaan");
	fx_reply_has(f, "**Organen van het netwerk**");
	fx_refused(f, &net_nl, MEMBER, "!orgaan Raad", WT_ENOTFOUND, "Geen orgaan dat \"Raad\" heet");
	fx_ok(f, &net_nl, SECR, "!orgaan weg BNO @daan:demo.test");
	fx_reply_has(f, "geen lid meer van **BNO**");
	fx_refused(f, &net_nl, SECR, "!orgaan weg BNO @daan:demo.test", WT_ENOTFOUND, "is geen lid van");
	char *room = NULL;
	assert_int_equal(body_board_room(f->db, "demo", &room), 1);
	assert_string_equal(room, "bno");
	free(room);
	/* English */
	fx_ok(f, &net_en, SECR, "!body new Steering steering");
	fx_reply_has(f, "Body **Steering** (steering group) made");
	fx_refused(f, &net_en, SECR, "!body new X council", WT_EUSAGE, "I do not know that kind of body");
	fx_refused(f, &net_en, SECR, "!body room Nope", WT_ENOTFOUND, "No body called");
}

static void test_agenda_per_body(void **state)
{
	struct fx_cmds *f = *state;
	three_bodies(f, &net_nl);
	in_room(f, "bno");
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "Agenda BNO");
	in_room(f, "actielijnen");
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "Agenda ALO");
	/* a room of no body: the network's next meeting, as before */
	in_room(f, "werktafel");
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "Agenda Deelteam");
	/* meetings belong to the body of their room */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM meetings m JOIN bodies b"
				" ON b.id = m.body_id WHERE b.name = 'BNO'"), 1);
	/* an agenda item proposed in the board room goes to the board's meeting */
	in_room(f, "bno");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Regiobeeld bespreken");
	assert_int_equal(fx_int(f->db, "SELECT m.title = 'BNO' FROM agenda_items a"
				" JOIN meetings m ON m.id = a.meeting_id"
				" WHERE a.title = 'Regiobeeld bespreken'"), 1);
}

/* A body's meeting is announced in the body's rooms only, and its
 * invitations go to the body's people (advisory members too), once each. */
static void test_invitations_per_body(void **state)
{
	struct fx_cmds *f = *state;
	three_bodies(f, &net_nl);
	in_room(f, "bno");
	fx_ok(f, &net_nl, SECR, "!orgaan lid BNO " MEMBER);
	fx_ok(f, &net_nl, SECR, "!orgaan voorzitter BNO " CHAIR);
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Regiobeeld bespreken");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_ok(f, &net_nl, CHAIR, "!agenda vaststellen 3");
	size_t posts = 0, dms = 0;
	int to_member = 0, to_advisor = 0, to_chair = 0;
	for (size_t i = 0; i < f->out.n; i++) {
		const struct wt_reply *r = &f->out.v[i];
		if (r->room) {
			assert_string_equal(r->room, "bno");
			posts++;
		}
		if (r->to_user) {
			dms++;
			to_member += strcmp(r->to_user, MEMBER) == 0;
			to_advisor += strcmp(r->to_user, ADVISOR) == 0;
			to_chair += strcmp(r->to_user, CHAIR) == 0;
			assert_true(r->notify);
		}
	}
	assert_int_equal(posts, 1);
	assert_int_equal(to_member, 1);
	assert_int_equal(to_advisor, 1);
	assert_int_equal(to_chair, 1);
	assert_int_equal(dms, 3);  /* not the network's other role holders */
}

/* The call for agenda items in a body's room is for that body's next
 * meeting and goes to the body's rooms only. */
static void test_agenda_call_per_body(void **state)
{
	struct fx_cmds *f = *state;
	three_bodies(f, &net_nl);
	in_room(f, "actielijnen");
	fx_ok(f, &net_nl, SECR, "!agenda oproep");
	fx_reply_has(f, "vergadering 2");
	size_t posts = 0;
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].room) {
			assert_string_equal(f->out.v[i].room, "actielijnen");
			posts++;
		}
	assert_int_equal(posts, 1);
}

/* Open the meeting of the room's body (meeting id) as the secretary. */
static void start_meeting(struct fx_cmds *f, const struct wt_network *net, int id)
{
	char cmd[40];
	snprintf(cmd, sizeof cmd, net->lang == LANG_EN ? "!meeting start %d" : "!vergadering start %d", id);
	fx_ok(f, net, SECR, cmd);
}

static void end_meeting(struct fx_cmds *f, const struct wt_network *net)
{
	fx_ok(f, net, SECR, net->lang == LANG_EN ? "!meeting end" : "!vergadering einde");
}

static void test_proposal_path(void **state)
{
	struct fx_cmds *f = *state;
	three_bodies(f, &net_nl);
	in_room(f, "subteam");
	fx_refused(f, &net_nl, MEMBER, "!voorstel nieuw", WT_EUSAGE, "Geef het voorstel een titel");
	fx_ok(f, &net_nl, LEAD, "!voorstel nieuw Samen scholen in de regio");
	fx_reply_has(f, "Voorstel V1 van **Deelteam** gemaakt");
	fx_reply_has(f, "punt 1 op de agenda van vergadering 1");
	fx_refused(f, &net_nl, SECR, "!voorstel besluit 1 akkoord", WT_EUSAGE, "besluit in zijn vergadering");
	fx_refused(f, &net_nl, SECR, "!voorstel doorsturen 1 ALO", WT_EUSAGE, "nog niet besloten");
	start_meeting(f, &net_nl, 1);
	fx_refused(f, &net_nl, SECR, "!voorstel besluit 1", WT_EUSAGE, "`akkoord` of `afgewezen`");
	fx_refused(f, &net_nl, SECR, "!voorstel besluit 1 misschien", WT_EUSAGE, "`akkoord` of `afgewezen`");
	fx_refused(f, &net_nl, SECR, "!voorstel besluit 9 akkoord", WT_ENOTFOUND, "geen voorstel V9");
	fx_refused(f, &net_nl, SECR, "!voorstel besluit x akkoord", WT_EUSAGE, "Welk voorstel");
	fx_refused(f, &net_nl, MEMBER, "!voorstel besluit 1 akkoord", WT_EPERM, "voorzitter of secretaris van **Deelteam**");
	fx_ok(f, &net_nl, SECR, "!voorstel besluit V1 akkoord");
	fx_reply_has(f, "Besluit 1 vastgelegd: Voorstel V1 \\(Samen scholen in de regio\\) voorbereid door Deelteam\\.");
	fx_refused(f, &net_nl, SECR, "!voorstel besluit 1 akkoord", WT_EUSAGE, "alleen nog afwijzen");
	end_meeting(f, &net_nl);
	fx_refused(f, &net_nl, SECR, "!voorstel doorsturen 1 Deelteam", WT_EUSAGE, "ligt al bij **Deelteam**");
	fx_refused(f, &net_nl, SECR, "!voorstel doorsturen 1 Raad", WT_ENOTFOUND, "Geen orgaan dat");
	fx_refused(f, &net_nl, MEMBER, "!voorstel doorsturen 1 ALO", WT_EPERM, "secretaris");
	fx_ok(f, &net_nl, SECR, "!voorstel doorsturen 1 ALO");
	fx_reply_has(f, "op de agenda van **ALO**, vergadering 2");
	/* the action-line meeting approves */
	in_room(f, "actielijnen");
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "Voorstel V1\\: Samen scholen in de regio");
	start_meeting(f, &net_nl, 2);
	fx_ok(f, &net_nl, SECR, "!voorstel besluit 1 akkoord met een kanttekening");
	fx_reply_has(f, "goedgekeurd door ALO\\. Volgt op besluit 1\\. met een kanttekening");
	end_meeting(f, &net_nl);
	fx_refused(f, &net_nl, SECR, "!agenda doorsturen 1 BNO", WT_EUSAGE, "nog niet besproken");
	fx_ok(f, &net_nl, SECR, "!agenda doorsturen 2 BNO");
	fx_reply_has(f, "Punt 2 staat nu als punt 3 op de agenda van **BNO**");
	/* the board adopts; its advisory member records nothing */
	in_room(f, "bno");
	fx_refused(f, &net_nl, SECR, "!voorstel besluit 1 akkoord", WT_EUSAGE, "besluit in zijn vergadering");
	start_meeting(f, &net_nl, 3);
	fx_refused(f, &net_nl, ADVISOR, "!voorstel besluit 1 akkoord", WT_EPERM, "adviserend lid van **BNO**");
	fx_ok(f, &net_nl, CHAIR, "!voorstel besluit 1 akkoord");
	fx_reply_has(f, "Besluit 3 vastgelegd: Voorstel V1 \\(Samen scholen in de regio\\) vastgesteld door BNO\\. Volgt op besluit 2\\.");
	fx_refused(f, &net_nl, SECR, "!voorstel besluit 1 afgewezen", WT_EUSAGE, "al vastgesteld");
	end_meeting(f, &net_nl);
	fx_refused(f, &net_nl, SECR, "!voorstel doorsturen 1 ALO", WT_EUSAGE, "al vastgesteld");
	fx_ok(f, &net_nl, MEMBER, "!voorstel 1");
	fx_reply_has(f, "Stand: vastgesteld, nu bij **BNO**");
	fx_reply_has(f, "1. voorbereid door **Deelteam** in vergadering 1");
	fx_reply_has(f, "2. goedgekeurd door **ALO** in vergadering 2");
	fx_reply_has(f, "3. vastgesteld door **BNO** in vergadering 3");
	fx_ok(f, &net_nl, MEMBER, "!voorstel");
	fx_reply_has(f, "V1 Samen scholen in de regio — vastgesteld, bij BNO");
	fx_refused(f, &net_nl, MEMBER, "!voorstel 7", WT_ENOTFOUND, "geen voorstel V7");
	/* the register: three decisions, each in its body's meeting, linked */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items l JOIN meetings m"
				" ON m.id = l.meeting_id WHERE l.kind = 'decision'"), 3);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM proposal_steps s"
				" JOIN proposal_steps p ON p.id = s.prev_step"), 2);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM proposal_steps s JOIN meetings m"
				" ON m.id = s.meeting_id WHERE m.body_id = s.body_id"), 3);
	fx_ok(f, &net_nl, MEMBER, "!besluiten");
	fx_reply_has(f, "vastgesteld door BNO");
}

static void test_proposal_en_rejected(void **state)
{
	struct fx_cmds *f = *state;
	three_bodies(f, &net_en);
	in_room(f, "subteam");
	fx_ok(f, &net_en, LEAD, "!proposal new Shared training");
	fx_reply_has(f, "Proposal V1 of **Deelteam** made");
	start_meeting(f, &net_en, 1);
	fx_ok(f, &net_en, SECR, "!proposal decide 1 agreed");
	fx_reply_has(f, "prepared by Deelteam");
	end_meeting(f, &net_en);
	fx_refused(f, &net_en, SECR, "!proposal forward 1 BNO extra", WT_EUSAGE, "Nothing more belongs here");
	fx_ok(f, &net_en, SECR, "!proposal forward 1 BNO");
	in_room(f, "actielijnen");
	start_meeting(f, &net_en, 2);
	fx_refused(f, &net_en, SECR, "!proposal decide 1 agreed", WT_EUSAGE, "is with **BNO**, not **ALO**");
	end_meeting(f, &net_en);
	in_room(f, "bno");
	start_meeting(f, &net_en, 3);
	fx_refused(f, &net_en, ADVISOR, "!proposal decide 1 rejected", WT_EPERM, "advisory member of **BNO**");
	fx_ok(f, &net_en, SECR, "!proposal decide 1 rejected");
	fx_reply_has(f, "rejected by BNO\\. Follows decision 1\\.");
	end_meeting(f, &net_en);
	fx_ok(f, &net_en, MEMBER, "!proposal 1");
	fx_reply_has(f, "Stage: rejected");
	/* no meeting planned for the target */
	in_room(f, "subteam");
	fx_ok(f, &net_en, LEAD, "!proposal new Second one");
	fx_reply_has(f, "has no meeting planned yet");
}

/* A meeting-mode message (#besluit ...) as the Matrix client hands it
 * over, in its own transaction; returns the code. */
static int tag_msg(struct fx_cmds *f, const struct wt_network *net, const char *sender,
		   const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = net, .sender = sender, .room = f->room, .event_id = "$t1",
		.now = f->now, .lang = net->lang, .admins = admins, .out = &f->out,
	};
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_dispatch_message(&ctx, body);
	if (rc < 0)
		assert_int_equal(db_rollback(f->db), 0);
	else
		assert_int_equal(db_commit(f->db), 0);
	return rc;
}

/* In meeting mode an advisory member logs no decision either (here every
 * member may log: log_anyone), though an ordinary member may. */
static void test_advisory_meeting_mode(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_network net_any = net_nl;
	net_any.log_anyone = 1;
	three_bodies(f, &net_any);
	in_room(f, "bno");
	start_meeting(f, &net_any, 3);
	assert_int_equal(tag_msg(f, &net_any, ADVISOR, "#besluit Wij gaan door"), WT_EPERM);
	assert_int_equal(f->out.n, 1);
	assert_non_null(strstr(f->out.v[0].markdown, "adviserend lid van **BNO**"));
	fx_refused(f, &net_any, ADVISOR, "!besluit Wij gaan door", WT_EPERM, "adviserend lid van **BNO**");
	assert_int_equal(fx_count(f->db, "logged_items"), 0);
	assert_int_equal(tag_msg(f, &net_any, MEMBER, "#besluit Wij gaan door"), WT_OK);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items WHERE kind = 'decision'"), 1);
	assert_int_equal(tag_msg(f, &net_any, ADVISOR, "#info Advies van de verzekeraar volgt"), WT_OK);
}

/* Advice to the board: on its agenda when delivered, its decision in the
 * register linked to the request, told to the requester and the room. */
static void test_advice_to_board(void **state)
{
	struct fx_cmds *f = *state;
	roles_set(f->db, "demo", "@carla:demo.test", ROLE_BOARD, NULL, NOW);
	roles_set(f->db, "demo", "@cees:demo.test", ROLE_BOARD, NULL, NOW);
	three_bodies(f, &net_nl);
	in_room(f, "werktafel");
	fx_ok(f, &net_nl, MEMBER, "!expertise Dementie");
	fx_ok(f, &net_nl, "@carla:demo.test",
	      "!advies nieuw Expertteam dementie\ngevraagd door: @carla:demo.test");
	fx_ok(f, &net_nl, CHAIR, "!advies accepteer A1");
	fx_ok(f, &net_nl, CHAIR, "!advies wijs toe A1 @daan:demo.test");
	fx_ok(f, &net_nl, MEMBER, "!advies concept A1 Wij adviseren een regionaal expertteam.");
	fx_ok(f, &net_nl, CHAIR, "!advies uitbrengen A1");
	fx_reply_has(f, "Op de agenda van **BNO**: punt 1 van vergadering 3");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM agenda_items a JOIN meetings m"
				" ON m.id = a.meeting_id WHERE m.title = 'BNO'"
				" AND a.title = 'Advies A1: Expertteam dementie'"), 1);
	in_room(f, "bno");
	start_meeting(f, &net_nl, 3);
	fx_ok(f, &net_nl, "@cees:demo.test", "!advies besluit A1 overgenomen Start in april.");
	int reg = -1, dm = -1, room = -1;
	for (size_t i = 0; i < f->out.n; i++) {
		const struct wt_reply *r = &f->out.v[i];
		if (strstr(r->markdown, "besluit 1 in het register"))
			reg = (int)i;
		if (r->to_user && strcmp(r->to_user, "@carla:demo.test") == 0)
			dm = (int)i;
		if (r->room && strcmp(r->room, "werktafel") == 0)
			room = (int)i;
	}
	assert_true(reg >= 0);
	assert_true(dm >= 0);
	assert_true(f->out.v[dm].notify);
	assert_true(strstr(f->out.v[dm].markdown, "**BNO** heeft besloten over advies **A1**") != NULL);
	assert_true(room >= 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items l JOIN meetings m"
				" ON m.id = l.meeting_id WHERE l.kind = 'decision' AND l.advice = 1"
				" AND m.title = 'BNO'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items l JOIN agenda_items a"
				" ON a.id = l.agenda_item_id WHERE l.advice = 1"
				" AND a.title = 'Advies A1: Expertteam dementie'"), 1);
	fx_ok(f, &net_nl, MEMBER, "!besluiten A1");
	fx_reply_has(f, "overgenomen door BNO");
}

/* Without a board body advice works as before: nothing on an agenda,
 * nothing more in the register. */
static void test_advice_without_board(void **state)
{
	struct fx_cmds *f = *state;
	roles_set(f->db, "demo", "@carla:demo.test", ROLE_BOARD, NULL, NOW);
	fx_ok(f, &net_nl, MEMBER, "!expertise Dementie");
	fx_ok(f, &net_nl, "@carla:demo.test", "!advies nieuw Expertteam dementie");
	fx_ok(f, &net_nl, CHAIR, "!advies accepteer A1");
	fx_ok(f, &net_nl, CHAIR, "!advies wijs toe A1 @daan:demo.test");
	fx_ok(f, &net_nl, MEMBER, "!advies concept A1 Wij adviseren een regionaal expertteam.");
	fx_ok(f, &net_nl, CHAIR, "!advies uitbrengen A1");
	assert_null(strstr(fx_reply0(f), "Op de agenda van"));
	fx_ok(f, &net_nl, "@carla:demo.test", "!advies besluit A1 overgenomen Start in april.");
	assert_int_equal(fx_count(f->db, "agenda_items"), 0);
	assert_int_equal(fx_count(f->db, "logged_items"), 0);
}

/* Write text to a new temporary file; its path (caller frees). */
static char *temp_ini(const char *text)
{
	char *path = xstrdup("/tmp/wt-bodies-XXXXXX.ini");
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

/* [body.NAME] sections: written to the database at start, again without
 * doubling, and what a command added stays. */
static void test_config_bodies(void **state)
{
	struct fx_cmds *f = *state;
	char *path = temp_ini("[network.demo]\nrooms = subteam, actielijnen, bno\n\n"
			      "[body.BNO]\nnetwork = demo\nkind = board\nrooms = bno\n"
			      "chair = @anna:demo.test\nsecretary = @bram:demo.test\n"
			      "members = @carla:demo.test\nadvisory = @vera:demo.test\n\n"
			      "[body.AL1-team]\nnetwork = demo\nkind = subteam\nrooms = subteam\n"
			      "\n[body.Stuurgroep]\nnetwork = demo\nkind = stuurgroep\n"
			      "decides_advice = yes\n");
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(config_load(path, &cfg, &err), 0);
	assert_int_equal(cfg.nbodies, 3);
	assert_int_equal(config_bodies_apply(f->db, &cfg, NOW), 0);
	in_room(f, "bno");
	fx_ok(f, &net_nl, MEMBER, "!orgaan BNO");
	fx_reply_has(f, "Kamers: `bno`");
	fx_reply_has(f, "(adviserend)");
	fx_ok(f, &net_nl, SECR, "!orgaan lid BNO @daan:demo.test");
	assert_int_equal(config_bodies_apply(f->db, &cfg, NOW), 0);
	assert_int_equal(fx_count(f->db, "bodies"), 3);
	struct wt_body adv;
	assert_int_equal(body_for_advice(f->db, "demo", &adv), 1);
	assert_string_equal(adv.name, "Stuurgroep");
	body_free(&adv);
	assert_int_equal(fx_count(f->db, "body_members"), 3);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM bodies WHERE name = 'BNO'"
				" AND kind = 'board' AND chair = '@anna:demo.test'"), 1);
	char *room = NULL;
	assert_int_equal(body_board_room(f->db, "demo", &room), 1);
	assert_string_equal(room, "bno");
	free(room);
	config_free(&cfg);
	unlink(path);
	free(path);
	sb_release(&err);
}

/* Each wrong [body.NAME] is reported with its line. */
static void test_config_bodies_wrong(void **state)
{
	(void)state;
	char *path = temp_ini("[network.demo]\nrooms = subteam, bno\n\n"
			      "[body.BNO]\nkind = bestuur\nchair = anna\n\n"
			      "[body.X]\nnetwork = nope\n\n"
			      "[body.Y]\nnetwork = demo\nkind = subteam\nrooms = bno, elders\n\n"
			      "[body.Z]\nnetwork = demo\nkind = board\nrooms = bno\n\n"
			      "[body.bno]\n[bodies.Q]\n"
			      "[body.A1]\nnetwork = demo\nkind = board\ndecides_advice = yes\n"
			      "[body.A2]\nnetwork = demo\nkind = board\ndecides_advice = ja\n"
			      "[body.A3]\nnetwork = demo\nkind = board\ndecides_advice = yes\n");
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(config_load(path, &cfg, &err), -1);
	const char *const want[] = {
		":4: [body.BNO] has no network",
		":5: kind: \"bestuur\" is no kind of body",
		":6: chair: \"anna\" is not a Matrix user id",
		":8: [body.X]: network \"nope\" has no [network.nope] section",
		":8: [body.X] has no kind",
		":11: [body.Y] rooms: \"elders\" is not a room of network demo",
		":16: [body.Z] rooms: \"bno\" already belongs to body Y",
		":21: section [body.bno] appears twice",
		":22: unknown section [bodies.Q]; did you mean [body.Q]?",
		":30: decides_advice: \"ja\"; write yes or no",
		":31: [body.A3] decides_advice: body A1 of network demo does already",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(err.buf, want[i]))
			fail_msg("lacks %s in:\n%s", want[i], err.buf);
	assert_null(strstr(err.buf, "[body.BNO] has no kind"));
	unlink(path);
	free(path);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_bodies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda_per_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invitations_per_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda_call_per_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proposal_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proposal_en_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advisory_meeting_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advice_to_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_bodies, setup, teardown),
		cmocka_unit_test(test_config_bodies_wrong),
		cmocka_unit_test_setup_teardown(test_advice_without_board, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
