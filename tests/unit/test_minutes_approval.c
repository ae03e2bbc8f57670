/* Minutes approval and meetings the bot did not see, through wt_dispatch
 * (and wt_dispatch_edit / wt_dispatch_redact): `!notulen vaststellen`
 * with corrections, the draft and approved status in the minutes, undo,
 * edits and redactions refused or kept once approved; `!vergadering
 * start` asking which meeting, `start los`, `!vergadering gehouden`, and
 * the secretary's report the morning after a meeting nobody opened. Each
 * refusal leaves the database as it was (fx_refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/minutes_approval.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC (13:00 in Amsterdam). */
#define NOW 1800014400
#define DAY 86400

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define CHAIR "@anna:demo.test"
#define MEMBER "@daan:demo.test"

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

/* A context for the edit and redaction paths, as the sync path builds. */
static struct wt_ctx ctx_for(struct fx_cmds *f, const struct wt_network *net, const char *sender)
{
	wt_replies_free(&f->out);
	return (struct wt_ctx){
		.db = f->db, .net = net, .sender = sender, .room = f->room,
		.event_id = "$edit:demo.test", .now = f->now, .lang = net->lang,
		.admins = admins, .out = &f->out,
	};
}

/* Meeting 1 run and closed now, with decision 1 logged from event $d1;
 * then meeting 2 planned a month on and open. */
static void held_and_next(struct fx_cmds *f, const struct wt_network *net, int en)
{
	fx_ok(f, net, SECR, en ? "!meeting plan 15-01-2027 14:00 title January"
			       : "!vergadering plan 15-01-2027 14:00 titel Januari");
	fx_ok(f, net, SECR, en ? "!meeting start" : "!vergadering start");
	f->event_id = "$d1";
	fx_ok(f, net, SECR, en ? "!decision The training day is in October."
			       : "!besluit De scholingsdag is in oktober.");
	f->event_id = "$ev1";
	fx_ok(f, net, SECR, en ? "!meeting end" : "!vergadering einde");
	fx_ok(f, net, SECR, en ? "!meeting plan 15-02-2027 14:00 title February"
			       : "!vergadering plan 15-02-2027 14:00 titel Februari");
	f->now += 31 * DAY;
	fx_ok(f, net, SECR, en ? "!meeting start 2" : "!vergadering start 2");
}

static void test_approve_with_corrections(void **state)
{
	struct fx_cmds *f = *state;
	held_and_next(f, &net_nl, 0);
	fx_ok(f, &net_nl, MEMBER, "!notulen 1");
	fx_reply_has(f, "*Concept:* deze notulen zijn nog niet vastgesteld");
	fx_reply_has(f, "`!notulen vaststellen 1`");
	fx_ok(f, &net_nl, CHAIR, "!notulen vaststellen 1\ncorrectie: Eva was afwezig met bericht.\n\n"
	      "- Het besluit ging over de scholingsdag van 2027.");
	fx_reply_has(f, "zijn vastgesteld, met 2 correcties");
	assert_int_equal(fx_count(f->db, "minutes_corrections"), 2);
	assert_int_equal(fx_int(f->db, "SELECT approved_in FROM meeting_runs WHERE meeting_id = 1"),
			 fx_int(f->db, "SELECT id FROM meetings WHERE short_id = 2"));
	fx_ok(f, &net_nl, MEMBER, "!notulen 1");
	fx_reply_has(f, "*Vastgesteld* op maandag 15 februari 2027 om 13:00 door");
	fx_reply_has(f, "in vergadering 2.");
	fx_reply_has(f, "Correcties bij de vaststelling:\n- Eva was afwezig met bericht\\.\n"
		     "- Het besluit ging over de scholingsdag van 2027\\.");
	/* The file says so too. */
	assert_non_null(strstr(f->out.v[1].markdown, "*Vastgesteld* op"));
	assert_null(strstr(f->out.v[1].markdown, "Concept"));
	/* The approving meeting's minutes say what it approved. */
	fx_ok(f, &net_nl, SECR, "!vergadering einde");
	fx_reply_has(f, "In deze vergadering zijn de notulen van vergadering 1 vastgesteld.");
	fx_reply_has(f, "*Concept:*");
}

