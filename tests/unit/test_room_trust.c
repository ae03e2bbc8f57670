/* Which rooms are a network's (bot/rooms_verify.c): an invite's claim of a
 * configured alias decides nothing; a room joined because the directory
 * gave it for an alias is verified from the canonical alias in its state
 * before its commands count; the first verified room is pinned and a move
 * of the alias is not followed; the rooms table follows what is verified.
 * Real storage on an in-memory database, canned /sync bodies, the real
 * dispatch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/rooms.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/room_aliases.h"
#include "storage/room_power.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ALIAS "#noord:demo.test"
#define REAL "!real:demo.test"
#define EVIL "!evil:demo.test"
#define ZUID "!zuid:demo.test"
#define ANNA "@anna:demo.test"
#define MALLORY "@mallory:demo.test"
#define NOW 1800000000

static char *rooms_noord[] = { ALIAS };
static char *rooms_zuid[] = { ZUID };
static struct wt_network nets[2];
static struct wt_config cfg;

static time_t fixed_now(void) { return NOW; }

static int setup(void **state)
{
	struct fx_sync *f = fx_sync_new();
	memset(nets, 0, sizeof nets);
	nets[0] = (struct wt_network){ .name = "noord", .rooms = rooms_noord,
		.nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam",
		.advice_wait_days = 14 };
	nets[1] = (struct wt_network){ .name = "zuid", .rooms = rooms_zuid,
		.nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam",
		.advice_wait_days = 14 };
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = nets;
	cfg.nnetworks = 2;
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = wt_dispatch, .now = fixed_now };
	*state = f;
	return 0;
}

static int count(struct fx_sync *f, const char *sql)
{
	sqlite3_stmt *st = db_prepare(f->db, sql);
	assert_non_null(st);
	int n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	db_done(st);
	return n;
}

static void apply(struct fx_sync *f, json_t *resp)
{
	struct sync_stats st;
	assert_int_equal(sync_apply(&f->env, resp, &st), 0);
	json_decref(resp);
}

static json_t *state_ev(const char *type, const char *sender, json_t *content)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:o}", "type", type, "event_id", "$s",
			 "sender", sender, "state_key", "", "origin_server_ts",
			 (json_int_t)NOW * 1000, "content", content);
}

/* The room's state as a join brings it: created by creator (room version
 * 12: creators rank above every level), creator at 100, and canonical (an
 * m.room.canonical_alias content; NULL: none). */
static json_t *room_state(const char *creator, json_t *canonical)
{
	json_t *ev = json_array();
	json_array_append_new(ev, state_ev("m.room.create", creator,
					   json_pack("{s:s}", "room_version", "12")));
	json_array_append_new(ev, state_ev("m.room.power_levels", creator,
					   json_pack("{s:{s:i}}", "users", creator, 100)));
	if (canonical)
		json_array_append_new(ev, state_ev("m.room.canonical_alias", creator, canonical));
	return ev;
}

/* A sync in which the bot has joined room (its join in the timeline), with
 * that state, and sender then sends the command body. */
static json_t *join_sync(const char *next, const char *room, json_t *state,
			 const char *sender, const char *body)
{
	json_t *tl = json_array();
	json_array_append_new(tl, json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type",
		"m.room.member", "event_id", "$join", "sender", BOT, "state_key", BOT,
		"origin_server_ts", (json_int_t)NOW * 1000, "content", "membership", "join"));
	json_array_append_new(tl, json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type",
		"m.room.message", "event_id", "$cmd", "sender", sender, "origin_server_ts",
		(json_int_t)NOW * 1000 + 5, "content", "msgtype", "m.text", "body", body));
	return json_pack("{s:s,s:{s:{s:{s:{s:o},s:{s:o}}}}}", "next_batch", next, "rooms",
			 "join", room, "state", "events", state, "timeline", "events", tl);
}

/* A sync with one invite of the bot to room by inviter, whose server
 * claims the configured alias for it (invite_state and unsigned). */
static json_t *forged_invite(const char *next, const char *room, const char *inviter)
{
	json_t *claim = json_pack("{s:s,s:s,s:s,s:{s:s,s:[s]}}", "type",
		"m.room.canonical_alias", "state_key", "", "sender", inviter,
		"content", "alias", ALIAS, "alt_aliases", ALIAS);
	json_t *member = json_pack("{s:s,s:s,s:s,s:{s:s},s:{s:[O]}}", "type", "m.room.member",
		"state_key", BOT, "sender", inviter, "content", "membership", "invite",
		"unsigned", "invite_room_state", claim);
	return json_pack("{s:s,s:{s:{s:{s:{s:[o,o]}}}}}", "next_batch", next, "rooms",
			 "invite", room, "invite_state", "events", member, claim);
}

