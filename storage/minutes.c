/* minutes: meeting runs, attendees and logged items; see minutes.h. */
#include "storage/minutes.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

/* Bind text, or NULL for a NULL pointer. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Bind a positive number, or NULL for 0 (the "none" of ids and times). */
static void bind_opt(sqlite3_stmt *st, int i, long long v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* ---- runs ---------------------------------------------------------------- */

#define RUN_COLS "meeting_id, network, room, current_item, opened_by, opened_at, closed_at"

static void run_from_row(sqlite3_stmt *st, struct wt_run *r)
{
	memset(r, 0, sizeof *r);
	r->meeting_id = sqlite3_column_int64(st, 0);
	r->network = db_col_dup(st, 1);
	r->room = db_col_dup(st, 2);
	r->current_item = sqlite3_column_int64(st, 3);
	r->opened_by = db_col_dup(st, 4);
	r->opened_at = (time_t)sqlite3_column_int64(st, 5);
	r->closed_at = (time_t)sqlite3_column_int64(st, 6);
}

/* Step a one-row run query: 1 found, 0 not, negative on error. */
static int run_fetch(sqlite3_stmt *st, struct wt_run *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		run_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int run_start(sqlite3 *db, const struct wt_run *r)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO meeting_runs(" RUN_COLS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)"
		" ON CONFLICT(meeting_id) DO UPDATE SET room = excluded.room,"
		" current_item = excluded.current_item, opened_by = excluded.opened_by,"
		" opened_at = excluded.opened_at, closed_at = NULL");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->meeting_id);
	bind_text(st, 2, r->network);
	bind_text(st, 3, r->room);
	bind_opt(st, 4, r->current_item);
	bind_text(st, 5, r->opened_by);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)r->opened_at);
	int rc = sqlite3_step(st);
	int ext = sqlite3_extended_errcode(db);
	db_done(st);
	if (rc == SQLITE_DONE)
		return RUN_START_OK;
	return ext == SQLITE_CONSTRAINT_UNIQUE ? RUN_START_ALREADY_OPEN : RUN_START_EDB;
}

int run_open_in_room(sqlite3 *db, const char *room, struct wt_run *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " RUN_COLS " FROM meeting_runs"
				      " WHERE room = ?1 AND closed_at IS NULL");
	if (st)
		bind_text(st, 1, room);
	return run_fetch(st, out);
}

int run_of_meeting(sqlite3 *db, long long meeting_id, struct wt_run *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " RUN_COLS " FROM meeting_runs"
				      " WHERE meeting_id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, meeting_id);
	return run_fetch(st, out);
}

int run_latest(sqlite3 *db, const char *network, struct wt_run *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " RUN_COLS " FROM meeting_runs"
				      " WHERE network = ?1 ORDER BY opened_at DESC,"
				      " meeting_id DESC LIMIT 1");
	if (st)
		bind_text(st, 1, network);
	return run_fetch(st, out);
}

int run_nearest_planned(sqlite3 *db, const char *network, time_t now, long window,
			long long *meeting_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM meetings WHERE network = ?1"
		" AND state = 'planned' AND starts_at BETWEEN ?2 - ?3 AND ?2 + ?3"
		" ORDER BY abs(starts_at - ?2), short_id LIMIT 1");
	if (!st)
		return -1;
	bind_text(st, 1, network);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, window);
	return db_step_one(st, meeting_id);
}

int run_set_item(sqlite3 *db, long long meeting_id, long long item_id)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE meeting_runs SET current_item = ?1"
				      " WHERE meeting_id = ?2");
	if (!st)
		return -1;
	bind_opt(st, 1, item_id);
	sqlite3_bind_int64(st, 2, meeting_id);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int run_close(sqlite3 *db, long long meeting_id, time_t at)
{
	return db_execf(db, "UPDATE meeting_runs SET closed_at = ?1 WHERE meeting_id = ?2",
			"ii", (sqlite3_int64)at, (sqlite3_int64)meeting_id);
}

