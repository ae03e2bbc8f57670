#include "storage/room_crypto.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/strbuf.h"
#include "storage/db.h"

int room_crypto_set(sqlite3 *db, const char *room_id, const char *content)
{
	const char *c = content && *content ? content : "";
	/* Known encryption is never undone; settings may change (rotation). */
	return db_execf(db, "INSERT INTO rooms(room_id, encryption) VALUES (?1, ?2)"
			" ON CONFLICT(room_id) DO UPDATE SET encryption ="
			" CASE WHEN excluded.encryption = '' AND encryption <> ''"
			" THEN encryption ELSE excluded.encryption END", "tt",
			room_id, c);
}

int room_crypto_set_visibility(sqlite3 *db, const char *room_id,
			       const char *visibility)
{
	return db_execf(db, "INSERT INTO rooms(room_id, history_visibility)"
			" VALUES (?1, ?2) ON CONFLICT(room_id) DO UPDATE SET"
			" history_visibility = excluded.history_visibility", "tt",
			room_id, visibility);
}

int room_crypto_get(sqlite3 *db, const char *room_id, char **content,
		    char **visibility)
{
	if (content)
		*content = NULL;
	if (visibility)
		*visibility = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT encryption, history_visibility"
				      " FROM rooms WHERE room_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), state = ROOM_ENC_UNKNOWN;
	if (rc == SQLITE_ROW) {
		const unsigned char *enc = sqlite3_column_text(st, 0);
		state = !enc ? ROOM_ENC_UNKNOWN : *enc ? ROOM_ENC_ON : ROOM_ENC_OFF;
		if (content && state == ROOM_ENC_ON)
			*content = db_col_dup(st, 0);
		if (visibility)
			*visibility = db_col_dup(st, 1);
	} else if (rc != SQLITE_DONE) {
		state = -1;
	}
	db_done(st);
	return state;
}

/* The first column of every row of st, as a JSON array text of strings. */
static char *column_as_json_array(sqlite3_stmt *st)
{
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 0);
		if (u)
			json_array_append_new(a, json_string(u));
	}
	db_done(st);
	char *s = rc == SQLITE_DONE ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return s;
}

char *room_crypto_tracked_users(sqlite3 *db, const char *own)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT m.user_id FROM room_members m JOIN rooms r USING (room_id)"
		" WHERE r.encryption <> '' AND m.membership IN ('join','invite')"
		" UNION SELECT dm_user FROM rooms WHERE encryption <> ''"
		" AND dm_user IS NOT NULL UNION SELECT ?1 ORDER BY 1");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, own, -1, SQLITE_STATIC);
	return column_as_json_array(st);
}

char *room_crypto_recipients(sqlite3 *db, const char *room_id, int with_invited)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT user_id FROM room_members WHERE room_id = ?1 AND"
		" (membership = 'join' OR (?2 AND membership = 'invite'))"
		" UNION SELECT dm_user FROM rooms WHERE room_id = ?1 AND"
		" dm_user IS NOT NULL ORDER BY 1");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, with_invited ? 1 : 0);
	return column_as_json_array(st);
}

int e2ee_pending_add(sqlite3 *db, const char *event_id, const char *room_id,
		     const char *sender, const char *session_id,
		     const char *event_json, time_t now)
{
	if (db_execf(db, "INSERT OR IGNORE INTO e2ee_pending(event_id, room_id,"
		     " sender, session_id, event, first_seen) VALUES"
		     " (?1, ?2, ?3, ?4, ?5, ?6)", "ttttti", event_id, room_id,
		     sender, session_id, event_json, (sqlite3_int64)now) < 0)
		return -1;
	return sqlite3_changes(db) > 0;
}

int e2ee_pending_list(sqlite3 *db, size_t max, struct e2ee_pending **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT event_id, room_id, sender,"
		" session_id, event, first_seen FROM e2ee_pending WHERE given_up"
		" IS NULL ORDER BY first_seen, event_id LIMIT ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	size_t n = 0, cap = 0;
	struct e2ee_pending *v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n].event_id = db_col_dup(st, 0);
		v[n].room_id = db_col_dup(st, 1);
		v[n].sender = db_col_dup(st, 2);
		v[n].session_id = db_col_dup(st, 3);
		v[n].event = db_col_dup(st, 4);
		v[n].first_seen = sqlite3_column_int64(st, 5);
		n++;
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		e2ee_pending_free(v, n);
		return -1;
	}
	*out = v;
	return (int)n;
}

void e2ee_pending_free(struct e2ee_pending *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].event_id);
		free(v[i].room_id);
		free(v[i].sender);
		free(v[i].session_id);
		free(v[i].event);
	}
	free(v);
}

int e2ee_pending_done(sqlite3 *db, const char *event_id)
{
	return db_execf(db, "DELETE FROM e2ee_pending WHERE event_id = ?1", "t",
			event_id);
}

int e2ee_pending_give_up(sqlite3 *db, const char *event_id, time_t now)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM e2ee_pending p JOIN"
		" e2ee_pending o ON o.sender = p.sender AND o.room_id = p.room_id"
		" AND o.session_id IS p.session_id AND o.given_up IS NOT NULL"
		" WHERE p.event_id = ?1 LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (db_execf(db, "UPDATE e2ee_pending SET given_up = ?2 WHERE event_id = ?1",
		     "ti", event_id, (sqlite3_int64)now) < 0)
		return -1;
	return rc == SQLITE_DONE ? 1 : 0;
}

int e2ee_pending_prune(sqlite3 *db, time_t before)
{
	return db_execf(db, "DELETE FROM e2ee_pending WHERE given_up < ?1", "i",
			(sqlite3_int64)before);
}

int e2ee_pending_count(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM e2ee_pending"
				      " WHERE given_up IS NULL");
	if (!st)
		return -1;
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	db_done(st);
	return n;
}
