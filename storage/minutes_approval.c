/* minutes_approval: draft and approved minutes; see minutes_approval.h. */
#include "storage/minutes_approval.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/minutes.h"

int minutes_approval_of(sqlite3 *db, long long meeting_id, struct wt_approval *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_prepare(db, "SELECT approved_at, approved_by, approved_in,"
				      " afterwards FROM meeting_runs WHERE meeting_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		out->at = (time_t)sqlite3_column_int64(st, 0);
		out->by = db_col_dup(st, 1);
		out->in_meeting = sqlite3_column_int64(st, 2);
		out->afterwards = sqlite3_column_int(st, 3);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

void approval_free(struct wt_approval *a)
{
	free(a->by);
	memset(a, 0, sizeof *a);
}

int minutes_are_approved(sqlite3 *db, long long meeting_id)
{
	if (!meeting_id)
		return 0;
	struct wt_approval a;
	int found = minutes_approval_of(db, meeting_id, &a);
	int res = found < 0 ? -1 : found && a.at != 0;
	approval_free(&a);
	return res;
}

int minutes_approved_in(sqlite3 *db, long long meeting_id, long long **ids)
{
	*ids = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT m.short_id FROM meeting_runs r"
				      " JOIN meetings m ON m.id = r.meeting_id"
				      " WHERE r.approved_in = ?1 ORDER BY r.approved_at, m.short_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	return db_collect_ids(st, ids);
}

int minutes_approve(sqlite3 *db, long long meeting_id, time_t at, const char *by,
		    long long in_meeting)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE meeting_runs SET approved_at = ?2,"
				      " approved_by = ?3, approved_in = ?4 WHERE meeting_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)at);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_TRANSIENT);
	if (in_meeting)
		sqlite3_bind_int64(st, 4, in_meeting);
	else
		sqlite3_bind_null(st, 4);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int minutes_correction_add(sqlite3 *db, long long meeting_id, const char *text,
			   const char *by, time_t at)
{
	return db_execf(db, "INSERT INTO minutes_corrections(meeting_id, text, logged_by, at)"
			" VALUES (?1, ?2, ?3, ?4)", "itti", (sqlite3_int64)meeting_id, text, by,
			(sqlite3_int64)at);
}

int minutes_corrections(sqlite3 *db, long long meeting_id, char ***texts)
{
	*texts = xcalloc(1, sizeof **texts);
	sqlite3_stmt *st = db_prepare(db, "SELECT text FROM minutes_corrections"
				      " WHERE meeting_id = ?1 ORDER BY id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*texts = xrealloc(*texts, (n + 2) * sizeof **texts);
		(*texts)[n++] = db_col_dup(st, 0);
		(*texts)[n] = NULL;
	}
	db_done(st);
	return rc == SQLITE_DONE ? (int)n : -1;
}

void minutes_corrections_free(char **texts)
{
	for (size_t i = 0; texts && texts[i]; i++)
		free(texts[i]);
	free(texts);
}

int run_record_held(sqlite3 *db, const struct wt_run *r)
{
	return db_execf(db, "INSERT INTO meeting_runs(meeting_id, network, room, opened_by,"
			" opened_at, closed_at, afterwards) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
			"itttii", (sqlite3_int64)r->meeting_id, r->network, r->room, r->opened_by,
			(sqlite3_int64)r->opened_at, (sqlite3_int64)r->closed_at);
}
