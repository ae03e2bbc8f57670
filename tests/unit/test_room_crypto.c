/* Encrypted rooms, the storage and sync side (bot/e2ee.h does the
 * crypto): a room's encryption as its state gives it (never undone), the
 * recipients of its room key, and encrypted events that wait for their
 * key: kept once, not dispatched, handled once when decrypted later. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/e2ee.h"
#include "bot/sync.h"
#include "storage/db.h"
#include "storage/room_crypto.h"
#include "storage/room_members.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!west:demo.test"
#define MEGOLM "{\"algorithm\":\"m.megolm.v1.aes-sha2\"}"

static int ncalls;
static char last_body[256];

/* Dispatch that answers every "!..." with one reply and counts. */
static int fake_dispatch(struct wt_ctx *ctx, const char *body)
{
	if (body[0] != '!')
		return WT_NOT_COMMAND;
	ncalls++;
	snprintf(last_body, sizeof last_body, "%s", body);
	struct wt_replies *r = ctx->out;
	r->v = realloc(r->v, (r->n + 1) * sizeof *r->v);
	memset(&r->v[r->n], 0, sizeof r->v[r->n]);
	r->v[r->n].markdown = strdup("done");
	r->v[r->n++].in_reply_to = strdup(ctx->event_id);
	return WT_OK;
}

static time_t fixed_now(void) { return 1800000000; }

static char *rooms[] = { ROOM };
static struct wt_network net;
static struct wt_config cfg;

static int setup(void **state)
{
	struct fx_sync *f = fx_sync_new();
	memset(&net, 0, sizeof net);
	net.name = "west";
	net.rooms = rooms;
	net.nrooms = 1;
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = &net;
	cfg.nnetworks = 1;
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = fake_dispatch, .now = fixed_now };
	ncalls = 0;
	*state = f;
	return 0;
}

/* One sync answer with events in ROOM's timeline (steals them). */
static int apply(struct fx_sync *f, const char *next, json_t *events)
{
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", next,
			      "rooms", "join", ROOM, "timeline", "events", events);
	struct sync_stats st;
	int rc = sync_apply(&f->env, r, &st);
	json_decref(r);
	return rc;
}

static json_t *encrypted(const char *id, const char *sender, const char *session)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:s,s:s}}", "type",
			 "m.room.encrypted", "event_id", id, "sender", sender,
			 "origin_server_ts", (json_int_t)1800000000000LL, "content",
			 "algorithm", "m.megolm.v1.aes-sha2", "ciphertext", "AwgA",
			 "session_id", session, "sender_key", "k");
}

static void test_state_never_undone(void **state)
{
	struct fx_sync *f = *state;
	assert_int_equal(room_crypto_get(f->db, ROOM, NULL, NULL), ROOM_ENC_UNKNOWN);
	assert_int_equal(room_crypto_set(f->db, ROOM, NULL), 0);
	assert_int_equal(room_crypto_get(f->db, ROOM, NULL, NULL), ROOM_ENC_OFF);
	assert_int_equal(room_crypto_set(f->db, ROOM, MEGOLM), 0);
	char *c, *v;
	assert_int_equal(room_crypto_get(f->db, ROOM, &c, &v), ROOM_ENC_ON);
	assert_string_equal(c, MEGOLM);
	assert_null(v);
	free(c);
	/* A later "unencrypted" look never turns it off again. */
	assert_int_equal(room_crypto_set(f->db, ROOM, ""), 0);
	assert_int_equal(room_crypto_get(f->db, ROOM, NULL, NULL), ROOM_ENC_ON);
	assert_int_equal(room_crypto_set_visibility(f->db, ROOM, "joined"), 0);
	assert_int_equal(room_crypto_get(f->db, ROOM, NULL, &v), ROOM_ENC_ON);
	assert_string_equal(v, "joined");
	free(v);
}

