/* The views of !advies: open requests (state, deadline, days left), the
 * archive with outcomes, filters by theme and state, and one request with
 * its full history. */
#include <stdlib.h>
#include <string.h>

#include "handlers/advice_internal.h"
#include "handlers/args.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/reply.h"
#include "handlers/stakeholders.h"
#include "handlers/when.h"

/* Append the valid state words for a filter. */
static void state_words(struct strbuf *sb, const struct wt_ctx *ctx)
{
	for (int s = 0; s < ADVICE_NSTATES; s++) {
		if (s)
			sb_add(sb, ", ");
		sb_add(sb, T(ctx, M_ADV_STATE_WORD_RECEIVED + s));
	}
}

/* Read "thema <t>" and "status <s>" pairs into f. Adds the error reply and
 * returns negative on an unknown filter, theme or state. */
static int read_filters(struct wt_ctx *ctx, const char *p, struct advice_filter *f,
			struct strbuf *desc)
{
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT, md = STRBUF_INIT;
	int rc = WT_OK;
	while (rc == WT_OK && (p = args_word(p, &key))) {
		p = args_word(p, &val);
		sb_reset(&md);
		sb_add_md(&md, key.buf);
		int is_theme = args_is(key.buf, "thema", "theme");
		int is_state = args_is(key.buf, "status", "state");
		if ((!is_theme && !is_state) || !p) {
			rc = reply_usagef(ctx, WT_EUSAGE, M_ADV_SYN_LIST, M_ADV_ERR_BAD_FILTER, md.buf);
			break;
		}
		sb_reset(&md);
		sb_add_md(&md, val.buf);
		if (is_theme) {
			f->theme = advice_theme_find(ctx->net, val.buf);
			if (!f->theme) {
				struct strbuf list = STRBUF_INIT;
				advice_theme_list(&list, ctx->net);
				rc = reply_error(ctx, WT_EUSAGE, M_ADV_ERR_THEME, md.buf, list.buf);
				sb_release(&list);
				break;
			}
			if (desc->len)
				sb_add(desc, ", ");
			sb_reset(&md);
			sb_add_md(&md, f->theme);
			sb_addm(desc, ctx, M_ADV_FILTER_THEME, md.buf);
		} else {
			f->state = advice_state_word(val.buf);
			if (f->state < 0) {
				struct strbuf list = STRBUF_INIT;
				state_words(&list, ctx);
				rc = reply_error(ctx, WT_EUSAGE, M_ADV_ERR_BAD_STATE, md.buf, list.buf);
				sb_release(&list);
				break;
			}
			if (desc->len)
				sb_add(desc, ", ");
			sb_addm(desc, ctx, M_ADV_FILTER_STATE,
				T(ctx, advice_state_msg((enum advice_state)f->state)));
		}
	}
	sb_release(&key);
	sb_release(&val);
	sb_release(&md);
	return rc;
}

/* One line of the open list. */
static void open_item(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_advice *a)
{
	struct strbuf ref = STRBUF_INIT, md = STRBUF_INIT;
	advice_ref(&ref, a->short_id);
	sb_add_md(&md, a->title);
	sb_addm(sb, ctx, M_ADV_ITEM, ref.buf, md.buf, T(ctx, advice_state_msg(a->state)));
	if (a->deadline) {
		struct strbuf d = STRBUF_INIT, left = STRBUF_INIT;
		when_format_date(&d, a->deadline, ctx->net->tz, ctx->lang);
		if (advice_state_pending(a->state)) {
			advice_days_left(&left, ctx, a->deadline);
			sb_addm(sb, ctx, M_ADV_ITEM_DEADLINE_LEFT, d.buf, left.buf);
		} else {
			sb_addm(sb, ctx, M_ADV_ITEM_DEADLINE, d.buf);
		}
		sb_release(&d);
		sb_release(&left);
	} else {
		sb_addm(sb, ctx, M_ADV_ITEM_NO_DEADLINE);
	}
	sb_reset(&md);
	if (a->requester_stakeholder) {
		sh_add_requester(&md, ctx, a->requester_stakeholder);
		sb_addm(sb, ctx, M_ADV_ITEM_ASKED, md.buf);
	} else if (a->requested_by) {
		sb_add_person(&md, ctx, a->requested_by);
		sb_addm(sb, ctx, M_ADV_ITEM_ASKED, md.buf);
	} else {
		sb_addm(sb, ctx, M_ADV_ITEM_UNASKED);
	}
	if (a->theme) {
		sb_reset(&md);
		sb_add_md(&md, a->theme);
		sb_addm(sb, ctx, M_ADV_ITEM_THEME, md.buf);
	}
	sb_addc(sb, '\n');
	sb_release(&ref);
	sb_release(&md);
}

