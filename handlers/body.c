/* !orgaan / !body: the bodies of a network — werktafel, actielijnenoverleg,
 * the board (BNO), a stuurgroep, a subteam per action line — with their
 * rooms, chair, secretary and members (advisory ones among them).
 *
 *   !orgaan                               the bodies
 *   !orgaan <naam>                        one body, with its next meeting
 *   !orgaan nieuw <naam> <soort>          make one (secretary)
 *   !orgaan kamer <naam>                  this room belongs to it
 *   !orgaan lid <naam> @wie [adviserend]  add a member
 *   !orgaan weg <naam> @wie               take a member out
 *   !orgaan voorzitter|secretaris <naam> @wie
 *
 * A network without bodies is one implicit body: `!agenda` and the rest
 * work on the whole network as they always did (storage/bodies.h). */
#include "handlers/body.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "handlers/when.h"

/* Longest body name, in characters. */
#define BODY_NAME_MAX 40

static const enum msg_id kind_labels[BODY_NKINDS] = {
	M_BODY_KIND_SUBTEAM, M_BODY_KIND_WERKTAFEL, M_BODY_KIND_ACTIONLINES,
	M_BODY_KIND_STUURGROEP, M_BODY_KIND_BOARD,
};

const char *body_kind_label(const struct wt_ctx *ctx, enum body_kind k)
{
	return T(ctx, kind_labels[(unsigned)k < BODY_NKINDS ? k : BODY_WERKTAFEL]);
}

/* The kind a word names, in either language (-1: none). */
static int kind_word(const char *w)
{
	static const struct { const char *word; enum body_kind kind; } words[] = {
		{ "subteam", BODY_SUBTEAM }, { "sub-team", BODY_SUBTEAM },
		{ "deelprojectteam", BODY_SUBTEAM }, { "werktafel", BODY_WERKTAFEL },
		{ "roundtable", BODY_WERKTAFEL }, { "round-table", BODY_WERKTAFEL },
		{ "actielijnenoverleg", BODY_ACTIONLINES }, { "actionlines", BODY_ACTIONLINES },
		{ "action-lines", BODY_ACTIONLINES }, { "stuurgroep", BODY_STUURGROEP },
		{ "steering", BODY_STUURGROEP }, { "steering-group", BODY_STUURGROEP },
		{ "bestuur", BODY_BOARD }, { "board", BODY_BOARD }, { "bno", BODY_BOARD },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(w, words[i].word) == 0)
			return (int)words[i].kind;
	return -1;
}

/* The names of the network's bodies, "BNO, AL1-team", into sb. */
static int add_body_names(struct strbuf *sb, struct wt_ctx *ctx)
{
	struct wt_body *v;
	int n = body_list(ctx->db, ctx->net->name, &v);
	for (int i = 0; i < n; i++) {
		if (i)
			sb_add(sb, ", ");
		sb_add_md(sb, v[i].name);
	}
	if (n > 0)
		body_list_free(v, (size_t)n);
	return n;
}

int body_arg(struct wt_ctx *ctx, const char **p, enum msg_id syn, struct wt_body *out)
{
	struct strbuf w = STRBUF_INIT, names = STRBUF_INIT;
	memset(out, 0, sizeof *out);
	*p = args_word(*p, &w);
	int rc = WT_OK;
	if (!w.len) {
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_BODY_ERR_NO_NAME);
	} else {
		int found = body_by_name(ctx->db, ctx->net->name, w.buf, out);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found && add_body_names(&names, ctx) > 0)
			rc = reply_error(ctx, WT_ENOTFOUND, M_BODY_ERR_UNKNOWN, ctx_md(ctx, w.buf),
					 names.buf);
		else if (!found)
			rc = reply_error(ctx, WT_ENOTFOUND, M_BODY_ERR_UNKNOWN_NONE,
					 ctx_md(ctx, w.buf));
	}
	if (!*p)
		*p = "";
	sb_release(&w);
	sb_release(&names);
	return rc;
}

