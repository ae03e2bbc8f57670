/* The finalised agenda, the invitation and attendance (handlers/invite.h)
 * through wt_dispatch and the event routing: each success and each
 * refusal (which changes nothing), in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/message.h"
#include "handlers/context.h"
#include "handlers/event.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "lib/strbuf.h"
#include "storage/agenda_final.h"
#include "storage/attendance.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "storage/rooms.h"
#include "storage/sent_links.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC (13:00 in Amsterdam). */
#define NOW 1800014400
#define ROOM "!tafel:demo.test"
#define BOT "@werktafel:demo.test"
#define CHAIR "@anna:demo.test"
#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"
#define OTHER "@eva:demo.test"

static char *rooms[] = { ROOM };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14, .quorum = 3 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	f->room = ROOM;
	assert_int_equal(rooms_note_joined(f->db, ROOM, "demo", 1000), 0);
	const char *people[] = { BOT, CHAIR, SECR, MEMBER, OTHER };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(room_members_set(f->db, ROOM, people[i], "join"), 0);
	assert_int_equal(db_kv_set(f->db, "matrix.user_id", BOT), 0);
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, NOW);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	*state = f;
	return 0;
}

/* Meeting 1 on 12 March with two accepted items (one with why/what/how)
 * and one proposal. */
static void planned(struct fx_cmds *f)
{
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 plaats https://meet.demo.test/tafel");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Scholingsdag\nwaarom: nieuwe collega's\n"
	      "wat: een dag per jaar\nhoe: werkgroep");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Indicatoren");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Later");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 2");
	assert_int_equal(f->out.n, 2);  /* the reply and the proposer's DM; not final: no announcement */
}

static long long meeting_row(struct fx_cmds *f, long long sid)
{
	struct wt_meeting m;
	assert_int_equal(meeting_by_short_id(f->db, "demo", sid, &m), 1);
	long long id = m.id;
	meeting_free(&m);
	return id;
}

/* The reply to user by direct message, or NULL. */
static const struct wt_reply *dm_to(struct fx_cmds *f, const char *user)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].to_user && strcmp(f->out.v[i].to_user, user) == 0)
			return &f->out.v[i];
	return NULL;
}

static void has(const char *text, const char *needle)
{
	if (!text || !strstr(text, needle))
		fail_msg("lacks \"%s\":\n%s", needle, text ? text : "(null)");
}

/* Put reply r in the outbox and note it sent as event_id (what the
 * outbox does once the homeserver took it). */
static void sent(struct fx_cmds *f, const struct wt_reply *r, const char *event_id)
{
	long long id = 0;
	assert_int_equal(message_enqueue(f->db, r, r->room ? r->room : "!dm:demo.test", NOW, &id), 0);
	assert_int_equal(sent_links_note_sent_row(f->db, id, event_id), 0);
}

static void test_finalise(void **state)
{
	struct fx_cmds *f = *state;
	planned(f);
	/* documents of an item and of the meeting go along */
	fx_ok(f, &net_nl, SECR, "!stuk 1 https://docs.demo.test/scholingsplan Scholingsplan");
	fx_ok(f, &net_nl, SECR, "!stuk vergadering 1 https://docs.demo.test/jaarplan Jaarplan");
	fx_ok(f, &net_nl, CHAIR, "!agenda vaststellen");
	fx_reply_has(f, "De agenda van vergadering 1 (**Werktafel**) is vastgesteld. Ik heb hem"
		     " geplaatst in 1 kamer en als uitnodiging gestuurd aan 4 leden.");
	/* The room post, then one invitation per member; none to the bot. */
	assert_int_equal(f->out.n, 6);
	assert_string_equal(f->out.v[1].room, ROOM);
	has(f->out.v[1].markdown, "Agenda vastgesteld");
	assert_null(dm_to(f, BOT));
	const struct wt_reply *dm = dm_to(f, MEMBER);
	assert_non_null(dm);
	assert_true(dm->notify);
	assert_null(dm->in_reply_to);
	assert_string_equal(dm->link_kind, SENT_LINK_INVITE);
	has(dm->markdown, "Uitnodiging: Werktafel");
	has(dm->markdown, "Wanneer: vrijdag 12 maart");
	has(dm->markdown, "Videoverbinding: <https://meet.demo.test/tafel>");
	has(dm->markdown, "1. **Scholingsdag** (#1)");
	has(dm->markdown, "https://docs.demo.test/scholingsplan");
	has(dm->markdown, "https://docs.demo.test/jaarplan");
	has(dm->markdown, "waarom: nieuwe collega\\'s");
	has(dm->markdown, "hoe: werkgroep");
	has(dm->markdown, "2. **Indicatoren** (#2)");
	has(dm->markdown, "Reageer op dit bericht met ✅");
	assert_null(strstr(dm->markdown, "Later"));
	long long at = 0;
	assert_int_equal(agenda_final_at(f->db, meeting_row(f, 1), &at), 1);
	assert_int_equal(at, NOW);
	/* Sent: the outbox row's link gets the event id. */
	sent(f, dm, "$inv-daan");
	char *kind = NULL;
	long long obj = 0;
	assert_int_equal(sent_links_by_event(f->db, "$inv-daan", &kind, &obj), 1);
	assert_string_equal(kind, "invite");
	assert_int_equal(obj, meeting_row(f, 1));
	free(kind);
	assert_int_equal(sent_links_by_event(f->db, "$other", &kind, &obj), 0);
}

