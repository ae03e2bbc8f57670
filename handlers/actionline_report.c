/* Reports: the quarterly progress report of one action line (!al rapport
 * <code> [kwartaal]) and the half-year report of the programme
 * (!programma [halfjaar]). Both come from stored data only: everything is
 * read as of the period's last day (or today, while the period runs), so
 * the same data and period give the same text. Each is posted as a
 * formatted message and as a Markdown file, and kept in
 * action_line_reports. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/goals.h"
#include "handlers/meeting_mode.h"
#include "handlers/money.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/stakeholders.h"
#include "handlers/render.h"

/* The window a report reads: the period, cut at "as of". */
struct window {
	long from, to, asof;
};

static int in_window(const struct window *w, long day)
{
	return day >= w->from && day <= w->asof;
}

/* The status of l at the end of day asof (the last change on or before it). */
static const struct al_status_change *status_at(struct wt_ctx *ctx, const struct actionline *l,
						long asof)
{
	const struct al_status_change *c = NULL;
	for (size_t i = 0; i < l->nchanges; i++)
		if (al_day_of(ctx, l->changes[i].at) <= asof)
			c = &l->changes[i];
	return c;
}

/* 1 when d was open at the end of day asof. */
static int open_at(const struct al_deliverable *d, long asof)
{
	return !d->done_on || d->done_on > asof;
}

static int overdue_at(const struct al_deliverable *d, long asof)
{
	return open_at(d, asof) && d->due_day < asof;
}

/* A section heading at level (1: "##", 2: "###"). */
static void heading(struct strbuf *md, const struct wt_ctx *ctx, int level, enum msg_id m)
{
	sb_add(md, "\n\n");
	sb_add(md, level == 1 ? "## " : "### ");
	sb_add(md, T(ctx, m));
	sb_add(md, "\n\n");
}

/* "🟠 risico — reason" into sb. */
static void add_status(struct strbuf *sb, const struct wt_ctx *ctx, enum al_status s,
		       const char *reason)
{
	sb_add(sb, al_status_marker(s));
	sb_addc(sb, ' ');
	sb_add(sb, al_status_name(ctx, s));
	if (reason && *reason) {
		sb_add(sb, " — ");
		sb_add_md(sb, reason);
	}
}

static void section_changes(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			    const struct window *w, int level)
{
	heading(md, ctx, level, M_AL_REPORT_CHANGES);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int n = 0;
	for (size_t i = 0; i < l->nchanges; i++) {
		const struct al_status_change *c = &l->changes[i];
		long day = al_day_of(ctx, c->at);
		if (!in_window(w, day))
			continue;
		sb_reset(&a);
		sb_reset(&b);
		al_format_day(&a, ctx, day);
		add_status(&b, ctx, c->status, c->reason);
		if (c->author) {
			sb_add(&b, " (");
			sb_add_person(&b, ctx, c->author);
			sb_addc(&b, ')');
		}
		sb_addm(md, ctx, M_AL_REPORT_CHANGE, a.buf, b.buf);
		sb_addc(md, '\n');
		n++;
	}
	if (!n)
		sb_add(md, T(ctx, M_AL_REPORT_NONE));
	sb_rtrim(md);
	sb_release(&a);
	sb_release(&b);
}

