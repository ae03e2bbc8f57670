/* pages_board: the board of one network (/n/NAME): the next meeting with
 * its agenda, the action lines, the open advice requests, the goals and
 * the latest decisions. */
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>

#include "handlers/advice_states.h"
#include "handlers/money.h"
#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/actionlines.h"
#include "storage/advice.h"
#include "storage/agenda.h"
#include "storage/decisions.h"
#include "storage/documents.h"
#include "storage/goals.h"
#include "storage/meetings.h"
#include "web/html.h"

#define BOARD_DECISIONS 5
#define BOARD_LINES 100
#define BOARD_ADVICE 50

static void add_when(struct strbuf *sb, const struct web_page *p, time_t t)
{
	struct strbuf w = STRBUF_INIT;
	when_format(&w, t, p->net->tz, p->lang);
	html_esc(sb, w.buf);
	sb_release(&w);
}

static void add_day(struct strbuf *sb, const struct web_page *p, time_t t)
{
	struct strbuf w = STRBUF_INIT;
	when_format_date(&w, t, p->net->tz, p->lang);
	html_esc(sb, w.buf);
	sb_release(&w);
}

/* Today in the network's zone as a day number (storage/actionlines.h). */
static long today(const struct web_page *p)
{
	struct tz_local lt;
	if (tz_from_utc(p->net->tz, p->env->now, &lt) != TZ_OK)
		return (long)(p->env->now / 86400);
	return (long)tz_days_from_civil(lt.year, lt.mon, lt.day);
}

static void documents(struct strbuf *sb, const struct web_page *p, struct wt_document *v, int n)
{
	if (n <= 0)
		return;
	html_addf(sb, "<p class=\"mute\">%s:</p><ul class=\"docs\">", web_t(p, M_WEB_DOCUMENTS));
	for (int i = 0; i < n; i++) {
		const char *href = v[i].kind == DOC_LINK ? html_safe_href(v[i].url) : NULL;
		if (href)
			html_addf(sb, "<li><a href=\"%s\" rel=\"noopener noreferrer\">%s</a></li>",
				  href, v[i].title);
		else
			html_addf(sb, "<li>%s</li>", v[i].title);
	}
	sb_add(sb, "</ul>\n");
	documents_free(v, (size_t)n);
}

static void field(struct strbuf *sb, const struct web_page *p, enum msg_id label, const char *text)
{
	if (text && *text)
		html_addf(sb, "<dt>%s</dt><dd>%s</dd>", web_t(p, label), text);
}

static int agenda(struct strbuf *sb, const struct web_page *p, const struct wt_meeting *m)
{
	struct wt_agenda_item *v;
	int n = agenda_list(p->env->db, p->net->name, m->id, &v);
	if (n < 0)
		return -1;
	html_addf(sb, "<h3>%s</h3>\n", web_t(p, M_WEB_AGENDA));
	int shown = 0;
	for (int i = 0; i < n; i++) {
		if (v[i].state != AGENDA_ACCEPTED && v[i].state != AGENDA_DISCUSSED)
			continue;
		if (!shown++)
			sb_add(sb, "<ol>\n");
		html_addf(sb, "<li><strong>%s</strong>", v[i].title);
		if (v[i].why || v[i].what || v[i].how) {
			sb_add(sb, "<dl>");
			field(sb, p, M_WEB_WHY, v[i].why);
			field(sb, p, M_WEB_WHAT, v[i].what);
			field(sb, p, M_WEB_HOW, v[i].how);
			sb_add(sb, "</dl>");
		}
		struct wt_document *d = NULL;
		int nd = documents_of_item(p->env->db, v[i].id, &d);
		documents(sb, p, d, nd);
		sb_add(sb, "</li>\n");
	}
	sb_add(sb, shown ? "</ol>\n" : "");
	if (!shown)
		html_addf(sb, "<p>%s</p>\n", web_t(p, M_WEB_NO_AGENDA));
	if (n > 0)
		agenda_list_free(v, (size_t)n);
	struct wt_document *d = NULL;
	int nd = documents_of_meeting(p->env->db, m->id, &d);
	documents(sb, p, d, nd);
	return 0;
}

static int meeting(struct strbuf *sb, const struct web_page *p)
{
	struct wt_meeting m = { 0 };
	int found = meeting_next(p->env->db, p->net->name, p->env->now, &m);
	if (found < 0)
		return -1;
	html_addf(sb, "<section id=\"meeting\">\n<h2>%s</h2>\n", web_t(p, M_WEB_NEXT_MEETING));
	if (!found) {
		html_addf(sb, "<p>%s</p>\n</section>\n", web_t(p, M_WEB_NO_MEETING));
		return 0;
	}
	html_addf(sb, "<p><strong>%s</strong><br>", m.title);
	add_when(sb, p, m.starts_at);
	if (m.place)
		html_addf(sb, "<br>%s", m.place);
	sb_add(sb, "</p>\n");
	int rc = agenda(sb, p, &m);
	sb_add(sb, "</section>\n");
	meeting_free(&m);
	return rc;
}

