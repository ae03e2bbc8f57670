/* The web board (web/): the pages against golden HTML, the gate's
 * refusals (no token, a forged, expired, revoked or other network's one),
 * escaping, the security headers, ETag/Last-Modified and 304, the
 * calendar feed parsed back by libical, and !bord link / !agenda abonneer
 * through the whole dispatch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libical/ical.h>

#include "bot/config.h"
#include "handlers/catalog.h"
#include "lib/strbuf.h"
#include "storage/actionlines.h"
#include "storage/advice.h"
#include "storage/agenda.h"
#include "storage/db.h"
#include "storage/documents.h"
#include "storage/goals.h"
#include "storage/meetings.h"
#include "storage/minutes.h"
#include "storage/web_tokens.h"
#include "tests/unit/fixture.h"
#include "web/html.h"
#include "web/token.h"
#include "web/web.h"

static char *rooms_n[] = { "werktafel" };
static char *rooms_z[] = { "werktafel" };
static struct wt_network nets[] = {
	{ .name = "noord", .rooms = rooms_n, .nrooms = 1, .lang = LANG_NL,
	  .tz = "Europe/Amsterdam", .advice_wait_days = 14 },
	{ .name = "south", .rooms = rooms_z, .nrooms = 1, .lang = LANG_EN,
	  .tz = "Europe/Amsterdam", .advice_wait_days = 14 },
};
static char *no_admins[] = { NULL };
static const time_t NOW = 1799830800; /* 13 January 2027, 09:00 UTC */
#define ANNA "@anna:demo.test"
#define BERT "@bert:demo.test"

struct fx {
	sqlite3 *db;
	struct wt_config cfg;
	struct web_state state;
	struct web_resp resp;
	char *anna_noord, *anna_south;
};

static void seed(sqlite3 *db)
{
	struct wt_meeting m = { .network = "noord", .title = "Werktafel februari",
				.place = "Zaal 2 <Stadhuis> & \"koffie\"",
				.starts_at = NOW + 27 * 86400, .duration_min = 90,
				.state = MEETING_PLANNED, .created_at = NOW };
	assert_int_equal(meeting_create(db, &m), 0);
	struct wt_agenda_item it = { .network = "noord", .meeting_id = m.id,
				     .title = "Scholing <script>alert(1)</script>",
				     .why = "Nieuwe collega's", .what = "Een scholingsplan",
				     .how = "Samen met de huisartsen", .proposer = ANNA,
				     .created_at = NOW };
	int pos;
	assert_int_equal(agenda_create(db, &it), 0);
	assert_int_equal(agenda_accept(db, &it, &pos), 0);
	struct wt_document d = { .network = "noord", .item_id = it.id, .kind = DOC_LINK,
				 .title = "Plan", .url = "https://example.org/plan?a=1&b=2",
				 .added_by = ANNA, .added_at = NOW };
	assert_int_equal(document_add(db, &d), 0);
	struct wt_document bad = { .network = "noord", .item_id = it.id, .kind = DOC_LINK,
				   .title = "Kwaad", .url = "javascript:alert(1)",
				   .added_by = ANNA, .added_at = NOW };
	assert_int_equal(document_add(db, &bad), 0);
	struct actionline l = { .network = "noord", .title = "Valpreventie",
				.budget_cents = 500000, .created_at = NOW - 90 * 86400 };
	assert_int_equal(al_create(db, &l), 0);
	struct al_deliverable dl = { .text = "Folder voor de wijk", .due_day = 20820 };
	assert_int_equal(al_deliv_add(db, l.id, &dl, NOW), 0);
	struct wt_advice a = { .network = "noord", .title = "Inzet praktijkondersteuner",
			       .submitted_by = BERT, .deadline = NOW + 20 * 86400,
			       .created_at = NOW - 86400 };
	assert_int_equal(advice_create(db, &a), 0);
	struct goal g = { .network = "noord", .title = "Minder valincidenten", .has_target = 1,
			  .target = 25, .unit = "%", .period = "2027", .created_at = NOW };
	assert_int_equal(goal_create(db, &g), 0);
	struct wt_logged b = { .network = "noord", .kind = LOGGED_DECISION,
			       .text = "We starten de pilot in maart", .logged_by = ANNA,
			       .action_line = 1, .created_at = NOW - 7 * 86400 };
	assert_int_equal(logged_add(db, &b), 0);
	struct wt_logged b2 = { .network = "noord", .kind = LOGGED_DECISION,
				.text = "Budget voor scholing vastgesteld", .logged_by = ANNA,
				.created_at = NOW - 400 * 86400 };
	assert_int_equal(logged_add(db, &b2), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	f->cfg.networks = nets;
	f->cfg.nnetworks = 2;
	f->cfg.admins = no_admins;
	f->cfg.web_listen = "127.0.0.1:8090";
	f->cfg.web_public_url = "https://bord.example.org";
	f->cfg.web_frame_ancestors = "https://app.element.io";
	f->state.boot = 7;
	seed(f->db);
	assert_int_equal(web_token_issue(f->db, "noord", ANNA, WEB_TOKEN_BOARD, 0, NOW,
					 WEB_BOARD_LINK_TTL, &f->anna_noord), WEB_TOKEN_VALID);
	assert_int_equal(web_token_issue(f->db, "south", ANNA, WEB_TOKEN_BOARD, 0, NOW,
					 WEB_BOARD_LINK_TTL, &f->anna_south), WEB_TOKEN_VALID);
	web_resp_init(&f->resp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	web_resp_release(&f->resp);
	web_state_release(&f->state);
	db_close(f->db);
	free(f->anna_noord);
	free(f->anna_south);
	free(f);
	return 0;
}

/* GET path with the query parts (NULL-terminated) and a cookie. */
static int get(struct fx *f, const char *path, const char *cookie, const char *inm,
	       const char *q1, const char *q2)
{
	struct web_req r = { .method = "GET", .path = path, .cookie = cookie,
			     .if_none_match = inm };
	if (q1)
		r.query[r.nquery++] = q1;
	if (q2)
		r.query[r.nquery++] = q2;
	struct web_env env = { f->db, &f->cfg, NOW, &f->state };
	web_resp_release(&f->resp);
	web_resp_init(&f->resp);
	web_handle(&env, &r, &f->resp);
	return f->resp.status;
}

static char *tq(const char *token)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "t=%s", token);
	return sb_detach(&sb);
}

