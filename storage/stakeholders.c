/* stakeholders: the register, its links and the advice it requested; see
 * storage/stakeholders.h. */
#include "storage/stakeholders.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

void sh_free(struct stakeholder *s)
{
	free(s->network);
	free(s->name);
	free(s->kind);
	free(s->contact);
	free(s->created_by);
	free(s->lines);
	free(s->items);
	memset(s, 0, sizeof *s);
}

void sh_free_list(struct stakeholder *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sh_free(&v[i]);
	free(v);
}

int sh_create(sqlite3 *db, struct stakeholder *s)
{
	long long sid = db_next_id(db, s->network, "stakeholder");
	if (sid <= 0)
		return -1;
	int rc = db_execf(db, "INSERT INTO stakeholders (network, short_id, name, kind, contact,"
			  " engage, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			  "tittttti", s->network, (sqlite3_int64)sid, s->name, s->kind, s->contact,
			  s->engage == SH_INVOLVE ? "involve" : "inform", s->created_by,
			  (sqlite3_int64)s->created_at);
	if (rc < 0)
		return rc;
	s->id = sqlite3_last_insert_rowid(db);
	s->short_id = sid;
	return 0;
}

/* Read a list of ids (one column) for row id into *v. */
static int id_list(sqlite3 *db, const char *sql, long long id, long long **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The links of s (s->id set). */
static int load_links(sqlite3 *db, struct stakeholder *s)
{
	int rc = id_list(db, "SELECT l.short_id FROM stakeholder_links k JOIN action_lines l"
			 " ON l.id = k.line_id WHERE k.stakeholder_id = ?1 AND k.line_id IS NOT NULL"
			 " ORDER BY l.short_id", s->id, &s->lines, &s->nlines);
	rc |= id_list(db, "SELECT a.short_id FROM stakeholder_links k JOIN agenda_items a"
		      " ON a.id = k.agenda_item_id WHERE k.stakeholder_id = ?1"
		      " AND k.agenda_item_id IS NOT NULL ORDER BY a.short_id",
		      s->id, &s->items, &s->nitems);
	return rc ? -1 : 0;
}

#define SH_COLS "id, short_id, network, name, kind, contact, engage, created_by, created_at"

static void from_row(sqlite3_stmt *st, struct stakeholder *s)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->short_id = sqlite3_column_int64(st, 1);
	s->network = db_col_dup(st, 2);
	s->name = db_col_dup(st, 3);
	s->kind = db_col_dup(st, 4);
	s->contact = db_col_dup(st, 5);
	const char *e = (const char *)sqlite3_column_text(st, 6);
	s->engage = e && strcmp(e, "involve") == 0 ? SH_INVOLVE : SH_INFORM;
	s->created_by = db_col_dup(st, 7);
	s->created_at = (time_t)sqlite3_column_int64(st, 8);
}