/* The m.room.encryption and history visibility state of a sync. */
static void test_state_from_sync(void **state)
{
	struct fx_sync *f = *state;
	json_t *ev = json_array();
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type",
		"m.room.encryption", "state_key", "", "event_id", "$enc", "sender",
		"@anna:demo.test", "origin_server_ts", (json_int_t)1, "content",
		"algorithm", "m.megolm.v1.aes-sha2"));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type",
		"m.room.history_visibility", "state_key", "", "event_id", "$hv",
		"sender", "@anna:demo.test", "origin_server_ts", (json_int_t)2,
		"content", "history_visibility", "invited"));
	assert_int_equal(apply(f, "s1", ev), 0);
	char *v;
	assert_int_equal(room_crypto_get(f->db, ROOM, NULL, &v), ROOM_ENC_ON);
	assert_string_equal(v, "invited");
	free(v);
	/* Without an algorithm a state event turns nothing on. */
	assert_int_equal(room_crypto_get(f->db, "!other:demo.test", NULL, NULL),
			 ROOM_ENC_UNKNOWN);
}

static void test_recipients(void **state)
{
	struct fx_sync *f = *state;
	room_crypto_set(f->db, ROOM, MEGOLM);
	room_members_set(f->db, ROOM, "@anna:demo.test", "join");
	room_members_set(f->db, ROOM, "@bram:demo.test", "invite");
	room_members_set(f->db, ROOM, "@cor:demo.test", "leave");
	room_members_set(f->db, ROOM, BOT, "join");
	char *j = room_crypto_recipients(f->db, ROOM, 0);
	assert_string_equal(j, "[\"@anna:demo.test\",\"@werktafel:demo.test\"]");
	free(j);
	j = room_crypto_recipients(f->db, ROOM, 1);
	assert_string_equal(j, "[\"@anna:demo.test\",\"@bram:demo.test\","
			    "\"@werktafel:demo.test\"]");
	free(j);
	/* A direct chat's person counts before their membership is seen. */
	db_execf(f->db, "INSERT INTO rooms(room_id, dm_user, encryption) VALUES"
		 " ('!dm:demo.test', '@dirk:demo.test', ?1)", "t", MEGOLM);
	j = room_crypto_recipients(f->db, "!dm:demo.test", 0);
	assert_string_equal(j, "[\"@dirk:demo.test\"]");
	free(j);
	j = room_crypto_tracked_users(f->db, BOT);
	assert_string_equal(j, "[\"@anna:demo.test\",\"@bram:demo.test\","
			    "\"@dirk:demo.test\",\"@werktafel:demo.test\"]");
	free(j);
}

/* An event that stays encrypted waits, once, and is no command yet. */
static void test_undecrypted_waits(void **state)
{
	struct fx_sync *f = *state;
	json_t *ev = json_array();
	json_array_append_new(ev, encrypted("$e1", "@anna:demo.test", "S1"));
	json_array_append_new(ev, encrypted("$own", BOT, "S0"));  /* the bot's own */
	assert_int_equal(apply(f, "s1", json_array()), 0);  /* first sync */
	assert_int_equal(apply(f, "s2", ev), 0);
	assert_int_equal(ncalls, 0);
	assert_int_equal(e2ee_pending_count(f->db), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM handled_events"), 0);
	/* Delivered again (a replay): still one waiting row. */
	ev = json_array();
	json_array_append_new(ev, encrypted("$e1", "@anna:demo.test", "S1"));
	assert_int_equal(apply(f, "s3", ev), 0);
	assert_int_equal(e2ee_pending_count(f->db), 1);
	struct e2ee_pending *v;
	assert_int_equal(e2ee_pending_list(f->db, 10, &v), 1);
	assert_string_equal(v[0].event_id, "$e1");
	assert_string_equal(v[0].session_id, "S1");
	assert_string_equal(v[0].sender, "@anna:demo.test");
	json_error_t err;
	json_t *back = json_loads(v[0].event, 0, &err);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back, "type")),
			    "m.room.encrypted");
	json_decref(back);
	e2ee_pending_free(v, 1);
}