int body_refuse_advisory(struct wt_ctx *ctx, long long meeting_id)
{
	long long id = 0;
	int has = body_of_meeting(ctx->db, meeting_id, &id);
	struct wt_body b = { 0 };
	if (has > 0)
		has = body_by_id(ctx->db, id, &b);
	if (has < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	int rc = WT_OK;
	if (has && body_member_kind(&b, ctx->sender) == BODY_ADVISORY) {
		struct strbuf who = STRBUF_INIT;
		sb_add_person(&who, ctx, ctx->sender);
		rc = reply_error(ctx, WT_EPERM, M_BODY_ERR_ADVISORY, who.buf, ctx_md(ctx, b.name));
		sb_release(&who);
	}
	if (has)
		body_free(&b);
	return rc;
}

/* One body's lines: rooms, chair, secretary, members (advisory marked);
 * nl starts each line ("\n", or "\n  " inside a list item). */
static void add_body(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_body *b,
		     const char *nl)
{
	struct strbuf part = STRBUF_INIT;
	for (size_t i = 0; i < b->nrooms; i++)
		sb_addf(&part, "%s`%s`", i ? ", " : "", b->rooms[i]);
	sb_add(sb, nl);
	if (b->nrooms)
		sb_addm(sb, ctx, M_BODY_ROOMS, part.buf);
	else
		sb_addm(sb, ctx, M_BODY_NO_ROOMS, b->name);
	const char *const who[2] = { b->chair, b->secretary };
	const enum msg_id lab[2] = { M_BODY_CHAIR, M_BODY_SECRETARY };
	for (int i = 0; i < 2; i++) {
		if (!who[i])
			continue;
		sb_reset(&part);
		sb_add_person(&part, ctx, who[i]);
		sb_add(sb, nl);
		sb_addm(sb, ctx, lab[i], part.buf);
	}
	sb_reset(&part);
	for (size_t i = 0; i < b->nmembers; i++) {
		if (i)
			sb_add(&part, ", ");
		sb_add_person(&part, ctx, b->members[i].user);
		if (b->members[i].advisory)
			sb_addf(&part, " (%s)", T(ctx, M_BODY_ADVISORY));
	}
	sb_add(sb, nl);
	if (b->nmembers)
		sb_addm(sb, ctx, M_BODY_MEMBERS, part.buf);
	else
		sb_addm(sb, ctx, M_BODY_NO_MEMBERS);
	sb_release(&part);
}

/* !orgaan: every body. */
static int body_list_cmd(struct wt_ctx *ctx)
{
	struct wt_body *v;
	int n = body_list(ctx->db, ctx->net->name, &v);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!n) {
		reply_msgf(ctx, M_BODY_NONE, T(ctx, M_BODY_SYN_NEW));
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_BODY_LIST_HEAD);
	for (int i = 0; i < n; i++) {
		sb_add(&sb, "\n\n");
		sb_addm(&sb, ctx, M_BODY_LINE, ctx_md(ctx, v[i].name),
			body_kind_label(ctx, v[i].kind));
		add_body(&sb, ctx, &v[i], "\n  ");
	}
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	body_list_free(v, (size_t)n);
	return WT_OK;
}

/* !orgaan <naam>: one body and its next meeting. */
static int body_show(struct wt_ctx *ctx, const char *args)
{
	struct wt_body b;
	const char *p = args;
	int rc = body_arg(ctx, &p, M_SYN_BODY, &b);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	struct wt_meeting m;
	int found = rc == WT_OK ? body_meeting_next_after(ctx->db, b.id, ctx->now - 86400, &m) : 0;
	if (found < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
		sb_addm(&sb, ctx, M_BODY_HEAD, ctx_md(ctx, b.name), body_kind_label(ctx, b.kind));
		add_body(&sb, ctx, &b, "\n");
		sb_add(&sb, "\n");
		if (found) {
			when_format(&when, m.starts_at, ctx->net->tz, ctx->lang);
			sb_addm(&sb, ctx, M_BODY_NEXT, when.buf, m.short_id);
			meeting_free(&m);
		} else {
			sb_addm(&sb, ctx, M_BODY_NO_NEXT);
		}
		reply_add(ctx, sb.buf);
		sb_release(&sb);
		sb_release(&when);
	}
	body_free(&b);
	return rc;
}

