/* HTTP layer (bot/http.c) and the start-up (bot/login.c) against a tiny
 * HTTP server on 127.0.0.1 in this process that answers at once: every
 * request completes, and a caller that runs the loop one iteration at a
 * time until its callback ran (as the start-up does) never waits on a loop
 * with nothing left to wake it, however the answer's arrival falls between
 * the loop's phases. Repeated 200 times, as each start is a new race. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "bot/config.h"
#include "bot/http.h"
#include "bot/matrix.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"

#define STARTS 200
/* A loop still asleep this long after the answer was handed over is stuck
 * (only this timer woke it); the wait is a hang detector, not a limit on
 * how fast anything has to be: a slow answer simply waits longer. */
#define WATCHDOG_MS 5000

/* ---- the server: one thread per connection, keep-alive ---- */

struct server {
	int fd;
	int port;
	pthread_t thread;
	pthread_t *conns;   /* every connection's thread, joined at the end */
	size_t nconns;
};

/* The answer for one request line: a Matrix-like JSON body by path. */
static const char *answer_for(const char *req)
{
	if (strstr(req, "/_matrix/client/versions"))
		return "{\"versions\":[\"r0.6.1\",\"v1.2\",\"v1.11\"]}";
	if (strstr(req, "/account/whoami"))
		return "{\"user_id\":\"@bot:local.test\",\"device_id\":\"DEV1\"}";
	if (strstr(req, "/filter"))
		return "{\"filter_id\":\"7\"}";
	if (strstr(req, "/login"))
		return "{\"access_token\":\"tok\",\"device_id\":\"DEV1\"}";
	if (strstr(req, "/directory/room/"))
		return "{\"room_id\":\"!r:local.test\"}";
	return "{\"ok\":true}";
}

/* Requests answered by the server, over all connections. */
static atomic_int answered;
/* Connections accepted, and PUT requests read in full (answered or not). */
static atomic_int accepted;
static atomic_int puts_read;
/* When set: the next request that comes on a connection already used once
 * is read in full and the connection closed without an answer, as a
 * homeserver or proxy does that drops an idle keep-alive connection just as
 * a request arrives on it. */
static atomic_int cut_next_reused;

/* Serve one connection until the client closes it. */
static void *serve_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct strbuf in = STRBUF_INIT;
	char buf[4096];
	int served = 0;
	for (;;) {
		char *end = in.len ? strstr(in.buf, "\r\n\r\n") : NULL;
		if (end) {
			size_t head = (size_t)(end - in.buf) + 4;
			size_t clen = 0;
			const char *cl = strcasestr(in.buf, "\r\ncontent-length:");
			if (cl && cl < end)
				clen = strtoul(cl + 17, NULL, 10);
			if (in.len >= head + clen) {
				if (strncmp(in.buf, "PUT ", 4) == 0)
					atomic_fetch_add(&puts_read, 1);
				if (served++ > 0 && atomic_exchange(&cut_next_reused, 0))
					break;
				const char *body = answer_for(in.buf);
				struct strbuf out = STRBUF_INIT;
				sb_addf(&out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
					"Content-Length: %zu\r\n\r\n%s", strlen(body), body);
				ssize_t w = write(fd, out.buf, out.len);
				sb_release(&out);
				if (w < 0)
					break;
				atomic_fetch_add(&answered, 1);
				size_t rest = in.len - head - clen;
				memmove(in.buf, in.buf + head + clen, rest);
				sb_setlen(&in, rest);
				continue;
			}
		}
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		sb_addn(&in, buf, (size_t)n);
	}
	sb_release(&in);
	close(fd);
	return NULL;
}

static void *serve(void *arg)
{
	struct server *s = arg;
	for (;;) {
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			break;
		atomic_fetch_add(&accepted, 1);
		pthread_t t;
		if (pthread_create(&t, NULL, serve_conn, (void *)(intptr_t)c) != 0) {
			close(c);
			continue;
		}
		s->conns = xrealloc(s->conns, (s->nconns + 1) * sizeof *s->conns);
		s->conns[s->nconns++] = t;
	}
	return NULL;
}

static void server_start(struct server *s)
{
	memset(s, 0, sizeof *s);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s->fd, 64), 0);
	socklen_t len = sizeof a;
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

