/* Evaluations (issue 20, item 3) through wt_dispatch: `!evaluatie start`
 * posts the template's scale questions as anonymous native polls and
 * sends the open question by direct message to each member; answers by
 * command or by replying to that message; `!evaluatie <nr>` in counts;
 * the reminder family (one per member, dropped once they answered, and
 * the room's at the deadline); `!evaluatie sluit` ends the polls, keeps
 * the averages and posts the report (Markdown and HTML) and a summary
 * compared with the previous round. Every refusal in both languages
 * leaves the database as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/config.h"
#include "handlers/evaluation.h"
#include "handlers/event.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "storage/sent_links.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400

static char *rooms[] = { "!werktafel:demo.test" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define ROOM "!werktafel:demo.test"
#define SECR "@bram:demo.test"
#define CHAIR "@carla:demo.test"
#define MEMBER "@daan:demo.test"
#define OUTSIDER "@eva:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	f->room = ROOM;
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, NOW);
	room_members_set(f->db, ROOM, SECR, "join");
	room_members_set(f->db, ROOM, CHAIR, "join");
	room_members_set(f->db, ROOM, MEMBER, "join");
	room_members_mark_known(f->db, ROOM);
	*state = f;
	return 0;
}

/* Poll short_id's start event went out as event_id. */
static void sent(struct fx_cmds *f, long long short_id, const char *event_id)
{
	assert_int_equal(db_execf(f->db, "UPDATE polls SET event_id = ?1 WHERE short_id = ?2", "ti",
				  event_id, (sqlite3_int64)short_id), 0);
}

/* A response from who choosing answer key of the poll sent as target. */
static void vote(struct fx_cmds *f, const char *who, const char *target, const char *key)
{
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .room = ROOM, .now = f->now,
			      .lang = LANG_NL, .out = &out };
	struct wt_event ev = { .kind = WT_EV_POLL_RESPONSE, .sender = who,
			       .event_id = "$stem", .ts_ms = (long long)f->now * 1000 };
	ev.poll.target = target;
	ev.poll.answers[0] = key;
	ev.poll.n = 1;
	assert_int_equal(wt_handle_event(&ctx, &ev, NULL, NULL), WT_OK);
	wt_replies_free(&out);
}

/* A reply of body from who to event replied; its replies in *out. */
static int reply_to(struct fx_cmds *f, const char *who, const char *replied, const char *body,
		    struct wt_replies *out)
{
	struct wt_ctx ctx = { .db = f->db, .net = NULL, .room = "!dm:demo.test", .now = f->now,
			      .lang = LANG_NL, .out = out, .admins = admins };
	struct wt_event ev = { .kind = WT_EV_REPLY, .sender = who, .event_id = "$antwoord",
			       .body = body, .reply_to = replied, .ts_ms = (long long)f->now * 1000 };
	int rc = wt_handle_event(&ctx, &ev, NULL, NULL);
	ctx_release_owned(&ctx, 0);
	return rc;
}

/* The reply of f->out whose text has needle, or NULL. */
static const struct wt_reply *find(struct fx_cmds *f, const char *needle)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].markdown && strstr(f->out.v[i].markdown, needle))
			return &f->out.v[i];
	return NULL;
}

