/* meeting_held: meetings the bot did not see run.
 *
 *   !vergadering start            with no meeting near: which one? (the
 *                                 planned ones near and the passed ones,
 *                                 with how to start one or an ad-hoc one,
 *                                 `!vergadering start los`); never an
 *                                 empty meeting made silently
 *   !vergadering gehouden <id>    a planned meeting that passed without
 *                                 being opened is recorded as held: a
 *                                 closed run marked "afterwards", its
 *                                 agenda kept (the items still to minute)
 *
 * The secretary hears of such a meeting the morning after (the reminder
 * meeting.unopened, handlers/reminder_kinds.c), with this command and
 * `!vergadering annuleer <id>`, which moves its items on. */
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/meeting.h"
#include "handlers/meeting_mode.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/meetings.h"
#include "storage/minutes.h"
#include "storage/minutes_approval.h"

/* Most meetings listed in each part of the "which meeting?" reply. */
#define HELD_MAX_LISTED 5

/* One line per meeting: its id, title and start, and the command. */
static void add_meetings(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *v,
			 int n, enum msg_id line)
{
	struct strbuf date = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		sb_reset(&date);
		when_format(&date, v[i].starts_at, ctx->net->tz, ctx->lang);
		sb_addc(sb, '\n');
		sb_addm(sb, ctx, line, v[i].short_id, ctx_md(ctx, v[i].title), date.buf,
			v[i].short_id);
	}
	sb_release(&date);
}

int meeting_start_which(struct wt_ctx *ctx)
{
	struct wt_meeting *up = NULL, *past = NULL;
	int nu = meeting_list_upcoming(ctx->db, ctx->net->name, ctx->now, HELD_MAX_LISTED, &up);
	int np = nu < 0 ? -1 : meeting_list_unopened(ctx->db, ctx->net->name, ctx->now,
						     HELD_MAX_LISTED, &past);
	if (nu < 0 || np < 0) {
		meeting_list_free(up, nu > 0 ? (size_t)nu : 0);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, T(ctx, M_HELD_WHICH));
	if (nu > 0) {
		sb_add(&sb, "\n\n");
		sb_add(&sb, T(ctx, M_HELD_WHICH_PLANNED));
		add_meetings(&sb, ctx, up, nu, M_HELD_WHICH_LINE);
	}
	if (np > 0) {
		sb_add(&sb, "\n\n");
		sb_add(&sb, T(ctx, M_HELD_WHICH_PASSED));
		add_meetings(&sb, ctx, past, np, M_HELD_PASSED_LINE);
	}
	sb_add(&sb, "\n\n");
	sb_add(&sb, T(ctx, M_HELD_WHICH_ADHOC));
	int rc = reply_usage_md(ctx, WT_EUSAGE, M_MM_SYN_START, sb.buf);
	sb_release(&sb);
	meeting_list_free(up, (size_t)nu);
	meeting_list_free(past, (size_t)np);
	return rc;
}

/* The meeting named by args: planned, and its start passed. */
static int held_pick(struct wt_ctx *ctx, const char *args, struct wt_meeting *m)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	long long id = after ? args_id(w.buf) : 0;
	int rc = WT_OK;
	if (!after)
		rc = reply_usage(ctx, M_HELD_ERR_WHICH, M_HELD_SYN);
	else if (id <= 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, M_HELD_SYN, M_MM_ERR_BAD_ID, w.buf);
	else
		rc = reply_if_extra(ctx, after);
	sb_release(&w);
	if (rc != WT_OK)
		return rc;
	int found = meeting_by_short_id(ctx->db, ctx->net->name, id, m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_usagef(ctx, WT_ENOTFOUND, M_HELD_SYN, M_MM_ERR_MEETING_NOT_FOUND, id);
	if (m->state != MEETING_PLANNED)
		return reply_error(ctx, WT_EUSAGE, M_HELD_ERR_STATE, id,
				   T(ctx, meeting_state_msg(m->state)));
	if (m->starts_at > ctx->now) {
		struct strbuf date = STRBUF_INIT;
		when_format(&date, m->starts_at, ctx->net->tz, ctx->lang);
		rc = reply_error(ctx, WT_EUSAGE, M_HELD_ERR_FUTURE, id, date.buf, id);
		sb_release(&date);
	}
	return rc;
}

/* The reply: recorded, and the agenda items still to minute. */
static void held_reply(struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct wt_agenda_item *v = NULL;
	int n = mm_agenda(ctx, m->id, &v);
	struct strbuf sb = STRBUF_INIT, date = STRBUF_INIT;
	when_format(&date, m->starts_at, ctx->net->tz, ctx->lang);
	sb_addm(&sb, ctx, M_HELD_DONE, m->short_id, ctx_md(ctx, m->title), date.buf);
	sb_add(&sb, "\n\n");
	if (n > 0) {
		sb_add(&sb, T(ctx, M_HELD_TO_MINUTE));
		for (int i = 0; i < n; i++) {
			sb_addc(&sb, '\n');
			sb_addm(&sb, ctx, M_MM_AGENDA_LINE, i + 1, ctx_md(ctx, v[i].title));
		}
		sb_add(&sb, "\n\n");
	} else {
		sb_add(&sb, T(ctx, M_MM_NO_AGENDA));
		sb_add(&sb, "\n\n");
	}
	sb_addm(&sb, ctx, M_HELD_NEXT, m->short_id, m->short_id);
	reply_add(ctx, sb.buf);
	agenda_list_free(v, n > 0 ? (size_t)n : 0);
	sb_release(&sb);
	sb_release(&date);
}

int meeting_held(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	int rc = held_pick(ctx, args, &m);
	if (rc == WT_OK) {
		time_t end = m.starts_at + (time_t)m.duration_min * 60;
		struct wt_run run = {
			.meeting_id = m.id, .network = ctx->net->name,
			.room = m.room ? m.room : (char *)ctx->room, .opened_by = (char *)ctx->sender,
			.opened_at = m.starts_at, .closed_at = end,
		};
		if (run_record_held(ctx->db, &run) < 0
		    || meeting_set_state(ctx->db, m.id, MEETING_CLOSED, end) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK)
		held_reply(ctx, &m);
	meeting_free(&m);
	return rc;
}
