/* Edits of commands (issue 13, item 6), through the sync with real storage
 * and the real sender (bot/outbox.c over fake_http.h): an edit of a
 * refused command runs the correction once and edits the bot's refusal
 * into the answer; an edit of a command that was carried out, or one that
 * comes too late, gets a note once; replays and restarts run nothing
 * twice; edits of logged lines keep following the new text. */
/* fake_http.h's helpers this test does not need are left unused. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "handlers/dispatch.h"
#include "tests/unit/fake_http.h"

#include <jansson.h>

#include "bot/config.h"
#include "bot/edits.h"
#include "bot/sync.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "tests/unit/fixture.h"

#define NOW ((time_t)1800000000)
#define ROOM "!werktafel:demo.test"
#define BOT "@werktafel:demo.test"
#define ANNA "@anna:demo.test"
#define BRAM "@bram:demo.test"
#define HELP "Commando's die jij kunt gebruiken"
#define UNKNOWN "Onbekend commando: !hlp"

static char *rooms[] = { ROOM };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static char *admin_list[] = { ANNA, NULL };

static time_t fixed_now(void) { return NOW; }

/* A bot in one room, its database and its sender. */
struct world {
	sqlite3 *db;
	char path[64];
	struct wt_config cfg;
	struct sync_env env;
	int batch;
	int sent;  /* events the fake homeserver gave out: $bot1, $bot2, ... */
};

static void world_open(struct world *w)
{
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(w->path, &w->db, &err), 0);
	sb_release(&err);
	w->cfg.networks = &net;
	w->cfg.nnetworks = 1;
	w->cfg.admins = admin_list;
	w->env = (struct sync_env){ .db = w->db, .cfg = &w->cfg, .user_id = BOT,
				    .dispatch = wt_dispatch_message, .now = fixed_now };
}

/* Apply one sync batch holding events (stolen) in ROOM; returns stats. */
static struct sync_stats apply(struct world *w, json_t *events)
{
	char next[32];
	snprintf(next, sizeof next, "s%d", ++w->batch);
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", next, "rooms",
			      "join", ROOM, "timeline", "events", events);
	struct sync_stats st;
	assert_int_equal(sync_apply(&w->env, r, &st), 0);
	json_decref(r);
	return st;
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	snprintf(w->path, sizeof w->path, "/tmp/wt-test-edits-%d.db", (int)getpid());
	unlink(w->path);
	world_open(w);
	/* The first sync: the bot's join (history before it is not handled). */
	apply(w, json_pack("[{s:s,s:s,s:s,s:s,s:I,s:{s:s}}]", "type", "m.room.member",
			   "event_id", "$j0", "sender", BOT, "state_key", BOT,
			   "origin_server_ts", (json_int_t)NOW * 1000 - 9000,
			   "content", "membership", "join"));
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	db_close(w->db);
	unlink(w->path);
	free(w);
	return 0;
}

/* A message as a client sends it, at NOW + secs. */
static json_t *message(const char *id, const char *sender, const char *body, int secs)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:{}}}", "type", "m.room.message",
			 "event_id", id, "sender", sender, "origin_server_ts",
			 (json_int_t)(NOW + secs) * 1000, "content", "msgtype", "m.text",
			 "body", body, "m.mentions");
}

/* An edit of original to body as Element sends it: " * " and the text in
 * body, the text in m.new_content, m.replace to the original. */
static json_t *edit(const char *id, const char *sender, const char *original,
		    const char *body, int secs)
{
	char star[256];
	snprintf(star, sizeof star, " * %s", body);
	return json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:{},s:{s:s,s:s,s:{}},s:{s:s,s:s}}}",
			 "type", "m.room.message", "event_id", id, "sender", sender,
			 "origin_server_ts", (json_int_t)(NOW + secs) * 1000,
			 "content", "msgtype", "m.text", "body", star, "m.mentions",
			 "m.new_content", "msgtype", "m.text", "body", body, "m.mentions",
			 "m.relates_to", "rel_type", "m.replace", "event_id", original);
}

