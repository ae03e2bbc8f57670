/* when_ctx: when_read (handlers/when.h) as a command reads a date: at the
 * command's time, in its network's zone and the room's language. */
#ifndef WT_WHEN_CTX_H
#define WT_WHEN_CTX_H

#include "handlers/context.h"
#include "handlers/when.h"

/* The hour the network's working day ends (day_end; "eind januari" is
 * then). */
static inline int ctx_day_end(const struct wt_ctx *ctx)
{
	return ctx->net && ctx->net->day_end_hour ? ctx->net->day_end_hour : WHEN_END_HOUR_DEFAULT;
}

/* Read the phrase at text for a command of ctx (see when_read). */
static inline int ctx_when(const struct wt_ctx *ctx, const char *text, int default_hour,
			   unsigned flags, struct when_out *out)
{
	struct when_in in = { ctx->now, ctx->net && ctx->net->tz ? ctx->net->tz : "UTC",
			      ctx->lang, default_hour, flags, ctx_day_end(ctx) };
	return when_read(text, &in, out);
}

/* The catalogue text that explains a when_read error to ctx's reader. */
static inline const char *ctx_when_error(const struct wt_ctx *ctx, int err, unsigned flags)
{
	return when_error_text(ctx->lang, err, flags);
}

#endif
