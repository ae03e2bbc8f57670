/* !voorstel besluit <nr> akkoord|afgewezen [toelichting]: the decision of
 * the body whose room this is, in its running meeting, on a proposal that
 * lies with it. The stage follows from the body's kind: a subteam
 * prepares, a werktafel, actielijnenoverleg or stuurgroep approves, the
 * board adopts; any of them may reject. Advisory members record nothing. */
#include "handlers/proposal.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/body.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "storage/minutes.h"

/* What an agreeing decision of a body of kind k makes of a proposal. */
static enum proposal_stage stage_of_kind(enum body_kind k)
{
	if (k == BODY_SUBTEAM)
		return PROPOSAL_PREPARED;
	if (k == BODY_BOARD)
		return PROPOSAL_ADOPTED;
	return PROPOSAL_APPROVED;
}

/* May the sender record a decision of b: not advisory, and the network's
 * secretary or chair, or b's own chair or secretary. */
static int check_officer(struct wt_ctx *ctx, const struct wt_body *b)
{
	struct strbuf who = STRBUF_INIT;
	int rc = WT_OK;
	if (body_member_kind(b, ctx->sender) == BODY_ADVISORY) {
		sb_add_person(&who, ctx, ctx->sender);
		rc = reply_error(ctx, WT_EPERM, M_BODY_ERR_ADVISORY, who.buf, ctx_md(ctx, b->name));
	} else {
		int own = (b->chair && strcmp(b->chair, ctx->sender) == 0) ||
			  (b->secretary && strcmp(b->secretary, ctx->sender) == 0);
		rc = reply_require_role_unless(ctx, ROLE_SECRETARY, own, M_PROP_ERR_OFFICER,
					       ctx_md(ctx, b->name));
	}
	sb_release(&who);
	return rc;
}

/* The meeting of b running in this room: WT_OK with *meeting_id, or the
 * refusal. */
static int running_meeting(struct wt_ctx *ctx, const struct wt_body *b, long long *meeting_id)
{
	struct wt_run run;
	int found = run_open_in_room(ctx->db, ctx->room, &run);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	long long body = 0;
	int of = found ? body_of_meeting(ctx->db, run.meeting_id, &body) : 0;
	*meeting_id = found ? run.meeting_id : 0;
	if (found)
		run_free(&run);
	if (of < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!of || body != b->id)
		return reply_error(ctx, WT_EUSAGE, M_PROP_ERR_NO_RUN, ctx_md(ctx, b->name));
	return WT_OK;
}

/* The stage the decision gives, or the refusal when the proposal is not
 * with b or cannot take this step. */
static int next_stage(struct wt_ctx *ctx, const struct wt_proposal *pr, const struct wt_body *b,
		      int agreed, enum proposal_stage *out)
{
	if (pr->stage == PROPOSAL_ADOPTED || pr->stage == PROPOSAL_REJECTED)
		return reply_error(ctx, WT_EUSAGE, M_PROP_ERR_FINAL, pr->short_id,
				   proposal_stage_label(ctx, pr->stage));
	if (pr->body_id != b->id) {
		struct wt_body now;
		int has = pr->body_id ? body_by_id(ctx->db, pr->body_id, &now) : 0;
		int rc = reply_error(ctx, WT_EUSAGE, M_PROP_ERR_ELSEWHERE, pr->short_id,
				     ctx_md(ctx, has > 0 ? now.name : "?"), ctx_md(ctx, b->name));
		if (has > 0)
			body_free(&now);
		return rc;
	}
	*out = agreed ? stage_of_kind(b->kind) : PROPOSAL_REJECTED;
	if (agreed && *out <= pr->stage)
		return reply_error(ctx, WT_EUSAGE, M_PROP_ERR_ORDER, pr->short_id,
				   proposal_stage_label(ctx, pr->stage), ctx_md(ctx, b->name),
				   body_kind_label(ctx, b->kind));
	return WT_OK;
}

