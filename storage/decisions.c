/* decisions: the register's queries; see decisions.h. */
#include "storage/decisions.h"

#include <stdlib.h>
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

/* term as an FTS5 phrase: in double quotes, a quote in it doubled. */
static void add_phrase(struct strbuf *sb, const char *term)
{
	sb_addc(sb, '"');
	for (const char *p = term; *p; p++) {
		if (*p == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *p);
	}
	sb_addc(sb, '"');
}

/* Bind the filter's parameters (?1..?7): the term as an FTS5 phrase (in
 * double quotes, a quote in it doubled) or a LIKE pattern that matches it
 * literally anywhere (its %, _ and \ escaped). */
static void bind_filter(sqlite3_stmt *st, const char *network, const struct decision_filter *f)
{
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	if (has_term(f) && term_matches(f)) {
		struct strbuf phrase = STRBUF_INIT;
		add_phrase(&phrase, f->term);
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

/* A walk of the term's matches by the FTS index's rowid, the newest row
 * first, at most ?8: only the rows of the page are read, not every match. */
#define DECISION_MATCH_WALK "SELECT " LOGGED_COLS DECISION_MATCH_FROM DECISION_FILTERS \
	" ORDER BY f.rowid DESC LIMIT ?8"

/* At most this many decisions newer than a walk's oldest row are looked at
 * to prove the walk's rows the newest; past it all matches are ranked. */
#define WALK_CHECK_MAX 10000

/* Newest first, as DECISION_ORDER: created_at, then id, descending. */
static int newest_first(const void *a, const void *b)
{
	const struct wt_logged *x = a, *y = b;
	if (x->created_at != y->created_at)
		return x->created_at < y->created_at ? 1 : -1;
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

/* Whether the rows a walk found are the newest matches in DECISION_ORDER:
 * no decision of network older by id than all of them (id below min_id)
 * is newer than all of them (created_at above t) and holds the term. A
 * decision is logged with the time it is logged, so normally none is: the
 * decisions newer than t, the walk's own and those after them, are read
 * in the index logged_decisions (at most WALK_CHECK_MAX), and only when
 * some of them are older by id are their ids' span searched for the term
 * (one FTS query, not one per row). 1 proven, 0 not, negative on error. */
static int walk_is_newest(sqlite3 *db, const char *network, const char *term,
			  long long min_id, long long t)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*), min(CASE WHEN id < ?2 THEN id END),"
		" max(CASE WHEN id < ?2 THEN id END) FROM (SELECT id FROM logged_items"
		" WHERE network = ?1 AND kind = 'decision' AND created_at > ?3 LIMIT ?4)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, min_id);
	sqlite3_bind_int64(st, 3, t);
	sqlite3_bind_int64(st, 4, WALK_CHECK_MAX + 1);
	int rc = sqlite3_step(st);
	long long newer = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	int older = rc == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL;
	long long lo = older ? sqlite3_column_int64(st, 1) : 0;
	long long hi = older ? sqlite3_column_int64(st, 2) : 0;
	db_done(st);
	if (newer < 0 || newer > WALK_CHECK_MAX || !older)
		return newer < 0 ? -1 : newer <= WALK_CHECK_MAX;
	st = db_prepare(db, "SELECT 1 FROM decisions_fts f CROSS JOIN logged_items l"
		" ON l.id = f.rowid WHERE f.text MATCH ?2 AND f.rowid BETWEEN ?3 AND ?4"
		" AND l.network = ?1 AND l.created_at > ?5 LIMIT 1");
	if (!st)
		return -1;
	struct strbuf phrase = STRBUF_INIT;
	add_phrase(&phrase, term);
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, phrase.buf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, lo);
	sqlite3_bind_int64(st, 4, hi);
	sqlite3_bind_int64(st, 5, t);
	sb_release(&phrase);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 1 : rc == SQLITE_ROW ? 0 : -1;
}

/* A term's page (f->max > 0) from the first offset + max matches of a walk,
 * sorted newest first: when they are all the matches, or walk_is_newest
 * proves them the newest, *v and *count hold the page and 1 is returned;
 * 0 when not proven (the caller ranks all matches); negative on error. */
