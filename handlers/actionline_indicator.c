/* !al indicator / !al meting: the effect measurement of an action line.
 *
 *   !al indicator <code> nieuw <naam>      with lines eenheid:, doel:,
 *                                          nulmeting: <waarde> [datum] [bron]
 *   !al meting <code> <nr> <waarde> [datum] [bron]
 *
 * An indicator's first measurement by day is its 0-measurement (the
 * baseline): given with `nulmeting:` or the first `!al meting`. Kept by the
 * line's project lead or sponsor, the secretary or the chair. Shown in
 * `!al <code>` and, beside the financial paragraph, in the reports. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/goals.h"
#include "handlers/number.h"
#include "handlers/reply.h"

/* Load the line at *p and check the sender may keep it. */
static int load_kept(struct wt_ctx *ctx, const char **p, enum msg_id syn, struct actionline *l)
{
	int rc = WT_OK;
	const char *q = al_read_line(ctx, *p, syn, l, &rc);
	if (!q)
		return rc;
	int leads = al_has_person(l, AL_LEAD, ctx->sender) || al_has_person(l, AL_SPONSOR, ctx->sender);
	struct strbuf code = STRBUF_INIT;
	al_add_code(&code, l);
	rc = reply_require_role_unless(ctx, ROLE_SECRETARY, leads, M_IND_DENIED, code.buf);
	sb_release(&code);
	if (rc != WT_OK) {
		al_free(l);
		return rc;
	}
	*p = q;
	return WT_OK;
}

/* The unit and target lines of `!al indicator ... nieuw` into ind. */
static int read_ind_fields(struct wt_ctx *ctx, const char *rest, struct al_indicator *ind,
			   struct strbuf *unit)
{
	struct strbuf f = STRBUF_INIT;
	int rc = WT_OK;
	static const struct { const char *nl, *en; } keys[] = {
		{ "eenheid", "unit" }, { "doel", "target" }, { "nulmeting", "baseline" },
	};
	for (size_t i = 0; rc == WT_OK && i < sizeof keys / sizeof keys[0]; i++)
		if (args_field(rest, keys[i].nl, keys[i].en, &f) && !f.len) {
			const char *k = ctx->lang == LANG_EN ? keys[i].en : keys[i].nl;
			rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_INDICATOR, M_FIELD_EMPTY, k, k);
		}
	if (rc == WT_OK && args_field(rest, "eenheid", "unit", unit))
		rc = reply_if_too_long(ctx, M_GOAL_F_UNIT, unit->buf, 40);
	if (rc == WT_OK && args_field(rest, "doel", "target", &f)) {
		size_t used;
		int m = number_parse(f.buf, &ind->target, &used);
		if (m != NUMBER_OK || *args_skip_blank(f.buf + used))
			rc = reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_INDICATOR, M_GOAL_VALUE_BAD, f.buf);
		ind->has_target = 1;
	}
	ind->unit = unit->len ? unit->buf : NULL;
	sb_release(&f);
	return rc;
}