/* Let the real sender deliver every outbox row; the fake homeserver
 * answers each PUT with the next event id $botN. Returns the contents
 * sent, in order (a JSON array; the caller frees). */
static json_t *deliver(struct world *w)
{
	struct sender s;
	sender_start(&s, w->db, "secret");
	json_t *sent = json_array();
	outbox_flush(s.f);
	struct fake *f;
	while ((f = live_with("/send/")) != NULL) {
		json_t *c = json_loads(f->body, 0, NULL);
		assert_non_null(c);
		char id[32], answer_body[64];
		snprintf(id, sizeof id, "$bot%d", ++w->sent);
		json_object_set_new(c, "event_id", json_string(id));  /* for the test */
		json_array_append_new(sent, c);
		snprintf(answer_body, sizeof answer_body, "{\"event_id\":\"%s\"}", id);
		answer(f, 200, answer_body);
	}
	sender_stop(&s);
	/* Direct messages (the owner of a new action is told) wait for
	 * their room; everything for a room went out. */
	assert_int_equal(rows(w->db, "room_id IS NOT NULL"), 0);
	return sent;
}

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* The event m (sent content) replaces, or NULL when it is no edit. */
static const char *replaces(json_t *m)
{
	json_t *rel = json_object_get(m, "m.relates_to");
	const char *rt = str(rel, "rel_type");
	return rt && strcmp(rt, "m.replace") == 0 ? str(rel, "event_id") : NULL;
}

static const char *reply_to(json_t *m)
{
	return str(json_object_get(json_object_get(m, "m.relates_to"), "m.in_reply_to"),
		   "event_id");
}

/* m is an edit of the bot's event target into a message containing
 * needle, shaped as Element shows it "(edited)". */
static void assert_edit_of(json_t *m, const char *target, const char *needle)
{
	assert_non_null(replaces(m));
	assert_string_equal(replaces(m), target);
	json_t *nc = json_object_get(m, "m.new_content");
	assert_true(json_is_object(nc));
	assert_non_null(strstr(str(nc, "body"), needle));
	assert_non_null(strstr(str(nc, "formatted_body"), ""));
	assert_null(json_object_get(nc, "m.relates_to"));
	assert_string_equal(str(nc, "msgtype"), "m.notice");
	assert_true(json_is_object(json_object_get(nc, "m.mentions")));
	assert_int_equal(strncmp(str(m, "body"), " * ", 3), 0);
	assert_string_equal(str(m, "body") + 3, str(nc, "body"));
	assert_int_equal(strncmp(str(m, "formatted_body"), " * ", 3), 0);
	assert_string_equal(str(m, "formatted_body") + 3, str(nc, "formatted_body"));
}

/* m is a new message replying to command, containing needle. */
static void assert_reply(json_t *m, const char *command, const char *needle)
{
	assert_null(replaces(m));
	assert_non_null(reply_to(m));
	assert_string_equal(reply_to(m), command);
	assert_non_null(strstr(str(m, "body"), needle));
}

/* A mistyped command, refused; its edit runs the corrected command once,
 * as an edit of the refusal; a replay of the edit runs nothing; a later
 * edit of the now carried-out command gets the note, once. */
