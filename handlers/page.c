/* page: cutting lists into pages; see page.h. */
#include "handlers/page.h"

#include "handlers/args.h"
#include "handlers/reply.h"

int page_take(struct wt_ctx *ctx, const char *args, struct strbuf *rest,
	      struct wt_page *pg)
{
	long n = 1;
	if (args_take_page(args ? args : "", rest, &n) < 0)
		return reply_error(ctx, WT_EUSAGE, M_PAGE_BAD);
	pg->number = n;
	pg->limit = WT_PAGE_ROWS;
	pg->offset = (long long)(n - 1) * WT_PAGE_ROWS;
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
	sb_add(sb, "\n\n");
	if (pg->has_args)
		sb_addm(sb, ctx, M_PAGE_MORE_ARGS, first, last, total, pg->number + 1);
	else
		sb_addm(sb, ctx, M_PAGE_MORE, first, last, total,
			ctx->lang == LANG_EN ? cmd_en : cmd_nl, pg->number + 1);
}