static void test_finalise_en(void **state)
{
	struct fx_cmds *f = *state;
	planned(f);
	fx_ok(f, &net_en, CHAIR, "!agenda finalise 1");
	fx_reply_has(f, "The agenda of meeting 1 (**Werktafel**) is final. I posted it in 1 room"
		     " and sent it as the invitation to 4 members.");
	has(dm_to(f, OTHER)->markdown, "React to this message with ✅");
	fx_refused(f, &net_en, CHAIR, "!agenda finalise", WT_EUSAGE, "is final already");
	fx_refused(f, &net_en, SECR, "!agenda accept 3", WT_EPERM, "only the chair changes it now");
}

static void test_finalise_refused(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, CHAIR, "!agenda vaststellen", WT_EUSAGE,
		   "Er is geen vergadering gepland");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	fx_refused(f, &net_nl, CHAIR, "!agenda vaststellen", WT_EUSAGE,
		   "Op de agenda van vergadering 1 staat nog niets");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Scholingsdag");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_refused(f, &net_nl, SECR, "!agenda vaststellen", WT_EPERM, "voorzitter");
	fx_refused(f, &net_nl, MEMBER, "!agenda vaststellen", WT_EPERM, "voorzitter");
	fx_refused(f, &net_nl, CHAIR, "!agenda vaststellen 9", WT_ENOTFOUND,
		   "Vergadering 9 bestaat niet");
	fx_refused(f, &net_nl, CHAIR, "!agenda vaststellen morgen", WT_EUSAGE,
		   "`morgen` is geen nummer van een vergadering");
	fx_refused(f, &net_nl, CHAIR, "!agenda vaststellen 1 nu", WT_EUSAGE, "Hier hoort niets meer achter");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-05-2027 19:30");
	fx_ok(f, &net_nl, SECR, "!vergadering annuleer 2");
	fx_refused(f, &net_nl, CHAIR, "!agenda vaststellen 2", WT_EUSAGE, "alleen van een geplande");
	fx_ok(f, &net_nl, CHAIR, "!agenda vaststellen 1");
	fx_refused(f, &net_nl, CHAIR, "!agenda vaststellen", WT_EUSAGE, "is al vastgesteld");
}

/* After finalising: the secretary may no longer change the agenda; the
 * chair may, and the change is announced in the rooms. */
