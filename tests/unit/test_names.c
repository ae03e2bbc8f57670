/* Names in replies (issue 13, item 3): a person shows by the display name
 * the network's rooms give (kept current from member events), else by the
 * localpart, as a pill in formatted_body that pings nobody; a name cannot
 * inject markup. And the commands that take a person in every form
 * person_read knows: !advies ontkoppel, !al team ... weg, "gevraagd
 * door". Real storage on an in-memory database, real sync processing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/message.h"
#include "bot/scheduler.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/render.h"
#include "handlers/reply.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/expertise.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "tests/unit/fixture.h"

#define NOW ((time_t)1800000000)
#define ROOM "!werktafel:demo.test"   /* the network's room */
#define ELDERS "!elders:demo.test"     /* a room of no network */
#define BOT "@werktafel:demo.test"
#define ANNA "@anna:demo.test"         /* chair */
#define PIET "@piet:demo.test"         /* "Piet Jansen" */
#define KEES "@kees:demo.test"         /* no display name */
#define CARLA "@carla:demo.test"       /* board member, "Carla de Boer" */

static char *rooms[] = { ROOM };
static char *themes[] = { "kwaliteit" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static char *admin_list[] = { "@admin:demo.test", NULL };

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, NULL);
	roles_set(f->db, "demo", ANNA, ROLE_CHAIR, NULL, NOW);
	roles_set(f->db, "demo", CARLA, ROLE_BOARD, NULL, NOW);
	expertise_add(f->db, "demo", PIET, "dementie", NOW);
	expertise_add(f->db, "demo", KEES, "dementie", NOW);
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network, joined_at)"
				  " VALUES (?1, 'demo', 1)", "t", ROOM), 0);
	const char *joined[] = { BOT, ANNA, PIET, KEES, CARLA };
	assert_int_equal(room_members_fetch_done(f->db, ROOM, joined, 5), 0);
	assert_int_equal(room_members_set_name(f->db, ROOM, PIET, "Piet Jansen"), 0);
	assert_int_equal(room_members_set_name(f->db, ROOM, CARLA, "Carla de Boer"), 0);
	*state = f;
	return 0;
}

static struct wt_ctx ctx_of(struct fx_cmds *f, const char *sender, const char *room)
{
	struct wt_ctx ctx = {
		.db = f->db, .net = &net, .sender = sender, .room = room,
		.event_id = "$e", .now = NOW, .lang = LANG_NL,
		.admins = (const char *const *)admin_list, .out = &f->out,
	};
	return ctx;
}

/* Run body as sender in ROOM; replies in f->out. */
static int run(struct fx_cmds *f, const char *sender, const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = ctx_of(f, sender, ROOM);
	return wt_dispatch_message(&ctx, body);
}

/* The two bodies of user as one reply would show them. */
static void shown(struct fx_cmds *f, const char *user, char **plain, char **html)
{
	struct wt_ctx ctx = ctx_of(f, ANNA, ROOM);
	struct strbuf md = STRBUF_INIT;
	sb_add(&md, "Eigenaar: ");
	sb_add_person(&md, &ctx, user);
	*plain = render_plain(md.buf);
	*html = render_html(md.buf);
	sb_release(&md);
}

static void assert_has(const char *what, const char *s, const char *needle)
{
	if (!strstr(s, needle))
		fail_msg("%s lacks \"%s\":\n%s", what, needle, s);
}

static void assert_lacks(const char *what, const char *s, const char *needle)
{
	if (strstr(s, needle))
		fail_msg("%s has \"%s\":\n%s", what, needle, s);
}

/* The display name in body, the pill in formatted_body; the localpart
 * when there is no name; text that is no id as it is. */
static void test_name_and_pill(void **state)
{
	struct fx_cmds *f = *state;
	char *plain, *html;
	shown(f, PIET, &plain, &html);
	assert_string_equal(plain, "Eigenaar: Piet Jansen");
	assert_string_equal(html, "<p>Eigenaar: <a href=\"https://matrix.to/#/@piet:demo.test\">"
			    "Piet Jansen</a></p>");
	free(plain);
	free(html);
	shown(f, KEES, &plain, &html);
	assert_string_equal(plain, "Eigenaar: kees");
	assert_has("html", html, "<a href=\"https://matrix.to/#/@kees:demo.test\">kees</a>");
	free(plain);
	free(html);
	shown(f, "de secretaris", &plain, &html);
	assert_string_equal(plain, "Eigenaar: de secretaris");
	assert_lacks("html", html, "<a ");
	free(plain);
	free(html);
}

