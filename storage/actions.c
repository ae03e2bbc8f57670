/* actions: the action items' queries and changes; see actions.h. */
#include "storage/actions.h"

#include "lib/strbuf.h"
#include "storage/db.h"

int actions_open(sqlite3 *db, const char *network, const char *first,
		 struct wt_logged **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
		" WHERE l.network = ?1 AND l.kind = 'action' AND l.done_at IS NULL"
		" ORDER BY (l.owner IS ?2) DESC, l.due_at IS NULL, l.due_at, l.short_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	if (first)
		sqlite3_bind_text(st, 2, first, -1, SQLITE_TRANSIENT);
	return logged_collect(st, v);
}

int actions_open_page(sqlite3 *db, const char *network, const char *first,
		      long long limit, long long offset, long long count_limit,
		      struct wt_logged **v, long long *total)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM (SELECT 1 FROM logged_items l"
		" WHERE l.network = ?1 AND l.kind = 'action' AND l.done_at IS NULL LIMIT ?2)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, count_limit > 0 ? count_limit : -1);
	*total = db_step_int(st);
	if (*total < 0)
		return -1;
	st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
		" WHERE l.network = ?1 AND l.kind = 'action' AND l.done_at IS NULL"
		" ORDER BY (l.owner IS ?2) DESC, l.due_at IS NULL, l.due_at, l.short_id"
		" LIMIT ?3 OFFSET ?4");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	if (first)
		sqlite3_bind_text(st, 2, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	return logged_collect(st, v);
}

int actions_carried(sqlite3 *db, const char *network, long long meeting_id,
		    time_t opened_at, struct wt_logged **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
		" WHERE l.network = ?1 AND l.kind = 'action' AND l.created_at < ?3"
		" AND (l.meeting_id IS NULL OR l.meeting_id != ?2)"
		" AND (l.done_at IS NULL OR l.done_at >= ?3) ORDER BY l.short_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, meeting_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)opened_at);
	return logged_collect(st, v);
}

int actions_with_due(sqlite3 *db, const char *network, struct wt_logged **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
		" WHERE l.network = ?1 AND l.kind = 'action' AND l.due_at IS NOT NULL"
		" ORDER BY l.short_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	return logged_collect(st, v);
}

int actions_set_done(sqlite3 *db, long long id, const char *by, time_t at)
{
	if (!by)
		return db_execf(db, "UPDATE logged_items SET done_at = NULL, done_by = NULL"
				" WHERE id = ?1 AND kind = 'action'", "i", (sqlite3_int64)id);
	return db_execf(db, "UPDATE logged_items SET done_at = ?1, done_by = ?2"
			" WHERE id = ?3 AND kind = 'action'", "iti",
			(sqlite3_int64)at, by, (sqlite3_int64)id);
}

int actions_set_due(sqlite3 *db, long long id, time_t due)
{
	if (!due)
		return db_execf(db, "UPDATE logged_items SET due_at = NULL WHERE id = ?1",
				"i", (sqlite3_int64)id);
	return db_execf(db, "UPDATE logged_items SET due_at = ?1 WHERE id = ?2", "ii",
			(sqlite3_int64)due, (sqlite3_int64)id);
}
