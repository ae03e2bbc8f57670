/* !agenda oproep, weiger, trek in, wijzig (issue 18, items 1 and 2): the
 * call posted in the network's rooms with its members mentioned, the
 * chair's agenda_call reminder, the proposer told by direct message, the
 * nudge for missing fields and the hint for fields on the title's line;
 * each refusal leaving the database unchanged, in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/context.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "storage/agenda.h"
#include "storage/agenda_final.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "storage/rooms.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_offset offsets[] = { { "agenda_call", 21 * 86400 }, { "agenda_final", 10 * 86400 } };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes,
	.nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = offsets, .noffsets = 2,
	.advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1,
	.lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define CHAIR "@anna:demo.test"
#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"
#define OTHER "@eva:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	for (int i = 0; i < 2; i++) {
		const char *net = i ? "demo-en" : "demo";
		roles_set(f->db, net, CHAIR, ROLE_CHAIR, NULL, NOW);
		roles_set(f->db, net, SECR, ROLE_SECRETARY, NULL, NOW);
	}
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	fx_ok(f, &net_en, SECR, "!meeting plan 12-03-2027 19:30");
	*state = f;
	return 0;
}

static void item(struct fx_cmds *f, const char *network, long long sid, struct wt_agenda_item *it)
{
	assert_int_equal(agenda_by_short_id(f->db, network, sid, it), 1);
}

/* The reply that goes to user by direct message, or NULL. */
static const struct wt_reply *dm_to(struct fx_cmds *f, const char *user)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].to_user && strcmp(f->out.v[i].to_user, user) == 0)
			return &f->out.v[i];
	return NULL;
}

static int mentions(const struct wt_reply *r, const char *user)
{
	for (size_t i = 0; i < r->nmentions; i++)
		if (strcmp(r->mentions[i], user) == 0)
			return 1;
	return 0;
}

/* The proposer's direct message: to them, notifying, mentioning them,
 * no Matrix reply (it goes to another room), containing needle. */
static void assert_dm(struct fx_cmds *f, const char *user, const char *needle)
{
	const struct wt_reply *r = dm_to(f, user);
	if (!r)
		fail_msg("no direct message to %s", user);
	assert_int_equal(r->notify, 1);
	assert_true(mentions(r, user));
	assert_null(r->in_reply_to);
	if (!strstr(r->markdown, needle))
		fail_msg("direct message lacks \"%s\":\n%s", needle, r->markdown);
}

static long long meeting_row(struct fx_cmds *f, const char *network, long long sid)
{
	struct wt_meeting m;
	assert_int_equal(meeting_by_short_id(f->db, network, sid, &m), 1);
	long long id = m.id;
	meeting_free(&m);
	return id;
}

