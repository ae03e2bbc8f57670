/* reminders: every reminder the bot sends, stored with its due time (UTC).
 *
 * Two sorts share the table:
 * - set by people (kind "personal" or "room"): short_id per network, owner,
 *   text, optionally a recurrence (rrule, evaluated in tz);
 * - generated from other data (kind "meeting.agenda_call",
 *   "actionline.quarter", "advice.deadline_week", ...): ref_id names the
 *   object, source_key is a stable unique key such as
 *   "meeting:12:agenda_call", and the text is written when it fires, from the
 *   data as it is then (handlers/reminder_kinds.h).
 * A reminder targets a person (to_user, by direct message) or a room. */
#ifndef WT_STORAGE_REMINDERS_H
#define WT_STORAGE_REMINDERS_H

#include <sqlite3.h>
#include <time.h>

/* Create or update the generated reminder source_key: a pending one gets the
 * new due time and targets; a fired one is pending again only when due
 * changed and lies after now (the object moved); a cancelled one is revived
 * the same way. Returns 0 or negative. */
int reminders_upsert_generated(sqlite3 *db, const char *network,
			       const char *source_key, const char *kind,
			       long long ref_id, const char *to_user,
			       const char *room_id, time_t due, time_t now);

/* Cancel every pending generated reminder whose source_key starts with
 * prefix (e.g. "meeting:12:" when meeting 12 is cancelled). Returns the number
 * cancelled, or negative. */
int reminders_cancel_generated(sqlite3 *db, const char *source_key_prefix);

/* The earliest pending due time; returns 1 and sets *due, 0 when none. */
int reminders_next_due(sqlite3 *db, time_t *due);

#endif
