/* readback: what the bot understood, said back to the people who wrote it.
 *
 * A #besluit / #actie / #info line (or !besluit / !actie) gets, besides
 * the ✅, one short notice in the message's thread (or as a reply to it)
 * with each item's number and, for an action, its owner (display name,
 * as a pill) and due date as read: "Actie 12 voor Piet Jansen, uiterlijk
 * vrijdag 15 januari 2027: offerte aanvragen". The owner of a new action
 * gets one direct message (not when they logged it themself; per network
 * notify_action_owner = no turns it off). handlers/logging.c calls it;
 * handlers/remind.c shares the excerpt and the links. */
#ifndef WT_READBACK_H
#define WT_READBACK_H

#include <stddef.h>

#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/minutes.h"

/* The read-back of the n items of v just stored from message event_id
 * (open: a meeting is open in the room). was_owner[i] (or NULL for all)
 * is the owner item i had before an edit: only a new owner is told by
 * direct message. */
void mm_read_back(struct wt_ctx *ctx, const struct wt_logged *v, size_t n, int open,
		  const char *event_id, char *const *was_owner);

/* Append user as a pill: [display name](https://matrix.to/#/@user),
 * the name from the network's rooms, else the localpart; escaped. */
void sb_add_person_pill(struct strbuf *sb, struct wt_ctx *ctx, const char *user);

/* Append the link to event_id in room: https://matrix.to/#/<room>/<event>
 * with both percent-encoded (a Markdown-safe URL). */
void sb_add_event_link(struct strbuf *sb, const char *room, const char *event_id);

/* Append text's first line, blanks folded, cut at max characters (on a
 * character boundary, with "…"), Markdown-escaped. */
void sb_add_excerpt_md(struct strbuf *sb, const char *text, size_t max);

/* The part of a reminder about a message: the excerpt quoted (when known)
 * and the link to the message in room. */
void sb_add_quote_md(struct strbuf *sb, const struct wt_ctx *ctx, const char *room,
		     const char *event_id, const char *excerpt);

/* s cut to at most max bytes on a character boundary, blanks around it
 * trimmed; NULL when nothing is left. Caller frees. */
char *text_cut_dup(const char *s, size_t max);

#endif
