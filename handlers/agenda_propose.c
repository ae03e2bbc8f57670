/* The proposals of !agenda: propose, edit, withdraw and refuse.
 *
 *   !agenda voorstel <title>       lines thema:, waarom:, wat:, hoe:
 *   !agenda wijzig <id> [<title>]  the same lines, what changes (the
 *                                  proposer or the secretary; not once the
 *                                  agenda is final)
 *   !agenda trek in <id>           withdraw (the proposer or the secretary)
 *   !agenda weiger <id> <reason>   refuse (secretary); the proposer is told
 *
 * A proposal or edit that leaves theme, why, what or how empty is taken and
 * answered with what is still missing; fields typed on the title's line are
 * refused with the command written out on lines. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/agenda_internal.h"
#include "handlers/args.h"
#include "handlers/documents.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/bodies.h"
#include "storage/meetings.h"

/* The fields a proposal may carry on its extra lines. */
struct proposal {
	struct strbuf title, theme, why, what, how;
	struct strbuf attach;  /* the `bijlage:` values, one a line */
	int nattach;
};
#define PROPOSAL_INIT { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, \
			STRBUF_INIT, 0 }

/* Most `bijlage:` lines one proposal takes. */
#define AGENDA_MAX_ATTACH 20

static const struct { const char *nl, *en; size_t off; enum msg_id name; } keys[] = {
	{ "thema", "theme", offsetof(struct proposal, theme), M_AGENDA_F_THEME },
	{ "waarom", "why", offsetof(struct proposal, why), M_AGENDA_F_WHY },
	{ "wat", "what", offsetof(struct proposal, what), M_AGENDA_F_WHAT },
	{ "hoe", "how", offsetof(struct proposal, how), M_AGENDA_F_HOW },
};
#define NKEYS (sizeof keys / sizeof keys[0])

static struct strbuf *field_of(struct proposal *pr, size_t k)
{
	return (struct strbuf *)((char *)pr + keys[k].off);
}

static void proposal_release(struct proposal *pr)
{
	sb_release(&pr->title);
	sb_release(&pr->theme);
	sb_release(&pr->why);
	sb_release(&pr->what);
	sb_release(&pr->how);
	sb_release(&pr->attach);
}

/* A `bijlage: <link> [titel]` line (attachment:): checked and kept in
 * pr->attach. 1 when line is one (rc: the outcome), 0 when not. */
static int read_attachment(struct wt_ctx *ctx, const char *line, struct proposal *pr,
			   enum msg_id syn, int *rc)
{
	const char *colon = strchr(line, ':');
	size_t klen = colon ? (size_t)(colon - line) : 0;
	while (klen && (line[klen - 1] == ' ' || line[klen - 1] == '\t'))
		klen--;
	if (!colon || !((klen == 7 && strncasecmp(line, "bijlage", 7) == 0)
			|| (klen == 10 && strncasecmp(line, "attachment", 10) == 0)))
		return 0;
	const char *value = args_skip_blank(colon + 1);
	if (!*value) {
		const char *key = ctx->lang == LANG_EN ? "attachment" : "bijlage";
		*rc = reply_usagef(ctx, WT_EUSAGE, syn, M_FIELD_EMPTY, key, key);
	} else if (++pr->nattach > AGENDA_MAX_ATTACH) {
		*rc = reply_usagef(ctx, WT_EUSAGE, syn, M_DOC_ERR_LIMIT, AGENDA_MAX_ATTACH);
	} else {
		*rc = docs_check_link(ctx, value, syn);
		sb_add(&pr->attach, value);
		sb_addc(&pr->attach, '\n');
	}
	return 1;
}

/* Attach the proposal's `bijlage:` links to item item_id. */
static int attach_all(struct wt_ctx *ctx, const struct proposal *pr, long long item_id)
{
	struct strbuf line = STRBUF_INIT;
	int rc = WT_OK;
	for (const char *p = pr->attach.len ? pr->attach.buf : ""; rc == WT_OK && *p;) {
		p = args_line(p, &line);
		rc = docs_attach_link(ctx, item_id, 0, line.buf, NULL);
	}
	sb_release(&line);
	return rc;
}

