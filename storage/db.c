#include "storage/db.h"
#include "storage/backup.h"
#include "storage/db_cache.h"
#include "storage/db_fault.h"
#include "storage/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/private_file.h"

int db_user_version(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version");
	int v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	db_done(st);
	return v;
}

int db_schema_latest(void)
{
	int n;
	schema_migrations(&n);
	return n;
}

int schema_apply(sqlite3 *db, const char *const *list, int n, int target,
		 struct strbuf *err)
{
	int v = db_user_version(db);
	if (v < 0) {
		sb_addf(err, "cannot read schema version: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (v > n) {
		sb_addf(err, "the database has schema version %d, newer than this "
			"werktafel (version %d); use a newer werktafel or another "
			"database", v, n);
		return -1;
	}
	for (; v < target && v < n; v++) {
		char *msg = NULL;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK
		    || sqlite3_exec(db, list[v], NULL, NULL, &msg) != SQLITE_OK
		    || sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK
		    || sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			sb_addf(err, "migration %d failed: %s", v + 1,
				msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			if (!sqlite3_get_autocommit(db))
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	return 0;
}

int db_migrate_to(sqlite3 *db, int target, struct strbuf *err)
{
	int n;
	const char *const *list = schema_migrations(&n);
	return schema_apply(db, list, n, target, err);
}

/* A failed step of db_open: a storage fault gets its advice (the one
 * message the caller prints), anything else SQLite's message. */
static void open_error(sqlite3 *db, int rc, const char *path, const char *what,
		       const char *msg, struct strbuf *err)
{
	enum db_fault f = db_fault_of(rc);
	if (f != DB_FAULT_NONE)
		db_fault_text(f, msg, err);
	else
		sb_addf(err, "%s: %s: %s", path, what, msg ? msg : sqlite3_errstr(rc));
}

/* The first problem PRAGMA quick_check finds, or NULL when it says "ok";
 * *rc is set when the check itself fails (a page it cannot read). Its
 * "NULL value in T.C" rows are skipped: SQLite 3.40 reports them wrongly
 * for WITHOUT ROWID tables (room_power), and a damaged page shows as the
 * page or tree errors anyway. */
static char *quick_check(sqlite3 *db, int *rc)
{
	sqlite3_stmt *st = NULL;
	char *bad = NULL;
	*rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(100)", -1, &st, NULL);
	int step = SQLITE_DONE;
	while (*rc == SQLITE_OK && !bad && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (!v || (strcmp(v, "ok") != 0 && strncmp(v, "NULL value in ", 14) != 0))
			bad = xstrdup(v ? v : "?");
	}
	if (*rc == SQLITE_OK && !bad && step != SQLITE_DONE)
		*rc = sqlite3_extended_errcode(db);
	if (*rc != SQLITE_OK && !bad)
		bad = xstrdup(sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return bad;
}

/* The -wal and -shm of an older, looser database tightened too. */
static void private_tighten_journals(const char *path)
{
	static const char *const tails[] = { "-wal", "-shm", "-journal", NULL };
	for (int i = 0; tails[i]; i++) {
		struct strbuf p = STRBUF_INIT;
		sb_addf(&p, "%s%s", path, tails[i]);
		private_tighten(p.buf);
		sb_release(&p);
	}
}

/* Open, configure and check the database; negative with a message in err
 * when it cannot be used. */
static int open_checked(const char *path, sqlite3 **out, struct strbuf *err)
{
	sqlite3 *db = NULL;
	int on_disk = path[0] && strcmp(path, ":memory:") != 0
		&& strncmp(path, "file:", 5) != 0;
	/* Created 0600 before SQLite opens it: SQLite gives the -wal and
	 * -shm it makes the database file's mode. */
	if (on_disk)
		private_create(path);
	/* No mutex of the connection's own: the bot uses it from its one
	 * loop thread only (the crypto store is another file, another
	 * library), and each API call would lock and unlock one. */
	int rc = sqlite3_open_v2(path, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
				 | SQLITE_OPEN_NOMUTEX, NULL);
	*out = db;
	if (rc != SQLITE_OK) {
		open_error(db, rc, path, "cannot open database",
			   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), err);
		return -1;
	}
	sqlite3_busy_handler(db, db_fault_busy, NULL);
	char *msg = NULL;
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL;"
			 "PRAGMA foreign_keys = ON;"
			 "PRAGMA synchronous = NORMAL;",
			 NULL, NULL, &msg) != SQLITE_OK) {
		open_error(db, sqlite3_extended_errcode(db), path,
			   "cannot configure database", msg, err);
		sqlite3_free(msg);
		return -1;
	}
	if (on_disk)
		private_tighten_journals(path);
	/* A write-protected file opens read-only without a word. */
	if (sqlite3_db_readonly(db, "main") == 1) {
		db_fault_text(DB_FAULT_READONLY, "read-only file", err);
		return -1;
	}
	if (strcmp(path, ":memory:") != 0) {
		char *bad = quick_check(db, &rc);
		if (bad) {
			if (rc == SQLITE_OK || db_fault_of(rc) == DB_FAULT_CORRUPT)
				db_fault_text(DB_FAULT_CORRUPT, bad, err);
			else
				open_error(db, rc, path, "cannot read database", bad, err);
			free(bad);
			return -1;
		}
	}
	int from = db_user_version(db);
	if (on_disk && from > 0 && from < db_schema_latest()) {
		struct strbuf why = STRBUF_INIT;
		int bad = db_backup_before_migration(db, path, from, NULL, &why) != BACKUP_DONE;
		if (bad)
			sb_addf(err, "%s: no migration without a backup first, and the "
				"backup failed: %s", path, why.buf);
		sb_release(&why);
		if (bad)
			return -1;
	}
	return db_migrate_to(db, db_schema_latest(), err);
}

int db_open(const char *path, sqlite3 **out, struct strbuf *err)
{
	sqlite3 *db = NULL;
	*out = NULL;
	db_fault_init();
	db_fault_set_path(path);
	db_fault_quiet(1);  /* the caller says what went wrong, once */
	int rc = open_checked(path, &db, err);
	db_fault_quiet(0);
	db_fault_reset();
	if (rc < 0) {
		if (db)
			db_cache_free(db);
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

/* The cached statements go first: a connection with statements left
 * would not close. */
void db_close(sqlite3 *db)
{
	if (db) {
		if (db_kv_flush(db) < 0)
			log_warn("a value kept for later could not be written");
		db_cache_free(db);   /* its read stretch flag with it */
	}
	if (sqlite3_close(db) != SQLITE_OK)
		log_warn("database left open: a statement was not given back");
	db_fault_set_path(NULL);
}

/* A statement failed: a storage fault is said once by db_fault (the SQL
 * only at debug level); anything else is a bug and shown as it is. */
static void sql_failed(sqlite3 *db, const char *what, const char *sql,
		       const char *msg)
{
	int rc = sqlite3_extended_errcode(db);
	if (db_fault_of(rc) != DB_FAULT_NONE) {
		db_fault_note(rc, msg);
		log_debug("sql%s%s: %s: %s", *what ? " " : "", what, msg ? msg : "?", sql);
		return;
	}
	fprintf(stderr, "werktafel: sql%s%s: %s: %s\n", *what ? " " : "", what,
		msg ? msg : "?", sql);
}

/* A transaction statement (BEGIN, COMMIT, SAVEPOINT x, ...) from the
 * statement cache: every command and sync batch runs several, and
 * sqlite3_exec would compile each anew. */
static int exec_simple(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = db_cache_get(db, sql);
	if (!st) {
		sql_failed(db, "", sql, sqlite3_errmsg(db));
		return -1;
	}
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		sql_failed(db, "", sql, sqlite3_errmsg(db));
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* End db's read stretch, if one is open: before anything that writes or
 * begins a transaction of its own. A read transaction commits even while
 * one of its statements is half stepped (that one reads on, in a read
 * transaction of its own). */
static void stretch_end(sqlite3 *db)
{
	struct db_conn *c = db_cache_conn(db);
	if (!c->stretch)
		return;
	c->stretch = 0;
	if (!sqlite3_get_autocommit(db) && exec_simple(db, "COMMIT") < 0)
		exec_simple(db, "ROLLBACK");
}

int db_begin(sqlite3 *db)
{
	stretch_end(db);
	return exec_simple(db, "BEGIN IMMEDIATE");
}

int db_read_begin(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		return 0;
	if (exec_simple(db, "BEGIN DEFERRED") < 0)
		return -1;
	db_cache_conn(db)->stretch = 1;
	return 1;
}

void db_read_end(sqlite3 *db, int began)
{
	if (began == 1)
		stretch_end(db);
}

/* A commit that works after a waiting fault (lock, full disk) ends it. */
int db_commit(sqlite3 *db)
{
	unsigned seq = db_fault_seq();
	if (exec_simple(db, "COMMIT") < 0)
		return -1;
	db_fault_write_ok(seq);
	return 0;
}

/* After a failed BEGIN or COMMIT there may be no transaction left. */
int db_rollback(sqlite3 *db)
{
	if (sqlite3_get_autocommit(db))
		return 0;
	return exec_simple(db, "ROLLBACK");
}

static int savepoint_cmd(sqlite3 *db, const char *verb, const char *name)
{
	/* name is always one of our own identifiers, never user data. */
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, verb);
	sb_add(&sb, name);
	int rc = exec_simple(db, sb.buf);
	sb_release(&sb);
	return rc;
}

int db_savepoint(sqlite3 *db, const char *name)
{
	stretch_end(db);   /* a savepoint in it would be the stretch's */
	return savepoint_cmd(db, "SAVEPOINT ", name);
}
int db_release(sqlite3 *db, const char *name) { return savepoint_cmd(db, "RELEASE ", name); }

int db_rollback_to(sqlite3 *db, const char *name)
{
	if (savepoint_cmd(db, "ROLLBACK TO ", name) < 0)
		return -1;
	return db_release(db, name);
}

/* A statement from the connection's cache (storage/db_cache.c): compiled
 * once, reset and with no bindings when handed out. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = db_cache_get(db, sql);
	if (!st)
		sql_failed(db, "prepare", sql, sqlite3_errmsg(db));
	else if (!sqlite3_stmt_readonly(st) && db_cache_conn(db)->stretch)
		stretch_end(db);   /* a write: in a transaction of its own */
	return st;
}

void db_done(sqlite3_stmt *st)
{
	db_cache_put(st);
}

int db_execf(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, types);
	for (int i = 0; types && types[i]; i++) {
		if (types[i] == 'i') {
			sqlite3_bind_int64(st, i + 1, va_arg(ap, sqlite3_int64));
		} else if (types[i] == 'd') {
			sqlite3_bind_double(st, i + 1, va_arg(ap, double));
		} else {
			const char *s = va_arg(ap, const char *);
			if (s)
				sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, i + 1);
		}
	}
	va_end(ap);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		sql_failed(db, "", sql, sqlite3_errmsg(db));
	db_done(st);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : -1;
}

