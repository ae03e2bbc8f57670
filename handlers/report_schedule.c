/* report_schedule: the "report." reminder family (handlers/report.h): the
 * rows of each period made when it starts, the compile at its end with
 * the direct message to the lead, and the post on the post day. */
#include <stdlib.h>
#include <string.h>

#include "handlers/invite.h"
#include "handlers/meeting_mode.h"
#include "handlers/money.h"
#include "handlers/names.h"
#include "handlers/reminder_kinds.h"
#include "handlers/render.h"
#include "handlers/reply.h"
#include "handlers/report.h"
#include "storage/bodies.h"
#include "storage/reminder_dirty.h"
#include "storage/reminders.h"
#include "storage/roles.h"
#include "storage/room_aliases.h"

#define KIND_COMPILE "report.compile"
#define KIND_POST "report.post"

const char *report_room(struct wt_ctx *ctx, char **owned)
{
	const struct wt_network *net = ctx->net;
	*owned = NULL;
	const char *want = net->report_room;
	if (want && want[0] != '#')
		return want;
	if (want && (*owned = room_aliases_pinned_dup(ctx->db, want)))
		return *owned;
	if (!want && body_board_room(ctx->db, net->name, owned) > 0)
		return *owned;  /* the board body's room (storage/bodies.h) */
	if (net->nrooms && net->rooms[0][0] != '#')
		return net->rooms[0];
	if (net->nrooms)
		*owned = reminders_network_room_dup(ctx->db, net->name);
	return *owned;
}

int report_period(const struct wt_ctx *ctx, const struct wt_report *r, struct al_period *p)
{
	return al_parse_period(r->period, al_today(ctx), r->period[4] == 'H', p);
}

time_t report_compile_at(const struct wt_ctx *ctx, const struct al_period *p)
{
	return al_day_start(ctx, p->to + 1, REPORT_HOUR);
}

time_t report_post_at(const struct wt_ctx *ctx, const struct al_period *p)
{
	int days = ctx->net->report_post_day > 0 ? ctx->net->report_post_day : REPORT_POST_DAYS;
	return al_day_start(ctx, p->to + 1 + days, REPORT_HOUR);
}

/* The people who check r: the line's project leads, or for the programme
 * the chairs (else the secretaries). NULL-terminated; free with
 * reviewers_free. */
struct reviewers {
	char **v;
	size_t n;
	int role;
};

static void reviewer_cb(void *arg, const char *user, int role)
{
	struct reviewers *w = arg;
	if (role != w->role)
		return;
	w->v = xrealloc(w->v, (w->n + 2) * sizeof *w->v);
	w->v[w->n++] = xstrdup(user);
	w->v[w->n] = NULL;
}

static void reviewers_free(struct reviewers *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof *w);
}

static int reviewers_of(struct wt_ctx *ctx, const struct wt_report *r, struct reviewers *w)
{
	memset(w, 0, sizeof *w);
	if (r->line_key == REPORT_PROGRAMME) {
		w->role = ROLE_CHAIR;
		int rc = roles_each(ctx->db, ctx->net->name, reviewer_cb, w);
		if (rc == 0 && !w->n) {
			w->role = ROLE_SECRETARY;
			rc = roles_each(ctx->db, ctx->net->name, reviewer_cb, w);
		}
		return rc < 0 ? -1 : 0;
	}
	struct actionline l;
	int found = al_load_id(ctx->db, r->line_key, &l);
	if (found <= 0)
		return found;
	w->role = ROLE_MEMBER;
	for (size_t i = 0; i < l.npeople; i++)
		if (l.people[i].part == AL_LEAD)
			reviewer_cb(w, l.people[i].user, ROLE_MEMBER);
	al_free(&l);
	return 0;
}

int report_is_reviewer(struct wt_ctx *ctx, const struct wt_report *r)
{
	if (r->line_key == REPORT_PROGRAMME)
		return 0;
	struct reviewers w;
	int is = 0;
	if (reviewers_of(ctx, r, &w) == 0)
		for (size_t i = 0; i < w.n; i++)
			is |= strcmp(w.v[i], ctx->sender) == 0;
	reviewers_free(&w);
	return is;
}