/* Names that look like markup stay text: no emphasis, no HTML, no other
 * link, no room ping, no line break; an empty-looking name shows the
 * localpart; a very long one is cut. */
static void test_names_cannot_inject(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const evil[] = {
		"*Piet*", "<b>Piet</b>", "Piet](https://evil.example) [x",
		"@room", "Piet\nJansen", "`code`", "# kop",
	};
	for (size_t i = 0; i < sizeof evil / sizeof *evil; i++) {
		assert_int_equal(room_members_set_name(f->db, ROOM, KEES, evil[i]), 0);
		char *plain, *html;
		shown(f, KEES, &plain, &html);
		assert_lacks("html", html, "<em>");
		assert_lacks("html", html, "<b>");
		assert_lacks("html", html, "<code>");
		assert_lacks("html", html, "<h1>");
		assert_lacks("html", html, "evil.example\"");
		assert_lacks("plain", plain, "@room");
		assert_lacks("plain", plain, "\n");
		/* Exactly one link: the pill, to the right person. */
		const char *a = strstr(html, "<a ");
		assert_non_null(a);
		assert_null(strstr(a + 3, "<a "));
		assert_has("html", html, "<a href=\"https://matrix.to/#/@kees:demo.test\">");
		free(plain);
		free(html);
	}
	char *plain, *html;
	assert_int_equal(room_members_set_name(f->db, ROOM, KEES, "*Kees*"), 0);
	shown(f, KEES, &plain, &html);
	assert_string_equal(plain, "Eigenaar: *Kees*");
	free(plain);
	free(html);
	assert_int_equal(room_members_set_name(f->db, ROOM, KEES, "   "), 0);
	shown(f, KEES, &plain, &html);
	assert_string_equal(plain, "Eigenaar: kees");
	free(plain);
	free(html);
	struct strbuf longname = STRBUF_INIT;
	for (int i = 0; i < 200; i++)
		sb_add(&longname, "é");
	assert_int_equal(room_members_set_name(f->db, ROOM, KEES, longname.buf), 0);
	struct wt_ctx ctx = ctx_of(f, ANNA, ROOM);
	char *name = person_name_dup(&ctx, KEES);
	assert_int_equal(strlen(name), NAMES_MAX_CHARS * 2 + 3);  /* 64 é and … */
	free(name);
	sb_release(&longname);
}

/* The name set in the network's rooms wins over a name in another room;
 * a name two members share gets the id after it. */
static void test_network_name_first(void **state)
{
	struct fx_cmds *f = *state;
	const char *elders[] = { PIET };
	assert_int_equal(room_members_fetch_done(f->db, ELDERS, elders, 1), 0);
	assert_int_equal(room_members_set_name(f->db, ELDERS, PIET, "Pietje Elders"), 0);
	struct wt_ctx in_elders = ctx_of(f, ANNA, ELDERS);
	char *name = person_name_dup(&in_elders, PIET);
	assert_string_equal(name, "Piet Jansen");
	free(name);
	/* Only the other room knows a name: that one, rather than none. */
	assert_int_equal(room_members_set_name(f->db, ELDERS, KEES, "Kees Elders"), 0);
	name = person_name_dup(&in_elders, KEES);
	assert_string_equal(name, "Kees Elders");
	free(name);
	struct wt_ctx ctx = ctx_of(f, ANNA, ROOM);
	assert_int_equal(room_members_set_name(f->db, ROOM, KEES, "Piet Jansen"), 0);
	name = person_name_dup(&ctx, PIET);
	assert_string_equal(name, "Piet Jansen (" PIET ")");
	free(name);
	/* A name made to look like someone else's id shows the real one. */
	assert_int_equal(room_members_set_name(f->db, ROOM, KEES, ANNA), 0);
	name = person_name_dup(&ctx, KEES);
	assert_string_equal(name, ANNA " (" KEES ")");
	free(name);
}

/* ---- sync: a display name change in a member event ---- */

static time_t fixed_now(void) { return NOW; }

static json_t *member_ev(const char *id, const char *user, const char *name, long long ts)
{
	json_t *ev = json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
			       "event_id", id, "sender", user, "state_key", user,
			       "origin_server_ts", (json_int_t)ts, "content",
			       "membership", "join");
	if (name)
		json_object_set_new(json_object_get(ev, "content"), "displayname",
				    json_string(name));
	return ev;
}

