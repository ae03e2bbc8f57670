/* Server-neutral behaviour (issue 21, item 2): refusals judged by errcode
 * with the status as fallback (bot/mx_error.c); a sync answer that
 * ignored the filter (bot/sync_filter.c); the sync loop's answers to a
 * refused filter id and a foreign since token, against a fake homeserver
 * behind the HTTP hook of bot/matrix.c (tests/unit/fake_http.h); what
 * /versions says (bot/versions.c). */
#include "tests/unit/fake_http.h"

#include <jansson.h>

#include "bot/mx_error.h"
#include "bot/sync.h"
#include "bot/sync_filter.h"
#include "bot/versions.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!west:demo.test"

/* ---- errcode first, status as the fallback ---- */

static enum mx_err kind(long status, const char *body)
{
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	enum mx_err k = mx_error_kind(status, j);
	json_decref(j);
	return k;
}

static void test_error_kinds(void **state)
{
	(void)state;
	assert_int_equal(kind(200, "{}"), MX_ERR_NONE);
	assert_int_equal(kind(0, NULL), MX_ERR_TRANSIENT);
	assert_int_equal(kind(502, NULL), MX_ERR_TRANSIENT);
	/* The errcode decides, whatever the status. */
	assert_int_equal(kind(400, "{\"errcode\":\"M_NOT_FOUND\"}"), MX_ERR_NOT_FOUND);
	assert_int_equal(kind(404, "{\"errcode\":\"M_UNRECOGNIZED\"}"), MX_ERR_UNRECOGNIZED);
	assert_int_equal(kind(403, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}"), MX_ERR_UNKNOWN_TOKEN);
	assert_int_equal(kind(401, "{\"errcode\":\"M_MISSING_TOKEN\"}"), MX_ERR_UNKNOWN_TOKEN);
	assert_int_equal(kind(401, "{\"errcode\":\"M_USER_LOCKED\"}"), MX_ERR_OTHER);
	assert_int_equal(kind(400, "{\"errcode\":\"M_INVALID_PARAM\"}"), MX_ERR_BAD_PARAM);
	assert_int_equal(kind(400, "{\"errcode\":\"M_BAD_JSON\"}"), MX_ERR_BAD_PARAM);
	assert_int_equal(kind(400, "{\"errcode\":\"M_UNKNOWN\"}"), MX_ERR_UNKNOWN);
	assert_int_equal(kind(400, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}"), MX_ERR_LIMIT);
	assert_int_equal(kind(400, "{\"errcode\":\"M_FORBIDDEN\"}"), MX_ERR_FORBIDDEN);
	/* No errcode (a proxy's page): the status. */
	assert_int_equal(kind(400, NULL), MX_ERR_BAD_PARAM);
	assert_int_equal(kind(401, "{}"), MX_ERR_UNKNOWN_TOKEN);
	assert_int_equal(kind(403, NULL), MX_ERR_FORBIDDEN);
	assert_int_equal(kind(404, NULL), MX_ERR_NOT_FOUND);
	assert_int_equal(kind(405, NULL), MX_ERR_UNRECOGNIZED);
	assert_int_equal(kind(429, NULL), MX_ERR_LIMIT);
	assert_int_equal(kind(418, NULL), MX_ERR_OTHER);
	assert_string_equal(mx_error_name(MX_ERR_NOT_FOUND), "not found");
}

static enum mx_sync_refusal refusal(long status, const char *body, int id,
				    int since)
{
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	enum mx_sync_refusal r = mx_sync_refusal(status, j, id, since);
	json_decref(j);
	return r;
}

static void test_sync_refusals(void **state)
{
	(void)state;
	const char *nf = "{\"errcode\":\"M_NOT_FOUND\"}";
	const char *ip = "{\"errcode\":\"M_INVALID_PARAM\"}";
	assert_int_equal(refusal(404, nf, 1, 1), MX_SYNC_FILTER);
	assert_int_equal(refusal(400, ip, 1, 0), MX_SYNC_FILTER);
	assert_int_equal(refusal(400, ip, 0, 1), MX_SYNC_SINCE);
	assert_int_equal(refusal(400, "{\"errcode\":\"M_UNKNOWN\"}", 0, 1), MX_SYNC_SINCE);
	assert_int_equal(refusal(400, NULL, 0, 1), MX_SYNC_SINCE);
	assert_int_equal(refusal(400, ip, 0, 0), MX_SYNC_RETRY);
	/* Not about the filter or the token, whatever the status. */
	assert_int_equal(refusal(400, "{\"errcode\":\"M_FORBIDDEN\"}", 1, 1), MX_SYNC_RETRY);
	assert_int_equal(refusal(400, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}", 0, 1), MX_SYNC_RETRY);
	assert_int_equal(refusal(404, "{\"errcode\":\"M_UNRECOGNIZED\"}", 1, 1), MX_SYNC_RETRY);
	assert_int_equal(refusal(400, "{\"errcode\":\"M_USER_LOCKED\"}", 0, 1), MX_SYNC_RETRY);
	assert_int_equal(refusal(502, NULL, 1, 1), MX_SYNC_RETRY);
}

/* ---- did the answer obey the filter? ---- */

static int ignored(const char *resp_json, char *why_out, size_t n)
{
	char *f = matrix_filter_json();
	json_t *filter = json_loads(f, 0, NULL);
	json_t *resp = json_loads(resp_json, 0, NULL);
	assert_non_null(filter);
	assert_non_null(resp);
	struct strbuf why = STRBUF_INIT;
	int r = sync_filter_ignored(filter, resp, &why);
	snprintf(why_out, n, "%s", why.buf);
	sb_release(&why);
	json_decref(resp);
	json_decref(filter);
	free(f);
	return r;
}

#define JOINED(room_body) "{\"next_batch\":\"s2\",\"rooms\":{\"join\":{\"" ROOM \
	"\":" room_body "}}}"

static void test_filter_ignored(void **state)
{
	(void)state;
	char why[200];
	/* What the filter lets through, and what it does not filter. */
	assert_int_equal(ignored(JOINED("{\"timeline\":{\"events\":[{\"type\":"
		"\"m.room.message\"},{\"type\":\"m.reaction\"}]},\"state\":{\"events\":"
		"[{\"type\":\"m.room.member\"}]},\"ephemeral\":{\"events\":[]}}"),
		why, sizeof why), 0);
	assert_int_equal(ignored("{\"next_batch\":\"s2\",\"to_device\":{\"events\":"
		"[{\"type\":\"m.room_key\"}]},\"device_lists\":{\"changed\":[\"@a:x\"]}}",
		why, sizeof why), 0);
	/* What it excludes. */
	assert_int_equal(ignored(JOINED("{\"timeline\":{\"events\":[{\"type\":"
		"\"m.room.message\"},{\"type\":\"m.room.topic\"}]}}"), why, sizeof why), 1);
	assert_string_equal(why, "a m.room.topic event in the timeline of " ROOM);
	assert_int_equal(ignored(JOINED("{\"state\":{\"events\":[{\"type\":"
		"\"m.room.join_rules\"}]}}"), why, sizeof why), 1);
	/* Not judged: what servers send whatever the filter says (Dendrite:
	 * m.push_rules on a first sync, with a filter it knows). */
	assert_int_equal(ignored(JOINED("{\"ephemeral\":{\"events\":[{\"type\":"
		"\"m.receipt\"}]},\"account_data\":{\"events\":[{\"type\":"
		"\"m.fully_read\"}]}}"), why, sizeof why), 0);
	assert_int_equal(ignored("{\"presence\":{\"events\":[{\"type\":\"m.presence\"}]},"
		"\"account_data\":{\"events\":[{\"type\":\"m.push_rules\"}]}}",
		why, sizeof why), 0);
	/* More than the timeline limit (100). */
	struct strbuf big = STRBUF_INIT;
	sb_add(&big, "{\"rooms\":{\"join\":{\"" ROOM "\":{\"timeline\":{\"events\":[");
	for (int i = 0; i < 101; i++)
		sb_addf(&big, "%s{\"type\":\"m.room.message\"}", i ? "," : "");
	sb_add(&big, "]}}}}}");
	assert_int_equal(ignored(big.buf, why, sizeof why), 1);
	assert_string_equal(why, "101 events in the timeline of " ROOM " (limit 100)");
	sb_release(&big);
}

/* ---- the sync loop against a fake homeserver ---- */

static char *rooms_west[] = { ROOM };
static struct wt_network net;
static struct wt_config cfg;

static int fake_dispatch(struct wt_ctx *ctx, const char *body)
{
	(void)ctx;
	(void)body;
	return WT_NOT_COMMAND;
}

struct bot {
	uv_loop_t loop;
	struct matrix m;
	struct sync_loop *sync;
	sqlite3 *db;
};

/* A bot with the registered filter filter_id (NULL: none, inline) and the
 * sync token since (NULL: none) stored. */
static void bot_start(struct bot *b, const char *since, const char *filter_id)
{
	memset(b, 0, sizeof *b);
	fakes_reset();
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
	b->db = fx_db();
	uv_loop_init(&b->loop);
	assert_int_equal(matrix_init(&b->m, &b->loop, b->db, &cfg), 0);
	b->m.send = fake_send;
	b->m.cancel = fake_cancel;
	b->m.backoff_base_ms = 2;
	b->m.backoff_max_ms = 8;
	b->m.token = strdup("tok");
	b->m.user_id = strdup(BOT);
	if (filter_id) {
		b->m.filter_id = strdup(filter_id);
		db_kv_set(b->db, "sync.filter_id", filter_id);
	}
	if (since)
		db_kv_set(b->db, "sync.next_batch", since);
	struct sync_env env = { .db = b->db, .cfg = &cfg, .user_id = BOT,
				.dispatch = fake_dispatch };
	b->sync = sync_loop_new(&b->m, &env, NULL, NULL);
	sync_loop_start(b->sync);
}

static void bot_stop(struct bot *b)
{
	matrix_free(&b->m);
	sync_loop_free(b->sync);
	uv_walk(&b->loop, close_any, NULL);
	for (int i = 0; i < 5 && uv_run(&b->loop, UV_RUN_DEFAULT) != 0; i++)
		;
	assert_int_equal(uv_loop_close(&b->loop), 0);
	fakes_reset();
	db_close(b->db);
}

/* The one live /sync, after turning the loop a while (a retry waits). */
static struct fake *next_sync(struct bot *b)
{
	for (int i = 0; i < 200 && !live_with("/sync"); i++)
		spin(&b->loop, 1);
	struct fake *f = live_with("/sync");
	assert_non_null(f);
	return f;
}

static int by_id(const struct fake *f) { return strstr(f->url, "filter=7&") != NULL; }
static int inline_f(const struct fake *f) { return strstr(f->url, "filter=%7B") != NULL; }
static int has_since(const struct fake *f, const char *t)
{
	char want[32];
	snprintf(want, sizeof want, "since=%s", t);
	return strstr(f->url, want) != NULL;
}

static char *kv(struct bot *b, const char *key)
{
	return db_kv_get(b->db, key);
}

static void assert_kv(struct bot *b, const char *key, const char *want)
{
	char *v = kv(b, key);
	if (want) {
		assert_non_null(v);
		assert_string_equal(v, want);
	} else {
		assert_null(v);
	}
	free(v);
}

/* An unknown filter id (404 M_NOT_FOUND; Synapse: 400 M_INVALID_PARAM):
 * the filter goes inline on trial, the token is kept; the answer confirms
 * it, and the id is dropped (registered anew at the next start). */
static void test_unknown_filter_id(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b, "s5", "7");
	struct fake *f = next_sync(&b);
	assert_true(by_id(f) && has_since(f, "s5"));
	answer(f, 404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"No such filter\"}");
	f = next_sync(&b);
	assert_true(inline_f(f) && has_since(f, "s5"));
	assert_kv(&b, "sync.filter_id", "7");   /* on trial */
	answer(f, 200, "{\"next_batch\":\"s6\"}");
	assert_kv(&b, "sync.filter_id", NULL);
	assert_kv(&b, "sync.next_batch", "s6");
	f = next_sync(&b);
	assert_true(inline_f(f) && has_since(f, "s6"));
	bot_stop(&b);
}

/* A foreign token (Synapse: 400 M_UNKNOWN): inline refused too, so the
 * probe without the token; it is answered, so the token goes, sync starts
 * from now, and the filter id (not the cause) is used again. */
static void test_foreign_token(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b, "s5", "7");
	answer(next_sync(&b), 400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"bad token\"}");
	struct fake *f = next_sync(&b);
	assert_true(inline_f(f) && has_since(f, "s5"));
	answer(f, 400, "{\"errcode\":\"M_INVALID_PARAM\"}");
	f = next_sync(&b);
	assert_true(inline_f(f));
	assert_null(strstr(f->url, "since="));   /* the probe */
	assert_kv(&b, "sync.next_batch", "s5");  /* kept until it is answered */
	answer(f, 200, "{\"next_batch\":\"n1\"}");
	assert_kv(&b, "sync.next_batch", "n1");
	assert_kv(&b, "sync.filter_id", "7");
	f = next_sync(&b);
	assert_true(by_id(f) && has_since(f, "n1"));
	bot_stop(&b);
}

/* The probe refused too: neither the token nor the filter id was the
 * cause; both are kept and tried again after a backoff. */
static void test_probe_refused_keeps_token(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b, "s5", "7");
	answer(next_sync(&b), 400, "{\"errcode\":\"M_UNKNOWN\"}");
	struct fake *f = next_sync(&b);
	assert_true(inline_f(f) && has_since(f, "s5"));
	answer(f, 400, "{\"errcode\":\"M_UNKNOWN\"}");
	f = next_sync(&b);
	assert_null(strstr(f->url, "since="));
	answer(f, 400, "{\"errcode\":\"M_UNKNOWN\"}");
	assert_int_equal(nlive(), 0);     /* a backoff, no instant retry */
	assert_kv(&b, "sync.next_batch", "s5");
	f = next_sync(&b);
	assert_true(by_id(f) && has_since(f, "s5"));
	answer(f, 200, "{\"next_batch\":\"s6\"}");
	assert_kv(&b, "sync.next_batch", "s6");
	assert_kv(&b, "sync.filter_id", "7");
	bot_stop(&b);
}

