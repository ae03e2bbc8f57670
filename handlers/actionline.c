/* !actielijn / !actionline / !al: the action lines of the programme.
 *
 *   !al                          every line: status, current phase, next
 *                                deliverable, age of the last update
 *   !al <code>                   one line in full
 *   the parts: the table al_subs at the end of this file
 *
 * Overdue
 * deliverables and the current phase are derived when shown. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/commands.h"
#include "handlers/goals.h"
#include "handlers/money.h"
#include "handlers/reply.h"
#include "handlers/stakeholders.h"

/* How many updates !al <code> shows. */
#define AL_SHOW_UPDATES 3

static const enum msg_id status_msgs[AL_NSTATUS] = {
	M_AL_STATUS_ON_TRACK, M_AL_STATUS_AT_RISK, M_AL_STATUS_LATE, M_AL_STATUS_DONE,
};
static const enum msg_id status_now_msgs[AL_NSTATUS] = {
	M_AL_STATUS_NOW_ON_TRACK, M_AL_STATUS_NOW_AT_RISK, M_AL_STATUS_NOW_LATE,
	M_AL_STATUS_NOW_DONE,
};
static const enum msg_id part_msgs[AL_NPARTS] = {
	M_AL_PART_SPONSOR, M_AL_PART_LEAD, M_AL_PART_CARE, M_AL_PART_MEMBER, M_AL_PART_GUIDE,
};

const char *al_status_name(const struct wt_ctx *ctx, enum al_status s)
{
	return T(ctx, status_msgs[(unsigned)s < AL_NSTATUS ? s : 0]);
}

/* The new status as the rest of a sentence after the line's code. */
const char *al_status_now(const struct wt_ctx *ctx, enum al_status s)
{
	return T(ctx, status_now_msgs[(unsigned)s < AL_NSTATUS ? s : 0]);
}

const char *al_status_marker(enum al_status s)
{
	switch (s) {
	case AL_AT_RISK: return "🟠";
	case AL_LATE: return "🔴";
	case AL_DONE: return "✅";
	default: return "🟢";
	}
}

int al_status_word(const char *word, const char *next, int *used)
{
	static const struct { const char *a, *b; int s; } two[] = {
		{ "op", "schema", AL_ON_TRACK }, { "on", "track", AL_ON_TRACK },
		{ "at", "risk", AL_AT_RISK },
	};
	static const struct { const char *w; int s; } one[] = {
		{ "op-schema", AL_ON_TRACK }, { "opschema", AL_ON_TRACK },
		{ "on-track", AL_ON_TRACK }, { "ontrack", AL_ON_TRACK }, { "groen", AL_ON_TRACK },
		{ "green", AL_ON_TRACK }, { "risico", AL_AT_RISK }, { "at-risk", AL_AT_RISK },
		{ "risk", AL_AT_RISK }, { "vertraagd", AL_LATE }, { "late", AL_LATE },
		{ "delayed", AL_LATE }, { "afgerond", AL_DONE }, { "klaar", AL_DONE },
		{ "done", AL_DONE },
	};
	*used = 1;
	for (size_t i = 0; next && i < sizeof two / sizeof two[0]; i++)
		if (strcasecmp(word, two[i].a) == 0 && strcasecmp(next, two[i].b) == 0) {
			*used = 2;
			return two[i].s;
		}
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
		if (strcasecmp(word, one[i].w) == 0)
			return one[i].s;
	return -1;
}

