/* reminders: every reminder the bot sends, stored with its due time (UTC).
 *
 * Two sorts share the table:
 * - set by people (kind "personal" or "room"): short_id per network, owner,
 *   text, optionally a recurrence (rrule, evaluated in tz);
 * - generated from other data (kind "meeting.agenda_call",
 *   "actionline.quarter", "advice.deadline_week", ...): ref_id names the
 *   object, source_key is a stable unique key such as
 *   "meeting:12:agenda_call", and the text is written when it fires, from the
 *   data as it is then (handlers/reminder_kinds.h).
 * A reminder targets a person (to_user, by direct message) or a room. */
#ifndef WT_STORAGE_REMINDERS_H
#define WT_STORAGE_REMINDERS_H

#include <sqlite3.h>
#include <time.h>

/* Create or update the generated reminder source_key: a pending one gets the
 * new due time and targets; a fired one is pending again only when due
 * changed and lies after now (the object moved); a cancelled one is revived
 * the same way. Returns 0 or negative. */
int reminders_upsert_generated(sqlite3 *db, const char *network,
			       const char *source_key, const char *kind,
			       long long ref_id, const char *to_user,
			       const char *room_id, time_t due, time_t now);

/* Cancel every pending generated reminder whose source_key starts with
 * prefix (e.g. "meeting:12:" when meeting 12 is cancelled). Returns the number
 * cancelled, or negative. */
int reminders_cancel_generated(sqlite3 *db, const char *source_key_prefix);

/* The earliest pending due time; returns 1 and sets *due, 0 when none. */
int reminders_next_due(sqlite3 *db, time_t *due);

/* ---- Every reminder (the scheduler and !herinner) ---------------------- */

enum reminder_state { REMINDER_PENDING = 0, REMINDER_FIRED = 1, REMINDER_CANCELLED = 2 };

struct wt_reminder {
	long long id;            /* row id */
	long long short_id;      /* what people type (set-by-people kinds), or 0 */
	char *network;
	char *kind;              /* "personal", "room", "meeting.agenda_call", ... */
	long long ref_id;        /* generated kinds: the object's row id */
	char *source_key;        /* generated kinds, else NULL */
	char *owner;             /* who set it (set-by-people kinds), or NULL */
	char *to_user;           /* by direct message to this user, or NULL */
	char *room_id;           /* or to this room */
	char *text;              /* set-by-people kinds: the text */
	char *rrule;             /* "FREQ=WEEKLY;BYDAY=MO;..." or NULL */
	char *tz;                /* zone the rrule is evaluated in */
	time_t due_at;           /* UTC */
	time_t dtstart;          /* recurring: first occurrence, else 0 */
	time_t occurs_at;        /* recurring: this occurrence (before snoozes) */
	enum reminder_state state;
	time_t fired_at;
	time_t created_at;
	char *last_txn;          /* txn id of the last message it sent */
	char *last_event;        /* that message's event id, once sent */
};

/* Insert r (network, kind, owner, a target, due_at, created_at; text,
 * rrule, tz, dtstart as needed) with a new short id; fills id and short_id. */
int reminders_add(sqlite3 *db, struct wt_reminder *r);
/* Lookups: 1 found, 0 not, negative on error. */
int reminders_by_id(sqlite3 *db, long long id, struct wt_reminder *out);
int reminders_by_short_id(sqlite3 *db, const char *network, long long short_id,
			  struct wt_reminder *out);
/* The reminder whose last message had this txn id. */
int reminders_by_txn(sqlite3 *db, const char *txn_id, struct wt_reminder *out);
/* The reminder whose last message is event_id (a reply or reaction to it). */
int reminders_by_event(sqlite3 *db, const char *event_id, struct wt_reminder *out);
/* Remember that reminder id's last message is outbox row outbox_id. */
int reminders_link_outbox(sqlite3 *db, long long id, long long outbox_id);
/* The outbox sent txn_id as event_id: a reminder whose last message it was
 * can now be found by that event. Returns 0 or negative. */
int reminders_note_sent(sqlite3 *db, const char *txn_id, const char *event_id);
/* The same by outbox row, before the sender deletes the row. */
int reminders_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id);
/* Pending reminders set by people that owner set or that are for owner,
 * by due time; count or negative; free with reminders_list_free. */
int reminders_list_mine(sqlite3 *db, const char *network, const char *owner,
			struct wt_reminder **v);
/* One page of reminders_list_mine: at most limit after offset; *total
 * gets how many there are in all. */
int reminders_list_mine_page(sqlite3 *db, const char *network, const char *owner,
			     long long limit, long long offset,
			     struct wt_reminder **v, long long *total);
/* Pending reminders owner set in network, or negative. */
int reminders_count_owned(sqlite3 *db, const char *network, const char *owner);
/* Pending reminders due at or before `until`, by due time, at most max. */
int reminders_due(sqlite3 *db, time_t until, size_t max, struct wt_reminder **v);
/* Pending generated reminders of network whose source_key starts with
 * prefix; count or negative; free with reminders_list_free. */
int reminders_pending_generated(sqlite3 *db, const char *network,
				const char *prefix, struct wt_reminder **v);
void reminders_list_free(struct wt_reminder *v, size_t n);
void reminder_free(struct wt_reminder *r);

/* A new due time for a pending reminder (snooze: occurs_at stays). */
int reminders_set_due(sqlite3 *db, long long id, time_t due);
int reminders_cancel(sqlite3 *db, long long id);
/* Fired: state fired at now, remembering the message's txn id. */
int reminders_mark_fired(sqlite3 *db, long long id, time_t now, const char *txn);
/* Recurring: the next occurrence is pending at due (occurs_at = due). */
int reminders_advance(sqlite3 *db, long long id, time_t due, time_t now,
		      const char *txn);
/* Number of pending reminders (all networks), or negative. */
long long reminders_count_pending(sqlite3 *db);

/* A room the bot is in for network (no direct chat), for room reminders
 * of objects without a room of their own when the config names the rooms
 * by alias; NULL when none (caller frees). */
char *reminders_network_room_dup(sqlite3 *db, const char *network);

/* A person's own time zone (NULL when not set; caller frees), and setting
 * it (NULL clears). */
char *user_tz_dup(sqlite3 *db, const char *user);
int user_tz_set(sqlite3 *db, const char *user, const char *tz);

#endif