static void test_board_golden(void **state)
{
	struct fx *f = *state;
	char *q = tq(f->anna_noord);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 200);
	fx_golden("tests/golden/web_board_nl.html", f->resp.body.buf);
	/* The second time from the cache: the same page. */
	char *first = xstrdup(f->resp.body.buf);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 200);
	assert_string_equal(f->resp.body.buf, first);
	free(first);
	/* Escaped everywhere; a javascript: link is no link. */
	assert_null(strstr(f->resp.body.buf, "<script>"));
	assert_non_null(strstr(f->resp.body.buf, "&lt;script&gt;"));
	assert_null(strstr(f->resp.body.buf, "javascript:"));
	assert_non_null(strstr(f->resp.body.buf, "https://example.org/plan?a=1&amp;b=2"));
	/* The link is kept in a cookie, HttpOnly, Secure behind https. */
	assert_non_null(strstr(f->resp.set_cookie.buf, "wt_bord="));
	assert_non_null(strstr(f->resp.set_cookie.buf, "HttpOnly"));
	assert_non_null(strstr(f->resp.set_cookie.buf, "Secure"));
	free(q);
}

static void test_board_english_empty(void **state)
{
	struct fx *f = *state;
	char *q = tq(f->anna_south);
	assert_int_equal(get(f, "/n/south", NULL, NULL, q, NULL), 200);
	fx_golden("tests/golden/web_board_en.html", f->resp.body.buf);
	free(q);
}

