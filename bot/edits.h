/* edits: the transport's part of edits of commands (the policy is in
 * handlers/edits.h): after a command's replies are in the outbox, what an
 * edit of it will need is noted with the outbox row of its answer. */
#ifndef WT_EDITS_H
#define WT_EDITS_H

#include <sqlite3.h>

#include "handlers/dispatch.h"
#include "handlers/edits.h"

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