static void test_change_after_final(void **state)
{
	struct fx_cmds *f = *state;
	planned(f);
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-05-2027 19:30");
	fx_ok(f, &net_nl, CHAIR, "!agenda vaststellen 1");
	fx_ok(f, &net_nl, MEMBER, "!agenda 1");
	fx_reply_has(f, "De agenda is vastgesteld (");
	fx_refused(f, &net_nl, SECR, "!agenda accepteer 3", WT_EPERM,
		   "De agenda van vergadering 1 is vastgesteld; alleen de voorzitter wijzigt hem nog.");
	fx_refused(f, &net_nl, SECR, "!agenda uitstel 2", WT_EPERM, "alleen de voorzitter");
	fx_refused(f, &net_nl, SECR, "!agenda volgorde 2 1", WT_EPERM, "alleen de voorzitter");
	/* The change is announced in the rooms; in the command's room the
	 * answer itself says so. */
	fx_ok(f, &net_nl, CHAIR, "!agenda accepteer 3");
	assert_int_equal(f->out.n, 2);  /* the answer and the proposer's DM */
	assert_non_null(f->out.v[1].to_user);
	fx_reply_has(f, "**Wijziging van de agenda** van vergadering 1 (**Werktafel**): Punt #3 (**Later**)");
	assert_int_equal(room_members_mark_known(f->db, ROOM), 0);
	f->room = "!elders:demo.test";
	fx_ok(f, &net_nl, CHAIR, "!agenda uitstel 3");
	assert_int_equal(f->out.n, 3);  /* the answer, the proposer's DM, the announcement */
	size_t in_room = 0;
	for (size_t i = 1; i < f->out.n; i++)
		if (f->out.v[i].room && strcmp(f->out.v[i].room, ROOM) == 0)
			in_room = i;
	assert_true(in_room > 0);
	has(f->out.v[in_room].markdown, "Wijziging van de agenda");
	has(f->out.v[in_room].markdown, "Later");
	/* The meeting moved: the invited hear it as they heard the invitation. */
	fx_ok(f, &net_nl, SECR, "!vergadering verzet 1 19-03-2027 19:30");
	const struct wt_reply *dm = dm_to(f, MEMBER);
	assert_non_null(dm);
	assert_true(dm->notify);
	has(dm->markdown, "Wijziging van de vergadering");
	has(dm->markdown, "19 maart");
	assert_null(dm_to(f, SECR));  /* not to who moved it */
	fx_ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	dm = dm_to(f, MEMBER);
	assert_non_null(dm);
	has(dm->markdown, "geannuleerd");
	/* a meeting whose agenda is not final: nobody is told but the room */
	fx_ok(f, &net_nl, SECR, "!vergadering verzet 2 13-05-2027 19:30");
	assert_int_equal(f->out.n, 1);
}

/* A reaction to an invitation or to the posted agenda, through the event
 * routing as a sync hands it over. */
static int react(struct fx_cmds *f, const char *sender, const char *target, const char *key)
{
	wt_replies_free(&f->out);
	/* Its event id: "$r-" and the reacting user's localpart. */
	char id[64];
	snprintf(id, sizeof id, "$r-%.*s", (int)strcspn(sender + 1, ":"), sender + 1);
	struct wt_event ev = { .kind = WT_EV_REACTION, .sender = sender, .event_id = id,
			       .reaction = { target, key } };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .room = "!dm:demo.test", .now = NOW,
			      .lang = LANG_NL, .admins = admins, .out = &f->out };
	struct wt_event_hooks hooks = { .own = BOT };
	return wt_handle_event(&ctx, &ev, &hooks, NULL);
}

static long long answer_of(struct fx_cmds *f, const char *user)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "SELECT CASE answer WHEN 'yes' THEN 1 WHEN 'no' THEN 2 WHEN 'maybe' THEN 3"
		" ELSE 0 END FROM meeting_rsvps WHERE user_id = '%s'", user);
	long long v = fx_int(f->db, sql.buf);
	sb_release(&sql);
	return v;
}

