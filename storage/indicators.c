/* indicators: the effect measurement of an action line, its indicators
 * with their 0-measurement and later measurements; see goals.h. */
#include "storage/goals.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/actionlines.h"
#include "storage/db.h"

void al_indicators_free(struct al_indicator *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].unit);
		for (size_t k = 0; k < v[i].nm; k++) {
			free(v[i].m[k].source);
			free(v[i].m[k].added_by);
		}
		free(v[i].m);
	}
	free(v);
}

int al_indicator_add(sqlite3 *db, struct al_indicator *ind, const char *by, long long at)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO action_line_indicators(line_id, number,"
				      " name, unit, target, created_by, created_at)"
				      " SELECT ?1, coalesce(max(number), 0) + 1, ?2, ?3, ?4, ?5, ?6"
				      " FROM action_line_indicators WHERE line_id = ?1"
				      " RETURNING id, number");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, ind->line_id);
	sqlite3_bind_text(st, 2, ind->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ind->unit, -1, SQLITE_STATIC);
	if (ind->has_target)
		sqlite3_bind_double(st, 4, ind->target);
	sqlite3_bind_text(st, 5, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, at);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		ind->id = sqlite3_column_int64(st, 0);
		ind->number = sqlite3_column_int(st, 1);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	db_done(st);
	return rc;
}

int al_indicator_measure(sqlite3 *db, long long ind_id, double value, long day,
			 const char *source, const char *by, long long at)
{
	char d[11];
	al_day_text(day, d);
	return db_execf(db, "INSERT INTO action_line_indicator_values(indicator_id, value, day,"
			" source, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "idttti",
			(sqlite3_int64)ind_id, value, d, source, by, (sqlite3_int64)at);
}

/* Read the measurements of ind, by day then entry. */
static int read_values(sqlite3 *db, struct al_indicator *ind)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT value, day, source, added_by"
				      " FROM action_line_indicator_values WHERE indicator_id = ?1"
				      " ORDER BY day, id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, ind->id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ind->nm == cap) {
			cap = cap ? cap * 2 : 4;
			ind->m = xrealloc(ind->m, cap * sizeof *ind->m);
		}
		struct al_ind_measure *m = &ind->m[ind->nm++];
		m->value = sqlite3_column_double(st, 0);
		m->day = al_day_parse_iso((const char *)sqlite3_column_text(st, 1));
		m->source = db_col_dup(st, 2);
		m->added_by = db_col_dup(st, 3);
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int al_indicators_of(sqlite3 *db, long long line_id, struct al_indicator **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db, "SELECT id, number, name, unit, target"
				      " FROM action_line_indicators WHERE line_id = ?1 ORDER BY number");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, line_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		struct al_indicator *ind = &(*v)[(*n)++];
		memset(ind, 0, sizeof *ind);
		ind->id = sqlite3_column_int64(st, 0);
		ind->line_id = line_id;
		ind->number = sqlite3_column_int(st, 1);
		ind->name = db_col_dup(st, 2);
		ind->unit = db_col_dup(st, 3);
		ind->has_target = sqlite3_column_type(st, 4) != SQLITE_NULL;
		ind->target = sqlite3_column_double(st, 4);
	}
	db_done(st);
	for (size_t i = 0; rc == SQLITE_DONE && i < *n; i++)
		if (read_values(db, &(*v)[i]) < 0)
			rc = SQLITE_ERROR;
	if (rc != SQLITE_DONE) {
		al_indicators_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
