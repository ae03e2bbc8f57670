/* The OAuth 2.0 device authorization grant of `werktafel login --device`
 * (bot/oauth.h) against recorded answers in the shape an authentication
 * service gives them: server metadata (with and without the device grant),
 * the device authorization answer, the polling state machine (pending,
 * slow_down, approval, refusal, expiry, other errors), the scopes, the
 * form bodies, the message naming what a server offers; and the command
 * line's refusals. No authorization server runs here: the whole flow is
 * untested end to end (see the README text). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/cli.h"
#include "bot/exit.h"
#include "bot/oauth.h"
#include "tests/unit/fixture.h"

static json_t *j(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	assert_non_null(v);
	return v;
}

static const char META[] =
	"{\"issuer\":\"https://auth.demo.test/\","
	"\"authorization_endpoint\":\"https://auth.demo.test/authorize\","
	"\"token_endpoint\":\"https://auth.demo.test/oauth2/token\","
	"\"registration_endpoint\":\"https://auth.demo.test/oauth2/registration\","
	"\"device_authorization_endpoint\":\"https://auth.demo.test/oauth2/device\","
	"\"grant_types_supported\":[\"authorization_code\",\"refresh_token\","
	"\"urn:ietf:params:oauth:grant-type:device_code\"]}";

static void test_metadata(void **state)
{
	(void)state;
	struct oauth_meta m;
	json_t *b = j(META);
	assert_int_equal(oauth_meta_parse(b, &m), 0);
	assert_string_equal(m.issuer, "https://auth.demo.test/");
	assert_string_equal(m.token_endpoint, "https://auth.demo.test/oauth2/token");
	assert_string_equal(m.device_endpoint, "https://auth.demo.test/oauth2/device");
	assert_string_equal(m.registration_endpoint, "https://auth.demo.test/oauth2/registration");
	assert_true(m.device_grant);
	oauth_meta_free(&m);
	json_decref(b);
	/* Listed grants without the device grant: none, even with an endpoint. */
	b = j("{\"issuer\":\"https://a.demo.test/\",\"token_endpoint\":\"https://a.demo.test/t\","
	      "\"device_authorization_endpoint\":\"https://a.demo.test/d\","
	      "\"grant_types_supported\":[\"authorization_code\"]}");
	assert_int_equal(oauth_meta_parse(b, &m), 0);
	assert_false(m.device_grant);
	assert_null(m.registration_endpoint);
	oauth_meta_free(&m);
	json_decref(b);
	/* No list: the endpoint decides. */
	b = j("{\"issuer\":\"https://a.demo.test/\",\"token_endpoint\":\"https://a.demo.test/t\"}");
	assert_int_equal(oauth_meta_parse(b, &m), 0);
	assert_false(m.device_grant);
	oauth_meta_free(&m);
	json_decref(b);
	/* A Matrix error answer (no auth service): refused. */
	b = j("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
	assert_int_equal(oauth_meta_parse(b, &m), -1);
	assert_null(m.issuer);
	json_decref(b);
	assert_int_equal(oauth_meta_parse(NULL, &m), -1);
}

static const char DEVICE[] =
	"{\"device_code\":\"dc-1\",\"user_code\":\"QWER1234\","
	"\"verification_uri\":\"https://auth.demo.test/link\","
	"\"verification_uri_complete\":\"https://auth.demo.test/link?code=QWER1234\","
	"\"expires_in\":600,\"interval\":5}";

