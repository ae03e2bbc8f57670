/* Every query the commands and the sync path run uses an index: a scripted
 * round of commands (tests/unit/cmd_script.h) runs through sync_apply and
 * the outbox and reminder calls of the loop; the statement cache then holds
 * the SQL of every statement prepared, and EXPLAIN QUERY PLAN of each must
 * not scan a table that grows with the network's history. A new query is
 * checked without being listed anywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/db_cache.h"
#include "storage/handled_events.h"
#include "storage/minutes.h"
#include "storage/outbox.h"
#include "storage/rate_buckets.h"
#include "storage/roles.h"
#include "storage/rooms.h"
#include "tests/unit/cmd_script.h"
#include "tests/unit/fixture.h"

/* Tables whose size is the network's set-up, not its history: a scan of
 * one of these costs the same at any age. Every other table (meetings,
 * agenda items, decisions and actions, advice, updates, spending,
 * reminders, the outbox, handled events, ...) must be read by index. */
static const char *const small_tables[] = {
	"kv", "id_counters", "roles", "rooms", "room_power", "room_aliases",
	"user_settings", "action_lines", "action_line_people",
	"action_line_phases", "action_line_deliverables",
	"goals", "action_line_indicators", /* a network's goals and a line's indicators */
	"reminder_dirty",   /* emptied by every command and sync batch */
	"member_orgs",      /* one row per member: the network's set-up, as roles */
	"bodies", "body_rooms", "body_members", /* a network's few bodies: set-up, as rooms */
	NULL,
};

struct check {
	sqlite3 *db;
	struct strbuf bad;   /* "query: plan line" of each full scan */
	int queries;
};

/* The table or alias a plan line "SCAN x ..." reads, as a new string;
 * NULL when the line is no scan of a table. */
static char *scanned(const char *detail)
{
	if (strncmp(detail, "SCAN ", 5) != 0)
		return NULL;
	const char *p = detail + 5;
	if (strncmp(p, "CONSTANT ROW", 12) == 0 || *p == '(')
		return NULL;
	size_t n = strcspn(p, " ");
	char *name = xstrndup(p, n);
	/* A table-valued function or a CTE is no table of ours. */
	if (strstr(detail, "VIRTUAL TABLE") || strncmp(name, "json_", 5) == 0) {
		free(name);
		return NULL;
	}
	return name;
}

/* The table an alias of sql stands for ("FROM logged_items l" -> the
 * plan says "SCAN l"), else name itself. */
static int is_small(const char *sql, const char *name)
{
	for (int i = 0; small_tables[i]; i++) {
		if (strcmp(name, small_tables[i]) == 0)
			return 1;
		struct strbuf pat = STRBUF_INIT;
		sb_addf(&pat, "%s %s ", small_tables[i], name);
		int alias = strstr(sql, pat.buf) != NULL;
		sb_release(&pat);
		if (!alias) {
			sb_addf(&pat, "%s %s,", small_tables[i], name);
			alias = strstr(sql, pat.buf) != NULL;
			sb_release(&pat);
		}
		if (alias)
			return 1;
	}
	return 0;
}

/* Whether the index a plan line reads is partial (CREATE INDEX ... WHERE):
 * it holds only the rows its condition keeps, e.g. the outbox's unsent. */
static int partial_index(sqlite3 *db, const char *detail)
{
	const char *idx = strstr(detail, " INDEX ");
	if (!idx)
		return 0;
	idx += 7;
	char *name = xstrndup(idx, strcspn(idx, " "));
	sqlite3_stmt *st = NULL;
	int partial = 0;
	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'index'"
			       " AND name = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			partial = strstr((const char *)sqlite3_column_text(st, 0),
					 " WHERE ") != NULL;
	}
	sqlite3_finalize(st);
	free(name);
	return partial;
}

/* Columns that do not narrow a history table: every row of a network has
 * the same network, and a kind holds all decisions or all actions; in an
 * index that is not partial, a column the SQL asks only to be set
 * ("short_id IS NOT NULL", in the plan "short_id>?") holds every row that
 * ever had one. */
static int broad_constraint(sqlite3 *db, const char *sql, const char *detail)
{
	const char *p = strchr(detail, '(');
	if (!p)
		return 1;   /* an index read whole, in its order */
	p++;
	while (*p && *p != ')') {
		size_t n = strcspn(p, "=<>");
		int set_only = 0;
		if (p[n] == '>' && p[n + 1] == '?' && !partial_index(db, detail)) {
			struct strbuf pat = STRBUF_INIT;
			sb_addf(&pat, "%.*s IS NOT NULL", (int)n, p);
			set_only = strstr(sql, pat.buf) != NULL;
			sb_release(&pat);
		}
		if (!((n == 7 && strncmp(p, "network", 7) == 0)
		      || (n == 4 && strncmp(p, "kind", 4) == 0) || set_only))
			return 0;
		p = strstr(p, " AND ");
		if (!p)
			break;
		p += 5;
	}
	return 1;
}

/* A plan line that reads a partial index over the rows still open (named
 * ..._open or ..._pending): its size is the work at hand, not history. */
static int open_index(const char *detail)
{
	const char *idx = strstr(detail, " INDEX ");
	if (!idx)
		return 0;
	idx += 7;
	size_t n = strcspn(idx, " ");
	return (n > 5 && strncmp(idx + n - 5, "_open", 5) == 0)
	       || (n > 8 && strncmp(idx + n - 8, "_pending", 8) == 0);
}

