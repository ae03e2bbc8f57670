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
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/agenda.h"
#include "storage/db.h"
#include "demo/demo.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC; 12-03-2027 19:30 Amsterdam is 18:30 UTC. */
#define NOW 1800014400
#define MAR12_1930 1804876200
#define MAR19_1930 1805481000

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	roles_set(f->db, "demo-en", SECR, ROLE_SECRETARY, NULL, NOW);
	*state = f;
	return 0;
}

static void load(struct fx_cmds *f, const char *network, long long sid, struct wt_meeting *m)
{
	assert_int_equal(meeting_by_short_id(f->db, network, sid, m), 1);
}

static void test_none_planned(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!vergadering");
	fx_reply_has(f, "geen vergadering gepland");
	fx_reply_has(f, "!vergadering plan <wanneer>");
	fx_ok(f, &net_en, MEMBER, "!meeting");
	fx_reply_has(f, "No meeting is planned");
	fx_reply_has(f, "!meeting plan <when>");
	fx_ok(f, &net_nl, MEMBER, "!vergadering lijst");
	fx_reply_has(f, "geen vergadering gepland");
}

static void test_plan_full(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 duur 1u30 titel Voorjaarsoverleg GGZ plaats Buurthuis De Linde");
	fx_reply_has(f, "Vergadering 1 is gepland");
	fx_reply_has(f, "Voorjaarsoverleg GGZ");
	fx_reply_has(f, "1 uur 30 min");
	fx_reply_has(f, "Buurthuis De Linde");
	fx_reply_has(f, "12 mrt 2027 19:30");
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
	fx_ok(f, &net_nl, SECR, "!vergadering plan 19-03-2027 19:30 place Zaal 2 duration 45m");
	load(f, "demo", 2, &m);
	assert_int_equal(m.starts_at, MAR19_1930);
	assert_int_equal(m.duration_min, 45);
	assert_string_equal(m.place, "Zaal 2");
	assert_string_equal(m.title, "Werktafel");
	meeting_free(&m);
}

