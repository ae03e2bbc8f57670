/* !advies / !advice: advice requests to the board, asked and unasked, from
 * request to decision. This file has the sub-command table and takes new
 * requests; the steps are in advice_flow.c, the views in advice_view.c. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/advice_internal.h"
#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "handlers/stakeholders.h"
#include "handlers/when_ctx.h"

/* The fields of the multi-line form of `!advies nieuw`. */
enum form_field {
	F_TITLE, F_QUESTION, F_THEME, F_WHY, F_WHAT, F_HOW, F_DEADLINE, F_REQUESTER,
	F_N
};

static const struct {
	const char *nl, *en;
	enum msg_id label;
	size_t max;
} fields[F_N] = {
	[F_TITLE] = { "titel", "title", M_ADV_F_TITLE, WT_MAX_FIELD },
	[F_QUESTION] = { "vraag", "question", M_ADV_F_QUESTION, ADV_MAX_TEXT },
	[F_THEME] = { "thema", "theme", M_ADV_F_THEME, WT_MAX_FIELD },
	[F_WHY] = { "waarom", "why", M_ADV_F_WHY, ADV_MAX_TEXT },
	[F_WHAT] = { "wat", "what", M_ADV_F_WHAT, ADV_MAX_TEXT },
	[F_HOW] = { "hoe", "how", M_ADV_F_HOW, ADV_MAX_TEXT },
	[F_DEADLINE] = { "deadline", "due", M_ADV_F_DEADLINE, WT_MAX_FIELD },
	[F_REQUESTER] = { "gevraagd door", "requested by", M_ADV_F_REQUESTER, WT_MAX_FIELD },
};

struct form {
	struct strbuf v[F_N];
	int seen[F_N];
	int empty[F_N];          /* the field's last line had no value */
	struct strbuf unknown;   /* lines not understood, escaped, "; "-joined */
};

/* The field a "key:" names (case-insensitive, blanks around it ignored),
 * or -1. */
static int field_of(const char *key, size_t len)
{
	while (len && (key[len - 1] == ' ' || key[len - 1] == '\t'))
		len--;
	for (int i = 0; i < F_N; i++) {
		if ((strlen(fields[i].nl) == len && strncasecmp(key, fields[i].nl, len) == 0)
		    || (strlen(fields[i].en) == len && strncasecmp(key, fields[i].en, len) == 0))
			return i;
	}
	if (len == 8 && strncasecmp(key, "deadline", 8) == 0)
		return F_DEADLINE;
	return -1;
}

/* Read the form: the rest of the first line is the title, each further
 * line "key: value" (a later line of the same key wins). */
static void form_parse(const char *args, struct form *f)
{
	const char *p = args_line(args, &f->v[F_TITLE]);
	f->seen[F_TITLE] = f->v[F_TITLE].len > 0;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *line = args_skip_blank(p);
		size_t llen = len - (size_t)(line - p);
		while (llen && (line[llen - 1] == ' ' || line[llen - 1] == '\r' || line[llen - 1] == '\t'))
			llen--;
		const char *colon = memchr(line, ':', llen);
		int fi = colon ? field_of(line, (size_t)(colon - line)) : -1;
		if (fi >= 0) {
			/* The value: after the colon, blanks skipped, never past
			 * the trimmed end of the line. */
			const char *v = colon + 1, *end = line + llen;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			sb_reset(&f->v[fi]);
			sb_addn(&f->v[fi], v, (size_t)(end - v));
			f->seen[fi] = f->v[fi].len > 0;
			f->empty[fi] = !f->seen[fi];
		} else if (llen) {
			char *t = xstrndup(line, llen);
			if (f->unknown.len)
				sb_add(&f->unknown, "; ");
			sb_add_md(&f->unknown, t);
			free(t);
		}
		p = e ? e + 1 : p + len;
	}
}

static void form_init(struct form *f)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < F_N; i++)
		sb_init(&f->v[i]);
	sb_init(&f->unknown);
}

static void form_release(struct form *f)
{
	for (int i = 0; i < F_N; i++)
		sb_release(&f->v[i]);
	sb_release(&f->unknown);
}

/* 1 when the requester field names a stakeholder ("BH3", "SH3"), not a
 * person. */