void report_describe(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r)
{
	if (r->line_key == REPORT_PROGRAMME) {
		sb_add(sb, T(ctx, M_RPT_WHAT_PROG));
		return;
	}
	struct actionline l;
	if (al_load_id(ctx->db, r->line_key, &l) <= 0) {
		sb_addm(sb, ctx, M_RPT_WHAT_LINE, 0LL, "");
		sb_rtrim(sb);
		return;
	}
	sb_addm(sb, ctx, M_RPT_WHAT_LINE, l.short_id, ctx_md(ctx, l.title));
	al_free(&l);
}

void report_period_label(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r)
{
	struct al_period p;
	if (report_period(ctx, r, &p) == 0)
		al_period_label(sb, ctx, &p);
	else
		sb_add(sb, r->period);
}

int report_final_md(struct strbuf *md, struct wt_ctx *ctx, const struct wt_report *r,
		    int unchecked)
{
	struct wt_report_addition *a;
	int n = reports_additions(ctx->db, r->id, &a);
	if (n < 0)
		return -1;
	sb_add(md, r->markdown ? r->markdown : "");
	sb_rtrim(md);
	if (n > 0) {
		sb_add(md, "\n\n");
		sb_add(md, T(ctx, M_RPT_ADDITIONS_HEAD));
		sb_add(md, "\n\n");
	}
	for (int i = 0; i < n; i++) {
		struct strbuf day = STRBUF_INIT, who = STRBUF_INIT;
		al_format_day(&day, ctx, al_day_of(ctx, a[i].at));
		sb_add_person(&who, ctx, a[i].author);
		sb_addm(md, ctx, M_RPT_ADDITION_LINE, day.buf, who.buf, ctx_md(ctx, a[i].text));
		sb_addc(md, '\n');
		sb_release(&day);
		sb_release(&who);
	}
	sb_rtrim(md);
	sb_add(md, "\n\n");
	if (unchecked < 0) {
		/* still with the lead */
	} else if (unchecked) {
		sb_add(md, T(ctx, r->line_key == REPORT_PROGRAMME ? M_RPT_UNCHECKED_CHAIR
			     : M_RPT_UNCHECKED_LEAD));
	} else {
		struct strbuf day = STRBUF_INIT, who = STRBUF_INIT;
		al_format_day(&day, ctx, al_day_of(ctx, r->approved_at));
		sb_add_person(&who, ctx, r->approved_by ? r->approved_by : "");
		sb_addm(md, ctx, M_RPT_CHECKED, who.buf, day.buf);
		sb_release(&day);
		sb_release(&who);
	}
	sb_addc(md, '\n');
	reports_additions_free(a, (size_t)n);
	return 0;
}

/* The file name of r: "AL1-2027Q1.md" or "programma-2027H1.md". */
static void file_name(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r)
{
	struct actionline l;
	if (r->line_key != REPORT_PROGRAMME && al_load_id(ctx->db, r->line_key, &l) > 0) {
		sb_addm(sb, ctx, M_AL_FILE_LINE, l.short_id, r->period);
		al_free(&l);
	} else {
		sb_addm(sb, ctx, M_AL_FILE_PROG, r->period);
	}
}

/* A file reply of md named name, to user (NULL) or room. */
static void add_file(struct wt_ctx *ctx, const char *md, const char *name, const char *user,
		     const char *room)
{
	struct wt_reply *f = user ? reply_dm(ctx, user, md) : reply_add(ctx, md);
	f->kind = REPLY_FILE;
	f->filename = xstrdup(name);
	f->notify = 0;
	if (room)
		f->room = xstrdup(room);
}

/* Compile r for period p: its text as of the period's end, kept. 0, 1
 * when its line is gone, negative. */
static int compile(struct wt_ctx *ctx, struct wt_report *r, const struct al_period *p)
{
	struct strbuf md = STRBUF_INIT;
	int rc = 0;
	if (r->line_key == REPORT_PROGRAMME) {
		rc = al_report_programme(&md, ctx, p);
	} else {
		struct actionline l;
		int found = al_load_history(ctx->db, r->line_key, &l);
		if (found <= 0)
			rc = found < 0 ? -1 : 1;
		else
			al_report_line(&md, ctx, &l, p, 1);
		if (found > 0)
			al_free(&l);
	}
	sb_addc(&md, '\n');
	const char *lang = ctx->lang == LANG_EN ? "en" : "nl";
	if (rc == 0 && reports_set_compiled(ctx->db, r->id, lang, md.buf, ctx->now) != REPORT_FOUND)
		rc = -1;
	if (rc == 0) {
		free(r->markdown);
		r->markdown = sb_detach(&md);
		r->state = REPORT_COMPILED;
		r->compiled_at = ctx->now;
	}
	sb_release(&md);
	return rc;
}

