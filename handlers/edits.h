/* edits: an edit (m.replace) of a command, as Element sends it: a new
 * m.room.message whose m.new_content holds the corrected text and whose
 * m.relates_to names the original.
 *
 * A command the bot refused (a usage, permission or not-found error) is
 * remembered with its sender, its time and the bot's refusal
 * (storage/command_edits.h; the transport notes it, bot/edits.h). An edit
 * of it by the same sender within EDITS_WINDOW seconds of the command
 * runs the corrected command once, and the bot edits its refusal into the
 * answer (or, when the refusal was not sent yet, or the answer is meant
 * to notify people, whom an edit never notifies, it answers with a new
 * message). A correction that is refused again leaves the command open to
 * the next edit. An edit of a command that was carried out, or one that
 * comes too late, gets a short note once per command; later edits of it
 * get nothing. Edits of other messages go to wt_dispatch_edit (logged
 * #besluit / #actie lines follow the new text). Each edit event is handled
 * once (the transport records it in handled_events), so a replay or a
 * restart runs nothing twice. wt_handle_event (handlers/event.h) calls
 * edits_dispatch for every edit. */
#ifndef WT_HANDLERS_EDITS_H
#define WT_HANDLERS_EDITS_H

#include "handlers/event.h"

/* How long after a refused command an edit of it still runs (seconds). */
#define EDITS_WINDOW 600

/* Handle the edit ev (kind WT_EV_EDIT), with ctx the edit's context (its
 * sender, room, time, mentions). Returns what a dispatcher returns
 * (WT_NOT_COMMAND: nothing for the bot). When the corrected command of a
 * refused one ran, *corrects is the original (and ctx->event_id too: the
 * answers reply to the command people see edited); else NULL. */
int edits_dispatch(struct wt_ctx *ctx, const struct wt_event *ev,
		   const struct wt_event_hooks *h, const char **corrects);

/* The index in out of a command's answer: its first message to the
 * command's room (not a reaction, not a direct message); -1 when none. */
int edits_main_reply(const struct wt_replies *out);

#endif
