/* evaluation: `!evaluatie start`, `!evaluatie antwoord`, `!evaluatie <nr>`
 * and the answer by reply (see evaluation.h). */
#include "handlers/evaluation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/invite.h"
#include "handlers/poll.h"
#include "handlers/reply.h"
#include "handlers/when_ctx.h"
#include "storage/attendance.h"
#include "storage/room_members.h"
#include "storage/sent_links.h"

static const struct eval_question_def q_table[] = {
	{ EVAL_Q_SCALE, M_EVAL_Q_FUNCTIONING },
	{ EVAL_Q_SCALE, M_EVAL_Q_VALUE },
	{ EVAL_Q_OPEN, M_EVAL_Q_TABLE_OPEN },
};

static const struct eval_question_def q_conditions[] = {
	{ EVAL_Q_SCALE, M_EVAL_Q_AMBITION },
	{ EVAL_Q_SCALE, M_EVAL_Q_INTERESTS },
	{ EVAL_Q_SCALE, M_EVAL_Q_RELATION },
	{ EVAL_Q_SCALE, M_EVAL_Q_ORGANISATION },
	{ EVAL_Q_SCALE, M_EVAL_Q_PROCESS },
	{ EVAL_Q_OPEN, M_EVAL_Q_CONDITIONS_OPEN },
};

const struct eval_template evaluation_templates[] = {
	{ "werktafel", "table", M_EVAL_T_TABLE, q_table, sizeof q_table / sizeof q_table[0] },
	{ "condities", "conditions", M_EVAL_T_CONDITIONS, q_conditions,
	  sizeof q_conditions / sizeof q_conditions[0] },
};
const size_t evaluation_ntemplates = sizeof evaluation_templates / sizeof evaluation_templates[0];

const struct eval_template *eval_template_by_name(const char *name)
{
	for (size_t i = 0; name && i < evaluation_ntemplates; i++)
		if (strcasecmp(name, evaluation_templates[i].name_nl) == 0
		    || strcasecmp(name, evaluation_templates[i].name_en) == 0)
			return &evaluation_templates[i];
	return NULL;
}

/* The templates' names in the context's language: "werktafel, condities". */
static void template_names(struct strbuf *sb, const struct wt_ctx *ctx)
{
	for (size_t i = 0; i < evaluation_ntemplates; i++) {
		if (i)
			sb_add(sb, ", ");
		sb_add(sb, ctx->lang == LANG_EN ? evaluation_templates[i].name_en
						: evaluation_templates[i].name_nl);
	}
}

/* Start the 1-10 poll of question q of round e in the room. */
static int start_scale(struct wt_ctx *ctx, const struct wt_eval *e, const struct eval_question_def *q,
		       long long *poll_id)
{
	static const char *const answers[10] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };
	struct wt_poll p = { .network = e->network, .room_id = e->room_id,
			     .question = (char *)T(ctx, q->text), .scale = 1, .max_selections = 1,
			     .anonymous = 1, .created_by = e->created_by, .created_at = ctx->now,
			     .ends_at = e->deadline };
	if (polls_add(ctx->db, &p, answers, 10) < 0)
		return -1;
	struct strbuf text = STRBUF_INIT;
	sb_addm(&text, ctx, M_EVAL_POLL_FALLBACK, e->short_id, p.short_id, T(ctx, q->text));
	char *content = poll_start_content_dup(&p, answers, 10, text.buf);
	if (!content) {
		sb_release(&text);
		return -1;
	}
	struct wt_reply *r = reply_add(ctx, text.buf);
	free(r->in_reply_to);
	free(r->thread_root);
	r->in_reply_to = r->thread_root = NULL;
	r->kind = REPLY_EVENT;
	r->event_type = xstrdup(POLL_START_TYPE);
	r->content = content;
	r->poll_id = p.id;
	sb_release(&text);
	*poll_id = p.id;
	return 0;
}

/* Ask open question q of round e each member by direct message. */
static int ask_open(struct wt_ctx *ctx, const struct wt_eval *e, const struct eval_question_def *q,
		    char **who, int n, const char *deadline)
{
	struct strbuf text = STRBUF_INIT;
	sb_addm(&text, ctx, M_EVAL_DM, ctx_md(ctx, ctx->net->name), T(ctx, q->text), deadline,
		e->short_id);
	for (int i = 0; i < n; i++) {
		struct wt_reply *r = reply_dm(ctx, who[i], text.buf);
		r->link_kind = SENT_LINK_EVAL;
		r->link_id = e->id;
	}
	sb_release(&text);
	return 0;
}