static void test_rsvp_reactions(void **state)
{
	struct fx_cmds *f = *state;
	planned(f);
	fx_ok(f, &net_nl, CHAIR, "!agenda vaststellen");
	sent(f, &f->out.v[1], "$agenda-post");
	sent(f, dm_to(f, MEMBER), "$inv-daan");
	sent(f, dm_to(f, OTHER), "$inv-eva");
	/* Element sends ✅ with no variation selector; ❌ and ❔ too. */
	assert_int_equal(react(f, MEMBER, "$inv-daan", "\xE2\x9C\x85"), WT_OK);
	assert_int_equal(answer_of(f, MEMBER), RSVP_YES);
	assert_string_equal(f->out.v[0].to_user, MEMBER);
	has(f->out.v[0].markdown, "Genoteerd: je komt naar **Werktafel**");
	assert_int_equal(react(f, OTHER, "$inv-eva", "\xE2\x9D\x8C"), WT_OK);
	assert_int_equal(answer_of(f, OTHER), RSVP_NO);
	has(f->out.v[0].markdown, "je bent afgemeld");
	assert_int_equal(react(f, SECR, "$agenda-post", "\xE2\x9D\x94"), WT_OK);
	assert_int_equal(answer_of(f, SECR), RSVP_MAYBE);
	has(f->out.v[0].markdown, "misschien");
	/* Changing one's mind replaces the answer. */
	assert_int_equal(react(f, OTHER, "$inv-eva", "\xE2\x9C\x85\xEF\xB8\x8F"), WT_OK);
	assert_int_equal(answer_of(f, OTHER), RSVP_YES);
	/* Removing the reaction takes the answer back; removing another
	 * event leaves it. */
	wt_replies_free(&f->out);
	struct wt_event undo = { .kind = WT_EV_REDACTION, .sender = OTHER, .event_id = "$undo",
				 .redacts = "$r-eva" };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .room = "!dm:demo.test", .now = NOW,
			      .lang = LANG_NL, .admins = admins, .out = &f->out };
	struct wt_event_hooks hooks = { .own = BOT };
	assert_int_equal(wt_handle_event(&ctx, &undo, &hooks, NULL), WT_OK);
	assert_int_equal(answer_of(f, OTHER), RSVP_NONE);
	assert_string_equal(f->out.v[0].to_user, OTHER);
	has(f->out.v[0].markdown, "Je reactie is weg, dus je antwoord voor **Werktafel**");
	wt_replies_free(&f->out);
	undo.redacts = "$r-daan-old";
	assert_int_equal(wt_handle_event(&ctx, &undo, &hooks, NULL), WT_NOT_COMMAND);
	assert_int_equal(answer_of(f, MEMBER), RSVP_YES);
	assert_int_equal(react(f, OTHER, "$inv-eva", "\xE2\x9C\x85"), WT_OK);
	/* Another key, or a message that is no invitation: nothing. */
	long long rows = fx_count(f->db, "meeting_rsvps");
	assert_int_equal(react(f, CHAIR, "$inv-daan", "\xE2\x9D\xA4\xEF\xB8\x8F"), WT_NOT_COMMAND);
	assert_int_equal(react(f, CHAIR, "$something", "\xE2\x9C\x85"), WT_NOT_COMMAND);
	assert_int_equal(fx_count(f->db, "meeting_rsvps"), rows);
	/* A cancelled meeting takes no answers. */
	fx_ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	assert_int_equal(react(f, CHAIR, "$agenda-post", "\xE2\x9C\x85"), WT_NOT_COMMAND);
	assert_int_equal(fx_count(f->db, "meeting_rsvps"), rows);
}

