/* !vergadering / !meeting: show, plan, list, move and cancel meetings.
 *
 *   !vergadering                       the next meeting
 *   !vergadering <id>                  that meeting
 *   !vergadering plan <when> [duur 2u] [titel ...] [plaats ...]
 *   !vergadering lijst                 the coming meetings
 *   !vergadering verzet <id> <when>    move (its agenda items move with it)
 *   !vergadering annuleer <id>         cancel (the row stays, state cancelled)
 *
 * Cancelling moves the meeting's open agenda items (proposed, accepted,
 * deferred) to the next planned meeting as proposals, so the secretary
 * accepts them again there; with no later meeting they wait unassigned, and
 * the next meeting planned picks them up. Plan, move and cancel need the
 * secretary role or higher (meeting_subs at the end says so). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/page.h"
#include "handlers/meeting.h"
#include "handlers/invite.h"
#include "handlers/commands.h"
#include "handlers/meeting_mode.h"
#include "handlers/ics.h"
#include "handlers/reply.h"
#include "handlers/series.h"
#include "handlers/when_ctx.h"
#include "storage/agenda.h"
#include "storage/bodies.h"
#include "storage/meetings.h"

/* Default hour for a date given without a time of day. */
#define MEETING_DEFAULT_HOUR 9

/* The catalogue name of a meeting state. */
enum msg_id meeting_state_msg(enum meeting_state s)
{
	switch (s) {
	case MEETING_OPEN: return M_MEETING_STATE_OPEN;
	case MEETING_CLOSED: return M_MEETING_STATE_CLOSED;
	case MEETING_CANCELLED: return M_MEETING_STATE_CANCELLED;
	default: return M_MEETING_STATE_PLANNED;
	}
}

/* "2 uur", "1 uur 30 min", "45 min". */
static void add_duration(struct strbuf *sb, const struct wt_ctx *ctx, int minutes)
{
	if (minutes >= 60 && minutes % 60 == 0)
		sb_addm(sb, ctx, M_MEETING_DUR_H, minutes / 60);
	else if (minutes > 60)
		sb_addm(sb, ctx, M_MEETING_DUR_HM, minutes / 60, minutes % 60);
	else
		sb_addm(sb, ctx, M_MEETING_DUR_M, minutes);
}

/* Title, date and duration, place, state and agenda counts of m, one line
 * each. */
static void describe(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	sb_add_md(&a, m->title);
	sb_addm(sb, ctx, M_MEETING_HEAD, a.buf, m->short_id);
	sb_reset(&a);
	when_format(&a, m->starts_at, ctx->net->tz, ctx->lang);
	add_duration(&b, ctx, m->duration_min);
	sb_addc(sb, '\n');
	sb_addm(sb, ctx, M_MEETING_WHEN, a.buf, b.buf);
	if (m->place && *m->place) {
		sb_reset(&a);
		sb_add_md(&a, m->place);
		sb_addc(sb, '\n');
		sb_addm(sb, ctx, M_MEETING_PLACE, a.buf);
	}
	if (m->state != MEETING_PLANNED) {
		sb_addc(sb, '\n');
		sb_addm(sb, ctx, M_MEETING_STATE, T(ctx, meeting_state_msg(m->state)));
	}
	int acc = 0, wait = 0;
	agenda_count(ctx->db, m->id, &acc, &wait);
	sb_reset(&a);
	sb_reset(&b);
	sb_addcount(&a, ctx, M_N_ITEM_ONE, acc);
	sb_addcount(&b, ctx, M_N_PROPOSAL_ONE, wait);
	sb_addc(sb, '\n');
	sb_addm(sb, ctx, M_MEETING_ITEMS, a.buf, b.buf, m->short_id);
	sb_release(&a);
	sb_release(&b);
}

/* Reply with the description of m. */
static int reply_meeting(struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct strbuf sb = STRBUF_INIT;
	describe(&sb, ctx, m);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	return WT_OK;
}

/* Parse the date phrase at the start of line into *t. On error adds the
 * reply (what was wrong, how to write a date, the synopsis). */
