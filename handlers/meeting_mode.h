/* meeting_mode: what the meeting-mode handlers share (handlers/
 * meeting_mode.c, logging.c, decision.c, action.c, minutes_render.c).
 *
 * Logging: the secretary and the chair (and admins) log decisions, action
 * items and notes, by command (!besluit, !actie) or by lines (#besluit,
 * #actie, #info) in an ordinary message. Each logged message gets one ✅
 * reaction; the bot answers only on error, or to say that a decision was
 * logged without a meeting. A message's items are logged all or none. */
#ifndef WT_MEETING_MODE_H
#define WT_MEETING_MODE_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "handlers/tags.h"
#include "lib/strbuf.h"
#include "storage/agenda.h"
#include "storage/meetings.h"
#include "storage/minutes.h"

/* The reaction on a logged message. */
#define MM_ACK "\xE2\x9C\x85"
/* Longest logged text, in characters. */
#define MM_MAX_TEXT 1000
/* Default hour of a due date given without a time. */
#define MM_DUE_HOUR 9

/* !vergadering start / einde (rows of meeting_subs in handlers/meeting.c). */
int meeting_mode_start(struct wt_ctx *ctx, const char *args);
int meeting_mode_end(struct wt_ctx *ctx, const char *args);

/* 1 when the sender may log (secretary, chair, admin). */
int mm_may_log(const struct wt_ctx *ctx);
/* Refuse logging for the sender's role (adds the reply). */
int mm_log_denied(struct wt_ctx *ctx);

/* Log the items (kind and text each) of the message ctx->event_id, all or
 * none, parts numbered from 0; replies with errors (prefixed with the line
 * when lines > 0) or the standalone notes. Does not react. Runs inside the
 * caller's savepoint. */
int mm_log_items(struct wt_ctx *ctx, const struct wt_tags *tags, int lines);
/* !besluit <tekst>, !actie @wie ...: log args (all of it, trimmed) as one
 * item of kind, with one reaction; the logging rule of mm_may_log. */
int mm_log_command(struct wt_ctx *ctx, enum tag_kind kind, const char *args);
/* The items a message body logs: its #-lines, or, for a body that is a
 * logging command (!besluit <text>, !actie @who ...), that one item.
 * Returns the count. */
size_t mm_items_of_body(const char *body, struct wt_tags *out);

/* The message path (handlers/dispatch.c): log the #-lines of a body that
 * is no command, in a savepoint, with one reaction; WT_NOT_COMMAND when it
 * has none. */
int mm_log_message(struct wt_ctx *ctx, const char *body);
/* Note the sender as an attendee when a meeting is open in the room. */
void mm_note_speaker(struct wt_ctx *ctx);

/* Reminders of actions: (re)generate the one of action row id it, or
 * cancel it when the action is gone or done. */
int action_reminder_sync(struct wt_ctx *ctx, const struct wt_logged *it);
void action_reminder_cancel(struct wt_ctx *ctx, long long id);
/* The "action." reminder family (handlers/reminder_kinds.c lists it). */
int action_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			   struct strbuf *out);
int action_reminder_generate(struct wt_ctx *ctx);
/* The reminder of action row id alone (reminder_generate_ref_fn). */
int action_reminder_generate_ref(struct wt_ctx *ctx, long long id);

/* The items on meeting's agenda (accepted or discussed), numbered 1..n in
 * this order; count or negative; free with agenda_list_free. */
int mm_agenda(struct wt_ctx *ctx, long long meeting_id, struct wt_agenda_item **v);

/* One logged item as a line of text: "Besluit 4: ... (actielijn AL2)";
 * overdue is judged against `at` (0: never). */
void mm_describe_item(struct strbuf *sb, const struct wt_ctx *ctx,
		      const struct wt_logged *it, time_t at);

/* The minutes of meeting m with its run: the full Markdown document, and
 * the short summary posted at closing. */
void minutes_markdown(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
		      const struct wt_run *run);
void minutes_summary(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
		     const struct wt_run *run);
/* The HTML document of the minutes' Markdown. */
char *minutes_html_dup(const struct wt_ctx *ctx, const char *title, const char *markdown);
/* Reply with the summary and the two files. */
int minutes_post(struct wt_ctx *ctx, const struct wt_meeting *m, const struct wt_run *run,
		 const char *headline);

/* ---- minutes approval (handlers/minutes_approve.c) -------------------- */

/* The status line of meeting m's minutes (run: its run): "Concept ..." or
 * "Vastgesteld op ... door ...", with the corrections made then, and a
 * note when the run was recorded afterwards. Nothing while it runs. */
void minutes_status(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
		    const struct wt_run *run);
/* WT_OK when meeting (row id, 0 none) has no approved minutes; else the
 * refusal (why: M_MIN_ERR_UNDO_APPROVED or M_MIN_ERR_EDIT_APPROVED, with
 * the meeting's id and the approval's date) and WT_EUSAGE. */
int mm_refuse_if_approved(struct wt_ctx *ctx, long long meeting_id, enum msg_id why);

/* !vergadering gehouden <id> (handlers/meeting_held.c): record a planned
 * meeting that passed without the bot as held. */
int meeting_held(struct wt_ctx *ctx, const char *args);
/* The refusal of `!vergadering start` with no meeting near: the planned
 * ones near and passed, and how to start one or an ad-hoc one. */
int meeting_start_which(struct wt_ctx *ctx);

#endif
