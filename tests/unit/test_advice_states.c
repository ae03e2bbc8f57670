/* The advice request state machine: every action from every state, against
 * a table written here independently of handlers/advice_states.c, both on
 * the table itself and through wt_dispatch (state, history, refusals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/advice_states.h"
#include "handlers/catalog.h"
#include "handlers/commands.h"
#include "handlers/dispatch.h"
#include "storage/advice.h"
#include "storage/db.h"
#include "storage/expertise.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

enum { R = ADVICE_RECEIVED, A = ADVICE_ACCEPTED, P = ADVICE_IN_PROGRESS,
       D = ADVICE_DELIVERED, DEC = ADVICE_DECIDED, DECL = ADVICE_DECLINED,
       W = ADVICE_WITHDRAWN, X = -1 };

/* expected[action][from] = the state it leads to, or X when illegal. */
static const int expected[ADV_NACTIONS][ADVICE_NSTATES] = {
	/*               R     A     P     D     DEC   DECL  W  */
	[ADV_ACCEPT] = { A,    X,    X,    X,    X,    X,    X },
	[ADV_ASSIGN] = { X,    P,    P,    X,    X,    X,    X },
	[ADV_DRAFT] = { X,    X,    P,    X,    X,    X,    X },
	[ADV_DELIVER] = { X,    X,    D,    X,    X,    X,    X },
	[ADV_DECIDE] = { X,    X,    X,    DEC,  X,    X,    X },
	[ADV_DECLINE] = { DECL, DECL, X,    X,    X,    X,    X },
	[ADV_WITHDRAW] = { W,    W,    W,    X,    X,    X,    X },
	[ADV_UNASSIGN] = { X,    X,    P,    X,    X,    X,    X },
};

/* The command that takes each action on A1, as an admin would type it. */
static const char *const commands[ADV_NACTIONS] = {
	[ADV_ACCEPT] = "!advies accepteer A1",
	[ADV_ASSIGN] = "!advies wijs toe A1 @eva:demo.test",
	[ADV_DRAFT] = "!advies concept A1 Ons advies:\nregionaal samenwerken.",
	[ADV_DELIVER] = "!advies uitbrengen A1",
	[ADV_DECIDE] = "!advies besluit A1 overgenomen prima voorstel",
	[ADV_DECLINE] = "!advies afwijzen A1 gaat over één organisatie",
	[ADV_WITHDRAW] = "!advies intrekken A1",
	[ADV_UNASSIGN] = "!advies ontkoppel A1 @daan:demo.test",
};

static const char *const history_names[ADV_NACTIONS] = {
	"accept", "assign", "draft", "deliver", "decide", "decline", "withdraw", "unassign",
};

static void test_table_every_pair(void **state)
{
	(void)state;
	for (int a = 0; a < ADV_NACTIONS; a++) {
		for (int s = 0; s < ADVICE_NSTATES; s++) {
			const struct advice_transition *t =
				advice_transition_find((enum advice_action)a, (enum advice_state)s);
			if (expected[a][s] == X) {
				if (t)
					fail_msg("action %d from %s should be illegal", a,
						 advice_state_name((enum advice_state)s));
			} else {
				assert_non_null(t);
				assert_int_equal(t->to, expected[a][s]);
				assert_string_equal(t->name, history_names[a]);
			}
		}
	}
	/* Out-of-range states are never legal. */
	assert_null(advice_transition_find(ADV_ACCEPT, (enum advice_state)ADVICE_NSTATES));
}

static void test_actions_from(void **state)
{
	(void)state;
	for (int s = 0; s < ADVICE_NSTATES; s++) {
		unsigned want = 0;
		for (int a = 0; a < ADV_NACTIONS; a++)
			if (expected[a][s] != X)
				want |= 1u << a;
		assert_int_equal(advice_actions_from((enum advice_state)s), want);
		/* Closed states allow nothing. */
		if (advice_state_closed((enum advice_state)s))
			assert_int_equal(want, 0);
	}
}

