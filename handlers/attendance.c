/* attendance: `!aanwezig`, `!afmelden`, `!aanmeldingen` and
 * `!terugkoppeling` (see handlers/invite.h), and the answer an RSVP
 * reaction records. */
#include "handlers/invite.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/meeting_mode.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/attendance.h"
#include "storage/bodies.h"
#include "storage/minutes.h"

/* An apology that makes the quorum out of reach: the chair hears at
 * once, by direct message (before: who could come until now). */
static int quorum_check(struct wt_ctx *ctx, const struct wt_meeting *m, int before)
{
	int after = 0;
	if (attendance_possible(ctx, m, &after) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (before < ctx->net->quorum || after >= ctx->net->quorum)
		return WT_OK;
	char *chair = attendance_chair_dup(ctx, m->network);
	if (chair) {
		struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT, who = STRBUF_INIT;
		when_format_long(&when, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_add_person(&who, ctx, ctx->sender);
		sb_addm(&sb, ctx, M_ATT_QUORUM_LOST, ctx_md(ctx, m->title), when.buf,
			ctx->net->quorum, who.buf, after);
		reply_dm(ctx, chair, sb.buf);
		sb_release(&sb);
		sb_release(&when);
		sb_release(&who);
		free(chair);
	}
	return WT_OK;
}

int attendance_record(struct wt_ctx *ctx, const struct wt_meeting *m, int answer,
		      const char *reason, int dm)
{
	int before = 0;
	if (answer == RSVP_NO && ctx->net->quorum > 0
	    && attendance_possible(ctx, m, &before) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (attendance_answer(ctx->db, m->id, ctx->sender, (enum rsvp_answer)answer, reason,
			      ctx->now, dm ? ctx->event_id : NULL) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
	when_format_long(&when, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
	const char *title = ctx_md(ctx, m->title);
	if (answer == RSVP_YES)
		sb_addm(&sb, ctx, M_RSVP_YES, title, when.buf);
	else if (answer == RSVP_MAYBE)
		sb_addm(&sb, ctx, M_RSVP_MAYBE, title, when.buf);
	else if (reason && *reason)
		sb_addm(&sb, ctx, M_RSVP_NO_REASON, title, when.buf, ctx_md(ctx, reason));
	else
		sb_addm(&sb, ctx, M_RSVP_NO, title, when.buf);
	struct wt_reply *r = reply_add(ctx, sb.buf);
	if (dm) {
		/* An answer to a reaction: to the person, not to the room. */
		free(r->in_reply_to);
		r->in_reply_to = NULL;
		free(r->thread_root);
		r->thread_root = NULL;
		r->to_user = xstrdup(ctx->sender);
	}
	sb_release(&sb);
	sb_release(&when);
	return answer == RSVP_NO && ctx->net->quorum > 0 ? quorum_check(ctx, m, before) : WT_OK;
}

/* The meeting an answer is for: the next one not over (a running one
 * counts), or the refusal with syn. */
static int next_meeting(struct wt_ctx *ctx, struct wt_meeting *m, enum msg_id syn)
{
	int found = body_meeting_next_for_room(ctx->db, ctx->net->name, ctx->room, ctx->now, m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	return found ? WT_OK : reply_usagef(ctx, WT_EUSAGE, syn, M_RSVP_E_NO_MEETING);
}

/* The meeting short id at args (optional; none: the next meeting), with
 * nothing after it. */
static int meeting_arg(struct wt_ctx *ctx, const char *args, struct wt_meeting *m,
		       enum msg_id syn)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	int rc = WT_OK;
	if (!after) {
		rc = next_meeting(ctx, m, syn);
	} else {
		long long id = args_id(w.buf);
		int found = 0;
		if (id <= 0)
			rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_INV_E_BAD_ID, w.buf);
		else if ((rc = reply_if_extra(ctx, after)) == WT_OK
			 && (found = meeting_by_short_id(ctx->db, ctx->net->name, id, m)) <= 0)
			rc = found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
				: reply_usagef(ctx, WT_ENOTFOUND, syn, M_INV_E_NOT_FOUND, id);
	}
	sb_release(&w);
	return rc;
}

/* The people named at p (and "telefonisch" / "phone" anywhere among
 * them), into *who; count or a negative code after the refusal. */
static int read_people(struct wt_ctx *ctx, const char *p, char ***who, int *phone)
{
	struct strbuf user = STRBUF_INIT, w = STRBUF_INIT;
	int n = 0, rc = WT_OK;
	*who = xcalloc(1, sizeof **who);
	while (rc == WT_OK && *(p = args_skip_blank(p)) && *p != '\n') {
		const char *after = args_word(p, &w);
		if (after && args_is(w.buf, "telefonisch", "phone")) {
			*phone = 1;
			p = after;
			continue;
		}
		rc = person_arg(ctx, p, &user, &after, M_SYN_PRESENT);
		if (rc == PERSON_NONE)
			rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_PRESENT, M_PRESENT_E_NO_PEOPLE);
		if (rc != WT_OK)
			break;
		*who = xrealloc(*who, (size_t)(n + 2) * sizeof **who);
		(*who)[n++] = sb_detach(&user);
		(*who)[n] = NULL;
		p = after;
	}
	if (rc == WT_OK && *args_skip_blank(p))
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && !n)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_PRESENT, M_PRESENT_E_NO_PEOPLE);
	sb_release(&user);
	sb_release(&w);
	return rc == WT_OK ? n : rc;
}

/* !aanwezig @a @b [telefonisch]: the secretary records who is there. */
static int present_people(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_require_role_unless(ctx, ROLE_SECRETARY, 0, M_PRESENT_E_SECRETARY);
	struct wt_run run = { 0 };
	int open = rc == WT_OK ? run_open_in_room(ctx->db, ctx->room, &run) : 0;
	if (open < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (rc == WT_OK && !open)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_PRESENT, M_PRESENT_E_NO_RUN);
	char **who = NULL;
	int phone = 0, n = rc == WT_OK ? read_people(ctx, args, &who, &phone) : 0;
	if (n < 0)
		rc = n;
	for (int i = 0; rc == WT_OK && i < n; i++)
		if (attendance_present(ctx->db, run.meeting_id, who[i],
				       phone ? PRESENT_PHONE : PRESENT_ROOM) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct wt_meeting m = { 0 };
		struct strbuf list = STRBUF_INIT;
		sb_add_people(&list, ctx, who, (size_t)n);
		long long sid = meeting_by_id(ctx->db, run.meeting_id, &m) == 1 ? m.short_id : 0;
		reply_msgf(ctx, phone ? M_PRESENT_NOTED_PHONE : M_PRESENT_NOTED, sid, list.buf);
		sb_release(&list);
		meeting_free(&m);
	}
	attendance_people_free(who);
	run_free(&run);
	return rc;
}

int cmd_present(struct wt_ctx *ctx, const char *args)
{
	if (*args_skip_blank(args))
		return present_people(ctx, args);
	struct wt_run run = { 0 };
	int open = run_open_in_room(ctx->db, ctx->room, &run);
	if (open < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	int rc;
	if (open) {
		/* During the meeting: the sender is here. */
		rc = attendance_present(ctx->db, run.meeting_id, ctx->sender, PRESENT_ROOM) < 0
			? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
		if (rc == WT_OK) {
			struct wt_meeting m = { 0 };
			long long sid = meeting_by_id(ctx->db, run.meeting_id, &m) == 1 ? m.short_id : 0;
			struct strbuf who = STRBUF_INIT;
			sb_add_person(&who, ctx, ctx->sender);
			reply_msgf(ctx, M_PRESENT_NOTED, sid, who.buf);
			sb_release(&who);
			meeting_free(&m);
		}
		run_free(&run);
		return rc;
	}
	struct wt_meeting m = { 0 };
	rc = next_meeting(ctx, &m, M_SYN_PRESENT);
	if (rc == WT_OK)
		rc = attendance_record(ctx, &m, RSVP_YES, NULL, 0);
	meeting_free(&m);
	return rc;
}

int cmd_apologies(struct wt_ctx *ctx, const char *args)
{
	struct strbuf reason = STRBUF_INIT;
	const char *rest = args_line(args, &reason);
	int rc = reply_if_extra(ctx, rest);
	if (rc == WT_OK)
		rc = reply_if_too_long(ctx, M_FIELD_REASON, reason.buf, WT_MAX_FIELD);
	struct wt_meeting m = { 0 };
	if (rc == WT_OK)
		rc = next_meeting(ctx, &m, M_SYN_APOLOGIES);
	if (rc == WT_OK)
		rc = attendance_record(ctx, &m, RSVP_NO, reason.len ? reason.buf : NULL, 0);
	meeting_free(&m);
	sb_release(&reason);
	return rc;
}

int cmd_attendance(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	int rc = meeting_arg(ctx, args, &m, M_SYN_ATTENDANCE);
	struct strbuf sb = STRBUF_INIT;
	if (rc == WT_OK && attendance_overview(&sb, ctx, &m) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		reply_add(ctx, sb.buf);
	sb_release(&sb);
	meeting_free(&m);
	return rc;
}

/* The meeting !terugkoppeling is about: the id at *p, else the one
 * closed last; it must be closed. */
static int feedback_meeting(struct wt_ctx *ctx, const char **p, struct wt_meeting *m)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(*p, &w);
	long long id = after ? args_id(w.buf) : -1;
	int found, rc = WT_OK;
	if (id > 0) {
		*p = after;
		found = meeting_by_short_id(ctx->db, ctx->net->name, id, m);
		if (found <= 0)
			rc = found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
				: reply_usagef(ctx, WT_ENOTFOUND, M_SYN_FEEDBACK, M_INV_E_NOT_FOUND, id);
	} else {
		struct wt_run run = { 0 };
		found = run_latest(ctx->db, ctx->net->name, &run);
		if (found == 1)
			found = meeting_by_id(ctx->db, run.meeting_id, m);
		run_free(&run);
		if (found <= 0)
			rc = found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
				: reply_usagef(ctx, WT_EUSAGE, M_SYN_FEEDBACK, M_FEEDBACK_E_NONE);
	}
	if (rc == WT_OK && m->state != MEETING_CLOSED)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_FEEDBACK, M_FEEDBACK_E_OPEN, m->short_id);
	sb_release(&w);
	return rc;
}

/* Store the action "brief the absentees" for owner. */
static int feedback_action(struct wt_ctx *ctx, const struct wt_meeting *m, char **who, int n,
			   const char *owner)
{
	struct strbuf text = STRBUF_INIT, names = STRBUF_INIT, md = STRBUF_INIT;
	/* The action's text is plain (names, not ids): it is shown escaped. */
	for (int i = 0; i < n; i++) {
		if (i)
			sb_add(&names, ", ");
		char *name = person_name_dup(ctx, who[i]);
		sb_add(&names, name);
		free(name);
	}
	sb_addm(&text, ctx, M_FEEDBACK_TEXT, m->short_id, names.buf);
	struct wt_logged it = {
		.network = ctx->net->name, .kind = LOGGED_ACTION, .meeting_id = m->id,
		.text = text.buf, .owner = (char *)owner, .logged_by = (char *)ctx->sender,
		.room = (char *)ctx->room, .created_at = ctx->now,
	};
	int rc = logged_add(ctx->db, &it) < 0 || action_reminder_sync(ctx, &it) < 0
		? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	if (rc == WT_OK) {
		sb_add_person(&md, ctx, owner);
		reply_msgf(ctx, M_FEEDBACK_DONE, it.short_id, md.buf, m->short_id);
	}
	sb_release(&text);
	sb_release(&names);
	sb_release(&md);
	return rc;
}

int cmd_feedback(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	struct strbuf owner = STRBUF_INIT;
	const char *p = args, *after = NULL;
	int rc = feedback_meeting(ctx, &p, &m);
	if (rc == WT_OK) {
		rc = person_arg(ctx, p, &owner, &after, M_SYN_FEEDBACK);
		if (rc == PERSON_NONE) {
			sb_add(&owner, ctx->sender);
			after = p;
			rc = WT_OK;
		}
	}
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, after);
	char **who = NULL;
	int n = rc == WT_OK ? attendance_absent(ctx, &m, &who) : 0;
	if (n < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (rc == WT_OK && !n)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_FEEDBACK, M_FEEDBACK_E_NOBODY, m.short_id);
	if (rc == WT_OK)
		rc = feedback_action(ctx, &m, who, n, owner.buf);
	attendance_people_free(who);
	sb_release(&owner);
	meeting_free(&m);
	return rc;
}