/* The people asked: the joined members of the command's room and the
 * network's rooms, the bot left out; else invite_members' (the role
 * holders when no member list is known). NULL-terminated; count or
 * negative. */
static int round_members(struct wt_ctx *ctx, char ***who)
{
	struct room_person *people = NULL;
	int n = room_members_people(ctx->db, ctx->net->name, ctx->room, &people);
	if (n <= 0)
		return n < 0 ? n : invite_members(ctx, NULL, ctx->net->name, who);
	char *self = attendance_self_dup(ctx->db);
	char **v = xcalloc((size_t)n + 1, sizeof *v);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!self || strcmp(people[i].user_id, self) != 0)
			v[k++] = xstrdup(people[i].user_id);
	free(self);
	room_people_free(people, (size_t)n);
	*who = v;
	return k;
}

/* Write round e with tpl's questions, post the polls and send the DMs. */
static int start_round(struct wt_ctx *ctx, const struct eval_template *tpl, struct wt_eval *e)
{
	char **who = NULL;
	int n = round_members(ctx, &who);
	if (n < 0 || evals_add(ctx->db, e) < 0) {
		if (who)
			attendance_people_free(who);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct strbuf day = STRBUF_INIT;
	when_format_long(&day, e->deadline, ctx->now, ctx->net->tz, ctx->lang);
	int rc = 0;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = evals_add_member(ctx->db, e->id, who[i]);
	for (size_t i = 0; rc == 0 && i < tpl->n; i++) {
		long long poll_id = 0;
		if (tpl->q[i].kind == EVAL_Q_SCALE)
			rc = start_scale(ctx, e, &tpl->q[i], &poll_id);
		else
			rc = ask_open(ctx, e, &tpl->q[i], who, n, day.buf);
		if (rc == 0)
			rc = evals_add_question(ctx->db, e->id, (int)i + 1, tpl->q[i].kind, poll_id);
	}
	if (rc == 0)
		rc = eval_reminder_generate_ref(ctx, e->id);
	if (rc == 0) {
		struct strbuf people = STRBUF_INIT;
		sb_addcount(&people, ctx, M_N_EVAL_PERSON_ONE, n);
		reply_msgf(ctx, M_EVAL_STARTED, e->short_id, T(ctx, tpl->title), day.buf,
			   people.buf, e->short_id, e->short_id);
		sb_release(&people);
	}
	sb_release(&day);
	attendance_people_free(who);
	return rc == 0 ? WT_OK : reply_error(ctx, WT_EDB, M_DB_ERROR);
}

/* The optional "tot <datum>" / "until <date>" after the template. */
static int read_deadline(struct wt_ctx *ctx, const char *p, time_t *at)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(p, &w);
	int rc = WT_OK;
	if (!rest) {
		*at = ctx->now + EVAL_DEFAULT_DAYS * 86400;
	} else if (!args_is(w.buf, "tot", "until")) {
		rc = reply_usage_text(ctx, WT_EUSAGE, M_EVAL_SYN_START, M_EVAL_E_EXTRA, w.buf);
	} else {
		struct when_out when;
		int e = ctx_when(ctx, rest, 17, 0, &when);
		if (e != WHEN_OK)
			rc = reply_usagef(ctx, WT_EUSAGE, M_EVAL_SYN_START, M_EVAL_E_DEADLINE,
					  ctx_when_error(ctx, e, 0));
		else if ((rc = reply_if_extra(ctx, rest + when.used)) == WT_OK)
			*at = when.at;
	}
	sb_release(&w);
	return rc;
}