/* !orgaan nieuw <naam> <soort> */
static int body_new_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_BODY_SYN_NEW;
	struct strbuf name = STRBUF_INIT, kind = STRBUF_INIT;
	const char *p = args_word(args, &name);
	p = p ? args_word(p, &kind) : NULL;
	int k = kind.len ? kind_word(kind.buf) : -1;
	int rc = WT_OK;
	long long id = 0;
	if (!name.len)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_BODY_ERR_NO_NAME);
	else if (utf8_chars(name.buf) > BODY_NAME_MAX || name.buf[0] == '@' ||
		 strchr(name.buf, '`'))
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_BODY_ERR_NAME);
	else if (k < 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_BODY_ERR_KIND, kind.buf);
	else
		rc = reply_if_extra(ctx, p ? p : "");
	if (rc == WT_OK) {
		int made = body_create(ctx->db, ctx->net->name, name.buf, (enum body_kind)k,
				       ctx->now, &id);
		if (made == BODY_CREATE_EXISTS)
			rc = reply_error(ctx, WT_EUSAGE, M_BODY_ERR_EXISTS, ctx_md(ctx, name.buf));
		else if (made < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK)
		reply_msgf(ctx, M_BODY_CREATED, ctx_md(ctx, name.buf),
			   body_kind_label(ctx, (enum body_kind)k), name.buf);
	sb_release(&name);
	sb_release(&kind);
	return rc;
}

/* !orgaan kamer <naam>: the room the command is in joins the body. */
static int body_room_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_body b;
	const char *p = args;
	int rc = body_arg(ctx, &p, M_BODY_SYN_ROOM, &b);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && body_room_add(ctx->db, ctx->net->name, ctx->room, b.id) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		reply_msgf(ctx, M_BODY_ROOM_SET, ctx_md(ctx, b.name), ctx_md(ctx, b.name));
	body_free(&b);
	return rc;
}

/* The body and the person of `<naam> @wie`, the rest after them in *rest. */
static int body_and_person(struct wt_ctx *ctx, const char *args, enum msg_id syn,
			   struct wt_body *b, struct strbuf *user, const char **rest)
{
	const char *p = args;
	int rc = body_arg(ctx, &p, syn, b);
	if (rc != WT_OK)
		return rc;
	rc = person_arg(ctx, p, user, rest, syn);
	if (rc == PERSON_NONE)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_BODY_ERR_NO_PERSON);
	return rc;
}

/* !orgaan lid <naam> @wie [adviserend] */
static int body_member_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_BODY_SYN_MEMBER;
	struct wt_body b = { 0 };
	struct strbuf user = STRBUF_INIT, word = STRBUF_INIT, who = STRBUF_INIT;
	const char *rest = "";
	int rc = body_and_person(ctx, args, syn, &b, &user, &rest);
	int advisory = 0;
	if (rc == WT_OK) {
		const char *after = args_word(rest, &word);
		advisory = word.len && args_is(word.buf, "adviserend", "advisory");
		if (word.len && !advisory)
			rc = reply_if_extra(ctx, rest);
		else if (after)
			rc = reply_if_extra(ctx, after);
	}
	if (rc == WT_OK && body_member_set(ctx->db, b.id, user.buf, advisory) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		sb_add_person(&who, ctx, user.buf);
		reply_msgf(ctx, advisory ? M_BODY_ADVISORY_SET : M_BODY_MEMBER_SET, who.buf,
			   ctx_md(ctx, b.name));
	}
	body_free(&b);
	sb_release(&user);
	sb_release(&word);
	sb_release(&who);
	return rc;
}

