/* The generated reminders of advice requests (see handlers/advice.h): the
 * generator keeps exactly the wanted ones pending and cancels the rest; the
 * text is written when a reminder fires, and a reminder whose reason went
 * away (delivered, closed, accepted, deadline moved) is dropped. */
#include <stdlib.h>
#include <string.h>

#include "handlers/advice.h"
#include "handlers/names.h"
#include "handlers/reminder_kinds.h"
#include "handlers/advice_internal.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/reminders.h"
#include "storage/roles.h"

/* Hour of the day of the deadline-day reminder. */
#define ADV_DAY_HOUR 9

/* The chairs of the network (keys_add), or the keys a generator wants. */
struct keys {
	char **v;
	size_t n;
};

static void keys_add(struct keys *k, const char *key)
{
	k->v = xrealloc(k->v, (k->n + 1) * sizeof *k->v);
	k->v[k->n++] = xstrdup(key);
}

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
}

/* roles_each callback: collect the chairs. */
static void chair_cb(void *arg, const char *user, int role)
{
	if (role == ROLE_CHAIR)
		keys_add(arg, user);
}

/* Upsert the reminder key (to user, or to room when user is NULL) and
 * remember it as wanted. */
static int want(struct wt_ctx *ctx, struct reminder_keys *wanted, const struct wt_advice *a,
		const char *what, const char *kind, const char *user, time_t due)
{
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "advice:%lld:%s:%s", a->id, what, user ? user : "room");
	reminder_keys_add(wanted, key.buf);
	const char *room = a->room ? a->room : ctx->net->nrooms ? ctx->net->rooms[0] : NULL;
	int rc = user || room
		? reminder_want(ctx, ctx->net->name, key.buf, kind, a->id, user,
				user ? NULL : room, due)
		: 0;
	sb_release(&key);
	return rc;
}

/* 9:00 local on the deadline's day (an hour before a deadline earlier
 * than that). */
static time_t day_reminder(const struct wt_ctx *ctx, time_t deadline)
{
	struct tz_local l;
	time_t t;
	if (tz_from_utc(ctx->net->tz, deadline, &l) != TZ_OK)
		return deadline - 8 * 3600;
	l.hour = ADV_DAY_HOUR;
	l.min = l.sec = 0;
	if (tz_to_utc(ctx->net->tz, &l, &t) != TZ_OK || t >= deadline)
		return deadline - 3600;
	return t;
}

/* The wanted reminders of one open request. */
static int generate_one(struct wt_ctx *ctx, const struct wt_advice *a,
			const struct keys *chairs, struct reminder_keys *wanted)
{
	int rc = 0;
	size_t nto = chairs->n ? chairs->n : 1;
	if (a->state == ADVICE_RECEIVED && a->requested_by) {
		long days = ctx->net->advice_wait_days > 0 ? ctx->net->advice_wait_days
							     : ADV_WAIT_DAYS;
		time_t due = a->created_at + (time_t)days * 86400;
		for (size_t i = 0; i < nto && rc == 0; i++)
			rc = want(ctx, wanted, a, "waiting", "advice.waiting",
				  chairs->n ? chairs->v[i] : NULL, due);
	}
	if (!a->deadline)
		return rc;
	for (size_t i = 0; i < nto && rc == 0; i++)
		rc = want(ctx, wanted, a, "overdue", "advice.overdue",
			  chairs->n ? chairs->v[i] : NULL, a->deadline);
	char **users = NULL;
	int n = advice_assignees(ctx->db, a->id, &users);
	if (n < 0)
		return -1;
	time_t week = a->deadline - 7 * 86400, day = day_reminder(ctx, a->deadline);
	/* Wanted even when their time has passed: one missed while the bot
	 * was down must stay pending to be sent late (a new one already past
	 * is not made; reminders_upsert_generated). */
	for (int i = 0; i < n && rc == 0; i++) {
		rc = want(ctx, wanted, a, "deadline_week", "advice.deadline_week",
			  users[i], week);
		if (rc == 0)
			rc = want(ctx, wanted, a, "deadline_day", "advice.deadline_day",
				  users[i], day);
	}
	if (n > 0)
		advice_strings_free(users, (size_t)n);
	return rc;
}