static void test_decisions_golden(void **state)
{
	struct fx *f = *state;
	struct strbuf c = STRBUF_INIT;
	sb_addf(&c, "other=1; wt_bord=%s", f->anna_noord);
	assert_int_equal(get(f, "/n/noord/besluiten", c.buf, NULL, "q=pilot", NULL), 200);
	fx_golden("tests/golden/web_decisions_nl.html", f->resp.body.buf);
	assert_non_null(strstr(f->resp.body.buf, "pilot in maart"));
	assert_null(strstr(f->resp.body.buf, "Budget voor scholing"));
	/* A period from the one grammar's span reader. */
	assert_int_equal(get(f, "/n/noord/besluiten", c.buf, NULL, "periode=2025", NULL), 200);
	assert_non_null(strstr(f->resp.body.buf, "Budget voor scholing"));
	assert_null(strstr(f->resp.body.buf, "pilot in maart"));
	assert_int_equal(get(f, "/n/noord/decisions", c.buf, NULL, "periode=K7 2026", NULL), 200);
	assert_non_null(strstr(f->resp.body.buf, msg_text(LANG_NL, M_WEB_BAD_PERIOD)));
	/* By the action line it names; a wrong code is said so. */
	assert_int_equal(get(f, "/n/noord/besluiten", c.buf, NULL, "actielijn=AL1", NULL), 200);
	assert_non_null(strstr(f->resp.body.buf, "pilot in maart"));
	assert_null(strstr(f->resp.body.buf, "Budget voor scholing"));
	assert_int_equal(get(f, "/n/noord/besluiten", c.buf, NULL, "advies=B7", NULL), 200);
	assert_non_null(strstr(f->resp.body.buf, msg_text(LANG_NL, M_WEB_BAD_CODE)));
	assert_null(strstr(f->resp.body.buf, "pilot in maart"));
	/* The search terms are given back escaped. */
	assert_int_equal(get(f, "/n/noord/besluiten", c.buf, NULL, "q=\"><b>x", NULL), 200);
	assert_non_null(strstr(f->resp.body.buf, "value=\"&quot;&gt;&lt;b&gt;x\""));
	sb_release(&c);
}

/* No data in a refusal: none of the seeded words. */
static void assert_no_data(struct fx *f)
{
	assert_null(strstr(f->resp.body.buf, "Werktafel februari"));
	assert_null(strstr(f->resp.body.buf, "Valpreventie"));
	assert_null(strstr(f->resp.body.buf, "pilot"));
	assert_int_equal(f->resp.set_cookie.len, 0);
	assert_true(f->resp.no_store);
}

static void test_refusals(void **state)
{
	struct fx *f = *state;
	assert_int_equal(get(f, "/n/noord", NULL, NULL, NULL, NULL), 403);
	assert_no_data(f);
	assert_non_null(strstr(f->resp.body.buf, "!bord link"));
	/* Forged: the right id, another secret. */
	char *forged = xstrdup(f->anna_noord);
	char *dot = strchr(forged, '.');
	dot[1] = dot[1] == 'a' ? 'b' : 'a';
	char *q = tq(forged);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 404);
	assert_no_data(f);
	free(q);
	assert_int_equal(get(f, "/n/noord", "wt_bord=1.zz", NULL, NULL, NULL), 404);
	assert_no_data(f);
	/* Another network's token. */
	q = tq(f->anna_south);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 404);
	assert_no_data(f);
	free(q);
	/* Unknown network and page; another method. */
	q = tq(f->anna_noord);
	assert_int_equal(get(f, "/n/elders", NULL, NULL, q, NULL), 404);
	assert_int_equal(get(f, "/n/noord/geheim", NULL, NULL, q, NULL), 404);
	assert_int_equal(get(f, "/", NULL, NULL, q, NULL), 404);
	struct web_req post = { .method = "POST", .path = "/n/noord", .query = { q }, .nquery = 1 };
	struct web_env env = { f->db, &f->cfg, NOW, &f->state };
	web_resp_release(&f->resp);
	web_resp_init(&f->resp);
	web_handle(&env, &post, &f->resp);
	assert_int_equal(f->resp.status, 405);
	assert_no_data(f);
	/* The board token is no calendar feed. */
	assert_int_equal(get(f, "/n/noord/agenda.ics", NULL, NULL, q, NULL), 404);
	free(q);
	free(forged);
}

