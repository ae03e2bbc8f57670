/* evaluations: the rounds, their questions, members and answers; see
 * evaluations.h. */
#include "storage/evaluations.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

#define COLS "id, short_id, network, template, room_id, created_by, created_at," \
	" deadline, closed_at"

static void read_row(sqlite3_stmt *st, struct wt_eval *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->short_id = sqlite3_column_int64(st, 1);
	e->network = db_col_dup(st, 2);
	e->template_name = db_col_dup(st, 3);
	e->room_id = db_col_dup(st, 4);
	e->created_by = db_col_dup(st, 5);
	e->created_at = (time_t)sqlite3_column_int64(st, 6);
	e->deadline = (time_t)sqlite3_column_int64(st, 7);
	e->closed_at = (time_t)sqlite3_column_int64(st, 8);
}

/* Step st (bound) for one round: 1, 0 or negative; gives st back. */
static int fetch_one(sqlite3_stmt *st, struct wt_eval *out)
{
	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int evals_add(sqlite3 *db, struct wt_eval *e)
{
	long long sid = db_next_id(db, e->network, "evaluation");
	if (sid < 0)
		return -1;
	if (db_execf(db, "INSERT INTO evaluations(network, short_id, template, room_id,"
		     " created_by, created_at, deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		     "titttii", e->network, (sqlite3_int64)sid, e->template_name, e->room_id,
		     e->created_by, (sqlite3_int64)e->created_at,
		     (sqlite3_int64)e->deadline) < 0)
		return -1;
	e->id = sqlite3_last_insert_rowid(db);
	e->short_id = sid;
	return 0;
}

int evals_add_question(sqlite3 *db, long long eval_id, int idx, int kind, long long poll_id)
{
	return db_execf(db, "INSERT INTO evaluation_questions(eval_id, idx, kind, poll_id)"
			" VALUES (?1, ?2, ?3, NULLIF(?4, 0))", "iiti", (sqlite3_int64)eval_id,
			(sqlite3_int64)idx, kind == EVAL_Q_OPEN ? "open" : "scale",
			(sqlite3_int64)poll_id);
}

int evals_add_member(sqlite3 *db, long long eval_id, const char *user)
{
	return db_execf(db, "INSERT OR IGNORE INTO evaluation_members(eval_id, user_id)"
			" VALUES (?1, ?2)", "it", (sqlite3_int64)eval_id, user);
}

int evals_get(sqlite3 *db, const char *network, long long short_id, struct wt_eval *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM evaluations"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_one(st, out);
}

int evals_get_by_id(sqlite3 *db, long long id, struct wt_eval *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM evaluations WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

void eval_free(struct wt_eval *e)
{
	free(e->network);
	free(e->template_name);
	free(e->room_id);
	free(e->created_by);
	memset(e, 0, sizeof *e);
}

int evals_previous(sqlite3 *db, const char *network, const char *template_name,
		   time_t before, struct wt_eval *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM evaluations"
		" WHERE network = ?1 AND template = ?2 AND closed_at IS NOT NULL"
		" AND closed_at < ?3 ORDER BY closed_at DESC LIMIT 1");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, template_name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)before);
	}
	return fetch_one(st, out);
}

int evals_open_ids(sqlite3 *db, const char *network, long long **ids)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM evaluations"
				      " WHERE network = ?1 AND closed_at IS NULL ORDER BY id");
	if (st)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	return db_collect_ids(st, ids);
}

int evals_questions(sqlite3 *db, long long eval_id, struct wt_eval_question **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT idx, kind, coalesce(poll_id, 0), average"
		" FROM evaluation_questions WHERE eval_id = ?1 ORDER BY idx");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, eval_id);
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			*v = xrealloc(*v, (cap = cap ? cap * 2 : 8) * sizeof **v);
		struct wt_eval_question *q = &(*v)[n++];
		q->idx = sqlite3_column_int(st, 0);
		const unsigned char *k = sqlite3_column_text(st, 1);
		q->kind = k && strcmp((const char *)k, "open") == 0 ? EVAL_Q_OPEN : EVAL_Q_SCALE;
		q->poll_id = sqlite3_column_int64(st, 2);
		q->has_average = sqlite3_column_type(st, 3) != SQLITE_NULL;
		q->average = sqlite3_column_double(st, 3);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

