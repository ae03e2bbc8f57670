/* Room member lists: the storage (wanted, fetched, kept current, forgotten),
 * the refusals of an action owner and an advice assignee who is not in the
 * room (nothing changes), and a sync batch in which a join comes before a
 * command that needs the new member. */
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
#include "handlers/render.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/expertise.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "tests/unit/fixture.h"

#define NOW ((time_t)1800000000)
#define ROOM "!werktafel:demo.test"
#define OTHER "!elders:demo.test"
#define BOT "@werktafel:demo.test"
#define ANNA "@anna:demo.test"   /* chair */
#define BRAM "@bram:demo.test"   /* secretary */
#define DAAN "@daan:demo.test"   /* member, expertise */
#define EVA "@eva:demo.test"     /* member, expertise, not in the room */

static char *rooms[] = { ROOM };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static char *admin_list[] = { "@admin:demo.test", NULL };

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, NULL);
	roles_set(f->db, "demo", ANNA, ROLE_CHAIR, NULL, NOW);
	roles_set(f->db, "demo", BRAM, ROLE_SECRETARY, NULL, NOW);
	expertise_add(f->db, "demo", DAAN, "kwaliteit van zorg", NOW);
	expertise_add(f->db, "demo", EVA, "kwaliteit van zorg", NOW);
	*state = f;
	return 0;
}

/* One integer from sql (fixture.h). */
static int count(struct fx_cmds *f, const char *sql)
{
	return (int)fx_int(f->db, sql);
}

/* The room's list as the bot would have fetched it: these users joined. */
static void fill(struct fx_cmds *f, const char *room, const char *const *users, size_t n)
{
	assert_int_equal(room_members_fetch_done(f->db, room, users, n), 0);
}

/* Run body as sender in ROOM through wt_dispatch_message (commands and
 * #-lines); replies in f->out. */
static int run_as(struct fx_cmds *f, const struct wt_network *net, const char *sender,
		  const char *event_id, const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = net, .sender = sender, .room = ROOM,
		.event_id = event_id, .now = NOW, .lang = net->lang,
		.admins = (const char *const *)admin_list, .out = &f->out,
	};
	return wt_dispatch_message(&ctx, body);
}

static int run(struct fx_cmds *f, const char *sender, const char *body)
{
	return run_as(f, &net_nl, sender, "$ev1", body);
}

/* Reply 0 as people read it (plain text) contains needle. */
static void assert_text_has(struct fx_cmds *f, const char *needle)
{
	char *plain = render_plain(fx_reply0(f));
	if (!strstr(plain, needle))
		fail_msg("reply lacks \"%s\":\n%s", needle, plain);
	free(plain);
}

/* ---- storage ---- */

