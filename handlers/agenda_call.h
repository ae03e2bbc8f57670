/* agenda_call: the call for agenda items of a meeting (`!agenda oproep`,
 * handlers/agenda_call.c), and the chair's agenda_call reminder built on
 * it (handlers/reminder_kinds.c). */
#ifndef WT_AGENDA_CALL_H
#define WT_AGENDA_CALL_H

#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/meetings.h"

/* The text of meeting m's agenda_call reminder into out. The chair gets
 * the call ready to forward (or to post with `!agenda oproep`); with the
 * network's `agenda_call = auto` the call also goes to the network's rooms
 * as replies added to ctx->out (the scheduler sends them with the
 * reminder, also when it is late) and the chair reads that it went; not
 * once the agenda is final or its deadline passed. Returns 0, 1 when there is
 * nothing to send the reminder's own recipient (a room reminder whose
 * room got the call), or negative. */
int agenda_call_reminder(struct wt_ctx *ctx, const struct wt_meeting *m, struct strbuf *out);

#endif
