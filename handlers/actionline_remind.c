/* actionline_remind: the generated reminders of action lines (family
 * "actionline." in handlers/reminder_kinds.c).
 *
 *   actionline.quarter  to each project lead of a line that is not done,
 *                       two weeks before the end of the quarter: post an
 *                       update and set the status.
 *                       key actionline:<line>:quarter:<2027Q1>:<lead>
 *   actionline.late     to the chairs when a line turns late.
 *                       key actionline:<line>:late:<status change id>
 *   actionline.overdue  to the chairs, the line's project lead and its
 *                       sponsor (each once) the morning after an open
 *                       deliverable's due day.
 *                       key actionline:<line>:overdue:<deliverable>:<due day>
 *
 * The generator keeps exactly these pending and cancels the rest (a due
 * time already past when first generated is never sent); the text
 * is written when a reminder fires, from the data as it is then, and a
 * reminder whose reason went away (line done, status changed, deliverable
 * done) is dropped. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "storage/reminder_dirty.h"
#include "storage/reminders.h"
#include "storage/roles.h"

/* Seconds after the change to late that the chairs hear of it: generated
 * reminders only look forward, so the one made right after the command
 * lies just ahead. */
#define AL_LATE_DELAY 60

/* The chairs of a network, as roles_each gives them. */
struct chairs {
	char **v;
	size_t n;
};

/* roles_each callback: collect the chairs. */
static void chair_cb(void *arg, const char *user, int role)
{
	struct chairs *c = arg;
	if (role != ROLE_CHAIR)
		return;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	c->v[c->n++] = xstrdup(user);
}

static void chairs_free(struct chairs *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
}

/* Who hears of an overdue deliverable of l: the chairs, then the line's
 * leads and sponsor who are no chair, each once (out->v borrowed). */
static void overdue_people(const struct actionline *l, const struct chairs *chairs,
			   struct chairs *out)
{
	out->v = xcalloc(chairs->n + l->npeople + 1, sizeof *out->v);
	out->n = 0;
	for (size_t i = 0; i < chairs->n; i++)
		out->v[out->n++] = chairs->v[i];
	for (size_t i = 0; i < l->npeople; i++) {
		if (l->people[i].part != AL_LEAD && l->people[i].part != AL_SPONSOR)
			continue;
		size_t k = 0;
		while (k < out->n && strcmp(out->v[k], l->people[i].user) != 0)
			k++;
		if (k == out->n)
			out->v[out->n++] = l->people[i].user;
	}
}

/* Upsert one reminder and remember its key. */
static int want(struct wt_ctx *ctx, struct reminder_keys *keys, const char *key, const char *kind,
		long long ref, const char *user, time_t due)
{
	reminder_keys_add(keys, key);
	return reminder_want(ctx, ctx->net->name, key, kind, ref, user, NULL, due);
}

/* The reminders of one line. */
static int generate_line(struct wt_ctx *ctx, const struct actionline *l,
			 const struct chairs *chairs, struct reminder_keys *keys)
{
	if (l->status == AL_DONE)
		return 0;
	struct strbuf key = STRBUF_INIT;
	int rc = 0;
	long today = al_today(ctx);
	struct al_period q;
	al_period_of(today, 0, &q);
	for (int k = 0; k < 2 && rc == 0; k++) {
		/* This quarter and the next. */
		char qk[8];
		al_period_key(&q, qk);
		time_t due = al_day_start(ctx, q.to - AL_QUARTER_REMIND_DAYS, AL_REMIND_HOUR);
		for (size_t i = 0; i < l->npeople && rc == 0; i++) {
			if (l->people[i].part != AL_LEAD)
				continue;
			sb_reset(&key);
			sb_addf(&key, "actionline:%lld:quarter:%s:%s", l->id, qk, l->people[i].user);
			rc = want(ctx, keys, key.buf, "actionline.quarter", l->id, l->people[i].user, due);
		}
		al_period_of(q.to + 1, 0, &q);
	}
	if (l->status == AL_LATE && l->nchanges) {
		const struct al_status_change *c = &l->changes[l->nchanges - 1];
		for (size_t i = 0; i < chairs->n && rc == 0; i++) {
			sb_reset(&key);
			sb_addf(&key, "actionline:%lld:late:%lld:%s", l->id, c->id, chairs->v[i]);
			rc = want(ctx, keys, key.buf, "actionline.late", l->id, chairs->v[i],
				  c->at + AL_LATE_DELAY);
		}
	}
	struct chairs told;
	overdue_people(l, chairs, &told);
	for (size_t d = 0; d < l->ndelivs && rc == 0; d++) {
		const struct al_deliverable *dv = &l->delivs[d];
		if (dv->done_on)
			continue;
		char day[11];
		al_day_text(dv->due_day, day);
		time_t due = al_day_start(ctx, dv->due_day + 1, AL_REMIND_HOUR);
		for (size_t i = 0; i < told.n && rc == 0; i++) {
			sb_reset(&key);
			sb_addf(&key, "actionline:%lld:overdue:%lld:%s:%s", l->id, dv->id, day,
				told.v[i]);
			rc = want(ctx, keys, key.buf, "actionline.overdue", dv->id, told.v[i], due);
		}
	}
	free(told.v);  /* the strings are the chairs' and the line's */
	sb_release(&key);
	return rc;
}

