/* report: `!rapport` / `!report`: the scheduled, compiled and posted
 * reports of the network, one of them, and the lead's check (approve,
 * add); see handlers/report.h. */
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/report.h"

/* Most reports `!rapport` lists (the newest). */
#define REPORT_LIST_MAX 20

/* "gepland: samenstellen op ..., plaatsen op ..." and the other states of
 * r into sb. */
static void add_state(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r)
{
	struct al_period p;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, who = STRBUF_INIT;
	if (report_period(ctx, r, &p) < 0)
		memset(&p, 0, sizeof p);
	time_t post = report_post_at(ctx, &p);
	switch (r->state) {
	case REPORT_SCHEDULED:
		when_format_date(&a, report_compile_at(ctx, &p), ctx->net->tz, ctx->lang);
		when_format_date(&b, post, ctx->net->tz, ctx->lang);
		sb_addm(sb, ctx, M_RPT_ST_SCHEDULED, a.buf, b.buf);
		break;
	case REPORT_COMPILED:
		when_format_date(&a, r->compiled_at, ctx->net->tz, ctx->lang);
		when_format_date(&b, post, ctx->net->tz, ctx->lang);
		sb_addm(sb, ctx, M_RPT_ST_COMPILED, a.buf, b.buf);
		break;
	case REPORT_APPROVED:
		sb_add_person(&who, ctx, r->approved_by ? r->approved_by : "");
		when_format_date(&a, r->approved_at, ctx->net->tz, ctx->lang);
		when_format_date(&b, post, ctx->net->tz, ctx->lang);
		sb_addm(sb, ctx, M_RPT_ST_APPROVED, who.buf, a.buf, b.buf);
		break;
	case REPORT_POSTED:
		when_format_date(&a, r->posted_at, ctx->net->tz, ctx->lang);
		sb_addm(sb, ctx, r->unchecked ? M_RPT_ST_POSTED_UNCHECKED : M_RPT_ST_POSTED, a.buf);
		break;
	}
	sb_release(&a);
	sb_release(&b);
	sb_release(&who);
}

/* "- **3** kwartaalrapportage AL1 ..., K1 2027 — gepland: ..." into sb. */
static void add_line(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r,
		     enum msg_id fmt)
{
	struct strbuf what = STRBUF_INIT, label = STRBUF_INIT, state = STRBUF_INIT;
	report_describe(&what, ctx, r);
	report_period_label(&label, ctx, r);
	add_state(&state, ctx, r);
	sb_addm(sb, ctx, fmt, r->short_id, what.buf, label.buf, state.buf);
	sb_release(&what);
	sb_release(&label);
	sb_release(&state);
}

static int list_reports(struct wt_ctx *ctx)
{
	struct wt_report *v;
	int n = reports_recent(ctx->db, ctx->net->name, REPORT_LIST_MAX, &v);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (n == 0) {
		reply_add(ctx, T(ctx, M_RPT_LIST_NONE));
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, T(ctx, M_RPT_LIST_HEAD));
	sb_add(&sb, "\n\n");
	for (int i = 0; i < n; i++) {
		add_line(&sb, ctx, &v[i], M_RPT_LIST_LINE);
		sb_addc(&sb, '\n');
	}
	sb_addc(&sb, '\n');
	sb_add(&sb, T(ctx, M_RPT_LIST_HINT));
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	reports_list_free(v, (size_t)n);
	return WT_OK;
}

/* The report "<nr>" at args (the rest after it in *rest): 1 found (out),
 * else the refusal added and its code. */
static int read_report(struct wt_ctx *ctx, const char *args, enum msg_id syn, const char **rest,
		       struct wt_report *out)
{
	struct strbuf w = STRBUF_INIT;
	*rest = args_word(args, &w);
	long long id = *rest ? args_id(w.buf) : -1;
	sb_release(&w);
	if (id <= 0)
		return reply_usage(ctx, M_RPT_E_ID, syn);
	int found = reports_by_short(ctx->db, ctx->net->name, id, out);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (found == REPORT_NONE)
		return reply_error(ctx, WT_ENOTFOUND, M_RPT_E_NOT_FOUND, id);
	return 1;
}

