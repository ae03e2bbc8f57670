#include "storage/room_members.h"

#include <stdlib.h>

#include "lib/strbuf.h"
#include "storage/db.h"

int room_members_set(sqlite3 *db, const char *room_id, const char *user,
		     const char *membership)
{
	return db_execf(db,
		"INSERT INTO room_members(room_id, user_id, membership, from_sync)"
		" VALUES (?1, ?2, ?3, 1) ON CONFLICT(room_id, user_id) DO UPDATE"
		" SET membership = excluded.membership, from_sync = 1",
		"ttt", room_id, user, membership);
}

int room_members_set_name(sqlite3 *db, const char *room_id, const char *user,
			  const char *displayname)
{
	return db_execf(db,
		"INSERT INTO room_members(room_id, user_id, membership, from_sync,"
		" displayname) VALUES (?1, ?2, 'join', 1, ?3)"
		" ON CONFLICT(room_id, user_id) DO UPDATE"
		" SET displayname = excluded.displayname",
		"ttt", room_id, user, displayname);
}

int room_members_want(sqlite3 *db, const char *room_id)
{
	return db_execf(db,
		"UPDATE rooms SET members = 'wanted' WHERE room_id = ?1"
		" AND members IS NULL AND dm_user IS NULL AND network IS NOT NULL"
		" AND (pending IS NULL OR pending = 'join')",
		"t", room_id);
}

int room_members_forget(sqlite3 *db, const char *room_id)
{
	if (db_execf(db, "DELETE FROM room_members WHERE room_id = ?1", "t", room_id) < 0)
		return -1;
	return db_execf(db, "UPDATE rooms SET members = NULL WHERE room_id = ?1",
			"t", room_id);
}

char *room_members_next_wanted(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT room_id FROM rooms WHERE"
				      " members = 'wanted' ORDER BY room_id LIMIT 1");
	char *room = NULL;
	if (!st)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		room = xstrdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return room;
}

int room_members_fetch_begin(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE room_members SET from_sync = 0 WHERE room_id = ?1",
			"t", room_id);
}

int room_members_fetch_done(sqlite3 *db, const char *room_id,
			    const char *const *joined, size_t n)
{
	if (db_savepoint(db, "room_members") < 0)
		return -1;
	int rc = db_execf(db, "DELETE FROM room_members WHERE room_id = ?1"
			  " AND from_sync = 0", "t", room_id);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = db_execf(db, "INSERT INTO room_members(room_id, user_id, membership)"
			      " VALUES (?1, ?2, 'join') ON CONFLICT(room_id, user_id)"
			      " DO NOTHING", "tt", room_id, joined[i]);
	if (rc == 0)
		rc = room_members_mark_known(db, room_id);
	if (rc == 0 && db_release(db, "room_members") == 0)
		return 0;
	db_rollback_to(db, "room_members");
	db_release(db, "room_members");
	return -1;
}

int room_members_fetch_failed(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "UPDATE rooms SET members = NULL WHERE room_id = ?1"
			" AND members = 'wanted'", "t", room_id);
}

int room_members_mark_known(sqlite3 *db, const char *room_id)
{
	return db_execf(db, "INSERT INTO rooms(room_id, members) VALUES (?1, 'known')"
			" ON CONFLICT(room_id) DO UPDATE SET members = 'known'",
			"t", room_id);
}

/* The single integer the query gives for room_id (and user), else dflt;
 * negative on error. */
static int query_int(sqlite3 *db, const char *sql, const char *room_id,
		     const char *user, int dflt)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	if (user)
		sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : rc == SQLITE_DONE ? dflt : -1;
	db_done(st);
	return v;
}

int room_members_known(sqlite3 *db, const char *room_id)
{
	return query_int(db, "SELECT members = 'known' FROM rooms WHERE room_id = ?1"
			 " AND members IS NOT NULL", room_id, NULL, 0);
}

int room_members_is_joined(sqlite3 *db, const char *room_id, const char *user)
{
	return query_int(db, "SELECT 1 FROM room_members WHERE room_id = ?1"
			 " AND user_id = ?2 AND membership = 'join'", room_id, user, 0);
}