/* Load line id (of this network, else as if gone) and add its wanted
 * reminders; done lines want none. */
static int generate_id(struct wt_ctx *ctx, long long id, const struct chairs *chairs,
		       struct reminder_keys *keys)
{
	struct actionline l;
	int found = al_load_id(ctx->db, id, &l);
	if (found <= 0)
		return found;
	int rc = strcmp(l.network, ctx->net->name) == 0 ? generate_line(ctx, &l, chairs, keys) : 0;
	al_free(&l);
	return rc;
}

int actionline_reminder_generate(struct wt_ctx *ctx)
{
	/* The lines not done only: the done ones and their history are not
	 * read at all. */
	long long *ids;
	int n = reminder_open_lines(ctx->db, ctx->net->name, &ids);
	if (n < 0)
		return -1;
	struct chairs chairs = { 0 };
	struct reminder_keys keys = { 0 };
	int rc = roles_each(ctx->db, ctx->net->name, chair_cb, &chairs) < 0 ? -1 : 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = generate_id(ctx, ids[i], &chairs, &keys);
	free(ids);
	reminder_keys_sort(&keys);
	if (rc == 0)
		rc = reminder_keys_cancel_others(ctx, "actionline:", &keys);
	chairs_free(&chairs);
	reminder_keys_free(&keys);
	return rc;
}

int actionline_reminder_generate_ref(struct wt_ctx *ctx, long long line_id)
{
	struct chairs chairs = { 0 };
	struct reminder_keys keys = { 0 };
	int rc = roles_each(ctx->db, ctx->net->name, chair_cb, &chairs) < 0 ? -1 : 0;
	if (rc == 0)
		rc = generate_id(ctx, line_id, &chairs, &keys);
	reminder_keys_sort(&keys);
	struct strbuf prefix = STRBUF_INIT;
	sb_addf(&prefix, "actionline:%lld:", line_id);
	if (rc == 0)
		rc = reminder_keys_cancel_others(ctx, prefix.buf, &keys);
	sb_release(&prefix);
	chairs_free(&chairs);
	reminder_keys_free(&keys);
	return rc;
}

int actionline_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			       struct strbuf *out)
{
	int overdue = strcmp(kind, "actionline.overdue") == 0;
	long long line_id = ref_id;
	if (overdue) {
		int f = al_line_of_deliv(ctx->db, ref_id, &line_id);
		if (f <= 0)
			return f < 0 ? -1 : 1;
	}
	struct actionline l;
	int found = al_load_id(ctx->db, line_id, &l);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	int rc = 1;
	struct strbuf t = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	sb_add_md(&t, l.title);
	if (strcmp(kind, "actionline.quarter") == 0 && l.status != AL_DONE) {
		struct al_period q;
		al_period_of(al_today(ctx), 0, &q);
		al_format_day(&a, ctx, q.to);
		sb_addm(out, ctx, M_AL_REMIND_QUARTER, a.buf, l.short_id, t.buf, l.short_id,
			l.short_id, al_status_marker(l.status), al_status_name(ctx, l.status));
		rc = 0;
	} else if (strcmp(kind, "actionline.late") == 0 && l.status == AL_LATE) {
		if (l.status_reason && *l.status_reason)
			sb_add_md(&a, l.status_reason);
		else
			sb_add(&a, T(ctx, M_AL_REPORT_NO_REASON));
		sb_addm(out, ctx, M_AL_REMIND_LATE, l.short_id, t.buf, a.buf);
		rc = 0;
	} else if (overdue) {
		for (size_t i = 0; i < l.ndelivs; i++) {
			const struct al_deliverable *d = &l.delivs[i];
			if (d->id != ref_id || !al_deliv_overdue(d, al_today(ctx)))
				continue;
			sb_add_md(&a, d->text);
			al_format_day(&b, ctx, d->due_day);
			sb_addm(out, ctx, M_AL_REMIND_OVERDUE, d->number, l.short_id, t.buf, a.buf, b.buf);
			rc = 0;
		}
	}
	sb_release(&t);
	sb_release(&a);
	sb_release(&b);
	al_free(&l);
	return rc;
}
