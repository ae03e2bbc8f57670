/* A database restored from an older backup: its sync token is older, so
 * the homeserver sends the history since then again, with the bot's own
 * answers in it. A command the bot answered (a reply m.in_reply_to, or a
 * reaction m.annotation such as the check mark on a decision) is marked
 * handled and not run again; a command with no answer of the bot in the
 * batch is run once. Real dispatch, real in-memory database. */
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
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ANNA "@anna:demo.test"
#define ROOM "!west:demo.test"

static char *rooms[] = { ROOM };
static char *themes[] = { "kwaliteit" };
static char *admins[] = { ANNA, NULL };
static struct wt_network net;
static struct wt_config cfg;

static time_t fixed_now(void) { return 1800000000; }

static int setup(void **state)
{
	struct fx_sync *f = fx_sync_new();
	memset(&net, 0, sizeof net);
	net.name = "west";
	net.rooms = rooms;
	net.nrooms = 1;
	net.themes = themes;
	net.nthemes = 1;
	net.lang = LANG_NL;
	net.tz = "Europe/Amsterdam";
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = &net;
	cfg.nnetworks = 1;
	cfg.admins = admins;
	cfg.lang = LANG_NL;
	cfg.timezone = "Europe/Amsterdam";
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = wt_dispatch_message, .now = fixed_now };
	*state = f;
	return 0;
}

/* The bot's reply to target. */
static json_t *own_reply(const char *id, const char *target, long long ts)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:{s:{s:s}}}}", "type",
			 "m.room.message", "event_id", id, "sender", BOT,
			 "origin_server_ts", (json_int_t)ts, "content", "msgtype",
			 "m.notice", "body", "antwoord", "m.relates_to",
			 "m.in_reply_to", "event_id", target);
}

/* The bot's reaction on target. */
static json_t *own_reaction(const char *id, const char *target, long long ts)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:{s:{s:s,s:s,s:s}}}", "type",
			 "m.reaction", "event_id", id, "sender", BOT,
			 "origin_server_ts", (json_int_t)ts, "content", "m.relates_to",
			 "rel_type", "m.annotation", "event_id", target, "key", "✅");
}

static json_t *member(const char *user, long long ts)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
			 "event_id", "$m-anna", "sender", user, "state_key", user,
			 "origin_server_ts", (json_int_t)ts, "content", "membership", "join");
}

static int apply(struct fx_sync *f, const char *next, json_t *events, struct sync_stats *st)
{
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", next,
			      "rooms", "join", ROOM, "timeline", "events", events);
	int rc = sync_apply(&f->env, r, st);
	json_decref(r);
	return rc;
}

static void test_answered_commands_not_replayed(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	json_t *ev = json_array();
	json_array_append_new(ev, member(ANNA, 1000));
	assert_int_equal(apply(f, "s1", ev, &st), 0);  /* first sync */
	assert_true(st.first);

	/* The restored database never saw these: the history since its token,
	 * with the bot's answers (a reply, a reply and a reaction, a reaction
	 * alone) and one command the bot never answered. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$help", ANNA, "!hulp", 2000));
	json_array_append_new(ev, own_reply("$r1", "$help", 2001));
	json_array_append_new(ev, fx_msg_event("$dec1", ANNA, "!besluit Eerste besluit", 2002));
	json_array_append_new(ev, own_reply("$r2", "$dec1", 2003));
	json_array_append_new(ev, own_reaction("$a2", "$dec1", 2004));
	json_array_append_new(ev, fx_msg_event("$dec2", ANNA, "!besluit Tweede besluit", 2005));
	json_array_append_new(ev, own_reaction("$a3", "$dec2", 2006));
	json_array_append_new(ev, fx_msg_event("$dec3", ANNA, "!besluit Derde besluit", 2007));
	assert_int_equal(apply(f, "s2", ev, &st), 0);
	assert_int_equal(st.duplicates, 3);
	assert_int_equal(st.commands, 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM logged_items WHERE kind = 'decision'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM logged_items WHERE text"
			       " = 'Derde besluit'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox WHERE content"
			       " LIKE '%$help%' OR content LIKE '%$dec1%'"
			       " OR content LIKE '%$dec2%'"), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events WHERE"
			       " event_id IN ('$help', '$dec1', '$dec2', '$dec3')"), 4);

	/* Another replay of the same: all four now known as handled. */
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$help", ANNA, "!hulp", 2000));
	json_array_append_new(ev, fx_msg_event("$dec3", ANNA, "!besluit Derde besluit", 2007));
	assert_int_equal(apply(f, "s3", ev, &st), 0);
	assert_int_equal(st.duplicates, 2);
	assert_int_equal(st.commands, 0);
}

/* A reply of someone else, or the bot's reply to its own message, marks
 * nothing. */
static void test_only_own_answers_count(void **state)
{
	struct fx_sync *f = *state;
	struct sync_stats st;
	json_t *ev = json_array();
	json_array_append_new(ev, member(ANNA, 1000));
	assert_int_equal(apply(f, "s1", ev, &st), 0);
	ev = json_array();
	json_array_append_new(ev, fx_msg_event("$help", ANNA, "!hulp", 2000));
	json_t *other = own_reply("$x", "$help", 2001);
	json_object_set_new(other, "sender", json_string("@bram:demo.test"));
	json_array_append_new(ev, other);
	assert_int_equal(apply(f, "s2", ev, &st), 0);
	assert_int_equal(st.commands, 1);
	assert_int_equal(st.duplicates, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answered_commands_not_replayed, setup, fx_sync_teardown),
		cmocka_unit_test_setup_teardown(test_only_own_answers_count, setup, fx_sync_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
