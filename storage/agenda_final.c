#include "storage/agenda_final.h"

#include "storage/db.h"

/* 1 with *at when the meeting's agenda is final, 0 when it is not (or
 * there is no such meeting). */
int agenda_final_at(sqlite3 *db, long long meeting_id, long long *at)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT agenda_final_at FROM meetings WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	int rc = sqlite3_step(st), res;
	if (rc == SQLITE_ROW) {
		res = sqlite3_column_type(st, 0) != SQLITE_NULL;
		if (res && at)
			*at = sqlite3_column_int64(st, 0);
	} else {
		res = rc == SQLITE_DONE ? 0 : -1;
	}
	db_done(st);
	return res;
}

/* at > 0 finalises the agenda at that instant; at <= 0 opens it again. */
int agenda_set_final(sqlite3 *db, long long meeting_id, long long at)
{
	if (at <= 0)
		return db_execf(db, "UPDATE meetings SET agenda_final_at = NULL WHERE id = ?1",
				"i", (sqlite3_int64)meeting_id);
	return db_execf(db, "UPDATE meetings SET agenda_final_at = ?2 WHERE id = ?1",
			"ii", (sqlite3_int64)meeting_id, (sqlite3_int64)at);
}
