#include "handlers/person.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/reply.h"
#include "storage/room_members.h"

#define MATRIX_TO "https://matrix.to/#/"

/* The value of %XX, or -1. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append s[0..n) with %XX decoded (a matrix.to link may escape @ and :). */
static void add_unescaped_url(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int a, b;
		if (s[i] == '%' && i + 2 < n
		    && (a = hexval(s[i + 1])) >= 0 && (b = hexval(s[i + 2])) >= 0) {
			sb_addc(sb, (char)(a * 16 + b));
			i += 2;
		} else {
			sb_addc(sb, s[i]);
		}
	}
}

/* Append HTML text s[0..n) with its tags dropped and the usual entities
 * decoded: the pill's text as body shows it. */
static void add_html_text(struct strbuf *sb, const char *s, size_t n)
{
	static const struct { const char *ent, *ch; } ents[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#39;", "'" }, { "&#x27;", "'" }, { "&nbsp;", " " },
	};
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<') {
			const char *gt = memchr(s + i, '>', n - i);
			if (!gt)
				break;
			i = (size_t)(gt - s);
			continue;
		}
		size_t k = 0, nents = sizeof ents / sizeof ents[0];
		while (k < nents && !(s[i] == '&'
			&& strncmp(s + i, ents[k].ent, strlen(ents[k].ent)) == 0))
			k++;
		if (k < nents) {
			sb_add(sb, ents[k].ch);
			i += strlen(ents[k].ent) - 1;
		} else {
			sb_addc(sb, s[i]);
		}
	}
}

void person_pills_from_html(struct wt_mentions *m, const char *html)
{
	const char *p = html;
	while (p && (p = strstr(p, "<a "))) {
		const char *end = strchr(p, '>');
		const char *href = end ? strstr(p, "href=\"" MATRIX_TO) : NULL;
		if (!end || !href || href > end) {
			p += 3;
			continue;
		}
		const char *id = href + strlen("href=\"" MATRIX_TO);
		const char *q = strchr(id, '"');
		const char *close = strstr(end, "</a>");
		if (!q || q > end || !close) {
			p = end;
			continue;
		}
		struct strbuf user = STRBUF_INIT, text = STRBUF_INIT;
		add_unescaped_url(&user, id, (size_t)(q - id));
		/* Only a user: a room or event link is no pill of a person. */
		char *qm = strchr(user.buf, '?');
		if (qm)
			sb_setlen(&user, (size_t)(qm - user.buf));
		add_html_text(&text, end + 1, (size_t)(close - end - 1));
		if (is_user_id(user.buf) && !strchr(user.buf, '/') && text.len) {
			m->pills = xrealloc(m->pills, (m->npills + 1) * sizeof *m->pills);
			m->pills[m->npills].user_id = sb_detach(&user);
			m->pills[m->npills].text = sb_detach(&text);
			m->npills++;
		}
		sb_release(&user);
		sb_release(&text);
		p = close + 4;
	}
}

void person_mention_add(struct wt_mentions *m, const char *user_id)
{
	if (!user_id || !is_user_id(user_id))
		return;
	m->user_ids = xrealloc(m->user_ids, (m->nuser_ids + 1) * sizeof *m->user_ids);
	m->user_ids[m->nuser_ids++] = xstrdup(user_id);
}

void person_mentions_free(struct wt_mentions *m)
{
	for (size_t i = 0; i < m->npills; i++) {
		free(m->pills[i].user_id);
		free(m->pills[i].text);
	}
	for (size_t i = 0; i < m->nuser_ids; i++)
		free(m->user_ids[i]);
	free(m->pills);
	free(m->user_ids);
	memset(m, 0, sizeof *m);
}

char *person_body_dup(const struct wt_mentions *m, const char *body)
{
	if (!m || !m->npills || !body)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	const char *p = body;
	int changed = 0;
	for (size_t i = 0; i < m->npills; i++) {
		const char *hit = strstr(p, m->pills[i].text);
		if (!hit)
			continue;
		sb_addn(&sb, p, (size_t)(hit - p));
		sb_add(&sb, m->pills[i].user_id);
		p = hit + strlen(m->pills[i].text);
		changed = 1;
	}
	sb_add(&sb, p);
	if (!changed) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* 1 when c ends a name: the end, a blank or punctuation after it. */
static int name_ends(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
	       || c == ':' || c == ',' || c == ';' || c == '.';
}

/* Past the name that ends at q: a ':' or ',' right after it too. */
static const char *past_name(const char *q)
{
	if (*q == ':' || *q == ',')
		q++;
	return q;
}

/* 1 when user is in the message's m.mentions or pills. */
static int mentioned(const struct wt_ctx *ctx, const char *user)
{
	const struct wt_mentions *m = ctx->mentions;
	for (size_t i = 0; m && i < m->nuser_ids; i++)
		if (strcmp(m->user_ids[i], user) == 0)
			return 1;
	for (size_t i = 0; m && i < m->npills; i++)
		if (strcmp(m->pills[i].user_id, user) == 0)
			return 1;
	return 0;
}

/* The members who fit, as indexes into the member list. */
struct fits {
	size_t *v;
	size_t n;
};

/* Add member i to the candidates. */
static void fits_add(struct fits *f, size_t i)
{
	f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
	f->v[f->n++] = i;
}

/* Keep only the one candidate in m.mentions when there is exactly one. */
static void prefer_mentioned(const struct wt_ctx *ctx, const struct room_person *pv,
			     struct fits *f)
{
	size_t keep = 0, k = 0;
	for (size_t i = 0; i < f->n; i++)
		if (mentioned(ctx, pv[f->v[i]].user_id))
			keep = f->v[i], k++;
	if (f->n > 1 && k == 1) {
		f->v[0] = keep;
		f->n = 1;
	}
}

/* The members whose display name is written at p (case aside), the
 * longest name winning; *len its length. */
static void by_name(const struct room_person *pv, size_t n, const char *p,
		    struct fits *f, size_t *len)
{
	*len = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = pv[i].displayname;
		size_t l = name ? strlen(name) : 0;
		if (!l || l < *len || strncasecmp(p, name, l) != 0 || !name_ends(p[l]))
			continue;
		if (l > *len) {
			f->n = 0;
			*len = l;
		}
		fits_add(f, i);
	}
}

