/* Catch-up after downtime (bot/sync_loop.c with sync_apply_room_events):
 * a fake homeserver behind the HTTP hook of bot/matrix.c holds one room
 * with thousands of events; the sync after the downtime is cut ("limited")
 * and the loop must read every missed event forward with /messages, one
 * page at a time, from the stored token to the timeline, and handle every
 * command exactly once: also when the bot is stopped in the middle and
 * started again, with commands redacted meanwhile, and never events from
 * before the bot's join; and, as after a restored older backup, not the
 * commands the bot's own replies answer pages later. The database is a
 * real in-memory SQLite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/http.h"
#include "bot/matrix.h"
#include "bot/sync.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!west:demo.test"
#define MAXEV 6000
#define TIMELINE 100

/* ---- the room on the fake homeserver ---- */

/* Event i has origin_server_ts TS0 + i; tokens "s<k>" (sync) and "p<k>"
 * (pagination) both stand for the position before event k. */
#define TS0 100000

static int nevents;
static int is_cmd[MAXEV];
static int redacted[MAXEV];
static int own_join_at = -1;   /* an event of the bot's (re)join, or -1 */
static int handled[MAXEV];     /* dispatch calls per event */
static int pages_answered, max_limit, sync_count;
static int stop_after_pages;   /* answer no more /messages after this many */
static int no_prev_batch;      /* the cut timeline comes without prev_batch */
static int answer_of[MAXEV];   /* the bot's own reply to event k-1, or 0 */
static int react_of[MAXEV];    /* the bot's own reaction on event k-1, or 0 */
static int own_pages;          /* /messages asked for the bot's events only */

static void room_reset(int n)
{
	nevents = n;
	memset(is_cmd, 0, sizeof is_cmd);
	memset(redacted, 0, sizeof redacted);
	memset(handled, 0, sizeof handled);
	own_join_at = -1;
	pages_answered = max_limit = sync_count = 0;
	stop_after_pages = 0;
	no_prev_batch = 0;
	memset(answer_of, 0, sizeof answer_of);
	memset(react_of, 0, sizeof react_of);
	own_pages = 0;
}

static json_t *event_json(int i)
{
	char id[32], body[64];
	snprintf(id, sizeof id, "$e%d", i);
	if (i == own_join_at)
		return json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s},s:{s:{s:s}}}",
				 "type", "m.room.member", "event_id", id, "sender", BOT,
				 "state_key", BOT, "origin_server_ts", (json_int_t)(TS0 + i),
				 "content", "membership", "join",
				 "unsigned", "prev_content", "membership", "leave");
	if (answer_of[i] || react_of[i]) {  /* the bot's answer to a command */
		char target[32];
		snprintf(target, sizeof target, "$e%d", (answer_of[i] ? answer_of[i]
							  : react_of[i]) - 1);
		json_t *rel = answer_of[i]
			? json_pack("{s:{s:s}}", "m.in_reply_to", "event_id", target)
			: json_pack("{s:s,s:s,s:s}", "rel_type", "m.annotation",
				    "event_id", target, "key", "\u2705");
		return json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:o}}", "type",
				 answer_of[i] ? "m.room.message" : "m.reaction",
				 "event_id", id, "sender", BOT, "origin_server_ts",
				 (json_int_t)(TS0 + i), "content", "msgtype", "m.text",
				 "body", "klaar", "m.relates_to", rel);
	}
	snprintf(body, sizeof body, is_cmd[i] ? "!cmd %d" : "gewone tekst %d", i);
	json_t *ev = json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type",
			       "m.room.message", "event_id", id, "sender",
			       "@lid:demo.test", "origin_server_ts",
			       (json_int_t)(TS0 + i), "content", "msgtype", "m.text",
			       "body", body);
	if (redacted[i]) {  /* as a server serves a redacted event */
		json_object_set_new(ev, "content", json_object());
		json_object_set_new(ev, "unsigned", json_pack("{s:{s:s}}",
				    "redacted_because", "type", "m.room.redaction"));
	}
	return ev;
}

/* Position in a token "s<k>" or "p<k>" (-1 when malformed). */
static int token_pos(const char *t)
{
	if (!t || (t[0] != 's' && t[0] != 'p'))
		return -1;
	return atoi(t + 1);
}

