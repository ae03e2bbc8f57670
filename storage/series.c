/* series: recurring meetings in the meetings table (rrule, series_id). */
#include "storage/series.h"

#include <stdlib.h>

#include "lib/strbuf.h"
#include "storage/db.h"

int series_mark_head(sqlite3 *db, long long id, const char *rrule)
{
	return db_execf(db, "UPDATE meetings SET rrule = ?1, series_id = ?2 WHERE id = ?2",
			"ti", rrule, (sqlite3_int64)id);
}

int series_count(sqlite3 *db, long long head_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM meetings WHERE series_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, head_id);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	db_done(st);
	return n;
}

int series_head_ids(sqlite3 *db, const char *network, long long **ids)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM meetings WHERE network = ?1"
				      " AND rrule IS NOT NULL AND series_id = id ORDER BY id");
	if (st)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	return db_collect_ids(st, ids);
}

int series_planned_after(sqlite3 *db, long long head_id, time_t after, long long **ids)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM meetings WHERE series_id = ?1"
				      " AND state = 'planned' AND starts_at > ?2 ORDER BY starts_at");
	if (st) {
		sqlite3_bind_int64(st, 1, head_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)after);
	}
	return db_collect_ids(st, ids);
}

int series_end(sqlite3 *db, long long head_id)
{
	return db_execf(db, "UPDATE meetings SET rrule = NULL WHERE id = ?1", "i",
			(sqlite3_int64)head_id);
}
