/* !doel / !goal (also !doelen / !goals): the goals of the network.
 *
 *   !doel                                 every goal: target, latest value, trend
 *   !doel <id>                            one goal with its measurements
 *   !doel nieuw <titel>                   (secretary, chair) with lines
 *         doel:, eenheid:, periode:, eigenaar:, meetfrequentie:
 *   !doel meting <id> <waarde> [datum] [bron]
 *                                         (secretary, chair or the owner)
 *
 * The latest value and the trend are derived when shown; a poll tied to a
 * goal records its result through goal_measurement_add. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/goals.h"
#include "handlers/names.h"
#include "handlers/number.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "handlers/when_ctx.h"

int goal_freq_word(const char *word, const char *next, int *used)
{
	static const struct { const char *a, *b; int f; } two[] = {
		{ "per", "maand", GOAL_FREQ_MONTH }, { "per", "kwartaal", GOAL_FREQ_QUARTER },
		{ "per", "halfjaar", GOAL_FREQ_HALF }, { "per", "jaar", GOAL_FREQ_YEAR },
		{ "per", "month", GOAL_FREQ_MONTH }, { "per", "quarter", GOAL_FREQ_QUARTER },
		{ "per", "year", GOAL_FREQ_YEAR },
	};
	static const struct { const char *w; int f; } one[] = {
		{ "maandelijks", GOAL_FREQ_MONTH }, { "maand", GOAL_FREQ_MONTH },
		{ "monthly", GOAL_FREQ_MONTH }, { "kwartaal", GOAL_FREQ_QUARTER },
		{ "driemaandelijks", GOAL_FREQ_QUARTER }, { "quarterly", GOAL_FREQ_QUARTER },
		{ "halfjaarlijks", GOAL_FREQ_HALF }, { "halfjaar", GOAL_FREQ_HALF },
		{ "half-yearly", GOAL_FREQ_HALF }, { "jaarlijks", GOAL_FREQ_YEAR },
		{ "jaar", GOAL_FREQ_YEAR }, { "yearly", GOAL_FREQ_YEAR },
		{ "annually", GOAL_FREQ_YEAR }, { "geen", GOAL_FREQ_NONE },
		{ "none", GOAL_FREQ_NONE },
	};
	*used = 1;
	for (size_t i = 0; next && i < sizeof two / sizeof two[0]; i++)
		if (strcasecmp(word, two[i].a) == 0 && strcasecmp(next, two[i].b) == 0) {
			*used = 2;
			return two[i].f;
		}
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
		if (strcasecmp(word, one[i].w) == 0)
			return one[i].f;
	return -1;
}

const char *goal_freq_name(const struct wt_ctx *ctx, enum goal_freq f)
{
	switch (f) {
	case GOAL_FREQ_MONTH: return T(ctx, M_GOAL_FREQ_MONTH);
	case GOAL_FREQ_QUARTER: return T(ctx, M_GOAL_FREQ_QUARTER);
	case GOAL_FREQ_HALF: return T(ctx, M_GOAL_FREQ_HALF);
	case GOAL_FREQ_YEAR: return T(ctx, M_GOAL_FREQ_YEAR);
	default: return T(ctx, M_GOAL_FREQ_NONE);
	}
}

void goal_add_value(struct strbuf *sb, const struct wt_ctx *ctx, double v, const char *unit)
{
	number_format(sb, v, ctx->lang);
	if (unit && *unit) {
		if (strcmp(unit, "%") != 0)
			sb_addc(sb, ' ');
		sb_add_md(sb, unit);
	}
}

const char *goal_trend(const struct wt_ctx *ctx, double prev, double cur)
{
	double d = cur - prev;
	if (d > 1e-9)
		return T(ctx, M_GOAL_TREND_UP);
	if (d < -1e-9)
		return T(ctx, M_GOAL_TREND_DOWN);
	return T(ctx, M_GOAL_TREND_SAME);
}

/* The value at p: WT_OK with *value and *used, or the refusal. */
static int read_value(struct wt_ctx *ctx, const char *p, enum msg_id syn, double *value,
		      size_t *used)
{
	int m = number_parse(p, value, used);
	if (m == NUMBER_OK)
		return WT_OK;
	if (m == NUMBER_EMPTY)
		return reply_usagef(ctx, WT_EUSAGE, syn, M_GOAL_NEED_VALUE);
	struct strbuf w = STRBUF_INIT;
	args_word(p, &w);
	int rc = reply_usage_text(ctx, WT_EUSAGE, syn, m == NUMBER_TOO_BIG ? M_GOAL_VALUE_BIG
				  : M_GOAL_VALUE_BAD, w.buf);
	sb_release(&w);
	return rc;
}

