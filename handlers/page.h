/* page: the one way every list is cut into pages of WT_PAGE_ROWS rows: the
 * request ("pagina 2" / "page 2", parsed by args_take_page), the window the
 * storage query takes (LIMIT/OFFSET in SQL), the closing line that says how
 * many more there are and how to see them, and the refusal of a page past
 * the end. page_footer leaves the next page in the context; wt_dispatch
 * keeps it with the command for `!meer`. */
#ifndef WT_PAGE_H
#define WT_PAGE_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "lib/strbuf.h"

#define WT_PAGE_ROWS 20

struct wt_page {
	long number;          /* 1-based */
	long long limit;      /* rows on a page: the SQL LIMIT */
	long long offset;     /* rows before this page: the SQL OFFSET */
	long long count_max;  /* the count stops here: a total above it is
			       * "more than count_max" (page_total) */
	int has_args;         /* other arguments than the page: hint says so */
};

/* Read the page request from args: rest gets the other arguments. On a bad
 * page number the usage error is replied and WT_EUSAGE returned. */
int page_take(struct wt_ctx *ctx, const char *args, struct strbuf *rest,
	      struct wt_page *pg);
/* The same for a list without other arguments: anything besides the page
 * request is refused with synopsis (a catalogue id). */
int page_only(struct wt_ctx *ctx, const char *args, struct wt_page *pg,
	      enum msg_id synopsis);
/* A page past the end of total rows (total > 0): the refusal is replied
 * and WT_EUSAGE returned; else WT_OK. */
int page_check(struct wt_ctx *ctx, const struct wt_page *pg, long long total);
/* Append the total of rows to sb: the number, or "meer dan 1.000" / "more
 * than 1,000" when the count stopped (total > pg->count_max). */
void page_total(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_page *pg,
		long long total);
/* A search by words (a phrase match on the trigram index, about 25,000
 * instructions a match) is counted WT_PAGE_SEARCH_COUNT_MAX rows past the
 * page's start, not the list's 1,000: its cost stops where it is still
 * small beside the command's, however many decisions hold the word. */
#define WT_PAGE_SEARCH_COUNT_MAX 100
void page_narrow_for_search(struct wt_page *pg);
/* The total as a count of at most count_max + 1 rows gives it: the SQL
 * LIMIT of a count query (SELECT count(*) FROM (SELECT 1 ... LIMIT ?)). */
long long page_count_limit(const struct wt_page *pg);
/* Append to sb, when rows remain after this page, the line "rows a-b of
 * total; next page: ..., or `!meer`". cmd_nl / cmd_en: the command's names
 * ("besluiten", "decisions"), for the example. Notes the next page (or the
 * end of the list) in ctx for `!meer`. */
void page_footer(struct strbuf *sb, struct wt_ctx *ctx,
		 const struct wt_page *pg, long long shown, long long total,
		 const char *cmd_nl, const char *cmd_en);

#endif
