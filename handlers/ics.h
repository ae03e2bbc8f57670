/* ics: the coming meetings of a network as an iCalendar file (RFC 5545),
 * written with libical, to import into Outlook, Google Calendar and the
 * like. Times are written in UTC, so no VTIMEZONE is needed and every
 * client shows them in its own zone. */
#ifndef WT_ICS_H
#define WT_ICS_H

#include <sqlite3.h>
#include <time.h>

#include "handlers/context.h"

/* At most this many meetings go into one file. */
#define ICS_MAX_MEETINGS 100

/* The planned and open meetings of net that have not ended by now, as
 * iCalendar text (caller frees). *count receives the number of events.
 * NULL on a database error. */
char *ics_meetings_dup(sqlite3 *db, const struct wt_network *net, time_t now,
		       int *count);

/* The sub-command `ics` of !vergadering / !meeting: a note and the file. */
int ics_reply(struct wt_ctx *ctx);

#endif