void run_free(struct wt_run *r)
{
	free(r->network);
	free(r->room);
	free(r->opened_by);
	memset(r, 0, sizeof *r);
}

/* ---- attendees ----------------------------------------------------------- */

int attendee_note(sqlite3 *db, long long meeting_id, const char *user, time_t at)
{
	return db_execf(db, "INSERT INTO meeting_attendees(meeting_id, user_id, first_at)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(meeting_id, user_id)"
			" DO UPDATE SET messages = messages + 1", "iti",
			(sqlite3_int64)meeting_id, user, (sqlite3_int64)at);
}

int attendees_list(sqlite3 *db, long long meeting_id, char ***v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT user_id FROM meeting_attendees"
				      " WHERE meeting_id = ?1 ORDER BY first_at, user_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	size_t n = 0;
	char **arr = xcalloc(1, sizeof *arr);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = xrealloc(arr, (n + 2) * sizeof *arr);
		arr[n++] = db_col_dup(st, 0);
		arr[n] = NULL;
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		attendees_free(arr);
		return -1;
	}
	*v = arr;
	return (int)n;
}

void attendees_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* ---- logged items ---------------------------------------------------------- */

static const char *const kind_names[] = {
	[LOGGED_DECISION] = "decision", [LOGGED_ACTION] = "action", [LOGGED_NOTE] = "note",
};

const char *logged_kind_name(enum logged_kind k)
{
	return (unsigned)k <= LOGGED_NOTE ? kind_names[k] : "note";
}

/* The kind stored as s; unknown names (a newer schema) read as notes. */
static enum logged_kind kind_parse(const char *s)
{
	for (int i = 0; i <= LOGGED_NOTE; i++)
		if (s && strcmp(s, kind_names[i]) == 0)
			return (enum logged_kind)i;
	return LOGGED_NOTE;
}

void logged_from_row(sqlite3_stmt *st, struct wt_logged *it)
{
	memset(it, 0, sizeof *it);
	it->id = sqlite3_column_int64(st, 0);
	it->short_id = sqlite3_column_int64(st, 1);
	it->network = db_col_dup(st, 2);
	it->kind = kind_parse((const char *)sqlite3_column_text(st, 3));
	it->meeting_id = sqlite3_column_int64(st, 4);
	it->agenda_item_id = sqlite3_column_int64(st, 5);
	it->text = db_col_dup(st, 6);
	it->owner = db_col_dup(st, 7);
	it->due_at = (time_t)sqlite3_column_int64(st, 8);
	it->done_at = (time_t)sqlite3_column_int64(st, 9);
	it->done_by = db_col_dup(st, 10);
	it->action_line = sqlite3_column_int64(st, 11);
	it->advice = sqlite3_column_int64(st, 12);
	it->logged_by = db_col_dup(st, 13);
	it->room = db_col_dup(st, 14);
	it->event_id = db_col_dup(st, 15);
	it->part = sqlite3_column_int(st, 16);
	it->created_at = (time_t)sqlite3_column_int64(st, 17);
	it->edited_at = (time_t)sqlite3_column_int64(st, 18);
}

