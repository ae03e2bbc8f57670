/* fake_http: a fake HTTP layer under struct matrix for the unit tests of
 * the sender (bot/outbox.c, bot/matrix.c): requests are recorded, and the
 * test answers them by hand. Static, included by the tests that use it. */
#ifndef WT_TEST_FAKE_HTTP_H
#define WT_TEST_FAKE_HTTP_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/http.h"
#include "bot/matrix.h"
#include "bot/outbox.h"
#include "storage/db.h"

struct fake {
	char *method, *url, *bearer, *body;
	http_cb cb;
	void *arg;
	int live;
};
static struct fake fakes[64];
static int nfakes;

static inline struct http_req *fake_send(struct http *h, const char *method,
				  const char *url, const char *bearer,
				  const char *body, long timeout_ms, http_cb cb,
				  void *arg)
{
	assert_true(nfakes < 64);
	struct fake *f = &fakes[nfakes++];
	f->method = strdup(method);
	f->url = strdup(url);
	f->bearer = bearer ? strdup(bearer) : NULL;
	f->body = body ? strdup(body) : NULL;
	f->cb = cb;
	f->arg = arg;
	f->live = 1;
	return (struct http_req *)f;
}

static inline void fake_cancel(struct http_req *r)
{
	((struct fake *)r)->live = 0;
}

static inline void fakes_reset(void)
{
	for (int i = 0; i < nfakes; i++) {
		free(fakes[i].method);
		free(fakes[i].url);
		free(fakes[i].bearer);
		free(fakes[i].body);
	}
	memset(fakes, 0, sizeof fakes);
	nfakes = 0;
}

static inline int nlive(void)
{
	int n = 0;
	for (int i = 0; i < nfakes; i++)
		n += fakes[i].live;
	return n;
}

/* The one live request whose URL contains part (NULL when none). */
static inline struct fake *live_with(const char *part)
{
	struct fake *found = NULL;
	for (int i = 0; i < nfakes; i++)
		if (fakes[i].live && strstr(fakes[i].url, part)) {
			assert_null(found);
			found = &fakes[i];
		}
	return found;
}

/* The flusher of the running sender (sender_start), or NULL. */
static struct outbox_flusher *fake_flusher;

/* The homeserver's answer to f, as one turn of the loop ends: the flusher
 * writes what was sent (outbox_settle) as it does after each turn. */
static inline void answer(struct fake *f, long status, const char *body)
{
	struct http_response res = { .status = status, .body = body,
				     .len = strlen(body), .retry_after_ms = -1 };
	assert_non_null(f);
	f->live = 0;
	f->cb(f->arg, &res);
	if (fake_flusher)
		outbox_settle(fake_flusher);
}

static inline void spin(uv_loop_t *loop, int ms)
{
	for (int i = 0; i < ms; i++) {
		uv_run(loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
	uv_run(loop, UV_RUN_NOWAIT);
}

static inline char *txn_of(sqlite3 *db, long long id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT txn_id FROM outbox WHERE id = ?1");
	char *t = NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		t = strdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return t;
}

/* The number of outbox rows matching where (a constant SQL condition). */
#define rows(db, where) count_rows((db), "SELECT COUNT(*) FROM outbox WHERE " where)

static inline int count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	db_done(st);
	return n;
}

struct sender {
	uv_loop_t loop;
	struct matrix m;
	struct wt_config cfg;
	struct outbox_flusher *f;
};

static inline void sender_start(struct sender *s, sqlite3 *db, const char *password)
{
	memset(s, 0, sizeof *s);
	fakes_reset();
	uv_loop_init(&s->loop);
	s->cfg.homeserver = "http://hs.demo.test/";
	s->cfg.user_id = "@werktafel:demo.test";
	s->cfg.password = (char *)password;
	assert_int_equal(matrix_init(&s->m, &s->loop, db, &s->cfg), 0);
	s->m.send = fake_send;
	s->m.cancel = fake_cancel;
	s->m.backoff_base_ms = 2;
	s->m.backoff_max_ms = 8;
	s->m.token = strdup("tok1");
	s->m.user_id = strdup("@werktafel:demo.test");
	s->f = outbox_flusher_new(&s->m);
	fake_flusher = s->f;
}

static inline void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static inline void sender_stop(struct sender *s)
{
	fake_flusher = NULL;
	outbox_flusher_free(s->f);
	matrix_free(&s->m);
	uv_walk(&s->loop, close_any, NULL);
	/* matrix_stop may have set the stop flag: run until all is closed. */
	for (int i = 0; i < 5 && uv_run(&s->loop, UV_RUN_DEFAULT) != 0; i++)
		;
	assert_int_equal(uv_loop_close(&s->loop), 0);
	fakes_reset();
}

#endif
