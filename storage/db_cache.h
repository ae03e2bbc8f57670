/* db_cache: the prepared statements of each connection, compiled once.
 * db_prepare/db_done/db_close (storage/db.h) are the way in; the rest is
 * for tests and benchmarks. */
#ifndef WT_DB_CACHE_H
#define WT_DB_CACHE_H

#include <sqlite3.h>

/* A statement for sql, not in use by anyone else: the cached one, or one
 * compiled now (and kept). NULL with SQLite's error on db. */
sqlite3_stmt *db_cache_get(sqlite3 *db, const char *sql);
/* Give st back: reset, bindings cleared, ready for the next get; one not
 * kept is finalized. NULL is fine. */
void db_cache_put(sqlite3_stmt *st);
/* Finalize every statement of db (before sqlite3_close). */
void db_cache_free(sqlite3 *db);

/* What storage/db.c keeps per connection besides its statements; it
 * goes with the cache at db_cache_free (the strings freed). */
struct db_conn {
	int stretch;          /* a read stretch is open (db_read_begin) */
	char *later_key;      /* a kv value not written yet (db_kv_set_later) */
	char *later_value;
};
struct db_conn *db_cache_conn(sqlite3 *db);

/* Statements compiled since the start (all connections). */
unsigned long db_cache_compiles(void);
/* Call cb with the SQL of each statement kept for db; stops at the first
 * nonzero return and returns it. */
int db_cache_each(sqlite3 *db, int (*cb)(const char *sql, void *arg), void *arg);
/* Statements kept for db. */
int db_cache_count(sqlite3 *db);

#endif
