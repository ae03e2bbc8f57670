/* The typed entry point (handlers/event.h): bot/sync_event.c's reader on
 * Element-shaped JSON (message with pills, reply with its fallback, a
 * thread's fallback, edit, edit of a reply, reaction, redactions of both
 * room versions, what is no event for the handlers), and wt_handle_event
 * fed edits, reactions, replies and redactions without a network, against
 * real storage in memory: an edit moves a logged decision (only its
 * author's), a 👍 on a recurring room reminder subscribes once, a reply
 * "snooze" snoozes a reminder, a reply's quote reaches !herinner, an edit
 * of a refused command runs it as a correction, the bot's own events and
 * unwanted kinds do nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/sync_event.h"
#include "handlers/event.h"
#include "storage/command_edits.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC (13:00 in Amsterdam), a Friday. */
#define NOW 1800014400
#define ROOM "!room:demo.test"
#define BOT "@werktafel:demo.test"
#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"

static char *rooms[] = { ROOM };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

/* ---- the reader ---- */

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	if (!j)
		fail_msg("bad JSON in the test: %s", err.text);
	return j;
}

/* A message as Element sends one that names someone by a pill. */
static void read_message_with_pill(void **state)
{
	json_t *j = parse("{\"type\":\"m.room.message\",\"sender\":\"@anna:demo.test\","
		"\"event_id\":\"$m1\",\"origin_server_ts\":1800014400123,\"content\":{"
		"\"msgtype\":\"m.text\",\"body\":\"#actie Daan: notulen\",\"format\":"
		"\"org.matrix.custom.html\",\"formatted_body\":\"#actie <a href=\\\""
		"https://matrix.to/#/@daan:demo.test\\\">Daan</a>: notulen\","
		"\"m.mentions\":{\"user_ids\":[\"@daan:demo.test\"]}}}");
	struct wt_event ev;
	assert_int_equal(sync_event_read(j, &ev), WT_EV_MESSAGE);
	assert_string_equal(ev.sender, "@anna:demo.test");
	assert_string_equal(ev.event_id, "$m1");
	assert_true(ev.ts_ms == 1800014400123LL);
	assert_string_equal(ev.body, "#actie Daan: notulen");
	assert_non_null(strstr(ev.formatted_body, "matrix.to/#/@daan:demo.test"));
	assert_int_equal(ev.mentions.nuser_ids, 1);
	assert_string_equal(ev.mentions.user_ids[0], MEMBER);
	assert_int_equal(ev.mentions.npills, 1);
	assert_string_equal(ev.mentions.pills[0].user_id, MEMBER);
	assert_null(ev.reply_to);
	assert_null(ev.thread_root);
	wt_event_release(&ev);
	json_decref(j);
}

/* A reply with Element's quoted fallback: the body past it, the quote. */
static void read_reply(void **state)
{
	json_t *j = parse("{\"type\":\"m.room.message\",\"sender\":\"@anna:demo.test\","
		"\"event_id\":\"$r1\",\"content\":{\"msgtype\":\"m.text\",\"body\":"
		"\"> <@bram:demo.test> verslag lezen voor vrijdag\\n\\n!herinner mij morgen 9:00\","
		"\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$orig\"}}}}");
	struct wt_event ev;
	assert_int_equal(sync_event_read(j, &ev), WT_EV_REPLY);
	assert_string_equal(ev.body, "!herinner mij morgen 9:00");
	assert_string_equal(ev.reply_to, "$orig");
	assert_int_equal(ev.reply_fallback, 0);
	assert_string_equal(ev.reply_quote, "verslag lezen voor vrijdag");
	wt_event_release(&ev);
	assert_null(ev.reply_quote);
	json_decref(j);
}

/* In a thread, Element names the thread's last event as a fallback: no
 * reply, no quote, but the thread and that event are known. */
static void read_thread_fallback(void **state)
{
	json_t *j = parse("{\"type\":\"m.room.message\",\"sender\":\"@anna:demo.test\","
		"\"event_id\":\"$t2\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"!hulp\","
		"\"m.relates_to\":{\"rel_type\":\"m.thread\",\"event_id\":\"$root\","
		"\"is_falling_back\":true,\"m.in_reply_to\":{\"event_id\":\"$last\"}}}}");
	struct wt_event ev;
	assert_int_equal(sync_event_read(j, &ev), WT_EV_MESSAGE);
	assert_string_equal(ev.thread_root, "$root");
	assert_string_equal(ev.reply_to, "$last");
	assert_int_equal(ev.reply_fallback, 1);
	assert_null(ev.reply_quote);
	wt_event_release(&ev);
	json_decref(j);
}

