/* Sync processing: canned /sync responses against a real in-memory
 * database; exactly once, history skipped, ignored events, invites,
 * malformed input, and all-or-nothing transactions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/sync.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM_NL "!west:demo.test"
#define ROOM_EN "!east:demo.test"

/* Fake dispatch: every "!..." body is a command answered with one reply;
 * "!dm" answers by direct message; calls are recorded. */
static int ncalls;
static char last_sender[64], last_room[64], last_body[256];
static enum wt_lang last_lang;

static void add_reply(struct wt_ctx *ctx, const char *md, const char *to_user)
{
	struct wt_replies *r = ctx->out;
	r->v = realloc(r->v, (r->n + 1) * sizeof *r->v);
	struct wt_reply *x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->markdown = strdup(md);
	x->in_reply_to = strdup(ctx->event_id);
	if (to_user)
		x->to_user = strdup(to_user);
}

static int last_power;  /* anna's power level as the last command saw it */

static int fake_dispatch(struct wt_ctx *ctx, const char *body)
{
	if (body[0] != '!')
		return WT_NOT_COMMAND;
	ncalls++;
	snprintf(last_sender, sizeof last_sender, "%s", ctx->sender);
	snprintf(last_room, sizeof last_room, "%s", ctx->room);
	snprintf(last_body, sizeof last_body, "%s", body);
	last_lang = ctx->lang;
	last_power = fx_int(ctx->db, "SELECT coalesce(max(level), -1) FROM room_power"
			    " WHERE user_id = '@anna:demo.test'");
	add_reply(ctx, "done", strcmp(body, "!dm") == 0 ? ctx->sender : NULL);
	return WT_OK;
}

static time_t fixed_now(void) { return 1800000000; }

static char *rooms_nl[] = { ROOM_NL };
static char *rooms_en[] = { ROOM_EN, "#east:demo.test" };
static struct wt_network nets[2];
static struct wt_config cfg;

static int setup(void **state)
{
	struct fx_sync *f = fx_sync_new();
	memset(nets, 0, sizeof nets);
	nets[0].name = "west";
	nets[0].rooms = rooms_nl;
	nets[0].nrooms = 1;
	nets[0].lang = LANG_NL;
	nets[1].name = "east";
	nets[1].rooms = rooms_en;
	nets[1].nrooms = 2;
	nets[1].lang = LANG_EN;
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = nets;
	cfg.nnetworks = 2;
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = fake_dispatch, .now = fixed_now };
	ncalls = 0;
	*state = f;
	return 0;
}

/* A text message event. */
static json_t *own_join(long long ts)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
			 "event_id", "$join", "sender", BOT, "state_key", BOT,
			 "origin_server_ts", (json_int_t)ts, "content", "membership", "join");
}

/* A sync response: next_batch and a timeline per room (steals events). */
static json_t *resp(const char *next, const char *room, json_t *events)
{
	json_t *r = json_pack("{s:s,s:{s:{}}}", "next_batch", next, "rooms", "join");
	if (room)
		json_object_set_new(json_object_get(json_object_get(r, "rooms"), "join"),
				    room, json_pack("{s:{s:o}}", "timeline", "events", events));
	else
		json_decref(events);
	return r;
}

static int apply(struct fx_sync *f, json_t *r, struct sync_stats *st)
{
	int rc = sync_apply(&f->env, r, st);
	json_decref(r);
	return rc;
}

