/* !belanghebbenden / !stakeholders: the stakeholder register of a network
 * (issue 19, item 4): the GPs, hospitals, care offices and municipalities
 * the round table involves or informs, most of them no Matrix users.
 *
 *   !belanghebbenden [pagina N]              the register
 *   !belanghebbenden BH1                     one in full, with its lines,
 *                                            agenda items and advice asked
 *   !belanghebbenden nieuw <naam>            (+ lines "soort:", "contact:",
 *                                            "betrokkenheid: betrekken|informeren",
 *                                            "actielijnen: AL1 AL2")
 *   !belanghebbenden wijzig BH1 naam|soort|contact|betrokkenheid <waarde>
 *   !belanghebbenden koppel BH1 AL1 #12 ...  lines and agenda items (#12)
 *   !belanghebbenden ontkoppel BH1 AL1 #12 ...
 *   !belanghebbenden weg BH1
 *
 * An advice request names one as its requester with `aanvrager: BH1`
 * (handlers/advice.c); !advies shows it, and so do `!al <code>` and the
 * line's quarterly report (handlers/stakeholders.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/page.h"
#include "handlers/reply.h"
#include "handlers/stakeholders.h"
#include "storage/agenda.h"
#include "storage/stakeholders.h"

long long sh_code_parse(const char *word)
{
	if (!strncasecmp(word, "bh", 2) || !strncasecmp(word, "sh", 2)) {
		word += 2;
		if (*word == '-')
			word++;
	}
	return args_id(word);
}

void sh_add_code(struct strbuf *sb, const struct wt_ctx *ctx, const struct stakeholder *s)
{
	sb_addf(sb, "%s%lld", ctx->lang == LANG_EN ? "SH" : "BH", s->short_id);
}

/* "BH1 Huisartsenpraktijk De Linde (huisarts, betrekken)". */
void sh_add_label(struct strbuf *sb, struct wt_ctx *ctx, const struct stakeholder *s)
{
	sb_add(sb, "**");
	sh_add_code(sb, ctx, s);
	sb_add(sb, "** ");
	sb_add_md(sb, s->name);
	sb_add(sb, " (");
	if (s->kind && *s->kind) {
		sb_add_md(sb, s->kind);
		sb_add(sb, ", ");
	}
	sb_add(sb, T(ctx, s->engage == SH_INVOLVE ? M_SH_INVOLVE : M_SH_INFORM));
	sb_addc(sb, ')');
}

int sh_read(struct wt_ctx *ctx, const char *word, enum msg_id syn, struct stakeholder *s)
{
	long long sid = sh_code_parse(word);
	int found = sid > 0 ? sh_load(ctx->db, ctx->net->name, sid, s) : 0;
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_usage_text(ctx, WT_ENOTFOUND, syn, M_SH_UNKNOWN, word);
	return WT_OK;
}

/* Read the code at the start of p into *s; *rest after it. */
static int read_code(struct wt_ctx *ctx, const char *p, enum msg_id syn,
		     struct stakeholder *s, const char **rest)
{
	struct strbuf w = STRBUF_INIT;
	*rest = args_word(p, &w);
	int rc = *rest ? sh_read(ctx, w.buf, syn, s)
		 : reply_usagef(ctx, WT_EUSAGE, syn, M_SH_NO_CODE);
	sb_release(&w);
	return rc;
}

/* "betrekken" / "involve" -> SH_INVOLVE, "informeren" / "inform" ->
 * SH_INFORM, else -1. */
static int engage_word(const char *w)
{
	if (args_is(w, "betrekken", "involve") || args_is(w, "betrokken", "involved"))
		return SH_INVOLVE;
	if (args_is(w, "informeren", "inform") || args_is(w, "geinformeerd", "informed"))
		return SH_INFORM;
	return -1;
}

/* The links in "AL1 #12 ..." at p, added (link) or removed; the list of
 * what was done goes into done. The first bad word refuses. */
