/* Naming a person as clients do it (issue 13, item 2): pills in
 * formatted_body, m.mentions, bare @localparts and display names, resolved
 * against the room's members by the one resolver every command uses. */
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
#include "handlers/person.h"
#include "handlers/reply.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "tests/unit/fixture.h"

#define NOW ((time_t)1800000000)
#define ROOM "!werktafel:demo.test"
#define BOT "@werktafel:demo.test"
#define ANNA "@anna:demo.test"       /* chair */
#define PIET "@piet:demo.test"       /* "Piet Jansen" */
#define PJ "@pjansen:elders.test"    /* also "Piet Jansen" */
#define PIET2 "@piet:elders.test"    /* another piet */
#define KEES "@kees:demo.test"       /* "Kees" */

static char *rooms[] = { ROOM };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static char *admin_list[] = { "@admin:demo.test", NULL };

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, NULL);
	roles_set(f->db, "demo", ANNA, ROLE_CHAIR, NULL, NOW);
	const char *joined[] = { BOT, ANNA, PIET, KEES };
	assert_int_equal(room_members_fetch_done(f->db, ROOM, joined, 4), 0);
	assert_int_equal(room_members_set_name(f->db, ROOM, PIET, "Piet Jansen"), 0);
	assert_int_equal(room_members_set_name(f->db, ROOM, KEES, "Kees"), 0);
	*state = f;
	return 0;
}

static char *owner_of(struct fx_cmds *f, const char *text)
{
	sqlite3_stmt *st = db_prepare(f->db, "SELECT owner FROM logged_items WHERE text = ?1");
	assert_non_null(st);
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	char *o = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		o = strdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return o;
}

/* Run body as ANNA in ROOM with the message's mentions m (may be NULL). */
static int run(struct fx_cmds *f, const struct wt_mentions *m, const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = &net, .sender = ANNA, .room = ROOM,
		.event_id = "$e", .now = NOW, .lang = LANG_NL,
		.admins = (const char *const *)admin_list, .out = &f->out,
		.mentions = m,
	};
	return wt_dispatch_message(&ctx, body);
}

static void owner_is(struct fx_cmds *f, const char *text, const char *want)
{
	char *o = owner_of(f, text);
	if (!o || strcmp(o, want) != 0)
		fail_msg("owner of \"%s\": %s, want %s (reply: %s)", text, o ? o : "(none)",
			 want, f->out.n ? f->out.v[0].markdown : "(none)");
	free(o);
}

static void refused_with(struct fx_cmds *f, const struct wt_mentions *m, const char *body,
			 const char *needle)
{
	long long before = 0;
	sqlite3_stmt *st = db_prepare(f->db, "SELECT count(*) FROM logged_items");
	if (sqlite3_step(st) == SQLITE_ROW)
		before = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	assert_true(run(f, m, body) < 0);
	assert_true(f->out.n >= 1);
	assert_true(f->out.v[0].is_error);
	if (!strstr(f->out.v[0].markdown, needle))
		fail_msg("reply lacks \"%s\":\n%s", needle, f->out.v[0].markdown);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), before);
	db_done(st);
}

/* Element's pills: the matrix.to links of formatted_body, %-escaped ids
 * and entities decoded, links to rooms or events left out. */
static void test_pills_from_html(void **state)
{
	(void)state;
	struct wt_mentions m = { 0 };
	person_pills_from_html(&m,
		"!actie <a href=\"https://matrix.to/#/@piet:demo.test\">Piet Jansen</a> en "
		"<a href=\"https://matrix.to/#/%40kees%3Ademo.test\">K&amp;s</a> "
		"<a href=\"https://matrix.to/#/!room:demo.test/$ev\">bericht</a> "
		"<a href=\"https://example.org\">site</a>");
	assert_int_equal(m.npills, 2);
	assert_string_equal(m.pills[0].user_id, PIET);
	assert_string_equal(m.pills[0].text, "Piet Jansen");
	assert_string_equal(m.pills[1].user_id, KEES);
	assert_string_equal(m.pills[1].text, "K&s");
	char *b = person_body_dup(&m, "!actie Piet Jansen en K&s bellen");
	assert_string_equal(b, "!actie " PIET " en " KEES " bellen");
	free(b);
	assert_null(person_body_dup(&m, "!hulp"));
	person_mention_add(&m, "geen id");
	person_mention_add(&m, PIET);
	assert_int_equal(m.nuser_ids, 1);
	person_mentions_free(&m);
	assert_int_equal(m.npills, 0);
}

