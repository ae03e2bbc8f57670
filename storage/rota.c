/* rota: organisations and the rotation schedule; see rota.h. */
#include "storage/rota.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

int org_set(sqlite3 *db, const char *network, const char *user, const char *org, time_t now)
{
	return db_execf(db, "INSERT INTO member_orgs(network, user_id, organisation, set_at)"
			" VALUES (?1, ?2, ?3, ?4) ON CONFLICT(network, user_id) DO UPDATE SET"
			" organisation = excluded.organisation, set_at = excluded.set_at",
			"ttti", network, user, org, (sqlite3_int64)now);
}

int org_clear(sqlite3 *db, const char *network, const char *user)
{
	if (db_execf(db, "DELETE FROM member_orgs WHERE network = ?1 AND user_id = ?2", "tt",
		     network, user) < 0)
		return -1;
	return sqlite3_changes(db) > 0;
}

char *org_of_dup(sqlite3 *db, const char *network, const char *user)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT organisation FROM member_orgs"
				      " WHERE network = ?1 AND user_id = ?2");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_TRANSIENT);
	char *org = sqlite3_step(st) == SQLITE_ROW ? db_col_dup(st, 0) : NULL;
	db_done(st);
	return org;
}

int org_members(sqlite3 *db, const char *network, struct org_member **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT organisation, user_id FROM member_orgs"
				      " WHERE network = ?1 ORDER BY organisation COLLATE NOCASE,"
				      " user_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xrealloc(*v, (n + 1) * sizeof **v);
		(*v)[n].org = db_col_dup(st, 0);
		(*v)[n++].user = db_col_dup(st, 1);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		org_members_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void org_members_free(struct org_member *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].org);
		free(v[i].user);
	}
	free(v);
}

#define ROTA_COLS "id, short_id, network, organisation, user_id, first_day, last_day," \
	" created_by, created_at"

static void rota_from_row(sqlite3_stmt *st, struct wt_rota *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->short_id = sqlite3_column_int64(st, 1);
	r->network = db_col_dup(st, 2);
	r->org = db_col_dup(st, 3);
	r->user = db_col_dup(st, 4);
	r->first_day = (long)sqlite3_column_int64(st, 5);
	r->last_day = (long)sqlite3_column_int64(st, 6);
	r->created_by = db_col_dup(st, 7);
	r->created_at = (time_t)sqlite3_column_int64(st, 8);
}

/* Step a one-row query into out and give st back. */
static int rota_fetch(sqlite3_stmt *st, struct wt_rota *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		rota_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int rota_add(sqlite3 *db, struct wt_rota *r)
{
	long long sid = db_next_id(db, r->network, "rota");
	if (sid <= 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO rota(network, short_id, organisation,"
		" user_id, first_day, last_day, created_by, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, sid);
	sqlite3_bind_text(st, 3, r->org, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, r->user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, r->first_day);
	sqlite3_bind_int64(st, 6, r->last_day);
	sqlite3_bind_text(st, 7, r->created_by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)r->created_at);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	r->id = sqlite3_last_insert_rowid(db);
	r->short_id = sid;
	return 0;
}

int rota_by_short_id(sqlite3 *db, const char *network, long long short_id, struct wt_rota *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " ROTA_COLS " FROM rota"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return rota_fetch(st, out);
}

int rota_by_id(sqlite3 *db, long long id, struct wt_rota *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " ROTA_COLS " FROM rota WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return rota_fetch(st, out);
}

int rota_delete(sqlite3 *db, long long id)
{
	return db_execf(db, "DELETE FROM rota WHERE id = ?1", "i", (sqlite3_int64)id);
}

int rota_overlap(sqlite3 *db, const char *network, const char *org, long first, long last,
		 struct wt_rota *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " ROTA_COLS " FROM rota"
		" WHERE network = ?1 AND last_day >= ?3 AND first_day <= ?4"
		" AND organisation = ?2 COLLATE NOCASE ORDER BY first_day LIMIT 1");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, org, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, first);
		sqlite3_bind_int64(st, 4, last);
	}
	return rota_fetch(st, out);
}

int rota_successor(sqlite3 *db, const char *network, const char *org, long day,
		   struct wt_rota *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " ROTA_COLS " FROM rota"
		" WHERE network = ?1 AND last_day > ?3 AND first_day > ?3"
		" AND organisation = ?2 COLLATE NOCASE ORDER BY first_day LIMIT 1");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, org, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, day);
	}
	return rota_fetch(st, out);
}

int rota_current(sqlite3 *db, const char *network, long day, struct wt_rota **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " ROTA_COLS " FROM rota"
		" WHERE network = ?1 AND last_day >= ?2"
		" ORDER BY organisation COLLATE NOCASE, first_day, short_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, day);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xrealloc(*v, (n + 1) * sizeof **v);
		rota_from_row(st, &(*v)[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		rota_list_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void rota_free(struct wt_rota *r)
{
	free(r->network);
	free(r->org);
	free(r->user);
	free(r->created_by);
	memset(r, 0, sizeof *r);
}

void rota_list_free(struct wt_rota *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rota_free(&v[i]);
	free(v);
}
