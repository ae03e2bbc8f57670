/* series: recurring meetings. The first meeting of a series (its head)
 * carries the RRULE and has series_id = its own id; every occurrence is a
 * meeting row of its own with the head's id in series_id, so one
 * occurrence can be moved or cancelled without touching the rest. */
#ifndef WT_STORAGE_SERIES_H
#define WT_STORAGE_SERIES_H

#include <sqlite3.h>
#include <time.h>

/* Make meeting id the head of a series with rrule. Returns 0 or negative. */
int series_mark_head(sqlite3 *db, long long id, const char *rrule);
/* Meetings of the series (head included, any state), or negative. */
int series_count(sqlite3 *db, long long head_id);
/* Row ids of the heads of running series in network (rrule set); count or
 * negative; free(*ids). */
int series_head_ids(sqlite3 *db, const char *network, long long **ids);
/* Row ids of the planned meetings of the series starting after `after`;
 * count or negative; free(*ids). */
int series_planned_after(sqlite3 *db, long long head_id, time_t after, long long **ids);
/* Stop the series: no more occurrences are planned. */
int series_end(sqlite3 *db, long long head_id);

#endif
