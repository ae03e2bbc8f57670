/* series: recurring meetings, planned occurrence by occurrence. */
#include "handlers/series.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/recur.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/agenda.h"
#include "storage/series.h"

/* Most occurrences planned in one go (a daily series, a long pause). */
#define MAX_PLAN 60

/* 1 when the word at p starts a recurrence: elke, every, iedere, or "om de". */
static int starts_rule(const char *word, const char *after)
{
	if (args_is(word, "elke", "every") || args_is(word, "iedere", NULL))
		return 1;
	if (strcasecmp(word, "om") != 0)
		return 0;
	struct strbuf w = STRBUF_INIT;
	int yes = args_word(after, &w) && strcasecmp(w.buf, "de") == 0;
	sb_release(&w);
	return yes;
}

int series_take_rule(struct wt_ctx *ctx, char *opts, char **rrule)
{
	*rrule = NULL;
	struct strbuf w = STRBUF_INIT;
	char *p = opts;
	const char *after;
	int rc = WT_OK;
	struct recur_in in = { ctx->net->tz, ctx->now, ctx->lang };
	while ((after = args_word(p, &w))) {
		if (starts_rule(w.buf, after)) {
			char *start = (char *)args_skip_blank(p);
			struct recur r;
			size_t used = 0;
			int e = recur_parse_in(start, &in, &r, &used);
			if (e == RECUR_OK) {
				*rrule = xstrdup(r.rrule);
				recur_free(&r);
				memset(start, ' ', used);
			} else {
				struct strbuf sb = STRBUF_INIT;
				sb_add(&sb, recur_error_text(ctx->lang, e));
				sb_add(&sb, "\n\n");
				sb_addm(&sb, ctx, M_USAGE, T(ctx, M_MEETING_SYN_PLAN));
				reply_add(ctx, sb.buf)->is_error = 1;
				sb_release(&sb);
				rc = WT_EUSAGE;
			}
			break;
		}
		p = (char *)after;
	}
	sb_release(&w);
	return rc;
}

/* Plan the missing occurrences of one series; returns how many. *last
 * receives the start of the last occurrence. */
static int top_up_one(struct wt_ctx *ctx, const struct wt_meeting *head, time_t *last)
{
	int n = series_count(ctx->db, head->id);
	if (n < 1)
		return n < 0 ? -1 : 0;
	time_t t = head->starts_at;
	for (int i = 1; i < n; i++)
		if (recur_next(head->rrule, ctx->net->tz, head->starts_at, t, &t) != RECUR_OK)
			return 0;
	int made = 0;
	time_t nt;
	while (made < MAX_PLAN
	       && recur_next(head->rrule, ctx->net->tz, head->starts_at, t, &nt) == RECUR_OK) {
		if (t > ctx->now && nt > ctx->now + SERIES_HORIZON)
			break;
		struct wt_meeting m = {
			.network = head->network, .title = head->title, .room = head->room,
			.place = head->place, .series_id = head->id, .starts_at = nt,
			.duration_min = head->duration_min, .state = MEETING_PLANNED,
			.created_by = head->created_by, .created_at = ctx->now,
		};
		if (meeting_create(ctx->db, &m) < 0)
			return -1;
		made++;
		t = nt;
	}
	*last = t;
	return made;
}

