#include "handlers/reply.h"

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

int reply_error(struct wt_ctx *ctx, int code, enum msg_id id, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, id);
	sb_vaddf(&sb, T(ctx, id), ap);
	va_end(ap);
	struct wt_reply *r = reply_add(ctx, sb.buf);
	r->is_error = 1;
	sb_release(&sb);
	return code;
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