/* One line of the archive: how it ended. */
static void closed_item(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_advice *a)
{
	struct strbuf ref = STRBUF_INIT, md = STRBUF_INIT, note = STRBUF_INIT, d = STRBUF_INIT;
	advice_ref(&ref, a->short_id);
	sb_add_md(&md, a->title);
	if (a->note)
		sb_add_md(&note, a->note);
	when_format_date(&d, a->updated_at, ctx->net->tz, ctx->lang);
	if (a->state == ADVICE_DECIDED)
		sb_addm(sb, ctx, M_ADV_ARCH_DECIDED, ref.buf, md.buf,
			T(ctx, advice_outcome_msg(a->outcome)), note.buf, d.buf);
	else if (a->state == ADVICE_DECLINED)
		sb_addm(sb, ctx, M_ADV_ARCH_DECLINED, ref.buf, md.buf, note.buf, d.buf);
	else
		sb_addm(sb, ctx, M_ADV_ARCH_WITHDRAWN, ref.buf, md.buf, d.buf);
	sb_addc(sb, '\n');
	sb_release(&ref);
	sb_release(&md);
	sb_release(&note);
	sb_release(&d);
}

int advice_cmd_list(struct wt_ctx *ctx, const char *args, int closed)
{
	long long total = 0;
	struct wt_page pg;
	struct strbuf desc = STRBUF_INIT, rest = STRBUF_INIT;
	int rc = page_take(ctx, args, &rest, &pg);
	struct advice_filter f = { .closed = closed, .theme = NULL, .state = -1,
				   .limit = pg.limit, .offset = pg.offset, .total = &total,
				   .count_limit = page_count_limit(&pg) };
	if (rc == WT_OK)
		rc = read_filters(ctx, rest.buf, &f, &desc);
	sb_release(&rest);
	if (rc != WT_OK) {
		sb_release(&desc);
		return rc;
	}
	/* A closed state asks for the archive, an open one for the list. */
	if (f.state >= 0)
		f.closed = advice_state_closed((enum advice_state)f.state);
	struct wt_advice *v = NULL;
	int n = advice_list(ctx->db, ctx->net->name, &f, &v);
	if (n < 0) {
		sb_release(&desc);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if ((rc = page_check(ctx, &pg, total)) != WT_OK) {
		sb_release(&desc);
		advice_list_free(v, (size_t)n);
		return rc;
	}
	struct strbuf sb = STRBUF_INIT;
	if (n == 0) {
		sb_addm(&sb, ctx, f.closed ? M_ADV_ARCHIVE_EMPTY : M_ADV_LIST_EMPTY);
	} else {
		struct strbuf all = STRBUF_INIT;
		page_total(&all, ctx, &pg, total);
		sb_addm(&sb, ctx, f.closed ? M_ADV_ARCHIVE_HEADER : M_ADV_LIST_HEADER, all.buf);
		sb_release(&all);
		sb_add(&sb, "\n\n");
		for (int i = 0; i < n; i++)
			(f.closed ? closed_item : open_item)(&sb, ctx, &v[i]);
		page_footer(&sb, ctx, &pg, n, total, closed ? "advies archief" : "advies",
			    closed ? "advice archive" : "advice");
	}
	if (desc.len) {
		sb_add(&sb, "\n");
		sb_addm(&sb, ctx, M_ADV_FILTER, desc.buf);
	}
	if (!f.closed && n > 0) {
		sb_add(&sb, "\n\n");
		sb_addm(&sb, ctx, M_ADV_LIST_FOOTER);
	}
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&desc);
	advice_list_free(v, n > 0 ? (size_t)n : 0);
	return WT_OK;
}