static int show_report(struct wt_ctx *ctx, const struct wt_report *r)
{
	struct strbuf sb = STRBUF_INIT;
	add_line(&sb, ctx, r, M_RPT_SHOW_HEAD);
	int rc = WT_OK;
	if (r->state != REPORT_SCHEDULED) {
		sb_add(&sb, "\n\n");
		int unchecked = r->state == REPORT_POSTED ? r->unchecked
				: r->state == REPORT_APPROVED ? 0 : -1;
		if (report_final_md(&sb, ctx, r, unchecked) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK && (r->state == REPORT_COMPILED || r->state == REPORT_APPROVED)) {
		sb_rtrim(&sb);
		sb_add(&sb, "\n\n");
		sb_addm(&sb, ctx, M_RPT_SHOW_HINT, r->short_id, r->short_id);
	}
	if (rc == WT_OK)
		reply_add(ctx, sb.buf);
	sb_release(&sb);
	return rc;
}

int cmd_report(struct wt_ctx *ctx, const char *args)
{
	if (!*args_skip_blank(args))
		return list_reports(ctx);
	struct wt_report r;
	const char *rest;
	int rc = read_report(ctx, args, M_SYN_REPORT, &rest, &r);
	if (rc != 1)
		return rc;
	if ((rc = reply_if_extra(ctx, rest)) == WT_OK)
		rc = show_report(ctx, &r);
	report_free(&r);
	return rc;
}

/* The checks approve and add share: r is compiled and not posted, and the
 * sender checks it (a project lead of its line; the chair). WT_OK or the
 * refusal. */
static int may_check(struct wt_ctx *ctx, const struct wt_report *r)
{
	struct al_period p;
	struct strbuf day = STRBUF_INIT;
	int rc = WT_OK;
	if (report_period(ctx, r, &p) < 0)
		memset(&p, 0, sizeof p);
	if (r->state == REPORT_SCHEDULED) {
		when_format_date(&day, report_compile_at(ctx, &p), ctx->net->tz, ctx->lang);
		rc = reply_error(ctx, WT_EUSAGE, M_RPT_E_NOT_COMPILED, r->short_id, day.buf);
	} else if (r->state == REPORT_POSTED) {
		when_format_date(&day, r->posted_at, ctx->net->tz, ctx->lang);
		rc = reply_error(ctx, WT_EUSAGE, M_RPT_E_POSTED, r->short_id, day.buf);
	} else if (r->line_key == REPORT_PROGRAMME) {
		rc = reply_require_role_unless(ctx, ROLE_CHAIR, 0, M_RPT_E_ONLY_CHAIR, r->short_id);
	} else {
		struct actionline l;
		long long code = al_load_id(ctx->db, r->line_key, &l) > 0 ? l.short_id : 0;
		if (code)
			al_free(&l);
		rc = reply_require_role_unless(ctx, ROLE_CHAIR, report_is_reviewer(ctx, r),
					       M_RPT_E_ONLY_LEAD, code, r->short_id);
	}
	sb_release(&day);
	return rc;
}

/* The post day of r as a date, into sb. */
static void add_post_day(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r)
{
	struct al_period p;
	if (report_period(ctx, r, &p) == 0)
		when_format_long(sb, report_post_at(ctx, &p), ctx->now, ctx->net->tz, ctx->lang);
}

static int approve_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_report r;
	const char *rest;
	int rc = read_report(ctx, args, M_RPT_SYN_APPROVE, &rest, &r);
	if (rc != 1)
		return rc;
	rc = reply_if_extra(ctx, rest);
	if (rc == WT_OK && r.state == REPORT_APPROVED) {
		struct strbuf who = STRBUF_INIT;
		sb_add_person(&who, ctx, r.approved_by ? r.approved_by : "");
		rc = reply_error(ctx, WT_EUSAGE, M_RPT_E_APPROVED, r.short_id, who.buf);
		sb_release(&who);
	}
	if (rc == WT_OK)
		rc = may_check(ctx, &r);
	if (rc == WT_OK && reports_set_approved(ctx->db, r.id, ctx->sender, ctx->now) != REPORT_FOUND)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf day = STRBUF_INIT;
		add_post_day(&day, ctx, &r);
		reply_msgf(ctx, M_RPT_APPROVED, r.short_id, day.buf);
		sb_release(&day);
	}
	report_free(&r);
	return rc;
}

/* Longest addition, in characters. */
#define REPORT_ADDITION_MAX 2000

static int add_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_report r;
	const char *rest;
	int rc = read_report(ctx, args, M_RPT_SYN_ADD, &rest, &r);
	if (rc != 1)
		return rc;
	struct strbuf text = STRBUF_INIT;
	sb_add(&text, args_skip_blank(rest));
	sb_rtrim(&text);
	rc = !text.len ? reply_usage(ctx, M_RPT_E_NO_TEXT, M_RPT_SYN_ADD) : WT_OK;
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_RPT_FIELD_ADDITION, text.buf, REPORT_ADDITION_MAX);
	if (rc == WT_OK)
		rc = may_check(ctx, &r);
	if (rc == WT_OK && reports_add_addition(ctx->db, r.id, ctx->sender, text.buf, ctx->now)
			   != REPORT_FOUND)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf day = STRBUF_INIT;
		add_post_day(&day, ctx, &r);
		reply_msgf(ctx, M_RPT_ADDED, r.short_id, day.buf);
		sb_release(&day);
	}
	sb_release(&text);
	report_free(&r);
	return rc;
}

const struct wt_command report_subs[] = {
	{ { "akkoord", "approve" }, "goedkeuren", ROLE_MEMBER, M_RPT_SYN_APPROVE, M_NONE,
	  approve_cmd, 0, NULL },
	{ { "aanvulling", "addition" }, "aanvullen correctie add", ROLE_MEMBER, M_RPT_SYN_ADD,
	  M_NONE, add_cmd, 0, NULL },
	WT_SUBS_END,
};
