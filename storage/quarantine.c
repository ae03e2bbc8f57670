/* The quarantine table (see storage/quarantine.h). */
#include "storage/quarantine.h"

#include "storage/db.h"

int quarantine_add(sqlite3 *db, const char *event_id, const char *room_id,
		   const char *sender, const char *reason, long long at)
{
	return db_execf(db, "INSERT INTO quarantine(event_id, room_id, sender,"
			" reason, quarantined_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			" ON CONFLICT(event_id) DO NOTHING", "tttti", event_id,
			room_id, sender, reason, (sqlite3_int64)at);
}

int quarantine_has(sqlite3 *db, const char *event_id)
{
	return db_has_row(db, "SELECT 1 FROM quarantine WHERE event_id = ?1", event_id);
}