static int sh_is_code(const char *v)
{
	return (!strncasecmp(v, "bh", 2) || !strncasecmp(v, "sh", 2)) && sh_code_parse(v) > 0;
}

/* aanvrager: BH3 — a stakeholder from the register asked (a GP, a
 * hospital: no Matrix user); the secretary or the chair records it. */
static int requester_stakeholder(struct wt_ctx *ctx, const char *v, struct wt_advice *a,
				 enum msg_id syn)
{
	if (ctx->role < ROLE_SECRETARY)
		return reply_error(ctx, WT_EPERM, M_SH_REQUESTER_ROLE, role_name(ctx, ctx->role));
	struct stakeholder s;
	int rc = sh_read(ctx, v, syn, &s);
	if (rc == WT_OK)
		a->requester_stakeholder = s.id;
	if (rc == WT_OK)
		sh_free(&s);
	return rc;
}

/* Refuse a field line without a value ("thema:" alone): the sender meant
 * something, and dropping it silently would hide the mistake. */
static int form_check_empty(struct wt_ctx *ctx, const struct form *f, enum msg_id syn)
{
	for (int i = 0; i < F_N; i++) {
		if (!f->empty[i])
			continue;
		const char *key = ctx->lang == LANG_EN ? fields[i].en : fields[i].nl;
		return reply_usagef(ctx, WT_EUSAGE, syn, M_FIELD_EMPTY, key, key);
	}
	return WT_OK;
}

/* Check the form and set the fields of a it has (pointing into f); a new
 * request (syn M_ADV_SYN_NEW) needs a title. Adds the error reply and
 * returns negative on bad input. */
static int form_check(struct wt_ctx *ctx, struct form *f, struct wt_advice *a,
		      enum msg_id syn)
{
	if (syn == M_ADV_SYN_NEW && !f->seen[F_TITLE] && !f->empty[F_TITLE])
		return reply_usagef(ctx, WT_EUSAGE, syn, M_ADV_ERR_NO_TITLE);
	if (form_check_empty(ctx, f, syn) != WT_OK)
		return WT_EUSAGE;
	for (int i = 0; i < F_N; i++) {
		int rc = reply_if_too_long(ctx, fields[i].label, f->v[i].buf, fields[i].max);
		if (rc != WT_OK)
			return rc;
	}
	if (f->seen[F_TITLE])
		a->title = f->v[F_TITLE].buf;
	if (f->seen[F_QUESTION])
		a->question = f->v[F_QUESTION].buf;
	if (f->seen[F_WHY])
		a->why = f->v[F_WHY].buf;
	if (f->seen[F_WHAT])
		a->what = f->v[F_WHAT].buf;
	if (f->seen[F_HOW])
		a->how = f->v[F_HOW].buf;
	if (f->seen[F_THEME]) {
		a->theme = (char *)advice_theme_find(ctx->net, f->v[F_THEME].buf);
		if (!a->theme) {
			struct strbuf list = STRBUF_INIT;
			advice_theme_list(&list, ctx->net);
			int rc = reply_error(ctx, WT_EUSAGE, M_ADV_ERR_THEME,
					     ctx_md(ctx, f->v[F_THEME].buf), list.buf);
			sb_release(&list);
			return rc;
		}
	}
	if (f->seen[F_DEADLINE]) {
		const char *d = f->v[F_DEADLINE].buf;
		struct when_out w;
		int err = ctx_when(ctx, d, ADV_DEADLINE_HOUR, 0, &w);
		if (err == WHEN_OK && *args_skip_blank(d + w.used))
			err = WHEN_UNKNOWN;
		if (err == WHEN_OK && w.at <= ctx->now)
			err = WHEN_PAST;
		if (err != WHEN_OK)
			return reply_usagef(ctx, WT_EUSAGE, syn, M_ADV_ERR_DEADLINE, ctx_md(ctx, d),
					    ctx_when_error(ctx, err, 0));
		a->deadline = w.at;
	}
	if (f->seen[F_REQUESTER] && sh_is_code(f->v[F_REQUESTER].buf))
		return requester_stakeholder(ctx, f->v[F_REQUESTER].buf, a, syn);
	if (f->seen[F_REQUESTER]) {
		/* The board member by id, pill, @name or display name. */
		struct strbuf w = STRBUF_INIT, user = STRBUF_INIT, err = STRBUF_INIT;
		const char *after = NULL;
		int rc = WT_OK;
		int pr = ctx->role < ROLE_BOARD ? PERSON_OK
			 : person_read(ctx, f->v[F_REQUESTER].buf, &user, &after, &err);
		if (pr == PERSON_OK && ctx->role >= ROLE_BOARD && *args_skip_blank(after))
			pr = PERSON_BAD;
		if (pr == PERSON_OK && ctx->role >= ROLE_BOARD) {
			sb_reset(&f->v[F_REQUESTER]);
			sb_add(&f->v[F_REQUESTER], user.buf);
		}
		const char *u = f->v[F_REQUESTER].buf;
		sb_add_person(&w, ctx, u);
		if (ctx->role < ROLE_BOARD) {
			rc = reply_error(ctx, WT_EPERM, M_ADV_ERR_ASKED_ROLE,
					 role_name(ctx, ctx->role));
		} else if (pr == PERSON_EDB) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		} else if (pr == PERSON_MANY || (pr == PERSON_BAD && err.len)) {
			rc = reply_usage_md(ctx, WT_EUSAGE, syn, err.buf);
		} else if (pr != PERSON_OK) {
			rc = reply_usagef(ctx, WT_EUSAGE, syn, M_ADV_ERR_REQUESTER_BAD, w.buf);
		} else {
			enum wt_role r = wt_role_of(ctx->db, ctx->net, ctx->admins, u);
			if (r < ROLE_BOARD)
				rc = reply_error(ctx, WT_EUSAGE, M_ADV_ERR_REQUESTER_ROLE, w.buf,
						 role_name(ctx, r));
		}
		sb_release(&w);
		sb_release(&user);
		sb_release(&err);
		if (rc != WT_OK)
			return rc;
		a->requested_by = (char *)u;
		a->requester_stakeholder = 0;
	}
	return WT_OK;
}

