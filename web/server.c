/* server: libwebsockets' HTTP server for the board (see server.h). The
 * request is read into a struct web_req, answered by web_handle, and the
 * answer written: headers at once, the body in chunks as the socket
 * takes them. */
#include "web/server.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "lib/log.h"
#include "web/web.h"
#include "web/widget.h"

#define CHUNK 16384
#define HEADERS 4096

struct web_server {
	uv_loop_t *loop;
	sqlite3 *db;
	const struct wt_config *cfg;
	struct web_state state;
	struct lws_context *ctx;
	struct lws_context *ctx_live;  /* lws sets it NULL when destroyed */
	char *iface;
};

/* One connection's answer on its way out. */
struct web_conn {
	char *body;
	size_t len, off;
	int wait_body;            /* a request body comes first (POST): lws
				   * writes only once it has read it */
};

/* The request's fields, copied out of lws's header store. */
struct req_buf {
	char path[WEB_MAX_FIELD];
	char query[WEB_MAX_QUERY][WEB_MAX_FIELD];
	char cookie[WEB_MAX_FIELD * 2], inm[WEB_MAX_FIELD], ims[128], auth[WEB_MAX_FIELD * 2];
};

/* A header into buf, or NULL when absent or too long for it. */
static const char *header(struct lws *wsi, enum lws_token_indexes h, char *buf, int len)
{
	if (lws_hdr_total_length(wsi, h) <= 0)
		return NULL;
	return lws_hdr_copy(wsi, buf, len, h) > 0 ? buf : NULL;
}

static void read_request(struct lws *wsi, const char *uri, struct req_buf *b,
			 struct web_req *r)
{
	memset(r, 0, sizeof *r);
	r->method = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0 ? "GET"
		: lws_hdr_total_length(wsi, WSI_TOKEN_HEAD_URI) > 0 ? "HEAD" : "OTHER";
	size_t n = uri ? strnlen(uri, sizeof b->path) : 0;
	r->path = n < sizeof b->path ? memcpy(b->path, uri ? uri : "", n + 1) : "/";
	for (int i = 0; i < WEB_MAX_QUERY; i++) {
		int len = lws_hdr_copy_fragment(wsi, b->query[r->nquery], WEB_MAX_FIELD,
						WSI_TOKEN_HTTP_URI_ARGS, i);
		if (len < 0)
			break;
		if (len > 0) {
			r->query[r->nquery] = b->query[r->nquery];
			r->nquery++;
		}
	}
	r->cookie = header(wsi, WSI_TOKEN_HTTP_COOKIE, b->cookie, sizeof b->cookie);
	r->if_none_match = header(wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH, b->inm, sizeof b->inm);
	r->if_modified_since = header(wsi, WSI_TOKEN_HTTP_IF_MODIFIED_SINCE, b->ims, sizeof b->ims);
	r->authorization = header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, b->auth, sizeof b->auth);
}

struct hdr_out {
	struct lws *wsi;
	unsigned char **p, *end;
	int failed;
};

static void add_header(const char *name, const char *value, void *arg)
{
	struct hdr_out *h = arg;
	struct strbuf n = STRBUF_INIT;
	sb_addf(&n, "%s:", name);
	if (lws_add_http_header_by_name(h->wsi, (const unsigned char *)n.buf,
					(const unsigned char *)value, (int)strlen(value),
					h->p, h->end))
		h->failed = 1;
	sb_release(&n);
}