static void test_expired_and_revoked(void **state)
{
	struct fx *f = *state;
	char *q = tq(f->anna_noord);
	struct web_env env = { f->db, &f->cfg, NOW + WEB_BOARD_LINK_TTL, &f->state };
	struct web_req r = { .method = "GET", .path = "/n/noord", .query = { q }, .nquery = 1 };
	web_handle(&env, &r, &f->resp);
	assert_int_equal(f->resp.status, 404);
	assert_no_data(f);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 200);
	assert_true(web_tokens_revoke(f->db, "noord", ANNA, WEB_TOKEN_BOARD, NOW) == 1);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 404);
	assert_no_data(f);
	/* A member who left the network's rooms: the link dies with it. */
	char *t2 = NULL;
	assert_int_equal(web_token_issue(f->db, "noord", BERT, WEB_TOKEN_BOARD, 0, NOW, 3600, &t2),
			 WEB_TOKEN_VALID);
	free(q);
	q = tq(t2);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 200);
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network, members)"
				  " VALUES ('!noord:demo.test', 'noord', 'known')", ""), 0);
	assert_int_equal(db_execf(f->db, "INSERT INTO room_members(room_id, user_id, membership)"
				  " VALUES ('!noord:demo.test', '@anna:demo.test', 'join')", ""), 0);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 404);
	assert_no_data(f);
	free(q);
	free(t2);
}

static void test_etag_304(void **state)
{
	struct fx *f = *state;
	char *q = tq(f->anna_noord);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 200);
	char etag[48];
	strcpy(etag, f->resp.etag);
	assert_true(etag[0] == '"');
	assert_true(f->resp.last_modified > 0);
	assert_int_equal(get(f, "/n/noord", NULL, etag, q, NULL), 304);
	assert_int_equal(f->resp.body.len, 0);
	/* A change in the database: a new ETag, the page again. */
	struct wt_logged b = { .network = "noord", .kind = LOGGED_DECISION, .text = "Nieuw besluit",
			       .logged_by = ANNA, .created_at = NOW };
	assert_int_equal(logged_add(f->db, &b), 0);
	assert_int_equal(get(f, "/n/noord", NULL, etag, q, NULL), 200);
	assert_string_not_equal(f->resp.etag, etag);
	assert_non_null(strstr(f->resp.body.buf, "Nieuw besluit"));
	/* If-Modified-Since (without an ETag) from the last change on. */
	struct web_req r = { .method = "GET", .path = "/n/noord", .query = { q }, .nquery = 1,
			     .if_modified_since = "Wed, 13 Jan 2027 09:00:00 GMT" };
	struct web_env env = { f->db, &f->cfg, NOW, &f->state };
	web_resp_release(&f->resp);
	web_resp_init(&f->resp);
	web_handle(&env, &r, &f->resp);
	assert_int_equal(f->resp.status, 304);
	r.if_modified_since = "Tue, 12 Jan 2027 09:00:00 GMT";
	web_resp_release(&f->resp);
	web_resp_init(&f->resp);
	web_handle(&env, &r, &f->resp);
	assert_int_equal(f->resp.status, 200);
	free(q);
}

static void add_hdr(const char *name, const char *value, void *arg)
{
	struct strbuf *sb = arg;
	sb_addf(sb, "%s: %s\n", name, value);
}

static void test_security_headers(void **state)
{
	struct fx *f = *state;
	struct strbuf sb = STRBUF_INIT;
	web_security_headers(&f->cfg, add_hdr, &sb);
	assert_non_null(strstr(sb.buf, "Content-Security-Policy: default-src 'none'; style-src 'self'"));
	assert_non_null(strstr(sb.buf, "frame-ancestors https://app.element.io"));
	/* Scripts only from the server itself (the widget's /widget.js),
	 * never inline. */
	assert_non_null(strstr(sb.buf, "script-src 'self'; connect-src 'self'"));
	assert_null(strstr(sb.buf, "unsafe-inline"));
	assert_non_null(strstr(sb.buf, "X-Content-Type-Options: nosniff"));
	assert_non_null(strstr(sb.buf, "Referrer-Policy: no-referrer"));
	sb_reset(&sb);
	f->cfg.web_frame_ancestors = NULL;
	web_security_headers(&f->cfg, add_hdr, &sb);
	assert_non_null(strstr(sb.buf, "frame-ancestors 'none'"));
	sb_release(&sb);
	assert_int_equal(get(f, "/style.css", NULL, NULL, NULL, NULL), 200);
	assert_string_equal(f->resp.content_type, "text/css; charset=utf-8");
	/* No inline script or style attribute in any page. */
	char *q = tq(f->anna_noord);
	assert_int_equal(get(f, "/n/noord", NULL, NULL, q, NULL), 200);
	assert_null(strstr(f->resp.body.buf, "<script"));
	assert_null(strstr(f->resp.body.buf, "style="));
	free(q);
}