/* The fields of a and its deadline, one line each. */
static void add_fields(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_advice *a)
{
	advice_add_fields(sb, ctx, a);
	if (a->deadline) {
		struct strbuf d = STRBUF_INIT;
		when_format(&d, a->deadline, ctx->net->tz, ctx->lang);
		sb_addm(sb, ctx, M_ADV_LINE, T(ctx, M_ADV_F_DEADLINE), d.buf);
		sb_addc(sb, '\n');
		sb_release(&d);
	}
}

/* !advies nieuw <titel> + lines: store the request and say what was read
 * and what is still missing. */
static int advice_new(struct wt_ctx *ctx, const char *args)
{
	struct form f;
	form_init(&f);
	form_parse(args, &f);
	struct wt_advice a = { 0 };
	int rc = form_check(ctx, &f, &a, M_ADV_SYN_NEW);
	if (rc != WT_OK)
		goto out;
	a.network = ctx->net->name;
	a.submitted_by = (char *)ctx->sender;
	a.room = (char *)ctx->room;
	a.created_at = ctx->now;
	a.event_id = (char *)ctx->event_id;
	if (advice_create(ctx->db, &a) < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		goto out;
	}
	struct strbuf sb = STRBUF_INIT, ref = STRBUF_INIT, title = STRBUF_INIT, u = STRBUF_INIT;
	advice_ref(&ref, a.short_id);
	sb_add_md(&title, a.title);
	if (a.requester_stakeholder) {
		sh_add_requester(&u, ctx, a.requester_stakeholder);
		sb_addm(&sb, ctx, M_ADV_CREATED_ASKED, ref.buf, title.buf, u.buf);
	} else if (a.requested_by) {
		sb_add_person(&u, ctx, a.requested_by);
		sb_addm(&sb, ctx, M_ADV_CREATED_ASKED, ref.buf, title.buf, u.buf);
	} else {
		sb_addm(&sb, ctx, M_ADV_CREATED_UNASKED, ref.buf, title.buf);
	}
	sb_add(&sb, "\n\n");
	add_fields(&sb, ctx, &a);
	struct strbuf missing = STRBUF_INIT;
	static const enum form_field wanted[] = { F_QUESTION, F_THEME, F_WHY, F_WHAT, F_HOW, F_DEADLINE };
	const char *names[sizeof wanted / sizeof wanted[0]];
	size_t nmissing = 0;
	for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
		if (!f.seen[wanted[i]])
			names[nmissing++] = ctx->lang == LANG_EN ? fields[wanted[i]].en
								 : fields[wanted[i]].nl;
	sb_addlist(&missing, ctx, names, nmissing);
	sb_addc(&sb, '\n');
	if (missing.len)
		sb_addm(&sb, ctx, M_ADV_MISSING, missing.buf);
	else
		sb_addm(&sb, ctx, M_ADV_COMPLETE);
	if (f.unknown.len) {
		sb_add(&sb, "\n\n");
		sb_addm(&sb, ctx, M_ADV_IGNORED, f.unknown.buf);
	}
	sb_add(&sb, "\n\n");
	sb_addm(&sb, ctx, M_ADV_NEXT_ACCEPT, ref.buf);
	struct wt_reply *r = reply_add(ctx, sb.buf);
	if (a.requested_by)
		reply_mention(r, a.requested_by);
	sb_release(&sb);
	sb_release(&ref);
	sb_release(&title);
	sb_release(&u);
	sb_release(&missing);
out:
	form_release(&f);
	return rc;
}

