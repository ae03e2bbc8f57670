/* reminder_kinds: the families of generated reminders, and the meeting
 * family: the chair's, the secretary's and the room's reminders of the
 * meeting cycle, generated from the meetings and the network's offsets. */
#include "handlers/names.h"
#include "handlers/reminder_kinds.h"
#include "handlers/documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/reply.h"
#include "handlers/series.h"
#include "handlers/actionline.h"
#include "handlers/advice.h"
#include "handlers/agenda_call.h"
#include "handlers/invite.h"
#include "handlers/goals.h"
#include "handlers/evaluation.h"
#include "handlers/report.h"
#include "handlers/meeting_mode.h"
#include "handlers/rota.h"
#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/actions.h"
#include "storage/advice.h"
#include "storage/agenda.h"
#include "storage/meetings.h"
#include "storage/reminders.h"
#include "storage/roles.h"

static int meeting_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			  struct strbuf *out);
static int meeting_generate(struct wt_ctx *ctx);
static int meeting_generate_ref(struct wt_ctx *ctx, long long id);

/* One line per family; other families append theirs. The name is the
 * family column the triggers of storage/schema.c (migration 24) write. */
const struct reminder_family reminder_families[] = {
	{ "meeting.", "meeting", meeting_render, meeting_generate, meeting_generate_ref },
	{ "actionline.", "actionline", actionline_reminder_render, actionline_reminder_generate,
	  actionline_reminder_generate_ref },
	{ "advice.", "advice", advice_reminder_render, advice_reminder_generate,
	  advice_reminder_generate_ref },
	{ "action.", "action", action_reminder_render, action_reminder_generate,
	  action_reminder_generate_ref },
	{ "rota.", "rota", rota_reminder_render, rota_reminder_generate,
	  rota_reminder_generate_ref },
	{ "goal.", "goal", goal_reminder_render, goal_reminder_generate,
	  goal_reminder_generate_ref },
	{ "evaluation.", "evaluation", eval_reminder_render, eval_reminder_generate,
	  eval_reminder_generate_ref },
	{ "report.", "report", report_reminder_render, report_reminder_generate,
	  report_reminder_generate_ref },
};

long long reminder_generator_runs;

const size_t reminder_nfamilies = sizeof reminder_families / sizeof reminder_families[0];

/* The family whose prefix starts kind writes the text. */
int reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
		    struct strbuf *out)
{
	for (size_t i = 0; i < reminder_nfamilies; i++) {
		const struct reminder_family *f = &reminder_families[i];
		if (strncmp(kind, f->kind_prefix, strlen(f->kind_prefix)) == 0)
			return f->render ? f->render(ctx, kind, ref_id, out) : 1;
	}
	return 1;
}

/* Every family regenerates; one failing does not stop the others. */
int reminder_generate_all(struct wt_ctx *ctx)
{
	int rc = 0;
	for (size_t i = 0; i < reminder_nfamilies; i++) {
		if (!reminder_families[i].generate)
			continue;
		reminder_generator_runs++;
		if (reminder_families[i].generate(ctx) < 0)
			rc = -1;
	}
	return rc;
}

int reminder_generate_ref(struct wt_ctx *ctx, const char *family, long long ref_id)
{
	for (size_t i = 0; i < reminder_nfamilies; i++) {
		const struct reminder_family *f = &reminder_families[i];
		if (strcmp(f->name, family) != 0 || !f->generate_ref)
			continue;
		reminder_generator_runs++;
		return f->generate_ref(ctx, ref_id);
	}
	return 0;
}

/* ---- the meeting family ------------------------------------------------ */

/* Who gets a meeting reminder of this kind. */
enum target { TO_CHAIR, TO_SECRETARY, TO_ROOM };

static const struct { const char *kind; enum target to; } meeting_kinds[] = {
	{ "agenda_call", TO_CHAIR },
	{ "agenda_final", TO_CHAIR },
	{ "invitation", TO_SECRETARY },
	{ "meeting_tomorrow", TO_CHAIR },
	{ "room_day_before", TO_ROOM },
	{ "room_hour_before", TO_ROOM },
	{ "unopened", TO_SECRETARY },
};

/* The secretary's report of a planned meeting that passed without being
 * opened: not an offset of the config, always wanted, due the morning
 * after the meeting's end (UNOPENED_HOUR local time). */
#define UNOPENED_KIND "unopened"
#define UNOPENED_HOUR 9

