/* Roles that follow the rooms' power levels where none is set with !rol:
 * 100 gives chair, 50 secretary; direct chats do not count; a stored role
 * wins; the levels come from m.room.power_levels in the sync. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "storage/room_power.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!noord:demo.test"
#define DM "!dm:demo.test"
#define NOW 1800000000

static char *rooms[] = { ROOM };
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_config cfg;

static time_t fixed_now(void) { return NOW; }

/* A sync whose room ROOM carries a power-levels event, in its state block
 * (in_state) or its timeline. */
static json_t *power_sync(const char *next, json_t *users, int in_state)
{
	json_t *ev = json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:o}}", "type", "m.room.power_levels",
			       "event_id", "$pl", "sender", "@anna:demo.test", "state_key", "",
			       "origin_server_ts", (json_int_t)NOW * 1000, "content", "users", users);
	json_t *room = json_pack("{s:{s:[]},s:{s:[]}}", "state", "events", "timeline", "events");
	json_array_append_new(json_object_get(json_object_get(room, in_state ? "state" : "timeline"),
					      "events"), ev);
	return json_pack("{s:s,s:{s:{s:o}}}", "next_batch", next, "rooms", "join", ROOM, room);
}

static void apply(struct fx_sync *f, json_t *resp)
{
	struct sync_stats st;
	assert_int_equal(sync_apply(&f->env, resp, &st), 0);
	json_decref(resp);
}

static int setup(void **state)
{
	struct fx_sync *f = fx_sync_new();
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = &net;
	cfg.nnetworks = 1;
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = wt_dispatch, .now = fixed_now };
	*state = f;
	return 0;
}

static enum wt_role role(struct fx_sync *f, const char *user)
{
	return wt_role_of(f->db, &net, NULL, user);
}

static void test_levels_give_roles(void **state)
{
	struct fx_sync *f = *state;
	assert_int_equal(role(f, "@anna:demo.test"), ROLE_MEMBER);
	apply(f, power_sync("s1", json_pack("{s:i,s:i,s:i}", "@anna:demo.test", 100,
					    "@bram:demo.test", 50, "@carla:demo.test", 10), 1));
	assert_int_equal(role(f, "@anna:demo.test"), ROLE_CHAIR);
	assert_int_equal(role(f, "@bram:demo.test"), ROLE_SECRETARY);
	assert_int_equal(role(f, "@carla:demo.test"), ROLE_MEMBER);
	assert_int_equal(role(f, "@daan:demo.test"), ROLE_MEMBER);
	/* A stored role wins over the room's rights. */
	assert_int_equal(roles_set(f->db, "noord", "@bram:demo.test", ROLE_BOARD, NULL, NOW), 0);
	assert_int_equal(role(f, "@bram:demo.test"), ROLE_BOARD);
	/* A new power-levels event in the timeline replaces the old map. */
	apply(f, power_sync("s2", json_pack("{s:i}", "@carla:demo.test", 50), 0));
	assert_int_equal(role(f, "@anna:demo.test"), ROLE_MEMBER);
	assert_int_equal(role(f, "@carla:demo.test"), ROLE_SECRETARY);
	/* Roles are per network: another network knows nothing of this room. */
	assert_int_equal(room_power_in_network(f->db, "zuid", "@carla:demo.test"), -1);
}

static void test_direct_chats_do_not_count(void **state)
{
	struct fx_sync *f = *state;
	/* In a direct chat with the bot both sides have 100. */
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network, dm_user)"
				  " VALUES (?1, 'noord', '@eva:demo.test')", "t", DM), 0);
	const char *users[] = { "@eva:demo.test" };
	const long long levels[] = { 100 };
	assert_int_equal(room_power_replace(f->db, DM, users, levels, 1), 0);
	assert_int_equal(role(f, "@eva:demo.test"), ROLE_MEMBER);
}

/* Rooms that are not the network's verified and joined rooms give no
 * role: a room the bot leaves (an old direct chat, a room that failed its
 * check) and one not verified at all (rooms.network unset). */
