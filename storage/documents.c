/* documents: a meeting's and an agenda item's papers, and the file
 * messages seen in the networks' rooms; see documents.h. */
#include "storage/documents.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/db.h"

/* ---- room_files ---- */

int room_file_note(sqlite3 *db, const struct wt_room_file *f)
{
	long long keep = (long long)ROOM_FILES_KEEP_DAYS * 86400;
	if (db_execf(db, "DELETE FROM room_files WHERE seen_at < ?1", "i",
		     (sqlite3_int64)((long long)f->seen_at - keep)) < 0)
		return -1;
	return db_execf(db, "INSERT INTO room_files(event_id, room_id, sender, msgtype,"
			" name, url, file, mimetype, size, seen_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
			" ON CONFLICT(event_id) DO NOTHING", "ttttttttii",
			f->event_id, f->room_id, f->sender, f->msgtype, f->name, f->url,
			f->file, f->mimetype, (sqlite3_int64)f->size,
			(sqlite3_int64)f->seen_at);
}

int room_file_get(sqlite3 *db, const char *room_id, const char *event_id,
		  struct wt_room_file *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_prepare(db, "SELECT event_id, room_id, sender, msgtype, name,"
		" url, file, mimetype, size, seen_at FROM room_files"
		" WHERE event_id = ?1 AND room_id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, room_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		out->event_id = db_col_dup(st, 0);
		out->room_id = db_col_dup(st, 1);
		out->sender = db_col_dup(st, 2);
		out->msgtype = db_col_dup(st, 3);
		out->name = db_col_dup(st, 4);
		out->url = db_col_dup(st, 5);
		out->file = db_col_dup(st, 6);
		out->mimetype = db_col_dup(st, 7);
		out->size = sqlite3_column_int64(st, 8);
		out->seen_at = (time_t)sqlite3_column_int64(st, 9);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int room_file_forget(sqlite3 *db, const char *room_id, const char *event_id)
{
	if (db_execf(db, "DELETE FROM room_files WHERE event_id = ?1 AND room_id = ?2", "tt",
		     event_id, room_id) < 0
	    || db_execf(db, "DELETE FROM documents WHERE event_id = ?1 AND room_id = ?2"
			" AND kind = 'file'", "tt", event_id, room_id) < 0)
		return -1;
	return sqlite3_changes(db);
}

void room_file_free(struct wt_room_file *f)
{
	free(f->event_id);
	free(f->room_id);
	free(f->sender);
	free(f->msgtype);
	free(f->name);
	free(f->url);
	free(f->file);
	free(f->mimetype);
	memset(f, 0, sizeof *f);
}

/* ---- documents ---- */

#define DOC_COLS \
	"id, short_id, network, meeting_id, item_id, kind, title, url, room_id," \
	" event_id, msgtype, file, mimetype, size, added_by, added_at"

/* Fill d from a row selected with DOC_COLS. */
static void doc_from_row(sqlite3_stmt *st, struct wt_document *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(st, 0);
	d->short_id = sqlite3_column_int64(st, 1);
	d->network = db_col_dup(st, 2);
	d->meeting_id = sqlite3_column_int64(st, 3);
	d->item_id = sqlite3_column_int64(st, 4);
	const char *kind = (const char *)sqlite3_column_text(st, 5);
	d->kind = kind && strcmp(kind, "file") == 0 ? DOC_FILE : DOC_LINK;
	d->title = db_col_dup(st, 6);
	d->url = db_col_dup(st, 7);
	d->room_id = db_col_dup(st, 8);
	d->event_id = db_col_dup(st, 9);
	d->msgtype = db_col_dup(st, 10);
	d->file = db_col_dup(st, 11);
	d->mimetype = db_col_dup(st, 12);
	d->size = sqlite3_column_int64(st, 13);
	d->added_by = db_col_dup(st, 14);
	d->added_at = (time_t)sqlite3_column_int64(st, 15);
}

/* Bind a row id, NULL for 0. */
static void bind_id(sqlite3_stmt *st, int i, long long id)
{
	if (id > 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

int document_add(sqlite3 *db, struct wt_document *d)
{
	long long sid = db_next_id(db, d->network, "document");
	if (sid < 0)
		return -1;
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO documents(network, short_id,"
		" meeting_id, item_id, kind, title, url, room_id, event_id, msgtype, file,"
		" mimetype, size, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, d->network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sid);
	bind_id(st, 3, d->item_id > 0 ? 0 : d->meeting_id);
	bind_id(st, 4, d->item_id);
	sqlite3_bind_text(st, 5, d->kind == DOC_FILE ? "file" : "link", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, d->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, d->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, d->room_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, d->event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, d->msgtype, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, d->file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, d->mimetype, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, d->size);
	sqlite3_bind_text(st, 14, d->added_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, (sqlite3_int64)d->added_at);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	d->id = sqlite3_last_insert_rowid(db);
	d->short_id = sid;
	return 0;
}

int document_by_short_id(sqlite3 *db, const char *network, long long short_id,
			 struct wt_document *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_prepare(db, "SELECT " DOC_COLS " FROM documents"
				      " WHERE network = ?1 AND short_id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, short_id);
	int rc = sqlite3_step(st), res = 0;
	if (rc == SQLITE_ROW) {
		doc_from_row(st, out);
		res = 1;
	} else if (rc != SQLITE_DONE) {
		res = -1;
	}
	db_done(st);
	return res;
}

int document_delete(sqlite3 *db, long long id)
{
	return db_execf(db, "DELETE FROM documents WHERE id = ?1", "i", (sqlite3_int64)id);
}

/* Every row of st (bound, ready to step) into *v; the count, or -1. */
static int doc_collect(sqlite3_stmt *st, struct wt_document **v)
{
	size_t n = 0;
	struct wt_document *arr = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = xrealloc(arr, (n + 1) * sizeof *arr);
		doc_from_row(st, &arr[n++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		documents_free(arr, n);
		return -1;
	}
	*v = arr;
	return (int)n;
}

int documents_of_item(sqlite3 *db, long long item_id, struct wt_document **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " DOC_COLS " FROM documents"
				      " WHERE item_id = ?1 ORDER BY id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, item_id);
	return doc_collect(st, v);
}

int documents_of_meeting(sqlite3 *db, long long meeting_id, struct wt_document **v)
{
	*v = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT " DOC_COLS " FROM documents"
				      " WHERE meeting_id = ?1 ORDER BY id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	return doc_collect(st, v);
}

void document_free(struct wt_document *d)
{
	free(d->network);
	free(d->title);
	free(d->url);
	free(d->room_id);
	free(d->event_id);
	free(d->msgtype);
	free(d->file);
	free(d->mimetype);
	free(d->added_by);
	memset(d, 0, sizeof *d);
}

void documents_free(struct wt_document *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		document_free(&v[i]);
	free(v);
}
