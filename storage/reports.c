/* reports: the scheduled reports and the lead's additions; see reports.h. */
#include "storage/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

#define COLS "id, short_id, network, line_key, period, state, created_at, lang," \
	" markdown, coalesce(compiled_at, 0), approved_by, coalesce(approved_at, 0)," \
	" coalesce(posted_at, 0), unchecked"

static const char *const state_keys[] = { "scheduled", "compiled", "approved", "posted" };

static enum report_state state_from(const unsigned char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp((const char *)s, state_keys[i]) == 0)
			return (enum report_state)i;
	return REPORT_SCHEDULED;
}

static void read_row(sqlite3_stmt *st, struct wt_report *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->short_id = sqlite3_column_int64(st, 1);
	r->network = db_col_dup(st, 2);
	r->line_key = sqlite3_column_int64(st, 3);
	const unsigned char *p = sqlite3_column_text(st, 4);
	snprintf(r->period, sizeof r->period, "%s", p ? (const char *)p : "");
	r->state = state_from(sqlite3_column_text(st, 5));
	r->created_at = (time_t)sqlite3_column_int64(st, 6);
	r->lang = db_col_dup(st, 7);
	r->markdown = db_col_dup(st, 8);
	r->compiled_at = (time_t)sqlite3_column_int64(st, 9);
	r->approved_by = db_col_dup(st, 10);
	r->approved_at = (time_t)sqlite3_column_int64(st, 11);
	r->posted_at = (time_t)sqlite3_column_int64(st, 12);
	r->unchecked = sqlite3_column_int(st, 13);
}

/* Step st (bound) for one report; gives st back. */
static int fetch_one(sqlite3_stmt *st, struct wt_report *out)
{
	memset(out, 0, sizeof *out);
	if (!st)
		return REPORT_EDB;
	int rc = sqlite3_step(st), res = REPORT_NONE;
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		res = REPORT_FOUND;
	} else if (rc != SQLITE_DONE) {
		res = REPORT_EDB;
	}
	db_done(st);
	return res;
}

int reports_ensure(sqlite3 *db, const char *network, long long line_key,
		   const char *period, time_t now, long long *id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM scheduled_reports"
		" WHERE network = ?1 AND line_key = ?2 AND period = ?3");
	if (!st)
		return REPORT_EDB;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, line_key);
	sqlite3_bind_text(st, 3, period, -1, SQLITE_STATIC);
	int found = db_step_one(st, id);
	if (found != 0)
		return found < 0 ? REPORT_EDB : REPORT_FOUND;
	long long sid = db_next_id(db, network, "report");
	if (sid < 0 || db_execf(db, "INSERT INTO scheduled_reports(network, short_id, line_key,"
				" period, created_at) VALUES (?1, ?2, ?3, ?4, ?5)", "tiiti",
				network, (sqlite3_int64)sid, (sqlite3_int64)line_key, period,
				(sqlite3_int64)now) < 0)
		return REPORT_EDB;
	*id = sqlite3_last_insert_rowid(db);
	return REPORT_FOUND;
}

int reports_get(sqlite3 *db, long long id, struct wt_report *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM scheduled_reports WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

int reports_by_short(sqlite3 *db, const char *network, long long short_id,
		     struct wt_report *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM scheduled_reports"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_one(st, out);
}

void report_free(struct wt_report *r)
{
	free(r->network);
	free(r->lang);
	free(r->markdown);
	free(r->approved_by);
	memset(r, 0, sizeof *r);
}

int reports_open_ids(sqlite3 *db, const char *network, long long **ids)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM scheduled_reports"
		" WHERE network = ?1 AND state <> 'posted' ORDER BY id");
	if (st)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	return db_collect_ids(st, ids);
}

int reports_recent(sqlite3 *db, const char *network, long long limit, struct wt_report **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM scheduled_reports"
		" WHERE network = ?1 ORDER BY short_id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			*v = xrealloc(*v, (cap = cap ? cap * 2 : 8) * sizeof **v);
		read_row(st, &(*v)[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		reports_list_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void reports_list_free(struct wt_report *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		report_free(&v[i]);
	free(v);
}

int reports_drop_scheduled(sqlite3 *db, long long id)
{
	return db_execf(db, "DELETE FROM scheduled_reports WHERE id = ?1 AND state = 'scheduled'",
			"i", (sqlite3_int64)id) < 0 ? REPORT_EDB : REPORT_FOUND;
}

/* The outcome of a state step just run (rc from db_execf). */
static int step_outcome(sqlite3 *db, int rc)
{
	if (rc < 0)
		return REPORT_EDB;
	return sqlite3_changes(db) > 0 ? REPORT_FOUND : REPORT_NONE;
}

int reports_set_compiled(sqlite3 *db, long long id, const char *lang,
			 const char *markdown, time_t at)
{
	int rc = db_execf(db, "UPDATE scheduled_reports SET state = 'compiled', lang = ?2,"
			  " markdown = ?3, compiled_at = ?4 WHERE id = ?1 AND state = 'scheduled'",
			  "itti", (sqlite3_int64)id, lang, markdown, (sqlite3_int64)at);
	return step_outcome(db, rc);
}

int reports_set_approved(sqlite3 *db, long long id, const char *by, time_t at)
{
	int rc = db_execf(db, "UPDATE scheduled_reports SET state = 'approved', approved_by = ?2,"
			  " approved_at = ?3 WHERE id = ?1 AND state = 'compiled'",
			  "iti", (sqlite3_int64)id, by, (sqlite3_int64)at);
	return step_outcome(db, rc);
}

int reports_set_posted(sqlite3 *db, long long id, int unchecked, time_t at)
{
	int rc = db_execf(db, "UPDATE scheduled_reports SET state = 'posted', unchecked = ?2,"
			  " posted_at = ?3 WHERE id = ?1 AND state <> 'posted'",
			  "iii", (sqlite3_int64)id, (sqlite3_int64)(unchecked != 0),
			  (sqlite3_int64)at);
	return step_outcome(db, rc);
}

int reports_add_addition(sqlite3 *db, long long id, const char *author,
			 const char *text, time_t at)
{
	return db_execf(db, "INSERT INTO report_additions(report_id, author, text, at)"
			" VALUES (?1, ?2, ?3, ?4)", "itti", (sqlite3_int64)id, author, text,
			(sqlite3_int64)at) < 0 ? REPORT_EDB : REPORT_FOUND;
}

int reports_additions(sqlite3 *db, long long id, struct wt_report_addition **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT author, text, at FROM report_additions"
				      " WHERE report_id = ?1 ORDER BY id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			*v = xrealloc(*v, (cap = cap ? cap * 2 : 4) * sizeof **v);
		struct wt_report_addition *a = &(*v)[n++];
		a->author = db_col_dup(st, 0);
		a->text = db_col_dup(st, 1);
		a->at = (time_t)sqlite3_column_int64(st, 2);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		reports_additions_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void reports_additions_free(struct wt_report_addition *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].author);
		free(v[i].text);
	}
	free(v);
}
