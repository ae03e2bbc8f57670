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
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
	}
	db_done(st);
	return found;
}

#define ROW_COLUMNS "SELECT id, room_id, to_user, txn_id, event_type, content," \
		    " attempts, upload, upload_name, upload_type, tried, answers FROM outbox"

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

int outbox_set_answers(sqlite3 *db, long long id, const char *user)
{
	return db_execf(db, "UPDATE outbox SET answers = ?1 WHERE id = ?2", "ti",
			user, (sqlite3_int64)id);
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