static void test_start(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!evaluatie start werktafel tot 1-2-2027");
	/* Two polls, three DMs, the confirmation. */
	assert_int_equal(f->out.n, 6);
	assert_string_equal(f->out.v[0].event_type, "org.matrix.msc3381.poll.start");
	assert_non_null(strstr(f->out.v[0].content, "poll.undisclosed"));
	assert_non_null(strstr(f->out.v[1].content, "toegevoegde waarde"));
	assert_string_equal(f->out.v[2].to_user, SECR);
	assert_string_equal(f->out.v[3].to_user, CHAIR);
	assert_string_equal(f->out.v[4].to_user, MEMBER);
	assert_true(f->out.v[2].notify);
	assert_string_equal(f->out.v[2].link_kind, SENT_LINK_EVAL);
	assert_non_null(strstr(f->out.v[2].markdown, "Wat gaat goed aan de werktafel"));
	assert_non_null(strstr(f->out.v[5].markdown, "Evaluatie 1 gestart: Functioneren en "
		"toegevoegde waarde van de werktafel, tot maandag 1 februari"));
	assert_non_null(strstr(f->out.v[5].markdown, "gestuurd aan 3 personen"));
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM polls WHERE anonymous = 1 AND"
		" kind = 'scale' AND ends_at = (SELECT deadline FROM evaluations)"), 2);
	assert_int_equal(fx_count(f->db, "evaluation_members"), 3);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM evaluation_questions WHERE"
		" kind = 'open' AND poll_id IS NULL"), 1);
	/* One reminder per member three days before, one to the room at the end. */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind ="
		" 'evaluation.remind' AND state = 'pending' AND to_user IS NOT NULL"), 3);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind ="
		" 'evaluation.due' AND room_id = '" ROOM "'"), 1);
	/* The conditions, in English, by the chair, with the default deadline. */
	fx_ok(f, &net_en, CHAIR, "!evaluation start conditions");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM polls"), 7);
	assert_non_null(find(f, "Evaluation 2 started: Yearly evaluation on the five conditions"));
	assert_non_null(strstr(f->out.v[0].content, "Ambition: do we share"));
	assert_non_null(strstr(f->out.v[4].content, "Process:"));
	assert_int_equal(fx_int(f->db, "SELECT deadline - created_at FROM evaluations"
		" WHERE short_id = 2"), 14 * 86400);
}

static void test_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!evaluatie start werktafel", WT_EPERM, NULL);
	fx_refused(f, &net_en, MEMBER, "!evaluation start table", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!evaluatie start", WT_EUSAGE,
		   "Het sjabloon ontbreekt. De sjablonen zijn: werktafel, condities.");
	fx_refused(f, &net_en, SECR, "!evaluation start", WT_EUSAGE,
		   "The template is missing. The templates are: table, conditions.");
	fx_refused(f, &net_nl, SECR, "!evaluatie start jaar", WT_EUSAGE, "Het sjabloon jaar ken ik niet");
	fx_refused(f, &net_en, SECR, "!evaluation start year", WT_EUSAGE, "I do not know the template year");
	fx_refused(f, &net_nl, SECR, "!evaluatie start werktafel morgen", WT_EUSAGE,
		   "alleen `tot <datum>`");
	fx_refused(f, &net_en, SECR, "!evaluation start table tomorrow", WT_EUSAGE,
		   "only `until <date>`");
	fx_refused(f, &net_nl, SECR, "!evaluatie start werktafel tot ooit", WT_EUSAGE,
		   "Die einddatum lees ik niet");
	fx_refused(f, &net_en, SECR, "!evaluation start table until someday", WT_EUSAGE,
		   "I cannot read that deadline");
	fx_refused(f, &net_nl, SECR, "!evaluatie start werktafel tot vandaag 23:00", WT_EUSAGE,
		   "minstens een dag");
	fx_refused(f, &net_en, SECR, "!evaluation start table until today 23:00", WT_EUSAGE,
		   "at least a day");
	fx_refused(f, &net_nl, MEMBER, "!evaluatie", WT_EUSAGE, "Zeg welke evaluatie");
	fx_refused(f, &net_en, MEMBER, "!evaluation", WT_EUSAGE, "Say which evaluation");
	fx_refused(f, &net_nl, MEMBER, "!evaluatie 4", WT_ENOTFOUND, "Evaluatie 4 bestaat niet");
	fx_refused(f, &net_en, MEMBER, "!evaluation 4", WT_ENOTFOUND, "Evaluation 4 does not exist");
	fx_refused(f, &net_nl, SECR, "!evaluatie sluit", WT_EUSAGE, "Het nummer van de evaluatie");
	fx_refused(f, &net_en, SECR, "!evaluation close", WT_EUSAGE, "The number of the evaluation");
	fx_refused(f, &net_nl, MEMBER, "!evaluatie antwoord 4 iets", WT_ENOTFOUND, "bestaat niet");
	assert_int_equal(fx_count(f->db, "evaluations"), 0);
	fx_ok(f, &net_nl, SECR, "!evaluatie start werktafel tot 1-2-2027");
	fx_refused(f, &net_nl, MEMBER, "!evaluatie sluit 1", WT_EPERM, NULL);
	fx_refused(f, &net_en, MEMBER, "!evaluation close 1", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!evaluatie sluit 1 nu", WT_EUSAGE, NULL);
	fx_refused(f, &net_nl, MEMBER, "!evaluatie antwoord 1", WT_EUSAGE, "Het antwoord ontbreekt");
	fx_refused(f, &net_en, MEMBER, "!evaluation answer 1", WT_EUSAGE, "The answer is missing");
	fx_refused(f, &net_nl, OUTSIDER, "!evaluatie antwoord 1 Prima", WT_EPERM,
		   "U hoort niet bij de mensen");
	fx_refused(f, &net_en, OUTSIDER, "!evaluation answer 1 Fine", WT_EPERM,
		   "You are not among the people asked");
	fx_ok(f, &net_nl, SECR, "!evaluatie sluit 1");
	fx_refused(f, &net_nl, SECR, "!evaluatie sluit 1", WT_EUSAGE, "Evaluatie 1 is al gesloten");
	fx_refused(f, &net_en, MEMBER, "!evaluation answer 1 late", WT_EUSAGE,
		   "Evaluation 1 is already closed");
}

