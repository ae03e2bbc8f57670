#include "storage/meetings.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

static const char *const state_names[] = {
	[MEETING_PLANNED] = "planned",
	[MEETING_OPEN] = "open",
	[MEETING_CLOSED] = "closed",
	[MEETING_CANCELLED] = "cancelled",
};

/* Name of a state as the CHECK constraint of the table spells it. */
const char *meeting_state_name(enum meeting_state s)
{
	if ((unsigned)s > MEETING_CANCELLED)
		return "planned";
	return state_names[s];
}

/* The state called s, or -1: rows from a newer schema must not crash us. */
int meeting_state_parse(const char *s)
{
	for (int i = 0; i <= MEETING_CANCELLED; i++)
		if (s && strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

#define MEETING_COLS \
	"id, short_id, network, title, room, place, rrule, series_id," \
	" starts_at, duration_min, state, created_by, created_at, ics_sequence"

/* Fill m from a row selected with MEETING_COLS. */
static void meeting_from_row(sqlite3_stmt *st, struct wt_meeting *m)
{
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->short_id = sqlite3_column_int64(st, 1);
	m->network = db_col_dup(st, 2);
	m->title = db_col_dup(st, 3);
	m->room = db_col_dup(st, 4);
	m->place = db_col_dup(st, 5);
	m->rrule = db_col_dup(st, 6);
	m->series_id = sqlite3_column_int64(st, 7);
	m->starts_at = (time_t)sqlite3_column_int64(st, 8);
	m->duration_min = sqlite3_column_int(st, 9);
	int s = meeting_state_parse((const char *)sqlite3_column_text(st, 10));
	m->state = s < 0 ? MEETING_CLOSED : (enum meeting_state)s;
	m->created_by = db_col_dup(st, 11);
	m->created_at = (time_t)sqlite3_column_int64(st, 12);
	m->ics_sequence = sqlite3_column_int(st, 13);
}

/* Step a prepared one-row query into out: 1 found, 0 not, negative error. */
static int fetch_one(sqlite3_stmt *st, struct wt_meeting *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	int res = 0;
	if (rc == SQLITE_ROW) {
		meeting_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int meeting_create(sqlite3 *db, struct wt_meeting *m)
{
	long long sid = db_next_id(db, m->network, "meeting");
	if (sid < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO meetings(network, short_id, title, room, starts_at,"
		" duration_min, place, rrule, series_id, state, created_by, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, m->network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sid);
	sqlite3_bind_text(st, 3, m->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->room, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)m->starts_at);
	sqlite3_bind_int(st, 6, m->duration_min);
	sqlite3_bind_text(st, 7, m->place, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, m->rrule, -1, SQLITE_STATIC);
	if (m->series_id > 0)
		sqlite3_bind_int64(st, 9, m->series_id);
	else
		sqlite3_bind_null(st, 9);
	sqlite3_bind_text(st, 10, meeting_state_name(m->state), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, m->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)m->created_at);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	m->id = sqlite3_last_insert_rowid(db);
	m->short_id = sid;
	return 0;
}

int meeting_by_short_id(sqlite3 *db, const char *network, long long short_id,
			struct wt_meeting *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " MEETING_COLS " FROM meetings"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_one(st, out);
}

int meeting_by_id(sqlite3 *db, long long id, struct wt_meeting *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " MEETING_COLS " FROM meetings"
				      " WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

int meeting_next(sqlite3 *db, const char *network, time_t now,
		 struct wt_meeting *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " MEETING_COLS " FROM meetings"
		" WHERE network = ?1 AND state IN ('planned','open')"
		" AND (state = 'open' OR starts_at + duration_min * 60 > ?2)"
		" ORDER BY starts_at, short_id LIMIT 1");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	}
	return fetch_one(st, out);
}

int meeting_next_after(sqlite3 *db, const char *network, time_t after,
		       long long exclude, struct wt_meeting *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " MEETING_COLS " FROM meetings"
		" WHERE network = ?1 AND state = 'planned' AND starts_at > ?2"
		" AND id != ?3 ORDER BY starts_at, short_id LIMIT 1");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)after);
		sqlite3_bind_int64(st, 3, exclude);
	}
	return fetch_one(st, out);
}

/* Every row of a prepared meetings query into *v (finalizes st); the
 * count, or -1 with nothing kept. */
static int collect_meetings(sqlite3_stmt *st, struct wt_meeting **v)
{
	size_t n = 0;
	struct wt_meeting *arr = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = xrealloc(arr, (n + 1) * sizeof *arr);
		meeting_from_row(st, &arr[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		meeting_list_free(arr, n);
		return -1;
	}
	*v = arr;
	return (int)n;
}

int meeting_list_upcoming(sqlite3 *db, const char *network, time_t now,
			  size_t max, struct wt_meeting **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " MEETING_COLS " FROM meetings"
		" WHERE network = ?1 AND state IN ('planned','open')"
		" AND (state = 'open' OR starts_at + duration_min * 60 > ?2)"
		" ORDER BY starts_at, short_id LIMIT ?3");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	return collect_meetings(st, v);
}

int meeting_list_upcoming_page(sqlite3 *db, const char *network, time_t now,
			       long long limit, long long offset,
			       struct wt_meeting **v, long long *total)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM meetings"
		" WHERE network = ?1 AND state IN ('planned','open')"
		" AND (state = 'open' OR starts_at + duration_min * 60 > ?2)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	*total = db_step_int(st);
	if (*total < 0)
		return -1;
	st = db_prepare(db, "SELECT " MEETING_COLS " FROM meetings"
		" WHERE network = ?1 AND state IN ('planned','open')"
		" AND (state = 'open' OR starts_at + duration_min * 60 > ?2)"
		" ORDER BY starts_at, short_id LIMIT ?3 OFFSET ?4");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	return collect_meetings(st, v);
}

int meeting_list_unopened(sqlite3 *db, const char *network, time_t now,
			  size_t max, struct wt_meeting **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " MEETING_COLS " FROM meetings"
		" WHERE network = ?1 AND state = 'planned'"
		" AND starts_at < ?2 AND starts_at + duration_min * 60 <= ?2"
		" ORDER BY starts_at DESC, short_id LIMIT ?3");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	return collect_meetings(st, v);
}

void meeting_list_free(struct wt_meeting *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		meeting_free(&v[i]);
	free(v);
}

int meeting_set_start(sqlite3 *db, long long id, time_t starts_at)
{
	return db_execf(db, "UPDATE meetings SET starts_at = ?1 WHERE id = ?2", "ii",
			(sqlite3_int64)starts_at, (sqlite3_int64)id);
}

int meeting_set_state(sqlite3 *db, long long id, enum meeting_state s, time_t at)
{
	const char *sql = "UPDATE meetings SET state = ?1 WHERE id = ?3";
	if (s == MEETING_OPEN)
		sql = "UPDATE meetings SET state = ?1, opened_at = ?2 WHERE id = ?3";
	else if (s == MEETING_CLOSED)
		sql = "UPDATE meetings SET state = ?1, closed_at = ?2 WHERE id = ?3";
	return db_execf(db, sql, "tii", meeting_state_name(s),
			(sqlite3_int64)at, (sqlite3_int64)id);
}

long long meeting_count(sqlite3 *db, const char *network)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM meetings WHERE network = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	long long n = db_step_int(st);
	return n;
}

void meeting_free(struct wt_meeting *m)
{
	free(m->network);
	free(m->title);
	free(m->room);
	free(m->place);
	free(m->rrule);
	free(m->created_by);
	memset(m, 0, sizeof *m);
}
