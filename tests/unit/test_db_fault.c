/* Storage faults (storage/db_fault.c) on real SQLite files: a full
 * database is a waiting fault, said once and over at the next commit that
 * works; a page damaged under an open connection is fatal; db_open refuses
 * a damaged file with the advice in its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "storage/db.h"
#include "storage/db_fault.h"
#include "tests/unit/fixture.h"

static char path[64];

static int setup(void **state)
{
	snprintf(path, sizeof path, "/tmp/wt-dbfault-%d.db", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	fx_remove_wal(path);
	return 0;
}

static sqlite3 *open_ok(void)
{
	struct strbuf err = STRBUF_INIT;
	sqlite3 *db = NULL;
	if (db_open(path, &db, &err) < 0)
		fail_msg("db_open: %s", err.buf);
	sb_release(&err);
	return db;
}

/* Insert a 4 KB row in one transaction; 0 or negative. */
static int insert_blob(sqlite3 *db)
{
	if (db_begin(db) < 0)
		return -1;
	if (db_execf(db, "INSERT INTO kv(key, value) VALUES (hex(randomblob(8)),"
		     " hex(randomblob(2000)))", "") < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* PRAGMA max_page_count stands in for a full disk: SQLite says
 * SQLITE_FULL just as when the file system is full. */
static void test_full_waits_and_recovers(void **state)
{
	sqlite3 *db = open_ok();
	assert_int_equal(db_fault_current(), DB_FAULT_NONE);
	int pages = 0;
	sqlite3_stmt *st = db_prepare(db, "PRAGMA page_count");
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	pages = sqlite3_column_int(st, 0);
	db_done(st);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages + 2);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	int failed = 0;
	for (int i = 0; i < 20 && !failed; i++)
		failed = insert_blob(db) < 0;
	assert_true(failed);
	assert_int_equal(db_fault_current(), DB_FAULT_FULL);
	assert_false(db_fault_fatal());
	/* Retries while full: still the same fault, still not fatal. */
	assert_true(insert_blob(db) < 0);
	assert_int_equal(db_fault_current(), DB_FAULT_FULL);
	/* Space again: the next commit ends it. */
	assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 1000000", NULL,
				      NULL, NULL), SQLITE_OK);
	assert_int_equal(insert_blob(db), 0);
	assert_int_equal(db_fault_current(), DB_FAULT_NONE);
	db_close(db);
}

/* The root page of a table (a page number), read with plain SQL. */
static int root_page(sqlite3 *db, const char *table)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT rootpage FROM sqlite_master"
				      " WHERE name = ?1");
	int page = -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		page = sqlite3_column_int(st, 0);
	db_done(st);
	return page;
}

static void damage_page(int page)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	char junk[4096];
	memset(junk, 0x5a, sizeof junk);
	assert_int_equal(fseek(f, (long)(page - 1) * 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	fclose(f);
}

static void test_damaged_page_is_fatal(void **state)
{
	sqlite3 *db = open_ok();
	for (int i = 0; i < 5; i++)
		assert_int_equal(insert_blob(db), 0);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
				      NULL, NULL), SQLITE_OK);
	int page = root_page(db, "handled_events");
	assert_true(page > 1);
	damage_page(page);
	sqlite3_db_release_memory(db);  /* read it from the file again */
	assert_true(db_execf(db, "INSERT INTO handled_events(event_id, room_id,"
			     " handled_at) VALUES ('$x', '!r', 1)", "") < 0);
	assert_int_equal(db_fault_current(), DB_FAULT_CORRUPT);
	assert_true(db_fault_fatal());
	db_close(db);

	/* At the next start db_open refuses it, saying what to do. */
	struct strbuf err = STRBUF_INIT;
	sqlite3 *again = NULL;
	assert_true(db_open(path, &again, &err) < 0);
	assert_null(again);
	assert_non_null(strstr(err.buf, "is damaged"));
	assert_non_null(strstr(err.buf, "restore the newest backup"));
	sb_release(&err);
	assert_false(db_fault_fatal());  /* db_open says it; the state is clean */
}

static void test_classes(void **state)
{
	assert_int_equal(db_fault_of(SQLITE_BUSY), DB_FAULT_BUSY);
	assert_int_equal(db_fault_of(SQLITE_IOERR_WRITE), DB_FAULT_IO);
	assert_int_equal(db_fault_of(SQLITE_READONLY_DBMOVED), DB_FAULT_READONLY);
	assert_int_equal(db_fault_of(SQLITE_NOTADB), DB_FAULT_CORRUPT);
	assert_int_equal(db_fault_of(SQLITE_CONSTRAINT_UNIQUE), DB_FAULT_NONE);
	assert_true(db_fault_is_fatal(DB_FAULT_CORRUPT));
	assert_false(db_fault_is_fatal(DB_FAULT_FULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_waits_and_recovers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_page_is_fatal, setup, teardown),
		cmocka_unit_test(test_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