/* The status line and every header of resp. 0, or -1. */
static int write_headers(struct web_server *s, struct lws *wsi, const struct web_resp *resp)
{
	unsigned char buf[LWS_PRE + HEADERS];
	unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
	struct hdr_out h = { wsi, &p, end, 0 };
	if (lws_add_http_common_headers(wsi, (unsigned)resp->status, resp->content_type,
					resp->status == 304 ? 0 : resp->body.len, &p, end))
		return -1;
	web_security_headers(s->cfg, add_header, &h);
	add_header("Cache-Control", resp->no_store ? "no-store" : "private, no-cache", &h);
	if (resp->etag[0])
		add_header("ETag", resp->etag, &h);
	if (resp->last_modified) {
		char date[64];
		struct tm tm;
		gmtime_r(&resp->last_modified, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		add_header("Last-Modified", date, &h);
	}
	if (resp->set_cookie.len)
		add_header("Set-Cookie", resp->set_cookie.buf, &h);
	if (resp->status == 405)
		add_header("Allow", "GET, HEAD", &h);
	if (h.failed || lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	return 0;
}

/* Answer the request lws just read. */
static int on_request(struct web_server *s, struct lws *wsi, struct web_conn *c,
		      const char *uri)
{
	struct req_buf *b = xmalloc(sizeof *b);
	struct web_req req;
	read_request(wsi, uri, b, &req);
	struct web_resp resp;
	web_resp_init(&resp);
	struct web_env env = { s->db, s->cfg, time(NULL), &s->state };
	web_handle(&env, &req, &resp);
	int head_only = strcmp(req.method, "HEAD") == 0 || resp.status == 304;
	log_debug("web: %s %s: %d", req.method, req.path, resp.status);
	free(b);
	int rc = write_headers(s, wsi, &resp);
	if (rc == 0 && !head_only && resp.body.len) {
		c->len = resp.body.len;
		c->off = 0;
		c->body = sb_detach(&resp.body);
		c->wait_body = strcmp(req.method, "GET") && strcmp(req.method, "HEAD") &&
			lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0;
		if (!c->wait_body)
			lws_callback_on_writable(wsi);
	}
	web_resp_release(&resp);
	if (rc < 0)
		return -1;
	if (!c->body && lws_http_transaction_completed(wsi))
		return -1;
	return 0;
}

/* The socket takes more: the next chunk of the body. */
static int on_writable(struct lws *wsi, struct web_conn *c)
{
	if (!c->body)
		return 0;
	unsigned char buf[LWS_PRE + CHUNK];
	size_t n = c->len - c->off < CHUNK ? c->len - c->off : CHUNK;
	memcpy(buf + LWS_PRE, c->body + c->off, n);
	c->off += n;
	int last = c->off >= c->len;
	if (lws_write(wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP)
	    != (int)n)
		return -1;
	if (!last) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	free(c->body);
	c->body = NULL;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int on_lws(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		  void *in, size_t len)
{
	struct web_conn *c = user;
	struct web_server *s = lws_context_user(lws_get_context(wsi));
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (!s || !c)
			return -1;
		free(c->body);
		c->body = NULL;
		return on_request(s, wsi, c, in);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return c ? on_writable(wsi, c) : -1;
	case LWS_CALLBACK_HTTP_BODY:
		return 0;  /* read and dropped: nothing here takes a body */
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (c && c->wait_body) {
			c->wait_body = 0;
			lws_callback_on_writable(wsi);
		}
		return 0;
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		if (c) {
			free(c->body);
			c->body = NULL;
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{ "http", on_lws, sizeof(struct web_conn), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void no_signal(void *handle, int signum)
{
	/* The bot's own libuv signal handlers stop it. */
}

struct web_server *web_server_new(uv_loop_t *loop, sqlite3 *db, const struct wt_config *cfg)
{
	if (!cfg->web_listen || !cfg->web_public_url)
		return NULL;
	struct web_server *s = xcalloc(1, sizeof *s);
	const char *colon = strrchr(cfg->web_listen, ':');
	s->loop = loop;
	s->db = db;
	s->cfg = cfg;
	s->iface = xstrndup(cfg->web_listen, (size_t)(colon - cfg->web_listen));
	if (getrandom(&s->state.boot, sizeof s->state.boot, 0) != sizeof s->state.boot)
		s->state.boot = (unsigned long)time(NULL);
	void *loops[1] = { loop };
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = atoi(colon + 1);
	info.iface = s->iface;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN;
	if (!strchr(s->iface, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.foreign_loops = loops;
	info.signal_cb = no_signal;
	info.user = s;
	info.pcontext = &s->ctx_live;
	info.timeout_secs = 20;
	info.keepalive_timeout = 10;
	info.max_http_header_data = HEADERS;
	info.vhost_name = "werktafel-web";
	s->ctx = lws_create_context(&info);
	s->ctx_live = s->ctx;
	if (!s->ctx) {
		log_error("web: cannot listen on %s; the bot runs without its web board",
			  cfg->web_listen);
		free(s->iface);
		free(s);
		return NULL;
	}
	log_info("web: the board listens on %s for %s", cfg->web_listen, cfg->web_public_url);
	s->state.widget = widget_auth_new(loop, cfg);
	return s;
}

void web_server_free(struct web_server *s)
{
	if (!s)
		return;
	struct lws_context *ctx = s->ctx;
	s->ctx = NULL;
	/* As bot/transport_ws.c: lws closes its handles through the loop. */
	for (int round = 0; round < 3 && s->ctx_live; round++) {
		lws_context_destroy(ctx);
		for (int i = 0; i < 50 && s->ctx_live; i++)
			uv_run(s->loop, UV_RUN_NOWAIT);
	}
	if (s->ctx_live)
		log_debug("web: libwebsockets not finished closing");
	widget_auth_free(s->state.widget);
	web_state_release(&s->state);
	free(s->iface);
	free(s);
}