static void test_approve_refusals(void **state)
{
	struct fx_cmds *f = *state;
	held_and_next(f, &net_nl, 0);
	fx_refused(f, &net_nl, MEMBER, "!notulen vaststellen 1", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, SECR, "!notulen vaststellen", WT_EUSAGE,
		   "Van welke vergadering stel je de notulen vast?");
	fx_refused(f, &net_nl, SECR, "!notulen vaststellen een", WT_EUSAGE, "`!notulen vaststellen <vergadering-id>`");
	fx_refused(f, &net_nl, SECR, "!notulen vaststellen 9", WT_ENOTFOUND, "Vergadering 9 bestaat niet");
	fx_refused(f, &net_nl, SECR, "!notulen vaststellen 1 met correcties", WT_EUSAGE,
		   "zet elke correctie op een eigen regel");
	fx_refused(f, &net_nl, SECR, "!notulen vaststellen 2", WT_EUSAGE, "Vergadering 2 loopt nog");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 15-03-2027 14:00 titel Maart");
	fx_refused(f, &net_nl, SECR, "!notulen vaststellen 3", WT_ENOTFOUND, "Van vergadering 3 zijn geen notulen");
	struct strbuf b = STRBUF_INIT;
	sb_add(&b, "!notulen vaststellen 1\n");
	for (int i = 0; i < 501; i++)
		sb_addc(&b, 'x');
	fx_refused(f, &net_nl, SECR, b.buf, WT_EUSAGE, "Correctie 1 is 501 tekens lang");
	sb_reset(&b);
	sb_add(&b, "!notulen vaststellen 1");
	for (int i = 0; i < 21; i++)
		sb_addf(&b, "\ncorrectie %d", i);
	fx_refused(f, &net_nl, SECR, b.buf, WT_EUSAGE, "meer dan 20 correcties");
	sb_release(&b);
	fx_ok(f, &net_nl, SECR, "!notulen vaststellen 1");
	fx_reply_has(f, "zonder correcties vastgesteld");
	fx_refused(f, &net_nl, CHAIR, "!notulen vaststellen 1", WT_EUSAGE,
		   "De notulen van vergadering 1 zijn al vastgesteld op maandag 15 februari 2027");
}

static void test_approve_english(void **state)
{
	struct fx_cmds *f = *state;
	held_and_next(f, &net_en, 1);
	fx_ok(f, &net_en, MEMBER, "!minutes 1");
	fx_reply_has(f, "*Draft:* these minutes have not been approved yet");
	fx_refused(f, &net_en, SECR, "!minutes approve", WT_EUSAGE, "Which meeting's minutes do you approve?");
	fx_refused(f, &net_en, SECR, "!minutes approve 2", WT_EUSAGE, "Meeting 2 is still running");
	fx_ok(f, &net_en, SECR, "!minutes approve 1\ncorrection: Eva sent apologies.");
	fx_reply_has(f, "are approved, with 1 correction");
	fx_refused(f, &net_en, SECR, "!undo", WT_EUSAGE, "can no longer be undone");
	fx_refused(f, &net_en, SECR, "!minutes approve 1", WT_EUSAGE, "were already approved");
	fx_ok(f, &net_en, SECR, "!meeting end");
	fx_reply_has(f, "This meeting approved the minutes of meeting 1.");
}

/* Approved minutes are read-only: undo, an edit and a redaction leave
 * their items as they were; a draft's item is undone as before. */
