/* goals: the goals of a network and their measurements, and the indicators
 * of an action line; see goals.h. */
#include "storage/goals.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/actionlines.h"
#include "storage/db.h"

#define GOAL_COLS "id, short_id, network, title, target, unit, period, owner, frequency," \
	" created_by, created_at"

void goal_free(struct goal *g)
{
	free(g->network);
	free(g->title);
	free(g->unit);
	free(g->period);
	free(g->owner);
	free(g->created_by);
	memset(g, 0, sizeof *g);
}

void goal_free_list(struct goal *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		goal_free(&v[i]);
	free(v);
}

void goal_measurements_free(struct goal_measurement *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].source);
		free(v[i].added_by);
	}
	free(v);
}

static void goal_row(sqlite3_stmt *st, struct goal *g)
{
	memset(g, 0, sizeof *g);
	g->id = sqlite3_column_int64(st, 0);
	g->short_id = sqlite3_column_int64(st, 1);
	g->network = db_col_dup(st, 2);
	g->title = db_col_dup(st, 3);
	g->has_target = sqlite3_column_type(st, 4) != SQLITE_NULL;
	g->target = sqlite3_column_double(st, 4);
	g->unit = db_col_dup(st, 5);
	g->period = db_col_dup(st, 6);
	g->owner = db_col_dup(st, 7);
	g->freq = (enum goal_freq)sqlite3_column_int(st, 8);
	g->created_by = db_col_dup(st, 9);
	g->created_at = sqlite3_column_int64(st, 10);
}

int goal_create(sqlite3 *db, struct goal *g)
{
	long long sid = db_next_id(db, g->network, "goal");
	if (sid <= 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO goals(network, short_id, title, target,"
				      " unit, period, owner, frequency, created_by, created_at)"
				      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, g->network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sid);
	sqlite3_bind_text(st, 3, g->title, -1, SQLITE_STATIC);
	if (g->has_target)
		sqlite3_bind_double(st, 4, g->target);
	sqlite3_bind_text(st, 5, g->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, g->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, g->owner, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, (int)g->freq);
	sqlite3_bind_text(st, 9, g->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, g->created_at);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	db_done(st);
	if (rc == 0) {
		g->id = sqlite3_last_insert_rowid(db);
		g->short_id = sid;
	}
	return rc;
}

/* Step st for one goal row into out. */
static int goal_one(sqlite3_stmt *st, struct goal *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		goal_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int goal_load(sqlite3 *db, const char *network, long long short_id, struct goal *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " GOAL_COLS " FROM goals"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return goal_one(st, out);
}

int goal_load_id(sqlite3 *db, long long id, struct goal *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " GOAL_COLS " FROM goals WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return goal_one(st, out);
}

int goal_list(sqlite3 *db, const char *network, struct goal **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db, "SELECT " GOAL_COLS " FROM goals"
				      " WHERE network = ?1 ORDER BY short_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		goal_row(st, &(*v)[(*n)++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		goal_free_list(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int goal_update(sqlite3 *db, const struct goal *g)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE goals SET title = ?2, target = ?3, unit = ?4,"
				      " period = ?5, owner = ?6, frequency = ?7 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, g->id);
	sqlite3_bind_text(st, 2, g->title, -1, SQLITE_STATIC);
	if (g->has_target)
		sqlite3_bind_double(st, 3, g->target);
	sqlite3_bind_text(st, 4, g->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, g->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, g->owner, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, (int)g->freq);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	db_done(st);
	return rc;
}

int goal_measurement_add_by(sqlite3 *db, long long goal_id, double value, long long at,
			    const char *source, const char *by)
{
	if (db_execf(db, "INSERT INTO goal_measurements(goal_id, value, at, source, added_by)"
		     " SELECT id, ?2, ?3, ?4, ?5 FROM goals WHERE id = ?1", "iditt",
		     (sqlite3_int64)goal_id, value, (sqlite3_int64)at, source, by) < 0)
		return -1;
	return sqlite3_changes(db) == 1 ? 0 : -1;
}

int goal_measurement_add(sqlite3 *db, long long goal_id, double value, long long at,
			 const char *source)
{
	return goal_measurement_add_by(db, goal_id, value, at, source, NULL);
}

/* The number of measurements of goal_id, or negative. */
static long long goal_count(sqlite3 *db, long long goal_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM goal_measurements"
				      " WHERE goal_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, goal_id);
	return db_step_int(st);
}

int goal_measurements(sqlite3 *db, long long goal_id, long long until, long long limit,
		      struct goal_measurement **v, size_t *n, long long *total)
{
	*v = NULL;
	*n = 0;
	if (total && (*total = goal_count(db, goal_id)) < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "SELECT id, value, at, source, added_by"
				      " FROM goal_measurements WHERE goal_id = ?1 AND at <= ?2"
				      " ORDER BY at DESC, id DESC LIMIT ?3");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, goal_id);
	sqlite3_bind_int64(st, 2, until > 0 ? until : (long long)1 << 62);
	sqlite3_bind_int64(st, 3, limit);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		struct goal_measurement *m = &(*v)[(*n)++];
		m->id = sqlite3_column_int64(st, 0);
		m->value = sqlite3_column_double(st, 1);
		m->at = sqlite3_column_int64(st, 2);
		m->source = db_col_dup(st, 3);
		m->added_by = db_col_dup(st, 4);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		goal_measurements_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	/* Newest first from the query; oldest first for the reader. */
	for (size_t i = 0; i < *n / 2; i++) {
		struct goal_measurement t = (*v)[i];
		(*v)[i] = (*v)[*n - 1 - i];
		(*v)[*n - 1 - i] = t;
	}
	return 0;
}