static int read_when(struct wt_ctx *ctx, const char *line, enum msg_id syn,
		     time_t *t, size_t *consumed)
{
	*consumed = 0;
	if (!*line)
		return reply_usage_md(ctx, WT_EUSAGE, syn, ctx_when_error(ctx, WHEN_EMPTY, 0));
	struct when_out w;
	int err = ctx_when(ctx, line, MEETING_DEFAULT_HOUR, 0, &w);
	if (err == WHEN_OK && w.at <= ctx->now)
		err = WHEN_PAST;
	if (err == WHEN_OK) {
		*t = w.at;
		*consumed = w.used;
		return WT_OK;
	}
	return reply_usagef(ctx, WT_EUSAGE, syn, M_MEETING_ERR_BAD_WHEN, ctx_md(ctx, line),
			    ctx_when_error(ctx, err, 0));
}

/* Read a meeting's short id from the next word of p and load it. Adds the
 * error reply when there is none, it is no number or no such meeting. */
static int read_meeting(struct wt_ctx *ctx, const char **p, enum msg_id syn,
			struct wt_meeting *m)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(*p, &w);
	int rc = WT_OK;
	long long id = after ? args_id(w.buf) : -1;
	if (!after)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_MEETING_ERR_NO_ID);
	else if (id < 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_MEETING_ERR_BAD_ID, w.buf);
	else {
		int found = meeting_by_short_id(ctx->db, ctx->net->name, id, m);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_ENOTFOUND, syn, M_MEETING_ERR_NOT_FOUND, id);
		else
			*p = after;
	}
	sb_release(&w);
	return rc;
}

/* 1 when word starts an option of !vergadering plan. */
static int is_plan_keyword(const char *w)
{
	return args_is(w, "duur", "duration") || args_is(w, "titel", "title")
	       || args_is(w, "plaats", "place");
}

/* Copy the words from p up to the next option keyword (or the end) into
 * out; returns where it stopped. */
static const char *read_until_keyword(const char *p, struct strbuf *out)
{
	struct strbuf w = STRBUF_INIT;
	const char *start = args_skip_blank(p), *end = start;
	const char *q = start, *after;
	while ((after = args_word(q, &w)) && !is_plan_keyword(w.buf)) {
		end = after;
		q = after;
	}
	sb_reset(out);
	sb_addn(out, start, (size_t)(end - start));
	sb_release(&w);
	return end;
}

/* Read the options after the date: duur/duration, titel/title,
 * plaats/place, in any order. */
static int read_plan_options(struct wt_ctx *ctx, const char *p, int *minutes,
			     struct strbuf *title, struct strbuf *place)
{
	struct strbuf w = STRBUF_INIT;
	const char *after;
	int rc = WT_OK;
	while (rc == WT_OK && (after = args_word(p, &w))) {
		if (args_is(w.buf, "duur", "duration")) {
			const char *d = args_skip_blank(after);
			struct when_out dur;
			long secs = *d && ctx_when(ctx, d, 0, WHEN_DURATION, &dur) == WHEN_OK
				    ? dur.secs : -1;
			size_t used = secs >= 0 ? dur.used : 0;
			if (!*d) {
				rc = reply_usage_text(ctx, WT_EUSAGE, M_MEETING_SYN_PLAN,
						    M_MEETING_ERR_EMPTY, w.buf);
			} else if (secs < 0 || used == 0) {
				struct strbuf dw = STRBUF_INIT;
				args_word(d, &dw);
				rc = reply_usagef(ctx, WT_EUSAGE, M_MEETING_SYN_PLAN,
						M_MEETING_ERR_DURATION, ctx_md(ctx, dw.buf),
						T(ctx, M_WHEN_DURATION));
				sb_release(&dw);
			} else if (secs < 60 || secs > 24 * 3600) {
				rc = reply_usagef(ctx, WT_EUSAGE, M_MEETING_SYN_PLAN,
						M_MEETING_ERR_DURATION_RANGE);
			} else {
				*minutes = (int)(secs / 60);
				p = d + used;
			}
		} else if (args_is(w.buf, "titel", "title") || args_is(w.buf, "plaats", "place")) {
			struct strbuf *dst = args_is(w.buf, "titel", "title") ? title : place;
			p = read_until_keyword(after, dst);
			sb_rtrim(dst);
			if (!dst->len)
				rc = reply_usage_text(ctx, WT_EUSAGE, M_MEETING_SYN_PLAN,
						    M_MEETING_ERR_EMPTY, w.buf);
		} else {
			struct strbuf rest = STRBUF_INIT;
			args_line(p, &rest);
			rc = reply_usage_text(ctx, WT_EUSAGE, M_MEETING_SYN_PLAN,
					    M_MEETING_ERR_WORD, rest.buf);
			sb_release(&rest);
		}
	}
	sb_release(&w);
	return rc;
}