void series_add_next_dates(struct strbuf *sb, struct wt_ctx *ctx, const char *rrule,
			   const char *tz, time_t dtstart, time_t from)
{
	time_t at[3];
	int n = recur_next_dates(rrule, tz, dtstart, from, at, 3);
	if (n < 1)
		return;
	struct strbuf day[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	const char *items[3];
	for (int i = 0; i < n; i++) {
		when_format_long_day(&day[i], at[i], ctx->now, tz, ctx->lang);
		items[i] = day[i].buf;
	}
	struct strbuf list = STRBUF_INIT;
	sb_addlist(&list, ctx, items, (size_t)n);
	sb_addm(sb, ctx, M_RECUR_NEXT, list.buf);
	sb_release(&list);
	for (int i = 0; i < 3; i++)
		sb_release(&day[i]);
}

/* 1 when meeting a belongs to the series headed by head_id (or is it). */
static int in_series(const struct wt_meeting *a, long long head_id)
{
	return a->id == head_id || (head_id > 0 && a->series_id == head_id);
}

/* 1 when meetings a and b share some time (start to start plus duration). */
static int overlaps(const struct wt_meeting *a, const struct wt_meeting *b)
{
	time_t ae = a->starts_at + (time_t)a->duration_min * 60;
	time_t be = b->starts_at + (time_t)b->duration_min * 60;
	return a->starts_at < be && b->starts_at < ae;
}

/* Most meetings compared, and most warnings given, for one new meeting. */
#define OVERLAP_SCAN 500
#define OVERLAP_WARN 5

int series_add_overlaps(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct wt_meeting *v = NULL;
	int n = meeting_list_upcoming(ctx->db, ctx->net->name, m->starts_at, OVERLAP_SCAN, &v);
	if (n < 0)
		return 0;
	long long head = m->rrule || m->series_id == m->id ? m->id : 0;
	int warned = 0;
	for (int i = 0; i < n && warned < OVERLAP_WARN; i++) {
		const struct wt_meeting *mine = &v[i];
		if (head ? !in_series(mine, head) : mine->id != m->id)
			continue;
		for (int j = 0; j < n && warned < OVERLAP_WARN; j++) {
			const struct wt_meeting *other = &v[j];
			if (other->id == mine->id || (head && in_series(other, head))
			    || !overlaps(mine, other))
				continue;
			struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
			when_format_long(&a, mine->starts_at, ctx->now, ctx->net->tz, ctx->lang);
			when_format_long(&b, other->starts_at, ctx->now, ctx->net->tz, ctx->lang);
			sb_add(sb, warned ? "\n" : "\n\n");
			sb_addm(sb, ctx, M_SERIES_OVERLAP, mine->short_id, ctx_md(ctx, mine->title),
				a.buf, other->short_id, ctx_md(ctx, other->title), b.buf);
			sb_release(&a);
			sb_release(&b);
			warned++;
		}
	}
	meeting_list_free(v, (size_t)n);
	return warned;
}

int series_start(struct wt_ctx *ctx, const struct wt_meeting *head, const char *given)
{
	time_t first;
	char *rrule = recur_keep_weekday(given, ctx->net->tz, head->starts_at);
	int e = recur_next(rrule, ctx->net->tz, head->starts_at, head->starts_at, &first);
	if (e != RECUR_OK) {
		struct wt_reply *r = reply_add(ctx, recur_error_text(ctx->lang, e));
		r->is_error = 1;
		free(rrule);
		return WT_EUSAGE;
	}
	if (series_mark_head(ctx->db, head->id, rrule) < 0) {
		free(rrule);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct wt_meeting h = *head;
	h.rrule = rrule;
	h.series_id = head->id;
	time_t last = head->starts_at;
	int made = top_up_one(ctx, &h, &last);
	if (made < 0) {
		free(rrule);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct strbuf how = STRBUF_INIT, until = STRBUF_INIT, msg = STRBUF_INIT;
	recur_describe_in(&how, rrule, ctx->net->tz, ctx->lang);
	when_format_long_day(&until, last, ctx->now, ctx->net->tz, ctx->lang);
	time_t more;
	enum msg_id planned = recur_next(rrule, ctx->net->tz, head->starts_at, last, &more) == RECUR_OK
		? M_SERIES_PLANNED_ONE : M_SERIES_PLANNED_ALL_ONE;
	sb_addm(&msg, ctx, msg_count(planned, made + 1), how.buf, made + 1, until.buf);
	sb_addc(&msg, '\n');
	series_add_next_dates(&msg, ctx, rrule, ctx->net->tz, head->starts_at, head->starts_at);
	series_add_overlaps(&msg, ctx, &h);
	reply_add(ctx, msg.buf);
	sb_release(&how);
	sb_release(&until);
	sb_release(&msg);
	free(rrule);
	return WT_OK;
}

int series_top_up(struct wt_ctx *ctx)
{
	long long *ids;
	int n = series_head_ids(ctx->db, ctx->net->name, &ids);
	if (n < 0)
		return -1;
	int total = 0;
	for (int i = 0; i < n && total >= 0; i++) {
		struct wt_meeting h;
		if (meeting_by_id(ctx->db, ids[i], &h) != 1)
			continue;
		time_t last;
		int made = h.rrule ? top_up_one(ctx, &h, &last) : 0;
		total = made < 0 ? -1 : total + made;
		meeting_free(&h);
	}
	free(ids);
	return total;
}

/* !vergadering reeks <id> stop (or `reeks stop <id>`, which the table runs
 * directly): the series ends after meeting <id>; its later planned
 * occurrences are cancelled and their open items wait unassigned. */
static int series_stop(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = args_word(args, &w);
	long long id = p ? args_id(w.buf) : -1;
	int rc = id > 0 ? reply_if_extra(ctx, p) : reply_usage(ctx, M_SERIES_E_USAGE, M_SERIES_SYN);
	struct wt_meeting m = { 0 }, head = { 0 };
	int found = rc == WT_OK ? meeting_by_short_id(ctx->db, ctx->net->name, id, &m) : 0;
	if (found < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (rc == WT_OK && (!found || m.series_id <= 0
				 || meeting_by_id(ctx->db, m.series_id, &head) != 1 || !head.rrule))
		rc = reply_error(ctx, WT_ENOTFOUND, M_SERIES_E_NONE, id);
	long long *later = NULL;
	int n = 0;
	if (rc == WT_OK) {
		n = series_planned_after(ctx->db, head.id, m.starts_at, &later);
		if (n < 0 || series_end(ctx->db, head.id) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		for (int i = 0; i < n && rc == WT_OK; i++)
			if (meeting_set_state(ctx->db, later[i], MEETING_CANCELLED, ctx->now) < 0
			    || agenda_move_open(ctx->db, ctx->net->name, later[i], 0) < 0)
				rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK)
		reply_msgf(ctx, msg_count(M_SERIES_STOPPED_ONE, n), m.short_id, n);
	free(later);
	if (found > 0)
		meeting_free(&m);
	meeting_free(&head);
	sb_release(&w);
	return rc;
}

const struct wt_command series_subs[] = {
	{ { "stop", "stop" }, "stoppen end", ROLE_SECRETARY, M_SERIES_SYN,
	  M_MEETING_HELP_SERIES_STOP, series_stop, 0, NULL },
	WT_SUBS_END,
};

int series_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf id = STRBUF_INIT, verb = STRBUF_INIT, rest = STRBUF_INIT;
	const char *p = args_word(args, &id);
	const char *after = p ? args_word(p, &verb) : NULL;
	const struct wt_command *sub = after ? subcommand_find(ctx->cmd, verb.buf) : NULL;
	int rc;
	if (!after || args_id(id.buf) <= 0) {
		rc = reply_usage(ctx, M_SERIES_E_USAGE, M_SERIES_SYN);
	} else if (!sub) {
		rc = reply_unknown_sub(ctx, verb.buf);
	} else {
		/* The verb's handler reads the id first, as in `reeks stop <id>`. */
		sb_addf(&rest, "%s %s", id.buf, after);
		rc = command_run(ctx, sub, rest.buf);
	}
	sb_release(&id);
	sb_release(&verb);
	sb_release(&rest);
	return rc;
}
