/* polls: the polls, their answers and responses; see polls.h. */
#include "storage/polls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/db.h"

#define COLS "id, short_id, network, room_id, question, kind, max_selections," \
	" anonymous, created_by, created_at, ends_at, ended_at, event_id, goal_id"

/* One row of COLS into out. */
static void read_row(sqlite3_stmt *st, struct wt_poll *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->short_id = sqlite3_column_int64(st, 1);
	p->network = db_col_dup(st, 2);
	p->room_id = db_col_dup(st, 3);
	p->question = db_col_dup(st, 4);
	const unsigned char *kind = sqlite3_column_text(st, 5);
	p->scale = kind && strcmp((const char *)kind, "scale") == 0;
	p->max_selections = sqlite3_column_int(st, 6);
	p->anonymous = sqlite3_column_int(st, 7);
	p->created_by = db_col_dup(st, 8);
	p->created_at = (time_t)sqlite3_column_int64(st, 9);
	p->ends_at = (time_t)sqlite3_column_int64(st, 10);
	p->ended_at = (time_t)sqlite3_column_int64(st, 11);
	p->event_id = db_col_dup(st, 12);
	p->goal_id = sqlite3_column_int64(st, 13);
}

/* Step st (bound) for one poll: 1, 0 or negative; gives st back. */
static int fetch_one(sqlite3_stmt *st, struct wt_poll *out)
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

int polls_add(sqlite3 *db, struct wt_poll *p, const char *const *answers, size_t n)
{
	long long sid = db_next_id(db, p->network, "poll");
	if (sid < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO polls(network, short_id, room_id,"
		" question, kind, max_selections, anonymous, created_by, created_at, ends_at, goal_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULLIF(?10, 0), NULLIF(?11, 0))");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, p->network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sid);
	sqlite3_bind_text(st, 3, p->room_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->question, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->scale ? "scale" : "choice", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, p->max_selections);
	sqlite3_bind_int(st, 7, p->anonymous);
	sqlite3_bind_text(st, 8, p->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)p->created_at);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)p->ends_at);
	sqlite3_bind_int64(st, 11, p->goal_id);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	p->id = sqlite3_last_insert_rowid(db);
	p->short_id = sid;
	for (size_t i = 0; i < n; i++) {
		char key[24];
		snprintf(key, sizeof key, "a%zu", i + 1);
		if (db_execf(db, "INSERT INTO poll_answers(poll_id, idx, answer_key, text)"
			     " VALUES (?1, ?2, ?3, ?4)", "iitt", (sqlite3_int64)p->id,
			     (sqlite3_int64)i, key, answers[i]) < 0)
			return -1;
	}
	return 0;
}

int polls_get(sqlite3 *db, const char *network, long long short_id, struct wt_poll *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM polls"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_one(st, out);
}

int polls_get_by_id(sqlite3 *db, long long id, struct wt_poll *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM polls WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

int polls_by_event(sqlite3 *db, const char *room_id, const char *event_id,
		   struct wt_poll *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM polls"
				      " WHERE event_id = ?1 AND room_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, room_id, -1, SQLITE_STATIC);
	}
	return fetch_one(st, out);
}

int polls_list(sqlite3 *db, const char *network, int max, struct wt_poll **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM polls"
				      " WHERE network = ?1 ORDER BY short_id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, max);
	int n = 0, rc = SQLITE_DONE;
	struct wt_poll *out = calloc((size_t)(max > 0 ? max : 1), sizeof *out);
	while (out && n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_row(st, &out[n++]);
	int bad = !out || (n < max && rc != SQLITE_DONE);
	db_done(st);
	if (bad) {
		polls_list_free(out, (size_t)n);
		return -1;
	}
	*v = out;
	return n;
}

void poll_free(struct wt_poll *p)
{
	free(p->network);
	free(p->room_id);
	free(p->question);
	free(p->created_by);
	free(p->event_id);
	memset(p, 0, sizeof *p);
}

void polls_list_free(struct wt_poll *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		poll_free(&v[i]);
	free(v);
}

int polls_answers(sqlite3 *db, long long poll_id, struct wt_poll_answer **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT a.answer_key, a.text,"
		" (SELECT count(*) FROM poll_votes v WHERE v.poll_id = a.poll_id"
		" AND v.answer_key = a.answer_key) FROM poll_answers a"
		" WHERE a.poll_id = ?1 ORDER BY a.idx");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, poll_id);
	struct wt_poll_answer *out = calloc(POLL_MAX_ANSWERS, sizeof *out);
	int n = 0, rc = SQLITE_DONE;
	while (out && n < POLL_MAX_ANSWERS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[n].key = db_col_dup(st, 0);
		out[n].text = db_col_dup(st, 1);
		out[n].votes = sqlite3_column_int64(st, 2);
		n++;
	}
	int bad = !out || (rc != SQLITE_DONE && rc != SQLITE_ROW);
	db_done(st);
	if (bad) {
		poll_answers_free(out, (size_t)n);
		return -1;
	}
	*v = out;
	return n;
}