static void test_storage(void **state)
{
	struct fx_cmds *f = *state;
	/* Unknown: nobody is refused, nobody is a member. */
	assert_int_equal(room_members_known(f->db, ROOM), 0);
	assert_int_equal(room_members_is_joined(f->db, ROOM, DAAN), 0);
	assert_int_equal(room_members_outside(f->db, ROOM, EVA), 0);
	assert_int_equal(room_members_outside(f->db, NULL, EVA), 0);

	/* Wanted only for a room of a network that is no direct chat. */
	db_execf(f->db, "INSERT INTO rooms(room_id, network) VALUES (?1, 'demo')", "t", ROOM);
	db_execf(f->db, "INSERT INTO rooms(room_id, network, dm_user) VALUES (?1, 'demo', ?2)",
		 "tt", "!dm:demo.test", DAAN);
	db_execf(f->db, "INSERT INTO rooms(room_id) VALUES (?1)", "t", OTHER);
	assert_int_equal(room_members_want(f->db, ROOM), 0);
	assert_int_equal(room_members_want(f->db, "!dm:demo.test"), 0);
	assert_int_equal(room_members_want(f->db, OTHER), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM rooms WHERE members = 'wanted'"), 1);
	char *next = room_members_next_wanted(f->db);
	assert_string_equal(next, ROOM);
	free(next);
	assert_int_equal(room_members_known(f->db, ROOM), 0);

	/* An old row, then the request goes out; a sync stores a leave and a
	 * join while it is on its way: those win over the answer. */
	assert_int_equal(room_members_set(f->db, ROOM, "@oud:demo.test", "join"), 0);
	assert_int_equal(room_members_fetch_begin(f->db, ROOM), 0);
	assert_int_equal(room_members_set(f->db, ROOM, BRAM, "leave"), 0);
	assert_int_equal(room_members_set(f->db, ROOM, DAAN, "join"), 0);
	const char *answer[] = { ANNA, BRAM };
	fill(f, ROOM, answer, 2);
	assert_int_equal(room_members_known(f->db, ROOM), 1);
	assert_null(room_members_next_wanted(f->db));
	assert_int_equal(room_members_is_joined(f->db, ROOM, ANNA), 1);
	assert_int_equal(room_members_is_joined(f->db, ROOM, DAAN), 1);
	assert_int_equal(room_members_is_joined(f->db, ROOM, BRAM), 0);
	assert_int_equal(room_members_is_joined(f->db, ROOM, "@oud:demo.test"), 0);
	assert_int_equal(room_members_outside(f->db, ROOM, BRAM), 1);
	assert_int_equal(room_members_outside(f->db, ROOM, EVA), 1);
	assert_int_equal(room_members_outside(f->db, ROOM, ANNA), 0);
	/* Another room's list is its own. */
	assert_int_equal(room_members_outside(f->db, OTHER, EVA), 0);

	/* Kept current: a later leave, ban or invite is no member. */
	assert_int_equal(room_members_set(f->db, ROOM, ANNA, "ban"), 0);
	assert_int_equal(room_members_outside(f->db, ROOM, ANNA), 1);
	assert_int_equal(room_members_set(f->db, ROOM, EVA, "invite"), 0);
	assert_int_equal(room_members_outside(f->db, ROOM, EVA), 1);
	assert_int_equal(room_members_set(f->db, ROOM, EVA, "join"), 0);
	assert_int_equal(room_members_outside(f->db, ROOM, EVA), 0);
	/* Known stays known: no second request. */
	assert_int_equal(room_members_want(f->db, ROOM), 0);
	assert_null(room_members_next_wanted(f->db));

	/* The bot left: list gone, unknown, wanted again on a new join. */
	assert_int_equal(room_members_forget(f->db, ROOM), 0);
	assert_int_equal(room_members_known(f->db, ROOM), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM room_members"), 0);
	assert_int_equal(room_members_outside(f->db, ROOM, EVA), 0);
	assert_int_equal(room_members_want(f->db, ROOM), 0);
	/* A refused request: unknown, not asked again until wanted. */
	assert_int_equal(room_members_fetch_failed(f->db, ROOM), 0);
	assert_null(room_members_next_wanted(f->db));
	assert_int_equal(room_members_known(f->db, ROOM), 0);
}

/* ---- handlers ---- */

static void test_action_owner_not_in_room(void **state)
{
	struct fx_cmds *f = *state;
	/* Unknown list: as before, any well-formed owner is taken. */
	assert_int_equal(run(f, BRAM, "!actie @wie:demo.test agenda rondsturen"), WT_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items"), 1);

	const char *joined[] = { ANNA, BRAM, DAAN };
	fill(f, ROOM, joined, 3);
	char *before = fx_snapshot(f->db, NULL);

	/* Command: refused, in the room's language, nothing changed. */
	assert_int_equal(run(f, BRAM, "!actie " EVA " programma opstellen voor 1-3-2027"), WT_EUSAGE);
	assert_text_has(f, "@eva:demo.test is niet in deze kamer");
	assert_text_has(f, "/invite @eva:demo.test");
	assert_true(f->out.v[0].is_error);
	assert_int_equal(run_as(f, &net_en, BRAM, "$ev2", "!action " EVA " write it"), WT_EUSAGE);
	assert_text_has(f, "@eva:demo.test is not in this room");
	assert_text_has(f, "Invite them first");
	/* #-lines: the whole message is refused, the good line too. */
	assert_int_equal(run_as(f, &net_nl, BRAM, "$ev3",
				"#besluit We gaan door\n#actie " EVA " programma opstellen"),
			 WT_EUSAGE);
	assert_text_has(f, "Regel 2");
	assert_text_has(f, "niet in deze kamer");
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);

	/* A member of the room is taken, by command and by #-line. */
	assert_int_equal(run(f, BRAM, "!actie " DAAN " programma opstellen"), WT_OK);
	assert_int_equal(run_as(f, &net_nl, BRAM, "$ev4", "#actie " DAAN ": zaal boeken"), WT_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE owner = '" DAAN "'"), 2);

	/* Eva joins: now she can own one. */
	assert_int_equal(room_members_set(f->db, ROOM, EVA, "join"), 0);
	assert_int_equal(run_as(f, &net_nl, BRAM, "$ev5", "#actie " EVA " notulen nalezen"), WT_OK);
	/* She leaves; an edit that keeps her as owner still fixes the text,
	 * an edit that names another stranger is refused and keeps the old. */
	assert_int_equal(room_members_set(f->db, ROOM, EVA, "leave"), 0);
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = &net_nl, .sender = BRAM, .room = ROOM,
		.event_id = "$edit1", .now = NOW, .lang = LANG_NL,
		.admins = (const char *const *)admin_list, .out = &f->out,
	};
	assert_int_equal(wt_dispatch_edit(&ctx, "$ev5", "#actie " EVA " notulen nalezen en rondsturen"),
			 WT_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE text ="
			       " 'notulen nalezen en rondsturen'"), 1);
	wt_replies_free(&f->out);
	ctx.event_id = "$edit2";
	assert_int_equal(wt_dispatch_edit(&ctx, "$ev5", "#actie @zoe:elders.test notulen nalezen"),
			 WT_EUSAGE);
	assert_text_has(f, "@zoe:elders.test is niet in deze kamer");
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE owner = '" EVA "'"
			       " AND text = 'notulen nalezen en rondsturen'"), 1);
}

