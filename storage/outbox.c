#include "storage/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "storage/db.h"

/* Random hex for txn ids, so that ids stay unique even across databases
 * that were reset while the homeserver still remembers old txn ids. */
static void random_hex(char *out, size_t nbytes)
{
	unsigned char raw[16];
	if (nbytes > sizeof raw)
		nbytes = sizeof raw;
	if (getrandom(raw, nbytes, 0) != (ssize_t)nbytes) {
		static unsigned long long counter;
		unsigned long long x = (unsigned long long)time(NULL) * 2654435761ULL
			^ ((unsigned long long)getpid() << 32) ^ ++counter;
		for (size_t i = 0; i < nbytes; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			raw[i] = (unsigned char)(x >> 56);
		}
	}
	for (size_t i = 0; i < nbytes; i++)
		sprintf(out + 2 * i, "%02x", raw[i]);
}

int outbox_enqueue(sqlite3 *db, const char *room_id, const char *to_user,
		   const char *event_type, const char *content, time_t now,
		   long long *id_out)
{
	char rnd[33];
	if (!room_id && !to_user)
		return -1;
	random_hex(rnd, 8);
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "wt-new-%s", rnd);
	sqlite3_stmt *st = db_prepare(db,
		"INSERT INTO outbox(room_id, to_user, txn_id, event_type, content,"
		" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
	long long id = -1;
	if (st) {
		if (room_id)
			sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
		if (to_user)
			sqlite3_bind_text(st, 2, to_user, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, tmp.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, event_type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, content, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		db_done(st);
	}
	int rc = -1;
	if (id > 0) {
		sb_reset(&tmp);
		sb_addf(&tmp, "wt-%lld-%s", id, rnd);
		rc = db_execf(db, "UPDATE outbox SET txn_id = ?1 WHERE id = ?2",
			      "ti", tmp.buf, (sqlite3_int64)id);
	}
	sb_release(&tmp);
	if (rc == 0 && id_out)
		*id_out = id;
	return rc;
}

int outbox_enqueue_file(sqlite3 *db, const char *room_id, const char *to_user,
			const char *content, const char *filename,
			const char *mimetype, const char *data, time_t now,
			long long *id_out)
{
	long long id;
	if (outbox_enqueue(db, room_id, to_user, "m.room.message", content, now, &id) < 0)
		return -1;
	if (db_execf(db, "UPDATE outbox SET upload = ?1, upload_name = ?2,"
		     " upload_type = ?3 WHERE id = ?4", "ttti", data, filename,
		     mimetype, (sqlite3_int64)id) < 0)
		return -1;
	if (id_out)
		*id_out = id;
	return 0;
}

int outbox_set_uploaded(sqlite3 *db, long long id, const char *content)
{
	return db_execf(db, "UPDATE outbox SET content = ?1, upload = NULL,"
			" upload_name = NULL, upload_type = NULL WHERE id = ?2",
			"ti", content, (sqlite3_int64)id);
}

int outbox_set_file(sqlite3 *db, long long id, const char *content,
		    const char *data, const char *filename, const char *mimetype)
{
	return db_execf(db, "UPDATE outbox SET content = ?1, upload = ?2,"
			" upload_name = ?3, upload_type = ?4 WHERE id = ?5",
			"tttti", content, data, filename,
			mimetype, (sqlite3_int64)id);
}

int outbox_set_sealed(sqlite3 *db, long long id, const char *content)
{
	return db_execf(db, "UPDATE outbox SET event_type = 'm.room.encrypted',"
			" content = ?1 WHERE id = ?2", "ti", content,
			(sqlite3_int64)id);
}

/* Step st and read its row (the columns of ROW_COLUMNS) into row: 1, 0
 * when there is none, negative on error. Finalizes st. */
static int read_row(sqlite3_stmt *st, struct outbox_row *row)
{
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW) {
		row->id = sqlite3_column_int64(st, 0);
		row->room_id = db_col_dup(st, 1);
		row->to_user = db_col_dup(st, 2);
		row->txn_id = db_col_dup(st, 3);
		row->event_type = db_col_dup(st, 4);
		row->content = db_col_dup(st, 5);
		row->attempts = sqlite3_column_int(st, 6);
		row->upload = db_col_dup(st, 7);
		row->upload_name = db_col_dup(st, 8);
		row->upload_type = db_col_dup(st, 9);
		row->tried = sqlite3_column_int(st, 10);
		row->answers = db_col_dup(st, 11);
		row->grp = db_col_dup(st, 12);
		row->state_key = db_col_dup(st, 13);
		row->refused_content = db_col_dup(st, 14);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
	}
	db_done(st);
	return found;
}

#define ROW_COLUMNS "SELECT id, room_id, to_user, txn_id, event_type, content," \
		    " attempts, upload, upload_name, upload_type, tried, answers, grp," \
		    " state_key, refused_content FROM outbox"

