/* stakeholders: !belanghebbenden / !stakeholders (handlers/stakeholders.c),
 * and what other families show of the register: the requester of advice
 * (handlers/advice*.c) and the stakeholders of an action line. */
#ifndef WT_HANDLERS_STAKEHOLDERS_H
#define WT_HANDLERS_STAKEHOLDERS_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/stakeholders.h"

/* "BH3", "bh3", "BH-3", "SH3", "3" -> 3; -1 when not a code. */
long long sh_code_parse(const char *word);
/* "BH3" (Dutch) or "SH3" (English). */
void sh_add_code(struct strbuf *sb, const struct wt_ctx *ctx, const struct stakeholder *s);
/* "**BH3** Huisartsenpraktijk De Linde (huisarts, betrekken)", escaped. */
void sh_add_label(struct strbuf *sb, struct wt_ctx *ctx, const struct stakeholder *s);
/* Load the stakeholder named by word into *s: WT_OK, or the refusal (with
 * synopsis syn) added. */
int sh_read(struct wt_ctx *ctx, const char *word, enum msg_id syn, struct stakeholder *s);
/* The label of stakeholder sh_id (row id), for an advice request's
 * requester ("?" when it is gone). */
void sh_add_requester(struct strbuf *sb, struct wt_ctx *ctx, long long sh_id);
/* before and "Belanghebbenden: ..." as a line of !al <code> and of the
 * line's report; nothing when none is linked to action line line_id (row
 * id). */
void sh_show_for_line(struct strbuf *sb, struct wt_ctx *ctx, long long line_id,
		      const char *before);

#endif