/* Refusals that are about neither the filter nor the token change
 * neither, whatever their status: a retry later with both. */
static void test_other_refusals_change_nothing(void **state)
{
	(void)state;
	static const struct { long status; const char *body; } cases[] = {
		{ 400, "{\"errcode\":\"M_FORBIDDEN\"}" },
		{ 400, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}" },
		{ 404, "{\"errcode\":\"M_UNRECOGNIZED\"}" },
		{ 418, "{}" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct bot b;
		bot_start(&b, "s5", "7");
		answer(next_sync(&b), cases[i].status, cases[i].body);
		assert_int_equal(nlive(), 0);  /* no instant retry: a backoff */
		struct fake *f = next_sync(&b);
		assert_true(by_id(f) && has_since(f, "s5"));
		assert_kv(&b, "sync.filter_id", "7");
		assert_kv(&b, "sync.next_batch", "s5");
		bot_stop(&b);
	}
}

/* Dendrite: an unknown filter id is answered 200, unfiltered. The answer
 * shows it (a m.room.topic in a timeline): inline from then on. An answer
 * that obeys the filter changes nothing. */
static void test_ignored_filter_goes_inline(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b, "s5", "7");
	answer(next_sync(&b), 200, "{\"next_batch\":\"s6\",\"rooms\":{\"join\":{\""
	       ROOM "\":{\"timeline\":{\"events\":[]}}}}}");
	struct fake *f = next_sync(&b);
	assert_true(by_id(f) && has_since(f, "s6"));
	answer(f, 200, "{\"next_batch\":\"s7\",\"rooms\":{\"join\":{\"" ROOM
	       "\":{\"timeline\":{\"events\":[{\"type\":\"m.room.topic\",\"event_id\":"
	       "\"$t\",\"sender\":\"@anna:demo.test\",\"state_key\":\"\","
	       "\"origin_server_ts\":1,\"content\":{\"topic\":\"x\"}}]}}}}}");
	assert_kv(&b, "sync.next_batch", "s7");  /* the answer itself is used */
	assert_kv(&b, "sync.filter_id", NULL);
	f = next_sync(&b);
	assert_true(inline_f(f) && has_since(f, "s7"));
	bot_stop(&b);
}

