/* Running under systemd (bot/service.h): the notify datagrams arrive on a
 * real unix datagram socket named by NOTIFY_SOCKET (a path and the
 * abstract namespace), WATCHDOG=1 pings come from the libuv loop at half
 * WATCHDOG_USEC, READY=1 is sent once, and SIGHUP reads the config file
 * again into the running config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>

#include "bot/config.h"
#include "bot/service.h"
#include "lib/log.h"

struct sock {
	int fd;
	char name[108];
};

/* A datagram socket bound to a path (abstract = 0) or an abstract name,
 * with NOTIFY_SOCKET naming it. */
static void sock_open(struct sock *s, int abstract)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(s->fd >= 0);
	socklen_t len;
	if (abstract) {
		snprintf(s->name, sizeof s->name, "@werktafel-test-%ld", (long)getpid());
		memcpy(sa.sun_path, s->name, strlen(s->name));
		sa.sun_path[0] = '\0';
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(s->name));
	} else {
		snprintf(s->name, sizeof s->name, "/tmp/werktafel-notify-%ld", (long)getpid());
		unlink(s->name);
		strcpy(sa.sun_path, s->name);
		len = sizeof sa;
	}
	assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, len), 0);
	setenv("NOTIFY_SOCKET", s->name, 1);
}

static void sock_close(struct sock *s)
{
	close(s->fd);
	if (s->name[0] == '/')
		unlink(s->name);
	unsetenv("NOTIFY_SOCKET");
}

