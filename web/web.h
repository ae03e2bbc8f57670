/* web: the board's web server, its pure part. web_handle turns one
 * request (method, path, query, the few headers it reads) into one
 * response, reading the database at request time; web/server.c is the
 * libwebsockets side that fills a web_req and writes a web_resp. Tests and
 * the fuzz target call web_handle directly.
 *
 * Pages: /n/NETWORK (the board), /n/NETWORK/besluiten (the decisions
 * register with search and filters, also /decisions), /n/NETWORK/agenda.ics
 * (the member's calendar feed), /style.css. Everything else is 404; a
 * page without a verified member is 403 (no token) or 404 (a token that is
 * unknown, expired, revoked or for another network), with no data. */
#ifndef WT_WEB_H
#define WT_WEB_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "bot/config.h"
#include "lib/strbuf.h"

#define WEB_MAX_QUERY 16      /* query parameters read; more are ignored */
#define WEB_MAX_FIELD 512     /* longest path, parameter or header read */

/* One request, as the server read it. Strings are NUL-terminated, already
 * %-decoded (path and each "key=value"), and may be NULL when absent. */
struct web_req {
	const char *method;       /* "GET", "HEAD", ... */
	const char *path;
	const char *query[WEB_MAX_QUERY]; /* "key=value" each */
	size_t nquery;
	const char *cookie;       /* the Cookie header */
	const char *if_none_match;
	const char *if_modified_since;
	const char *authorization; /* for an OpenID session (web/auth.h) */
};

/* The answer. body holds the page (empty for 304 and HEAD). */
struct web_resp {
	int status;
	const char *content_type;
	struct strbuf body;
	char etag[48];            /* "" when none */
	time_t last_modified;     /* 0 when none */
	struct strbuf set_cookie; /* a Set-Cookie value, or empty */
	int no_store;             /* Cache-Control: no-store (refusals) */
};

/* A page as rendered for one validator key (below). */
#define WEB_CACHE_PAGES 16
struct web_cached {
	char *key;                /* run, change count, clock bucket, language,
				   * path, query and member: NULL when free */
	char *body;
	size_t len;
};

/* What survives between requests: when the database last changed, for
 * Last-Modified, and the last pages rendered: a page whose key is
 * unchanged (no row changed, the same clock bucket, the same request of
 * the same member) is the same page, so a burst of requests renders it
 * once. The server owns it (tests make their own); free with
 * web_state_release. */
struct web_state {
	long long changes;        /* web_db_changes at the last look */
	time_t changed_at;
	unsigned long boot;       /* differs per run: ETags of an old run die */
	struct web_cached cache[WEB_CACHE_PAGES];
	unsigned next;            /* the slot the next page takes */
	struct widget_auth *widget; /* the Element widget's sign-in and sessions
				     * (web/widget.h), or NULL: none */
};
void web_state_release(struct web_state *st);

/* Everything a request may look at. */
struct web_env {
	sqlite3 *db;
	const struct wt_config *cfg;
	time_t now;
	struct web_state *state;
};

void web_resp_init(struct web_resp *r);
void web_resp_release(struct web_resp *r);

/* Answer req into resp (initialised by the caller). Never fails: a
 * database error is a 500 page without data. */
void web_handle(const struct web_env *env, const struct web_req *req,
		struct web_resp *resp);

/* The value of query parameter key, or NULL. */
const char *web_query(const struct web_req *req, const char *key);
/* The value of cookie name in the Cookie header, copied (caller frees),
 * or NULL. */
char *web_cookie_dup(const char *cookie, const char *name);

/* The security headers every answer carries, as "Name: value" pairs for
 * the server; frame-ancestors from [web] frame_ancestors ('none' when
 * unset). Calls add(name, value, arg) for each. */
void web_security_headers(const struct wt_config *cfg,
			  void (*add)(const char *name, const char *value, void *arg),
			  void *arg);

#endif