/* !evaluatie start <sjabloon> [tot <datum>] */
static int eval_start_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT, names = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	const struct eval_template *tpl = rest ? eval_template_by_name(w.buf) : NULL;
	int rc = WT_OK;
	template_names(&names, ctx);
	if (!rest)
		rc = reply_usagef(ctx, WT_EUSAGE, M_EVAL_SYN_START, M_EVAL_E_NO_TEMPLATE, names.buf);
	else if (!tpl)
		rc = reply_usagef(ctx, WT_EUSAGE, M_EVAL_SYN_START, M_EVAL_E_TEMPLATE,
				  ctx_md(ctx, w.buf), names.buf);
	time_t deadline = 0;
	if (rc == WT_OK)
		rc = read_deadline(ctx, rest, &deadline);
	if (rc == WT_OK && deadline <= ctx->now + 86400)
		rc = reply_usage(ctx, M_EVAL_E_SOON, M_EVAL_SYN_START);
	if (rc == WT_OK) {
		struct wt_eval e = { .network = (char *)ctx->net->name,
				     .template_name = (char *)tpl->name_nl,
				     .room_id = (char *)ctx->room, .created_by = (char *)ctx->sender,
				     .created_at = ctx->now, .deadline = deadline };
		rc = start_round(ctx, tpl, &e);
	}
	sb_release(&w);
	sb_release(&names);
	return rc;
}

/* The round of "<nr>" at args (rest after it in *rest): 1 found (out),
 * else the refusal already added and its code (negative). */
static int read_round(struct wt_ctx *ctx, const char *args, enum msg_id syn, const char **rest,
		      struct wt_eval *out)
{
	struct strbuf w = STRBUF_INIT;
	*rest = args_word(args, &w);
	long long id = *rest ? args_id(w.buf) : -1;
	sb_release(&w);
	if (id <= 0)
		return reply_usage(ctx, M_EVAL_E_ID, syn);
	int found = evals_get(ctx->db, ctx->net->name, id, out);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (found == 0)
		return reply_error(ctx, WT_ENOTFOUND, M_EVAL_E_NOT_FOUND, id);
	return 1;
}

/* The first open question of round e (its idx), 0 when none. */
static int open_question(struct wt_ctx *ctx, const struct wt_eval *e)
{
	struct wt_eval_question *q;
	int n = evals_questions(ctx->db, e->id, &q), idx = n < 0 ? -1 : 0;
	for (int i = 0; i < n && !idx; i++)
		if (q[i].kind == EVAL_Q_OPEN)
			idx = q[i].idx;
	free(q);
	return idx;
}

/* Store text as ctx->sender's answer to round e: the checks and the
 * acknowledgement. */
static int store_answer(struct wt_ctx *ctx, const struct wt_eval *e, const char *text)
{
	if (e->closed_at)
		return reply_error(ctx, WT_EUSAGE, M_EVAL_E_CLOSED, e->short_id);
	int member = evals_is_member(ctx->db, e->id, ctx->sender);
	int idx = member > 0 ? open_question(ctx, e) : 0;
	if (member < 0 || idx < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!member)
		return reply_error(ctx, WT_EPERM, M_EVAL_E_NOT_ASKED, e->short_id);
	int rc = reply_if_too_long(ctx, M_EVAL_FIELD_ANSWER, text, 4000);
	if (rc != WT_OK)
		return rc;
	if (evals_answer(ctx->db, e->id, idx, ctx->sender, text, ctx->now) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	reply_msgf(ctx, M_EVAL_ANSWERED, e->short_id);
	return WT_OK;
}

/* !evaluatie antwoord <nr> <tekst> */
static int eval_answer_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_eval e;
	const char *rest;
	int rc = read_round(ctx, args, M_EVAL_SYN_ANSWER, &rest, &e);
	if (rc != 1)
		return rc;
	struct strbuf text = STRBUF_INIT;
	sb_add(&text, args_skip_blank(rest));
	while (text.len && (text.buf[text.len - 1] == ' ' || text.buf[text.len - 1] == '\n'))
		text.buf[--text.len] = '\0';
	rc = !text.len ? reply_usage(ctx, M_EVAL_E_NO_ANSWER, M_EVAL_SYN_ANSWER)
		       : store_answer(ctx, &e, text.buf);
	sb_release(&text);
	eval_free(&e);
	return rc;
}

int eval_on_reply(struct wt_ctx *ctx, const char *replied_event_id, const char *body)
{
	char *kind = NULL;
	long long id = 0;
	int found = replied_event_id
		    ? sent_links_by_event(ctx->db, replied_event_id, &kind, &id) : 0;
	int ours = found > 0 && kind && strcmp(kind, SENT_LINK_EVAL) == 0;
	free(kind);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct wt_eval e;
	if (!ours || evals_get_by_id(ctx->db, id, &e) <= 0)
		return WT_NOT_COMMAND;
	const char *text = body ? args_skip_blank(body) : "";
	int rc = *text ? store_answer(ctx, &e, text) : WT_NOT_COMMAND;
	eval_free(&e);
	return rc;
}

