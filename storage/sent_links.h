/* sent_links: what a message the bot sent is about (table sent_links,
 * migration 30), so that a reaction or a reply to it can be understood:
 * an RSVP reaction to an invitation finds its meeting.
 *
 * A link is made with the message's outbox row, in the same transaction
 * (keyed by the row's txn id, which stays when the row leaves the
 * outbox); the event id is filled in when the homeserver took the
 * message (sent_links_note_sent_row, from bot/outbox.c). The kind is one
 * of the SENT_LINK_* names below. */
#ifndef WT_STORAGE_SENT_LINKS_H
#define WT_STORAGE_SENT_LINKS_H

#include <sqlite3.h>

/* The kinds of link (the object is a meetings row id for both). */
#define SENT_LINK_INVITE "invite"      /* the invitation by direct message */
#define SENT_LINK_AGENDA "agenda"      /* the final agenda posted in a room */

/* Outbox row outbox_id is about (kind, object_id). 0 or negative. */
int sent_links_add(sqlite3 *db, long long outbox_id, const char *kind, long long object_id);

/* Outbox row outbox_id went out as event_id. 0 or negative. */
int sent_links_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id);

/* Event event_id (sent without the outbox: the console) is about (kind,
 * object_id). 0 or negative. */
int sent_links_add_sent(sqlite3 *db, const char *event_id, const char *kind, long long object_id);

/* What event_id is about: 1 with *kind (caller frees) and *object_id,
 * 0 when it is no linked message, negative on error. */
int sent_links_by_event(sqlite3 *db, const char *event_id, char **kind, long long *object_id);

#endif
