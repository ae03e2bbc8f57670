#include "storage/advice.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

static const char *const state_names[ADVICE_NSTATES] = {
	[ADVICE_RECEIVED] = "received",
	[ADVICE_ACCEPTED] = "accepted",
	[ADVICE_IN_PROGRESS] = "in_progress",
	[ADVICE_DELIVERED] = "delivered",
	[ADVICE_DECIDED] = "decided",
	[ADVICE_DECLINED] = "declined",
	[ADVICE_WITHDRAWN] = "withdrawn",
};

static const char *const outcome_names[] = {
	[OUTCOME_NONE] = NULL,
	[OUTCOME_ADOPTED] = "adopted",
	[OUTCOME_PARTLY] = "partly",
	[OUTCOME_REJECTED] = "rejected",
};

/* The state's name as the table's CHECK constraint spells it. */
const char *advice_state_name(enum advice_state s)
{
	if ((unsigned)s >= ADVICE_NSTATES)
		return "received";
	return state_names[s];
}

/* The state called s, or -1 (a row from a newer schema must not crash us). */
int advice_state_parse(const char *s)
{
	for (int i = 0; i < ADVICE_NSTATES; i++)
		if (s && strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

int advice_state_closed(enum advice_state s)
{
	return s == ADVICE_DECIDED || s == ADVICE_DECLINED || s == ADVICE_WITHDRAWN;
}

int advice_state_pending(enum advice_state s)
{
	return s == ADVICE_RECEIVED || s == ADVICE_ACCEPTED || s == ADVICE_IN_PROGRESS;
}

const char *advice_outcome_name(enum advice_outcome o)
{
	if ((unsigned)o > OUTCOME_REJECTED)
		return NULL;
	return outcome_names[o];
}

int advice_outcome_parse(const char *s)
{
	for (int i = OUTCOME_ADOPTED; i <= OUTCOME_REJECTED; i++)
		if (s && strcmp(s, outcome_names[i]) == 0)
			return i;
	return -1;
}

#define ADVICE_COLS \
	"id, short_id, network, title, question, theme, why, what, how," \
	" deadline, requested_by, submitted_by, room, state, draft, draft_by," \
	" draft_at, outcome, note, created_at, updated_at, event_id, requester_stakeholder"

/* Fill a from a row selected with ADVICE_COLS. */
static void advice_from_row(sqlite3_stmt *st, struct wt_advice *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->short_id = sqlite3_column_int64(st, 1);
	a->network = db_col_dup(st, 2);
	a->title = db_col_dup(st, 3);
	a->question = db_col_dup(st, 4);
	a->theme = db_col_dup(st, 5);
	a->why = db_col_dup(st, 6);
	a->what = db_col_dup(st, 7);
	a->how = db_col_dup(st, 8);
	a->deadline = (time_t)sqlite3_column_int64(st, 9);
	a->requested_by = db_col_dup(st, 10);
	a->submitted_by = db_col_dup(st, 11);
	a->room = db_col_dup(st, 12);
	int s = advice_state_parse((const char *)sqlite3_column_text(st, 13));
	a->state = s < 0 ? ADVICE_WITHDRAWN : (enum advice_state)s;
	a->draft = db_col_dup(st, 14);
	a->draft_by = db_col_dup(st, 15);
	a->draft_at = (time_t)sqlite3_column_int64(st, 16);
	int o = advice_outcome_parse((const char *)sqlite3_column_text(st, 17));
	a->outcome = o < 0 ? OUTCOME_NONE : (enum advice_outcome)o;
	a->note = db_col_dup(st, 18);
	a->created_at = (time_t)sqlite3_column_int64(st, 19);
	a->updated_at = (time_t)sqlite3_column_int64(st, 20);
	a->event_id = db_col_dup(st, 21);
	a->requester_stakeholder = sqlite3_column_int64(st, 22);
}

/* Step a prepared one-row query into out: 1 found, 0 not, negative error. */
static int fetch_one(sqlite3_stmt *st, struct wt_advice *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		advice_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

void advice_free(struct wt_advice *a)
{
	free(a->network);
	free(a->title);
	free(a->question);
	free(a->theme);
	free(a->why);
	free(a->what);
	free(a->how);
	free(a->requested_by);
	free(a->submitted_by);
	free(a->room);
	free(a->draft);
	free(a->draft_by);
	free(a->note);
	free(a->event_id);
	memset(a, 0, sizeof *a);
}

/* Append one history row. from < 0 stores NULL (the submission). */
static int history_add(sqlite3 *db, long long id, const char *action, int from,
		       enum advice_state to, const char *actor, time_t now,
		       const char *event_id, const char *note)
{
	return db_execf(db,
		"INSERT INTO advice_history(advice_id, action, from_state, to_state,"
		" actor, at, event_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		"ittttitt", (sqlite3_int64)id, action,
		from < 0 ? NULL : advice_state_name((enum advice_state)from),
		advice_state_name(to), actor, (sqlite3_int64)now, event_id, note);
}

/* Bind a's title, question, theme, why, what, how, deadline and requester
 * to the eight parameters from first on, in that order. */
static void bind_fields(sqlite3_stmt *st, int first, const struct wt_advice *a)
{
	const char *text[] = { a->title, a->question, a->theme, a->why, a->what, a->how };
	for (int i = 0; i < 6; i++)
		sqlite3_bind_text(st, first + i, text[i], -1, SQLITE_STATIC);
	if (a->deadline)
		sqlite3_bind_int64(st, first + 6, (sqlite3_int64)a->deadline);
	sqlite3_bind_text(st, first + 7, a->requested_by, -1, SQLITE_STATIC);
}

int advice_create(sqlite3 *db, struct wt_advice *a)
{
	long long sid = db_next_id(db, a->network, "advice");
	if (sid <= 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO advice_requests(network, short_id, title, question, theme,"
		" why, what, how, deadline, requested_by, submitted_by, room, state,"
		" created_at, updated_at, event_id, requester_stakeholder)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" 'received', ?13, ?13, ?14, ?15)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, a->network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sid);
	bind_fields(st, 3, a);
	sqlite3_bind_text(st, 11, a->submitted_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, a->room, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)a->created_at);
	sqlite3_bind_text(st, 14, a->event_id, -1, SQLITE_STATIC);
	if (a->requester_stakeholder > 0)
		sqlite3_bind_int64(st, 15, a->requester_stakeholder);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	a->id = sqlite3_last_insert_rowid(db);
	a->short_id = sid;
	a->state = ADVICE_RECEIVED;
	a->updated_at = a->created_at;
	return history_add(db, a->id, "submit", -1, ADVICE_RECEIVED, a->submitted_by,
			   a->created_at, a->event_id, NULL);
}

int advice_by_short_id(sqlite3 *db, const char *network, long long short_id,
		       struct wt_advice *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " ADVICE_COLS " FROM advice_requests"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_one(st, out);
}

int advice_by_id(sqlite3 *db, long long id, struct wt_advice *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " ADVICE_COLS " FROM advice_requests"
				      " WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

int advice_step(sqlite3 *db, const struct wt_advice *a, const char *action,
		enum advice_state to, const char *actor, time_t now,
		const char *event_id, const char *note)
{
	sqlite3_stmt *st = db_prepare(db,
		"UPDATE advice_requests SET state = ?1, updated_at = ?2"
		" WHERE id = ?3 AND state = ?4");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, advice_state_name(to), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, a->id);
	sqlite3_bind_text(st, 4, advice_state_name(a->state), -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(db) != 1)
		return ADVICE_STEP_STALE;
	return history_add(db, a->id, action, (int)a->state, to, actor, now, event_id, note);
}

int advice_update_fields(sqlite3 *db, const struct wt_advice *a, time_t now)
{
	sqlite3_stmt *st = db_prepare(db,
		"UPDATE advice_requests SET title = ?1, question = ?2, theme = ?3, why = ?4,"
		" what = ?5, how = ?6, deadline = ?7, requested_by = ?8, updated_at = ?9,"
		" requester_stakeholder = ?11 WHERE id = ?10");
	if (!st)
		return -1;
	bind_fields(st, 1, a);
	if (a->requester_stakeholder > 0)
		sqlite3_bind_int64(st, 11, a->requester_stakeholder);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 10, a->id);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int advice_set_draft(sqlite3 *db, long long id, const char *text,
		     const char *by, time_t now)
{
	return db_execf(db,
		"UPDATE advice_requests SET draft = ?1, draft_by = ?2, draft_at = ?3"
		" WHERE id = ?4", "ttii", text, by, (sqlite3_int64)now, (sqlite3_int64)id);
}

int advice_set_outcome(sqlite3 *db, long long id, enum advice_outcome outcome,
		       const char *note)
{
	return db_execf(db, "UPDATE advice_requests SET outcome = ?1, note = ?2 WHERE id = ?3",
			"tti", advice_outcome_name(outcome), note, (sqlite3_int64)id);
}

int advice_assign(sqlite3 *db, long long id, const char *user, const char *by,
		  time_t now)
{
	if (advice_is_assignee(db, id, user))
		return 0;
	int rc = db_execf(db,
		"INSERT INTO advice_assignees(advice_id, user_id, assigned_by, assigned_at)"
		" VALUES (?1, ?2, ?3, ?4)", "itti", (sqlite3_int64)id, user, by,
		(sqlite3_int64)now);
	return rc < 0 ? rc : 1;
}

int advice_unassign(sqlite3 *db, long long id, const char *user)
{
	int rc = db_execf(db, "DELETE FROM advice_assignees WHERE advice_id = ?1 AND user_id = ?2",
			  "it", (sqlite3_int64)id, user);
	return rc < 0 ? rc : sqlite3_changes(db);
}

int advice_is_assignee(sqlite3 *db, long long id, const char *user)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT 1 FROM advice_assignees WHERE advice_id = ?1 AND user_id = ?2");
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	db_done(st);
	return found;
}

int advice_assignees(sqlite3 *db, long long id, char ***users)
{
	*users = NULL;
	sqlite3_stmt *st = db_prepare(db,
		"SELECT user_id FROM advice_assignees WHERE advice_id = ?1"
		" ORDER BY assigned_at, user_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t n = 0, cap = 0;
	char **v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = db_col_dup(st, 0);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		advice_strings_free(v, n);
		return -1;
	}
	*users = v;
	return (int)n;
}

void advice_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int advice_history(sqlite3 *db, long long id, struct wt_advice_event **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_prepare(db,
		"SELECT action, from_state, to_state, actor, at, event_id, note"
		" FROM advice_history WHERE advice_id = ?1 ORDER BY id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t n = 0, cap = 0;
	struct wt_advice_event *v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		struct wt_advice_event *e = &v[n++];
		e->action = db_col_dup(st, 0);
		e->from = advice_state_parse((const char *)sqlite3_column_text(st, 1));
		int to = advice_state_parse((const char *)sqlite3_column_text(st, 2));
		e->to = to < 0 ? ADVICE_RECEIVED : (enum advice_state)to;
		e->actor = db_col_dup(st, 3);
		e->at = (time_t)sqlite3_column_int64(st, 4);
		e->event_id = db_col_dup(st, 5);
		e->note = db_col_dup(st, 6);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		advice_history_free(v, n);
		return -1;
	}
	*out = v;
	return (int)n;
}

void advice_history_free(struct wt_advice_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].action);
		free(v[i].actor);
		free(v[i].event_id);
		free(v[i].note);
	}
	free(v);
}