int advice_reminder_generate(struct wt_ctx *ctx)
{
	struct keys chairs = { 0 };
	struct reminder_keys wanted = { 0 };
	if (roles_each(ctx->db, ctx->net->name, chair_cb, &chairs) < 0)
		return -1;
	/* The open requests only (advice_list, closed = 0). */
	struct advice_filter f = { .closed = 0, .theme = NULL, .state = -1 };
	struct wt_advice *v = NULL;
	int n = advice_list(ctx->db, ctx->net->name, &f, &v);
	int rc = n < 0 ? -1 : 0;
	for (int i = 0; i < n && rc == 0; i++)
		if (advice_state_pending(v[i].state))
			rc = generate_one(ctx, &v[i], &chairs, &wanted);
	if (n > 0)
		advice_list_free(v, (size_t)n);
	reminder_keys_sort(&wanted);
	if (rc == 0)
		rc = reminder_keys_cancel_others(ctx, "advice:", &wanted);
	keys_free(&chairs);
	reminder_keys_free(&wanted);
	return rc;
}

int advice_reminder_generate_ref(struct wt_ctx *ctx, long long id)
{
	struct keys chairs = { 0 };
	struct reminder_keys wanted = { 0 };
	struct wt_advice a;
	int found = advice_by_id(ctx->db, id, &a);
	int rc = found < 0 ? -1 : 0;
	if (found > 0) {
		/* Wanted as advice_reminder_generate finds it: open, pending. */
		if (strcmp(a.network, ctx->net->name) == 0 && !advice_state_closed(a.state)
		    && advice_state_pending(a.state)) {
			rc = roles_each(ctx->db, ctx->net->name, chair_cb, &chairs) < 0 ? -1 : 0;
			if (rc == 0)
				rc = generate_one(ctx, &a, &chairs, &wanted);
		}
		advice_free(&a);
	}
	reminder_keys_sort(&wanted);
	struct strbuf prefix = STRBUF_INIT;
	sb_addf(&prefix, "advice:%lld:", id);
	if (rc == 0)
		rc = reminder_keys_cancel_others(ctx, prefix.buf, &wanted);
	sb_release(&prefix);
	keys_free(&chairs);
	reminder_keys_free(&wanted);
	return rc;
}

int advice_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			   struct strbuf *out)
{
	struct wt_advice a;
	int found = advice_by_id(ctx->db, ref_id, &a);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	const char *sub = strchr(kind, '.') ? strchr(kind, '.') + 1 : kind;
	int is_week = strcmp(sub, "deadline_week") == 0, is_day = strcmp(sub, "deadline_day") == 0;
	int is_overdue = strcmp(sub, "overdue") == 0, is_waiting = strcmp(sub, "waiting") == 0;
	int drop = strcmp(a.network, ctx->net->name) != 0 || !advice_state_pending(a.state);
	if (is_week || is_day)
		drop |= !a.deadline || a.deadline <= ctx->now;
	else if (is_overdue)
		drop |= !a.deadline || a.deadline > ctx->now;
	else if (is_waiting)
		drop |= a.state != ADVICE_RECEIVED;
	else
		drop = 1;
	if (drop) {
		advice_free(&a);
		return 1;
	}
	struct strbuf ref = STRBUF_INIT, title = STRBUF_INIT, d = STRBUF_INIT, u = STRBUF_INIT;
	advice_ref(&ref, a.short_id);
	sb_add_md(&title, a.title);
	const char *state = T(ctx, advice_state_msg(a.state));
	if (is_waiting) {
		when_format_long_day(&d, a.created_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_add_person(&u, ctx, a.requested_by ? a.requested_by : a.submitted_by);
		sb_addm(out, ctx, M_ADV_REM_WAITING, ref.buf, title.buf, u.buf, d.buf,
			ref.buf, ref.buf);
	} else {
		when_format_long(&d, a.deadline, ctx->now, ctx->net->tz, ctx->lang);
		sb_addm(out, ctx, is_week ? M_ADV_REM_WEEK : is_day ? M_ADV_REM_DAY : M_ADV_REM_OVERDUE,
			ref.buf, title.buf, d.buf, state, ref.buf);
	}
	sb_release(&ref);
	sb_release(&title);
	sb_release(&d);
	sb_release(&u);
	advice_free(&a);
	return 0;
}
