/* Helpers the !advies files share: ids, loading, errors, dates, themes,
 * membership and expertise suggestions. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/advice_internal.h"
#include "handlers/args.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "lib/tz.h"
#include "storage/expertise.h"
#include "storage/roles.h"

void advice_ref(struct strbuf *sb, long long short_id)
{
	sb_addf(sb, "A%lld", short_id);
}

long long advice_parse_id(const char *word)
{
	if (*word == '#')
		word++;
	if (*word == 'A' || *word == 'a')
		word++;
	return args_id(word);
}

int advice_load(struct wt_ctx *ctx, const char *word, enum msg_id syn,
		struct wt_advice *a)
{
	memset(a, 0, sizeof *a);
	if (!word || !*word)
		return reply_usagef(ctx, WT_EUSAGE, syn, M_ADV_ERR_NO_ID);
	long long sid = advice_parse_id(word);
	int rc = WT_OK;
	if (sid < 0) {
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_ADV_ERR_BAD_ID, ctx_md(ctx, word));
	} else {
		int found = advice_by_short_id(ctx->db, ctx->net->name, sid, a);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (found == 0)
			rc = reply_error(ctx, WT_ENOTFOUND, M_ADV_ERR_NOT_FOUND, ctx_md(ctx, word));
	}
	return rc;
}

void advice_days_left(struct strbuf *sb, const struct wt_ctx *ctx, time_t deadline)
{
	struct tz_local d, n;
	long long days;
	if (tz_from_utc(ctx->net->tz, deadline, &d) == TZ_OK
	    && tz_from_utc(ctx->net->tz, ctx->now, &n) == TZ_OK)
		days = tz_days_from_civil(d.year, d.mon, d.day)
		       - tz_days_from_civil(n.year, n.mon, n.day);
	else
		days = ((long long)deadline - (long long)ctx->now) / 86400;
	if (deadline <= ctx->now) {
		if (days <= -2)
			sb_addm(sb, ctx, M_ADV_OVERDUE, (int)-days);
		else if (days == -1)
			sb_addm(sb, ctx, M_ADV_OVERDUE_DAY);
		else
			sb_addm(sb, ctx, M_ADV_OVERDUE_TODAY);
	} else if (days <= 0) {
		sb_addm(sb, ctx, M_ADV_DUE_TODAY);
	} else if (days == 1) {
		sb_addm(sb, ctx, M_ADV_DAY_LEFT);
	} else {
		sb_addm(sb, ctx, M_ADV_DAYS_LEFT, (int)days);
	}
}

void advice_add_text(struct strbuf *sb, const char *text)
{
	int blank = 0, first = 1;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *line = xstrndup(p, len);
		const char *s = args_skip_blank(line);
		size_t l = strlen(s);
		while (l && isspace((unsigned char)s[l - 1]))
			l--;
		if (!l) {
			blank = 1;
		} else {
			if (!first)
				sb_add(sb, blank ? "\n\n" : "\\\n");
			char *t = xstrndup(s, l);
			sb_add_md(sb, t);
			free(t);
			first = 0;
			blank = 0;
		}
		free(line);
		p = e ? e + 1 : p + len;
	}
}

/* One "- label: value" line when value is set. */
static void add_line(struct strbuf *sb, const struct wt_ctx *ctx, enum msg_id label,
		     const char *value)
{
	if (!value)
		return;
	struct strbuf v = STRBUF_INIT;
	sb_add_md(&v, value);
	sb_addm(sb, ctx, M_ADV_LINE, T(ctx, label), v.buf);
	sb_addc(sb, '\n');
	sb_release(&v);
}

void advice_add_fields(struct strbuf *sb, const struct wt_ctx *ctx,
		       const struct wt_advice *a)
{
	add_line(sb, ctx, M_ADV_F_QUESTION, a->question);
	add_line(sb, ctx, M_ADV_F_THEME, a->theme);
	add_line(sb, ctx, M_ADV_F_WHY, a->why);
	add_line(sb, ctx, M_ADV_F_WHAT, a->what);
	add_line(sb, ctx, M_ADV_F_HOW, a->how);
}

