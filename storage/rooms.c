/* rooms: the rooms table (see rooms.h). */
#include "storage/rooms.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

char *room_dm_network_dup(sqlite3 *db, const char *room_id)
{
	return db_text_dup(db, "SELECT network FROM rooms WHERE room_id = ?1"
			   " AND network IS NOT NULL AND dm_user IS NOT NULL", room_id);
}

long long rooms_joined_at(sqlite3 *db, const char *room_id)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT COALESCE(joined_at, 0) FROM rooms WHERE room_id = ?1");
	long long v = -1;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	db_done(st);
	return v;
}

int rooms_note_joined(sqlite3 *db, const char *room_id, const char *network,
		      long long joined_at_ms)
{
	if (db_execf(db, "INSERT INTO rooms(room_id, network) VALUES (?1, ?2)"
		     " ON CONFLICT(room_id) DO UPDATE SET"
		     " network = COALESCE(excluded.network, network),"
		     " pending = CASE pending WHEN 'join' THEN NULL ELSE pending END",
		     "tt", room_id, network) < 0)
		return -1;
	if (joined_at_ms > 0)
		return db_execf(db, "UPDATE rooms SET joined_at = ?2 WHERE room_id = ?1",
				"ti", room_id, (sqlite3_int64)joined_at_ms);
	return 0;
}

int room_forget_joined(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE rooms SET joined_at = NULL WHERE"
			" room_id = ?1 AND pending IS NULL", "t", room_id);
}

int room_mark_join(sqlite3 *db, const char *room_id, const char *network,
		   const char *inviter, const char *dm_user)
{
	return db_execf(db, "INSERT INTO rooms(room_id, network, dm_user,"
			" pending, invited_by) VALUES (?1, ?2, ?3, 'join', ?4)"
			" ON CONFLICT(room_id) DO UPDATE SET network ="
			" excluded.network, dm_user = excluded.dm_user,"
			" pending = 'join', invited_by = excluded.invited_by,"
			" alias = NULL, resolve = 0",
			"tttt", room_id, network, dm_user, inviter);
}

int room_mark_leave(sqlite3 *db, const char *room_id, const char *inviter,
		    int resolve)
{
	return db_execf(db, "INSERT INTO rooms(room_id, pending, invited_by, resolve)"
			" VALUES (?1, 'leave', ?2, ?3) ON CONFLICT(room_id) DO UPDATE"
			" SET pending = 'leave', invited_by = excluded.invited_by,"
			" resolve = excluded.resolve, alias = NULL, network ="
			" CASE WHEN dm_user IS NULL THEN NULL ELSE network END",
			"tti", room_id, inviter, (sqlite3_int64)resolve);
}

int room_next_action(sqlite3 *db, struct room_action *a)
{
	memset(a, 0, sizeof *a);
	sqlite3_stmt *st = db_prepare(db,
		"SELECT room_id, pending, dm_user, resolve FROM rooms"
		" WHERE pending IS NOT NULL ORDER BY room_id LIMIT 1");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		a->room_id = db_col_dup(st, 0);
		a->join = strcmp((const char *)sqlite3_column_text(st, 1), "join") == 0;
		a->dm_user = db_col_dup(st, 2);
		a->resolve = sqlite3_column_int(st, 3) != 0;
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void room_action_free(struct room_action *a)
{
	free(a->room_id);
	free(a->dm_user);
	memset(a, 0, sizeof *a);
}

int room_join_done(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE rooms SET pending = NULL"
			" WHERE room_id = ?1 AND pending = 'join'", "t", room_id);
}

int room_join_failed(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE rooms SET pending = NULL, alias = NULL"
			" WHERE room_id = ?1 AND pending = 'join'", "t", room_id);
}

int room_left(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "DELETE FROM rooms WHERE room_id = ?1"
			" AND pending = 'leave'", "t", room_id);
}

int room_is_in(sqlite3 *db, const char *room_id)
{
	return db_has_row(db, "SELECT 1 FROM rooms WHERE room_id = ?1"
			  " AND dm_user IS NULL AND pending IS NULL", room_id) == 1;
}

char *room_alias_to_check_dup(sqlite3 *db, const char *room_id)
{
	return db_text_dup(db, "SELECT alias FROM rooms WHERE room_id = ?1"
			   " AND alias IS NOT NULL AND network IS NULL"
			   " AND dm_user IS NULL", room_id);
}

int room_join_to_check(sqlite3 *db, const char *room_id, const char *alias)
{
	return db_execf(db, "UPDATE rooms SET pending = 'join', alias = ?2, resolve = 0"
			" WHERE room_id = ?1 AND resolve = 1", "tt", room_id, alias);
}

int room_resolve_done(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE rooms SET resolve = 0 WHERE room_id = ?1", "t",
			room_id);
}

int room_set_verified(sqlite3 *db, const char *room_id, const char *network)
{
	return db_execf(db, "UPDATE rooms SET network = ?2, alias = NULL,"
			" resolve = 0 WHERE room_id = ?1", "tt", room_id, network);
}

int room_leave_unverified(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE rooms SET alias = NULL, resolve = 0,"
			" pending = 'leave', network = NULL WHERE room_id = ?1"
			" AND dm_user IS NULL", "t", room_id);
}

int room_set_network(sqlite3 *db, const char *room_id, const char *network)
{
	return db_execf(db, "UPDATE rooms SET network = ?2 WHERE room_id = ?1",
			"tt", room_id, network);
}

int room_each_group(sqlite3 *db, room_each_fn fn, void *arg)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT room_id, network FROM rooms"
				      " WHERE dm_user IS NULL ORDER BY room_id");
	if (!st)
		return -1;
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = fn(arg, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1));
	db_done(st);
	return rc;
}

char *room_dm_of_dup(sqlite3 *db, const char *user)
{
	return db_text_dup(db, "SELECT room_id FROM rooms WHERE dm_user = ?1"
			   " AND pending IS NULL ORDER BY joined_at DESC LIMIT 1", user);
}

int room_open_dm(sqlite3 *db, const char *room_id, const char *network,
		 long long joined_at_ms, const char *user)
{
	return db_execf(db, "INSERT INTO rooms(room_id, network, joined_at, dm_user)"
			" VALUES (?1, ?2, ?3, ?4) ON CONFLICT(room_id) DO UPDATE"
			" SET dm_user = excluded.dm_user, network = excluded.network,"
			" joined_at = excluded.joined_at, pending = NULL",
			"ttit", room_id, network, (sqlite3_int64)joined_at_ms, user);
}

int room_drop_dm(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE rooms SET dm_user = NULL, network = NULL,"
			" pending = 'leave' WHERE room_id = ?1", "t", room_id);
}
