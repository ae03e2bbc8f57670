/* reply: the small API handlers use to answer. Every text comes from the
 * catalogue (handlers/catalog.h); user text goes in through sb_add_md. */
#ifndef WT_REPLY_H
#define WT_REPLY_H

#include "handlers/catalog.h"
#include "handlers/dispatch.h"

/* Start a reply to the command (in its room, as a Matrix reply to it) and
 * return its text buffer's owner; finish with reply_send. */
struct wt_reply *reply_add(struct wt_ctx *ctx, const char *markdown);
/* Add a mention of user to reply r (m.mentions). */
void reply_mention(struct wt_reply *r, const char *user);
/* Add a reply built from a catalogue format. */
struct wt_reply *reply_msgf(struct wt_ctx *ctx, enum msg_id id, ...);
/* Add an error reply (catalogue format) and return code, for
 * `return reply_error(ctx, WT_EUSAGE, M_..., ...)`. */
int reply_error(struct wt_ctx *ctx, int code, enum msg_id id, ...);
/* Add a ✅-style reaction to the command's event. */
void reply_react(struct wt_ctx *ctx, const char *key);

/* Catalogue text in the context's language. */
const char *T(const struct wt_ctx *ctx, enum msg_id id);
/* Append a catalogue format in the context's language. */
void sb_addm(struct strbuf *sb, const struct wt_ctx *ctx, enum msg_id id, ...);

#endif
