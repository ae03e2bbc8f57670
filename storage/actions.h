/* actions: action items — queries and changes over the actions in
 * logged_items (storage/minutes.h holds the table and the item type).
 *
 * An action has an owner, a text, an optional due time (UTC) and is open
 * until marked done. Owners get a reminder on the due date (the "action."
 * reminder family, handlers/action.c). */
#ifndef WT_STORAGE_ACTIONS_H
#define WT_STORAGE_ACTIONS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "storage/minutes.h"

/* Open actions of network: those of `first` (a user id, or NULL) first,
 * then by due time (none last), then by short id. Count or negative; free
 * with logged_list_free. */
int actions_open(sqlite3 *db, const char *network, const char *first,
		 struct wt_logged **v);
/* One page of actions_open: at most limit rows after offset; *total gets
 * how many open actions there are in all, counted up to count_limit (> 0;
 * else all). */
int actions_open_page(sqlite3 *db, const char *network, const char *first,
		      long long limit, long long offset, long long count_limit,
		      struct wt_logged **v, long long *total);
/* Actions carried over into a meeting that opened at `opened_at`: logged
 * before then, outside that meeting (meeting_id row id), and not done by
 * then; by short id. */
int actions_carried(sqlite3 *db, const char *network, long long meeting_id,
		    time_t opened_at, struct wt_logged **v);
/* Every action of network with a due time (open or done), for the reminder
 * generator. */
int actions_with_due(sqlite3 *db, const char *network, struct wt_logged **v);

/* Mark done by `by` at `at` (or open again with by NULL and at 0). */
int actions_set_done(sqlite3 *db, long long id, const char *by, time_t at);
/* A new due time (0 = none). */
int actions_set_due(sqlite3 *db, long long id, time_t due);

#endif