/* Stop accepting; the connection threads end as the clients close. */
static void server_stop(struct server *s)
{
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
	for (size_t i = 0; i < s->nconns; i++)
		pthread_join(s->conns[i], NULL);
	free(s->conns);
}

/* ---- the HTTP layer, started STARTS times ---- */

struct wait {
	int done;
	long status;
	int sent;
	int stuck;      /* the watchdog found the loop asleep after done */
	int quiet;      /* a transport error is expected: not printed */
};

static void on_done(void *arg, const struct http_response *res)
{
	struct wait *w = arg;
	w->done = 1;
	w->status = res->status;
	w->sent = res->sent;
	if (!res->status && !w->quiet)
		print_message("transport error: %s\n", res->error);
}

static void on_watchdog(uv_timer_t *t)
{
	struct wait *w = t->data;
	if (w->done)
		w->stuck = 1;
}

/* One request, waited for as bot/login.c's start-up does: one loop
 * iteration at a time until the callback ran. The watchdog is a ref'd
 * handle like the bot's signal handlers: it keeps the loop alive. */
static void run_one(uv_loop_t *loop, struct http *h, uv_timer_t *dog,
		    const char *url, const char *method, const char *body,
		    struct wait *w)
{
	int quiet = w->quiet;
	memset(w, 0, sizeof *w);
	w->quiet = quiet;
	dog->data = w;
	uv_timer_start(dog, on_watchdog, WATCHDOG_MS, WATCHDOG_MS);
	assert_non_null(http_request(h, method, url, NULL, body, 30000, on_done, w));
	while (!w->done && !w->stuck)
		uv_run(loop, UV_RUN_ONCE);
	uv_timer_stop(dog);
}

static void dog_closed(uv_handle_t *h)
{
	(void)h;
}

/* Each start: a new loop and HTTP layer, then the requests of a start-up
 * one after another (login, whoami, filter, an alias). */
static void test_every_request_completes(void **state)
{
	struct server srv;
	server_start(&srv);
	static const char *const paths[] = {
		"/_matrix/client/v3/login", "/_matrix/client/v3/account/whoami",
		"/_matrix/client/v3/user/%40bot%3Alocal.test/filter",
		"/_matrix/client/v3/directory/room/%23a%3Alocal.test",
	};
	int completed = 0, stuck = 0;
	for (int i = 0; i < STARTS && !stuck; i++) {
		uv_loop_t loop;
		uv_loop_init(&loop);
		uv_timer_t dog;
		uv_timer_init(&loop, &dog);
		struct http *h = http_new(&loop);
		assert_non_null(h);
		for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++) {
			struct strbuf url = STRBUF_INIT;
			sb_addf(&url, "http://127.0.0.1:%d%s", srv.port, paths[p]);
			struct wait w;
			run_one(&loop, h, &dog, url.buf, p == 0 || p == 2 ? "POST" : "GET",
				p == 0 || p == 2 ? "{}" : NULL, &w);
			sb_release(&url);
			if (w.stuck) {
				print_message("start %d, request %zu: answered, but the loop "
					      "slept on until the watchdog woke it\n", i, p);
				stuck = 1;
				break;
			}
			assert_int_equal(w.status, 200);
			completed++;
		}
		http_free(h);
		uv_close((uv_handle_t *)&dog, dog_closed);
		while (uv_run(&loop, UV_RUN_DEFAULT) != 0)
			;
		assert_int_equal(uv_loop_close(&loop), 0);
	}
	server_stop(&srv);
	print_message("%d requests completed\n", completed);
	assert_int_equal(stuck, 0);
	assert_int_equal(completed, STARTS * 4);
}

/* ---- sends: one connection, never repeated behind the caller's back ---- */

/* Sends (PUTs, as the outbox makes) one after another on one HTTP layer
 * share one connection; when that connection is cut after a PUT went out,
 * the caller gets the cut (status 0, sent once) and libcurl does not put
 * the PUT on a new connection by itself: every PUT the server read is one
 * the caller made, and the caller's own second try goes out as one more. */