int al_part_word(const char *word)
{
	static const struct { const char *w; int p; } parts[] = {
		{ "penvoerder", AL_SPONSOR }, { "sponsor", AL_SPONSOR },
		{ "projectleider", AL_LEAD }, { "projectleiding", AL_LEAD }, { "lead", AL_LEAD },
		{ "project-lead", AL_LEAD }, { "zorgprofessional", AL_CARE }, { "care", AL_CARE },
		{ "care-professional", AL_CARE }, { "lid", AL_MEMBER }, { "teamlid", AL_MEMBER },
		{ "leden", AL_MEMBER }, { "member", AL_MEMBER }, { "team", AL_MEMBER },
		{ "begeleider", AL_GUIDE }, { "externe-begeleider", AL_GUIDE },
		{ "guide", AL_GUIDE }, { "external-guide", AL_GUIDE },
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (strcasecmp(word, parts[i].w) == 0)
			return parts[i].p;
	return -1;
}

long long al_code_parse(const char *word)
{
	if (strncasecmp(word, "al", 2) == 0) {
		word += 2;
		if (*word == '-')
			word++;
	}
	return args_id(word);
}

void al_add_code(struct strbuf *sb, const struct actionline *l)
{
	sb_addf(sb, "AL%lld", l->short_id);
}

void al_add_people(struct strbuf *sb, const struct wt_ctx *ctx, const struct actionline *l,
		   enum al_part part)
{
	int n = 0;
	for (size_t i = 0; i < l->npeople; i++) {
		if (l->people[i].part != part)
			continue;
		if (n++)
			sb_add(sb, ", ");
		sb_add_person(sb, ctx, l->people[i].user);
	}
	if (!n)
		sb_add(sb, T(ctx, M_AL_NOBODY));
}

/* Reply "unknown code" with the list of the network's codes. */
static int unknown_code(struct wt_ctx *ctx, const char *word)
{
	struct actionline *v;
	size_t n;
	long long total;
	if (al_list_page(ctx->db, ctx->net->name, WT_PAGE_ROWS, 0, &v, &n, &total) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf codes = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_add(&codes, ", ");
		sb_addf(&codes, "`AL%lld` ", v[i].short_id);
		sb_add_md(&codes, v[i].title);
	}
	if (total > (long long)n)
		sb_add(&codes, ", … (`!al`)");
	const char *w = ctx_md(ctx, word);
	int rc = n ? reply_error(ctx, WT_ENOTFOUND, M_AL_UNKNOWN_CODE, w, codes.buf)
		   : reply_error(ctx, WT_ENOTFOUND, M_AL_UNKNOWN_CODE_NONE, w);
	al_free_list(v, n);
	sb_release(&codes);
	return rc;
}

const char *al_read_line(struct wt_ctx *ctx, const char *p, enum msg_id syn,
			 struct actionline *l, int *rc)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(p, &w);
	if (!rest) {
		*rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AL_NO_CODE);
		sb_release(&w);
		return NULL;
	}
	long long sid = al_code_parse(w.buf);
	int found = sid > 0 ? al_load(ctx->db, ctx->net->name, sid, l) : 0;
	if (found < 0) {
		*rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		rest = NULL;
	} else if (!found) {
		*rc = unknown_code(ctx, w.buf);
		rest = NULL;
	}
	sb_release(&w);
	return rest;
}

/* "today", "yesterday", "12 days ago" for instant t. */
static void add_age(struct strbuf *sb, struct wt_ctx *ctx, time_t t)
{
	long days = al_today(ctx) - al_day_of(ctx, t);
	if (days <= 0)
		sb_add(sb, T(ctx, M_AL_AGE_TODAY));
	else if (days == 1)
		sb_add(sb, T(ctx, M_AL_AGE_DAY));
	else
		sb_addm(sb, ctx, M_AL_AGE_DAYS, days);
}