/* Element's edit: "* " body, the new text in m.new_content; an edit of a
 * reply keeps the fallback in the new body, the text is read past it. */
static void read_edit(void **state)
{
	json_t *j = parse("{\"type\":\"m.room.message\",\"sender\":\"@bram:demo.test\","
		"\"event_id\":\"$e1\",\"content\":{\"msgtype\":\"m.text\",\"body\":"
		"\" * #besluit Woensdag\",\"m.new_content\":{\"msgtype\":\"m.text\","
		"\"body\":\"#besluit Woensdag\"},\"m.relates_to\":{\"rel_type\":"
		"\"m.replace\",\"event_id\":\"$m1\"}}}");
	struct wt_event ev;
	assert_int_equal(sync_event_read(j, &ev), WT_EV_EDIT);
	assert_string_equal(ev.edit.target, "$m1");
	assert_string_equal(ev.edit.body, "#besluit Woensdag");
	assert_string_equal(ev.edit.text, "#besluit Woensdag");
	assert_null(ev.body);
	wt_event_release(&ev);
	json_decref(j);
	j = parse("{\"type\":\"m.room.message\",\"sender\":\"@bram:demo.test\","
		"\"event_id\":\"$e2\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"* x\","
		"\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"> <@a:b> eerder\\n\\n!hulp\"},"
		"\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$m2\"}}}");
	assert_int_equal(sync_event_read(j, &ev), WT_EV_EDIT);
	assert_string_equal(ev.edit.text, "!hulp");
	wt_event_release(&ev);
	json_decref(j);
}

/* A reaction and the two shapes of a redaction. */
static void read_reaction_and_redactions(void **state)
{
	json_t *j = parse("{\"type\":\"m.reaction\",\"sender\":\"@daan:demo.test\","
		"\"event_id\":\"$x1\",\"content\":{\"m.relates_to\":{\"rel_type\":"
		"\"m.annotation\",\"event_id\":\"$rem\",\"key\":\"👍\"}}}");
	struct wt_event ev;
	assert_int_equal(sync_event_read(j, &ev), WT_EV_REACTION);
	assert_string_equal(ev.reaction.target, "$rem");
	assert_string_equal(ev.reaction.key, "👍");
	wt_event_release(&ev);
	json_decref(j);
	j = parse("{\"type\":\"m.room.redaction\",\"sender\":\"@bram:demo.test\","
		  "\"event_id\":\"$d1\",\"redacts\":\"$m1\",\"content\":{}}");
	assert_int_equal(sync_event_read(j, &ev), WT_EV_REDACTION);
	assert_string_equal(ev.redacts, "$m1");
	wt_event_release(&ev);
	json_decref(j);
	j = parse("{\"type\":\"m.room.redaction\",\"sender\":\"@bram:demo.test\","
		  "\"event_id\":\"$d2\",\"content\":{\"redacts\":\"$m2\"}}");
	assert_int_equal(sync_event_read(j, &ev), WT_EV_REDACTION);
	assert_string_equal(ev.redacts, "$m2");
	wt_event_release(&ev);
	json_decref(j);
}

/* What the handlers do not read: a notice, an edit into a notice, a
 * reaction that is no annotation, a message without body or id, state. */
static void read_nothing(void **state)
{
	static const char *const none[] = {
		"{\"type\":\"m.room.message\",\"sender\":\"@a:b\",\"event_id\":\"$1\","
		"\"content\":{\"msgtype\":\"m.notice\",\"body\":\"!hulp\"}}",
		"{\"type\":\"m.room.message\",\"sender\":\"@a:b\",\"event_id\":\"$2\","
		"\"content\":{\"msgtype\":\"m.text\",\"body\":\"* x\",\"m.new_content\":"
		"{\"msgtype\":\"m.notice\",\"body\":\"x\"},\"m.relates_to\":{\"rel_type\":"
		"\"m.replace\",\"event_id\":\"$1\"}}}",
		"{\"type\":\"m.reaction\",\"sender\":\"@a:b\",\"event_id\":\"$3\","
		"\"content\":{\"m.relates_to\":{\"rel_type\":\"m.reference\","
		"\"event_id\":\"$1\",\"key\":\"x\"}}}",
		"{\"type\":\"m.room.message\",\"sender\":\"@a:b\",\"event_id\":\"$4\","
		"\"content\":{\"msgtype\":\"m.text\"}}",
		"{\"type\":\"m.room.message\",\"sender\":\"@a:b\","
		"\"content\":{\"msgtype\":\"m.text\",\"body\":\"!hulp\"}}",
		"{\"type\":\"m.room.member\",\"sender\":\"@a:b\",\"event_id\":\"$6\","
		"\"state_key\":\"@a:b\",\"content\":{\"membership\":\"join\"}}",
	};
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		json_t *j = parse(none[i]);
		struct wt_event ev;
		if (sync_event_read(j, &ev) != WT_EV_NONE)
			fail_msg("event %zu read as kind %d", i, (int)ev.kind);
		assert_false(wt_event_wanted(&ev, BOT));
		wt_event_release(&ev);
		json_decref(j);
	}
}