/* " 2 bijlagen toegevoegd." after a reply when pr brought links. */
static void add_attached(struct strbuf *sb, struct wt_ctx *ctx, const struct proposal *pr)
{
	if (!pr->nattach)
		return;
	sb_addc(sb, ' ');
	sb_addm(sb, ctx, msg_count(M_DOC_PROPOSAL_ONE, pr->nattach), (long long)pr->nattach);
}

/* The key (index) that s starts with, followed by blanks and a colon; *after
 * gets the text after the colon. -1 when none. */
static int key_at(const char *s, const char **after)
{
	for (size_t k = 0; k < NKEYS; k++) {
		const char *names[2] = { keys[k].nl, keys[k].en };
		for (int l = 0; l < 2; l++) {
			size_t n = strlen(names[l]);
			if (strncasecmp(s, names[l], n) != 0)
				continue;
			const char *p = args_skip_blank(s + n);
			if (*p == ':') {
				*after = p + 1;
				return (int)k;
			}
		}
	}
	return -1;
}

/* The first place in line where a field starts (at its start or after a
 * blank), or NULL. */
static const char *first_key(const char *line)
{
	const char *after;
	for (const char *p = line; *p; p++)
		if ((p == line || p[-1] == ' ' || p[-1] == '\t') && key_at(p, &after) >= 0)
			return p;
	return NULL;
}

/* When fields follow the title on its line, refuse with the command as it
 * should be written: prefix and title, then each field on a line of its own. */
static int refuse_one_line(struct wt_ctx *ctx, const char *prefix, const char *line,
			   enum msg_id syn)
{
	const char *k = first_key(line);
	if (!k)
		return WT_OK;
	struct strbuf fixed = STRBUF_INIT, md = STRBUF_INIT;
	sb_add(&fixed, prefix);
	sb_addn(&fixed, line, (size_t)(k - line));
	sb_rtrim(&fixed);
	if (k == line)
		sb_add(&fixed, ctx->lang == LANG_EN ? " <title>" : " <titel>");
	while (k) {
		const char *after, *next;
		key_at(k, &after);
		next = first_key(after);
		sb_addc(&fixed, '\n');
		sb_addn(&fixed, k, (size_t)((next ? next : k + strlen(k)) - k));
		sb_rtrim(&fixed);
		k = next;
	}
	for (size_t i = 0; i < fixed.len; i++)  /* nothing may end the code block */
		if (fixed.buf[i] == '`')
			fixed.buf[i] = '\'';
	sb_addm(&md, ctx, M_AGENDA_ERR_ONE_LINE, fixed.buf);
	int rc = reply_usage_md(ctx, WT_EUSAGE, syn, md.buf);
	sb_release(&fixed);
	sb_release(&md);
	return rc;
}

/* Read the "key: value" lines at p into pr; any other non-empty line is an
 * error (a typo must not vanish silently). */
static int read_fields(struct wt_ctx *ctx, const char *p, struct proposal *pr, enum msg_id syn)
{
	struct strbuf line = STRBUF_INIT;
	int rc = WT_OK;
	while (rc == WT_OK && *p) {
		p = args_line(p, &line);
		if (!line.len || read_attachment(ctx, line.buf, pr, syn, &rc))
			continue;
		const char *after;
		int k = key_at(line.buf, &after);
		if (k < 0) {
			rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_LINE, line.buf);
			break;
		}
		struct strbuf *dst = field_of(pr, (size_t)k);
		sb_reset(dst);
		sb_add(dst, args_skip_blank(after));
		sb_rtrim(dst);
		if (!dst->len) {
			const char *key = ctx->lang == LANG_EN ? keys[k].en : keys[k].nl;
			rc = reply_usagef(ctx, WT_EUSAGE, syn, M_FIELD_EMPTY, key, key);
		}
	}
	sb_release(&line);
	return rc;
}

/* Match theme against the network's themes (case-insensitive) and replace
 * it by the configured spelling. Adds the error reply listing the themes. */
