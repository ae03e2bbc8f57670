/* SIGHUP's config reload (bot/config_reload.h): keys the bot reads afresh
 * are applied to the running config, the others are listed as needing a
 * restart and left as they are; a broken file changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/config.h"
#include "bot/config_reload.h"
#include "lib/log.h"

static const char base[] =
	"[matrix]\nhomeserver = http://127.0.0.1:8008\nuser_id = @bot:test\npassword = x\n"
	"[bot]\ndatabase = a.db\nlog_level = info\nadmins = @beheer:test\n"
	"[crypto]\nkey_wait_minutes = 60\n"
	"[network.noord]\nrooms = kamer\nthemes = kwaliteit, opleiding\n"
	"[network.zuid]\nrooms = zaal\n";

static char *tmp_path(void)
{
	static int n;
	char *p = xmalloc(64);
	snprintf(p, 64, "/tmp/werktafel-reload-%ld-%d.ini", (long)getpid(), n++);
	return p;
}

static void load(const char *text, struct wt_config *cfg, char **path_out)
{
	char *path = tmp_path();
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct strbuf err = STRBUF_INIT;
	int rc = config_load(path, cfg, &err);
	if (rc != 0)
		fprintf(stderr, "%s\n", err.buf);
	assert_int_equal(rc, 0);
	sb_release(&err);
	if (path_out) {
		*path_out = path;
	} else {
		unlink(path);
		free(path);
	}
}

/* base with the first occurrence of from replaced by to */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	assert_non_null(at);
	struct strbuf sb = STRBUF_INIT;
	sb_addn(&sb, text, (size_t)(at - text));
	sb_add(&sb, to);
	sb_add(&sb, at + strlen(from));
	return sb_detach(&sb);
}

/* Reload live from text; applied and restart get the lists. */
static int reload(struct wt_config *live, const char *text, struct strbuf *applied,
		  struct strbuf *restart)
{
	struct wt_config fresh;
	load(text, &fresh, NULL);
	sb_reset(applied);
	sb_reset(restart);
	int n = config_reload_apply(live, &fresh, applied, restart);
	config_free(&fresh);
	return n;
}

static void test_nothing_changed(void **state)
{
	struct wt_config live;
	struct strbuf a = STRBUF_INIT, r = STRBUF_INIT;
	load(base, &live, NULL);
	assert_int_equal(reload(&live, base, &a, &r), 0);
	assert_string_equal(a.buf, "");
	assert_string_equal(r.buf, "");
	config_free(&live);
	sb_release(&a);
	sb_release(&r);
}

static void test_runtime_keys_apply(void **state)
{
	struct wt_config live;
	struct strbuf a = STRBUF_INIT, r = STRBUF_INIT;
	load(base, &live, NULL);
	char *t1 = edit(base, "log_level = info\n", "log_level = debug\nmax_reminders = 9\n"
			"commands_per_minute = 5\nreplies = text\n");
	char *t2 = edit(t1, "admins = @beheer:test", "admins = @beheer:test, @tweede:test");
	char *t3 = edit(t2, "themes = kwaliteit, opleiding\n", "themes = innovatie\n"
			"remind_agenda_call = off\nunknown_commands = silent\nday_end = 16\n");
	char *t4 = edit(t3, "key_wait_minutes = 60", "key_wait_minutes = 5");
	assert_int_equal(reload(&live, t4, &a, &r), 10);
	assert_string_equal(a.buf, "[bot] log_level, [bot] admins, [bot] max_reminders, "
			    "[bot] commands_per_minute, [bot] replies, [crypto] key_wait_minutes, "
			    "[network.noord] themes, [network.noord] remind_*, "
			    "[network.noord] day_end, [network.noord] unknown_commands");
	assert_string_equal(r.buf, "");
	assert_int_equal(live.log_level, LOG_DEBUG);
	assert_int_equal(log_get_level(), LOG_DEBUG);
	assert_int_equal(live.limits.max_reminders, 9);
	assert_int_equal(live.ratelimit.per_minute, 5);
	assert_int_equal(live.replies_text, 1);
	assert_int_equal(live.key_wait_minutes, 5);
	assert_string_equal(live.admins[1], "@tweede:test");
	assert_null(live.admins[2]);
	assert_int_equal(live.networks[0].nthemes, 1);
	assert_string_equal(live.networks[0].themes[0], "innovatie");
	assert_int_equal(live.networks[0].noffsets, 5);  /* agenda_call off */
	assert_int_equal(live.networks[0].day_end_hour, 16);
	assert_int_equal(live.networks[0].unknown_commands, WT_UNKNOWN_SILENT);
	/* and back: the old values come back the same way */
	assert_int_equal(reload(&live, base, &a, &r), 10);
	assert_int_equal(live.networks[0].nthemes, 2);
	assert_null(live.admins[1]);
	log_set_level(LOG_INFO);
	free(t1);
	free(t2);
	free(t3);
	free(t4);
	config_free(&live);
	sb_release(&a);
	sb_release(&r);
}

static void test_restart_keys_stay(void **state)
{
	struct wt_config live;
	struct strbuf a = STRBUF_INIT, r = STRBUF_INIT;
	load(base, &live, NULL);
	char *t1 = edit(base, "8008", "9009");
	char *t2 = edit(t1, "database = a.db", "database = b.db");
	char *t3 = edit(t2, "rooms = kamer", "rooms = kamer, gang");
	char *t4 = edit(t3, "[network.zuid]\nrooms = zaal\n", "[network.west]\nrooms = zaal\n");
	char *t5 = edit(t4, "[crypto]\n", "[crypto]\nenabled = no\n");
	assert_int_equal(reload(&live, t5, &a, &r), 6);
	assert_string_equal(a.buf, "");
	assert_string_equal(r.buf, "[matrix] homeserver, [bot] database, [crypto] enabled, "
			    "[network.noord] rooms, [network.zuid] (removed), [network.west] (new)");
	assert_string_equal(live.homeserver, "http://127.0.0.1:8008");
	assert_string_equal(live.database, "a.db");
	assert_int_equal(live.networks[0].nrooms, 1);
	assert_string_equal(live.networks[1].name, "zuid");
	assert_int_equal(live.crypto_off, 0);
	free(t1);
	free(t2);
	free(t3);
	free(t4);
	free(t5);
	config_free(&live);
	sb_release(&a);
	sb_release(&r);
}

static void test_reload_file(void **state)
{
	struct wt_config live;
	char *path;
	load(base, &live, &path);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[bot]\nlog_level = loud\n", f);
	fclose(f);
	assert_int_equal(config_reload_file(&live), -1);
	assert_int_equal(live.log_level, LOG_INFO);
	assert_int_equal(live.nnetworks, 2);
	char *t = edit(base, "log_level = info", "log_level = warn");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(t, f);
	fclose(f);
	assert_int_equal(config_reload_file(&live), 0);
	assert_int_equal(live.log_level, LOG_WARN);
	unlink(path);
	assert_int_equal(config_reload_file(&live), -1);  /* gone: the running one stays */
	assert_int_equal(live.log_level, LOG_WARN);
	log_set_level(LOG_INFO);
	free(t);
	free(path);
	config_free(&live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_changed),
		cmocka_unit_test(test_runtime_keys_apply),
		cmocka_unit_test(test_restart_keys_stay),
		cmocka_unit_test(test_reload_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