/* Who may: the lowest role, and whether assignees / submitters may too. */
static void test_permissions_table(void **state)
{
	(void)state;
	static const struct { int action; enum wt_role min; int assignee, submitter; } who[] = {
		{ ADV_ACCEPT, ROLE_SECRETARY, 0, 0 },
		{ ADV_ASSIGN, ROLE_SECRETARY, 0, 0 },
		{ ADV_DRAFT, ROLE_ADMIN, 1, 0 },
		{ ADV_DELIVER, ROLE_CHAIR, 0, 0 },
		{ ADV_DECIDE, ROLE_BOARD, 0, 0 },
		{ ADV_DECLINE, ROLE_SECRETARY, 0, 0 },
		{ ADV_WITHDRAW, ROLE_SECRETARY, 0, 1 },
		{ ADV_UNASSIGN, ROLE_SECRETARY, 0, 0 },
	};
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		const struct advice_transition *t = NULL;
		for (int s = 0; s < ADVICE_NSTATES && !t; s++)
			t = advice_transition_find((enum advice_action)who[i].action,
						   (enum advice_state)s);
		assert_non_null(t);
		for (int role = ROLE_MEMBER; role <= ROLE_ADMIN; role++) {
			for (int as = 0; as < 2; as++) {
				for (int sub = 0; sub < 2; sub++) {
					int want = role >= (int)who[i].min || (as && who[i].assignee)
						   || (sub && who[i].submitter);
					assert_int_equal(advice_may(t, (enum wt_role)role, as, sub), want);
				}
			}
		}
	}
}

/* The sub-command rows of !advies and the transition table agree: a step
 * by role alone has that role in its row (refused before the request is
 * read); a step open to people tied to the request is open to members in
 * its row and decided by the transition. */
static void test_rows_match_transitions(void **state)
{
	(void)state;
	const struct wt_command *adv = command_find("advies");
	assert_non_null(adv);
	static const char *const words[ADV_NACTIONS] = {
		[ADV_ACCEPT] = "accepteer", [ADV_ASSIGN] = "toewijzen", [ADV_DRAFT] = "concept",
		[ADV_DELIVER] = "uitbrengen", [ADV_DECIDE] = "besluit", [ADV_DECLINE] = "afwijzen",
		[ADV_WITHDRAW] = "intrekken", [ADV_UNASSIGN] = "ontkoppel",
	};
	for (int a = 0; a < ADV_NACTIONS; a++) {
		const struct wt_command *row = subcommand_find(adv, words[a]);
		assert_non_null(row);
		const struct advice_transition *t = NULL;
		for (int s = 0; s < ADVICE_NSTATES && !t; s++)
			t = advice_transition_find((enum advice_action)a, (enum advice_state)s);
		assert_non_null(t);
		enum wt_role want = t->also ? ROLE_MEMBER : t->min_role;
		if (row->min_role != want)
			fail_msg("!advies %s: row role %d, transition says %d", words[a],
				 row->min_role, want);
	}
	/* The two-word spelling: the row and its part. */
	const struct wt_command *wijs = subcommand_find(adv, "wijs");
	assert_non_null(wijs);
	assert_int_equal(wijs->min_role, ROLE_SECRETARY);
	assert_int_equal(subcommand_find(wijs, "toe")->min_role, ROLE_SECRETARY);
}

/* ---- through dispatch ------------------------------------------------ */

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };
#define NOW ((time_t)1800000000)

static char *text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	char *s = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = strdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return s;
}

static int run(sqlite3 *db, struct wt_replies *out, const char *sender, const char *body)
{
	wt_replies_free(out);
	struct wt_ctx ctx = {
		.db = db, .net = &net, .sender = sender, .room = "werktafel",
		.event_id = "$ev1", .now = NOW, .lang = LANG_NL, .admins = admins, .out = out,
	};
	return wt_dispatch(&ctx, body);
}

/* A fresh database with one request A1 (submitted by eva) put straight into
 * state s, daan assigned and a draft stored. */