/* Without a since token a refusal of the inline filter is retried, and
 * nothing is deleted. */
static void test_first_sync_refused(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b, NULL, NULL);       /* registration failed: inline */
	struct fake *f = next_sync(&b);
	assert_true(inline_f(f));
	answer(f, 400, "{\"errcode\":\"M_BAD_JSON\"}");
	assert_int_equal(nlive(), 0);
	f = next_sync(&b);
	assert_true(inline_f(f));
	assert_null(strstr(f->url, "since="));
	bot_stop(&b);
}

/* ---- a dead token, by errcode ---- */

static long got_status;
static void on_answer(void *arg, long status, json_t *body)
{
	(void)arg;
	(void)body;
	got_status = status;
}

/* M_UNKNOWN_TOKEN means log in again whatever the status (403 too); a 401
 * with another errcode (M_USER_LOCKED) goes to the caller, no re-login. */
/* A request whose callback argument is its own (mx_request_owned): the
 * bot stopping with it in flight frees the argument; an answered one
 * leaves it to the callback. */
static int owned_freed;
static void owned_free(void *arg)
{
	owned_freed++;
	free(arg);
}
static void owned_cb(void *arg, long status, json_t *body)
{
	(void)status;
	(void)body;
	free(arg);
}

static void test_owned_arg_freed_at_stop(void **state)
{
	(void)state;
	struct bot b;
	bot_start(&b, "s1", "f1");
	owned_freed = 0;
	assert_non_null(mx_request_owned(&b.m, "GET", "/_matrix/client/v3/account/whoami", NULL,
					 0, 0, owned_cb, strdup("in flight"), owned_free));
	bot_stop(&b);
	assert_int_equal(owned_freed, 1);
}