static void test_plan_defaults_both_languages(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	fx_reply_has(f, "**Werktafel**");
	fx_reply_has(f, "duur 2 uur");
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	fx_reply_has(f, "Meeting 1 is planned");
	fx_reply_has(f, "**Round table**");
	fx_reply_has(f, "duration 2 h");
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
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!vergadering plan 12-03-2027 19:30", WT_EPERM, "secretaris");
	fx_refused(f, &net_en, MEMBER, "!meeting plan 2027-03-12 19:30", WT_EPERM, "secretary");
	fx_refused(f, &net_nl, SECR, "!vergadering plan", WT_EUSAGE, "Zo schrijf je het");
	fx_refused(f, &net_nl, SECR, "!vergadering plan bananen", WT_EUSAGE,
		"!vergadering plan <wanneer>");
	fx_refused(f, &net_nl, SECR, "!vergadering plan 01-01-2026 10:00", WT_EUSAGE, NULL);
	fx_reply_has(f, msg_text(LANG_NL, M_WHEN_PAST));
	fx_refused(f, &net_en, SECR, "!meeting plan 2026-01-01 10:00", WT_EUSAGE, NULL);
	fx_reply_has(f, msg_text(LANG_EN, M_WHEN_PAST));
	fx_refused(f, &net_nl, SECR, "!vergadering plan 31-02-2027 10:00", WT_EUSAGE, "Datum niet gelezen");
	fx_refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 banaan", WT_EUSAGE, "banaan");
	fx_refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 duur xyz", WT_EUSAGE, "Duur niet gelezen");
	fx_refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 duur 30u", WT_EUSAGE, "24 uur");
	fx_refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 titel", WT_EUSAGE, "titel");
	fx_refused(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30\nplaats: ergens", WT_EUSAGE, "één regel");
	fx_refused(f, &net_nl, SECR, "!vergadering plannetje", WT_EUSAGE, "plannetje");
	assert_int_equal(meeting_count(f->db, "demo"), 0);
}

static void test_plan_title_length(void **state)
{
	struct fx_cmds *f = *state;
	struct strbuf body = STRBUF_INIT;
	sb_add(&body, "!vergadering plan 12-03-2027 19:30 titel ");
	for (int i = 0; i < WT_MAX_FIELD; i++)
		sb_add(&body, "é");
	fx_ok(f, &net_nl, SECR, body.buf);   /* exactly the limit, in characters */
	sb_add(&body, "x");
	fx_refused(f, &net_nl, SECR, body.buf, WT_EUSAGE, "201 tekens; maximaal 200");
	sb_reset(&body);
	sb_add(&body, "!meeting plan 2027-03-12 19:30 place ");
	for (int i = 0; i <= WT_MAX_FIELD; i++)
		sb_addc(&body, 'p');
	fx_refused(f, &net_en, SECR, body.buf, WT_EUSAGE, "The place is too long");
	sb_release(&body);
}

static void test_show_next_and_list(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 19-03-2027 19:30 titel Later");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 titel Eerder plaats Zaal");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Iets");
	fx_ok(f, &net_nl, MEMBER, "!vergadering");
	fx_reply_has(f, "Volgende vergadering");
	fx_reply_has(f, "**Eerder** (vergadering 2)");
	fx_reply_has(f, "Plaats: Zaal");
	fx_reply_has(f, "Agenda: 0 punten, 1 voorstel.");
	assert_null(strstr(fx_reply0(f), "Later"));
	fx_ok(f, &net_nl, MEMBER, "!vergadering lijst");
	const char *r = fx_reply0(f);
	const char *a = strstr(r, "**2**"), *b = strstr(r, "**1**");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);   /* by date, not by id */
	fx_ok(f, &net_en, MEMBER, "!meeting list");
	fx_reply_has(f, "No meeting is planned");
	fx_ok(f, &net_nl, MEMBER, "!vergadering 1");
	fx_reply_has(f, "**Later** (vergadering 1)");
	fx_refused(f, &net_nl, MEMBER, "!vergadering 99", WT_ENOTFOUND, "Vergadering 99 bestaat niet");
	fx_refused(f, &net_nl, MEMBER, "!vergadering lijst extra", WT_EUSAGE, "extra");
}

