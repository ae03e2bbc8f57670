/* An action line with a long history (many spendings and updates): the
 * status view and the list read the total the database keeps (migration
 * 28: action_lines.spent_cents, kept by triggers on the spending rows) and
 * the latest AL_RECENT updates only, yet show the right total and the
 * latest updates; the report reads and shows the whole history. The
 * triggers follow a spending row changed or removed, and a database
 * migrated with spending in it starts with the right totals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/money.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/actionlines.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL,
				 .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define LEAD "@daan:demo.test"
#define NSPEND 250
#define NUPDATE 60

/* 10:00 local time in Amsterdam on d-m-y. */
static time_t at(int y, int m, int d)
{
	struct tz_local lt = { .year = y, .mon = m, .day = d, .hour = 10 };
	time_t t;
	assert_int_equal(tz_to_utc("Europe/Amsterdam", &lt, &t), TZ_OK);
	return t;
}

/* The amount of spending i in cents: € i,50 plus one euro. */
static long long amount(int i)
{
	return (long long)(i + 1) * 100 + 50;
}

/* AL1 with NSPEND spendings in January 2027 and NUPDATE updates, one a
 * minute, through the commands; f->now ends on 15 February 2027. Returns
 * the total spent. */
static long long grow_history(struct fx_cmds *f)
{
	f->now = at(2027, 2, 15);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, 0);
	fx_ok(f, &net, SECR, "!al nieuw Samen leren in de regio\nbudget: € 50.000,00\n"
	      "projectleider: @daan:demo.test");
	long long sum = 0;
	struct strbuf cmd = STRBUF_INIT;
	for (int i = 0; i < NSPEND; i++) {
		sb_reset(&cmd);
		sb_addf(&cmd, "!al uitgave AL1 € %d,50 %d-1-2027 koffie %03d", i + 1,
			1 + i % 28, i);
		fx_ok(f, &net, LEAD, cmd.buf);
		sum += amount(i);
	}
	for (int i = 0; i < NUPDATE; i++) {
		f->now = at(2027, 2, 15) + i * 60;
		sb_reset(&cmd);
		sb_addf(&cmd, "!al update AL1 stand %03d klaar", i);
		fx_ok(f, &net, LEAD, cmd.buf);
	}
	sb_release(&cmd);
	return sum;
}

/* Whether text holds "stand NNN klaar" for update i. */
static int has_update(const char *text, int i)
{
	char want[32];
	snprintf(want, sizeof want, "stand %03d klaar", i);
	return strstr(text, want) != NULL;
}

/* Fail unless text contains the amount cents as the bot writes it. */
static void has_money(const char *text, long long cents)
{
	struct strbuf m = STRBUF_INIT;
	money_format(&m, cents, LANG_NL);
	if (!strstr(text, m.buf))
		fail_msg("no %s in:\n%s", m.buf, text);
	sb_release(&m);
}

static void test_status_view_reads_recent(void **state)
{
	struct fx_cmds *f = *state;
	long long sum = grow_history(f);

	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(l.history, 0);
	assert_int_equal(l.spent_cents, sum);
	assert_int_equal(al_spent(&l, 0, 0), sum);
	assert_int_equal(l.nspending, 0);
	assert_int_equal(l.nupdates, AL_RECENT);
	for (size_t k = 0; k < l.nupdates; k++)
		assert_true(has_update(l.updates[k].text, NUPDATE - AL_RECENT + (int)k));
	al_free(&l);

	fx_ok(f, &net, LEAD, "!al AL1");
	const char *view = fx_reply0(f);
	has_money(view, sum);
	/* The view shows the last three updates, newest first. */
	for (int i = NUPDATE - 3; i < NUPDATE; i++)
		if (!has_update(view, i))
			fail_msg("update %d not in:\n%s", i, view);
	assert_false(has_update(view, NUPDATE - 4));
	assert_true(strstr(view, "stand 059") < strstr(view, "stand 058"));

	fx_ok(f, &net, LEAD, "!al");
	assert_non_null(strstr(fx_reply0(f), "laatste update vandaag"));
}

