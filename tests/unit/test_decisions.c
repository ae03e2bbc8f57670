/* Meeting mode through wt_dispatch_message, wt_dispatch_edit and
 * wt_dispatch_redact: logging in and outside a meeting, bad input (with the
 * database checked unchanged), edits and redactions, undo, the decisions
 * register's filters and permalink, and action items with their reminders. */
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
#include "storage/decisions.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC (13:00 in Amsterdam). */
#define NOW 1800014400
#define DAY 86400
#define ROOM "!room:demo.test"

static char *rooms[] = { ROOM };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define CHAIR "@anna:demo.test"
#define MEMBER "@daan:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, NOW);
	f->now = NOW;
	*state = f;
	return 0;
}

static struct wt_ctx ctx_for(struct fx_cmds *f, const char *sender, const char *event)
{
	wt_replies_free(&f->out);
	return (struct wt_ctx){
		.db = f->db, .net = &net, .sender = sender, .room = ROOM, .event_id = event,
		.now = f->now, .lang = LANG_NL, .admins = admins, .out = &f->out,
	};
}

/* One message as the Matrix client hands it over, in its own transaction. */
static int msg(struct fx_cmds *f, const char *sender, const char *event, const char *body)
{
	struct wt_ctx ctx = ctx_for(f, sender, event);
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_dispatch_message(&ctx, body);
	assert_int_equal(db_commit(f->db), 0);
	return rc;
}

static int edit(struct fx_cmds *f, const char *sender, const char *orig, const char *body)
{
	struct wt_ctx ctx = ctx_for(f, sender, "$edit:demo.test");
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_dispatch_edit(&ctx, orig, body);
	assert_int_equal(db_commit(f->db), 0);
	return rc;
}

static int redact(struct fx_cmds *f, const char *sender, const char *orig)
{
	struct wt_ctx ctx = ctx_for(f, sender, "$redaction:demo.test");
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_dispatch_redact(&ctx, orig);
	assert_int_equal(db_commit(f->db), 0);
	return rc;
}

/* A command that must succeed. */
static void ok(struct fx_cmds *f, const char *sender, const char *body)
{
	int rc = msg(f, sender, "$cmd:demo.test", body);
	if (rc != WT_OK)
		fail_msg("%s: %d: %s", body, rc, f->out.n ? f->out.v[0].markdown : "(none)");
}

