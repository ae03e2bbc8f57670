/* Storage: migrations, version checks, short ids, key/value state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "storage/db.h"
#include "tests/unit/fixture.h"
#include "storage/roles.h"
#include "storage/schema.h"

static int table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	db_done(st);
	return found;
}

/* A new database file at path (a mkstemp template), opened with db_open. */
static sqlite3 *open_temp(char *path, struct strbuf *err)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	sqlite3 *db;
	assert_int_equal(db_open(path, &db, err), 0);
	return db;
}

/* The file and its WAL and shared-memory files gone. */
static void remove_temp(const char *path)
{
	unlink(path);
	fx_remove_wal(path);
}

/* Every migration applies in order from an empty database, one at a time. */
static void test_migrations_from_zero(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_user_version(db), 0);
	for (int v = 1; v <= db_schema_latest(); v++) {
		assert_int_equal(db_migrate_to(db, v, &err), 0);
		assert_int_equal(db_user_version(db), v);
	}
	assert_true(table_exists(db, "meetings"));
	assert_true(table_exists(db, "agenda_items"));
	assert_true(table_exists(db, "outbox"));
	assert_true(table_exists(db, "handled_events"));
	char *msg = NULL;
	assert_int_equal(sqlite3_exec(db, "PRAGMA integrity_check; PRAGMA foreign_key_check;",
				      NULL, NULL, &msg), SQLITE_OK);
	db_close(db);
	sb_release(&err);
}

/* A migration that fails half way leaves the database at the version before
 * it, with nothing of the migration in it. */
static void test_half_applied_rolls_back(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	const char *const list[] = {
		"CREATE TABLE a (x INTEGER);",
		"CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1); INSERT INTO nowhere VALUES (2);",
	};
	struct strbuf err = STRBUF_INIT;
	assert_true(schema_apply(db, list, 2, 2, &err) < 0);
	assert_non_null(strstr(err.buf, "migration 2 failed"));
	assert_int_equal(db_user_version(db), 1);
	assert_true(table_exists(db, "a"));
	assert_false(table_exists(db, "b"));
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM a");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	db_done(st);
	assert_true(sqlite3_get_autocommit(db));
	db_close(db);
	sb_release(&err);
}

/* A database written by a newer werktafel is refused with a clear message. */
static void test_newer_version_refused(void **state)
{
	(void)state;
	char path[] = "/tmp/wt-test-db-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	sqlite3 *db = (sqlite3 *)1;
	struct strbuf err = STRBUF_INIT;
	assert_true(db_open(path, &db, &err) < 0);
	assert_null(db);
	assert_non_null(strstr(err.buf, "newer than this werktafel"));
	sb_release(&err);
	unlink(path);
}

/* A file database is in WAL mode with foreign keys enforced. */
static void test_open_pragmas(void **state)
{
	(void)state;
	char path[] = "/tmp/wt-test-db-XXXXXX";
	struct strbuf err = STRBUF_INIT;
	sqlite3 *db = open_temp(path, &err);
	sqlite3_stmt *st = db_prepare(db, "PRAGMA journal_mode");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	db_done(st);
	st = db_prepare(db, "PRAGMA foreign_keys");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	db_done(st);
	/* A dangling reference is refused. */
	assert_true(db_execf(db, "INSERT INTO agenda_items(network, short_id, meeting_id, position,"
			     " title, proposer, created_at) VALUES ('n', 1, 999, 1, 't', '@a:b', 0)",
			     NULL) < 0);
	db_close(db);
	/* Opening again is a no-op migration. */
	assert_int_equal(db_open(path, &db, &err), 0);
	assert_int_equal(db_user_version(db), db_schema_latest());
	db_close(db);
	sb_release(&err);
	remove_temp(path);
}

/* Short ids count per network and kind, from 1. */
static void test_next_id(void **state)
{
	(void)state;
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(":memory:", &db, &err), 0);
	assert_int_equal(db_next_id(db, "a", "meeting"), 1);
	assert_int_equal(db_next_id(db, "a", "meeting"), 2);
	assert_int_equal(db_next_id(db, "b", "meeting"), 1);
	assert_int_equal(db_next_id(db, "a", "agenda"), 1);
	assert_int_equal(db_next_id(db, "a", "meeting"), 3);
	db_close(db);
	sb_release(&err);
}