static void test_reject(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Zorgkosten van één instelling");
	fx_ok(f, &net_nl, SECR, "!agenda weiger 1 Dit speelt op instellingsniveau");
	fx_reply_has(f, "Punt #1 (**Zorgkosten van één instelling**) is geweigerd. De reden: "
		     "Dit speelt op instellingsniveau");
	fx_reply_has(f, "krijgt hiervan een persoonlijk bericht");
	assert_dm(f, MEMBER, "Je agendapunt #1 **Zorgkosten van één instelling** is geweigerd door");
	assert_dm(f, MEMBER, "De reden: Dit speelt op instellingsniveau");
	struct wt_agenda_item it;
	item(f, "demo", 1, &it);
	assert_int_equal(it.state, AGENDA_REFUSED);
	assert_string_equal(it.refusal, "Dit speelt op instellingsniveau");
	agenda_item_free(&it);
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	assert_null(strstr(fx_reply0(f), "Zorgkosten"));
	/* Refusals: role, reason, id, state. */
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Tweede");
	fx_refused(f, &net_nl, MEMBER, "!agenda weiger 2 nee", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!agenda weiger 2", WT_EUSAGE, "Geef een reden");
	fx_refused(f, &net_nl, SECR, "!agenda weiger", WT_EUSAGE, "Welk agendapunt?");
	fx_refused(f, &net_nl, SECR, "!agenda weiger 77 nee", WT_ENOTFOUND, "Agendapunt #77 bestaat niet");
	fx_refused(f, &net_nl, SECR, "!agenda weiger 1 nog eens", WT_EUSAGE, "Punt #1 is geweigerd");
	assert_int_equal(agenda_set_final(f->db, meeting_row(f, "demo", 1), NOW), 0);
	fx_refused(f, &net_nl, SECR, "!agenda weiger 2 te laat", WT_EUSAGE, "is vastgesteld");
	/* English; the secretary's own proposal: nobody else to tell. */
	fx_ok(f, &net_en, SECR, "!agenda propose Own idea");
	fx_ok(f, &net_en, SECR, "!agenda reject #1 out of scope");
	fx_reply_has(f, "Item #1 (**Own idea**) is refused. The reason: out of scope");
	assert_null(dm_to(f, SECR));
	assert_int_equal(f->out.n, 1);
	fx_refused(f, &net_en, SECR, "!agenda reject 1 again", WT_EUSAGE, "Item #1 is refused");
}

static void test_withdraw(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Eigen punt");
	fx_refused(f, &net_nl, OTHER, "!agenda trek in 1", WT_EPERM,
		   "alleen de indiener of de secretaris kan het intrekken");
	fx_ok(f, &net_nl, MEMBER, "!agenda trek in 1");
	fx_reply_has(f, "Punt #1 (**Eigen punt**) is ingetrokken.");
	assert_int_equal(f->out.n, 1);  /* their own: no message to them */
	struct wt_agenda_item it;
	item(f, "demo", 1, &it);
	assert_int_equal(it.state, AGENDA_WITHDRAWN);
	assert_null(it.refusal);
	agenda_item_free(&it);
	fx_refused(f, &net_nl, MEMBER, "!agenda intrekken 1", WT_EUSAGE, "Punt #1 is ingetrokken");
	/* The secretary may, and the proposer hears of it. */
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Tweede punt");
	fx_refused(f, &net_nl, MEMBER, "!agenda trek in 2 nu", WT_EUSAGE, "nu");
	fx_ok(f, &net_nl, SECR, "!agenda intrekken 2");
	assert_dm(f, MEMBER, "Je agendapunt #2 **Tweede punt** is ingetrokken door");
	/* Not once the agenda is final. */
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Derde punt");
	assert_int_equal(agenda_set_final(f->db, meeting_row(f, "demo", 1), NOW), 0);
	fx_refused(f, &net_nl, MEMBER, "!agenda trek in 3", WT_EUSAGE,
		   "De agenda van vergadering 1 is vastgesteld");
	fx_refused(f, &net_nl, SECR, "!agenda trek in 3", WT_EUSAGE, "kan niet meer veranderen");
	/* English. */
	fx_ok(f, &net_en, MEMBER, "!agenda propose Mine");
	fx_refused(f, &net_en, OTHER, "!agenda withdraw 1", WT_EPERM,
		   "only the proposer or the secretary can withdraw it");
	fx_ok(f, &net_en, MEMBER, "!agenda withdraw 1");
	fx_reply_has(f, "Item #1 (**Mine**) is withdrawn.");
}

static void test_edit(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Scholing");
	fx_ok(f, &net_nl, MEMBER, "!agenda wijzig 1\nwaarom: nieuwe collega's\nthema: OPLEIDING");
	fx_reply_has(f, "Punt #1 (**Scholing**) is gewijzigd: thema en waarom.");
	fx_reply_has(f, "Nog niet ingevuld: wat en hoe.");
	struct wt_agenda_item it;
	item(f, "demo", 1, &it);
	assert_string_equal(it.theme, "opleiding");
	assert_string_equal(it.why, "nieuwe collega's");
	assert_null(it.what);
	agenda_item_free(&it);
	/* A new title on the first line, and a field right after the id. */
	fx_ok(f, &net_nl, SECR, "!agenda wijzig #1 Gezamenlijke scholing\nwat: een dag per jaar");
	fx_reply_has(f, "is gewijzigd: titel en wat.");
	fx_ok(f, &net_nl, MEMBER, "!agenda wijzig 1 hoe: werkgroep");
	fx_reply_has(f, "gewijzigd: hoe.");
	assert_null(strstr(fx_reply0(f), "Nog niet ingevuld"));
	item(f, "demo", 1, &it);
	assert_string_equal(it.title, "Gezamenlijke scholing");
	assert_string_equal(it.how, "werkgroep");
	assert_string_equal(it.why, "nieuwe collega's");
	agenda_item_free(&it);
	/* Refusals. */
	fx_refused(f, &net_nl, OTHER, "!agenda wijzig 1\nwaarom: anders", WT_EPERM,
		   "alleen de indiener of de secretaris kan het wijzigen");
	fx_refused(f, &net_nl, MEMBER, "!agenda wijzig 1", WT_EUSAGE, "Wat moet er veranderen?");
	fx_refused(f, &net_nl, MEMBER, "!agenda wijzig 1\nthema: zorgkosten", WT_EUSAGE,
		   "kwaliteit, opleiding");
	fx_refused(f, &net_nl, MEMBER, "!agenda wijzig 1\nonzin", WT_EUSAGE,
		   "Deze regel begrijp ik niet");
	fx_refused(f, &net_nl, MEMBER, "!agenda wijzig 1 Titel waarom: iets", WT_EUSAGE,
		   "!agenda wijzig 1 Titel\nwaarom: iets");
	fx_refused(f, &net_nl, MEMBER, "!agenda wijzig 9\nhoe: x", WT_ENOTFOUND, "#9");
	assert_int_equal(agenda_set_final(f->db, meeting_row(f, "demo", 1), NOW), 0);
	fx_refused(f, &net_nl, MEMBER, "!agenda wijzig 1\nhoe: anders", WT_EUSAGE,
		   "De agenda van vergadering 1 is vastgesteld");
	/* English. */
	fx_ok(f, &net_en, MEMBER, "!agenda propose Training");
	fx_ok(f, &net_en, MEMBER, "!agenda edit 1\nwhy: new colleagues");
	fx_reply_has(f, "Item #1 (**Training**) is edited: why.");
	fx_reply_has(f, "Not filled in yet: theme, what and how.");
	fx_refused(f, &net_en, MEMBER, "!agenda edit 1", WT_EUSAGE, "What should change?");
}

static void test_nudge_and_one_line(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Alleen een titel");
	fx_reply_has(f, "Nog niet ingevuld: thema, waarom, wat en hoe. Vul het aan met "
		     "`!agenda wijzig 1`");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Volledig\nthema: kwaliteit\nwaarom: a\n"
	      "wat: b\nhoe: c");
	assert_null(strstr(fx_reply0(f), "Nog niet ingevuld"));
	/* Fields on the title's line: refused, with the command on lines. */
	fx_refused(f, &net_nl, MEMBER,
		   "!agenda voorstel Scholing thema: opleiding waarom: te weinig `mensen`", WT_EUSAGE,
		   "```\n!agenda voorstel Scholing\nthema: opleiding\nwaarom: te weinig 'mensen'\n```");
	fx_reply_has(f, "Zet elk veld op een eigen regel");
	fx_refused(f, &net_nl, MEMBER, "!agenda voorstel thema: opleiding", WT_EUSAGE,
		   "!agenda voorstel <titel>\nthema: opleiding");
	fx_refused(f, &net_en, MEMBER, "!agenda propose Training theme: x why: y", WT_EUSAGE,
		   "!agenda propose Training\ntheme: x\nwhy: y");
	fx_ok(f, &net_en, MEMBER, "!agenda propose Just a title");
	fx_reply_has(f, "Not filled in yet: theme, why, what and how. Add it with `!agenda edit 1`");
}