int advice_is_own(const struct wt_advice *a, const char *user)
{
	return strcmp(a->submitted_by, user) == 0
	       || (a->requested_by && strcmp(a->requested_by, user) == 0);
}

void advice_add_users(struct strbuf *sb, const struct wt_ctx *ctx, struct wt_reply *r,
		      char **users, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_add(sb, ", ");
		sb_add_person(sb, ctx, users[i]);
		if (r)
			reply_mention(r, users[i]);
	}
}

const char *advice_theme_find(const struct wt_network *net, const char *word)
{
	if (!net->nthemes)
		return word;
	struct strbuf w = STRBUF_INIT, t = STRBUF_INIT;
	expertise_fold(word, &w);
	const char *found = NULL;
	for (size_t i = 0; i < net->nthemes && !found; i++) {
		sb_reset(&t);
		expertise_fold(net->themes[i], &t);
		if (strcmp(w.buf, t.buf) == 0)
			found = net->themes[i];
	}
	sb_release(&w);
	sb_release(&t);
	return found;
}

void advice_theme_list(struct strbuf *sb, const struct wt_network *net)
{
	for (size_t i = 0; i < net->nthemes; i++) {
		if (i)
			sb_add(sb, ", ");
		sb_add_md(sb, net->themes[i]);
	}
}

/* roles_each callback: count the rows. */
static void count_role(void *arg, const char *user, int role)
{
	(void)user;
	(void)role;
	++*(int *)arg;
}

int advice_is_member(struct wt_ctx *ctx, const char *user, int *open)
{
	*open = 0;
	for (size_t i = 0; ctx->admins && ctx->admins[i]; i++)
		if (strcmp(ctx->admins[i], user) == 0)
			return 1;
	if (roles_get(ctx->db, ctx->net->name, user) > 0
	    || expertise_user_listed(ctx->db, ctx->net->name, user)
	    || advice_user_known(ctx->db, ctx->net->name, user))
		return 1;
	int nroles = 0;
	roles_each(ctx->db, ctx->net->name, count_role, &nroles);
	if (nroles == 0 && expertise_count(ctx->db, ctx->net->name) == 0) {
		*open = 1;
		return 1;
	}
	return 0;
}

int advice_suggest(struct wt_ctx *ctx, const struct wt_advice *a, struct strbuf *sb,
		   int say_none)
{
	struct strbuf text = STRBUF_INIT;
	sb_addf(&text, "%s %s %s", a->theme ? a->theme : "", a->title,
		a->question ? a->question : "");
	struct expertise_hit *hits = NULL;
	int n = expertise_find(ctx->db, ctx->net->name, text.buf, 8, &hits);
	struct strbuf list = STRBUF_INIT;
	int shown = 0;
	for (int i = 0; i < n && shown < 5; i++) {
		if (advice_is_assignee(ctx->db, a->id, hits[i].user))
			continue;
		struct strbuf u = STRBUF_INIT, t = STRBUF_INIT;
		sb_add_person(&u, ctx, hits[i].user);
		sb_add_md(&t, hits[i].topics);
		if (shown++)
			sb_add(&list, ", ");
		sb_addm(&list, ctx, M_ADV_SUGGEST_ITEM, u.buf, t.buf);
		sb_release(&u);
		sb_release(&t);
	}
	if ((shown || say_none) && sb->len)
		sb_add(sb, "\n\n");
	if (shown)
		sb_addm(sb, ctx, M_ADV_SUGGEST, list.buf);
	else if (say_none)
		sb_addm(sb, ctx, M_ADV_SUGGEST_NONE);
	if (n > 0)
		expertise_hits_free(hits, (size_t)n);
	sb_release(&list);
	sb_release(&text);
	return shown;
}
