#include "storage/agenda.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

static const char *const state_names[] = {
	[AGENDA_PROPOSED] = "proposed",
	[AGENDA_ACCEPTED] = "accepted",
	[AGENDA_DISCUSSED] = "discussed",
	[AGENDA_DEFERRED] = "deferred",
	[AGENDA_WITHDRAWN] = "withdrawn",
};

/* Name of a state as the table's CHECK constraint spells it; a refused
 * item is stored withdrawn, with its refusal. */
const char *agenda_state_name(enum agenda_state s)
{
	if (s == AGENDA_REFUSED)
		return "withdrawn";
	if ((unsigned)s > AGENDA_WITHDRAWN)
		return "proposed";
	return state_names[s];
}

/* The state called s, or -1. */
int agenda_state_parse(const char *s)
{
	for (int i = 0; i <= AGENDA_WITHDRAWN; i++)
		if (s && strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

/* Items still to be discussed move along when their meeting goes away. */
int agenda_state_open(enum agenda_state s)
{
	return s == AGENDA_PROPOSED || s == AGENDA_ACCEPTED || s == AGENDA_DEFERRED;
}

#define ITEM_COLS \
	"id, short_id, network, meeting_id, position, title, theme, why, what," \
	" how, proposer, state, created_at, event_id, refusal"

/* Fill it from a row selected with ITEM_COLS. */
static void item_from_row(sqlite3_stmt *st, struct wt_agenda_item *it)
{
	memset(it, 0, sizeof *it);
	it->id = sqlite3_column_int64(st, 0);
	it->short_id = sqlite3_column_int64(st, 1);
	it->network = db_col_dup(st, 2);
	it->meeting_id = sqlite3_column_int64(st, 3);
	it->position = sqlite3_column_int(st, 4);
	it->title = db_col_dup(st, 5);
	it->theme = db_col_dup(st, 6);
	it->why = db_col_dup(st, 7);
	it->what = db_col_dup(st, 8);
	it->how = db_col_dup(st, 9);
	it->proposer = db_col_dup(st, 10);
	int s = agenda_state_parse((const char *)sqlite3_column_text(st, 11));
	it->state = s < 0 ? AGENDA_WITHDRAWN : (enum agenda_state)s;
	it->created_at = (time_t)sqlite3_column_int64(st, 12);
	it->event_id = db_col_dup(st, 13);
	it->refusal = db_col_dup(st, 14);
	if (it->state == AGENDA_WITHDRAWN && it->refusal)
		it->state = AGENDA_REFUSED;
}

/* Bind the meeting id, NULL for "unassigned". */
static void bind_meeting(sqlite3_stmt *st, int i, long long meeting_id)
{
	if (meeting_id > 0)
		sqlite3_bind_int64(st, i, meeting_id);
	else
		sqlite3_bind_null(st, i);
}

/* Every row of st (bound, ready to step) into *v; the count, or -1. */
static int agenda_collect(sqlite3_stmt *st, struct wt_agenda_item **v)
{
	size_t n = 0;
	struct wt_agenda_item *arr = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = xrealloc(arr, (n + 1) * sizeof *arr);
		item_from_row(st, &arr[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		agenda_list_free(arr, n);
		return -1;
	}
	*v = arr;
	return (int)n;
}

/* The position after the last item of a meeting (or of the network's
 * unassigned items); with accepted_only, after the last one on the agenda
 * (accepted or discussed). */
static int next_position(sqlite3 *db, const char *network, long long meeting_id,
			 int accepted_only)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT coalesce(max(position), 0) + 1 FROM agenda_items"
		" WHERE network = ?1 AND meeting_id IS ?2"
		" AND (?3 = 0 OR state IN ('accepted','discussed'))");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	bind_meeting(st, 2, meeting_id);
	sqlite3_bind_int(st, 3, accepted_only);
	int pos = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	db_done(st);
	return pos;
}

int agenda_create(sqlite3 *db, struct wt_agenda_item *it)
{
	int pos = next_position(db, it->network, it->meeting_id, 0);
	long long sid = db_next_id(db, it->network, "agenda");
	if (pos < 0 || sid < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO agenda_items(network, short_id, meeting_id, position,"
		" title, theme, why, what, how, proposer, state, created_at, event_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, it->network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sid);
	bind_meeting(st, 3, it->meeting_id);
	sqlite3_bind_int(st, 4, pos);
	sqlite3_bind_text(st, 5, it->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, it->theme, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, it->why, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, it->what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, it->how, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, it->proposer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, agenda_state_name(it->state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)it->created_at);
	sqlite3_bind_text(st, 13, it->event_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	it->id = sqlite3_last_insert_rowid(db);
	it->short_id = sid;
	it->position = pos;
	return 0;
}

int agenda_by_short_id(sqlite3 *db, const char *network, long long short_id,
		       struct wt_agenda_item *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " ITEM_COLS " FROM agenda_items"
				      " WHERE network = ?1 AND short_id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, short_id);
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		item_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int agenda_list(sqlite3 *db, const char *network, long long meeting_id,
		struct wt_agenda_item **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " ITEM_COLS " FROM agenda_items"
		" WHERE network = ?1 AND meeting_id IS ?2 ORDER BY position, short_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	bind_meeting(st, 2, meeting_id);
	return agenda_collect(st, v);
}

#define AGENDA_PAGE_WHERE " FROM agenda_items WHERE network = ?1" \
	" AND meeting_id IS ?2 AND state != 'withdrawn'"

int agenda_list_page(sqlite3 *db, const char *network, long long meeting_id,
		     long long limit, long long offset, struct wt_agenda_item **v,
		     long long *total, long long *on_agenda)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*), coalesce(sum(state IN"
		" ('accepted','discussed')), 0)" AGENDA_PAGE_WHERE);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	bind_meeting(st, 2, meeting_id);
	int rc = sqlite3_step(st);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	*on_agenda = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : -1;
	db_done(st);
	if (*total < 0)
		return -1;
	st = db_prepare(db, "SELECT " ITEM_COLS AGENDA_PAGE_WHERE
		" ORDER BY state NOT IN ('accepted','discussed'), position, short_id"
		" LIMIT ?3 OFFSET ?4");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	bind_meeting(st, 2, meeting_id);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	return agenda_collect(st, v);
}

void agenda_list_free(struct wt_agenda_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		agenda_item_free(&v[i]);
	free(v);
}

int agenda_count(sqlite3 *db, long long meeting_id, int *accepted, int *waiting)
{
	*accepted = *waiting = 0;
	sqlite3_stmt *st = db_prepare(db,
		"SELECT coalesce(sum(state IN ('accepted','discussed')), 0),"
		" coalesce(sum(state IN ('proposed','deferred')), 0)"
		" FROM agenda_items WHERE meeting_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*accepted = sqlite3_column_int(st, 0);
		*waiting = sqlite3_column_int(st, 1);
	}
	db_done(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Number of items on a meeting's agenda (accepted or discussed) placed
 * before position pos, or at it with a short id up to sid: the number the
 * agenda shows for that item. */
static int accepted_rank(sqlite3 *db, long long meeting_id, int pos, long long sid)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT count(*) FROM agenda_items WHERE meeting_id = ?1"
		" AND state IN ('accepted','discussed')"
		" AND (position < ?2 OR (position = ?2 AND short_id <= ?3))");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int(st, 2, pos);
	sqlite3_bind_int64(st, 3, sid);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	db_done(st);
	return n;
}

int agenda_accept(sqlite3 *db, const struct wt_agenda_item *it, int *number)
{
	int pos = next_position(db, it->network, it->meeting_id, 1);
	if (pos < 0)
		return -1;
	if (db_execf(db, "UPDATE agenda_items SET state = 'accepted', position = ?1"
		     " WHERE id = ?2", "ii", (sqlite3_int64)pos, (sqlite3_int64)it->id) < 0)
		return -1;
	*number = accepted_rank(db, it->meeting_id, pos, it->short_id);
	return *number < 0 ? -1 : 0;
}

int agenda_mark_discussed(sqlite3 *db, long long item_id)
{
	return db_execf(db, "UPDATE agenda_items SET state = 'discussed'"
			" WHERE id = ?1 AND state = 'accepted'", "i", (sqlite3_int64)item_id);
}

int agenda_move(sqlite3 *db, long long item_id, const char *network,
		long long meeting_id, enum agenda_state s)
{
	int pos = next_position(db, network, meeting_id, 0);
	if (pos < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "UPDATE agenda_items SET meeting_id = ?1,"
				      " position = ?2, state = ?3 WHERE id = ?4");
	if (!st)
		return -1;
	bind_meeting(st, 1, meeting_id);
	sqlite3_bind_int(st, 2, pos);
	sqlite3_bind_text(st, 3, agenda_state_name(s), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, item_id);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int agenda_order(sqlite3 *db, const struct wt_agenda_item *it, int pos, int *n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM agenda_items"
		" WHERE meeting_id = ?1 AND state IN ('accepted','discussed')"
		" ORDER BY position, short_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, it->meeting_id);
	long long *ids;
	int got = db_collect_ids(st, &ids);
	*n = got < 0 ? 0 : got;
	if (got < 0)
		return AGENDA_ORDER_EDB;
	size_t cnt = (size_t)got;
	if (pos < 1 || (size_t)pos > cnt) {
		free(ids);
		return AGENDA_ORDER_BAD_POS;
	}
	/* Take the item out and put it back at index pos-1. */
	size_t from = cnt;
	for (size_t i = 0; i < cnt; i++)
		if (ids[i] == it->id)
			from = i;
	if (from == cnt) {
		free(ids);
		return -1;
	}
	long long moving = ids[from];
	memmove(&ids[from], &ids[from + 1], (cnt - from - 1) * sizeof *ids);
	memmove(&ids[pos], &ids[pos - 1], (cnt - (size_t)pos) * sizeof *ids);
	ids[pos - 1] = moving;
	int res = 0;
	for (size_t i = 0; i < cnt && res == 0; i++)
		res = db_execf(db, "UPDATE agenda_items SET position = ?1 WHERE id = ?2",
			       "ii", (sqlite3_int64)(i + 1), (sqlite3_int64)ids[i]);
	free(ids);
	return res;
}

int agenda_move_open(sqlite3 *db, const char *network, long long from_id,
		     long long to_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM agenda_items"
		" WHERE network = ?1 AND meeting_id IS ?2"
		" AND state IN ('proposed','accepted','deferred')"
		" ORDER BY position, short_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	bind_meeting(st, 2, from_id);
	long long *ids;
	int got = db_collect_ids(st, &ids);
	size_t cnt = got < 0 ? 0 : (size_t)got;
	int res = got < 0 ? -1 : 0;
	for (size_t i = 0; i < cnt && res == 0; i++)
		res = agenda_move(db, ids[i], network, to_id, AGENDA_PROPOSED);
	free(ids);
	return res < 0 ? res : (int)cnt;
}

int agenda_close(sqlite3 *db, long long item_id, const char *refusal)
{
	return db_execf(db, "UPDATE agenda_items SET state = 'withdrawn', refusal = ?2"
			" WHERE id = ?1", "it", (sqlite3_int64)item_id, refusal);
}

int agenda_update_text(sqlite3 *db, const struct wt_agenda_item *it)
{
	return db_execf(db, "UPDATE agenda_items SET title = ?2, theme = ?3, why = ?4,"
			" what = ?5, how = ?6 WHERE id = ?1", "itttt" "t",
			(sqlite3_int64)it->id, it->title, it->theme, it->why, it->what,
			it->how);
}

void agenda_item_free(struct wt_agenda_item *it)
{
	free(it->network);
	free(it->title);
	free(it->theme);
	free(it->why);
	free(it->what);
	free(it->how);
	free(it->proposer);
	free(it->event_id);
	free(it->refusal);
	memset(it, 0, sizeof *it);
}
