/* minutes_render: a meeting's minutes as Markdown (and HTML), following
 * its agenda — per item its theme, proposer, why/what/how, then what was
 * decided, who does what and the notes — plus the open action items
 * carried over from earlier meetings; and the summary posted at closing.
 *
 * The text depends only on the database and the run's times (not on the
 * clock), so posting the minutes again gives the same files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/documents.h"
#include "handlers/invite.h"
#include "handlers/meeting_mode.h"
#include "handlers/names.h"
#include "handlers/render.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/actions.h"
#include "storage/agenda.h"

/* The time the minutes judge "overdue" against: the closing, or now. */
static time_t minutes_time(const struct wt_ctx *ctx, const struct wt_run *run)
{
	return run->closed_at ? run->closed_at : ctx->now;
}

int mm_agenda(struct wt_ctx *ctx, long long meeting_id, struct wt_agenda_item **v)
{
	int n = agenda_list(ctx->db, ctx->net->name, meeting_id, v);
	if (n <= 0)
		return n;
	int k = 0;
	for (int i = 0; i < n; i++) {
		if ((*v)[i].state == AGENDA_ACCEPTED || (*v)[i].state == AGENDA_DISCUSSED)
			(*v)[k++] = (*v)[i];
		else
			agenda_item_free(&(*v)[i]);
	}
	return k;
}

void mm_describe_item(struct strbuf *sb, const struct wt_ctx *ctx,
		      const struct wt_logged *it, time_t at)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	sb_add_md(&a, it->text);
	if (it->kind == LOGGED_DECISION) {
		sb_addm(sb, ctx, M_MM_DECISION_LINE, it->short_id, a.buf);
	} else if (it->kind == LOGGED_ACTION) {
		sb_add_person(&b, ctx, it->owner ? it->owner : "");
		sb_addm(sb, ctx, M_MM_ACTION_LINE, it->short_id, b.buf, a.buf);
		if (it->due_at) {
			sb_reset(&b);
			when_format_day_long(&b, it->due_at, ctx->net->tz, ctx->lang, MM_DUE_HOUR);
			sb_addm(sb, ctx, M_MM_DUE, b.buf);
		}
		if (it->done_at && (!at || it->done_at <= at))
			sb_add(sb, T(ctx, M_MM_DONE));
		else if (at && it->due_at && it->due_at < at)
			sb_add(sb, T(ctx, M_MM_OVERDUE));
	} else {
		sb_addm(sb, ctx, M_MM_NOTE_LINE, a.buf);
	}
	if (it->action_line)
		sb_addm(sb, ctx, M_MM_LINK_AL, it->action_line);
	if (it->advice)
		sb_addm(sb, ctx, M_MM_LINK_ADVICE, it->advice);
	sb_release(&a);
	sb_release(&b);
}

/* "Label: text" as a list line, when text is set. */
static void add_field(struct strbuf *sb, const struct wt_ctx *ctx, enum msg_id id,
		      const char *text)
{
	if (!text || !*text)
		return;
	struct strbuf md = STRBUF_INIT;
	sb_add_md(&md, text);
	sb_add(sb, "- ");
	sb_addm(sb, ctx, id, md.buf);
	sb_addc(sb, '\n');
	sb_release(&md);
}

/* The documents of agenda item item_id (0: the meeting_id's own, under
 * their heading) as list lines "- 📎 ...\n". */
static void add_docs(struct strbuf *sb, const struct wt_ctx *ctx, long long item_id,
		     long long meeting_id)
{
	struct strbuf d = STRBUF_INIT;
	int n = item_id ? docs_render_item(&d, ctx, item_id, "")
			: docs_render_meeting(&d, ctx, meeting_id, "");
	if (n > 0 && !item_id)
		sb_addf(sb, "**%s**\n", T(ctx, M_DOC_MIN_HEAD));
	if (n > 0) {
		sb_add(sb, d.buf + 1);  /* past the first line's newline */
		sb_add(sb, item_id ? "\n" : "\n\n");
	}
	sb_release(&d);
}

/* 1 when the item belongs to agenda item `item` (row id; 0 = none of the
 * agenda's items). */
static int belongs(const struct wt_logged *it, long long item,
		   const struct wt_agenda_item *agenda, int n)
{
	if (item)
		return it->agenda_item_id == item;
	for (int i = 0; i < n; i++)
		if (agenda[i].id == it->agenda_item_id)
			return 0;
	return 1;
}

