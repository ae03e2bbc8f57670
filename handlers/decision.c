/* decision: the decisions register and undo.
 *
 *   !besluit <tekst>      log a decision (in the open meeting, else standalone)
 *   !besluit <id>         show one, with a link to the message it came from
 *   !besluiten [filters]  the register, newest first: words to search for,
 *                         thema:<thema>, AL<n>, A<n>, a period (2027,
 *                         2027-03, 2027-K1 / 2027-Q1)
 *   !ongedaan             remove the last item you logged
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/meeting_mode.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/agenda.h"
#include "storage/decisions.h"
#include "storage/meetings.h"
#include "storage/minutes.h"

/* Append the matrix.to permalink of event in room, percent-encoded, with
 * the room's server as via. */
static void add_permalink(struct strbuf *sb, const char *room, const char *event)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *ids[2] = { room, event };
	sb_add(sb, "https://matrix.to/#/");
	for (int k = 0; k < 2; k++) {
		if (k)
			sb_addc(sb, '/');
		for (const unsigned char *p = (const unsigned char *)ids[k]; *p; p++) {
			if (isalnum(*p) || strchr("-._~", *p)) {
				sb_addc(sb, (char)*p);
			} else {
				sb_addc(sb, '%');
				sb_addc(sb, hex[*p >> 4]);
				sb_addc(sb, hex[*p & 15]);
			}
		}
	}
	const char *server = strchr(room, ':');
	if (server && server[1]) {
		sb_add(sb, "?via=");
		for (const unsigned char *p = (const unsigned char *)server + 1; *p; p++) {
			if (isalnum(*p) || strchr("-._~", *p)) {
				sb_addc(sb, (char)*p);
			} else {
				sb_addc(sb, '%');
				sb_addc(sb, hex[*p >> 4]);
				sb_addc(sb, hex[*p & 15]);
			}
		}
	}
}

/* The date a decision carries in !besluit <id> and !besluiten alike: for a
 * decision of a meeting (found in *m, *in_meeting 1) the day that meeting
 * was held (opened; never opened: its planned start), else the day it was
 * logged. Written as a short date into sb. */
static void decision_date(struct wt_ctx *ctx, const struct wt_logged *d, struct wt_meeting *m,
			  int *in_meeting, struct strbuf *sb)
{
	time_t day = d->created_at;
	*in_meeting = d->meeting_id && meeting_by_id(ctx->db, d->meeting_id, m) == 1;
	if (*in_meeting) {
		struct wt_run run = { 0 };
		day = run_of_meeting(ctx->db, d->meeting_id, &run) == 1 && run.opened_at
		      ? run.opened_at : m->starts_at;
		run_free(&run);
	}
	when_format_date(sb, day, ctx->net->tz, ctx->lang);
}

/* Reply with one decision: text, meeting and item, who logged it when,
 * the permalink. */
