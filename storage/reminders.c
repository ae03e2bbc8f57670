/* reminders: the table of every reminder, and people's time zones. */
#include "storage/reminders.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

#define COLS "id, short_id, network, kind, ref_id, source_key, owner, to_user," \
	" room_id, text, rrule, tz, due_at, dtstart, occurs_at, state, fired_at," \
	" created_at, last_txn, last_event"

static const char *const state_names[] = { "pending", "fired", "cancelled" };

/* Fill r from a row selected with COLS. */
static void read_row(sqlite3_stmt *st, struct wt_reminder *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->short_id = sqlite3_column_int64(st, 1);
	r->network = db_col_dup(st, 2);
	r->kind = db_col_dup(st, 3);
	r->ref_id = sqlite3_column_int64(st, 4);
	r->source_key = db_col_dup(st, 5);
	r->owner = db_col_dup(st, 6);
	r->to_user = db_col_dup(st, 7);
	r->room_id = db_col_dup(st, 8);
	r->text = db_col_dup(st, 9);
	r->rrule = db_col_dup(st, 10);
	r->tz = db_col_dup(st, 11);
	r->due_at = (time_t)sqlite3_column_int64(st, 12);
	r->dtstart = (time_t)sqlite3_column_int64(st, 13);
	r->occurs_at = (time_t)sqlite3_column_int64(st, 14);
	const char *s = (const char *)sqlite3_column_text(st, 15);
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, state_names[i]) == 0)
			r->state = (enum reminder_state)i;
	r->fired_at = (time_t)sqlite3_column_int64(st, 16);
	r->created_at = (time_t)sqlite3_column_int64(st, 17);
	r->last_txn = db_col_dup(st, 18);
	r->last_event = db_col_dup(st, 19);
}

void reminder_free(struct wt_reminder *r)
{
	free(r->network);
	free(r->kind);
	free(r->source_key);
	free(r->owner);
	free(r->to_user);
	free(r->room_id);
	free(r->text);
	free(r->rrule);
	free(r->tz);
	free(r->last_txn);
	free(r->last_event);
	memset(r, 0, sizeof *r);
}

void reminders_list_free(struct wt_reminder *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		reminder_free(&v[i]);
	free(v);
}

/* Run a prepared lookup that yields at most one row. */
static int fetch_one(sqlite3_stmt *st, struct wt_reminder *out)
{
	if (!st)
		return -1;
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
	}
	db_done(st);
	return found;
}

/* Collect every row of a prepared statement into *v. */
static int fetch_all(sqlite3_stmt *st, struct wt_reminder **v)
{
	*v = NULL;
	if (!st)
		return -1;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		read_row(st, &(*v)[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		reminders_list_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

/* Bind s, or NULL when s is NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int reminders_add(sqlite3 *db, struct wt_reminder *r)
{
	long long sid = db_next_id(db, r->network, "reminder");
	if (sid < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO reminders(network, short_id, kind, owner, to_user,"
		" room_id, due_at, text, rrule, tz, dtstart, occurs_at, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
		" RETURNING id");
	if (!st)
		return -1;
	bind_text(st, 1, r->network);
	sqlite3_bind_int64(st, 2, sid);
	bind_text(st, 3, r->kind);
	bind_text(st, 4, r->owner);
	bind_text(st, 5, r->to_user);
	bind_text(st, 6, r->room_id);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)r->due_at);
	bind_text(st, 8, r->text);
	bind_text(st, 9, r->rrule);
	bind_text(st, 10, r->tz);
	if (r->rrule) {
		sqlite3_bind_int64(st, 11, (sqlite3_int64)(r->dtstart ? r->dtstart : r->due_at));
		sqlite3_bind_int64(st, 12, (sqlite3_int64)r->due_at);
	}
	sqlite3_bind_int64(st, 13, (sqlite3_int64)r->created_at);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		r->short_id = sid;
		r->state = REMINDER_PENDING;
		rc = 0;
	}
	db_done(st);
	return rc;
}

int reminders_by_id(sqlite3 *db, long long id, struct wt_reminder *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM reminders WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

int reminders_by_short_id(sqlite3 *db, const char *network, long long short_id,
			  struct wt_reminder *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM reminders"
				      " WHERE network = ?1 AND short_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, short_id);
	}
	return fetch_one(st, out);
}

int reminders_by_txn(sqlite3 *db, const char *txn_id, struct wt_reminder *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM reminders"
				      " WHERE last_txn = ?1");
	if (st)
		sqlite3_bind_text(st, 1, txn_id, -1, SQLITE_STATIC);
	return fetch_one(st, out);
}

int reminders_by_event(sqlite3 *db, const char *event_id, struct wt_reminder *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM reminders"
				      " WHERE last_event = ?1");
	if (st)
		sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	return fetch_one(st, out);
}

int reminders_link_outbox(sqlite3 *db, long long id, long long outbox_id)
{
	return db_execf(db, "UPDATE reminders SET last_event = NULL, last_txn ="
			" (SELECT txn_id FROM outbox WHERE id = ?1) WHERE id = ?2", "ii",
			(sqlite3_int64)outbox_id, (sqlite3_int64)id);
}

int reminders_note_sent(sqlite3 *db, const char *txn_id, const char *event_id)
{
	return db_execf(db, "UPDATE reminders SET last_event = ?1 WHERE last_txn = ?2",
			"tt", event_id, txn_id);
}

int reminders_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id)
{
	return db_execf(db, "UPDATE reminders SET last_event = ?1 WHERE last_txn ="
			" (SELECT txn_id FROM outbox WHERE id = ?2)", "ti", event_id,
			(sqlite3_int64)outbox_id);
}

/* The pending personal reminders of network that owner made or that go
 * to owner: through reminders_owner and reminders_to_user, one lookup
 * each, so the cost is the person's pending reminders, not every reminder
 * the network ever had (an OR of the two would read them all). */
#define MINE_PENDING " WHERE id IN (SELECT id FROM reminders WHERE network = ?1" \
	" AND owner = ?2 AND state = 'pending' UNION SELECT id FROM reminders" \
	" WHERE network = ?1 AND to_user = ?2 AND state = 'pending')" \
	" AND short_id IS NOT NULL"

int reminders_list_mine(sqlite3 *db, const char *network, const char *owner,
			struct wt_reminder **v)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM reminders"
		MINE_PENDING " ORDER BY due_at, id");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	}
	return fetch_all(st, v);
}

