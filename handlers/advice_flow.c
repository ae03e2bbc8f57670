/* The steps of an advice request: accept, assign, draft, deliver, decide,
 * decline, withdraw. Whether a step is legal from the request's state, and
 * who may take it, comes from the table in advice_states.c; this file reads
 * each step's arguments and records it. */
#include <stdlib.h>
#include <string.h>

#include "handlers/advice_board.h"
#include "handlers/advice_internal.h"
#include "handlers/args.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/room_members.h"

/* The synopsis shown when a step's arguments are wrong. */
static enum msg_id syn_of(enum advice_action a)
{
	static const enum msg_id ids[ADV_NACTIONS] = {
		[ADV_ACCEPT] = M_ADV_SYN_ACCEPT, [ADV_ASSIGN] = M_ADV_SYN_ASSIGN,
		[ADV_DRAFT] = M_ADV_SYN_DRAFT, [ADV_DELIVER] = M_ADV_SYN_DELIVER,
		[ADV_DECIDE] = M_ADV_SYN_DECIDE, [ADV_DECLINE] = M_ADV_SYN_DECLINE,
		[ADV_WITHDRAW] = M_ADV_SYN_WITHDRAW, [ADV_UNASSIGN] = M_ADV_SYN_UNASSIGN,
	};
	return ids[a];
}

/* The refusal of an illegal step: the current state and what can follow. */
static int illegal(struct wt_ctx *ctx, const struct wt_advice *a, enum advice_action action)
{
	struct strbuf ref = STRBUF_INIT, next = STRBUF_INIT;
	advice_ref(&ref, a->short_id);
	unsigned mask = advice_actions_from(a->state);
	for (int i = 0; i < ADV_NACTIONS; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (next.len)
			sb_add(&next, ", ");
		sb_add(&next, T(ctx, advice_action_msg((enum advice_action)i)));
	}
	int rc = next.len
		? reply_error(ctx, WT_EUSAGE, M_ADV_ERR_ILLEGAL, ref.buf,
			      T(ctx, advice_state_msg(a->state)),
			      T(ctx, advice_action_msg(action)), next.buf)
		: reply_error(ctx, WT_EUSAGE, M_ADV_ERR_ILLEGAL_FINAL, ref.buf,
			      T(ctx, advice_state_msg(a->state)),
			      T(ctx, advice_action_msg(action)));
	sb_release(&ref);
	sb_release(&next);
	return rc;
}

/* The refusal of a step the sender may not take: who may. Only a step
 * open to people tied to the request gets here (t->also); a role alone is
 * refused by the sub-command's row before the request is read. */
static int denied(struct wt_ctx *ctx, const struct wt_advice *a,
		  const struct advice_transition *t)
{
	struct strbuf ref = STRBUF_INIT, who = STRBUF_INIT;
	advice_ref(&ref, a->short_id);
	if (t->also & ADV_WHO_ASSIGNEE)
		sb_addm(&who, ctx, M_ADV_WHO_ASSIGNEES);
	else
		sb_addm(&who, ctx, M_ADV_WHO_SUBMITTER_OR, role_name(ctx, t->min_role));
	int rc = reply_error(ctx, WT_EPERM, M_ADV_ERR_DENIED,
			     T(ctx, advice_action_msg(t->action)), ref.buf, who.buf,
			     role_name(ctx, ctx->role));
	sb_release(&ref);
	sb_release(&who);
	return rc;
}

/* The rest of the message after the id, trimmed (may span lines). */
static char *rest_dup(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	return xstrndup(p, n);
}

/* Record the step in the history; on a database error add the reply. */
static int record(struct wt_ctx *ctx, const struct wt_advice *a,
		  const struct advice_transition *t, const char *note)
{
	if (advice_step(ctx->db, a, t->name, t->to, ctx->sender, ctx->now, ctx->event_id, note) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	return WT_OK;
}

/* Mention the people who asked for and submitted a in r. */
static void mention_owners(struct wt_reply *r, const struct wt_advice *a)
{
	reply_mention(r, a->submitted_by);
	if (a->requested_by)
		reply_mention(r, a->requested_by);
}

static int do_accept(struct wt_ctx *ctx, struct wt_advice *a,
		     const struct advice_transition *t, const char *p, const char *ref,
		     const char *title)
{
	int rc = reply_if_extra(ctx, p);
	if (rc == WT_OK)
		rc = record(ctx, a, t, NULL);
	if (rc != WT_OK)
		return rc;
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_ADV_ACCEPTED, ref, title, ref);
	advice_suggest(ctx, a, &sb, 1);
	mention_owners(reply_add(ctx, sb.buf), a);
	sb_release(&sb);
	return WT_OK;
}

