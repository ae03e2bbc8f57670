/* advice: what other parts of the bot need of the advice request family
 * (the command handlers are declared in handlers/commands.h). */
#ifndef WT_ADVICE_H
#define WT_ADVICE_H

#include <sqlite3.h>
#include <time.h>

#include "handlers/context.h"
#include "lib/strbuf.h"

/* The generated reminders of advice requests (family "advice." in
 * handlers/reminder_kinds.c; signatures of handlers/reminder_kinds.h):
 *
 *   advice.deadline_week  to each assignee, a week before the deadline
 *                         key advice:<row id>:deadline_week:<user>
 *   advice.deadline_day   to each assignee, 9:00 on the deadline's day
 *                         key advice:<row id>:deadline_day:<user>
 *   advice.overdue        to each chair, at the deadline, when the advice
 *                         is not delivered   key advice:<row id>:overdue:<chair>
 *   advice.waiting        to each chair, when an asked request waited
 *                         the network's advice_wait_days (default
 *                         ADV_WAIT_DAYS) without acceptance
 *                         key advice:<row id>:waiting:<chair>
 * Without a chair, the chair's reminders go to the request's room. */
int advice_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			   struct strbuf *out);
int advice_reminder_generate(struct wt_ctx *ctx);
/* The reminders of advice request id alone (reminder_generate_ref_fn). */
int advice_reminder_generate_ref(struct wt_ctx *ctx, long long id);

#endif