int reminders_list_mine_page(sqlite3 *db, const char *network, const char *owner,
			     long long limit, long long offset,
			     struct wt_reminder **v, long long *total)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM reminders"
		MINE_PENDING);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	*total = db_step_int(st);
	if (*total < 0)
		return -1;
	st = db_prepare(db, "SELECT " COLS " FROM reminders"
		MINE_PENDING " ORDER BY due_at, id LIMIT ?3 OFFSET ?4");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, limit);
		sqlite3_bind_int64(st, 4, offset);
	}
	return fetch_all(st, v);
}

int reminders_count_owned(sqlite3 *db, const char *network, const char *owner)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM reminders"
		" WHERE network = ?1 AND owner = ?2 AND state = 'pending'");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	db_done(st);
	return n;
}

/* The scheduler's batch: through the partial index reminders_due. */
int reminders_due(sqlite3 *db, time_t until, size_t max, struct wt_reminder **v)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM reminders"
		" WHERE state = 'pending' AND due_at <= ?1 ORDER BY due_at, id LIMIT ?2");
	if (st) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)until);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	}
	return fetch_all(st, v);
}

/* The first string after every string that starts with prefix (its last
 * byte one higher), so that a prefix match is a range on the source_key
 * index instead of a scan. Caller frees. */
static char *prefix_end_dup(const char *prefix)
{
	char *e = xstrdup(prefix);
	size_t n = strlen(e);
	while (n > 0 && (unsigned char)e[n - 1] == 0xFF)
		e[--n] = '\0';
	if (n > 0)
		e[n - 1] = (char)((unsigned char)e[n - 1] + 1);
	return e;
}

int reminders_pending_generated(sqlite3 *db, const char *network,
				const char *prefix, struct wt_reminder **v)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " COLS " FROM reminders"
		" WHERE source_key >= ?2 AND source_key < ?3 AND +network = ?1"
		" AND state = 'pending' AND substr(source_key, 1, length(?2)) = ?2"
		" ORDER BY id");
	char *end = prefix_end_dup(prefix);
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, end, -1, SQLITE_STATIC);
	}
	int n = fetch_all(st, v);
	free(end);
	return n;
}

/* The earliest pending due time: one step down the partial index. */
int reminders_next_due(sqlite3 *db, time_t *due)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT min(due_at) FROM reminders"
				      " WHERE state = 'pending'");
	if (!st)
		return -1;
	int found = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*due = (time_t)sqlite3_column_int64(st, 0);
		found = 1;
	}
	db_done(st);
	return found;
}

long long reminders_count_pending(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM reminders"
				      " WHERE state = 'pending'");
	if (!st)
		return -1;
	long long n = db_step_int(st);
	return n;
}

int reminders_set_due(sqlite3 *db, long long id, time_t due)
{
	return db_execf(db, "UPDATE reminders SET due_at = ?1, state = 'pending',"
			" fired_at = NULL WHERE id = ?2", "ii",
			(sqlite3_int64)due, (sqlite3_int64)id);
}

