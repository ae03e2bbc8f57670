/* names: how a reply shows a person. Every place that shows someone
 * (owners, requesters, assignees, teams, attendees, the chair, who logged)
 * goes through sb_add_person: the display name the network's rooms give
 * (kept current from member events), else the localpart, never the raw
 * Matrix id, as a pill in formatted_body. A pill pings nobody: only
 * reply_mention puts a person in m.mentions. */
#ifndef WT_NAMES_H
#define WT_NAMES_H

#include "handlers/context.h"
#include "lib/strbuf.h"

/* The longest display name shown, in characters (longer ones are cut
 * with an ellipsis): a name cannot blow up a list. */
#define NAMES_MAX_CHARS 64

/* The name user is shown by, plain text (caller frees): their display
 * name in the network's rooms (else in ctx's room), cut to
 * NAMES_MAX_CHARS, with their Matrix id after it when another member
 * has the same name (as the spec's display name rules ask) or the name
 * looks like another id; else the localpart. Text that is no Matrix id comes back as it is. */
char *person_name_dup(const struct wt_ctx *ctx, const char *user);

/* Append user to Markdown sb as a pill, [name](https://matrix.to/#/id),
 * the name Markdown-escaped; text that is no Matrix id is appended
 * escaped as it is. NULL appends nothing. */
void sb_add_person(struct strbuf *sb, const struct wt_ctx *ctx, const char *user);

/* sb_add_person for each of users[0..n), separated by ", ". */
void sb_add_people(struct strbuf *sb, const struct wt_ctx *ctx,
		   char *const *users, size_t n);

#endif