static void test_kv_and_roles(void **state)
{
	(void)state;
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(":memory:", &db, &err), 0);
	assert_null(db_kv_get(db, "k"));
	assert_int_equal(db_kv_set(db, "k", "v1"), 0);
	assert_int_equal(db_kv_set(db, "k", "v2"), 0);
	char *v = db_kv_get(db, "k");
	assert_string_equal(v, "v2");
	free(v);
	assert_int_equal(roles_get(db, "n", "@x:y"), 0);
	assert_int_equal(roles_set(db, "n", "@x:y", 4, "@a:b", 10), 0);
	assert_int_equal(roles_get(db, "n", "@x:y"), 4);
	assert_int_equal(roles_get(db, "m", "@x:y"), 0);
	assert_int_equal(roles_set(db, "n", "@x:y", 1, "@a:b", 11), 0);
	assert_int_equal(roles_get(db, "n", "@x:y"), 0);
	/* The schema refuses a role out of range. */
	assert_true(roles_set(db, "n", "@x:y", 9, "@a:b", 12) < 0);
	db_close(db);
	sb_release(&err);
}

/* A savepoint rolled back leaves the outer transaction's work intact. */
static void test_savepoint(void **state)
{
	(void)state;
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(":memory:", &db, &err), 0);
	assert_int_equal(db_begin(db), 0);
	db_kv_set(db, "outer", "1");
	assert_int_equal(db_savepoint(db, "sp"), 0);
	db_kv_set(db, "inner", "1");
	assert_int_equal(db_rollback_to(db, "sp"), 0);
	assert_int_equal(db_commit(db), 0);
	char *o = db_kv_get(db, "outer"), *i = db_kv_get(db, "inner");
	assert_non_null(o);
	assert_null(i);
	free(o);
	db_close(db);
	sb_release(&err);
}

/* The count of rows in kv as another connection sees it: what is
 * committed. */
static int committed_kv(const char *path)
{
	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(other, "SELECT count(*) FROM kv", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(other);
	return n;
}

/* A read stretch holds one read transaction over its queries; the first
 * write in it ends it, and that write (and every one after) is committed
 * when its call returns, as outside a stretch: a "tried" mark is on disk
 * before its PUT. db_begin and a savepoint inside it work; a query half
 * stepped when the stretch ends reads on. */
static void test_read_stretch(void **state)
{
	(void)state;
	char path[] = "/tmp/wt-test-db-XXXXXX";
	struct strbuf err = STRBUF_INIT;
	sqlite3 *db = open_temp(path, &err);
	assert_int_equal(db_kv_set(db, "a", "1"), 0);
	assert_int_equal(db_kv_set(db, "b", "2"), 0);
	int before = committed_kv(path);

	int began = db_read_begin(db);
	assert_int_equal(began, 1);
	assert_false(sqlite3_get_autocommit(db));
	char *v = db_kv_get(db, "a");
	assert_string_equal(v, "1");
	free(v);
	assert_false(sqlite3_get_autocommit(db));   /* still the one read */
	/* Nested: no second transaction. */
	assert_int_equal(db_read_begin(db), 0);
	db_read_end(db, 0);
	assert_false(sqlite3_get_autocommit(db));
	/* A query half stepped, then a write. */
	sqlite3_stmt *rows = db_prepare(db, "SELECT key FROM kv ORDER BY key");
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	assert_int_equal(db_kv_set(db, "c", "3"), 0);
	assert_int_equal(committed_kv(path), before + 1);
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	db_done(rows);
	/* db_begin and savepoints after it: transactions of their own. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_kv_set(db, "d", "4"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(committed_kv(path), before + 2);
	db_read_end(db, began);
	assert_true(sqlite3_get_autocommit(db));

	/* A savepoint as the stretch's first write: its own, released. */
	began = db_read_begin(db);
	assert_int_equal(began, 1);
	assert_int_equal(db_savepoint(db, "sp"), 0);
	assert_int_equal(db_kv_set(db, "e", "5"), 0);
	assert_int_equal(db_release(db, "sp"), 0);
	assert_int_equal(committed_kv(path), before + 3);
	db_read_end(db, began);
	/* db_begin as the first: the same. */
	began = db_read_begin(db);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_kv_set(db, "f", "6"), 0);
	db_read_end(db, began);            /* not the write's to end */
	assert_false(sqlite3_get_autocommit(db));
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(committed_kv(path), before + 4);
	db_close(db);
	sb_release(&err);
	remove_temp(path);
}

