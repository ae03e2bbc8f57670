/* The next long-poll waits for the replies of the batch just handled
 * (bot/sync.h, sync_loop_hold_while): a /sync waiting on the homeserver
 * when the bot's reply lands is woken with the member's, and on Synapse
 * the member's answer then waits for the bot's. Against a fake homeserver
 * behind the HTTP hook of bot/matrix.c, with the real sync loop, handlers'
 * path and outbox. */
#include "tests/unit/fake_http.h"

#include <jansson.h>

#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "handlers/reply.h"
#include "lib/log.h"
#include "tests/unit/fixture.h"

#define ROOM "!west:demo.test"

static char *rooms_west[] = { ROOM };
static struct wt_network net;

static int answering(struct wt_ctx *ctx, const char *body)
{
	if (strncmp(body, "!", 1) != 0)
		return WT_NOT_COMMAND;
	reply_add(ctx, "klaar");
	return WT_OK;
}

static int busy(void *arg)
{
	return outbox_in_flight(arg) > 0;
}

static void sent(void *arg)
{
	sync_loop_sent(arg);
}

struct bot {
	struct sender s;
	struct sync_loop *sync;
	sqlite3 *db;
};

static void bot_start(struct bot *b)
{
	memset(b, 0, sizeof *b);
	b->db = fx_db();
	sender_start(&b->s, b->db, NULL);
	memset(&net, 0, sizeof net);
	net.name = "west";
	net.rooms = rooms_west;
	net.nrooms = 1;
	net.lang = LANG_NL;
	b->s.cfg.networks = &net;
	b->s.cfg.nnetworks = 1;
	db_kv_set(b->db, "sync.next_batch", "s1");
	struct sync_env env = { .db = b->db, .cfg = &b->s.cfg,
				.user_id = b->s.m.user_id, .dispatch = answering };
	b->sync = sync_loop_new(&b->s.m, &env, outbox_flush_cb, b->s.f);
	sync_loop_hold_while(b->sync, busy, b->s.f);
	outbox_on_idle(b->s.f, sent, b->sync);
	sync_loop_start(b->sync);
}

static void bot_stop(struct bot *b)
{
	sync_loop_free(b->sync);
	sender_stop(&b->s);
	db_close(b->db);
}

/* A sync answer with n events of the room, bodies from body. */
static void answer_sync(struct fake *f, const char *next, const char *body)
{
	char buf[1024];
	snprintf(buf, sizeof buf,
		 "{\"next_batch\":\"%s\",\"rooms\":{\"join\":{\"" ROOM "\":{"
		 "\"timeline\":{\"events\":[{\"type\":\"m.room.message\","
		 "\"event_id\":\"$%s\",\"sender\":\"@anna:demo.test\","
		 "\"origin_server_ts\":1,\"content\":{\"msgtype\":\"m.text\","
		 "\"body\":\"%s\"}}]}}}}}", next, next, body);
	answer(f, 200, buf);
}

static struct fake *wait_live(struct bot *b, const char *part, int ms)
{
	for (int i = 0; i < ms && !live_with(part); i++)
		spin(&b->s.loop, 1);
	return live_with(part);
}

/* A command: its reply's PUT goes, the next /sync only once it is
 * answered. A plain message (no reply) polls again at once. */
static void test_poll_waits_for_the_reply(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b);
	answer_sync(wait_live(&b, "/sync", 50), "s2", "gewone tekst");
	struct fake *f = wait_live(&b, "/sync", 50);
	assert_non_null(f);
	assert_non_null(strstr(f->url, "since=s2"));
	answer_sync(f, "s3", "!agenda");
	struct fake *put = wait_live(&b, "/send/", 50);
	assert_non_null(put);
	spin(&b.s.loop, 20);
	assert_null(live_with("/sync"));  /* held while the reply is out */
	answer(put, 200, "{\"event_id\":\"$reply\"}");
	f = wait_live(&b, "/sync", 50);
	assert_non_null(f);
	assert_non_null(strstr(f->url, "since=s3"));
	bot_stop(&b);
}

/* A PUT that hangs holds the poll SYNC_HOLD_MAX_MS at most. */
static void test_hold_is_bounded(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b);
	answer_sync(wait_live(&b, "/sync", 50), "s2", "!agenda");
	struct fake *put = wait_live(&b, "/send/", 50);
	assert_non_null(put);
	spin(&b.s.loop, SYNC_HOLD_MAX_MS / 2);
	assert_null(live_with("/sync"));
	struct fake *f = wait_live(&b, "/sync", SYNC_HOLD_MAX_MS);
	assert_non_null(f);
	assert_non_null(strstr(f->url, "since=s2"));
	assert_true(put->live);  /* the send goes on by itself */
	bot_stop(&b);
}

int main(void)
{
	log_set_level(LOG_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_waits_for_the_reply),
		cmocka_unit_test(test_hold_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
