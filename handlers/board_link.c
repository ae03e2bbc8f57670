/* board_link: `!bord link`, `!bord link intrekken`, `!agenda abonneer`
 * (see board_link.h). */
#include "handlers/board_link.h"

#include <stdlib.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/board.h"
#include "handlers/commands.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "web/token.h"

/* The web board's base URL, or NULL after the refusal that it is off. */
static const char *web_base(struct wt_ctx *ctx)
{
	const char *base = ctx->limits ? ctx->limits->web_url : NULL;
	if (!base)
		reply_error(ctx, WT_EUSAGE, M_WEB_OFF);
	return base;
}

/* The direct message with the link, and the note where it was asked. */
static void send_dm(struct wt_ctx *ctx, const char *text)
{
	reply_dm(ctx, ctx->sender, text);
	reply_msgf(ctx, M_BOARD_LINK_SENT);
}

/* A new token of kind; its URL (base + path + ?t=) in *url. */
static int make_link(struct wt_ctx *ctx, const char *base, enum web_token_kind kind,
		     int with_actions, long ttl, const char *page, struct strbuf *url)
{
	char *token = NULL;
	if (web_token_issue(ctx->db, ctx->net->name, ctx->sender, kind, with_actions,
			    ctx->now, ttl, &token) != WEB_TOKEN_VALID)
		return reply_error(ctx, WT_EDB, M_WEB_TOKEN_FAILED);
	sb_addf(url, "%s/n/%s%s?t=%s", base, ctx->net->name, page, token);
	free(token);
	return WT_OK;
}

static int board_link_cmd(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	const char *base = rc == WT_OK ? web_base(ctx) : NULL;
	if (!base)
		return rc == WT_OK ? WT_EUSAGE : rc;
	struct strbuf url = STRBUF_INIT, until = STRBUF_INIT, md = STRBUF_INIT, text = STRBUF_INIT;
	rc = make_link(ctx, base, WEB_TOKEN_BOARD, 0, WEB_BOARD_LINK_TTL, "", &url);
	if (rc == WT_OK) {
		when_format_date(&until, ctx->now + WEB_BOARD_LINK_TTL, ctx->net->tz, ctx->lang);
		sb_addf(&md, "<%s>", url.buf);
		sb_addm(&text, ctx, M_BOARD_LINK_DM, ctx_md(ctx, ctx->net->name), md.buf, until.buf);
		send_dm(ctx, text.buf);
	}
	sb_release(&url);
	sb_release(&until);
	sb_release(&md);
	sb_release(&text);
	return rc;
}

static int revoke(struct wt_ctx *ctx, const char *args, enum web_token_kind kind,
		  enum msg_id done, enum msg_id none)
{
	int rc = reply_if_extra(ctx, args);
	if (rc != WT_OK)
		return rc;
	int n = web_tokens_revoke(ctx->db, ctx->net->name, ctx->sender, kind, ctx->now);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	reply_msgf(ctx, n > 0 ? done : none);
	return WT_OK;
}

static int board_link_revoke_cmd(struct wt_ctx *ctx, const char *args)
{
	return revoke(ctx, args, WEB_TOKEN_BOARD, M_BOARD_LINK_REVOKED, M_BOARD_LINK_NONE);
}

static const struct wt_command board_link_subs[] = {
	{ { "intrekken", "revoke" }, "uit off", ROLE_MEMBER, M_BOARD_SYN_LINK_REVOKE,
	  M_BOARD_HELP_LINK_REVOKE, board_link_revoke_cmd, 0, NULL },
	WT_SUBS_END,
};

const struct wt_command board_subs[] = {
	{ { "link", "link" }, NULL, ROLE_MEMBER, M_BOARD_SYN_LINK, M_BOARD_HELP_LINK,
	  board_link_cmd, 0, board_link_subs },
	/* The widget (handlers/board.c). */
	{ { "weg", "remove" }, "verwijder delete", ROLE_CHAIR, M_BOARD_SYN_REMOVE, M_NONE,
	  board_remove_cmd, 0, NULL },
	WT_SUBS_END,
};

int agenda_subscribe_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	int with_actions = 0;
	if (after && (!strcasecmp(w.buf, "intrekken") || !strcasecmp(w.buf, "revoke"))) {
		sb_release(&w);
		return revoke(ctx, after, WEB_TOKEN_ICS, M_SUBSCRIBE_REVOKED, M_SUBSCRIBE_NONE);
	}
	if (after && (!strcasecmp(w.buf, "acties") || !strcasecmp(w.buf, "actions"))) {
		with_actions = 1;
	} else if (after) {
		int rc = reply_usage_text(ctx, WT_EUSAGE, M_AGENDA_SYN_SUBSCRIBE,
					  M_SUBSCRIBE_BAD_WORD, w.buf);
		sb_release(&w);
		return rc;
	}
	sb_release(&w);
	int rc = reply_if_extra(ctx, after ? after : args);
	const char *base = rc == WT_OK ? web_base(ctx) : NULL;
	if (!base)
		return rc == WT_OK ? WT_EUSAGE : rc;
	struct strbuf url = STRBUF_INIT, md = STRBUF_INIT, text = STRBUF_INIT;
	rc = make_link(ctx, base, WEB_TOKEN_ICS, with_actions, 0, "/agenda.ics", &url);
	if (rc == WT_OK) {
		sb_addf(&md, "<%s>", url.buf);
		sb_addm(&text, ctx, with_actions ? M_SUBSCRIBE_DM_ACTIONS : M_SUBSCRIBE_DM,
			ctx_md(ctx, ctx->net->name), md.buf);
		send_dm(ctx, text.buf);
	}
	sb_release(&url);
	sb_release(&md);
	sb_release(&text);
	return rc;
}