static void test_accept_defer_tell_proposer(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-05-2027 19:30");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Alfa");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	assert_dm(f, MEMBER, "Je agendapunt #1 **Alfa** is geaccepteerd: het staat op de agenda van "
		  "vergadering 1 (");
	assert_dm(f, MEMBER, "als nummer 1.");
	fx_ok(f, &net_nl, SECR, "!agenda uitstel 1");
	assert_dm(f, MEMBER, "Je agendapunt #1 **Alfa** is uitgesteld naar vergadering 2 (");
	/* The secretary's own item: no message to themselves. */
	fx_ok(f, &net_nl, SECR, "!agenda voorstel Bravo");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 2");
	assert_int_equal(f->out.n, 1);
	fx_ok(f, &net_en, MEMBER, "!agenda propose Charlie");
	fx_ok(f, &net_en, CHAIR, "!agenda accept 1");
	assert_dm(f, MEMBER, "Your agenda item #1 **Charlie** is accepted");
}

/* Two verified rooms of "demo" with their members known: MEMBER in both,
 * OTHER in the second only. */
static void two_rooms(struct fx_cmds *f)
{
	const char *r[2] = { "!r1:demo.test", "!r2:demo.test" };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(rooms_note_joined(f->db, r[i], "demo", 1000), 0);
		assert_int_equal(room_set_verified(f->db, r[i], "demo"), 0);
		assert_int_equal(room_members_set(f->db, r[i], MEMBER, "join"), 0);
		assert_int_equal(room_members_set(f->db, r[i], SECR, "join"), 0);
		assert_int_equal(room_members_mark_known(f->db, r[i]), 0);
	}
	assert_int_equal(room_members_set(f->db, r[1], OTHER, "join"), 0);
	/* The bot itself is a member too, and gets no call. */
	assert_int_equal(room_members_set(f->db, r[1], "@werktafel:demo.test", "join"), 0);
	assert_int_equal(db_kv_set(f->db, "matrix.user_id", "@werktafel:demo.test"), 0);
}