static int links(struct wt_ctx *ctx, const struct stakeholder *s, const char *p, int link,
		 enum msg_id syn, struct strbuf *done)
{
	struct strbuf w = STRBUF_INIT;
	int rc = WT_OK, n = 0;
	while (rc == WT_OK && (p = args_word(p, &w))) {
		long long line_id = 0, item_id = 0;
		if (w.buf[0] == '#') {
			struct wt_agenda_item it = { 0 };
			int f = agenda_by_short_id(ctx->db, ctx->net->name, args_id(w.buf), &it);
			item_id = f == 1 ? it.id : 0;
			rc = f < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : f == 0
			     ? reply_usage_text(ctx, WT_ENOTFOUND, syn, M_SH_UNKNOWN_ITEM, w.buf) : WT_OK;
			agenda_item_free(&it);
		} else if (al_code_parse(w.buf) > 0 && !strncasecmp(w.buf, "al", 2)) {
			struct actionline l;
			int f = al_load(ctx->db, ctx->net->name, al_code_parse(w.buf), &l);
			line_id = f == 1 ? l.id : 0;
			rc = f < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : f == 0
			     ? reply_usage_text(ctx, WT_ENOTFOUND, syn, M_SH_UNKNOWN_LINE, w.buf) : WT_OK;
			if (f == 1)
				al_free(&l);
		} else {
			rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_SH_BAD_LINK, w.buf);
		}
		int r = rc != WT_OK ? 0 : link ? sh_link(ctx->db, s->id, line_id, item_id)
			: sh_unlink(ctx->db, s->id, line_id, item_id);
		if (rc == WT_OK && r < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (rc == WT_OK && !link && r == 0)
			rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_SH_NOT_LINKED, w.buf);
		if (rc == WT_OK) {
			if (n++)
				sb_add(done, ", ");
			sb_add_md(done, w.buf);
		}
	}
	if (rc == WT_OK && !n)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_SH_NEED_LINK);
	sb_release(&w);
	return rc;
}

/* The field lines `nieuw` reads. */
static const struct args_key new_keys[] = {
	{ "soort", "kind" }, { "contact", "contact" }, { "betrokkenheid", "engagement" },
	{ "actielijnen", "action lines" }, { "actielijn", "action line" },
};

/* nieuw <naam> + field lines. */
static int sh_new_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf name = STRBUF_INIT, kind = STRBUF_INIT, contact = STRBUF_INIT,
		      eng = STRBUF_INIT, al = STRBUF_INIT, done = STRBUF_INIT;
	const char *rest = args_line(args, &name);
	int rc = !name.len ? reply_usagef(ctx, WT_EUSAGE, M_SH_SYN_NEW, M_SH_NEED_NAME)
		 : reply_if_too_long(ctx, M_FIELD_TITLE, name.buf, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = reply_if_empty_field(ctx, rest, new_keys, sizeof new_keys / sizeof new_keys[0],
					  M_SH_SYN_NEW);
	struct stakeholder s = { 0 };
	s.network = (char *)ctx->net->name;
	s.name = name.buf;
	s.created_by = (char *)ctx->sender;
	s.created_at = ctx->now;
	if (rc == WT_OK && args_field(rest, "soort", "kind", &kind)) {
		rc = reply_if_too_long(ctx, M_SH_F_KIND, kind.buf, WT_MAX_FIELD);
		s.kind = kind.buf;
	}
	if (rc == WT_OK && args_field(rest, "contact", "contact", &contact)) {
		rc = reply_if_too_long(ctx, M_SH_F_CONTACT, contact.buf, WT_MAX_FIELD);
		s.contact = contact.buf;
	}
	if (rc == WT_OK && args_field(rest, "betrokkenheid", "engagement", &eng)) {
		int e = engage_word(eng.buf);
		if (e < 0)
			rc = reply_usage_text(ctx, WT_EUSAGE, M_SH_SYN_NEW, M_SH_BAD_ENGAGE, eng.buf);
		s.engage = e < 0 ? SH_INFORM : (enum sh_engage)e;
	}
	if (rc == WT_OK && sh_create(ctx->db, &s) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK && (args_field(rest, "actielijnen", "action lines", &al) ||
			    args_field(rest, "actielijn", "action line", &al)))
		rc = links(ctx, &s, al.buf, 1, M_SH_SYN_NEW, &done);
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, "✅ ");
		sb_addm(&sb, ctx, M_SH_CREATED, "");
		sh_add_label(&sb, ctx, &s);
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	sb_release(&name);
	sb_release(&kind);
	sb_release(&contact);
	sb_release(&eng);
	sb_release(&al);
	sb_release(&done);
	return rc;
}