/* The direct message to each reviewer of compiled r, with its file. */
static int send_check(struct wt_ctx *ctx, const struct wt_report *r, const struct al_period *p)
{
	struct reviewers w;
	if (reviewers_of(ctx, r, &w) < 0)
		return -1;
	struct strbuf text = STRBUF_INIT, what = STRBUF_INIT, label = STRBUF_INIT,
		      day = STRBUF_INIT, name = STRBUF_INIT;
	report_describe(&what, ctx, r);
	al_period_label(&label, ctx, p);
	time_t post = report_post_at(ctx, p);
	if (post <= ctx->now) {
		sb_addm(&text, ctx, M_RPT_DM_LATE, r->short_id, what.buf, label.buf);
	} else {
		when_format_long(&day, post, ctx->now, ctx->net->tz, ctx->lang);
		sb_addm(&text, ctx, M_RPT_DM, r->short_id, what.buf, label.buf, day.buf,
			r->short_id, r->short_id);
	}
	file_name(&name, ctx, r);
	char *doc = markdown_for_file_dup(r->markdown ? r->markdown : "");
	for (size_t i = 0; i < w.n; i++) {
		reply_dm(ctx, w.v[i], text.buf);
		add_file(ctx, doc, name.buf, w.v[i], NULL);
	}
	free(doc);
	sb_release(&text);
	sb_release(&what);
	sb_release(&label);
	sb_release(&day);
	sb_release(&name);
	reviewers_free(&w);
	return 0;
}

/* "Stand op 31 december 2026: 🟢 op schema; 1 resultaat afgerond ..." of
 * r's line as of the end of period p, with a blank line after it;
 * nothing for the programme. 0 or negative. */
static int add_state(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r,
		     const struct al_period *p)
{
	struct actionline l;
	int found = r->line_key == REPORT_PROGRAMME ? 0 : al_load_history(ctx->db, r->line_key, &l);
	if (found <= 0)
		return found;
	enum al_status s = AL_ON_TRACK;
	for (size_t i = 0; i < l.nchanges; i++)
		if (al_day_of(ctx, l.changes[i].at) <= p->to)
			s = l.changes[i].status;
	int done = 0, late = 0;
	for (size_t i = 0; i < l.ndelivs; i++) {
		const struct al_deliverable *d = &l.delivs[i];
		done += d->done_on >= p->from && d->done_on <= p->to;
		late += (!d->done_on || d->done_on > p->to) && d->due_day < p->to;
	}
	struct strbuf day = STRBUF_INIT, n = STRBUF_INIT, spent = STRBUF_INIT, budget = STRBUF_INIT;
	al_format_day(&day, ctx, p->to);
	sb_addcount(&n, ctx, M_N_DELIV_ONE, done);
	money_format(&spent, al_spent(&l, 0, p->to), ctx->lang);
	money_format(&budget, l.budget_cents, ctx->lang);
	sb_addm(sb, ctx, M_RPT_POST_STATE, day.buf, al_status_marker(s), al_status_name(ctx, s),
		n.buf, late, spent.buf, budget.buf);
	sb_add(sb, "\n\n");
	sb_release(&day);
	sb_release(&n);
	sb_release(&spent);
	sb_release(&budget);
	al_free(&l);
	return 0;
}

/* The summary posted with r's files into sum: which report, the line's
 * state at the period's end, the additions, who checked it. 0 or
 * negative. */
