/* goals_view: what !doel shows (every goal, or one with its history), the
 * goals paragraph of the half-year report, and when a goal is due to be
 * measured. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/goals.h"
#include "handlers/names.h"
#include "handlers/number.h"
#include "handlers/reply.h"
#include "lib/tz.h"

long long goal_next_due(const struct wt_ctx *ctx, const struct goal *g, long long last)
{
	if (!g->freq || !g->owner)
		return 0;
	long day = al_day_of(ctx, (time_t)(last ? last : g->created_at));
	int y, m, d;
	tz_civil_from_days(day, &y, &m, &d);
	m += (int)g->freq;
	while (m > 12) {
		m -= 12;
		y++;
	}
	int dim = tz_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return (long long)al_day_start(ctx, (long)tz_days_from_civil(y, m, d), AL_REMIND_HOUR);
}

/* "doel 8 (cijfer), periode 2022-2024": what the goal aims at. */
static void add_aim(struct strbuf *sb, const struct wt_ctx *ctx, const struct goal *g)
{
	struct strbuf a = STRBUF_INIT;
	if (g->has_target) {
		goal_add_value(&a, ctx, g->target, g->unit);
		sb_addm(sb, ctx, M_GOAL_AIM_TARGET, a.buf);
	} else {
		sb_add(sb, T(ctx, M_GOAL_AIM_NONE));
	}
	if (g->period && *g->period) {
		sb_reset(&a);
		sb_add_md(&a, g->period);
		sb_addm(sb, ctx, M_GOAL_AIM_PERIOD, a.buf);
	}
	sb_release(&a);
}

/* "laatste meting 7,6 op 1 mrt 2027, ↑ gestegen (was 7,2)" from the last
 * two measurements (n of them, oldest first). */
static void add_latest(struct strbuf *sb, const struct wt_ctx *ctx, const struct goal *g,
		       const struct goal_measurement *m, size_t n)
{
	if (!n) {
		sb_add(sb, T(ctx, M_GOAL_NO_MEASURE));
		return;
	}
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	const struct goal_measurement *last = &m[n - 1];
	goal_add_value(&a, ctx, last->value, g->unit);
	al_format_day(&b, ctx, al_day_of(ctx, (time_t)last->at));
	sb_addm(sb, ctx, M_GOAL_LATEST, a.buf, b.buf);
	if (n >= 2) {
		goal_add_value(&c, ctx, m[n - 2].value, g->unit);
		sb_addm(sb, ctx, M_GOAL_LATEST_TREND, goal_trend(ctx, m[n - 2].value, last->value),
			c.buf);
	}
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

int goal_list_reply(struct wt_ctx *ctx)
{
	struct goal *v;
	size_t n;
	if (goal_list(ctx->db, ctx->net->name, &v, &n) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!n) {
		reply_msgf(ctx, M_GOAL_LIST_NONE);
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT;
	sb_addm(&sb, ctx, M_GOAL_LIST_HEADER);
	sb_add(&sb, "\n\n");
	int rc = WT_OK;
	for (size_t i = 0; i < n && rc == WT_OK; i++) {
		struct goal_measurement *m;
		size_t nm;
		if (goal_measurements(ctx->db, v[i].id, 0, 2, &m, &nm, NULL) < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
			break;
		}
		sb_reset(&a);
		sb_add_md(&a, v[i].title);
		sb_addm(&sb, ctx, M_GOAL_LIST_ITEM, v[i].short_id, a.buf);
		add_aim(&sb, ctx, &v[i]);
		sb_add(&sb, "; ");
		add_latest(&sb, ctx, &v[i], m, nm);
		sb_addc(&sb, '\n');
		goal_measurements_free(m, nm);
	}
	if (rc == WT_OK) {
		sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, M_GOAL_LIST_FOOTER);
		reply_add(ctx, sb.buf);
	}
	sb_release(&sb);
	sb_release(&a);
	goal_free_list(v, n);
	return rc;
}

/* The owner and frequency line of one goal, with the next due day. */
static void add_owner(struct strbuf *sb, struct wt_ctx *ctx, const struct goal *g,
		      long long last)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	if (g->owner)
		sb_add_person(&a, ctx, g->owner);
	else
		sb_add(&a, T(ctx, M_AL_NOBODY));
	sb_addm(sb, ctx, M_GOAL_SHOW_OWNER, a.buf, goal_freq_name(ctx, g->freq));
	long long due = goal_next_due(ctx, g, last);
	if (due) {
		long dday = al_day_of(ctx, (time_t)due);
		al_format_day(&b, ctx, dday);
		sb_addm(sb, ctx, dday < al_today(ctx) ? M_GOAL_SHOW_OVERDUE : M_GOAL_SHOW_DUE, b.buf);
	}
	sb_release(&a);
	sb_release(&b);
}

