/* evaluation_report: the close of an evaluation round (see evaluation.h):
 * its polls end, each scale question's average is kept and compared with
 * the previous round of the same template, and the report goes to the
 * room as Markdown and HTML files with a summary as message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/evaluation.h"
#include "handlers/meeting_mode.h"
#include "handlers/poll.h"
#include "handlers/render.h"
#include "handlers/reply.h"
#include "handlers/when.h"

/* One scale question's result. */
struct eval_score {
	int has, had;         /* an average now, one last time */
	double avg, prev;
	long long votes;
};

static void fmt1(struct strbuf *sb, const struct wt_ctx *ctx, double v)
{
	char num[32];
	snprintf(num, sizeof num, "%.1f", v);
	if (ctx->lang == LANG_NL)
		for (char *c = num; *c; c++)
			if (*c == '.')
				*c = ',';
	sb_add(sb, num);
}

/* End poll poll_id when still open and read its average into s. */
static int score_poll(struct wt_ctx *ctx, long long poll_id, struct eval_score *s)
{
	struct wt_poll p;
	int found = polls_get_by_id(ctx->db, poll_id, &p);
	if (found <= 0)
		return found;
	int rc = !p.ended_at && poll_close(ctx, &p) != WT_OK ? -1 : 0;
	struct wt_poll_answer *a = NULL;
	int n = rc == 0 ? polls_answers(ctx->db, p.id, &a) : -1;
	double sum = 0;
	for (int i = 0; i < n; i++) {
		sum += atof(a[i].text) * (double)a[i].votes;
		s->votes += a[i].votes;
	}
	if (n > 0)
		poll_answers_free(a, (size_t)n);
	if (s->votes) {
		s->has = 1;
		s->avg = sum / (double)s->votes;
	}
	poll_free(&p);
	return n < 0 ? -1 : 0;
}

/* The averages of the previous round of e's template into s[idx-1]. */
static int previous_scores(struct wt_ctx *ctx, const struct wt_eval *e, struct eval_score *s,
			   size_t n, time_t *prev_at)
{
	struct wt_eval prev;
	int found = evals_previous(ctx->db, e->network, e->template_name, ctx->now + 1, &prev);
	if (found <= 0 || prev.id == e->id) {
		if (found > 0)
			eval_free(&prev);
		return found < 0 ? -1 : 0;
	}
	struct wt_eval_question *q;
	int nq = evals_questions(ctx->db, prev.id, &q);
	for (int i = 0; i < nq; i++)
		if (q[i].has_average && q[i].idx >= 1 && (size_t)q[i].idx <= n) {
			s[q[i].idx - 1].had = 1;
			s[q[i].idx - 1].prev = q[i].average;
		}
	if (nq >= 0)
		free(q);
	*prev_at = prev.closed_at;
	eval_free(&prev);
	return nq < 0 ? -1 : 0;
}

/* "- question: 7,5 (4 votes); last time 6,5 (+1,0)" */
static void score_line(struct strbuf *sb, struct wt_ctx *ctx, const char *question,
		       const struct eval_score *s)
{
	struct strbuf v = STRBUF_INIT, c = STRBUF_INIT;
	sb_addf(sb, "- **%s**: ", question);
	if (s->has) {
		fmt1(&v, ctx, s->avg);
		sb_addcount(&c, ctx, M_N_VOTE_ONE, s->votes);
		sb_addm(sb, ctx, M_EVAL_R_SCORE, v.buf, c.buf);
	} else {
		sb_addm(sb, ctx, M_EVAL_R_NO_SCORE);
	}
	if (s->had) {
		sb_reset(&v);
		fmt1(&v, ctx, s->prev);
		sb_add(sb, "; ");
		if (s->has) {
			sb_reset(&c);
			double d = s->avg - s->prev;
			sb_add(&c, d > 0.05 ? "+" : "");
			fmt1(&c, ctx, d);
			sb_addm(sb, ctx, M_EVAL_R_PREV_DIFF, v.buf, c.buf);
		} else {
			sb_addm(sb, ctx, M_EVAL_R_PREV, v.buf);
		}
	}
	sb_add(sb, "\n");
	sb_release(&v);
	sb_release(&c);
}

/* The open answers of question idx as a quoted list. */
static int add_open(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_eval *e, int idx,
		    const char *question)
{
	char **a;
	int n = evals_answers(ctx->db, e->id, idx, &a);
	if (n < 0)
		return -1;
	sb_addf(sb, "\n### %s\n\n", question);
	if (!n)
		sb_addm(sb, ctx, M_EVAL_R_NO_ANSWERS);
	for (int i = 0; i < n; i++) {
		sb_add(sb, "- ");
		for (const char *c = a[i]; *c; c++)
			if (*c == '\n')
				sb_add(sb, "\n  ");
			else
				sb_addn(sb, c, 1);
		sb_add(sb, "\n");
	}
	evals_strings_free(a, (size_t)n);
	return 0;
}

