/* reminder_dirty: the changed sources of generated reminders (see
 * storage/reminder_dirty.h). */
#include "storage/reminder_dirty.h"

#include <stdlib.h>

#include "lib/strbuf.h"
#include "storage/db.h"

int reminder_dirty_list(sqlite3 *db, const char *network, struct reminder_dirty **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, network
		? "SELECT network, family, ref_id FROM reminder_dirty WHERE network = ?1"
		  " ORDER BY network, family, ref_id"
		: "SELECT network, family, ref_id FROM reminder_dirty"
		  " ORDER BY network, family, ref_id");
	if (!st)
		return -1;
	if (network)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		(*v)[n].network = db_col_dup(st, 0);
		(*v)[n].family = db_col_dup(st, 1);
		(*v)[n].ref_id = sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		reminder_dirty_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void reminder_dirty_free(struct reminder_dirty *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].network);
		free(v[i].family);
	}
	free(v);
}

int reminder_dirty_clear(sqlite3 *db, const char *network)
{
	if (!network)
		return db_execf(db, "DELETE FROM reminder_dirty", "");
	return db_execf(db, "DELETE FROM reminder_dirty WHERE network = ?1", "t", network);
}

int reminder_dirty_any(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM reminder_dirty LIMIT 1");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The ids a one-parameter (network) query returns; count or negative. */
static int ids_of(sqlite3 *db, const char *sql, const char *network, long long **ids)
{
	*ids = NULL;
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	return db_collect_ids(st, ids);
}

int reminder_open_lines(sqlite3 *db, const char *network, long long **ids)
{
	return ids_of(db, "SELECT id FROM action_lines WHERE network = ?1"
		      " AND status != 'done' ORDER BY id", network, ids);
}

int reminder_open_actions(sqlite3 *db, const char *network, long long **ids)
{
	/* logged_open_actions (network, owner) WHERE kind = 'action' AND
	 * done_at IS NULL: only the open ones are read. */
	return ids_of(db, "SELECT id FROM logged_items"
		      " WHERE network = ?1 AND kind = 'action' AND done_at IS NULL"
		      " AND due_at IS NOT NULL ORDER BY id", network, ids);
}
