/* The agenda_final_at column of meetings (see storage/agenda_final.h). */
#include "storage/agenda_final.h"

#include "storage/db.h"

int agenda_final_at(sqlite3 *db, long long meeting_id, long long *at)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT agenda_final_at FROM meetings"
				      " WHERE id = ?1 AND agenda_final_at IS NOT NULL");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	long long v = 0;
	int rc = db_step_one(st, &v);
	if (rc == 1 && at)
		*at = v;
	return rc;
}

int agenda_set_final(sqlite3 *db, long long meeting_id, long long at)
{
	return db_execf(db, "UPDATE meetings SET agenda_final_at = ?1 WHERE id = ?2", "ii",
			(sqlite3_int64)at, (sqlite3_int64)meeting_id);
}
