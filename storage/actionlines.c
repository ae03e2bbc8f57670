/* actionlines: the line itself, loading it with all its parts, and the
 * names of statuses and parts; see storage/actionlines.h. */
#include "storage/actionlines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/db.h"

static const char *const status_keys[AL_NSTATUS] = {
	[AL_ON_TRACK] = "on_track", [AL_AT_RISK] = "at_risk",
	[AL_LATE] = "late", [AL_DONE] = "done",
};
static const char *const part_keys[AL_NPARTS] = {
	[AL_SPONSOR] = "sponsor", [AL_LEAD] = "lead",
	[AL_CARE] = "care", [AL_MEMBER] = "member", [AL_GUIDE] = "guide",
};

/* The status as the table's CHECK spells it. */
const char *al_status_key(enum al_status s)
{
	return (unsigned)s < AL_NSTATUS ? status_keys[s] : "on_track";
}

/* The status stored as s, or -1 (a row from a newer schema). */
int al_status_from_key(const char *s)
{
	for (int i = 0; i < AL_NSTATUS; i++)
		if (s && strcmp(s, status_keys[i]) == 0)
			return i;
	return -1;
}

/* The part as the table's CHECK spells it. */
const char *al_part_key(enum al_part p)
{
	return (unsigned)p < AL_NPARTS ? part_keys[p] : "member";
}

/* Day number to 'YYYY-MM-DD' ("" for no day). */
void al_day_text(long day, char out[11])
{
	if (!day) {
		out[0] = '\0';
		return;
	}
	int y, m, d;
	tz_civil_from_days(day, &y, &m, &d);
	unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
	snprintf(out, 11, "%04u-%02u-%02u", uy, um, ud);
}

/* 'YYYY-MM-DD' to a day number; 0 when s is NULL or not such a day. */
long al_day_parse_iso(const char *s)
{
	int y, m, d;
	char end;
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3)
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > tz_days_in_month(y, m))
		return 0;
	return (long)tz_days_from_civil(y, m, d);
}

static long col_day(sqlite3_stmt *st, int i)
{
	return al_day_parse_iso((const char *)sqlite3_column_text(st, i));
}

void al_free(struct actionline *l)
{
	if (!l)
		return;
	free(l->network);
	free(l->title);
	free(l->goal);
	free(l->status_reason);
	free(l->created_by);
	for (size_t i = 0; i < l->npeople; i++)
		free(l->people[i].user);
	free(l->people);
	for (size_t i = 0; i < l->nphases; i++)
		free(l->phases[i].name);
	free(l->phases);
	for (size_t i = 0; i < l->ndelivs; i++)
		free(l->delivs[i].text);
	free(l->delivs);
	for (size_t i = 0; i < l->nchanges; i++) {
		free(l->changes[i].reason);
		free(l->changes[i].author);
	}
	free(l->changes);
	for (size_t i = 0; i < l->nupdates; i++) {
		free(l->updates[i].author);
		free(l->updates[i].text);
	}
	free(l->updates);
	for (size_t i = 0; i < l->nspending; i++) {
		free(l->spending[i].note);
		free(l->spending[i].author);
	}
	free(l->spending);
	memset(l, 0, sizeof *l);
}

void al_free_list(struct actionline *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		al_free(&v[i]);
	free(v);
}

/* Grow an array of elements of size sz by one (zeroed); returns the new
 * element. */
static void *push(void *arrp, size_t *n, size_t sz)
{
	void **arr = arrp;
	*arr = xrealloc(*arr, (*n + 1) * sz);
	void *e = (char *)*arr + *n * sz;
	memset(e, 0, sz);
	(*n)++;
	return e;
}

/* Run a query bound to the line's id, calling row() per result row. */
static int each_row(sqlite3 *db, const char *sql, long long id,
		    void (*row)(sqlite3_stmt *, struct actionline *), struct actionline *l)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(st, l);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void person_row(sqlite3_stmt *st, struct actionline *l)
{
	const char *k = (const char *)sqlite3_column_text(st, 0);
	struct al_person *p = push(&l->people, &l->npeople, sizeof *p);
	p->part = AL_MEMBER;
	for (int i = 0; i < AL_NPARTS; i++)
		if (k && strcmp(k, part_keys[i]) == 0)
			p->part = (enum al_part)i;
	p->user = db_col_dup(st, 1);
}

