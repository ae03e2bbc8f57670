#include "storage/roles.h"
#include "storage/db.h"

int roles_get(sqlite3 *db, const char *network, const char *user)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT role FROM roles WHERE network = ?1 AND user_id = ?2");
	int role = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		role = sqlite3_column_int(st, 0);
	db_done(st);
	return role;
}

int roles_set(sqlite3 *db, const char *network, const char *user, int role,
	      const char *set_by, time_t now)
{
	if (role <= 1)
		return db_execf(db, "DELETE FROM roles WHERE network = ?1 AND user_id = ?2",
				"tt", network, user);
	return db_execf(db,
		"INSERT INTO roles(network, user_id, role, set_by, set_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT(network, user_id) DO UPDATE SET role = excluded.role,"
		" set_by = excluded.set_by, set_at = excluded.set_at",
		"ttiti", network, user, (sqlite3_int64)role, set_by, (sqlite3_int64)now);
}

int roles_each(sqlite3 *db, const char *network, roles_each_fn fn, void *arg)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT user_id, role FROM roles WHERE network = ?1"
		" ORDER BY role DESC, user_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		fn(arg, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1));
	db_done(st);
	return 0;
}

int roles_each_network(sqlite3 *db, const char *user,
		       int (*fn)(void *arg, const char *network), void *arg)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT network FROM roles"
				      " WHERE user_id = ?1 ORDER BY role DESC");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW
	       && !fn(arg, (const char *)sqlite3_column_text(st, 0)))
		;
	db_done(st);
	return 0;
}