static int search_by_walk(sqlite3 *db, const char *network, const struct decision_filter *f,
			  struct wt_logged **v, int *count)
{
	*v = NULL;
	*count = 0;
	sqlite3_stmt *st = db_prepare(db, DECISION_MATCH_WALK);
	if (!st)
		return -1;
	bind_filter(st, network, f);
	size_t k = f->offset + f->max;
	sqlite3_bind_int64(st, 8, (sqlite3_int64)k);
	struct wt_logged *w = NULL;
	int n = logged_collect(st, &w);
	if (n <= 0)
		return n == 0 ? 1 : -1;
	int proven = 1;
	if ((size_t)n == k) {
		long long min_id = w[0].id, t = (long long)w[0].created_at;
		for (int i = 1; i < n; i++) {
			min_id = w[i].id < min_id ? w[i].id : min_id;
			t = (long long)w[i].created_at < t ? (long long)w[i].created_at : t;
		}
		proven = walk_is_newest(db, network, f->term, min_id, t);
	}
	if (proven <= 0) {
		logged_list_free(w, (size_t)n);
		return proven;
	}
	qsort(w, (size_t)n, sizeof *w, newest_first);
	size_t skip = f->offset < (size_t)n ? f->offset : (size_t)n;
	for (size_t i = 0; i < skip; i++)
		logged_free(&w[i]);
	memmove(w, w + skip, ((size_t)n - skip) * sizeof *w);
	*count = n - (int)skip;
	if (*count == 0)
		free(w);   /* a page past the last: none, as logged_collect gives */
	else
		*v = w;
	return 1;
}

int decisions_search(sqlite3 *db, const char *network, const struct decision_filter *f,
		     struct wt_logged **v)
{
	*v = NULL;
	int n = 0;
	int walked = has_term(f) && term_matches(f) && f->max
		     ? search_by_walk(db, network, f, v, &n) : 0;
	if (walked != 0)
		return walked < 0 ? -1 : n;
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

/* 1 when no network but network has decisions in the database: then
 * decisions_fts (which holds every decision) holds only its own; 0 when
 * another has, negative on error. */
static int only_network(sqlite3 *db, const char *network)
{
	int other = db_has_row(db, "SELECT 1 FROM logged_items WHERE kind = 'decision'"
			       " AND network < ?1 UNION ALL SELECT 1 FROM logged_items"
			       " WHERE kind = 'decision' AND network > ?1 LIMIT 1", network);
	return other < 0 ? -1 : !other;
}

long long decisions_count(sqlite3 *db, const char *network, const struct decision_filter *f)
{
	int unfiltered = !(f->theme && *f->theme) && f->action_line <= 0
			 && f->advice <= 0 && !f->from && !f->until;
	int bare = unfiltered && !has_term(f);
	/* A term alone, in a database of one network: counted in the FTS
	 * index alone, no decision's row read. */
	int fts_only = unfiltered && has_term(f) && term_matches(f);
	if (fts_only && (fts_only = only_network(db, network)) < 0)
		return -1;
	/* No filter: counted in the index alone. */
	sqlite3_stmt *st = db_prepare(db, bare
		? "SELECT count(*) FROM (SELECT 1 FROM logged_items"
		  " WHERE network = ?1 AND kind = 'decision' LIMIT ?10)"
		: fts_only
		? "SELECT count(*) FROM (SELECT 1 FROM decisions_fts f"
		  " WHERE f.text MATCH ?2 LIMIT ?10)"
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

int decisions_index_segments(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(DISTINCT segid) FROM decisions_fts_idx");
	if (!st)
		return -1;
	long long n = db_step_int(st);
	db_done(st);
	return n < 0 ? -1 : (int)n;
}

/* FTS5's incremental merge: a negative page count puts every segment on
 * one level and merges toward a single segment, writing about that many
 * pages; the change counter moves by less than two when nothing was left
 * to merge. */
int decisions_index_merge_step(sqlite3 *db, int pages)
{
	if (db_begin(db) < 0)
		return -1;
	sqlite3_int64 before = sqlite3_total_changes64(db);
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO decisions_fts(decisions_fts, rank)"
				      " VALUES ('merge', ?1)");
	int rc = st ? SQLITE_OK : SQLITE_ERROR;
	if (st) {
		sqlite3_bind_int(st, 1, -(pages > 0 ? pages : 1));
		rc = sqlite3_step(st);
		db_done(st);
	}
	if (rc != SQLITE_DONE || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return sqlite3_total_changes64(db) - before >= 2;
}