/* Count the items of each kind that belong to `item`. */
static void count_kinds(const struct wt_logged *v, int n, long long item,
			const struct wt_agenda_item *agenda, int na, int counts[3])
{
	counts[0] = counts[1] = counts[2] = 0;
	for (int i = 0; i < n; i++)
		if (belongs(&v[i], item, agenda, na))
			counts[v[i].kind]++;
}

/* The decisions, actions and notes of one agenda item, under their own
 * headings (full minutes). */
static void add_logged_sections(struct strbuf *sb, const struct wt_ctx *ctx,
				const struct wt_logged *v, int n, long long item,
				const struct wt_agenda_item *agenda, int na, time_t at)
{
	static const enum msg_id heads[3] = { M_MM_MIN_DECISIONS, M_MM_MIN_ACTIONS, M_MM_MIN_NOTES };
	int counts[3];
	count_kinds(v, n, item, agenda, na, counts);
	if (!counts[0] && !counts[1] && !counts[2]) {
		sb_add(sb, T(ctx, M_MM_MIN_NOTHING));
		sb_add(sb, "\n\n");
		return;
	}
	for (int k = 0; k < 3; k++) {
		if (!counts[k])
			continue;
		sb_addf(sb, "### %s\n\n", T(ctx, heads[k]));
		for (int i = 0; i < n; i++) {
			if ((int)v[i].kind != k || !belongs(&v[i], item, agenda, na))
				continue;
			sb_add(sb, "- ");
			if (k == LOGGED_NOTE)
				sb_add_md(sb, v[i].text);
			else
				mm_describe_item(sb, ctx, &v[i], at);
			sb_addc(sb, '\n');
		}
		sb_addc(sb, '\n');
	}
}

/* Title line text: "Notulen <title> (vergadering 3)" (escaped). */
static void add_title(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct strbuf md = STRBUF_INIT;
	sb_add_md(&md, m->title);
	sb_addm(sb, ctx, M_MM_MIN_TITLE, md.buf, m->short_id);
	sb_release(&md);
}

