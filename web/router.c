/* router: one request to one response (see web.h): the method, the path,
 * the gate (web/auth.h), the cache validators, then the page. */
#include "web/web.h"

#include <curl/curl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/web_tokens.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/widget.h"
#include "web/token.h"

/* Pages change with the clock too (the next meeting, what is overdue):
 * validators roll over every this many seconds even when no row did. */
#define WEB_TIME_BUCKET 600

void web_resp_init(struct web_resp *r)
{
	memset(r, 0, sizeof *r);
	sb_init(&r->body);
	sb_init(&r->set_cookie);
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
}

void web_resp_release(struct web_resp *r)
{
	sb_release(&r->body);
	sb_release(&r->set_cookie);
}

const char *web_query(const struct web_req *req, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; i < req->nquery && i < WEB_MAX_QUERY; i++)
		if (req->query[i] && strncmp(req->query[i], key, n) == 0 &&
		    req->query[i][n] == '=')
			return req->query[i] + n + 1;
	return NULL;
}

char *web_cookie_dup(const char *cookie, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = cookie; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t len = strcspn(p, ";");
		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=')
			return xstrndup(p + n + 1, len - n - 1);
		p += len;
	}
	return NULL;
}

void web_security_headers(const struct wt_config *cfg,
			  void (*add)(const char *name, const char *value, void *arg),
			  void *arg)
{
	struct strbuf csp = STRBUF_INIT;
	sb_addf(&csp, "default-src 'none'; style-src 'self'; img-src 'self'; "
		"script-src 'self'; connect-src 'self'; "
		"form-action 'self'; base-uri 'none'; frame-ancestors %s",
		cfg && cfg->web_frame_ancestors ? cfg->web_frame_ancestors : "'none'");
	add("Content-Security-Policy", csp.buf, arg);
	add("X-Content-Type-Options", "nosniff", arg);
	add("Referrer-Policy", "no-referrer", arg);
	sb_release(&csp);
}

/* The FNV-1a hash of s into h. */
static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

/* The page's validator key: the run, the database's change count, the
 * clock's bucket, the language, the request and the member. */
static void page_key(const struct web_page *p, long long changes, time_t bucket,
		     struct strbuf *key)
{
	sb_addf(key, "%lu/%lld/%lld/%d\n", p->env->state->boot, changes,
		(long long)bucket, (int)p->lang);
	sb_addf(key, "%s\n%s\n", p->req->path, p->user);
	for (size_t i = 0; i < p->req->nquery; i++)
		sb_addf(key, "%s\n", p->req->query[i]);
}

/* ETag (the hash of the key) and Last-Modified of a network page, and a
 * 304 when the client has it. Returns 1 when answered. */
static int validators(const struct web_page *p, struct web_resp *resp, struct strbuf *key)
{
	const struct web_env *env = p->env;
	struct web_state *st = env->state;
	long long changes = web_db_changes(env->db);
	if (st->changes != changes || !st->changed_at) {
		st->changes = changes;
		st->changed_at = env->now;
	}
	time_t bucket = env->now - env->now % WEB_TIME_BUCKET;
	resp->last_modified = st->changed_at > bucket ? st->changed_at : bucket;
	page_key(p, changes, bucket, key);
	snprintf(resp->etag, sizeof resp->etag, "\"%016llx\"",
		 (unsigned long long)fnv(0xcbf29ce484222325ULL, key->buf));
	const struct web_req *r = p->req;
	int fresh = r->if_none_match ? strstr(r->if_none_match, resp->etag) != NULL
		: r->if_modified_since && curl_getdate(r->if_modified_since, NULL) >=
			resp->last_modified;
	if (fresh)
		resp->status = 304;
	return fresh;
}

void web_state_release(struct web_state *st)
{
	for (size_t i = 0; i < WEB_CACHE_PAGES; i++) {
		free(st->cache[i].key);
		free(st->cache[i].body);
		st->cache[i].key = st->cache[i].body = NULL;
	}
}

/* The page rendered for key before, into resp: 1, else 0. */
static int cached(struct web_state *st, const char *key, struct web_resp *resp)
{
	for (size_t i = 0; i < WEB_CACHE_PAGES; i++)
		if (st->cache[i].key && strcmp(st->cache[i].key, key) == 0) {
			sb_addn(&resp->body, st->cache[i].body, st->cache[i].len);
			return 1;
		}
	return 0;
}

static void remember(struct web_state *st, const char *key, const struct web_resp *resp)
{
	struct web_cached *c = &st->cache[st->next++ % WEB_CACHE_PAGES];
	free(c->key);
	free(c->body);
	c->key = xstrdup(key);
	c->body = xstrndup(resp->body.buf, resp->body.len);
	c->len = resp->body.len;
}

/* "/n/NAME[/PAGE]": the network's name and the page ("" for the board). */
static int split_path(const char *path, struct strbuf *net, const char **page)
{
	if (strncmp(path, "/n/", 3) != 0)
		return -1;
	const char *s = path + 3, *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n > 64)
		return -1;
	sb_addn(net, s, n);
	*page = slash ? slash + 1 : "";
	return 0;
}

