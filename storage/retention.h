/* retention: how long a network keeps what it only needs for a while
 * (issue 23, item 5), pruned by the scheduler once a day
 * (bot/scheduler.c, the clock-driven pass).
 *
 * - handled event ids (exactly once; events older than the sync token are
 *   never sent again): keep_handled_days, default 30;
 * - outbox rows the homeserver refused for good (sent rows leave the outbox
 *   at once): keep_failed_messages_days, default 30;
 * - fired and cancelled reminders: keep_fired_reminders_days, default 90
 *   (a personal one goes; a generated one keeps its row, which its source
 *   needs, without its text);
 * - the draft of a closed advice request (decided, declined, withdrawn; the
 *   outcome and history stay): keep_advice_drafts_days, default 365;
 * - quarantined events: keep_quarantine_days, default 30.
 * Rows of rooms in no network (direct chats) are kept for the defaults. */
#ifndef WT_STORAGE_RETENTION_H
#define WT_STORAGE_RETENTION_H

#include <sqlite3.h>
#include <time.h>

#define KEEP_HANDLED_DAYS 30
#define KEEP_FAILED_DAYS 30
#define KEEP_REMINDERS_DAYS 90
#define KEEP_DRAFTS_DAYS 365
#define KEEP_QUARANTINE_DAYS 30
#define KEEP_MAX_DAYS 3650

/* A network's retention in days (0: the default above). */
struct wt_retention {
	long handled_days;
	long failed_days;
	long reminder_days;
	long draft_days;
	long quarantine_days;
};

/* What one prune removed. */
struct retention_counts {
	long long handled, failed, reminders, drafts, quarantined;
};

/* Prune network's rows older than its retention as of now; network NULL:
 * the rows of rooms in no network, with the defaults. In the caller's
 * transaction. 0 or negative; counts added to c (may be NULL). */
int retention_prune(sqlite3 *db, const char *network, const struct wt_retention *keep,
		    time_t now, struct retention_counts *c);

#endif
