/* !rooster / !rota: the rotation schedule of delegates ("roulatieschema"):
 * who represents which organisation in which period.
 *
 *   !rooster                                  the current and coming periods
 *   !rooster erbij @wie <periode> [namens <organisatie>]
 *   !rooster weg <id>
 *
 * A period is a span ("2027", "H1 2027", "Q3 2027", "maart 2027") or two
 * dates ("1-1-2027 t/m 30-6-2027"), read by the one date grammar. The
 * organisation is the person's own (`!organisatie`) unless `namens` names
 * another. One delegate per organisation at a time: an overlapping period
 * is refused with the entry it overlaps. Adding and removing need the
 * secretary role (the rows say so). The chair gets a reminder on the
 * morning of a period's last day (family "rota", below). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "handlers/rota.h"
#include "handlers/when_ctx.h"
#include "lib/tz.h"
#include "storage/reminders.h"
#include "storage/roles.h"
#include "storage/rota.h"

/* Longest organisation name, in characters. */
#define ROTA_MAX_ORG 80
/* The hour of the chair's reminder on a period's last day. */
#define ROTA_REMIND_HOUR 9

long rota_today(const struct wt_ctx *ctx)
{
	struct tz_local l;
	if (tz_from_utc(ctx->net->tz, ctx->now, &l) != TZ_OK)
		return (long)(ctx->now / 86400);
	return (long)tz_days_from_civil(l.year, l.mon, l.day);
}

/* hour:00 local time on day in zone tz. */
static time_t day_at(const char *tz, long day, int hour)
{
	struct tz_local l = { 0 };
	tz_civil_from_days(day, &l.year, &l.mon, &l.day);
	l.hour = hour;
	time_t t;
	return tz_to_utc(tz, &l, &t) == TZ_OK ? t : (time_t)day * 86400 + hour * 3600;
}

void rota_add_period(struct strbuf *sb, const struct wt_ctx *ctx, long first, long last)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	when_format_date(&a, day_at(ctx->net->tz, first, 12), ctx->net->tz, ctx->lang);
	when_format_date(&b, day_at(ctx->net->tz, last, 12), ctx->net->tz, ctx->lang);
	sb_addm(sb, ctx, M_ROTA_PERIOD, a.buf, b.buf);
	sb_release(&a);
	sb_release(&b);
}

/* One end of a period at p: a span ("2027", "H1 2027", "maart 2027",
 * its first and last day) or a day ("1-3-2027", both the same). 1 with
 * *after set, 0 when neither is there. */
static int read_end(struct wt_ctx *ctx, const char *p, long *first, long *last,
		    const char **after)
{
	struct tz_local l;
	int year = tz_from_utc(ctx->net->tz, ctx->now, &l) == TZ_OK ? l.year : 2027;
	struct when_span s;
	if (when_read_span(p, year, WHEN_SPAN_YEAR | WHEN_SPAN_MONTH | WHEN_SPAN_QUARTER
			   | WHEN_SPAN_HALF, &s) == WHEN_OK) {
		*first = s.first;
		*last = s.last;
		*after = p + s.used;
		return 1;
	}
	struct when_out w;
	if (ctx_when(ctx, p, 12, WHEN_DAY | WHEN_PAST_OK, &w) != WHEN_OK)
		return 0;
	*first = *last = w.day;
	*after = p + w.used;
	return 1;
}

/* The period at p: one end, or two with "t/m" (to, tot, until) between:
 * from the first's first day to the second's last. */
