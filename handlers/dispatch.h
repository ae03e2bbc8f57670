/* dispatch: the one entry point from a transport (Matrix, console) into the
 * command handlers.
 *
 * A handler is a pure function of (command, sender, room, time, database) to
 * (replies, database changes). It never touches the network. The caller owns
 * the transaction around wt_dispatch (the Matrix client commits the sync
 * token in it); wt_dispatch runs each command inside a SAVEPOINT and rolls it
 * back when the command fails, so a refused command changes nothing.
 */
#ifndef WT_DISPATCH_H
#define WT_DISPATCH_H

#include "handlers/context.h"

/* Run one message. Returns WT_NOT_COMMAND when body is no command (nothing
 * added), WT_OK when the command succeeded, or a negative code when it was
 * refused (an error reply was added and the database is unchanged). */
int wt_dispatch(struct wt_ctx *ctx, const char *body);

/* Run one message as the transports see it: a command through wt_dispatch,
 * else its #besluit / #actie / #info lines are logged (all or none, in a
 * savepoint, with one ✅ reaction on the message; errors replied). While a
 * meeting is open in the room the sender is noted as an attendee. Returns
 * WT_NOT_COMMAND when nothing in it was for the bot. */
int wt_dispatch_message(struct wt_ctx *ctx, const char *body);
/* The message original_event_id was edited (m.replace) to new_body: the
 * items logged from it follow the new text (handlers/logging.c). ctx is
 * the edit event's. WT_NOT_COMMAND when nothing was logged from it and the
 * new text logs nothing. */
int wt_dispatch_edit(struct wt_ctx *ctx, const char *original_event_id,
		     const char *new_body);
/* The message redacted_event_id was redacted: the items logged from it are
 * removed. WT_NOT_COMMAND when there were none. */
int wt_dispatch_redact(struct wt_ctx *ctx, const char *redacted_event_id);

#endif