/* The key came: the decrypted event is handled exactly once, like any. */
static void test_decrypted_later_once(void **state)
{
	struct fx_sync *f = *state;
	json_t *ev = json_array();
	json_array_append_new(ev, encrypted("$e1", "@anna:demo.test", "S1"));
	assert_int_equal(apply(f, "s1", json_array()), 0);
	assert_int_equal(apply(f, "s2", ev), 0);
	json_t *clear = json_pack("[{s:s,s:s,s:s,s:I,s:{s:s,s:s}}]", "type",
		"m.room.message", "event_id", "$e1", "sender", "@anna:demo.test",
		"origin_server_ts", (json_int_t)1800000000000LL, "content",
		"msgtype", "m.text", "body", "!agenda");
	json_t *room = json_object();
	struct sync_stats st;
	assert_int_equal(sync_apply_room_events(&f->env, ROOM, room, clear, &st), 0);
	assert_int_equal(e2ee_pending_done(f->db, "$e1"), 0);
	assert_int_equal(ncalls, 1);
	assert_string_equal(last_body, "!agenda");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM outbox"), 1);
	/* Once more (a crash before the pending row went): not again. */
	assert_int_equal(sync_apply_room_events(&f->env, ROOM, room, clear, &st), 0);
	assert_int_equal(ncalls, 1);
	/* And the encrypted original delivered again waits no more. */
	ev = json_array();
	json_array_append_new(ev, encrypted("$e1", "@anna:demo.test", "S1"));
	assert_int_equal(apply(f, "s3", ev), 0);
	assert_int_equal(e2ee_pending_count(f->db), 0);
	json_decref(clear);
	json_decref(room);
}

/* A sender is told once per session that a message could not be read. */
static void test_give_up_tells_once(void **state)
{
	struct fx_sync *f = *state;
	e2ee_pending_add(f->db, "$a", ROOM, "@anna:demo.test", "S1", "{}", 100);
	e2ee_pending_add(f->db, "$b", ROOM, "@anna:demo.test", "S1", "{}", 101);
	e2ee_pending_add(f->db, "$c", ROOM, "@anna:demo.test", "S2", "{}", 102);
	assert_int_equal(e2ee_pending_add(f->db, "$a", ROOM, "@x:demo.test", "S9",
					  "{}", 200), 0);  /* kept as first seen */
	assert_int_equal(e2ee_pending_add(f->db, "$d", ROOM, "@x:demo.test", "S9",
					  "{}", 200), 1);
	assert_int_equal(e2ee_pending_done(f->db, "$d"), 0);
	assert_int_equal(e2ee_pending_give_up(f->db, "$a", 1000), 1);
	assert_int_equal(e2ee_pending_give_up(f->db, "$b", 1000), 0);
	assert_int_equal(e2ee_pending_give_up(f->db, "$c", 1000), 1);
	assert_int_equal(e2ee_pending_count(f->db), 0);
	assert_int_equal(e2ee_pending_prune(f->db, 1001), 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM e2ee_pending"), 0);
}

/* What replaces an encrypted event once decrypted: the outer ids and the
 * clear relation; forged state keys and redactions never pass. */
static void test_clear_event(void **state)
{
	(void)state;
	json_t *ev = json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:{s:s,s:s}}}", "type",
		"m.room.encrypted", "event_id", "$outer", "sender", "@anna:demo.test",
		"origin_server_ts", (json_int_t)5, "content", "ciphertext", "x",
		"m.relates_to", "rel_type", "m.thread", "event_id", "$root");
	/* The plaintext as an older client sent it: no relation inside, and a
	 * forger's fields. */
	json_t *res = json_pack("{s:b,s:{s:s,s:s,s:s,s:s,s:{s:s,s:s}}}", "ok", 1,
		"event", "type", "m.room.message", "event_id", "$forged", "sender",
		"@mallory:demo.test", "state_key", "", "content", "msgtype", "m.text",
		"body", "!agenda");
	json_t *c = e2ee_clear_event(ev, res);
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "event_id")), "$outer");
	assert_string_equal(json_string_value(json_object_get(c, "sender")), "@anna:demo.test");
	assert_null(json_object_get(c, "state_key"));
	json_t *rel = json_object_get(json_object_get(c, "content"), "m.relates_to");
	assert_string_equal(json_string_value(json_object_get(rel, "rel_type")), "m.thread");
	assert_string_equal(json_string_value(json_object_get(rel, "event_id")), "$root");
	json_decref(c);
	json_decref(res);
	/* A redaction inside a ciphertext is a forgery. */
	res = json_pack("{s:b,s:{s:s,s:{s:s}}}", "ok", 1, "event", "type",
			"m.room.redaction", "content", "redacts", "$x");
	assert_null(e2ee_clear_event(ev, res));
	json_decref(res);
	json_decref(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_state_never_undone, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_state_from_sync, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_recipients, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_undecrypted_waits, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_decrypted_later_once, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_give_up_tells_once, setup, fx_sync_teardown),
		cmocka_unit_test(test_clear_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