/* !evaluatie sluit <nr> */
static int eval_close_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_eval e;
	const char *rest;
	int rc = read_round(ctx, args, M_EVAL_SYN_CLOSE, &rest, &e);
	if (rc != 1)
		return rc;
	if ((rc = reply_if_extra(ctx, rest)) == WT_OK) {
		if (e.closed_at)
			rc = reply_error(ctx, WT_EUSAGE, M_EVAL_E_CLOSED, e.short_id);
		else
			rc = eval_close(ctx, &e);
	}
	eval_free(&e);
	return rc;
}

/* !evaluatie <nr>: how round nr stands, in counts. */
static int show_round(struct wt_ctx *ctx, const struct wt_eval *e)
{
	const struct eval_template *tpl = eval_template_by_name(e->template_name);
	struct wt_eval_question *q;
	char **who;
	int nq = evals_questions(ctx->db, e->id, &q);
	int nm = nq < 0 ? -1 : evals_members(ctx->db, e->id, &who);
	long long done = nm < 0 ? -1 : evals_done_count(ctx->db, e->id);
	if (nq < 0 || nm < 0 || done < 0) {
		if (nq >= 0)
			free(q);
		if (nm >= 0)
			evals_strings_free(who, (size_t)nm);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct strbuf sb = STRBUF_INIT, day = STRBUF_INIT;
	when_format_long(&day, e->closed_at ? e->closed_at : e->deadline, ctx->now, ctx->net->tz,
			 ctx->lang);
	sb_addm(&sb, ctx, e->closed_at ? M_EVAL_SHOW_CLOSED : M_EVAL_SHOW_OPEN, e->short_id,
		tpl ? T(ctx, tpl->title) : e->template_name, day.buf, done, (long long)nm);
	for (int i = 0; i < nq; i++) {
		long long n;
		if (q[i].kind == EVAL_Q_SCALE)
			n = polls_voter_count(ctx->db, q[i].poll_id);
		else {
			char **a;
			int na = evals_answers(ctx->db, e->id, q[i].idx, &a);
			if (na >= 0)
				evals_strings_free(a, (size_t)na);
			n = na;
		}
		struct strbuf c = STRBUF_INIT;
		sb_addcount(&c, ctx, M_N_EVAL_RESPONSE_ONE, n < 0 ? 0 : n);
		sb_addf(&sb, "\n%d. ", q[i].idx);
		sb_addm(&sb, ctx, M_EVAL_SHOW_LINE,
			tpl && (size_t)q[i].idx <= tpl->n ? T(ctx, tpl->q[q[i].idx - 1].text) : "",
			c.buf);
		sb_release(&c);
	}
	if (!e->closed_at) {
		sb_add(&sb, "\n\n");
		sb_addm(&sb, ctx, M_EVAL_SHOW_HINT, e->short_id, e->short_id);
	}
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&day);
	free(q);
	evals_strings_free(who, (size_t)nm);
	return WT_OK;
}

int cmd_evaluation(struct wt_ctx *ctx, const char *args)
{
	if (!*args_skip_blank(args)) {
		struct strbuf names = STRBUF_INIT;
		template_names(&names, ctx);
		int rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_EVAL, M_EVAL_E_WHAT, names.buf);
		sb_release(&names);
		return rc;
	}
	struct wt_eval e;
	const char *rest;
	int rc = read_round(ctx, args, M_SYN_EVAL, &rest, &e);
	if (rc != 1)
		return rc;
	if ((rc = reply_if_extra(ctx, rest)) == WT_OK)
		rc = show_round(ctx, &e);
	eval_free(&e);
	return rc;
}

const struct wt_command eval_subs[] = {
	{ { "start", "start" }, "nieuw new", ROLE_SECRETARY, M_EVAL_SYN_START, M_NONE,
	  eval_start_cmd, 0, NULL },
	{ { "antwoord", "answer" }, NULL, ROLE_MEMBER, M_EVAL_SYN_ANSWER, M_NONE,
	  eval_answer_cmd, 0, NULL },
	{ { "sluit", "close" }, "einde end", ROLE_SECRETARY, M_EVAL_SYN_CLOSE, M_NONE,
	  eval_close_cmd, 0, NULL },
	WT_SUBS_END,
};
