/* handled_events: the events the bot has dealt with (answered, skipped as
 * its own answer's command, or quarantined: storage/quarantine.h), so a
 * sync that brings them again does nothing twice. */
#ifndef WT_STORAGE_HANDLED_EVENTS_H
#define WT_STORAGE_HANDLED_EVENTS_H

#include <sqlite3.h>

/* 1 when event_id was handled, 0 when not, negative on error. */
int handled_event_has(sqlite3 *db, const char *event_id);
/* 1 when event_id was handled or is quarantined, 0 when not, negative on
 * error. */
int handled_or_quarantined(sqlite3 *db, const char *event_id);
/* Record event_id of room_id as handled at now (Unix seconds); a second
 * call for it is an error (a constraint) with once == 0, nothing with
 * once == 1. Returns the rows added (0 or 1), or negative. */
int handled_event_add(sqlite3 *db, const char *event_id, const char *room_id,
		      long long now, int once);
/* Forget the events handled before the time before (Unix seconds). */
int handled_events_prune(sqlite3 *db, long long before);

#endif