/* !al: one line per action line. */
static int list_lines(struct wt_ctx *ctx, const char *args)
{
	struct actionline *v;
	size_t n;
	long long total;
	struct wt_page pg;
	int rc = page_only(ctx, args, &pg, M_SYN_ACTIONLINE);
	if (rc != WT_OK)
		return rc;
	if (al_list_page(ctx->db, ctx->net->name, pg.limit, pg.offset, &v, &n, &total) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if ((rc = page_check(ctx, &pg, total)) != WT_OK) {
		al_free_list(v, n);
		return rc;
	}
	if (!n) {
		reply_msgf(ctx, M_AL_LIST_NONE);
		free(v);
		return WT_OK;
	}
	long today = al_today(ctx);
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	sb_addm(&sb, ctx, M_AL_LIST_HEADER);
	sb_add(&sb, "\n\n");
	for (size_t i = 0; i < n; i++) {
		const struct actionline *l = &v[i];
		sb_reset(&a);
		sb_add_md(&a, l->title);
		sb_addm(&sb, ctx, M_AL_LIST_ITEM, al_status_marker(l->status), l->short_id,
			a.buf, al_status_name(ctx, l->status));
		sb_add(&sb, "; ");
		const struct al_phase *ph = al_current_phase(l, today);
		if (ph) {
			sb_reset(&a);
			sb_addf(&a, "%d. ", ph->position);
			sb_add_md(&a, ph->name);
			sb_addm(&sb, ctx, M_AL_LIST_PHASE, a.buf);
		} else {
			sb_add(&sb, T(ctx, M_AL_LIST_NO_PHASE));
		}
		sb_add(&sb, "; ");
		const struct al_deliverable *d = al_next_deliv(l);
		if (d) {
			sb_reset(&a);
			sb_reset(&b);
			sb_add_md(&a, d->text);
			al_format_day(&b, ctx, d->due_day);
			if (al_deliv_overdue(d, today)) {
				sb_add(&b, ", ");
				sb_add(&b, T(ctx, M_AL_OVERDUE_TAG));
			}
			sb_addm(&sb, ctx, M_AL_LIST_NEXT, a.buf, b.buf);
		} else {
			sb_add(&sb, T(ctx, M_AL_LIST_NO_NEXT));
		}
		sb_add(&sb, "; ");
		if (l->nupdates) {
			sb_reset(&a);
			add_age(&a, ctx, l->updates[l->nupdates - 1].at);
			sb_addm(&sb, ctx, M_AL_LIST_UPDATE, a.buf);
		} else {
			sb_add(&sb, T(ctx, M_AL_LIST_NO_UPDATE));
		}
		sb_addc(&sb, '\n');
	}
	page_footer(&sb, ctx, &pg, (long long)n, total, "al", "al");
	sb_addc(&sb, '\n');
	sb_addm(&sb, ctx, M_AL_LIST_FOOTER);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&a);
	sb_release(&b);
	al_free_list(v, n);
	return WT_OK;
}

/* Percentage of part in whole, 0 when whole is 0. */
static int percent(long long part, long long whole)
{
	return whole > 0 ? (int)((part * 100 + whole / 2) / whole) : 0;
}

