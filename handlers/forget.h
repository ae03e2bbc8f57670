/* forget: !vergeet / !forget, erasing a person (storage/forget.h), and the
 * words of its outcome, which `werktafel forget` prints too. */
#ifndef WT_HANDLERS_FORGET_H
#define WT_HANDLERS_FORGET_H

#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/forget.h"

/* What was removed, as a list in words ("3 herinneringen, 1 rol en de eigen
 * tijdzone"), in ctx's language. */
void forget_describe_removed(struct strbuf *sb, const struct wt_ctx *ctx,
			     const struct forget_counts *c);
/* Erase user with a new label in ctx's language; the whole outcome text
 * (M_FORGET_DONE or M_FORGET_NOTHING, with person as written in it) in sb,
 * and a log line. FORGET_EDB when the database failed (caller rolls back). */
enum forget_outcome forget_run(struct wt_ctx *ctx, const char *user, const char *person,
			       struct strbuf *sb);

#endif
