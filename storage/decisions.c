/* decisions: the register's queries; see decisions.h. */
#include "storage/decisions.h"

#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

/* The WHERE clause shared by the search and the count: each filter field is
 * a bound parameter that is NULL when unused. */
#define DECISION_WHERE \
	" FROM logged_items l LEFT JOIN agenda_items a ON a.id = l.agenda_item_id" \
	" WHERE l.network = ?1 AND l.kind = 'decision'" \
	" AND (?2 IS NULL OR instr(lower(l.text), lower(?2)) > 0)" \
	" AND (?3 IS NULL OR lower(a.theme) = lower(?3))" \
	" AND (?4 IS NULL OR l.action_line = ?4)" \
	" AND (?5 IS NULL OR l.advice = ?5)" \
	" AND (?6 IS NULL OR l.created_at >= ?6)" \
	" AND (?7 IS NULL OR l.created_at < ?7)"

/* Bind the filter's parameters (?1..?7) of DECISION_WHERE. */
static void bind_filter(sqlite3_stmt *st, const char *network, const struct decision_filter *f)
{
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	if (f->term && *f->term)
		sqlite3_bind_text(st, 2, f->term, -1, SQLITE_TRANSIENT);
	if (f->theme && *f->theme)
		sqlite3_bind_text(st, 3, f->theme, -1, SQLITE_TRANSIENT);
	if (f->action_line > 0)
		sqlite3_bind_int64(st, 4, f->action_line);
	if (f->advice > 0)
		sqlite3_bind_int64(st, 5, f->advice);
	if (f->from)
		sqlite3_bind_int64(st, 6, (sqlite3_int64)f->from);
	if (f->until)
		sqlite3_bind_int64(st, 7, (sqlite3_int64)f->until);
}

int decisions_search(sqlite3 *db, const char *network, const struct decision_filter *f,
		     struct wt_logged **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS DECISION_WHERE
				      " ORDER BY l.created_at DESC, l.id DESC LIMIT ?8 OFFSET ?9");
	if (!st)
		return -1;
	bind_filter(st, network, f);
	sqlite3_bind_int64(st, 8, f->max ? (sqlite3_int64)f->max : -1);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)f->offset);
	return logged_collect(st, v);
}

long long decisions_count(sqlite3 *db, const char *network, const struct decision_filter *f)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*)" DECISION_WHERE);
	if (!st)
		return -1;
	bind_filter(st, network, f);
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	db_done(st);
	return n;
}

int decisions_ref_exists(sqlite3 *db, const char *network, int advice, long long short_id)
{
	sqlite3_stmt *st = db_prepare(db, advice
		? "SELECT 1 FROM advice_requests WHERE network = ?1 AND short_id = ?2"
		: "SELECT 1 FROM action_lines WHERE network = ?1 AND short_id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, short_id);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
