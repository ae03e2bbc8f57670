#include "storage/retention.h"

#include <stddef.h>

#include "storage/db.h"

static long days(long set, long dflt)
{
	return set > 0 ? set : dflt;
}

/* One statement with ?1 the network (or NULL) and ?2 the cutoff; its
 * changed rows go to *n. */
static int run(sqlite3 *db, const char *sql, const char *network, time_t cutoff,
	       long long *n)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	if (network)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cutoff);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	*n += sqlite3_changes(db);
	return 0;
}

/* The network's rooms, or (network NULL) the rooms of none. */
#define ROOMS_OF(col) " AND (CASE WHEN ?1 IS NULL THEN " col " NOT IN (SELECT" \
	" room_id FROM rooms WHERE network IS NOT NULL) ELSE " col " IN (SELECT" \
	" room_id FROM rooms WHERE network = ?1) END)"

int retention_prune(sqlite3 *db, const char *network, const struct wt_retention *keep,
		    time_t now, struct retention_counts *c)
{
	static const struct wt_retention none = { 0 };
	struct retention_counts local = { 0 };
	if (!keep)
		keep = &none;
	if (!c)
		c = &local;
	const long D = 86400;
	int rc = 0;
	rc |= run(db, "DELETE FROM handled_events WHERE handled_at < ?2"
		  ROOMS_OF("room_id"), network,
		  now - days(keep->handled_days, KEEP_HANDLED_DAYS) * D, &c->handled);
	rc |= run(db, "DELETE FROM outbox WHERE failed_at IS NOT NULL AND failed_at < ?2"
		  " AND (room_id IS NULL AND ?1 IS NULL OR room_id IS NOT NULL"
		  ROOMS_OF("room_id") ")", network,
		  now - days(keep->failed_days, KEEP_FAILED_DAYS) * D, &c->failed);
	rc |= run(db, "DELETE FROM quarantine WHERE quarantined_at < ?2"
		  ROOMS_OF("room_id"), network,
		  now - days(keep->quarantine_days, KEEP_QUARANTINE_DAYS) * D,
		  &c->quarantined);
	if (network) {
		time_t cut = now - days(keep->reminder_days, KEEP_REMINDERS_DAYS) * D;
		rc |= run(db, "DELETE FROM reminders WHERE network = ?1 AND state IN"
			  " ('fired','cancelled') AND coalesce(fired_at, created_at) < ?2"
			  " AND source_key IS NULL", network, cut, &c->reminders);
		rc |= run(db, "UPDATE reminders SET text = NULL WHERE network = ?1 AND state"
			  " IN ('fired','cancelled') AND coalesce(fired_at, created_at) < ?2"
			  " AND source_key IS NOT NULL AND text IS NOT NULL", network, cut,
			  &c->reminders);
		rc |= run(db, "UPDATE advice_requests SET draft = NULL WHERE network = ?1"
			  " AND state IN ('decided','declined','withdrawn') AND updated_at < ?2"
			  " AND draft IS NOT NULL", network,
			  now - days(keep->draft_days, KEEP_DRAFTS_DAYS) * D, &c->drafts);
	}
	return rc ? -1 : 0;
}
