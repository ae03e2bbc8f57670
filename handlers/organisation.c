/* !organisatie / !organisation: the organisation a member represents, on
 * their profile as their expertise is; and the member list per
 * organisation (`!wie` with nothing after it).
 *
 *   !organisatie                       yours
 *   !organisatie <naam>                set yours
 *   !organisatie @wie [<naam>]         someone's; setting it needs the
 *                                      secretary role
 *   !organisatie weg [@wie]            clear yours (someone's: secretary)
 *
 * The rotation schedule (handlers/rota.c) takes a delegate's organisation
 * from here. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "handlers/rota.h"
#include "storage/roles.h"
#include "storage/rota.h"

/* Longest organisation name, in characters. */
#define ORG_MAX 80

/* Show user's organisation. */
static int org_show(struct wt_ctx *ctx, const char *user)
{
	char *org = org_of_dup(ctx->db, ctx->net->name, user);
	struct strbuf who = STRBUF_INIT;
	sb_add_person(&who, ctx, user);
	int mine = strcmp(user, ctx->sender) == 0;
	if (org && mine)
		reply_msgf(ctx, M_ORG_MINE, ctx_md(ctx, org));
	else if (org)
		reply_msgf(ctx, M_ORG_OF, who.buf, ctx_md(ctx, org));
	else if (mine)
		reply_msgf(ctx, M_ORG_MINE_NONE);
	else
		reply_msgf(ctx, M_ORG_OF_NONE, who.buf);
	free(org);
	sb_release(&who);
	return WT_OK;
}