static int apply(struct sync_env *env, const char *next, json_t *events)
{
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", next, "rooms",
			      "join", ROOM, "timeline", "events", events);
	struct sync_stats st;
	int rc = sync_apply(env, r, &st);
	json_decref(r);
	return rc;
}

/* The newest reply in the outbox, as its body (plain text) was sent. */
static char *last_body(struct fx_cmds *f)
{
	sqlite3_stmt *st = db_prepare(f->db, "SELECT content FROM outbox"
				      " WHERE content LIKE '%\"body\"%' ORDER BY id DESC LIMIT 1");
	assert_non_null(st);
	char *out = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_t *c = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		json_t *b = json_object_get(c, "body");
		json_t *h = json_object_get(c, "formatted_body");
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s\n%s", json_string_value(b), json_string_value(h));
		out = sb_detach(&sb);
		json_decref(c);
	}
	db_done(st);
	if (!out)
		fail_msg("no reply in the outbox (%lld rows)", (long long)fx_count(f->db, "outbox"));
	return out;
}

static void test_rename_in_member_event(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_config cfg = { 0 };
	cfg.networks = &net;
	cfg.nnetworks = 1;
	cfg.admins = admin_list;
	struct sync_env env = { .db = f->db, .cfg = &cfg, .user_id = BOT,
				.dispatch = wt_dispatch_message, .now = fixed_now };
	long long ts = (long long)NOW * 1000;
	assert_int_equal(apply(&env, "s0", json_pack("[o]", json_pack(
		"{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member", "event_id", "$j0",
		"sender", BOT, "state_key", BOT, "origin_server_ts", (json_int_t)(ts - 9000),
		"content", "membership", "join"))), 0);
	assert_int_equal(apply(&env, "s1", json_pack("[o,o]",
		fx_msg_event("$a1", ANNA, "!actie " PIET " zaal boeken", ts),
		fx_msg_event("$a2", ANNA, "!acties", ts + 1))), 0);
	char *b = last_body(f);
	assert_has("reply", b, "Piet Jansen");
	assert_has("reply", b, "<a href=\"https://matrix.to/#/@piet:demo.test\">Piet Jansen</a>");
	free(b);
	/* Piet renames himself; the next list shows the new name. */
	assert_int_equal(apply(&env, "s2", json_pack("[o,o]",
		member_ev("$n1", PIET, "P. Jansen-de Wit", ts + 2),
		fx_msg_event("$a3", ANNA, "!acties", ts + 3))), 0);
	b = last_body(f);
	assert_has("reply", b, "P. Jansen-de Wit");
	assert_lacks("reply", b, "Piet Jansen");
	free(b);
	/* He drops his name: the localpart. */
	assert_int_equal(apply(&env, "s3", json_pack("[o,o]",
		member_ev("$n2", PIET, NULL, ts + 4),
		fx_msg_event("$a4", ANNA, "!acties", ts + 5))), 0);
	b = last_body(f);
	assert_has("reply", b, "· piet ·");
	assert_lacks("reply", b, "Jansen");
	free(b);
}

/* A reminder the chair set for Piet says who set it, by name. */
static void test_reminder_from_by_name(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(room_members_set_name(f->db, ROOM, ANNA, "Anna de Vries"), 0);
	assert_int_equal(run(f, ANNA, "!herinner " PIET " over 1 minuut stukken lezen"), WT_OK);
	struct wt_config cfg = { 0 };
	cfg.networks = &net;
	cfg.nnetworks = 1;
	cfg.admins = admin_list;
	assert_int_equal(scheduler_fire_due(f->db, &cfg, NOW + 120, NOW), 1);
	char *b = last_body(f);
	assert_has("reminder", b, "Herinnering #1 van Anna de Vries: stukken lezen");
	assert_has("reminder", b, "<a href=\"https://matrix.to/#/@anna:demo.test\">Anna de Vries</a>");
	assert_lacks("reminder", b, "van " ANNA);
	free(b);
}

/* ---- who is pinged ---- */

static int mentions(const struct wt_reply *r, const char *user)
{
	for (size_t i = 0; i < r->nmentions; i++)
		if (strcmp(r->mentions[i], user) == 0)
			return 1;
	return 0;
}