int outbox_next_for_room(sqlite3 *db, const char *room_id, struct outbox_row *row)
{
	memset(row, 0, sizeof *row);
	sqlite3_stmt *st = db_prepare(db, ROW_COLUMNS
		" WHERE room_id = ?1 AND failed_at IS NULL ORDER BY id LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	return read_row(st, row);
}

int outbox_next_for_room_turn(sqlite3 *db, const char *room_id, const char *last,
			      struct outbox_row *row)
{
	memset(row, 0, sizeof *row);
	sqlite3_stmt *st = db_prepare(db, ROW_COLUMNS
		" WHERE room_id = ?1 AND failed_at IS NULL"
		" ORDER BY ?2 IS NOT NULL AND answers IS ?2, id LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	if (last)
		sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
	return read_row(st, row);
}

int outbox_set_state(sqlite3 *db, long long id, const char *state_key,
		     const char *refused_content)
{
	return db_execf(db, "UPDATE outbox SET state_key = ?1, refused_content = ?2"
			" WHERE id = ?3", "tti", state_key, refused_content,
			(sqlite3_int64)id);
}

int outbox_set_answers(sqlite3 *db, long long id, const char *user)
{
	return db_execf(db, "UPDATE outbox SET answers = ?1 WHERE id = ?2", "ti",
			user, (sqlite3_int64)id);
}

int outbox_set_group(sqlite3 *db, long long id, const char *grp)
{
	return db_execf(db, "UPDATE outbox SET grp = ?1 WHERE id = ?2", "ti",
			grp, (sqlite3_int64)id);
}

/* The first id (MIN) a query over room_id's pending rows gives: >0, 0
 * when there is none, negative on error. */
static long long first_id(sqlite3 *db, const char *sql, const char *room_id)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	long long id = -1;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		id = 0;
	db_done(st);
	return id;
}

/* The busy ids as a JSON array text ("[4,7]") for json_each. */
static void busy_json(struct strbuf *sb, const long long *busy, size_t nbusy)
{
	sb_add(sb, "[");
	for (size_t i = 0; i < nbusy; i++)
		sb_addf(sb, "%s%lld", i ? "," : "", busy[i]);
	sb_add(sb, "]");
}

/* Whether room_id has a waiting row that is not busy (a JSON array of
 * ids): 1 yes, 0 no, negative on error. */
static int any_idle(sqlite3 *db, const char *room_id, const char *busy)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM outbox WHERE room_id = ?1"
				      " AND failed_at IS NULL"
				      " AND id NOT IN (SELECT value FROM json_each(?2)) LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, busy, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The oldest row of user (NULL: of anyone) in room_id that may go beside
 * the busy ones: grouped, older than the first ungrouped row (before:
 * 0 for none), not busy, and the first of its group still here. */
static int next_grouped(sqlite3 *db, const char *room_id, const char *user,
			long long before, const char *busy, struct outbox_row *row)
{
	sqlite3_stmt *st = db_prepare(db, user
		? ROW_COLUMNS " AS o"
		  " WHERE room_id = ?1 AND answers = ?4 AND failed_at IS NULL"
		  " AND grp IS NOT NULL AND (?2 = 0 OR id < ?2)"
		  " AND id NOT IN (SELECT value FROM json_each(?3))"
		  " AND NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.room_id = ?1"
		  "  AND p.grp = o.grp AND p.id < o.id AND p.failed_at IS NULL)"
		  " ORDER BY id LIMIT 1"
		: ROW_COLUMNS " AS o WHERE room_id = ?1 AND failed_at IS NULL"
		  " AND grp IS NOT NULL AND (?2 = 0 OR id < ?2)"
		  " AND id NOT IN (SELECT value FROM json_each(?3))"
		  " AND NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.room_id = ?1"
		  "  AND p.grp = o.grp AND p.id < o.id AND p.failed_at IS NULL)"
		  " ORDER BY id LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)before);
	sqlite3_bind_text(st, 3, busy, -1, SQLITE_STATIC);
	if (user)
		sqlite3_bind_text(st, 4, user, -1, SQLITE_STATIC);
	return read_row(st, row);
}

/* The user after last (cyclic, by user id) among those with grouped rows
 * waiting in room_id, or NULL; caller frees. */
static char *user_after(sqlite3 *db, const char *room_id, const char *last)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT answers FROM outbox"
		" WHERE room_id = ?1 AND failed_at IS NULL AND answers > ?2"
		" ORDER BY answers LIMIT 1");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, last ? last : "", -1, SQLITE_STATIC);
	char *u = sqlite3_step(st) == SQLITE_ROW ? db_col_dup(st, 0) : NULL;
	db_done(st);
	if (!u && last && *last)
		return user_after(db, room_id, NULL);  /* round again */
	return u;
}

