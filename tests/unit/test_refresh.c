/* Refresh tokens (bot/refresh.h, bot/tokens.h): the token file's two forms,
 * written atomically with mode 0600; the answers of login, /refresh and an
 * OAuth token endpoint; the refresh delay; and against a fake HTTP layer:
 * a soft-logout 401 refreshes and the waiting request goes again with the
 * same path (txn id) and the new token, requests started meanwhile wait,
 * the timer refreshes before expiry, a refused refresh falls back to the
 * password or stops with exit code 3, a hard logout logs in again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/matrix.h"
#include "bot/refresh.h"
#include "bot/tokens.h"
#include "storage/db.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"

#define SEND_PATH "/_matrix/client/v3/rooms/%21a:demo.test/send/m.room.message/wt-1-abc"

static void test_parse_forms(void **state)
{
	(void)state;
	struct mx_tokens t;
	assert_int_equal(mx_tokens_parse("", &t), TOKENS_NONE);
	assert_int_equal(mx_tokens_parse(" \n", &t), TOKENS_NONE);
	assert_int_equal(mx_tokens_parse("syt_abc\n", &t), TOKENS_PLAIN);
	assert_string_equal(t.access, "syt_abc");
	assert_null(t.refresh);
	mx_tokens_free(&t);
	assert_int_equal(mx_tokens_parse("two\nlines\n", &t), TOKENS_BAD);
	assert_int_equal(mx_tokens_parse("{\"refresh_token\":\"r\"}", &t), TOKENS_BAD);
	assert_int_equal(mx_tokens_parse("{broken", &t), TOKENS_BAD);
	assert_int_equal(mx_tokens_parse(
		"{\"access_token\":\"a1\",\"refresh_token\":\"r1\","
		"\"expires_at_ms\":1700000000000,\"device_id\":\"DEV\","
		"\"token_endpoint\":\"https://auth.demo.test/token\","
		"\"client_id\":\"c1\"}", &t), TOKENS_JSON);
	assert_string_equal(t.access, "a1");
	assert_string_equal(t.refresh, "r1");
	assert_true(t.expires_ms == 1700000000000LL);
	assert_string_equal(t.device_id, "DEV");
	assert_string_equal(t.token_endpoint, "https://auth.demo.test/token");
	assert_string_equal(t.client_id, "c1");
	mx_tokens_free(&t);
}

static void test_answers_and_delay(void **state)
{
	(void)state;
	struct mx_tokens t = { 0 };
	json_t *login = json_loads("{\"access_token\":\"a1\",\"refresh_token\":\"r1\","
				   "\"expires_in_ms\":60000,\"device_id\":\"D\"}", 0, NULL);
	assert_int_equal(mx_tokens_from_answer(login, 1000, &t), 0);
	assert_string_equal(t.access, "a1");
	assert_string_equal(t.refresh, "r1");
	assert_true(t.expires_ms == 61000);
	/* /refresh without a new refresh token keeps the old one. */
	json_t *ref = json_loads("{\"access_token\":\"a2\",\"expires_in_ms\":5000}", 0, NULL);
	assert_int_equal(mx_tokens_from_answer(ref, 2000, &t), 0);
	assert_string_equal(t.access, "a2");
	assert_string_equal(t.refresh, "r1");
	assert_true(t.expires_ms == 7000);
	/* OAuth: expires_in in seconds. */
	json_t *oauth = json_loads("{\"access_token\":\"a3\",\"refresh_token\":\"r3\","
				   "\"expires_in\":300,\"token_type\":\"Bearer\"}", 0, NULL);
	assert_int_equal(mx_tokens_from_answer(oauth, 0, &t), 0);
	assert_true(t.expires_ms == 300000);
	json_t *none = json_loads("{\"errcode\":\"M_UNKNOWN_TOKEN\"}", 0, NULL);
	assert_int_equal(mx_tokens_from_answer(none, 0, &t), -1);
	assert_string_equal(t.access, "a3");
	mx_tokens_free(&t);
	json_decref(login);
	json_decref(ref);
	json_decref(oauth);
	json_decref(none);
	assert_true(mx_refresh_delay_ms(0, 5) == -1);
	assert_true(mx_refresh_delay_ms(60000, 0) == 48000);      /* a fifth early */
	assert_true(mx_refresh_delay_ms(3600000, 0) == 3540000);  /* at most 60 s */
	assert_true(mx_refresh_delay_ms(1000, 500) == 0);
	assert_true(mx_refresh_delay_ms(1000, 5000) == 0);
}

static void tmp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "/tmp/wt-refresh-%d-%s", (int)getpid(), name);
	unlink(buf);
}