/* The first sync records next_batch and rooms but handles no history. */
static void first_sync(struct fx_sync *f)
{
	struct sync_stats st;
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$old", "@anna:demo.test", "!help", 1000));
	assert_int_equal(apply(f, resp("s1", ROOM_NL, ev), &st), 0);
	assert_true(st.first);
	assert_int_equal(ncalls, 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE network = 'west'"), 1);
	char *nb = db_kv_get(f->db, "sync.next_batch");
	assert_string_equal(nb, "s1");
	free(nb);
}

static void test_first_sync_skips_history(void **state)
{
	first_sync(*state);
}

/* The token as the kv table holds it (not what db_kv_get sees). */
static char *stored_token(sqlite3 *db)
{
	return db_text_dup(db, "SELECT value FROM kv WHERE key = ?1", "sync.next_batch");
}

static void assert_stored_token(sqlite3 *db, const char *want)
{
	char *t = stored_token(db);
	assert_non_null(t);
	assert_string_equal(t, want);
	free(t);
}

/* An idle long-poll's answer (the same token, nothing in it) writes
 * nothing. A new token with nothing else in the batch (the echo of the
 * bot's own reply) is used at once but kept in memory, written with the
 * next batch that writes; a batch with news for the crypto machine writes
 * its token at once. */
static void test_idle_answer_writes_nothing(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	sqlite3_int64 before = sqlite3_total_changes64(f->db);
	assert_int_equal(apply(f, resp("s1", NULL, json_array()), &st), 0);
	assert_true(sqlite3_total_changes64(f->db) == before);
	assert_int_equal(apply(f, resp("s2", NULL, json_array()), &st), 0);
	assert_true(sqlite3_total_changes64(f->db) == before);
	char *nb = db_kv_get(f->db, "sync.next_batch");
	assert_string_equal(nb, "s2");
	free(nb);
	assert_stored_token(f->db, "s1");
	/* The bot's own message: nothing to handle, nothing written. */
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$own", BOT, "done", 2000));
	assert_int_equal(apply(f, resp("s3", ROOM_NL, ev), &st), 0);
	assert_stored_token(f->db, "s1");
	/* A command: its batch writes, and its own token. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$c", "@anna:demo.test", "!agenda", 2001));
	assert_int_equal(apply(f, resp("s4", ROOM_NL, ev), &st), 0);
	assert_int_equal(ncalls, 1);
	assert_stored_token(f->db, "s4");
	/* To-device events: written at once. */
	json_t *r = resp("s5", NULL, json_array());
	json_object_set_new(r, "to_device", json_pack("{s:[{s:s,s:s,s:{}}]}", "events",
		"type", "m.room_key", "sender", "@anna:demo.test", "content"));
	assert_int_equal(apply(f, r, &st), 0);
	assert_stored_token(f->db, "s5");
	r = resp("s6", NULL, json_array());
	json_object_set_new(r, "device_lists", json_pack("{s:[s]}", "changed",
							 "@anna:demo.test"));
	assert_int_equal(apply(f, r, &st), 0);
	assert_stored_token(f->db, "s6");
	/* Kept in memory, then written by a flush (db_close does one). */
	assert_int_equal(apply(f, resp("s7", NULL, json_array()), &st), 0);
	assert_stored_token(f->db, "s6");
	assert_int_equal(db_kv_flush(f->db), 0);
	assert_stored_token(f->db, "s7");
}

/* Commands after the first sync are dispatched once, in the network's
 * language, and their replies go to the outbox as replies to the command. */
static void test_commands_exactly_once(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$c1", "@anna:demo.test", "!agenda", 2000));
	json_array_append_new(ev, fx_msg_event("$c2", "@bram:demo.test", "hello", 2001));
	json_array_append_new(ev, fx_msg_event("$c3", "@bram:demo.test", "!help", 2002));
	assert_int_equal(apply(f, resp("s2", ROOM_NL, ev), &st), 0);
	assert_false(st.first);
	assert_int_equal(ncalls, 2);
	assert_int_equal(st.commands, 2);
	assert_string_equal(last_sender, "@bram:demo.test");
	assert_string_equal(last_room, ROOM_NL);
	assert_int_equal(last_lang, LANG_NL);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox WHERE room_id = '" ROOM_NL "'"), 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
			       " '%\"m.in_reply_to\":{\"event_id\":\"$c1\"}%'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 2);

	/* The same events again (a server replay): nothing runs twice. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$c1", "@anna:demo.test", "!agenda", 2000));
	json_array_append_new(ev, fx_msg_event("$c3", "@bram:demo.test", "!help", 2002));
	json_array_append_new(ev, fx_msg_event("$c4", "@anna:demo.test", "!help", 2003));
	assert_int_equal(apply(f, resp("s3", ROOM_NL, ev), &st), 0);
	assert_int_equal(ncalls, 3);
	assert_int_equal(st.duplicates, 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 3);
	char *nb = db_kv_get(f->db, "sync.next_batch");
	assert_string_equal(nb, "s3");
	free(nb);

	/* An English room gets English. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$e1", "@anna:demo.test", "!help", 2004));
	assert_int_equal(apply(f, resp("s4", ROOM_EN, ev), &st), 0);
	assert_int_equal(last_lang, LANG_EN);
}

/* Own messages, notices, edits, missing or non-string bodies, unknown
 * events and rooms of no network are ignored; wrong types do not crash. */
static void test_ignored_and_malformed_events(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$own", BOT, "!help", 3000));
	json_t *notice = fx_msg_event("$n", "@otherbot:demo.test", "!help", 3001);
	json_object_set_new(json_object_get(notice, "content"), "msgtype", json_string("m.notice"));
	json_array_append_new(ev, notice);
	json_t *edit = fx_msg_event("$ed", "@anna:demo.test", "!help", 3002);
	json_object_set_new(json_object_get(edit, "content"), "m.relates_to",
			    json_pack("{s:s,s:s}", "rel_type", "m.replace", "event_id", "$c1"));
	json_array_append_new(ev, edit);
	json_t *nobody = fx_msg_event("$nb", "@anna:demo.test", "x", 3003);
	json_object_set_new(json_object_get(nobody, "content"), "body", json_integer(5));
	json_array_append_new(ev, nobody);
	json_array_append_new(ev, json_pack("{s:s,s:i,s:s}", "type", "m.room.message",
					    "event_id", 7, "sender", "@anna:demo.test"));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s}", "type", "m.room.message",
					    "event_id", "$s", "sender", "@anna:demo.test",
					    "content", "!help"));
	json_array_append_new(ev, json_pack("{s:s,s:s}", "type", "org.example.unknown",
					    "event_id", "$u"));
	json_array_append_new(ev, json_string("not an event"));
	json_array_append_new(ev, json_null());
	json_array_append_new(ev, fx_msg_event("$ok", "@anna:demo.test", "!help", 3004));
	assert_int_equal(apply(f, resp("s2", ROOM_NL, ev), &st), 0);
	assert_int_equal(ncalls, 1);
	assert_string_equal(last_body, "!help");

	/* A room of no network. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$x", "@anna:demo.test", "!help", 3005));
	assert_int_equal(apply(f, resp("s3", "!elsewhere:demo.test", ev), &st), 0);
	assert_int_equal(ncalls, 1);

	/* Whole-response garbage: refused, nothing stored. */
	assert_true(apply(f, json_pack("{s:i}", "next_batch", 5), &st) < 0);
	assert_true(apply(f, json_pack("{s:s,s:[]}", "next_batch", "s9", "rooms"), &st) == 0);
	assert_int_equal(apply(f, json_pack("{s:s,s:{s:[],s:s}}", "next_batch", "s10",
					    "rooms", "join", "invite", "x"), &st), 0);
	char *nb = db_kv_get(f->db, "sync.next_batch");
	assert_string_equal(nb, "s10");
	free(nb);
}