/* wijs toe <id> @a @b: every name must be a user id of a member, and in
 * the room when the room's member list is known; all are checked before
 * anything changes. */
static int do_assign(struct wt_ctx *ctx, struct wt_advice *a,
		     const struct advice_transition *t, const char *p, const char *ref,
		     const char *title)
{
	(void)title;
	struct strbuf w = STRBUF_INIT;
	char **users = NULL;
	size_t n = 0;
	int rc = WT_OK, open = 0;
	const char *q = p;
	int pr;
	/* Each person by id, pill, @name or display name. */
	while ((pr = person_arg(ctx, q, &w, &q, M_ADV_SYN_ASSIGN)) != PERSON_NONE) {
		if (pr != WT_OK) {
			rc = pr;
			goto out;
		}
		int o = 0;
		if (!advice_is_member(ctx, w.buf, &o))  /* the id: no name is known */
			rc = reply_error(ctx, WT_EUSAGE, M_ADV_ERR_NOT_MEMBER, ctx_md(ctx, w.buf));
		else if (room_members_outside(ctx->db, ctx->room, w.buf))
			rc = reply_error(ctx, WT_EUSAGE, M_ADV_ERR_NOT_IN_ROOM, ctx_md(ctx, w.buf),
					 ctx_md(ctx, w.buf));
		if (rc != WT_OK)
			goto out;
		open |= o;
		users = xrealloc(users, (n + 1) * sizeof *users);
		users[n++] = xstrdup(w.buf);
	}
	if (!n) {
		struct strbuf sb = STRBUF_INIT;
		sb_addm(&sb, ctx, M_ADV_ERR_NO_ASSIGNEES);
		advice_suggest(ctx, a, &sb, 1);
		sb_add(&sb, "\n\n");
		sb_addm(&sb, ctx, M_USAGE, T(ctx, M_ADV_SYN_ASSIGN));
		reply_add(ctx, sb.buf)->is_error = 1;
		sb_release(&sb);
		rc = WT_EUSAGE;
		goto out;
	}
	char **added = xcalloc(n, sizeof *added);
	size_t nadded = 0;
	for (size_t i = 0; i < n && rc == WT_OK; i++) {
		int r = advice_assign(ctx->db, a->id, users[i], ctx->sender, ctx->now);
		if (r < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (r == 1)
			added[nadded++] = users[i];
	}
	struct strbuf sb = STRBUF_INIT, names = STRBUF_INIT;
	if (rc == WT_OK && nadded) {
		for (size_t i = 0; i < nadded; i++)
			sb_addf(&names, "%s%s", i ? ", " : "", added[i]);
		rc = record(ctx, a, t, names.buf);
	}
	if (rc == WT_OK) {
		struct wt_reply *r = reply_add(ctx, "");
		if (nadded) {
			sb_reset(&names);
			advice_add_users(&names, ctx, r, added, nadded);
			sb_addm(&sb, ctx, M_ADV_ASSIGNED, ref, names.buf, ref);
		} else {
			sb_reset(&names);
			advice_add_users(&names, ctx, NULL, users, n);
			sb_addm(&sb, ctx, M_ADV_ALREADY_ASSIGNED, ref, names.buf);
		}
		if (open) {
			sb_add(&sb, "\n\n");
			sb_addm(&sb, ctx, M_ADV_OPEN_NETWORK);
		}
		advice_suggest(ctx, a, &sb, 0);
		free(r->markdown);
		r->markdown = xstrdup(sb.buf);
	}
	sb_release(&sb);
	sb_release(&names);
	free(added);
out:
	advice_strings_free(users, n);
	sb_release(&w);
	return rc;
}

/* ontkoppel <id> @a @b: each must be assigned now; all are checked before
 * anything changes. */
static int do_unassign(struct wt_ctx *ctx, struct wt_advice *a,
		       const struct advice_transition *t, const char *p, const char *ref,
		       const char *title)
{
	(void)title;
	struct strbuf w = STRBUF_INIT, names = STRBUF_INIT, sb = STRBUF_INIT;
	char **assigned = NULL, **gone = NULL;
	int nassigned = advice_assignees(ctx->db, a->id, &assigned);
	size_t ngone = 0;
	int rc = nassigned < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	const char *q = p;
	int pr;
	/* Each person by id, pill, @name or display name. */
	while (rc == WT_OK
	       && (pr = person_arg(ctx, q, &w, &q, M_ADV_SYN_UNASSIGN)) != PERSON_NONE) {
		struct strbuf md = STRBUF_INIT;
		if (pr == WT_OK)
			sb_add_person(&md, ctx, w.buf);
		if (pr != WT_OK) {
			rc = pr;
		} else if (advice_is_assignee(ctx->db, a->id, w.buf) != 1) {
			advice_add_users(&names, ctx, NULL, assigned, (size_t)nassigned);
			rc = reply_error(ctx, WT_EUSAGE, M_ADV_ERR_NOT_ASSIGNED, md.buf, ref, names.buf);
		} else {
			gone = xrealloc(gone, (ngone + 1) * sizeof *gone);
			gone[ngone++] = xstrdup(w.buf);
		}
		sb_release(&md);
	}
	if (rc == WT_OK && !ngone)
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_UNASSIGN, M_ADV_ERR_NO_UNASSIGNEES);
	for (size_t i = 0; i < ngone && rc == WT_OK; i++)
		if (advice_unassign(ctx->db, a->id, gone[i]) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		sb_reset(&names);
		for (size_t i = 0; i < ngone; i++)
			sb_addf(&names, "%s%s", i ? ", " : "", gone[i]);
		rc = record(ctx, a, t, names.buf);
	}
	if (rc == WT_OK) {
		char **left = NULL;
		int nleft = advice_assignees(ctx->db, a->id, &left);
		struct strbuf who = STRBUF_INIT, rest = STRBUF_INIT;
		struct wt_reply *r = reply_add(ctx, "");
		advice_add_users(&who, ctx, r, gone, ngone);
		if (nleft > 0) {
			advice_add_users(&rest, ctx, NULL, left, (size_t)nleft);
			sb_addm(&sb, ctx, M_ADV_UNASSIGNED, who.buf, ref, rest.buf);
		} else {
			sb_addm(&sb, ctx, M_ADV_UNASSIGNED_NONE, who.buf, ref, ref);
		}
		free(r->markdown);
		r->markdown = xstrdup(sb.buf);
		if (nleft > 0)
			advice_strings_free(left, (size_t)nleft);
		sb_release(&who);
		sb_release(&rest);
	}
	if (nassigned > 0)
		advice_strings_free(assigned, (size_t)nassigned);
	if (ngone)
		advice_strings_free(gone, ngone);
	sb_release(&w);
	sb_release(&names);
	sb_release(&sb);
	return rc;
}

