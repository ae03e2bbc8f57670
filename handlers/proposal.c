/* !voorstel / !proposal: a proposal that travels through the bodies of a
 * network, as the MGZ governance has it: a subteam prepares, the
 * action-line meeting approves, the board adopts (or any of them rejects).
 *
 *   !voorstel                                   the proposals
 *   !voorstel <nr>                              one, with its whole path
 *   !voorstel nieuw <titel>                     in a body's room: made, and
 *                                               put on that body's agenda
 *   !voorstel besluit <nr> akkoord|afgewezen [toelichting]
 *                                               the body's decision, in its
 *                                               running meeting
 *   !voorstel doorsturen <nr> <orgaan>          (handlers/proposal_forward.c)
 *
 * Each decision is a decision in the register (logged_items) with its
 * meeting and agenda item, and a step in proposal_steps linked to the step
 * before; its text names the decision it follows, so `!besluiten` shows the
 * chain too. */
#include "handlers/proposal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/body.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/minutes.h"

/* Most proposals !voorstel lists. */
#define PROPOSAL_LIST_MAX 20

static const enum msg_id stage_labels[] = {
	M_PROP_STAGE_DRAFT, M_PROP_STAGE_PREPARED, M_PROP_STAGE_APPROVED,
	M_PROP_STAGE_ADOPTED, M_PROP_STAGE_REJECTED,
};

const char *proposal_stage_label(const struct wt_ctx *ctx, enum proposal_stage s)
{
	return T(ctx, stage_labels[(unsigned)s <= PROPOSAL_REJECTED ? s : 0]);
}

int proposal_arg(struct wt_ctx *ctx, const char **p, enum msg_id syn, struct wt_proposal *out)
{
	struct strbuf w = STRBUF_INIT;
	memset(out, 0, sizeof *out);
	const char *after = args_word(*p, &w);
	*p = after ? after : "";
	const char *num = w.buf;
	if (w.len && (num[0] == 'V' || num[0] == 'v'))
		num++;
	long long sid = w.len ? args_id(num) : -1;
	int rc = WT_OK;
	if (sid <= 0) {
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_PROP_ERR_ID);
	} else {
		int found = proposal_by_short_id(ctx->db, ctx->net->name, sid, out);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_error(ctx, WT_ENOTFOUND, M_PROP_ERR_UNKNOWN, sid);
	}
	sb_release(&w);
	return rc;
}

int proposal_put_on_agenda(struct wt_ctx *ctx, const struct wt_body *b, const char *title,
			   int accept, struct wt_agenda_item *item, struct wt_meeting *m)
{
	memset(m, 0, sizeof *m);
	int found = body_meeting_next_after(ctx->db, b->id, ctx->now, m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	*item = (struct wt_agenda_item){
		.network = ctx->net->name, .meeting_id = found ? m->id : 0,
		.title = (char *)title, .proposer = (char *)ctx->sender,
		.state = AGENDA_PROPOSED, .created_at = ctx->now,
		.event_id = (char *)ctx->event_id,
	};
	int number = 0;
	if (agenda_create(ctx->db, item) < 0 || (accept && found &&
						 agenda_accept(ctx->db, item, &number) < 0))
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	return WT_OK;
}

/* !voorstel: the newest proposals with their stage and body. */
static int proposal_list_cmd(struct wt_ctx *ctx)
{
	struct wt_proposal *v;
	int n = proposal_list(ctx->db, ctx->net->name, PROPOSAL_LIST_MAX, &v);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!n) {
		reply_msgf(ctx, M_PROP_LIST_NONE, T(ctx, M_PROP_SYN_NEW));
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_PROP_LIST_HEAD);
	for (int i = 0; i < n; i++) {
		struct wt_body b;
		int has = v[i].body_id ? body_by_id(ctx->db, v[i].body_id, &b) : 0;
		sb_add(&sb, "\n");
		if (has > 0)
			sb_addm(&sb, ctx, M_PROP_LIST_LINE, v[i].short_id, ctx_md(ctx, v[i].title),
				proposal_stage_label(ctx, v[i].stage), ctx_md(ctx, b.name));
		else
			sb_addm(&sb, ctx, M_PROP_LIST_LINE_NOBODY, v[i].short_id,
				ctx_md(ctx, v[i].title), proposal_stage_label(ctx, v[i].stage));
		if (has > 0)
			body_free(&b);
	}
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	proposal_list_free(v, (size_t)n);
	return WT_OK;
}

/* The path: each step's stage, body, meeting and decision. */
static int add_path(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_proposal *pr)
{
	struct wt_proposal_step *s;
	int n = proposal_steps(ctx->db, pr->id, &s);
	if (n < 0)
		return -1;
	sb_add(sb, "\n\n");
	if (!n)
		sb_addm(sb, ctx, M_PROP_NO_STEPS);
	else
		sb_addm(sb, ctx, M_PROP_PATH_HEAD);
	for (int i = 0; i < n; i++) {
		struct strbuf when = STRBUF_INIT;
		when_format_date(&when, s[i].meeting_at ? s[i].meeting_at : s[i].at,
				 ctx->net->tz, ctx->lang);
		sb_add(sb, "\n");
		sb_addm(sb, ctx, M_PROP_STEP, (long long)i + 1,
			proposal_stage_label(ctx, s[i].stage),
			ctx_md(ctx, s[i].body_name ? s[i].body_name : "?"), s[i].meeting_short,
			when.buf, s[i].decision_short);
		sb_release(&when);
	}
	proposal_steps_free(s, (size_t)n);
	return 0;
}

