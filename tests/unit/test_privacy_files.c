/* Privacy of files and logs (issue 23, items 1 and 2): the database and
 * its -wal and -shm are created 0600 and a looser one is tightened with a
 * warning; a password from password_file or WERKTAFEL_PASSWORD; a warning
 * for a config with a password that others may read; every log line is
 * redacted of the known secrets and of access_token=, "password": and
 * Bearer values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/config.h"
#include "lib/log.h"
#include "lib/private_file.h"
#include "storage/db.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/wt-privacy-XXXXXX");
	assert_non_null(mkdtemp(dir));
	umask(022);  /* a usual shell's: the code must not rely on main's */
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *in_dir(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s/%s", dir, name);
	return sb_detach(&sb);
}

static unsigned mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (unsigned)(st.st_mode & 0777);
}

/* What fn wrote to stderr, as a new string. */
static char *capture_stderr(void (*fn)(void *), void *arg)
{
	char *path = in_dir("stderr.txt");
	fflush(stderr);
	int saved = dup(2);
	FILE *f = fopen(path, "w+");
	assert_non_null(f);
	dup2(fileno(f), 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	struct strbuf sb = STRBUF_INIT;
	sb_read_file(&sb, f, 1 << 20);
	fclose(f);
	unlink(path);
	free(path);
	return sb_detach(&sb);
}

static void test_db_created_private(void **state)
{
	char *path = in_dir("new.db");
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(path, &db, &err), 0);
	db_kv_set(db, "k", "v");  /* the WAL gets written */
	assert_int_equal(mode_of(path), 0600);
	char *wal = in_dir("new.db-wal"), *shm = in_dir("new.db-shm");
	assert_int_equal(mode_of(wal), 0600);
	assert_int_equal(mode_of(shm), 0600);
	db_close(db);
	free(wal);
	free(shm);
	free(path);
	sb_release(&err);
}

static void open_close(void *arg)
{
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(arg, &db, &err), 0);
	db_close(db);
	sb_release(&err);
}

static void test_db_tightened_with_warning(void **state)
{
	char *path = in_dir("old.db");
	FILE *f = fopen(path, "w");
	fclose(f);
	chmod(path, 0644);
	char *out = capture_stderr(open_close, path);
	assert_int_equal(mode_of(path), 0600);
	assert_non_null(strstr(out, "was readable by others (mode 0644); now 0600"));
	free(out);
	/* once private, nothing more is said */
	out = capture_stderr(open_close, path);
	assert_null(strstr(out, "readable by others"));
	free(out);
	free(path);
}

static void test_tighten_keeps_owner_rights(void **state)
{
	char *path = in_dir("ro");
	FILE *f = fopen(path, "w");
	fclose(f);
	chmod(path, 0444);
	log_set_level(LOG_ERROR);
	assert_int_equal(private_tighten(path), PRIVATE_TIGHTENED);
	assert_int_equal(mode_of(path), 0400);  /* still write-protected */
	assert_int_equal(private_tighten(path), PRIVATE_OK);
	char *sub = in_dir("store");
	mkdir(sub, 0755);
	char *inner = in_dir("store/keys.sqlite3");
	f = fopen(inner, "w");
	fclose(f);
	chmod(inner, 0644);
	assert_int_equal(private_tighten_dir(sub), PRIVATE_TIGHTENED);
	assert_int_equal(mode_of(sub), 0700);
	assert_int_equal(mode_of(inner), 0600);
	char *absent = in_dir("absent");
	assert_int_equal(private_tighten(absent), PRIVATE_OK);
	log_set_level(LOG_INFO);
	free(absent);
	free(inner);
	free(sub);
	free(path);
}