static int check_theme(struct wt_ctx *ctx, struct strbuf *theme, enum msg_id syn)
{
	const struct wt_network *net = ctx->net;
	if (!theme->len || net->nthemes == 0)
		return WT_OK;
	for (size_t i = 0; i < net->nthemes; i++) {
		if (strcasecmp(net->themes[i], theme->buf) == 0) {
			sb_reset(theme);
			sb_add(theme, net->themes[i]);
			return WT_OK;
		}
	}
	struct strbuf md = STRBUF_INIT, list = STRBUF_INIT;
	sb_add_md(&md, theme->buf);
	for (size_t i = 0; i < net->nthemes; i++) {
		if (i)
			sb_add(&list, ", ");
		sb_add_md(&list, net->themes[i]);
	}
	int rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_THEME, md.buf, list.buf);
	sb_release(&md);
	sb_release(&list);
	return rc;
}

/* The checks of the fields read: lengths and theme. */
static int check_fields(struct wt_ctx *ctx, struct proposal *pr, enum msg_id syn)
{
	int rc = reply_if_too_long(ctx, M_FIELD_TITLE, pr->title.buf, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_THEME, pr->theme.buf, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = check_theme(ctx, &pr->theme, syn);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_WHY, pr->why.buf, AGENDA_MAX_TEXT);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_WHAT, pr->what.buf, AGENDA_MAX_TEXT);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_HOW, pr->how.buf, AGENDA_MAX_TEXT);
	return rc;
}

/* "\n\nNog niet ingevuld: ..." for the empty ones of theme, why, what, how. */
static void add_missing(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_agenda_item *it)
{
	const char *vals[NKEYS] = { it->theme, it->why, it->what, it->how };
	const char *names[NKEYS];
	size_t n = 0;
	for (size_t k = 0; k < NKEYS; k++)
		if (!vals[k] || !*vals[k])
			names[n++] = T(ctx, keys[k].name);
	if (!n)
		return;
	struct strbuf list = STRBUF_INIT;
	sb_addlist(&list, ctx, names, n);
	sb_add(sb, "\n\n");
	sb_addm(sb, ctx, M_AGENDA_MISSING, list.buf, it->short_id);
	sb_release(&list);
}

static const char *or_null(const struct strbuf *sb)
{
	return sb->len ? sb->buf : NULL;
}

/* The reply to a stored proposal: where it goes, and what is missing. */
static void reply_proposed(struct wt_ctx *ctx, const struct wt_agenda_item *it,
			   const struct wt_meeting *m, const struct proposal *pr)
{
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
	const char *title = ctx_md(ctx, it->title);
	if (m) {
		when_format_long(&when, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_addm(&sb, ctx, M_AGENDA_PROPOSED, it->short_id, title, m->short_id, when.buf,
			it->short_id);
	} else {
		sb_addm(&sb, ctx, M_AGENDA_PROPOSED_WAITING, it->short_id, title);
	}
	add_attached(&sb, ctx, pr);
	add_missing(&sb, ctx, it);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&when);
}