/* The filter of advice_list, shared by its count: the archive (closed
 * requests, newest first) and the open ones (by deadline) have their own
 * texts, the archive read from its partial index advice_archive, the open ones
 * from advice_by_state,
 * so the archive's size does not slow the open list, nor a page of the
 * archive. */
#define ADVICE_CLOSED " FROM advice_requests WHERE network = ?1" \
	" AND state IN ('decided','declined','withdrawn')"
#define ADVICE_OPEN " FROM advice_requests WHERE network = ?1" \
	" AND state IN ('received','accepted','in_progress','delivered')"
#define ADVICE_FILTER \
	" AND (?3 IS NULL OR theme = ?3 COLLATE NOCASE)" \
	" AND (?4 IS NULL OR state = ?4)"

/* Bind ?1, ?3, ?4 of ADVICE_FILTER. */
static void bind_advice_filter(sqlite3_stmt *st, const char *network,
			       const struct advice_filter *f)
{
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->theme, -1, SQLITE_STATIC);
	if (f->state >= 0)
		sqlite3_bind_text(st, 4, advice_state_name((enum advice_state)f->state), -1,
				  SQLITE_STATIC);
}

int advice_list(sqlite3 *db, const char *network, const struct advice_filter *f,
		struct wt_advice **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_prepare(db, f->closed
		? "SELECT " ADVICE_COLS ADVICE_CLOSED ADVICE_FILTER
		  " ORDER BY updated_at DESC, short_id LIMIT ?5 OFFSET ?6"
		: "SELECT " ADVICE_COLS ADVICE_OPEN ADVICE_FILTER
		  " ORDER BY coalesce(deadline, 9223372036854775807), short_id"
		  " LIMIT ?5 OFFSET ?6");
	if (!st)
		return -1;
	bind_advice_filter(st, network, f);
	sqlite3_bind_int64(st, 5, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(st, 6, f->offset > 0 ? f->offset : 0);
	long long total = -1;
	size_t n = 0, cap = 0;
	struct wt_advice *v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		advice_from_row(st, &v[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		advice_list_free(v, n);
		return -1;
	}
	if (f->total) {
		/* Counted in the index alone (its columns hold the filter's). */
		st = db_prepare(db, f->closed
				? "SELECT count(*) FROM (SELECT 1" ADVICE_CLOSED ADVICE_FILTER
				  " LIMIT ?7)"
				: "SELECT count(*) FROM (SELECT 1" ADVICE_OPEN ADVICE_FILTER
				  " LIMIT ?7)");
		if (!st) {
			advice_list_free(v, n);
			return -1;
		}
		bind_advice_filter(st, network, f);
		sqlite3_bind_int64(st, 7, f->count_limit > 0 ? f->count_limit : -1);
		total = db_step_int(st);
	}
	if (f->total)
		*f->total = total;
	*out = v;
	return (int)n;
}

void advice_list_free(struct wt_advice *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		advice_free(&v[i]);
	free(v);
}

int advice_user_known(sqlite3 *db, const char *network, const char *user)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT 1 FROM advice_requests r WHERE r.network = ?1 AND"
		" (r.submitted_by = ?2 OR r.requested_by = ?2"
		"  OR EXISTS (SELECT 1 FROM advice_assignees s"
		"             WHERE s.advice_id = r.id AND s.user_id = ?2)"
		"  OR EXISTS (SELECT 1 FROM advice_history h"
		"             WHERE h.advice_id = r.id AND h.actor = ?2))"
		" LIMIT 1");
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	db_done(st);
	return found;
}