static void test_rsvp_commands(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!afmelden", WT_EUSAGE, "Er is geen vergadering gepland");
	fx_refused(f, &net_nl, MEMBER, "!aanwezig", WT_EUSAGE, "Er is geen vergadering gepland");
	planned(f);
	fx_ok(f, &net_nl, MEMBER, "!aanwezig");
	fx_reply_has(f, "Genoteerd: je komt naar **Werktafel**");
	assert_null(f->out.v[0].to_user);
	fx_ok(f, &net_nl, OTHER, "!afmelden ziek");
	fx_reply_has(f, "je bent afgemeld voor **Werktafel** (vrijdag 12 maart om 19:30), met als reden: ziek");
	char longer[WT_MAX_FIELD + 10];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = 0;
	struct strbuf cmd = STRBUF_INIT;
	sb_addf(&cmd, "!afmelden %s", longer);
	fx_refused(f, &net_nl, SECR, cmd.buf, WT_EUSAGE, "De reden");
	sb_release(&cmd);
	fx_refused(f, &net_nl, SECR, "!afmelden ziek\nen nog iets", WT_EUSAGE, "Hier hoort niets meer achter");
	/* The overview: who comes, apologies with the reason, no answer,
	 * and the quorum (3) that is not reached. */
	fx_ok(f, &net_nl, CHAIR, "!aanmeldingen");
	fx_reply_has(f, "**Aanmeldingen voor Werktafel** (vergadering 1,");
	fx_reply_has(f, "Komen: [daan](https://matrix.to/#/@daan:demo.test)");
	fx_reply_has(f, "Afgemeld: [eva](https://matrix.to/#/@eva:demo.test) (ziek)");
	fx_reply_has(f, "Misschien: niemand");
	fx_reply_has(f, "Nog geen antwoord: [anna](https://matrix.to/#/@anna:demo.test), [bram]");
	fx_reply_has(f, "⚠️ Er komen er 1, maar voor een besluitvormende vergadering zijn er 3 nodig.");
	assert_null(strstr(fx_reply0(f), "@werktafel"));
	fx_ok(f, &net_en, CHAIR, "!attendance 1");
	fx_reply_has(f, "Apologies: [eva](https://matrix.to/#/@eva:demo.test) (ziek)");
	fx_reply_has(f, "No answer yet:");
	fx_refused(f, &net_nl, CHAIR, "!aanmeldingen 7", WT_ENOTFOUND, "Vergadering 7 bestaat niet");
	fx_refused(f, &net_nl, CHAIR, "!aanmeldingen x", WT_EUSAGE, "geen nummer van een vergadering");
	fx_refused(f, &net_en, CHAIR, "!apologies a\nb", WT_EUSAGE, NULL);
}

/* The chair's "meeting tomorrow" lists the answers and the quorum. */
static void test_tomorrow_reminder(void **state)
{
	struct fx_cmds *f = *state;
	planned(f);
	fx_ok(f, &net_nl, OTHER, "!afmelden vakantie");
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .sender = "", .now = NOW,
			      .lang = LANG_NL, .role = ROLE_ADMIN, .out = &none };
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(reminder_render(&ctx, "meeting.meeting_tomorrow", meeting_row(f, 1), &sb), 0);
	has(sb.buf, "Morgen vergadert de werktafel");
	has(sb.buf, "Afgemeld: [eva](https://matrix.to/#/@eva:demo.test) (vakantie)");
	has(sb.buf, "Nog geen antwoord:");
	has(sb.buf, "zijn er 3 nodig");
	sb_reset(&sb);
	/* The chair's "finalise the agenda" says how. */
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_final", meeting_row(f, 1), &sb), 0);
	has(sb.buf, "Stel hem vast met `!agenda vaststellen 1`");
	sb_release(&sb);
	/* The renderer freed what it escaped: the scheduler frees nothing. */
	assert_int_equal(ctx.nowned, 0);
}

/* During the meeting the secretary records who is there; the minutes
 * show present, apologies and absent; absentees get the summary; the
 * feedback action. */