int outbox_next_sendable(sqlite3 *db, const char *room_id, const char *last,
			 const long long *busy, size_t nbusy, struct outbox_row *row)
{
	memset(row, 0, sizeof *row);
	struct strbuf ids = STRBUF_INIT;
	busy_json(&ids, busy, nbusy);
	int rc = nbusy ? any_idle(db, room_id, ids.buf) : 1;
	if (rc <= 0) {
		/* All the room's waiting rows are on their way (a reply sent,
		 * its command's next one behind it): nothing to look for. */
		sb_release(&ids);
		return rc;
	}
	long long first = first_id(db, "SELECT MIN(id) FROM outbox WHERE room_id = ?1"
				   " AND failed_at IS NULL", room_id);
	long long fence = first_id(db, "SELECT MIN(id) FROM outbox"
				   " WHERE room_id = ?1 AND grp IS NULL"
				   " AND failed_at IS NULL", room_id);
	if (first <= 0 || fence < 0 || (fence == first && nbusy)) {
		sb_release(&ids);
		return first < 0 || fence < 0 ? -1 : 0;
	}
	if (fence == first) {
		/* An ungrouped row goes alone, after all before it. */
		sb_release(&ids);
		sqlite3_stmt *st = db_prepare(db, ROW_COLUMNS " WHERE id = ?1");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)fence);
		return read_row(st, row);
	}
	/* Taking turns: the users in order of their ids, each in turn
	 * with their oldest row that may go; a few tries, then anyone's. */
	rc = 0;
	char *user = user_after(db, room_id, last);
	for (int tries = 0; user && tries < OUTBOX_TURN_TRIES && rc == 0; tries++) {
		rc = next_grouped(db, room_id, user, fence, ids.buf, row);
		char *n = rc == 0 ? user_after(db, room_id, user) : NULL;
		free(user);
		user = n;
		if (user && last && strcmp(user, last) == 0)
			break;  /* went round */
	}
	free(user);
	if (rc == 0)
		rc = next_grouped(db, room_id, NULL, fence, ids.buf, row);
	sb_release(&ids);
	return rc;
}

int outbox_next_pending(sqlite3 *db, struct outbox_row *row)
{
	memset(row, 0, sizeof *row);
	sqlite3_stmt *st = db_prepare(db, ROW_COLUMNS
		" WHERE failed_at IS NULL ORDER BY id LIMIT 1");
	return st ? read_row(st, row) : -1;
}

void outbox_row_free(struct outbox_row *row)
{
	free(row->room_id);
	free(row->to_user);
	free(row->txn_id);
	free(row->event_type);
	free(row->content);
	free(row->upload);
	free(row->upload_name);
	free(row->upload_type);
	free(row->answers);
	free(row->grp);
	free(row->state_key);
	free(row->refused_content);
	memset(row, 0, sizeof *row);
}

int outbox_pending_rooms(sqlite3 *db, char ***rooms)
{
	*rooms = NULL;
	sqlite3_stmt *st = db_prepare(db,
		"SELECT room_id FROM outbox WHERE room_id IS NOT NULL"
		" AND failed_at IS NULL GROUP BY room_id ORDER BY MIN(id)");
	if (!st)
		return -1;
	size_t n = 0, cap = 4;
	char **v = xmalloc(cap * sizeof *v);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n + 1 >= cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = db_col_dup(st, 0);
	}
	v[n] = NULL;
	db_done(st);
	*rooms = v;
	return (int)n;
}

void outbox_rooms_free(char **rooms)
{
	for (size_t i = 0; rooms && rooms[i]; i++)
		free(rooms[i]);
	free(rooms);
}

int outbox_count_pending(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT COUNT(*) FROM outbox WHERE failed_at IS NULL");
	int n = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	db_done(st);
	return n;
}

int outbox_delete(sqlite3 *db, long long id)
{
	return db_execf(db, "DELETE FROM outbox WHERE id = ?1", "i",
			(sqlite3_int64)id);
}

int outbox_note_attempt(sqlite3 *db, long long id, const char *error)
{
	return db_execf(db, "UPDATE outbox SET attempts = attempts + 1,"
			" last_error = ?2 WHERE id = ?1", "it",
			(sqlite3_int64)id, error);
}

int outbox_mark_tried(sqlite3 *db, long long id)
{
	return db_execf(db, "UPDATE outbox SET tried = 1 WHERE id = ?1 AND tried = 0",
			"i", (sqlite3_int64)id);
}

int outbox_mark_failed(sqlite3 *db, long long id, const char *error, time_t now)
{
	return db_execf(db, "UPDATE outbox SET attempts = attempts + 1,"
			" last_error = ?2, failed_at = ?3 WHERE id = ?1", "iti",
			(sqlite3_int64)id, error, (sqlite3_int64)now);
}

int outbox_assign_room(sqlite3 *db, const char *to_user, const char *room_id)
{
	return db_execf(db, "UPDATE outbox SET room_id = ?2"
			" WHERE to_user = ?1 AND room_id IS NULL", "tt",
			to_user, room_id);
}

char *outbox_next_direct_user_dup(sqlite3 *db)
{
	return db_text_dup(db, "SELECT to_user FROM outbox WHERE room_id IS NULL"
			   " AND to_user IS NOT NULL AND failed_at IS NULL"
			   " ORDER BY id LIMIT 1", NULL);
}

int outbox_fail_direct(sqlite3 *db, const char *to_user, const char *why, time_t now)
{
	return db_execf(db, "UPDATE outbox SET failed_at = ?1, last_error = ?2"
			" WHERE to_user = ?3 AND room_id IS NULL AND failed_at IS NULL",
			"itt", (sqlite3_int64)now, why, to_user);
}
