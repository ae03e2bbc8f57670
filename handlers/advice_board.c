/* advice_board: delivered advice on the board's agenda, the board's
 * decision in the register; see advice_board.h. */
#include "handlers/advice_board.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/advice_states.h"
#include "handlers/names.h"
#include "handlers/proposal.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/bodies.h"
#include "storage/minutes.h"

/* The body that decides advice (the config's choice, else the board):
 * 1 with *b, 0 when the network has none. */
static int board_of(struct wt_ctx *ctx, struct wt_body *b)
{
	return body_for_advice(ctx->db, ctx->net->name, b);
}

int advice_board_deliver(struct wt_ctx *ctx, const struct wt_advice *a, const char *ref,
			 const char *title, struct strbuf *sb)
{
	(void)a;
	struct wt_body b;
	int has = board_of(ctx, &b);
	if (has < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!has)
		return WT_OK;
	struct strbuf item_title = STRBUF_INIT, when = STRBUF_INIT;
	sb_addm(&item_title, ctx, M_ADVB_ITEM_TITLE, ref, title);
	struct wt_agenda_item it = { 0 };
	struct wt_meeting m = { 0 };
	int rc = proposal_put_on_agenda(ctx, &b, item_title.buf, 1, &it, &m);
	if (rc == WT_OK) {
		sb_add(sb, "\n\n");
		if (m.id) {
			when_format(&when, m.starts_at, ctx->net->tz, ctx->lang);
			sb_addm(sb, ctx, M_ADVB_ON_AGENDA, ctx_md(ctx, b.name), it.short_id,
				m.short_id, when.buf);
		} else {
			sb_addm(sb, ctx, M_ADVB_NO_MEETING, ctx_md(ctx, b.name));
		}
	}
	meeting_free(&m);
	body_free(&b);
	sb_release(&item_title);
	sb_release(&when);
	return rc;
}

/* The board's meeting running in this room (0: none) and its current
 * agenda item in *item (0: none). */
static long long board_meeting_here(struct wt_ctx *ctx, const struct wt_body *b,
				    long long *item)
{
	struct wt_run run;
	*item = 0;
	if (run_open_in_room(ctx->db, ctx->room, &run) <= 0)
		return 0;
	long long body = 0, id = run.meeting_id, cur = run.current_item;
	run_free(&run);
	if (body_of_meeting(ctx->db, id, &body) <= 0 || body != b->id)
		return 0;
	*item = cur;
	return id;
}

/* The notices after the decision: to the requester (who asked, or for
 * unasked advice who proposed it) by direct message, which buzzes, and to
 * the room the request came from. */
static void tell(struct wt_ctx *ctx, const struct wt_advice *a, const char *text)
{
	const char *who = a->requested_by ? a->requested_by : a->submitted_by;
	if (who && strcmp(who, ctx->sender) != 0) {
		reply_dm(ctx, who, text);
	}
	if (a->room && strcmp(a->room, ctx->room) != 0) {
		struct wt_reply *r = reply_add(ctx, text);
		r->room = xstrdup(a->room);
		free(r->in_reply_to);
		r->in_reply_to = NULL;
	}
}

int advice_board_decide(struct wt_ctx *ctx, const struct wt_advice *a, const char *ref,
			const char *title, enum advice_outcome o, const char *note)
{
	struct wt_body b;
	int has = board_of(ctx, &b);
	if (has < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!has)
		return WT_OK;
	const char *outcome = T(ctx, advice_outcome_msg(o));
	struct strbuf text = STRBUF_INIT, sb = STRBUF_INIT, md = STRBUF_INIT;
	sb_addm(&text, ctx, M_ADVB_DECISION, ref, title, outcome, b.name, note);
	long long item = 0, meeting = board_meeting_here(ctx, &b, &item);
	struct wt_logged d = {
		.network = ctx->net->name, .kind = LOGGED_DECISION,
		.meeting_id = meeting, .agenda_item_id = item, .text = text.buf,
		.advice = a->short_id, .logged_by = (char *)ctx->sender,
		.room = (char *)ctx->room, .event_id = (char *)ctx->event_id,
		.created_at = ctx->now,
	};
	int rc = WT_OK;
	if (logged_add(ctx->db, &d) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		reply_msgf(ctx, M_ADVB_IN_REGISTER, d.short_id, ref);
		sb_add_md(&md, note);
		sb_addm(&sb, ctx, M_ADVB_TOLD, ctx_md(ctx, b.name), ref, ctx_md(ctx, title), outcome,
			md.buf, d.short_id);
		tell(ctx, a, sb.buf);
	}
	body_free(&b);
	sb_release(&text);
	sb_release(&sb);
	sb_release(&md);
	return rc;
}