static void test_read_only_after_approval(void **state)
{
	struct fx_cmds *f = *state;
	held_and_next(f, &net_nl, 0);
	fx_ok(f, &net_nl, SECR, "!notulen vaststellen 1");
	fx_refused(f, &net_nl, SECR, "!ongedaan", WT_EUSAGE,
		   "Dat kan niet meer ongedaan worden: het staat in de notulen van vergadering 1, "
		   "die op maandag 15 februari 2027 zijn vastgesteld");
	struct wt_ctx ctx = ctx_for(f, &net_nl, SECR);
	char *before = fx_snapshot(f->db, NULL);
	assert_int_equal(wt_dispatch_edit(&ctx, "$d1", "!besluit De scholingsdag is in november."),
			 WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Deze wijziging is niet overgenomen"));
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(after);
	ctx = ctx_for(f, &net_nl, SECR);
	assert_int_equal(wt_dispatch_redact(&ctx, "$d1"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "blijft in de notulen van vergadering 1 staan"));
	after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(after);
	free(before);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM logged_items WHERE event_id = '$d1'"), 1);
	/* In the open (draft) meeting undo works. */
	fx_ok(f, &net_nl, SECR, "!besluit We houden het bij oktober.");
	fx_ok(f, &net_nl, SECR, "!ongedaan");
	fx_reply_has(f, "Verwijderd: Besluit 2");
	fx_ok(f, &net_nl, SECR, "!vergadering einde");
	assert_int_equal(minutes_are_approved(f->db, fx_int(f->db, "SELECT id FROM meetings WHERE short_id = 2")), 0);
	assert_int_equal(minutes_are_approved(f->db, fx_int(f->db, "SELECT id FROM meetings WHERE short_id = 1")), 1);
}

/* !vergadering start with no meeting near asks which, changing nothing. */
static void test_start_asks_which(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-02-2027 14:00 titel Februari");
	f->now -= 3 * DAY;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 13-01-2027 9:00 duur 1u titel Ochtend");
	f->now += 3 * DAY;
	fx_refused(f, &net_nl, SECR, "!vergadering start", WT_EUSAGE,
		   "Rond nu is geen vergadering gepland. Welke vergadering wil je openen?");
	fx_reply_has(f, "Gepland:\n- vergadering 1: **Februari**, vr 12 feb 2027 14:00 — `!vergadering start 1`");
	fx_reply_has(f, "Voorbij zonder dat ze is geopend:\n- vergadering 2: **Ochtend**, wo 13 jan 2027 09:00"
		     " — achteraf vastleggen met `!vergadering gehouden 2`");
	fx_reply_has(f, "`!vergadering start los`");
	assert_int_equal(fx_count(f->db, "meetings"), 2);
	fx_refused(f, &net_nl, SECR, "!vergadering start los nu", WT_EUSAGE, "Hier hoort niets meer achter");
	fx_ok(f, &net_nl, SECR, "!vergadering start los");
	fx_reply_has(f, "Vergadering 3 (**Werktafel**) is geopend als losse vergadering.");
	fx_ok(f, &net_nl, SECR, "!vergadering einde");
	fx_refused(f, &net_en, SECR, "!meeting start", WT_EUSAGE,
		   "No meeting is planned around now. Which meeting do you want to open?");
	fx_reply_has(f, "`!meeting start adhoc`");
	fx_ok(f, &net_en, SECR, "!meeting start adhoc");
	fx_reply_has(f, "is open as an ad-hoc meeting");
}

static void test_held(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 16-01-2027 10:00 titel Januari");
	fx_ok(f, &net_nl, SECR, "!agenda voorstel Scholingsdag\nthema: opleiding");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-02-2027 14:00 titel Februari");
	fx_ok(f, &net_en, SECR, "!meeting plan 16-01-2027 10:00 title January");
	fx_ok(f, &net_en, SECR, "!meeting plan 16-01-2027 14:00 title Other");
	fx_refused(f, &net_nl, SECR, "!vergadering gehouden 1", WT_EUSAGE,
		   "Vergadering 1 begint pas op za 16 jan 2027 10:00");
	f->now += 2 * DAY;
	fx_refused(f, &net_nl, MEMBER, "!vergadering gehouden 1", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, SECR, "!vergadering gehouden", WT_EUSAGE, "Welke vergadering is gehouden?");
	fx_refused(f, &net_nl, SECR, "!vergadering gehouden x", WT_EUSAGE, "`!vergadering gehouden <id>`");
	fx_refused(f, &net_nl, SECR, "!vergadering gehouden 7", WT_ENOTFOUND, "Vergadering 7 bestaat niet");
	fx_refused(f, &net_nl, SECR, "!vergadering gehouden 1 2", WT_EUSAGE, "Hier hoort niets meer achter");
	fx_ok(f, &net_nl, SECR, "!vergadering gehouden 1");
	fx_reply_has(f, "Vergadering 1 (**Januari**) van za 16 jan 2027 10:00 is vastgelegd als gehouden.");
	fx_reply_has(f, "Nog te notuleren:\n1. Scholingsdag");
	assert_int_equal(fx_int(f->db, "SELECT state = 'closed' FROM meetings WHERE short_id = 1"), 1);
	assert_int_equal(fx_int(f->db, "SELECT afterwards FROM meeting_runs"), 1);
	assert_int_equal(fx_int(f->db, "SELECT state = 'accepted' FROM agenda_items WHERE short_id = 1"), 1);
	fx_refused(f, &net_nl, SECR, "!vergadering gehouden 1", WT_EUSAGE,
		   "alleen een geplande vergadering kan achteraf als gehouden worden vastgelegd");
	fx_ok(f, &net_nl, MEMBER, "!notulen 1");
	fx_reply_has(f, "*Achteraf vastgelegd:*");
	fx_reply_has(f, "*Concept:*");
	/* English, and a cancelled meeting is refused. */
	fx_ok(f, &net_en, SECR, "!meeting cancel 2");
	fx_refused(f, &net_en, SECR, "!meeting held 2", WT_EUSAGE,
		   "only a planned meeting can be recorded as held afterwards");
	fx_ok(f, &net_en, SECR, "!meeting held 1");
	fx_reply_has(f, "is recorded as held");
	fx_reply_has(f, "`!minutes approve 1`");
}

/* The secretary hears the morning after of a meeting nobody opened; the
 * report goes when it is held or opened. */
static void test_unopened_report(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 20-01-2027 19:30 titel Januari");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 21-01-2027 19:30 titel Extra");
	/* 21-01-2027 09:00 in Amsterdam is 08:00 UTC. */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind = 'meeting.unopened'"
			 " AND state = 'pending' AND to_user = '" SECR "'"
			 " AND due_at = 1800518400"), 1);
	long long row = fx_int(f->db, "SELECT id FROM meetings WHERE short_id = 1");
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .sender = "", .now = 1800518400,
			      .lang = LANG_NL, .out = &none };
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(reminder_render(&ctx, "meeting.unopened", row, &out), 0);
	assert_non_null(strstr(out.buf, "Vergadering 1 (**Januari**) stond gepland op"));
	assert_non_null(strstr(out.buf, "`!vergadering gehouden 1`"));
	assert_non_null(strstr(out.buf, "`!vergadering annuleer 1`"));
	f->now = 1800518400;
	fx_ok(f, &net_nl, SECR, "!vergadering gehouden 1");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind = 'meeting.unopened'"
			 " AND state = 'pending' AND ref_id = (SELECT id FROM meetings WHERE short_id = 1)"), 0);
	sb_reset(&out);
	assert_int_equal(reminder_render(&ctx, "meeting.unopened", row, &out), 1);
	/* Opening meeting 2 drops its report too. */
	f->now = 1800518400 + 10 * 3600 + 1800;  /* 21-01 19:30 local */
	fx_ok(f, &net_nl, SECR, "!vergadering start 2");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind = 'meeting.unopened'"
			 " AND state = 'pending'"), 0);
	sb_release(&out);
	wt_replies_free(&none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_approve_with_corrections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approve_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approve_english, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_after_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_asks_which, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unopened_report, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
