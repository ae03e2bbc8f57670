/* The statement cache (storage/db_cache.c): a statement is compiled once
 * per connection, handed out reset with no bindings, nested use of the same
 * SQL works, schema changes are survived, db_close frees it all (ASan's
 * leak check sees the rest), and a second round of commands compiles
 * nothing new. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storage/db.h"
#include "storage/db_cache.h"
#include "tests/unit/cmd_script.h"
#include "tests/unit/fixture.h"

static int setup(void **state)
{
	sqlite3 *db = fx_db();
	if (db_execf(db, "CREATE TABLE t (x INTEGER)", NULL) < 0
	    || db_execf(db, "INSERT INTO t VALUES (1), (2), (3)", NULL) < 0)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	db_close(*state);
	return 0;
}

/* The same SQL twice gives the same statement, compiled once, and it
 * starts from the first row again. */
static void test_same_statement_twice(void **state)
{
	sqlite3 *db = *state;
	const char *sql = "SELECT x FROM t ORDER BY x";
	sqlite3_stmt *a = db_prepare(db, sql);
	assert_non_null(a);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(a, 0), 1);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	db_done(a);
	unsigned long before = db_cache_compiles();
	sqlite3_stmt *b = db_prepare(db, sql);
	assert_ptr_equal(a, b);
	assert_int_equal(db_cache_compiles(), before);
	assert_false(sqlite3_stmt_busy(b));
	assert_int_equal(sqlite3_step(b), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(b, 0), 1);
	db_done(b);
	/* Another text is another statement. */
	sqlite3_stmt *c = db_prepare(db, "SELECT x FROM t ORDER BY x DESC");
	assert_ptr_not_equal(c, a);
	db_done(c);
}

/* A statement in use (a loop over its rows) and the same SQL asked for
 * inside the loop: a second statement, and both read their own rows; once
 * both are back, both are reused. */
static void test_nested_use(void **state)
{
	sqlite3 *db = *state;
	const char *sql = "SELECT x FROM t WHERE x >= ?1 ORDER BY x";
	sqlite3_stmt *outer = db_prepare(db, sql);
	sqlite3_bind_int(outer, 1, 1);
	int sum = 0;
	while (sqlite3_step(outer) == SQLITE_ROW) {
		sqlite3_stmt *inner = db_prepare(db, sql);
		assert_non_null(inner);
		assert_ptr_not_equal(inner, outer);
		sqlite3_bind_int(inner, 1, sqlite3_column_int(outer, 0));
		while (sqlite3_step(inner) == SQLITE_ROW)
			sum += sqlite3_column_int(inner, 0);
		db_done(inner);
	}
	db_done(outer);
	assert_int_equal(sum, (1 + 2 + 3) + (2 + 3) + 3);
	unsigned long before = db_cache_compiles();
	sqlite3_stmt *a = db_prepare(db, sql);
	sqlite3_stmt *b = db_prepare(db, sql);
	assert_ptr_not_equal(a, b);
	assert_int_equal(db_cache_compiles(), before);
	db_done(b);
	db_done(a);
}

/* SQL built in one buffer, used again for another query: each text gets
 * its own statement, whatever address it is at; the same text at another
 * address gets the kept one, compiled once. */
static void test_buffer_used_again(void **state)
{
	sqlite3 *db = *state;
	char buf[64];
	strcpy(buf, "SELECT x FROM t WHERE x = 1");
	sqlite3_stmt *a = db_prepare(db, buf);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(a, 0), 1);
	db_done(a);
	strcpy(buf, "SELECT x FROM t WHERE x = 3");
	sqlite3_stmt *b = db_prepare(db, buf);
	assert_ptr_not_equal(a, b);
	assert_int_equal(sqlite3_step(b), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(b, 0), 3);
	db_done(b);
	unsigned long before = db_cache_compiles();
	char *copy = strdup("SELECT x FROM t WHERE x = 1");
	sqlite3_stmt *c = db_prepare(db, copy);
	assert_ptr_equal(c, a);
	assert_int_equal(sqlite3_step(c), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(c, 0), 1);
	db_done(c);
	strcpy(buf, "SELECT x FROM t WHERE x = 3");
	assert_ptr_equal(db_prepare(db, buf), b);
	db_done(b);
	assert_int_equal(db_cache_compiles(), before);
	free(copy);
}

/* What one caller bound is gone for the next. */
static void test_bindings_cleared(void **state)
{
	sqlite3 *db = *state;
	const char *sql = "SELECT ?1, ?2";
	sqlite3_stmt *st = db_prepare(db, sql);
	sqlite3_bind_int(st, 1, 42);
	sqlite3_bind_text(st, 2, "tekst", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 42);
	db_done(st);
	st = db_prepare(db, sql);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
	assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
	db_done(st);
}

/* A statement given back ends its read: a write on another connection of
 * the same file is not held up, and a schema change after it is seen. */
static void test_schema_change(void **state)
{
	sqlite3 *db = *state;
	const char *sql = "SELECT * FROM t LIMIT 1";
	sqlite3_stmt *st = db_prepare(db, sql);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_count(st), 1);
	db_done(st);
	assert_int_equal(db_execf(db, "ALTER TABLE t ADD COLUMN y TEXT DEFAULT 'nieuw'", NULL), 0);
	st = db_prepare(db, sql);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_count(st), 2);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "nieuw");
	db_done(st);
}

/* SQL built with a varying text does not grow the cache without bound,
 * and every statement still works. */
static void test_cache_bounded(void **state)
{
	sqlite3 *db = *state;
	for (int i = 0; i < 2000; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT %d", i);
		sqlite3_stmt *st = db_prepare(db, sql);
		assert_non_null(st);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), i);
		db_done(st);
	}
	assert_true(db_cache_count(db) <= 512);
}

/* Wrong SQL: NULL, nothing kept, and db_done(NULL) is harmless. */
static void test_bad_sql(void **state)
{
	sqlite3 *db = *state;
	int n = db_cache_count(db);
	assert_null(db_prepare(db, "SELEKT nothing"));
	assert_int_equal(db_cache_count(db), n);
	db_done(NULL);
}

/* db_close finalizes every statement, also one never given back (ASan's
 * leak check fails the test when something stays). */
static void test_close_frees(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	assert_true(db_cache_count(db) > 0);   /* the migrations' own */
	sqlite3_stmt *kept = db_prepare(db, "SELECT 1");
	assert_int_equal(sqlite3_step(kept), SQLITE_ROW);
	sqlite3_stmt *inner = db_prepare(db, "SELECT 1");
	assert_ptr_not_equal(kept, inner);
	db_done(inner);
	db_close(db);   /* `kept` was never given back */
}

/* The bot's commands and sync path compile their statements in the first
 * round only: a second round of the same commands compiles nothing. */
static void test_second_round_compiles_nothing(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	assert_int_equal(cs_setup(db), 0);
	unsigned long c0 = db_cache_compiles();
	assert_int_equal(cs_round(db, 1), 0);
	unsigned long first = db_cache_compiles() - c0;
	assert_int_equal(cs_round(db, 2), 0);
	unsigned long second = db_cache_compiles() - c0 - first;
	print_message("statements compiled: round 1 %lu, round 2 %lu (%d kept)\n",
		      first, second, db_cache_count(db));
	assert_true(first > 50);
	assert_int_equal(second, 0);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_statement_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_use, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffer_used_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bindings_cleared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sql, setup, teardown),
		cmocka_unit_test(test_close_frees),
		cmocka_unit_test(test_second_round_compiles_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
