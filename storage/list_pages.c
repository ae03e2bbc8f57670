/* The list_pages table (see storage/list_pages.h). */
#include "storage/list_pages.h"

#include <stdlib.h>
#include <string.h>

#include "storage/db.h"

int list_pages_set(sqlite3 *db, const char *room, const char *sender,
		   const char *command, const char *args, long next, long long at)
{
	if (next <= 0)
		return db_execf(db, "UPDATE list_pages SET next_page = 0, at = ?4"
				" WHERE room_id = ?1 AND sender = ?2 AND command = ?3"
				" AND next_page <> 0", "ttti", room, sender, command,
				(sqlite3_int64)at);
	return db_execf(db, "INSERT INTO list_pages(room_id, sender, command, args,"
			" next_page, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
			" ON CONFLICT(room_id, sender) DO UPDATE SET command = ?3,"
			" args = ?4, next_page = ?5, at = ?6", "ttttii", room, sender,
			command, args ? args : "", (sqlite3_int64)next, (sqlite3_int64)at);
}

int list_pages_get(sqlite3 *db, const char *room, const char *sender,
		   struct list_page *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_prepare(db, "SELECT command, args, next_page FROM"
				      " list_pages WHERE room_id = ?1 AND sender = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sender, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->command = db_col_dup(st, 0);
		out->args = db_col_dup(st, 1);
		out->next = (long)sqlite3_column_int64(st, 2);
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void list_page_free(struct list_page *p)
{
	free(p->command);
	free(p->args);
	memset(p, 0, sizeof *p);
}
