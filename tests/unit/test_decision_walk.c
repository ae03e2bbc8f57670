/* The register's search by a term, page by page (storage/decisions.c): the
 * page is read by walking decisions_fts in its rowid order and proven the
 * newest by the index logged_decisions; each page must equal the page cut
 * from all matches ranked newest first (the old way, decisions_search
 * without a page size). A decision logged with a time older than one
 * logged before it (an import, a clock set back) makes the walk unproven
 * and all matches are ranked; so does a walk whose proof would read more
 * than 10,000 decisions. The count of a term alone is read from the FTS
 * index alone only when no other network has decisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storage/db.h"
#include "storage/decisions.h"
#include "storage/minutes.h"
#include "tests/unit/fixture.h"

#define T0 1800000000
#define PAGE 20

/* One decision of network with text, logged at created_at; its row id. */
static long long add(sqlite3 *db, const char *network, const char *text, long long created_at)
{
	struct wt_logged it = {
		.network = (char *)network, .kind = LOGGED_DECISION, .text = (char *)text,
		.logged_by = "@bram:demo.test", .room = "!r:demo.test",
		.created_at = (time_t)created_at,
	};
	assert_int_equal(logged_add(db, &it), 0);
	return it.id;
}

/* n decisions of "demo" logged a minute apart from start, every third
 * one holding "werkplan"; one of "other" holding it after every tenth. */
static void history(sqlite3 *db, int n, long long start)
{
	char text[96];
	for (int i = 0; i < n; i++) {
		snprintf(text, sizeof text, "Besluit %d: de werkgroep stelt het %s vast", i,
			 i % 3 == 0 ? "werkplan" : "verslag");
		add(db, "demo", text, start + i * 60);
		if (i % 10 == 0)
			add(db, "other", "Het werkplan van een ander netwerk", start + i * 60);
	}
}

/* How many times the cached statements of a term whose SQL holds needle
 * ran. */
static long long runs(sqlite3 *db, const char *needle)
{
	long long n = 0;
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
		if (strstr(sqlite3_sql(st), needle) && strstr(sqlite3_sql(st), "MATCH ?2"))
			n += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0);
	return n;
}

/* The plan of the cached statement whose SQL holds needle, its lines
 * joined by " | " (caller frees); NULL when none is cached. */
static char *plan_of(sqlite3 *db, const char *needle)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st)) {
		if (!strstr(sqlite3_sql(st), needle) || strncmp(sqlite3_sql(st), "EXPLAIN", 7) == 0)
			continue;
		char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
		sqlite3_stmt *e = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &e, NULL), SQLITE_OK);
		sqlite3_free(q);
		size_t len = 1;
		char *out = calloc(1, 1);
		while (sqlite3_step(e) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(e, 3);
			out = realloc(out, len + strlen(d) + 3);
			strcat(strcat(out, d), " | ");
			len += strlen(d) + 3;
		}
		sqlite3_finalize(e);
		return out;
	}
	return NULL;
}

#define WALK "ORDER BY f.rowid DESC"
#define RANKED "ORDER BY l.created_at DESC"

/* The page of term at offset equals that page cut from all matches ranked;
 * returns its row count. */
static int same_page(sqlite3 *db, const char *term, size_t offset, struct decision_filter f)
{
	f.term = term;
	f.offset = offset;
	f.max = PAGE;
	struct wt_logged *page = NULL, *all = NULL;
	int n = decisions_search(db, "demo", &f, &page);
	f.offset = 0;
	f.max = 0;
	int m = decisions_search(db, "demo", &f, &all);
	assert_true(n >= 0 && m >= 0);
	int want = m > (int)offset ? m - (int)offset : 0;
	assert_int_equal(n, want < PAGE ? want : PAGE);
	for (int i = 0; i < n; i++)
		assert_int_equal(page[i].id, all[offset + (size_t)i].id);
	logged_list_free(page, (size_t)n);
	logged_list_free(all, (size_t)m);
	return n;
}