void minutes_markdown(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
		      const struct wt_run *run)
{
	time_t at = minutes_time(ctx, run);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	sb_add(sb, "# ");
	add_title(sb, ctx, m);
	sb_add(sb, "\n\n");
	/* now 0: the minutes are kept for years, so the year is always there */
	when_format_long(&a, run->opened_at, 0, ctx->net->tz, ctx->lang);
	sb_add_person(&b, ctx, run->opened_by ? run->opened_by : "");
	if (run->closed_at) {
		when_format_long(&c, run->closed_at, 0, ctx->net->tz, ctx->lang);
		sb_addm(sb, ctx, M_MM_MIN_OPENED, a.buf, b.buf, c.buf);
	} else {
		sb_addm(sb, ctx, M_MM_MIN_RUNNING, a.buf, b.buf);
	}
	sb_add(sb, "\n\n");
	if (m->place && *m->place) {
		sb_reset(&a);
		sb_add_md(&a, m->place);
		sb_addm(sb, ctx, M_MM_MIN_PLACE, a.buf);
		sb_add(sb, "\n\n");
	}
	size_t status_at = sb->len;
	minutes_status(sb, ctx, m, run);
	if (sb->len > status_at)
		sb_add(sb, "\n\n");
	attendance_minutes(sb, ctx, m, run);
	sb_add(sb, "\n\n");
	add_docs(sb, ctx, 0, m->id);

	struct wt_agenda_item *agenda = NULL;
	struct wt_logged *v = NULL, *carried = NULL;
	int na = mm_agenda(ctx, m->id, &agenda);
	int n = logged_of_meeting(ctx->db, m->id, &v);
	int nc = actions_carried(ctx->db, ctx->net->name, m->id, run->opened_at, &carried);
	na = na < 0 ? 0 : na;
	n = n < 0 ? 0 : n;
	for (int i = 0; i < na; i++) {
		const struct wt_agenda_item *it = &agenda[i];
		sb_reset(&a);
		sb_add_md(&a, it->title);
		sb_add(sb, "## ");
		sb_addm(sb, ctx, M_MM_AGENDA_LINE, i + 1, a.buf);
		sb_add(sb, "\n\n");
		size_t before = sb->len;
		add_field(sb, ctx, M_MM_MIN_THEME, it->theme);
		if (it->proposer && *it->proposer) {
			/* A name for the board, as the attendees are named. */
			struct strbuf who = STRBUF_INIT;
			sb_add_person(&who, ctx, it->proposer);
			sb_add(sb, "- ");
			sb_addm(sb, ctx, M_MM_MIN_PROPOSER, who.buf);
			sb_addc(sb, '\n');
			sb_release(&who);
		}
		add_field(sb, ctx, M_MM_MIN_WHY, it->why);
		add_field(sb, ctx, M_MM_MIN_WHAT, it->what);
		add_field(sb, ctx, M_MM_MIN_HOW, it->how);
		add_docs(sb, ctx, it->id, 0);
		if (sb->len > before)
			sb_addc(sb, '\n');
		add_logged_sections(sb, ctx, v, n, it->id, agenda, na, at);
	}
	int other[3];
	count_kinds(v, n, 0, agenda, na, other);
	if (other[0] || other[1] || other[2] || na == 0) {
		sb_addf(sb, "## %s\n\n", T(ctx, M_MM_MIN_OTHER));
		add_logged_sections(sb, ctx, v, n, 0, agenda, na, at);
	}
	sb_addf(sb, "## %s\n\n", T(ctx, M_MM_MIN_CARRIED));
	for (int i = 0; i < nc; i++) {
		sb_add(sb, "- ");
		mm_describe_item(sb, ctx, &carried[i], at);
		sb_addc(sb, '\n');
	}
	sb_add(sb, nc > 0 ? "\n" : T(ctx, M_MM_MIN_NONE));
	if (nc <= 0)
		sb_add(sb, "\n\n");
	sb_reset(&a);
	when_format_long(&a, at, 0, ctx->net->tz, ctx->lang);
	sb_add(sb, "---\n\n*");
	sb_addm(sb, ctx, M_MM_MIN_FOOTER, a.buf);
	sb_add(sb, "*\n");
	agenda_list_free(agenda, (size_t)na);
	logged_list_free(v, (size_t)n);
	logged_list_free(carried, nc > 0 ? (size_t)nc : 0);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* One agenda item (or "other") in the summary: its heading with counts,
 * then its logged items. */
static void summary_item(struct strbuf *sb, const struct wt_ctx *ctx, const char *head,
			 const struct wt_logged *v, int n, long long item,
			 const struct wt_agenda_item *agenda, int na, time_t at)
{
	int counts[3];
	count_kinds(v, n, item, agenda, na, counts);
	sb_addf(sb, "\n\n**%s** — ", head);
	struct strbuf c[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	static const enum msg_id words[3] = { M_N_DECISION_ONE, M_N_ACTION_ONE, M_N_NOTE_ONE };
	for (int k = 0; k < 3; k++)
		sb_addcount(&c[k], ctx, words[k], counts[k]);
	sb_addm(sb, ctx, M_MM_SUMMARY_COUNTS, c[0].buf, c[1].buf, c[2].buf);
	for (int k = 0; k < 3; k++)
		sb_release(&c[k]);
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < n; i++) {
			if ((int)v[i].kind != k || !belongs(&v[i], item, agenda, na))
				continue;
			sb_add(sb, "\n- ");
			mm_describe_item(sb, ctx, &v[i], at);
		}
}

void minutes_summary(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
		     const struct wt_run *run)
{
	time_t at = minutes_time(ctx, run);
	attendance_minutes(sb, ctx, m, run);
	struct wt_agenda_item *agenda = NULL;
	struct wt_logged *v = NULL, *carried = NULL;
	int na = mm_agenda(ctx, m->id, &agenda);
	int n = logged_of_meeting(ctx->db, m->id, &v);
	int nc = actions_carried(ctx->db, ctx->net->name, m->id, run->opened_at, &carried);
	na = na < 0 ? 0 : na;
	n = n < 0 ? 0 : n;
	struct strbuf head = STRBUF_INIT, md = STRBUF_INIT;
	for (int i = 0; i < na; i++) {
		sb_reset(&head);
		sb_reset(&md);
		sb_add_md(&md, agenda[i].title);
		sb_addm(&head, ctx, M_MM_AGENDA_LINE, i + 1, md.buf);
		summary_item(sb, ctx, head.buf, v, n, agenda[i].id, agenda, na, at);
	}
	int other[3];
	count_kinds(v, n, 0, agenda, na, other);
	if (other[0] || other[1] || other[2])
		summary_item(sb, ctx, T(ctx, M_MM_MIN_OTHER), v, n, 0, agenda, na, at);
	int open_carried = 0;
	for (int i = 0; i < nc; i++)
		open_carried += !carried[i].done_at || carried[i].done_at > at;
	if (open_carried) {
		sb_add(sb, "\n\n");
		sb_addm(sb, ctx, msg_count(M_MM_SUMMARY_CARRIED_ONE, open_carried), open_carried);
	}
	agenda_list_free(agenda, (size_t)na);
	logged_list_free(v, (size_t)n);
	logged_list_free(carried, nc > 0 ? (size_t)nc : 0);
	sb_release(&head);
	sb_release(&md);
}

/* Escape text for HTML element content and attribute values. */
static void add_html_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_add(sb, "&amp;"); break;
		case '<': sb_add(sb, "&lt;"); break;
		case '>': sb_add(sb, "&gt;"); break;
		case '"': sb_add(sb, "&quot;"); break;
		default: sb_addc(sb, *s);
		}
	}
}

