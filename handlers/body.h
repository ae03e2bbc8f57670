/* body: what the families share about a network's bodies (handlers/body.c):
 * reading a body's name from a command, and a body's kind as shown. */
#ifndef WT_HANDLERS_BODY_H
#define WT_HANDLERS_BODY_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "storage/bodies.h"

/* The body named by the next word at *p (advancing *p past it) into out:
 * WT_OK, or the refusal (no name: `none` with syn; unknown: the names
 * there are) and its code. */
int body_arg(struct wt_ctx *ctx, const char **p, enum msg_id syn, struct wt_body *out);

/* The kind's name in ctx's language ("actielijnenoverleg", "board"). */
const char *body_kind_label(const struct wt_ctx *ctx, enum body_kind k);

/* WT_OK, or the refusal (WT_EPERM) when the sender is an advisory member
 * of the body meeting_id (row id) belongs to: they are invited and
 * listed, but record no decisions (meeting mode's #besluit included). */
int body_refuse_advisory(struct wt_ctx *ctx, long long meeting_id);

#endif
