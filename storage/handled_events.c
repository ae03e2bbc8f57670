/* handled_events: what the bot has dealt with (see handled_events.h). */
#include "storage/handled_events.h"

#include "storage/db.h"

int handled_event_has(sqlite3 *db, const char *event_id)
{
	return db_has_row(db, "SELECT 1 FROM handled_events WHERE event_id = ?1",
			  event_id);
}

int handled_or_quarantined(sqlite3 *db, const char *event_id)
{
	return db_has_row(db, "SELECT 1 FROM handled_events WHERE event_id = ?1"
			  " UNION ALL SELECT 1 FROM quarantine WHERE event_id = ?1",
			  event_id);
}

int handled_event_add(sqlite3 *db, const char *event_id, const char *room_id,
		      long long now, int once)
{
	int rc = once
		? db_execf(db, "INSERT OR IGNORE INTO handled_events(event_id,"
			   " room_id, handled_at) VALUES (?1, ?2, ?3)", "tti",
			   event_id, room_id, (sqlite3_int64)now)
		: db_execf(db, "INSERT INTO handled_events(event_id, room_id,"
			   " handled_at) VALUES (?1, ?2, ?3)", "tti", event_id,
			   room_id, (sqlite3_int64)now);
	return rc < 0 ? rc : sqlite3_changes(db);
}

int handled_events_prune(sqlite3 *db, long long before)
{
	return db_execf(db, "DELETE FROM handled_events WHERE handled_at < ?1", "i",
			(sqlite3_int64)before);
}