/* Who gets a meeting reminder kind (enum target), or -1 if unknown. */
static int target_of(const char *kind)
{
	for (size_t i = 0; i < sizeof meeting_kinds / sizeof meeting_kinds[0]; i++)
		if (strcmp(meeting_kinds[i].kind, kind) == 0)
			return (int)meeting_kinds[i].to;
	return -1;
}

struct officers {
	char *chair, *secretary;
};

/* roles_each callback: the first chair and secretary (highest first). */
static void officer_cb(void *arg, const char *user, int role)
{
	struct officers *o = arg;
	if (role == ROLE_CHAIR && !o->chair)
		o->chair = xstrdup(user);
	else if (role == ROLE_SECRETARY && !o->secretary)
		o->secretary = xstrdup(user);
}

/* 1 when the network's offsets still configure kind (the unopened
 * report is always wanted). */
static int offset_configured(const struct wt_network *net, const char *kind)
{
	if (strcmp(kind, UNOPENED_KIND) == 0)
		return 1;
	for (size_t i = 0; i < net->noffsets; i++)
		if (strcmp(net->offsets[i].kind, kind) == 0)
			return 1;
	return 0;
}

/* Cancel pending meeting reminders whose meeting was cancelled, closed or
 * deleted, or whose kind is no longer configured. */
static int drop_stale(struct wt_ctx *ctx)
{
	struct wt_reminder *v;
	int n = reminders_pending_generated(ctx->db, ctx->net->name, "meeting:", &v);
	if (n < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct wt_meeting m;
		int found = meeting_by_id(ctx->db, v[i].ref_id, &m);
		const char *sub = strchr(v[i].kind, '.');
		int keep = found == 1 && (m.state == MEETING_PLANNED || m.state == MEETING_OPEN)
			&& sub && offset_configured(ctx->net, sub + 1)
			&& (m.state == MEETING_PLANNED || strcmp(sub + 1, UNOPENED_KIND) != 0);
		if (found == 1)
			meeting_free(&m);
		if (found < 0)
			rc = -1;
		else if (!keep)
			rc = reminders_cancel(ctx->db, v[i].id);
	}
	reminders_list_free(v, (size_t)n);
	return rc;
}

/* The room of a meeting's room reminders: its own, the network's first
 * room given by id, else a room the bot is in for the network (looked up
 * once, into *net_room). */
static const char *meeting_room(struct wt_ctx *ctx, const struct wt_meeting *m,
				char **net_room, int *looked)
{
	const struct wt_network *net = ctx->net;
	if (m->room)
		return m->room;
	if (net->nrooms && net->rooms[0][0] != '#')
		return net->rooms[0];
	if (!*looked && net->nrooms) {
		*net_room = reminders_network_room_dup(ctx->db, net->name);
		*looked = 1;
	}
	return *net_room;
}

/* UNOPENED_HOUR:00 local time on the day after meeting m ends. */
static time_t morning_after(const char *tz, const struct wt_meeting *m)
{
	time_t end = m->starts_at + (time_t)m->duration_min * 60;
	struct tz_local l;
	if (!tz || tz_from_utc(tz, end, &l) != TZ_OK)
		return end + 12 * 3600;
	tz_civil_from_days(tz_days_from_civil(l.year, l.mon, l.day) + 1, &l.year, &l.mon, &l.day);
	l.hour = UNOPENED_HOUR;
	l.min = l.sec = 0;
	time_t morning;
	return tz_to_utc(tz, &l, &morning) == TZ_OK ? morning : end + 12 * 3600;
}

/* The configured reminders of one planned meeting that has not ended; the
 * unopened report is wanted even without offsets. */