/* The checks of an edit before its fields are read: open, and the sender
 * is the chair or secretary or submitted or asked for it. */
static int edit_allowed(struct wt_ctx *ctx, const struct wt_advice *a, const char *ref)
{
	if (advice_state_closed(a->state))
		return reply_error(ctx, WT_EUSAGE, M_ADV_ERR_EDIT_CLOSED, ref,
				   T(ctx, advice_state_msg(a->state)));
	return reply_require_role_unless(ctx, ROLE_SECRETARY, advice_is_own(a, ctx->sender),
					 M_ADV_ERR_EDIT_DENIED, ref, role_name(ctx, ctx->role));
}

/* !advies wijzig <id> + lines "veld: waarde" (or one on the same line):
 * change fields of an open request; all are checked before any changes. */
static int advice_edit(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = args_word(args, &w);
	struct wt_advice a;
	int rc = advice_load(ctx, p ? w.buf : NULL, M_ADV_SYN_EDIT, &a);
	sb_release(&w);
	if (rc != WT_OK)
		return rc;
	struct form f;
	form_init(&f);
	struct strbuf body = STRBUF_INIT, ref = STRBUF_INIT, changed = STRBUF_INIT;
	sb_addc(&body, '\n');   /* no title line: every line names its field */
	sb_add(&body, p);
	form_parse(body.buf, &f);
	advice_ref(&ref, a.short_id);
	for (int i = 0; i < F_N; i++)
		if (f.seen[i])
			sb_addf(&changed, "%s%s", changed.len ? ", " : "",
				T(ctx, fields[i].label));
	struct wt_advice upd = a;
	rc = edit_allowed(ctx, &a, ref.buf);
	if (rc == WT_OK && f.unknown.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_EDIT, M_ADV_ERR_EDIT_UNKNOWN, f.unknown.buf);
	else if (rc == WT_OK && form_check_empty(ctx, &f, M_ADV_SYN_EDIT) != WT_OK)
		rc = WT_EUSAGE;
	else if (rc == WT_OK && !changed.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_EDIT, M_ADV_ERR_EDIT_NOTHING);
	if (rc == WT_OK)
		rc = form_check(ctx, &f, &upd, M_ADV_SYN_EDIT);
	if (rc == WT_OK && (advice_update_fields(ctx->db, &upd, ctx->now) < 0
			    || advice_step(ctx->db, &a, "edit", a.state, ctx->sender, ctx->now,
					   ctx->event_id, changed.buf) < 0))
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT, title = STRBUF_INIT;
		sb_add_md(&title, upd.title);
		sb_addm(&sb, ctx, M_ADV_EDITED, ref.buf, title.buf, changed.buf);
		sb_add(&sb, "\n\n");
		add_fields(&sb, ctx, &upd);
		reply_add(ctx, sb.buf);
		sb_release(&sb);
		sb_release(&title);
	}
	sb_release(&body);
	sb_release(&ref);
	sb_release(&changed);
	form_release(&f);
	advice_free(&a);
	return rc;
}