static void test_sends_reuse_and_are_never_repeated(void **state)
{
	struct server srv;
	server_start(&srv);
	atomic_store(&accepted, 0);
	atomic_store(&puts_read, 0);
	atomic_store(&cut_next_reused, 0);
	uv_loop_t loop;
	uv_loop_init(&loop);
	uv_timer_t dog;
	uv_timer_init(&loop, &dog);
	struct http *h = http_new(&loop);
	assert_non_null(h);
	struct strbuf url = STRBUF_INIT;
	sb_addf(&url, "http://127.0.0.1:%d/_matrix/client/v3/rooms/%%21r%%3Alocal.test"
		"/send/m.room.message/txn", srv.port);
	int made = 0;
	struct wait w = {0};
	for (int i = 0; i < 2; i++) {
		run_one(&loop, h, &dog, url.buf, "PUT", "{\"body\":\"hallo\"}", &w);
		made++;
		assert_int_equal(w.status, 200);
		assert_int_equal(w.sent, 1);
	}
	assert_int_equal(atomic_load(&accepted), 1);
	assert_int_equal(atomic_load(&puts_read), made);

	atomic_store(&cut_next_reused, 1);
	w.quiet = 1;
	run_one(&loop, h, &dog, url.buf, "PUT", "{\"body\":\"hallo\"}", &w);
	made++;
	assert_int_equal(atomic_load(&cut_next_reused), 0);
	assert_int_equal(w.status, 0);
	assert_int_equal(w.sent, 1);
	assert_int_equal(atomic_load(&puts_read), made);

	/* The caller decides to send again: one more PUT. (libcurl's own
	 * second try did open a new connection, and on_prereq closed it
	 * before anything was written on it.) */
	w.quiet = 0;
	run_one(&loop, h, &dog, url.buf, "PUT", "{\"body\":\"hallo\"}", &w);
	made++;
	assert_int_equal(w.status, 200);
	assert_int_equal(w.sent, 1);
	assert_int_equal(atomic_load(&puts_read), made);

	sb_release(&url);
	http_free(h);
	uv_close((uv_handle_t *)&dog, dog_closed);
	while (uv_run(&loop, UV_RUN_DEFAULT) != 0)
		;
	assert_int_equal(uv_loop_close(&loop), 0);
	server_stop(&srv);
}

/* ---- many requests at once ---- */

#define ROUNDS 40
#define AT_ONCE 25

struct batch {
	int done[AT_ONCE];
	int ndone, stuck, seen_at_last_tick, expected_answers;
};

struct one {
	struct batch *b;
	int k;
};

static void on_one(void *arg, const struct http_response *res)
{
	struct one *o = arg;
	assert_int_equal(res->status, 200);
	o->b->done[o->k]++;
	o->b->ndone++;
}

/* Every request was answered by the server, yet a whole watchdog period
 * went by without one more callback: the layer lost them. */
static void on_batch_watchdog(uv_timer_t *t)
{
	struct batch *b = t->data;
	if (atomic_load(&answered) >= b->expected_answers
	    && b->ndone == b->seen_at_last_tick)
		b->stuck = 1;
	b->seen_at_last_tick = b->ndone;
}

/* AT_ONCE requests in flight together, ROUNDS times on one layer: each
 * callback runs exactly once, also when several transfers finish in the
 * same loop iteration. */