/* The report's head into sb: title, when, how many answered. */
static int report_head(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_eval *e,
		       const char *title, time_t prev_at)
{
	char **who;
	int nm = evals_members(ctx->db, e->id, &who);
	long long done = nm < 0 ? -1 : evals_done_count(ctx->db, e->id);
	if (nm >= 0)
		evals_strings_free(who, (size_t)nm);
	if (done < 0)
		return -1;
	struct strbuf day = STRBUF_INIT;
	when_format_long_day(&day, ctx->now, ctx->now, ctx->net->tz, ctx->lang);
	sb_addm(sb, ctx, M_EVAL_R_TITLE, e->short_id, title, ctx_md(ctx, ctx->net->name));
	sb_add(sb, "\n\n");
	sb_addm(sb, ctx, M_EVAL_R_INTRO, day.buf, done, (long long)nm);
	if (prev_at) {
		sb_reset(&day);
		when_format_long_day(&day, prev_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_add(sb, " ");
		sb_addm(sb, ctx, M_EVAL_R_COMPARED, day.buf);
	}
	sb_add(sb, "\n\n");
	sb_release(&day);
	return 0;
}

/* The report (md) and the summary (sum, scores only) of round e. */
static int build_report(struct wt_ctx *ctx, const struct wt_eval *e, const struct eval_template *tpl,
			struct strbuf *md, struct strbuf *sum)
{
	struct eval_score s[16] = { 0 };
	size_t n = tpl->n < 16 ? tpl->n : 16;
	time_t prev_at = 0;
	struct wt_eval_question *q;
	int nq = evals_questions(ctx->db, e->id, &q), rc = nq < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && i < nq; i++)
		if (q[i].kind == EVAL_Q_SCALE && q[i].idx >= 1 && (size_t)q[i].idx <= n) {
			rc = score_poll(ctx, q[i].poll_id, &s[q[i].idx - 1]);
			if (rc == 0 && s[q[i].idx - 1].has)
				rc = evals_set_average(ctx->db, e->id, q[i].idx, s[q[i].idx - 1].avg);
		}
	if (rc == 0)
		rc = previous_scores(ctx, e, s, n, &prev_at);
	if (rc == 0)
		rc = report_head(md, ctx, e, T(ctx, tpl->title), prev_at);
	if (rc == 0) {
		sb_add(sum, md->buf);
		sb_addf(md, "## %s\n\n", T(ctx, M_EVAL_R_SCORES));
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (tpl->q[i].kind == EVAL_Q_SCALE) {
			score_line(md, ctx, T(ctx, tpl->q[i].text), &s[i]);
			score_line(sum, ctx, T(ctx, tpl->q[i].text), &s[i]);
		}
	if (rc == 0)
		sb_addf(md, "\n## %s\n", T(ctx, M_EVAL_R_COMMENTS));
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (tpl->q[i].kind == EVAL_Q_OPEN)
			rc = add_open(md, ctx, e, (int)i + 1, T(ctx, tpl->q[i].text));
	if (nq >= 0)
		free(q);
	return rc;
}

/* The report as Markdown and HTML files in the round's room. Each reply is
 * finished before the next is added: reply_add may move the array. */
static void post_files(struct wt_ctx *ctx, const struct wt_eval *e, const char *md)
{
	struct strbuf name = STRBUF_INIT, file = STRBUF_INIT;
	sb_addm(&name, ctx, M_EVAL_R_FILE, e->short_id);
	char *doc = markdown_for_file_dup(md);
	struct wt_reply *f = reply_add(ctx, doc);
	free(doc);
	f->kind = REPLY_FILE;
	sb_addf(&file, "%s.md", name.buf);
	f->filename = sb_detach(&file);
	f->room = xstrdup(e->room_id);
	char *html = minutes_html_dup(ctx, name.buf, md);
	struct wt_reply *h = reply_add(ctx, html);
	free(html);
	h->kind = REPLY_FILE;
	sb_addf(&file, "%s.html", name.buf);
	h->filename = sb_detach(&file);
	h->room = xstrdup(e->room_id);
	sb_release(&name);
}

/* Move replies [from, n) of ctx->out to position at, before the others:
 * the answer to the command goes out before the polls' end events. */
static void answer_first(struct wt_ctx *ctx, size_t at, size_t from)
{
	struct wt_replies *o = ctx->out;
	while (from < o->n) {
		struct wt_reply r = o->v[from];
		memmove(&o->v[at + 1], &o->v[at], (from - at) * sizeof r);
		o->v[at++] = r;
		from++;
	}
}

int eval_close(struct wt_ctx *ctx, const struct wt_eval *e)
{
	size_t first = ctx->out->n;
	const struct eval_template *tpl = eval_template_by_name(e->template_name);
	if (!tpl)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf md = STRBUF_INIT, sum = STRBUF_INIT;
	int rc = build_report(ctx, e, tpl, &md, &sum) < 0 || evals_close(ctx->db, e->id, ctx->now) < 0
		 || eval_reminder_generate_ref(ctx, e->id) < 0
		 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	if (rc == WT_OK) {
		size_t ends = ctx->out->n;
		sb_add(&sum, "\n");
		sb_addm(&sum, ctx, M_EVAL_R_ATTACHED);
		struct wt_reply *r = reply_add(ctx, sum.buf);
		if (ctx->room && strcmp(ctx->room, e->room_id) != 0)
			r->room = xstrdup(e->room_id);
		post_files(ctx, e, md.buf);
		answer_first(ctx, first, ends);
	}
	sb_release(&md);
	sb_release(&sum);
	return rc;
}
