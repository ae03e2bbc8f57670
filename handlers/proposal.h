/* proposal: what handlers/proposal.c and handlers/proposal_forward.c share. */
#ifndef WT_HANDLERS_PROPOSAL_H
#define WT_HANDLERS_PROPOSAL_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "storage/agenda.h"
#include "storage/bodies.h"
#include "storage/proposals.h"

/* Read a proposal's number (`1`, `V1`) from the next word of *p into out
 * (free with proposal_free); WT_OK or the refusal naming syn. */
int proposal_arg(struct wt_ctx *ctx, const char **p, enum msg_id syn, struct wt_proposal *out);

/* Put a new item titled title on the next planned meeting of body b
 * (accepted when accept): WT_OK with *item and *m filled (m->id 0 when b
 * has no meeting planned: the item waits), or the refusal. */
int proposal_put_on_agenda(struct wt_ctx *ctx, const struct wt_body *b, const char *title,
			   int accept, struct wt_agenda_item *item, struct wt_meeting *m);

/* The stage's name as people read it. */
const char *proposal_stage_label(const struct wt_ctx *ctx, enum proposal_stage s);

/* !voorstel besluit (handlers/proposal_decide.c). */
int proposal_decide_cmd(struct wt_ctx *ctx, const char *args);

/* !voorstel doorsturen and !agenda doorsturen (handlers/proposal_forward.c). */
int proposal_forward_cmd(struct wt_ctx *ctx, const char *args);
int agenda_forward_cmd(struct wt_ctx *ctx, const char *args);

#endif
