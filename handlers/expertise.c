/* !expertise: topics on your own profile; !wie / !who: who knows about a
 * topic (case and accents ignored; see storage/expertise.h), or with no
 * topic the members per organisation (handlers/organisation.c). */
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "handlers/rota.h"
#include "storage/expertise.h"

/* Longest topic, in characters. */
#define EXPERTISE_MAX_TOPIC 100
/* Most topics on one profile: the profile stays a short reply. */
#define EXPERTISE_MAX_TOPICS 50

/* Append user's profile ("a, b") or the text for an empty one. */
static void add_profile(struct strbuf *sb, struct wt_ctx *ctx, const char *user)
{
	struct strbuf topics = STRBUF_INIT;
	expertise_of(ctx->db, ctx->net->name, user, &topics);
	if (topics.len)
		sb_add_md(sb, topics.buf);
	else
		sb_add(sb, "—");
	sb_release(&topics);
}

/* Show the profile of user (the sender when user is the sender). */
static int show(struct wt_ctx *ctx, const char *user)
{
	struct strbuf topics = STRBUF_INIT, md = STRBUF_INIT, u = STRBUF_INIT;
	expertise_of(ctx->db, ctx->net->name, user, &topics);
	sb_add_md(&md, topics.buf);
	sb_add_person(&u, ctx, user);
	if (strcmp(user, ctx->sender) == 0) {
		if (topics.len)
			reply_msgf(ctx, M_EXP_MINE, md.buf);
		else
			reply_msgf(ctx, M_EXP_MINE_EMPTY);
	} else if (topics.len) {
		reply_msgf(ctx, M_EXP_OF, u.buf, md.buf);
	} else {
		reply_msgf(ctx, M_EXP_OF_EMPTY, u.buf);
	}
	sb_release(&topics);
	sb_release(&md);
	sb_release(&u);
	return WT_OK;
}

/* Split list at commas and semicolons into trimmed topics; check each. */
static int split_topics(struct wt_ctx *ctx, const char *list, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",;");
		const char *s = args_skip_blank(p);
		size_t l = len - (size_t)(s - p);
		while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			l--;
		if (l) {
			char *t = xstrndup(s, l);
			size_t chars = utf8_chars(t);
			if (chars > EXPERTISE_MAX_TOPIC) {
				free(t);
				for (size_t i = 0; i < *n; i++)
					free((*out)[i]);
				free(*out);
				*out = NULL;
				*n = 0;
				return reply_error(ctx, WT_EUSAGE, M_FIELD_TOO_LONG,
						   T(ctx, M_EXP_F_TOPIC), chars, EXPERTISE_MAX_TOPIC);
			}
			*out = xrealloc(*out, (*n + 1) * sizeof **out);
			(*out)[(*n)++] = t;
		}
		p += len;
		if (*p)
			p++;
	}
	return WT_OK;
}

/* Add (or with remove, take off) the topics of the comma-separated list
 * on the sender's profile; the reply says what changed and shows it. */