/* !advies lijst [filters] and !advies archief [filters]. */
static int advice_list_cmd(struct wt_ctx *ctx, const char *args)
{
	return advice_cmd_list(ctx, args, 0);
}

static int advice_archive_cmd(struct wt_ctx *ctx, const char *args)
{
	return advice_cmd_list(ctx, args, 1);
}

/* `!advies wijs toe`: the Dutch two-word spelling of toewijzen. */
static const struct wt_command advice_wijs_subs[] = {
	{ { "toe", "toe" }, NULL, ROLE_SECRETARY, M_ADV_SYN_ASSIGN, M_NONE, advice_assign_cmd, 0,
	  NULL },
	WT_SUBS_END,
};

/* The roles: a step's row has the role of its transition in
 * advice_states.c; a step some people tied to the request may take
 * whatever their role (concept: the assignees, intrekken: who submitted or
 * asked) is open to members here and decided there. A unit test
 * (test_advice_states) holds the two tables together. */
const struct wt_command advice_subs[] = {
	{ { "nieuw", "new" }, NULL, ROLE_MEMBER, M_ADV_SYN_NEW, M_NONE, advice_new, 0, NULL },
	{ { "wijzig", "edit" }, NULL, ROLE_MEMBER, M_ADV_SYN_EDIT, M_ADV_HELP_EDIT, advice_edit, 0,
	  NULL },
	{ { "accepteer", "accept" }, NULL, ROLE_SECRETARY, M_ADV_SYN_ACCEPT, M_NONE,
	  advice_accept_cmd, 0, NULL },
	{ { "toewijzen", "assign" }, NULL, ROLE_SECRETARY, M_ADV_SYN_ASSIGN, M_NONE,
	  advice_assign_cmd, 0, NULL },
	{ { "wijs", "wijs" }, NULL, ROLE_SECRETARY, M_ADV_SYN_ASSIGN, M_NONE, NULL, WT_CMD_HIDDEN,
	  advice_wijs_subs },
	{ { "ontkoppel", "unassign" }, NULL, ROLE_SECRETARY, M_ADV_SYN_UNASSIGN, M_NONE,
	  advice_unassign_cmd, 0, NULL },
	{ { "concept", "draft" }, NULL, ROLE_MEMBER, M_ADV_SYN_DRAFT, M_ADV_HELP_DRAFT,
	  advice_draft_cmd, 0, NULL },
	{ { "uitbrengen", "deliver" }, NULL, ROLE_CHAIR, M_ADV_SYN_DELIVER, M_NONE,
	  advice_deliver_cmd, 0, NULL },
	{ { "besluit", "decide" }, NULL, ROLE_BOARD, M_ADV_SYN_DECIDE, M_NONE, advice_decide_cmd, 0,
	  NULL },
	{ { "afwijzen", "decline" }, NULL, ROLE_SECRETARY, M_ADV_SYN_DECLINE, M_NONE,
	  advice_decline_cmd, 0, NULL },
	{ { "intrekken", "withdraw" }, NULL, ROLE_MEMBER, M_ADV_SYN_WITHDRAW, M_ADV_HELP_WITHDRAW,
	  advice_withdraw_cmd, 0, NULL },
	{ { "lijst", "list" }, NULL, ROLE_MEMBER, M_ADV_SYN_OPEN, M_NONE, advice_list_cmd, 0,
	  NULL },
	{ { "archief", "archive" }, NULL, ROLE_MEMBER, M_ADV_SYN_ARCHIVE, M_NONE,
	  advice_archive_cmd, 0, NULL },
	WT_SUBS_END,
};

/* 1 when word starts the open list's filters (`thema`, `status`) or its
 * page (`pagina`). */
static int is_list_option(const char *word)
{
	return args_is(word, "thema", "theme") || args_is(word, "status", "state")
	       || args_is(word, "pagina", "page");
}

/* !advies [<id> | thema ... | status ... | pagina N]: the open list, or
 * one request. */
int cmd_advice(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = args_word(args, &w);
	int rc;
	if (!p || is_list_option(w.buf))
		rc = advice_cmd_list(ctx, args, 0);
	else if (advice_parse_id(w.buf) > 0)
		rc = advice_cmd_show(ctx, w.buf);
	else
		rc = reply_unknown_sub(ctx, w.buf);
	sb_release(&w);
	return rc;
}