static void test_correction_edits_the_refusal(void **state)
{
	struct world *w = *state;
	struct sync_stats st = apply(w, json_pack("[o]", message("$c1", ANNA, "!hlp", 1)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	json_t *refusal = json_array_get(sent, 0);
	assert_reply(refusal, "$c1", UNKNOWN);
	assert_string_equal(str(refusal, "event_id"), "$bot1");
	json_decref(sent);

	st = apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1", "!hulp", 30)));
	assert_int_equal(st.commands, 1);
	sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_edit_of(json_array_get(sent, 0), "$bot1", HELP);
	json_decref(sent);

	/* The same edit again (a replay, or a restart from an older token). */
	db_close(w->db);
	world_open(w);
	st = apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1", "!hulp", 30)));
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(rows(w->db, "1"), 0);

	/* Edited again: it ran, so the note, and after that nothing. */
	apply(w, json_pack("[o]", edit("$e2", ANNA, "$c1", "!hulp agenda", 60)));
	sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_reply(json_array_get(sent, 0), "$c1", "voer ik niet uit");
	assert_non_null(strstr(str(json_array_get(sent, 0), "body"), "!ongedaan"));
	json_decref(sent);
	st = apply(w, json_pack("[o]", edit("$e3", ANNA, "$c1", "!hulp vergadering", 90)));
	assert_int_equal(rows(w->db, "1"), 0);
}

/* A correction refused again edits the same refusal; the next edit of the
 * same command still runs, once. */
static void test_refused_again_then_right(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$c1", ANNA, "!hlp", 1)));
	json_decref(deliver(w));
	apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1", "!hlp alles", 20)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_edit_of(json_array_get(sent, 0), "$bot1", UNKNOWN);
	json_decref(sent);
	apply(w, json_pack("[o,o]", edit("$e2", ANNA, "$c1", "!hulp", 40),
			   edit("$e3", ANNA, "$c1", "!hulp", 41)));
	sent = deliver(w);
	/* $e2 runs (an edit of $bot1 into the help); $e3 gets the note. */
	assert_int_equal(json_array_size(sent), 2);
	assert_edit_of(json_array_get(sent, 0), "$bot1", HELP);
	assert_reply(json_array_get(sent, 1), "$c1", "voer ik niet uit");
	json_decref(sent);
}

/* A refusal not sent yet: the answer goes as a new message; a refusal
 * sent anew (the first one unsent) is the one the next correction edits. */
static void test_unsent_refusal(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$c1", ANNA, "!hlp", 1)));
	apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1", "!hlp graag", 5)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 2);
	assert_reply(json_array_get(sent, 0), "$c1", UNKNOWN);
	assert_reply(json_array_get(sent, 1), "$c1", UNKNOWN);
	json_decref(sent);
	apply(w, json_pack("[o]", edit("$e2", ANNA, "$c1", "!hulp", 9)));
	sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_edit_of(json_array_get(sent, 0), "$bot2", HELP);
	json_decref(sent);

	/* Refused and corrected before anything was sent: a new answer. */
	apply(w, json_pack("[o,o]", message("$c2", ANNA, "!hlp", 20),
			   edit("$e3", ANNA, "$c2", "!hulp", 25)));
	sent = deliver(w);
	assert_int_equal(json_array_size(sent), 2);
	assert_reply(json_array_get(sent, 0), "$c2", UNKNOWN);
	assert_reply(json_array_get(sent, 1), "$c2", HELP);
	json_decref(sent);
}

/* A command refused in a thread: a new answer to its correction goes in
 * that thread too (the edit itself says nothing of the thread). */
static void test_thread(void **state)
{
	struct world *w = *state;
	json_t *c = message("$c1", ANNA, "!hlp", 1);
	json_object_set_new(json_object_get(c, "content"), "m.relates_to",
			    json_pack("{s:s,s:s,s:b,s:{s:s}}", "rel_type", "m.thread",
				      "event_id", "$root", "is_falling_back", 1,
				      "m.in_reply_to", "event_id", "$root"));
	apply(w, json_pack("[o,o]", c, edit("$e1", ANNA, "$c1", "!hulp", 5)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *rel = json_object_get(json_array_get(sent, i), "m.relates_to");
		assert_string_equal(str(rel, "rel_type"), "m.thread");
		assert_string_equal(str(rel, "event_id"), "$root");
	}
	assert_reply(json_array_get(sent, 1), "$c1", HELP);
	json_decref(sent);
}

/* An edit of a command that was carried out is not: a note, once. */
static void test_accepted_command(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$c1", ANNA, "!hulp", 1)));
	json_decref(deliver(w));
	long long before = rows(w->db, "1");
	assert_int_equal(before, 0);
	apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1", "!hulp agenda", 5)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_reply(json_array_get(sent, 0), "$c1", "had ik al uitgevoerd");
	json_decref(sent);
	apply(w, json_pack("[o]", edit("$e2", ANNA, "$c1", "!hulp vergadering", 9)));
	assert_int_equal(rows(w->db, "1"), 0);
}

/* Ten minutes after the command an edit no longer runs: a note, once. */
static void test_late_edit(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$c1", ANNA, "!hlp", 1)));
	json_decref(deliver(w));
	apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1", "!hulp", 1 + EDITS_WINDOW + 1)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_reply(json_array_get(sent, 0), "$c1", "meer dan 10 minuten");
	json_decref(sent);
	apply(w, json_pack("[o]", edit("$e2", ANNA, "$c1", "!hulp", 1 + EDITS_WINDOW + 5)));
	assert_int_equal(rows(w->db, "1"), 0);
	/* Right at the limit it still runs. */
	apply(w, json_pack("[o,o]", message("$c2", ANNA, "!hlp", 2000),
			   edit("$e3", ANNA, "$c2", "!hulp", 2000 + EDITS_WINDOW)));
	sent = deliver(w);
	assert_int_equal(json_array_size(sent), 2);
	assert_reply(json_array_get(sent, 1), "$c2", HELP);
	json_decref(sent);
}

/* Only the command's sender can correct it (clients show no one else's
 * edits); the sender's own edit still runs afterwards. */
static void test_other_sender(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$c1", ANNA, "!hlp", 1)));
	json_decref(deliver(w));
	apply(w, json_pack("[o]", edit("$e1", BRAM, "$c1", "!hulp", 5)));
	assert_int_equal(rows(w->db, "1"), 0);
	apply(w, json_pack("[o]", edit("$e2", ANNA, "$c1", "!hulp", 9)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_edit_of(json_array_get(sent, 0), "$bot1", HELP);
	json_decref(sent);
}

/* An answer that notifies someone (an action for Bram) is a new message,
 * since an edit notifies nobody; the refusal stays. */
static void test_notifying_answer_is_new(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$c1", ANNA, "!actie", 1)));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_reply(json_array_get(sent, 0), "$c1", "eigenaar");
	json_decref(sent);
	apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1",
				       "!actie " BRAM " stukken rondsturen", 5)));
	sent = deliver(w);
	/* The answer, and the check mark on the command. */
	assert_int_equal(json_array_size(sent), 2);
	assert_string_equal(str(json_object_get(json_array_get(sent, 1), "m.relates_to"),
				"event_id"), "$c1");
	json_t *m = json_array_get(sent, 0);
	assert_null(replaces(m));
	assert_string_equal(reply_to(m), "$c1");
	assert_string_equal(str(m, "msgtype"), "m.text");
	json_t *ids = json_object_get(json_object_get(m, "m.mentions"), "user_ids");
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(json_string_value(json_array_get(ids, 0)), BRAM);
	json_decref(sent);
}

/* Edits of logged lines (meeting mode) follow the new text as before, and
 * a message that was no command gets no note when edited into one. */
static void test_logged_line_edit(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$l1", ANNA, "#besluit We vergaderen in maart", 1)));
	json_decref(deliver(w));
	apply(w, json_pack("[o]", edit("$e1", ANNA, "$l1", "#besluit We vergaderen in april", 5)));
	sqlite3_stmt *q = db_prepare(w->db, "SELECT text FROM logged_items WHERE event_id = '$l1'");
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(q, 0), "april"));
	db_done(q);
	json_decref(deliver(w));
	apply(w, json_pack("[o]", message("$m1", ANNA, "goedemorgen", 10)));
	apply(w, json_pack("[o]", edit("$e2", ANNA, "$m1", "!hulp", 12)));
	assert_int_equal(rows(w->db, "1"), 0);
}

