/* Backups (issue 23, item 6): db_backup_to makes a checked, private copy
 * of a live database while another process keeps writing to it; db_open
 * backs up before it migrates an existing database and keeps the newest
 * DB_BACKUPS_KEPT copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/log.h"
#include "storage/backup.h"
#include "storage/db.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/wt-backup-XXXXXX");
	assert_non_null(mkdtemp(dir));
	umask(022);
	log_set_level(LOG_WARN);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	log_set_level(LOG_INFO);
	return system(cmd) == 0 ? 0 : -1;
}

static char *in_dir(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s/%s", dir, name);
	return sb_detach(&sb);
}

static long long kv_rows(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM kv WHERE key LIKE 'w.%'");
	return db_step_int(st);
}

/* The child: a stream of write transactions until killed. */
static void writer(const char *path)
{
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	if (db_open(path, &db, &err) < 0)
		_exit(1);
	for (long i = 0;; i++) {
		char key[32];
		snprintf(key, sizeof key, "w.%ld", i);
		db_begin(db);
		db_kv_set(db, key, "some text that fills the pages of the database");
		db_commit(db);
	}
}

static void test_backup_while_writing(void **state)
{
	char *path = in_dir("live.db");
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(path, &db, &err), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		writer(path);
	long long last = -1;
	for (int i = 0; i < 5; i++) {
		usleep(150000);
		char name[32];
		snprintf(name, sizeof name, "copy%d.db", i);
		char *copy = in_dir(name);
		sb_reset(&err);
		assert_int_equal(db_backup_to(db, copy, &err), BACKUP_DONE);
		struct stat st;
		assert_int_equal(stat(copy, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		sqlite3 *c;
		sb_reset(&err);
		assert_int_equal(db_open(copy, &c, &err), 0);  /* quick_check included */
		long long n = kv_rows(c);
		assert_true(n > last);  /* the writer went on between the copies */
		last = n;
		db_close(c);
		free(copy);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_true(last > 0);
	/* a target that cannot be written: refused, said why */
	sb_reset(&err);
	assert_int_equal(db_backup_to(db, "/nonexistent/dir/x.db", &err), BACKUP_FAILED);
	assert_non_null(strstr(err.buf, "/nonexistent/dir/x.db"));
	db_close(db);
	sb_release(&err);
	free(path);
}

static int count_backups(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void test_backup_before_migration(void **state)
{
	char *path = in_dir("old.db");
	int latest = db_schema_latest();
	/* an existing database one migration behind */
	sqlite3 *raw;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(db_migrate_to(raw, latest - 1, &err), 0);
	db_close(raw);
	/* four older backups, the oldest names first */
	const char *old[] = { "old.db.backup-20200101T000000Z-v5",
			      "old.db.backup-20210101T000000Z-v6",
			      "old.db.backup-20220101T000000Z-v7",
			      "old.db.backup-20230101T000000Z-v8" };
	for (int i = 0; i < 4; i++) {
		char *p = in_dir(old[i]);
		FILE *f = fopen(p, "w");
		fclose(f);
		free(p);
	}
	sqlite3 *db;
	assert_int_equal(db_open(path, &db, &err), 0);
	assert_int_equal(db_user_version(db), latest);
	db_close(db);
	assert_int_equal(count_backups("old.db.backup-"), DB_BACKUPS_KEPT);
	char *oldest = in_dir(old[0]), *newest_old = in_dir(old[3]);
	assert_int_not_equal(access(oldest, F_OK), 0);
	assert_int_equal(access(newest_old, F_OK), 0);
	/* the new copy is at the version before the migration */
	char want[32];
	snprintf(want, sizeof want, "-v%d", latest - 1);
	DIR *d = opendir(dir);
	struct dirent *e;
	char *made = NULL;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "old.db.backup-", 14) == 0 && strstr(e->d_name, want))
			made = in_dir(e->d_name);
	closedir(d);
	assert_non_null(made);
	assert_int_equal(sqlite3_open(made, &raw), SQLITE_OK);
	assert_int_equal(db_user_version(raw), latest - 1);
	db_close(raw);
	/* opened again, already migrated: no new copy */
	assert_int_equal(db_open(path, &db, &err), 0);
	db_close(db);
	assert_int_equal(count_backups("old.db.backup-"), DB_BACKUPS_KEPT);
	/* a fresh database has nothing to back up */
	char *fresh = in_dir("fresh.db");
	assert_int_equal(db_open(fresh, &db, &err), 0);
	db_close(db);
	assert_int_equal(count_backups("fresh.db.backup-"), 0);
	free(fresh);
	free(made);
	free(oldest);
	free(newest_old);
	free(path);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_while_writing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_before_migration, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
