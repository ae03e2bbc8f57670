/* actionline_gate: a phase's budget and the board's go / no-go on it, and
 * the decisions linked to a line as `!al <code>` shows them.
 *
 *   !al fase <code> <nr> budget <bedrag>     the phase's budget (its lead,
 *                                            sponsor, the secretary, chair)
 *   !al fase <code> <nr> go [toelichting]    the investment is wanted
 *   !al fase <code> <nr> nogo [toelichting]  it is not
 *
 * A go / no-go is a decision in the register (logged_items, linked to the
 * line and to the open meeting of the room when there is one), so
 * `!besluiten AL1` and `!besluit <id>` find it; the phase keeps which
 * decision took it. A later one replaces it and says so. Who may record
 * it is decided by al_may_decide_gate alone. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/money.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/bodies.h"
#include "storage/decisions.h"
#include "storage/minutes.h"

/* How many decisions !al <code> shows. */
#define AL_SHOW_DECISIONS 5

int al_may_decide_gate(const struct wt_ctx *ctx, const struct actionline *l)
{
	/* The network's secretary and chair record any decision. When the
	 * network has a board body, the go / no-go is that board's: its chair,
	 * secretary and members, not its advisory members. Without one, the
	 * roles that record the board's decision on advice (`!advies
	 * besluit`): a board member, the secretary, the chair. */
	(void)l;
	if (ctx->role >= ROLE_SECRETARY)
		return 1;
	struct wt_body b = { 0 };
	int has = body_first_of_kind(ctx->db, ctx->net->name, BODY_BOARD, &b);
	if (has <= 0)
		return has == 0 && ctx->role >= ROLE_BOARD;
	int may = (b.chair && strcmp(b.chair, ctx->sender) == 0)
		  || (b.secretary && strcmp(b.secretary, ctx->sender) == 0)
		  || body_member_kind(&b, ctx->sender) == BODY_MEMBER;
	body_free(&b);
	return may;
}

void al_show_phase_gate(struct strbuf *sb, struct wt_ctx *ctx, const struct al_phase *p)
{
	if (!p->budget_cents && p->gate == AL_GATE_OPEN)
		return;  /* a phase without an investment to decide on */
	struct strbuf a = STRBUF_INIT;
	sb_add(sb, "; ");
	if (p->budget_cents) {
		money_format(&a, p->budget_cents, ctx->lang);
		sb_addm(sb, ctx, M_AL_PHASE_BUDGET, a.buf);
	} else {
		sb_add(sb, T(ctx, M_AL_PHASE_BUDGET_NONE));
	}
	sb_add(sb, ", ");
	struct wt_logged d = { 0 };
	long long sid = 0;
	if (p->gate_decision && logged_by_id(ctx->db, p->gate_decision, &d) == 1)
		sid = d.short_id;
	logged_free(&d);
	if (p->gate == AL_GATE_OPEN)
		sb_add(sb, T(ctx, M_AL_GATE_OPEN));
	else
		sb_addm(sb, ctx, p->gate == AL_GATE_GO ? M_AL_GATE_GO : M_AL_GATE_NOGO, sid);
	sb_release(&a);
}

void al_show_decisions(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l)
{
	struct wt_logged *v = NULL;
	int n = decisions_of_line(ctx->db, ctx->net->name, l->short_id, AL_SHOW_DECISIONS + 1, &v);
	if (n <= 0)
		return;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	sb_add(sb, "\n\n");
	sb_add(sb, T(ctx, M_AL_SHOW_DECISIONS));
	sb_add(sb, "\n\n");
	for (int i = 0; i < n && i < AL_SHOW_DECISIONS; i++) {
		sb_reset(&a);
		sb_reset(&b);
		when_format_date(&a, v[i].created_at, ctx->net->tz, ctx->lang);
		sb_add_md(&b, v[i].text);
		sb_addm(sb, ctx, M_AL_SHOW_DECISION, v[i].short_id, a.buf, b.buf);
		sb_addc(sb, '\n');
	}
	if (n > AL_SHOW_DECISIONS)
		sb_addm(sb, ctx, M_AL_SHOW_DECISIONS_MORE, l->short_id);
	sb_rtrim(sb);
	logged_list_free(v, (size_t)n);
	sb_release(&a);
	sb_release(&b);
}

/* Read "<code> <nr>" at args: the line in *l and its phase in *ph, the
 * rest in *rest. WT_OK, or the refusal added (and *l freed). */
static int read_phase(struct wt_ctx *ctx, const char *args, enum msg_id syn,
		      struct actionline *l, const struct al_phase **ph, const char **rest)
{
	int rc = WT_OK;
	const char *p = al_read_line(ctx, args, syn, l, &rc);
	if (!p)
		return rc;
	struct strbuf w = STRBUF_INIT;
	*ph = NULL;
	if (!(p = args_word(p, &w)))
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AL_PHASE_ACTION);
	else
		*ph = al_find_phase(ctx, l, w.buf, syn, &rc);
	sb_release(&w);
	if (!*ph) {
		al_free(l);
		return rc;
	}
	*rest = p;
	return WT_OK;
}