/* The phases block of !al <code>. */
static void show_phases(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	sb_add(sb, "\n\n");
	sb_add(sb, T(ctx, M_AL_SHOW_PHASES));
	sb_add(sb, "\n\n");
	for (size_t i = 0; i < l->nphases; i++) {
		const struct al_phase *p = &l->phases[i];
		sb_reset(&a);
		sb_reset(&b);
		sb_reset(&c);
		sb_add_md(&a, p->name);
		al_format_day(&b, ctx, p->start_day);
		al_format_day(&c, ctx, p->end_day);
		enum msg_id st = p->done_on ? M_AL_PHASE_DONE
				 : p->started_on ? M_AL_PHASE_RUNNING : M_AL_PHASE_PLANNED;
		sb_addm(sb, ctx, M_AL_SHOW_PHASE, p->position, a.buf, b.buf, c.buf, T(ctx, st));
		al_show_phase_gate(sb, ctx, p);
		sb_addc(sb, '\n');
	}
	if (!l->nphases)
		sb_add(sb, T(ctx, M_AL_NONE));
	sb_rtrim(sb);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* The deliverables block of !al <code>. */
static void show_delivs(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l)
{
	long today = al_today(ctx);
	int done = 0, open = 0, late = 0;
	for (size_t i = 0; i < l->ndelivs; i++) {
		done += l->delivs[i].done_on != 0;
		open += l->delivs[i].done_on == 0;
		late += al_deliv_overdue(&l->delivs[i], today);
	}
	sb_add(sb, "\n\n");
	sb_addm(sb, ctx, M_AL_SHOW_DELIVS, done, open, late);
	sb_add(sb, "\n\n");
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	for (size_t i = 0; i < l->ndelivs; i++) {
		const struct al_deliverable *d = &l->delivs[i];
		sb_reset(&a);
		sb_reset(&b);
		sb_add_md(&a, d->text);
		al_format_day(&b, ctx, d->done_on ? d->done_on : d->due_day);
		enum msg_id m = d->done_on ? M_AL_SHOW_DELIV_DONE
				: al_deliv_overdue(d, today) ? M_AL_SHOW_DELIV_LATE : M_AL_SHOW_DELIV_OPEN;
		sb_addm(sb, ctx, m, d->number, a.buf, b.buf);
		sb_addc(sb, '\n');
	}
	sb_rtrim(sb);
	sb_release(&a);
	sb_release(&b);
}

/* !al <code>: the line in full. */
static int show_line(struct wt_ctx *ctx, const struct actionline *l)
{
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	sb_add_md(&a, l->title);
	sb_addm(&sb, ctx, M_AL_SHOW_HEAD, al_status_marker(l->status), l->short_id, a.buf);
	sb_add(&sb, "\n\n");
	sb_reset(&a);
	al_format_day(&a, ctx, al_day_of(ctx, l->status_at));
	sb_addm(&sb, ctx, M_AL_SHOW_STATUS, al_status_name(ctx, l->status), a.buf);
	if (l->status_reason && *l->status_reason) {
		sb_reset(&a);
		sb_add_md(&a, l->status_reason);
		sb_addm(&sb, ctx, M_AL_SHOW_REASON, a.buf);
	}
	if (l->goal && *l->goal) {
		sb_reset(&a);
		sb_add_md(&a, l->goal);
		sb_add(&sb, "\\\n");
		sb_addm(&sb, ctx, M_AL_SHOW_GOAL, a.buf);
	}
	for (int i = 0; i < AL_NPARTS; i++) {
		enum al_part p = al_part_order[i];
		if (p == AL_GUIDE && !al_has_person(l, AL_GUIDE, NULL))
			continue;  /* most lines have no external guide */
		sb_reset(&a);
		al_add_people(&a, ctx, l, p);
		sb_add(&sb, "\\\n");
		sb_addm(&sb, ctx, M_AL_SHOW_PERSON, T(ctx, part_msgs[p]), a.buf);
	}
	al_show_team_wanted(&sb, ctx, l);
	sh_show_for_line(&sb, ctx, l->id, "\\\n");
	show_phases(&sb, ctx, l);
	show_delivs(&sb, ctx, l);
	if (l->nupdates) {
		sb_add(&sb, "\n\n");
		sb_add(&sb, T(ctx, M_AL_SHOW_UPDATES));
		sb_add(&sb, "\n\n");
		size_t from = l->nupdates > AL_SHOW_UPDATES ? l->nupdates - AL_SHOW_UPDATES : 0;
		for (size_t i = l->nupdates; i-- > from;) {
			const struct al_update *u = &l->updates[i];
			sb_reset(&a);
			sb_reset(&b);
			sb_reset(&c);
			al_format_day(&a, ctx, al_day_of(ctx, u->at));
			sb_add_person(&b, ctx, u->author);
			sb_add_md(&c, u->text);
			sb_addm(&sb, ctx, M_AL_SHOW_UPDATE, a.buf, b.buf, c.buf);
			sb_addc(&sb, '\n');
		}
		sb_rtrim(&sb);
	}
	al_show_decisions(&sb, ctx, l);
	al_show_indicators(&sb, ctx, l);
	long long spent = al_spent(l, 0, 0);
	sb_reset(&a);
	sb_reset(&b);
	sb_reset(&c);
	money_format(&a, l->budget_cents, ctx->lang);
	money_format(&b, spent, ctx->lang);
	money_format(&c, l->budget_cents - spent, ctx->lang);
	sb_add(&sb, "\n\n");
	sb_addm(&sb, ctx, M_AL_SHOW_BUDGET, a.buf, b.buf, percent(spent, l->budget_cents), c.buf);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
	return WT_OK;
}

const struct wt_command *al_part_after(struct wt_ctx *ctx, const char *args, int skip,
				       struct strbuf *head)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = args;
	for (int i = 0; i < skip && p; i++) {
		p = args_word(p, &w);
		if (p)
			sb_addf(head, "%s ", w.buf);
	}
	const char *rest = p ? args_word(p, &w) : NULL;
	const struct wt_command *row = rest ? subcommand_find(ctx->cmd, w.buf) : NULL;
	if (row)
		sb_add(head, args_skip_blank(rest));
	sb_release(&w);
	return row;
}

