/* edits: an edit (m.replace) of a command, as Element sends it: a new
 * m.room.message whose m.new_content holds the corrected text and whose
 * m.relates_to names the original.
 *
 * A command the bot refused (a usage, permission or not-found error) is
 * remembered with its sender, its time and the bot's refusal
 * (storage/command_edits.h). An edit of it by the same sender within
 * EDITS_WINDOW seconds of the command runs the corrected command once,
 * and the bot edits its refusal into the answer (or, when the refusal was
 * not sent yet, or the answer is meant to notify people, whom an edit
 * never notifies, it answers with a new message). A correction that is
 * refused again leaves the command open to the next edit. An edit of a
 * command that was carried out, or one that comes too late, gets a short
 * note once per command; later edits of it get nothing. Edits of other
 * messages go to wt_dispatch_edit (logged #besluit / #actie lines follow
 * the new text). Each edit event is handled once (bot/sync.c records it
 * in handled_events), so a replay or a restart runs nothing twice. */
#ifndef WT_EDITS_H
#define WT_EDITS_H

#include <jansson.h>

#include "bot/sync.h"
#include "handlers/context.h"

/* How long after a refused command an edit of it still runs (seconds). */
#define EDITS_WINDOW 600

/* Handle the edit event ev of original, whose new text is new_body, with
 * ctx the edit's context (its sender, room, time, mentions). Returns what
 * a dispatcher returns (WT_NOT_COMMAND: nothing for the bot). When the
 * corrected command of a refused one ran, *corrects is original (and
 * ctx->event_id too: the answers reply to the command people see edited);
 * else NULL. */
int edits_dispatch(const struct sync_env *env, struct wt_ctx *ctx, json_t *ev,
		   const char *original, const char *new_body, const char **corrects);

/* The index in out of a command's answer: its first message to the
 * command's room (not a reaction, not a direct message); -1 when none. */
int edits_main_reply(const struct wt_replies *out);

/* After the replies (out) of a command are in the outbox, main_row being
 * the outbox row of its answer (edits_main_reply; 0: none): a refused
 * command is remembered for a later edit (sent at ts_ms, Unix ms; 0 or
 * less: ctx->now); for a correction (correction = 1, command = the
 * original), a refusal sent as a new message becomes the one the next
 * correction edits, and a correction that ran closes the command to
 * further runs. command is the command's event id (NULL: nothing to do);
 * rc the dispatcher's result. Returns 0 or negative (database). */
int edits_note_outcome(sqlite3 *db, const struct wt_ctx *ctx, const char *command,
		       int correction, int rc, const struct wt_replies *out,
		       long long main_row, long long ts_ms);

#endif
