/* meeting_mode: running a meeting in a room.
 *
 *   !vergadering start [<id> | los]  open the meeting (the planned one
 *                               nearest now, or with `los` a new ad-hoc
 *                               one; with none near it asks which, see
 *                               handlers/meeting_held.c); one per room
 *   !vergadering einde          close it: summary and minutes as files
 *   !punt [<n> | volgende]      the agenda item being discussed (volgende:
 *                               item_subs)
 *
 * An item becomes discussed when the meeting reaches it (the first at the
 * start, the others by !punt); on closing, the items it never reached are
 * named with how to move them to the next meeting.
 *   !notulen [<id>]             the minutes again (the open meeting's so far)
 *
 * Opening, closing and moving between items need the secretary role or
 * higher (their rows in the tables say so); the minutes are for everyone. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/meeting.h"
#include "handlers/commands.h"
#include "handlers/invite.h"
#include "handlers/meeting_mode.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/agenda.h"
#include "storage/meetings.h"
#include "storage/minutes.h"

/* A planned meeting counts as "now" this long before or after its start. */
#define MM_START_WINDOW (12 * 3600L)

/* The open run in this room; adds the "none open" error when there is
 * none. */
static int need_run(struct wt_ctx *ctx, struct wt_run *run, enum msg_id syn)
{
	int open = run_open_in_room(ctx->db, ctx->room, run);
	if (open < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!open)
		return reply_usagef(ctx, WT_EUSAGE, syn, M_MM_ERR_NONE_OPEN);
	return WT_OK;
}

/* Read an optional meeting short id from p into m; *given says whether
 * there was one. */
static int read_meeting_id(struct wt_ctx *ctx, const char **p, enum msg_id syn,
			   struct wt_meeting *m, int *given)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(*p, &w);
	int rc = WT_OK;
	*given = after != NULL;
	if (after) {
		long long id = args_id(w.buf);
		int found = id > 0 ? meeting_by_short_id(ctx->db, ctx->net->name, id, m) : 0;
		if (id <= 0)
			rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_MM_ERR_BAD_ID, w.buf);
		else if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_ENOTFOUND, syn, M_MM_ERR_MEETING_NOT_FOUND, id);
		else
			*p = after;
	}
	sb_release(&w);
	return rc;
}

/* The agenda as numbered lines, and which item is current. */
static void add_agenda(struct strbuf *sb, struct wt_ctx *ctx, long long meeting_id,
		       long long current)
{
	struct wt_agenda_item *v = NULL;
	int n = mm_agenda(ctx, meeting_id, &v);
	struct strbuf md = STRBUF_INIT;
	if (n <= 0) {
		sb_add(sb, T(ctx, M_MM_NO_AGENDA));
	} else {
		sb_add(sb, T(ctx, M_MM_AGENDA_HEAD));
		for (int i = 0; i < n; i++) {
			sb_reset(&md);
			sb_add_md(&md, v[i].title);
			sb_addc(sb, '\n');
			sb_addm(sb, ctx, M_MM_AGENDA_LINE, i + 1, md.buf);
		}
		for (int i = 0; i < n; i++) {
			if (v[i].id != current)
				continue;
			sb_reset(&md);
			sb_add_md(&md, v[i].title);
			sb_add(sb, "\n\n");
			sb_addm(sb, ctx, M_MM_ITEM_NOW, i + 1, n, md.buf);
		}
	}
	agenda_list_free(v, n > 0 ? (size_t)n : 0);
	sb_release(&md);
}

static int make_adhoc(struct wt_ctx *ctx, struct wt_meeting *m, int *adhoc);

/* Pick the meeting to open: the one named, an ad-hoc one when asked
 * (`los`, `adhoc`), else the planned one nearest now; with none near, the
 * refusal that asks which (meeting_start_which). */
static int pick_meeting(struct wt_ctx *ctx, const char *args, struct wt_meeting *m, int *adhoc)
{
	const char *p = args;
	int given = 0;
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(p, &w);
	int loose = after && (args_is(w.buf, "los", "adhoc") || args_is(w.buf, "ad-hoc", "ad-hoc"));
	sb_release(&w);
	if (loose) {
		int rc = reply_if_extra(ctx, after);
		return rc == WT_OK ? make_adhoc(ctx, m, adhoc) : rc;
	}
	int rc = read_meeting_id(ctx, &p, M_MM_SYN_START, m, &given);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc != WT_OK || given) {
		if (rc == WT_OK && m->state == MEETING_OPEN)
			rc = reply_usagef(ctx, WT_EUSAGE, M_MM_SYN_START, M_MM_ERR_OPEN_ELSEWHERE,
					m->short_id);
		else if (rc == WT_OK && m->state != MEETING_PLANNED)
			rc = reply_usagef(ctx, WT_EUSAGE, M_MM_SYN_START, M_MM_ERR_NOT_PLANNED,
					m->short_id, T(ctx, meeting_state_msg(m->state)));
		return rc;
	}
	long long row = 0;
	int found = run_nearest_planned(ctx->db, ctx->net->name, ctx->now, MM_START_WINDOW, &row);
	if (found > 0)
		found = meeting_by_id(ctx->db, row, m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (found)
		return WT_OK;
	return meeting_start_which(ctx);
}