/* In a room joined later only events after the bot's own join count: those
 * before the join event in the timeline, and older ones in later syncs. */
static void test_join_time(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$h1", "@anna:demo.test", "!old", 5000));
	json_array_append_new(ev, own_join(6000));
	json_array_append_new(ev, fx_msg_event("$h2", "@anna:demo.test", "!new", 6001));
	assert_int_equal(apply(f, resp("s2", ROOM_EN, ev), &st), 0);
	assert_int_equal(ncalls, 1);
	assert_string_equal(last_body, "!new");
	assert_int_equal(fx_int(f->db, "SELECT joined_at FROM rooms WHERE room_id = '" ROOM_EN "'"), 6000);

	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$h3", "@anna:demo.test", "!older", 5500));
	json_array_append_new(ev, fx_msg_event("$h4", "@anna:demo.test", "!newer", 7000));
	assert_int_equal(apply(f, resp("s3", ROOM_EN, ev), &st), 0);
	assert_int_equal(ncalls, 2);
	assert_string_equal(last_body, "!newer");
}

/* Dendrite lists a newly joined room's history after the events that
 * followed the join: the room's creation and power levels (older than
 * the join) come after a command sent right after it. The command must
 * see the room as it was when it came: anna's power level is known. */
static void test_history_listed_after_the_join(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	json_t *ev = json_array();
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type",
		"m.room.member", "event_id", "$inv", "sender", "@anna:demo.test",
		"state_key", BOT, "origin_server_ts", (json_int_t)5003, "content",
		"membership", "invite"));
	json_array_append_new(ev, own_join(6000));
	json_array_append_new(ev, fx_msg_event("$c", "@anna:demo.test", "!rol", 6001));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type",
		"m.room.create", "event_id", "$cr", "sender", "@anna:demo.test",
		"state_key", "", "origin_server_ts", (json_int_t)5000, "content",
		"creator", "@anna:demo.test"));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:{s:i}}}", "type",
		"m.room.power_levels", "event_id", "$pl", "sender", "@anna:demo.test",
		"state_key", "", "origin_server_ts", (json_int_t)5002, "content",
		"users", "@anna:demo.test", 100));
	last_power = 0;
	assert_int_equal(apply(f, resp("s2", ROOM_EN, ev), &st), 0);
	assert_int_equal(ncalls, 1);
	assert_string_equal(last_body, "!rol");
	assert_int_equal(last_power, 100);
}

/* A command redacted in the same batch (or marked redacted by the server)
 * is no command. */