/* The value of query parameter name in url (URL-decoded), or NULL. */
static char *query(const char *url, const char *name)
{
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "%s=", name);
	const char *p = strstr(url, key.buf);
	while (p && p[-1] != '?' && p[-1] != '&')
		p = strstr(p + 1, key.buf);
	size_t klen = key.len;
	sb_release(&key);
	if (!p)
		return NULL;
	p += klen;
	struct strbuf v = STRBUF_INIT;
	for (; *p && *p != '&'; p++) {
		if (*p == '%' && p[1] && p[2]) {
			char hex[3] = { p[1], p[2], 0 };
			sb_addc(&v, (char)strtol(hex, NULL, 16));
			p += 2;
		} else {
			sb_addc(&v, *p);
		}
	}
	return sb_detach(&v);
}

/* /sync: the first one (no since) has the bot's join only; after that the
 * room's last TIMELINE events, cut; then nothing new. */
static char *sync_answer(const char *since)
{
	json_t *events = json_array();
	json_t *room = json_pack("{s:{s:o}}", "timeline", "events", events);
	json_t *tl = json_object_get(room, "timeline");
	char next[32];
	if (!since) {
		json_array_append_new(events, json_pack(
			"{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
			"event_id", "$join0", "sender", BOT, "state_key", BOT,
			"origin_server_ts", (json_int_t)500, "content", "membership", "join"));
		snprintf(next, sizeof next, "s0");
	} else {
		int from = nevents > TIMELINE ? nevents - TIMELINE : 0;
		for (int i = from; i < nevents; i++)
			json_array_append_new(events, event_json(i));
		char prev[32];
		snprintf(prev, sizeof prev, "p%d", from);
		if (!no_prev_batch)
			json_object_set_new(tl, "prev_batch", json_string(prev));
		json_object_set_new(tl, "limited", json_boolean(from > 0));
		if (own_join_at >= 0 && own_join_at < from)  /* state since the token */
			json_object_set_new(room, "state", json_pack("{s:[o]}", "events",
					    event_json(own_join_at)));
		snprintf(next, sizeof next, "s%d", nevents);
	}
	json_t *r = json_pack("{s:s,s:{s:{s:o}}}", "next_batch", next, "rooms",
			      "join", ROOM, room);
	char *s = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	return s;
}

/* /messages: events strictly between from and to, in the direction asked
 * (forward oldest first, backward newest first), at most limit. */
static char *messages_answer(const char *url)
{
	char *from = query(url, "from"), *to = query(url, "to");
	char *dir = query(url, "dir"), *limit = query(url, "limit");
	char *filter = query(url, "filter");
	json_t *fj = filter ? json_loads(filter, 0, NULL) : NULL;
	const char *only = json_string_value(json_array_get(
		json_object_get(fj, "senders"), 0));
	int own_only = only && strcmp(only, BOT) == 0;
	own_pages += own_only;
	free(filter);
	json_decref(fj);
	int a = token_pos(from), b = to ? token_pos(to) : nevents;
	int lim = limit ? atoi(limit) : 10;
	if (lim > max_limit)
		max_limit = lim;
	json_t *r = json_pack("{s:s,s:[]}", "start", from ? from : "", "chunk");
	if (dir && strcmp(dir, "b") == 0 && a >= 0) {
		int stop = to ? b : 0;     /* newest first, down to `to` */
		int end = a - lim > stop ? a - lim : stop;
		for (int i = a - 1; i >= end; i--)
			json_array_append_new(json_object_get(r, "chunk"), event_json(i));
		if (end < a) {
			char e[32];
			snprintf(e, sizeof e, "p%d", end);
			json_object_set_new(r, "end", json_string(e));
		}
	} else if (dir && strcmp(dir, "f") == 0 && a >= 0 && b >= 0 && own_only) {
		int end = a, n = 0;  /* up to limit of the bot's own events */
		for (; end < b && n < lim; end++)
			if (answer_of[end] || react_of[end]) {
				json_array_append_new(json_object_get(r, "chunk"),
						      event_json(end));
				n++;
			}
		if (end > a) {
			char e[32];
			snprintf(e, sizeof e, "p%d", end);
			json_object_set_new(r, "end", json_string(e));
		}
	} else if (dir && strcmp(dir, "f") == 0 && a >= 0 && b >= 0) {
		int end = a + lim < b ? a + lim : b;
		for (int i = a; i < end; i++)
			json_array_append_new(json_object_get(r, "chunk"), event_json(i));
		if (end > a) {
			char e[32];
			snprintf(e, sizeof e, "p%d", end);
			json_object_set_new(r, "end", json_string(e));
		}
	}
	free(from);
	free(to);
	free(dir);
	free(limit);
	char *s = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	return s;
}