static void test_device_answer(void **state)
{
	(void)state;
	struct oauth_device d;
	json_t *b = j(DEVICE);
	assert_int_equal(oauth_device_parse(b, 1000, &d), 0);
	assert_string_equal(d.device_code, "dc-1");
	assert_string_equal(d.user_code, "QWER1234");
	assert_string_equal(d.verification_uri, "https://auth.demo.test/link");
	assert_string_equal(d.verification_uri_complete, "https://auth.demo.test/link?code=QWER1234");
	assert_int_equal(d.interval_s, 5);
	assert_true(d.expires_at_ms == 601000);
	oauth_device_free(&d);
	json_decref(b);
	b = j("{\"device_code\":\"dc\",\"user_code\":\"U\",\"verification_uri\":\"https://x/\","
	      "\"expires_in\":60}");
	assert_int_equal(oauth_device_parse(b, 0, &d), 0);
	assert_int_equal(d.interval_s, 5);  /* none given: 5 s (RFC 8628) */
	assert_null(d.verification_uri_complete);
	oauth_device_free(&d);
	json_decref(b);
	b = j("{\"device_code\":\"dc\",\"verification_uri\":\"https://x/\",\"expires_in\":60}");
	assert_int_equal(oauth_device_parse(b, 0, &d), -1);  /* no user code */
	json_decref(b);
	b = j("{\"error\":\"invalid_client\"}");
	assert_int_equal(oauth_device_parse(b, 0, &d), -1);
	json_decref(b);
}

static enum oauth_poll judge(long status, const char *body, struct oauth_device *d,
			     long long now)
{
	json_t *b = j(body);
	enum oauth_poll p = oauth_poll_judge(status, b, d, now);
	json_decref(b);
	return p;
}

/* One admin's approval as a token endpoint answers it: pending, slow_down
 * (interval 5 -> 10), pending, the tokens. */
static void test_polling(void **state)
{
	(void)state;
	struct oauth_device d;
	json_t *b = j(DEVICE);
	assert_int_equal(oauth_device_parse(b, 0, &d), 0);
	json_decref(b);
	assert_int_equal(judge(400, "{\"error\":\"authorization_pending\"}", &d, 5000),
			 OAUTH_POLL_PENDING);
	assert_int_equal(d.interval_s, 5);
	assert_int_equal(judge(400, "{\"error\":\"slow_down\"}", &d, 10000), OAUTH_POLL_SLOW_DOWN);
	assert_int_equal(d.interval_s, 10);
	assert_int_equal(judge(400, "{\"error\":\"authorization_pending\"}", &d, 20000),
			 OAUTH_POLL_PENDING);
	assert_int_equal(judge(200, "{\"access_token\":\"mat_a\",\"refresh_token\":\"mar_r\","
			       "\"expires_in\":300,\"token_type\":\"Bearer\"}", &d, 30000),
			 OAUTH_POLL_DONE);
	/* The refusals. */
	assert_int_equal(judge(400, "{\"error\":\"access_denied\"}", &d, 30000), OAUTH_POLL_DENIED);
	assert_int_equal(judge(400, "{\"error\":\"expired_token\"}", &d, 30000), OAUTH_POLL_EXPIRED);
	/* Still pending after expires_in: expired, no endless polling. */
	assert_int_equal(judge(400, "{\"error\":\"authorization_pending\"}", &d, 600000),
			 OAUTH_POLL_EXPIRED);
	assert_int_equal(judge(401, "{\"error\":\"invalid_client\"}", &d, 30000), OAUTH_POLL_FAILED);
	assert_int_equal(judge(200, "{\"token_type\":\"Bearer\"}", &d, 30000), OAUTH_POLL_FAILED);
	assert_int_equal(judge(404, "{\"errcode\":\"M_UNRECOGNIZED\"}", &d, 30000), OAUTH_POLL_FAILED);
	oauth_device_free(&d);
}