/* !orgaan weg <naam> @wie */
static int body_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_body b = { 0 };
	struct strbuf user = STRBUF_INIT, who = STRBUF_INIT;
	const char *rest = "";
	int rc = body_and_person(ctx, args, M_BODY_SYN_REMOVE, &b, &user, &rest);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, rest);
	int gone = rc == WT_OK ? body_member_remove(ctx->db, b.id, user.buf) : 0;
	if (rc == WT_OK)
		sb_add_person(&who, ctx, user.buf);
	if (gone < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (rc == WT_OK && !gone)
		rc = reply_error(ctx, WT_ENOTFOUND, M_BODY_ERR_NOT_MEMBER, who.buf,
				 ctx_md(ctx, b.name));
	else if (rc == WT_OK)
		reply_msgf(ctx, M_BODY_MEMBER_GONE, who.buf, ctx_md(ctx, b.name));
	body_free(&b);
	sb_release(&user);
	sb_release(&who);
	return rc;
}

/* !orgaan voorzitter|secretaris <naam> @wie */
static int body_officer(struct wt_ctx *ctx, const char *args, int officer)
{
	const enum msg_id syn = officer == BODY_CHAIR ? M_BODY_SYN_CHAIR : M_BODY_SYN_SECRETARY;
	struct wt_body b = { 0 };
	struct strbuf user = STRBUF_INIT, who = STRBUF_INIT;
	const char *rest = "";
	int rc = body_and_person(ctx, args, syn, &b, &user, &rest);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, rest);
	if (rc == WT_OK && body_set_officer(ctx->db, b.id, officer, user.buf) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		sb_add_person(&who, ctx, user.buf);
		reply_msgf(ctx, officer == BODY_CHAIR ? M_BODY_CHAIR_SET : M_BODY_SECRETARY_SET,
			   who.buf, ctx_md(ctx, b.name));
	}
	body_free(&b);
	sb_release(&user);
	sb_release(&who);
	return rc;
}

static int body_chair_cmd(struct wt_ctx *ctx, const char *args)
{
	return body_officer(ctx, args, BODY_CHAIR);
}

static int body_secretary_cmd(struct wt_ctx *ctx, const char *args)
{
	return body_officer(ctx, args, BODY_SECRETARY);
}

const struct wt_command body_subs[] = {
	{ { "nieuw", "new" }, "maak", ROLE_SECRETARY, M_BODY_SYN_NEW, M_BODY_HELP_NEW,
	  body_new_cmd, 0, NULL },
	{ { "kamer", "room" }, NULL, ROLE_SECRETARY, M_BODY_SYN_ROOM, M_BODY_HELP_ROOM,
	  body_room_cmd, 0, NULL },
	{ { "lid", "member" }, NULL, ROLE_SECRETARY, M_BODY_SYN_MEMBER, M_BODY_HELP_MEMBER,
	  body_member_cmd, 0, NULL },
	{ { "weg", "remove" }, NULL, ROLE_SECRETARY, M_BODY_SYN_REMOVE, M_BODY_HELP_REMOVE,
	  body_remove_cmd, 0, NULL },
	{ { "voorzitter", "chair" }, NULL, ROLE_SECRETARY, M_BODY_SYN_CHAIR, M_BODY_HELP_CHAIR,
	  body_chair_cmd, 0, NULL },
	{ { "secretaris", "secretary" }, NULL, ROLE_SECRETARY, M_BODY_SYN_SECRETARY,
	  M_BODY_HELP_SECRETARY, body_secretary_cmd, 0, NULL },
	WT_SUBS_END,
};

int cmd_body(struct wt_ctx *ctx, const char *args)
{
	if (!*args_skip_blank(args))
		return body_list_cmd(ctx);
	return body_show(ctx, args);
}
