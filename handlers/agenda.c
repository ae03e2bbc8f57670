/* !agenda: show a meeting's agenda, take proposals, and (secretary and up)
 * accept, defer and order items.
 *
 *   !agenda                      the agenda of the next meeting
 *   !agenda <meeting-id>         the agenda of that meeting
 *   !agenda voorstel <title>     propose; optional lines thema:, waarom:,
 *                                wat:, hoe: (theme:, why:, what:, how:)
 *   !agenda accepteer <id>       put a proposal on the agenda (at the end)
 *   !agenda uitstel <id>         move to the next meeting after its own
 *   !agenda volgorde <id> <pos>  give an item another number
 *   (weiger, trek in, wijzig: handlers/agenda_propose.c; oproep:
 *   handlers/agenda_call.c)
 *
 * Every item is named by its id, `#5`, in each list and reply, and every
 * command takes that id (`5` or `#5`); "nummer 2" is its place on the
 * agenda, which `!punt` and `volgorde` take. The proposer hears by direct
 * message when their item is accepted, deferred, refused or withdrawn by
 * someone else.
 *
 * A proposal goes to the next planned meeting that has not started, or
 * waits unassigned when none is planned (the next !vergadering plan picks it
 * up). A deferred item waits on the later meeting to be accepted again. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/agenda_internal.h"
#include "handlers/board_link.h"
#include "handlers/args.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/meeting.h"
#include "handlers/ics.h"
#include "handlers/invite.h"
#include "handlers/commands.h"
#include "handlers/documents.h"
#include "handlers/proposal.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/agenda.h"
#include "storage/agenda_final.h"
#include "storage/bodies.h"
#include "storage/meetings.h"

enum msg_id agenda_state_msg(enum agenda_state s)
{
	switch (s) {
	case AGENDA_REFUSED: return M_AGENDA_STATE_REFUSED;
	case AGENDA_ACCEPTED: return M_AGENDA_STATE_ACCEPTED;
	case AGENDA_DISCUSSED: return M_AGENDA_STATE_DISCUSSED;
	case AGENDA_DEFERRED: return M_AGENDA_STATE_DEFERRED;
	case AGENDA_WITHDRAWN: return M_AGENDA_STATE_WITHDRAWN;
	default: return M_AGENDA_STATE_PROPOSED;
	}
}

/* 1 for items that are on the agenda proper (numbered). */
static int on_agenda(enum agenda_state s)
{
	return s == AGENDA_ACCEPTED || s == AGENDA_DISCUSSED;
}

/* One sub-bullet "  - <fmt with the escaped value>" under an item. */
static void add_detail(struct strbuf *sb, const struct wt_ctx *ctx, const char *indent,
		       enum msg_id fmt, const char *value)
{
	if (!value || !*value)
		return;
	struct strbuf md = STRBUF_INIT;
	sb_add_md(&md, value);
	sb_addf(sb, "\n%s- ", indent);
	sb_addm(sb, ctx, fmt, md.buf);
	sb_release(&md);
}

/* The lines under an item: theme and proposer (and state when deferred),
 * then why, what and how. */
static void add_item_details(struct strbuf *sb, const struct wt_ctx *ctx, const char *indent,
			     const struct wt_agenda_item *it)
{
	struct strbuf md = STRBUF_INIT;
	sb_addf(sb, "\n%s- ", indent);
	if (it->theme && *it->theme) {
		sb_add_md(&md, it->theme);
		sb_addm(sb, ctx, M_AGENDA_THEME, md.buf);
		sb_add(sb, " · ");
		sb_reset(&md);
	}
	sb_add_person(&md, ctx, it->proposer);
	sb_addm(sb, ctx, M_AGENDA_PROPOSER, md.buf);
	if (it->state != AGENDA_ACCEPTED && it->state != AGENDA_PROPOSED) {
		sb_add(sb, " · ");
		sb_addm(sb, ctx, M_AGENDA_STATE, T(ctx, agenda_state_msg(it->state)));
	}
	add_detail(sb, ctx, indent, M_AGENDA_WHY, it->why);
	add_detail(sb, ctx, indent, M_AGENDA_WHAT, it->what);
	add_detail(sb, ctx, indent, M_AGENDA_HOW, it->how);
	docs_render_item(sb, ctx, it->id, indent);
	sb_release(&md);
}