/* ---- wt_handle_event ---- */

struct fx {
	sqlite3 *db;
	struct wt_replies out;
	struct wt_event_done done;
	int seq;
	char ids[32][16];
	int dispatched;  /* messages the counting hook saw */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct strbuf err = STRBUF_INIT;
	if (db_open(":memory:", &f->db, &err) < 0)
		return -1;
	sb_release(&err);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	wt_replies_free(&f->out);
	db_close(f->db);
	free(f);
	return 0;
}

/* A new event id ($ev1, $ev2, ...), kept as long as the fixture. */
static const char *next_id(struct fx *f)
{
	snprintf(f->ids[f->seq], sizeof f->ids[0], "$ev%d", f->seq + 1);
	return f->ids[f->seq++];
}

/* ev from sender through wt_handle_event in its own transaction, as the
 * sync does (hooks: the bot's id, the real dispatcher). */
static int feed(struct fx *f, struct wt_event *ev, const char *sender)
{
	wt_replies_free(&f->out);
	ev->sender = sender;
	if (!ev->event_id)
		ev->event_id = next_id(f);
	if (!ev->ts_ms)
		ev->ts_ms = (long long)NOW * 1000;
	struct wt_ctx ctx = { .db = f->db, .net = &net, .room = ROOM, .now = NOW,
			      .lang = LANG_NL, .admins = admins, .out = &f->out };
	struct wt_event_hooks hooks = { .own = BOT };
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_handle_event(&ctx, ev, &hooks, &f->done);
	assert_int_equal(db_commit(f->db), 0);
	return rc;
}

/* A message from sender; its event id. */
static const char *say(struct fx *f, const char *sender, const char *body, int want)
{
	struct wt_event ev = { .kind = WT_EV_MESSAGE, .body = body };
	assert_int_equal(feed(f, &ev, sender), want);
	return ev.event_id;
}

/* Whether some reply's Markdown holds needle. */
static int replied(const struct fx *f, const char *needle)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].markdown && strstr(f->out.v[i].markdown, needle))
			return 1;
	return 0;
}

/* One text from the database. */
static char *text_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	char *out = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* An edit of a logged decision changes it, the read-back says so; an
 * edit by someone else is ignored; a redaction removes it. */
