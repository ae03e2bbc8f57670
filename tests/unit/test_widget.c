/* The board inside Element (issue 22, item 2; web/widget.h): the widget's
 * page and script carry no data; /widget/session gives a session only for
 * a token its homeserver vouches for, of a member of the room's network;
 * the board then opens with that session's cookie alone. A forged token,
 * a token of another server, a malformed one, a non-member, an expired
 * session and another network's session see nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/openid.h"
#include "storage/room_members.h"
#include "storage/rooms.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"
#include "web/widget.h"

#define ROOM "!room:demo.test"
#define MEMBER "@lid:demo.test"
#define STRANGER "@vreemd:demo.test"
#define NOW ((time_t)1800000000)

static char *rooms_a[] = { ROOM };
static char *rooms_b[] = { "!other:demo.test" };
static struct wt_network nets[] = {
	{ .name = "demo", .rooms = rooms_a, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam" },
	{ .name = "ander", .rooms = rooms_b, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam" },
};
static char *admins[] = { NULL };

struct wfx {
	sqlite3 *db;
	struct wt_config cfg;
	struct web_state state;
	struct web_env env;
};

static int setup(void **state)
{
	struct wfx *w = calloc(1, sizeof *w);
	w->db = fx_db();
	w->cfg.networks = nets;
	w->cfg.nnetworks = 2;
	w->cfg.admins = admins;
	w->cfg.web_public_url = "https://bord.demo.test";
	w->cfg.lang = LANG_NL;
	fakes_reset();
	static const struct openid_server own = { "demo.test", "http://hs.demo.test" };
	struct openid_verifier *v = openid_verifier_new(NULL, &own, 1);
	openid_verifier_set_send(v, fake_send, fake_cancel);
	w->state.widget = widget_auth_with(v);
	w->env = (struct web_env){ w->db, &w->cfg, NOW, &w->state };
	assert_int_equal(rooms_note_joined(w->db, ROOM, "demo", 1), 0);
	assert_int_equal(room_members_set(w->db, ROOM, MEMBER, "join"), 0);
	assert_int_equal(room_members_mark_known(w->db, ROOM), 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct wfx *w = *state;
	widget_auth_free(w->state.widget);
	web_state_release(&w->state);
	sqlite3_close(w->db);
	free(w);
	fakes_reset();
	return 0;
}

/* GET path?query (one "k=v&k=v" string, split here) with headers. */
static void get(struct wfx *w, const char *path, const char *query, const char *auth,
		const char *cookie, struct web_resp *resp)
{
	struct web_req r = { .method = "GET", .path = path, .authorization = auth,
			     .cookie = cookie };
	char *q = query ? strdup(query) : NULL;
	for (char *save = NULL, *p = q ? strtok_r(q, "&", &save) : NULL; p;
	     p = strtok_r(NULL, "&", &save))
		r.query[r.nquery++] = p;
	web_resp_init(resp);
	web_handle(&w->env, &r, resp);
	free(q);
}

static void test_page_and_script(void **state)
{
	struct wfx *w = *state;
	struct web_resp r;
	get(w, "/widget", "room=" ROOM "&widgetId=x", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "<script src=\"widget.js\" defer></script>"));
	assert_non_null(strstr(r.body.buf, "lang=\"nl\""));
	assert_non_null(strstr(r.body.buf, "alleen voor leden"));
	assert_null(strstr(r.body.buf, "<script>"));  /* nothing inline */
	web_resp_release(&r);
	get(w, "/widget.js", NULL, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/javascript; charset=utf-8");
	assert_non_null(strstr(r.body.buf, "get_openid"));
	assert_non_null(strstr(r.body.buf, "widget/session"));
	web_resp_release(&r);
}

/* The session answer's status, and the cookie it set in cookie (may be
 * NULL). */
static int session(struct wfx *w, const char *query, const char *auth, char *cookie,
		   size_t n)
{
	struct web_resp r;
	get(w, "/widget/session", query, auth, NULL, &r);
	int status = r.status;
	assert_string_equal(r.content_type, "application/json");
	assert_true(r.no_store);
	if (cookie) {
		cookie[0] = '\0';
		if (r.set_cookie.len) {
			size_t len = strcspn(r.set_cookie.buf, ";");
			snprintf(cookie, n, "%.*s", (int)len, r.set_cookie.buf);
		}
	}
	if (status == 200)
		assert_non_null(strstr(r.body.buf, "\"board\":\"n/demo\""));
	web_resp_release(&r);
	return status;
}