static void test_scope_and_bodies(void **state)
{
	(void)state;
	char *s = oauth_scope("ABCDE12345");
	assert_non_null(strstr(s, "urn:matrix:client:api:*"));
	assert_non_null(strstr(s, "urn:matrix:client:device:ABCDE12345"));
	assert_non_null(strstr(s, "urn:matrix:org.matrix.msc2967.client:api:*"));
	assert_non_null(strstr(s, "urn:matrix:org.matrix.msc2967.client:device:ABCDE12345"));
	char *body = oauth_device_request_body("client 1", s);
	assert_int_equal(strncmp(body, "client_id=client%201&scope=openid%20urn%3Amatrix%3A"
				 "client%3Aapi%3A%2A%20", 70), 0);
	free(body);
	free(s);
	body = oauth_poll_body("c1", "dc/1");
	assert_string_equal(body, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3A"
			    "device_code&device_code=dc%2F1&client_id=c1");
	free(body);
	body = oauth_refresh_body("c1", "mar_r+1");
	assert_string_equal(body, "grant_type=refresh_token&refresh_token=mar_r%2B1&client_id=c1");
	free(body);
	body = oauth_refresh_body(NULL, "r");
	assert_string_equal(body, "grant_type=refresh_token&refresh_token=r");
	free(body);
	char *id = oauth_new_device_id(), *id2 = oauth_new_device_id();
	assert_int_equal(strlen(id), 10);
	assert_int_equal(strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), 10);
	assert_string_not_equal(id, id2);
	free(id);
	free(id2);
	body = oauth_registration_body("https://werktafel.demo.test/");
	json_t *reg = j(body);
	assert_string_equal(json_string_value(json_object_get(reg, "token_endpoint_auth_method")), "none");
	assert_string_equal(json_string_value(json_object_get(reg, "application_type")), "native");
	assert_string_equal(json_string_value(json_array_get(json_object_get(reg, "grant_types"), 0)),
			    OAUTH_DEVICE_GRANT);
	json_decref(reg);
	free(body);
}

static void test_describe_offer(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	json_t *flows = j("{\"flows\":[{\"type\":\"m.login.password\"},"
			  "{\"type\":\"m.login.application_service\"}]}");
	oauth_describe_offer(flows, NULL, &sb);
	assert_string_equal(sb.buf, "login flows: m.login.password, "
			    "m.login.application_service; no OAuth 2.0 authorization "
			    "server (auth_metadata)");
	sb_reset(&sb);
	json_decref(flows);
	flows = j("{\"flows\":[{\"type\":\"m.login.sso\"},{\"type\":\"m.login.token\"}]}");
	oauth_describe_offer(flows, "https://auth.demo.test/", &sb);
	assert_string_equal(sb.buf, "login flows: m.login.sso, m.login.token; OAuth 2.0 "
			    "authorization server https://auth.demo.test/");
	sb_reset(&sb);
	json_decref(flows);
	oauth_describe_offer(NULL, NULL, &sb);
	assert_string_equal(sb.buf, "login flows: none; no OAuth 2.0 authorization server "
			    "(auth_metadata)");
	sb_release(&sb);
}

/* The command line: without --device, without --config, without a token
 * file in the config, with an argument too many: usage, exit code 2. */
static void test_cli_refusals(void **state)
{
	(void)state;
	char db[64], ini[64];
	snprintf(db, sizeof db, "/tmp/wt-oauth-%d.db", (int)getpid());
	snprintf(ini, sizeof ini, "/tmp/wt-oauth-%d.ini", (int)getpid());
	FILE *f = fopen(ini, "w");
	fprintf(f, "[matrix]\nhomeserver = http://127.0.0.1:9\nuser_id = @werktafel:demo.test\n"
		"password = x\n[bot]\ndatabase = %s\n", db);
	fclose(f);
	chmod(ini, 0600);
	char *a1[] = { "login", "--db", db, NULL };
	assert_int_equal(cli_login_main(3, a1, LANG_EN), WT_EXIT_USAGE);
	char *a2[] = { "login", "--device", "--db", db, NULL };
	assert_int_equal(cli_login_main(4, a2, LANG_NL), WT_EXIT_USAGE);
	char *a3[] = { "login", "--device", "--config", ini, NULL };
	assert_int_equal(cli_login_main(4, a3, LANG_EN), WT_EXIT_USAGE);  /* no token file */
	char *a4[] = { "login", "--device", "--config", ini, "extra", NULL };
	assert_int_equal(cli_login_main(5, a4, LANG_EN), WT_EXIT_USAGE);
	char *a5[] = { "login", "--device", "--client-id", NULL };
	assert_int_equal(cli_login_main(3, a5, LANG_EN), WT_EXIT_USAGE);
	unlink(ini);
	unlink(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_device_answer),
		cmocka_unit_test(test_polling),
		cmocka_unit_test(test_scope_and_bodies),
		cmocka_unit_test(test_describe_offer),
		cmocka_unit_test(test_cli_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