int logged_collect(sqlite3_stmt *st, struct wt_logged **v)
{
	*v = NULL;
	if (!st)
		return -1;
	size_t n = 0;
	struct wt_logged *arr = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = xrealloc(arr, (n + 1) * sizeof *arr);
		logged_from_row(st, &arr[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		logged_list_free(arr, n);
		return -1;
	}
	*v = arr;
	return (int)n;
}

/* Step a one-row query of LOGGED_COLS: 1 found, 0 not, negative on error. */
static int logged_fetch(sqlite3_stmt *st, struct wt_logged *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		logged_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int logged_add(sqlite3 *db, struct wt_logged *it)
{
	long long sid = 0;
	if (it->kind != LOGGED_NOTE) {
		sid = db_next_id(db, it->network, logged_kind_name(it->kind));
		if (sid < 0)
			return -1;
	}
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO logged_items(network, kind,"
		" short_id, meeting_id, agenda_item_id, text, owner, due_at, done_at,"
		" done_by, action_line, advice, logged_by, room, event_id, part,"
		" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
		" ?12, ?13, ?14, ?15, ?16, ?17)");
	if (!st)
		return -1;
	bind_text(st, 1, it->network);
	bind_text(st, 2, logged_kind_name(it->kind));
	bind_opt(st, 3, sid);
	bind_opt(st, 4, it->meeting_id);
	bind_opt(st, 5, it->agenda_item_id);
	bind_text(st, 6, it->text);
	bind_text(st, 7, it->owner);
	bind_opt(st, 8, (long long)it->due_at);
	bind_opt(st, 9, (long long)it->done_at);
	bind_text(st, 10, it->done_by);
	bind_opt(st, 11, it->action_line);
	bind_opt(st, 12, it->advice);
	bind_text(st, 13, it->logged_by);
	bind_text(st, 14, it->room);
	bind_text(st, 15, it->event_id);
	sqlite3_bind_int(st, 16, it->part);
	sqlite3_bind_int64(st, 17, (sqlite3_int64)it->created_at);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	it->id = sqlite3_last_insert_rowid(db);
	it->short_id = sid;
	return 0;
}

int logged_update(sqlite3 *db, const struct wt_logged *it)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE logged_items SET text = ?1,"
		" owner = ?2, due_at = ?3, action_line = ?4, advice = ?5,"
		" edited_at = ?6 WHERE id = ?7");
	if (!st)
		return -1;
	bind_text(st, 1, it->text);
	bind_text(st, 2, it->owner);
	bind_opt(st, 3, (long long)it->due_at);
	bind_opt(st, 4, it->action_line);
	bind_opt(st, 5, it->advice);
	bind_opt(st, 6, (long long)it->edited_at);
	sqlite3_bind_int64(st, 7, it->id);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int logged_delete(sqlite3 *db, long long id)
{
	return db_execf(db, "DELETE FROM logged_items WHERE id = ?1", "i", (sqlite3_int64)id);
}

int logged_by_id(sqlite3 *db, long long id, struct wt_logged *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
				      " WHERE l.id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return logged_fetch(st, out);
}

int logged_by_short_id(sqlite3 *db, const char *network, enum logged_kind kind,
		       long long short_id, struct wt_logged *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
		" WHERE l.network = ?1 AND l.kind = ?2 AND l.short_id = ?3");
	if (st) {
		bind_text(st, 1, network);
		bind_text(st, 2, logged_kind_name(kind));
		sqlite3_bind_int64(st, 3, short_id);
	}
	return logged_fetch(st, out);
}

int logged_last_by(sqlite3 *db, const char *network, const char *user,
		   struct wt_logged *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
		" WHERE l.network = ?1 AND l.logged_by = ?2 ORDER BY l.id DESC LIMIT 1");
	if (st) {
		bind_text(st, 1, network);
		bind_text(st, 2, user);
	}
	return logged_fetch(st, out);
}

int logged_by_event(sqlite3 *db, const char *event_id, struct wt_logged **v)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
				      " WHERE l.event_id = ?1 ORDER BY l.part, l.id");
	if (st)
		bind_text(st, 1, event_id);
	return logged_collect(st, v);
}

int logged_of_meeting(sqlite3 *db, long long meeting_id, struct wt_logged **v)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
				      " WHERE l.meeting_id = ?1 ORDER BY l.created_at, l.id");
	if (st)
		sqlite3_bind_int64(st, 1, meeting_id);
	return logged_collect(st, v);
}

void logged_free(struct wt_logged *it)
{
	free(it->network);
	free(it->text);
	free(it->owner);
	free(it->done_by);
	free(it->logged_by);
	free(it->room);
	free(it->event_id);
	memset(it, 0, sizeof *it);
}

void logged_list_free(struct wt_logged *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		logged_free(&v[i]);
	free(v);
}

int logged_set_part(sqlite3 *db, long long id, int part)
{
	return db_execf(db, "UPDATE logged_items SET part = ?1 WHERE id = ?2",
			"ii", (sqlite3_int64)part, (sqlite3_int64)id);
}