/* A list shows people as pills and pings none of them; an assignment
 * pings the assignees only, though the requester shows as a pill too. */
static void test_pills_do_not_ping(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, ANNA, "!actie " PIET " zaal boeken"), WT_OK);
	assert_int_equal(run(f, ANNA, "!acties"), WT_OK);
	assert_has("list", f->out.v[0].markdown, "[Piet Jansen](https://matrix.to/#/@piet:demo.test)");
	assert_int_equal(f->out.v[0].nmentions, 0);
	assert_int_equal(f->out.v[0].notify, 0);
	assert_int_equal(run(f, CARLA, "!advies nieuw Expertteam\ndeadline: 01-06-2027"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 " PIET " " KEES), WT_OK);
	assert_has("assignment", f->out.v[0].markdown, "[Piet Jansen](https://matrix.to/#/@piet:demo.test)");
	assert_true(mentions(&f->out.v[0], PIET));
	assert_true(mentions(&f->out.v[0], KEES));
	assert_false(mentions(&f->out.v[0], CARLA));
	assert_int_equal(run(f, ANNA, "!advies A1"), WT_OK);
	assert_has("view", f->out.v[0].markdown, "[Carla de Boer](https://matrix.to/#/@carla:demo.test)");
	assert_int_equal(f->out.v[0].nmentions, 0);
	/* As sent: the pill in formatted_body, the name in body, m.mentions
	 * empty. */
	const char *type;
	char *content;
	assert_int_equal(message_content_dup(&f->out.v[0], &type, &content), 0);
	json_t *c = json_loads(content, 0, NULL);
	assert_has("body", json_string_value(json_object_get(c, "body")), "Carla de Boer");
	assert_lacks("body", json_string_value(json_object_get(c, "body")), CARLA);
	assert_has("formatted_body", json_string_value(json_object_get(c, "formatted_body")),
		   "<a href=\"https://matrix.to/#/@carla:demo.test\">Carla de Boer</a>");
	assert_int_equal(json_array_size(json_object_get(json_object_get(c, "m.mentions"),
							  "user_ids")), 0);
	json_decref(c);
	free(content);
}

/* ---- commands that take a person in every form ---- */

static long long count(struct fx_cmds *f, const char *sql)
{
	sqlite3_stmt *st = db_prepare(f->db, sql);
	assert_non_null(st);
	long long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

/* Run body with the mentions of an Element pill for user shown as text. */
static int run_pill(struct fx_cmds *f, const char *sender, const char *body,
		    const char *user, const char *text)
{
	struct wt_mentions m = { 0 };
	struct strbuf html = STRBUF_INIT;
	sb_addf(&html, "<a href=\"https://matrix.to/#/%s\">%s</a>", user, text);
	person_pills_from_html(&m, html.buf);
	person_mention_add(&m, user);
	char *b = person_body_dup(&m, body);
	wt_replies_free(&f->out);
	struct wt_ctx ctx = ctx_of(f, sender, ROOM);
	ctx.mentions = &m;
	int rc = wt_dispatch_message(&ctx, b ? b : body);
	free(b);
	person_mentions_free(&m);
	sb_release(&html);
	return rc;
}

#define ASSIGNED(who) "SELECT count(*) FROM advice_assignees WHERE user_id = '" who "'"

static void test_unassign_any_form(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, CARLA, "!advies nieuw Expertteam\ndeadline: 01-06-2027"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	static const char *const forms[] = { "Piet Jansen", "@piet", "piet jansen", NULL };
	for (size_t i = 0; i <= sizeof forms / sizeof *forms - 1; i++) {
		assert_int_equal(run(f, ANNA, "!advies wijs toe A1 " PIET " " KEES), WT_OK);
		assert_int_equal(count(f, ASSIGNED(PIET)), 1);
		if (forms[i]) {
			struct strbuf cmd = STRBUF_INIT;
			sb_addf(&cmd, "!advies ontkoppel A1 %s", forms[i]);
			assert_int_equal(run(f, ANNA, cmd.buf), WT_OK);
			sb_release(&cmd);
		} else {
			assert_int_equal(run_pill(f, ANNA, "!advies ontkoppel A1 Piet Jansen",
						  PIET, "Piet Jansen"), WT_OK);
		}
		assert_int_equal(count(f, ASSIGNED(PIET)), 0);
		assert_int_equal(count(f, ASSIGNED(KEES)), 1);
		assert_has("reply", f->out.v[0].markdown, "[Piet Jansen](https://matrix.to/#/@piet:demo.test)");
	}
	/* Nobody by that name: how to name someone, nothing changes. */
	wt_replies_free(&f->out);
	struct fx_cmds fc = { .db = f->db, .now = NOW, .admins = (const char *const *)admin_list };
	fx_refused(&fc, &net, ANNA, "!advies ontkoppel A1 Niemand Bekend", WT_EUSAGE,
		   "Ik weet niet wie");
	wt_replies_free(&fc.out);
}

#define IN_LINE(who) "SELECT count(*) FROM action_line_people WHERE user_id = '" who "'"

static void test_team_remove_any_form(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, ANNA, "!al nieuw Samen leren"), WT_OK);
	static const char *const forms[] = { "Piet Jansen", "@piet", "Piet Jansen,", NULL };
	for (size_t i = 0; i <= sizeof forms / sizeof *forms - 1; i++) {
		assert_int_equal(run(f, ANNA, "!al team AL1 lid " PIET " " KEES), WT_OK);
		assert_has("reply", f->out.v[0].markdown, "[Piet Jansen](https://matrix.to/#/@piet:demo.test), [kees]");
		assert_int_equal(count(f, IN_LINE(PIET)), 1);
		if (forms[i]) {
			struct strbuf cmd = STRBUF_INIT;
			sb_addf(&cmd, "!al team AL1 weg %s", forms[i]);
			assert_int_equal(run(f, ANNA, cmd.buf), WT_OK);
			sb_release(&cmd);
		} else {
			assert_int_equal(run_pill(f, ANNA, "!al team AL1 weg Piet Jansen",
						  PIET, "Piet Jansen"), WT_OK);
		}
		assert_int_equal(count(f, IN_LINE(PIET)), 0);
		assert_int_equal(count(f, IN_LINE(KEES)), 1);
		assert_has("reply", f->out.v[0].markdown, "[Piet Jansen](https://matrix.to/#/@piet:demo.test)");
	}
	struct fx_cmds fc = { .db = f->db, .now = NOW, .admins = (const char *const *)admin_list };
	fx_refused(&fc, &net, ANNA, "!al team AL1 weg Niemand Bekend", WT_EUSAGE, "Ik weet niet wie");
	fx_refused(&fc, &net, ANNA, "!al team AL1 weg Piet Jansen", WT_EUSAGE, "hoort niet bij AL1");
	wt_replies_free(&fc.out);
}