/* The first column of each row of st (bound) as strings. */
static int collect_strings(sqlite3_stmt *st, char ***v)
{
	*v = NULL;
	if (!st)
		return -1;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			*v = xrealloc(*v, (cap = cap ? cap * 2 : 8) * sizeof **v);
		(*v)[n++] = db_col_dup(st, 0);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		evals_strings_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

int evals_members(sqlite3 *db, long long eval_id, char ***v)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT user_id FROM evaluation_members"
				      " WHERE eval_id = ?1 ORDER BY user_id");
	if (st)
		sqlite3_bind_int64(st, 1, eval_id);
	return collect_strings(st, v);
}

int evals_is_member(sqlite3 *db, long long eval_id, const char *user)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM evaluation_members"
				      " WHERE eval_id = ?1 AND user_id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, eval_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	long long n = db_step_int(st);
	return n < 0 ? -1 : n > 0;
}

void evals_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int evals_answer(sqlite3 *db, long long eval_id, int idx, const char *user,
		 const char *text, time_t at)
{
	return db_execf(db, "INSERT OR REPLACE INTO evaluation_answers(eval_id, idx, user_id,"
			" text, at) VALUES (?1, ?2, ?3, ?4, ?5)", "iitti", (sqlite3_int64)eval_id,
			(sqlite3_int64)idx, user, text, (sqlite3_int64)at);
}

int evals_answers(sqlite3 *db, long long eval_id, int idx, char ***v)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT text FROM evaluation_answers"
				      " WHERE eval_id = ?1 AND idx = ?2 ORDER BY at, user_id");
	if (st) {
		sqlite3_bind_int64(st, 1, eval_id);
		sqlite3_bind_int(st, 2, idx);
	}
	return collect_strings(st, v);
}

/* The questions of round ?1 that member ?2 has not answered yet. */
#define MISSING_SQL \
	"SELECT count(*) FROM evaluation_questions q WHERE q.eval_id = ?1 AND NOT (" \
	"  (q.kind = 'open' AND EXISTS (SELECT 1 FROM evaluation_answers a" \
	"    WHERE a.eval_id = q.eval_id AND a.idx = q.idx AND a.user_id = ?2))" \
	"  OR (q.kind = 'scale' AND EXISTS (SELECT 1 FROM poll_votes v" \
	"    WHERE v.poll_id = q.poll_id AND v.voter = ?2)))"

int evals_member_done(sqlite3 *db, long long eval_id, const char *user)
{
	sqlite3_stmt *st = db_prepare(db, MISSING_SQL);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, eval_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	long long n = db_step_int(st);
	return n < 0 ? -1 : n == 0;
}

long long evals_done_count(sqlite3 *db, long long eval_id)
{
	char **v;
	int n = evals_members(db, eval_id, &v);
	if (n < 0)
		return -1;
	long long done = 0;
	for (int i = 0; i < n && done >= 0; i++) {
		int d = evals_member_done(db, eval_id, v[i]);
		done = d < 0 ? -1 : done + d;
	}
	evals_strings_free(v, (size_t)n);
	return done;
}

int evals_set_average(sqlite3 *db, long long eval_id, int idx, double avg)
{
	return db_execf(db, "UPDATE evaluation_questions SET average = ?3"
			" WHERE eval_id = ?1 AND idx = ?2", "iid", (sqlite3_int64)eval_id,
			(sqlite3_int64)idx, avg);
}

int evals_close(sqlite3 *db, long long id, time_t now)
{
	return db_execf(db, "UPDATE evaluations SET closed_at = ?2 WHERE id = ?1", "ii",
			(sqlite3_int64)id, (sqlite3_int64)now);
}

int evals_member_ids(sqlite3 *db, long long eval_id, long long **ids)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM evaluation_members"
				      " WHERE eval_id = ?1 ORDER BY id");
	if (st)
		sqlite3_bind_int64(st, 1, eval_id);
	return db_collect_ids(st, ids);
}

int evals_member_by_id(sqlite3 *db, long long id, long long *eval_id, char **user)
{
	*user = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT eval_id, user_id FROM evaluation_members"
				      " WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		*eval_id = sqlite3_column_int64(st, 0);
		*user = db_col_dup(st, 1);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}