char *minutes_html_dup(const struct wt_ctx *ctx, const char *title, const char *markdown)
{
	struct strbuf sb = STRBUF_INIT;
	char *body = render_html(markdown);
	sb_addf(&sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>", ctx->lang == LANG_EN ? "en" : "nl");
	add_html_text(&sb, title);
	sb_add(&sb, "</title>\n<style>body{font-family:sans-serif;max-width:48em;"
		"margin:2em auto;line-height:1.4}</style>\n</head>\n<body>\n");
	sb_add(&sb, body ? body : "");
	sb_add(&sb, "</body>\n</html>\n");
	free(body);
	return sb_detach(&sb);
}

/* The files' name without extension: "notulen-vergadering-3-2027-03-12". */
static void file_base(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_meeting *m,
		      const struct wt_run *run)
{
	struct tz_local l = { 0 };
	char day[16] = "";
	if (tz_from_utc(ctx->net->tz, run->opened_at, &l) == 0)
		snprintf(day, sizeof day, "%04d-%02d-%02d", l.year % 10000, l.mon % 100, l.day % 100);
	sb_addm(sb, ctx, M_MM_FILE_NAME, m->short_id, day);
}

/* Add a REPLY_FILE with contents and filename. */
static void reply_file(struct wt_ctx *ctx, const char *contents, const char *filename)
{
	struct wt_reply *r = reply_add(ctx, contents);
	r->kind = REPLY_FILE;
	r->filename = xstrdup(filename);
}

int minutes_post(struct wt_ctx *ctx, const struct wt_meeting *m, const struct wt_run *run,
		 const char *headline)
{
	struct strbuf sb = STRBUF_INIT, md = STRBUF_INIT, name = STRBUF_INIT, title = STRBUF_INIT;
	if (headline) {
		sb_add(&sb, headline);
		sb_add(&sb, "\n\n");
	} else {
		sb_add(&sb, "**");
		add_title(&sb, ctx, m);
		sb_add(&sb, "**\n\n");
	}
	size_t before = sb.len;
	minutes_status(&sb, ctx, m, run);
	if (sb.len > before)
		sb_add(&sb, "\n\n");
	minutes_summary(&sb, ctx, m, run);
	sb_add(&sb, "\n\n");
	sb_addm(&sb, ctx, M_MM_SUMMARY_FILES, m->short_id);
	reply_add(ctx, sb.buf);

	minutes_markdown(&md, ctx, m, run);
	file_base(&name, ctx, m, run);
	size_t base = name.len;
	sb_add(&name, ".md");
	char *doc = markdown_for_file_dup(md.buf);
	reply_file(ctx, doc, name.buf);
	free(doc);
	sb_setlen(&name, base);
	sb_add(&name, ".html");
	sb_addm(&title, ctx, M_MM_MIN_TITLE, m->title, m->short_id);
	char *html = minutes_html_dup(ctx, title.buf, md.buf);
	reply_file(ctx, html, name.buf);
	free(html);
	sb_release(&sb);
	sb_release(&md);
	sb_release(&name);
	sb_release(&title);
	return WT_OK;
}