static void test_dead_token_by_errcode(void **state)
{
	(void)state;
	sqlite3 *db = fx_db();
	struct sender s;
	sender_start(&s, db, "secret");
	got_status = -1;
	mx_request(&s.m, "GET", "/_matrix/client/v3/account/whoami", NULL, 0, 0,
		   on_answer, NULL);
	answer(live_with("/whoami"), 401, "{\"errcode\":\"M_USER_LOCKED\"}");
	assert_int_equal(got_status, 401);
	assert_int_equal(nlive(), 0);             /* no login */
	got_status = -1;
	mx_request(&s.m, "GET", "/_matrix/client/v3/account/whoami", NULL, 0, 0,
		   on_answer, NULL);
	answer(live_with("/whoami"), 403, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
	assert_int_equal(got_status, -1);         /* parked */
	struct fake *login = live_with("/login");
	assert_non_null(login);
	answer(login, 200, "{\"access_token\":\"tok2\",\"device_id\":\"D2\"}");
	struct fake *again = live_with("/whoami");
	assert_non_null(again);
	assert_string_equal(again->bearer, "tok2");
	answer(again, 200, "{\"user_id\":\"" BOT "\"}");
	assert_int_equal(got_status, 200);
	sender_stop(&s);
	db_close(db);
}

/* ---- /versions ---- */

static void versions(const char *body, struct mx_versions *v, char *d, size_t n)
{
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	mx_versions_parse(j, v);
	json_decref(j);
	struct strbuf s = STRBUF_INIT;
	mx_versions_describe(v, &s);
	snprintf(d, n, "%s", s.buf);
	sb_release(&s);
}

static void test_versions(void **state)
{
	(void)state;
	struct mx_versions v;
	char d[200];
	versions("{\"versions\":[\"r0.6.1\",\"v1.1\",\"v1.11\",\"v1.2\"]}", &v, d, sizeof d);
	assert_int_equal(v.minor, 11);
	assert_int_equal(v.features, MX_FEAT_REFRESH | MX_FEAT_THREADS
			 | MX_FEAT_MENTIONS | MX_FEAT_AUTH_MEDIA);
	assert_string_equal(d, "v1.11; refresh tokens, threads, m.mentions, "
			    "authenticated media");
	versions("{\"versions\":[\"r0.6.1\",\"v1.2\",\"v1.6\"],\"unstable_features\":"
		 "{\"org.matrix.msc3916.stable\":true}}", &v, d, sizeof d);
	assert_int_equal(v.minor, 6);
	assert_int_equal(v.features, MX_FEAT_REFRESH | MX_FEAT_THREADS
			 | MX_FEAT_AUTH_MEDIA);
	versions("{\"versions\":[\"r0.6.1\",\"v1.x\",\"v2.0\",7]}", &v, d, sizeof d);
	assert_int_equal(v.minor, -1);
	assert_int_equal(v.features, 0);
	assert_string_equal(d, "no v1.x version; none of the newer features");
	versions(NULL, &v, d, sizeof d);
	assert_int_equal(v.minor, -1);
	/* The media path follows what the server speaks. */
	v.features = MX_FEAT_AUTH_MEDIA;
	char *p = mx_media_download_path(&v, "mxc://demo.test/abc_1");
	assert_string_equal(p, "/_matrix/client/v1/media/download/demo.test/abc_1");
	free(p);
	v.features = 0;
	p = mx_media_download_path(&v, "mxc://demo.test/abc_1");
	assert_string_equal(p, "/_matrix/media/v3/download/demo.test/abc_1");
	free(p);
	assert_null(mx_media_download_path(&v, "https://demo.test/x"));
	assert_null(mx_media_download_path(&v, "mxc://demo.test/"));
	assert_null(mx_media_download_path(&v, "mxc://demo.test/a/../b"));
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_kinds),
		cmocka_unit_test(test_sync_refusals),
		cmocka_unit_test(test_filter_ignored),
		cmocka_unit_test(test_unknown_filter_id),
		cmocka_unit_test(test_foreign_token),
		cmocka_unit_test(test_probe_refused_keeps_token),
		cmocka_unit_test(test_other_refusals_change_nothing),
		cmocka_unit_test(test_ignored_filter_goes_inline),
		cmocka_unit_test(test_first_sync_refused),
		cmocka_unit_test(test_dead_token_by_errcode),
		cmocka_unit_test(test_owned_arg_freed_at_stop),
		cmocka_unit_test(test_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