static int meeting_want(struct wt_ctx *ctx, const struct wt_meeting *m,
			const struct officers *o, const char *room)
{
	const struct wt_network *net = ctx->net;
	struct strbuf key = STRBUF_INIT, kind = STRBUF_INIT;
	int rc = 0;
	for (size_t k = 0; k < net->noffsets && rc == 0; k++) {
		int to = target_of(net->offsets[k].kind);
		if (to < 0)
			continue;
		const char *user = NULL;
		if (to == TO_CHAIR)
			user = o->chair ? o->chair : o->secretary;
		else if (to == TO_SECRETARY)
			user = o->secretary ? o->secretary : o->chair;
		if (!user && !room)
			continue;
		sb_reset(&key);
		sb_addf(&key, "meeting:%lld:%s", m->id, net->offsets[k].kind);
		sb_reset(&kind);
		sb_addf(&kind, "meeting.%s", net->offsets[k].kind);
		time_t due = m->starts_at - (time_t)net->offsets[k].seconds;
		rc = reminder_want(ctx, net->name, key.buf, kind.buf, m->id, user,
				   user ? NULL : room, due);
	}
	const char *sec = o->secretary ? o->secretary : o->chair;
	if (rc == 0 && sec) {
		sb_reset(&key);
		sb_addf(&key, "meeting:%lld:" UNOPENED_KIND, m->id);
		rc = reminder_want(ctx, net->name, key.buf, "meeting." UNOPENED_KIND, m->id, sec,
				   NULL, morning_after(net->tz, m));
	}
	sb_release(&key);
	sb_release(&kind);
	return rc;
}

/* Most coming meetings of a network given reminders in one pass: far more
 * than a network plans (a series plans SERIES_HORIZON ahead). */
#define MAX_UPCOMING 100000

/* Generate every configured reminder of every coming meeting of the
 * network; move them with their meeting. */
static int meeting_generate(struct wt_ctx *ctx)
{
	const struct wt_network *net = ctx->net;
	/* Recurring meetings first, so their new occurrences get reminders. */
	if (series_top_up(ctx) < 0 || drop_stale(ctx) < 0)
		return -1;
	struct officers o = { 0 };
	if (roles_each(ctx->db, net->name, officer_cb, &o) < 0)
		return -1;
	struct wt_meeting *v;
	int n = meeting_list_upcoming(ctx->db, net->name, ctx->now, MAX_UPCOMING, &v);
	int rc = n < 0 ? -1 : 0;
	char *net_room = NULL;   /* a room id of the network, when needed */
	int looked = 0;
	for (int i = 0; i < n && rc == 0; i++)
		if (v[i].state == MEETING_PLANNED)
			rc = meeting_want(ctx, &v[i], &o, meeting_room(ctx, &v[i], &net_room, &looked));
	if (n > 0)
		meeting_list_free(v, (size_t)n);
	free(o.chair);
	free(o.secretary);
	free(net_room);
	return rc;
}

/* The reminders of meeting id alone, as meeting_generate leaves them:
 * pending ones it would drop are cancelled, the wanted ones upserted. */
static int meeting_generate_ref(struct wt_ctx *ctx, long long id)
{
	const struct wt_network *net = ctx->net;
	struct wt_meeting m;
	int found = meeting_by_id(ctx->db, id, &m);
	if (found < 0)
		return -1;
	if (found && strcmp(m.network, net->name) != 0) {
		meeting_free(&m);
		found = 0;
	}
	struct strbuf prefix = STRBUF_INIT;
	sb_addf(&prefix, "meeting:%lld:", id);
	struct wt_reminder *p;
	int np = reminders_pending_generated(ctx->db, net->name, prefix.buf, &p);
	sb_release(&prefix);
	int rc = np < 0 ? -1 : 0;
	int live = found && (m.state == MEETING_PLANNED || m.state == MEETING_OPEN);
	for (int i = 0; i < np && rc == 0; i++) {
		const char *sub = strchr(p[i].kind, '.');
		if (!(live && sub && offset_configured(net, sub + 1))
		    || (sub && strcmp(sub + 1, UNOPENED_KIND) == 0 && m.state != MEETING_PLANNED))
			rc = reminders_cancel(ctx->db, p[i].id);
	}
	if (np > 0)
		reminders_list_free(p, (size_t)np);
	/* Wanted as meeting_list_upcoming finds it: planned, not yet over. */
	if (rc == 0 && found && m.state == MEETING_PLANNED
	    && m.starts_at + (time_t)m.duration_min * 60 > ctx->now) {
		struct officers o = { 0 };
		char *net_room = NULL;
		int looked = 0;
		rc = roles_each(ctx->db, net->name, officer_cb, &o) < 0 ? -1 : 0;
		if (rc == 0)
			rc = meeting_want(ctx, &m, &o, meeting_room(ctx, &m, &net_room, &looked));
		free(o.chair);
		free(o.secretary);
		free(net_room);
	}
	if (found)
		meeting_free(&m);
	return rc;
}

/* The meeting's agenda (items accepted or discussed, numbered), or its
 * proposals still waiting when `proposals` is set. */