static void section_phases(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			   const struct window *w, int level)
{
	heading(md, ctx, level, M_AL_REPORT_PHASES);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	for (size_t i = 0; i < l->nphases; i++) {
		const struct al_phase *p = &l->phases[i];
		sb_reset(&a);
		sb_reset(&b);
		sb_reset(&c);
		sb_add_md(&a, p->name);
		al_format_day(&b, ctx, p->start_day);
		al_format_day(&c, ctx, p->end_day);
		enum msg_id st = p->done_on && p->done_on <= w->asof ? M_AL_PHASE_DONE
				 : p->started_on && p->started_on <= w->asof ? M_AL_PHASE_RUNNING
				 : M_AL_PHASE_PLANNED;
		sb_addm(md, ctx, M_AL_REPORT_PHASE, p->position, a.buf, b.buf, c.buf, T(ctx, st));
		sb_addc(md, '\n');
	}
	if (!l->nphases)
		sb_add(md, T(ctx, M_AL_REPORT_NONE));
	sb_rtrim(md);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* Deliverables done in the window, and those open at its end that fall due
 * by the period's end (overdue ones marked). */
static void section_delivs(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			   const struct window *w, int level)
{
	heading(md, ctx, level, M_AL_REPORT_DELIVS);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int n = 0;
	for (size_t i = 0; i < l->ndelivs; i++) {
		const struct al_deliverable *d = &l->delivs[i];
		int done = d->done_on && in_window(w, d->done_on);
		int due = open_at(d, w->asof) && d->due_day <= w->to;
		if (!done && !due)
			continue;
		sb_reset(&a);
		sb_reset(&b);
		sb_add_md(&a, d->text);
		al_format_day(&b, ctx, done ? d->done_on : d->due_day);
		enum msg_id m = done ? M_AL_REPORT_DELIV_DONE
				: overdue_at(d, w->asof) ? M_AL_REPORT_DELIV_LATE : M_AL_REPORT_DELIV_DUE;
		sb_addm(md, ctx, m, d->number, a.buf, b.buf);
		sb_addc(md, '\n');
		n++;
	}
	if (!n)
		sb_add(md, T(ctx, M_AL_REPORT_NONE));
	sb_rtrim(md);
	sb_release(&a);
	sb_release(&b);
}

static void section_updates(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			    const struct window *w, int level)
{
	heading(md, ctx, level, M_AL_REPORT_UPDATES);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	int n = 0;
	for (size_t i = 0; i < l->nupdates; i++) {
		const struct al_update *u = &l->updates[i];
		long day = al_day_of(ctx, u->at);
		if (!in_window(w, day))
			continue;
		sb_reset(&a);
		sb_reset(&b);
		sb_reset(&c);
		al_format_day(&a, ctx, day);
		sb_add_person(&b, ctx, u->author);
		sb_add_md(&c, u->text);
		sb_addm(md, ctx, M_AL_SHOW_UPDATE, a.buf, b.buf, c.buf);
		sb_addc(md, '\n');
		n++;
	}
	if (!n)
		sb_add(md, T(ctx, M_AL_REPORT_NONE));
	sb_rtrim(md);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* The financial paragraph: budget, spent in and up to the period,
 * remaining, and the entries of the period. */
static void section_finance(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			    const struct window *w, int level)
{
	heading(md, ctx, level, M_AL_REPORT_FINANCE);
	long long in = al_spent(l, w->from, w->asof), total = al_spent(l, 0, w->asof);
	long long left = l->budget_cents - total;
	int pct = l->budget_cents > 0 ? (int)((total * 100 + l->budget_cents / 2) / l->budget_cents) : 0;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	money_format(&a, l->budget_cents, ctx->lang);
	sb_addm(md, ctx, M_AL_REPORT_FIN_BUDGET, a.buf);
	sb_reset(&a);
	money_format(&a, in, ctx->lang);
	sb_addc(md, '\n');
	sb_addm(md, ctx, M_AL_REPORT_FIN_PERIOD, a.buf);
	sb_reset(&a);
	money_format(&a, total, ctx->lang);
	sb_addc(md, '\n');
	sb_addm(md, ctx, M_AL_REPORT_FIN_TOTAL, a.buf, pct);
	sb_reset(&a);
	money_format(&a, left, ctx->lang);
	sb_addc(md, '\n');
	sb_addm(md, ctx, M_AL_REPORT_FIN_LEFT, a.buf);
	if (left < 0) {
		sb_reset(&a);
		money_format(&a, -left, ctx->lang);
		sb_add(md, "\n\n");
		sb_addm(md, ctx, M_AL_REPORT_FIN_OVER, a.buf);
	}
	int n = 0;
	for (size_t i = 0; i < l->nspending; i++) {
		const struct al_spend *s = &l->spending[i];
		if (!in_window(w, s->day))
			continue;
		if (!n++) {
			sb_add(md, "\n\n");
			sb_add(md, T(ctx, M_AL_REPORT_FIN_ENTRIES));
			sb_add(md, "\n\n");
		}
		sb_reset(&a);
		sb_reset(&b);
		sb_reset(&c);
		al_format_day(&a, ctx, s->day);
		money_format(&b, s->cents, ctx->lang);
		sb_add_md(&c, s->note);
		sb_addm(md, ctx, M_AL_REPORT_SPEND, a.buf, b.buf, c.buf);
		sb_addc(md, '\n');
	}
	sb_rtrim(md);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* Open risks at the end of the window: an at-risk or late status, and
 * overdue deliverables. */
static void section_risks(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			  const struct window *w, int level)
{
	heading(md, ctx, level, M_AL_REPORT_RISKS);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	int n = 0;
	const struct al_status_change *st = status_at(ctx, l, w->asof);
	if (st && (st->status == AL_AT_RISK || st->status == AL_LATE)) {
		if (st->reason && *st->reason)
			sb_add_md(&a, st->reason);
		else
			sb_add(&a, T(ctx, M_AL_REPORT_NO_REASON));
		sb_addm(md, ctx, M_AL_REPORT_RISK_STATUS, al_status_name(ctx, st->status), a.buf);
		sb_addc(md, '\n');
		n++;
	}
	for (size_t i = 0; i < l->ndelivs; i++) {
		const struct al_deliverable *d = &l->delivs[i];
		if (!overdue_at(d, w->asof))
			continue;
		sb_reset(&b);
		sb_reset(&c);
		sb_add_md(&b, d->text);
		al_format_day(&c, ctx, d->due_day);
		sb_addm(md, ctx, M_AL_REPORT_RISK_DELIV, d->number, b.buf, c.buf);
		sb_addc(md, '\n');
		n++;
	}
	if (!n)
		sb_add(md, T(ctx, M_AL_REPORT_NONE));
	sb_rtrim(md);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* The window of period p as of today. */
static struct window window_of(struct wt_ctx *ctx, const struct al_period *p)
{
	struct window w = { p->from, p->to, p->to };
	long today = al_today(ctx);
	if (today < w.asof)
		w.asof = today < w.from ? w.from : today;
	return w;
}

/* "Period: K1 2027 (1 jan 2027 t/m 31 mrt 2027), as of ..." */
static void period_line(struct strbuf *md, struct wt_ctx *ctx, const struct al_period *p,
			const struct window *w)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, d = STRBUF_INIT;
	al_period_label(&a, ctx, p);
	al_format_day(&b, ctx, p->from);
	al_format_day(&c, ctx, p->to);
	al_format_day(&d, ctx, w->asof);
	sb_addm(md, ctx, M_AL_REPORT_PERIOD, a.buf, b.buf, c.buf, d.buf);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
	sb_release(&d);
}

void al_report_line(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
		    const struct al_period *p, int level)
{
	struct window w = window_of(ctx, p);
	struct strbuf a = STRBUF_INIT;
	sb_add_md(&a, l->title);
	if (level == 1) {
		sb_addm(md, ctx, M_AL_REPORT_TITLE, l->short_id, a.buf);
		sb_add(md, "\n\n");
		period_line(md, ctx, p, &w);
	} else {
		sb_add(md, "\n\n## ");
		sb_addm(md, ctx, M_AL_PROG_LINE, l->short_id, a.buf);
	}
	const struct al_status_change *st = status_at(ctx, l, w.asof);
	sb_reset(&a);
	if (st)
		add_status(&a, ctx, st->status, st->reason);
	else
		add_status(&a, ctx, AL_ON_TRACK, NULL);
	sb_add(md, "\n\n");
	sb_addm(md, ctx, M_AL_REPORT_STATUS, a.buf, "");
	sb_rtrim(md);
	if (level == 1) {
		heading(md, ctx, level, M_AL_REPORT_PEOPLE);
		static const enum msg_id parts[AL_NPARTS] = {
			M_AL_PART_SPONSOR, M_AL_PART_LEAD, M_AL_PART_CARE, M_AL_PART_MEMBER,
			M_AL_PART_GUIDE,
		};
		for (int i = 0; i < AL_NPARTS; i++) {
			enum al_part part = al_part_order[i];
			if (part == AL_GUIDE && !al_has_person(l, AL_GUIDE, NULL))
				continue;
			sb_reset(&a);
			al_add_people(&a, ctx, l, part);
			sb_add(md, "- ");
			sb_addm(md, ctx, M_AL_SHOW_PERSON, T(ctx, parts[part]), a.buf);
			sb_addc(md, '\n');
		}
		sh_show_for_line(md, ctx, l->id, "- ");
		sb_rtrim(md);
	}
	section_changes(md, ctx, l, &w, level);
	section_phases(md, ctx, l, &w, level);
	section_delivs(md, ctx, l, &w, level);
	section_updates(md, ctx, l, &w, level);
	al_report_indicators(md, ctx, l, w.from, w.asof, level);
	section_finance(md, ctx, l, &w, level);
	section_risks(md, ctx, l, &w, level);
	sb_release(&a);
}

int al_report_programme(struct strbuf *md, struct wt_ctx *ctx, const struct al_period *p)
{
	struct actionline *v;
	size_t n;
	if (al_list(ctx->db, ctx->net->name, &v, &n) < 0)
		return -1;
	struct window w = window_of(ctx, p);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, d = STRBUF_INIT;
	al_period_label(&a, ctx, p);
	sb_addm(md, ctx, M_AL_PROG_TITLE, a.buf);
	sb_add(md, "\n\n");
	period_line(md, ctx, p, &w);
	sb_add(md, "\n\n## ");
	sb_add(md, T(ctx, M_AL_PROG_OVERVIEW));
	sb_add(md, "\n\n");
	int tdone = 0, tlate = 0;
	long long tspent = 0, tbudget = 0;
	for (size_t i = 0; i < n; i++) {
		const struct actionline *l = &v[i];
		const struct al_status_change *st = status_at(ctx, l, w.asof);
		enum al_status s = st ? st->status : AL_ON_TRACK;
		int done = 0, late = 0;
		for (size_t k = 0; k < l->ndelivs; k++) {
			done += l->delivs[k].done_on && in_window(&w, l->delivs[k].done_on);
			late += overdue_at(&l->delivs[k], w.asof);
		}
		long long spent = al_spent(l, 0, w.asof);
		sb_reset(&a);
		sb_reset(&b);
		sb_reset(&c);
		sb_reset(&d);
		sb_add_md(&a, l->title);
		money_format(&b, spent, ctx->lang);
		money_format(&c, l->budget_cents, ctx->lang);
		sb_addcount(&d, ctx, M_N_DELIV_ONE, done);
		sb_addm(md, ctx, M_AL_PROG_ITEM, al_status_marker(s), l->short_id, a.buf,
			al_status_name(ctx, s), d.buf, late, b.buf, c.buf);
		sb_addc(md, '\n');
		tdone += done;
		tlate += late;
		tspent += spent;
		tbudget += l->budget_cents;
	}
	if (!n) {
		sb_add(md, T(ctx, M_AL_PROG_NONE));
	} else {
		sb_reset(&b);
		sb_reset(&c);
		money_format(&b, tspent, ctx->lang);
		money_format(&c, tbudget, ctx->lang);
		int pct = tbudget > 0 ? (int)((tspent * 100 + tbudget / 2) / tbudget) : 0;
		sb_reset(&d);
		sb_addcount(&d, ctx, M_N_DELIV_ONE, tdone);
		sb_addc(md, '\n');
		sb_addm(md, ctx, M_AL_PROG_TOTAL, d.buf, tlate, b.buf, c.buf, pct);
	}
	if (goals_report_section(md, ctx, (long long)al_day_start(ctx, w.asof + 1, 0) - 1) < 0) {
		al_free_list(v, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		al_report_line(md, ctx, &v[i], p, 2);
	sb_addc(md, '\n');
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
	sb_release(&d);
	al_free_list(v, n);
	return 0;
}

/* Post md as a message, as the Markdown file filename and as the same
 * report in HTML (filename with .html for .md: it opens in a browser and
 * pastes into a word processor with its headings and lists), and keep it. */
static int post_report(struct wt_ctx *ctx, const char *md, const char *filename,
		       long long line_id, const struct al_period *p)
{
	char key[8];
	al_period_key(p, key);
	if (al_report_save(ctx->db, ctx->net->name, line_id, key, ctx->lang == LANG_EN ? "en" : "nl",
			   md, ctx->sender, ctx->now) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	reply_add(ctx, md);
	char *doc = markdown_for_file_dup(md);
	struct wt_reply *f = reply_add(ctx, doc);
	free(doc);
	f->kind = REPLY_FILE;
	f->filename = xstrdup(filename);
	struct strbuf name = STRBUF_INIT;
	size_t len = strlen(filename);
	sb_addn(&name, filename, len > 3 && !strcmp(filename + len - 3, ".md") ? len - 3 : len);
	char *html = minutes_html_dup(ctx, name.buf, md);
	sb_add(&name, ".html");
	struct wt_reply *h = reply_add(ctx, html);
	free(html);
	h->kind = REPLY_FILE;
	h->filename = sb_detach(&name);
	return WT_OK;
}

/* Read the optional period from the rest of the line (default: the one
 * holding today). */
static int read_period(struct wt_ctx *ctx, const char *p, int half, enum msg_id syn,
		       struct al_period *out)
{
	struct strbuf line = STRBUF_INIT;
	args_line(p, &line);
	int rc = WT_OK;
	if (!line.len)
		al_period_of(al_today(ctx), half, out);
	else if (al_parse_period(line.buf, al_today(ctx), half, out) < 0) {
		struct strbuf a = STRBUF_INIT;
		sb_add_md(&a, line.buf);
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AL_BAD_PERIOD,
			      T(ctx, half ? M_AL_HALFYEAR : M_AL_QUARTER), a.buf,
			      T(ctx, half ? M_AL_HALFYEAR_EX : M_AL_QUARTER_EX));
		sb_release(&a);
	}
	sb_release(&line);
	return rc;
}

int al_cmd_report(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	int rc = WT_OK;
	const char *p = al_read_line(ctx, args, M_AL_SYN_REPORT, &l, &rc);
	if (!p)
		return rc;
	struct al_period per;
	rc = read_period(ctx, p, 0, M_AL_SYN_REPORT, &per);
	if (rc == WT_OK) {
		/* The report covers the whole history: read it all. */
		long long id = l.id;
		al_free(&l);
		int found = al_load_history(ctx->db, id, &l);
		if (found <= 0) {
			memset(&l, 0, sizeof l);
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		}
	}
	if (rc == WT_OK) {
		struct strbuf md = STRBUF_INIT, fn = STRBUF_INIT;
		char key[8];
		al_period_key(&per, key);
		al_report_line(&md, ctx, &l, &per, 1);
		sb_addc(&md, '\n');
		sb_addm(&fn, ctx, M_AL_FILE_LINE, l.short_id, key);
		rc = post_report(ctx, md.buf, fn.buf, l.id, &per);
		sb_release(&md);
		sb_release(&fn);
	}
	al_free(&l);
	return rc;
}

int cmd_programme(struct wt_ctx *ctx, const char *args)
{
	struct al_period per;
	int rc = read_period(ctx, args, 1, M_SYN_PROGRAMME, &per);
	if (rc != WT_OK)
		return rc;
	struct strbuf md = STRBUF_INIT, fn = STRBUF_INIT;
	char key[8];
	al_period_key(&per, key);
	if (al_report_programme(&md, ctx, &per) < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else {
		sb_addm(&fn, ctx, M_AL_FILE_PROG, key);
		rc = post_report(ctx, md.buf, fn.buf, 0, &per);
	}
	sb_release(&md);
	sb_release(&fn);
	return rc;
}
