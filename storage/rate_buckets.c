/* rate_buckets: the rate limit's buckets (see rate_buckets.h). */
#include "storage/rate_buckets.h"

#include "storage/db.h"

/* The TEMP table, made on first use per connection. */
static int ensure_table(sqlite3 *db)
{
	return db_execf(db, "CREATE TEMP TABLE IF NOT EXISTS rate_buckets ("
			" sender TEXT PRIMARY KEY, credit INTEGER NOT NULL,"
			" last_ms INTEGER NOT NULL, held INTEGER NOT NULL)"
			" WITHOUT ROWID", "");
}

int rate_bucket_get(sqlite3 *db, const char *sender, long long *credit,
		    long long *last_ms, long long *held)
{
	if (ensure_table(db) < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "SELECT credit, last_ms, held FROM"
				      " temp.rate_buckets WHERE sender = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sender, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*credit = sqlite3_column_int64(st, 0);
		*last_ms = sqlite3_column_int64(st, 1);
		*held = sqlite3_column_int64(st, 2);
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int rate_bucket_put(sqlite3 *db, const char *sender, long long credit,
		    long long last_ms, long long held)
{
	return db_execf(db, "INSERT OR REPLACE INTO temp.rate_buckets(sender,"
			" credit, last_ms, held) VALUES (?1, ?2, ?3, ?4)", "tiii",
			sender, (sqlite3_int64)credit, (sqlite3_int64)last_ms,
			(sqlite3_int64)held);
}
