/* Fuzz target: the web board's request handling (web/router.c and the
 * pages behind it, web/web.h) on the demo database. The input's lines are
 * the method, the path, four query parameters, the Cookie, If-None-Match,
 * If-Modified-Since and Authorization headers; "@T" in any of them stands
 * for a valid personal link of the demo network and "@F" for its calendar
 * feed, so the pages behind the gate are reached too. Checked: a known
 * status; refusals carry no data and set no cookie; every body is valid
 * UTF-8 and holds no script. */
#include <stdlib.h>
#include <string.h>

#include "bot/config.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "tests/fuzz/fuzz.h"
#include "web/token.h"
#include "web/web.h"

#define NPIECES 10

static char *board_token, *feed_token;

/* The piece with @T / @F replaced by the tokens. */
static char *expand(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (; *s; s++) {
		if (s[0] == '@' && (s[1] == 'T' || s[1] == 'F')) {
			sb_add(&sb, s[1] == 'T' ? board_token : feed_token);
			s++;
		} else {
			sb_addc(&sb, *s);
		}
	}
	return sb_detach(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wt_network nets[2];
	static struct wt_config cfg;
	static struct web_state st;
	sqlite3 *db = fz_demo_db();
	if (!board_token) {
		nets[0] = fz_net_nl;
		nets[1] = fz_net_en;
		nets[1].name = "demo-en";
		cfg.networks = nets;
		cfg.nnetworks = 2;
		cfg.admins = (char **)fz_admins;
		cfg.web_public_url = "https://bord.example.org";
		FZ_CHECK(web_token_issue(db, "demo", "@anna:demo.test", WEB_TOKEN_BOARD, 0,
					 FZ_NOW, WEB_BOARD_LINK_TTL, &board_token) == 0);
		FZ_CHECK(web_token_issue(db, "demo", "@anna:demo.test", WEB_TOKEN_ICS, 1,
					 FZ_NOW, 0, &feed_token) == 0);
	}
	struct fz_in in = { data, size };
	char *p[NPIECES];
	for (int i = 0; i < NPIECES; i++) {
		char *raw = fz_piece_dup(&in, '\n');
		p[i] = expand(raw);
		free(raw);
	}
	struct web_req r = { .method = p[0], .path = p[1], .cookie = *p[6] ? p[6] : NULL,
			     .if_none_match = *p[7] ? p[7] : NULL,
			     .if_modified_since = *p[8] ? p[8] : NULL,
			     .authorization = *p[9] ? p[9] : NULL };
	for (int i = 2; i < 6; i++)
		if (*p[i])
			r.query[r.nquery++] = p[i];
	struct web_env env = { db, &cfg, FZ_NOW, &st };
	struct web_resp resp;
	web_resp_init(&resp);
	fz_db_begin(db);
	web_handle(&env, &r, &resp);
	fz_db_end(db);
	int s = resp.status;
	FZ_CHECK(s == 200 || s == 304 || s == 403 || s == 404 || s == 405 || s == 500);
	FZ_CHECK(utf8_valid(resp.body.buf, resp.body.len));
	FZ_CHECK(!strstr(resp.body.buf, "<script"));
	if (s >= 400) {
		FZ_CHECK(resp.set_cookie.len == 0);
		FZ_CHECK(!strstr(resp.body.buf, "<section"));
		FZ_CHECK(!strstr(resp.body.buf, "VCALENDAR"));
	}
	if (s == 304)
		FZ_CHECK(resp.body.len == 0);
	web_resp_release(&resp);
	for (int i = 0; i < NPIECES; i++)
		free(p[i]);
	return 0;
}