static void test_unverified_rooms_do_not_count(void **state)
{
	struct fx_sync *f = *state;
	const char *users[] = { "@eva:demo.test" };
	const long long levels[] = { 100 };
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network, pending)"
				  " VALUES (?1, 'noord', 'leave'), ('!other:demo.test', NULL, NULL)",
				  "t", DM), 0);
	assert_int_equal(room_power_replace(f->db, DM, users, levels, 1), 0);
	assert_int_equal(room_power_replace(f->db, "!other:demo.test", users, levels, 1), 0);
	assert_int_equal(role(f, "@eva:demo.test"), ROLE_MEMBER);
	/* Once verified and joined, the same levels count. */
	assert_int_equal(db_execf(f->db, "UPDATE rooms SET pending = NULL WHERE room_id = ?1",
				  "t", DM), 0);
	assert_int_equal(role(f, "@eva:demo.test"), ROLE_CHAIR);
}

static void test_malformed_levels(void **state)
{
	struct fx_sync *f = *state;
	apply(f, power_sync("s1", json_pack("{s:s,s:n,s:i}", "@anna:demo.test", "100",
					    "@bram:demo.test", "@carla:demo.test", 100), 1));
	assert_int_equal(role(f, "@anna:demo.test"), ROLE_MEMBER);
	assert_int_equal(role(f, "@bram:demo.test"), ROLE_MEMBER);
	assert_int_equal(role(f, "@carla:demo.test"), ROLE_CHAIR);
	/* users that is no object: nobody has a level. */
	json_t *r = power_sync("s2", json_object(), 1);
	json_t *ev = json_array_get(json_object_get(json_object_get(json_object_get(
		json_object_get(json_object_get(r, "rooms"), "join"), ROOM), "state"), "events"), 0);
	json_object_set_new(json_object_get(ev, "content"), "users", json_string("x"));
	apply(f, r);
	assert_int_equal(role(f, "@carla:demo.test"), ROLE_MEMBER);
}

/* In rooms of version 12 and later the creators rank above every level
 * (they are not in the users map); in older versions they do not. */
static void test_creators(void **state)
{
	struct fx_sync *f = *state;
	const char *versions[] = { "12", "11" };
	for (int v = 0; v < 2; v++) {
		json_t *create = json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s,s:[s]}}", "type", "m.room.create",
					   "event_id", "$create", "sender", "@anna:demo.test",
					   "state_key", "", "origin_server_ts", (json_int_t)NOW * 1000,
					   "content", "room_version", versions[v],
					   "additional_creators", "@bram:demo.test");
		json_t *r = power_sync(v ? "s2" : "s1", json_object(), 1);
		json_array_append_new(json_object_get(json_object_get(json_object_get(
			json_object_get(json_object_get(r, "rooms"), "join"), ROOM), "state"), "events"),
			create);
		apply(f, r);
		enum wt_role want = v == 0 ? ROLE_CHAIR : ROLE_MEMBER;
		assert_int_equal(role(f, "@anna:demo.test"), want);
		assert_int_equal(role(f, "@bram:demo.test"), want);
		assert_int_equal(role(f, "@carla:demo.test"), ROLE_MEMBER);
	}
}

/* The room's chair may plan a meeting without !rol, and !rol says why. */
static void test_commands_follow(void **state)
{
	struct fx_sync *f = *state;
	apply(f, power_sync("s1", json_pack("{s:i}", "@anna:demo.test", 100), 1));
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net, .sender = "@anna:demo.test", .room = ROOM,
			      .event_id = "$c1", .now = NOW, .lang = LANG_NL, .out = &out };
	assert_int_equal(wt_dispatch(&ctx, "!rol"), WT_OK);
	assert_non_null(strstr(out.v[0].markdown, "voorzitter (door rechten 100"));
	wt_replies_free(&out);
	assert_int_equal(wt_dispatch(&ctx, "!vergadering plan 12-03-2027 19:30"), WT_OK);
	wt_replies_free(&out);
	ctx.sender = "@daan:demo.test";
	assert_int_equal(wt_dispatch(&ctx, "!vergadering plan 13-03-2027 19:30"), WT_EPERM);
	wt_replies_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_levels_give_roles, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_direct_chats_do_not_count, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_unverified_rooms_do_not_count, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_levels, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_creators, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_commands_follow, setup, fx_sync_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