static long long count(struct fx_cmds *f, const char *sql)
{
	sqlite3_stmt *st = db_prepare(f->db, sql);
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

static long long kind_count(struct fx_cmds *f, const char *kind)
{
	if (!strcmp(kind, "decision"))
		return count(f, "SELECT count(*) FROM logged_items WHERE kind = 'decision'");
	if (!strcmp(kind, "action"))
		return count(f, "SELECT count(*) FROM logged_items WHERE kind = 'action'");
	return count(f, "SELECT count(*) FROM logged_items WHERE kind = 'note'");
}

/* Text of the logged item of kind with this short id (or the note at part). */
static char *text_of(struct fx_cmds *f, const char *sql_with_one_text_column)
{
	sqlite3_stmt *st = db_prepare(f->db, sql_with_one_text_column);
	assert_non_null(st);
	char *s = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = strdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return s;
}

static void reply_has(struct fx_cmds *f, size_t i, const char *needle)
{
	assert_true(f->out.n > i);
	if (!strstr(f->out.v[i].markdown, needle))
		fail_msg("reply %zu lacks \"%s\":\n%s", i, needle, f->out.v[i].markdown);
}

/* A message that must be refused with one error reply containing needle,
 * leaving the tables as they were (but attendance: whoever sends a message
 * during a meeting spoke in it, refused or not). */
static void refused(struct fx_cmds *f, const char *sender, const char *body, const char *needle)
{
	char *before = fx_snapshot(f->db, "meeting_attendees");
	int rc = msg(f, sender, "$bad:demo.test", body);
	if (rc >= 0)
		fail_msg("%s: accepted (%d)", body, rc);
	assert_int_equal(f->out.n, 1);
	assert_true(f->out.v[0].is_error);
	reply_has(f, 0, needle);
	char *after = fx_snapshot(f->db, "meeting_attendees");
	fx_assert_same(before, after);
	free(before);
	free(after);
}

/* A planned meeting at NOW + 1 hour with two accepted items. */
static void plan_meeting(struct fx_cmds *f)
{
	ok(f, SECR, "!vergadering plan 15-01-2027 14:00 titel Werktafel januari");
	ok(f, SECR, "!agenda voorstel Scholingsdag\nthema: opleiding\nwaarom: nieuwe collega's");
	ok(f, SECR, "!agenda accepteer 1");
	ok(f, SECR, "!agenda voorstel Kwaliteit\nthema: kwaliteit");
	ok(f, SECR, "!agenda accepteer 2");
}

static void test_log_lines_in_meeting(void **state)
{
	struct fx_cmds *f = *state;
	plan_meeting(f);
	ok(f, SECR, "!vergadering start");
	reply_has(f, 0, "Vergadering 1");
	assert_int_equal(count(f, "SELECT count(*) FROM meetings WHERE state = 'open'"), 1);
	int rc = msg(f, SECR, "$m1:demo.test",
		     "Samengevat:\n#besluit Eén scholingsdag per jaar. AL7\n"
		     "#actie @eva:demo.test zaal reserveren voor 1 mei 2027\n"
		     "```\n#besluit niet dit\n```\n#info programma volgt");
	assert_int_equal(rc, WT_OK);
	/* Read back as understood (numbers, the owner as a pill, the due date
	 * written out), the owner told by direct message, one reaction. */
	assert_int_equal(f->out.n, 3);
	assert_int_equal(f->out.v[0].kind, REPLY_NOTICE);
	assert_string_equal(f->out.v[0].in_reply_to, "$m1:demo.test");
	reply_has(f, 0, "- Besluit 1: Eén scholingsdag per jaar\\. AL7\n");
	reply_has(f, 0, "- Actie 1 voor [eva](https://matrix.to/#/@eva:demo.test), uiterlijk "
		  "zaterdag 1 mei 2027: zaal reserveren\n");
	reply_has(f, 0, "- Notitie: programma volgt");
	assert_null(strstr(f->out.v[0].markdown, "zonder vergadering"));
	assert_int_equal(f->out.v[0].nmentions, 1);
	assert_string_equal(f->out.v[0].mentions[0], "@eva:demo.test");
	assert_string_equal(f->out.v[1].to_user, "@eva:demo.test");
	assert_true(f->out.v[1].notify);
	assert_int_equal(f->out.v[1].nmentions, 1);
	assert_null(f->out.v[1].in_reply_to);
	reply_has(f, 1, "Nieuwe actie 1 voor jou");
	reply_has(f, 1, "Uiterlijk zaterdag 1 mei 2027.");
	reply_has(f, 1, "`!actie klaar 1`");
	assert_int_equal(f->out.v[2].kind, REPLY_REACTION);
	assert_string_equal(f->out.v[2].markdown, "\xE2\x9C\x85");
	assert_string_equal(f->out.v[2].in_reply_to, "$m1:demo.test");
	assert_int_equal(kind_count(f, "decision"), 1);
	assert_int_equal(kind_count(f, "action"), 1);
	assert_int_equal(kind_count(f, "note"), 1);
	/* All linked to the meeting and its first item, in message order. */
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items l JOIN agenda_items a"
			       " ON a.id = l.agenda_item_id WHERE a.short_id = 1"
			       " AND l.meeting_id IS NOT NULL AND l.event_id = '$m1:demo.test'"), 3);
	char *parts = text_of(f, "SELECT group_concat(part, ',') FROM (SELECT part FROM logged_items ORDER BY id)");
	assert_string_equal(parts, "0,1,2");
	free(parts);
	/* The due date is cut from the text; AL7 does not exist, so no link. */
	char *t = text_of(f, "SELECT text FROM logged_items WHERE kind = 'action'");
	assert_string_equal(t, "zaal reserveren");
	free(t);
	assert_int_equal(count(f, "SELECT due_at FROM logged_items WHERE kind = 'action'"),
			 1809154800); /* 1 May 2027 09:00 Amsterdam */
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE action_line IS NOT NULL"), 0);
	/* The owner's reminder on the due date. */
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'action.due'"
			       " AND to_user = '@eva:demo.test' AND state = 'pending'"
			       " AND due_at = 1809154800"), 1);
	/* !punt moves on; the chair logs there by command. */
	ok(f, SECR, "!punt volgende");
	reply_has(f, 0, "Nu punt 2 van 2: **Kwaliteit**");
	rc = msg(f, CHAIR, "$m2:demo.test", "!besluit We meten drie indicatoren.");
	assert_int_equal(rc, WT_OK);
	assert_int_equal(f->out.n, 2);
	reply_has(f, 0, "Besluit 2: We meten drie indicatoren\\.");
	assert_int_equal(f->out.v[1].kind, REPLY_REACTION);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items l JOIN agenda_items a"
			       " ON a.id = l.agenda_item_id WHERE a.short_id = 2"), 1);
	/* Who spoke is noted; the meeting closes with summary and two files. */
	msg(f, MEMBER, "$chat:demo.test", "gewoon een opmerking");
	ok(f, SECR, "!vergadering einde");
	assert_int_equal(f->out.n, 3);
	reply_has(f, 0, "Vergadering 1 (Werktafel januari) is gesloten");
	reply_has(f, 0, "[anna](https://matrix.to/#/@anna:demo.test)");
	reply_has(f, 0, "[daan](https://matrix.to/#/@daan:demo.test)");
	reply_has(f, 0, "Besluit 2: We meten drie indicatoren");
	assert_int_equal(f->out.v[1].kind, REPLY_FILE);
	assert_string_equal(f->out.v[1].filename, "notulen-vergadering-1-2027-01-15.md");
	assert_string_equal(f->out.v[2].filename, "notulen-vergadering-1-2027-01-15.html");
	assert_non_null(strstr(f->out.v[2].markdown, "<!DOCTYPE html>"));
	assert_int_equal(count(f, "SELECT count(*) FROM meetings WHERE state = 'closed'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM meeting_runs WHERE closed_at IS NULL"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM meeting_attendees"), 3);
}

static void test_bad_input(void **state)
{
	struct fx_cmds *f = *state;
	/* No meeting open: a decision is logged standalone, and the reply says so. */
	int rc = msg(f, SECR, "$s1:demo.test", "#besluit Per mail besloten: geen zomerstop.");
	assert_int_equal(rc, WT_OK);
	assert_int_equal(f->out.n, 2);
	reply_has(f, 0, "Zonder vergadering vastgelegd");
	assert_int_equal(f->out.v[1].kind, REPLY_REACTION);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE kind = 'decision'"
			       " AND meeting_id IS NULL"), 1);
	/* A note needs a meeting. */
	refused(f, SECR, "#info zomaar", "hoort bij een vergadering");
	/* An action without owner, with an owner that is no Matrix id, with a
	 * date in the past. */
	refused(f, SECR, "!actie zaal reserveren", "eigenaar nodig");
	refused(f, SECR, "#actie zaal reserveren", "Regel 1: Een actie heeft een eigenaar nodig");
	refused(f, SECR, "#actie @eva zaal reserveren", "Regel 1: Ik weet niet wie \"\\@eva\" is");
	refused(f, SECR, "#actie @eva:demo.test zaal voor 10-01-2027", "De datum na \"voor\"");
	/* All or nothing: one bad line keeps the good one out too. */
	refused(f, SECR, "#besluit goed\n#actie zonder eigenaar", "Regel 2:");
	/* Members do not log. */
	refused(f, MEMBER, "#besluit ik beslis", "secretaris of de voorzitter");
	refused(f, MEMBER, "!besluit ik beslis", "secretaris of de voorzitter");
	/* Empty texts. */
	refused(f, SECR, "#besluit", "geen tekst");
	/* Meeting commands without an open meeting. */
	refused(f, SECR, "!vergadering einde", "geen vergadering open");
	refused(f, SECR, "!punt 1", "geen vergadering open");
	/* A meeting started twice: one per room. */
	plan_meeting(f);
	ok(f, SECR, "!vergadering start 1");
	refused(f, SECR, "!vergadering start", "al geopend");
	refused(f, SECR, "!meeting start 1", "al geopend");
	assert_int_equal(count(f, "SELECT count(*) FROM meeting_runs"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM meetings"), 1);
	refused(f, SECR, "!punt 9", "Punt 9 staat niet op de agenda");
	refused(f, SECR, "!punt vijf", "\"vijf\" is geen onderdeel van `!punt`");
	refused(f, MEMBER, "!punt 2", "Dit mag alleen");
	refused(f, MEMBER, "!vergadering einde", "Dit mag alleen");
	/* Nothing was lost: the first decision is still there. */
	assert_int_equal(kind_count(f, "decision"), 1);
	/* Ordinary chat is not for the bot. */
	assert_int_equal(msg(f, MEMBER, "$chat:demo.test", "tot straks"), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
}

static void test_edit_and_redact(void **state)
{
	struct fx_cmds *f = *state;
	plan_meeting(f);
	ok(f, SECR, "!vergadering start");
	assert_int_equal(msg(f, SECR, "$m1:demo.test",
			     "#besluit eerste tekst\n#actie @eva:demo.test zaal reserveren"), WT_OK);
	assert_int_equal(kind_count(f, "decision"), 1);
	/* The edit changes the decision (same short id), drops the action, adds
	 * a note; no second reaction. */
	f->now += 60;
	int rc = edit(f, SECR, "$m1:demo.test", "#besluit tweede tekst\n#info erbij");
	assert_int_equal(rc, WT_OK);
	/* Read back again, on the original; nobody to tell. */
	assert_int_equal(f->out.n, 1);
	assert_string_equal(f->out.v[0].in_reply_to, "$m1:demo.test");
	reply_has(f, 0, "- Besluit 1: tweede tekst\n- Notitie: erbij");
	assert_int_equal(f->out.v[0].nmentions, 0);
	char *t = text_of(f, "SELECT text FROM logged_items WHERE kind = 'decision' AND short_id = 1");
	assert_string_equal(t, "tweede tekst");
	free(t);
	assert_int_equal(count(f, "SELECT edited_at FROM logged_items WHERE kind = 'decision'"), NOW + 60);
	assert_int_equal(kind_count(f, "action"), 0);
	assert_int_equal(kind_count(f, "note"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE kind = 'note'"
			       " AND meeting_id IS NOT NULL AND event_id = '$m1:demo.test'"), 1);
	/* A bad edit changes nothing and says why. */
	char *before = fx_snapshot(f->db, "meeting_attendees");
	rc = edit(f, SECR, "$m1:demo.test", "#besluit derde\n#actie geen eigenaar");
	assert_true(rc < 0);
	reply_has(f, 0, "Regel 2");
	char *after = fx_snapshot(f->db, "meeting_attendees");
	fx_assert_same(before, after);
	free(after);
	/* Someone else's "edit" of the message is ignored. */
	rc = edit(f, CHAIR, "$m1:demo.test", "#besluit gekaapt");
	assert_int_equal(rc, WT_NOT_COMMAND);
	after = fx_snapshot(f->db, "meeting_attendees");
	fx_assert_same(before, after);
	free(after);
	free(before);
	/* An ordinary message edited into one with a tag: logged, reaction on
	 * the original. */
	assert_int_equal(msg(f, SECR, "$m2:demo.test", "gewoon praten"), WT_NOT_COMMAND);
	assert_int_equal(edit(f, SECR, "$m2:demo.test", "nog steeds praten"), WT_NOT_COMMAND);
	assert_int_equal(edit(f, SECR, "$m2:demo.test", "#besluit toch een besluit"), WT_OK);
	assert_int_equal(f->out.n, 2);
	reply_has(f, 0, "Besluit 2: toch een besluit");
	assert_int_equal(f->out.v[1].kind, REPLY_REACTION);
	assert_string_equal(f->out.v[1].in_reply_to, "$m2:demo.test");
	assert_int_equal(kind_count(f, "decision"), 2);
	/* A logging command can be edited too. */
	assert_int_equal(msg(f, SECR, "$m3:demo.test", "!actie @eva:demo.test bellen"), WT_OK);
	assert_int_equal(edit(f, SECR, "$m3:demo.test", "!actie @carla:demo.test mailen voor 1 mei 2027"), WT_OK);
	/* The new owner is told, once; the old one is not told again. */
	assert_int_equal(f->out.n, 2);
	assert_string_equal(f->out.v[1].to_user, "@carla:demo.test");
	assert_int_equal(f->out.v[0].nmentions, 1);
	assert_int_equal(edit(f, SECR, "$m3:demo.test", "!actie @carla:demo.test mailen voor 2 mei 2027"), WT_OK);
	assert_int_equal(f->out.n, 1);
	reply_has(f, 0, "uiterlijk zondag 2 mei 2027");
	assert_int_equal(f->out.v[0].nmentions, 0);  /* not pinged again */
	assert_int_equal(edit(f, SECR, "$m3:demo.test", "!actie @carla:demo.test mailen voor 1 mei 2027"), WT_OK);
	t = text_of(f, "SELECT owner || ' ' || text FROM logged_items WHERE event_id = '$m3:demo.test'");
	assert_string_equal(t, "@carla:demo.test mailen");
	free(t);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE to_user = '@carla:demo.test'"
			       " AND state = 'pending'"), 1);
	/* Redacting removes everything logged from the message, and the
	 * action's reminder. */
	assert_int_equal(redact(f, CHAIR, "$m1:demo.test"), WT_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE event_id = '$m1:demo.test'"), 0);
	assert_int_equal(redact(f, SECR, "$m3:demo.test"), WT_OK);
	assert_int_equal(kind_count(f, "action"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 0);
	assert_int_equal(redact(f, SECR, "$nothing:demo.test"), WT_NOT_COMMAND);
	/* A standalone decision edited to carry a note: a note needs a meeting. */
	ok(f, SECR, "!vergadering einde");
	assert_int_equal(msg(f, SECR, "$m4:demo.test", "#besluit los"), WT_OK);
	assert_true(edit(f, SECR, "$m4:demo.test", "#besluit los\n#info erbij") < 0);
	reply_has(f, 0, "hoort bij een vergadering");
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE event_id = '$m4:demo.test'"), 1);
	assert_int_equal(redact(f, SECR, "$m4:demo.test"), WT_OK);
	assert_int_equal(kind_count(f, "decision"), 1);
}

static void test_undo(void **state)
{
	struct fx_cmds *f = *state;
	refused(f, SECR, "!ongedaan", "niets vastgelegd");
	ok(f, SECR, "!besluit eerste");
	ok(f, CHAIR, "!besluit van de voorzitter");
	ok(f, SECR, "!actie @eva:demo.test iets doen voor 1 mei 2027");
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 1);
	ok(f, SECR, "!ongedaan");
	reply_has(f, 0, "Verwijderd: Actie 1");
	assert_int_equal(kind_count(f, "action"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 0);
	ok(f, SECR, "!undo");
	reply_has(f, 0, "Besluit 1: eerste");
	/* The chair's decision stays. */
	assert_int_equal(kind_count(f, "decision"), 1);
	refused(f, SECR, "!ongedaan", "niets vastgelegd");
	refused(f, SECR, "!ongedaan alles", "niets meer achter");
}

/* Items become discussed when the meeting reaches them; on closing, the
 * ones it did not reach are named with how to move them on. */
static void test_items_reached(void **state)
{
	struct fx_cmds *f = *state;
	plan_meeting(f);
	ok(f, SECR, "!vergadering plan 12-02-2027 14:00 titel Werktafel februari");
	ok(f, SECR, "!vergadering start");
	assert_int_equal(count(f, "SELECT count(*) FROM agenda_items WHERE state = 'discussed'"
			       " AND short_id = 1"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM agenda_items WHERE state = 'accepted'"
			       " AND short_id = 2"), 1);
	ok(f, SECR, "!vergadering einde");
	size_t last = f->out.n - 1;
	reply_has(f, last, "niet bereikt");
	reply_has(f, last, "- punt 2: Kwaliteit (#2)");
	reply_has(f, last, "`!agenda uitstel 2`");
	/* The hint works: the item moves to the next meeting. */
	ok(f, SECR, "!agenda uitstel 2");
	reply_has(f, 0, "vergadering 2");
	assert_int_equal(count(f, "SELECT count(*) FROM agenda_items i JOIN meetings m"
			       " ON m.id = i.meeting_id WHERE i.short_id = 2 AND m.short_id = 2"
			       " AND i.state = 'deferred'"), 1);
	/* A meeting that reaches every item says nothing more. */
	ok(f, SECR, "!agenda accepteer 2");
	f->now = NOW + 28 * DAY;   /* an hour before meeting 2 */
	ok(f, SECR, "!vergadering start");
	reply_has(f, 0, "Vergadering 2");
	ok(f, SECR, "!vergadering einde");
	for (size_t i = 0; i < f->out.n; i++)
		assert_null(strstr(f->out.v[i].markdown, "niet bereikt"));
	assert_int_equal(count(f, "SELECT count(*) FROM agenda_items WHERE state = 'accepted'"), 0);
}

/* Decisions in several places and times for the register's filters. */
static void register_fixture(struct fx_cmds *f)
{
	assert_int_equal(db_execf(f->db, "INSERT INTO action_lines(network, short_id, title,"
				  " status_at, created_at) VALUES ('demo', 2, 'Scholing', ?1, ?1)",
				  "i", (sqlite3_int64)NOW), 0);
	ok(f, SECR, "!besluit Standalone in januari");              /* 1, Jan */
	plan_meeting(f);
	ok(f, SECR, "!vergadering start");
	ok(f, SECR, "!besluit Scholingsdag in het najaar, zie AL2"); /* 2, item 1 (opleiding) */
	ok(f, SECR, "!punt 2");
	ok(f, SECR, "!besluit Drie indicatoren meten");             /* 3, item 2 (kwaliteit) */
	ok(f, SECR, "!vergadering einde");
	f->now = NOW + 60 * DAY;                                     /* mid March */
	ok(f, SECR, "!besluit Nog een scholingsbesluit A5");         /* 4, standalone, March */
}

static void test_register_filters(void **state)
{
	struct fx_cmds *f = *state;
	register_fixture(f);
	struct decision_filter all = { 0 };
	struct wt_logged *v;
	int n = decisions_search(f->db, "demo", &all, &v);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].short_id, 4); /* newest first */
	assert_int_equal(v[3].short_id, 1);
	logged_list_free(v, (size_t)n);
	struct decision_filter term = { .term = "SCHOLING" };
	assert_int_equal(decisions_count(f->db, "demo", &term), 2);
	struct decision_filter theme = { .theme = "Kwaliteit" };
	n = decisions_search(f->db, "demo", &theme, &v);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].short_id, 3);
	logged_list_free(v, (size_t)n);
	struct decision_filter al = { .action_line = 2 };
	assert_int_equal(decisions_count(f->db, "demo", &al), 1);
	struct decision_filter max = { .max = 2 };
	n = decisions_search(f->db, "demo", &max, &v);
	assert_int_equal(n, 2);
	logged_list_free(v, (size_t)n);

	/* The same through the command. */
	ok(f, MEMBER, "!besluiten");
	reply_has(f, 0, "(4 van 4, nieuwste eerst)");
	reply_has(f, 0, "- **3** · vergadering 1, vr 15 jan 2027 · Drie indicatoren meten");
	reply_has(f, 0, "- **1** · zonder vergadering");
	ok(f, MEMBER, "!besluiten scholing");
	reply_has(f, 0, "(2 van 2");
	ok(f, MEMBER, "!besluiten thema:opleiding");
	reply_has(f, 0, "(1 van 1");
	reply_has(f, 0, "Scholingsdag in het najaar");
	reply_has(f, 0, "(actielijn AL2)");
	ok(f, MEMBER, "!besluiten AL2");
	reply_has(f, 0, "**2**");
	ok(f, MEMBER, "!besluiten 2027-03");
	reply_has(f, 0, "(1 van 1");
	reply_has(f, 0, "**4**");
	ok(f, MEMBER, "!besluiten 2027-K1 scholing");
	reply_has(f, 0, "(2 van 2");
	ok(f, MEMBER, "!besluiten 2027-01");
	reply_has(f, 0, "(3 van 3");
	ok(f, MEMBER, "!besluiten 2026");
	reply_has(f, 0, "Geen besluiten gevonden");
	refused(f, MEMBER, "!besluiten 2027-13", "geen periode");
	refused(f, MEMBER, "!besluiten thema:", "hoort een thema");
}