/* A new ad-hoc meeting in this room, starting now (*adhoc = 1). */
static int make_adhoc(struct wt_ctx *ctx, struct wt_meeting *m, int *adhoc)
{
	*m = (struct wt_meeting){
		.network = xstrdup(ctx->net->name),
		.title = xstrdup(T(ctx, M_MEETING_DEFAULT_TITLE)),
		.room = xstrdup(ctx->room), .starts_at = ctx->now, .duration_min = 120,
		.state = MEETING_PLANNED, .created_by = xstrdup(ctx->sender),
		.created_at = ctx->now,
	};
	*adhoc = 1;
	if (meeting_create(ctx->db, m) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	return WT_OK;
}

int meeting_mode_start(struct wt_ctx *ctx, const char *args)
{
	struct wt_run run = { 0 };
	int open = run_open_in_room(ctx->db, ctx->room, &run);
	if (open < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (open) {
		struct wt_meeting cur = { 0 };
		long long sid = meeting_by_id(ctx->db, run.meeting_id, &cur) == 1 ? cur.short_id : 0;
		meeting_free(&cur);
		run_free(&run);
		return reply_usagef(ctx, WT_EUSAGE, M_MM_SYN_END, M_MM_ERR_ALREADY_OPEN, sid);
	}
	struct wt_meeting m = { 0 };
	int adhoc = 0;
	int rc = pick_meeting(ctx, args, &m, &adhoc);
	struct wt_agenda_item *items = NULL;
	int n = 0;
	if (rc == WT_OK && (n = mm_agenda(ctx, m.id, &items)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		run = (struct wt_run){
			.meeting_id = m.id, .network = ctx->net->name, .room = (char *)ctx->room,
			.current_item = n > 0 ? items[0].id : 0,
			.opened_by = (char *)ctx->sender, .opened_at = ctx->now,
		};
		int st = run_start(ctx->db, &run);
		if (st == RUN_START_ALREADY_OPEN)
			rc = reply_usagef(ctx, WT_EUSAGE, M_MM_SYN_END, M_MM_ERR_ALREADY_OPEN, m.short_id);
		else if (st < 0 || meeting_set_state(ctx->db, m.id, MEETING_OPEN, ctx->now) < 0
			 || attendee_note(ctx->db, m.id, ctx->sender, ctx->now) < 0
			 || (n > 0 && agenda_mark_discussed(ctx->db, items[0].id) < 0))
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT;
		sb_addm(&sb, ctx, adhoc ? M_MM_STARTED_ADHOC : M_MM_STARTED, m.short_id,
			ctx_md(ctx, m.title));
		sb_add(&sb, "\n\n");
		add_agenda(&sb, ctx, m.id, run.current_item);
		sb_add(&sb, "\n\n");
		sb_add(&sb, T(ctx, M_MM_HOWTO));
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	agenda_list_free(items, n > 0 ? (size_t)n : 0);
	meeting_free(&m);
	return rc;
}

/* After closing: the items on the agenda the meeting never reached, and
 * how to move them on (nothing when it reached them all). */
static void not_reached(struct wt_ctx *ctx, long long meeting_id)
{
	struct wt_agenda_item *v = NULL;
	int n = mm_agenda(ctx, meeting_id, &v);
	struct strbuf list = STRBUF_INIT, md = STRBUF_INIT;
	long long first = 0;
	for (int i = 0; i < n; i++) {
		if (v[i].state != AGENDA_ACCEPTED)
			continue;
		sb_reset(&md);
		sb_add_md(&md, v[i].title);
		sb_addm(&list, ctx, M_MM_NOT_REACHED_LINE, i + 1, md.buf, v[i].short_id);
		sb_addc(&list, '\n');
		if (!first)
			first = v[i].short_id;
	}
	if (list.len) {
		struct strbuf sb = STRBUF_INIT;
		sb_addm(&sb, ctx, M_MM_NOT_REACHED, list.buf, first);
		reply_add(ctx, sb.buf);
		sb_release(&sb);
	}
	sb_release(&list);
	sb_release(&md);
	agenda_list_free(v, n > 0 ? (size_t)n : 0);
}

int meeting_mode_end(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	struct wt_run run = { 0 };
	struct wt_meeting m = { 0 };
	if (rc == WT_OK)
		rc = need_run(ctx, &run, M_MM_SYN_START);
	if (rc == WT_OK && (run_close(ctx->db, run.meeting_id, ctx->now) < 0
			    || meeting_set_state(ctx->db, run.meeting_id, MEETING_CLOSED, ctx->now) < 0
			    || meeting_by_id(ctx->db, run.meeting_id, &m) != 1))
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		run.closed_at = ctx->now;
		struct strbuf head = STRBUF_INIT;
		sb_addm(&head, ctx, M_MM_CLOSED, m.short_id, ctx_md(ctx, m.title));
		rc = minutes_post(ctx, &m, &run, head.buf);
		/* Those who were not there get the summary by direct message. */
		if (rc == WT_OK)
			rc = attendance_after_close(ctx, &m, &run);
		if (rc == WT_OK)
			not_reached(ctx, m.id);
		sb_release(&head);
	}
	meeting_free(&m);
	run_free(&run);
	return rc;
}

/* Where the open meeting of the room is: its run, its agenda (n items)
 * and the index of the current item (cur, -1: none). */
struct item_state {
	struct wt_run run;
	struct wt_agenda_item *v;
	int n, cur;
};

/* Load st; adds the error reply when no meeting is open here or its
 * agenda is empty. Free st with item_free either way. */
static int item_load(struct wt_ctx *ctx, struct item_state *st)
{
	*st = (struct item_state){ .cur = -1 };
	int rc = need_run(ctx, &st->run, M_MM_SYN_START);
	if (rc == WT_OK && (st->n = mm_agenda(ctx, st->run.meeting_id, &st->v)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK && st->n == 0)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_ITEM, M_MM_NO_AGENDA);
	for (int i = 0; rc == WT_OK && i < st->n; i++)
		if (st->v[i].id == st->run.current_item)
			st->cur = i;
	return rc;
}

static void item_free(struct item_state *st)
{
	agenda_list_free(st->v, st->n > 0 ? (size_t)st->n : 0);
	run_free(&st->run);
}

/* Make item to (0-based) the current one, discussed from now, and say
 * which it is with its theme. */
static int item_go(struct wt_ctx *ctx, const struct item_state *st, int to)
{
	const struct wt_agenda_item *it = &st->v[to];
	if (to != st->cur && (run_set_item(ctx->db, st->run.meeting_id, it->id) < 0
			      || agenda_mark_discussed(ctx->db, it->id) < 0))
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_MM_ITEM_NOW, to + 1, st->n, ctx_md(ctx, it->title));
	if (it->theme) {
		sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, M_MM_MIN_THEME, ctx_md(ctx, it->theme));
	}
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	return WT_OK;
}

/* !punt volgende / !item next */
static int item_next(struct wt_ctx *ctx, const char *args)
{
	struct item_state st;
	int rc = item_load(ctx, &st);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, args);
	if (rc == WT_OK && st.cur + 1 >= st.n)
		reply_msgf(ctx, M_MM_ITEM_LAST, st.n);
	else if (rc == WT_OK)
		rc = item_go(ctx, &st, st.cur + 1);
	item_free(&st);
	return rc;
}

