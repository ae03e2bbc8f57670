/* minutes: meeting mode's storage (migration 8) — a meeting's run, who
 * spoke while it ran, and the items logged by message.
 *
 * A run is a meeting while it is open in one room: the agenda item being
 * discussed now, who opened it and when. At most one run per room is open
 * (a unique index says so). While a run is open every sender in its room is
 * noted as an attendee.
 *
 * Logged items (table logged_items) are decisions, action items and notes.
 * Decisions and actions get a short id per network (db_next_id "decision" /
 * "action"); notes have none. Each item remembers the message it came from
 * (event_id) and its place in that message (part, 0-based), so that an edit
 * of the message updates it and a redaction removes it.
 * storage/decisions.h and storage/actions.h hold the queries of the
 * register and the action list.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_MINUTES_H
#define WT_STORAGE_MINUTES_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

struct wt_run {
	long long meeting_id;    /* row id of the meeting */
	char *network;
	char *room;
	long long current_item;  /* agenda item row id, 0 = none */
	char *opened_by;
	time_t opened_at;
	time_t closed_at;        /* 0 while open */
};

/* Open a run (all fields but closed_at set). Returns RUN_START_OK,
 * RUN_START_EDB on a database error, RUN_START_ALREADY_OPEN when the room
 * already has an open run. */
enum { RUN_START_OK = 0, RUN_START_EDB = -1, RUN_START_ALREADY_OPEN = -2 };
int run_start(sqlite3 *db, const struct wt_run *r);
/* The open run in room. */
int run_open_in_room(sqlite3 *db, const char *room, struct wt_run *out);
/* The run (open or closed) of meeting (row id). */
int run_of_meeting(sqlite3 *db, long long meeting_id, struct wt_run *out);
/* The most recently opened run of network. */
int run_latest(sqlite3 *db, const char *network, struct wt_run *out);
/* The planned meeting of network whose start is nearest now, within
 * `window` seconds either side: 1 and its row id in *meeting_id, or 0. */
int run_nearest_planned(sqlite3 *db, const char *network, time_t now, long window,
			long long *meeting_id);
int run_set_item(sqlite3 *db, long long meeting_id, long long item_id);
int run_close(sqlite3 *db, long long meeting_id, time_t at);
void run_free(struct wt_run *r);

/* Note that user spoke in the meeting (first time at `at`; later ones
 * count). */
int attendee_note(sqlite3 *db, long long meeting_id, const char *user, time_t at);
/* The meeting's attendees in the order they first spoke; *v is a
 * NULL-terminated array the caller frees with attendees_free. Returns the
 * count or negative. */
int attendees_list(sqlite3 *db, long long meeting_id, char ***v);
void attendees_free(char **v);

enum logged_kind { LOGGED_DECISION = 0, LOGGED_ACTION = 1, LOGGED_NOTE = 2 };

struct wt_logged {
	long long id;             /* row id */
	long long short_id;       /* decisions and actions; 0 for notes */
	char *network;
	enum logged_kind kind;
	long long meeting_id;     /* row id, 0 = none (standalone decision) */
	long long agenda_item_id; /* row id, 0 = none */
	char *text;
	char *owner;              /* actions: the owner's user id */
	time_t due_at;            /* actions: 0 = no due date */
	time_t done_at;           /* actions: 0 = open */
	char *done_by;
	long long action_line;    /* short id of an action line named (AL2), or 0 */
	long long advice;         /* short id of an advice request named (A12), or 0 */
	char *logged_by;
	char *room;
	char *event_id;           /* the message it came from, or NULL */
	int part;                 /* its place among the items of that message */
	time_t created_at;
	time_t edited_at;         /* 0 = never edited */
};

/* The kind's stored name ("decision", ...). */
const char *logged_kind_name(enum logged_kind k);

/* Insert it (network, kind, text, logged_by, created_at required; owner for
 * actions) with a new short id for decisions and actions; fills id and
 * short_id. */
int logged_add(sqlite3 *db, struct wt_logged *it);
/* Store it's text, owner, due_at, action_line, advice and edited_at. */
int logged_update(sqlite3 *db, const struct wt_logged *it);
int logged_delete(sqlite3 *db, long long id);

int logged_by_id(sqlite3 *db, long long id, struct wt_logged *out);
int logged_by_short_id(sqlite3 *db, const char *network, enum logged_kind kind,
		       long long short_id, struct wt_logged *out);
/* The last item user logged in network (the one !ongedaan removes). */
int logged_last_by(sqlite3 *db, const char *network, const char *user,
		   struct wt_logged *out);

/* Lists: the count or negative; free with logged_list_free. */
/* The items that came from one message, by part. */
int logged_by_event(sqlite3 *db, const char *event_id, struct wt_logged **v);
/* The items of a meeting, in the order they were logged. */
int logged_of_meeting(sqlite3 *db, long long meeting_id, struct wt_logged **v);
void logged_list_free(struct wt_logged *v, size_t n);
void logged_free(struct wt_logged *it);

/* Shared by storage/decisions.c and storage/actions.c: the columns every
 * list selects (prefix "l."), a row into out, and running a prepared list
 * query. */
#define LOGGED_COLS \
	"l.id, l.short_id, l.network, l.kind, l.meeting_id, l.agenda_item_id," \
	" l.text, l.owner, l.due_at, l.done_at, l.done_by, l.action_line," \
	" l.advice, l.logged_by, l.room, l.event_id, l.part, l.created_at," \
	" l.edited_at"
void logged_from_row(sqlite3_stmt *st, struct wt_logged *out);
/* Move item id to part (its place among the tags of its message). */
int logged_set_part(sqlite3 *db, long long id, int part);
int logged_collect(sqlite3_stmt *st, struct wt_logged **v);

#endif
