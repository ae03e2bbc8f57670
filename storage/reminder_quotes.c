/* reminder_quotes: the message a reminder is about; see reminder_quotes.h. */
#include "storage/reminder_quotes.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

int reminder_quote_add(sqlite3 *db, long long reminder_id, const char *room_id,
		       const char *event_id, const char *excerpt)
{
	if (excerpt)
		return db_execf(db, "INSERT OR REPLACE INTO reminder_quotes(reminder_id, room_id,"
				" event_id, excerpt, wanted) VALUES (?1, ?2, ?3, ?4, 0)", "ittt",
				(sqlite3_int64)reminder_id, room_id, event_id, excerpt);
	return db_execf(db, "INSERT OR REPLACE INTO reminder_quotes(reminder_id, room_id,"
			" event_id, excerpt, wanted) VALUES (?1, ?2, ?3, NULL, 1)", "itt",
			(sqlite3_int64)reminder_id, room_id, event_id);
}

/* One row (reminder_id, room_id, event_id, excerpt) of st into out. */
static int one_row(sqlite3_stmt *st, long long *id, struct wt_quote *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), found = 0;
	memset(out, 0, sizeof *out);
	if (rc == SQLITE_ROW) {
		if (id)
			*id = sqlite3_column_int64(st, 0);
		out->room_id = db_col_dup(st, 1);
		out->event_id = db_col_dup(st, 2);
		out->excerpt = db_col_dup(st, 3);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
	}
	db_done(st);
	return found;
}

int reminder_quote_get(sqlite3 *db, long long reminder_id, struct wt_quote *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT reminder_id, room_id, event_id, excerpt"
				      " FROM reminder_quotes WHERE reminder_id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, reminder_id);
	return one_row(st, NULL, out);
}

int reminder_quote_next_wanted(sqlite3 *db, long long *reminder_id, struct wt_quote *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT reminder_id, room_id, event_id, excerpt"
				      " FROM reminder_quotes WHERE wanted = 1"
				      " ORDER BY reminder_id LIMIT 1");
	return one_row(st, reminder_id, out);
}

int reminder_quote_done(sqlite3 *db, long long reminder_id, const char *excerpt)
{
	if (excerpt)
		return db_execf(db, "UPDATE reminder_quotes SET excerpt = ?1, wanted = 0"
				" WHERE reminder_id = ?2", "ti", excerpt, (sqlite3_int64)reminder_id);
	return db_execf(db, "UPDATE reminder_quotes SET wanted = 0 WHERE reminder_id = ?1", "i",
			(sqlite3_int64)reminder_id);
}

void reminder_quote_free(struct wt_quote *q)
{
	free(q->room_id);
	free(q->event_id);
	free(q->excerpt);
	memset(q, 0, sizeof *q);
}