/* The proposals among v (proposed or deferred) as a bullet list. */
static void add_proposals(struct strbuf *sb, const struct wt_ctx *ctx,
			  const struct wt_agenda_item *v, int n, enum msg_id head)
{
	int any = 0;
	struct strbuf md = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		if (v[i].state != AGENDA_PROPOSED && v[i].state != AGENDA_DEFERRED)
			continue;
		if (!any) {
			sb_add(sb, "\n\n");
			sb_add(sb, T(ctx, head));
			sb_add(sb, "\n");
			any = 1;
		}
		sb_reset(&md);
		sb_add_md(&md, v[i].title);
		sb_addc(sb, '\n');
		sb_addm(sb, ctx, M_AGENDA_PROPOSAL, md.buf, v[i].short_id);
		add_item_details(sb, ctx, "  ", &v[i]);
	}
	sb_release(&md);
}

/* The meeting's own documents under their heading, when it has any. */
static void add_meeting_docs(struct strbuf *sb, struct wt_ctx *ctx, long long meeting_id)
{
	struct strbuf docs = STRBUF_INIT;
	if (docs_render_meeting(&docs, ctx, meeting_id, "") > 0) {
		sb_add(sb, "\n\n");
		sb_add(sb, T(ctx, M_DOC_MEETING_HEAD));
		sb_add(sb, docs.buf);
	}
	sb_release(&docs);
}

/* Reply with the agenda of meeting m, one page of it. */
static int show_agenda(struct wt_ctx *ctx, const struct wt_meeting *m,
		       const struct wt_page *pg)
{
	struct wt_agenda_item *v;
	long long total = 0, listed = 0;
	int n = agenda_list_page(ctx->db, ctx->net->name, m->id, pg->limit, pg->offset,
				 &v, &total, &listed);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	int rc = page_check(ctx, pg, total);
	if (rc != WT_OK) {
		agenda_list_free(v, (size_t)n);
		return rc;
	}
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	sb_add_md(&a, m->title);
	when_format(&b, m->starts_at, ctx->net->tz, ctx->lang);
	sb_addm(&sb, ctx, M_AGENDA_HEAD, a.buf, m->short_id, b.buf);
	if (m->state != MEETING_PLANNED) {
		sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, M_AGENDA_MEETING_STATE, T(ctx, meeting_state_msg(m->state)));
	}
	long long final_at = 0;
	int final = agenda_final_at(ctx->db, m->id, &final_at);
	if (final < 0) {
		sb_release(&sb);
		sb_release(&a);
		sb_release(&b);
		agenda_list_free(v, (size_t)n);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (final && m->state == MEETING_PLANNED) {
		sb_reset(&b);
		when_format_long(&b, (time_t)final_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, M_AGENDA_IS_FINAL, b.buf);
	}
	sb_add(&sb, "\n\n");
	int num = (int)(pg->offset < listed ? pg->offset : listed), first = num;
	for (int i = 0; i < n; i++) {
		if (!on_agenda(v[i].state))
			continue;
		sb_reset(&a);
		sb_add_md(&a, v[i].title);
		if (num > first)
			sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, M_AGENDA_ITEM, ++num, a.buf, v[i].short_id);
		/* Sub-bullets line up with the item's text ("10. " is 4 wide). */
		char indent[16];
		snprintf(indent, sizeof indent, "%*s", num >= 100 ? 5 : num >= 10 ? 4 : 3, "");
		add_item_details(&sb, ctx, indent, &v[i]);
	}
	if (!listed)
		sb_add(&sb, T(ctx, M_AGENDA_EMPTY));
	add_proposals(&sb, ctx, v, n, M_AGENDA_PROPOSALS_HEAD);
	if (pg->offset == 0)
		add_meeting_docs(&sb, ctx, m->id);
	page_footer(&sb, ctx, pg, n, total, "agenda", "agenda");
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&a);
	sb_release(&b);
	agenda_list_free(v, (size_t)n);
	return WT_OK;
}

/* !agenda without a meeting id: the next meeting's agenda, or "none
 * planned" with the proposals that wait for one. */