int reminders_cancel(sqlite3 *db, long long id)
{
	return db_execf(db, "UPDATE reminders SET state = 'cancelled'"
			" WHERE id = ?1 AND state = 'pending'", "i", (sqlite3_int64)id);
}

int reminders_mark_fired(sqlite3 *db, long long id, time_t now, const char *txn)
{
	return db_execf(db, "UPDATE reminders SET state = 'fired', fired_at = ?1,"
			" last_txn = coalesce(?2, last_txn) WHERE id = ?3", "iti",
			(sqlite3_int64)now, txn, (sqlite3_int64)id);
}

int reminders_advance(sqlite3 *db, long long id, time_t due, time_t now,
		      const char *txn)
{
	return db_execf(db, "UPDATE reminders SET due_at = ?1, occurs_at = ?1,"
			" state = 'pending', fired_at = ?2,"
			" last_txn = coalesce(?3, last_txn) WHERE id = ?4", "iiti",
			(sqlite3_int64)due, (sqlite3_int64)now, txn, (sqlite3_int64)id);
}

/* Create or move a generated reminder (storage/reminders.h); the rule
 * "generated reminders look forward" lives here. */
int reminders_upsert_generated(sqlite3 *db, const char *network,
			       const char *source_key, const char *kind,
			       long long ref_id, const char *to_user,
			       const char *room_id, time_t due, time_t now)
{
	if (!to_user && !room_id)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "SELECT id, due_at, state FROM reminders"
				      " WHERE source_key = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, source_key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_done(st);
		return -1;
	}
	if (rc == SQLITE_DONE) {
		db_done(st);
		/* Generated reminders look forward: one whose time has passed
		 * when it is first generated is never sent. */
		if (due <= now)
			return 0;
		return db_execf(db, "INSERT INTO reminders(network, kind, ref_id,"
				" source_key, to_user, room_id, due_at, created_at)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "ttitttii",
				network, kind, (sqlite3_int64)ref_id, source_key,
				to_user, room_id, (sqlite3_int64)due, (sqlite3_int64)now);
	}
	long long id = sqlite3_column_int64(st, 0);
	time_t old_due = (time_t)sqlite3_column_int64(st, 1);
	int pending = strcmp((const char *)sqlite3_column_text(st, 2), "pending") == 0;
	db_done(st);
	const char *state;
	if (due == old_due)
		state = pending ? "pending" : NULL;      /* unchanged (maybe missed) */
	else if (due > now)
		state = "pending";                       /* moved into the future */
	else
		state = pending ? "cancelled" : NULL;    /* moved into the past */
	if (state && strcmp(state, "pending") == 0)
		return db_execf(db, "UPDATE reminders SET due_at = ?1, to_user = ?2,"
				" room_id = ?3, kind = ?4, ref_id = ?5, state = 'pending',"
				" fired_at = CASE WHEN state = 'pending' THEN fired_at END"
				" WHERE id = ?6", "itttii", (sqlite3_int64)due, to_user,
				room_id, kind, (sqlite3_int64)ref_id, (sqlite3_int64)id);
	if (state)
		return db_execf(db, "UPDATE reminders SET due_at = ?1, state = ?2"
				" WHERE id = ?3", "iti", (sqlite3_int64)due, state,
				(sqlite3_int64)id);
	return 0;
}

int reminders_cancel_generated(sqlite3 *db, const char *source_key_prefix)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE reminders SET state = 'cancelled'"
		" WHERE source_key >= ?1 AND source_key < ?2 AND state = 'pending'"
		" AND substr(source_key, 1, length(?1)) = ?1");
	if (!st)
		return -1;
	char *end = prefix_end_dup(source_key_prefix);
	sqlite3_bind_text(st, 1, source_key_prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_done(st);
	free(end);
	return rc == SQLITE_DONE ? sqlite3_changes(db) : -1;
}

char *reminders_network_room_dup(sqlite3 *db, const char *network)
{
	return db_text_dup(db, "SELECT room_id FROM rooms WHERE network = ?1"
			   " AND dm_user IS NULL AND pending IS NULL"
			   " ORDER BY joined_at LIMIT 1", network);
}

char *user_tz_dup(sqlite3 *db, const char *user)
{
	return db_text_dup(db, "SELECT tz FROM user_settings WHERE user_id = ?1", user);
}

int user_tz_set(sqlite3 *db, const char *user, const char *tz)
{
	return db_execf(db, "INSERT INTO user_settings(user_id, tz) VALUES (?1, ?2)"
			" ON CONFLICT(user_id) DO UPDATE SET tz = excluded.tz",
			"tt", user, tz);
}