static int do_draft(struct wt_ctx *ctx, struct wt_advice *a,
		    const struct advice_transition *t, const char *p, const char *ref,
		    const char *title)
{
	(void)title;
	char *text = rest_dup(p);
	int rc = WT_OK;
	if (!*text) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_DRAFT, M_ADV_ERR_NO_DRAFT_TEXT);
	} else if ((rc = record(ctx, a, t, text)) == WT_OK) {
		if (advice_set_draft(ctx->db, a->id, text, ctx->sender, ctx->now) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else {
			struct strbuf n = STRBUF_INIT;
			sb_addcount(&n, ctx, M_N_CHAR_ONE, (long long)utf8_chars(text));
			reply_msgf(ctx, M_ADV_DRAFTED, ref, n.buf, ref);
			sb_release(&n);
		}
	}
	free(text);
	return rc;
}

/* Post the advice for the board: the request, the advice text, who wrote
 * it; in the room, and by direct message to the board member who asked. */
static int do_deliver(struct wt_ctx *ctx, struct wt_advice *a,
		      const struct advice_transition *t, const char *p, const char *ref,
		      const char *title)
{
	int rc = reply_if_extra(ctx, p);
	if (rc != WT_OK)
		return rc;
	if (!a->draft)
		return reply_error(ctx, WT_EUSAGE, M_ADV_ERR_NO_DRAFT, ref, ref);
	rc = record(ctx, a, t, NULL);
	if (rc != WT_OK)
		return rc;
	char **users = NULL;
	int n = advice_assignees(ctx->db, a->id, &users);
	struct strbuf sb = STRBUF_INIT, names = STRBUF_INIT, u = STRBUF_INIT, day = STRBUF_INIT;
	sb_addm(&sb, ctx, M_ADV_DELIVER_HEADER, ref, title);
	sb_add(&sb, "\n\n");
	if (a->requested_by) {
		sb_add_person(&u, ctx, a->requested_by);
		sb_addm(&sb, ctx, M_ADV_DELIVER_ASKED, u.buf);
	} else {
		sb_addm(&sb, ctx, M_ADV_DELIVER_UNASKED);
	}
	sb_add(&sb, "\n\n");
	advice_add_fields(&sb, ctx, a);
	sb_add(&sb, "\n");
	sb_addm(&sb, ctx, M_ADV_DELIVER_TEXT);
	sb_add(&sb, "\n\n");
	advice_add_text(&sb, a->draft);
	sb_add(&sb, "\n\n");
	advice_add_users(&names, ctx, NULL, users, n > 0 ? (size_t)n : 0);
	sb_reset(&u);
	sb_add_person(&u, ctx, ctx->sender);
	when_format_long_day(&day, ctx->now, ctx->now, ctx->net->tz, ctx->lang);
	sb_addm(&sb, ctx, M_ADV_DELIVER_BY, names.buf, u.buf, day.buf);
	sb_add(&sb, "\n\n");
	sb_addm(&sb, ctx, M_ADV_DELIVER_NEXT, ref);
	rc = advice_board_deliver(ctx, a, ref, title, &sb);
	struct wt_reply *r = rc == WT_OK ? reply_add(ctx, sb.buf) : NULL;
	if (r)
		mention_owners(r, a);
	for (int i = 0; r && i < n; i++)
		reply_mention(r, users[i]);
	if (r && a->requested_by && strcmp(a->requested_by, ctx->sender) != 0) {
		reply_dm(ctx, a->requested_by, sb.buf);
	}
	if (n > 0)
		advice_strings_free(users, (size_t)n);
	sb_release(&sb);
	sb_release(&names);
	sb_release(&u);
	sb_release(&day);
	return rc;
}

