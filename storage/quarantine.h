/* quarantine: events whose handling failed hard, skipped for good (see
 * bot/poison.h). An event id here counts as handled. */
#ifndef WT_STORAGE_QUARANTINE_H
#define WT_STORAGE_QUARANTINE_H

#include <sqlite3.h>

/* Record event_id (once; a second call changes nothing). 0 or negative. */
int quarantine_add(sqlite3 *db, const char *event_id, const char *room_id,
		   const char *sender, const char *reason, long long at);

/* 1 when event_id is quarantined, 0 when not, negative on error. */
int quarantine_has(sqlite3 *db, const char *event_id);

#endif