static const enum msg_id status_msgs[AL_NSTATUS] = {
	M_AL_STATUS_ON_TRACK, M_AL_STATUS_AT_RISK, M_AL_STATUS_LATE, M_AL_STATUS_DONE,
};

/* An amount that does not break between the sign and the number (a
 * narrow table cell on a phone): its spaces are no-break spaces. */
static void money(struct strbuf *sb, long long cents, enum wt_lang lang)
{
	struct strbuf m = STRBUF_INIT;
	money_format(&m, cents, lang);
	for (const char *c = m.buf ? m.buf : ""; *c; c++) {
		if (*c == ' ')
			sb_add(sb, "\u00a0");
		else
			sb_addc(sb, *c);
	}
	sb_release(&m);
}

/* One row of the action lines' table. */
static void line_row(struct strbuf *sb, const struct web_page *p, const struct actionline *l,
		     long day)
{
	char code[32];
	snprintf(code, sizeof code, "AL%lld", l->short_id);
	const struct al_phase *ph = al_current_phase(l, day);
	const struct al_deliverable *d = al_next_deliv(l);
	int late = l->status == AL_LATE || (d && al_deliv_overdue(d, day));
	sb_add(sb, late ? "<tr class=\"late\">" : "<tr>");
	html_addf(sb, "<td>%s <strong>%s</strong></td><td>%s</td><td>%s</td><td>", code, l->title,
		  web_t(p, status_msgs[(unsigned)l->status < AL_NSTATUS ? l->status : 0]),
		  ph ? ph->name : "");
	if (d) {
		html_addf(sb, "%s", d->text);
		if (d->due_day) {
			sb_add(sb, " <span class=\"mute\">(");
			add_day(sb, p, web_day_start(p, d->due_day));
			sb_add(sb, ")</span>");
		}
		if (al_deliv_overdue(d, day))
			html_addf(sb, " <span class=\"late\">%s</span>", web_t(p, M_WEB_OVERDUE));
	}
	struct strbuf spent = STRBUF_INIT, budget = STRBUF_INIT, both = STRBUF_INIT;
	money(&spent, l->spent_cents, p->lang);
	if (l->budget_cents > 0) {
		money(&budget, l->budget_cents, p->lang);
		sb_addf(&both, web_t(p, M_WEB_SPENT_OF), spent.buf, budget.buf);
	} else {
		sb_add(&both, spent.buf);
	}
	html_addf(sb, "</td><td>%s</td></tr>\n", both.buf);
	sb_release(&spent);
	sb_release(&budget);
	sb_release(&both);
}

static int lines(struct strbuf *sb, const struct web_page *p)
{
	struct actionline *v = NULL;
	size_t n = 0;
	long long total = 0;
	if (al_list_page(p->env->db, p->net->name, BOARD_LINES, 0, &v, &n, &total) < 0)
		return -1;
	html_addf(sb, "<section id=\"lines\">\n<h2>%s</h2>\n", web_t(p, M_WEB_LINES));
	if (n == 0) {
		html_addf(sb, "<p>%s</p>\n</section>\n", web_t(p, M_WEB_NO_LINES));
		return 0;
	}
	html_addf(sb, "<div class=\"wide\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		  "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n", web_t(p, M_WEB_COL_LINE),
		  web_t(p, M_WEB_COL_STATUS), web_t(p, M_WEB_COL_PHASE), web_t(p, M_WEB_COL_NEXT),
		  web_t(p, M_WEB_COL_SPENT));
	long day = today(p);
	for (size_t i = 0; i < n; i++)
		line_row(sb, p, &v[i], day);
	sb_add(sb, "</tbody>\n</table></div>\n</section>\n");
	al_free_list(v, n);
	return 0;
}

