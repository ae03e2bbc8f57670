/* agenda: agenda items (table agenda_items, migration 1).
 *
 * An item has a short id stable per network (db_next_id "agenda"), belongs to
 * one meeting or to none (meeting_id 0: "unassigned", waiting for the next
 * meeting to be planned), and has a state:
 *   proposed -> accepted -> discussed, or deferred (moved to a later meeting,
 *   waiting there to be accepted again), or withdrawn (by its proposer or
 *   the secretary), or refused (by the secretary, with a reason; stored as
 *   withdrawn with its refusal, migration 29).
 * position orders the items of one meeting; the agenda numbers the items on
 * it (accepted or discussed) 1..n in that order; proposed and deferred ones
 * are listed apart.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_AGENDA_H
#define WT_STORAGE_AGENDA_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum agenda_state {
	AGENDA_PROPOSED = 0,
	AGENDA_ACCEPTED = 1,
	AGENDA_DISCUSSED = 2,
	AGENDA_DEFERRED = 3,
	AGENDA_WITHDRAWN = 4,
	AGENDA_REFUSED = 5,      /* stored as 'withdrawn' with a refusal */
};

struct wt_agenda_item {
	long long id;            /* row id */
	long long short_id;      /* what people type */
	char *network;
	long long meeting_id;    /* row id of the meeting, 0 = unassigned */
	int position;
	char *title;
	char *theme;             /* each of these four may be NULL */
	char *why;
	char *what;
	char *how;
	char *proposer;          /* user id */
	enum agenda_state state;
	time_t created_at;
	char *event_id;          /* the message that proposed it, or NULL */
	char *refusal;           /* why it was refused (AGENDA_REFUSED), or NULL */
};

/* The state's stored name ("proposed", ...), and back (-1 if unknown). */
const char *agenda_state_name(enum agenda_state s);
int agenda_state_parse(const char *s);
/* 1 for the states an item is in while it still waits to be discussed. */
int agenda_state_open(enum agenda_state s);

/* Insert it (network, title, proposer, created_at required; meeting_id 0 =
 * unassigned) with a new short id, at the end of its meeting's list; fills
 * id, short_id and position. */
int agenda_create(sqlite3 *db, struct wt_agenda_item *it);

int agenda_by_short_id(sqlite3 *db, const char *network, long long short_id,
		       struct wt_agenda_item *out);

/* The items of meeting (row id), or the unassigned items of network when
 * meeting_id is 0, ordered by position. Returns the count or negative;
 * free with agenda_list_free. */
int agenda_list(sqlite3 *db, const char *network, long long meeting_id,
		struct wt_agenda_item **v);
/* One page of what the agenda of meeting (0: the unassigned items) shows:
 * the items on the agenda (accepted, discussed) by position, then the
 * proposals and deferred ones; withdrawn ones left out. At most limit after
 * offset; *total gets all such items, *on_agenda those on the agenda. */
int agenda_list_page(sqlite3 *db, const char *network, long long meeting_id,
		     long long limit, long long offset, struct wt_agenda_item **v,
		     long long *total, long long *on_agenda);
void agenda_list_free(struct wt_agenda_item *v, size_t n);

/* Count a meeting's items on the agenda (accepted or discussed) and its
 * waiting ones (proposed or deferred). */
int agenda_count(sqlite3 *db, long long meeting_id, int *accepted, int *waiting);

/* Accept an item: state accepted, placed after the meeting's last item on
 * the agenda. *number receives its number on the agenda (1-based). */
int agenda_accept(sqlite3 *db, const struct wt_agenda_item *it, int *number);
/* An accepted item came up in its meeting: state discussed (its number on
 * the agenda stays). Other states are left alone. */
int agenda_mark_discussed(sqlite3 *db, long long item_id);
/* Move an item to meeting_id (0 = unassigned) at the end of its list, with
 * state s. */
int agenda_move(sqlite3 *db, long long item_id, const char *network,
		long long meeting_id, enum agenda_state s);
/* Give an item on the agenda number pos (1..n) among its meeting's items on
 * the agenda, renumbering the others. Returns AGENDA_ORDER_OK,
 * AGENDA_ORDER_EDB on a database error, or AGENDA_ORDER_BAD_POS when pos
 * is out of range (*n always receives n). */
enum { AGENDA_ORDER_OK = 0, AGENDA_ORDER_EDB = -1, AGENDA_ORDER_BAD_POS = -2 };
int agenda_order(sqlite3 *db, const struct wt_agenda_item *it, int pos, int *n);

/* Move every open item (proposed, accepted, deferred) of meeting from_id to
 * to_id (0 = unassigned) as proposed; returns how many moved, or negative.
 * Used when a meeting is cancelled. */
int agenda_move_open(sqlite3 *db, const char *network, long long from_id,
		     long long to_id);

/* Take an item off: withdrawn (refusal NULL), or refused with that
 * reason. Either way it leaves the agenda and its lists. */
int agenda_close(sqlite3 *db, long long item_id, const char *refusal);
/* Store the item's title, theme, why, what and how (the last four may be NULL). */
int agenda_update_text(sqlite3 *db, const struct wt_agenda_item *it);

void agenda_item_free(struct wt_agenda_item *it);

#endif