/* !al indicator <code> nieuw <naam> [lines]. */
int al_cmd_indicator(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	const char *p = args;
	int rc = load_kept(ctx, &p, M_AL_SYN_INDICATOR, &l);
	if (rc != WT_OK)
		return rc;
	struct strbuf w = STRBUF_INIT, name = STRBUF_INIT, unit = STRBUF_INIT, f = STRBUF_INIT,
		      src = STRBUF_INIT;
	const char *q = args_word(p, &w);
	if (!q || !(args_is(w.buf, "nieuw", "new") || args_is(w.buf, "toevoegen", "add")))
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_INDICATOR, M_IND_NEED_NEW);
	const char *rest = rc == WT_OK ? args_line(q, &name) : NULL;
	if (rc == WT_OK && !name.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_INDICATOR, M_IND_NEED_NAME);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_IND_F_NAME, name.buf, WT_MAX_FIELD);
	struct al_indicator ind = { 0 };
	ind.line_id = l.id;
	ind.name = name.buf;
	if (rc == WT_OK)
		rc = read_ind_fields(ctx, rest, &ind, &unit);
	double v = 0;
	long long at = 0;
	long day = -1;
	int base = rc == WT_OK && args_field(rest, "nulmeting", "baseline", &f);
	if (base)
		rc = goal_read_measure(ctx, f.buf, M_AL_SYN_INDICATOR, &v, &at, &day, &src);
	if (rc == WT_OK && al_indicator_add(ctx->db, &ind, ctx->sender, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK && base
	    && al_indicator_measure(ctx->db, ind.id, v, day >= 0 ? day : al_today(ctx),
				    src.len ? src.buf : NULL, ctx->sender, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf code = STRBUF_INIT, a = STRBUF_INIT;
		al_add_code(&code, &l);
		sb_add_md(&a, name.buf);
		reply_msgf(ctx, base ? M_IND_CREATED_BASE : M_IND_CREATED, ind.number, code.buf, a.buf,
			   code.buf, ind.number);
		sb_release(&code);
		sb_release(&a);
	}
	sb_release(&w);
	sb_release(&name);
	sb_release(&unit);
	sb_release(&f);
	sb_release(&src);
	al_free(&l);
	return rc;
}

/* The indicator named by word ("1", "#1", "I1") among v, or NULL. */
static struct al_indicator *find_ind(struct al_indicator *v, size_t n, const char *word)
{
	if (word[0] == 'i' || word[0] == 'I')
		word++;
	long long no = args_id(word);
	for (size_t i = 0; no > 0 && i < n; i++)
		if (v[i].number == no)
			return &v[i];
	return NULL;
}

/* Refuse an unknown indicator, listing those of l. */
static int unknown_ind(struct wt_ctx *ctx, const struct actionline *l,
		       const struct al_indicator *v, size_t n, const char *word)
{
	struct strbuf code = STRBUF_INIT, list = STRBUF_INIT;
	al_add_code(&code, l);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_add(&list, ", ");
		sb_addf(&list, "`%d` ", v[i].number);
		sb_add_md(&list, v[i].name);
	}
	int rc = n ? reply_error(ctx, WT_ENOTFOUND, M_IND_UNKNOWN, ctx_md(ctx, word), code.buf,
				 list.buf)
		 : reply_error(ctx, WT_ENOTFOUND, M_IND_UNKNOWN_NONE, code.buf, code.buf);
	sb_release(&code);
	sb_release(&list);
	return rc;
}

