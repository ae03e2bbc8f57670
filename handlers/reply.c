#include "handlers/reply.h"

#include "handlers/args.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void wt_replies_free(struct wt_replies *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct wt_reply *x = &r->v[i];
		free(x->room);
		free(x->to_user);
		free(x->markdown);
		free(x->filename);
		free(x->in_reply_to);
		free(x->answers);
		free(x->thread_root);
		free(x->replaces);
		free(x->answers_event);
		free(x->event_type);
		free(x->content);
		free(x->state_key);
		free(x->refused);
		for (size_t j = 0; j < x->nmentions; j++)
			free(x->mentions[j]);
		free(x->mentions);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

struct wt_reply *reply_add(struct wt_ctx *ctx, const char *markdown)
{
	struct wt_replies *r = ctx->out;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 4;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	struct wt_reply *x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->markdown = xstrdup(markdown);
	if (ctx->event_id)
		x->in_reply_to = xstrdup(ctx->event_id);
	if (ctx->sender)
		x->answers = xstrdup(ctx->sender);
	if (ctx->thread_root)  /* answered where it was asked */
		x->thread_root = xstrdup(ctx->thread_root);
	return x;
}

void reply_mention(struct wt_reply *r, const char *user)
{
	r->notify = 1;
	for (size_t i = 0; i < r->nmentions; i++)
		if (strcmp(r->mentions[i], user) == 0)
			return;
	r->mentions = xrealloc(r->mentions, (r->nmentions + 1) * sizeof *r->mentions);
	r->mentions[r->nmentions++] = xstrdup(user);
}

struct wt_reply *reply_dm(struct wt_ctx *ctx, const char *user, const char *markdown)
{
	struct wt_reply *r = reply_add(ctx, markdown);
	free(r->in_reply_to);
	r->in_reply_to = NULL;
	free(r->thread_root);
	r->thread_root = NULL;
	r->to_user = xstrdup(user);
	reply_mention(r, user);
	return r;
}

const char *T(const struct wt_ctx *ctx, enum msg_id id)
{
	return msg_text(ctx->lang, id);
}

void sb_addm(struct strbuf *sb, const struct wt_ctx *ctx, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	sb_vaddf(sb, T(ctx, id), ap);
	va_end(ap);
}

/* The pair's form for n, with n as its one argument. */
void sb_addcount(struct strbuf *sb, const struct wt_ctx *ctx, enum msg_id one, long long n)
{
	sb_addm(sb, ctx, msg_count(one, n), n);
}

/* The items joined by commas, the last two by "en"/"and". */
void sb_addlist(struct strbuf *sb, const struct wt_ctx *ctx, const char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && i + 1 == n)
			sb_addf(sb, " %s ", T(ctx, M_AND));
		else if (i > 0)
			sb_add(sb, ", ");
		sb_add(sb, items[i]);
	}
}

struct wt_reply *reply_msgf(struct wt_ctx *ctx, enum msg_id id, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, id);
	sb_vaddf(&sb, T(ctx, id), ap);
	va_end(ap);
	struct wt_reply *r = reply_add(ctx, sb.buf);
	sb_release(&sb);
	return r;
}

/* The error reply of format id with its arguments ap; returns code. */
static int error_v(struct wt_ctx *ctx, int code, enum msg_id id, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	sb_vaddf(&sb, T(ctx, id), ap);
	struct wt_reply *r = reply_add(ctx, sb.buf);
	r->is_error = 1;
	sb_release(&sb);
	return code;
}

int reply_error(struct wt_ctx *ctx, int code, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int rc = error_v(ctx, code, id, ap);
	va_end(ap);
	return rc;
}

const char *role_name(const struct wt_ctx *ctx, enum wt_role role)
{
	static const enum msg_id names[] = {
		[ROLE_NONE] = M_ROLE_NONE, [ROLE_MEMBER] = M_ROLE_MEMBER,
		[ROLE_BOARD] = M_ROLE_BOARD, [ROLE_SECRETARY] = M_ROLE_SECRETARY,
		[ROLE_CHAIR] = M_ROLE_CHAIR, [ROLE_ADMIN] = M_ROLE_ADMIN,
	};
	if ((unsigned)role > ROLE_ADMIN)
		role = ROLE_NONE;
	return T(ctx, names[role]);
}

int reply_require_role(struct wt_ctx *ctx, enum wt_role min)
{
	if (ctx->role >= min)
		return WT_OK;
	return reply_error(ctx, WT_EPERM, M_DENIED, role_name(ctx, min),
			   role_name(ctx, ctx->role));
}