long long db_next_id(sqlite3 *db, const char *network, const char *kind)
{
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO id_counters(network, kind, next) VALUES (?1, ?2, 2)"
		" ON CONFLICT(network, kind) DO UPDATE SET next = next + 1"
		" RETURNING next - 1");
	long long id = -1;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	db_done(st);
	return id;
}

/* The value kept for later (db_kv_set_later) goes when its key is
 * written or deleted. */
static void later_drop(struct db_conn *c)
{
	free(c->later_key);
	free(c->later_value);
	c->later_key = c->later_value = NULL;
}

static int is_later(struct db_conn *c, const char *key)
{
	return c->later_key && strcmp(c->later_key, key) == 0;
}

char *db_kv_get(sqlite3 *db, const char *key)
{
	struct db_conn *c = db_cache_conn(db);
	if (is_later(c, key))
		return xstrdup(c->later_value);
	return db_text_dup(db, "SELECT value FROM kv WHERE key = ?1", key);
}

int db_kv_set(sqlite3 *db, const char *key, const char *value)
{
	struct db_conn *c = db_cache_conn(db);
	if (is_later(c, key))
		later_drop(c);
	return db_execf(db, "INSERT INTO kv(key, value) VALUES (?1, ?2)"
			" ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			"tt", key, value);
}

int db_kv_set_later(sqlite3 *db, const char *key, const char *value)
{
	struct db_conn *c = db_cache_conn(db);
	if (c->later_key && !is_later(c, key) && db_kv_flush(db) < 0)
		return -1;
	if (!c->later_key)
		c->later_key = xstrdup(key);
	free(c->later_value);
	c->later_value = xstrdup(value);
	return 0;
}

int db_kv_flush(sqlite3 *db)
{
	struct db_conn *c = db_cache_conn(db);
	if (!c->later_key)
		return 0;
	char *key = c->later_key, *value = c->later_value;
	c->later_key = c->later_value = NULL;
	int rc = db_kv_set(db, key, value);
	free(key);
	free(value);
	return rc;
}

long long db_step_int(sqlite3_stmt *st)
{
	long long v = -1;
	return db_step_one(st, &v) == 1 ? v : -1;
}

int db_collect_ids(sqlite3_stmt *st, long long **ids)
{
	*ids = NULL;
	if (!st)
		return -1;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[n++] = sqlite3_column_int64(st, 0);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return -1;
	}
	return (int)n;
}

int db_step_one(sqlite3_stmt *st, long long *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int db_kv_del(sqlite3 *db, const char *key)
{
	struct db_conn *c = db_cache_conn(db);
	if (is_later(c, key))
		later_drop(c);
	return db_execf(db, "DELETE FROM kv WHERE key = ?1", "t", key);
}

int db_has_row(sqlite3 *db, const char *sql, const char *param)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

char *db_text_dup(sqlite3 *db, const char *sql, const char *param)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	char *v = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = db_col_dup(st, 0);
	db_done(st);
	return v;
}

char *db_col_dup(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return xstrdup((const char *)sqlite3_column_text(st, i));
}