/* The next datagram, or "" when none waits. */
static const char *sock_next(struct sock *s)
{
	static char buf[512];
	ssize_t n = recv(s->fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_no_socket(void **state)
{
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(service_notify("READY=1"), 0);
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_int_equal(service_notify("READY=1"), -1);
	setenv("NOTIFY_SOCKET", "/nonexistent/werktafel/notify", 1);
	assert_int_equal(service_notify("READY=1"), -1);
	unsetenv("NOTIFY_SOCKET");
}

static void test_path_socket(void **state)
{
	struct sock s;
	sock_open(&s, 0);
	assert_int_equal(service_notify("READY=1\nSTATUS=Listening"), 1);
	assert_string_equal(sock_next(&s), "READY=1\nSTATUS=Listening");
	assert_string_equal(sock_next(&s), "");
	sock_close(&s);
}

static void test_abstract_socket(void **state)
{
	struct sock s;
	sock_open(&s, 1);
	assert_int_equal(service_notify("WATCHDOG=1"), 1);
	assert_string_equal(sock_next(&s), "WATCHDOG=1");
	sock_close(&s);
}

static void test_watchdog_usec(void **state)
{
	char pid[32];
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(service_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	assert_int_equal(service_watchdog_usec(), 30000000);
	snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);  /* meant for another process */
	assert_int_equal(service_watchdog_usec(), 0);
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(service_watchdog_usec(), 30000000);
	setenv("WATCHDOG_USEC", "soon", 1);
	assert_int_equal(service_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
}

static void on_stop(uv_timer_t *t) { uv_stop(t->loop); }

/* Run loop for ms (the service's handles do not keep it alive). */
static void run_for(uv_loop_t *loop, uv_timer_t *t, uint64_t ms)
{
	uv_timer_start(t, on_stop, ms, 0);
	uv_run(loop, UV_RUN_DEFAULT);
}

static void close_loop(uv_loop_t *loop, uv_timer_t *t)
{
	uv_close((uv_handle_t *)t, NULL);
	while (uv_run(loop, UV_RUN_DEFAULT) != 0)
		;
	assert_int_equal(uv_loop_close(loop), 0);
}

static void test_watchdog_from_loop(void **state)
{
	struct sock s;
	sock_open(&s, 0);
	setenv("WATCHDOG_USEC", "40000", 1);  /* 40 ms: a ping every 20 ms */
	uv_loop_t loop;
	uv_timer_t t;
	uv_loop_init(&loop);
	uv_timer_init(&loop, &t);
	struct service *svc = service_new(&loop, NULL);
	run_for(&loop, &t, 130);
	int pings = 0;
	for (const char *m; *(m = sock_next(&s));) {
		assert_string_equal(m, "WATCHDOG=1");
		pings++;
	}
	assert_in_range(pings, 2, 8);  /* 6 on time; fewer on a slow machine */
	/* READY=1 once, however often the syncs come; STOPPING=1 at the end */
	service_ready(svc);
	service_ready(svc);
	assert_string_equal(sock_next(&s), "READY=1\nSTATUS=Listening");
	assert_string_equal(sock_next(&s), "");
	service_stopping(svc);
	assert_string_equal(sock_next(&s), "STOPPING=1");
	service_free(svc);
	close_loop(&loop, &t);
	unsetenv("WATCHDOG_USEC");
	sock_close(&s);
}

/* Without WATCHDOG_USEC: no pings (and nothing at all without a socket). */
static void test_no_watchdog(void **state)
{
	struct sock s;
	sock_open(&s, 0);
	unsetenv("WATCHDOG_USEC");
	uv_loop_t loop;
	uv_timer_t t;
	uv_loop_init(&loop);
	uv_timer_init(&loop, &t);
	struct service *svc = service_new(&loop, NULL);
	run_for(&loop, &t, 50);
	assert_string_equal(sock_next(&s), "");
	service_free(svc);
	close_loop(&loop, &t);
	sock_close(&s);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_sighup_reloads(void **state)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/werktafel-hup-%ld.ini", (long)getpid());
	write_file(path, "[matrix]\nhomeserver = http://127.0.0.1:8008\nuser_id = @bot:test\n"
		   "password = x\n[bot]\nlog_level = warn\nmax_reminders = 50\n"
		   "[network.solo]\nrooms = kamer\nadvice_wait_days = 14\n");
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(config_load(path, &cfg, &err), 0);
	log_set_level((enum log_level)cfg.log_level);
	struct sock s;
	sock_open(&s, 0);
	uv_loop_t loop;
	uv_timer_t t;
	uv_loop_init(&loop);
	uv_timer_init(&loop, &t);
	struct service *svc = service_new(&loop, &cfg);
	service_ready(svc);
	assert_string_equal(sock_next(&s), "READY=1\nSTATUS=Listening");
	write_file(path, "[matrix]\nhomeserver = http://127.0.0.1:9009\nuser_id = @bot:test\n"
		   "password = x\n[bot]\nlog_level = error\nmax_reminders = 7\n"
		   "[network.solo]\nrooms = kamer\nadvice_wait_days = 3\n");
	raise(SIGHUP);
	run_for(&loop, &t, 50);
	assert_int_equal(cfg.log_level, LOG_ERROR);
	assert_int_equal(log_get_level(), LOG_ERROR);
	assert_int_equal(cfg.limits.max_reminders, 7);
	assert_int_equal(cfg.networks[0].advice_wait_days, 3);
	/* the homeserver needs a restart: the running one stays */
	assert_string_equal(cfg.homeserver, "http://127.0.0.1:8008");
	assert_true(strncmp(sock_next(&s), "RELOADING=1\nMONOTONIC_USEC=", 27) == 0);
	assert_string_equal(sock_next(&s), "READY=1\nSTATUS=Listening");
	/* a broken file changes nothing */
	write_file(path, "[bot]\nlog_level = loud\n");
	raise(SIGHUP);
	run_for(&loop, &t, 50);
	assert_int_equal(cfg.log_level, LOG_ERROR);
	assert_int_equal(cfg.limits.max_reminders, 7);
	service_free(svc);
	close_loop(&loop, &t);
	sock_close(&s);
	config_free(&cfg);
	sb_release(&err);
	unlink(path);
	log_set_level(LOG_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_socket),
		cmocka_unit_test(test_path_socket),
		cmocka_unit_test(test_abstract_socket),
		cmocka_unit_test(test_watchdog_usec),
		cmocka_unit_test(test_watchdog_from_loop),
		cmocka_unit_test(test_no_watchdog),
		cmocka_unit_test(test_sighup_reloads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