/* Write text to name in dir with mode; returns the path. */
static char *write_file(const char *name, const char *text, mode_t mode)
{
	char *path = in_dir(name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

#define MATRIX_HEAD "[matrix]\nhomeserver = http://h\nuser_id = @b:h\n"

struct load { const char *path; int rc; struct wt_config cfg; struct strbuf err; };

static void do_load(void *arg)
{
	struct load *l = arg;
	l->rc = config_load(l->path, &l->cfg, &l->err);
}

static void test_password_file(void **state)
{
	char *pw = write_file("pw", "geheim-wachtwoord\n", 0600);
	struct strbuf text = STRBUF_INIT;
	sb_addf(&text, MATRIX_HEAD "password_file = %s\n", pw);
	char *ini = write_file("a.ini", text.buf, 0644);
	struct load l = { .path = ini, .err = STRBUF_INIT };
	char *out = capture_stderr(do_load, &l);
	assert_int_equal(l.rc, 0);
	assert_string_equal(l.cfg.password, "geheim-wachtwoord");
	assert_null(strstr(out, "others may read"));  /* no password in the ini */
	assert_int_equal(config_check_matrix(&l.cfg, &l.err), 0);
	config_free(&l.cfg);
	free(out);

	/* both: refused with the line */
	sb_reset(&text);
	sb_addf(&text, MATRIX_HEAD "password = x1234\npassword_file = %s\n", pw);
	char *both = write_file("b.ini", text.buf, 0600);
	sb_reset(&l.err);
	assert_int_equal(config_load(both, &l.cfg, &l.err), -1);
	assert_non_null(strstr(l.err.buf, ":1: [matrix] has both password and "
			       "password_file; keep one"));

	/* an unreadable file */
	char *none = write_file("c.ini", MATRIX_HEAD "password_file = /nonexistent/pw\n",
				0600);
	sb_reset(&l.err);
	assert_int_equal(config_load(none, &l.cfg, &l.err), -1);
	assert_non_null(strstr(l.err.buf, "password_file \"/nonexistent/pw\" cannot "
			       "be read"));
	free(none);
	free(both);
	free(ini);
	free(pw);
	sb_release(&text);
	sb_release(&l.err);
}

static void test_password_env(void **state)
{
	char *ini = write_file("env.ini", MATRIX_HEAD, 0600);
	struct strbuf err = STRBUF_INIT;
	struct wt_config cfg;
	setenv("WERKTAFEL_PASSWORD", "uit-de-omgeving", 1);
	assert_int_equal(config_load(ini, &cfg, &err), 0);
	assert_string_equal(cfg.password, "uit-de-omgeving");
	assert_int_equal(config_check_matrix(&cfg, &err), 0);
	config_free(&cfg);
	unsetenv("WERKTAFEL_PASSWORD");
	assert_int_equal(config_load(ini, &cfg, &err), 0);
	assert_null(cfg.password);
	assert_int_equal(config_check_matrix(&cfg, &err), -1);
	assert_non_null(strstr(err.buf, "WERKTAFEL_PASSWORD"));
	config_free(&cfg);
	free(ini);
	sb_release(&err);
}

static void test_readable_config_warned(void **state)
{
	char *ini = write_file("open.ini", MATRIX_HEAD "password = open-sesame\n",
			       0644);
	struct load l = { .path = ini, .err = STRBUF_INIT };
	char *out = capture_stderr(do_load, &l);
	assert_int_equal(l.rc, 0);
	assert_non_null(strstr(out, "holds the bot's password and others may "
			       "read it; make it private (chmod 600"));
	assert_null(strstr(out, "open-sesame"));
	config_free(&l.cfg);
	free(out);
	chmod(ini, 0600);
	out = capture_stderr(do_load, &l);
	assert_int_equal(l.rc, 0);
	assert_null(strstr(out, "others may read"));
	config_free(&l.cfg);
	free(out);
	free(ini);
	sb_release(&l.err);
	log_secrets_clear();
}

static char *redacted(const char *in)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, in);
	log_redact(&sb);
	return sb_detach(&sb);
}

#define REDACTS(in, want) do { char *r_ = redacted(in); \
	assert_string_equal(r_, want); free(r_); } while (0)

static void test_redaction(void **state)
{
	log_secrets_clear();
	log_secret_add("syt_d2Vya3Rh_secret_token");
	log_secret_add("hunter22");
	log_secret_add("ab");  /* too short to redact safely: ignored */
	log_secret_add(NULL);
	REDACTS("token syt_d2Vya3Rh_secret_token refused",
		"token [redacted] refused");
	REDACTS("login with hunter22 and hunter22", "login with [redacted] and [redacted]");
	REDACTS("GET /sync?access_token=abc123&since=s1 failed",
		"GET /sync?access_token=[redacted]&since=s1 failed");
	REDACTS("{\"access_token\": \"xyz789\",\"device_id\":\"D\"}",
		"{\"access_token\": \"[redacted]\",\"device_id\":\"D\"}");
	REDACTS("body {\"type\":\"m.login.password\",\"password\":\"p4ss\"}",
		"body {\"type\":\"m.login.password\",\"password\":\"[redacted]\"}");
	REDACTS("{\"refresh_token\":\"r-1\"}", "{\"refresh_token\":\"[redacted]\"}");
	REDACTS("Authorization: Bearer qwerty1", "Authorization: Bearer [redacted]");
	/* ordinary words stay */
	REDACTS("no access token and no password configured; check password",
		"no access token and no password configured; check password");
	REDACTS("access_token_file /x cannot be read", "access_token_file /x cannot be read");
	REDACTS("ab cd", "ab cd");
	log_secrets_clear();
	REDACTS("hunter22", "hunter22");
}

static void log_lines(void *arg)
{
	log_error("refused %s", (const char *)arg);
	log_debug("PUT /x?access_token=%s", (const char *)arg);
}

static void test_log_lines_redacted(void **state)
{
	log_secret_add("tok-123456");
	log_set_level(LOG_DEBUG);
	char *out = capture_stderr(log_lines, "tok-123456");
	log_set_level(LOG_INFO);
	assert_null(strstr(out, "tok-123456"));
	assert_non_null(strstr(out, " error refused [redacted]\n"));
	assert_non_null(strstr(out, " debug PUT /x?access_token=[redacted]\n"));
	free(out);
	log_secrets_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_created_private),
		cmocka_unit_test(test_db_tightened_with_warning),
		cmocka_unit_test(test_tighten_keeps_owner_rights),
		cmocka_unit_test(test_password_file),
		cmocka_unit_test(test_password_env),
		cmocka_unit_test(test_readable_config_warned),
		cmocka_unit_test(test_redaction),
		cmocka_unit_test(test_log_lines_redacted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