static int show_decision(struct wt_ctx *ctx, long long sid)
{
	struct wt_logged d = { 0 };
	int found = logged_by_short_id(ctx->db, ctx->net->name, LOGGED_DECISION, sid, &d);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_error(ctx, WT_ENOTFOUND, M_MM_ERR_DEC_NOT_FOUND, sid);
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	sb_addm(&sb, ctx, M_MM_DEC_HEAD, sid);
	sb_add(&sb, "\n\n");
	sb_add_md(&sb, d.text);
	sb_add(&sb, "\n");
	struct wt_meeting m = { 0 };
	int in_meeting;
	decision_date(ctx, &d, &m, &in_meeting, &b);
	if (in_meeting) {
		sb_add_md(&a, m.title);
		sb_add(&sb, "\n- ");
		sb_addm(&sb, ctx, M_MM_DEC_MEETING, m.short_id, a.buf, b.buf);
	} else {
		sb_add(&sb, "\n- ");
		sb_add(&sb, T(ctx, M_MM_DEC_NO_MEETING));
	}
	struct wt_agenda_item *items = NULL;
	int n = d.agenda_item_id ? agenda_list(ctx->db, ctx->net->name, d.meeting_id, &items) : 0;
	for (int i = 0; i < n; i++) {
		if (items[i].id != d.agenda_item_id)
			continue;
		sb_reset(&a);
		sb_add_md(&a, items[i].title);
		sb_add(&sb, "\n- ");
		sb_addm(&sb, ctx, M_MM_DEC_ITEM, a.buf);
		if (items[i].theme) {
			sb_reset(&a);
			sb_add_md(&a, items[i].theme);
			sb_add(&sb, "\n- ");
			sb_addm(&sb, ctx, M_MM_MIN_THEME, a.buf);
		}
	}
	if (d.action_line || d.advice) {
		sb_add(&sb, "\n-");
		if (d.action_line)
			sb_addm(&sb, ctx, M_MM_LINK_AL, d.action_line);
		if (d.advice)
			sb_addm(&sb, ctx, M_MM_LINK_ADVICE, d.advice);
	}
	sb_reset(&a);
	sb_reset(&b);
	sb_add_person(&a, ctx, d.logged_by);
	when_format_long(&b, d.created_at, ctx->now, ctx->net->tz, ctx->lang);
	sb_add(&sb, "\n- ");
	sb_addm(&sb, ctx, M_MM_DEC_BY, a.buf, b.buf);
	if (d.edited_at) {
		sb_reset(&b);
		when_format_long(&b, d.edited_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_add(&sb, "\n- ");
		sb_addm(&sb, ctx, M_MM_DEC_EDITED, b.buf);
	}
	if (d.event_id && d.room && d.room[0] == '!' && d.event_id[0] == '$') {
		sb_reset(&a);
		add_permalink(&a, d.room, d.event_id);
		sb_add(&sb, "\n- ");
		sb_addm(&sb, ctx, M_MM_DEC_LINK, a.buf);
	}
	reply_add(ctx, sb.buf);
	agenda_list_free(items, n > 0 ? (size_t)n : 0);
	meeting_free(&m);
	logged_free(&d);
	sb_release(&sb);
	sb_release(&a);
	sb_release(&b);
	return WT_OK;
}

int cmd_decision(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	long long id = after ? args_id(w.buf) : -1;
	const char *q = after;
	while (q && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
		q++;
	/* One word of digits only that is no id (0, too big) was meant as
	 * one: refuse it rather than log "18446744073709551616". */
	size_t lead = w.buf[0] == '#', digits = strspn(w.buf + lead, "0123456789");
	int number = after && !*q && digits && !w.buf[lead + digits];
	int rc;
	if (!after)
		rc = reply_usage(ctx, M_MM_ERR_EMPTY_TEXT, M_SYN_DECISION);
	else if (id > 0 && !*q)
		rc = show_decision(ctx, id);
	else if (number)
		rc = reply_usage_text(ctx, WT_ENOTFOUND, M_SYN_DECISION, M_DEC_BAD_ID, w.buf);
	else
		rc = mm_log_command(ctx, TAG_DECISION, args);
	sb_release(&w);
	return rc;
}

/* Read a period word (2027, 2027-03, 2027-K1 / 2027-Q1, as the date
 * grammar reads spans) as local [from, until) in the network's zone.
 * Returns 1 when w is one, 0 when it does not look like one, -1 when it
 * looks like one but is wrong. */
static int read_period(const struct wt_ctx *ctx, const char *w, time_t *from, time_t *until)
{
	if (!isdigit((unsigned char)w[0]))
		return 0;
	struct when_span s;
	int rc = when_read_span(w, 0, WHEN_SPAN_YEAR | WHEN_SPAN_MONTH | WHEN_SPAN_QUARTER, &s);
	if (rc == WHEN_UNKNOWN && strlen(w) >= 4 && isdigit((unsigned char)w[3]) &&
	    strspn(w, "0123456789") == 4 && w[4] == '-')
		return -1;  /* 2027-x: a period written wrong */
	if (rc == WHEN_UNKNOWN)
		return 0;
	if (rc != WHEN_OK || w[s.used])
		return -1;
	struct tz_local a = { 0 }, b = { 0 };
	tz_civil_from_days(s.first, &a.year, &a.mon, &a.day);
	tz_civil_from_days(s.last + 1, &b.year, &b.mon, &b.day);
	if (tz_to_utc(ctx->net->tz, &a, from) < 0 || tz_to_utc(ctx->net->tz, &b, until) < 0)
		return -1;
	return 1;
}

/* Read the filters of !besluiten into f; the search words go into term
 * and the theme into theme. */
static int read_filters(struct wt_ctx *ctx, const char *args, struct decision_filter *f,
			struct strbuf *term, struct strbuf *theme)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = args;
	int rc = WT_OK;
	while (rc == WT_OK && p && *p) {
		while (*p == '\n' || *p == '\r')
			p++;
		const char *after = args_word(p, &w);
		if (!after) {
			if (!*p)
				break;
			p++;
			continue;
		}
		size_t k = !strncasecmp(w.buf, "thema:", 6) ? 6 : !strncasecmp(w.buf, "theme:", 6) ? 6 : 0;
		int per = read_period(ctx, w.buf, &f->from, &f->until);
		if (k) {
			sb_reset(theme);
			sb_add(theme, w.buf + k);
			if (!theme->len)
				rc = reply_usage(ctx, M_MM_ERR_THEME_EMPTY, M_SYN_DECISIONS);
		} else if ((w.buf[0] == 'A' || w.buf[0] == 'a') && (w.buf[1] == 'L' || w.buf[1] == 'l')
			   && args_id(w.buf + 2) > 0) {
			f->action_line = args_id(w.buf + 2);
		} else if (w.buf[0] == 'A' && args_id(w.buf + 1) > 0) {
			f->advice = args_id(w.buf + 1);
		} else if (per < 0) {
			rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_DECISIONS, M_MM_ERR_PERIOD,
					  ctx_md(ctx, w.buf));
		} else if (per == 0) {
			if (term->len)
				sb_addc(term, ' ');
			sb_add(term, w.buf);
		}
		p = after;
	}
	f->term = term->len ? term->buf : NULL;
	f->theme = theme->len ? theme->buf : NULL;
	sb_release(&w);
	return rc;
}