/* The members whose localpart is local[0..n) (case aside). */
static void by_localpart(const struct room_person *pv, size_t np, const char *local,
			 size_t n, struct fits *f)
{
	for (size_t i = 0; i < np; i++) {
		const char *u = pv[i].user_id + 1;
		const char *colon = strchr(u, ':');
		if (colon && (size_t)(colon - u) == n && strncasecmp(u, local, n) == 0)
			fits_add(f, i);
	}
}

/* The reply for no fit or many: how to name someone, or who it could be. */
static void explain(struct wt_ctx *ctx, const char *written, size_t wlen,
		    const struct room_person *pv, const struct fits *f, struct strbuf *err)
{
	struct strbuf w = STRBUF_INIT, plain = STRBUF_INIT, list = STRBUF_INIT;
	sb_addn(&plain, written, wlen);
	sb_add_md(&w, plain.buf);
	if (f->n == 0) {
		sb_addm(err, ctx, M_PERSON_UNKNOWN, w.buf);
	} else {
		for (size_t i = 0; i < f->n; i++) {
			const struct room_person *x = &pv[f->v[i]];
			if (i)
				sb_add(&list, ", ");
			if (x->displayname) {
				sb_add_md(&list, x->displayname);
				sb_add(&list, " (");
				sb_add_md(&list, x->user_id);
				sb_add(&list, ")");
			} else {
				sb_add_md(&list, x->user_id);
			}
		}
		sb_addm(err, ctx, M_PERSON_AMBIGUOUS, w.buf, list.buf);
	}
	sb_release(&w);
	sb_release(&plain);
	sb_release(&list);
}

int person_read(struct wt_ctx *ctx, const char *p, struct strbuf *user,
		const char **after, struct strbuf *err)
{
	p = args_skip_blank(p);
	*after = p;
	if (!*p)
		return PERSON_NONE;
	size_t wlen = 0;
	while (p[wlen] && p[wlen] != ' ' && p[wlen] != '\t' && p[wlen] != '\n'
	       && p[wlen] != '\r')
		wlen++;
	size_t idlen = wlen;
	while (idlen > 1 && strchr(":,;", p[idlen - 1]))
		idlen--;
	sb_reset(user);
	sb_addn(user, p, idlen);
	if (is_user_id(user->buf)) {
		*after = past_name(p + idlen);
		return PERSON_OK;
	}
	sb_reset(user);
	struct room_person *pv = NULL;
	int n = room_members_people(ctx->db, ctx->net ? ctx->net->name : NULL, ctx->room, &pv);
	if (n < 0)
		return PERSON_EDB;
	struct fits f = { 0 };
	size_t len = 0;
	const char *name = p;
	if (*p == '@' && !memchr(p, ':', idlen))
		by_localpart(pv, (size_t)n, p + 1, idlen - 1, &f);
	if (f.n)
		len = idlen;
	else
		by_name(pv, (size_t)n, name = (*p == '@' ? p + 1 : p), &f, &len);
	prefer_mentioned(ctx, pv, &f);
	int rc = PERSON_OK;
	if (f.n == 1) {
		sb_add(user, pv[f.v[0]].user_id);
		*after = past_name(name + len);
	} else {
		explain(ctx, p, f.n ? (size_t)(name + len - p) : idlen, pv, &f, err);
		rc = f.n ? PERSON_MANY : PERSON_BAD;
	}
	free(f.v);
	room_people_free(pv, (size_t)n);
	return rc;
}

int person_arg(struct wt_ctx *ctx, const char *p, struct strbuf *user,
	       const char **after, enum msg_id synopsis)
{
	struct strbuf err = STRBUF_INIT;
	int rc = person_read(ctx, p, user, after, &err);
	if (rc == PERSON_EDB)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (rc == PERSON_BAD || rc == PERSON_MANY)
		rc = reply_usage_md(ctx, WT_EUSAGE, synopsis, err.buf);
	sb_release(&err);
	return rc;
}