/* fase <code> <nr> budget <bedrag> */
int al_cmd_phase_budget(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	const struct al_phase *ph;
	const char *p;
	int rc = read_phase(ctx, args, M_AL_SYN_PHASE_BUDGET, &l, &ph, &p);
	if (rc != WT_OK)
		return rc;
	struct strbuf code = STRBUF_INIT, v = STRBUF_INIT;
	al_add_code(&code, &l);
	int mine = al_has_person(&l, AL_LEAD, ctx->sender) || al_has_person(&l, AL_SPONSOR, ctx->sender);
	rc = reply_require_role_unless(ctx, ROLE_SECRETARY, mine, M_AL_DENIED_MANAGE, code.buf);
	args_line(p, &v);
	long long cents = 0;
	size_t used = 0;
	int m = rc == WT_OK ? money_parse(v.buf, &cents, &used) : MONEY_OK;
	if (rc == WT_OK && m == MONEY_OK && *args_skip_blank(v.buf + used))
		m = MONEY_BAD;
	if (rc != WT_OK)
		;
	else if (m == MONEY_EMPTY)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE_BUDGET, M_AL_MONEY_EMPTY);
	else if (m != MONEY_OK)
		rc = reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_PHASE_BUDGET, m == MONEY_NEGATIVE
				      ? M_AL_MONEY_NEGATIVE : M_AL_MONEY_BAD, v.buf);
	else if (al_phase_set_budget(ctx->db, ph->id, cents) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		sb_reset(&v);
		money_format(&v, cents, ctx->lang);
		reply_msgf(ctx, M_AL_PHASE_BUDGET_SET, ph->position, code.buf, v.buf);
	}
	sb_release(&code);
	sb_release(&v);
	al_free(&l);
	return rc;
}

/* Log the decision on ph of l (text in md) in the register, linked to the
 * line and to the room's open meeting; *sid gets its number. */
static int log_gate(struct wt_ctx *ctx, const struct actionline *l, const char *text,
		    long long *id, long long *sid)
{
	struct wt_logged it = { 0 };
	struct wt_run run = { 0 };
	if (ctx->room && run_open_in_room(ctx->db, ctx->room, &run) == 1 &&
	    strcmp(run.network, ctx->net->name) == 0) {
		it.meeting_id = run.meeting_id;
		it.agenda_item_id = run.current_item;
	}
	run_free(&run);
	it.network = (char *)ctx->net->name;
	it.kind = LOGGED_DECISION;
	it.text = (char *)text;
	it.action_line = l->short_id;
	it.logged_by = (char *)ctx->sender;
	it.room = (char *)ctx->room;
	it.event_id = (char *)ctx->event_id;
	it.created_at = ctx->now;
	if (logged_add(ctx->db, &it) < 0)
		return -1;
	*id = it.id;
	*sid = it.short_id;
	return 0;
}

/* fase <code> <nr> go|nogo [toelichting] */
static int gate_cmd(struct wt_ctx *ctx, const char *args, enum al_gate gate)
{
	enum msg_id syn = gate == AL_GATE_GO ? M_AL_SYN_PHASE_GO : M_AL_SYN_PHASE_NOGO;
	struct actionline l;
	const struct al_phase *ph;
	const char *p;
	int rc = read_phase(ctx, args, syn, &l, &ph, &p);
	if (rc != WT_OK)
		return rc;
	struct strbuf code = STRBUF_INIT, note = STRBUF_INIT, text = STRBUF_INIT,
		      a = STRBUF_INIT;
	al_add_code(&code, &l);
	args_line(p, &note);
	if (!al_may_decide_gate(ctx, &l))
		rc = reply_error(ctx, WT_EPERM, M_AL_DENIED_GATE, code.buf);
	else if (!ph->budget_cents)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AL_GATE_NO_BUDGET, ph->position, code.buf,
				  code.buf, ph->position);
	else
		rc = reply_if_too_long(ctx, M_AL_F_GATE_NOTE, note.buf, WT_MAX_MESSAGE);
	long long id = 0, sid = 0;
	if (rc == WT_OK) {
		/* The register keeps plain text, in the network's language
		 * whoever takes the decision. */
		enum wt_lang asked = ctx->lang;
		ctx->lang = ctx->net->lang;
		money_format(&a, ph->budget_cents, ctx->lang);
		sb_addm(&text, ctx, gate == AL_GATE_GO ? M_AL_GATE_TEXT_GO : M_AL_GATE_TEXT_NOGO,
			ph->position, ph->name, l.short_id, a.buf);
		if (note.len) {
			sb_addc(&text, ' ');
			sb_addm(&text, ctx, M_AL_GATE_NOTE, note.buf);
		}
		ctx->lang = asked;
		if (log_gate(ctx, &l, text.buf, &id, &sid) < 0 ||
		    al_phase_set_gate(ctx->db, ph->id, gate, id) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT, md = STRBUF_INIT;
		sb_add_md(&md, text.buf);
		sb_add(&sb, "✅ ");
		sb_addm(&sb, ctx, M_AL_GATE_LOGGED, sid, md.buf);
		struct wt_logged old = { 0 };
		if (ph->gate_decision && logged_by_id(ctx->db, ph->gate_decision, &old) == 1) {
			sb_addc(&sb, ' ');
			sb_addm(&sb, ctx, M_AL_GATE_WAS, old.short_id);
		}
		logged_free(&old);
		reply_add(ctx, sb.buf);
		sb_release(&sb);
		sb_release(&md);
	}
	sb_release(&code);
	sb_release(&note);
	sb_release(&text);
	sb_release(&a);
	al_free(&l);
	return rc;
}

int al_cmd_phase_go(struct wt_ctx *ctx, const char *args)
{
	return gate_cmd(ctx, args, AL_GATE_GO);
}

int al_cmd_phase_nogo(struct wt_ctx *ctx, const char *args)
{
	return gate_cmd(ctx, args, AL_GATE_NOGO);
}
