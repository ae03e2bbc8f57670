/* The sent_links table (see storage/sent_links.h). */
#include "storage/sent_links.h"

#include <stdlib.h>

#include "storage/db.h"

int sent_links_add(sqlite3 *db, long long outbox_id, const char *kind, long long object_id)
{
	return db_execf(db, "INSERT INTO sent_links(txn_id, kind, object_id)"
			" SELECT txn_id, ?2, ?3 FROM outbox WHERE id = ?1"
			" ON CONFLICT(txn_id) DO NOTHING", "iti",
			(sqlite3_int64)outbox_id, kind, (sqlite3_int64)object_id);
}

int sent_links_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id)
{
	return db_execf(db, "UPDATE sent_links SET event_id = ?1 WHERE txn_id ="
			" (SELECT txn_id FROM outbox WHERE id = ?2)", "ti", event_id,
			(sqlite3_int64)outbox_id);
}

int sent_links_add_sent(sqlite3 *db, const char *event_id, const char *kind, long long object_id)
{
	return db_execf(db, "INSERT INTO sent_links(txn_id, event_id, kind, object_id)"
			" VALUES (?1, ?1, ?2, ?3) ON CONFLICT(txn_id) DO NOTHING", "tti",
			event_id, kind, (sqlite3_int64)object_id);
}

int sent_links_by_event(sqlite3 *db, const char *event_id, char **kind, long long *object_id)
{
	*kind = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT kind, object_id FROM sent_links"
				      " WHERE event_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*kind = db_col_dup(st, 0);
		*object_id = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