/* A search of a history table that reads it all for the network: by its
 * network (and kind) alone, through an index that is not partial over the
 * rows still open (named ..._open or ..._pending), and not one a LIMIT
 * stops early in (it needs a sort, or there is no LIMIT). */
static int broad_search(sqlite3 *db, const char *sql, const char *detail, int sorts)
{
	if (strncmp(detail, "SEARCH ", 7) != 0)
		return 0;
	if (!strstr(detail, " INDEX ") || open_index(detail))
		return 0;   /* by primary key, or the open rows only */
	if (!broad_constraint(db, sql, detail))
		return 0;
	if (strstr(detail, "COVERING INDEX") && strstr(sql, "count("))
		return 0;   /* counting index entries: no table row read */
	return sorts || strstr(sql, " LIMIT ") == NULL;
}

/* The table name a plan line reads (after SCAN or SEARCH), as a new
 * string, or NULL. */
static char *table_of(const char *detail)
{
	if (strncmp(detail, "SEARCH ", 7) != 0)
		return scanned(detail);
	const char *p = detail + 7;
	return xstrndup(p, strcspn(p, " "));
}

/* EXPLAIN QUERY PLAN one cached statement; note its full scans and its
 * searches that read all of a network's history. */
static int check_one(const char *sql, void *arg)
{
	struct check *c = arg;
	if (strncmp(sql, "PRAGMA", 6) == 0)
		return 0;
	struct strbuf q = STRBUF_INIT;
	sb_addf(&q, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(c->db, q.buf, -1, &st, NULL), SQLITE_OK);
	c->queries++;
	char **lines = NULL;
	size_t n = 0;
	int sorts = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		if (getenv("PLAN_DUMP"))
			fprintf(stderr, "PLAN %s || %s\n", detail, sql);
		if (strncmp(detail, "USE TEMP B-TREE", 15) == 0)
			sorts = 1;
		lines = realloc(lines, (n + 1) * sizeof *lines);
		lines[n++] = xstrdup(detail);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++) {
		char *name = table_of(lines[i]);
		if (name && !is_small(sql, name) && !open_index(lines[i])
		    && (strncmp(lines[i], "SCAN ", 5) == 0 || broad_search(c->db, sql, lines[i], sorts)))
			sb_addf(&c->bad, "\n- %s\n  plan: %s%s", sql, lines[i],
				sorts ? " (and a sort)" : "");
		free(name);
		free(lines[i]);
	}
	free(lines);
	sb_release(&q);
	return 0;
}

/* For the each-functions below: look at nothing, go on. */
static int each_nothing(void *arg, const char *a)
{
	(void)arg;
	(void)a;
	return 0;
}

static int each_room_nothing(void *arg, const char *a, const char *b)
{
	(void)arg;
	(void)a;
	(void)b;
	return 0;
}

/* The statements that moved out of bot/ and handlers/ into storage/ (the
 * rooms table, handled events, direct chats, the rate limit) that the
 * scripted round does not reach: run each once, so that its plan is
 * checked too. (handled_events_prune runs once a start, over all rows.) */
static void run_moved_statements(sqlite3 *db)
{
	long long c, l, h;
	struct room_action a;
	assert_true(handled_event_has(db, "$none") >= 0);
	assert_true(handled_event_add(db, "$qp", CS_ROOM, CS_NOW, 1) >= 0);
	assert_true(rate_bucket_get(db, CS_CHAIR, &c, &l, &h) >= 0);
	assert_int_equal(rate_bucket_put(db, CS_CHAIR, 1, 2, 0), 0);
	assert_true(room_next_action(db, &a) >= 0);
	room_action_free(&a);
	assert_int_equal(room_each_group(db, each_room_nothing, NULL), 0);
	assert_int_equal(roles_each_network(db, CS_MEMBER, each_nothing, NULL), 0);
	free(room_dm_network_dup(db, CS_ROOM));
	free(room_dm_of_dup(db, CS_MEMBER));
	free(outbox_next_direct_user_dup(db));
	assert_true(room_is_in(db, CS_ROOM) >= 0);
	assert_int_equal(outbox_fail_direct(db, "@nobody:demo.test", "test", CS_NOW), 0);
	assert_int_equal(room_mark_join(db, "!qp:demo.test", cs_net.name, CS_CHAIR, NULL), 0);
	assert_int_equal(room_join_done(db, "!qp:demo.test"), 0);
	assert_int_equal(room_forget_joined(db, "!qp:demo.test"), 0);
	assert_int_equal(logged_set_part(db, 1, 0), 0);
}

static void test_hot_queries_use_indexes(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	assert_int_equal(cs_setup(db), 0);
	assert_int_equal(cs_round(db, 1), 0);
	assert_int_equal(cs_round(db, 2), 0);
	run_moved_statements(db);
	struct check c = { .db = db, .bad = STRBUF_INIT };
	db_cache_each(db, check_one, &c);
	print_message("%d queries checked\n", c.queries);
	assert_true(c.queries > 50);
	if (c.bad.len) {
		/* cmocka cuts a long message short: the list goes first. */
		fprintf(stderr, "queries that read a whole table:%s\n", c.bad.buf);
		fail_msg("queries read a whole table of history (listed above)");
	}
	sb_release(&c.bad);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_queries_use_indexes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