static int summary(struct strbuf *sum, struct wt_ctx *ctx, const struct wt_report *r,
		   const struct al_period *p, int unchecked)
{
	struct wt_report_addition *a;
	int na = reports_additions(ctx->db, r->id, &a);
	if (na < 0)
		return -1;
	reports_additions_free(a, (size_t)na);
	struct strbuf what = STRBUF_INIT, label = STRBUF_INIT, count = STRBUF_INIT;
	report_describe(&what, ctx, r);
	al_period_label(&label, ctx, p);
	sb_addm(sum, ctx, M_RPT_POST_SUMMARY, r->short_id, what.buf, label.buf);
	sb_add(sum, "\n\n");
	int rc = add_state(sum, ctx, r, p);
	if (na > 0) {
		sb_addcount(&count, ctx, M_N_ADDITION_ONE, na);
		sb_addm(sum, ctx, M_RPT_POST_WITH, count.buf);
		sb_addc(sum, ' ');
	}
	sb_add(sum, T(ctx, M_RPT_POST_FILES));
	sb_add(sum, "\n\n");
	if (unchecked) {
		sb_add(sum, T(ctx, r->line_key == REPORT_PROGRAMME ? M_RPT_UNCHECKED_CHAIR
			      : M_RPT_UNCHECKED_LEAD));
	} else {
		struct strbuf who = STRBUF_INIT, day = STRBUF_INIT;
		sb_add_person(&who, ctx, r->approved_by ? r->approved_by : "");
		al_format_day(&day, ctx, al_day_of(ctx, r->approved_at));
		sb_addm(sum, ctx, M_RPT_CHECKED, who.buf, day.buf);
		sb_release(&who);
		sb_release(&day);
	}
	sb_release(&what);
	sb_release(&label);
	sb_release(&count);
	return rc;
}

/* Post r in room: the summary, the report as Markdown and as HTML; it is
 * posted (unchecked unless approved) in the same transaction. */
static int post(struct wt_ctx *ctx, struct wt_report *r, const struct al_period *p,
		const char *room)
{
	int unchecked = r->state != REPORT_APPROVED;
	struct strbuf md = STRBUF_INIT, sum = STRBUF_INIT, name = STRBUF_INIT;
	int rc = report_final_md(&md, ctx, r, unchecked);
	if (rc == 0)
		rc = summary(&sum, ctx, r, p, unchecked);
	if (rc == 0) {
		struct wt_reply *s = reply_add(ctx, sum.buf);
		s->room = xstrdup(room);
		file_name(&name, ctx, r);
		char *doc = markdown_for_file_dup(md.buf);
		add_file(ctx, doc, name.buf, NULL, room);
		free(doc);
		size_t len = name.len;
		sb_setlen(&name, len > 3 ? len - 3 : len);
		char *html = minutes_html_dup(ctx, name.buf, md.buf);
		sb_add(&name, ".html");
		add_file(ctx, html, name.buf, NULL, room);
		free(html);
		rc = reports_set_posted(ctx->db, r->id, unchecked, ctx->now) == REPORT_FOUND ? 0 : -1;
	}
	sb_release(&md);
	sb_release(&sum);
	sb_release(&name);
	return rc < 0 ? -1 : 0;
}

/* Load report id of ctx's network: 1 found, 0 gone (or another network's),
 * negative. */
static int load(struct wt_ctx *ctx, long long id, struct wt_report *r, struct al_period *p)
{
	int found = reports_get(ctx->db, id, r);
	if (found == REPORT_FOUND && (strcmp(r->network, ctx->net->name) != 0
				      || report_period(ctx, r, p) < 0)) {
		report_free(r);
		found = REPORT_NONE;
	}
	return found;
}

int report_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			   struct strbuf *out)
{
	(void)out;
	struct wt_report r;
	struct al_period p;
	int found = load(ctx, ref_id, &r, &p);
	if (found != REPORT_FOUND)
		return found < 0 ? -1 : 1;
	int rc = 0, is_post = strcmp(kind, KIND_POST) == 0;
	/* A report not compiled by its post day (its compile was lost) is
	 * compiled now; one compiled already is not compiled again. */
	if (r.state == REPORT_SCHEDULED && (is_post || strcmp(kind, KIND_COMPILE) == 0)) {
		rc = compile(ctx, &r, &p);
		if (rc == 0)
			rc = send_check(ctx, &r, &p);
	}
	if (rc == 0 && is_post && r.state != REPORT_POSTED) {
		char *owned;
		const char *room = report_room(ctx, &owned);
		rc = room ? post(ctx, &r, &p, room) : 0;
		free(owned);
	}
	report_free(&r);
	return rc < 0 ? -1 : 1;
}