static void test_answers_and_state(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!evaluatie start werktafel tot 1-2-2027");
	sent(f, 1, "$p1");
	sent(f, 2, "$p2");
	long long eid = fx_int(f->db, "SELECT id FROM evaluations");
	int lrc = sent_links_add_sent(f->db, "$dm-daan", SENT_LINK_EVAL, eid);
	assert_int_equal(lrc, 0);
	fx_ok(f, &net_nl, CHAIR, "!evaluatie antwoord 1 Goede sfeer.\nMeer tijd voor inhoud.");
	fx_reply_has(f, "uw antwoord voor evaluatie 1 is opgeslagen");
	struct wt_replies out = { 0 };
	assert_int_equal(reply_to(f, MEMBER, "$dm-daan", "Korter vergaderen.", &out), WT_OK);
	assert_int_equal(out.n, 1);
	assert_non_null(strstr(out.v[0].markdown, "is opgeslagen"));
	wt_replies_free(&out);
	/* A newer answer replaces the earlier one. */
	assert_int_equal(reply_to(f, MEMBER, "$dm-daan", "Korter en vaker vergaderen.", &out), WT_OK);
	wt_replies_free(&out);
	/* A reply to another message is no answer. */
	assert_int_equal(reply_to(f, MEMBER, "$iets", "Ja", &out), WT_NOT_COMMAND);
	wt_replies_free(&out);
	assert_int_equal(fx_count(f->db, "evaluation_answers"), 2);
	vote(f, CHAIR, "$p1", "a8");
	vote(f, CHAIR, "$p2", "a7");
	vote(f, MEMBER, "$p1", "a6");
	fx_ok(f, &net_nl, MEMBER, "!evaluatie 1");
	fx_reply_has(f, "loopt tot maandag 1 februari");
	fx_reply_has(f, "Alles beantwoord: 1 van 3.");
	fx_reply_has(f, "1. Welk cijfer geeft u het functioneren van de werktafel? — 2 antwoorden");
	fx_reply_has(f, "2. Welk cijfer geeft u de toegevoegde waarde van de werktafel? — 1 antwoord");
	fx_reply_has(f, "3. Wat gaat goed aan de werktafel, en wat kan beter? — 2 antwoorden");
	assert_null(strstr(fx_reply0(f), "daan"));
	fx_ok(f, &net_en, MEMBER, "!evaluation 1");
	fx_reply_has(f, "Everything answered: 1 of 3.");
	/* The reminders: the one who answered everything gets none. */
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .now = f->now, .lang = LANG_NL,
			      .out = &out };
	struct strbuf sb = STRBUF_INIT;
	long long carla = fx_int(f->db, "SELECT id FROM evaluation_members WHERE user_id = '" CHAIR "'");
	long long daan = fx_int(f->db, "SELECT id FROM evaluation_members WHERE user_id = '" MEMBER "'");
	assert_int_equal(reminder_render(&ctx, "evaluation.remind", carla, &sb), 1);
	assert_int_equal(reminder_render(&ctx, "evaluation.remind", daan, &sb), 0);
	assert_non_null(strstr(sb.buf, "Herinnering: evaluatie 1 van de werktafel demo loopt tot"));
	sb_reset(&sb);
	/* At the deadline the round closes itself: no text of its own, the
	 * summary, the report files and the polls' end events instead. */
	size_t before = out.n;
	assert_int_equal(reminder_render(&ctx, "evaluation.due", eid, &sb), 1);
	assert_int_equal(sb.len, 0);
	assert_true(out.n > before + 2);
	assert_non_null(strstr(out.v[before].markdown, "Evaluatie 1"));
	int files = 0;
	for (size_t i = before; i < out.n; i++)
		files += out.v[i].kind == REPLY_FILE;
	assert_int_equal(files, 2);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM evaluations WHERE closed_at IS NOT NULL"), 1);
	fx_refused(f, &net_nl, SECR, "!evaluatie sluit 1", WT_EUSAGE, "Evaluatie 1 is al gesloten");
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "evaluation.remind", daan, &sb), 1);
	assert_int_equal(reminder_render(&ctx, "evaluation.due", eid, &sb), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind LIKE"
		" 'evaluation.%' AND state = 'pending'"), 0);
	sb_release(&sb);
	ctx_release_owned(&ctx, 0);
	wt_replies_free(&out);
}