/* The reply posted in room, or NULL. */
static const struct wt_reply *in_room(struct fx_cmds *f, const char *room)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].room && strcmp(f->out.v[i].room, room) == 0)
			return &f->out.v[i];
	return NULL;
}

static void test_call_command(void **state)
{
	struct fx_cmds *f = *state;
	two_rooms(f);
	f->room = "!r1:demo.test";
	fx_ok(f, &net_nl, SECR, "!agenda oproep");
	assert_int_equal(f->out.n, 3);
	const struct wt_reply *a = in_room(f, "!r1:demo.test"), *b = in_room(f, "!r2:demo.test");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->notify, 1);
	assert_int_equal(b->notify, 1);
	assert_null(a->in_reply_to);
	assert_true(mentions(a, MEMBER) && mentions(a, SECR) && !mentions(a, OTHER));
	assert_true(mentions(b, MEMBER) && mentions(b, SECR) && mentions(b, OTHER));
	assert_false(mentions(b, "@werktafel:demo.test"));
	assert_null(strstr(b->markdown, "werktafel:demo.test"));
	assert_non_null(strstr(a->markdown, "📣 **Oproep: agendapunten voor"));
	assert_non_null(strstr(a->markdown, "Stel het uiterlijk dinsdag 2 maart om 19:30 voor"));
	assert_non_null(strstr(a->markdown, "!agenda voorstel <titel>\nthema: ...\nwaarom: ..."));
	assert_non_null(strstr(a->markdown, "De thema's: kwaliteit, opleiding."));
	if (!strstr(a->markdown, "Aan: [bram](https://matrix.to/#/@bram:demo.test), [daan]("))
		fail_msg("%s", a->markdown);
	fx_reply_has(f, "De oproep voor vergadering 1 staat in 2 kamers; 3 leden krijgen er een "
		     "melding van.");
	assert_int_equal(f->out.v[0].room == NULL, 1);  /* the answer, in the command's room */
	/* By meeting id; the chair may too. */
	fx_ok(f, &net_nl, CHAIR, "!agenda oproep 1");
	/* Refusals. */
	fx_refused(f, &net_nl, MEMBER, "!agenda oproep", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!agenda oproep 9", WT_ENOTFOUND, "Vergadering 9 bestaat niet");
	fx_refused(f, &net_nl, SECR, "!agenda oproep x", WT_EUSAGE, "geen vergadernummer");
	fx_refused(f, &net_nl, SECR, "!agenda oproep 1 2", WT_EUSAGE, "2");
	assert_int_equal(agenda_set_final(f->db, meeting_row(f, "demo", 1), NOW), 0);
	fx_refused(f, &net_nl, SECR, "!agenda oproep", WT_EUSAGE, "al vastgesteld");
	assert_int_equal(meeting_set_state(f->db, meeting_row(f, "demo", 1), MEETING_CANCELLED, NOW), 0);
	fx_refused(f, &net_nl, SECR, "!agenda oproep 1", WT_EUSAGE, "Vergadering 1 is");
	fx_refused(f, &net_nl, SECR, "!agenda oproep", WT_EUSAGE, "geen vergadering gepland");
	/* English, in the console's room (no rooms known): no deadline set. */
	f->room = "werktafel";
	fx_ok(f, &net_en, SECR, "!agenda call");
	assert_int_equal(f->out.n, 2);
	assert_non_null(in_room(f, "werktafel"));
	assert_non_null(strstr(in_room(f, "werktafel")->markdown,
			       "Propose it before the agenda is finalised."));
	fx_reply_has(f, "The call for meeting 1 is posted in 1 room; 0 members are notified.");
}

