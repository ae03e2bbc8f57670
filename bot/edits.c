/* edits: what the transport notes of a command for a later edit of it
 * (see bot/edits.h; the policy is in handlers/edits.c). */
#include "bot/edits.h"

#include "storage/command_edits.h"

int edits_note_outcome(sqlite3 *db, const struct wt_ctx *ctx, const char *command,
		       int correction, int rc, const struct wt_replies *out,
		       long long main_row, long long ts_ms)
{
	if (!command || !ctx->room || !ctx->sender)
		return 0;
	int refused = rc == WT_EUSAGE || rc == WT_EPERM || rc == WT_ENOTFOUND;
	if (!correction) {
		if (!refused || main_row <= 0)
			return 0;
		long long at = ts_ms > 0 ? ts_ms / 1000 : (long long)ctx->now;
		return command_edits_add_refused(db, command, ctx->room, ctx->sender,
						 at, ctx->thread_root, main_row);
	}
	if (refused) {
		int m = edits_main_reply(out);
		if (main_row > 0 && m >= 0 && !out->v[m].replaces)
			return command_edits_set_reply(db, command, main_row);
		return 0;
	}
	return rc == WT_OK ? command_edits_set_state(db, command, CMD_EDIT_RUN) : 0;
}