/* 1 when text has a second line with something on it. */
static int has_more_lines(const char *text)
{
	const char *nl = strchr(text, '\n');
	if (!nl)
		return 0;
	for (nl++; *nl; nl++)
		if (!strchr(" \t\r\n", *nl))
			return 1;
	return 0;
}

/* !vergadering plan <when> [duur 2u] [titel ...] [plaats ...] */
static int meeting_plan(struct wt_ctx *ctx, const char *args)
{
	if (has_more_lines(args))
		return reply_usagef(ctx, WT_EUSAGE, M_MEETING_SYN_PLAN, M_MEETING_ERR_LINES);
	struct strbuf line = STRBUF_INIT, title = STRBUF_INIT, place = STRBUF_INIT;
	args_line(args, &line);
	time_t t = 0;
	size_t used = 0;
	int minutes = 120;
	int rc = read_when(ctx, line.buf, M_MEETING_SYN_PLAN, &t, &used);
	char *rrule = NULL;  /* "elke 2 maanden": a series */
	if (rc == WT_OK)
		rc = series_take_rule(ctx, line.buf + used, &rrule);
	if (rc == WT_OK)
		rc = read_plan_options(ctx, line.buf + used, &minutes, &title, &place);
	if (rc == WT_OK && !title.len)
		sb_add(&title, T(ctx, M_MEETING_DEFAULT_TITLE));
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_TITLE, title.buf, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_PLACE, place.buf, WT_MAX_FIELD);
	struct wt_meeting m = {
		.network = ctx->net->name, .title = title.buf, .room = (char *)ctx->room,
		.place = place.len ? place.buf : NULL, .starts_at = t,
		.duration_min = minutes, .state = MEETING_PLANNED,
		.created_by = (char *)ctx->sender, .created_at = ctx->now,
	};
	int attached = 0;
	if (rc == WT_OK && (meeting_create(ctx->db, &m) < 0
			    || (attached = agenda_move_open(ctx->db, ctx->net->name, 0, m.id)) < 0))
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT;
		sb_addm(&sb, ctx, M_MEETING_PLANNED, m.short_id);
		sb_addc(&sb, '\n');
		describe(&sb, ctx, &m);
		if (attached > 0) {
			sb_add(&sb, "\n\n");
			sb_addm(&sb, ctx, msg_count(M_MEETING_ATTACHED_ONE, attached), attached);
		}
		if (!rrule)
			series_add_overlaps(&sb, ctx, &m);   /* a series checks all its dates */
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	if (rc == WT_OK && rrule)
		rc = series_start(ctx, &m, rrule);
	free(rrule);
	sb_release(&line);
	sb_release(&title);
	sb_release(&place);
	return rc;
}

/* !vergadering: the next meeting, or how to plan one. */
static int meeting_show_next(struct wt_ctx *ctx)
{
	struct wt_meeting m;
	int found = body_meeting_next_for_room(ctx->db, ctx->net->name, ctx->room, ctx->now, &m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found) {
		reply_msgf(ctx, M_MEETING_NONE, T(ctx, M_MEETING_SYN_PLAN));
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, T(ctx, M_MEETING_NEXT));
	sb_addc(&sb, '\n');
	describe(&sb, ctx, &m);
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	meeting_free(&m);
	return WT_OK;
}