static int read_period(struct wt_ctx *ctx, const char *p, long *first, long *last,
		       const char **after)
{
	long f2, l2;
	if (!read_end(ctx, args_skip_blank(p), first, last, after))
		return reply_usage(ctx, M_ROTA_ERR_PERIOD, M_ROTA_SYN_ADD);
	struct strbuf w = STRBUF_INIT;
	const char *q = args_word(*after, &w);
	int sep = q && (args_is(w.buf, "t/m", "to") || args_is(w.buf, "tot", "until")
			|| args_is(w.buf, "-", "till"));
	sb_release(&w);
	if (!sep)
		return WT_OK;
	if (!read_end(ctx, args_skip_blank(q), &f2, &l2, after))
		return reply_usage(ctx, M_ROTA_ERR_PERIOD, M_ROTA_SYN_ADD);
	if (l2 < *first)
		return reply_usage(ctx, M_ROTA_ERR_BACKWARDS, M_ROTA_SYN_ADD);
	*last = l2;
	return WT_OK;
}

/* The organisation: after "namens"/"for" at p, else the person's own. */
static int read_org(struct wt_ctx *ctx, const char *p, const char *user, struct strbuf *org)
{
	struct strbuf w = STRBUF_INIT, who = STRBUF_INIT;
	const char *q = args_word(p, &w);
	int rc = WT_OK;
	if (q && args_is(w.buf, "namens", "for")) {
		args_line(q, org);
		if (!org->len)
			rc = reply_usage(ctx, M_ROTA_ERR_ORG_EMPTY, M_ROTA_SYN_ADD);
		else
			rc = reply_if_too_long(ctx, M_ORG_FIELD, org->buf, ROTA_MAX_ORG);
	} else if (q) {
		rc = reply_usage(ctx, M_ROTA_ERR_EXTRA, M_ROTA_SYN_ADD);
	} else {
		char *own = org_of_dup(ctx->db, ctx->net->name, user);
		sb_add_person(&who, ctx, user);
		if (own)
			sb_add(org, own);
		else
			rc = reply_usagef(ctx, WT_EUSAGE, M_ROTA_SYN_ADD, M_ROTA_ERR_NO_ORG, who.buf);
		free(own);
	}
	sb_release(&w);
	sb_release(&who);
	return rc;
}

/* The refusal for an overlap with entry o. */
static int refuse_overlap(struct wt_ctx *ctx, const struct wt_rota *o)
{
	struct strbuf who = STRBUF_INIT, per = STRBUF_INIT;
	sb_add_person(&who, ctx, o->user);
	rota_add_period(&per, ctx, o->first_day, o->last_day);
	int rc = reply_error(ctx, WT_EUSAGE, M_ROTA_ERR_OVERLAP, ctx_md(ctx, o->org),
			     o->short_id, who.buf, per.buf, o->short_id);
	sb_release(&who);
	sb_release(&per);
	return rc;
}

/* !rooster erbij @wie <periode> [namens <organisatie>] */
static int rota_add_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf user = STRBUF_INIT, org = STRBUF_INIT;
	const char *after = args;
	struct wt_rota r = { 0 }, o = { 0 };
	int rc = person_arg(ctx, args, &user, &after, M_ROTA_SYN_ADD);
	if (rc == PERSON_NONE)
		rc = reply_usage(ctx, M_ROTA_ERR_WHO, M_ROTA_SYN_ADD);
	if (rc == WT_OK)
		rc = read_period(ctx, after, &r.first_day, &r.last_day, &after);
	if (rc == WT_OK)
		rc = read_org(ctx, after, user.buf, &org);
	int ov = rc == WT_OK ? rota_overlap(ctx->db, ctx->net->name, org.buf, r.first_day,
					    r.last_day, &o) : 0;
	if (ov < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (ov)
		rc = refuse_overlap(ctx, &o);
	if (rc == WT_OK) {
		r.network = ctx->net->name;
		r.org = org.buf;
		r.user = user.buf;
		r.created_by = (char *)ctx->sender;
		r.created_at = ctx->now;
		if (rota_add(ctx->db, &r) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT, per = STRBUF_INIT;
		sb_add_person(&who, ctx, user.buf);
		rota_add_period(&per, ctx, r.first_day, r.last_day);
		sb_addm(&sb, ctx, M_ROTA_ADDED, r.short_id, who.buf, ctx_md(ctx, org.buf), per.buf);
		reply_add(ctx, sb.buf);
		sb_release(&sb);
		sb_release(&who);
		sb_release(&per);
	}
	rota_free(&o);
	sb_release(&user);
	sb_release(&org);
	return rc;
}

/* !rooster weg <id> */
static int rota_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	const char *num = w.buf[0] == 'R' || w.buf[0] == 'r' ? w.buf + 1 : w.buf;
	long long id = after ? args_id(num) : 0;
	struct wt_rota r = { 0 };
	int rc = WT_OK, found = 0;
	if (!after)
		rc = reply_usage(ctx, M_ROTA_ERR_WHICH, M_ROTA_SYN_REMOVE);
	else if (id <= 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, M_ROTA_SYN_REMOVE, M_ROTA_ERR_BAD_ID, w.buf);
	else if ((rc = reply_if_extra(ctx, after)) == WT_OK
		 && (found = rota_by_short_id(ctx->db, ctx->net->name, id, &r)) <= 0)
		rc = found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
			       : reply_usagef(ctx, WT_ENOTFOUND, M_ROTA_SYN_REMOVE,
					      M_ROTA_ERR_NOT_FOUND, id);
	if (rc == WT_OK && rota_delete(ctx->db, r.id) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf who = STRBUF_INIT;
		sb_add_person(&who, ctx, r.user);
		reply_msgf(ctx, M_ROTA_REMOVED, r.short_id, who.buf, ctx_md(ctx, r.org));
		sb_release(&who);
	}
	rota_free(&r);
	sb_release(&w);
	return rc;
}