/* !agenda voorstel <title> [thema:/waarom:/wat:/hoe: lines] */
int agenda_propose(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_AGENDA_SYN_PROPOSE;
	struct proposal pr = PROPOSAL_INIT;
	const char *rest = args_line(args, &pr.title);
	int rc = WT_OK;
	if (!pr.title.len)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_NO_TITLE);
	if (rc == WT_OK)
		rc = refuse_one_line(ctx, ctx->lang == LANG_EN ? "!agenda propose "
				     : "!agenda voorstel ", pr.title.buf, syn);
	if (rc == WT_OK)
		rc = read_fields(ctx, rest, &pr, syn);
	if (rc == WT_OK)
		rc = check_fields(ctx, &pr, syn);
	struct wt_meeting m = { 0 };
	int has_meeting = 0;
	if (rc == WT_OK) {
		has_meeting = body_meeting_next_after_for_room(ctx->db, ctx->net->name, ctx->room,
							       ctx->now, &m);
		if (has_meeting < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct wt_agenda_item it = {
		.network = ctx->net->name, .meeting_id = has_meeting > 0 ? m.id : 0,
		.title = pr.title.buf, .theme = (char *)or_null(&pr.theme),
		.why = (char *)or_null(&pr.why), .what = (char *)or_null(&pr.what),
		.how = (char *)or_null(&pr.how), .proposer = (char *)ctx->sender,
		.state = AGENDA_PROPOSED, .created_at = ctx->now, .event_id = (char *)ctx->event_id,
	};
	if (rc == WT_OK && agenda_create(ctx->db, &it) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		rc = attach_all(ctx, &pr, it.id);
	if (rc == WT_OK)
		reply_proposed(ctx, &it, has_meeting > 0 ? &m : NULL, &pr);
	meeting_free(&m);
	proposal_release(&pr);
	return rc;
}

/* The checks before an item changes: still open, the sender may (the
 * proposer, or secretary and up; refusal names who may), not final. */
static int check_change(struct wt_ctx *ctx, const struct wt_agenda_item *it, enum msg_id syn,
			enum msg_id not_yours)
{
	if (it->state != AGENDA_PROPOSED && it->state != AGENDA_ACCEPTED
	    && it->state != AGENDA_DEFERRED)
		return reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_STATE, it->short_id,
				    T(ctx, agenda_state_msg(it->state)));
	int rc = WT_OK;
	if (not_yours != M_NONE) {
		struct strbuf who = STRBUF_INIT;
		sb_add_person(&who, ctx, it->proposer);
		rc = reply_require_role_unless(ctx, ROLE_SECRETARY,
					       strcmp(it->proposer, ctx->sender) == 0,
					       not_yours, it->short_id, who.buf);
		sb_release(&who);
	}
	return rc == WT_OK ? agenda_refuse_if_final(ctx, it, syn) : rc;
}

/* The edit's first line after the id: a new title, or already a field. */
static int read_edit(struct wt_ctx *ctx, const struct wt_agenda_item *it, const char *p,
		     struct proposal *pr)
{
	const enum msg_id syn = M_AGENDA_SYN_EDIT;
	struct strbuf first = STRBUF_INIT;
	const char *after, *rest = args_line(p, &first);
	int rc = WT_OK;
	if (first.len && key_at(first.buf, &after) >= 0) {
		rest = args_skip_blank(p);  /* the first line is a field line */
	} else if (first.len) {
		struct strbuf prefix = STRBUF_INIT;
		sb_addf(&prefix, "!agenda %s %lld ", ctx->lang == LANG_EN ? "edit" : "wijzig",
			it->short_id);
		rc = refuse_one_line(ctx, prefix.buf, first.buf, syn);
		sb_add(&pr->title, first.buf);
		sb_release(&prefix);
	}
	if (rc == WT_OK)
		rc = read_fields(ctx, rest, pr, syn);
	if (rc == WT_OK && !pr->title.len && !pr->theme.len && !pr->why.len && !pr->what.len
	    && !pr->how.len && !pr->nattach)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_NO_CHANGE);
	if (rc == WT_OK)
		rc = check_fields(ctx, pr, syn);
	sb_release(&first);
	return rc;
}

/* Move the fields pr has into it and list their names in words into
 * changed ("titel en waarom"). */
static void apply_edit(struct wt_ctx *ctx, struct wt_agenda_item *it, struct proposal *pr,
		       struct strbuf *changed)
{
	const char *names[5];
	size_t n = 0;
	char **dst[5] = { &it->title, &it->theme, &it->why, &it->what, &it->how };
	struct strbuf *src[5] = { &pr->title, &pr->theme, &pr->why, &pr->what, &pr->how };
	static const enum msg_id fname[5] = { M_AGENDA_F_TITLE, M_AGENDA_F_THEME, M_AGENDA_F_WHY,
					      M_AGENDA_F_WHAT, M_AGENDA_F_HOW };
	for (size_t i = 0; i < 5; i++) {
		if (!src[i]->len)
			continue;
		free(*dst[i]);
		*dst[i] = sb_detach(src[i]);
		names[n++] = T(ctx, fname[i]);
	}
	sb_addlist(changed, ctx, names, n);
}