/* wijzig BH1 naam|soort|contact|betrokkenheid <waarde> */
static int sh_edit_cmd(struct wt_ctx *ctx, const char *args)
{
	struct stakeholder s;
	const char *p;
	int rc = read_code(ctx, args, M_SH_SYN_EDIT, &s, &p);
	if (rc != WT_OK)
		return rc;
	struct strbuf w = STRBUF_INIT, v = STRBUF_INIT;
	p = args_word(p, &w);
	if (p)
		args_line(p, &v);
	int field = !p ? -1 : args_is(w.buf, "naam", "name") ? SH_NAME
		    : args_is(w.buf, "soort", "kind") ? SH_KIND
		    : args_is(w.buf, "contact", "contact") ? SH_CONTACT
		    : args_is(w.buf, "betrokkenheid", "engagement") ? 3 : -1;
	if (field < 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, M_SH_SYN_EDIT, M_SH_UNKNOWN_FIELD, p ? w.buf : "");
	else if (field == SH_NAME && !v.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SH_SYN_EDIT, M_SH_NEED_NAME);
	else if (field != 3)
		rc = reply_if_too_long(ctx, M_SH_F_CONTACT, v.buf, WT_MAX_FIELD);
	int e = field == 3 ? engage_word(v.buf) : 0;
	if (rc == WT_OK && e < 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, M_SH_SYN_EDIT, M_SH_BAD_ENGAGE, v.buf);
	if (rc == WT_OK && (field == 3 ? sh_set_engage(ctx->db, s.id, (enum sh_engage)e)
			    : sh_set_text(ctx->db, s.id, (enum sh_field)field,
					  v.len ? v.buf : NULL)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct stakeholder now;
		if (sh_load_id(ctx->db, s.id, &now) == 1) {
			struct strbuf sb = STRBUF_INIT;
			sb_add(&sb, "✅ ");
			sb_addm(&sb, ctx, M_SH_EDITED, "");
			sh_add_label(&sb, ctx, &now);
			reply_add(ctx, sb.buf);
			sb_release(&sb);
			sh_free(&now);
		}
	}
	sb_release(&w);
	sb_release(&v);
	sh_free(&s);
	return rc;
}

/* koppel / ontkoppel BH1 AL1 #12 ... */
static int link_cmd(struct wt_ctx *ctx, const char *args, int link)
{
	enum msg_id syn = link ? M_SH_SYN_LINK : M_SH_SYN_UNLINK;
	struct stakeholder s;
	const char *p;
	int rc = read_code(ctx, args, syn, &s, &p);
	if (rc != WT_OK)
		return rc;
	struct strbuf done = STRBUF_INIT, code = STRBUF_INIT;
	sh_add_code(&code, ctx, &s);
	rc = links(ctx, &s, p, link, syn, &done);
	if (rc == WT_OK)
		reply_msgf(ctx, link ? M_SH_LINKED : M_SH_UNLINKED, code.buf, done.buf);
	sb_release(&done);
	sb_release(&code);
	sh_free(&s);
	return rc;
}

static int sh_link_cmd(struct wt_ctx *ctx, const char *args)
{
	return link_cmd(ctx, args, 1);
}

static int sh_unlink_cmd(struct wt_ctx *ctx, const char *args)
{
	return link_cmd(ctx, args, 0);
}

/* weg BH1 */
static int sh_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	struct stakeholder s;
	const char *p;
	int rc = read_code(ctx, args, M_SH_SYN_REMOVE, &s, &p);
	if (rc != WT_OK)
		return rc;
	rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && sh_delete(ctx->db, s.id) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, "✅ ");
		sb_addm(&sb, ctx, M_SH_REMOVED, "");
		sh_add_label(&sb, ctx, &s);
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	sh_free(&s);
	return rc;
}

/* The links of s: "AL1, AL2" and "#12" (or "none"). */
static void add_links(struct strbuf *sb, struct wt_ctx *ctx, const struct stakeholder *s)
{
	struct strbuf a = STRBUF_INIT;
	for (size_t i = 0; i < s->nlines; i++)
		sb_addf(&a, "%sAL%lld", i ? ", " : "", s->lines[i]);
	for (size_t i = 0; i < s->nitems; i++)
		sb_addf(&a, "%s#%lld", a.len ? ", " : "", s->items[i]);
	if (a.len)
		sb_addm(sb, ctx, M_SH_INVOLVED_IN, a.buf);
	else
		sb_add(sb, T(ctx, M_SH_NOTHING));
	sb_release(&a);
}

