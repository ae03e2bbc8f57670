/* poll: `!peiling` starts a native Matrix poll, `!peiling <nr>` shows it,
 * `!peiling einde <nr>` closes it (see poll.h). */
#include "handlers/poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/reply.h"
#include "handlers/when_ctx.h"
#include "lib/strbuf.h"
#include "storage/goals.h"

/* What a `!peiling` line asks for, read by read_poll. */
struct poll_form {
	int scale, lo, hi;
	int multi, multi_n;      /* meerkeuze [n] */
	int anonymous;
	long long goal;          /* doel <nr>: the goal's short id, 0: none */
	time_t ends_at;
	struct strbuf question;
	char *answers[POLL_MAX_ANSWERS + 1];
	size_t n;
};

static void form_free(struct poll_form *f)
{
	sb_release(&f->question);
	for (size_t i = 0; i < f->n; i++)
		free(f->answers[i]);
}

/* "1-10": the scale's ends into lo, hi; 0 when it is no scale. */
static int read_range(const char *w, int *lo, int *hi)
{
	char *end;
	long a = strtol(w, &end, 10);
	if (end == w || *end != '-')
		return 0;
	const char *b = end + 1;
	long z = strtol(b, &end, 10);
	if (end == b || *end || a < 0 || a > 1 || z < 2 || z > 10)
		return 0;
	*lo = (int)a;
	*hi = (int)z;
	return 1;
}

/* The leading words (schaal 1-10, meerkeuze [n], anoniem), either
 * language; *p is left at the question. */
static int read_options(struct wt_ctx *ctx, const char **p, struct poll_form *f)
{
	struct strbuf w = STRBUF_INIT;
	int rc = WT_OK;
	for (;;) {
		const char *next = args_word(*p, &w);
		if (!next)
			break;
		if (args_is(w.buf, "schaal", "scale")) {
			const char *after = args_word(next, &w);
			if (!after || !read_range(w.buf, &f->lo, &f->hi)) {
				rc = reply_usage(ctx, M_POLL_E_SCALE, M_SYN_POLL);
				break;
			}
			f->scale = 1;
			next = after;
		} else if (args_is(w.buf, "meerkeuze", "multiple")) {
			f->multi = 1;
			const char *after = args_word(next, &w);
			long long n = after ? args_id(w.buf) : -1;
			if (n > 0) {
				f->multi_n = (int)(n > 100 ? 100 : n);
				next = after;
			}
		} else if (args_is(w.buf, "anoniem", "anonymous")) {
			f->anonymous = 1;
		} else if (args_is(w.buf, "doel", "goal")) {
			const char *after = args_word(next, &w);
			f->goal = after ? args_id(w.buf) : -1;
			if (f->goal <= 0) {
				rc = reply_usage(ctx, M_POLL_E_GOAL_ID, M_SYN_POLL);
				break;
			}
			next = after;
		} else {
			break;
		}
		*p = next;
	}
	sb_release(&w);
	return rc;
}

/* One piece between separators, trimmed, into out. */
static void trimmed(const char *s, size_t len, struct strbuf *out)
{
	sb_reset(out);
	while (len && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	sb_addn(out, s, len);
}

/* A last piece "tot <datum>" / "until <date>": the end time. 1 when piece
 * was one (rc set), 0 when it is an answer. */
static int read_end(struct wt_ctx *ctx, const char *piece, struct poll_form *f, int *rc)
{
	size_t k = strncasecmp(piece, "tot ", 4) == 0 ? 4
		   : strncasecmp(piece, "until ", 6) == 0 ? 6 : 0;
	if (!k)
		return 0;
	struct when_out w;
	int e = ctx_when(ctx, piece + k, 17, 0, &w);
	if (e != WHEN_OK)
		*rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_POLL, M_POLL_E_END,
				   ctx_when_error(ctx, e, 0));
	else if ((*rc = reply_if_extra(ctx, piece + k + w.used)) == WT_OK)
		f->ends_at = w.at;
	return 1;
}

