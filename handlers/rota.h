/* rota: what the rotation schedule (handlers/rota.c) and the organisations
 * (handlers/organisation.c) share, and the "rota." reminder family (a
 * period's end, to the chair; handlers/reminder_kinds.c lists it). */
#ifndef WT_HANDLERS_ROTA_H
#define WT_HANDLERS_ROTA_H

#include "handlers/context.h"
#include "lib/strbuf.h"

/* Today in the network's zone, as days since 1970-01-01. */
long rota_today(const struct wt_ctx *ctx);
/* "vr 1 jan 2027 t/m wo 30 jun 2027" for the local days first..last. */
void rota_add_period(struct strbuf *sb, const struct wt_ctx *ctx, long first, long last);

int rota_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			 struct strbuf *out);
int rota_reminder_generate(struct wt_ctx *ctx);
int rota_reminder_generate_ref(struct wt_ctx *ctx, long long id);

/* !wie with nothing after it: the members per organisation (with the
 * delegate of each now), and who has none set. */
int org_spread(struct wt_ctx *ctx);

#endif
