/* proposals: proposals and their steps; see proposals.h. */
#include "storage/proposals.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

static const char *const stage_names[] = {
	"draft", "prepared", "approved", "adopted", "rejected",
};
#define NSTAGES (sizeof stage_names / sizeof stage_names[0])

const char *proposal_stage_name(enum proposal_stage s)
{
	return (unsigned)s < NSTAGES ? stage_names[s] : "draft";
}

static enum proposal_stage stage_parse(const unsigned char *s)
{
	for (size_t i = 0; s && i < NSTAGES; i++)
		if (strcmp((const char *)s, stage_names[i]) == 0)
			return (enum proposal_stage)i;
	return PROPOSAL_DRAFT;
}

int proposal_create(sqlite3 *db, struct wt_proposal *p)
{
	long long sid = db_next_id(db, p->network, "proposal");
	if (sid < 0)
		return -1;
	if (db_execf(db, "INSERT INTO proposals(network, short_id, title, body_id, stage,"
		     " agenda_item_id, created_by, created_at)"
		     " VALUES (?1, ?2, ?3, nullif(?4, 0), 'draft', nullif(?5, 0), ?6, ?7)",
		     "titiiti", p->network, (sqlite3_int64)sid, p->title,
		     (sqlite3_int64)p->body_id, (sqlite3_int64)p->agenda_item_id,
		     p->created_by, (sqlite3_int64)p->created_at) < 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(db);
	p->short_id = sid;
	p->stage = PROPOSAL_DRAFT;
	return 0;
}

#define PROPOSAL_COLS "id, short_id, network, title, coalesce(body_id, 0), stage," \
	" coalesce(agenda_item_id, 0), created_by, created_at"

static void proposal_from_row(sqlite3_stmt *st, struct wt_proposal *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->short_id = sqlite3_column_int64(st, 1);
	p->network = db_col_dup(st, 2);
	p->title = db_col_dup(st, 3);
	p->body_id = sqlite3_column_int64(st, 4);
	p->stage = stage_parse(sqlite3_column_text(st, 5));
	p->agenda_item_id = sqlite3_column_int64(st, 6);
	p->created_by = db_col_dup(st, 7);
	p->created_at = (time_t)sqlite3_column_int64(st, 8);
}

static int fetch_one(sqlite3_stmt *st, struct wt_proposal *out)
{
	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		proposal_from_row(st, out);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int proposal_by_short_id(sqlite3 *db, const char *network, long long short_id,
			 struct wt_proposal *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " PROPOSAL_COLS " FROM proposals"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_one(st, out);
}

int proposal_by_item(sqlite3 *db, long long item_id, struct wt_proposal *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " PROPOSAL_COLS " FROM proposals"
				      " WHERE agenda_item_id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, item_id);
	return fetch_one(st, out);
}

int proposal_update(sqlite3 *db, const struct wt_proposal *p)
{
	return db_execf(db, "UPDATE proposals SET body_id = nullif(?2, 0), stage = ?3,"
			" agenda_item_id = nullif(?4, 0) WHERE id = ?1", "iiti",
			(sqlite3_int64)p->id, (sqlite3_int64)p->body_id,
			proposal_stage_name(p->stage), (sqlite3_int64)p->agenda_item_id);
}

int proposal_step_add(sqlite3 *db, long long proposal_id, struct wt_proposal_step *s)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT max(id) FROM proposal_steps"
				      " WHERE proposal_id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, proposal_id);
	long long prev = 0;
	if (db_step_one(st, &prev) < 0)
		return -1;
	s->prev_step = prev;
	if (db_execf(db, "INSERT INTO proposal_steps(proposal_id, body_id, stage, meeting_id,"
		     " decision_id, prev_step, at) VALUES (?1, nullif(?2, 0), ?3, nullif(?4, 0),"
		     " nullif(?5, 0), nullif(?6, 0), ?7)", "iitiiii", (sqlite3_int64)proposal_id,
		     (sqlite3_int64)s->body_id, proposal_stage_name(s->stage),
		     (sqlite3_int64)s->meeting_id, (sqlite3_int64)s->decision_id,
		     (sqlite3_int64)prev, (sqlite3_int64)s->at) < 0)
		return -1;
	s->id = sqlite3_last_insert_rowid(db);
	return 0;
}

int proposal_steps(sqlite3 *db, long long proposal_id, struct wt_proposal_step **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT s.id, coalesce(s.body_id, 0), s.stage,"
				      " coalesce(s.meeting_id, 0), coalesce(s.decision_id, 0),"
				      " coalesce(s.prev_step, 0), s.at, b.name,"
				      " coalesce(m.short_id, 0), coalesce(m.starts_at, 0),"
				      " coalesce(l.short_id, 0) FROM proposal_steps s"
				      " LEFT JOIN bodies b ON b.id = s.body_id"
				      " LEFT JOIN meetings m ON m.id = s.meeting_id"
				      " LEFT JOIN logged_items l ON l.id = s.decision_id"
				      " WHERE s.proposal_id = ?1 ORDER BY s.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, proposal_id);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xrealloc(*v, (n + 1) * sizeof **v);
		struct wt_proposal_step *s = &(*v)[n++];
		s->id = sqlite3_column_int64(st, 0);
		s->body_id = sqlite3_column_int64(st, 1);
		s->stage = stage_parse(sqlite3_column_text(st, 2));
		s->meeting_id = sqlite3_column_int64(st, 3);
		s->decision_id = sqlite3_column_int64(st, 4);
		s->prev_step = sqlite3_column_int64(st, 5);
		s->at = (time_t)sqlite3_column_int64(st, 6);
		s->body_name = db_col_dup(st, 7);
		s->meeting_short = sqlite3_column_int64(st, 8);
		s->meeting_at = (time_t)sqlite3_column_int64(st, 9);
		s->decision_short = sqlite3_column_int64(st, 10);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		proposal_steps_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void proposal_steps_free(struct wt_proposal_step *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].body_name);
	free(v);
}

int proposal_list(sqlite3 *db, const char *network, size_t max, struct wt_proposal **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " PROPOSAL_COLS " FROM proposals"
				      " WHERE network = ?1 ORDER BY short_id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xrealloc(*v, (n + 1) * sizeof **v);
		proposal_from_row(st, &(*v)[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		proposal_list_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void proposal_free(struct wt_proposal *p)
{
	free(p->network);
	free(p->title);
	free(p->created_by);
	memset(p, 0, sizeof *p);
}

void proposal_list_free(struct wt_proposal *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		proposal_free(&v[i]);
	free(v);
}