static int change_topics(struct wt_ctx *ctx, const char *list, int remove)
{
	char **topics = NULL;
	size_t n = 0;
	int rc = split_topics(ctx, list, &topics, &n);
	if (rc != WT_OK)
		return rc;
	if (!n)
		return reply_usage(ctx, M_EXP_ERR_EMPTY, M_SYN_EXPERTISE);
	struct strbuf done = STRBUF_INIT, skipped = STRBUF_INIT, sb = STRBUF_INIT;
	for (size_t i = 0; i < n && rc == WT_OK; i++) {
		int r = remove ? expertise_remove(ctx->db, ctx->net->name, ctx->sender, topics[i])
			       : expertise_add(ctx->db, ctx->net->name, ctx->sender, topics[i], ctx->now);
		struct strbuf *to = r > 0 ? &done : &skipped;
		if (r < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
			break;
		}
		if (to->len)
			sb_add(to, ", ");
		sb_add_md(to, topics[i]);
	}
	if (rc == WT_OK && !remove) {
		struct strbuf all = STRBUF_INIT;
		int have = expertise_of(ctx->db, ctx->net->name, ctx->sender, &all);
		sb_release(&all);
		if (have > EXPERTISE_MAX_TOPICS)  /* the savepoint undoes the adds */
			rc = reply_error(ctx, WT_EUSAGE, M_EXP_TOO_MANY_TOPICS, have,
					 EXPERTISE_MAX_TOPICS);
	}
	if (rc == WT_OK) {
		if (done.len)
			sb_addm(&sb, ctx, remove ? M_EXP_REMOVED : M_EXP_ADDED, done.buf);
		if (skipped.len) {
			if (sb.len)
				sb_add(&sb, " ");
			sb_addm(&sb, ctx, remove ? M_EXP_NOT_FOUND : M_EXP_ALREADY, skipped.buf);
		}
		sb_add(&sb, "\n\n");
		sb_addm(&sb, ctx, M_EXP_PROFILE);
		add_profile(&sb, ctx, ctx->sender);
		if (remove && !done.len) {
			rc = WT_EUSAGE;
			reply_add(ctx, sb.buf)->is_error = 1;
		} else {
			reply_add(ctx, sb.buf);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(topics[i]);
	free(topics);
	sb_release(&done);
	sb_release(&skipped);
	sb_release(&sb);
	return rc;
}

/* !expertise weg <onderwerp>[, ...] (first line only, as for adding) */
static int expertise_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf line = STRBUF_INIT;
	args_line(args, &line);
	int rc = change_topics(ctx, line.buf, 1);
	sb_release(&line);
	return rc;
}

const struct wt_command expertise_subs[] = {
	{ { "weg", "remove" }, NULL, ROLE_MEMBER, M_EXP_SYN_REMOVE, M_EXP_HELP_REMOVE,
	  expertise_remove_cmd, 0, NULL },
	WT_SUBS_END,
};

/* !expertise [@iemand | <onderwerp>[, ...]]: your profile, someone's, or
 * topics added to yours. */
int cmd_expertise(struct wt_ctx *ctx, const char *args)
{
	struct strbuf line = STRBUF_INIT, w = STRBUF_INIT;
	args_line(args, &line);
	const char *rest = args_word(line.buf, &w);
	int rc;
	if (!rest) {
		rc = show(ctx, ctx->sender);
	} else if (w.buf[0] == '@') {  /* someone else's: by id, pill or @name */
		const char *after;
		rc = person_arg(ctx, line.buf, &w, &after, M_SYN_EXPERTISE);
		if (rc == WT_OK && *args_skip_blank(after))
			rc = reply_usage(ctx, M_EXP_ONE_PERSON, M_SYN_EXPERTISE);
		else if (rc == WT_OK)
			rc = show(ctx, w.buf);
	} else {
		rc = change_topics(ctx, line.buf, 0);
	}
	sb_release(&line);
	sb_release(&w);
	return rc;
}

/* !wie: people ranked by how well their topics match (accents and case
 * folded, scored in C by storage/expertise.c), so the page is cut here
 * from the ranked list, not in SQL: one scan of the network's topics. */
int cmd_who(struct wt_ctx *ctx, const char *args)
{
	struct strbuf q = STRBUF_INIT, rest = STRBUF_INIT;
	struct wt_page pg;
	int rc = page_take(ctx, args, &rest, &pg);
	args_line(rest.buf, &q);
	sb_release(&rest);
	if (rc == WT_OK && !q.len) {  /* the members per organisation */
		sb_release(&q);
		return org_spread(ctx);
	}
	if (rc != WT_OK) {
		sb_release(&q);
		return rc;
	}
	struct expertise_hit *hits = NULL;
	int n = expertise_find(ctx->db, ctx->net->name, q.buf, (size_t)-1, &hits);
	struct strbuf sb = STRBUF_INIT, md = STRBUF_INIT;
	sb_add_md(&md, q.buf);
	if (n < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else if (n == 0) {
		reply_msgf(ctx, M_EXP_WHO_NONE, md.buf);
	} else if ((rc = page_check(ctx, &pg, n)) != WT_OK) {
		expertise_hits_free(hits, (size_t)n);
	} else {
		long long end = pg.offset + pg.limit < n ? pg.offset + pg.limit : n;
		sb_addm(&sb, ctx, M_EXP_WHO_HEADER, md.buf);
		sb_add(&sb, "\n\n");
		for (long long i = pg.offset; i < end; i++) {
			struct strbuf u = STRBUF_INIT, t = STRBUF_INIT;
			sb_add_person(&u, ctx, hits[i].user);
			sb_add_md(&t, hits[i].topics);
			sb_addm(&sb, ctx, M_EXP_WHO_ITEM, u.buf, t.buf);
			sb_addc(&sb, '\n');
			sb_release(&u);
			sb_release(&t);
		}
		page_footer(&sb, ctx, &pg, end - pg.offset, n, "wie", "who");
		reply_add(ctx, sb.buf);
		expertise_hits_free(hits, (size_t)n);
	}
	sb_release(&sb);
	sb_release(&md);
	sb_release(&q);
	return rc;
}