/* Step st (bound, given back here) into a list with links. */
static int collect(sqlite3 *db, sqlite3_stmt *st, struct stakeholder **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		from_row(st, &(*v)[(*n)++]);
	}
	db_done(st);
	int bad = rc != SQLITE_DONE;
	for (size_t i = 0; !bad && i < *n; i++)
		bad = load_links(db, &(*v)[i]) < 0;
	if (bad) {
		sh_free_list(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* The one row of st, or none. */
static int one(sqlite3 *db, sqlite3_stmt *st, struct stakeholder *out)
{
	struct stakeholder *v;
	size_t n;
	if (collect(db, st, &v, &n) < 0)
		return -1;
	if (n)
		*out = v[0];
	else
		memset(out, 0, sizeof *out);
	free(v);
	return n > 0;
}

int sh_load(sqlite3 *db, const char *network, long long short_id, struct stakeholder *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " SH_COLS " FROM stakeholders"
				      " WHERE network = ?1 AND short_id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, short_id);
	return one(db, st, out);
}

int sh_load_id(sqlite3 *db, long long id, struct stakeholder *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " SH_COLS " FROM stakeholders WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return one(db, st, out);
}

int sh_list_page(sqlite3 *db, const char *network, long long limit, long long offset,
		 struct stakeholder **v, size_t *n, long long *total)
{
	*v = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM stakeholders WHERE network = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	*total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	db_done(st);
	if (*total < 0)
		return -1;
	st = db_prepare(db, "SELECT " SH_COLS " FROM stakeholders WHERE network = ?1"
			" ORDER BY short_id LIMIT ?2 OFFSET ?3");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	return collect(db, st, v, n);
}

int sh_of_line(sqlite3 *db, long long line_id, struct stakeholder **v, size_t *n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT s.id, s.short_id, s.network, s.name, s.kind,"
				      " s.contact, s.engage, s.created_by, s.created_at"
				      " FROM stakeholder_links k JOIN stakeholders s"
				      " ON s.id = k.stakeholder_id WHERE k.line_id = ?1"
				      " ORDER BY s.short_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, line_id);
	return collect(db, st, v, n);
}

int sh_set_text(sqlite3 *db, long long id, enum sh_field f, const char *value)
{
	static const char *const sql[] = {
		"UPDATE stakeholders SET name = ? WHERE id = ?",
		"UPDATE stakeholders SET kind = ? WHERE id = ?",
		"UPDATE stakeholders SET contact = ? WHERE id = ?",
	};
	if ((unsigned)f > SH_CONTACT || (f == SH_NAME && !value))
		return -1;
	return db_execf(db, sql[f], "ti", value, (sqlite3_int64)id);
}

int sh_set_engage(sqlite3 *db, long long id, enum sh_engage e)
{
	return db_execf(db, "UPDATE stakeholders SET engage = ? WHERE id = ?", "ti",
			e == SH_INVOLVE ? "involve" : "inform", (sqlite3_int64)id);
}

int sh_delete(sqlite3 *db, long long id)
{
	int rc = db_execf(db, "UPDATE advice_requests SET requester_stakeholder = NULL"
			  " WHERE requester_stakeholder = ?", "i", (sqlite3_int64)id);
	rc |= db_execf(db, "DELETE FROM stakeholder_links WHERE stakeholder_id = ?", "i",
		       (sqlite3_int64)id);
	rc |= db_execf(db, "DELETE FROM stakeholders WHERE id = ?", "i", (sqlite3_int64)id);
	return rc ? -1 : 0;
}

int sh_link(sqlite3 *db, long long sh_id, long long line_id, long long item_id)
{
	if ((line_id > 0) == (item_id > 0))
		return -1;
	sqlite3_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO stakeholder_links"
				      " (stakeholder_id, line_id, agenda_item_id) VALUES (?1, ?2, ?3)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, sh_id);
	if (line_id > 0)
		sqlite3_bind_int64(st, 2, line_id);
	if (item_id > 0)
		sqlite3_bind_int64(st, 3, item_id);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(db) ? SH_LINK_ADDED : SH_LINK_ALREADY;
}

int sh_unlink(sqlite3 *db, long long sh_id, long long line_id, long long item_id)
{
	int rc = line_id > 0
		 ? db_execf(db, "DELETE FROM stakeholder_links WHERE stakeholder_id = ?"
			    " AND line_id = ?", "ii", (sqlite3_int64)sh_id, (sqlite3_int64)line_id)
		 : db_execf(db, "DELETE FROM stakeholder_links WHERE stakeholder_id = ?"
			    " AND agenda_item_id = ?", "ii", (sqlite3_int64)sh_id,
			    (sqlite3_int64)item_id);
	return rc < 0 ? rc : sqlite3_changes(db);
}

int sh_requester_of(sqlite3 *db, long long advice_id, long long *sh_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT requester_stakeholder FROM advice_requests"
				      " WHERE id = ?1 AND requester_stakeholder IS NOT NULL");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, advice_id);
	int rc = sqlite3_step(st), res = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (res == 1)
		*sh_id = sqlite3_column_int64(st, 0);
	db_done(st);
	return res;
}

int sh_set_requester(sqlite3 *db, long long advice_id, long long sh_id)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE advice_requests SET requester_stakeholder = ?1"
				      " WHERE id = ?2");
	if (!st)
		return -1;
	if (sh_id > 0)
		sqlite3_bind_int64(st, 1, sh_id);
	sqlite3_bind_int64(st, 2, advice_id);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int sh_requests_of(sqlite3 *db, long long sh_id, long long **ids)
{
	size_t n;
	if (id_list(db, "SELECT short_id FROM advice_requests WHERE requester_stakeholder = ?1"
		    " ORDER BY short_id", sh_id, ids, &n) < 0)
		return -1;
	return (int)n;
}