/* The history action's catalogue text. */
static enum msg_id history_msg(const char *action)
{
	static const struct { const char *name; enum msg_id id; } names[] = {
		{ "submit", M_ADV_H_SUBMIT }, { "accept", M_ADV_H_ACCEPT },
		{ "assign", M_ADV_H_ASSIGN }, { "draft", M_ADV_H_DRAFT },
		{ "deliver", M_ADV_H_DELIVER }, { "decide", M_ADV_H_DECIDE },
		{ "decline", M_ADV_H_DECLINE }, { "withdraw", M_ADV_H_WITHDRAW },
		{ "edit", M_ADV_H_EDIT }, { "unassign", M_ADV_H_UNASSIGN },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (action && strcmp(action, names[i].name) == 0)
			return names[i].id;
	return M_ADV_H_OTHER;
}

/* Append an (un)assignment's note, the ids "@a:x, @b:y", by name. */
static void add_note_people(struct strbuf *sb, const struct wt_ctx *ctx, const char *note)
{
	struct strbuf id = STRBUF_INIT;
	for (const char *p = note; *p;) {
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		sb_reset(&id);
		sb_addn(&id, p, n);
		if (p != note)
			sb_add(sb, ", ");
		sb_add_person(sb, ctx, id.buf);
		p += n;
		if (end)
			p += 2;
	}
	sb_release(&id);
}

/* Append the history lines of a. */
static void add_history(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_advice *a)
{
	struct wt_advice_event *h = NULL;
	int n = advice_history(ctx->db, a->id, &h);
	sb_addm(sb, ctx, M_ADV_SHOW_HISTORY);
	sb_add(sb, "\n\n");
	for (int i = 0; i < n; i++) {
		struct strbuf when = STRBUF_INIT, who = STRBUF_INIT, what = STRBUF_INIT;
		when_format(&when, h[i].at, ctx->net->tz, ctx->lang);
		sb_add_person(&who, ctx, h[i].actor);
		sb_add(&what, T(ctx, history_msg(h[i].action)));
		if (h[i].from >= 0 && h[i].from != (int)h[i].to)
			sb_addf(&what, " (%s → %s)",
				T(ctx, advice_state_msg((enum advice_state)h[i].from)),
				T(ctx, advice_state_msg(h[i].to)));
		if (h[i].note && strcmp(h[i].action, "draft") == 0) {
			sb_add(&what, ": ");
			sb_addcount(&what, ctx, M_N_CHAR_ONE, (long long)utf8_chars(h[i].note));
		} else if (h[i].note && (strcmp(h[i].action, "assign") == 0
					 || strcmp(h[i].action, "unassign") == 0)) {
			sb_add(&what, ": ");
			add_note_people(&what, ctx, h[i].note);
		} else if (h[i].note) {
			sb_add(&what, ": ");
			sb_add_md(&what, h[i].note);
		}
		sb_addm(sb, ctx, M_ADV_H_ITEM, when.buf, who.buf, what.buf);
		sb_addc(sb, '\n');
		sb_release(&when);
		sb_release(&who);
		sb_release(&what);
	}
	if (n > 0)
		advice_history_free(h, (size_t)n);
}

int advice_cmd_show(struct wt_ctx *ctx, const char *word)
{
	struct wt_advice a;
	int rc = advice_load(ctx, word, M_SYN_ADVICE, &a);
	if (rc != WT_OK)
		return rc;
	struct strbuf sb = STRBUF_INIT, ref = STRBUF_INIT, md = STRBUF_INIT, u = STRBUF_INIT;
	advice_ref(&ref, a.short_id);
	sb_add_md(&md, a.title);
	sb_addm(&sb, ctx, M_ADV_SHOW_HEADER, ref.buf, md.buf);
	sb_add(&sb, "\n\n");
	sb_reset(&md);
	sb_add_person(&md, ctx, a.submitted_by);
	if (a.requester_stakeholder) {
		sh_add_requester(&u, ctx, a.requester_stakeholder);
		sb_addm(&sb, ctx, M_ADV_SHOW_ASKED, u.buf, md.buf);
	} else if (a.requested_by) {
		sb_add_person(&u, ctx, a.requested_by);
		sb_addm(&sb, ctx, M_ADV_SHOW_ASKED, u.buf, md.buf);
	} else {
		sb_addm(&sb, ctx, M_ADV_SHOW_UNASKED, md.buf);
	}
	sb_add(&sb, "\n");
	sb_addm(&sb, ctx, M_ADV_SHOW_STATE, T(ctx, advice_state_msg(a.state)));
	sb_add(&sb, "\n\n");
	advice_add_fields(&sb, ctx, &a);
	if (a.deadline) {
		struct strbuf d = STRBUF_INIT, left = STRBUF_INIT;
		when_format(&d, a.deadline, ctx->net->tz, ctx->lang);
		if (advice_state_pending(a.state)) {
			advice_days_left(&left, ctx, a.deadline);
			sb_addf(&d, " (%s)", left.buf);
		}
		sb_addm(&sb, ctx, M_ADV_LINE, T(ctx, M_ADV_F_DEADLINE), d.buf);
		sb_addc(&sb, '\n');
		sb_release(&d);
		sb_release(&left);
	}
	char **users = NULL;
	int n = advice_assignees(ctx->db, a.id, &users);
	if (n > 0) {
		struct strbuf names = STRBUF_INIT;
		advice_add_users(&names, ctx, NULL, users, (size_t)n);
		sb_addm(&sb, ctx, M_ADV_LINE, T(ctx, M_ADV_F_ASSIGNEES), names.buf);
		sb_addc(&sb, '\n');
		sb_release(&names);
		advice_strings_free(users, (size_t)n);
	}
	if (a.state == ADVICE_DECIDED) {
		sb_reset(&md);
		if (a.note)
			sb_add_md(&md, a.note);
		sb_add(&sb, "\n");
		sb_addm(&sb, ctx, M_ADV_SHOW_OUTCOME, T(ctx, advice_outcome_msg(a.outcome)), md.buf);
		sb_add(&sb, "\n");
	} else if (a.note) {
		sb_reset(&md);
		sb_add_md(&md, a.note);
		sb_add(&sb, "\n");
		sb_addm(&sb, ctx, M_ADV_SHOW_REASON, md.buf);
		sb_add(&sb, "\n");
	}
	if (a.draft) {
		struct strbuf d = STRBUF_INIT;
		sb_reset(&u);
		sb_add_person(&u, ctx, a.draft_by ? a.draft_by : "");
		when_format(&d, a.draft_at, ctx->net->tz, ctx->lang);
		sb_add(&sb, "\n");
		sb_addm(&sb, ctx, M_ADV_SHOW_DRAFT, u.buf, d.buf);
		sb_add(&sb, "\n\n");
		advice_add_text(&sb, a.draft);
		sb_add(&sb, "\n");
		sb_release(&d);
	}
	sb_add(&sb, "\n");
	add_history(&sb, ctx, &a);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&ref);
	sb_release(&md);
	sb_release(&u);
	advice_free(&a);
	return WT_OK;
}
