/* !vergadering / !meeting through wt_dispatch: every subcommand's success
 * path and its refusals (which must leave the database as it was), in both
 * languages; and the demo seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/catalog.h"
#include "handlers/dispatch.h"
#include "lib/tz.h"
#include "storage/agenda.h"
#include "storage/db.h"
#include "storage/demo.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC; 12-03-2027 19:30 Amsterdam is 18:30 UTC. */
#define NOW 1800014400
#define MAR12_1930 1804876200
#define MAR19_1930 1805481000

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net_nl = { "demo", rooms, 1, themes, 2, LANG_NL, "Europe/Amsterdam", NULL, 0 };
static struct wt_network net_en = { "demo-en", rooms, 1, themes, 2, LANG_EN, "Europe/Amsterdam", NULL, 0 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"

struct fx {
	sqlite3 *db;
	struct wt_replies out;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct strbuf err = STRBUF_INIT;
	if (db_open(":memory:", &f->db, &err) < 0)
		return -1;
	sb_release(&err);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	roles_set(f->db, "demo-en", SECR, ROLE_SECRETARY, NULL, NOW);
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

/* Run body as sender in net at NOW; replies in f->out (cleared first). */
static int run(struct fx *f, const struct wt_network *net, const char *sender, const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = net, .sender = sender, .room = "werktafel",
		.event_id = "$ev1", .now = NOW, .lang = net->lang,
		.admins = admins, .out = &f->out,
	};
	return wt_dispatch(&ctx, body);
}

/* The first reply's Markdown. */
static const char *reply0(struct fx *f)
{
	assert_true(f->out.n >= 1);
	return f->out.v[0].markdown;
}

static void assert_reply_has(struct fx *f, const char *needle)
{
	const char *r = reply0(f);
	if (!strstr(r, needle))
		fail_msg("reply lacks \"%s\":\n%s", needle, r);
}

/* Run a command that must be refused with code, with an error reply that
 * contains needle (NULL: any), and leave the database unchanged. */
static void refused(struct fx *f, const struct wt_network *net, const char *sender,
		    const char *body, int code, const char *needle)
{
	char *before = fx_snapshot(f->db, NULL);
	int rc = run(f, net, sender, body);
	if (rc != code)
		fail_msg("%s: code %d, expected %d; reply: %s", body, rc, code,
			 f->out.n ? f->out.v[0].markdown : "(none)");
	assert_int_equal(f->out.n, 1);
	assert_true(f->out.v[0].is_error);
	if (needle)
		assert_reply_has(f, needle);
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
}

static void ok(struct fx *f, const struct wt_network *net, const char *sender, const char *body)
{
	int rc = run(f, net, sender, body);
	if (rc != WT_OK)
		fail_msg("%s: code %d; reply: %s", body, rc, f->out.n ? f->out.v[0].markdown : "(none)");
	assert_true(f->out.n >= 1);
	assert_false(f->out.v[0].is_error);
}

static void load(struct fx *f, const char *network, long long sid, struct wt_meeting *m)
{
	assert_int_equal(meeting_by_short_id(f->db, network, sid, m), 1);
}

static void test_none_planned(void **state)
{
	struct fx *f = *state;
	ok(f, &net_nl, MEMBER, "!vergadering");
	assert_reply_has(f, "geen vergadering gepland");
	assert_reply_has(f, "!vergadering plan <wanneer>");
	ok(f, &net_en, MEMBER, "!meeting");
	assert_reply_has(f, "No meeting is planned");
	assert_reply_has(f, "!meeting plan <when>");
	ok(f, &net_nl, MEMBER, "!vergadering lijst");
	assert_reply_has(f, "geen vergadering gepland");
}

static void test_plan_full(void **state)
{
	struct fx *f = *state;
	ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 duur 1u30 titel Voorjaarsoverleg GGZ plaats Buurthuis De Linde");
	assert_reply_has(f, "Vergadering 1 is gepland");
	assert_reply_has(f, "Voorjaarsoverleg GGZ");
	assert_reply_has(f, "1 uur 30 min");
	assert_reply_has(f, "Buurthuis De Linde");
	assert_reply_has(f, "12 mrt 2027 19:30");
	struct wt_meeting m;
	load(f, "demo", 1, &m);
	assert_int_equal(m.starts_at, MAR12_1930);
	assert_int_equal(m.duration_min, 90);
	assert_string_equal(m.title, "Voorjaarsoverleg GGZ");
	assert_string_equal(m.place, "Buurthuis De Linde");
	assert_string_equal(m.created_by, SECR);
	assert_int_equal(m.state, MEETING_PLANNED);
	meeting_free(&m);
	/* Options in another order, English words in a Dutch network. */
	ok(f, &net_nl, SECR, "!vergadering plan 19-03-2027 19:30 place Zaal 2 duration 45m");
	load(f, "demo", 2, &m);
	assert_int_equal(m.starts_at, MAR19_1930);
	assert_int_equal(m.duration_min, 45);
	assert_string_equal(m.place, "Zaal 2");
	assert_string_equal(m.title, "Werktafel");
	meeting_free(&m);
}

static void test_plan_defaults_both_languages(void **state)
{
	struct fx *f = *state;
	ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	assert_reply_has(f, "**Werktafel**");
	assert_reply_has(f, "duur 2 uur");
	ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	assert_reply_has(f, "Meeting 1 is planned");
	assert_reply_has(f, "**Round table**");
	assert_reply_has(f, "duration 2 h");
	struct wt_meeting m;
	load(f, "demo-en", 1, &m);
	assert_int_equal(m.starts_at, MAR12_1930);
	assert_int_equal(m.duration_min, 120);
	assert_null(m.place);
	meeting_free(&m);
	/* Short ids are per network. */
	load(f, "demo", 1, &m);
	meeting_free(&m);
}

static void test_plan_refusals(void **state)
{
	struct fx *f = *state;
	refused(f, &net_nl, MEMBER, "!vergadering plan 12-03-2027 19:30", WT_EPERM, "secretaris");
	refused(f, &net_en, MEMBER, "!meeting plan 2027-03-12 19:30", WT_EPERM, "secretary");
	refused(f, &net_nl, SECR, "!vergadering plan", WT_EUSAGE, "Zo schrijf je het");
	refused(f, &net_nl, SECR, "!vergadering plan bananen", WT_EUSAGE,
		"!vergadering plan <wanneer>");
	refused(f, &net_nl, SECR, "!vergadering plan 01-01-2026 10:00", WT_EUSAGE, NULL);
	assert_reply_has(f, msg_text(LANG_NL, M_WHEN_PAST));
	refused(f, &net_en, SECR, "!meeting plan 2026-01-01 10:00", WT_EUSAGE, NULL);
	assert_reply_has(f, msg_text(LANG_EN, M_WHEN_PAST));
	refused(f, &net_nl, SECR, "!vergadering plan 31-02-2027 10:00", WT_EUSAGE, "Datum niet gelezen");
	refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 banaan", WT_EUSAGE, "banaan");
	refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 duur xyz", WT_EUSAGE, "Duur niet gelezen");
	refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 duur 30u", WT_EUSAGE, "24 uur");
	refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 titel", WT_EUSAGE, "titel");
	refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30\nplaats: ergens", WT_EUSAGE, "één regel");
	refused(f, &net_nl, SECR, "!vergadering plannetje", WT_EUSAGE, "plannetje");
	assert_int_equal(meeting_count(f->db, "demo"), 0);
}

static void test_plan_title_length(void **state)
{
	struct fx *f = *state;
	struct strbuf body = STRBUF_INIT;
	sb_add(&body, "!vergadering plan 12-03-2027 19:30 titel ");
	for (int i = 0; i < WT_MAX_FIELD; i++)
		sb_add(&body, "é");
	ok(f, &net_nl, SECR, body.buf);   /* exactly the limit, in characters */
	sb_add(&body, "x");
	refused(f, &net_nl, SECR, body.buf, WT_EUSAGE, "201 tekens; maximaal 200");
	sb_reset(&body);
	sb_add(&body, "!meeting plan 2027-03-12 19:30 place ");
	for (int i = 0; i <= WT_MAX_FIELD; i++)
		sb_addc(&body, 'p');
	refused(f, &net_en, SECR, body.buf, WT_EUSAGE, "The place is too long");
	sb_release(&body);
}

static void test_show_next_and_list(void **state)
{
	struct fx *f = *state;
	ok(f, &net_nl, SECR, "!vergadering plan 19-03-2027 19:30 titel Later");
	ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 titel Eerder plaats Zaal");
	ok(f, &net_nl, MEMBER, "!agenda voorstel Iets");
	ok(f, &net_nl, MEMBER, "!vergadering");
	assert_reply_has(f, "Volgende vergadering");
	assert_reply_has(f, "**Eerder** (vergadering 2)");
	assert_reply_has(f, "Plaats: Zaal");
	assert_reply_has(f, "Agenda: 0 punt(en), 1 voorstel(len)");
	assert_null(strstr(reply0(f), "Later"));
	ok(f, &net_nl, MEMBER, "!vergadering lijst");
	const char *r = reply0(f);
	const char *a = strstr(r, "**2**"), *b = strstr(r, "**1**");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);   /* by date, not by id */
	ok(f, &net_en, MEMBER, "!meeting list");
	assert_reply_has(f, "No meeting is planned");
	ok(f, &net_nl, MEMBER, "!vergadering 1");
	assert_reply_has(f, "**Later** (vergadering 1)");
	refused(f, &net_nl, MEMBER, "!vergadering 99", WT_ENOTFOUND, "Vergadering 99 bestaat niet");
	refused(f, &net_nl, MEMBER, "!vergadering lijst extra", WT_EUSAGE, "extra");
}