/* The bot's event as the homeserver gives it back in a timeline. */
static json_t *own_event(json_t *sent)
{
	json_t *c = json_deep_copy(sent);
	json_t *id = json_incref(json_object_get(c, "event_id"));
	json_object_del(c, "event_id");
	return json_pack("{s:s,s:o,s:s,s:I,s:o}", "type", "m.room.message", "event_id", id,
			 "sender", BOT, "origin_server_ts", (json_int_t)(NOW + 40) * 1000,
			 "content", c);
}

/* A database restored from a backup older than a command and its edit
 * reads them again, with the bot's answers: nothing runs again, the
 * edit included (its answer names it: MESSAGE_ANSWERS_KEY). */
static void test_restored_backup(void **state)
{
	struct world *w = *state;
	char backup[80], sql[128];
	snprintf(backup, sizeof backup, "%s.backup", w->path);
	unlink(backup);
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", backup);
	assert_int_equal(sqlite3_exec(w->db, sql, NULL, NULL, NULL), SQLITE_OK);
	apply(w, json_pack("[o]", message("$c1", ANNA, "!hlp", 1)));
	json_t *sent = deliver(w);
	apply(w, json_pack("[o]", edit("$e1", ANNA, "$c1", "!hulp", 30)));
	json_t *sent2 = deliver(w);
	assert_int_equal(json_array_size(sent2), 1);
	assert_string_equal(str(json_array_get(sent2, 0), "org.werktafel.answers"), "$e1");
	db_close(w->db);
	assert_int_equal(rename(backup, w->path), 0);
	fx_remove_wal(w->path);
	world_open(w);
	struct sync_stats st = apply(w, json_pack("[o,o,o,o]",
		message("$c1", ANNA, "!hlp", 1), own_event(json_array_get(sent, 0)),
		edit("$e1", ANNA, "$c1", "!hulp", 30), own_event(json_array_get(sent2, 0))));
	assert_int_equal(st.commands, 0);
	assert_int_equal(st.duplicates, 2);
	assert_int_equal(rows(w->db, "1"), 0);
	json_decref(sent);
	json_decref(sent2);
}