static void first_sync(struct fx_sync *f)
{
	apply(f, json_pack("{s:s}", "next_batch", "s0"));
}

/* A forged claim of the alias: the room is not the network's, and even
 * when the bot ends up in it, its creator gets no role and its commands
 * no answer. */
static void test_forged_claim(void **state)
{
	struct fx_sync *f = *state;
	first_sync(f);
	apply(f, forged_invite("s1", EVIL, MALLORY));
	assert_null(rooms_network(f->db, &cfg, EVIL));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE room_id = '" EVIL "'"
			       " AND pending = 'leave' AND resolve = 1 AND network IS NULL"), 1);
	apply(f, join_sync("s2", EVIL, room_state(MALLORY, json_pack("{s:s}", "alias", ALIAS)),
			   MALLORY, "!rol"));
	assert_null(rooms_network(f->db, &cfg, EVIL));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox"), 0);
	assert_int_equal(room_power_in_network(f->db, "noord", MALLORY), -1);
	assert_int_equal(wt_role_of(f->db, &nets[0], NULL, MALLORY), ROLE_MEMBER);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM room_aliases"), 0);
}

/* The directory gave REAL for the alias and the bot joined to check: the
 * canonical alias in the state of the join verifies and pins it before
 * the command after the join is handled, and its creator is chair. */
static void test_verified_by_canonical_alias(void **state)
{
	struct fx_sync *f = *state;
	first_sync(f);
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, pending, alias)"
				  " VALUES (?1, 'join', ?2)", "tt", REAL, ALIAS), 0);
	json_t *canonical = json_pack("{s:s,s:[s]}", "alias", "#ander:demo.test",
				      "alt_aliases", ALIAS);
	apply(f, join_sync("s1", REAL, room_state(ANNA, canonical), ANNA, "!rol"));
	assert_ptr_equal(rooms_network(f->db, &cfg, REAL), &nets[0]);
	char *pin = room_aliases_pinned_dup(f->db, ALIAS);
	assert_string_equal(pin, REAL);
	free(pin);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox"), 1);
	assert_int_equal(wt_role_of(f->db, &nets[0], NULL, ANNA), ROLE_CHAIR);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE room_id = '" REAL "'"
			       " AND network = 'noord' AND alias IS NULL AND members = 'wanted'"), 1);
}

/* A room whose canonical alias does not name the alias, or that has none,
 * is left: no pin, no network, no role, no answer. */
static void test_not_named(void **state)
{
	struct fx_sync *f = *state;
	first_sync(f);
	json_t *canonicals[] = {
		json_pack("{s:s,s:[s,i]}", "alias", "#ander:demo.test", "alt_aliases",
			  "#noord:elders.test", 5),
		json_pack("{s:i,s:s}", "alias", 3, "alt_aliases", ALIAS),
		NULL,
	};
	for (int i = 0; i < 3; i++) {
		const char *room = i == 0 ? "!a:demo.test" : i == 1 ? "!b:demo.test" : "!c:demo.test";
		assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, pending, alias)"
					  " VALUES (?1, 'join', ?2)", "tt", room, ALIAS), 0);
		char next[16];
		snprintf(next, sizeof next, "s%d", i + 1);
		apply(f, join_sync(next, room, room_state(MALLORY, canonicals[i]), MALLORY, "!rol"));
		assert_null(rooms_network(f->db, &cfg, room));
	}
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE pending = 'leave'"
			       " AND alias IS NULL AND network IS NULL"), 3);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM room_aliases"), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox"), 0);
	assert_int_equal(wt_role_of(f->db, &nets[0], NULL, MALLORY), ROLE_MEMBER);
}

/* The first verified room stays the alias's: a move in the directory is
 * not followed, and another room naming the alias is refused. */