/* !al nieuw, team, wijzig: actionline_team.c (the secretary and up);
 * status, update, fase, resultaat, uitgave: actionline_edit.c (the line's
 * people or a role, checked per line); rapport: actionline_report.c. */
const struct wt_command al_subs[] = {
	{ { "nieuw", "new" }, "add", ROLE_SECRETARY, M_AL_SYN_NEW, M_NONE, al_cmd_new, 0, NULL },
	{ { "team", "team" }, "mensen", ROLE_SECRETARY, M_AL_SYN_TEAM, M_NONE, al_cmd_team,
	  WT_CMD_TAKES_WORD, al_team_subs },
	{ { "wijzig", "edit" }, "set", ROLE_SECRETARY, M_AL_SYN_EDIT, M_NONE, al_cmd_edit, 0,
	  NULL },
	{ { "status", "status" }, NULL, ROLE_MEMBER, M_AL_SYN_STATUS, M_AL_HELP_STATUS,
	  al_cmd_status, 0, NULL },
	{ { "update", "update" }, "voortgang", ROLE_MEMBER, M_AL_SYN_UPDATE, M_AL_HELP_UPDATE,
	  al_cmd_update, 0, NULL },
	{ { "fase", "phase" }, NULL, ROLE_MEMBER, M_AL_SYN_PHASE, M_AL_HELP_MANAGE, al_cmd_phase,
	  WT_CMD_TAKES_WORD, al_phase_subs },
	{ { "resultaat", "deliverable" }, "resultaten", ROLE_MEMBER, M_AL_SYN_DELIV,
	  M_AL_HELP_MANAGE, al_cmd_deliv, WT_CMD_TAKES_WORD, al_deliv_subs },
	{ { "uitgave", "spend" }, "uitgaven", ROLE_MEMBER, M_AL_SYN_SPEND, M_AL_HELP_MANAGE,
	  al_cmd_spend, 0, NULL },
	{ { "indicator", "indicator" }, "indicatoren indicators", ROLE_MEMBER, M_AL_SYN_INDICATOR,
	  M_AL_HELP_INDICATOR, al_cmd_indicator, 0, NULL },
	{ { "meting", "measure" }, "metingen", ROLE_MEMBER, M_AL_SYN_MEASURE, M_AL_HELP_INDICATOR,
	  al_cmd_measure, 0, NULL },
	{ { "rapport", "report" }, "kwartaalrapport", ROLE_MEMBER, M_AL_SYN_REPORT, M_NONE,
	  al_cmd_report, 0, NULL },
	{ { "aanmelden", "join" }, "aanmelding signup", ROLE_MEMBER, M_AL_SYN_JOIN, M_AL_HELP_JOIN,
	  al_cmd_join, 0, NULL },
	{ { "bevestig", "confirm" }, "bevestigen", ROLE_MEMBER, M_AL_SYN_CONFIRM, M_AL_HELP_SIGNUP,
	  al_cmd_confirm, 0, NULL },
	{ { "afwijzen", "decline" }, "afwijs weiger", ROLE_MEMBER, M_AL_SYN_DECLINE,
	  M_AL_HELP_SIGNUP, al_cmd_decline, 0, NULL },
	WT_SUBS_END,
};

/* !al [<code> | pagina N]: every line, or one in full. */
int cmd_actionline(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	int rc;
	if (!rest || args_is(w.buf, "pagina", "page")) {
		rc = list_lines(ctx, args);
	} else if (al_code_parse(w.buf) > 0) {
		struct actionline l;
		const char *p = al_read_line(ctx, args, M_SYN_ACTIONLINE, &l, &rc);
		if (p) {
			rc = show_line(ctx, &l);
			al_free(&l);
		}
	} else {
		rc = reply_unknown_sub(ctx, w.buf);
	}
	sb_release(&w);
	return rc;
}