/* The reply to a measurement of ind (its measurements before it in m). */
static void measured_reply(struct wt_ctx *ctx, const struct actionline *l,
			   const struct al_indicator *ind, double v)
{
	struct strbuf code = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	al_add_code(&code, l);
	sb_add_md(&a, ind->name);
	goal_add_value(&b, ctx, v, ind->unit);
	if (!ind->nm) {
		reply_msgf(ctx, M_IND_BASELINE, ind->number, code.buf, a.buf, b.buf);
	} else {
		goal_add_value(&c, ctx, ind->m[0].value, ind->unit);
		reply_msgf(ctx, M_IND_MEASURED, ind->number, code.buf, a.buf, b.buf, c.buf,
			   goal_trend(ctx, ind->m[0].value, v));
	}
	sb_release(&code);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* !al meting <code> <nr> <waarde> [datum] [bron]. */
int al_cmd_measure(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	const char *p = args;
	int rc = load_kept(ctx, &p, M_AL_SYN_MEASURE, &l);
	if (rc != WT_OK)
		return rc;
	struct al_indicator *v = NULL;
	size_t n = 0;
	struct strbuf w = STRBUF_INIT, src = STRBUF_INIT;
	const char *q = args_word(p, &w);
	struct al_indicator *ind = NULL;
	if (al_indicators_of(ctx->db, l.id, &v, &n) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (!q)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_MEASURE, M_IND_NEED_NO);
	else if (!(ind = find_ind(v, n, w.buf)))
		rc = unknown_ind(ctx, &l, v, n, w.buf);
	double val = 0;
	long long at;
	long day = -1;
	if (rc == WT_OK)
		rc = goal_read_measure(ctx, q, M_AL_SYN_MEASURE, &val, &at, &day, &src);
	if (rc == WT_OK && al_indicator_measure(ctx->db, ind->id, val, day >= 0 ? day : al_today(ctx),
						src.len ? src.buf : NULL, ctx->sender, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		measured_reply(ctx, &l, ind, val);
	al_indicators_free(v, n);
	sb_release(&w);
	sb_release(&src);
	al_free(&l);
	return rc;
}

/* "12 deelnemers (1 jan 2027, enquête)". */
static void add_measure(struct strbuf *sb, struct wt_ctx *ctx, const struct al_indicator *ind,
			const struct al_ind_measure *m)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	goal_add_value(&a, ctx, m->value, ind->unit);
	al_format_day(&b, ctx, m->day);
	if (m->source) {
		sb_add(&b, ", ");
		sb_add_md(&b, m->source);
	}
	sb_addm(sb, ctx, M_IND_VALUE, a.buf, b.buf);
	sb_release(&a);
	sb_release(&b);
}

/* One indicator as a list item, its measurements up to day asof (0: all). */
static void add_indicator(struct strbuf *sb, struct wt_ctx *ctx, const struct al_indicator *ind,
			  long asof)
{
	struct strbuf a = STRBUF_INIT;
	sb_add_md(&a, ind->name);
	sb_addm(sb, ctx, M_IND_ITEM, ind->number, a.buf);
	if (ind->has_target) {
		sb_reset(&a);
		goal_add_value(&a, ctx, ind->target, ind->unit);
		sb_addm(sb, ctx, M_IND_TARGET, a.buf);
	}
	sb_add(sb, ": ");
	const struct al_ind_measure *last = NULL;
	for (size_t k = 0; k < ind->nm; k++)
		if (!asof || ind->m[k].day <= asof)
			last = &ind->m[k];
	if (!last) {
		sb_add(sb, T(ctx, M_IND_NO_BASELINE));
	} else {
		sb_add(sb, T(ctx, M_IND_BASELINE_WORD));
		sb_addc(sb, ' ');
		add_measure(sb, ctx, ind, &ind->m[0]);
		if (last != &ind->m[0]) {
			sb_add(sb, "; ");
			sb_add(sb, T(ctx, M_IND_LATEST_WORD));
			sb_addc(sb, ' ');
			add_measure(sb, ctx, ind, last);
			sb_addf(sb, " %s", goal_trend(ctx, ind->m[0].value, last->value));
		}
	}
	sb_release(&a);
}

void al_show_indicators(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l)
{
	struct al_indicator *v;
	size_t n;
	if (al_indicators_of(ctx->db, l->id, &v, &n) < 0 || !n) {
		free(v);
		return;
	}
	sb_add(sb, "\n\n");
	sb_add(sb, T(ctx, M_IND_SHOW_HEAD));
	sb_add(sb, "\n\n");
	for (size_t i = 0; i < n; i++) {
		add_indicator(sb, ctx, &v[i], 0);
		sb_addc(sb, '\n');
	}
	sb_rtrim(sb);
	al_indicators_free(v, n);
}

void al_report_indicators(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
			  long from, long asof, int level)
{
	struct al_indicator *v;
	size_t n;
	if (al_indicators_of(ctx->db, l->id, &v, &n) < 0 || !n) {
		free(v);
		return;
	}
	sb_add(md, level == 1 ? "\n\n## " : "\n\n### ");
	sb_add(md, T(ctx, M_IND_REPORT_HEAD));
	sb_add(md, "\n\n");
	for (size_t i = 0; i < n; i++) {
		int in = 0;
		for (size_t k = 0; k < v[i].nm; k++)
			in += v[i].m[k].day >= from && v[i].m[k].day <= asof;
		add_indicator(md, ctx, &v[i], asof);
		struct strbuf a = STRBUF_INIT;
		sb_addcount(&a, ctx, M_N_MEASURE_ONE, in);
		sb_addm(md, ctx, M_IND_IN_PERIOD, a.buf);
		sb_release(&a);
		sb_addc(md, '\n');
	}
	sb_rtrim(md);
	al_indicators_free(v, n);
}
