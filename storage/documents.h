/* documents: the papers of a meeting or of an agenda item (table
 * documents, migration 32), and the file messages the sync saw in the
 * networks' rooms (table room_files), from which `!stuk` sent as a reply
 * to one takes the file's details.
 *
 * A document is a link (an http(s) URL) or a file: a file message in a
 * network's room, kept by its event (room_id, event_id) with its mxc://
 * URL or, from an encrypted room, the EncryptedFile object whole (file,
 * JSON): the file stays encrypted and is linked as the same event. It
 * belongs either to a meeting (meeting_id) or to an agenda item
 * (item_id), and then goes with the item when the item moves. Its short
 * id is stable per network (db_next_id "document").
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_DOCUMENTS_H
#define WT_STORAGE_DOCUMENTS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

/* A file message as the sync saw it (every string owned, NULL: absent). */
struct wt_room_file {
	char *event_id;
	char *room_id;
	char *sender;
	char *msgtype;     /* m.file, m.image, m.video or m.audio */
	char *name;        /* the file name (filename, else body) */
	char *url;         /* mxc:// of an unencrypted file */
	char *file;        /* the EncryptedFile object (JSON) of an encrypted one */
	char *mimetype;
	long long size;    /* bytes; 0: unknown */
	time_t seen_at;
};

/* How long room_files keeps a file message: a year (a file posted for a
 * meeting is attached within weeks). */
#define ROOM_FILES_KEEP_DAYS 366

/* Note a file message (event_id, room_id, sender, msgtype, name and
 * seen_at required; one seen before is left as it was) and forget those
 * older than ROOM_FILES_KEEP_DAYS. 0 or negative. */
int room_file_note(sqlite3 *db, const struct wt_room_file *f);
/* The file message event_id of room_id. */
int room_file_get(sqlite3 *db, const char *room_id, const char *event_id,
		  struct wt_room_file *out);
/* Forget a file message of room_id (it was deleted), and the documents
 * that were that message: a deleted file is no document any more (and
 * the keys of an encrypted one go with it). Absent is fine. The number of
 * documents removed, or negative. */
int room_file_forget(sqlite3 *db, const char *room_id, const char *event_id);
void room_file_free(struct wt_room_file *f);

enum doc_kind { DOC_LINK = 0, DOC_FILE = 1 };

struct wt_document {
	long long id;            /* row id */
	long long short_id;      /* what people type */
	char *network;
	long long meeting_id;    /* the meeting it belongs to; 0: an item's */
	long long item_id;       /* the agenda item (row id); 0: a meeting's */
	enum doc_kind kind;
	char *title;
	char *url;               /* link: its URL; file: mxc:// or NULL */
	char *room_id;           /* file: its message; NULL for a link */
	char *event_id;
	char *msgtype;           /* file: m.file, m.image, ... */
	char *file;              /* file: the EncryptedFile JSON, or NULL */
	char *mimetype;
	long long size;
	char *added_by;          /* who attached it */
	time_t added_at;
};

/* Insert d (network, meeting_id or item_id, kind, title, added_by and
 * added_at required) with a new short id; fills id and short_id. */
int document_add(sqlite3 *db, struct wt_document *d);
int document_by_short_id(sqlite3 *db, const char *network, long long short_id,
			 struct wt_document *out);
/* Delete the document (row id). 0 or negative. */
int document_delete(sqlite3 *db, long long id);

/* The documents of agenda item item_id (row id), in the order attached.
 * The count or negative; free with documents_free. */
int documents_of_item(sqlite3 *db, long long item_id, struct wt_document **v);
/* The documents of meeting meeting_id (row id) itself, without those of
 * its items, in the order attached. */
int documents_of_meeting(sqlite3 *db, long long meeting_id, struct wt_document **v);
void documents_free(struct wt_document *v, size_t n);
void document_free(struct wt_document *d);

#endif