/* Decisions logged in order: every page walked, none ranked in full. */
static void test_pages_walked(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	history(db, 250, T0);
	for (size_t off = 0; off <= 60; off += PAGE) {
		long long walked = runs(db, WALK), ranked = runs(db, RANKED);
		struct wt_logged *v = NULL;
		int n = decisions_search(db, "demo", &(struct decision_filter){
			.term = "werkplan", .max = PAGE, .offset = off }, &v);
		assert_int_equal(n, PAGE);
		assert_int_equal(runs(db, WALK), walked + 1);
		assert_int_equal(runs(db, RANKED), ranked);
		assert_non_null(strstr(v[0].text, "werkplan"));
		logged_list_free(v, (size_t)n);
		assert_int_equal(same_page(db, "werkplan", off, (struct decision_filter){ 0 }), PAGE);
	}
	/* The last page (84 matches) and past it: no row, nothing left over. */
	assert_int_equal(same_page(db, "werkplan", 80, (struct decision_filter){ 0 }), 4);
	assert_int_equal(same_page(db, "werkplan", 200, (struct decision_filter){ 0 }), 0);
	assert_int_equal(same_page(db, "geen-enkel-besluit", 0, (struct decision_filter){ 0 }), 0);
	/* With a period: the walk keeps the filter. */
	struct decision_filter period = { .from = T0 + 30 * 60, .until = T0 + 200 * 60 };
	assert_int_equal(same_page(db, "werkplan", 0, period), PAGE);
	assert_int_equal(same_page(db, "werkplan", 40, period), 17);
	/* The proof reads the decisions newer than the walk's oldest in the
	 * index; logged in order, none is older by id: no FTS query. */
	char *plan = plan_of(db, "AND created_at > ?3 LIMIT ?4");
	assert_non_null(plan);
	assert_non_null(strstr(plan, "SEARCH logged_items USING COVERING INDEX logged_decisions"
				     " (network=? AND kind=? AND created_at>?)"));

	free(plan);
	assert_null(plan_of(db, "f.rowid BETWEEN ?3 AND ?4"));
	db_close(db);
}

/* A decision logged with the newest time before the others: the walk's
 * rows are not the newest, all matches are ranked and it comes first. */
static void test_older_row_newer_time_ranked(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	long long early = add(db, "demo", "Het werkplan van later", T0 + 400 * 60);
	history(db, 250, T0);
	long long ranked = runs(db, RANKED);
	struct wt_logged *v = NULL;
	int n = decisions_search(db, "demo", &(struct decision_filter){
		.term = "werkplan", .max = PAGE }, &v);
	assert_int_equal(n, PAGE);
	assert_int_equal(v[0].id, early);
	assert_int_equal(runs(db, RANKED), ranked + 1);
	logged_list_free(v, (size_t)n);
	/* The span of the ids older than the walk's, searched once, by the
	 * FTS index and the rows' primary key. */
	char *plan = plan_of(db, "f.rowid BETWEEN ?3 AND ?4");
	assert_non_null(plan);
	assert_non_null(strstr(plan, "SCAN f VIRTUAL TABLE"));
	assert_non_null(strstr(plan, "SEARCH l USING INTEGER PRIMARY KEY (rowid=?)"));
	free(plan);
	assert_int_equal(same_page(db, "werkplan", 0, (struct decision_filter){ 0 }), PAGE);
	assert_int_equal(same_page(db, "werkplan", 60, (struct decision_filter){ 0 }), PAGE);
	db_close(db);
}

/* Such a decision that does not hold the term changes nothing: walked. */
static void test_older_row_without_term_walked(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	add(db, "demo", "Het verslag van later", T0 + 400 * 60);
	history(db, 250, T0);
	long long ranked = runs(db, RANKED);
	assert_int_equal(same_page(db, "werkplan", 0, (struct decision_filter){ 0 }), PAGE);
	/* same_page ranks once itself, for its comparison */
	assert_int_equal(runs(db, RANKED), ranked + 1);
	db_close(db);
}

/* The proof reads at most 10,000 decisions: matches followed by more
 * newer ones than that are ranked in full, with the same page. */