static void test_close_report(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!evaluatie start condities tot 1-2-2027");
	for (int i = 1; i <= 5; i++) {
		char ev[16];
		snprintf(ev, sizeof ev, "$c%d", i);
		sent(f, i, ev);
	}
	vote(f, CHAIR, "$c1", "a6");
	vote(f, MEMBER, "$c1", "a7");
	vote(f, CHAIR, "$c2", "a5");
	fx_ok(f, &net_nl, CHAIR, "!evaluatie antwoord 1 Ambitie helder, proces stroef.");
	fx_ok(f, &net_nl, SECR, "!evaluatie sluit 1");
	const struct wt_reply *sum = find(f, "# Evaluatie 1: Jaarlijkse evaluatie op de vijf condities");
	assert_non_null(sum);
	/* The answer first, then the files, then the polls' end events. */
	assert_ptr_equal(sum, &f->out.v[0]);
	assert_int_equal(f->out.v[1].kind, REPLY_FILE);
	assert_int_equal(f->out.v[3].kind, REPLY_EVENT);
	assert_int_equal(sum->kind, REPLY_NOTICE);
	assert_non_null(strstr(sum->markdown, "**Ambitie: delen we een duidelijke, gezamenlijke"
		" ambitie?**: gemiddeld 6,5 (2 stemmen)"));
	assert_non_null(strstr(sum->markdown, "gemiddeld 5,0 (1 stem)"));
	assert_non_null(strstr(sum->markdown, "geen stemmen"));
	assert_null(strstr(sum->markdown, "proces stroef"));
	int md = 0, html = 0, ends = 0;
	for (size_t i = 0; i < f->out.n; i++) {
		const struct wt_reply *r = &f->out.v[i];
		if (r->kind == REPLY_FILE && !strcmp(r->filename, "evaluatie-1.md")) {
			md = 1;
			assert_non_null(strstr(r->markdown, "## Toelichting"));
			assert_non_null(strstr(r->markdown, "- Ambitie helder, proces stroef."));
		}
		html += r->kind == REPLY_FILE && !strcmp(r->filename, "evaluatie-1.html");
		ends += r->kind == REPLY_EVENT;
	}
	assert_true(md && html);
	assert_int_equal(ends, 5);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM polls WHERE ended_at IS NULL"), 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM evaluation_questions"
		" WHERE average IS NOT NULL"), 2);
	/* A year later: compared with the previous round. */
	f->now += 365 * 86400;
	fx_ok(f, &net_en, SECR, "!evaluation start conditions until 1-2-2028");
	sent(f, 6, "$d1");
	vote(f, CHAIR, "$d1", "a8");
	fx_ok(f, &net_en, SECR, "!evaluation close 2");
	sum = find(f, "# Evaluation 2: Yearly evaluation on the five conditions");
	assert_non_null(sum);
	assert_non_null(strstr(sum->markdown, "Compared with the previous evaluation of"));
	assert_non_null(strstr(sum->markdown, "average 8.0 (1 vote); last time 6.5 (+1.5)"));
	assert_non_null(strstr(sum->markdown, "no votes; last time 5.0"));
	assert_non_null(find(f, "No answers."));
	/* The state of a closed round. */
	fx_ok(f, &net_nl, MEMBER, "!evaluatie 1");
	fx_reply_has(f, "gesloten op");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_answers_and_state, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_close_report, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
