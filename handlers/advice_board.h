/* advice_board: advice to the board closes the loop (handlers/advice_flow.c
 * calls these) — delivered advice goes on the board body's next agenda,
 * and the board's decision on it is a decision in the register linked to
 * the request (`!besluiten A1`), told to the requester and the round
 * table's room. A network without a body of kind board: nothing changes. */
#ifndef WT_HANDLERS_ADVICE_BOARD_H
#define WT_HANDLERS_ADVICE_BOARD_H

#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/advice.h"

/* After advice a (reference ref, "A3", title) was delivered: put it on the
 * board's next agenda and add a line saying where to sb. WT_OK, or an
 * error reply and its code. */
int advice_board_deliver(struct wt_ctx *ctx, const struct wt_advice *a, const char *ref,
			 const char *title, struct strbuf *sb);

/* After the board decided on a (outcome o, note): the decision in the
 * register (in the board's meeting when one runs in this room), a line to
 * the command's room, a direct message to the requester (notify) and a
 * notice in the room the request came from. WT_OK or an error reply. */
int advice_board_decide(struct wt_ctx *ctx, const struct wt_advice *a, const char *ref,
			const char *title, enum advice_outcome o, const char *note);

#endif