int goal_read_measure(struct wt_ctx *ctx, const char *p, enum msg_id syn, double *value,
		      long long *at, long *day, struct strbuf *source)
{
	size_t used;
	int rc = read_value(ctx, p, syn, value, &used);
	if (rc != WT_OK)
		return rc;
	p += used;
	struct when_out w;
	*at = ctx->now;
	*day = -1;
	int wr = ctx_when(ctx, p, 12, WHEN_DAY | WHEN_PAST_OK, &w);
	if (wr == WHEN_OK) {
		if (w.day > al_today(ctx))
			return reply_usagef(ctx, WT_EUSAGE, syn, M_GOAL_FUTURE);
		/* Today's measurement is now; another day's at noon. */
		if (w.day != al_today(ctx))
			*at = w.at;
		*day = w.day;
		p += w.used;
	}
	args_line(p, source);
	return reply_if_too_long(ctx, M_GOAL_F_SOURCE, source->buf, WT_MAX_FIELD);
}

/* The field lines `!doel nieuw` reads. */
static const struct args_key new_keys[] = {
	{ "doel", "target" }, { "eenheid", "unit" }, { "periode", "period" },
	{ "eigenaar", "owner" }, { "meetfrequentie", "frequency" },
};

/* The target, unit and period lines of `!doel nieuw` into g (goals.h). */
int goal_read_fields(struct wt_ctx *ctx, const char *rest, struct goal *g, struct strbuf *unit,
		     struct strbuf *period, enum msg_id syn)
{
	struct strbuf f = STRBUF_INIT;
	int rc = WT_OK;
	if (args_field(rest, "doel", "target", &f) || args_field(rest, "streefwaarde", "goal", &f)) {
		size_t used;
		rc = read_value(ctx, f.buf, syn, &g->target, &used);
		if (rc == WT_OK && *args_skip_blank(f.buf + used)) {
			/* "doel: 8 (cijfer)": the rest is the unit when none is given. */
			if (!args_field(rest, "eenheid", "unit", unit))
				sb_add(unit, args_skip_blank(f.buf + used));
		}
		g->has_target = rc == WT_OK;
	}
	if (rc == WT_OK && !unit->len)
		args_field(rest, "eenheid", "unit", unit);
	if (rc == WT_OK && unit->len)
		rc = reply_if_too_long(ctx, M_GOAL_F_UNIT, unit->buf, 40);
	if (rc == WT_OK && args_field(rest, "periode", "period", period))
		rc = reply_if_too_long(ctx, M_GOAL_F_PERIOD, period->buf, 80);
	if (unit->len)
		g->unit = unit->buf;
	if (period->len)
		g->period = period->buf;
	sb_release(&f);
	return rc;
}

/* The owner and frequency lines into g (goals.h). */
int goal_read_owner_freq(struct wt_ctx *ctx, const char *rest, struct goal *g,
			 struct strbuf *owner, enum msg_id syn)
{
	struct strbuf f = STRBUF_INIT, w1 = STRBUF_INIT, w2 = STRBUF_INIT;
	int rc = WT_OK;
	if (args_field(rest, "eigenaar", "owner", &f)) {
		const char *after;
		int pr = person_arg(ctx, f.buf, owner, &after, syn);
		rc = pr == PERSON_NONE ? reply_usagef(ctx, WT_EUSAGE, syn, M_GOAL_NEED_OWNER)
		     : pr;
		if (rc == WT_OK && *args_skip_blank(after))
			rc = reply_usagef(ctx, WT_EUSAGE, syn, M_GOAL_ONE_OWNER);
		g->owner = owner->buf;
	}
	if (rc == WT_OK && args_field(rest, "meetfrequentie", "frequency", &f)) {
		const char *q = args_word(f.buf, &w1);
		const char *q2 = q ? args_word(q, &w2) : NULL;
		int used;
		int fr = goal_freq_word(w1.buf, q2 ? w2.buf : NULL, &used);
		const char *tail = used == 2 ? q2 : q;
		if (fr < 0 || (tail && *args_skip_blank(tail)))
			rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_GOAL_FREQ_BAD, f.buf);
		else
			g->freq = (enum goal_freq)fr;
	}
	sb_release(&f);
	sb_release(&w1);
	sb_release(&w2);
	return rc;
}