/* !actie names its owner every way a client may: id, pill, @local,
 * display name (any case, longest name first). */
static void test_action_owner_named(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, NULL, "!actie " PIET " eerste"), WT_OK);
	owner_is(f, "eerste", PIET);
	struct wt_mentions m = { 0 };
	person_pills_from_html(&m, "!actie <a href=\"https://matrix.to/#/@piet:demo.test\">"
			       "Piet Jansen</a> tweede");
	person_mention_add(&m, PIET);
	assert_int_equal(run(f, &m, "!actie Piet Jansen tweede"), WT_OK);
	owner_is(f, "tweede", PIET);
	person_mentions_free(&m);
	assert_int_equal(run(f, NULL, "!actie @piet derde"), WT_OK);
	owner_is(f, "derde", PIET);
	assert_int_equal(run(f, NULL, "!actie Piet Jansen: vierde"), WT_OK);
	owner_is(f, "vierde", PIET);
	assert_int_equal(run(f, NULL, "!actie piet jansen vijfde"), WT_OK);
	owner_is(f, "vijfde", PIET);
	assert_int_equal(run(f, NULL, "#actie Kees zesde"), WT_OK);
	owner_is(f, "zesde", KEES);
	/* The reply pings the owner. */
	assert_true(f->out.n >= 1);
}

/* Two fits: a reply that lists them; none: how to name someone. Nothing
 * changes. A name in m.mentions settles which of two it is. */
static void test_ambiguous_and_unknown(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(room_members_set(f->db, ROOM, PJ, "join"), 0);
	assert_int_equal(room_members_set_name(f->db, ROOM, PJ, "Piet Jansen"), 0);
	assert_int_equal(room_members_set(f->db, ROOM, PIET2, "join"), 0);
	refused_with(f, NULL, "!actie Piet Jansen bellen", "kan meer dan één persoon zijn");
	assert_non_null(strstr(f->out.v[0].markdown, "\\@piet\\:demo\\.test"));
	assert_non_null(strstr(f->out.v[0].markdown, "\\@pjansen\\:elders\\.test"));
	refused_with(f, NULL, "!actie @piet bellen", "kan meer dan één persoon zijn");
	assert_non_null(strstr(f->out.v[0].markdown, "\\@piet\\:elders\\.test"));
	refused_with(f, NULL, "!actie @joop bellen", "Ik weet niet wie \"\\@joop\" is");
	assert_non_null(strstr(f->out.v[0].markdown, "@naam:server"));
	refused_with(f, NULL, "!actie Joop bellen", "Een actie heeft een eigenaar nodig");
	/* m.mentions says which Piet Jansen. */
	struct wt_mentions m = { 0 };
	person_mention_add(&m, PJ);
	assert_int_equal(run(f, &m, "!actie Piet Jansen bellen"), WT_OK);
	owner_is(f, "bellen", PJ);
	person_mentions_free(&m);
	/* English. */
	wt_replies_free(&f->out);
	struct wt_ctx ctx = { .db = f->db, .net = &net, .sender = ANNA, .room = ROOM,
			      .lang = LANG_EN, .out = &f->out };
	struct strbuf user = STRBUF_INIT, err = STRBUF_INIT;
	const char *after;
	assert_int_equal(person_read(&ctx, "@nobody x", &user, &after, &err), PERSON_BAD);
	assert_non_null(strstr(err.buf, "I don't know who"));
	sb_reset(&err);
	assert_int_equal(person_read(&ctx, "Piet Jansen", &user, &after, &err), PERSON_MANY);
	assert_non_null(strstr(err.buf, "could be more than one person"));
	assert_int_equal(person_read(&ctx, "  ", &user, &after, &err), PERSON_NONE);
	sb_release(&user);
	sb_release(&err);
}

