/* goals: what the files of !doel / !goal share (handlers/goals.c,
 * goals_view.c, goals_remind.c), the indicators of an action line
 * (handlers/actionline_indicator.c), and the reminder family "goal.". */
#ifndef WT_HANDLERS_GOALS_H
#define WT_HANDLERS_GOALS_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/actionlines.h"
#include "storage/goals.h"

/* Measurements !doel <id> shows. */
#define GOAL_SHOW_HISTORY 12

/* The frequency named by word (and for "per kwartaal" the next word:
 * *used 1 or 2), or -1. */
int goal_freq_word(const char *word, const char *next, int *used);
/* "maandelijks", "per kwartaal", ... */
const char *goal_freq_name(const struct wt_ctx *ctx, enum goal_freq f);

/* "8 (cijfer)" / "95 %": value and the goal's unit. */
void goal_add_value(struct strbuf *sb, const struct wt_ctx *ctx, double v, const char *unit);
/* "↑ gestegen", "↓ gedaald", "→ gelijk gebleven" for cur after prev. */
const char *goal_trend(const struct wt_ctx *ctx, double prev, double cur);

/* Read "<waarde> [datum] [bron]" at p for a measurement: the value (Dutch
 * form, handlers/number.h), an optional past day (ctx_when), the rest of
 * the line as source (may be empty). WT_OK or the refusal with syn. */
int goal_read_measure(struct wt_ctx *ctx, const char *p, enum msg_id syn, double *value,
		      long long *at, long *day, struct strbuf *source);

/* Read the goal number at p and load it: the position after it, or NULL
 * with the refusal added and *rc set (goals.c). */
const char *goal_read(struct wt_ctx *ctx, const char *p, enum msg_id syn, struct goal *g,
		      int *rc);
/* The form lines of a goal (`doel:`, `eenheid:`, `periode:`; `eigenaar:`,
 * `meetfrequentie:`) present in rest, into g (the strings point into the
 * buffers); refusals with syn. WT_OK or the refusal. */
int goal_read_fields(struct wt_ctx *ctx, const char *rest, struct goal *g, struct strbuf *unit,
		     struct strbuf *period, enum msg_id syn);
int goal_read_owner_freq(struct wt_ctx *ctx, const char *rest, struct goal *g,
			 struct strbuf *owner, enum msg_id syn);
/* !doel wijzig (goals_edit.c). */
int goal_cmd_edit(struct wt_ctx *ctx, const char *args);

/* !doel, !doel <id>, and the list (goals_view.c). */
int goal_list_reply(struct wt_ctx *ctx);
int goal_show_reply(struct wt_ctx *ctx, const struct goal *g);
/* The goals paragraph of the half-year report as of instant asof. */
int goals_report_section(struct strbuf *md, struct wt_ctx *ctx, long long asof);

/* The instant a measurement of g is due (the last one, or its creation,
 * plus the frequency), at AL_REMIND_HOUR; 0 when g is not measured on a
 * schedule. last is the last measurement's instant or 0. */
long long goal_next_due(const struct wt_ctx *ctx, const struct goal *g, long long last);

/* ---- reminders (goals_remind.c): kind "goal.overdue" to the owner on the
 * day a measurement is due. ---- */
int goal_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			 struct strbuf *out);
int goal_reminder_generate(struct wt_ctx *ctx);
int goal_reminder_generate_ref(struct wt_ctx *ctx, long long goal_id);

/* ---- indicators (actionline_indicator.c) ---- */
int al_cmd_indicator(struct wt_ctx *ctx, const char *args);
int al_cmd_measure(struct wt_ctx *ctx, const char *args);
/* The indicators block of !al <code>. */
void al_show_indicators(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l);
/* The effect paragraph of a report: each indicator's 0-measurement, its
 * latest up to day asof and those in from..asof. */
void al_report_indicators(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			  long from, long asof, int level);

#endif