static void test_concurrent_requests_complete_once(void **state)
{
	struct server srv;
	server_start(&srv);
	uv_loop_t loop;
	uv_loop_init(&loop);
	uv_timer_t dog;
	uv_timer_init(&loop, &dog);
	struct http *h = http_new(&loop);
	assert_non_null(h);
	struct strbuf url = STRBUF_INIT;
	sb_addf(&url, "http://127.0.0.1:%d/_matrix/client/v3/account/whoami", srv.port);
	int total = 0;
	for (int round = 0; round < ROUNDS; round++) {
		struct batch b = {0};
		struct one ones[AT_ONCE];
		b.expected_answers = atomic_load(&answered) + AT_ONCE;
		for (int k = 0; k < AT_ONCE; k++) {
			ones[k] = (struct one){ &b, k };
			assert_non_null(http_request(h, "GET", url.buf, NULL, NULL,
						     30000, on_one, &ones[k]));
		}
		dog.data = &b;
		uv_timer_start(&dog, on_batch_watchdog, WATCHDOG_MS, WATCHDOG_MS);
		while (b.ndone < AT_ONCE && !b.stuck)
			uv_run(&loop, UV_RUN_ONCE);
		uv_timer_stop(&dog);
		if (b.stuck)
			print_message("round %d: %d of %d answers handed over\n", round,
				      b.ndone, AT_ONCE);
		assert_int_equal(b.stuck, 0);
		for (int k = 0; k < AT_ONCE; k++)
			assert_int_equal(b.done[k], 1);
		total += b.ndone;
	}
	sb_release(&url);
	http_free(h);
	uv_close((uv_handle_t *)&dog, dog_closed);
	while (uv_run(&loop, UV_RUN_DEFAULT) != 0)
		;
	assert_int_equal(uv_loop_close(&loop), 0);
	server_stop(&srv);
	assert_int_equal(total, ROUNDS * AT_ONCE);
}

/* ---- the start-up (bot/login.c), STARTS times ---- */

struct startup {
	struct matrix *m;
	int stuck;      /* the watchdog found nothing in flight: asleep after done */
};

/* Between two requests of the start-up nothing is in flight only once an
 * answer was handed over; a watchdog seeing that caught the loop asleep
 * after the answer. It stops the start-up, which then fails. */
static void on_startup_watchdog(uv_timer_t *t)
{
	struct startup *st = t->data;
	if (!st->m->reqs) {
		st->stuck = 1;
		matrix_stop(st->m, 99);
	}
}

/* matrix_start (/versions, login with the password, whoami, the filter, a room
 * alias) against the server, each time on a new loop and database. */
static void test_startup_never_hangs(void **state)
{
	struct server srv;
	server_start(&srv);
	char path[] = "/tmp/werktafel-http-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	struct strbuf ini = STRBUF_INIT;
	sb_addf(&ini, "[matrix]\nhomeserver = http://127.0.0.1:%d\n"
		"user_id = @bot:local.test\npassword = secret\n"
		"[network.regio]\nrooms = #a:local.test\n", srv.port);
	assert_int_equal(write(fd, ini.buf, ini.len), (ssize_t)ini.len);
	close(fd);
	sb_release(&ini);
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(config_load(path, &cfg, &err), 0);
	sb_release(&err);
	unlink(path);
	int started = 0, stuck = 0;
	for (int i = 0; i < STARTS && !stuck; i++) {
		uv_loop_t loop;
		uv_loop_init(&loop);
		sqlite3 *db;
		struct strbuf e = STRBUF_INIT;
		assert_int_equal(db_open(":memory:", &db, &e), 0);
		sb_release(&e);
		struct matrix m;
		assert_int_equal(matrix_init(&m, &loop, db, &cfg), 0);
		struct startup st = { .m = &m };
		uv_timer_t dog;
		uv_timer_init(&loop, &dog);
		dog.data = &st;
		uv_timer_start(&dog, on_startup_watchdog, WATCHDOG_MS, WATCHDOG_MS);
		int rc = matrix_start(&m);
		if (st.stuck) {
			print_message("start %d: answered, but the loop slept on until "
				      "the watchdog woke it\n", i);
			stuck = 1;
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(m.user_id, "@bot:local.test");
			assert_string_equal(m.filter_id, "7");
			assert_int_equal(m.versions.minor, 11);
			assert_true(m.versions.features & MX_FEAT_AUTH_MEDIA);
			started++;
		}
		uv_timer_stop(&dog);
		uv_close((uv_handle_t *)&dog, dog_closed);
		matrix_free(&m);
		while (uv_run(&loop, UV_RUN_DEFAULT) != 0)
			;
		assert_int_equal(uv_loop_close(&loop), 0);
		db_close(db);
	}
	config_free(&cfg);
	server_stop(&srv);
	print_message("%d start-ups completed\n", started);
	assert_int_equal(stuck, 0);
	assert_int_equal(started, STARTS);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_request_completes),
		cmocka_unit_test(test_startup_never_hangs),
		cmocka_unit_test(test_concurrent_requests_complete_once),
		cmocka_unit_test(test_sends_reuse_and_are_never_repeated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