/* Set user's organisation to the rest of the first line at p. */
static int org_change(struct wt_ctx *ctx, const char *user, const char *p)
{
	struct strbuf name = STRBUF_INIT, who = STRBUF_INIT;
	args_line(p, &name);
	int rc = reply_if_too_long(ctx, M_ORG_FIELD, name.buf, ORG_MAX);
	if (rc == WT_OK && strcmp(user, ctx->sender) != 0)
		rc = reply_require_role_unless(ctx, ROLE_SECRETARY, 0, M_NONE);
	if (rc == WT_OK && org_set(ctx->db, ctx->net->name, user, name.buf, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		sb_add_person(&who, ctx, user);
		reply_msgf(ctx, M_ORG_SET, who.buf, ctx_md(ctx, name.buf));
	}
	sb_release(&name);
	sb_release(&who);
	return rc;
}

/* !organisatie weg [@wie] */
static int org_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf user = STRBUF_INIT, who = STRBUF_INIT;
	const char *after = args;
	int rc = person_arg(ctx, args, &user, &after, M_ORG_SYN_REMOVE);
	if (rc == PERSON_NONE) {
		sb_reset(&user);
		sb_add(&user, ctx->sender);
		rc = WT_OK;
	} else if (rc == WT_OK) {
		rc = reply_if_extra(ctx, after);
	}
	if (rc == WT_OK && strcmp(user.buf, ctx->sender) != 0)
		rc = reply_require_role_unless(ctx, ROLE_SECRETARY, 0, M_NONE);
	int gone = rc == WT_OK ? org_clear(ctx->db, ctx->net->name, user.buf) : 0;
	sb_add_person(&who, ctx, user.buf);
	if (gone < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (rc == WT_OK && !gone)
		rc = reply_error(ctx, WT_ENOTFOUND, M_ORG_ERR_NONE, who.buf);
	else if (rc == WT_OK)
		reply_msgf(ctx, M_ORG_CLEARED, who.buf);
	sb_release(&user);
	sb_release(&who);
	return rc;
}

const struct wt_command org_subs[] = {
	{ { "weg", "remove" }, "wis", ROLE_MEMBER, M_ORG_SYN_REMOVE, M_ORG_HELP_REMOVE,
	  org_remove_cmd, 0, NULL },
	WT_SUBS_END,
};

int cmd_organisation(struct wt_ctx *ctx, const char *args)
{
	struct strbuf line = STRBUF_INIT, user = STRBUF_INIT;
	args_line(args, &line);
	int rc;
	if (!line.len) {
		rc = org_show(ctx, ctx->sender);
	} else if (line.buf[0] == '@') {
		const char *after;
		rc = person_arg(ctx, line.buf, &user, &after, M_SYN_ORG);
		if (rc == WT_OK && *args_skip_blank(after))
			rc = org_change(ctx, user.buf, after);
		else if (rc == WT_OK)
			rc = org_show(ctx, user.buf);
	} else {
		rc = org_change(ctx, ctx->sender, line.buf);
	}
	sb_release(&line);
	sb_release(&user);
	return rc;
}

/* ---- !wie: the spread per organisation --------------------------------- */

struct role_people {
	char **v;
	size_t n;
};

/* roles_each callback: everyone with a role in the network. */
static void role_cb(void *arg, const char *user, int role)
{
	struct role_people *p = arg;
	(void)role;
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	p->v[p->n++] = xstrdup(user);
}

/* The delegate of org today in rows v (sorted by organisation), or NULL. */
static const struct wt_rota *delegate_of(const struct wt_rota *v, int n, const char *org,
					 long today)
{
	for (int i = 0; i < n; i++)
		if (strcasecmp(v[i].org, org) == 0 && v[i].first_day <= today)
			return &v[i];
	return NULL;
}

/* One line per organisation: its name, how many, who (the delegate
 * marked). */
static void add_orgs(struct strbuf *sb, struct wt_ctx *ctx, const struct org_member *m, int n,
		     const struct wt_rota *rv, int nr)
{
	long today = rota_today(ctx);
	struct strbuf people = STRBUF_INIT, cnt = STRBUF_INIT;
	for (int i = 0; i < n;) {
		int j = i;
		const struct wt_rota *d = delegate_of(rv, nr, m[i].org, today);
		sb_reset(&people);
		for (; j < n && strcasecmp(m[j].org, m[i].org) == 0; j++) {
			if (j > i)
				sb_add(&people, ", ");
			sb_add_person(&people, ctx, m[j].user);
			if (d && strcmp(d->user, m[j].user) == 0)
				sb_add(&people, T(ctx, M_WHO_DELEGATE));
		}
		sb_reset(&cnt);
		sb_addcount(&cnt, ctx, M_N_MEMBER_ONE, j - i);
		sb_addc(sb, '\n');
		sb_addm(sb, ctx, M_WHO_ORG_LINE, ctx_md(ctx, m[i].org), cnt.buf, people.buf);
		i = j;
	}
	sb_release(&people);
	sb_release(&cnt);
}

/* The role holders without an organisation, as one line (or nothing). */
static void add_without(struct strbuf *sb, struct wt_ctx *ctx, const struct org_member *m,
			int n, const struct role_people *rp)
{
	struct strbuf people = STRBUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < rp->n; i++) {
		int has = 0;
		for (int j = 0; j < n && !has; j++)
			has = strcmp(m[j].user, rp->v[i]) == 0;
		if (has)
			continue;
		if (k++)
			sb_add(&people, ", ");
		sb_add_person(&people, ctx, rp->v[i]);
	}
	if (k) {
		sb_add(sb, "\n\n");
		sb_addm(sb, ctx, M_WHO_NO_ORG, people.buf);
	}
	sb_release(&people);
}

int org_spread(struct wt_ctx *ctx)
{
	struct org_member *m = NULL;
	struct wt_rota *rv = NULL;
	struct role_people rp = { 0 };
	int n = org_members(ctx->db, ctx->net->name, &m);
	int nr = n < 0 ? -1 : rota_current(ctx->db, ctx->net->name, rota_today(ctx), &rv);
	int rc = WT_OK;
	if (n < 0 || nr < 0 || roles_each(ctx->db, ctx->net->name, role_cb, &rp) < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else {
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, T(ctx, n ? M_WHO_ORG_HEAD : M_WHO_ORG_NONE));
		add_orgs(&sb, ctx, m, n, rv, nr);
		add_without(&sb, ctx, m, n, &rp);
		sb_add(&sb, "\n\n");
		sb_add(&sb, T(ctx, M_WHO_ORG_HOWTO));
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	for (size_t i = 0; i < rp.n; i++)
		free(rp.v[i]);
	free(rp.v);
	org_members_free(m, n > 0 ? (size_t)n : 0);
	rota_list_free(rv, nr > 0 ? (size_t)nr : 0);
	return rc;
}
