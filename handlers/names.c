#include "handlers/names.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "storage/room_members.h"

#define MATRIX_TO "https://matrix.to/#/"

/* Append the first max characters of the UTF-8 text s, and an ellipsis
 * when it was longer. */
static void add_cut(struct strbuf *sb, const char *s, size_t max)
{
	size_t chars = 0;
	const char *p = s;
	for (; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && chars++ == max)
			break;
	}
	sb_addn(sb, s, (size_t)(p - s));
	if (*p)
		sb_add(sb, "\xE2\x80\xA6");
}

char *person_name_dup(const struct wt_ctx *ctx, const char *user)
{
	if (!user)
		return xstrdup("");
	if (!is_user_id(user))
		return xstrdup(user);
	char *dn = NULL;
	int shared = 0;
	if (ctx && ctx->db)
		room_members_name_dup(ctx->db, ctx->net ? ctx->net->name : NULL,
				      ctx->room, user, &dn, &shared);
	struct strbuf sb = STRBUF_INIT;
	if (dn) {
		add_cut(&sb, dn, NAMES_MAX_CHARS);
		/* A name shared with another member, or one that looks like
		 * someone's id, gets the real id after it. */
		if (shared || (dn[0] == '@' && strchr(dn, ':') && strcmp(dn, user) != 0))
			sb_addf(&sb, " (%s)", user);
	} else {
		const char *colon = strchr(user, ':');
		sb_addn(&sb, user + 1, (size_t)(colon - user - 1));
	}
	free(dn);
	return sb_detach(&sb);
}

/* Append the Matrix id as a matrix.to link's fragment: letters, digits
 * and the id's own punctuation as they are, anything else %-escaped, so
 * the Markdown link destination cannot end early or carry markup. */
static void add_link_id(struct strbuf *sb, const char *id)
{
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
		    || (*p >= '0' && *p <= '9') || strchr("@:._=-/+", *p))
			sb_addc(sb, (char)*p);
		else
			sb_addf(sb, "%%%02X", *p);
	}
}

/* 1 when s has a character that shows (not only blanks). */
static int has_visible(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s > ' ' && *s != 0x7f)
			return 1;
	return 0;
}

void sb_add_person(struct strbuf *sb, const struct wt_ctx *ctx, const char *user)
{
	if (!user)
		return;
	if (!is_user_id(user)) {
		sb_add_md(sb, user);
		return;
	}
	char *name = person_name_dup(ctx, user);
	struct strbuf text = STRBUF_INIT;
	sb_add_md(&text, name);
	if (!has_visible(text.buf)) {
		/* Nothing visible in the name: the localpart instead. */
		const char *colon = strchr(user, ':');
		sb_reset(&text);
		struct strbuf local = STRBUF_INIT;
		sb_addn(&local, user + 1, (size_t)(colon - user - 1));
		sb_add_md(&text, local.buf);
		sb_release(&local);
	}
	sb_addc(sb, '[');
	sb_add(sb, text.buf);
	sb_release(&text);
	sb_add(sb, "](" MATRIX_TO);
	add_link_id(sb, user);
	sb_addc(sb, ')');
	free(name);
}

void sb_add_people(struct strbuf *sb, const struct wt_ctx *ctx,
		   char *const *users, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_add(sb, ", ");
		sb_add_person(sb, ctx, users[i]);
	}
}
