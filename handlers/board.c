/* board: `!bord` adds the board as a room widget, `!bord weg` removes it
 * (handlers/board.h). */
#include "handlers/board.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/reply.h"
#include "lib/strbuf.h"

char *board_widget_content_dup(const char *public_url, const char *name,
			       const char *creator)
{
	if (!public_url || !*public_url || !name || !creator)
		return NULL;
	struct strbuf url = STRBUF_INIT;
	sb_addf(&url, "%s%s?room=$matrix_room_id&user=$matrix_user_id", public_url,
		BOARD_WIDGET_PATH);
	json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:{s:s}}",
			      "type", "m.custom", "url", url.buf, "name", name,
			      "id", BOARD_WIDGET_ID, "creatorUserId", creator,
			      "waitForIframeLoad", 1, "data", "title", name);
	sb_release(&url);
	char *text = c ? json_dumps(c, JSON_COMPACT) : NULL;
	json_decref(c);
	return text;
}

/* Add the state event with content (JSON text, taken), console text
 * console and the note for a refusal. */
static void add_state(struct wt_ctx *ctx, char *content, const char *console,
		      enum msg_id refused)
{
	struct wt_reply *r = reply_add(ctx, console);
	r->kind = REPLY_STATE;
	r->event_type = xstrdup(BOARD_WIDGET_TYPE);
	r->state_key = xstrdup(BOARD_WIDGET_ID);
	r->content = content;
	r->refused = xstrdup(T(ctx, refused));
	free(r->thread_root);  /* room state, in no thread */
	r->thread_root = NULL;
}

/* `!bord`: the widget in the command's room (the chair: checked here, as
 * the row is a member's for `!bord link`). */
static int board_add(struct wt_ctx *ctx)
{
	int rc = reply_require_role(ctx, ROLE_CHAIR);
	if (rc != WT_OK)
		return rc;
	const char *base = ctx->limits ? ctx->limits->web_url : NULL;
	if (!base || !*base)
		return reply_error(ctx, WT_EUSAGE, M_WEB_OFF);
	struct strbuf name = STRBUF_INIT;
	sb_addm(&name, ctx, M_BOARD_WIDGET_NAME, ctx->net->name);
	char *content = board_widget_content_dup(base, name.buf, ctx->sender);
	sb_release(&name);
	if (!content)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf console = STRBUF_INIT;
	sb_addm(&console, ctx, M_BOARD_CONSOLE, base);
	add_state(ctx, content, console.buf, M_BOARD_E_FORBIDDEN);
	sb_release(&console);
	reply_msgf(ctx, M_BOARD_ADDED, ctx_md(ctx, ctx->net->name));
	return WT_OK;
}

int cmd_board(struct wt_ctx *ctx, const char *args)
{
	if (*args)
		return reply_unknown_sub(ctx, args);
	return board_add(ctx);
}

/* `!bord weg`: an empty content takes the widget out. */
int board_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	if (rc != WT_OK)
		return rc;
	add_state(ctx, xstrdup("{}"), T(ctx, M_BOARD_CONSOLE_REMOVED),
		  M_BOARD_E_FORBIDDEN_REMOVE);
	reply_msgf(ctx, M_BOARD_REMOVED);
	return WT_OK;
}