int cmd_decisions(struct wt_ctx *ctx, const char *args)
{
	struct wt_page pg;
	struct strbuf term = STRBUF_INIT, theme = STRBUF_INIT, rest = STRBUF_INIT;
	int rc = page_take(ctx, args, &rest, &pg);
	struct decision_filter f = { .max = (size_t)pg.limit, .offset = (size_t)pg.offset };
	if (rc == WT_OK)
		rc = read_filters(ctx, rest.buf, &f, &term, &theme);
	if (rc == WT_OK && f.term)
		page_narrow_for_search(&pg);
	f.count_limit = page_count_limit(&pg);
	struct wt_logged *v = NULL;
	int n = 0;
	long long total = 0;
	if (rc == WT_OK && ((n = decisions_search(ctx->db, ctx->net->name, &f, &v)) < 0
			    || (total = decisions_count(ctx->db, ctx->net->name, &f)) < 0))
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		rc = page_check(ctx, &pg, total);
	if (rc == WT_OK && n == 0)
		reply_add(ctx, T(ctx, M_MM_REG_NONE));
	if (rc == WT_OK && n > 0) {
		struct strbuf sb = STRBUF_INIT, where = STRBUF_INIT, date = STRBUF_INIT,
			      md = STRBUF_INIT;
		struct strbuf all = STRBUF_INIT;
		page_total(&all, ctx, &pg, total);
		sb_addm(&sb, ctx, M_MM_REG_HEAD, n, all.buf);
		sb_release(&all);
		sb_addc(&sb, '\n');
		for (int i = 0; i < n; i++) {
			struct wt_meeting m = { 0 };
			sb_reset(&where);
			sb_reset(&date);
			sb_reset(&md);
			int in_meeting;
			decision_date(ctx, &v[i], &m, &in_meeting, &date);
			if (in_meeting)
				sb_addm(&where, ctx, M_MM_REG_MEETING, m.short_id, date.buf);
			else
				sb_addm(&where, ctx, M_MM_REG_STANDALONE, date.buf);
			meeting_free(&m);
			sb_add_md(&md, v[i].text);
			sb_addc(&sb, '\n');
			sb_addm(&sb, ctx, M_MM_REG_LINE, v[i].short_id, where.buf, md.buf);
			if (v[i].action_line)
				sb_addm(&sb, ctx, M_MM_LINK_AL, v[i].action_line);
			if (v[i].advice)
				sb_addm(&sb, ctx, M_MM_LINK_ADVICE, v[i].advice);
		}
		page_footer(&sb, ctx, &pg, n, total, "besluiten", "decisions");
		reply_add(ctx, sb.buf);
		sb_release(&sb);
		sb_release(&where);
		sb_release(&date);
		sb_release(&md);
	}
	logged_list_free(v, n > 0 ? (size_t)n : 0);
	sb_release(&term);
	sb_release(&theme);
	sb_release(&rest);
	return rc;
}

/* !ongedaan / !undo: remove the sender's last logged item. */
int cmd_undo(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	if (rc != WT_OK)
		return rc;
	struct wt_logged it = { 0 };
	int found = logged_last_by(ctx->db, ctx->net->name, ctx->sender, &it);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_error(ctx, WT_ENOTFOUND, M_MM_ERR_NOTHING_TO_UNDO);
	/* Approved minutes are read-only: their last item stays. */
	rc = mm_refuse_if_approved(ctx, it.meeting_id, M_MIN_ERR_UNDO_APPROVED);
	if (rc != WT_OK) {
		logged_free(&it);
		return rc;
	}
	if (logged_delete(ctx->db, it.id) < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else {
		if (it.kind == LOGGED_ACTION)
			action_reminder_cancel(ctx, it.id);
		struct strbuf sb = STRBUF_INIT;
		mm_describe_item(&sb, ctx, &it, 0);
		reply_msgf(ctx, M_MM_UNDONE, sb.buf);
		sb_release(&sb);
	}
	logged_free(&it);
	return rc;
}
