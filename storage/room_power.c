#include "storage/room_power.h"
#include "storage/db.h"

int room_power_replace(sqlite3 *db, const char *room_id, const char *const *users,
		       const long long *levels, size_t n)
{
	if (db_execf(db, "DELETE FROM room_power WHERE room_id = ?1 AND creator = 0",
		     "t", room_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_execf(db, "INSERT OR REPLACE INTO room_power(room_id, user_id, level)"
			     " VALUES (?1, ?2, ?3)", "tti", room_id, users[i],
			     (sqlite3_int64)levels[i]) < 0)
			return -1;
	return 0;
}

int room_power_set_creators(sqlite3 *db, const char *room_id,
			    const char *const *users, size_t n)
{
	if (db_execf(db, "DELETE FROM room_power WHERE room_id = ?1 AND creator = 1",
		     "t", room_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_execf(db, "INSERT OR REPLACE INTO room_power(room_id, user_id, level,"
			     " creator) VALUES (?1, ?2, ?3, 1)", "tti", room_id, users[i],
			     (sqlite3_int64)ROOM_POWER_CREATOR) < 0)
			return -1;
	return 0;
}

/* The rooms of a network that count: verified (only those have their
 * network set, see bot/rooms.h), not direct chats, joined. */
#define NETWORK_ROOMS "SELECT room_id FROM rooms WHERE network = ?1 AND dm_user IS NULL" \
	" AND pending IS NULL"

long long room_power_in_network(sqlite3 *db, const char *network, const char *user)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT max(level) FROM room_power"
		" WHERE user_id = ?2 AND room_id IN (" NETWORK_ROOMS ")");
	long long level = -1;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		level = sqlite3_column_int64(st, 0);
	db_done(st);
	return level;
}

int room_power_each(sqlite3 *db, const char *network, long long min,
		    room_power_fn fn, void *arg)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT user_id, max(level) AS l FROM room_power"
		" WHERE room_id IN (" NETWORK_ROOMS ") GROUP BY user_id HAVING l >= ?2"
		" ORDER BY l DESC, user_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, min);
	while (sqlite3_step(st) == SQLITE_ROW)
		fn(arg, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	db_done(st);
	return 0;
}