/* !agenda wijzig <id> [<title>] + lines */
int agenda_edit_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_agenda_item it = { 0 };
	struct proposal pr = PROPOSAL_INIT;
	const char *p = args;
	int rc = agenda_read_item(ctx, &p, M_AGENDA_SYN_EDIT, &it);
	if (rc == WT_OK)
		rc = check_change(ctx, &it, M_AGENDA_SYN_EDIT, M_AGENDA_ERR_NOT_YOURS_EDIT);
	if (rc == WT_OK)
		rc = read_edit(ctx, &it, p, &pr);
	if (rc == WT_OK) {
		struct strbuf changed = STRBUF_INIT, sb = STRBUF_INIT;
		apply_edit(ctx, &it, &pr, &changed);
		if (agenda_update_text(ctx->db, &it) < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		} else if ((rc = attach_all(ctx, &pr, it.id)) == WT_OK) {
			if (changed.len)
				sb_addm(&sb, ctx, M_AGENDA_EDITED, it.short_id, ctx_md(ctx, it.title),
					changed.buf);
			else
				sb_addf(&sb, "#%lld **%s**.", it.short_id, ctx_md(ctx, it.title));
			add_attached(&sb, ctx, &pr);
			add_missing(&sb, ctx, &it);
			reply_add(ctx, sb.buf);
		}
		sb_release(&changed);
		sb_release(&sb);
	}
	agenda_item_free(&it);
	proposal_release(&pr);
	return rc;
}

/* "\n\n<proposer> krijgt hiervan een persoonlijk bericht." when the
 * proposer is someone else (agenda_tell_proposer tells them). */
static void add_told(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_agenda_item *it)
{
	if (!it->proposer || strcmp(it->proposer, ctx->sender) == 0)
		return;
	struct strbuf who = STRBUF_INIT;
	sb_add_person(&who, ctx, it->proposer);
	sb_add(sb, "\n\n");
	sb_addm(sb, ctx, M_AGENDA_TOLD, who.buf);
	sb_release(&who);
}

/* !agenda trek in <id> / !agenda intrekken <id> */
int agenda_withdraw_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_AGENDA_SYN_WITHDRAW;
	struct wt_agenda_item it = { 0 };
	const char *p = args;
	int rc = agenda_read_item(ctx, &p, syn, &it);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK)
		rc = check_change(ctx, &it, syn, M_AGENDA_ERR_NOT_YOURS_WITHDRAW);
	if (rc == WT_OK && agenda_close(ctx->db, it.id, NULL) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		const char *title = ctx_md(ctx, it.title);
		struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT;
		sb_addm(&sb, ctx, M_AGENDA_WITHDRAWN_DONE, it.short_id, title);
		add_told(&sb, ctx, &it);
		reply_add(ctx, sb.buf);
		sb_reset(&sb);
		sb_add_person(&who, ctx, ctx->sender);
		sb_addm(&sb, ctx, M_AGENDA_DM_WITHDRAWN, it.short_id, title, who.buf);
		agenda_tell_proposer(ctx, &it, sb.buf);
		sb_release(&sb);
		sb_release(&who);
	}
	agenda_item_free(&it);
	return rc;
}

/* !agenda weiger <id> <reden> */
int agenda_reject_cmd(struct wt_ctx *ctx, const char *args)
{
	const enum msg_id syn = M_AGENDA_SYN_REJECT;
	struct wt_agenda_item it = { 0 };
	struct strbuf reason = STRBUF_INIT;
	const char *p = args;
	int rc = agenda_read_item(ctx, &p, syn, &it);
	if (rc == WT_OK) {
		sb_add(&reason, args_skip_blank(p));
		sb_rtrim(&reason);
		if (!reason.len)
			rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AGENDA_ERR_NO_REASON);
	}
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_REASON_AGENDA, reason.buf, AGENDA_MAX_TEXT);
	if (rc == WT_OK)
		rc = check_change(ctx, &it, syn, M_NONE);
	if (rc == WT_OK && agenda_close(ctx->db, it.id, reason.buf) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		const char *title = ctx_md(ctx, it.title), *why = ctx_md(ctx, reason.buf);
		struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT;
		sb_addm(&sb, ctx, M_AGENDA_REFUSED, it.short_id, title, why);
		add_told(&sb, ctx, &it);
		reply_add(ctx, sb.buf);
		sb_reset(&sb);
		sb_add_person(&who, ctx, ctx->sender);
		sb_addm(&sb, ctx, M_AGENDA_DM_REFUSED, it.short_id, title, who.buf, why);
		agenda_tell_proposer(ctx, &it, sb.buf);
		sb_release(&sb);
		sb_release(&who);
	}
	sb_release(&reason);
	agenda_item_free(&it);
	return rc;
}