/* ---- the HTTP hook: requests wait until the test answers them ---- */

struct fake {
	char *url;
	http_cb cb;
	void *arg;
	int live;
};
static struct fake fakes[256];
static int nfakes;

static struct http_req *fake_send(struct http *h, const char *method,
				  const char *url, const char *bearer,
				  const char *body, long timeout_ms, http_cb cb,
				  void *arg)
{
	assert_true(nfakes < 256);
	struct fake *f = &fakes[nfakes++];
	f->url = strdup(url);
	f->cb = cb;
	f->arg = arg;
	f->live = 1;
	return (struct http_req *)f;
}

static void fake_cancel(struct http_req *r)
{
	((struct fake *)r)->live = 0;
}

/* Keep the array small: drop answered requests from the end. */
static void fakes_compact(void)
{
	while (nfakes > 0 && !fakes[nfakes - 1].live)
		free(fakes[--nfakes].url);
}

static void fakes_reset(void)
{
	for (int i = 0; i < nfakes; i++)
		free(fakes[i].url);
	nfakes = 0;
}

/* Answer the live requests one by one until none is left that the server
 * answers (the next long-poll, or pages past stop_after_pages). Returns
 * how many /messages requests were live at once at most. */
static int serve(void)
{
	int busiest = 0;
	for (int round = 0; round < 100000; round++) {
		struct fake *f = NULL;
		int live_pages = 0;
		for (int i = 0; i < nfakes; i++) {
			if (!fakes[i].live)
				continue;
			if (strstr(fakes[i].url, "/messages"))
				live_pages++;
			if (!f)
				f = &fakes[i];
		}
		if (live_pages > busiest)
			busiest = live_pages;
		if (!f)
			return busiest;
		char *body;
		if (strstr(f->url, "/sync")) {
			char *since = query(f->url, "since");
			if (since && token_pos(since) == nevents) {
				free(since);
				return busiest;   /* the next long-poll: caught up */
			}
			sync_count++;
			body = sync_answer(since);
			free(since);
		} else if (strstr(f->url, "/messages")) {
			if (stop_after_pages && pages_answered >= stop_after_pages)
				return busiest;   /* "killed" before this page */
			pages_answered++;
			body = messages_answer(f->url);
		} else {
			fail_msg("unexpected request %s", f->url);
			return busiest;
		}
		struct http_response res = { .status = 200, .body = body,
					     .len = strlen(body), .retry_after_ms = -1 };
		f->live = 0;
		f->cb(f->arg, &res);
		free(body);
		fakes_compact();
	}
	fail_msg("the loop never settled");
	return busiest;
}

/* ---- the bot side ---- */

static int fake_dispatch(struct wt_ctx *ctx, const char *body)
{
	if (body[0] != '!')
		return WT_NOT_COMMAND;
	int i = atoi(ctx->event_id + 2);
	assert_true(i >= 0 && i < MAXEV);
	handled[i]++;
	struct wt_replies *r = ctx->out;
	r->v = realloc(r->v, (r->n + 1) * sizeof *r->v);
	struct wt_reply *x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->markdown = strdup("klaar");
	x->in_reply_to = strdup(ctx->event_id);
	return WT_OK;
}

static char *rooms_west[] = { ROOM };
static struct wt_network net;
static struct wt_config cfg;

struct bot {
	uv_loop_t loop;
	struct matrix m;
	struct sync_loop *sync;
};