static void test_report_reads_history(void **state)
{
	struct fx_cmds *f = *state;
	long long sum = grow_history(f);
	fx_ok(f, &net, LEAD, "!al rapport AL1 2027-K1");
	assert_true(f->out.n >= 2);
	const char *doc = f->out.v[1].markdown;
	has_money(doc, sum);
	for (int i = 0; i < NUPDATE; i++)
		if (!has_update(doc, i))
			fail_msg("update %d not in the report", i);
	char note[32];
	for (int i = 0; i < NSPEND; i++) {
		snprintf(note, sizeof note, "koffie %03d", i);
		if (!strstr(doc, note))
			fail_msg("spending %d not in the report", i);
	}
	struct actionline h;
	struct actionline l;
	assert_int_equal(al_load(f->db, "demo", 1, &l), 1);
	assert_int_equal(al_load_history(f->db, l.id, &h), 1);
	assert_int_equal(h.history, 1);
	assert_int_equal(h.nspending, NSPEND);
	assert_int_equal(h.nupdates, NUPDATE);
	assert_int_equal(al_spent(&h, 0, 0), sum);
	al_free(&h);
	al_free(&l);
}

/* The total follows a spending row changed, moved or removed. */
static void test_triggers_follow_rows(void **state)
{
	struct fx_cmds *f = *state;
	long long sum = grow_history(f);
	fx_ok(f, &net, SECR, "!al nieuw Slimmer werken\nbudget: 8000\nprojectleider: @daan:demo.test");
	assert_int_equal(db_execf(f->db, "UPDATE action_line_spending SET amount_cents = 1000"
				  " WHERE note = 'koffie 000'", NULL), 0);
	sum += 1000 - amount(0);
	assert_int_equal(db_execf(f->db, "DELETE FROM action_line_spending"
				  " WHERE note = 'koffie 001'", NULL), 0);
	sum -= amount(1);
	assert_int_equal(db_execf(f->db, "UPDATE action_line_spending SET line_id ="
				  " (SELECT id FROM action_lines WHERE short_id = 2)"
				  " WHERE note = 'koffie 002'", NULL), 0);
	sum -= amount(2);
	struct actionline l1, l2;
	assert_int_equal(al_load(f->db, "demo", 1, &l1), 1);
	assert_int_equal(al_load(f->db, "demo", 2, &l2), 1);
	assert_int_equal(l1.spent_cents, sum);
	assert_int_equal(l2.spent_cents, amount(2));
	al_free(&l1);
	al_free(&l2);
}

/* Spending written before migration 28 is in the totals after it. */
static void test_migrated_totals(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_migrate_to(db, 27, &err), 0);
	assert_int_equal(db_execf(db, "INSERT INTO action_lines(id, network, short_id, title,"
				  " budget_cents, status, status_at, created_at) VALUES"
				  " (1, 'demo', 1, 'Een', 100, 'on_track', 1, 1),"
				  " (2, 'demo', 2, 'Twee', 100, 'on_track', 1, 1)", NULL), 0);
	assert_int_equal(db_execf(db, "INSERT INTO action_line_spending(line_id, amount_cents,"
				  " day, note, at) VALUES (1, 250, '2027-01-01', 'a', 1),"
				  " (1, 125, '2027-01-02', 'b', 1), (2, 7, '2027-01-03', 'c', 1)",
				  NULL), 0);
	assert_int_equal(db_migrate_to(db, db_schema_latest(), &err), 0);
	struct actionline l;
	assert_int_equal(al_load_id(db, 1, &l), 1);
	assert_int_equal(l.spent_cents, 375);
	al_free(&l);
	assert_int_equal(al_load_id(db, 2, &l), 1);
	assert_int_equal(l.spent_cents, 7);
	al_free(&l);
	sb_release(&err);
	db_close(db);
}

static int setup(void **state)
{
	*state = fx_new(0, admins);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_status_view_reads_recent, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_report_reads_history, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_triggers_follow_rows, setup, fx_teardown),
		cmocka_unit_test(test_migrated_totals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
