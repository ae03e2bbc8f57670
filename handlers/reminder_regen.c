/* reminder_regen: generated reminders follow their sources as they change.
 * The triggers of storage/schema.c (migration 24) note every changed
 * source in reminder_dirty, in the writer's transaction; before that
 * transaction commits, reminder_regen_dirty regenerates just those sources
 * and empties the table. Nothing rescans on a timer: what depends on the
 * clock alone is reminder_generate_timed, once a day. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "handlers/report.h"
#include "handlers/series.h"
#include "storage/db.h"
#include "storage/reminder_dirty.h"
#include "storage/reminders.h"

void reminder_keys_add(struct reminder_keys *k, const char *key)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 16;
		k->v = xrealloc(k->v, k->cap * sizeof *k->v);
	}
	k->v[k->n++] = xstrdup(key);
}

/* qsort/bsearch order of two key pointers. */
static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void reminder_keys_sort(struct reminder_keys *k)
{
	if (k->n > 1)
		qsort(k->v, k->n, sizeof *k->v, key_cmp);
}

int reminder_keys_has(const struct reminder_keys *k, const char *key)
{
	return k->n && bsearch(&key, k->v, k->n, sizeof *k->v, key_cmp) != NULL;
}

int reminder_keys_cancel_others(struct wt_ctx *ctx, const char *prefix,
				const struct reminder_keys *keys)
{
	struct wt_reminder *p = NULL;
	int np = reminders_pending_generated(ctx->db, ctx->net->name, prefix, &p);
	int rc = np < 0 ? -1 : 0;
	for (int i = 0; i < np && rc == 0; i++)
		if (p[i].source_key && !reminder_keys_has(keys, p[i].source_key))
			rc = reminders_cancel(ctx->db, p[i].id) < 0 ? -1 : 0;
	if (np > 0)
		reminders_list_free(p, (size_t)np);
	return rc;
}

int reminder_keys_settle(struct wt_ctx *ctx, const char *prefix, struct reminder_keys *wanted,
			 int rc)
{
	reminder_keys_sort(wanted);
	if (rc == 0)
		rc = reminder_keys_cancel_others(ctx, prefix, wanted);
	reminder_keys_free(wanted);
	return rc;
}

void reminder_keys_free(struct reminder_keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	memset(k, 0, sizeof *k);
}

/* Regenerate the rows of v (all of one network, net) in a context for
 * net: the whole network when a row says so, else source by source. */
static int regen_network(struct wt_ctx *base, const struct wt_network *net,
			 const struct reminder_dirty *v, size_t n, int whole)
{
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = *base;
	ctx.net = net;
	ctx.lang = net->lang;
	ctx.out = &none;
	for (size_t i = 0; i < n && !whole; i++)
		whole = strcmp(v[i].family, "*") == 0;
	int rc = 0;
	if (whole) {
		rc = reminder_generate_all(&ctx);
	} else {
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = reminder_generate_ref(&ctx, v[i].family, v[i].ref_id) < 0 ? -1 : 0;
	}
	wt_replies_free(&none);
	return rc;
}

/* The rows of network name among v[0..n) (sorted by network): *first and
 * the count. */
static size_t rows_of(const struct reminder_dirty *v, size_t n, const char *name,
		      size_t *first)
{
	size_t i = 0;
	while (i < n && strcmp(v[i].network, name) != 0)
		i++;
	*first = i;
	size_t k = i;
	while (k < n && strcmp(v[k].network, name) == 0)
		k++;
	return k - i;
}

int reminder_regen_dirty(struct wt_ctx *ctx)
{
	int any = reminder_dirty_any(ctx->db);
	if (any <= 0)
		return any;
	struct reminder_dirty *v;
	int n = reminder_dirty_list(ctx->db, NULL, &v);
	if (n <= 0)
		return n;
	size_t first, star = rows_of(v, (size_t)n, "*", &first);
	int rc = 0;
	if (!ctx->networks) {
		/* Only the command's own network; the rest is the scheduler's. */
		size_t at, k = rows_of(v, (size_t)n, ctx->net->name, &at);
		rc = regen_network(ctx, ctx->net, v + at, k, star > 0);
		if (rc == 0)
			rc = reminder_dirty_clear(ctx->db, ctx->net->name);
	} else {
		for (size_t i = 0; i < ctx->nnetworks && rc == 0; i++) {
			const struct wt_network *net = &ctx->networks[i];
			size_t at, k = rows_of(v, (size_t)n, net->name, &at);
			if (k || star)
				rc = regen_network(ctx, net, v + at, k, star > 0);
		}
		/* Rows of networks no longer configured have nothing to make. */
		if (rc == 0)
			rc = reminder_dirty_clear(ctx->db, NULL);
	}
	reminder_dirty_free(v, (size_t)n);
	return rc < 0 ? -1 : 0;
}

int reminder_generate_timed(struct wt_ctx *ctx)
{
	/* New occurrences are new meetings: the triggers mark them. */
	if (series_top_up(ctx) < 0)
		return -1;
	struct al_period q;
	char qk[8];
	al_period_of(al_today(ctx), 0, &q);
	al_period_key(&q, qk);
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "reminders.quarter.%s", ctx->net->name);
	char *last = db_kv_get(ctx->db, key.buf);
	int rc = 0;
	if (!last || strcmp(last, qk) != 0) {
		reminder_generator_runs++;
		rc = actionline_reminder_generate(ctx);
		/* The reports of the new quarter (and half-year) are scheduled. */
		if (rc == 0)
			rc = report_reminder_generate(ctx);
		if (rc == 0)
			rc = db_kv_set(ctx->db, key.buf, qk);
	}
	free(last);
	sb_release(&key);
	return rc < 0 ? -1 : 0;
}

int reminder_regen_batch(sqlite3 *db, const struct wt_network *nets, size_t n,
			 time_t now)
{
	if (!nets || !n)
		return 0;
	int any = reminder_dirty_any(db);
	if (any <= 0)
		return any;
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = db, .net = &nets[0], .sender = "", .now = now,
			      .lang = nets[0].lang, .role = ROLE_ADMIN, .out = &none,
			      .networks = nets, .nnetworks = n };
	int rc = db_savepoint(db, "wt_regen");
	if (rc == 0) {
		rc = reminder_regen_dirty(&ctx);
		/* A failure keeps the marks for the scheduler to retry; the
		 * batch itself goes through. */
		if (rc < 0)
			db_rollback_to(db, "wt_regen");
		rc = db_release(db, "wt_regen");
	}
	wt_replies_free(&none);
	return rc < 0 ? -1 : 0;
}
