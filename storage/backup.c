#include "storage/backup.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/private_file.h"
#include "storage/db.h"

#define BUSY_TRIES 100      /* a writer holding the file: wait up to 5 s */
#define BUSY_WAIT_US 50000

/* The copy of src into the open dst, in one step (one snapshot). */
static int copy_all(sqlite3 *src, sqlite3 *dst, struct strbuf *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		sb_addf(err, "%s", sqlite3_errmsg(dst));
		return -1;
	}
	int rc, tries = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > BUSY_TRIES)
			break;
		usleep(BUSY_WAIT_US);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		sb_addf(err, "%s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* PRAGMA integrity_check of the copy says "ok". */
static int check_copy(sqlite3 *dst, struct strbuf *err)
{
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(dst, "PRAGMA integrity_check(1)", -1, &st, NULL)
		== SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
	const char *v = ok ? (const char *)sqlite3_column_text(st, 0) : NULL;
	ok = v && strcmp(v, "ok") == 0;
	if (!ok)
		sb_addf(err, "the copy fails its check: %s", v ? v : sqlite3_errmsg(dst));
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

static void remove_with_journals(const char *path)
{
	static const char *const tails[] = { "", "-wal", "-shm", "-journal", NULL };
	for (int i = 0; tails[i]; i++) {
		struct strbuf p = STRBUF_INIT;
		sb_addf(&p, "%s%s", path, tails[i]);
		unlink(p.buf);
		sb_release(&p);
	}
}

enum backup_outcome db_backup_to(sqlite3 *db, const char *dest, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.tmp-%ld", dest, (long)getpid());
	remove_with_journals(tmp.buf);
	sqlite3 *dst = NULL;
	int rc = -1;
	if (private_create(tmp.buf) == PRIVATE_ERROR)
		sb_addf(err, "%s: %s", tmp.buf, strerror(errno));
	else if (sqlite3_open_v2(tmp.buf, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		sb_addf(err, "%s: %s", tmp.buf, sqlite3_errmsg(dst));
	else if (copy_all(db, dst, err) == 0 && check_copy(dst, err) == 0)
		rc = 0;
	/* The last connection's close folds the copy's WAL into it. */
	if (dst && sqlite3_close(dst) != SQLITE_OK && rc == 0) {
		sb_addf(err, "cannot close the copy");
		rc = -1;
	}
	if (rc == 0 && rename(tmp.buf, dest) < 0) {
		sb_addf(err, "%s: %s", dest, strerror(errno));
		rc = -1;
	}
	remove_with_journals(tmp.buf);
	if (rc == 0) {
		struct strbuf j = STRBUF_INIT;
		sb_addf(&j, "%s-wal", dest);
		unlink(j.buf);  /* a stale one of an older file by that name */
		sb_reset(&j);
		sb_addf(&j, "%s-shm", dest);
		unlink(j.buf);
		sb_release(&j);
	}
	sb_release(&tmp);
	return rc == 0 ? BACKUP_DONE : BACKUP_FAILED;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove the backups of path beyond the newest keep (names sort by time). */
static void prune_backups(const char *path, int keep)
{
	struct strbuf dir = STRBUF_INIT, prefix = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		sb_addn(&dir, path, (size_t)(slash - path + 1));
	else
		sb_add(&dir, "./");
	sb_addf(&prefix, "%s.backup-", slash ? slash + 1 : path);
	DIR *d = opendir(dir.buf);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix.buf, prefix.len) != 0
		    || strstr(e->d_name, ".tmp-"))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i + (size_t)keep < n) {
			struct strbuf p = STRBUF_INIT;
			sb_addf(&p, "%s%s", dir.buf, names[i]);
			remove_with_journals(p.buf);
			sb_release(&p);
		}
		free(names[i]);
	}
	free(names);
	sb_release(&dir);
	sb_release(&prefix);
}

enum backup_outcome db_backup_before_migration(sqlite3 *db, const char *path, int from,
					       struct strbuf *made, struct strbuf *err)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
	struct strbuf dest = STRBUF_INIT;
	sb_addf(&dest, "%s.backup-%s-v%d", path, ts, from);
	enum backup_outcome out = db_backup_to(db, dest.buf, err);
	if (out == BACKUP_DONE) {
		log_info("backed up %s to %s before migrating it from schema version %d",
			 path, dest.buf, from);
		prune_backups(path, DB_BACKUPS_KEPT);
		if (made)
			sb_add(made, dest.buf);
	}
	sb_release(&dest);
	return out;
}