static void test_meeting_attendance(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 15-01-2027 14:00");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Scholingsdag");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_ok(f, &net_nl, OTHER, "!afmelden ziek");
	fx_refused(f, &net_nl, SECR, "!aanwezig @anna:demo.test", WT_EUSAGE, "Er loopt hier geen vergadering");
	fx_refused(f, &net_nl, SECR, "!terugkoppeling", WT_EUSAGE, "Er is nog geen vergadering gehouden");
	fx_ok(f, &net_nl, SECR, "!vergadering start");
	fx_refused(f, &net_nl, MEMBER, "!aanwezig @anna:demo.test", WT_EPERM,
		   "Alleen de secretaris of de voorzitter noteert");
	fx_refused(f, &net_nl, SECR, "!aanwezig telefonisch", WT_EUSAGE, "Noem de mensen die er zijn");
	fx_refused(f, &net_nl, SECR, "!aanwezig @niemand", WT_EUSAGE, NULL);
	fx_ok(f, &net_nl, SECR, "!aanwezig @anna:demo.test");
	fx_reply_has(f, "Genoteerd als aanwezig bij vergadering 1: [anna]");
	fx_ok(f, &net_en, SECR, "!present @daan:demo.test phone");
	fx_reply_has(f, "Recorded as present by phone at meeting 1: [daan]");
	fx_refused(f, &net_nl, SECR, "!terugkoppeling", WT_EUSAGE, "Vergadering 1 is nog niet gesloten");
	fx_ok(f, &net_nl, SECR, "!vergadering einde");
	const char *summary = fx_reply0(f);
	has(summary, "- Voorzitter: [anna]");
	has(summary, "- Notulist: [bram]");
	has(summary, "- Aanwezig: [anna](https://matrix.to/#/@anna:demo.test), [bram](https://matrix.to/#/@bram:demo.test), [daan](https://matrix.to/#/@daan:demo.test) (telefonisch)");
	has(summary, "- Afwezig met bericht: [eva](https://matrix.to/#/@eva:demo.test) (ziek)");
	has(summary, "- Afwezig: niemand");
	const struct wt_reply *dm = dm_to(f, OTHER);
	assert_non_null(dm);
	assert_true(dm->notify);
	has(dm->markdown, "Je was er niet bij: dit is de samenvatting van vergadering 1");
	has(dm->markdown, "`!notulen 1`");
	assert_null(dm_to(f, MEMBER));
	fx_refused(f, &net_nl, MEMBER, "!terugkoppeling", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, SECR, "!terugkoppeling 1 @anna:demo.test extra", WT_EUSAGE, NULL);
	fx_ok(f, &net_nl, SECR, "!terugkoppeling 1 @anna:demo.test");
	fx_reply_has(f, "Actie #1 voor [anna](https://matrix.to/#/@anna:demo.test): de afwezigen van vergadering 1 bijpraten.");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items WHERE kind = 'action'"
			 " AND owner = '" CHAIR "' AND text = 'Terugkoppeling aan afwezigen van"
			 " vergadering 1: eva'"), 1);
	fx_ok(f, &net_en, SECR, "!feedback");
	fx_reply_has(f, "Action #2 for [bram]");
}

/* Four members, quorum 3: the second apology puts the quorum out of
 * reach, and only then the chair hears it by direct message. */
static void test_quorum_lost(void **state)
{
	struct fx_cmds *f = *state;
	planned(f);
	fx_ok(f, &net_nl, OTHER, "!afmelden ziek");
	assert_null(dm_to(f, CHAIR));
	fx_ok(f, &net_nl, MEMBER, "!afmelden vakantie");
	const struct wt_reply *dm = dm_to(f, CHAIR);
	assert_non_null(dm);
	assert_true(dm->notify);
	has(dm->markdown, "⚠️ Voor **Werktafel** (vrijdag 12 maart om 19:30) is het quorum van 3 niet"
	    " meer te halen: na de afmelding van [daan](https://matrix.to/#/@daan:demo.test) kunnen er"
	    " nog 2 komen.");
	/* A third apology: the quorum was out of reach already. */
	fx_ok(f, &net_nl, SECR, "!afmelden");
	assert_null(dm_to(f, CHAIR));
	/* No quorum configured: no warning. */
	fx_ok(f, &net_en, CHAIR, "!apologies");
	assert_int_equal(f->out.n, 1);
}

static void test_feedback_nobody(void **state)
{
	struct fx_cmds *f = *state;
	/* Everyone speaks or is recorded: nobody to brief. */
	fx_ok(f, &net_nl, SECR, "!vergadering plan 15-01-2027 14:00");
	fx_ok(f, &net_nl, SECR, "!vergadering start");
	fx_ok(f, &net_nl, SECR, "!aanwezig @anna:demo.test @daan:demo.test @eva:demo.test");
	fx_ok(f, &net_nl, SECR, "!vergadering einde");
	assert_null(dm_to(f, MEMBER));
	fx_refused(f, &net_nl, SECR, "!terugkoppeling", WT_EUSAGE, "was iedereen aanwezig");
	fx_refused(f, &net_nl, SECR, "!terugkoppeling 5", WT_ENOTFOUND, "Vergadering 5 bestaat niet");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_finalise, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_finalise_en, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_finalise_refused, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_change_after_final, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rsvp_reactions, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rsvp_commands, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_tomorrow_reminder, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_meeting_attendance, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_feedback_nobody, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quorum_lost, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