/* !vergadering lijst: the coming meetings with their short ids. */
static int meeting_list(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting *v;
	struct wt_page pg;
	long long total = 0;
	int rc = page_only(ctx, args, &pg, M_MEETING_SYN_LIST);
	if (rc != WT_OK)
		return rc;
	int n = meeting_list_upcoming_page(ctx->db, ctx->net->name, ctx->now, pg.limit,
					   pg.offset, &v, &total);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if ((rc = page_check(ctx, &pg, total)) != WT_OK) {
		meeting_list_free(v, (size_t)n);
		return rc;
	}
	if (n == 0) {
		reply_msgf(ctx, M_MEETING_NONE, T(ctx, M_MEETING_SYN_PLAN));
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT, title = STRBUF_INIT;
	sb_add(&sb, T(ctx, M_MEETING_LIST_HEAD));
	sb_add(&sb, "\n\n");
	for (int i = 0; i < n; i++) {
		sb_reset(&when);
		sb_reset(&title);
		when_format(&when, v[i].starts_at, ctx->net->tz, ctx->lang);
		sb_add_md(&title, v[i].title);
		if (i)
			sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, M_MEETING_LIST_ITEM, v[i].short_id, when.buf, title.buf);
		if (v[i].state == MEETING_OPEN)
			sb_add(&sb, T(ctx, M_MEETING_LIST_OPEN));
	}
	page_footer(&sb, ctx, &pg, n, total, "vergadering lijst", "meeting list");
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&when);
	sb_release(&title);
	meeting_list_free(v, (size_t)n);
	return WT_OK;
}

/* Refuse to change a meeting that is no longer planned. */
static int check_planned(struct wt_ctx *ctx, const struct wt_meeting *m, enum msg_id syn)
{
	if (m->state == MEETING_PLANNED)
		return WT_OK;
	return reply_usagef(ctx, WT_EUSAGE, syn, M_MEETING_ERR_STATE, m->short_id,
			  T(ctx, meeting_state_msg(m->state)));
}

/* !vergadering verzet <id> <when> */
static int meeting_move(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	const char *p = args;
	int rc = read_meeting(ctx, &p, M_MEETING_SYN_MOVE, &m);
	if (rc == WT_OK)
		rc = check_planned(ctx, &m, M_MEETING_SYN_MOVE);
	struct strbuf line = STRBUF_INIT;
	time_t t = 0;
	size_t used = 0;
	if (rc == WT_OK) {
		if (has_more_lines(p))
			rc = reply_usagef(ctx, WT_EUSAGE, M_MEETING_SYN_MOVE, M_MEETING_ERR_LINES);
		args_line(p, &line);
	}
	if (rc == WT_OK)
		rc = read_when(ctx, line.buf, M_MEETING_SYN_MOVE, &t, &used);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, line.buf + used);
	if (rc == WT_OK && meeting_set_start(ctx->db, m.id, t) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
		when_format_long(&from, m.starts_at, ctx->now, ctx->net->tz, ctx->lang);
		when_format_long(&to, t, ctx->now, ctx->net->tz, ctx->lang);
		reply_msgf(ctx, M_MEETING_MOVED, m.short_id, from.buf, to.buf);
		rc = invite_meeting_news(ctx, &m, ctx->out->v[ctx->out->n - 1].markdown);
		sb_release(&from);
		sb_release(&to);
	}
	sb_release(&line);
	meeting_free(&m);
	return rc;
}

/* !vergadering annuleer <id>: state cancelled; open items go to the next
 * planned meeting as proposals, or wait unassigned. */
