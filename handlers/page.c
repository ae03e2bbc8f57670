/* page: cutting lists into pages; see page.h. */
#include "handlers/page.h"

#include <stdio.h>

#include "handlers/args.h"
#include "handlers/reply.h"

int page_take(struct wt_ctx *ctx, const char *args, struct strbuf *rest,
	      struct wt_page *pg)
{
	long n = 1;
	*pg = (struct wt_page){ 0 };  /* set even when refused: callers read it */
	if (args_take_page(args ? args : "", rest, &n) < 0)
		return reply_error(ctx, WT_EUSAGE, M_PAGE_BAD);
	pg->number = n;
	pg->limit = WT_PAGE_ROWS;
	pg->offset = (long long)(n - 1) * WT_PAGE_ROWS;
	long max = ctx->limits && ctx->limits->page_count_max > 0
		   ? ctx->limits->page_count_max : WT_PAGE_COUNT_MAX_DEFAULT;
	pg->count_max = pg->offset + (max > WT_PAGE_ROWS ? max : WT_PAGE_ROWS);
	pg->has_args = *args_skip_blank(rest->buf) != '\0';
	return WT_OK;
}

int page_only(struct wt_ctx *ctx, const char *args, struct wt_page *pg,
	      enum msg_id synopsis)
{
	struct strbuf rest = STRBUF_INIT;
	int rc = page_take(ctx, args, &rest, pg);
	if (rc == WT_OK && pg->has_args)
		rc = reply_usage_text(ctx, WT_EUSAGE, synopsis,
				      M_PAGE_EXTRA, rest.buf);
	sb_release(&rest);
	return rc;
}

void page_narrow_for_search(struct wt_page *pg)
{
	long long max = pg->offset + WT_PAGE_SEARCH_COUNT_MAX;
	if (pg->count_max <= 0 || pg->count_max > max)
		pg->count_max = max;
}

long long page_count_limit(const struct wt_page *pg)
{
	return pg->count_max > 0 ? pg->count_max + 1 : -1;
}

/* n with its thousands grouped as lang writes them: 1.000 / 1,000. */
static void add_grouped(struct strbuf *sb, enum wt_lang lang, long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? 0 : n);
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			sb_addc(sb, lang == LANG_EN ? ',' : '.');
		sb_addc(sb, digits[i]);
	}
}

void page_total(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_page *pg,
		long long total)
{
	if (pg->count_max > 0 && total > pg->count_max) {
		struct strbuf n = STRBUF_INIT;
		add_grouped(&n, ctx->lang, pg->count_max);
		sb_addm(sb, ctx, M_PAGE_COUNT_OVER, n.buf);
		sb_release(&n);
	} else {
		sb_addf(sb, "%lld", total);
	}
}

int page_check(struct wt_ctx *ctx, const struct wt_page *pg, long long total)
{
	if (total <= 0 || pg->offset < total)
		return WT_OK;
	long long pages = (total + pg->limit - 1) / pg->limit;
	if (pages == 1)
		return reply_error(ctx, WT_EUSAGE, M_PAGE_PAST_END_SINGLE, pg->number, total);
	return reply_error(ctx, WT_EUSAGE, M_PAGE_PAST_END, pg->number, pages, total,
			   pages);
}

void page_footer(struct strbuf *sb, struct wt_ctx *ctx,
		 const struct wt_page *pg, long long shown, long long total,
		 const char *cmd_nl, const char *cmd_en)
{
	if (pg->offset + shown >= total || shown <= 0) {
		ctx->page_next = -1;
		return;
	}
	ctx->page_next = pg->number + 1;
	long long first = pg->offset + 1, last = pg->offset + shown;
	struct strbuf all = STRBUF_INIT;
	page_total(&all, ctx, pg, total);
	sb_add(sb, "\n\n");
	if (pg->has_args)
		sb_addm(sb, ctx, M_PAGE_MORE_ARGS, first, last, all.buf, pg->number + 1);
	else
		sb_addm(sb, ctx, M_PAGE_MORE, first, last, all.buf,
			ctx->lang == LANG_EN ? cmd_en : cmd_nl, pg->number + 1);
	sb_release(&all);
}
