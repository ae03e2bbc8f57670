/* The command_edits table (see storage/command_edits.h). */
#include "storage/command_edits.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

static const char *const state_names[] = { "refused", "run", "noted" };

int command_edits_get(sqlite3 *db, const char *event_id, struct command_edit *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_prepare(db, "SELECT room_id, sender, refused_at,"
				      " reply_event, state, thread_root FROM command_edits"
				      " WHERE event_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->room_id = xstrdup((const char *)sqlite3_column_text(st, 0));
		out->sender = xstrdup((const char *)sqlite3_column_text(st, 1));
		out->refused_at = sqlite3_column_int64(st, 2);
		const unsigned char *ev = sqlite3_column_text(st, 3);
		out->reply_event = ev ? xstrdup((const char *)ev) : NULL;
		const char *state = (const char *)sqlite3_column_text(st, 4);
		out->state = strcmp(state, "run") == 0 ? CMD_EDIT_RUN
			     : strcmp(state, "noted") == 0 ? CMD_EDIT_NOTED
			     : CMD_EDIT_REFUSED;
		const unsigned char *root = sqlite3_column_text(st, 5);
		out->thread_root = root ? xstrdup((const char *)root) : NULL;
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void command_edit_free(struct command_edit *e)
{
	free(e->room_id);
	free(e->sender);
	free(e->reply_event);
	free(e->thread_root);
	memset(e, 0, sizeof *e);
}

int command_edits_add_refused(sqlite3 *db, const char *event_id, const char *room_id,
			      const char *sender, long long at, const char *thread_root,
			      long long reply_row)
{
	return db_execf(db, "INSERT INTO command_edits(event_id, room_id, sender,"
			" refused_at, thread_root, reply_txn, state) VALUES (?1, ?2,"
			" ?3, ?4, ?5, (SELECT txn_id FROM outbox WHERE id = ?6),"
			" 'refused') ON CONFLICT(event_id) DO NOTHING", "tttiti",
			event_id, room_id, sender, (sqlite3_int64)at, thread_root,
			(sqlite3_int64)reply_row);
}

int command_edits_set_reply(sqlite3 *db, const char *event_id, long long reply_row)
{
	return db_execf(db, "UPDATE command_edits SET reply_txn = (SELECT txn_id"
			" FROM outbox WHERE id = ?2), reply_event = NULL"
			" WHERE event_id = ?1", "ti", event_id,
			(sqlite3_int64)reply_row);
}

int command_edits_set_state(sqlite3 *db, const char *event_id,
			    enum command_edit_state state)
{
	return db_execf(db, "UPDATE command_edits SET state = ?2 WHERE event_id = ?1",
			"tt", event_id, state_names[state]);
}

int command_edits_set_noted(sqlite3 *db, const char *event_id, const char *room_id,
			    const char *sender)
{
	return db_execf(db, "INSERT INTO command_edits(event_id, room_id, sender,"
			" state) VALUES (?1, ?2, ?3, 'noted') ON CONFLICT(event_id)"
			" DO UPDATE SET state = 'noted'", "ttt", event_id, room_id,
			sender);
}

int command_edits_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id)
{
	return db_execf(db, "UPDATE command_edits SET reply_event = ?1 WHERE"
			" reply_txn = (SELECT txn_id FROM outbox WHERE id = ?2)",
			"ti", event_id, (sqlite3_int64)outbox_id);
}

int command_edits_was_handled(sqlite3 *db, const char *event_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM handled_events WHERE event_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