enum page_kind { PAGE_BOARD, PAGE_DECISIONS, PAGE_FEED };

static int page_kind_of(const char *page)
{
	if (!*page)
		return PAGE_BOARD;
	if (!strcmp(page, "besluiten") || !strcmp(page, "decisions"))
		return PAGE_DECISIONS;
	if (!strcmp(page, "agenda.ics"))
		return PAGE_FEED;
	return -1;
}

/* The calendar feed's own gate: the secret in ?t=, kind ics. */
static int feed_gate(const struct web_env *env, const struct web_req *req,
		     const char *network, char **user, int *with_actions)
{
	struct web_token_row row;
	const char *t = web_query(req, "t");
	if (!t)
		return WEB_AUTH_NONE;
	int v = web_token_check(env->db, t, WEB_TOKEN_ICS, env->now, &row);
	if (v == WEB_TOKEN_FAILED)
		return WEB_AUTH_FAILED;
	if (v != WEB_TOKEN_VALID)
		return WEB_AUTH_DENIED;
	int rc = strcmp(row.network, network) ? WEB_AUTH_DENIED
		: web_auth_is_member(env, network, row.user_id);
	if (rc == WEB_AUTH_OK)
		*user = row.user_id, row.user_id = NULL;
	*with_actions = row.with_actions;
	web_token_row_free(&row);
	return rc;
}

/* A fresh ?t= link: keep it in a cookie for this network's pages, so the
 * page's own links need not carry the secret. */
static void remember_link(const struct web_page *p, struct web_resp *resp)
{
	const char *t = web_query(p->req, "t");
	const char *base = p->env->cfg ? p->env->cfg->web_public_url : NULL;
	if (!t)
		return;
	sb_addf(&resp->set_cookie, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
		WEB_COOKIE, t, 30L * 24 * 3600,
		base && !strncmp(base, "https:", 6) ? "; Secure" : "");
}

static void network_page(const struct web_env *env, const struct web_req *req,
			 const struct wt_network *net, int kind, struct web_resp *resp)
{
	char *user = NULL;
	int with_actions = 0;
	int gate = kind == PAGE_FEED ? feed_gate(env, req, net->name, &user, &with_actions)
		: web_auth_member(env, req, net->name, &user);
	if (gate != WEB_AUTH_OK) {
		web_page_message(resp, gate == WEB_AUTH_NONE ? 403 : gate == WEB_AUTH_DENIED
				 ? 404 : 500, net->lang, gate == WEB_AUTH_NONE ? M_WEB_FORBIDDEN
				 : gate == WEB_AUTH_DENIED ? M_WEB_NOT_FOUND : M_WEB_ERROR);
		free(user);
		return;
	}
	struct web_page p = { env, req, net, user, net->lang,
			      kind == PAGE_BOARD ? "../" : "../../" };
	if (kind != PAGE_FEED)
		remember_link(&p, resp);
	struct strbuf key = STRBUF_INIT;
	if (!validators(&p, resp, &key) && !cached(env->state, key.buf, resp)) {
		int rc = kind == PAGE_BOARD ? web_page_board(&p, resp)
			: kind == PAGE_DECISIONS ? web_page_decisions(&p, resp)
			: web_page_feed(&p, with_actions, resp);
		if (rc < 0) {
			sb_reset(&resp->set_cookie);
			web_page_message(resp, 500, net->lang, M_WEB_ERROR);
		} else {
			remember(env->state, key.buf, resp);
		}
	}
	if (kind == PAGE_FEED && resp->status != 500)
		resp->content_type = "text/calendar; charset=utf-8";
	sb_release(&key);
	free(user);
}

void web_handle(const struct web_env *env, const struct web_req *req,
		struct web_resp *resp)
{
	enum wt_lang lang = env->cfg ? env->cfg->lang : LANG_NL;
	if (!req->method || (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))) {
		web_page_message(resp, 405, lang, M_WEB_NOT_FOUND);
		return;
	}
	const char *path = req->path ? req->path : "";
	if (web_widget_handle(env, req, resp))
		return;  /* the Element widget's page, script and sign-in */
	if (strcmp(path, "/style.css") == 0) {
		resp->content_type = "text/css; charset=utf-8";
		sb_add(&resp->body, web_style_css);
		snprintf(resp->etag, sizeof resp->etag, "\"%016llx\"", (unsigned long long)
			 fnv(0xcbf29ce484222325ULL, web_style_css));
		if (req->if_none_match && strstr(req->if_none_match, resp->etag)) {
			sb_reset(&resp->body);
			resp->status = 304;
		}
		return;
	}
	struct strbuf name = STRBUF_INIT;
	const char *page = NULL;
	const struct wt_network *net = NULL;
	int kind = -1;
	if (split_path(path, &name, &page) == 0 && env->cfg) {
		net = config_network_by_name(env->cfg, name.buf);
		kind = page_kind_of(page);
	}
	if (!net || kind < 0)
		web_page_message(resp, 404, net ? net->lang : lang, M_WEB_NOT_FOUND);
	else
		network_page(env, req, net, kind, resp);
	sb_release(&name);
}
