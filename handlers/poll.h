/* poll: native Matrix polls (MSC3381) started by the bot.
 *
 * `!peiling` / `!poll` starts one (secretary or chair): the bot sends an
 * org.matrix.msc3381.poll.start event, the type Element and matrix-js-sdk
 * send and show as a poll (room versions without extensible events use the
 * unstable types), with its text as fallback for clients without polls.
 * Responses of both the stable (m.poll.response) and the unstable type
 * reach poll_on_response; `!peiling einde <nr>` or the end time closes it
 * with an org.matrix.msc3381.poll.end event carrying the results. */
#ifndef WT_POLL_H
#define WT_POLL_H

#include <stddef.h>

#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/polls.h"

/* The event types the bot sends. */
#define POLL_START_TYPE "org.matrix.msc3381.poll.start"
#define POLL_END_TYPE "org.matrix.msc3381.poll.end"

/* A response to the poll whose start event is target, from ctx->sender in
 * ctx->room at ts_ms, choosing answers[0..n): counted when the poll is
 * open (not ended, before its end time), the sender is in the network's
 * room, and at least one answer is the poll's (the others are dropped, at
 * most max_selections are kept); the person's earlier response is
 * replaced. Silent: WT_NOT_COMMAND when not counted, WT_OK when counted. */
int poll_on_response(struct wt_ctx *ctx, const char *target, const char *const *answers,
		     size_t n, long long ts_ms);

/* Close poll p (open) at ctx->now: mark it ended, add its end event with
 * the results to ctx->out (in its room), and hand a scale poll's final
 * average to its goal. WT_OK or a negative code with an error reply. */
int poll_close(struct wt_ctx *ctx, const struct wt_poll *p);

/* The results of p as Markdown into sb: each answer with its count (and,
 * for a poll that is not anonymous, who chose it), a scale's average, the
 * number of people who answered. 0 or negative on a database error. */
int poll_render_results(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_poll *p);

/* The content of p's start event (JSON text, caller frees) with its
 * answers and fallback text; NULL when it cannot be built. */
char *poll_start_content_dup(const struct wt_poll *p, const char *const *answers,
			     size_t n, const char *fallback);
/* The content of p's end event with the results text. */
char *poll_end_content_dup(const struct wt_poll *p, const char *results);

#endif