/* Two connections, each in a stretch of its own at once: a write on
 * either ends only that one's stretch and is committed before it returns,
 * whichever began last. */
static void test_read_stretch_two_connections(void **state)
{
	(void)state;
	char pa[] = "/tmp/wt-test-db-XXXXXX", pb[] = "/tmp/wt-test-db-XXXXXX";
	struct strbuf err = STRBUF_INIT;
	sqlite3 *a = open_temp(pa, &err), *b = open_temp(pb, &err);
	int before_a = committed_kv(pa), before_b = committed_kv(pb);
	int began_a = db_read_begin(a), began_b = db_read_begin(b);
	assert_int_equal(began_a, 1);
	assert_int_equal(began_b, 1);
	assert_int_equal(db_kv_set(a, "x", "1"), 0);
	assert_int_equal(committed_kv(pa), before_a + 1);
	assert_true(sqlite3_get_autocommit(a));
	assert_false(sqlite3_get_autocommit(b));   /* b's stretch goes on */
	assert_int_equal(db_kv_set(b, "y", "2"), 0);
	assert_int_equal(committed_kv(pb), before_b + 1);
	assert_true(sqlite3_get_autocommit(b));
	db_read_end(b, began_b);
	db_read_end(a, began_a);
	db_close(a);
	db_close(b);
	sb_release(&err);
	remove_temp(pa);
	remove_temp(pb);
}

/* A value kept for later: seen by db_kv_get at once, not in the table
 * until the key is written, a flush, or db_close; a delete or a write of
 * its key drops it; a second key writes the first. */
static void test_kv_later(void **state)
{
	(void)state;
	char path[] = "/tmp/wt-test-db-XXXXXX";
	struct strbuf err = STRBUF_INIT;
	sqlite3 *db = open_temp(path, &err);
	assert_int_equal(db_kv_set(db, "t", "1"), 0);
	assert_int_equal(db_kv_set_later(db, "t", "2"), 0);
	char *v = db_kv_get(db, "t");
	assert_string_equal(v, "2");
	free(v);
	v = db_text_dup(db, "SELECT value FROM kv WHERE key = ?1", "t");
	assert_string_equal(v, "1");
	free(v);
	/* A write of the key wins over what was kept. */
	assert_int_equal(db_kv_set(db, "t", "3"), 0);
	assert_int_equal(db_kv_flush(db), 0);
	v = db_kv_get(db, "t");
	assert_string_equal(v, "3");
	free(v);
	/* A delete too. */
	assert_int_equal(db_kv_set_later(db, "t", "4"), 0);
	assert_int_equal(db_kv_del(db, "t"), 0);
	assert_null(db_kv_get(db, "t"));
	/* Another key written later: the first is written now. */
	assert_int_equal(db_kv_set_later(db, "t", "5"), 0);
	assert_int_equal(db_kv_set_later(db, "u", "6"), 0);
	v = db_text_dup(db, "SELECT value FROM kv WHERE key = ?1", "t");
	assert_string_equal(v, "5");
	free(v);
	/* db_close writes what is kept. */
	db_close(db);
	assert_int_equal(db_open(path, &db, &err), 0);
	v = db_kv_get(db, "u");
	assert_string_equal(v, "6");
	free(v);
	db_close(db);
	sb_release(&err);
	remove_temp(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_from_zero),
		cmocka_unit_test(test_half_applied_rolls_back),
		cmocka_unit_test(test_newer_version_refused),
		cmocka_unit_test(test_open_pragmas),
		cmocka_unit_test(test_next_id),
		cmocka_unit_test(test_kv_and_roles),
		cmocka_unit_test(test_savepoint),
		cmocka_unit_test(test_read_stretch),
		cmocka_unit_test(test_read_stretch_two_connections),
		cmocka_unit_test(test_kv_later),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