const struct wt_command rota_subs[] = {
	{ { "erbij", "add" }, "toevoegen", ROLE_SECRETARY, M_ROTA_SYN_ADD, M_ROTA_HELP_ADD,
	  rota_add_cmd, 0, NULL },
	{ { "weg", "remove" }, "verwijder", ROLE_SECRETARY, M_ROTA_SYN_REMOVE, M_ROTA_HELP_REMOVE,
	  rota_remove_cmd, 0, NULL },
	WT_SUBS_END,
};

/* !rooster: the periods that have not ended, per organisation. */
int cmd_rota(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	int rc = after ? reply_unknown_sub(ctx, w.buf) : WT_OK;
	sb_release(&w);
	if (rc != WT_OK)
		return rc;
	long today = rota_today(ctx);
	struct wt_rota *v = NULL;
	int n = rota_current(ctx->db, ctx->net->name, today, &v);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (n == 0) {
		reply_add(ctx, T(ctx, M_ROTA_NONE));
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT, per = STRBUF_INIT;
	sb_add(&sb, T(ctx, M_ROTA_HEAD));
	for (int i = 0; i < n; i++) {
		sb_reset(&who);
		sb_reset(&per);
		sb_add_person(&who, ctx, v[i].user);
		rota_add_period(&per, ctx, v[i].first_day, v[i].last_day);
		sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, v[i].first_day <= today ? M_ROTA_LINE_NOW : M_ROTA_LINE,
			v[i].short_id, ctx_md(ctx, v[i].org), who.buf, per.buf);
	}
	reply_add(ctx, sb.buf);
	rota_list_free(v, (size_t)n);
	sb_release(&sb);
	sb_release(&who);
	sb_release(&per);
	return WT_OK;
}

/* ---- the "rota." reminder family: a period's end, to the chair ---------- */

/* roles_each callback: the first chair, else the first secretary. */
static void chair_cb(void *arg, const char *user, int role)
{
	char **o = arg;
	if (role == ROLE_CHAIR && !o[0])
		o[0] = xstrdup(user);
	else if (role == ROLE_SECRETARY && !o[1])
		o[1] = xstrdup(user);
}

/* The reminder of entry r (ended entries have none). */
static int rota_want(struct wt_ctx *ctx, const struct wt_rota *r, const char *chair)
{
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "rota:%lld:end", r->id);
	int rc = reminder_want(ctx, ctx->net->name, key.buf, "rota.period_end", r->id, chair,
			       NULL, day_at(ctx->net->tz, r->last_day, ROTA_REMIND_HOUR));
	sb_release(&key);
	return rc;
}