static void test_redacted_commands(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$r1", "@anna:demo.test", "!gone", 2000));
	json_t *marked = fx_msg_event("$r2", "@anna:demo.test", "!gone too", 2001);
	json_object_set_new(marked, "unsigned", json_pack("{s:{}}", "redacted_because"));
	json_array_append_new(ev, marked);
	json_array_append_new(ev, fx_msg_event("$r3", "@anna:demo.test", "!stays", 2002));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s}", "type", "m.room.redaction",
					    "event_id", "$red1", "sender", "@anna:demo.test",
					    "redacts", "$r1"));
	assert_int_equal(apply(f, resp("s2", ROOM_NL, ev), &st), 0);
	assert_int_equal(ncalls, 1);
	assert_string_equal(last_body, "!stays");

	/* Room version 11 puts the target in the content. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$r4", "@anna:demo.test", "!gone", 2003));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:{s:s}}", "type", "m.room.redaction",
					    "event_id", "$red2", "sender", "@anna:demo.test",
					    "content", "redacts", "$r4"));
	assert_int_equal(apply(f, resp("s3", ROOM_NL, ev), &st), 0);
	assert_int_equal(ncalls, 1);
}

/* If the batch as a whole fails (here: storing its next_batch), nothing of
 * it stays: no outbox rows, no handled events, the old next_batch. (One
 * event that fails alone is quarantined instead: test_sync_poison.c.) */
static void test_batch_all_or_nothing(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	assert_int_equal(sqlite3_exec(f->db, "CREATE TRIGGER boom BEFORE UPDATE ON"
		" kv WHEN NEW.value = 's2' BEGIN SELECT RAISE(ABORT,"
		" 'boom'); END", NULL, NULL, NULL), SQLITE_OK);
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$good", "@anna:demo.test", "!help", 2000));
	json_array_append_new(ev, fx_msg_event("$bad", "@anna:demo.test", "!help", 2001));
	assert_true(apply(f, resp("s2", ROOM_NL, ev), &st) < 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 0);
	char *nb = db_kv_get(f->db, "sync.next_batch");
	assert_string_equal(nb, "s1");
	free(nb);
	/* The retry after the fault is handled completely, once. */
	sqlite3_exec(f->db, "DROP TRIGGER boom", NULL, NULL, NULL);
	ncalls = 0;
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$good", "@anna:demo.test", "!help", 2000));
	json_array_append_new(ev, fx_msg_event("$bad", "@anna:demo.test", "!help", 2001));
	assert_int_equal(apply(f, resp("s2", ROOM_NL, ev), &st), 0);
	assert_int_equal(ncalls, 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 2);
}

/* Direct-message replies wait in the outbox without a room. */
static void test_dm_reply_waits(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	json_t *ev = json_array();
	json_array_append_new(ev, fx_msg_event("$d1", "@anna:demo.test", "!dm", 2000));
	assert_int_equal(apply(f, resp("s2", ROOM_NL, ev), &st), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox WHERE room_id IS NULL"
			       " AND to_user = '@anna:demo.test'"), 1);
	char **rooms;
	assert_int_equal(outbox_pending_rooms(f->db, &rooms), 0);
	outbox_rooms_free(rooms);
}

/* An invite: the state events of the invited room; alias: what the
 * inviting server claims as the room's canonical alias, in invite_state
 * and in the invite's unsigned data. */
static json_t *invite(const char *inviter, int is_direct, const char *alias)
{
	json_t *events = json_array();
	json_t *content = json_pack("{s:s}", "membership", "invite");
	if (is_direct)
		json_object_set_new(content, "is_direct", json_true());
	json_t *member = json_pack("{s:s,s:s,s:s,s:o}", "type", "m.room.member",
				   "state_key", BOT, "sender", inviter, "content", content);
	json_array_append_new(events, member);
	if (alias) {
		json_t *claim = json_pack("{s:s,s:s,s:s,s:{s:s,s:[s]}}", "type",
			"m.room.canonical_alias", "state_key", "", "sender", inviter,
			"content", "alias", alias, "alt_aliases", alias);
		json_object_set_new(member, "unsigned", json_pack("{s:[O]}",
				    "invite_room_state", claim));
		json_array_append_new(events, claim);
	}
	return json_pack("{s:{s:o}}", "invite_state", "events", events);
}

/* Invites to config rooms by id and DMs from known members are joined;
 * an invite claiming a configured alias is not (the claim is the inviting
 * server's word): like every other unknown room it waits for the
 * directory to be asked (resolve) and is refused unless the alias
 * resolves to it. */
