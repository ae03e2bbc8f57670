/* backup: consistent copies of the live database (issue 23, item 6).
 *
 * db_backup_to copies with SQLite's online backup API: one step over the
 * whole file reads one snapshot (WAL: the running bot keeps writing
 * meanwhile and is never blocked), into a temporary file next to the
 * target that is checked (PRAGMA integrity_check) and then renamed, so the
 * target is either the old file or a whole, checked copy. Copies are 0600.
 *
 * db_open makes one before it migrates an existing database
 * (db_backup_before_migration): "<database>.backup-<UTC time>-v<version>",
 * keeping the newest DB_BACKUPS_KEPT of them. Restoring is one step with
 * the bot stopped: copy the backup over the database and remove the
 * database's -wal and -shm (README, "Storage faults and backups"). */
#ifndef WT_STORAGE_BACKUP_H
#define WT_STORAGE_BACKUP_H

#include <sqlite3.h>

#include "lib/strbuf.h"

#define DB_BACKUPS_KEPT 3

/* Outcomes of the backup functions. */
enum backup_outcome {
	BACKUP_FAILED = -1,    /* nothing at dest changed; why is in err */
	BACKUP_DONE = 0,
};

/* Copy the open database db to dest (replaced when it exists). */
enum backup_outcome db_backup_to(sqlite3 *db, const char *dest, struct strbuf *err);
/* The copy before migrating from version `from`, in path's directory,
 * and the older ones beyond DB_BACKUPS_KEPT removed; the copy's name in
 * made (may be NULL). */
enum backup_outcome db_backup_before_migration(sqlite3 *db, const char *path, int from,
					       struct strbuf *made, struct strbuf *err);

#endif