static int do_decide(struct wt_ctx *ctx, struct wt_advice *a,
		     const struct advice_transition *t, const char *p, const char *ref,
		     const char *title)
{
	struct strbuf w = STRBUF_INIT;
	const char *q = args_word(p, &w);
	int rc = WT_OK;
	int o = q ? advice_outcome_word(w.buf) : -1;
	char *note = q ? rest_dup(q) : xstrdup("");
	if (!q) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_DECIDE, M_ADV_ERR_NO_OUTCOME);
	} else if (o < 0) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_DECIDE, M_ADV_ERR_BAD_OUTCOME,
				  ctx_md(ctx, w.buf));
	} else if (!*note) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_DECIDE, M_ADV_ERR_NO_NOTE);
	} else if ((rc = reply_if_too_long(ctx, M_ADV_F_NOTE, note, ADV_MAX_TEXT)) != WT_OK) {
		/* refused */
	} else if ((rc = record(ctx, a, t, note)) == WT_OK) {
		if (advice_set_outcome(ctx->db, a->id, (enum advice_outcome)o, note) < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		} else {
			struct strbuf md = STRBUF_INIT;
			advice_add_text(&md, note);
			struct wt_reply *r = reply_msgf(ctx, M_ADV_DECIDED, ref, title,
							T(ctx, advice_outcome_msg((enum advice_outcome)o)),
							md.buf);
			mention_owners(r, a);
			char **users = NULL;
			int n = advice_assignees(ctx->db, a->id, &users);
			for (int i = 0; i < n; i++)
				reply_mention(r, users[i]);
			if (n > 0)
				advice_strings_free(users, (size_t)n);
			sb_release(&md);
			rc = advice_board_decide(ctx, a, ref, title, (enum advice_outcome)o, note);
		}
	}
	free(note);
	sb_release(&w);
	return rc;
}