static void test_pin_holds(void **state)
{
	struct fx_sync *f = *state;
	first_sync(f);
	assert_int_equal(room_aliases_pin(f->db, ALIAS, REAL, NOW), 0);
	assert_int_equal(room_aliases_pin(f->db, ALIAS, EVIL, NOW), 0);
	char *pin = room_aliases_pinned_dup(f->db, ALIAS);
	assert_string_equal(pin, REAL);
	free(pin);
	assert_int_equal(rooms_note_joined(f->db, EVIL, NULL, NOW * 1000LL), 0);
	/* The directory now gives EVIL, a room the bot is in: no check. */
	assert_int_equal(rooms_alias_resolved(f->db, &cfg, ALIAS, EVIL), 0);
	assert_int_equal(rooms_alias_resolved(f->db, &cfg, ALIAS, NULL), 0);
	assert_ptr_equal(rooms_verified_network(f->db, &cfg, REAL), &nets[0]);
	assert_null(rooms_verified_network(f->db, &cfg, EVIL));
	json_t *c = json_pack("{s:s}", "alias", ALIAS);
	assert_int_equal(rooms_alias_checked(f->db, &cfg, ALIAS, EVIL, c), 0);
	assert_null(rooms_network(f->db, &cfg, EVIL));
	/* Joined for a check, such a room is left. */
	assert_int_equal(db_execf(f->db, "UPDATE rooms SET alias = ?2, pending = 'join'"
				  " WHERE room_id = ?1", "tt", EVIL, ALIAS), 0);
	json_t *st = json_pack("[{s:s,s:s,s:s,s:O}]", "type", "m.room.canonical_alias",
			       "state_key", "", "sender", MALLORY, "content", c);
	apply(f, json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", "s1", "rooms", "join",
			   EVIL, "state", "events", st));
	json_decref(c);
	assert_null(rooms_network(f->db, &cfg, EVIL));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE room_id = '" EVIL "'"
			       " AND pending = 'leave' AND alias IS NULL"), 1);
	pin = room_aliases_pinned_dup(f->db, ALIAS);
	assert_string_equal(pin, REAL);
	free(pin);
}

/* Not pinned yet: a room the directory gives is checked at once when the
 * bot is in it, and verified when its canonical alias names the alias. */
static void test_resolved_at_start(void **state)
{
	struct fx_sync *f = *state;
	assert_int_equal(rooms_alias_resolved(f->db, &cfg, ALIAS, REAL), 0);
	assert_int_equal(rooms_note_joined(f->db, REAL, NULL, NOW * 1000LL), 0);
	assert_int_equal(rooms_alias_resolved(f->db, &cfg, ALIAS, REAL), 1);
	assert_int_equal(rooms_alias_resolved(f->db, &cfg, "#elders:demo.test", REAL), 0);
	/* Checked first against a canonical alias that does not name it: not
	 * verified, but not left either (another alias may verify it). */
	json_t *c = json_pack("{s:s}", "alias", "#elders:demo.test");
	assert_int_equal(rooms_alias_checked(f->db, &cfg, ALIAS, REAL, c), 0);
	json_decref(c);
	assert_null(rooms_network(f->db, &cfg, REAL));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE pending IS NOT NULL"), 0);
	c = json_pack("{s:s}", "alias", ALIAS);
	assert_int_equal(rooms_alias_checked(f->db, &cfg, ALIAS, REAL, c), 1);
	json_decref(c);
	assert_ptr_equal(rooms_network(f->db, &cfg, REAL), &nets[0]);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE network = 'noord'"), 1);
}

/* rooms.network follows what is verified: a room marked by an older
 * version (the alias claimed in its invite) loses it; a configured room
 * id and a pinned room get theirs; direct chats keep theirs. */
static void test_reconcile(void **state)
{
	struct fx_sync *f = *state;
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network) VALUES"
				  " (?1, 'noord'), (?2, NULL), (?3, NULL)", "ttt",
				  EVIL, ZUID, REAL), 0);
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network, dm_user)"
				  " VALUES ('!dm:demo.test', 'noord', ?1)", "t", ANNA), 0);
	assert_int_equal(room_aliases_pin(f->db, ALIAS, REAL, NOW), 0);
	assert_int_equal(rooms_reconcile(f->db, &cfg), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE room_id = '" EVIL "'"
			       " AND network IS NULL"), 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE room_id = '" ZUID "'"
			       " AND network = 'zuid'"), 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE room_id = '" REAL "'"
			       " AND network = 'noord'"), 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rooms WHERE dm_user IS NOT NULL"
			       " AND network = 'noord'"), 1);
	/* Something that is no room id never matches the config's alias. */
	assert_null(rooms_verified_network(f->db, &cfg, ALIAS));
}

static void test_canonical_names(void **state)
{
	(void)state;
	json_t *c = json_pack("{s:s,s:[s,i,n]}", "alias", "#a:x", "alt_aliases", "#b:x", 1);
	assert_true(rooms_canonical_names(c, "#a:x"));
	assert_true(rooms_canonical_names(c, "#b:x"));
	assert_false(rooms_canonical_names(c, "#A:x"));
	assert_false(rooms_canonical_names(c, "#c:x"));
	json_decref(c);
	c = json_pack("{s:[s],s:{s:s}}", "alias", "#a:x", "alt_aliases", "0", "#a:x");
	assert_false(rooms_canonical_names(c, "#a:x"));
	json_decref(c);
	assert_false(rooms_canonical_names(NULL, "#a:x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forged_claim, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_verified_by_canonical_alias, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_not_named, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_pin_holds, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_resolved_at_start, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_reconcile, setup, fx_sync_teardown),
		cmocka_unit_test(test_canonical_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