static int show_next(struct wt_ctx *ctx, const struct wt_page *pg)
{
	struct wt_meeting m;
	int found = body_meeting_next_for_room(ctx->db, ctx->net->name, ctx->room, ctx->now, &m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (found) {
		int rc = show_agenda(ctx, &m, pg);
		meeting_free(&m);
		return rc;
	}
	struct wt_agenda_item *v;
	long long total = 0, listed = 0;
	int n = agenda_list_page(ctx->db, ctx->net->name, 0, pg->limit, pg->offset, &v,
				 &total, &listed);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	int rc = page_check(ctx, pg, total);
	if (rc != WT_OK) {
		agenda_list_free(v, (size_t)n);
		return rc;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_AGENDA_NO_MEETING, T(ctx, M_MEETING_SYN_PLAN));
	add_proposals(&sb, ctx, v, n, M_AGENDA_WAITING_HEAD);
	page_footer(&sb, ctx, pg, n, total, "agenda", "agenda");
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	agenda_list_free(v, (size_t)n);
	return WT_OK;
}

int agenda_read_item(struct wt_ctx *ctx, const char **p, enum msg_id syn,
		     struct wt_agenda_item *it)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(*p, &w);
	long long id = after ? args_id(w.buf) : -1;
	int rc = WT_OK;
	if (!after)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_NO_ID);
	else if (id < 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_BAD_ID, w.buf);
	else {
		int found = agenda_by_short_id(ctx->db, ctx->net->name, id, it);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_ENOTFOUND, syn, M_AGENDA_ERR_NOT_FOUND, id);
		else
			*p = after;
	}
	sb_release(&w);
	return rc;
}

int agenda_refuse_if_final(struct wt_ctx *ctx, const struct wt_agenda_item *it,
			   enum msg_id syn)
{
	long long at = 0;
	struct wt_meeting m = { 0 };
	int fin = it->meeting_id > 0 ? agenda_final_at(ctx->db, it->meeting_id, &at) : 0;
	if (fin < 0 || (fin > 0 && meeting_by_id(ctx->db, it->meeting_id, &m) != 1))
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!fin)
		return WT_OK;
	struct strbuf when = STRBUF_INIT;
	when_format_long(&when, (time_t)at, ctx->now, ctx->net->tz, ctx->lang);
	int rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_FINAL, m.short_id, when.buf,
			      it->short_id);
	sb_release(&when);
	meeting_free(&m);
	return rc;
}

int agenda_tell_proposer(struct wt_ctx *ctx, const struct wt_agenda_item *it,
			 const char *markdown)
{
	if (!it->proposer || strcmp(it->proposer, ctx->sender) == 0)
		return 0;
	reply_dm(ctx, it->proposer, markdown);
	return 1;
}

/* Refuse items that are discussed or withdrawn, or belong to no meeting. */
static int check_open(struct wt_ctx *ctx, const struct wt_agenda_item *it, enum msg_id syn)
{
	if (!agenda_state_open(it->state))
		return reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_STATE, it->short_id,
				  T(ctx, agenda_state_msg(it->state)));
	if (it->meeting_id <= 0)
		return reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_UNASSIGNED, it->short_id);
	return WT_OK;
}

/* Common start of accept/defer/order: item id, the item's meeting. */
static int load_for_change(struct wt_ctx *ctx, const char **p, enum msg_id syn,
			   struct wt_agenda_item *it, struct wt_meeting *m)
{
	int rc = agenda_read_item(ctx, p, syn, it);
	if (rc == WT_OK)
		rc = check_open(ctx, it, syn);
	if (rc == WT_OK && meeting_by_id(ctx->db, it->meeting_id, m) != 1)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	/* A final agenda: the chair's alone, each change announced. */
	if (rc == WT_OK)
		rc = invite_change_allowed(ctx, m);
	return rc;
}

