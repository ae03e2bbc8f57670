/* agenda_internal: what the files of !agenda share (handlers/agenda.c: the
 * view, accept, defer, order and the sub-command table;
 * handlers/agenda_propose.c: propose, edit, withdraw, refuse;
 * handlers/agenda_call.c: the call for agenda items). */
#ifndef WT_AGENDA_INTERNAL_H
#define WT_AGENDA_INTERNAL_H

#include "handlers/context.h"
#include "handlers/catalog.h"
#include "storage/agenda.h"

/* Longest why/what/how text (and reason of a refusal), in characters: a
 * few sentences. */
#define AGENDA_MAX_TEXT (5 * WT_MAX_FIELD)

/* The state's name as people read it. */
enum msg_id agenda_state_msg(enum agenda_state s);

/* Read an item's id (`5` or `#5`) from the next word of *p and load it
 * into it (free with agenda_item_free); *p moves past the word. The
 * refusals name syn. */
int agenda_read_item(struct wt_ctx *ctx, const char **p, enum msg_id syn,
		     struct wt_agenda_item *it);

/* Refuse (with syn) a change to an item whose meeting's agenda is final. */
int agenda_refuse_if_final(struct wt_ctx *ctx, const struct wt_agenda_item *it,
			   enum msg_id syn);

/* Tell the item's proposer markdown by direct message (notify, mentioned),
 * unless they sent the command themselves. Returns 1 when told. */
int agenda_tell_proposer(struct wt_ctx *ctx, const struct wt_agenda_item *it,
			 const char *markdown);

/* The sub-commands of handlers/agenda_propose.c and handlers/agenda_call.c. */
int agenda_propose(struct wt_ctx *ctx, const char *args);
int agenda_edit_cmd(struct wt_ctx *ctx, const char *args);
int agenda_withdraw_cmd(struct wt_ctx *ctx, const char *args);
int agenda_reject_cmd(struct wt_ctx *ctx, const char *args);
int agenda_call_cmd(struct wt_ctx *ctx, const char *args);

#endif