const struct wt_command item_subs[] = {
	{ { "volgende", "next" }, NULL, ROLE_SECRETARY, M_MM_SYN_ITEM_NEXT, M_MM_HELP_ITEM_NEXT,
	  item_next, 0, NULL },
	WT_SUBS_END,
};

/* !punt [<n>] / !item [<n>]: show the current item, or go to item n. */
int cmd_item(struct wt_ctx *ctx, const char *args)
{
	struct item_state st;
	struct strbuf w = STRBUF_INIT;
	int rc = item_load(ctx, &st);
	const char *after = rc == WT_OK ? args_word(args, &w) : NULL;
	long long k = after ? args_id(w.buf) : 0;
	if (rc == WT_OK && !after && st.cur < 0)
		reply_add(ctx, T(ctx, M_MM_ITEM_NONE));
	else if (rc == WT_OK && !after)
		rc = item_go(ctx, &st, st.cur);
	else if (rc == WT_OK && k <= 0)
		rc = reply_unknown_sub(ctx, w.buf);
	else if (rc == WT_OK && k > st.n)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_ITEM,
				  msg_count(M_MM_ERR_ITEM_RANGE_ONE, st.n), k, st.n);
	else if (rc == WT_OK && (rc = reply_if_extra(ctx, after)) == WT_OK)
		rc = item_go(ctx, &st, (int)k - 1);
	sb_release(&w);
	item_free(&st);
	return rc;
}

/* !notulen [id]: the minutes of meeting id, else of the meeting open in
 * this room, else of the last meeting held. */
int cmd_minutes(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	struct wt_run run = { 0 };
	const char *p = args;
	int given = 0, found = 0;
	int rc = read_meeting_id(ctx, &p, M_SYN_MINUTES, &m, &given);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && given) {
		found = run_of_meeting(ctx->db, m.id, &run);
		if (found == 0)
			rc = reply_error(ctx, WT_ENOTFOUND, M_MM_ERR_NO_MINUTES, m.short_id,
					 m.short_id);
	} else if (rc == WT_OK) {
		found = run_open_in_room(ctx->db, ctx->room, &run);
		if (found == 0)
			found = run_latest(ctx->db, ctx->net->name, &run);
		if (found == 0)
			rc = reply_error(ctx, WT_ENOTFOUND, M_MM_ERR_NO_MINUTES_ANY);
		if (found > 0 && meeting_by_id(ctx->db, run.meeting_id, &m) != 1)
			found = -1;
	}
	if (rc == WT_OK && found < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		rc = minutes_post(ctx, &m, &run, NULL);
	meeting_free(&m);
	run_free(&run);
	return rc;
}