/* BH1: one in full. */
static int show_one(struct wt_ctx *ctx, const char *word)
{
	struct stakeholder s;
	int rc = sh_read(ctx, word, M_SYN_STAKEHOLDERS, &s);
	if (rc != WT_OK)
		return rc;
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT;
	sh_add_label(&sb, ctx, &s);
	if (s.contact && *s.contact) {
		sb_add(&sb, "\\\n");
		sb_add_md(&a, s.contact);
		sb_addm(&sb, ctx, M_SH_CONTACT, a.buf);
	}
	sb_add(&sb, "\\\n");
	add_links(&sb, ctx, &s);
	long long *ids = NULL;
	int n = sh_requests_of(ctx->db, s.id, &ids);
	if (n > 0) {
		sb_reset(&a);
		for (int i = 0; i < n; i++)
			sb_addf(&a, "%sA%lld", i ? ", " : "", ids[i]);
		sb_add(&sb, "\\\n");
		sb_addm(&sb, ctx, M_SH_ASKED, a.buf);
	}
	free(ids);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&a);
	sh_free(&s);
	return WT_OK;
}

/* The register, one line each. */
static int list_all(struct wt_ctx *ctx, const char *args)
{
	struct wt_page pg;
	int rc = page_only(ctx, args, &pg, M_SYN_STAKEHOLDERS);
	struct stakeholder *v = NULL;
	size_t n = 0;
	long long total = 0;
	if (rc == WT_OK && sh_list_page(ctx->db, ctx->net->name, pg.limit, pg.offset, &v, &n,
					&total) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		rc = page_check(ctx, &pg, total);
	if (rc == WT_OK && !n)
		reply_msgf(ctx, M_SH_NONE);
	if (rc == WT_OK && n) {
		struct strbuf sb = STRBUF_INIT;
		sb_addm(&sb, ctx, M_SH_HEAD, total);
		sb_add(&sb, "\n\n");
		for (size_t i = 0; i < n; i++) {
			sb_add(&sb, "- ");
			sh_add_label(&sb, ctx, &v[i]);
			sb_add(&sb, "; ");
			add_links(&sb, ctx, &v[i]);
			sb_addc(&sb, '\n');
		}
		page_footer(&sb, ctx, &pg, (long long)n, total, "belanghebbenden", "stakeholders");
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	sh_free_list(v, n);
	return rc;
}

void sh_show_for_line(struct strbuf *sb, struct wt_ctx *ctx, long long line_id,
		      const char *before)
{
	struct stakeholder *v = NULL;
	size_t n = 0;
	if (sh_of_line(ctx->db, line_id, &v, &n) < 0 || !n)
		return;
	struct strbuf a = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_add(&a, ", ");
		sh_add_label(&a, ctx, &v[i]);
	}
	sb_add(sb, before);
	sb_addm(sb, ctx, M_SH_OF_LINE, a.buf);
	sb_release(&a);
	sh_free_list(v, n);
}

void sh_add_requester(struct strbuf *sb, struct wt_ctx *ctx, long long sh_id)
{
	struct stakeholder s;
	if (sh_load_id(ctx->db, sh_id, &s) != 1) {
		sb_add(sb, "?");
		return;
	}
	sh_add_label(sb, ctx, &s);
	sh_free(&s);
}

const struct wt_command stakeholder_subs[] = {
	{ { "nieuw", "new" }, "add toevoegen", ROLE_SECRETARY, M_SH_SYN_NEW, M_NONE, sh_new_cmd, 0,
	  NULL },
	{ { "wijzig", "edit" }, "set", ROLE_SECRETARY, M_SH_SYN_EDIT, M_NONE, sh_edit_cmd, 0, NULL },
	{ { "koppel", "link" }, NULL, ROLE_SECRETARY, M_SH_SYN_LINK, M_NONE, sh_link_cmd, 0, NULL },
	{ { "ontkoppel", "unlink" }, NULL, ROLE_SECRETARY, M_SH_SYN_UNLINK, M_NONE, sh_unlink_cmd,
	  0, NULL },
	{ { "weg", "remove" }, "verwijder del", ROLE_SECRETARY, M_SH_SYN_REMOVE, M_NONE,
	  sh_remove_cmd, 0, NULL },
	WT_SUBS_END,
};

/* !belanghebbenden [BH1 | pagina N] */
int cmd_stakeholders(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	int rc;
	if (!rest || args_is(w.buf, "pagina", "page"))
		rc = list_all(ctx, args);
	else if (sh_code_parse(w.buf) <= 0)
		rc = reply_unknown_sub(ctx, w.buf);
	else if ((rc = reply_if_extra(ctx, rest)) == WT_OK)
		rc = show_one(ctx, w.buf);
	sb_release(&w);
	return rc;
}
