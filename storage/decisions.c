/* decisions: the register's queries; see decisions.h. */
#include "storage/decisions.h"

#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

/* The WHERE clause shared by the search and the count: each filter field is
 * a bound parameter that is NULL when unused. A search term (?2) has its
 * own text: its decisions come from decisions_fts, the trigram index, so a
 * part of a word is found; a term of three characters or more as a phrase
 * of its trigrams (MATCH: in any case, also of accented letters, "ÉÉN"
 * finds "één"), a shorter one, which has no trigram, as a LIKE pattern
 * (in any case of the letters a-z). Without a term the decisions are read
 * in their order from the index logged_decisions, a period (?6, ?7) as a
 * range of it. */
#define DECISION_FROM \
	" FROM logged_items l LEFT JOIN agenda_items a ON a.id = l.agenda_item_id" \
	" WHERE l.network = ?1 AND l.kind = 'decision'"
#define DECISION_FILTERS \
	" AND (?3 IS NULL OR lower(a.theme) = lower(?3))" \
	" AND (?4 IS NULL OR l.action_line = ?4)" \
	" AND (?5 IS NULL OR l.advice = ?5)" \
	" AND l.created_at >= coalesce(?6, -9223372036854775807)" \
	" AND l.created_at < coalesce(?7, 9223372036854775807)"
/* The term's text: the matching rows of decisions_fts first (CROSS JOIN
 * keeps that order), each decision then by its id. */
#define DECISION_TERM_JOIN \
	" FROM decisions_fts f CROSS JOIN logged_items l ON l.id = f.rowid" \
	" LEFT JOIN agenda_items a ON a.id = l.agenda_item_id"
#define DECISION_TERM_FROM DECISION_TERM_JOIN \
	" WHERE f.text LIKE ?2 ESCAPE '\\' AND l.network = ?1 AND l.kind = 'decision'"
#define DECISION_MATCH_FROM DECISION_TERM_JOIN \
	" WHERE f.text MATCH ?2 AND l.network = ?1 AND l.kind = 'decision'"
#define DECISION_ORDER " ORDER BY l.created_at DESC, l.id DESC LIMIT ?8 OFFSET ?9"

/* Whether the filter has a search term. */
static int has_term(const struct decision_filter *f)
{
	return f->term && *f->term;
}

/* Whether the filter's term is long enough for trigrams: three characters
 * (UTF-8 code points) or more. */
static int term_matches(const struct decision_filter *f)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)f->term; *p && n < 3; p++)
		n += (*p & 0xC0) != 0x80;
	return n >= 3;
}

/* Bind the filter's parameters (?1..?7): the term as an FTS5 phrase (in
 * double quotes, a quote in it doubled) or a LIKE pattern that matches it
 * literally anywhere (its %, _ and \ escaped). */
static void bind_filter(sqlite3_stmt *st, const char *network, const struct decision_filter *f)
{
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	if (has_term(f) && term_matches(f)) {
		struct strbuf phrase = STRBUF_INIT;
		sb_addc(&phrase, '"');
		for (const char *p = f->term; *p; p++) {
			if (*p == '"')
				sb_addc(&phrase, '"');
			sb_addc(&phrase, *p);
		}
		sb_addc(&phrase, '"');
		sqlite3_bind_text(st, 2, phrase.buf, -1, SQLITE_TRANSIENT);
		sb_release(&phrase);
	} else if (has_term(f)) {
		struct strbuf pat = STRBUF_INIT;
		sb_addc(&pat, '%');
		for (const char *p = f->term; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				sb_addc(&pat, '\\');
			sb_addc(&pat, *p);
		}
		sb_addc(&pat, '%');
		sqlite3_bind_text(st, 2, pat.buf, -1, SQLITE_TRANSIENT);
		sb_release(&pat);
	}
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
	sqlite3_stmt *st = db_prepare(db, has_term(f) && term_matches(f)
		? "SELECT " LOGGED_COLS DECISION_MATCH_FROM DECISION_FILTERS DECISION_ORDER
		: has_term(f)
		? "SELECT " LOGGED_COLS DECISION_TERM_FROM DECISION_FILTERS DECISION_ORDER
		: "SELECT " LOGGED_COLS DECISION_FROM DECISION_FILTERS DECISION_ORDER);
	if (!st)
		return -1;
	bind_filter(st, network, f);
	sqlite3_bind_int64(st, 8, f->max ? (sqlite3_int64)f->max : -1);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)f->offset);
	return logged_collect(st, v);
}

long long decisions_count(sqlite3 *db, const char *network, const struct decision_filter *f)
{
	int bare = !has_term(f) && !(f->theme && *f->theme) && f->action_line <= 0
		   && f->advice <= 0 && !f->from && !f->until;
	/* No filter: counted in the index alone. */
	sqlite3_stmt *st = db_prepare(db, bare
		? "SELECT count(*) FROM (SELECT 1 FROM logged_items"
		  " WHERE network = ?1 AND kind = 'decision' LIMIT ?10)"
		: has_term(f) && term_matches(f)
		? "SELECT count(*) FROM (SELECT 1" DECISION_MATCH_FROM DECISION_FILTERS " LIMIT ?10)"
		: has_term(f)
		? "SELECT count(*) FROM (SELECT 1" DECISION_TERM_FROM DECISION_FILTERS " LIMIT ?10)"
		: "SELECT count(*) FROM (SELECT 1" DECISION_FROM DECISION_FILTERS " LIMIT ?10)");
	if (!st)
		return -1;
	bind_filter(st, network, f);
	sqlite3_bind_int64(st, 10, f->count_limit > 0 ? f->count_limit : -1);
	long long n = db_step_int(st);
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

/* Through the partial index logged_decisions_by_line (migration 41): the
 * line's decisions only, newest first, however long the register. */
int decisions_of_line(sqlite3 *db, const char *network, long long short_id, size_t max,
		      struct wt_logged **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " LOGGED_COLS " FROM logged_items l"
				      " WHERE l.network = ?1 AND l.kind = 'decision'"
				      " AND l.action_line = ?2"
				      " ORDER BY l.created_at DESC, l.id DESC LIMIT ?3");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, short_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	return logged_collect(st, v);
}
