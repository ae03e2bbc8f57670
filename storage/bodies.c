/* bodies: a network's bodies, their rooms and members; see bodies.h. */
#include "storage/bodies.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

static const char *const kind_names[BODY_NKINDS] = {
	"subteam", "werktafel", "actielijnenoverleg", "stuurgroep", "board",
};

const char *body_kind_name(enum body_kind k)
{
	return (unsigned)k < BODY_NKINDS ? kind_names[k] : "werktafel";
}

int body_kind_parse(const char *s)
{
	for (int i = 0; s && i < BODY_NKINDS; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int body_create(sqlite3 *db, const char *network, const char *name, enum body_kind kind,
		time_t now, long long *id)
{
	int has = 0;
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM bodies WHERE network = ?1 AND name = ?2");
	if (!st)
		return BODY_CREATE_EDB;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	has = rc == SQLITE_ROW;
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return BODY_CREATE_EDB;
	if (has)
		return BODY_CREATE_EXISTS;
	if (db_execf(db, "INSERT INTO bodies(network, name, kind, created_at)"
		     " VALUES (?1, ?2, ?3, ?4)", "ttti", network, name,
		     body_kind_name(kind), (sqlite3_int64)now) < 0)
		return BODY_CREATE_EDB;
	*id = sqlite3_last_insert_rowid(db);
	return BODY_CREATE_OK;
}

/* Fill b's rooms and members from the database. */
static int load_parts(sqlite3 *db, struct wt_body *b)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT room FROM body_rooms WHERE body_id = ?1"
				      " ORDER BY room");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, b->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		b->rooms = xrealloc(b->rooms, (b->nrooms + 1) * sizeof *b->rooms);
		b->rooms[b->nrooms++] = db_col_dup(st, 0);
	}
	db_done(st);
	st = db_prepare(db, "SELECT user_id, advisory FROM body_members WHERE body_id = ?1"
			" ORDER BY advisory, user_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, b->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		b->members = xrealloc(b->members, (b->nmembers + 1) * sizeof *b->members);
		b->members[b->nmembers].user = db_col_dup(st, 0);
		b->members[b->nmembers++].advisory = sqlite3_column_int(st, 1);
	}
	db_done(st);
	return 0;
}

#define BODY_COLS "id, network, name, kind, chair, secretary"

static void body_from_row(sqlite3_stmt *st, struct wt_body *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(st, 0);
	b->network = db_col_dup(st, 1);
	b->name = db_col_dup(st, 2);
	int k = body_kind_parse((const char *)sqlite3_column_text(st, 3));
	b->kind = k < 0 ? BODY_WERKTAFEL : (enum body_kind)k;
	b->chair = db_col_dup(st, 4);
	b->secretary = db_col_dup(st, 5);
}

/* The first row of st (bound) as a body with its parts; gives st back. */
static int fetch_body(sqlite3 *db, sqlite3_stmt *st, struct wt_body *out)
{
	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		body_from_row(st, out);
	db_done(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW || load_parts(db, out) < 0) {
		body_free(out);
		return -1;
	}
	return 1;
}

int body_by_name(sqlite3 *db, const char *network, const char *name, struct wt_body *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " BODY_COLS " FROM bodies"
				      " WHERE network = ?1 AND name = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	}
	return fetch_body(db, st, out);
}

int body_by_id(sqlite3 *db, long long id, struct wt_body *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " BODY_COLS " FROM bodies WHERE id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return fetch_body(db, st, out);
}

int body_of_room(sqlite3 *db, const char *network, const char *room, struct wt_body *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " BODY_COLS " FROM bodies WHERE id ="
				      " (SELECT body_id FROM body_rooms WHERE network = ?1 AND room = ?2)");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, room, -1, SQLITE_STATIC);
	}
	return fetch_body(db, st, out);
}

int body_first_of_kind(sqlite3 *db, const char *network, enum body_kind kind,
		       struct wt_body *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " BODY_COLS " FROM bodies"
				      " WHERE network = ?1 AND kind = ?2 ORDER BY name LIMIT 1");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, body_kind_name(kind), -1, SQLITE_STATIC);
	}
	return fetch_body(db, st, out);
}

int body_for_advice(sqlite3 *db, const char *network, struct wt_body *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " BODY_COLS " FROM bodies"
				      " WHERE network = ?1 AND (decides_advice = 1 OR kind = 'board')"
				      " ORDER BY decides_advice DESC, name LIMIT 1");
	if (st)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	return fetch_body(db, st, out);
}

int body_set_decides_advice(sqlite3 *db, long long body_id, int on)
{
	if (on && db_execf(db, "UPDATE bodies SET decides_advice = 0 WHERE network ="
			   " (SELECT network FROM bodies WHERE id = ?1)", "i",
			   (sqlite3_int64)body_id) < 0)
		return -1;
	return db_execf(db, "UPDATE bodies SET decides_advice = ?2 WHERE id = ?1", "ii",
			(sqlite3_int64)body_id, (sqlite3_int64)(on != 0));
}

int body_of_meeting(sqlite3 *db, long long meeting_id, long long *body_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT body_id FROM meetings"
				      " WHERE id = ?1 AND body_id IS NOT NULL");
	if (st)
		sqlite3_bind_int64(st, 1, meeting_id);
	return db_step_one(st, body_id);
}

int body_list(sqlite3 *db, const char *network, struct wt_body **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " BODY_COLS " FROM bodies"
				      " WHERE network = ?1 ORDER BY name");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xrealloc(*v, (n + 1) * sizeof **v);
		body_from_row(st, &(*v)[n++]);
	}
	db_done(st);
	int bad = rc != SQLITE_DONE;
	for (size_t i = 0; !bad && i < n; i++)
		bad = load_parts(db, &(*v)[i]) < 0;
	if (bad) {
		body_list_free(*v, n);
		*v = NULL;
		return -1;
	}
	return (int)n;
}

