/* reminder_dirty: the sources of generated reminders changed since their
 * reminders were last generated, as recorded by the triggers of schema
 * migration 24 (every writer of a source table records, none can forget),
 * and the cheap lists a full regeneration walks (open sources only). */
#ifndef WT_STORAGE_REMINDER_DIRTY_H
#define WT_STORAGE_REMINDER_DIRTY_H

#include <sqlite3.h>
#include <stddef.h>

/* One changed source: family "meeting", "actionline", "advice", "action",
 * or "*" (ref_id 0: the whole network); network "*": every network. */
struct reminder_dirty {
	char *network;
	char *family;
	long long ref_id;
};

/* The changed sources of network (NULL: of every network, "*" rows
 * included), in a fixed order; count or negative. Free with
 * reminder_dirty_free. */
int reminder_dirty_list(sqlite3 *db, const char *network, struct reminder_dirty **v);
void reminder_dirty_free(struct reminder_dirty *v, size_t n);
/* Forget the changed sources of network (NULL: all). 0 or negative. */
int reminder_dirty_clear(sqlite3 *db, const char *network);
/* 1 when any source is waiting, 0 when none, negative on error. */
int reminder_dirty_any(sqlite3 *db);

/* Row ids of the network's action lines that are not done, of its open
 * actions with a due date, in id order; count or negative (free *ids). */
int reminder_open_lines(sqlite3 *db, const char *network, long long **ids);
int reminder_open_actions(sqlite3 *db, const char *network, long long **ids);

#endif
