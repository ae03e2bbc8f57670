/* meetings: the meetings of a network (table meetings, migration 1).
 *
 * A meeting has a short id that is stable per network (db_next_id "meeting"),
 * a start as UTC seconds, a duration in minutes and a state:
 * planned -> open -> closed, or cancelled. Cancelled meetings keep their row.
 * The rrule and series_id columns are there for recurring meetings; nothing
 * here fills them yet.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_MEETINGS_H
#define WT_STORAGE_MEETINGS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum meeting_state {
	MEETING_PLANNED = 0,
	MEETING_OPEN = 1,
	MEETING_CLOSED = 2,
	MEETING_CANCELLED = 3,
};

struct wt_meeting {
	long long id;            /* row id (agenda_items.meeting_id) */
	long long short_id;      /* what people type */
	char *network;
	char *title;
	char *room;              /* or NULL */
	char *place;             /* or NULL */
	char *rrule;             /* recurrence rule, or NULL */
	long long series_id;     /* row id of the series' first meeting, or 0 */
	time_t starts_at;        /* UTC */
	int duration_min;
	enum meeting_state state;
	char *created_by;        /* or NULL */
	time_t created_at;
	int ics_sequence;        /* changes a calendar must take: 0, 1, ... */
};

/* The state's name as stored ("planned", ...), and back (-1 if unknown). */
const char *meeting_state_name(enum meeting_state s);
int meeting_state_parse(const char *s);

/* Insert m (network, title, starts_at, duration_min and created_at must be
 * set; room, place, created_by may be NULL) with a new short id; fills m->id
 * and m->short_id. Returns 0 or negative. */
int meeting_create(sqlite3 *db, struct wt_meeting *m);

/* The meeting with this short id in network. */
int meeting_by_short_id(sqlite3 *db, const char *network, long long short_id,
			struct wt_meeting *out);
/* The meeting with this row id. */
int meeting_by_id(sqlite3 *db, long long id, struct wt_meeting *out);

/* The next meeting people should know about: the first planned or open one
 * that has not ended by now (a running meeting counts). */
int meeting_next(sqlite3 *db, const char *network, time_t now,
		 struct wt_meeting *out);
/* The first planned meeting starting after `after`, other than the meeting
 * with row id exclude (0 = none): where new and deferred agenda items go. */
int meeting_next_after(sqlite3 *db, const char *network, time_t after,
		       long long exclude, struct wt_meeting *out);

/* Planned or open meetings that have not ended by now, by start; at most
 * max of them. *v is an array the caller frees with meeting_list_free.
 * Returns the count, or negative. */
int meeting_list_upcoming(sqlite3 *db, const char *network, time_t now,
			  size_t max, struct wt_meeting **v);
/* One page of them: at most limit after offset; *total gets how many
 * there are in all. */
int meeting_list_upcoming_page(sqlite3 *db, const char *network, time_t now,
			       long long limit, long long offset,
			       struct wt_meeting **v, long long *total);
/* Planned meetings that ended before now without being opened (the bot
 * did not see them run), the latest first; at most max. */
int meeting_list_unopened(sqlite3 *db, const char *network, time_t now,
			  size_t max, struct wt_meeting **v);
void meeting_list_free(struct wt_meeting *v, size_t n);

/* Change the start of a meeting (row id). */
int meeting_set_start(sqlite3 *db, long long id, time_t starts_at);
/* Change the state of a meeting; `at` fills opened_at/closed_at when the new
 * state is open/closed. */
int meeting_set_state(sqlite3 *db, long long id, enum meeting_state s, time_t at);

/* Number of meetings stored for network (any state), or negative. */
long long meeting_count(sqlite3 *db, const char *network);

/* Free the strings of m (not m itself) and zero it. */
void meeting_free(struct wt_meeting *m);

#endif
