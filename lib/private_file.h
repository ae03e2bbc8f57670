/* private_file: files that hold personal data or secrets (the database and
 * its -wal and -shm, the token file, the crypto store, backups, exports)
 * are readable by their owner only. */
#ifndef WT_PRIVATE_FILE_H
#define WT_PRIVATE_FILE_H

/* Outcomes of private_tighten and private_create. */
enum private_outcome {
	PRIVATE_ERROR = -1,    /* stat, chmod or open failed (logged) */
	PRIVATE_OK = 0,        /* already private, or absent */
	PRIVATE_TIGHTENED = 1, /* group or others had rights: taken off, logged */
};

/* Take every right of group and others off an existing file or directory
 * (0644 becomes 0600, 0444 stays write-protected as 0400), with a warning
 * naming the old and new mode; absent is fine. */
enum private_outcome private_tighten(const char *path);
/* Create path 0600 when absent (empty), else private_tighten it; a
 * failure to create is not logged (the caller's open says why). */
enum private_outcome private_create(const char *path);
/* private_tighten a directory and every file directly in it. */
enum private_outcome private_tighten_dir(const char *dir);
/* 1 when group or others may read path, 0 when not (or absent). */
int private_readable_by_others(const char *path);

#endif
