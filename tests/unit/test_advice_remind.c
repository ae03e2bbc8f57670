/* The generated reminders of advice requests: which are pending in each
 * state (assignees a week before and on the day, the chair when overdue or
 * when asked advice waits), that generating is idempotent, and the texts
 * written when they fire. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/advice.h"
#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/expertise.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

/* 2027-01-15 08:00 UTC. */
#define NOW ((time_t)1800000000)

#define ANNA "@anna:demo.test"    /* chair */
#define CARLA "@carla:demo.test"  /* board member */
#define DAAN "@daan:demo.test"
#define EVA "@eva:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	f->now = NOW;
	roles_set(f->db, "demo", ANNA, ROLE_CHAIR, NULL, NOW);
	roles_set(f->db, "demo", CARLA, ROLE_BOARD, NULL, NOW);
	expertise_add(f->db, "demo", DAAN, "dementie", NOW);
	expertise_add(f->db, "demo", EVA, "kwaliteit", NOW);
	*state = f;
	return 0;
}

static int run(struct fx_cmds *f, const char *sender, const char *body)
{
	return fx_run(f, &net_nl, sender, body);
}

/* One integer from sql (fixture.h). */
static int count(struct fx_cmds *f, const char *sql)
{
	return (int)fx_int(f->db, sql);
}

static int generate(struct fx_cmds *f)
{
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = {
		.db = f->db, .net = &net_nl, .sender = "", .room = "werktafel",
		.now = f->now, .lang = LANG_NL, .admins = admins, .out = &out,
	};
	int rc = advice_reminder_generate(&ctx);
	wt_replies_free(&out);
	return rc;
}

static int render(struct fx_cmds *f, const char *kind, long long ref, struct strbuf *sb)
{
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = {
		.db = f->db, .net = &net_nl, .sender = "", .room = "werktafel",
		.now = f->now, .lang = LANG_NL, .admins = admins, .out = &out,
	};
	sb_reset(sb);
	int rc = advice_reminder_render(&ctx, kind, ref, sb);
	wt_replies_free(&out);
	return rc;
}

static void test_reminders(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, CARLA, "!advies nieuw Gevraagd\ngevraagd door: @carla:demo.test\ndeadline: 12-03-2027"), WT_OK);
	assert_int_equal(generate(f), 0);
	/* Received and asked: the chair hears of the wait and of the deadline. */
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'advice.waiting'"
			       " AND to_user = '@anna:demo.test' AND due_at = 1800000000 + 14 * 86400"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'advice.overdue'"
			       " AND source_key LIKE 'advice:%:overdue:@anna:demo.test'"
			       " AND due_at = 1804867200"), 1);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @daan:demo.test @eva:demo.test"), WT_OK);
	assert_int_equal(generate(f), 0);
	/* Accepted: no more waiting; assignees get a week before and the day. */
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'advice.waiting'"
			       " AND state = 'pending'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'advice.deadline_week'"
			       " AND state = 'pending' AND due_at = 1804867200 - 7 * 86400"), 2);
	/* 9:00 in Amsterdam on 12 March is 8:00 UTC. */
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'advice.deadline_day'"
			       " AND state = 'pending' AND due_at = 1804838400"
			       " AND to_user = '@daan:demo.test'"), 1);
	/* Idempotent. */
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 5);
	/* The texts, written when they fire. */
	long long id = count(f, "SELECT id FROM advice_requests");
	struct strbuf sb = STRBUF_INIT;
	f->now = 1804867200 - 7 * 86400;
	assert_int_equal(render(f, "advice.deadline_week", id, &sb), 0);
	assert_non_null(strstr(sb.buf, "Over een week"));
	assert_non_null(strstr(sb.buf, "**A1**"));
	assert_non_null(strstr(sb.buf, "in behandeling"));
	/* Not overdue yet: the overdue one drops itself. */
	assert_int_equal(render(f, "advice.overdue", id, &sb), 1);
	f->now = 1804867200 + 60;
	assert_int_equal(render(f, "advice.overdue", id, &sb), 0);
	assert_non_null(strstr(sb.buf, "is over tijd (deadline"));
	assert_int_equal(render(f, "advice.waiting", id, &sb), 1);
	assert_int_equal(render(f, "advice.unknown", id, &sb), 1);
	/* The family is registered: the scheduler's entry point finds it. */
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .sender = "", .now = f->now,
			      .lang = LANG_EN, .admins = admins, .out = &out };
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "advice.overdue", id, &sb), 0);
	assert_non_null(strstr(sb.buf, "past its deadline"));
	assert_int_equal(render(f, "advice.overdue", id + 99, &sb), 1);
	sb_release(&sb);
	/* Delivered: every pending advice reminder is cancelled. */
	f->now = NOW;
	assert_int_equal(run(f, DAAN, "!advies concept A1 tekst"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies uitbrengen A1"), WT_OK);
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'cancelled'"), 6);
}

/* A reminder whose time passed while the bot was down stays pending when
 * the bot generates again on start (the scheduler then sends it late);
 * one that would be new and is already past is not made. */
static void test_missed_stay_pending(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, ANNA, "!advies nieuw Ongevraagd\ndeadline: 12-03-2027"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @daan:demo.test"), WT_OK);
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"
			       " AND kind LIKE 'advice.deadline_%'"), 2);
	/* Restart a day after the week reminder was due. */
	f->now = 1804867200 - 6 * 86400;
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @eva:demo.test"), WT_OK);
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"
			       " AND kind = 'advice.deadline_week' AND to_user = '@daan:demo.test'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders"
			       " WHERE kind = 'advice.deadline_week' AND to_user = '@eva:demo.test'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE state = 'pending'"
			       " AND kind = 'advice.deadline_day' AND to_user = '@eva:demo.test'"), 1);
	long long id = count(f, "SELECT id FROM advice_requests");
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(render(f, "advice.deadline_week", id, &sb), 0);
	/* After the deadline the week reminder has nothing left to say. */
	f->now = 1804867200 + 60;
	assert_int_equal(render(f, "advice.deadline_week", id, &sb), 1);
	sb_release(&sb);
}

/* The wait before the chair hears of unaccepted asked advice comes from
 * the network's configuration. */
static void test_wait_days_configured(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, CARLA, "!advies nieuw Gevraagd\ngevraagd door: @carla:demo.test"), WT_OK);
	net_nl.advice_wait_days = 10;
	int rc = generate(f);
	net_nl.advice_wait_days = 14;
	assert_int_equal(rc, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reminders WHERE kind = 'advice.waiting'"
			       " AND state = 'pending' AND due_at = 1800000000 + 10 * 86400"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reminders, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_missed_stay_pending, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_wait_days_configured, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
