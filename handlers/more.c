/* !meer / !more: the next page of the list this person last read in this
 * room (storage/list_pages.h), as if they had typed the list's command
 * with `pagina N`: the same role check, the same refusals. */
#include "handlers/commands.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/dispatch.h"
#include "handlers/reply.h"
#include "storage/list_pages.h"

int cmd_more(struct wt_ctx *ctx, const char *args)
{
	if (*args_skip_blank(args))
		return reply_usage_text(ctx, WT_EUSAGE, M_SYN_MORE, M_MORE_EXTRA, args);
	struct list_page lp;
	int found = ctx->room ? list_pages_get(ctx->db, ctx->room, ctx->sender, &lp) : 0;
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (found == 0)
		return reply_error(ctx, WT_EUSAGE, M_MORE_NONE);
	int rc;
	if (lp.next <= 0) {
		const struct wt_command *c = command_find(lp.command);
		rc = reply_error(ctx, WT_EUSAGE, M_MORE_END,
				 c ? c->name[ctx->lang] : lp.command);
	} else {
		/* The page request at the end of the first line: a list's
		 * sub-command comes first, further lines stay where they were. */
		struct strbuf body = STRBUF_INIT;
		const char *nl = strchr(lp.args, '\n');
		int first = nl ? (int)(nl - lp.args) : (int)strlen(lp.args);
		sb_addf(&body, "!%s %.*s pagina %ld%s", lp.command, first, lp.args,
			lp.next, nl ? nl : "");
		rc = wt_dispatch(ctx, body.buf);
		sb_release(&body);
	}
	list_page_free(&lp);
	return rc;
}