static void test_move(void **state)
{
	struct fx *f = *state;
	ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	ok(f, &net_nl, MEMBER, "!agenda voorstel Punt dat meegaat");
	ok(f, &net_nl, SECR, "!vergadering verzet 1 19-03-2027 19:30");
	assert_reply_has(f, "Vergadering 1 is verzet");
	assert_reply_has(f, "19 mrt 2027 19:30");
	struct wt_meeting m;
	load(f, "demo", 1, &m);
	assert_int_equal(m.starts_at, MAR19_1930);
	struct wt_agenda_item it;
	assert_int_equal(agenda_by_short_id(f->db, "demo", 1, &it), 1);
	assert_int_equal(it.meeting_id, m.id);   /* the item moved with it */
	agenda_item_free(&it);
	meeting_free(&m);
	ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	ok(f, &net_en, SECR, "!meeting move 1 2027-03-19 19:30");
	assert_reply_has(f, "Meeting 1 moved from");

	refused(f, &net_nl, MEMBER, "!vergadering verzet 1 20-03-2027 19:30", WT_EPERM, NULL);
	refused(f, &net_nl, SECR, "!vergadering verzet", WT_EUSAGE, "Geef haar nummer");
	refused(f, &net_nl, SECR, "!vergadering verzet x 20-03-2027", WT_EUSAGE, "geen vergadernummer");
	refused(f, &net_nl, SECR, "!vergadering verzet 99 20-03-2027 19:30", WT_ENOTFOUND,
		"!vergadering verzet <id> <wanneer>");
	refused(f, &net_nl, SECR, "!vergadering verzet 1", WT_EUSAGE, msg_text(LANG_NL, M_WHEN_EMPTY));
	refused(f, &net_nl, SECR, "!vergadering verzet 1 01-01-2027 19:30", WT_EUSAGE,
		msg_text(LANG_NL, M_WHEN_PAST));
	refused(f, &net_en, SECR, "!meeting move 1 2027-03-20 19:30 now", WT_EUSAGE, "now");
	ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	refused(f, &net_nl, SECR, "!vergadering verzet 1 20-03-2027 19:30", WT_EUSAGE, "geannuleerd");
}