int reply_require_role_unless(struct wt_ctx *ctx, enum wt_role min, int allowed,
			      enum msg_id refusal, ...)
{
	if (allowed || ctx->role >= min)
		return WT_OK;
	if (refusal == M_NONE)
		return reply_require_role(ctx, min);
	va_list ap;
	va_start(ap, refusal);
	int rc = error_v(ctx, WT_EPERM, refusal, ap);
	va_end(ap);
	return rc;
}

int reply_usage_md(struct wt_ctx *ctx, int code, enum msg_id synopsis, const char *problem)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, problem);
	sb_add(&sb, "\n\n");
	sb_addm(&sb, ctx, M_USAGE, T(ctx, synopsis));
	struct wt_reply *r = reply_add(ctx, sb.buf);
	r->is_error = 1;
	sb_release(&sb);
	return code;
}

int reply_usagef(struct wt_ctx *ctx, int code, enum msg_id synopsis, enum msg_id problem, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, problem);
	sb_vaddf(&sb, T(ctx, problem), ap);
	va_end(ap);
	int rc = reply_usage_md(ctx, code, synopsis, sb.buf);
	sb_release(&sb);
	return rc;
}

int reply_usage_text(struct wt_ctx *ctx, int code, enum msg_id synopsis,
		     enum msg_id problem, const char *text)
{
	struct strbuf md = STRBUF_INIT;
	sb_add_md(&md, text);
	int rc = reply_usagef(ctx, code, synopsis, problem, md.buf);
	sb_release(&md);
	return rc;
}

int reply_usage(struct wt_ctx *ctx, enum msg_id problem, enum msg_id synopsis)
{
	return reply_usage_md(ctx, WT_EUSAGE, synopsis, T(ctx, problem));
}

void reply_react(struct wt_ctx *ctx, const char *key)
{
	struct wt_reply *r = reply_add(ctx, key);
	r->kind = REPLY_REACTION;
}

/* The synopsis of the row that runs, or 0 outside a command. */
static enum msg_id current_synopsis(const struct wt_ctx *ctx)
{
	return ctx->cmd ? ctx->cmd->synopsis : 0;
}

/* The usage refusal with ctx's synopsis, or the bare error without one. */
static int usage_now(struct wt_ctx *ctx, const char *problem)
{
	enum msg_id syn = current_synopsis(ctx);
	if (syn)
		return reply_usage_md(ctx, WT_EUSAGE, syn, problem);
	struct wt_reply *r = reply_add(ctx, problem);
	r->is_error = 1;
	return WT_EUSAGE;
}

int reply_if_extra(struct wt_ctx *ctx, const char *p)
{
	p = p ? args_skip_blank(p) : "";
	while (*p == '\n' || *p == '\r')
		p = args_skip_blank(p + 1);
	if (!*p)
		return WT_OK;
	struct strbuf line = STRBUF_INIT, md = STRBUF_INIT, msg = STRBUF_INIT;
	args_line(p, &line);
	sb_add_md(&md, line.buf);
	sb_addm(&msg, ctx, M_ERR_EXTRA, md.buf);
	int rc = usage_now(ctx, msg.buf);
	sb_release(&line);
	sb_release(&md);
	sb_release(&msg);
	return rc;
}

int reply_if_too_long(struct wt_ctx *ctx, enum msg_id field, const char *value, size_t max)
{
	size_t n = value ? utf8_chars(value) : 0;
	if (n <= max)
		return WT_OK;
	struct strbuf msg = STRBUF_INIT;
	sb_addm(&msg, ctx, M_FIELD_TOO_LONG, T(ctx, field), n, (int)max);
	int rc = usage_now(ctx, msg.buf);
	sb_release(&msg);
	return rc;
}

int reply_if_empty_field(struct wt_ctx *ctx, const char *text, const struct args_key *keys,
			 size_t n, enum msg_id syn)
{
	struct strbuf v = STRBUF_INIT;
	int rc = WT_OK;
	for (size_t i = 0; rc == WT_OK && i < n; i++) {
		if (args_field(text, keys[i].nl, keys[i].en, &v) && !v.len) {
			const char *key = ctx->lang == LANG_EN ? keys[i].en : keys[i].nl;
			rc = reply_usagef(ctx, WT_EUSAGE, syn, M_FIELD_EMPTY, key, key);
		}
	}
	sb_release(&v);
	return rc;
}

const char *ctx_md(struct wt_ctx *ctx, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add_md(&sb, text ? text : "");
	ctx->owned = xrealloc(ctx->owned, (ctx->nowned + 1) * sizeof *ctx->owned);
	ctx->owned[ctx->nowned++] = sb_detach(&sb);
	return ctx->owned[ctx->nowned - 1];
}

void ctx_release_owned(struct wt_ctx *ctx, size_t keep)
{
	while (ctx->nowned > keep)
		free(ctx->owned[--ctx->nowned]);
	if (!ctx->nowned) {
		free(ctx->owned);
		ctx->owned = NULL;
	}
}