static void test_invites(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	db_execf(f->db, "INSERT INTO roles(network, user_id, role, set_at)"
		 " VALUES ('east', '@bram:demo.test', 3, 0)", "");
	json_t *r = resp("s2", NULL, json_array());
	json_t *inv = json_object();
	json_object_set_new(inv, ROOM_NL, invite("@anna:demo.test", 0, NULL));
	json_object_set_new(inv, "!aliased:demo.test", invite("@anna:demo.test", 0, "#east:demo.test"));
	json_object_set_new(inv, "!dm1:demo.test", invite("@bram:demo.test", 1, NULL));
	json_object_set_new(inv, "!dm2:demo.test", invite("@stranger:demo.test", 1, NULL));
	json_object_set_new(inv, "!spam:demo.test", invite("@stranger:demo.test", 0, NULL));
	json_object_set_new(inv, "!broken:demo.test", json_pack("{s:i}", "invite_state", 3));
	json_object_set_new(inv, "#east:demo.test", invite("@anna:demo.test", 0, NULL));
	json_object_set_new(json_object_get(r, "rooms"), "invite", inv);
	assert_int_equal(apply(f, r, &st), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE pending = 'join'"
			       " AND room_id IN ('" ROOM_NL "', '!dm1:demo.test')"), 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE pending = 'join'"), 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE pending = 'leave'"
			       " AND resolve = 1 AND network IS NULL AND room_id IN"
			       " ('!aliased:demo.test', '!dm2:demo.test', '!spam:demo.test',"
			       " '#east:demo.test')"), 4);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE room_id ="
			       " '!dm1:demo.test' AND dm_user = '@bram:demo.test'"
			       " AND network = 'east'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE network = 'east'"
			       " AND dm_user IS NULL"), 0);
}

/* An invite whose invite_state lacks the bot's own member event (the spec
 * does not promise it): the room under rooms.invite is
 * the invite. A configured room is joined, an unknown one waits for the
 * directory (resolve) and is refused, and one whose invite_state names the
 * bot otherwise (membership join) is left alone. */
static void test_invite_without_own_event(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	first_sync(f);
	json_t *r = resp("s2", NULL, json_array());
	json_t *inv = json_object();
	json_t *name_only = json_pack("{s:{s:[{s:s,s:s,s:s,s:{s:s}}]}}",
		"invite_state", "events", "type", "m.room.name", "state_key", "",
		"sender", "@anna:demo.test", "content", "name", "Werktafel");
	json_object_set_new(inv, ROOM_EN, name_only);
	json_object_set_new(inv, "!elsewhere:demo.test",
			    json_pack("{s:{s:[]}}", "invite_state", "events"));
	json_object_set_new(inv, "!odd:demo.test", json_pack(
		"{s:{s:[{s:s,s:s,s:s,s:{s:s}}]}}", "invite_state", "events",
		"type", "m.room.member", "state_key", BOT, "sender", BOT,
		"content", "membership", "join"));
	json_object_set_new(json_object_get(r, "rooms"), "invite", inv);
	assert_int_equal(apply(f, r, &st), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE pending = 'join'"
			       " AND room_id = '" ROOM_EN "' AND network = 'east'"
			       " AND dm_user IS NULL"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE pending = 'leave'"
			       " AND resolve = 1 AND room_id = '!elsewhere:demo.test'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE"
			       " room_id = '!odd:demo.test'"), 0);
}

/* The long-poll timeout follows the scheduler's next wakeup, capped. */
static long next_wakeup(void *arg) { return *(long *)arg; }

static void test_poll_timeout(void **state)
{
	(void)state;
	long wake_in = -1;
	struct sync_env env = { 0 };
	assert_int_equal(sync_poll_timeout_ms(&env), 30000);
	env.next_wakeup_ms = next_wakeup;
	env.wakeup_arg = &wake_in;
	assert_int_equal(sync_poll_timeout_ms(&env), 30000);
	wake_in = 1200;
	assert_int_equal(sync_poll_timeout_ms(&env), 1200);
	wake_in = 0;
	assert_int_equal(sync_poll_timeout_ms(&env), 0);
	wake_in = 3600000;
	assert_int_equal(sync_poll_timeout_ms(&env), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_sync_skips_history, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_idle_answer_writes_nothing, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_commands_exactly_once, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_ignored_and_malformed_events, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_join_time, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_history_listed_after_the_join, setup,
						fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_redacted_commands, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_batch_all_or_nothing, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_dm_reply_waits, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_invites, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_invite_without_own_event, setup, fx_sync_teardown),
		cmocka_unit_test(test_poll_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