int room_members_outside(sqlite3 *db, const char *room_id, const char *user)
{
	if (!room_id || !user || room_members_known(db, room_id) != 1)
		return 0;
	return room_members_is_joined(db, room_id, user) == 0;
}

/* The rooms of a network that count for access and roles: verified (their
 * network set), no direct chat, joined (no join or leave pending). */
#define VERIFIED_ROOMS "SELECT room_id FROM rooms WHERE network = ?1" \
	" AND dm_user IS NULL AND pending IS NULL"

int room_members_access(sqlite3 *db, const char *network, const char *room,
			const char *user)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT EXISTS (SELECT 1 FROM rooms WHERE room_id = ?3"
		"   AND network = ?1 AND dm_user IS NULL AND pending IS NULL),"
		" EXISTS (SELECT 1 FROM room_members m JOIN rooms r"
		"   ON r.room_id = m.room_id WHERE m.user_id = ?2"
		"   AND m.membership = 'join' AND r.members = 'known'"
		"   AND r.room_id IN (" VERIFIED_ROOMS ")),"
		" EXISTS (SELECT 1 FROM rooms WHERE members = 'known'"
		"   AND room_id IN (" VERIFIED_ROOMS "))");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, room ? room : "", -1, SQLITE_STATIC);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = sqlite3_column_int(st, 0) || sqlite3_column_int(st, 1)
			? ROOM_ACCESS_YES
			: sqlite3_column_int(st, 2) ? ROOM_ACCESS_NO : ROOM_ACCESS_UNKNOWN;
	db_done(st);
	return rc;
}

int room_members_people(sqlite3 *db, const char *network, const char *room,
			struct room_person **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_prepare(db,
		"SELECT user_id, max(displayname) FROM room_members"
		" WHERE membership = 'join' AND (room_id = ?2 OR room_id IN ("
		VERIFIED_ROOMS ")) GROUP BY user_id ORDER BY user_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network ? network : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, room ? room : "", -1, SQLITE_STATIC);
	size_t n = 0, cap = 0;
	struct room_person *v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		const char *name = (const char *)sqlite3_column_text(st, 1);
		v[n].user_id = xstrdup((const char *)sqlite3_column_text(st, 0));
		v[n].displayname = name ? xstrdup(name) : NULL;
		n++;
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		room_people_free(v, n);
		return -1;
	}
	*out = v;
	return (int)n;
}

int room_members_name_dup(sqlite3 *db, const char *network, const char *room,
			  const char *user, char **name, int *shared)
{
	*name = NULL;
	if (shared)
		*shared = 0;
	sqlite3_stmt *st = db_prepare(db,
		"SELECT m.displayname, EXISTS (SELECT 1 FROM room_members o"
		"   WHERE o.displayname = m.displayname AND o.user_id <> ?3"
		"   AND o.membership = 'join' AND (o.room_id = ?2 OR o.room_id IN ("
		VERIFIED_ROOMS ")))"
		" FROM room_members m WHERE m.user_id = ?3"
		" AND m.displayname IS NOT NULL AND m.displayname <> ''"
		" AND (m.room_id = ?2 OR m.room_id IN (" VERIFIED_ROOMS "))"
		" ORDER BY m.room_id IN (" VERIFIED_ROOMS ") DESC,"
		" m.membership = 'join' DESC, m.room_id LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network ? network : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, room ? room : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*name = xstrdup((const char *)sqlite3_column_text(st, 0));
		if (shared)
			*shared = sqlite3_column_int(st, 1);
	}
	db_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

void room_people_free(struct room_person *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].user_id);
		free(v[i].displayname);
	}
	free(v);
}

char *room_members_network_of_dup(sqlite3 *db, const char *user)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT r.network FROM room_members m JOIN rooms r"
		" ON r.room_id = m.room_id WHERE m.user_id = ?1"
		" AND m.membership = 'join' AND r.network IS NOT NULL"
		" AND r.dm_user IS NULL AND r.pending IS NULL"
		" ORDER BY r.joined_at, r.room_id LIMIT 1");
	char *net = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		net = xstrdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return net;
}
