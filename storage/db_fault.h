/* db_fault: storage faults told apart, said once, waited out or fatal.
 *
 * Every SQLite error of the process passes through here: SQLite's error
 * log (installed by db_open), the busy handler, and the statements of
 * storage/db.c. A fault is said ONCE at error level, with what to do:
 *
 *   locked (another program holds a write lock for more than 5 s), disk
 *   full, I/O error: werktafel retries; the first commit that works again
 *   is said at info level ("writing works again").
 *   read-only (file, directory or file system) and damaged (corrupt page,
 *   not a database): waiting cannot help; db_fault_fatal() turns true and
 *   the bot stops with exit status DB_EXIT_UNUSABLE. */
#ifndef WT_DB_FAULT_H
#define WT_DB_FAULT_H

/* The exit status when the database cannot be used (bot and console). */
#define DB_EXIT_UNUSABLE 4
/* How long a statement waits for another program's lock. */
#define DB_BUSY_MS 5000

enum db_fault {
	DB_FAULT_NONE = 0,
	DB_FAULT_BUSY,      /* locked by another program: wait */
	DB_FAULT_FULL,      /* the disk is full: wait */
	DB_FAULT_IO,        /* an I/O error: wait */
	DB_FAULT_READONLY,  /* cannot write or create the files: fatal */
	DB_FAULT_CORRUPT,   /* damaged, or not a database: fatal */
};

/* The fault an SQLite result code stands for (NONE for others, e.g. a
 * constraint). */
enum db_fault db_fault_of(int sqlite_rc);
int db_fault_is_fatal(enum db_fault f);

/* Install SQLite's error log hook (once, before the first connection;
 * db_open calls it). Returns 0, or negative when SQLite was already in
 * use (then only the busy handler and storage/db.c note faults). */
int db_fault_init(void);
/* The database file the messages name. */
void db_fault_set_path(const char *path);

/* A statement failed with sqlite_rc (detail: SQLite's message or NULL):
 * say it once when it is a fault. */
void db_fault_note(int sqlite_rc, const char *detail);
/* The fault said and not yet over (NONE when all is well). */
enum db_fault db_fault_current(void);
/* A fatal fault was seen: the caller should stop. */
int db_fault_fatal(void);
/* Counts the faults noted: a commit that noted none since it began and
 * worked ends a waiting fault (db_fault_write_ok). */
unsigned db_fault_seq(void);
void db_fault_write_ok(unsigned seq_before);
/* What is wrong and what to do, as said at error level (db_open puts it
 * in its error message). */
struct strbuf;
void db_fault_text(enum db_fault f, const char *detail, struct strbuf *out);
/* While on, faults are noted but not said (db_open says them itself). */
void db_fault_quiet(int on);
/* Forget every fault (db_open after a good open; tests). */
void db_fault_reset(void);

/* SQLite's busy handler with the DB_BUSY_MS limit; notes BUSY when it
 * gives up. */
int db_fault_busy(void *arg, int count);

#endif