static void test_advice_assignee_not_in_room(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, DAAN, "!advies nieuw Iets over kwaliteit\nthema: kwaliteit"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	const char *joined[] = { ANNA, BRAM, DAAN };
	fill(f, ROOM, joined, 3);
	char *before = fx_snapshot(f->db, NULL);

	/* Eva is a known member of the network but not in this room: nobody
	 * is assigned, not even Daan before her. */
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 " DAAN " " EVA), WT_EUSAGE);
	assert_text_has(f, "@eva:demo.test is niet in deze kamer");
	assert_text_has(f, "Er is niets veranderd");
	assert_int_equal(run_as(f, &net_en, ANNA, "$ev2", "!advice assign A1 " EVA), WT_EUSAGE);
	assert_text_has(f, "@eva:demo.test is not in this room");
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
	assert_int_equal(fx_count(f->db, "advice_assignees"), 0);

	/* A member of the room is assigned. */
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 " DAAN), WT_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_assignees"), 1);
}

/* ---- sync ---- */

static time_t fixed_now(void) { return NOW; }

static json_t *member_ev(const char *id, const char *user, const char *membership, long long ts)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
			 "event_id", id, "sender", user, "state_key", user,
			 "origin_server_ts", (json_int_t)ts, "content", "membership", membership);
}

/* One sync response with ROOM's timeline (steals events). */
static int apply(struct sync_env *env, const char *next, json_t *events)
{
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", next, "rooms",
			      "join", ROOM, "timeline", "events", events);
	struct sync_stats st;
	int rc = sync_apply(env, r, &st);
	json_decref(r);
	return rc;
}

static void test_sync_join_then_command(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_config cfg = { 0 };
	cfg.networks = &net_nl;
	cfg.nnetworks = 1;
	cfg.admins = admin_list;
	struct sync_env env = { .db = f->db, .cfg = &cfg, .user_id = BOT,
				.dispatch = wt_dispatch_message, .now = fixed_now };
	long long ts = (long long)NOW * 1000;

	/* The first sync: the room is in, its list is wanted. */
	assert_int_equal(apply(&env, "s1", json_pack("[o]", member_ev("$j0", BOT, "join", ts - 9000))), 0);
	char *want = room_members_next_wanted(f->db);
	assert_string_equal(want ? want : "(none)", ROOM);
	free(want);
	const char *joined[] = { BOT, ANNA, BRAM };
	room_members_fetch_begin(f->db, ROOM);
	fill(f, ROOM, joined, 3);

	/* A stranger's action is refused; a join and then an action for the
	 * new member in one batch is taken. */
	assert_int_equal(apply(&env, "s2", json_pack("[o,o,o]",
		fx_msg_event("$a1", BRAM, "!actie " EVA " zaal boeken", ts),
		member_ev("$j1", EVA, "join", ts + 1),
		fx_msg_event("$a2", BRAM, "!actie " EVA " programma opstellen", ts + 2))), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE owner = '" EVA "'"
			       " AND text = 'programma opstellen'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE text = 'zaal boeken'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE content LIKE"
			       " '%niet in deze kamer%'"), 1);

	/* She leaves, then is named again in the same batch: refused. */
	assert_int_equal(apply(&env, "s3", json_pack("[o,o]",
		member_ev("$l1", EVA, "leave", ts + 3),
		fx_msg_event("$a3", BRAM, "!actie " EVA " nog iets", ts + 4))), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM logged_items WHERE text = 'nog iets'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE content LIKE"
			       " '%niet in deze kamer%'"), 2);

	/* The bot leaves the room: its list is forgotten. */
	json_t *r = json_pack("{s:s,s:{s:{},s:{s:{}}}}", "next_batch", "s4", "rooms",
			      "join", "leave", ROOM);
	struct sync_stats st;
	assert_int_equal(sync_apply(&env, r, &st), 0);
	json_decref(r);
	assert_int_equal(room_members_known(f->db, ROOM), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM room_members"), 0);
}

