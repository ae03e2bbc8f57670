/* goals_remind: the "goal." reminder family. A goal with an owner and a
 * frequency is due to be measured a frequency after its last measurement
 * (or after it was set); on that day at AL_REMIND_HOUR its owner gets a
 * direct message (kind "goal.due", source key "goal:<row id>:due"), and
 * GOAL_LATE_DAYS later, when still nothing came in, a second one that says
 * it is overdue ("goal.overdue", "goal:<row id>:late"). A new measurement
 * moves both (the reminder_dirty triggers of migration 35 mark the goal). */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/goals.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "storage/reminders.h"

#define GOAL_KIND_DUE "goal.due"
#define GOAL_KIND_LATE "goal.overdue"
/* Days after the due day that an owner who did not measure is reminded
 * again. */
#define GOAL_LATE_DAYS 7

/* "goal:<id>:" and then "due" or "late" (late 1). */
static void goal_key(struct strbuf *sb, long long id, int late)
{
	sb_addf(sb, "goal:%lld:", id);
	if (late >= 0)
		sb_add(sb, late ? "late" : "due");
}

/* The instant of the last measurement of goal id (0 when none), or -1. */
static long long last_at(struct wt_ctx *ctx, long long id)
{
	struct goal_measurement *m;
	size_t n;
	if (goal_measurements(ctx->db, id, 0, 1, &m, &n, NULL) < 0)
		return -1;
	long long at = n ? m[0].at : 0;
	goal_measurements_free(m, n);
	return at;
}

/* Want or cancel the reminder of g: 1 when one is wanted, 0 when not,
 * negative on error. */
static int sync_goal(struct wt_ctx *ctx, const struct goal *g)
{
	struct strbuf key = STRBUF_INIT;
	long long last = last_at(ctx, g->id);
	long long due = last < 0 ? 0 : goal_next_due(ctx, g, last);
	int rc = 1;
	if (last < 0) {
		rc = -1;
	} else if (!due) {
		goal_key(&key, g->id, -1);
		rc = reminders_cancel_generated(ctx->db, key.buf) < 0 ? -1 : 0;
	}
	for (int late = 0; rc > 0 && late <= 1; late++) {
		sb_reset(&key);
		goal_key(&key, g->id, late);
		time_t at = (time_t)due + (late ? GOAL_LATE_DAYS * 86400 : 0);
		if (reminder_want(ctx, g->network, key.buf, late ? GOAL_KIND_LATE : GOAL_KIND_DUE,
				  g->id, g->owner, NULL, at) < 0)
			rc = -1;
	}
	sb_release(&key);
	return rc;
}

int goal_reminder_generate_ref(struct wt_ctx *ctx, long long goal_id)
{
	struct goal g;
	int found = goal_load_id(ctx->db, goal_id, &g);
	if (found < 0)
		return -1;
	int rc = 0;
	if (found && ctx->net && strcmp(g.network, ctx->net->name) == 0) {
		rc = sync_goal(ctx, &g) < 0 ? -1 : 0;
	} else {
		struct strbuf key = STRBUF_INIT;
		goal_key(&key, goal_id, -1);
		rc = reminders_cancel_generated(ctx->db, key.buf) < 0 ? -1 : 0;
		sb_release(&key);
	}
	if (found)
		goal_free(&g);
	return rc;
}

int goal_reminder_generate(struct wt_ctx *ctx)
{
	if (!ctx->net || !ctx->net->name)
		return 0;
	struct goal *v;
	size_t n;
	if (goal_list(ctx->db, ctx->net->name, &v, &n) < 0)
		return -1;
	int rc = 0;
	struct reminder_keys wanted = { 0 };
	struct strbuf key = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int w = sync_goal(ctx, &v[i]);
		if (w < 0)
			rc = -1;
		for (int late = 0; w > 0 && late <= 1; late++) {
			sb_reset(&key);
			goal_key(&key, v[i].id, late);
			reminder_keys_add(&wanted, key.buf);
		}
	}
	goal_free_list(v, n);
	sb_release(&key);
	return reminder_keys_settle(ctx, "goal:", &wanted, rc);
}

int goal_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			 struct strbuf *out)
{
	int late = strcmp(kind, GOAL_KIND_LATE) == 0;
	if (!late && strcmp(kind, GOAL_KIND_DUE) != 0)
		return 1;
	struct goal g;
	int found = goal_load_id(ctx->db, ref_id, &g);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	long long last = last_at(ctx, g.id);
	int rc = last < 0 ? -1 : 1;
	long long due = last < 0 ? 0 : goal_next_due(ctx, &g, last);
	/* Still due: no measurement came in since the reminder was set. */
	if (due && due <= (long long)ctx->now + 86400) {
		struct strbuf t = STRBUF_INIT, a = STRBUF_INIT;
		sb_add_md(&t, g.title);
		if (last)
			al_format_day(&a, ctx, al_day_of(ctx, (time_t)last));
		struct strbuf b = STRBUF_INIT;
		al_format_day(&b, ctx, al_day_of(ctx, (time_t)due));
		if (late)
			sb_addm(out, ctx, M_GOAL_REMIND_LATE, g.short_id, t.buf, b.buf, g.short_id);
		else if (last)
			sb_addm(out, ctx, M_GOAL_REMIND, g.short_id, t.buf, goal_freq_name(ctx, g.freq),
				a.buf, g.short_id);
		else
			sb_addm(out, ctx, M_GOAL_REMIND_FIRST, g.short_id, t.buf,
				goal_freq_name(ctx, g.freq), g.short_id);
		sb_release(&b);
		sb_release(&t);
		sb_release(&a);
		rc = 0;
	}
	goal_free(&g);
	return rc;
}