/* Whether reports of r's kind are on in the network. */
static int schedule_on(const struct wt_ctx *ctx, const struct wt_report *r)
{
	return r->line_key == REPORT_PROGRAMME ? ctx->net->report_halfyear
	       : ctx->net->report_quarterly;
}

/* Want the compile and post reminders of report id, their keys into
 * keys (may be NULL); a scheduled one whose schedule was turned off is
 * forgotten. */
static int want_report(struct wt_ctx *ctx, long long id, struct reminder_keys *keys)
{
	struct wt_report r;
	struct al_period p;
	int found = load(ctx, id, &r, &p);
	if (found != REPORT_FOUND)
		return found < 0 ? -1 : 0;
	int rc = 0;
	if (r.state == REPORT_SCHEDULED && !schedule_on(ctx, &r)) {
		rc = reports_drop_scheduled(ctx->db, r.id) == REPORT_FOUND ? 0 : -1;
		report_free(&r);
		return rc;
	}
	char *owned;
	const char *room = report_room(ctx, &owned);
	struct reviewers w;
	rc = reviewers_of(ctx, &r, &w) < 0 ? -1 : 0;
	struct strbuf key = STRBUF_INIT;
	/* The compile goes to the first reviewer (its direct messages must
	 * not take the room's), else to the room. */
	const char *user = w.n ? w.v[0] : NULL;
	if (rc == 0 && r.state == REPORT_SCHEDULED && (user || room)) {
		sb_addf(&key, "report:%lld:compile", r.id);
		if (keys)
			reminder_keys_add(keys, key.buf);
		rc = reminder_want(ctx, ctx->net->name, key.buf, KIND_COMPILE, r.id, user,
				   user ? NULL : room, report_compile_at(ctx, &p));
	}
	if (rc == 0 && room) {
		sb_reset(&key);
		sb_addf(&key, "report:%lld:post", r.id);
		if (keys)
			reminder_keys_add(keys, key.buf);
		rc = reminder_want(ctx, ctx->net->name, key.buf, KIND_POST, r.id, NULL, room,
				   report_post_at(ctx, &p));
	}
	sb_release(&key);
	reviewers_free(&w);
	free(owned);
	report_free(&r);
	return rc < 0 ? -1 : 0;
}

/* The report of the running period for line_key (quarter, or half-year
 * for the programme), made when missing; *id gets it. */
static int ensure_current(struct wt_ctx *ctx, long long line_key, long long *id)
{
	struct al_period p;
	char key[8];
	al_period_of(al_today(ctx), line_key == REPORT_PROGRAMME, &p);
	al_period_key(&p, key);
	return reports_ensure(ctx->db, ctx->net->name, line_key, key, ctx->now, id)
	       == REPORT_FOUND ? 0 : -1;
}

int report_reminder_generate(struct wt_ctx *ctx)
{
	if (!ctx->net || !ctx->net->name)
		return 0;
	long long *ids = NULL, id;
	int n = 0, rc = 0;
	if (ctx->net->report_quarterly) {
		n = reminder_open_lines(ctx->db, ctx->net->name, &ids);
		rc = n < 0 ? -1 : 0;
		for (int i = 0; i < n && rc == 0; i++)
			rc = ensure_current(ctx, ids[i], &id);
		free(ids);
		ids = NULL;
	}
	if (rc == 0 && ctx->net->report_halfyear)
		rc = ensure_current(ctx, REPORT_PROGRAMME, &id);
	n = rc == 0 ? reports_open_ids(ctx->db, ctx->net->name, &ids) : 0;
	if (n < 0)
		rc = -1;
	struct reminder_keys keys = { 0 };
	for (int i = 0; i < n && rc == 0; i++)
		rc = want_report(ctx, ids[i], &keys);
	free(ids);
	return reminder_keys_settle(ctx, "report:", &keys, rc);
}

int report_reminder_generate_ref(struct wt_ctx *ctx, long long line_id)
{
	if (!ctx->net || !ctx->net->report_quarterly)
		return 0;
	struct actionline l;
	int found = al_load_id(ctx->db, line_id, &l);
	if (found <= 0)
		return found;
	int open = l.status != AL_DONE && strcmp(l.network, ctx->net->name) == 0;
	al_free(&l);
	long long id;
	if (!open)
		return 0;
	return ensure_current(ctx, line_id, &id) < 0 ? -1 : want_report(ctx, id, NULL);
}
