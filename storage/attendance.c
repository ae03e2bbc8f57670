/* The meeting_rsvps table (see storage/attendance.h). */
#include "storage/attendance.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

static const char *const answer_names[] = { NULL, "yes", "no", "maybe" };
static const char *const present_names[] = { NULL, "room", "phone" };

int attendance_answer(sqlite3 *db, long long meeting_id, const char *user,
		      enum rsvp_answer answer, const char *reason, time_t at,
		      const char *via_event)
{
	if (answer < RSVP_NONE || answer > RSVP_MAYBE)
		return -1;
	return db_execf(db, "INSERT INTO meeting_rsvps(meeting_id, user_id, answer, reason,"
			" answered_at, via_event) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
			" ON CONFLICT(meeting_id, user_id) DO UPDATE SET answer = excluded.answer,"
			" reason = excluded.reason, answered_at = excluded.answered_at,"
			" via_event = excluded.via_event", "itttit",
			(sqlite3_int64)meeting_id, user, answer_names[answer], reason,
			(sqlite3_int64)at, via_event);
}

int attendance_unanswer(sqlite3 *db, const char *event_id, long long *meeting_id,
			char **user)
{
	*user = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT meeting_id, user_id FROM meeting_rsvps"
				      " WHERE via_event = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*meeting_id = sqlite3_column_int64(st, 0);
		*user = db_col_dup(st, 1);
	}
	db_done(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	if (db_execf(db, "UPDATE meeting_rsvps SET answer = NULL, reason = NULL,"
		     " answered_at = NULL, via_event = NULL WHERE via_event = ?1", "t",
		     event_id) < 0) {
		free(*user);
		*user = NULL;
		return -1;
	}
	return 1;
}

int attendance_present(sqlite3 *db, long long meeting_id, const char *user,
		       enum rsvp_present present)
{
	if (present < PRESENT_NO || present > PRESENT_PHONE)
		return -1;
	return db_execf(db, "INSERT INTO meeting_rsvps(meeting_id, user_id, present)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(meeting_id, user_id)"
			" DO UPDATE SET present = excluded.present", "itt",
			(sqlite3_int64)meeting_id, user, present_names[present]);
}

/* The enum of a stored name among names[0..n) (NULL: 0). */
static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 1; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return 0;
}

int attendance_list(sqlite3 *db, long long meeting_id, struct wt_rsvp **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT user_id, answer, reason, answered_at,"
				      " present FROM meeting_rsvps WHERE meeting_id = ?1"
				      " ORDER BY user_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		struct wt_rsvp *r = &(*v)[n++];
		r->user_id = db_col_dup(st, 0);
		r->answer = (enum rsvp_answer)name_index(answer_names, 4,
			(const char *)sqlite3_column_text(st, 1));
		r->reason = db_col_dup(st, 2);
		r->answered_at = (time_t)sqlite3_column_int64(st, 3);
		r->present = (enum rsvp_present)name_index(present_names, 3,
			(const char *)sqlite3_column_text(st, 4));
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		attendance_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

void attendance_free(struct wt_rsvp *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].user_id);
		free(v[i].reason);
	}
	free(v);
}

int attendance_rooms(sqlite3 *db, const char *network, char ***rooms)
{
	*rooms = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT room_id FROM rooms WHERE network = ?1"
				      " AND dm_user IS NULL AND pending IS NULL"
				      " ORDER BY joined_at, room_id");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	size_t n = 0;
	int rc;
	*rooms = xcalloc(1, sizeof **rooms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rooms = xrealloc(*rooms, (n + 2) * sizeof **rooms);
		(*rooms)[n++] = db_col_dup(st, 0);
		(*rooms)[n] = NULL;
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		attendance_rooms_free(*rooms);
		*rooms = NULL;
		return -1;
	}
	return (int)n;
}

void attendance_rooms_free(char **rooms)
{
	for (size_t i = 0; rooms && rooms[i]; i++)
		free(rooms[i]);
	free(rooms);
}

char *attendance_self_dup(sqlite3 *db)
{
	return db_kv_get(db, "matrix.user_id");
}