static int add_items(struct wt_ctx *ctx, const struct wt_meeting *m, int proposals,
		     struct strbuf *out)
{
	struct wt_agenda_item *v;
	int n = agenda_list(ctx->db, m->network, m->id, &v);
	if (n < 0)
		return -1;
	int shown = 0;
	sb_addf(out, "\n\n%s\n\n", T(ctx, proposals ? M_RMEET_PROPOSED_HEADER : M_RMEET_AGENDA_HEADER));
	for (int i = 0; i < n; i++) {
		struct strbuf t = STRBUF_INIT;
		sb_add_md(&t, v[i].title);
		if (proposals && (v[i].state == AGENDA_PROPOSED || v[i].state == AGENDA_DEFERRED)) {
			sb_addm(out, ctx, M_RMEET_ITEM, v[i].short_id, t.buf);
			sb_addc(out, '\n');
			shown++;
		} else if (!proposals && (v[i].state == AGENDA_ACCEPTED || v[i].state == AGENDA_DISCUSSED)) {
			sb_addm(out, ctx, M_RMEET_AGENDA_LINE, ++shown, t.buf, v[i].short_id);
			docs_render_item(out, ctx, v[i].id, "   ");  /* its documents */
			sb_addc(out, '\n');
		}
		sb_release(&t);
	}
	if (!shown)
		sb_add(out, T(ctx, proposals ? M_RMEET_PROPOSED_NONE : M_RMEET_AGENDA_EMPTY));
	agenda_list_free(v, (size_t)n);
	sb_rtrim(out);
	return 0;
}

/* Most open advice requests and actions listed in one reminder. */
#define MAX_OPEN_LISTED 15

/* The network's open advice requests and open action items, for the
 * chair's "meeting tomorrow" reminder. */
static int add_open_work(struct wt_ctx *ctx, struct strbuf *out)
{
	struct advice_filter af = { .closed = 0, .theme = NULL, .state = -1 };
	struct wt_advice *adv;
	int na = advice_list(ctx->db, ctx->net->name, &af, &adv);
	if (na < 0)
		return -1;
	if (na > 0) {
		sb_addf(out, "\n\n%s\n\n", T(ctx, M_RMEET_ADVICE_HEADER));
		for (int i = 0; i < na && i < MAX_OPEN_LISTED; i++) {
			struct strbuf t = STRBUF_INIT, d = STRBUF_INIT;
			sb_add_md(&t, adv[i].title ? adv[i].title : "");
			if (adv[i].deadline) {
				when_format_date(&d, adv[i].deadline, ctx->net->tz, ctx->lang);
				sb_addm(out, ctx, M_RMEET_ADVICE_LINE_DUE, adv[i].short_id, t.buf, d.buf);
			} else {
				sb_addm(out, ctx, M_RMEET_ADVICE_LINE, adv[i].short_id, t.buf);
			}
			sb_addc(out, '\n');
			sb_release(&t);
			sb_release(&d);
		}
		advice_list_free(adv, (size_t)na);
	}
	struct wt_logged *act;
	int nact = actions_open(ctx->db, ctx->net->name, NULL, &act);
	if (nact < 0)
		return -1;
	if (nact > 0) {
		sb_addf(out, "\n\n%s\n\n", T(ctx, M_RMEET_ACTIONS_HEADER));
		for (int i = 0; i < nact && i < MAX_OPEN_LISTED; i++) {
			struct strbuf t = STRBUF_INIT, who = STRBUF_INIT;
			sb_add_md(&t, act[i].text ? act[i].text : "");
			sb_add_person(&who, ctx, act[i].owner ? act[i].owner : "");
			sb_addm(out, ctx, M_RMEET_ACTION_LINE, act[i].short_id, t.buf, who.buf);
			sb_addc(out, '\n');
			sb_release(&t);
			sb_release(&who);
		}
		logged_list_free(act, (size_t)nact);
	}
	sb_rtrim(out);
	return 0;
}