static void test_move(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Punt dat meegaat");
	fx_ok(f, &net_nl, SECR, "!vergadering verzet 1 19-03-2027 19:30");
	fx_reply_has(f, "Vergadering 1 is verzet");
	fx_reply_has(f, "naar vrijdag 19 maart om 19:30.");
	struct wt_meeting m;
	load(f, "demo", 1, &m);
	assert_int_equal(m.starts_at, MAR19_1930);
	struct wt_agenda_item it;
	assert_int_equal(agenda_by_short_id(f->db, "demo", 1, &it), 1);
	assert_int_equal(it.meeting_id, m.id);   /* the item moved with it */
	agenda_item_free(&it);
	meeting_free(&m);
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	fx_ok(f, &net_en, SECR, "!meeting move 1 2027-03-19 19:30");
	fx_reply_has(f, "Meeting 1 moved from");

	fx_refused(f, &net_nl, MEMBER, "!vergadering verzet 1 20-03-2027 19:30", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!vergadering verzet", WT_EUSAGE, "Geef haar nummer");
	fx_refused(f, &net_nl, SECR, "!vergadering verzet x 20-03-2027", WT_EUSAGE, "geen vergadernummer");
	fx_refused(f, &net_nl, SECR, "!vergadering verzet 99 20-03-2027 19:30", WT_ENOTFOUND,
		"!vergadering verzet <id> <wanneer>");
	fx_refused(f, &net_nl, SECR, "!vergadering verzet 1", WT_EUSAGE, msg_text(LANG_NL, M_WHEN_EMPTY));
	fx_refused(f, &net_nl, SECR, "!vergadering verzet 1 01-01-2027 19:30", WT_EUSAGE,
		msg_text(LANG_NL, M_WHEN_PAST));
	fx_refused(f, &net_en, SECR, "!meeting move 1 2027-03-20 19:30 now", WT_EUSAGE, "now");
	fx_ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	fx_refused(f, &net_nl, SECR, "!vergadering verzet 1 20-03-2027 19:30", WT_EUSAGE, "geannuleerd");
}

static void test_cancel_moves_items_to_next(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-05-2027 19:30");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Eerste");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Tweede");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 2");
	fx_ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	fx_reply_has(f, "Vergadering 1");
	fx_reply_has(f, "geannuleerd");
	fx_reply_has(f, "2 open agendapunten staan nu als voorstel bij vergadering 2");
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
	fx_ok(f, &net_nl, MEMBER, "!vergadering");
	fx_reply_has(f, "(vergadering 2)");
	fx_refused(f, &net_nl, SECR, "!vergadering annuleer 1", WT_EUSAGE, "geannuleerd");
	fx_refused(f, &net_nl, MEMBER, "!vergadering annuleer 2", WT_EPERM, NULL);
	fx_refused(f, &net_nl, SECR, "!vergadering annuleer 7", WT_ENOTFOUND, NULL);
	fx_refused(f, &net_nl, SECR, "!vergadering annuleer", WT_EUSAGE, "!vergadering annuleer <id>");
	fx_refused(f, &net_nl, SECR, "!vergadering annuleer 2 3", WT_EUSAGE, NULL);
}

static void test_cancel_last_then_plan_picks_up(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	fx_ok(f, &net_en, MEMBER, "!agenda propose Waiting item");
	fx_ok(f, &net_en, SECR, "!meeting cancel 1");
	fx_reply_has(f, "Meeting 1 (");
	fx_reply_has(f, "1 open agenda item now waits");
	struct wt_agenda_item it;
	assert_int_equal(agenda_by_short_id(f->db, "demo-en", 1, &it), 1);
	assert_int_equal(it.meeting_id, 0);
	agenda_item_free(&it);
	fx_ok(f, &net_en, MEMBER, "!agenda");
	fx_reply_has(f, "No meeting is planned");
	fx_reply_has(f, "Waiting item");
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-04-09 19:30");
	fx_reply_has(f, "1 proposal waiting for a meeting is now on this agenda");
	struct wt_meeting m;
	load(f, "demo-en", 2, &m);
	assert_int_equal(agenda_by_short_id(f->db, "demo-en", 1, &it), 1);
	assert_int_equal(it.meeting_id, m.id);
	agenda_item_free(&it);
	meeting_free(&m);
}

static void test_user_text_is_escaped(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 titel **vet** @eva:demo.test [x](http://e)");
	const char *r = fx_reply0(f);
	assert_null(strstr(r, "**vet**"));
	assert_null(strstr(r, " @eva"));
	assert_null(strstr(r, "[x]("));
	assert_non_null(strstr(r, "\\@eva"));
}

static void test_demo_seed(void **state)
{
	struct fx_cmds *f = *state;
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
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "1. **Gezamenlijke kwaliteitsindicatoren**");
	fx_reply_has(f, "2. **Regionale scholingsdag**");
	fx_reply_has(f, "thema: kwaliteit");
	fx_reply_has(f, "Vacatures samen invullen");
	assert_int_equal(demo_seed(f->db, &net_en, NOW), 0);
	fx_ok(f, &net_en, MEMBER, "!agenda");
	fx_reply_has(f, "Shared quality indicators");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_none_planned, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_plan_full, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_plan_defaults_both_languages, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_plan_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_plan_title_length, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_show_next_and_list, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_move, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_moves_items_to_next, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_last_then_plan_picks_up, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_text_is_escaped, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_demo_seed, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