/* The question and answers: pieces separated by `|` or line breaks. */
static int read_pieces(struct wt_ctx *ctx, const char *p, struct poll_form *f)
{
	struct strbuf piece = STRBUF_INIT;
	int rc = WT_OK, first = 1;
	while (rc == WT_OK) {
		size_t len = strcspn(p, "|\n");
		trimmed(p, len, &piece);
		int last = !p[len] || !p[len + strspn(p + len, "|\n \t\r")];
		if (first) {
			sb_add(&f->question, piece.buf);
			first = 0;
		} else if (last && read_end(ctx, piece.buf, f, &rc)) {
			break;
		} else if (!*piece.buf && p[len] == '|' && p[len + 1] != '\n') {
			rc = reply_usage(ctx, M_POLL_E_EMPTY_ANSWER, M_SYN_POLL);
		} else if (*piece.buf && f->n >= POLL_MAX_ANSWERS) {
			rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_POLL, M_POLL_E_MANY_ANSWERS,
					  POLL_MAX_ANSWERS);
		} else if (*piece.buf) {
			rc = reply_if_too_long(ctx, M_POLL_FIELD_ANSWER, piece.buf, WT_MAX_FIELD);
			if (rc == WT_OK)
				f->answers[f->n++] = xstrdup(piece.buf);
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	sb_release(&piece);
	return rc;
}

/* The checks of the whole form: a question, the answers a kind needs. */
static int check_form(struct wt_ctx *ctx, struct poll_form *f)
{
	if (!*f->question.buf)
		return reply_usage(ctx, M_POLL_E_NO_QUESTION, M_SYN_POLL);
	int rc = reply_if_too_long(ctx, M_POLL_FIELD_QUESTION, f->question.buf, WT_MAX_FIELD);
	if (rc != WT_OK)
		return rc;
	if (f->scale && f->n)
		return reply_usage(ctx, M_POLL_E_SCALE_ANSWERS, M_SYN_POLL);
	if (f->scale && f->multi)
		return reply_usage(ctx, M_POLL_E_SCALE_MULTI, M_SYN_POLL);
	if (f->goal && !f->scale)
		return reply_usage(ctx, M_POLL_E_GOAL_SCALE, M_SYN_POLL);
	if (!f->scale && f->n < 2)
		return reply_usage(ctx, M_POLL_E_FEW_ANSWERS, M_SYN_POLL);
	for (size_t i = 0; i < f->n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(f->answers[i], f->answers[j]) == 0)
				return reply_usage_text(ctx, WT_EUSAGE, M_SYN_POLL,
							M_POLL_E_DUP_ANSWER, f->answers[i]);
	if (f->multi && f->multi_n && (f->multi_n < 2 || f->multi_n > (int)f->n))
		return reply_usagef(ctx, WT_EUSAGE, M_SYN_POLL, M_POLL_E_MULTI_N, (int)f->n);
	return WT_OK;
}

/* The start event's text for clients without polls. */
static void fallback_text(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_poll *p,
			  const char *const *answers, size_t n)
{
	sb_addm(sb, ctx, M_POLL_FALLBACK_HEAD, p->short_id, ctx_md(ctx, p->question));
	for (size_t i = 0; i < n; i++) {
		sb_addf(sb, "\n%zu. ", i + 1);
		sb_add_md(sb, answers[i]);
	}
	sb_add(sb, "\n\n");
	sb_addm(sb, ctx, M_POLL_FALLBACK_HINT);
	if (p->anonymous) {
		sb_add(sb, " ");
		sb_addm(sb, ctx, M_POLL_FALLBACK_ANON);
	}
}

/* Write the poll of form f and add its start event and the confirmation. */
static int start_poll(struct wt_ctx *ctx, struct poll_form *f)
{
	char nums[11][12];
	const char *scale[11];
	const char *const *answers = (const char *const *)f->answers;
	size_t n = f->n;
	if (f->scale) {
		n = 0;
		for (int v = f->lo; v <= f->hi; v++, n++) {
			snprintf(nums[n], sizeof nums[n], "%d", v);
			scale[n] = nums[n];
		}
		answers = scale;
	}
	long long goal_id = 0;
	if (f->goal) {
		struct goal g;
		int found = goal_load(ctx->db, ctx->net->name, f->goal, &g);
		if (found < 0)
			return reply_error(ctx, WT_EDB, M_DB_ERROR);
		if (found == 0)
			return reply_usagef(ctx, WT_ENOTFOUND, M_SYN_POLL, M_POLL_E_GOAL_UNKNOWN, f->goal);
		goal_id = g.id;
		goal_free(&g);
	}
	struct wt_poll p = { .network = (char *)ctx->net->name, .room_id = (char *)ctx->room,
			     .goal_id = goal_id,
			     .question = f->question.buf, .scale = f->scale,
			     .max_selections = f->multi ? (f->multi_n ? f->multi_n : (int)n) : 1,
			     .anonymous = f->anonymous, .created_by = (char *)ctx->sender,
			     .created_at = ctx->now, .ends_at = f->ends_at };
	if (polls_add(ctx->db, &p, answers, n) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf text = STRBUF_INIT, plain = STRBUF_INIT;
	fallback_text(&text, ctx, &p, answers, n);
	char *content = poll_start_content_dup(&p, answers, n, text.buf);
	if (!content) {
		sb_release(&text);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct wt_reply *r = reply_add(ctx, text.buf);
	free(r->in_reply_to);
	free(r->thread_root);
	r->in_reply_to = r->thread_root = NULL;
	r->kind = REPLY_EVENT;
	r->event_type = xstrdup(POLL_START_TYPE);
	r->content = content;
	r->poll_id = p.id;
	if (p.ends_at) {
		when_format_long(&plain, p.ends_at, ctx->now, ctx->net->tz, ctx->lang);
		reply_msgf(ctx, M_POLL_STARTED_UNTIL, p.short_id, plain.buf, p.short_id, p.short_id);
	} else {
		reply_msgf(ctx, M_POLL_STARTED, p.short_id, p.short_id, p.short_id);
	}
	sb_release(&text);
	sb_release(&plain);
	return WT_OK;
}

/* !peiling <nr>: how poll nr stands. */
static int show_poll(struct wt_ctx *ctx, long long id)
{
	struct wt_poll p;
	int found = polls_get(ctx->db, ctx->net->name, id, &p);
	if (found <= 0)
		return found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
				 : reply_error(ctx, WT_ENOTFOUND, M_POLL_E_NOT_FOUND, id);
	struct strbuf sb = STRBUF_INIT;
	int rc = poll_render_results(&sb, ctx, &p) < 0
		 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	if (rc == WT_OK)
		reply_add(ctx, sb.buf);
	sb_release(&sb);
	poll_free(&p);
	return rc;
}

int cmd_poll(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	long long id = rest ? args_id(w.buf) : -1;
	int only = rest && !*args_skip_blank(rest);
	sb_release(&w);
	if (id > 0 && only)
		return show_poll(ctx, id);
	if (ctx->role < ROLE_SECRETARY)
		return reply_error(ctx, WT_EPERM, M_POLL_E_ROLE);
	struct poll_form f = { .question = STRBUF_INIT };
	const char *p = args;
	int rc = read_options(ctx, &p, &f);
	if (rc == WT_OK)
		rc = read_pieces(ctx, args_skip_blank(p), &f);
	if (rc == WT_OK)
		rc = check_form(ctx, &f);
	if (rc == WT_OK)
		rc = start_poll(ctx, &f);
	form_free(&f);
	return rc;
}

/* !peiling einde <nr>: close it now. */
static int poll_end_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	long long id = rest ? args_id(w.buf) : -1;
	sb_release(&w);
	if (id <= 0)
		return reply_usage(ctx, M_POLL_E_ID, M_POLL_SYN_END);
	int rc = reply_if_extra(ctx, rest);
	if (rc != WT_OK)
		return rc;
	struct wt_poll p;
	int found = polls_get(ctx->db, ctx->net->name, id, &p);
	if (found <= 0)
		return found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
				 : reply_error(ctx, WT_ENOTFOUND, M_POLL_E_NOT_FOUND, id);
	if (p.ended_at)
		rc = reply_error(ctx, WT_EUSAGE, M_POLL_E_ENDED, id, id);
	else if ((rc = poll_close(ctx, &p)) == WT_OK)
		reply_msgf(ctx, M_POLL_CLOSED, id);
	poll_free(&p);
	return rc;
}

const struct wt_command poll_subs[] = {
	{ { "einde", "end" }, "sluit close", ROLE_SECRETARY, M_POLL_SYN_END, M_NONE,
	  poll_end_cmd, 0, NULL },
	WT_SUBS_END,
};