static void bot_start(struct bot *b, sqlite3 *db)
{
	memset(b, 0, sizeof *b);
	fakes_reset();
	uv_loop_init(&b->loop);
	assert_int_equal(matrix_init(&b->m, &b->loop, db, &cfg), 0);
	b->m.send = fake_send;
	b->m.cancel = fake_cancel;
	b->m.token = strdup("tok");
	b->m.user_id = strdup(BOT);
	struct sync_env env = { .db = db, .cfg = &cfg, .user_id = BOT,
				.dispatch = fake_dispatch, .now = NULL };
	b->sync = sync_loop_new(&b->m, &env, NULL, NULL);
	sync_loop_start(b->sync);
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Stop as a kill would: nothing more is processed, only what was
 * committed stays. */
static void bot_stop(struct bot *b)
{
	matrix_free(&b->m);
	sync_loop_free(b->sync);
	uv_walk(&b->loop, close_any, NULL);
	for (int i = 0; i < 5 && uv_run(&b->loop, UV_RUN_DEFAULT) != 0; i++)
		;
	assert_int_equal(uv_loop_close(&b->loop), 0);
	fakes_reset();
}

static int setup(void **state)
{
	sqlite3 *db = fx_db();
	memset(&net, 0, sizeof net);
	net.name = "west";
	net.rooms = rooms_west;
	net.nrooms = 1;
	net.lang = LANG_NL;
	memset(&cfg, 0, sizeof cfg);
	cfg.homeserver = "http://hs.demo.test";
	cfg.user_id = BOT;
	cfg.networks = &net;
	cfg.nnetworks = 1;
	/* Every command comes from one member within seconds: no flood limit. */
	cfg.ratelimit.per_minute = WT_RATE_MAX;
	cfg.ratelimit.burst = WT_RATE_MAX;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	db_close(*state);
	return 0;
}

/* The bot's first sync (history skipped) on an empty room; the room's
 * events then come while the bot is down. */
static void first_run(struct bot *b, sqlite3 *db)
{
	int n = nevents;
	nevents = 0;
	bot_start(b, db);
	serve();           /* first sync "s0"; then the long-poll since s0 */
	bot_stop(b);
	fx_assert_token(db, "s0");
	nevents = n;
}

/* Commands at the first and the last of 5,000 events and every 49 in
 * between: all handled once; pages forward, 100 events each, one at a
 * time; the token committed only at the end. */
static void test_every_command_once(void **state)
{
	sqlite3 *db = *state;
	room_reset(5000);
	int ncmd = 0;
	for (int i = 0; i < nevents; i++)
		if (i == 0 || i == nevents - 1 || i % 49 == 0)
			is_cmd[i] = 1, ncmd++;
	struct bot b;
	first_run(&b, db);
	bot_start(&b, db);
	int busiest = serve();
	bot_stop(&b);
	for (int i = 0; i < nevents; i++)
		if (handled[i] != is_cmd[i])
			fail_msg("event %d handled %d times", i, handled[i]);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM handled_events"), ncmd);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM outbox"), ncmd);
	fx_assert_token(db, "s5000");
	assert_int_equal(max_limit, 100);
	assert_int_equal(busiest, 1);
	/* (5000 - 100) / 100 pages, and the one that finds nothing more;
	 * before them the pre-pass for the bot's own answers (none here) */
	assert_true(own_pages >= 1 && own_pages <= 2);
	assert_true(pages_answered - own_pages >= 49
		    && pages_answered - own_pages <= 50);
}

/* Stopped after 20 pages of the gap (and the 2 of the pre-pass for the
 * bot's own answers, none here): those pages' commands are committed, the
 * token is not; the next start reads from the old token again and handles
 * the rest, each command once over both runs. */
static void test_stop_in_the_middle(void **state)
{
	sqlite3 *db = *state;
	room_reset(5000);
	int ncmd = 0;
	for (int i = 0; i < nevents; i += 37)
		is_cmd[i] = 1, ncmd++;
	is_cmd[nevents - 1] = 1, ncmd++;
	struct bot b;
	first_run(&b, db);
	stop_after_pages = 2 + 20;
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	fx_assert_token(db, "s0");
	int early = fx_int(db, "SELECT COUNT(*) FROM handled_events");
	assert_true(early > 0 && early < ncmd);
	for (int i = 0; i < 20 * 100; i++)
		assert_int_equal(handled[i], is_cmd[i]);
	stop_after_pages = 0;
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	for (int i = 0; i < nevents; i++)
		if (handled[i] != is_cmd[i])
			fail_msg("event %d handled %d times", i, handled[i]);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM outbox"), ncmd);
	fx_assert_token(db, "s5000");
}

/* A command redacted while the bot was down comes redacted: not handled. */
static void test_redacted_in_the_gap(void **state)
{
	sqlite3 *db = *state;
	room_reset(1000);
	is_cmd[10] = is_cmd[500] = is_cmd[999] = 1;
	redacted[500] = 1;
	struct bot b;
	first_run(&b, db);
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	assert_int_equal(handled[10], 1);
	assert_int_equal(handled[500], 0);
	assert_int_equal(handled[999], 1);
	fx_assert_token(db, "s1000");
}

/* The bot joined again during the gap (its join in the response's state):
 * what came before that join is history, what came after is handled. */