static void test_write_atomic_0600(void **state)
{
	(void)state;
	char path[128], tmp[140];
	tmp_path(path, sizeof path, "token");
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	struct mx_tokens plain = { .access = "only" };
	assert_int_equal(mx_tokens_write(path, &plain), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct mx_tokens back;
	assert_int_equal(mx_tokens_read(path, &back), TOKENS_PLAIN);
	assert_string_equal(back.access, "only");
	mx_tokens_free(&back);
	chmod(path, 0644);  /* a looser file is tightened, then replaced */
	struct mx_tokens full = { .access = "a1", .refresh = "r1",
				  .expires_ms = 1234, .device_id = "DEV" };
	assert_int_equal(mx_tokens_write(path, &full), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(access(tmp, F_OK), -1);  /* no temporary file left */
	assert_int_equal(mx_tokens_read(path, &back), TOKENS_JSON);
	assert_string_equal(back.refresh, "r1");
	assert_true(back.expires_ms == 1234);
	mx_tokens_free(&back);
	unlink(path);
	assert_int_equal(mx_tokens_read(path, &back), TOKENS_NONE);
	/* A directory that is not there: -1, nothing written. */
	assert_int_equal(mx_tokens_write("/nonexistent-dir/token", &full), -1);
}

static struct { int calls; long status; } got;

static void on_answer(void *arg, long status, json_t *body)
{
	(void)arg;
	(void)body;
	got.calls++;
	got.status = status;
}

/* A bot with a refreshable session: token tok1, refresh token ref1. */
static void start_refreshable(struct sender *s, sqlite3 *db, const char *password,
			      const char *token_file)
{
	sender_start(s, db, password);
	s->cfg.access_token_file = (char *)token_file;
	s->m.refresh_token = strdup("ref1");
	s->m.token_expires_ms = mx_now_ms() + 3600000;
	memset(&got, 0, sizeof got);
}

static void test_soft_logout_refreshes(void **state)
{
	sqlite3 *db = *state;
	char path[128];
	tmp_path(path, sizeof path, "soft");
	struct sender s;
	start_refreshable(&s, db, NULL, path);
	mx_request(&s.m, "PUT", SEND_PATH, "{\"body\":\"x\"}", 0, 0, on_answer, NULL);
	answer(live_with("/send/"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\","
	       "\"error\":\"Access token has expired\",\"soft_logout\":true}");
	struct fake *ref = live_with("/_matrix/client/v3/refresh");
	assert_non_null(ref);
	assert_string_equal(ref->method, "POST");
	assert_null(ref->bearer);
	assert_string_equal(ref->body, "{\"refresh_token\":\"ref1\"}");
	assert_null(live_with("/send/"));  /* waits for the new token */
	assert_null(live_with("/_matrix/client/v3/login"));
	/* A request started during the refresh waits as well. */
	mx_request(&s.m, "GET", "/_matrix/client/v3/account/whoami", NULL, 0, 0, NULL, NULL);
	assert_null(live_with("/whoami"));
	answer(ref, 200, "{\"access_token\":\"tok2\",\"refresh_token\":\"ref2\","
	       "\"expires_in_ms\":60000}");
	struct fake *again = live_with("/send/");
	assert_non_null(again);
	assert_non_null(strstr(again->url, "/wt-1-abc"));  /* the same txn id */
	assert_string_equal(again->bearer, "tok2");
	assert_string_equal(live_with("/whoami")->bearer, "tok2");
	answer(again, 200, "{\"event_id\":\"$e\"}");
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.status, 200);
	char *at = db_kv_get(db, "matrix.access_token");
	assert_string_equal(at, "tok2");
	free(at);
	char *rt = db_kv_get(db, "matrix.refresh_token");
	assert_string_equal(rt, "ref2");
	free(rt);
	struct mx_tokens t;
	assert_int_equal(mx_tokens_read(path, &t), TOKENS_JSON);
	assert_string_equal(t.access, "tok2");
	assert_string_equal(t.refresh, "ref2");
	assert_true(t.expires_ms > mx_now_ms() + 50000);
	mx_tokens_free(&t);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* The timer is armed for the new token: 48 s (a fifth early). */
	assert_non_null(s.m.refresh_timer);
	assert_true(uv_is_active((uv_handle_t *)s.m.refresh_timer));
	assert_false(s.m.stopping);
	sender_stop(&s);
	unlink(path);
}

static void test_timer_refreshes_before_expiry(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	start_refreshable(&s, db, NULL, NULL);
	s.m.token_expires_ms = mx_now_ms() + 1500;
	matrix_tokens_keep(&s.m);  /* arms the timer: 1.2 s */
	spin(&s.loop, 300);
	assert_null(live_with("/refresh"));
	spin(&s.loop, 1200);
	struct fake *ref = live_with("/_matrix/client/v3/refresh");
	assert_non_null(ref);
	answer(ref, 200, "{\"access_token\":\"tok3\",\"expires_in_ms\":600000}");
	assert_string_equal(s.m.token, "tok3");
	assert_string_equal(s.m.refresh_token, "ref1");  /* none new: kept */
	assert_int_equal(s.m.relogging, 0);
	sender_stop(&s);
}

static void test_refused_falls_back_to_password(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	start_refreshable(&s, db, "secret", NULL);
	mx_request(&s.m, "PUT", SEND_PATH, "{}", 0, 0, on_answer, NULL);
	answer(live_with("/send/"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"soft_logout\":true}");
	answer(live_with("/refresh"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\","
	       "\"error\":\"Refresh token not found\"}");
	assert_null(s.m.refresh_token);
	struct fake *login = live_with("/_matrix/client/v3/login");
	assert_non_null(login);
	assert_non_null(strstr(login->body, "m.login.password"));
	assert_null(live_with("/send/"));
	answer(login, 200, "{\"access_token\":\"tok9\",\"device_id\":\"DEV1\"}");
	struct fake *again = live_with("/send/");
	assert_string_equal(again->bearer, "tok9");
	assert_non_null(strstr(again->url, "/wt-1-abc"));
	answer(again, 200, "{\"event_id\":\"$e\"}");
	assert_int_equal(got.calls, 1);
	assert_false(s.m.stopping);
	char *rt = db_kv_get(db, "matrix.refresh_token");
	assert_null(rt);
	sender_stop(&s);
}

static void test_refused_without_password_stops(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	start_refreshable(&s, db, NULL, NULL);
	mx_request(&s.m, "GET", "/_matrix/client/v3/account/whoami", NULL, 0, 0, on_answer, NULL);
	answer(live_with("/whoami"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"soft_logout\":true}");
	answer(live_with("/refresh"), 403, "{\"errcode\":\"M_FORBIDDEN\"}");
	assert_true(s.m.stopping);
	assert_int_equal(s.m.exit_code, 3);
	assert_null(live_with("/login"));
	assert_int_equal(got.calls, 0);
	sender_stop(&s);
}

/* Without soft_logout the session is gone: no refresh, a password login;
 * a transient failure of /refresh is retried, not taken as a refusal. */
static void test_hard_logout_and_transient(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	start_refreshable(&s, db, "secret", NULL);
	mx_request(&s.m, "GET", "/_matrix/client/v3/account/whoami", NULL, 0, 0, on_answer, NULL);
	answer(live_with("/whoami"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"soft_logout\":false}");
	assert_null(live_with("/refresh"));
	answer(live_with("/login"), 200, "{\"access_token\":\"tokL\",\"refresh_token\":\"refL\","
	       "\"expires_in_ms\":300000}");
	assert_string_equal(s.m.refresh_token, "refL");
	answer(live_with("/whoami"), 200, "{\"user_id\":\"@werktafel:demo.test\"}");
	assert_int_equal(got.calls, 1);
	matrix_refresh(&s.m);
	answer(live_with("/refresh"), 502, "bad gateway");
	assert_null(live_with("/refresh"));
	spin(&s.loop, 30);
	struct fake *ref = live_with("/refresh");
	assert_non_null(ref);
	assert_string_equal(ref->body, "{\"refresh_token\":\"refL\"}");
	answer(ref, 200, "{\"access_token\":\"tokM\",\"refresh_token\":\"refM\",\"expires_in_ms\":300000}");
	assert_string_equal(s.m.token, "tokM");
	assert_false(s.m.stopping);
	sender_stop(&s);
}

static void test_login_asks_for_refresh_token(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	sender_start(&s, db, "secret");
	char *b = matrix_login_body(&s.m);
	assert_null(strstr(b, "refresh_token"));  /* a server below v1.3 */
	free(b);
	s.m.versions.features |= MX_FEAT_REFRESH;
	b = matrix_login_body(&s.m);
	assert_non_null(strstr(b, "\"refresh_token\":true"));
	free(b);
	sender_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_answers_and_delay),
		cmocka_unit_test(test_write_atomic_0600),
		cmocka_unit_test_setup_teardown(test_soft_logout_refreshes, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_timer_refreshes_before_expiry, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_refused_falls_back_to_password, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_refused_without_password_stops, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_hard_logout_and_transient, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_login_asks_for_refresh_token, fx_db_setup, fx_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