/* Cancel the pending rota reminders of entries that are gone (only: of
 * that entry alone; 0: of all). */
static int rota_drop(struct wt_ctx *ctx, long long only)
{
	struct wt_reminder *v;
	int n = reminders_pending_generated(ctx->db, ctx->net->name, "rota:", &v);
	int rc = n < 0 ? -1 : 0;
	for (int i = 0; i < n && rc == 0; i++) {
		if (only && v[i].ref_id != only)
			continue;
		struct wt_rota r;
		int found = rota_by_id(ctx->db, v[i].ref_id, &r);
		if (found == 1)
			rota_free(&r);
		if (found < 0)
			rc = -1;
		else if (!found)
			rc = reminders_cancel(ctx->db, v[i].id);
	}
	if (n > 0)
		reminders_list_free(v, (size_t)n);
	return rc;
}

int rota_reminder_generate(struct wt_ctx *ctx)
{
	char *o[2] = { NULL, NULL };
	struct wt_rota *v = NULL;
	int n = 0;
	int rc = rota_drop(ctx, 0) < 0 || roles_each(ctx->db, ctx->net->name, chair_cb, o) < 0
		? -1 : 0;
	if (rc == 0 && (o[0] || o[1]))
		n = rota_current(ctx->db, ctx->net->name, rota_today(ctx), &v);
	if (n < 0)
		rc = -1;
	for (int i = 0; i < n && rc == 0; i++)
		rc = rota_want(ctx, &v[i], o[0] ? o[0] : o[1]);
	if (n > 0)
		rota_list_free(v, (size_t)n);
	free(o[0]);
	free(o[1]);
	return rc;
}

int rota_reminder_generate_ref(struct wt_ctx *ctx, long long id)
{
	struct wt_rota r;
	int found = rota_by_id(ctx->db, id, &r);
	if (found < 0 || rota_drop(ctx, id) < 0)
		return -1;
	if (!found)
		return 0;
	char *o[2] = { NULL, NULL };
	int rc = roles_each(ctx->db, ctx->net->name, chair_cb, o) < 0 ? -1 : 0;
	if (rc == 0 && (o[0] || o[1]) && strcmp(r.network, ctx->net->name) == 0
	    && r.last_day >= rota_today(ctx))
		rc = rota_want(ctx, &r, o[0] ? o[0] : o[1]);
	free(o[0]);
	free(o[1]);
	rota_free(&r);
	return rc;
}

int rota_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			 struct strbuf *out)
{
	(void)kind;
	struct wt_rota r, next = { 0 };
	int found = rota_by_id(ctx->db, ref_id, &r);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	struct strbuf who = STRBUF_INIT, per = STRBUF_INIT, nwho = STRBUF_INIT;
	sb_add_person(&who, ctx, r.user);
	rota_add_period(&per, ctx, r.first_day, r.last_day);
	struct strbuf org = STRBUF_INIT;
	sb_add_md(&org, r.org);
	sb_addm(out, ctx, M_ROTA_REMIND_END, who.buf, org.buf, per.buf, r.short_id);
	int nf = rota_successor(ctx->db, r.network, r.org, r.last_day, &next);
	sb_add(out, "\n\n");
	if (nf == 1) {
		sb_add_person(&nwho, ctx, next.user);
		sb_reset(&per);
		rota_add_period(&per, ctx, next.first_day, next.last_day);
		sb_addm(out, ctx, M_ROTA_REMIND_NEXT, nwho.buf, per.buf);
	} else {
		sb_addm(out, ctx, M_ROTA_REMIND_NONE, org.buf);
	}
	rota_free(&r);
	rota_free(&next);
	sb_release(&who);
	sb_release(&per);
	sb_release(&nwho);
	sb_release(&org);
	return nf < 0 ? -1 : 0;
}