/* The unopened report of planned meeting m. */
static int unopened_render(struct wt_ctx *ctx, const struct wt_meeting *m, struct strbuf *out)
{
	struct strbuf title = STRBUF_INIT, date = STRBUF_INIT;
	sb_add_md(&title, m->title);
	when_format_long(&date, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
	sb_addm(out, ctx, M_RMEET_UNOPENED, m->short_id, title.buf, date.buf, m->short_id,
		m->short_id);
	sb_release(&title);
	sb_release(&date);
	return 0;
}

/* Write a meeting reminder as the meeting is now; drop it when the meeting
 * is cancelled, closed or over. */
static int meeting_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			  struct strbuf *out)
{
	struct wt_meeting m;
	int found = meeting_by_id(ctx->db, ref_id, &m);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	const char *sub = strchr(kind, '.') ? strchr(kind, '.') + 1 : kind;
	int rc = 0;
	if (strcmp(sub, UNOPENED_KIND) == 0) {
		rc = m.state == MEETING_PLANNED ? unopened_render(ctx, &m, out) : 1;
		meeting_free(&m);
		return rc;
	}
	if (m.state == MEETING_CANCELLED || m.state == MEETING_CLOSED
	    || m.starts_at + (time_t)m.duration_min * 60 <= ctx->now || target_of(sub) < 0) {
		meeting_free(&m);
		return 1;
	}
	struct strbuf title = STRBUF_INIT, date = STRBUF_INIT;
	sb_add_md(&title, m.title);
	when_format_long(&date, m.starts_at, ctx->now, ctx->net->tz, ctx->lang);
	if (strcmp(sub, "agenda_call") == 0) {
		rc = agenda_call_reminder(ctx, &m, out);
	} else if (strcmp(sub, "agenda_final") == 0) {
		sb_addm(out, ctx, M_RMEET_AGENDA_FINAL, title.buf, date.buf);
		sb_addc(out, ' ');
		sb_addm(out, ctx, M_INV_REMIND_FINALISE, m.short_id);
		rc = add_items(ctx, &m, 1, out);
	} else if (strcmp(sub, "invitation") == 0) {
		sb_addm(out, ctx, M_RMEET_INVITATION, title.buf, date.buf);
		if (rc == 0)
			rc = add_items(ctx, &m, 0, out);
	} else {
		enum msg_id head = strcmp(sub, "meeting_tomorrow") == 0 ? M_RMEET_TOMORROW
			: strcmp(sub, "room_day_before") == 0 ? M_RMEET_ROOM_DAY : M_RMEET_ROOM_HOUR;
		sb_addm(out, ctx, head, title.buf, date.buf);
		if (m.place) {
			struct strbuf place = STRBUF_INIT;
			sb_add_md(&place, m.place);
			sb_add(out, "\n\n");
			sb_addm(out, ctx, M_RMEET_PLACE, place.buf);
			sb_release(&place);
		}
		rc = add_items(ctx, &m, 0, out);
		if (rc == 0 && head == M_RMEET_TOMORROW)
			rc = add_items(ctx, &m, 1, out);
		if (rc == 0 && head == M_RMEET_TOMORROW)
			rc = add_open_work(ctx, out);
		/* Who comes, who sent apologies, who did not answer; the quorum. */
		if (rc == 0 && head == M_RMEET_TOMORROW) {
			sb_add(out, "\n\n");
			rc = attendance_overview(out, ctx, &m);
		}
	}
	sb_release(&title);
	sb_release(&date);
	meeting_free(&m);
	return rc;
}

time_t reminder_daytime(const char *tz, time_t due)
{
	struct tz_local l;
	if (!tz || tz_from_utc(tz, due, &l) != TZ_OK)
		return due;
	if (l.hour >= WT_QUIET_UNTIL && l.hour < WT_QUIET_FROM)
		return due;
	if (l.hour >= WT_QUIET_FROM)
		tz_civil_from_days(tz_days_from_civil(l.year, l.mon, l.day) + 1,
				   &l.year, &l.mon, &l.day);
	l.hour = WT_QUIET_MORNING;
	l.min = l.sec = 0;
	time_t morning;
	return tz_to_utc(tz, &l, &morning) == TZ_OK ? morning : due;
}

int reminder_want(struct wt_ctx *ctx, const char *network, const char *source_key,
		  const char *kind, long long ref_id, const char *to_user,
		  const char *room_id, time_t due)
{
	/* A record whose person was erased carries a label, not a user id
	 * (storage/forget.h): nobody to remind. */
	if (to_user && (to_user[0] != '@' || !strchr(to_user, ':')))
		return 0;
	if (to_user) {
		char *own = user_tz_dup(ctx->db, to_user);
		due = reminder_daytime(own ? own : ctx->net->tz, due);
		free(own);
	}
	return reminders_upsert_generated(ctx->db, network, source_key, kind, ref_id,
					  to_user, room_id, due, ctx->now);
}