static void test_show_decision_permalink(void **state)
{
	struct fx_cmds *f = *state;
	plan_meeting(f);
	ok(f, SECR, "!vergadering start");
	assert_int_equal(msg(f, SECR, "$abc/def:demo.test", "#besluit Met link"), WT_OK);
	ok(f, MEMBER, "!besluit 1");
	reply_has(f, 0, "**Besluit 1**");
	reply_has(f, 0, "Agendapunt: Scholingsdag");
	reply_has(f, 0, "Thema: opleiding");
	reply_has(f, 0, "https://matrix.to/#/%21room%3Ademo.test/%24abc%2Fdef%3Ademo.test?via=demo.test");
	refused(f, MEMBER, "!besluit 9", "Besluit 9 bestaat niet");
}

/* The line of reply i that starts with prefix, copied into out (empty when
 * there is none). */
static void line_of(struct fx_cmds *f, size_t i, const char *prefix, char *out, size_t size)
{
	assert_true(f->out.n > i);
	const char *p = strstr(f->out.v[i].markdown, prefix);
	out[0] = '\0';
	if (p)
		snprintf(out, size, "%.*s", (int)strcspn(p, "\n"), p);
}

/* !besluit <id> and !besluiten give a decision the same date: the day its
 * meeting was held, also when it was logged after midnight; a decision
 * without a meeting the day it was logged. */