/* ---- access by current membership (also in direct chats) ---- */

#define DM "!dm-daan:demo.test"

/* Run body as sender in room (a direct chat or a network room). */
static int run_in(struct fx_cmds *f, const char *room, const char *sender, const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = &net_nl, .sender = sender, .room = room,
		.event_id = "$ev1", .now = NOW, .lang = LANG_NL,
		.admins = (const char *const *)admin_list, .out = &f->out,
	};
	return wt_dispatch(&ctx, body);
}

/* A refusal that names the reason, with nothing changed. */
static void refused_in_dm(struct fx_cmds *f, const char *sender, const char *body,
			  const char *needle)
{
	char *before = fx_snapshot(f->db, NULL);
	assert_int_equal(run_in(f, DM, sender, body), WT_EPERM);
	assert_int_equal(f->out.n, 1);
	assert_true(f->out.v[0].is_error);
	assert_text_has(f, needle);
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
}

/* Daan reads advice requests, adds a reminder and expertise in his direct
 * chat while he is in the network's room; kicked from it, each command
 * there is refused with the reason and changes nothing; readmitted, they
 * work again. Config admins keep access; in the network's own room a
 * command proves membership. */
static void test_dm_needs_current_membership(void **state)
{
	struct fx_cmds *f = *state;
	/* The network's room (verified: its network set) and Daan's chat. */
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network) VALUES (?1, 'demo')",
				  "t", ROOM), 0);
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network, dm_user)"
				  " VALUES (?1, 'demo', ?2)", "tt", DM, DAAN), 0);
	/* No member list known yet: Daan is told to wait, not let in. */
	refused_in_dm(f, DAAN, "!advies", "weet nog niet wie er in de kamers");
	const char *joined[] = { BOT, ANNA, DAAN };
	fill(f, ROOM, joined, 3);
	assert_int_equal(run_in(f, DM, DAAN, "!advies"), WT_OK);
	assert_int_equal(run_in(f, DM, DAAN, "!herinner mij morgen 9:00 verslag lezen"), WT_OK);
	assert_int_equal(run_in(f, DM, DAAN, "!expertise wondzorg"), WT_OK);
	long long reminders = fx_count(f->db, "reminders"), topics = fx_count(f->db, "expertise");

	/* Kicked (the sync stores his membership as leave). */
	assert_int_equal(room_members_set(f->db, ROOM, DAAN, "leave"), 0);
	refused_in_dm(f, DAAN, "!advies", "geen lid (meer) van een kamer van werktafel demo");
	refused_in_dm(f, DAAN, "!advies A1", "geen lid (meer)");
	refused_in_dm(f, DAAN, "!herinner mij morgen 9:00 iets", "geen lid (meer)");
	refused_in_dm(f, DAAN, "!expertise dementie", "geen lid (meer)");
	refused_in_dm(f, DAAN, "!wie wondzorg", "geen lid (meer)");
	assert_int_equal(fx_count(f->db, "reminders"), reminders);
	assert_int_equal(fx_count(f->db, "expertise"), topics);
	/* In English too; a ban is no membership either. */
	assert_int_equal(room_members_set(f->db, ROOM, DAAN, "ban"), 0);
	wt_replies_free(&f->out);
	struct wt_ctx ctx = { .db = f->db, .net = &net_en, .sender = DAAN, .room = DM,
			      .event_id = "$ev2", .now = NOW, .lang = LANG_EN, .out = &f->out };
	assert_int_equal(wt_dispatch(&ctx, "!advice"), WT_EPERM);
	assert_text_has(f, "no longer) a member of a room of round table demo");

	/* An admin of the config keeps access without being in the room. */
	assert_int_equal(run_in(f, DM, "@admin:demo.test", "!advies"), WT_OK);
	/* In the room itself, a command is its own proof (the list may lag). */
	assert_int_equal(run_in(f, ROOM, EVA, "!advies"), WT_OK);

	/* Readmitted: joined again, it works again. */
	assert_int_equal(room_members_set(f->db, ROOM, DAAN, "join"), 0);
	assert_int_equal(run_in(f, DM, DAAN, "!expertise dementie"), WT_OK);
	assert_int_equal(fx_count(f->db, "expertise"), topics + 1);

	/* A room the bot is asked to leave (no longer the network's) counts
	 * for nobody. */
	assert_int_equal(db_execf(f->db, "UPDATE rooms SET pending = 'leave' WHERE room_id = ?1",
				  "t", ROOM), 0);
	refused_in_dm(f, DAAN, "!advies", "weet nog niet wie er in de kamers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_storage, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_action_owner_not_in_room, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_advice_assignee_not_in_room, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sync_join_then_command, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_dm_needs_current_membership, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