#define REQUESTED(who) "SELECT count(*) FROM advice_requests WHERE requested_by = '" who "'"

static void test_requester_any_form(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const forms[] = { "Carla de Boer", "@carla", CARLA, NULL };
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		struct strbuf cmd = STRBUF_INIT;
		sb_addf(&cmd, "!advies nieuw Vraag %zu\ngevraagd door: %s", i,
			forms[i] ? forms[i] : "Carla de Boer");
		if (forms[i])
			assert_int_equal(run(f, ANNA, cmd.buf), WT_OK);
		else
			assert_int_equal(run_pill(f, ANNA, cmd.buf, CARLA, "Carla de Boer"), WT_OK);
		sb_release(&cmd);
		assert_int_equal(count(f, REQUESTED(CARLA)), (long long)i + 1);
		assert_has("reply", f->out.v[0].markdown,
			   "[Carla de Boer](https://matrix.to/#/@carla:demo.test)");
	}
	struct fx_cmds fc = { .db = f->db, .now = NOW, .admins = (const char *const *)admin_list };
	fx_refused(&fc, &net, ANNA, "!advies nieuw X\ngevraagd door: Niemand Bekend", WT_EUSAGE,
		   "Ik weet niet wie");
	/* A member who is no board member is refused by name. */
	fx_refused(&fc, &net, ANNA, "!advies nieuw X\ngevraagd door: Piet Jansen", WT_EUSAGE,
		   "Piet Jansen");
	fx_refused(&fc, &net, ANNA, "!advies nieuw X\ngevraagd door: Carla de Boer en meer",
		   WT_EUSAGE, NULL);
	wt_replies_free(&fc.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_name_and_pill, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_names_cannot_inject, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_network_name_first, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rename_in_member_event, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reminder_from_by_name, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pills_do_not_ping, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unassign_any_form, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_team_remove_any_form, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_requester_any_form, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