static void test_cancel_moves_items_to_next(void **state)
{
	struct fx *f = *state;
	ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	ok(f, &net_nl, SECR, "!vergadering plan 12-05-2027 19:30");
	ok(f, &net_nl, MEMBER, "!agenda voorstel Eerste");
	ok(f, &net_nl, MEMBER, "!agenda voorstel Tweede");
	ok(f, &net_nl, SECR, "!agenda accepteer 2");
	ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	assert_reply_has(f, "Vergadering 1");
	assert_reply_has(f, "geannuleerd");
	assert_reply_has(f, "2 open agendapunt(en) staan nu als voorstel bij vergadering 2");
	struct wt_meeting m1, m2;
	load(f, "demo", 1, &m1);
	load(f, "demo", 2, &m2);
	assert_int_equal(m1.state, MEETING_CANCELLED);   /* the row stays */
	for (long long sid = 1; sid <= 2; sid++) {
		struct wt_agenda_item it;
		assert_int_equal(agenda_by_short_id(f->db, "demo", sid, &it), 1);
		assert_int_equal(it.meeting_id, m2.id);
		assert_int_equal(it.state, AGENDA_PROPOSED);
		agenda_item_free(&it);
	}
	meeting_free(&m1);
	meeting_free(&m2);
	/* The next meeting is now meeting 2. */
	ok(f, &net_nl, MEMBER, "!vergadering");
	assert_reply_has(f, "(vergadering 2)");
	refused(f, &net_nl, SECR, "!vergadering annuleer 1", WT_EUSAGE, "geannuleerd");
	refused(f, &net_nl, MEMBER, "!vergadering annuleer 2", WT_EPERM, NULL);
	refused(f, &net_nl, SECR, "!vergadering annuleer 7", WT_ENOTFOUND, NULL);
	refused(f, &net_nl, SECR, "!vergadering annuleer", WT_EUSAGE, "!vergadering annuleer <id>");
	refused(f, &net_nl, SECR, "!vergadering annuleer 2 3", WT_EUSAGE, NULL);
}