/* !agenda accepteer <id> */
static int agenda_accept_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_agenda_item it = { 0 };
	struct wt_meeting m = { 0 };
	const char *p = args;
	int rc = load_for_change(ctx, &p, M_AGENDA_SYN_ACCEPT, &it, &m);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && it.state == AGENDA_ACCEPTED)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_ACCEPT, M_AGENDA_ERR_ALREADY,
				it.short_id);
	int number = 0;
	if (rc == WT_OK && agenda_accept(ctx->db, &it, &number) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		const char *title = ctx_md(ctx, it.title);
		reply_msgf(ctx, M_AGENDA_ACCEPTED, it.short_id, title, m.short_id, number);
		struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
		when_format_long(&when, m.starts_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_addm(&sb, ctx, M_AGENDA_DM_ACCEPTED, it.short_id, title, m.short_id, when.buf,
			number);
		agenda_tell_proposer(ctx, &it, sb.buf);
		sb_release(&sb);
		sb_release(&when);
		rc = invite_change_announce(ctx, &m);
	}
	agenda_item_free(&it);
	meeting_free(&m);
	return rc;
}

/* !agenda uitstel <id>: to the first planned meeting after the item's own
 * (and after now), waiting there as deferred. */
static int agenda_defer_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_agenda_item it = { 0 };
	struct wt_meeting m = { 0 }, next = { 0 };
	const char *p = args;
	int rc = load_for_change(ctx, &p, M_AGENDA_SYN_DEFER, &it, &m);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK) {
		time_t after = m.starts_at > ctx->now ? m.starts_at : ctx->now;
		int found = meeting_next_after(ctx->db, ctx->net->name, after, m.id, &next);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_DEFER, M_AGENDA_ERR_NO_LATER,
					m.short_id);
	}
	if (rc == WT_OK && agenda_move(ctx->db, it.id, ctx->net->name, next.id,
				       AGENDA_DEFERRED) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf when = STRBUF_INIT;
		when_format_long(&when, next.starts_at, ctx->now, ctx->net->tz, ctx->lang);
		const char *title = ctx_md(ctx, it.title);
		reply_msgf(ctx, M_AGENDA_DEFERRED, it.short_id, title, next.short_id, when.buf);
		struct strbuf sb = STRBUF_INIT;
		sb_addm(&sb, ctx, M_AGENDA_DM_DEFERRED, it.short_id, title, next.short_id, when.buf);
		agenda_tell_proposer(ctx, &it, sb.buf);
		sb_release(&sb);
		sb_release(&when);
		rc = invite_change_announce(ctx, &m);
	}
	agenda_item_free(&it);
	meeting_free(&m);
	meeting_free(&next);
	return rc;
}

/* !agenda volgorde <id> <pos> */
static int agenda_order_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_agenda_item it = { 0 };
	struct wt_meeting m = { 0 };
	struct strbuf w = STRBUF_INIT;
	const char *p = args;
	int rc = load_for_change(ctx, &p, M_AGENDA_SYN_ORDER, &it, &m);
	if (rc == WT_OK && !on_agenda(it.state))
		rc = reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_ORDER, M_AGENDA_ERR_NOT_ACCEPTED,
				it.short_id, it.short_id);
	const char *after = NULL;
	if (rc == WT_OK && !(after = args_word(p, &w)))
		rc = reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_ORDER, M_AGENDA_ERR_NO_POS);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, after);
	if (rc == WT_OK) {
		long long pos = args_id(w.buf);
		int n;
		int res = agenda_order(ctx->db, &it, pos > 0 && pos <= 1000000 ? (int)pos : 0, &n);
		if (res == AGENDA_ORDER_BAD_POS)
			rc = reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_ORDER,
					  msg_count(M_AGENDA_ERR_POS_ONE, n),
					  ctx_md(ctx, w.buf), n);
		else if (res < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else {
			reply_msgf(ctx, M_AGENDA_ORDERED, it.short_id, ctx_md(ctx, it.title), (int)pos);
			rc = invite_change_announce(ctx, &m);
		}
	}
	sb_release(&w);
	agenda_item_free(&it);
	meeting_free(&m);
	return rc;
}

/* !agenda ics */
static int agenda_ics_cmd(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	return rc == WT_OK ? ics_reply(ctx) : rc;
}

/* `!agenda trek in <id>`: withdraw in two words. */
static const struct wt_command agenda_trek_subs[] = {
	{ { "in", "in" }, NULL, ROLE_MEMBER, M_AGENDA_SYN_WITHDRAW, M_NONE, agenda_withdraw_cmd,
	  0, NULL },
	WT_SUBS_END,
};