void poll_answers_free(struct wt_poll_answer *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].key);
		free(v[i].text);
	}
	free(v);
}

long long polls_voter_count(sqlite3 *db, long long poll_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(DISTINCT voter) FROM poll_votes"
				      " WHERE poll_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, poll_id);
	return db_step_int(st);
}

int polls_voters(sqlite3 *db, long long poll_id, const char *key, char ***out)
{
	*out = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT voter FROM poll_votes WHERE poll_id = ?1"
				      " AND answer_key = ?2 ORDER BY voter");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, poll_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	size_t n = 0, cap = 0;
	char **v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			char **nv = realloc(v, cap * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		v[n++] = db_col_dup(st, 0);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		poll_voters_free(v, n);
		return -1;
	}
	*out = v;
	return (int)n;
}

void poll_voters_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int polls_vote(sqlite3 *db, long long poll_id, const char *voter,
	       const char *const *keys, size_t n, long long ts_ms, const char *event_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT max(ts) FROM poll_votes"
				      " WHERE poll_id = ?1 AND voter = ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, poll_id);
	sqlite3_bind_text(st, 2, voter, -1, SQLITE_STATIC);
	long long newest = db_step_int(st);
	if (newest > ts_ms)
		return POLL_VOTE_OLDER;
	if (db_execf(db, "DELETE FROM poll_votes WHERE poll_id = ?1 AND voter = ?2", "it",
		     (sqlite3_int64)poll_id, voter) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_execf(db, "INSERT INTO poll_votes(poll_id, voter, answer_key, ts, event_id)"
			     " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING", "ittit",
			     (sqlite3_int64)poll_id, voter, keys[i], (sqlite3_int64)ts_ms,
			     event_id) < 0)
			return -1;
	return POLL_VOTE_COUNTED;
}

int polls_link_outbox(sqlite3 *db, long long poll_id, long long outbox_id)
{
	return db_execf(db, "UPDATE polls SET start_txn = (SELECT txn_id FROM outbox"
			" WHERE id = ?1) WHERE id = ?2", "ii", (sqlite3_int64)outbox_id,
			(sqlite3_int64)poll_id);
}

int polls_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id)
{
	return db_execf(db, "UPDATE polls SET event_id = ?1, start_txn = NULL WHERE start_txn ="
			" (SELECT txn_id FROM outbox WHERE id = ?2)", "ti", event_id,
			(sqlite3_int64)outbox_id);
}

int polls_end(sqlite3 *db, long long poll_id, time_t now)
{
	return db_execf(db, "UPDATE polls SET ended_at = ?1 WHERE id = ?2 AND ended_at IS NULL",
			"ii", (sqlite3_int64)now, (sqlite3_int64)poll_id);
}

int polls_due(sqlite3 *db, time_t now, int max, long long **ids)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM polls WHERE ended_at IS NULL"
				      " AND ends_at <= ?1 ORDER BY ends_at LIMIT ?2");
	if (st) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
		sqlite3_bind_int(st, 2, max);
	}
	return db_collect_ids(st, ids);
}

int polls_next_end(sqlite3 *db, time_t *at)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT ends_at FROM polls WHERE ended_at IS NULL"
				      " AND ends_at IS NOT NULL ORDER BY ends_at LIMIT 1");
	long long v = 0;
	int rc = db_step_one(st, &v);
	if (rc == 1)
		*at = (time_t)v;
	return rc;
}