/* !doel nieuw <titel> with optional field lines. */
static int goal_cmd_new(struct wt_ctx *ctx, const char *args)
{
	struct strbuf title = STRBUF_INIT, unit = STRBUF_INIT, period = STRBUF_INIT,
		      owner = STRBUF_INIT;
	const char *rest = args_line(args, &title);
	int rc = WT_OK;
	if (!title.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_GOAL_SYN_NEW, M_GOAL_NEED_TITLE);
	else
		rc = reply_if_too_long(ctx, M_FIELD_TITLE, title.buf, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = reply_if_empty_field(ctx, rest, new_keys, sizeof new_keys / sizeof new_keys[0],
					  M_GOAL_SYN_NEW);
	struct goal g = { 0 };
	g.network = (char *)ctx->net->name;
	g.title = title.buf;
	g.created_by = (char *)ctx->sender;
	g.created_at = ctx->now;
	if (rc == WT_OK)
		rc = goal_read_fields(ctx, rest, &g, &unit, &period, M_GOAL_SYN_NEW);
	if (rc == WT_OK)
		rc = goal_read_owner_freq(ctx, rest, &g, &owner, M_GOAL_SYN_NEW);
	if (rc == WT_OK && g.freq && !g.owner)
		rc = reply_usagef(ctx, WT_EUSAGE, M_GOAL_SYN_NEW, M_GOAL_FREQ_NO_OWNER);
	if (rc == WT_OK && goal_create(ctx->db, &g) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf a = STRBUF_INIT;
		sb_add_md(&a, title.buf);
		reply_msgf(ctx, M_GOAL_CREATED, g.short_id, a.buf, g.short_id);
		sb_release(&a);
	}
	sb_release(&title);
	sb_release(&unit);
	sb_release(&period);
	sb_release(&owner);
	return rc;
}

/* Read the goal id at p and load it; the position after it, or NULL with
 * the refusal in *rc. */
const char *goal_read(struct wt_ctx *ctx, const char *p, enum msg_id syn, struct goal *g,
		      int *rc)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(p, &w);
	const char *word = w.buf;
	if (rest && (word[0] == 'd' || word[0] == 'D' || word[0] == 'g' || word[0] == 'G'))
		word++;
	long long id = rest ? args_id(word) : -1;
	int found = 0;
	if (!rest)
		*rc = reply_usagef(ctx, WT_EUSAGE, syn, M_GOAL_NO_ID);
	else if (id <= 0)
		*rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_GOAL_BAD_ID, w.buf);
	else if ((found = goal_load(ctx->db, ctx->net->name, id, g)) < 0)
		*rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (!found)
		*rc = reply_error(ctx, WT_ENOTFOUND, M_GOAL_NOT_FOUND, id);
	sb_release(&w);
	return found > 0 ? rest : NULL;
}

/* !doel meting <id> <waarde> [datum] [bron]. */
static int goal_cmd_measure(struct wt_ctx *ctx, const char *args)
{
	struct goal g;
	int rc = WT_OK;
	const char *p = goal_read(ctx, args, M_GOAL_SYN_MEASURE, &g, &rc);
	if (!p)
		return rc;
	int own = g.owner && strcmp(g.owner, ctx->sender) == 0;
	rc = reply_require_role_unless(ctx, ROLE_SECRETARY, own, M_GOAL_DENIED, g.short_id);
	double v;
	long long at;
	long day;
	struct strbuf src = STRBUF_INIT;
	if (rc == WT_OK)
		rc = goal_read_measure(ctx, p, M_GOAL_SYN_MEASURE, &v, &at, &day, &src);
	if (rc == WT_OK && goal_measurement_add_by(ctx->db, g.id, v, at, src.len ? src.buf : NULL,
						   ctx->sender) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		goal_add_value(&a, ctx, v, g.unit);
		sb_add_md(&b, g.title);
		reply_msgf(ctx, M_GOAL_MEASURED, g.short_id, b.buf, a.buf);
		sb_release(&a);
		sb_release(&b);
	}
	sb_release(&src);
	goal_free(&g);
	return rc;
}

const struct wt_command goal_subs[] = {
	{ { "nieuw", "new" }, "add", ROLE_SECRETARY, M_GOAL_SYN_NEW, M_NONE, goal_cmd_new, 0, NULL },
	{ { "wijzig", "edit" }, "set", ROLE_SECRETARY, M_GOAL_SYN_EDIT, M_NONE, goal_cmd_edit, 0,
	  NULL },
	{ { "meting", "measure" }, "meet", ROLE_MEMBER, M_GOAL_SYN_MEASURE, M_GOAL_HELP_MEASURE,
	  goal_cmd_measure, 0, NULL },
	WT_SUBS_END,
};

/* !doel [<id>]: every goal, or one with its history. */
int cmd_goal(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	int rc;
	if (!rest) {
		rc = goal_list_reply(ctx);
	} else if (args_id(w.buf + (strchr("dDgG", w.buf[0]) != NULL)) <= 0) {
		rc = reply_unknown_sub(ctx, w.buf);
	} else {
		struct goal g;
		const char *p = goal_read(ctx, args, M_SYN_GOAL, &g, &rc);
		if (p) {
			rc = reply_if_extra(ctx, p);
			if (rc == WT_OK)
				rc = goal_show_reply(ctx, &g);
			goal_free(&g);
		}
	}
	sb_release(&w);
	return rc;
}