int goal_show_reply(struct wt_ctx *ctx, const struct goal *g)
{
	struct goal_measurement *m;
	size_t n;
	long long total;
	if (goal_measurements(ctx->db, g->id, 0, GOAL_SHOW_HISTORY, &m, &n, &total) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	sb_add_md(&a, g->title);
	sb_addm(&sb, ctx, M_GOAL_SHOW_HEAD, g->short_id, a.buf);
	sb_add(&sb, "\n\n");
	add_aim(&sb, ctx, g);
	sb_add(&sb, "\\\n");
	add_owner(&sb, ctx, g, n ? m[n - 1].at : 0);
	sb_add(&sb, "\\\n");
	add_latest(&sb, ctx, g, m, n);
	sb_add(&sb, "\n\n");
	if (n) {
		sb_add(&sb, T(ctx, M_GOAL_SHOW_HISTORY));
		sb_add(&sb, "\n\n");
	}
	for (size_t i = n; i-- > 0;) {
		sb_reset(&a);
		sb_reset(&b);
		sb_reset(&c);
		al_format_day(&a, ctx, al_day_of(ctx, (time_t)m[i].at));
		goal_add_value(&b, ctx, m[i].value, g->unit);
		sb_addm(&sb, ctx, M_GOAL_SHOW_ROW, a.buf, b.buf);
		if (i > 0)
			sb_addm(&sb, ctx, M_GOAL_SHOW_ROW_TREND, goal_trend(ctx, m[i - 1].value, m[i].value));
		if (m[i].source) {
			sb_add_md(&c, m[i].source);
			sb_addm(&sb, ctx, M_GOAL_SHOW_ROW_SOURCE, c.buf);
		}
		sb_addc(&sb, '\n');
	}
	if (total > (long long)n) {
		sb_reset(&a);
		sb_addcount(&a, ctx, M_N_MEASURE_ONE, total - (long long)n);
		sb_addm(&sb, ctx, M_GOAL_SHOW_EARLIER, a.buf);
	}
	sb_rtrim(&sb);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
	goal_measurements_free(m, n);
	return WT_OK;
}

int goals_report_section(struct strbuf *md, struct wt_ctx *ctx, long long asof)
{
	struct goal *v;
	size_t n;
	if (goal_list(ctx->db, ctx->net->name, &v, &n) < 0)
		return -1;
	if (!n) {
		free(v);
		return 0;
	}
	sb_add(md, "\n\n## ");
	sb_add(md, T(ctx, M_GOAL_REPORT_HEAD));
	sb_add(md, "\n\n");
	struct strbuf a = STRBUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct goal_measurement *m;
		size_t nm;
		if (goal_measurements(ctx->db, v[i].id, asof, 2, &m, &nm, NULL) < 0) {
			rc = -1;
			break;
		}
		sb_reset(&a);
		sb_add_md(&a, v[i].title);
		sb_add(md, "- ");
		sb_addm(md, ctx, M_GOAL_LIST_ITEM, v[i].short_id, a.buf);
		add_aim(md, ctx, &v[i]);
		sb_add(md, "; ");
		add_latest(md, ctx, &v[i], m, nm);
		sb_addc(md, '\n');
		goal_measurements_free(m, nm);
	}
	sb_rtrim(md);
	sb_release(&a);
	goal_free_list(v, n);
	return rc;
}