static void phase_row(sqlite3_stmt *st, struct actionline *l)
{
	struct al_phase *p = push(&l->phases, &l->nphases, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->position = sqlite3_column_int(st, 1);
	p->name = db_col_dup(st, 2);
	p->start_day = col_day(st, 3);
	p->end_day = col_day(st, 4);
	p->started_on = col_day(st, 5);
	p->done_on = col_day(st, 6);
	p->budget_cents = sqlite3_column_int64(st, 7);
	const char *g = (const char *)sqlite3_column_text(st, 8);
	p->gate = !g ? AL_GATE_OPEN : strcmp(g, "go") == 0 ? AL_GATE_GO : AL_GATE_NOGO;
	p->gate_decision = sqlite3_column_int64(st, 9);
}

static void deliv_row(sqlite3_stmt *st, struct actionline *l)
{
	struct al_deliverable *d = push(&l->delivs, &l->ndelivs, sizeof *d);
	d->id = sqlite3_column_int64(st, 0);
	d->number = sqlite3_column_int(st, 1);
	d->text = db_col_dup(st, 2);
	d->due_day = col_day(st, 3);
	d->phase_id = sqlite3_column_int64(st, 4);
	d->done_on = col_day(st, 5);
}

static void change_row(sqlite3_stmt *st, struct actionline *l)
{
	struct al_status_change *c = push(&l->changes, &l->nchanges, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	int s = al_status_from_key((const char *)sqlite3_column_text(st, 1));
	c->status = s < 0 ? AL_ON_TRACK : (enum al_status)s;
	c->reason = db_col_dup(st, 2);
	c->author = db_col_dup(st, 3);
	c->at = (time_t)sqlite3_column_int64(st, 4);
}

static void update_row(sqlite3_stmt *st, struct actionline *l)
{
	struct al_update *u = push(&l->updates, &l->nupdates, sizeof *u);
	u->author = db_col_dup(st, 0);
	u->text = db_col_dup(st, 1);
	u->at = (time_t)sqlite3_column_int64(st, 2);
}

static void spend_row(sqlite3_stmt *st, struct actionline *l)
{
	struct al_spend *s = push(&l->spending, &l->nspending, sizeof *s);
	s->cents = sqlite3_column_int64(st, 0);
	s->day = col_day(st, 1);
	s->note = db_col_dup(st, 2);
	s->author = db_col_dup(st, 3);
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define AL_RECENT_SQL STR(AL_RECENT)

/* Load the parts of l (l->id set): with history all of them, else the
 * latest AL_RECENT status changes and updates (read newest first through
 * their indexes, then put back in time order) and no spending rows. */
static int load_parts(sqlite3 *db, struct actionline *l, int history)
{
	int rc = 0;
	rc |= each_row(db, "SELECT role, user_id FROM action_line_people WHERE line_id = ?1"
		       " ORDER BY CASE role WHEN 'sponsor' THEN 0 WHEN 'lead' THEN 1"
		       " WHEN 'care' THEN 2 WHEN 'guide' THEN 3 ELSE 4 END, added_at, user_id",
		       l->id, person_row, l);
	rc |= each_row(db, "SELECT id, position, name, start_day, end_day, started_on, done_on,"
		       " budget_cents, gate, gate_decision FROM action_line_phases"
		       " WHERE line_id = ?1 ORDER BY position",
		       l->id, phase_row, l);
	rc |= each_row(db, "SELECT id, number, text, due_day, phase_id, done_on"
		       " FROM action_line_deliverables WHERE line_id = ?1"
		       " ORDER BY due_day, number", l->id, deliv_row, l);
	l->history = history;
	if (!history) {
		rc |= each_row(db, "SELECT * FROM (SELECT id, status, reason, author, at"
			       " FROM action_line_status_log WHERE line_id = ?1"
			       " ORDER BY at DESC, id DESC LIMIT " AL_RECENT_SQL ") ORDER BY at, id",
			       l->id, change_row, l);
		rc |= each_row(db, "SELECT author, text, at FROM (SELECT author, text, at, id"
			       " FROM action_line_updates WHERE line_id = ?1"
			       " ORDER BY at DESC, id DESC LIMIT " AL_RECENT_SQL ") ORDER BY at, id",
			       l->id, update_row, l);
		return rc ? -1 : 0;
	}
	rc |= each_row(db, "SELECT id, status, reason, author, at FROM action_line_status_log"
		       " WHERE line_id = ?1 ORDER BY at, id", l->id, change_row, l);
	rc |= each_row(db, "SELECT author, text, at FROM action_line_updates"
		       " WHERE line_id = ?1 ORDER BY at, id", l->id, update_row, l);
	rc |= each_row(db, "SELECT amount_cents, day, note, author FROM action_line_spending"
		       " WHERE line_id = ?1 ORDER BY day, id", l->id, spend_row, l);
	return rc ? -1 : 0;
}

#define LINE_COLS "id, short_id, network, title, goal, budget_cents, status," \
	" status_reason, status_at, created_by, created_at, spent_cents, team_size"

static void line_from_row(sqlite3_stmt *st, struct actionline *l)
{
	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(st, 0);
	l->short_id = sqlite3_column_int64(st, 1);
	l->network = db_col_dup(st, 2);
	l->title = db_col_dup(st, 3);
	l->goal = db_col_dup(st, 4);
	l->budget_cents = sqlite3_column_int64(st, 5);
	int s = al_status_from_key((const char *)sqlite3_column_text(st, 6));
	l->status = s < 0 ? AL_ON_TRACK : (enum al_status)s;
	l->status_reason = db_col_dup(st, 7);
	l->status_at = (time_t)sqlite3_column_int64(st, 8);
	l->created_by = db_col_dup(st, 9);
	l->created_at = (time_t)sqlite3_column_int64(st, 10);
	l->spent_cents = sqlite3_column_int64(st, 11);
	l->team_size = sqlite3_column_int(st, 12);
}

/* Step a one-row line query (finalized here) and load the parts (all of
 * them with history). */
static int fetch_line(sqlite3 *db, sqlite3_stmt *st, struct actionline *out, int history)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	int res = 0;
	if (rc == SQLITE_ROW) {
		line_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	if (res == 1 && load_parts(db, out, history) < 0) {
		al_free(out);
		return -1;
	}
	return res;
}

int al_load(sqlite3 *db, const char *network, long long short_id, struct actionline *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " LINE_COLS " FROM action_lines"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_line(db, st, out, 0);
}

/* The line with row id, with its recent parts or (history) all of them. */
static int load_by_id(sqlite3 *db, long long id, struct actionline *out, int history)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " LINE_COLS " FROM action_lines WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_line(db, st, out, history);
}

int al_load_id(sqlite3 *db, long long id, struct actionline *out)
{
	return load_by_id(db, id, out, 0);
}

int al_load_history(sqlite3 *db, long long id, struct actionline *out)
{
	return load_by_id(db, id, out, 1);
}

/* A page of the network's lines, with their recent parts or (history) all. */
static int list_page(sqlite3 *db, const char *network, long long limit, long long offset,
		     struct actionline **v, size_t *n, long long *total, int history)
{
	*v = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM action_lines"
				      " WHERE network = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	*total = db_step_int(st);
	if (*total < 0)
		return -1;
	st = db_prepare(db, "SELECT " LINE_COLS " FROM action_lines"
			" WHERE network = ?1 ORDER BY short_id LIMIT ?2 OFFSET ?3");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct actionline *l = push(v, n, sizeof **v);
		line_from_row(st, l);
	}
	db_done(st);
	for (size_t i = 0; rc == SQLITE_DONE && i < *n; i++)
		if (load_parts(db, &(*v)[i], history) < 0)
			rc = SQLITE_ERROR;
	if (rc != SQLITE_DONE) {
		al_free_list(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int al_create(sqlite3 *db, struct actionline *l)
{
	long long sid = db_next_id(db, l->network, "actionline");
	if (sid <= 0)
		return -1;
	int rc = db_execf(db, "INSERT INTO action_lines (network, short_id, title, goal,"
			  " budget_cents, status, status_at, created_by, created_at)"
			  " VALUES (?, ?, ?, ?, ?, 'on_track', ?, ?, ?)", "tittiiti",
			  l->network, (sqlite3_int64)sid, l->title, l->goal,
			  (sqlite3_int64)l->budget_cents, (sqlite3_int64)l->created_at,
			  l->created_by, (sqlite3_int64)l->created_at);
	if (rc < 0)
		return rc;
	l->id = sqlite3_last_insert_rowid(db);
	l->short_id = sid;
	l->status = AL_ON_TRACK;
	l->status_at = l->created_at;
	return db_execf(db, "INSERT INTO action_line_status_log (line_id, status, author, at)"
			" VALUES (?, 'on_track', ?, ?)", "iti", (sqlite3_int64)l->id,
			l->created_by, (sqlite3_int64)l->created_at);
}

int al_set_title(sqlite3 *db, long long id, const char *title)
{
	return db_execf(db, "UPDATE action_lines SET title = ? WHERE id = ?", "ti",
			title, (sqlite3_int64)id);
}

int al_set_goal(sqlite3 *db, long long id, const char *goal)
{
	return db_execf(db, "UPDATE action_lines SET goal = ? WHERE id = ?", "ti",
			goal, (sqlite3_int64)id);
}

int al_set_budget(sqlite3 *db, long long id, long long cents)
{
	return db_execf(db, "UPDATE action_lines SET budget_cents = ? WHERE id = ?", "ii",
			(sqlite3_int64)cents, (sqlite3_int64)id);
}

int al_set_status(sqlite3 *db, long long id, enum al_status s, const char *reason,
		  const char *author, time_t at)
{
	int rc = db_execf(db, "UPDATE action_lines SET status = ?, status_reason = ?,"
			  " status_at = ? WHERE id = ?", "ttii", al_status_key(s), reason,
			  (sqlite3_int64)at, (sqlite3_int64)id);
	if (rc < 0)
		return rc;
	return db_execf(db, "INSERT INTO action_line_status_log (line_id, status, reason,"
			" author, at) VALUES (?, ?, ?, ?, ?)", "ittti", (sqlite3_int64)id,
			al_status_key(s), reason, author, (sqlite3_int64)at);
}

int al_list(sqlite3 *db, const char *network, struct actionline **v, size_t *n)
{
	long long total;
	return list_page(db, network, -1, 0, v, n, &total, 1);
}

int al_list_page(sqlite3 *db, const char *network, long long limit, long long offset,
		 struct actionline **v, size_t *n, long long *total)
{
	return list_page(db, network, limit, offset, v, n, total, 0);
}