static void test_html_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	html_esc(&sb, "a<b>&\"'\x01\x7f\xff é");
	assert_string_equal(sb.buf, "a&lt;b&gt;&amp;&quot;&#39;\xEF\xBF\xBD é");
	sb_reset(&sb);
	html_addf(&sb, "<p title=\"%s\">%s 100%%</p>", "\"x", "<y>");
	assert_string_equal(sb.buf, "<p title=\"&quot;x\">&lt;y&gt; 100%</p>");
	assert_null(html_safe_href("javascript:alert(1)"));
	assert_null(html_safe_href("data:text/html,x"));
	assert_non_null(html_safe_href("HTTPS://example.org"));
	sb_release(&sb);
}

static void test_tokens(void **state)
{
	struct fx *f = *state;
	/* 128 bits of secret as 32 hex digits after the id. */
	const char *dot = strchr(f->anna_noord, '.');
	assert_non_null(dot);
	assert_int_equal(strlen(dot + 1), 32);
	/* Only the hash is stored. */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM web_tokens WHERE"
				" instr(hex(hash), 'AAAA') >= 0 AND length(hash) = 32"), 2);
	struct web_token_row row;
	assert_int_equal(web_token_check(f->db, f->anna_noord, WEB_TOKEN_BOARD, NOW, &row),
			 WEB_TOKEN_VALID);
	assert_string_equal(row.user_id, ANNA);
	web_token_row_free(&row);
	assert_int_equal(web_token_check(f->db, f->anna_noord, WEB_TOKEN_ICS, NOW, &row),
			 WEB_TOKEN_WRONG_KIND);
	assert_int_equal(web_token_check(f->db, "", WEB_TOKEN_BOARD, NOW, &row), WEB_TOKEN_UNKNOWN);
	assert_int_equal(web_token_check(f->db, "99.00000000000000000000000000000000",
					 WEB_TOKEN_BOARD, NOW, &row), WEB_TOKEN_UNKNOWN);
	assert_int_equal(web_token_check(f->db, "1.0000", WEB_TOKEN_BOARD, NOW, &row),
			 WEB_TOKEN_UNKNOWN);
	/* A new link revokes the old one. */
	char *again = NULL;
	assert_int_equal(web_token_issue(f->db, "noord", ANNA, WEB_TOKEN_BOARD, 0, NOW, 60, &again),
			 WEB_TOKEN_VALID);
	assert_int_equal(web_token_check(f->db, f->anna_noord, WEB_TOKEN_BOARD, NOW, &row),
			 WEB_TOKEN_REVOKED);
	assert_int_equal(web_token_check(f->db, again, WEB_TOKEN_BOARD, NOW + 61, &row),
			 WEB_TOKEN_EXPIRED);
	free(again);
}

static void test_feed_valid_ics(void **state)
{
	struct fx *f = *state;
	struct wt_logged act = { .network = "noord", .kind = LOGGED_ACTION, .text = "Folder drukken",
				 .owner = ANNA, .due_at = NOW + 5 * 86400, .logged_by = ANNA,
				 .created_at = NOW };
	assert_int_equal(logged_add(f->db, &act), 0);
	struct wt_logged other = { .network = "noord", .kind = LOGGED_ACTION, .text = "Van Bert",
				   .owner = BERT, .due_at = NOW + 6 * 86400, .logged_by = BERT,
				   .created_at = NOW };
	assert_int_equal(logged_add(f->db, &other), 0);
	for (int actions = 0; actions < 2; actions++) {
		char *t = NULL;
		assert_int_equal(web_token_issue(f->db, "noord", ANNA, WEB_TOKEN_ICS, actions, NOW, 0,
						 &t), WEB_TOKEN_VALID);
		char *q = tq(t);
		assert_int_equal(get(f, "/n/noord/agenda.ics", NULL, NULL, q, NULL), 200);
		assert_string_equal(f->resp.content_type, "text/calendar; charset=utf-8");
		icalcomponent *cal = icalparser_parse_string(f->resp.body.buf);
		assert_non_null(cal);
		assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
		assert_int_equal(icalcomponent_count_errors(cal), 0);
		assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT),
				 1 + actions);
		assert_true((strstr(f->resp.body.buf, "Folder drukken") != NULL) == actions);
		assert_null(strstr(f->resp.body.buf, "Van Bert"));
		icalcomponent_free(cal);
		/* The board's cookie is no feed; a revoked feed gives nothing. */
		assert_int_equal(web_tokens_revoke(f->db, "noord", ANNA, WEB_TOKEN_ICS, NOW), 1);
		assert_int_equal(get(f, "/n/noord/agenda.ics", NULL, NULL, q, NULL), 404);
		assert_null(strstr(f->resp.body.buf, "VCALENDAR"));
		free(q);
		free(t);
	}
}

