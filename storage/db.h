/* db: open the one SQLite file, apply migrations, run transactions.
 *
 * The schema lives in storage/schema.c as an ordered list of migrations;
 * PRAGMA user_version is the number applied. Each migration runs in its own
 * transaction, so a failure leaves the database at the previous version. */
#ifndef WT_DB_H
#define WT_DB_H

#include <sqlite3.h>

#include "lib/strbuf.h"

/* Open (creating) path with WAL, foreign keys and a busy timeout, and
 * migrate it to the newest schema. ":memory:" works for tests. On error
 * returns negative with a message in err and *out == NULL. */
int db_open(const char *path, sqlite3 **out, struct strbuf *err);
/* Close db and free its cached statements (never sqlite3_close a
 * connection db_prepare was used on). */
void db_close(sqlite3 *db);

/* The schema version this build writes. */
int db_schema_latest(void);
/* Apply migrations from the current user_version up to `target`. */
int db_migrate_to(sqlite3 *db, int target, struct strbuf *err);
/* Current PRAGMA user_version, or negative on error. */
int db_user_version(sqlite3 *db);

/* Transactions and savepoints; return 0 or negative. */
int db_begin(sqlite3 *db);        /* BEGIN IMMEDIATE */
/* A stretch of queries in one read transaction (one WAL read lock, not
 * one per statement: SQLite's autocommit takes and drops it around each).
 * db_read_begin returns 1 when it began one, 0 when a transaction was
 * open already (then db_read_end does nothing), negative on error; pass
 * its result to db_read_end. The first write in the stretch ends it
 * first (a statement from db_prepare that is not read-only, db_begin,
 * db_savepoint): that write and all after it are as outside one, so
 * code that may write can run inside. Each write committed before its
 * call returns stays so (a "tried" mark before its PUT). */
int db_read_begin(sqlite3 *db);
void db_read_end(sqlite3 *db, int began);
int db_commit(sqlite3 *db);
int db_rollback(sqlite3 *db);
int db_savepoint(sqlite3 *db, const char *name);
int db_release(sqlite3 *db, const char *name);
int db_rollback_to(sqlite3 *db, const char *name);

/* A prepared statement for sql, ready to bind and step: compiled once per
 * connection and kept (storage/db_cache.h), so a query run again costs no
 * compile; the same SQL asked for while its statement is in use gets
 * another one. Logs and returns NULL on error (a bug: the SQL is ours).
 * Give it back with db_done. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql);
/* Give back a statement from db_prepare when done with it (NULL is fine);
 * never sqlite3_finalize one. */
void db_done(sqlite3_stmt *st);
/* sqlite3_finalize on a statement from db_prepare would free it under the
 * cache (a crash later, far away): in every file that includes this header
 * it is db_done, which finalizes a statement the cache did not make. */
#define sqlite3_finalize(st) db_done(st)

/* Run one statement with no result rows; parameters bound by the caller's
 * format: each char of `types` is 'i' (sqlite3_int64), 't' (const char *,
 * NULL binds NULL) or 'd' (double). Returns 0, or negative. */
int db_execf(sqlite3 *db, const char *sql, const char *types, ...);

/* Next short id for (network, kind): 1, 2, 3, ... stable per network. */
long long db_next_id(sqlite3 *db, const char *network, const char *kind);

/* Read a key of the kv table (NULL when absent; caller frees). */
/* Step st (bound by the caller) for its first row and give it back
 * (db_done): db_step_int returns the row's first column, or -1 when there
 * is no row or an error (for counts and other values >= 0); db_step_one
 * returns 1 with the column in *out, 0 when no row, negative on error (st
 * NULL included). */
long long db_step_int(sqlite3_stmt *st);
/* Step st to its end and give it back: the first column of every row in
 * *ids (caller frees; NULL when none) and their count; on an error (st
 * NULL included) -1 and *ids NULL. */
int db_collect_ids(sqlite3_stmt *st, long long **ids);
int db_step_one(sqlite3_stmt *st, long long *out);
/* Column i of the current row as a new string (caller frees), NULL for
 * SQL NULL. */
char *db_col_dup(sqlite3_stmt *st, int i);

char *db_kv_get(sqlite3 *db, const char *key);
/* Delete a key of the kv table (absent is fine). 0 or negative. */
int db_kv_del(sqlite3 *db, const char *key);
/* For one query with one text parameter ?1 (NULL binds NULL): 1 when it
 * gives a row, 0 when not, negative on error. */
int db_has_row(sqlite3 *db, const char *sql, const char *param);
/* Column 0 of its first row as a new string (caller frees); NULL when no
 * row, SQL NULL, or an error. */
char *db_text_dup(sqlite3 *db, const char *sql, const char *param);
int db_kv_set(sqlite3 *db, const char *key, const char *value);
/* Keep value for key in memory, to be written with the connection's next
 * db_kv_set of that key, by db_kv_flush, or at db_close; db_kv_get sees
 * it at once (one key at a time: another key's kept value is written
 * first). For a value a crash may lose: the sync token after a batch that
 * changed nothing else (bot/sync.c). 0 or negative. */
int db_kv_set_later(sqlite3 *db, const char *key, const char *value);
/* Write the value kept for later, if any. 0 or negative. */
int db_kv_flush(sqlite3 *db);

#endif