static void test_decision_dates_agree(void **state)
{
	struct fx_cmds *f = *state;
	char one[256], reg[256];
	plan_meeting(f);
	f->now = NOW + 3600; /* Friday 15 January 14:00 */
	ok(f, SECR, "!vergadering start");
	f->now = NOW + DAY;  /* still open on Saturday */
	ok(f, SECR, "#besluit Laat op de dag genomen");
	ok(f, MEMBER, "!besluit 1");
	line_of(f, 0, "- Vergadering 1 ", one, sizeof one);
	assert_string_equal(one, "- Vergadering 1 (Werktafel januari), vr 15 jan 2027");
	ok(f, MEMBER, "!besluiten");
	line_of(f, 0, "- **1** · ", reg, sizeof reg);
	assert_non_null(strstr(reg, "vergadering 1, vr 15 jan 2027 ·"));
	ok(f, SECR, "!vergadering einde");
	/* Without a meeting: the day it was logged, in both. */
	f->now = NOW + 2 * DAY;
	ok(f, SECR, "!besluit Per mail genomen");
	ok(f, MEMBER, "!besluit 2");
	reply_has(f, 0, "Zonder vergadering vastgelegd.");
	reply_has(f, 0, ") op zondag 17 januari om 13:00");
	ok(f, MEMBER, "!besluiten");
	line_of(f, 0, "- **2** · ", reg, sizeof reg);
	assert_non_null(strstr(reg, "zonder vergadering, zo 17 jan 2027 ·"));
}