/* The decision's text for the register: what, by whom, after which. */
static void decision_text(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_proposal *pr,
			  const struct wt_body *b, enum proposal_stage st, const char *note)
{
	sb_addm(sb, ctx, M_PROP_DECISION, pr->short_id, pr->title,
		proposal_stage_label(ctx, st), b->name);
	struct wt_proposal_step *s;
	int n = proposal_steps(ctx->db, pr->id, &s);
	if (n > 0 && s[n - 1].decision_short)
		sb_addm(sb, ctx, M_PROP_DECISION_AFTER, s[n - 1].decision_short);
	if (n > 0)
		proposal_steps_free(s, (size_t)n);
	if (note && *note)
		sb_addf(sb, " %s", note);
}

/* Record it: the decision in the register, the step, the new stage. */
static int record(struct wt_ctx *ctx, struct wt_proposal *pr, const struct wt_body *b,
		  long long meeting_id, enum proposal_stage st, const char *note)
{
	struct strbuf text = STRBUF_INIT;
	decision_text(&text, ctx, pr, b, st, note);
	struct wt_logged d = {
		.network = ctx->net->name, .kind = LOGGED_DECISION, .meeting_id = meeting_id,
		.agenda_item_id = pr->agenda_item_id, .text = text.buf,
		.logged_by = (char *)ctx->sender, .room = (char *)ctx->room,
		.event_id = (char *)ctx->event_id, .created_at = ctx->now,
	};
	int rc = WT_OK;
	struct wt_proposal_step step = {
		.body_id = b->id, .stage = st, .meeting_id = meeting_id, .at = ctx->now,
	};
	if (logged_add(ctx->db, &d) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	step.decision_id = d.id;
	pr->stage = st;
	if (rc == WT_OK && (proposal_step_add(ctx->db, pr->id, &step) < 0 ||
			    proposal_update(ctx->db, pr) < 0 ||
			    (pr->agenda_item_id &&
			     agenda_mark_discussed(ctx->db, pr->agenda_item_id) < 0)))
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT;
		sb_addm(&sb, ctx, M_PROP_DECIDED, d.short_id, ctx_md(ctx, text.buf));
		if (st != PROPOSAL_ADOPTED && st != PROPOSAL_REJECTED) {
			sb_add(&sb, "\n");
			sb_addm(&sb, ctx, M_PROP_NEXT_HINT, pr->short_id);
		}
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	sb_release(&text);
	return rc;
}

int proposal_decide_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_PROP_SYN_DECIDE;
	struct wt_proposal pr = { 0 };
	struct wt_body b = { 0 };
	struct strbuf word = STRBUF_INIT, note = STRBUF_INIT;
	const char *p = args;
	int rc = proposal_arg(ctx, &p, syn, &pr);
	int agreed = 0;
	if (rc == WT_OK) {
		const char *after = args_word(p, &word);
		agreed = word.len && args_is(word.buf, "akkoord", "agreed");
		if (!word.len || (!agreed && !args_is(word.buf, "afgewezen", "rejected")))
			rc = reply_usagef(ctx, WT_EUSAGE, syn, M_PROP_ERR_OUTCOME);
		else if (after)
			args_line(after, &note);
	}
	if (rc == WT_OK) {
		int found = body_of_room(ctx->db, ctx->net->name, ctx->room, &b);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_EUSAGE, syn, M_PROP_ERR_NO_BODY_ROOM);
	}
	if (rc == WT_OK)
		rc = check_officer(ctx, &b);
	enum proposal_stage st = PROPOSAL_DRAFT;
	if (rc == WT_OK)
		rc = next_stage(ctx, &pr, &b, agreed, &st);
	long long meeting_id = 0;
	if (rc == WT_OK)
		rc = running_meeting(ctx, &b, &meeting_id);
	if (rc == WT_OK)
		rc = record(ctx, &pr, &b, meeting_id, st, note.buf);
	proposal_free(&pr);
	body_free(&b);
	sb_release(&word);
	sb_release(&note);
	return rc;
}