static void test_call_reminder(void **state)
{
	struct fx_cmds *f = *state;
	two_rooms(f);
	long long mid = meeting_row(f, "demo", 1);
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .sender = "", .now = NOW,
			      .lang = LANG_NL, .out = &out };
	struct strbuf sb = STRBUF_INIT;
	/* The chair's: ready to forward, nothing posted. */
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", mid, &sb), 0);
	assert_non_null(strstr(sb.buf, "de oproep hieronder staat klaar om door te sturen"));
	assert_non_null(strstr(sb.buf, "`!agenda oproep 1`"));
	assert_non_null(strstr(sb.buf, "Stel het uiterlijk dinsdag 2 maart om 19:30 voor"));
	assert_int_equal(out.n, 0);
	/* agenda_call = auto: posted in both rooms, the chair told. */
	struct wt_network autonet = net_nl;
	autonet.agenda_call_auto = 1;
	ctx.net = &autonet;
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", mid, &sb), 0);
	assert_non_null(strstr(sb.buf, "Ik heb de oproep voor agendapunten in 2 kamers gezet"));
	assert_int_equal(out.n, 2);
	assert_true(mentions(&out.v[1], OTHER));
	assert_int_equal(out.v[0].notify, 1);
	wt_replies_free(&out);
	/* A room reminder (no chair): the rooms get the call, nothing else. */
	ctx.room = "!r1:demo.test";
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", mid, &sb), 1);
	assert_int_equal(out.n, 2);
	wt_replies_free(&out);
	/* Past the deadline (2 March) the bot posts no call itself. */
	ctx.room = NULL;
	ctx.now = NOW + 47 * 86400;
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", mid, &sb), 0);
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(sb.buf, "klaar om door te sturen"));
	ctx.now = NOW;
	/* Once the agenda is final the bot posts no call itself. */
	ctx.room = NULL;
	assert_int_equal(agenda_set_final(f->db, mid, NOW), 0);
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", mid, &sb), 0);
	assert_int_equal(out.n, 0);
	ctx.lang = LANG_EN;
	ctx.net = &net_en;
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", meeting_row(f, "demo-en", 1),
					 &sb), 0);
	assert_non_null(strstr(sb.buf, "the call below is ready to forward"));
	sb_release(&sb);
	wt_replies_free(&out);
}

static void test_final_storage(void **state)
{
	struct fx_cmds *f = *state;
	long long mid = meeting_row(f, "demo", 1), at = 0;
	assert_int_equal(agenda_final_at(f->db, mid, &at), 0);
	assert_int_equal(agenda_set_final(f->db, mid, NOW + 5), 0);
	assert_int_equal(agenda_final_at(f->db, mid, &at), 1);
	assert_int_equal(at, NOW + 5);
	assert_int_equal(agenda_final_at(f->db, 9999, &at), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reject, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_edit, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_nudge_and_one_line, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_accept_defer_tell_proposer, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_call_command, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_call_reminder, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_final_storage, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
