/* sync_files: the file messages of the networks' rooms, noted as the sync
 * sees them (storage/documents.h's room_files), so that `!stuk` sent as a
 * reply to one finds the file without asking the homeserver (a client
 * such as Element sends replies without a fallback, and the fallback
 * never held the file's URL or keys anyway). In an encrypted room the
 * event comes decrypted (bot/e2ee.c), its EncryptedFile object is kept
 * whole: the file stays encrypted. */
#ifndef WT_BOT_SYNC_FILES_H
#define WT_BOT_SYNC_FILES_H

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

/* Note ev when it is a file message (m.room.message with msgtype m.file,
 * m.image, m.video or m.audio and a URL or an EncryptedFile), forget the
 * one a redaction deletes, with the documents that were it (a deleted
 * file is no document any more); anything else is left alone. 0 or negative on
 * a database error. */
int sync_note_file(sqlite3 *db, const char *room_id, json_t *ev, time_t now);

#endif