static void test_actions(void **state)
{
	struct fx_cmds *f = *state;
	ok(f, MEMBER, "!acties");
	reply_has(f, 0, "geen acties open");
	ok(f, SECR, "!actie @eva:demo.test offerte opvragen voor 20-01-2027");
	/* The new action's owner is addressed: the reply notifies exactly her. */
	size_t k = 0;
	while (k < f->out.n && f->out.v[k].kind != REPLY_NOTICE)
		k++;
	assert_true(k < f->out.n);
	assert_true(f->out.v[k].notify);
	assert_int_equal(f->out.v[k].nmentions, 1);
	assert_string_equal(f->out.v[k].mentions[0], "@eva:demo.test");
	ok(f, SECR, "!actie @daan:demo.test notitie schrijven voor 1 mei 2027");
	ok(f, SECR, "!actie @eva:demo.test zonder datum");
	f->now = NOW + 10 * DAY;
	/* Daan's own first; the overdue one marked. */
	ok(f, MEMBER, "!acties");
	reply_has(f, 0, "**Open acties** (3)");
	const char *r = f->out.v[0].markdown;
	const char *daan = strstr(r, "**2**"), *eva = strstr(r, "**1**");
	assert_non_null(daan);
	assert_non_null(eva);
	assert_true(daan < eva);
	reply_has(f, 0, "offerte opvragen (uiterlijk woensdag 20 januari 2027) **te laat**");
	/* Only the owner or the secretary changes an action. */
	refused(f, MEMBER, "!actie klaar 1", "alleen die");
	refused(f, MEMBER, "!actie klaar 9", "Actie 9 bestaat niet");
	refused(f, MEMBER, "!actie klaar", "Welke actie");
	/* The reminder's text as the scheduler writes it on the due date. */
	long long id2 = count(f, "SELECT id FROM logged_items WHERE kind = 'action' AND short_id = 2");
	struct wt_ctx rctx = ctx_for(f, "@daan:demo.test", NULL);
	struct strbuf text = STRBUF_INIT;
	assert_int_equal(reminder_render(&rctx, "action.due", id2, &text), 0);
	if (!strstr(text.buf, "actie 2 moet vandaag af zijn: notitie schrijven"))
		fail_msg("reminder text: %s", text.buf);
	sb_reset(&text);
	assert_int_equal(reminder_generate_all(&rctx), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'action.due'"
			       " AND state = 'pending'"), 2);
	ok(f, MEMBER, "!actie klaar 2");
	reply_has(f, 0, "Actie 2 is klaar");
	/* Done: the reminder is dropped when it would fire. */
	rctx = ctx_for(f, "@daan:demo.test", NULL);
	assert_int_equal(reminder_render(&rctx, "action.due", id2, &text), 1);
	sb_release(&text);
	refused(f, MEMBER, "!actie klaar 2", "al klaar");
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE ref_id = (SELECT id FROM"
			       " logged_items WHERE short_id = 2 AND kind = 'action')"
			       " AND state = 'pending'"), 0);
	ok(f, SECR, "!actie verzet 1 1 juni 2027");
	reply_has(f, 0, "Actie 1 moet nu uiterlijk dinsdag 1 juni 2027 af zijn.");
	assert_int_equal(count(f, "SELECT due_at FROM logged_items WHERE kind = 'action' AND short_id = 1"),
			 1811833200); /* 1 June 2027 09:00 Amsterdam */
	assert_int_equal(count(f, "SELECT due_at FROM reminders WHERE state = 'pending' AND ref_id ="
			       " (SELECT id FROM logged_items WHERE kind = 'action' AND short_id = 1)"),
			 1811833200);
	refused(f, SECR, "!actie verzet 1 gisteren", "voorbij");
	refused(f, SECR, "!actie verzet 1", "Tot wanneer");
	ok(f, MEMBER, "!acties");
	reply_has(f, 0, "**Open acties** (2)");
}

/* With log_anyone set for the network, a member may log too. */
static void test_log_anyone(void **state)
{
	struct fx_cmds *f = *state;
	refused(f, MEMBER, "#besluit ik ben maar lid", "secretaris of de voorzitter");
	net.log_anyone = 1;
	int rc = msg(f, MEMBER, "$m1:demo.test", "#besluit nu mag het wel");
	net.log_anyone = 0;
	assert_int_equal(rc, WT_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE logged_by = '" MEMBER "'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_log_lines_in_meeting, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_edit_and_redact, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_undo, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_items_reached, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_register_filters, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_show_decision_permalink, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_decision_dates_agree, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_actions, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_log_anyone, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
