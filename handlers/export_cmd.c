/* !export (chair): everything the network keeps (storage/export.h) as a
 * JSON file in a direct message to the chair who asked, with a note in the
 * room. The file goes by direct message, never into the room: it holds the
 * personal data of every member. */
#include <stdlib.h>

#include "handlers/commands.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/export.h"

int cmd_export(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	if (rc != WT_OK)
		return rc;
	json_t *doc = NULL;
	if (export_network(ctx->db, ctx->net->name, ctx->now, &doc) != EXPORT_OK)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf name = STRBUF_INIT, note = STRBUF_INIT;
	sb_addf(&name, "werktafel-%s.json", ctx->net->name);
	reply_msgf(ctx, M_EXPORT_SENT, ctx_md(ctx, ctx->net->name), name.buf);
	/* In the direct chat: a line that buzzes, then the file. */
	sb_addm(&note, ctx, M_EXPORT_DM, ctx_md(ctx, ctx->net->name));
	struct wt_reply *dm = reply_add(ctx, note.buf);
	dm->to_user = xstrdup(ctx->sender);
	free(dm->in_reply_to);
	dm->in_reply_to = NULL;
	reply_mention(dm, ctx->sender);
	struct wt_reply *file = reply_add(ctx, text);
	file->kind = REPLY_FILE;
	file->to_user = xstrdup(ctx->sender);
	free(file->in_reply_to);
	file->in_reply_to = NULL;
	file->filename = sb_detach(&name);
	free(text);
	sb_release(&note);
	return WT_OK;
}