/* Bad edits change nothing and break nothing: a correction too long is
 * refused like any command (the refusal edited to say so); an edit whose
 * new content or target has the wrong type is no edit; an edit of an
 * edit's id, or of an event the bot never saw, runs nothing. */
static void test_bad_edits(void **state)
{
	struct world *w = *state;
	apply(w, json_pack("[o]", message("$c1", ANNA, "!hlp", 1)));
	json_decref(deliver(w));
	char *big = malloc(WT_MAX_MESSAGE + 100);
	memset(big, 'a', WT_MAX_MESSAGE + 99);
	memcpy(big, "!hulp ", 6);
	big[WT_MAX_MESSAGE + 99] = '\0';
	json_t *e = edit("$e1", ANNA, "$c1", "!hulp", 5);
	json_object_set_new(json_object_get(json_object_get(e, "content"), "m.new_content"),
			    "body", json_string(big));
	free(big);
	apply(w, json_pack("[o]", e));
	json_t *sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_edit_of(json_array_get(sent, 0), "$bot1", "te lang");
	json_decref(sent);
	/* m.new_content no object, the target no string: no edit at all. */
	e = edit("$e2", ANNA, "$c1", "!hulp", 6);
	json_object_set_new(json_object_get(e, "content"), "m.new_content", json_string("!hulp"));
	json_t *e3 = edit("$e3", ANNA, "$c1", "!hulp", 7);
	json_object_set_new(json_object_get(json_object_get(e3, "content"), "m.relates_to"),
			    "event_id", json_integer(7));
	apply(w, json_pack("[o,o,o,o]", e, e3, edit("$e4", ANNA, "$nergens", "!hulp", 8),
			   edit("$e5", ANNA, "$e1", "!hulp", 9)));
	/* $e5 targets the handled edit $e1: the note (once), nothing runs. */
	sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_null(replaces(json_array_get(sent, 0)));
	assert_null(strstr(str(json_array_get(sent, 0), "body"), HELP));
	json_decref(sent);
	/* The command is still open to its right correction. */
	apply(w, json_pack("[o]", edit("$e6", ANNA, "$c1", "!hulp", 10)));
	sent = deliver(w);
	assert_int_equal(json_array_size(sent), 1);
	assert_edit_of(json_array_get(sent, 0), "$bot1", HELP);
	json_decref(sent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_correction_edits_the_refusal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_again_then_right, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsent_refusal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accepted_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_sender, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifying_answer_is_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logged_line_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restored_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