/* afwijzen (reason required) and intrekken (reason optional). */
static int do_close(struct wt_ctx *ctx, struct wt_advice *a,
		    const struct advice_transition *t, const char *p, const char *ref,
		    const char *title)
{
	(void)title;
	char *reason = rest_dup(p);
	int rc = WT_OK;
	if (t->action == ADV_DECLINE && !*reason) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_DECLINE, M_ADV_ERR_NO_REASON);
	} else if ((rc = reply_if_too_long(ctx, M_ADV_F_REASON, reason, ADV_MAX_TEXT)) != WT_OK) {
		/* refused */
	} else if ((rc = record(ctx, a, t, *reason ? reason : NULL)) == WT_OK) {
		if (advice_set_outcome(ctx->db, a->id, OUTCOME_NONE, *reason ? reason : NULL) < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		} else {
			struct strbuf md = STRBUF_INIT;
			advice_add_text(&md, reason);
			struct wt_reply *r;
			if (t->action == ADV_DECLINE)
				r = reply_msgf(ctx, M_ADV_DECLINED, ref, md.buf);
			else if (*reason)
				r = reply_msgf(ctx, M_ADV_WITHDRAWN_REASON, ref, md.buf);
			else
				r = reply_msgf(ctx, M_ADV_WITHDRAWN, ref);
			mention_owners(r, a);
			sb_release(&md);
		}
	}
	free(reason);
	return rc;
}

/* One step's work once the request is loaded and the step is allowed: p
 * is the text after the id, ref "A3", title the escaped title. */
typedef int (*step_fn)(struct wt_ctx *ctx, struct wt_advice *a,
		       const struct advice_transition *t, const char *p, const char *ref,
		       const char *title);

/* Load the request named first in args, check that action is legal from
 * its state and that the sender may take it (the transition table's rule
 * on top of the row's role), then run fn. */
static int run_step(struct wt_ctx *ctx, enum advice_action action, const char *args, step_fn fn)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = args_word(args, &w);
	struct wt_advice a;
	int rc = advice_load(ctx, p ? w.buf : NULL, syn_of(action), &a);
	sb_release(&w);
	if (rc != WT_OK)
		return rc;
	const struct advice_transition *t = advice_transition_find(action, a.state);
	struct strbuf ref = STRBUF_INIT, title = STRBUF_INIT;
	advice_ref(&ref, a.short_id);
	sb_add_md(&title, a.title);
	int is_assignee = advice_is_assignee(ctx->db, a.id, ctx->sender);
	int is_submitter = advice_is_own(&a, ctx->sender);
	if (!t)
		rc = illegal(ctx, &a, action);
	else if (!advice_may(t, ctx->role, is_assignee, is_submitter))
		rc = denied(ctx, &a, t);
	else
		rc = fn(ctx, &a, t, p, ref.buf, title.buf);
	sb_release(&ref);
	sb_release(&title);
	advice_free(&a);
	return rc;
}

int advice_accept_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_ACCEPT, args, do_accept);
}

int advice_assign_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_ASSIGN, args, do_assign);
}

int advice_unassign_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_UNASSIGN, args, do_unassign);
}

int advice_draft_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_DRAFT, args, do_draft);
}

int advice_deliver_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_DELIVER, args, do_deliver);
}

int advice_decide_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_DECIDE, args, do_decide);
}

int advice_decline_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_DECLINE, args, do_close);
}

int advice_withdraw_cmd(struct wt_ctx *ctx, const char *args)
{
	return run_step(ctx, ADV_WITHDRAW, args, do_close);
}