const struct wt_command agenda_subs[] = {
	{ { "voorstel", "propose" }, "stel proposal", ROLE_MEMBER, M_AGENDA_SYN_PROPOSE, M_NONE,
	  agenda_propose, 0, NULL },
	{ { "wijzig", "edit" }, "wijzigen", ROLE_MEMBER, M_AGENDA_SYN_EDIT, M_AGENDA_HELP_EDIT,
	  agenda_edit_cmd, 0, NULL },
	{ { "intrekken", "withdraw" }, NULL, ROLE_MEMBER, M_AGENDA_SYN_WITHDRAW,
	  M_AGENDA_HELP_WITHDRAW, agenda_withdraw_cmd, 0, NULL },
	{ { "trek", "trek" }, NULL, ROLE_MEMBER, M_AGENDA_SYN_WITHDRAW, M_NONE, NULL,
	  WT_CMD_HIDDEN, agenda_trek_subs },
	{ { "accepteer", "accept" }, NULL, ROLE_SECRETARY, M_AGENDA_SYN_ACCEPT, M_NONE,
	  agenda_accept_cmd, 0, NULL },
	{ { "uitstel", "defer" }, "uitstellen postpone", ROLE_SECRETARY, M_AGENDA_SYN_DEFER, M_NONE,
	  agenda_defer_cmd, 0, NULL },
	{ { "weiger", "reject" }, "weigeren refuse", ROLE_SECRETARY, M_AGENDA_SYN_REJECT,
	  M_AGENDA_HELP_REJECT, agenda_reject_cmd, 0, NULL },
	{ { "volgorde", "order" }, NULL, ROLE_SECRETARY, M_AGENDA_SYN_ORDER, M_NONE,
	  agenda_order_cmd, 0, NULL },
	{ { "oproep", "call" }, NULL, ROLE_SECRETARY, M_AGENDA_SYN_CALL, M_AGENDA_HELP_CALL,
	  agenda_call_cmd, 0, NULL },
	{ { "doorsturen", "forward" }, "stuur", ROLE_SECRETARY, M_AGENDA_SYN_FORWARD,
	  M_AGENDA_HELP_FORWARD, agenda_forward_cmd, 0, NULL },
	{ { "ics", "ics" }, NULL, ROLE_MEMBER, M_AGENDA_SYN_ICS, M_NONE, agenda_ics_cmd, 0, NULL },
	{ { "abonneer", "subscribe" }, "abonneren abonnement", ROLE_MEMBER, M_AGENDA_SYN_SUBSCRIBE,
	  M_NONE, agenda_subscribe_cmd, WT_CMD_TAKES_WORD, NULL },
	{ { "vaststellen", "finalise" }, "vaststelling finalize final", ROLE_CHAIR, M_INV_SYN_FINALISE,
	  M_NONE, invite_finalise_cmd, 0, NULL },
	WT_SUBS_END,
};

/* !agenda [<vergadering>] [pagina N]: the next meeting's agenda, or that
 * meeting's. */
int cmd_agenda(struct wt_ctx *ctx, const char *args)
{
	struct strbuf rest = STRBUF_INIT, w = STRBUF_INIT;
	struct wt_page pg;
	int rc = page_take(ctx, args, &rest, &pg);
	const char *after = rc == WT_OK ? args_word(rest.buf, &w) : NULL;
	long long id = after ? args_id(w.buf) : 0;
	if (rc == WT_OK && !after) {
		rc = show_next(ctx, &pg);
	} else if (rc == WT_OK && id <= 0) {
		rc = reply_unknown_sub(ctx, w.buf);
	} else if (rc == WT_OK && (rc = reply_if_extra(ctx, after)) == WT_OK) {
		struct wt_meeting m = { 0 };
		int found = meeting_by_short_id(ctx->db, ctx->net->name, id, &m);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_ENOTFOUND, M_SYN_AGENDA, M_MEETING_ERR_NOT_FOUND, id);
		else
			rc = show_agenda(ctx, &m, &pg);
		meeting_free(&m);
	}
	sb_release(&rest);
	sb_release(&w);
	return rc;
}