/* !voorstel <nr>: the proposal and its whole path. */
static int proposal_show(struct wt_ctx *ctx, const char *args)
{
	struct wt_proposal pr;
	const char *p = args;
	int rc = proposal_arg(ctx, &p, M_SYN_PROPOSAL, &pr);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	struct wt_body b = { 0 };
	int has = rc == WT_OK && pr.body_id ? body_by_id(ctx->db, pr.body_id, &b) : 0;
	struct strbuf sb = STRBUF_INIT;
	if (rc == WT_OK) {
		sb_addm(&sb, ctx, M_PROP_HEAD, pr.short_id, ctx_md(ctx, pr.title));
		sb_add(&sb, "\n");
		if (has > 0)
			sb_addm(&sb, ctx, M_PROP_NOW, proposal_stage_label(ctx, pr.stage),
				ctx_md(ctx, b.name));
		else
			sb_addm(&sb, ctx, M_PROP_NOW_NOBODY, proposal_stage_label(ctx, pr.stage));
		if (has < 0 || add_path(&sb, ctx, &pr) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK)
		reply_add(ctx, sb.buf);
	sb_release(&sb);
	if (has > 0)
		body_free(&b);
	proposal_free(&pr);
	return rc;
}

/* The body of the room the command is in, or the refusal. */
static int room_body(struct wt_ctx *ctx, enum msg_id syn, struct wt_body *b)
{
	int found = body_of_room(ctx->db, ctx->net->name, ctx->room, b);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_usagef(ctx, WT_EUSAGE, syn, M_PROP_ERR_NO_BODY_ROOM);
	return WT_OK;
}

/* Tell where the new item went: its number and meeting, or that it waits. */
static void add_where(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_body *b,
		      const struct wt_agenda_item *it, const struct wt_meeting *m)
{
	struct strbuf when = STRBUF_INIT;
	sb_add(sb, "\n");
	if (m->id) {
		when_format(&when, m->starts_at, ctx->net->tz, ctx->lang);
		sb_addm(sb, ctx, M_PROP_ON_AGENDA, it->short_id, m->short_id, when.buf);
	} else {
		sb_addm(sb, ctx, M_PROP_NO_MEETING, ctx_md(ctx, b->name));
	}
	sb_release(&when);
}

/* !voorstel nieuw <titel> */
static int proposal_new_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_PROP_SYN_NEW;
	struct strbuf title = STRBUF_INIT, item_title = STRBUF_INIT, sb = STRBUF_INIT;
	args_line(args, &title);
	struct wt_body b = { 0 };
	int rc = WT_OK;
	if (!title.len)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_PROP_ERR_NO_TITLE);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_PROP_ERR_NO_TITLE, title.buf, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = room_body(ctx, syn, &b);
	struct wt_proposal pr = {
		.network = ctx->net->name, .title = title.buf, .body_id = b.id,
		.created_by = (char *)ctx->sender, .created_at = ctx->now,
	};
	if (rc == WT_OK && proposal_create(ctx->db, &pr) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct wt_agenda_item it = { 0 };
	struct wt_meeting m = { 0 };
	if (rc == WT_OK) {
		sb_addm(&item_title, ctx, M_PROP_ITEM_TITLE, pr.short_id, title.buf);
		rc = proposal_put_on_agenda(ctx, &b, item_title.buf, 0, &it, &m);
	}
	pr.agenda_item_id = it.id;
	if (rc == WT_OK && proposal_update(ctx->db, &pr) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		sb_addm(&sb, ctx, M_PROP_CREATED, pr.short_id, ctx_md(ctx, b.name),
			ctx_md(ctx, title.buf));
		add_where(&sb, ctx, &b, &it, &m);
		reply_add(ctx, sb.buf);
	}
	meeting_free(&m);
	body_free(&b);
	sb_release(&title);
	sb_release(&item_title);
	sb_release(&sb);
	return rc;
}

const struct wt_command proposal_subs[] = {
	{ { "nieuw", "new" }, "maak", ROLE_MEMBER, M_PROP_SYN_NEW, M_PROP_HELP_NEW,
	  proposal_new_cmd, 0, NULL },
	{ { "besluit", "decide" }, "besluiten decision", ROLE_MEMBER, M_PROP_SYN_DECIDE,
	  M_PROP_HELP_DECIDE, proposal_decide_cmd, 0, NULL },
	{ { "doorsturen", "forward" }, "stuur", ROLE_SECRETARY, M_PROP_SYN_FORWARD,
	  M_PROP_HELP_FORWARD, proposal_forward_cmd, 0, NULL },
	WT_SUBS_END,
};

int cmd_proposal(struct wt_ctx *ctx, const char *args)
{
	if (!*args_skip_blank(args))
		return proposal_list_cmd(ctx);
	return proposal_show(ctx, args);
}