/* The same resolver in other commands: !rol and !herinner. */
static void test_other_commands(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, NULL, "!rol Piet Jansen secretaris"), WT_OK);
	assert_int_equal(wt_role_of(f->db, &net, (const char *const *)admin_list, PIET),
			 ROLE_SECRETARY);
	assert_int_equal(run(f, NULL, "!rol @kees bestuurder"), WT_OK);
	assert_int_equal(wt_role_of(f->db, &net, (const char *const *)admin_list, KEES),
			 ROLE_BOARD);
	assert_int_equal(run(f, NULL, "!herinner Kees over 2 uur stukken lezen"), WT_OK);
	sqlite3_stmt *st = db_prepare(f->db, "SELECT count(*) FROM reminders WHERE to_user = ?1");
	sqlite3_bind_text(st, 1, KEES, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	db_done(st);
	assert_true(run(f, NULL, "!rol @joop secretaris") < 0);
	assert_non_null(strstr(f->out.v[0].markdown, "Ik weet niet wie"));
	assert_non_null(strstr(f->out.v[0].markdown, "!rol"));
}

static time_t fixed_now(void) { return NOW; }

/* Through the sync: a member's display name from their m.room.member
 * event, then a message with a pill as Element sends it. */
static void test_sync_names_and_pill(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_config cfg = { 0 };
	cfg.networks = &net;
	cfg.nnetworks = 1;
	cfg.admins = admin_list;
	struct sync_env env = { .db = f->db, .cfg = &cfg, .user_id = BOT,
				.dispatch = wt_dispatch_message, .now = fixed_now };
	long long ts = (long long)NOW * 1000;
	const char *lies = "@lies:demo.test";
	json_t *join = json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type", "m.room.member",
				 "event_id", "$j", "sender", lies, "state_key", lies,
				 "origin_server_ts", (json_int_t)ts, "content",
				 "membership", "join", "displayname", "Lies de Boer");
	json_t *msg = json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:s,s:s,s:{s:[s]}}}",
		"type", "m.room.message", "event_id", "$m", "sender", ANNA,
		"origin_server_ts", (json_int_t)ts + 1, "content", "msgtype", "m.text",
		"body", "!actie Lies de Boer notulen rondsturen",
		"format", "org.matrix.custom.html",
		"formatted_body", "!actie <a href=\"https://matrix.to/#/@lies:demo.test\">"
				  "Lies de Boer</a> notulen rondsturen",
		"m.mentions", "user_ids", lies);
	json_t *me = json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
			       "event_id", "$j0", "sender", BOT, "state_key", BOT,
			       "origin_server_ts", (json_int_t)ts - 9000, "content",
			       "membership", "join");
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:[o]}}}}}", "next_batch", "s1", "rooms",
			      "join", ROOM, "timeline", "events", me);
	struct sync_stats st;
	assert_int_equal(sync_apply(&env, r, &st), 0);
	json_decref(r);
	r = json_pack("{s:s,s:{s:{s:{s:{s:[o,o]}}}}}", "next_batch", "s2", "rooms",
		      "join", ROOM, "timeline", "events", join, msg);
	assert_int_equal(sync_apply(&env, r, &st), 0);
	json_decref(r);
	owner_is(f, "notulen rondsturen", lies);
	struct room_person *pv;
	int n = room_members_people(f->db, "demo", ROOM, &pv);
	int found = 0;
	for (int i = 0; i < n; i++)
		found |= strcmp(pv[i].user_id, lies) == 0 && pv[i].displayname
			 && strcmp(pv[i].displayname, "Lies de Boer") == 0;
	room_people_free(pv, (size_t)n);
	assert_true(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pills_from_html),
		cmocka_unit_test_setup_teardown(test_action_owner_named, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous_and_unknown, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_other_commands, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sync_names_and_pill, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