static void test_join_in_the_gap(void **state)
{
	sqlite3 *db = *state;
	room_reset(1000);
	is_cmd[100] = is_cmd[599] = is_cmd[601] = is_cmd[950] = 1;
	own_join_at = 600;
	struct bot b;
	first_run(&b, db);
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	assert_int_equal(handled[100], 0);
	assert_int_equal(handled[599], 0);
	assert_int_equal(handled[601], 1);
	assert_int_equal(handled[950], 1);
	fx_assert_token(db, "s1000");
}

/* The bot's join in the timeline itself: everything before is history,
 * and nothing is read from it. */
static void test_join_in_the_timeline(void **state)
{
	sqlite3 *db = *state;
	room_reset(1000);
	is_cmd[10] = is_cmd[500] = is_cmd[950] = 1;
	own_join_at = 940;
	struct bot b;
	first_run(&b, db);
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	assert_int_equal(pages_answered, 0);
	assert_int_equal(handled[10], 0);
	assert_int_equal(handled[500], 0);
	assert_int_equal(handled[950], 1);
	fx_assert_token(db, "s1000");
}

/* A cut timeline without prev_batch: read on until its first event. */
static void test_no_prev_batch(void **state)
{
	sqlite3 *db = *state;
	room_reset(1000);
	is_cmd[0] = is_cmd[899] = is_cmd[900] = is_cmd[999] = 1;
	no_prev_batch = 1;
	struct bot b;
	first_run(&b, db);
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	for (int i = 0; i < nevents; i++)
		if (handled[i] != is_cmd[i])
			fail_msg("event %d handled %d times", i, handled[i]);
	fx_assert_token(db, "s1000");
}

/* A restored older backup: the gap holds commands the bot answered
 * before, its replies and reactions pages later (page 0 has the commands,
 * page 4 the answers) or in the timeline; the catch-up handles none of
 * them again, and the commands nobody answered once each. */
static void restored_room(void)
{
	room_reset(1000);   /* the gap: events 0..899; the timeline: 900..999 */
	is_cmd[10] = is_cmd[20] = is_cmd[30] = is_cmd[650] = is_cmd[950] = 1;
	answer_of[450] = 10 + 1;
	answer_of[460] = 20 + 1;
	react_of[470] = 30 + 1;
	answer_of[905] = 650 + 1;  /* a gap command answered in the timeline */
	answer_of[960] = 950 + 1;
	is_cmd[700] = is_cmd[980] = 1;  /* never answered */
}

static void assert_restored_once(sqlite3 *db)
{
	for (int i = 0; i < nevents; i++) {
		int want = i == 700 || i == 980;
		if (handled[i] != want)
			fail_msg("event %d handled %d times", i, handled[i]);
	}
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM outbox"), 2);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM handled_events"), 7);
	fx_assert_token(db, "s1000");
}

static void test_restored_answers_later(void **state)
{
	sqlite3 *db = *state;
	restored_room();
	struct bot b;
	first_run(&b, db);
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	assert_restored_once(db);
	assert_true(own_pages >= 1);
}

/* The same, stopped during the pre-pass and again during the catch-up:
 * the pre-pass is redone and records nothing twice. */
static void test_restored_stop_in_the_middle(void **state)
{
	sqlite3 *db = *state;
	restored_room();
	struct bot b;
	first_run(&b, db);
	stop_after_pages = 1;   /* the first own page only */
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	fx_assert_token(db, "s0");
	stop_after_pages = 5;   /* the pre-pass and a few pages of the gap */
	pages_answered = 0;
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	fx_assert_token(db, "s0");
	stop_after_pages = 0;
	bot_start(&b, db);
	serve();
	bot_stop(&b);
	assert_restored_once(db);
}

/* A body pushed by the WebSocket transport takes the same way. */
static void test_restored_pushed(void **state)
{
	sqlite3 *db = *state;
	restored_room();
	struct bot b;
	first_run(&b, db);
	bot_start(&b, db);
	sync_loop_pause(b.sync);  /* drops the long-poll */
	char *text = sync_answer("s0");
	json_t *body = json_loads(text, 0, NULL);
	free(text);
	sync_loop_feed(b.sync, body);
	json_decref(body);
	serve();
	bot_stop(&b);
	assert_restored_once(db);
	assert_true(own_pages >= 1);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_command_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_in_the_middle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redacted_in_the_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_in_the_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_in_the_timeline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_prev_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restored_answers_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restored_stop_in_the_middle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restored_pushed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