static void test_cancel_last_then_plan_picks_up(void **state)
{
	struct fx *f = *state;
	ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	ok(f, &net_en, MEMBER, "!agenda propose Waiting item");
	ok(f, &net_en, SECR, "!meeting cancel 1");
	assert_reply_has(f, "Meeting 1 (");
	assert_reply_has(f, "1 open agenda item(s) now wait");
	struct wt_agenda_item it;
	assert_int_equal(agenda_by_short_id(f->db, "demo-en", 1, &it), 1);
	assert_int_equal(it.meeting_id, 0);
	agenda_item_free(&it);
	ok(f, &net_en, MEMBER, "!agenda");
	assert_reply_has(f, "No meeting is planned");
	assert_reply_has(f, "Waiting item");
	ok(f, &net_en, SECR, "!meeting plan 2027-04-09 19:30");
	assert_reply_has(f, "1 proposal(s) waiting for a meeting are now on this agenda");
	struct wt_meeting m;
	load(f, "demo-en", 2, &m);
	assert_int_equal(agenda_by_short_id(f->db, "demo-en", 1, &it), 1);
	assert_int_equal(it.meeting_id, m.id);
	agenda_item_free(&it);
	meeting_free(&m);
}

static void test_user_text_is_escaped(void **state)
{
	struct fx *f = *state;
	ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 titel **vet** @eva:demo.test [x](http://e)");
	const char *r = reply0(f);
	assert_null(strstr(r, "**vet**"));
	assert_null(strstr(r, " @eva"));
	assert_null(strstr(r, "[x]("));
	assert_non_null(strstr(r, "\\@eva"));
}

static void test_demo_seed(void **state)
{
	struct fx *f = *state;
	assert_int_equal(demo_seed(f->db, &net_nl, NOW), 0);
	assert_int_equal(meeting_count(f->db, "demo"), 6);
	assert_int_equal(roles_get(f->db, "demo", "@anna:demo.test"), ROLE_CHAIR);
	assert_int_equal(roles_get(f->db, "demo", "@bram:demo.test"), ROLE_SECRETARY);
	assert_int_equal(roles_get(f->db, "demo", "@carla:demo.test"), ROLE_BOARD);
	struct wt_meeting *v;
	int n = meeting_list_upcoming(f->db, "demo", NOW, 10, &v);
	assert_int_equal(n, 6);
	for (int i = 0; i < n; i++) {
		assert_true(v[i].starts_at >= NOW + 7 * 86400);
		struct tz_local l;
		assert_int_equal(tz_from_utc("Europe/Amsterdam", v[i].starts_at, &l), 0);
		assert_int_equal(l.wday, 2);              /* second Tuesday, 19:30 */
		assert_in_range(l.day, 8, 14);
		assert_int_equal(l.hour, 19);
		assert_int_equal(l.min, 30);
		if (i) {   /* two months apart: 8 or 9 weeks */
			long gap = (long)(v[i].starts_at - v[i - 1].starts_at);
			assert_in_range(gap, 56L * 86400 - 3600, 63L * 86400 + 3600);
		}
		assert_non_null(v[i].place);
	}
	meeting_list_free(v, (size_t)n);
	char *before = fx_snapshot(f->db, NULL);
	assert_int_equal(demo_seed(f->db, &net_nl, NOW), 1);   /* already seeded */
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
	ok(f, &net_nl, MEMBER, "!agenda");
	assert_reply_has(f, "1. **Gezamenlijke kwaliteitsindicatoren**");
	assert_reply_has(f, "2. **Regionale scholingsdag**");
	assert_reply_has(f, "thema: kwaliteit");
	assert_reply_has(f, "Vacatures samen invullen");
	assert_int_equal(demo_seed(f->db, &net_en, NOW), 0);
	ok(f, &net_en, MEMBER, "!agenda");
	assert_reply_has(f, "Shared quality indicators");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_none_planned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_defaults_both_languages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_title_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_next_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_moves_items_to_next, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_last_then_plan_picks_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_text_is_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demo_seed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
