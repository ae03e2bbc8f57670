/* The widget's OpenID verification (issue 22, item 2; bot/openid.h): the
 * posted token is read strictly; only the allowed homeserver is asked, at
 * its configured URL; its answer gives a user of that server or nothing;
 * verified tokens are kept for a while; attempts are limited. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/openid.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"

static const struct openid_server servers[] = {
	{ "demo.test", "http://127.0.0.1:8008/" },
};

static int parse(const char *body, struct openid_token *t)
{
	return openid_token_parse(body, strlen(body), t);
}

static void test_token_parse(void **state)
{
	(void)state;
	struct openid_token t;
	assert_int_equal(parse("{\"access_token\":\"abcDEF123\",\"token_type\":\"Bearer\","
			       "\"matrix_server_name\":\"demo.test:8448\",\"expires_in\":3600}", &t),
			 OPENID_OK);
	assert_string_equal(t.access_token, "abcDEF123");
	assert_string_equal(t.server_name, "demo.test:8448");
	assert_int_equal(t.expires_in, 3600);
	openid_token_free(&t);
	assert_int_equal(parse("{\"access_token\":\"x\",\"matrix_server_name\":\"[::1]:8008\"}", &t),
			 OPENID_OK);
	openid_token_free(&t);
	const char *bad[] = {
		"", "null", "[]", "{\"access_token\":\"x\"}",
		"{\"matrix_server_name\":\"demo.test\"}",
		"{\"access_token\":\"\",\"matrix_server_name\":\"demo.test\"}",
		"{\"access_token\":\"a b\",\"matrix_server_name\":\"demo.test\"}",
		"{\"access_token\":\"a\\nb\",\"matrix_server_name\":\"demo.test\"}",
		"{\"access_token\":7,\"matrix_server_name\":\"demo.test\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"demo.test/evil\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"evil@demo.test\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"demo.test:\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"demo.test:123456\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"http://demo.test\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"[]\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"demo.test\",\"token_type\":\"MAC\"}",
		"{\"access_token\":\"x\",\"matrix_server_name\":\"demo.test\",\"expires_in\":\"1\"}",
		"{\"access_token\":\"x\",\"access_token\":\"y\",\"matrix_server_name\":\"demo.test\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse(bad[i], &t) != OPENID_E_MALFORMED)
			fail_msg("accepted: %s", bad[i]);
		assert_null(t.access_token);
	}
	char *big = malloc(OPENID_TOKEN_MAX + 80);
	strcpy(big, "{\"matrix_server_name\":\"demo.test\",\"access_token\":\"");
	size_t n = strlen(big);
	memset(big + n, 'a', OPENID_TOKEN_MAX + 1);
	strcpy(big + n + OPENID_TOKEN_MAX + 1, "\"}");
	assert_int_equal(parse(big, &t), OPENID_E_MALFORMED);
	free(big);
}

static void test_url_and_server(void **state)
{
	(void)state;
	char *u = openid_userinfo_url("http://127.0.0.1:8008/", "a+b/c=");
	assert_string_equal(u, "http://127.0.0.1:8008/_matrix/federation/v1/openid/userinfo"
			       "?access_token=a%2Bb%2Fc%3D");
	free(u);
	assert_non_null(openid_server_find(servers, 1, "DEMO.test"));
	assert_null(openid_server_find(servers, 1, "demo.test:8448"));
	assert_null(openid_server_find(servers, 1, "evil.test"));
	assert_null(openid_server_find(servers, 1, NULL));
}

static int userinfo(long status, const char *body, char **user)
{
	return openid_userinfo_parse(status, body, strlen(body), "demo.test", user);
}

static void test_userinfo(void **state)
{
	(void)state;
	char *user;
	assert_int_equal(userinfo(200, "{\"sub\":\"@lid:demo.test\"}", &user), OPENID_OK);
	assert_string_equal(user, "@lid:demo.test");
	free(user);
	assert_int_equal(userinfo(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}", &user), OPENID_E_INVALID);
	assert_null(user);
	assert_int_equal(userinfo(404, "{}", &user), OPENID_E_INVALID);
	assert_int_equal(userinfo(0, "", &user), OPENID_E_UNREACHABLE);
	assert_int_equal(userinfo(502, "<html>", &user), OPENID_E_UNREACHABLE);
	assert_int_equal(userinfo(429, "{}", &user), OPENID_E_UNREACHABLE);
	assert_int_equal(userinfo(400, "{}", &user), OPENID_E_ANSWER);
	const char *bad[] = { "", "{}", "[\"@lid:demo.test\"]", "{\"sub\":7}",
			      "{\"sub\":\"lid:demo.test\"}", "{\"sub\":\"@lid\"}",
			      "{\"sub\":\"@:demo.test\"}", "{\"sub\":\"@lid:evil.test\"}",
			      "{\"sub\":\"@lid:demo.test.evil\"}", "{\"sub\":\"@l id:demo.test\"}" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (userinfo(200, bad[i], &user) != OPENID_E_ANSWER)
			fail_msg("accepted: %s", bad[i]);
		assert_null(user);
	}
}

/* The answers a verification gave. */
struct got {
	int n, rc;
	char user[64];
};