static int meeting_cancel(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 }, next = { 0 };
	const char *p = args;
	int rc = read_meeting(ctx, &p, M_MEETING_SYN_CANCEL, &m);
	if (rc == WT_OK)
		rc = check_planned(ctx, &m, M_MEETING_SYN_CANCEL);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	int has_next = 0, moved = 0;
	if (rc == WT_OK) {
		time_t after = m.starts_at > ctx->now ? m.starts_at : ctx->now;
		has_next = meeting_next_after(ctx->db, ctx->net->name, after, m.id, &next);
		if (has_next < 0
		    || meeting_set_state(ctx->db, m.id, MEETING_CANCELLED, ctx->now) < 0
		    || (moved = agenda_move_open(ctx->db, ctx->net->name, m.id,
						 has_next ? next.id : 0)) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT;
		when_format_long(&a, m.starts_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_addm(&sb, ctx, M_MEETING_CANCELLED, m.short_id, ctx_md(ctx, m.title), a.buf);
		if (moved > 0 && has_next) {
			sb_reset(&a);
			when_format_long(&a, next.starts_at, ctx->now, ctx->net->tz, ctx->lang);
			sb_add(&sb, "\n\n");
			sb_addm(&sb, ctx, msg_count(M_MEETING_CANCEL_ITEMS_MOVED_ONE, moved), moved,
				next.short_id, a.buf);
		} else if (moved > 0) {
			sb_add(&sb, "\n\n");
			sb_addm(&sb, ctx, msg_count(M_MEETING_CANCEL_ITEMS_WAITING_ONE, moved),
				moved);
		}
		reply_add(ctx, sb.buf);
		rc = invite_meeting_news(ctx, &m, sb.buf);
		sb_release(&sb);
		sb_release(&a);
	}
	meeting_free(&m);
	meeting_free(&next);
	return rc;
}

/* !vergadering ics: the coming meetings as a calendar file. */
static int meeting_ics(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	return rc == WT_OK ? ics_reply(ctx) : rc;
}

const struct wt_command meeting_subs[] = {
	{ { "plan", "plan" }, "plannen schedule", ROLE_SECRETARY, M_MEETING_SYN_PLAN,
	  M_MEETING_HELP_PLAN, meeting_plan, 0, NULL },
	{ { "lijst", "list" }, NULL, ROLE_MEMBER, M_MEETING_SYN_LIST, M_MEETING_HELP_LIST,
	  meeting_list, 0, NULL },
	{ { "verzet", "move" }, "verplaats reschedule", ROLE_SECRETARY, M_MEETING_SYN_MOVE,
	  M_MEETING_HELP_MOVE, meeting_move, 0, NULL },
	{ { "annuleer", "cancel" }, "afzeggen", ROLE_SECRETARY, M_MEETING_SYN_CANCEL,
	  M_MEETING_HELP_CANCEL, meeting_cancel, 0, NULL },
	{ { "reeks", "series" }, NULL, ROLE_SECRETARY, M_SERIES_SYN, M_MEETING_HELP_SERIES,
	  series_cmd, WT_CMD_TAKES_WORD, series_subs },
	{ { "ics", "ics" }, "agenda-ics calendar", ROLE_MEMBER, M_MEETING_SYN_ICS,
	  M_MEETING_HELP_ICS, meeting_ics, 0, NULL },
	{ { "start", "open" }, NULL, ROLE_SECRETARY, M_MM_SYN_START, M_MM_HELP_START,
	  meeting_mode_start, 0, NULL },
	{ { "einde", "end" }, "sluit close", ROLE_SECRETARY, M_MM_SYN_END, M_MM_HELP_END,
	  meeting_mode_end, 0, NULL },
	{ { "gehouden", "held" }, NULL, ROLE_SECRETARY, M_HELD_SYN, M_HELD_HELP,
	  meeting_held, 0, NULL },
	WT_SUBS_END,
};

/* !vergadering [<id>]: the next meeting, or that one. */
int cmd_meeting(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	int rc;
	if (!rest) {
		rc = meeting_show_next(ctx);
	} else if (args_id(w.buf) > 0) {
		struct wt_meeting m = { 0 };
		rc = read_meeting(ctx, &args, M_SYN_MEETING, &m);
		if (rc == WT_OK)
			rc = reply_if_extra(ctx, args);
		if (rc == WT_OK)
			rc = reply_meeting(ctx, &m);
		meeting_free(&m);
	} else {
		rc = reply_unknown_sub(ctx, w.buf);
	}
	sb_release(&w);
	return rc;
}