static int advice(struct strbuf *sb, const struct web_page *p)
{
	struct advice_filter f = { .closed = 0, .state = -1, .limit = BOARD_ADVICE };
	struct wt_advice *v = NULL;
	int n = advice_list(p->env->db, p->net->name, &f, &v);
	if (n < 0)
		return -1;
	html_addf(sb, "<section id=\"advice\">\n<h2>%s</h2>\n", web_t(p, M_WEB_ADVICE));
	if (n == 0)
		html_addf(sb, "<p>%s</p>\n", web_t(p, M_WEB_NO_ADVICE));
	else
		sb_add(sb, "<ul>\n");
	for (int i = 0; i < n; i++) {
		char code[32];
		snprintf(code, sizeof code, "A%lld", v[i].short_id);
		html_addf(sb, "<li>%s <strong>%s</strong> <span class=\"mute\">(%s",
			  code, v[i].title, web_t(p, advice_state_msg(v[i].state)));
		if (v[i].deadline) {
			struct strbuf d = STRBUF_INIT, line = STRBUF_INIT;
			when_format_date(&d, v[i].deadline, p->net->tz, p->lang);
			sb_addf(&line, web_t(p, M_WEB_DEADLINE), d.buf);
			html_addf(sb, ", %s", line.buf);
			sb_release(&d);
			sb_release(&line);
		}
		sb_add(sb, ")</span></li>\n");
	}
	sb_add(sb, n > 0 ? "</ul>\n</section>\n" : "</section>\n");
	if (n > 0)
		advice_list_free(v, (size_t)n);
	return 0;
}

static int goals(struct strbuf *sb, const struct web_page *p)
{
	struct goal *v = NULL;
	size_t n = 0;
	if (goal_list(p->env->db, p->net->name, &v, &n) < 0)
		return -1;
	if (n == 0)
		return 0;  /* goals where they exist */
	html_addf(sb, "<section id=\"goals\">\n<h2>%s</h2>\n<ul>\n", web_t(p, M_WEB_GOALS));
	for (size_t i = 0; i < n; i++) {
		char code[32], target[64] = "";
		snprintf(code, sizeof code, "D%lld", v[i].short_id);
		html_addf(sb, "<li>%s <strong>%s</strong>", code, v[i].title);
		if (v[i].has_target) {
			struct strbuf t = STRBUF_INIT;
			snprintf(target, sizeof target, "%g", v[i].target);
			sb_addf(&t, web_t(p, M_WEB_TARGET), target, v[i].unit ? v[i].unit : "");
			sb_rtrim(&t);
			html_addf(sb, " <span class=\"mute\">(%s)</span>", t.buf);
			sb_release(&t);
		}
		if (v[i].period)
			html_addf(sb, " <span class=\"mute\">%s</span>", v[i].period);
		sb_add(sb, "</li>\n");
	}
	sb_add(sb, "</ul>\n</section>\n");
	goal_free_list(v, n);
	return 0;
}

/* The decisions as a list (the board's latest few, the register's page). */
void web_decision_items(struct strbuf *sb, const struct web_page *p, struct wt_logged *v, int n)
{
	sb_add(sb, "<ul class=\"decisions\">\n");
	for (int i = 0; i < n; i++) {
		char code[32];
		snprintf(code, sizeof code, "%lld", v[i].short_id);
		html_addf(sb, "<li><span class=\"mute\">%s · ", code);
		add_day(sb, p, v[i].created_at);
		html_addf(sb, "</span><br>%s</li>\n", v[i].text);
	}
	sb_add(sb, "</ul>\n");
}

static int decisions(struct strbuf *sb, const struct web_page *p)
{
	struct decision_filter f = { .max = BOARD_DECISIONS };
	struct wt_logged *v = NULL;
	int n = decisions_search(p->env->db, p->net->name, &f, &v);
	if (n < 0)
		return -1;
	html_addf(sb, "<section id=\"decisions\">\n<h2>%s</h2>\n", web_t(p, M_WEB_DECISIONS_RECENT));
	if (n == 0)
		html_addf(sb, "<p>%s</p>\n", web_t(p, M_WEB_NO_DECISIONS));
	else
		web_decision_items(sb, p, v, n);
	html_addf(sb, "<p><a href=\"%s/besluiten\">%s</a></p>\n</section>\n", p->net->name,
		  web_t(p, M_WEB_DECISIONS_ALL));
	if (n > 0)
		logged_list_free(v, (size_t)n);
	return 0;
}

int web_page_board(const struct web_page *p, struct web_resp *resp)
{
	struct strbuf title = STRBUF_INIT;
	sb_addf(&title, web_t(p, M_WEB_TITLE), p->net->name);
	struct strbuf *sb = &resp->body;
	web_page_head(sb, p, title.buf);
	sb_release(&title);
	if (meeting(sb, p) < 0 || lines(sb, p) < 0 || advice(sb, p) < 0 || goals(sb, p) < 0 ||
	    decisions(sb, p) < 0)
		return -1;
	web_page_foot(sb, p);
	return 0;
}