static void got_cb(void *arg, int rc, const char *user)
{
	struct got *g = arg;
	g->n++;
	g->rc = rc;
	snprintf(g->user, sizeof g->user, "%s", user ? user : "");
}

static struct openid_verifier *verifier(void)
{
	fakes_reset();
	struct openid_verifier *v = openid_verifier_new(NULL, servers, 1);
	openid_verifier_set_send(v, fake_send, fake_cancel);
	return v;
}

static void tok(struct openid_token *t, char *token, char *server)
{
	*t = (struct openid_token){ .access_token = token, .server_name = server,
				    .expires_in = 3600 };
}

static void test_verify(void **state)
{
	(void)state;
	struct openid_verifier *v = verifier();
	struct openid_token t;
	struct got g = { 0 };
	tok(&t, "tok1", "demo.test");
	assert_non_null(openid_verify(v, &t, "10.0.0.1", 1000, got_cb, &g));
	assert_int_equal(g.n, 0);  /* later, from the loop */
	struct fake *f = live_with("/_matrix/federation/v1/openid/userinfo?access_token=tok1");
	assert_non_null(f);
	assert_string_equal(f->method, "GET");
	assert_int_equal(strncmp(f->url, "http://127.0.0.1:8008/_matrix/", 30), 0);
	assert_null(f->bearer);
	answer(f, 200, "{\"sub\":\"@lid:demo.test\"}");
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, OPENID_OK);
	assert_string_equal(g.user, "@lid:demo.test");
	/* Cached: answered at once, nothing asked. */
	assert_null(openid_verify(v, &t, "10.0.0.1", 2000, got_cb, &g));
	assert_int_equal(g.n, 2);
	assert_int_equal(g.rc, OPENID_OK);
	assert_int_equal(nfakes, 1);
	/* ... until the cache's time is over. */
	assert_non_null(openid_verify(v, &t, "10.0.0.1", 1000 + OPENID_CACHE_SECONDS * 1000 + 1,
				      got_cb, &g));
	answer(live_with("tok1"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
	assert_int_equal(g.n, 3);
	assert_int_equal(g.rc, OPENID_E_INVALID);
	/* Another token is no cached one (a forged token is asked about). */
	tok(&t, "tok2", "demo.test");
	assert_non_null(openid_verify(v, &t, "10.0.0.1", 3000, got_cb, &g));
	answer(live_with("tok2"), 200, "{\"sub\":\"@vreemd:evil.test\"}");
	assert_int_equal(g.rc, OPENID_E_ANSWER);
	/* A refusal is kept a while (a forged token costs one question),
	 * then asked again. */
	assert_null(openid_verify(v, &t, "10.0.0.1", 3001, got_cb, &g));
	assert_int_equal(g.n, 5);
	assert_int_equal(g.rc, OPENID_E_ANSWER);
	assert_int_equal(nfakes, 3);
	assert_non_null(openid_verify(v, &t, "10.0.0.1", 3000 + OPENID_REFUSED_MS, got_cb, &g));
	answer(live_with("tok2"), 503, "");
	assert_int_equal(g.n, 6);
	assert_int_equal(g.rc, OPENID_E_UNREACHABLE);
	openid_verifier_free(v);
}

static void test_refused_at_once(void **state)
{
	(void)state;
	struct openid_verifier *v = verifier();
	struct openid_token t;
	struct got g = { 0 };
	/* A server not allowed: nobody is asked (no request to any URL). */
	tok(&t, "tok1", "evil.test");
	assert_null(openid_verify(v, &t, "10.0.0.1", 1000, got_cb, &g));
	assert_int_equal(g.rc, OPENID_E_SERVER);
	tok(&t, NULL, "demo.test");
	assert_null(openid_verify(v, &t, "10.0.0.1", 1000, got_cb, &g));
	assert_int_equal(g.rc, OPENID_E_MALFORMED);
	assert_int_equal(g.n, 2);
	assert_int_equal(nfakes, 0);
	openid_verifier_free(v);
}

static void test_limits(void **state)
{
	(void)state;
	struct openid_verifier *v = verifier();
	struct openid_token t;
	struct got g = { 0 };
	char name[32];
	tok(&t, name, "demo.test");
	/* One client: OPENID_BURST attempts, then refused, then one more
	 * after OPENID_REFILL_MS. */
	for (int i = 0; i < OPENID_BURST; i++) {
		snprintf(name, sizeof name, "t%d", i);
		assert_non_null(openid_verify(v, &t, "10.0.0.1", 1000, got_cb, &g));
		answer(live_with(name), 401, "{}");
	}
	assert_int_equal(g.n, OPENID_BURST);
	snprintf(name, sizeof name, "again");
	assert_null(openid_verify(v, &t, "10.0.0.1", 1000, got_cb, &g));
	assert_int_equal(g.rc, OPENID_E_LIMIT);
	assert_null(live_with("again"));
	assert_non_null(openid_verify(v, &t, "10.0.0.1", 1000 + OPENID_REFILL_MS, got_cb, &g));
	answer(live_with("again"), 401, "{}");
	/* In all: at most OPENID_MAX_IN_FLIGHT questions at once. */
	for (int i = 0; i < OPENID_MAX_IN_FLIGHT; i++) {
		char client[32];
		snprintf(client, sizeof client, "10.1.0.%d", i);
		snprintf(name, sizeof name, "f%d", i);
		assert_non_null(openid_verify(v, &t, client, 5000, got_cb, &g));
	}
	snprintf(name, sizeof name, "over");
	int before = g.n;
	assert_null(openid_verify(v, &t, "10.2.0.1", 5000, got_cb, &g));
	assert_int_equal(g.n, before + 1);
	assert_int_equal(g.rc, OPENID_E_LIMIT);
	/* A cancelled job never calls back; freeing cancels the rest. */
	struct openid_job *j = NULL;
	answer(live_with("f0"), 401, "{}");
	snprintf(name, sizeof name, "late");
	j = openid_verify(v, &t, "10.3.0.1", 5000, got_cb, &g);
	assert_non_null(j);
	before = g.n;
	openid_cancel(v, j);
	assert_false(live_with("late"));
	openid_verifier_free(v);
	assert_int_equal(g.n, before);
	assert_int_equal(nlive(), 0);
}

/* openid_check, for a page that asks again: pending while the homeserver
 * is asked (one question however often it asks), then the answer. */
static void test_check(void **state)
{
	(void)state;
	struct openid_verifier *v = verifier();
	struct openid_token t;
	char *user;
	tok(&t, "tok1", "demo.test");
	assert_int_equal(openid_check(v, &t, "10.0.0.1", 1000, &user), OPENID_PENDING);
	assert_null(user);
	assert_int_equal(openid_check(v, &t, "10.0.0.1", 1100, &user), OPENID_PENDING);
	assert_int_equal(nfakes, 1);
	answer(live_with("tok1"), 200, "{\"sub\":\"@lid:demo.test\"}");
	assert_int_equal(openid_check(v, &t, "10.0.0.1", 1200, &user), OPENID_OK);
	assert_string_equal(user, "@lid:demo.test");
	free(user);
	tok(&t, "forged", "demo.test");
	assert_int_equal(openid_check(v, &t, "10.0.0.1", 1300, &user), OPENID_PENDING);
	answer(live_with("forged"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
	assert_int_equal(openid_check(v, &t, "10.0.0.1", 1400, &user), OPENID_E_INVALID);
	assert_null(user);
	tok(&t, "tok1", "evil.test");
	assert_int_equal(openid_check(v, &t, "10.0.0.1", 1500, &user), OPENID_E_SERVER);
	assert_int_equal(nfakes, 2);
	/* Freed with a question in flight: nothing calls back. */
	tok(&t, "tok3", "demo.test");
	assert_int_equal(openid_check(v, &t, "10.0.0.1", 1600, &user), OPENID_PENDING);
	openid_verifier_free(v);
	assert_int_equal(nlive(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_parse),
		cmocka_unit_test(test_url_and_server),
		cmocka_unit_test(test_userinfo),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_refused_at_once),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_check),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fakes_reset();
	return rc;
}