long long body_count(sqlite3 *db, const char *network)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM bodies WHERE network = ?1");
	if (st)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	return db_step_int(st);
}

void body_free(struct wt_body *b)
{
	free(b->network);
	free(b->name);
	free(b->chair);
	free(b->secretary);
	for (size_t i = 0; i < b->nrooms; i++)
		free(b->rooms[i]);
	free(b->rooms);
	for (size_t i = 0; i < b->nmembers; i++)
		free(b->members[i].user);
	free(b->members);
	memset(b, 0, sizeof *b);
}

void body_list_free(struct wt_body *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		body_free(&v[i]);
	free(v);
}

int body_board_room(sqlite3 *db, const char *network, char **room_id)
{
	*room_id = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT r.room FROM bodies b"
				      " JOIN body_rooms r ON r.body_id = b.id"
				      " WHERE b.network = ?1 AND b.kind = 'board'"
				      " ORDER BY b.name, r.room LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*room_id = db_col_dup(st, 0);
	db_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int body_set_kind(sqlite3 *db, long long body_id, enum body_kind kind)
{
	return db_execf(db, "UPDATE bodies SET kind = ?2 WHERE id = ?1", "it",
			(sqlite3_int64)body_id, body_kind_name(kind));
}

int body_room_add(sqlite3 *db, const char *network, const char *room, long long body_id)
{
	return db_execf(db, "INSERT INTO body_rooms(network, room, body_id) VALUES (?1, ?2, ?3)"
			" ON CONFLICT(network, room) DO UPDATE SET body_id = excluded.body_id",
			"tti", network, room, (sqlite3_int64)body_id);
}

int body_room_remove(sqlite3 *db, const char *network, const char *room, long long body_id)
{
	if (db_execf(db, "DELETE FROM body_rooms WHERE network = ?1 AND room = ?2"
		     " AND body_id = ?3", "tti", network, room, (sqlite3_int64)body_id) < 0)
		return -1;
	return sqlite3_changes(db) > 0;
}

int body_set_officer(sqlite3 *db, long long body_id, int officer, const char *user)
{
	if (officer == BODY_CHAIR)
		return db_execf(db, "UPDATE bodies SET chair = ?2 WHERE id = ?1", "it",
				(sqlite3_int64)body_id, user);
	return db_execf(db, "UPDATE bodies SET secretary = ?2 WHERE id = ?1", "it",
			(sqlite3_int64)body_id, user);
}

int body_member_set(sqlite3 *db, long long body_id, const char *user, int advisory)
{
	return db_execf(db, "INSERT INTO body_members(body_id, user_id, advisory)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(body_id, user_id) DO UPDATE SET"
			" advisory = excluded.advisory", "iti", (sqlite3_int64)body_id, user,
			(sqlite3_int64)(advisory != 0));
}

int body_member_remove(sqlite3 *db, long long body_id, const char *user)
{
	if (db_execf(db, "DELETE FROM body_members WHERE body_id = ?1 AND user_id = ?2", "it",
		     (sqlite3_int64)body_id, user) < 0)
		return -1;
	return sqlite3_changes(db) > 0;
}

int body_member_kind(const struct wt_body *b, const char *user)
{
	for (size_t i = 0; i < b->nmembers; i++)
		if (strcmp(b->members[i].user, user) == 0)
			return b->members[i].advisory ? BODY_ADVISORY : BODY_MEMBER;
	return BODY_NOT_MEMBER;
}

/* The meeting whose row id the bound st gives (its first column). */
static int meeting_of(sqlite3 *db, sqlite3_stmt *st, struct wt_meeting *out)
{
	long long id = 0;
	int found = db_step_one(st, &id);
	if (found <= 0)
		return found;
	return meeting_by_id(db, id, out);
}

/* The room's body's id: 1 and *id, 0 when the room has none. */
static int room_body_id(sqlite3 *db, const char *network, const char *room, long long *id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT body_id FROM body_rooms"
				      " WHERE network = ?1 AND room = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, room, -1, SQLITE_STATIC);
	}
	return db_step_one(st, id);
}

int body_meeting_next_for_room(sqlite3 *db, const char *network, const char *room,
			       time_t now, struct wt_meeting *out)
{
	long long body = 0;
	int has = room ? room_body_id(db, network, room, &body) : 0;
	if (has < 0)
		return -1;
	if (!has)
		return meeting_next(db, network, now, out);
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM meetings"
		" WHERE body_id = ?1 AND state IN ('planned','open')"
		" AND (state = 'open' OR starts_at + duration_min * 60 > ?2)"
		" ORDER BY starts_at, short_id LIMIT 1");
	if (st) {
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	}
	return meeting_of(db, st, out);
}

int body_meeting_next_after(sqlite3 *db, long long body_id, time_t after,
			    struct wt_meeting *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM meetings"
		" WHERE body_id = ?1 AND state = 'planned' AND starts_at > ?2"
		" ORDER BY starts_at, short_id LIMIT 1");
	if (st) {
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)after);
	}
	return meeting_of(db, st, out);
}

int body_meeting_next_after_for_room(sqlite3 *db, const char *network, const char *room,
				     time_t after, struct wt_meeting *out)
{
	long long body = 0;
	int has = room ? room_body_id(db, network, room, &body) : 0;
	if (has < 0)
		return -1;
	if (!has)
		return meeting_next_after(db, network, after, 0, out);
	return body_meeting_next_after(db, body, after, out);
}