static void test_long_proof_ranked(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	assert_int_equal(db_begin(db), 0);
	for (int i = 0; i < 25; i++)
		add(db, "demo", "Het werkplan, vroeg", T0 + i);
	for (int i = 0; i < 10005; i++)
		add(db, "demo", "Een verslag", T0 + 100 + i);
	assert_int_equal(db_commit(db), 0);
	long long ranked = runs(db, RANKED);
	struct wt_logged *v = NULL;
	int n = decisions_search(db, "demo", &(struct decision_filter){
		.term = "werkplan", .max = PAGE }, &v);
	assert_int_equal(n, PAGE);
	assert_int_equal(runs(db, RANKED), ranked + 1);
	assert_int_equal(v[0].created_at, T0 + 24);
	logged_list_free(v, (size_t)n);
	assert_int_equal(same_page(db, "werkplan", 20, (struct decision_filter){ 0 }), 5);
	db_close(db);
}

/* The count of a term: from the FTS index alone only when one network has
 * decisions; the same figure either way, and it stops at the limit. */
static void test_count_of_term(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	history(db, 250, T0);
	struct decision_filter f = { .term = "werkplan" };
	long long fts = runs(db, "FROM decisions_fts f WHERE f.text MATCH ?2 LIMIT");
	assert_int_equal(decisions_count(db, "demo", &f), 84);    /* "other" has 25 */
	assert_int_equal(decisions_count(db, "other", &f), 25);
	assert_int_equal(runs(db, "FROM decisions_fts f WHERE f.text MATCH ?2 LIMIT"), fts);
	assert_int_equal(db_execf(db, "DELETE FROM logged_items WHERE network = 'other'", ""), 0);
	assert_int_equal(decisions_count(db, "demo", &f), 84);
	assert_int_equal(runs(db, "FROM decisions_fts f WHERE f.text MATCH ?2 LIMIT"), fts + 1);
	f.count_limit = 10;
	assert_int_equal(decisions_count(db, "demo", &f), 10);
	f.count_limit = 0;
	assert_int_equal(decisions_count(db, "nergens", &f), 0);
	/* A filter beside the term: counted on the decisions' rows. */
	f.from = T0 + 150 * 60;
	assert_int_equal(decisions_count(db, "demo", &f), 34);
	db_close(db);
}

/* Each write gives the search index a segment; the merge steps (as the
 * scheduler runs them after its daily pass) leave one, a bounded step at a
 * time, and every search finds what it found before. */
static void test_index_merged(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	history(db, 200, T0);
	int before = decisions_index_segments(db);
	assert_true(before > 4);
	struct decision_filter f = { 0 };
	f.term = "werkplan";
	long long n_term = decisions_count(db, "demo", &f);
	f.term = "erkpl";
	long long n_part = decisions_count(db, "demo", &f);
	assert_int_equal(n_term, 67);
	assert_int_equal(n_part, 67);
	int steps = 0, rc;
	while ((rc = decisions_index_merge_step(db, 2)) == 1)
		assert_true(++steps < 1000);
	assert_int_equal(rc, 0);
	assert_true(steps > 1);    /* bounded: not all in one step */
	assert_int_equal(decisions_index_segments(db), 1);
	assert_int_equal(decisions_index_merge_step(db, 2), 0);
	f.term = "werkplan";
	assert_int_equal(decisions_count(db, "demo", &f), n_term);
	f.term = "erkpl";
	assert_int_equal(decisions_count(db, "demo", &f), n_part);
	for (size_t off = 0; off <= 40; off += PAGE)
		assert_int_equal(same_page(db, "werkplan", off, (struct decision_filter){ 0 }), PAGE);
	/* A new decision adds a segment; the next merge folds it in. */
	add(db, "demo", "Het werkplan 2028 is vastgesteld", T0 + 300 * 60);
	assert_int_equal(decisions_index_segments(db), 2);
	assert_int_equal(decisions_index_merge_step(db, 32), 1);
	assert_int_equal(decisions_index_merge_step(db, 32), 0);
	assert_int_equal(decisions_index_segments(db), 1);
	f.term = "werkplan";
	assert_int_equal(decisions_count(db, "demo", &f), n_term + 1);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_walked),
		cmocka_unit_test(test_older_row_newer_time_ranked),
		cmocka_unit_test(test_older_row_without_term_walked),
		cmocka_unit_test(test_long_proof_ranked),
		cmocka_unit_test(test_count_of_term),
		cmocka_unit_test(test_index_merged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
