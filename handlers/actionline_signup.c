/* actionline_signup: teams that grow by sign-up.
 *
 *   !al aanmelden <code>                a member asks to join the team; the
 *                                       line's project lead hears by DM
 *   !al bevestig <code> @iemand         the lead (or the chair) confirms: the
 *                                       person becomes a team member and
 *                                       hears it by DM
 *   !al afwijzen <code> @iemand [reden] or declines, and they hear that
 *
 * The wanted team size ("drie projectteamleden per actielijn") is the
 * line's own (`!al wijzig <code> teamgrootte 3`) or the network's
 * actionline_team_size; it is shown with every sign-up and in
 * `!al <code>`, and guides, it does not refuse: a lead may take a fourth. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"

const enum al_part al_part_order[AL_NPARTS] = {
	AL_SPONSOR, AL_LEAD, AL_CARE, AL_GUIDE, AL_MEMBER,
};

int al_team_wanted(const struct wt_ctx *ctx, const struct actionline *l)
{
	if (l->team_size > 0)
		return l->team_size;
	return ctx->net->al_team_size > 0 ? ctx->net->al_team_size : AL_TEAM_SIZE_DEFAULT;
}

/* "Gewenst: 3 projectteamleden per actielijn, nu 2 teamleden." */
static void add_wanted(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l,
		       int extra)
{
	long long have = extra;
	for (size_t i = 0; i < l->npeople; i++)
		have += l->people[i].part == AL_MEMBER;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	sb_addcount(&a, ctx, M_N_AL_WANTED_ONE, al_team_wanted(ctx, l));
	sb_addcount(&b, ctx, M_N_AL_HAVE_ONE, have);
	sb_addm(sb, ctx, M_AL_TEAM_WANTED, a.buf, b.buf);
	sb_release(&a);
	sb_release(&b);
}

void al_show_team_wanted(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l)
{
	sb_add(sb, "\\\n");
	add_wanted(sb, ctx, l, 0);
	char **users = NULL;
	int n = al_signups_pending(ctx->db, l->id, &users);
	if (n > 0) {
		struct strbuf a = STRBUF_INIT;
		sb_add_people(&a, ctx, users, (size_t)n);
		sb_add(sb, "\\\n");
		sb_addm(sb, ctx, M_AL_SHOW_SIGNUPS, a.buf);
		sb_release(&a);
	}
	al_signups_free(users, n > 0 ? (size_t)n : 0);
}

/* Tell each lead of l that the sender signs up. */
static void tell_leads(struct wt_ctx *ctx, const struct actionline *l, const char *code,
		       const char *title)
{
	struct strbuf who = STRBUF_INIT, wanted = STRBUF_INIT, sb = STRBUF_INIT;
	sb_add_person(&who, ctx, ctx->sender);
	add_wanted(&wanted, ctx, l, 0);
	for (size_t i = 0; i < l->npeople; i++) {
		if (l->people[i].part != AL_LEAD || strcmp(l->people[i].user, ctx->sender) == 0)
			continue;
		sb_reset(&sb);
		sb_addm(&sb, ctx, M_AL_JOIN_TO_LEAD, who.buf, code, title, wanted.buf, code,
			ctx->sender, code, ctx->sender);
		reply_dm(ctx, l->people[i].user, sb.buf);
	}
	sb_release(&who);
	sb_release(&wanted);
	sb_release(&sb);
}