/* ---- the commands ---- */

static const char *const admins[] = { NULL };

static void test_board_link_command(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	/* Off: the refusal that says why, nothing stored. */
	fx_refused(f, &nets[0], ANNA, "!bord link", WT_EUSAGE, "public_url");
	fx_refused(f, &nets[1], ANNA, "!board link", WT_EUSAGE, "public_url");
	f->limits.web_url = "https://bord.example.org";
	fx_ok(f, &nets[0], ANNA, "!bord link");
	assert_int_equal(f->out.n, 2);
	struct wt_reply *dm = &f->out.v[0];
	assert_string_equal(dm->to_user, ANNA);
	assert_true(dm->notify);
	assert_non_null(strstr(dm->markdown, "<https://bord.example.org/n/noord?t=1."));
	assert_null(f->out.v[1].to_user);
	assert_non_null(strstr(f->out.v[1].markdown, "privébericht"));
	assert_int_equal(fx_count(f->db, "web_tokens"), 1);
	fx_refused(f, &nets[0], ANNA, "!bord link nu", WT_EUSAGE, NULL);
	fx_refused(f, &nets[0], ANNA, "!bord lnk", WT_EUSAGE, "link");
	fx_refused(f, &nets[0], ANNA, "!bord link intrekken alles", WT_EUSAGE, NULL);
	fx_ok(f, &nets[0], ANNA, "!bord link intrekken");
	fx_reply_has(f, "werkt niet meer");
	fx_ok(f, &nets[0], ANNA, "!bord link intrekken");
	fx_reply_has(f, "geen werkende link");
	fx_ok(f, &nets[1], ANNA, "!board link revoke");
	fx_reply_has(f, "no working link");
	/* `!board` alone adds the widget: the chair's (tests/unit/test_board.c). */
	fx_refused(f, &nets[1], ANNA, "!board", WT_EPERM, "chair");
	fx_free(f);
}

static void test_subscribe_command(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	fx_refused(f, &nets[0], ANNA, "!agenda abonneer", WT_EUSAGE, "public_url");
	f->limits.web_url = "https://bord.example.org";
	fx_ok(f, &nets[0], ANNA, "!agenda abonneer");
	assert_non_null(strstr(f->out.v[0].markdown, "/n/noord/agenda.ics?t="));
	assert_string_equal(f->out.v[0].to_user, ANNA);
	fx_ok(f, &nets[1], ANNA, "!agenda subscribe actions");
	assert_non_null(strstr(f->out.v[0].markdown, "your own actions"));
	assert_int_equal(fx_int(f->db, "SELECT with_actions FROM web_tokens WHERE network = 'south'"), 1);
	fx_refused(f, &nets[0], ANNA, "!agenda abonneer morgen", WT_EUSAGE, "`acties`");
	fx_refused(f, &nets[1], ANNA, "!agenda subscribe actions now", WT_EUSAGE, NULL);
	fx_ok(f, &nets[0], ANNA, "!agenda abonneer intrekken");
	fx_reply_has(f, "uitgezet");
	fx_ok(f, &nets[0], ANNA, "!agenda abonneer intrekken");
	fx_reply_has(f, "geen agenda-abonnement");
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_board_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_board_english_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decisions_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expired_and_revoked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_etag_304, setup, teardown),
		cmocka_unit_test_setup_teardown(test_security_headers, setup, teardown),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_valid_ics, setup, teardown),
		cmocka_unit_test(test_board_link_command),
		cmocka_unit_test(test_subscribe_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