static void test_member_signs_in(void **state)
{
	struct wfx *w = *state;
	char cookie[128];
	const char *q = "room=" ROOM "&server=demo.test&expires=3600";
	assert_int_equal(session(w, q, "Bearer good", cookie, sizeof cookie), 202);
	assert_string_equal(cookie, "");
	struct fake *f = live_with("/_matrix/federation/v1/openid/userinfo?access_token=good");
	assert_non_null(f);
	assert_int_equal(strncmp(f->url, "http://hs.demo.test/", 20), 0);
	answer(f, 200, "{\"sub\":\"" MEMBER "\"}");
	struct web_resp r;
	get(w, "/widget/session", q, "Bearer good", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.set_cookie.buf, "HttpOnly"));
	assert_non_null(strstr(r.set_cookie.buf, "Secure; SameSite=None; Partitioned"));
	assert_non_null(strstr(r.set_cookie.buf, "Max-Age=3600"));
	size_t len = strcspn(r.set_cookie.buf, ";");
	snprintf(cookie, sizeof cookie, "%.*s", (int)len, r.set_cookie.buf);
	web_resp_release(&r);
	assert_int_equal(strlen(cookie), strlen(WIDGET_COOKIE) + 1 + 32);
	/* The board with that cookie alone. */
	get(w, "/n/demo", NULL, NULL, cookie, &r);
	assert_int_equal(r.status, 200);
	web_resp_release(&r);
	/* Another network's board: nothing. */
	get(w, "/n/ander", NULL, NULL, cookie, &r);
	assert_int_equal(r.status, 404);
	web_resp_release(&r);
	/* A forged cookie, and the session after its hour: nothing. */
	get(w, "/n/demo", NULL, NULL, WIDGET_COOKIE "=00000000000000000000000000000000", &r);
	assert_int_equal(r.status, 404);
	web_resp_release(&r);
	w->env.now = NOW + WIDGET_SESSION_SECONDS + 1;
	get(w, "/n/demo", NULL, NULL, cookie, &r);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body.buf, "demo"));
	web_resp_release(&r);
	/* A member who left: the session opens nothing either. */
	w->env.now = NOW;
	assert_int_equal(room_members_set(w->db, ROOM, MEMBER, "leave"), 0);
	get(w, "/n/demo", NULL, NULL, cookie, &r);
	assert_int_equal(r.status, 404);
	web_resp_release(&r);
	/* http: no Secure cookie possible; Lax for the same site. */
	w->cfg.web_public_url = "http://127.0.0.1:8090";
	assert_int_equal(room_members_set(w->db, ROOM, MEMBER, "join"), 0);
	get(w, "/widget/session", q, "Bearer good", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.set_cookie.buf, "HttpOnly; SameSite=Lax"));
	assert_null(strstr(r.set_cookie.buf, "Secure"));
	web_resp_release(&r);
}

static void test_refusals(void **state)
{
	struct wfx *w = *state;
	char cookie[128];
	const char *q = "room=" ROOM "&server=demo.test";
	/* A forged token: the homeserver does not know it. */
	assert_int_equal(session(w, q, "Bearer forged", cookie, sizeof cookie), 202);
	answer(live_with("access_token=forged"), 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
	assert_int_equal(session(w, q, "Bearer forged", cookie, sizeof cookie), 403);
	assert_string_equal(cookie, "");
	/* A non-member's real token. */
	assert_int_equal(session(w, q, "Bearer stranger", cookie, sizeof cookie), 202);
	answer(live_with("access_token=stranger"), 200, "{\"sub\":\"" STRANGER "\"}");
	assert_int_equal(session(w, q, "Bearer stranger", cookie, sizeof cookie), 403);
	assert_string_equal(cookie, "");
	/* Another homeserver's token, or one that claims another's user:
	 * nobody asked, or refused. */
	int before = nfakes;
	assert_int_equal(session(w, "room=" ROOM "&server=evil.test", "Bearer good", cookie,
				 sizeof cookie), 403);
	assert_int_equal(nfakes, before);
	assert_int_equal(session(w, q, "Bearer liar", cookie, sizeof cookie), 202);
	answer(live_with("access_token=liar"), 200, "{\"sub\":\"@lid:evil.test\"}");
	assert_int_equal(session(w, q, "Bearer liar", cookie, sizeof cookie), 403);
	/* Malformed: no header, not Bearer, no server, a bad server name. */
	before = nfakes;
	assert_int_equal(session(w, q, NULL, cookie, sizeof cookie), 403);
	assert_int_equal(session(w, q, "Basic Zm9vOmJhcg==", cookie, sizeof cookie), 403);
	assert_int_equal(session(w, "room=" ROOM, "Bearer good", cookie, sizeof cookie), 403);
	assert_int_equal(session(w, "room=" ROOM "&server=demo.test/x", "Bearer good", cookie,
				 sizeof cookie), 403);
	assert_int_equal(session(w, q, "Bearer a b", cookie, sizeof cookie), 403);
	/* A room of no network, or none. */
	assert_int_equal(session(w, "room=!nowhere:demo.test&server=demo.test", "Bearer good",
				 cookie, sizeof cookie), 404);
	assert_int_equal(session(w, "server=demo.test", "Bearer good", cookie, sizeof cookie), 404);
	assert_int_equal(nfakes, before);
	/* The homeserver down: 503, asked again later. */
	assert_int_equal(session(w, q, "Bearer down", cookie, sizeof cookie), 202);
	answer(live_with("access_token=down"), 502, "");
	assert_int_equal(session(w, q, "Bearer down", cookie, sizeof cookie), 503);
	/* No cookie at all: the board says 403. */
	struct web_resp r;
	get(w, "/n/demo", NULL, NULL, NULL, &r);
	assert_int_equal(r.status, 403);
	web_resp_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page_and_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_member_signs_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