static sqlite3 *fixture(enum advice_state s)
{
	sqlite3 *db = fx_db();
	assert_int_equal(roles_set(db, "demo", "@anna:demo.test", ROLE_CHAIR, NULL, NOW), 0);
	assert_int_equal(expertise_add(db, "demo", "@eva:demo.test", "kwaliteit", NOW), 1);
	assert_int_equal(expertise_add(db, "demo", "@daan:demo.test", "dementie", NOW), 1);
	struct wt_advice a = {
		.network = "demo", .title = "Regionale zorg", .submitted_by = "@eva:demo.test",
		.created_at = NOW - 86400, .deadline = NOW + 30 * 86400,
	};
	assert_int_equal(advice_create(db, &a), 0);
	assert_int_equal(advice_assign(db, a.id, "@daan:demo.test", "@anna:demo.test", NOW), 1);
	assert_int_equal(advice_set_draft(db, a.id, "eerder concept", "@daan:demo.test", NOW), 0);
	assert_int_equal(db_execf(db, "UPDATE advice_requests SET state = ?1", "t",
				  advice_state_name(s)), 0);
	return db;
}

static void test_dispatch_every_pair(void **state)
{
	(void)state;
	for (int s = 0; s < ADVICE_NSTATES; s++) {
		for (int a = 0; a < ADV_NACTIONS; a++) {
			sqlite3 *db = fixture((enum advice_state)s);
			struct wt_replies out = { 0 };
			int before = fx_int(db, "SELECT count(*) FROM advice_history");
			int rc = run(db, &out, "@admin:demo.test", commands[a]);
			char *now_state = text(db, "SELECT state FROM advice_requests");
			int after = fx_int(db, "SELECT count(*) FROM advice_history");
			char msg[160];
			snprintf(msg, sizeof msg, "%s from %s", history_names[a],
				 advice_state_name((enum advice_state)s));
			if (expected[a][s] == X) {
				if (rc != WT_EUSAGE)
					fail_msg("%s: rc %d, expected a refusal", msg, rc);
				assert_string_equal(now_state, advice_state_name((enum advice_state)s));
				assert_int_equal(after, before);
				assert_true(out.n >= 1 && out.v[0].is_error);
				/* The reply names the current state. */
				const char *label = msg_text(LANG_NL, advice_state_msg((enum advice_state)s));
				if (!strstr(out.v[0].markdown, label))
					fail_msg("%s: reply lacks state: %s", msg, out.v[0].markdown);
			} else {
				if (rc != WT_OK)
					fail_msg("%s: rc %d: %s", msg, rc, out.n ? out.v[0].markdown : "");
				assert_string_equal(now_state,
						    advice_state_name((enum advice_state)expected[a][s]));
				assert_int_equal(after, before + 1);
				char *last = text(db, "SELECT action || '|' || coalesce(from_state, '')"
						  " || '|' || to_state || '|' || actor || '|' || event_id"
						  " FROM advice_history ORDER BY id DESC LIMIT 1");
				char want[200];
				snprintf(want, sizeof want, "%s|%s|%s|@admin:demo.test|$ev1",
					 history_names[a], advice_state_name((enum advice_state)s),
					 advice_state_name((enum advice_state)expected[a][s]));
				assert_string_equal(last, want);
				free(last);
			}
			free(now_state);
			wt_replies_free(&out);
			db_close(db);
		}
	}
}

/* An illegal step's reply lists exactly what can follow. */
static void test_illegal_reply_lists_next(void **state)
{
	(void)state;
	sqlite3 *db = fixture(ADVICE_RECEIVED);
	struct wt_replies out = { 0 };
	assert_int_equal(run(db, &out, "@admin:demo.test", "!advies uitbrengen A1"), WT_EUSAGE);
	const char *m = out.v[0].markdown;
	assert_non_null(strstr(m, "**ontvangen**"));
	assert_non_null(strstr(m, "`accepteer`, `afwijzen`, `intrekken`"));
	assert_null(strstr(m, "`besluit`"));
	wt_replies_free(&out);
	db_close(db);
	db = fixture(ADVICE_DECIDED);
	assert_int_equal(run(db, &out, "@admin:demo.test", "!advice accept A1"), WT_EUSAGE);
	assert_non_null(strstr(out.v[0].markdown, "afgesloten"));
	wt_replies_free(&out);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_every_pair),
		cmocka_unit_test(test_actions_from),
		cmocka_unit_test(test_permissions_table),
		cmocka_unit_test(test_rows_match_transitions),
		cmocka_unit_test(test_dispatch_every_pair),
		cmocka_unit_test(test_illegal_reply_lists_next),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
