#include "storage/db_fault.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/strbuf.h"

/* One database per process: the state is global (SQLite's log hook has no
 * connection to tell them apart anyway). */
static struct {
	enum db_fault current;  /* said and not over */
	int fatal;
	int quiet;              /* db_open: its caller says it */
	unsigned seq;
	char *path;
} st;

enum db_fault db_fault_of(int sqlite_rc)
{
	switch (sqlite_rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_FAULT_BUSY;
	case SQLITE_FULL:
		return DB_FAULT_FULL;
	case SQLITE_IOERR:
		return DB_FAULT_IO;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return DB_FAULT_READONLY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return DB_FAULT_CORRUPT;
	default:
		return DB_FAULT_NONE;
	}
}

int db_fault_is_fatal(enum db_fault f)
{
	return f == DB_FAULT_READONLY || f == DB_FAULT_CORRUPT;
}

/* SQLite's error log: every error of every connection passes here. */
static void on_sqlite_log(void *arg, int rc, const char *msg)
{
	if (db_fault_of(rc) != DB_FAULT_NONE)
		db_fault_note(rc, msg);
}

int db_fault_init(void)
{
	/* SQLite's log callback is process-wide (sqlite3_config). */
	static int done;
	if (done)
		return done > 0 ? 0 : -1;
	done = sqlite3_config(SQLITE_CONFIG_LOG, on_sqlite_log, NULL) == SQLITE_OK
	       ? 1 : -1;
	return done > 0 ? 0 : -1;
}

void db_fault_set_path(const char *path)
{
	free(st.path);
	st.path = path ? xstrdup(path) : NULL;
}

void db_fault_text(enum db_fault f, const char *detail, struct strbuf *out)
{
	const char *path = st.path ? st.path : "(database)";
	struct strbuf d = STRBUF_INIT;
	if (detail && *detail) {
		/* One line: quick_check's report has several. */
		sb_add(&d, " (");
		for (const char *p = detail; *p; p++)
			sb_addc(&d, *p == '\n' ? ' ' : *p);
		sb_add(&d, ")");
	}
	switch (f) {
	case DB_FAULT_BUSY:
		sb_addf(out, "database %s: locked by another program for more than "
			  "%d s (an sqlite3 shell or a backup holding a write "
			  "transaction?); end that program's transaction; werktafel "
			  "waits, retries and goes on by itself", path,
			  DB_BUSY_MS / 1000);
		break;
	case DB_FAULT_FULL:
		sb_addf(out, "database %s: the disk is full%s; free space on its file "
			  "system; werktafel waits, retries and goes on by itself",
			  path, d.buf);
		break;
	case DB_FAULT_IO:
		sb_addf(out, "database %s: I/O error%s; check the disk and the system "
			  "log (dmesg); werktafel retries", path, d.buf);
		break;
	case DB_FAULT_READONLY:
		sb_addf(out, "database %s: cannot be written%s: the file, its directory "
			  "or the file system is read-only for this user (uid %d); "
			  "give it write access to the file and its directory, then "
			  "start werktafel again; stopping (exit status %d)", path,
			  d.buf, (int)getuid(), DB_EXIT_UNUSABLE);
		break;
	case DB_FAULT_CORRUPT:
		sb_addf(out, "database %s: the file is damaged%s; stop werktafel, "
			  "restore the newest backup (or try `sqlite3 %s .recover`) "
			  "and start again; stopping (exit status %d)", path, d.buf,
			  path, DB_EXIT_UNUSABLE);
		break;
	case DB_FAULT_NONE:
		break;
	}
	sb_release(&d);
}

/* Say what is wrong with the database and what to do, at error level. */
static void say(enum db_fault f, const char *detail)
{
	if (st.quiet)
		return;
	struct strbuf sb = STRBUF_INIT;
	db_fault_text(f, detail, &sb);
	log_error("%s", sb.buf);
	sb_release(&sb);
}

void db_fault_quiet(int on)
{
	st.quiet = on;
}

void db_fault_note(int sqlite_rc, const char *detail)
{
	enum db_fault f = db_fault_of(sqlite_rc);
	if (f == DB_FAULT_NONE)
		return;
	st.seq++;
	if (st.fatal)
		return;  /* said; the bot is stopping */
	if (db_fault_is_fatal(f)) {
		st.fatal = 1;
		st.current = f;
		say(f, NULL);  /* SQLite's message adds nothing here */
		return;
	}
	if (st.current == f)
		return;  /* said once; not at every retry */
	st.current = f;
	/* SQLite's own log message says nothing more for these. */
	say(f, f == DB_FAULT_IO ? detail : NULL);
}

enum db_fault db_fault_current(void)
{
	return st.current;
}

int db_fault_fatal(void)
{
	return st.fatal;
}

unsigned db_fault_seq(void)
{
	return st.seq;
}

void db_fault_write_ok(unsigned seq_before)
{
	if (st.fatal || st.current == DB_FAULT_NONE || st.seq != seq_before)
		return;
	log_info("database %s: writing works again",
		 st.path ? st.path : "(database)");
	st.current = DB_FAULT_NONE;
}

void db_fault_reset(void)
{
	st.current = DB_FAULT_NONE;
	st.fatal = 0;
	st.seq = 0;
}

int db_fault_busy(void *arg, int count)
{
	/* Short waits first (most locks are brief), then 100 ms steps. */
	static const int steps[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 };
	const int n = (int)(sizeof steps / sizeof steps[0]);
	long waited = 0;
	for (int i = 0; i < count; i++)
		waited += i < n ? steps[i] : 100;
	if (waited >= DB_BUSY_MS) {
		db_fault_note(SQLITE_BUSY, NULL);
		return 0;
	}
	int ms = count < n ? steps[count] : 100;
	if (waited + ms > DB_BUSY_MS)
		ms = (int)(DB_BUSY_MS - waited);
	usleep((useconds_t)ms * 1000);
	return 1;
}
