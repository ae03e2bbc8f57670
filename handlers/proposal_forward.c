/* Forwarding to the next body: `!voorstel doorsturen <nr> <orgaan>` puts a
 * proposal its body decided on on the next agenda of the body named (and
 * the proposal then lies with that body); `!agenda doorsturen <punt>
 * <orgaan>` does the same for a discussed agenda item (a proposal's item
 * forwards its proposal). The new item is accepted on that agenda: the
 * secretary forwarding it is the acceptance. */
#include "handlers/proposal.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/agenda_internal.h"
#include "handlers/args.h"
#include "handlers/body.h"
#include "handlers/commands.h"
#include "handlers/reply.h"
#include "handlers/when.h"

/* The target's next planned meeting must exist: the refusal when not. */
static int target_has_meeting(struct wt_ctx *ctx, const struct wt_body *to)
{
	struct wt_meeting m;
	int found = body_meeting_next_after(ctx->db, to->id, ctx->now, &m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_error(ctx, WT_EUSAGE, M_PROP_ERR_TARGET_NO_MEETING, ctx_md(ctx, to->name));
	meeting_free(&m);
	return WT_OK;
}

/* Move pr to body `to`: a new accepted item on its next agenda. from_item
 * is the short id of the agenda item forwarded (0: the proposal itself). */
static int forward(struct wt_ctx *ctx, struct wt_proposal *pr, const struct wt_body *to,
		   const char *title, long long from_item)
{
	int rc = target_has_meeting(ctx, to);
	struct wt_agenda_item it = { 0 };
	struct wt_meeting m = { 0 };
	if (rc == WT_OK)
		rc = proposal_put_on_agenda(ctx, to, title, 1, &it, &m);
	if (rc == WT_OK && pr) {
		pr->body_id = to->id;
		pr->agenda_item_id = it.id;
		if (proposal_update(ctx->db, pr) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK) {
		struct strbuf when = STRBUF_INIT;
		when_format(&when, m.starts_at, ctx->net->tz, ctx->lang);
		if (from_item)
			reply_msgf(ctx, M_AGENDA_FORWARDED, from_item, it.short_id,
				   ctx_md(ctx, to->name), m.short_id, when.buf);
		else
			reply_msgf(ctx, M_PROP_FORWARDED, pr->short_id, it.short_id,
				   ctx_md(ctx, to->name), m.short_id, when.buf);
		sb_release(&when);
	}
	meeting_free(&m);
	return rc;
}

/* A proposal may go on when the body it lies with has decided on it (its
 * last step is that body's) and it is not final. */
static int check_forwardable(struct wt_ctx *ctx, const struct wt_proposal *pr,
			     const struct wt_body *to)
{
	if (pr->stage == PROPOSAL_ADOPTED || pr->stage == PROPOSAL_REJECTED)
		return reply_error(ctx, WT_EUSAGE, M_PROP_ERR_FINAL, pr->short_id,
				   proposal_stage_label(ctx, pr->stage));
	if (pr->body_id == to->id)
		return reply_error(ctx, WT_EUSAGE, M_PROP_ERR_SAME_BODY, pr->short_id,
				   ctx_md(ctx, to->name));
	struct wt_proposal_step *s;
	int n = proposal_steps(ctx->db, pr->id, &s);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	int decided = n > 0 && s[n - 1].body_id == pr->body_id;
	if (n > 0)
		proposal_steps_free(s, (size_t)n);
	if (decided)
		return WT_OK;
	struct wt_body now;
	int has = pr->body_id ? body_by_id(ctx->db, pr->body_id, &now) : 0;
	int rc = reply_error(ctx, WT_EUSAGE, M_PROP_ERR_NOT_DECIDED, pr->short_id,
			     ctx_md(ctx, has > 0 ? now.name : "?"));
	if (has > 0)
		body_free(&now);
	return rc;
}

int proposal_forward_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_PROP_SYN_FORWARD;
	struct wt_proposal pr = { 0 };
	struct wt_body to = { 0 };
	struct strbuf title = STRBUF_INIT;
	const char *p = args;
	int rc = proposal_arg(ctx, &p, syn, &pr);
	if (rc == WT_OK)
		rc = body_arg(ctx, &p, syn, &to);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK)
		rc = check_forwardable(ctx, &pr, &to);
	if (rc == WT_OK) {
		sb_addm(&title, ctx, M_PROP_ITEM_TITLE, pr.short_id, pr.title);
		rc = forward(ctx, &pr, &to, title.buf, 0);
	}
	proposal_free(&pr);
	body_free(&to);
	sb_release(&title);
	return rc;
}

int agenda_forward_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_AGENDA_SYN_FORWARD;
	struct wt_agenda_item it = { 0 };
	struct wt_body to = { 0 };
	struct wt_proposal pr = { 0 };
	const char *p = args;
	int rc = agenda_read_item(ctx, &p, syn, &it);
	if (rc == WT_OK)
		rc = body_arg(ctx, &p, syn, &to);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && it.state != AGENDA_DISCUSSED)
		rc = reply_error(ctx, WT_EUSAGE, M_AGENDA_ERR_NOT_DISCUSSED, it.short_id);
	int is_prop = rc == WT_OK ? proposal_by_item(ctx->db, it.id, &pr) : 0;
	if (is_prop < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK && is_prop)
		rc = check_forwardable(ctx, &pr, &to);
	if (rc == WT_OK)
		rc = forward(ctx, is_prop ? &pr : NULL, &to, it.title, it.short_id);
	agenda_item_free(&it);
	proposal_free(&pr);
	body_free(&to);
	return rc;
}
