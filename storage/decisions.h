/* decisions: the decisions register — queries over the decisions in
 * logged_items (storage/minutes.h holds the table and the item type).
 *
 * A decision belongs to a meeting and agenda item when it was logged while
 * a meeting ran, or stands alone (logged outside a meeting, e.g. a decision
 * taken by email). Its theme is the theme of its agenda item. */
#ifndef WT_STORAGE_DECISIONS_H
#define WT_STORAGE_DECISIONS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "storage/minutes.h"

/* What !besluiten filters on; every field is optional (NULL / 0). */
struct decision_filter {
	const char *term;        /* in the text, in any case (accented letters
				  * too, from three characters on) */
	const char *theme;       /* the agenda item's theme, case-insensitive */
	long long action_line;   /* short id of the action line named (AL2) */
	long long advice;        /* short id of the advice request named (A12) */
	time_t from, until;      /* created in [from, until) */
	size_t max;              /* at most this many (0 = no limit) */
	size_t offset;           /* after skipping this many (a page) */
	long long count_limit;   /* decisions_count stops at this many (> 0;
				  * else it counts all) */
};

/* Decisions of network matching f, newest first. Returns the count or
 * negative; free with logged_list_free. */
int decisions_search(sqlite3 *db, const char *network, const struct decision_filter *f,
		     struct wt_logged **v);
/* How many decisions match f in all (for "10 of 23 shown"), or negative. */
long long decisions_count(sqlite3 *db, const char *network, const struct decision_filter *f);

/* The register's search index (decisions_fts) gains a segment with every
 * write; FTS5 merges them by level, but a query's start still costs more
 * with every segment left (at 100k decisions 11 segments: a one-row match
 * 185 us, one segment 18 us). The scheduler merges them after its daily
 * pass when it has more than a few, a bounded step at a time
 * (bot/scheduler.c). */
/* One step: about `pages` pages written in one transaction. 1 when it
 * merged something (call again), 0 when nothing was left, negative on
 * error. */
int decisions_index_merge_step(sqlite3 *db, int pages);
/* How many segments the index has, or negative. */
int decisions_index_segments(sqlite3 *db);

/* 1 when network has the action line (advice = 0) or advice request
 * (advice = 1) with this short id, 0 when not, negative on error. */
int decisions_ref_exists(sqlite3 *db, const char *network, int advice, long long short_id);

/* The newest max decisions linked to action line ALshort_id of network
 * (the link logged_items.action_line: explicit, `al:AL1`, or found in the
 * text of older rows). Returns the count or negative; free with
 * logged_list_free. */
int decisions_of_line(sqlite3 *db, const char *network, long long short_id, size_t max,
		      struct wt_logged **v);

#endif