/* !al aanmelden <code> */
int al_cmd_join(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	int rc = WT_OK;
	const char *p = al_read_line(ctx, args, M_AL_SYN_JOIN, &l, &rc);
	if (!p)
		return rc;
	struct strbuf code = STRBUF_INIT, title = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	al_add_code(&code, &l);
	sb_add_md(&title, l.title);
	rc = reply_if_extra(ctx, p);
	int part = -1;
	for (int i = 0; i < AL_NPARTS && part < 0; i++)
		if (al_has_person(&l, al_part_order[i], ctx->sender))
			part = al_part_order[i];
	int added = AL_SIGNUP_ALREADY;
	if (rc != WT_OK)
		;
	else if (l.status == AL_DONE)
		rc = reply_error(ctx, WT_EUSAGE, M_AL_JOIN_LINE_DONE, code.buf);
	else if (part >= 0)
		rc = reply_error(ctx, WT_EUSAGE, M_AL_JOIN_ALREADY_IN, code.buf,
				 T(ctx, part == AL_SPONSOR ? M_AL_PART_SPONSOR : part == AL_LEAD
				   ? M_AL_PART_LEAD : part == AL_CARE ? M_AL_PART_CARE
				   : part == AL_GUIDE ? M_AL_PART_GUIDE : M_AL_PART_MEMBER));
	else if ((added = al_signup_add(ctx->db, l.id, ctx->sender, ctx->now)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (added == AL_SIGNUP_ALREADY)
		rc = reply_error(ctx, WT_EUSAGE, M_AL_JOIN_PENDING, code.buf);
	if (rc == WT_OK) {
		add_wanted(&b, ctx, &l, 0);
		if (al_has_person(&l, AL_LEAD, NULL)) {
			al_add_people(&a, ctx, &l, AL_LEAD);
			reply_msgf(ctx, M_AL_JOIN_ASKED, code.buf, title.buf, a.buf, b.buf);
		} else {
			reply_msgf(ctx, M_AL_JOIN_ASKED_NO_LEAD, code.buf, title.buf, b.buf);
		}
		tell_leads(ctx, &l, code.buf, title.buf);
	}
	sb_release(&code);
	sb_release(&title);
	sb_release(&a);
	sb_release(&b);
	al_free(&l);
	return rc;
}

/* "@x has not signed up" with the pending ones. */
static int no_signup(struct wt_ctx *ctx, const struct actionline *l, const char *user,
		     const char *code)
{
	char **users = NULL;
	int n = al_signups_pending(ctx->db, l->id, &users);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf who = STRBUF_INIT, list = STRBUF_INIT;
	sb_add_person(&who, ctx, user);
	sb_add_people(&list, ctx, users, (size_t)n);
	int rc = n ? reply_usagef(ctx, WT_ENOTFOUND, ctx->cmd->synopsis, M_AL_SIGNUP_NONE,
				  who.buf, code, list.buf)
		   : reply_usagef(ctx, WT_ENOTFOUND, ctx->cmd->synopsis, M_AL_SIGNUP_NONE_AT_ALL,
				  who.buf, code);
	al_signups_free(users, (size_t)n);
	sb_release(&who);
	sb_release(&list);
	return rc;
}

/* bevestig / afwijzen <code> @iemand [reden]: the lead decides. */
static int decide(struct wt_ctx *ctx, const char *args, enum al_signup_state state)
{
	enum msg_id syn = ctx->cmd->synopsis;
	struct actionline l;
	int rc = WT_OK;
	const char *p = al_read_line(ctx, args, syn, &l, &rc);
	if (!p)
		return rc;
	struct strbuf code = STRBUF_INIT, title = STRBUF_INIT, user = STRBUF_INIT,
		      reason = STRBUF_INIT, who = STRBUF_INIT, me = STRBUF_INIT, sb = STRBUF_INIT;
	al_add_code(&code, &l);
	sb_add_md(&title, l.title);
	rc = reply_require_role_unless(ctx, ROLE_CHAIR, al_has_person(&l, AL_LEAD, ctx->sender),
				       M_AL_DENIED_SIGNUP, code.buf);
	int pr = rc == WT_OK ? person_arg(ctx, p, &user, &p, syn) : WT_OK;
	if (rc == WT_OK && pr == PERSON_NONE)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AL_NEED_USER);
	else if (rc == WT_OK)
		rc = pr;
	if (rc == WT_OK) {
		args_line(p, &reason);
		rc = state == AL_SIGNUP_CONFIRMED ? reply_if_extra(ctx, p)
		     : reply_if_too_long(ctx, M_AL_F_REASON, reason.buf, WT_MAX_MESSAGE);
	}
	int found = rc == WT_OK ? al_signup_decide(ctx->db, l.id, user.buf, state, ctx->sender,
						   ctx->now) : 1;
	if (found < 0 || (found && rc == WT_OK && state == AL_SIGNUP_CONFIRMED &&
			  al_person_add(ctx->db, l.id, AL_MEMBER, user.buf, ctx->now) < 0))
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (!found)
		rc = no_signup(ctx, &l, user.buf, code.buf);
	if (rc == WT_OK) {
		sb_add_person(&who, ctx, user.buf);
		sb_add_person(&me, ctx, ctx->sender);
		if (state == AL_SIGNUP_CONFIRMED) {
			add_wanted(&sb, ctx, &l, 1);
			reply_msgf(ctx, M_AL_SIGNUP_CONFIRMED, who.buf, code.buf, sb.buf);
			sb_reset(&sb);
			sb_addm(&sb, ctx, M_AL_SIGNUP_DM_CONFIRMED, code.buf, title.buf, me.buf);
		} else {
			reply_msgf(ctx, M_AL_SIGNUP_DECLINED, who.buf, code.buf);
			sb_addm(&sb, ctx, M_AL_SIGNUP_DM_DECLINED, me.buf, code.buf, title.buf);
			if (reason.len) {
				sb_add(&sb, "\n\n");
				sb_addm(&sb, ctx, M_AL_SIGNUP_DM_REASON, ctx_md(ctx, reason.buf));
			}
		}
		if (strcmp(user.buf, ctx->sender) != 0)
			reply_dm(ctx, user.buf, sb.buf);
	}
	sb_release(&code);
	sb_release(&title);
	sb_release(&user);
	sb_release(&reason);
	sb_release(&who);
	sb_release(&me);
	sb_release(&sb);
	al_free(&l);
	return rc;
}

int al_cmd_confirm(struct wt_ctx *ctx, const char *args)
{
	return decide(ctx, args, AL_SIGNUP_CONFIRMED);
}

int al_cmd_decline(struct wt_ctx *ctx, const char *args)
{
	return decide(ctx, args, AL_SIGNUP_DECLINED);
}