static void edit_moves_logged_decision(void **state)
{
	struct fx *f = *state;
	const char *id = say(f, SECR, "#besluit We vergaderen op dinsdag", WT_OK);
	assert_int_equal(f->done.command, id);
	struct wt_event ed = { .kind = WT_EV_EDIT, .edit = { id, "#besluit We vergaderen op woensdag", NULL } };
	assert_int_equal(feed(f, &ed, SECR), WT_OK);
	assert_true(replied(f, "We vergaderen op woensdag"));
	assert_null(f->done.command);  /* no command corrected */
	assert_int_equal(fx_count(f->db, "logged_items"), 1);
	char *text = text_of(f->db, "SELECT text FROM logged_items");
	assert_string_equal(text, "We vergaderen op woensdag");
	free(text);
	struct wt_event other = { .kind = WT_EV_EDIT, .edit = { id, "#besluit Daans versie", NULL } };
	assert_int_equal(feed(f, &other, MEMBER), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
	text = text_of(f->db, "SELECT text FROM logged_items");
	assert_string_equal(text, "We vergaderen op woensdag");
	free(text);
	struct wt_event red = { .kind = WT_EV_REDACTION, .redacts = id };
	assert_int_equal(feed(f, &red, SECR), WT_OK);
	assert_int_equal(fx_count(f->db, "logged_items"), 0);
	struct wt_event again = { .kind = WT_EV_REDACTION, .redacts = id };
	assert_int_equal(feed(f, &again, SECR), WT_NOT_COMMAND);
}

/* The bot's own events and events without an id do nothing. */
static void own_and_unwanted_ignored(void **state)
{
	struct fx *f = *state;
	struct wt_event ev = { .kind = WT_EV_MESSAGE, .body = "#besluit Van de bot zelf" };
	assert_int_equal(feed(f, &ev, BOT), WT_NOT_COMMAND);
	struct wt_event none = { .kind = WT_EV_NONE, .body = "#besluit Geen soort" };
	assert_int_equal(feed(f, &none, SECR), WT_NOT_COMMAND);
	assert_int_equal(fx_count(f->db, "logged_items"), 0);
	assert_int_equal(f->out.n, 0);
	struct wt_event noid = { .kind = WT_EV_MESSAGE, .sender = SECR, .body = "!hulp" };
	assert_false(wt_event_wanted(&noid, BOT));
	assert_true(wt_event_wanted(&ev, NULL));  /* no bot id: nothing is own */
}

/* The reminder just made in the test is sent as event_id. */
static void sent_as(struct fx *f, const char *event_id)
{
	assert_int_equal(db_execf(f->db, "UPDATE reminders SET last_event = ?1 WHERE id ="
				  " (SELECT max(id) FROM reminders)", "t", event_id), 0);
}

/* 👍 on a recurring room reminder subscribes the reactor, once; another
 * key or another event does nothing. */
static void thumbs_up_subscribes(void **state)
{
	struct fx *f = *state;
	say(f, SECR, "!herinner kamer elke maandag 9:00 koffie zetten", WT_OK);
	sent_as(f, "$room-reminder");
	long long before = fx_count(f->db, "reminders");
	struct wt_event up = { .kind = WT_EV_REACTION,
			       .reaction = { "$room-reminder", "\xF0\x9F\x91\x8D" } };
	assert_int_equal(feed(f, &up, MEMBER), WT_OK);
	assert_int_equal(f->out.n, 1);
	assert_string_equal(f->out.v[0].to_user, MEMBER);
	assert_true(replied(f, "koffie zetten"));
	assert_int_equal(fx_count(f->db, "reminders"), before + 1);
	struct wt_event twice = { .kind = WT_EV_REACTION,
				  .reaction = { "$room-reminder", "\xF0\x9F\x91\x8D" } };
	assert_int_equal(feed(f, &twice, MEMBER), WT_OK);
	assert_int_equal(f->out.n, 0);
	assert_int_equal(fx_count(f->db, "reminders"), before + 1);
	struct wt_event heart = { .kind = WT_EV_REACTION,
				  .reaction = { "$room-reminder", "\xE2\x9D\xA4\xEF\xB8\x8F" } };
	assert_int_equal(feed(f, &heart, SECR), WT_NOT_COMMAND);
	struct wt_event elsewhere = { .kind = WT_EV_REACTION,
				      .reaction = { "$no-reminder", "\xF0\x9F\x91\x8D" } };
	assert_int_equal(feed(f, &elsewhere, SECR), WT_NOT_COMMAND);
	assert_int_equal(fx_count(f->db, "reminders"), before + 1);
}

/* A reply "snooze 1h" to a reminder's message snoozes it; another reply
 * to it, or a snooze reply to no reminder, is nothing for the bot. */
static void reply_snoozes_reminder(void **state)
{
	struct fx *f = *state;
	say(f, MEMBER, "!herinner mij morgen 9:00 verslag lezen", WT_OK);
	sent_as(f, "$mine");
	char *due = text_of(f->db, "SELECT due_at FROM reminders WHERE owner = '" MEMBER "'");
	struct wt_event snooze = { .kind = WT_EV_REPLY, .body = "snooze 1h", .reply_to = "$mine" };
	assert_int_equal(feed(f, &snooze, MEMBER), WT_OK);
	assert_true(replied(f, "uitgesteld"));
	char *now_due = text_of(f->db, "SELECT due_at FROM reminders WHERE owner = '" MEMBER "'");
	/* Not gone out yet: an hour after its own time, never earlier. */
	assert_int_equal(atoll(now_due), atoll(due) + 3600);
	assert_true(strcmp(due, now_due) != 0);
	free(due);
	free(now_due);
	struct wt_event thanks = { .kind = WT_EV_REPLY, .body = "dank je", .reply_to = "$mine" };
	assert_int_equal(feed(f, &thanks, MEMBER), WT_NOT_COMMAND);
	struct wt_event lost = { .kind = WT_EV_REPLY, .body = "snooze", .reply_to = "$other" };
	assert_int_equal(feed(f, &lost, MEMBER), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
}

/* A reply's quote reaches the handler: !herinner mij as a reply keeps
 * an excerpt of the message it answers; a thread's fallback is no reply. */
static void reply_quote_reaches_remind(void **state)
{
	struct fx *f = *state;
	struct wt_event ev = { .kind = WT_EV_REPLY, .body = "!herinner mij morgen 9:00",
			       .reply_to = "$orig", .reply_quote = "notulen rondsturen" };
	assert_int_equal(feed(f, &ev, MEMBER), WT_OK);
	char *excerpt = text_of(f->db, "SELECT excerpt FROM reminder_quotes WHERE event_id = '$orig'");
	assert_non_null(excerpt);
	assert_string_equal(excerpt, "notulen rondsturen");
	free(excerpt);
	struct wt_event thread = { .kind = WT_EV_MESSAGE, .body = "!herinner mij morgen 10:00 x",
				   .thread_root = "$root", .reply_to = "$last",
				   .reply_fallback = 1, .reply_quote = "niet dit" };
	assert_int_equal(feed(f, &thread, MEMBER), WT_OK);
	assert_int_equal(fx_count(f->db, "reminder_quotes"), 1);
	assert_int_equal(f->out.n, 1);
	assert_string_equal(f->out.v[0].thread_root, "$root");
}

/* An edit of a refused command (as the transport noted it) runs the
 * correction: done names the command, the answer replies to it; a second
 * edit after it ran gets the note. */
static void edit_corrects_refused_command(void **state)
{
	struct fx *f = *state;
	const char *cmd = say(f, SECR, "!hlp", WT_EUSAGE);
	assert_int_equal(f->done.command, cmd);
	assert_int_equal(f->done.correction, 0);
	assert_int_equal(command_edits_add_refused(f->db, cmd, ROOM, SECR, NOW, NULL, 0), 0);
	struct wt_event ed = { .kind = WT_EV_EDIT, .edit = { cmd, "!hulp", "!hulp" } };
	assert_int_equal(feed(f, &ed, SECR), WT_OK);
	assert_string_equal(f->done.command, cmd);
	assert_int_equal(f->done.correction, 1);
	assert_true(replied(f, "Commando's die jij kunt gebruiken"));
	assert_string_equal(f->out.v[0].in_reply_to, cmd);
	assert_string_equal(f->out.v[0].answers_event, ed.event_id);
	assert_int_equal(command_edits_set_state(f->db, cmd, CMD_EDIT_RUN), 0);
	struct wt_event again = { .kind = WT_EV_EDIT, .edit = { cmd, "!hulp agenda", NULL } };
	assert_int_equal(feed(f, &again, SECR), WT_OK);
	assert_null(f->done.command);
	assert_int_equal(f->out.n, 1);
	assert_false(replied(f, "Commando's die jij kunt gebruiken"));
}

/* The transport's dispatcher runs messages (the sync's tests count with
 * one); other kinds do not go through it. */
static struct fx *counting;
static int count_dispatch(struct wt_ctx *ctx, const char *body)
{
	counting->dispatched++;
	return WT_NOT_COMMAND;
}

static void hook_runs_messages(void **state)
{
	struct fx *f = *state;
	counting = f;
	struct wt_ctx ctx = { .db = f->db, .net = &net, .room = ROOM, .now = NOW,
			      .lang = LANG_NL, .admins = admins, .out = &f->out };
	struct wt_event_hooks hooks = { .own = BOT, .dispatch = count_dispatch };
	struct wt_event msg = { .kind = WT_EV_MESSAGE, .sender = SECR, .event_id = "$h1",
				.body = "!hulp" };
	struct wt_event react = { .kind = WT_EV_REACTION, .sender = SECR, .event_id = "$h2",
				  .reaction = { "$h1", "x" } };
	assert_int_equal(wt_handle_event(&ctx, &msg, &hooks, NULL), WT_NOT_COMMAND);
	assert_int_equal(wt_handle_event(&ctx, &react, &hooks, NULL), WT_NOT_COMMAND);
	assert_int_equal(f->dispatched, 1);
	assert_string_equal(ctx.sender, SECR);
	assert_string_equal(ctx.event_id, "$h2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_message_with_pill),
		cmocka_unit_test(read_reply),
		cmocka_unit_test(read_thread_fallback),
		cmocka_unit_test(read_edit),
		cmocka_unit_test(read_reaction_and_redactions),
		cmocka_unit_test(read_nothing),
		cmocka_unit_test_setup_teardown(edit_moves_logged_decision, setup, teardown),
		cmocka_unit_test_setup_teardown(own_and_unwanted_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(thumbs_up_subscribes, setup, teardown),
		cmocka_unit_test_setup_teardown(reply_snoozes_reminder, setup, teardown),
		cmocka_unit_test_setup_teardown(reply_quote_reaches_remind, setup, teardown),
		cmocka_unit_test_setup_teardown(edit_corrects_refused_command, setup, teardown),
		cmocka_unit_test_setup_teardown(hook_runs_messages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
