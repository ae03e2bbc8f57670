/* !rol / !role: list, show and set roles per network. */
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "storage/roles.h"
#include "storage/room_power.h"

/* The role a word names, in either language, or ROLE_NONE. */
static enum wt_role role_parse(const char *w)
{
	if (args_is(w, "lid", "member"))
		return ROLE_MEMBER;
	if (args_is(w, "bestuurder", "board"))
		return ROLE_BOARD;
	if (args_is(w, "secretaris", "secretary"))
		return ROLE_SECRETARY;
	if (args_is(w, "voorzitter", "chair"))
		return ROLE_CHAIR;
	return ROLE_NONE;
}

/* The list's rows come from three sources (the config's admins, stored
 * roles, room power levels), streamed in that order; only the rows of the
 * page are written, the others counted. */
struct list_arg {
	struct wt_ctx *ctx;
	struct strbuf *sb;
	const struct wt_page *pg;
	long long row;     /* rows seen so far: the total at the end */
	long long shown;
};

/* 1 when the next row falls on the page (and counts it). */
static int on_page(struct list_arg *a)
{
	long long i = a->row++;
	if (i < a->pg->offset || i >= a->pg->offset + a->pg->limit)
		return 0;
	a->shown++;
	return 1;
}

static void list_one(void *arg, const char *user, int role)
{
	struct list_arg *a = arg;
	if (!on_page(a))
		return;
	struct strbuf u = STRBUF_INIT;
	sb_add_person(&u, a->ctx, user);
	sb_addm(a->sb, a->ctx, M_ROLE_LIST_ITEM, u.buf, role_name(a->ctx, (enum wt_role)role));
	sb_addc(a->sb, '\n');
	sb_release(&u);
}

/* A user whose role follows from room power levels (none stored). */
static void list_power(void *arg, const char *user, long long level)
{
	struct list_arg *a = arg;
	for (size_t i = 0; a->ctx->admins && a->ctx->admins[i]; i++)
		if (strcmp(a->ctx->admins[i], user) == 0)
			return;
	if (roles_get(a->ctx->db, a->ctx->net->name, user) || !on_page(a))
		return;
	struct strbuf u = STRBUF_INIT;
	sb_add_person(&u, a->ctx, user);
	enum wt_role role = level >= WT_POWER_CHAIR ? ROLE_CHAIR : ROLE_SECRETARY;
	if (level >= ROOM_POWER_CREATOR)
		sb_addm(a->sb, a->ctx, M_ROLE_LIST_CREATOR, u.buf, role_name(a->ctx, role));
	else
		sb_addm(a->sb, a->ctx, M_ROLE_LIST_POWER, u.buf, role_name(a->ctx, role), level);
	sb_addc(a->sb, '\n');
	sb_release(&u);
}

static int role_list(struct wt_ctx *ctx, const char *args)
{
	struct wt_page pg;
	int rc = page_only(ctx, args, &pg, M_SYN_ROLE);
	if (rc != WT_OK)
		return rc;
	struct strbuf sb = STRBUF_INIT;
	struct list_arg a = { ctx, &sb, &pg, 0, 0 };
	sb_addm(&sb, ctx, M_ROLE_LIST_HEADER, ctx_md(ctx, ctx->net->name));
	sb_add(&sb, "\n\n");
	for (size_t i = 0; ctx->admins && ctx->admins[i]; i++)
		list_one(&a, ctx->admins[i], ROLE_ADMIN);
	if (roles_each(ctx->db, ctx->net->name, list_one, &a) < 0
	    || room_power_each(ctx->db, ctx->net->name, WT_POWER_SECRETARY, list_power,
			       &a) < 0) {
		sb_release(&sb);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if ((rc = page_check(ctx, &pg, a.row)) != WT_OK) {
		sb_release(&sb);
		return rc;
	}
	page_footer(&sb, ctx, &pg, a.shown, a.row, "rol", "role");
	sb_add(&sb, "\n");
	sb_add(&sb, T(ctx, M_ROLE_LIST_DEFAULT));
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	return WT_OK;
}

int cmd_role(struct wt_ctx *ctx, const char *args)
{
	struct strbuf user = STRBUF_INIT, word = STRBUF_INIT, u = STRBUF_INIT;
	int rc = WT_OK;
	const char *p;
	/* "!rol pagina 2": the list's next page, not a person named "pagina". */
	const char *q = args_word(args, &word);
	int paging = q && args_is(word.buf, "pagina", "page");
	sb_reset(&word);
	if (paging) {
		rc = role_list(ctx, args);
		goto out;
	}
	rc = person_arg(ctx, args, &user, &p, M_SYN_ROLE);
	if (rc == PERSON_NONE) {
		rc = role_list(ctx, args);
		goto out;
	}
	if (rc != WT_OK)
		goto out;
	sb_add_person(&u, ctx, user.buf);
	const char *net = ctx_md(ctx, ctx->net->name);
	enum wt_role current = wt_role_of(ctx->db, ctx->net, ctx->admins, user.buf);
	p = args_word(p, &word);
	if (!p) {
		reply_msgf(ctx, M_ROLE_SHOW, u.buf, role_name(ctx, current), net);
		goto out;
	}
	enum wt_role role = role_parse(word.buf);
	if (role == ROLE_NONE) {
		rc = reply_error(ctx, WT_EUSAGE, M_ROLE_BAD_ROLE, ctx_md(ctx, word.buf));
		goto out;
	}
	const char *rest = p;
	if (args_word(p, &word)) {
		while (*rest == ' ' || *rest == '\t')
			rest++;
		rc = reply_usage_text(ctx, WT_EUSAGE, M_SYN_ROLE, M_ROLE_TOO_MANY_ARGS, rest);
		goto out;
	}
	if ((rc = reply_require_role(ctx, ROLE_CHAIR)) != WT_OK)
		goto out;
	if (current == ROLE_ADMIN) {
		rc = reply_error(ctx, WT_EUSAGE, M_ROLE_ADMIN_FIXED, u.buf);
		goto out;
	}
	if (roles_set(ctx->db, ctx->net->name, user.buf, (int)role, ctx->sender, ctx->now) < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		goto out;
	}
	reply_mention(reply_msgf(ctx, M_ROLE_SET, u.buf, role_name(ctx, role), net), user.buf);
out:
	sb_release(&user);
	sb_release(&word);
	sb_release(&u);
	return rc;
}
