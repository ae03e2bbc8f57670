/* Log lines (lib/log.h): time and level on a terminal or in a file;
 * "<3>".."<7>" syslog priorities when stderr is the journal's stream
 * (JOURNAL_STREAM names its device and inode), and only then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/log.h"
#include "lib/strbuf.h"

/* stderr goes to a temporary file while a test logs; *path names it. */
static int saved = -1;
static char path[64];

static void capture(void)
{
	snprintf(path, sizeof path, "/tmp/werktafel-log-%ld", (long)getpid());
	fflush(stderr);
	saved = dup(fileno(stderr));
	assert_non_null(freopen(path, "w", stderr));
}

/* Back to the real stderr; returns what was logged (free it). */
static char *release(void)
{
	fflush(stderr);
	assert_true(dup2(saved, fileno(stderr)) >= 0);
	close(saved);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(sb_read_file(&sb, f, 1 << 20), 0);
	fclose(f);
	unlink(path);
	return sb_detach(&sb);
}

/* JOURNAL_STREAM naming stderr as it is now (or, with off, another inode). */
static void journal_env(int off)
{
	struct stat st;
	assert_int_equal(fstat(fileno(stderr), &st), 0);
	char v[64];
	snprintf(v, sizeof v, "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + (off ? 1 : 0));
	setenv("JOURNAL_STREAM", v, 1);
}

static void test_journal_priorities(void **state)
{
	capture();
	journal_env(0);
	int on = log_detect_journal();
	log_set_level(LOG_DEBUG);
	log_error("disk %s", "full");
	log_warn("slow");
	log_info("started");
	log_debug("detail");
	log_set_level(LOG_INFO);
	log_debug("hidden");
	char *out = release();
	assert_int_equal(on, 1);
	assert_string_equal(out, "<3>disk full\n<4>slow\n<6>started\n<7>detail\n");
	free(out);
	unsetenv("JOURNAL_STREAM");
	assert_int_equal(log_detect_journal(), 0);
}

static void test_not_the_journal(void **state)
{
	/* another stream (stderr redirected by hand): time and level */
	capture();
	journal_env(1);
	int on = log_detect_journal();
	log_warn("slow");
	char *out = release();
	assert_int_equal(on, 0);
	assert_int_equal(out[0], '2');
	assert_non_null(strstr(out, "Z warn slow\n"));
	free(out);
	/* a malformed value, and none at all */
	setenv("JOURNAL_STREAM", "12:34:56", 1);
	assert_int_equal(log_detect_journal(), 0);
	setenv("JOURNAL_STREAM", "", 1);
	assert_int_equal(log_detect_journal(), 0);
	unsetenv("JOURNAL_STREAM");
	assert_int_equal(log_detect_journal(), 0);
}

static void test_level_names(void **state)
{
	assert_string_equal(log_level_name(LOG_WARN), "warn");
	assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
	assert_int_equal(log_level_parse("loud"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journal_priorities),
		cmocka_unit_test(test_not_the_journal),
		cmocka_unit_test(test_level_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
