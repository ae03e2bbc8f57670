/* openid: verifying the widget's OpenID token with its homeserver
 * (bot/openid.h). */
#include "bot/openid.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/matrix.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/strbuf.h"

/* ---- the token and the answer ---- */

void openid_token_free(struct openid_token *tok)
{
	free(tok->access_token);
	free(tok->server_name);
	memset(tok, 0, sizeof *tok);
}

/* Printable ASCII without blanks, 1..max characters. */
static int token_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

/* A server name (spec appendix "Server name"): a host name, an IPv4
 * address or an IPv6 literal in brackets, then an optional ":port". */
static int server_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 255)
		return 0;
	const char *p = s;
	if (*p == '[') {
		const char *end = strchr(p, ']');
		if (!end || end == p + 1)
			return 0;
		for (const char *q = p + 1; q < end; q++)
			if (!strchr("0123456789abcdefABCDEF:.", *q))
				return 0;
		p = end + 1;
	} else {
		const char *start = p;
		while (*p && (strchr("-.", *p) || (*p >= '0' && *p <= '9')
			      || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		if (p == start)
			return 0;
	}
	if (*p == ':') {
		p++;
		size_t digits = strspn(p, "0123456789");
		if (digits == 0 || digits > 5)
			return 0;
		p += digits;
	}
	return *p == '\0';
}

int openid_token_from(struct openid_token *tok, const char *access_token,
		      const char *server_name, long expires_in)
{
	memset(tok, 0, sizeof *tok);
	if (!access_token || !server_name || !token_ok(access_token, OPENID_TOKEN_MAX)
	    || !server_name_ok(server_name))
		return OPENID_E_MALFORMED;
	tok->access_token = xstrdup(access_token);
	tok->server_name = xstrdup(server_name);
	tok->expires_in = expires_in > 0 && expires_in < 86400L * 365 ? expires_in : 0;
	return OPENID_OK;
}

int openid_token_parse(const char *body, size_t len, struct openid_token *tok)
{
	memset(tok, 0, sizeof *tok);
	json_t *j = body ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	json_t *at = json_object_get(j, "access_token");
	json_t *sn = json_object_get(j, "matrix_server_name");
	json_t *tt = json_object_get(j, "token_type");
	json_t *ex = json_object_get(j, "expires_in");
	int ok = json_is_object(j) && json_is_string(at) && json_is_string(sn)
		 && (!tt || (json_is_string(tt)
			     && strcasecmp(json_string_value(tt), "Bearer") == 0))
		 && (!ex || json_is_integer(ex))
		 && token_ok(json_string_value(at), OPENID_TOKEN_MAX)
		 && server_name_ok(json_string_value(sn));
	if (ok) {
		tok->access_token = xstrdup(json_string_value(at));
		tok->server_name = xstrdup(json_string_value(sn));
		json_int_t e = ex ? json_integer_value(ex) : 0;
		tok->expires_in = e > 0 && e < 86400 * 365 ? (long)e : 0;
	}
	json_decref(j);
	return ok ? OPENID_OK : OPENID_E_MALFORMED;
}

const struct openid_server *openid_server_find(const struct openid_server *v, size_t n,
					       const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (v[i].name && strcasecmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

char *openid_userinfo_url(const char *base, const char *token)
{
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	char *t = mx_escape(token);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%.*s/_matrix/federation/v1/openid/userinfo?access_token=%s",
		(int)n, base, t);
	free(t);
	return sb_detach(&sb);
}

int openid_userinfo_parse(long status, const char *body, size_t len,
			  const char *server_name, char **user)
{
	*user = NULL;
	if (status == 0 || status == 429 || status >= 500)
		return OPENID_E_UNREACHABLE;
	if (status == 401 || status == 403 || status == 404)
		return OPENID_E_INVALID;
	if (status < 200 || status >= 300)
		return OPENID_E_ANSWER;
	json_t *j = mx_parse(body, len);
	json_t *sub = json_object_get(j, "sub");
	const char *u = json_is_string(sub) ? json_string_value(sub) : NULL;
	const char *colon = u ? strchr(u, ':') : NULL;
	int ok = u && u[0] == '@' && colon && colon > u + 1 && strlen(u) <= 255
		 && token_ok(u, 255) && strcasecmp(colon + 1, server_name) == 0;
	if (ok)
		*user = xstrdup(u);
	json_decref(j);
	return ok ? OPENID_OK : OPENID_E_ANSWER;
}

const char *openid_result_name(int result)
{
	switch (result) {
	case OPENID_OK: return "verified";
	case OPENID_E_MALFORMED: return "malformed token";
	case OPENID_E_SERVER: return "homeserver not allowed";
	case OPENID_E_INVALID: return "token unknown to its homeserver";
	case OPENID_E_UNREACHABLE: return "homeserver unreachable";
	case OPENID_E_ANSWER: return "unusable userinfo answer";
	case OPENID_E_LIMIT: return "too many attempts";
	case OPENID_E_NOT_MEMBER: return "not a member";
	}
	return "unknown";
}

/* ---- the verifier ---- */

struct cached {
	char *token;
	char *server;
	char *user;       /* NULL: a refusal */
	int result;
	uint64_t until_ms;
};

struct bucket {
	char *client;
	double tokens;
	uint64_t at_ms;
};

struct openid_job {
	struct openid_verifier *v;
	struct http_req *req;
	char *token, *server;
	uint64_t expires_ms;  /* the cache entry's end */
	uint64_t started_ms;
	openid_cb cb;
	void *arg;
	struct openid_job *next;
};

#define BUCKETS 256

struct openid_verifier {
	struct http *http;
	struct openid_server *servers;
	size_t nservers;
	openid_send_fn send;
	void (*cancel)(struct http_req *r);
	struct cached cache[OPENID_CACHE_SIZE];
	struct bucket buckets[BUCKETS];
	struct openid_job *jobs;
	int in_flight;
};

struct openid_verifier *openid_verifier_new(struct http *http,
					    const struct openid_server *servers,
					    size_t nservers)
{
	struct openid_verifier *v = xcalloc(1, sizeof *v);
	v->http = http;
	v->send = http_request;
	v->cancel = http_cancel;
	v->servers = xcalloc(nservers ? nservers : 1, sizeof *v->servers);
	for (size_t i = 0; i < nservers; i++) {
		v->servers[i].name = xstrdup(servers[i].name);
		v->servers[i].base = xstrdup(servers[i].base);
	}
	v->nservers = nservers;
	return v;
}

void openid_verifier_set_send(struct openid_verifier *v, openid_send_fn send,
			      void (*cancel)(struct http_req *r))
{
	v->send = send ? send : http_request;
	v->cancel = cancel ? cancel : http_cancel;
}

static void job_free(struct openid_job *j)
{
	free(j->token);
	free(j->server);
	free(j);
}

static void unlink_job(struct openid_verifier *v, struct openid_job *j)
{
	for (struct openid_job **p = &v->jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			v->in_flight--;
			return;
		}
}

void openid_verifier_free(struct openid_verifier *v)
{
	if (!v)
		return;
	while (v->jobs) {
		struct openid_job *j = v->jobs;
		v->jobs = j->next;
		if (j->req)
			v->cancel(j->req);
		job_free(j);
	}
	for (size_t i = 0; i < OPENID_CACHE_SIZE; i++) {
		free(v->cache[i].token);
		free(v->cache[i].server);
		free(v->cache[i].user);
	}
	for (size_t i = 0; i < BUCKETS; i++)
		free(v->buckets[i].client);
	for (size_t i = 0; i < v->nservers; i++) {
		free((char *)v->servers[i].name);
		free((char *)v->servers[i].base);
	}
	free(v->servers);
	free(v);
}

/* The cache's entry for token at server, or NULL. */
static const struct cached *cache_get(struct openid_verifier *v, const char *token,
				      const char *server, uint64_t now_ms)
{
	const struct cached *found = NULL;
	for (size_t i = 0; i < OPENID_CACHE_SIZE; i++) {
		struct cached *c = &v->cache[i];
		if (c->token && c->until_ms > now_ms && secret_equal(c->token, token)
		    && strcasecmp(c->server, server) == 0)
			found = c;
	}
	return found;
}

/* Keep token's user (NULL: the refusal result) until until_ms, in the
 * slot that ends first. */
static void cache_put(struct openid_verifier *v, const char *token, const char *server,
		      const char *user, int result, uint64_t until_ms)
{
	struct cached *slot = &v->cache[0];
	for (size_t i = 0; i < OPENID_CACHE_SIZE; i++)
		if (v->cache[i].until_ms < slot->until_ms)
			slot = &v->cache[i];
	free(slot->token);
	free(slot->server);
	free(slot->user);
	*slot = (struct cached){ xstrdup(token), xstrdup(server), user ? xstrdup(user) : NULL,
				 result, until_ms };
}

/* FNV-1a of s, for the client's bucket. */
static size_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % BUCKETS;
}

/* One attempt from client: 1 when its bucket had a token, 0 when empty.
 * Clients that share a slot share its bucket (a stranger can only make
 * another wait, never let it through). */
static int bucket_take(struct openid_verifier *v, const char *client, uint64_t now_ms)
{
	struct bucket *b = &v->buckets[hash(client ? client : "")];
	if (!b->client || strcmp(b->client, client ? client : "") != 0) {
		if (!b->client || b->tokens >= OPENID_BURST - 1) {
			free(b->client);  /* the slot's last client is quiet: take it */
			b->client = xstrdup(client ? client : "");
			b->tokens = OPENID_BURST;
			b->at_ms = now_ms;
		}
	}
	if (now_ms > b->at_ms) {
		b->tokens += (double)(now_ms - b->at_ms) / OPENID_REFILL_MS;
		if (b->tokens > OPENID_BURST)
			b->tokens = OPENID_BURST;
	}
	b->at_ms = now_ms;
	if (b->tokens < 1)
		return 0;
	b->tokens -= 1;
	return 1;
}

static void on_userinfo(void *arg, const struct http_response *res)
{
	struct openid_job *j = arg;
	struct openid_verifier *v = j->v;
	j->req = NULL;
	unlink_job(v, j);
	char *user = NULL;
	int rc = openid_userinfo_parse(res->status, res->body, res->len, j->server, &user);
	if (rc == OPENID_OK)
		cache_put(v, j->token, j->server, user, rc, j->expires_ms);
	else
		cache_put(v, j->token, j->server, NULL, rc, j->started_ms
			  + (rc == OPENID_E_UNREACHABLE ? OPENID_RETRY_MS : OPENID_REFUSED_MS));
	if (rc != OPENID_OK)
		log_info("openid: a token of %s refused: %s (HTTP %ld)", j->server,
			 openid_result_name(rc), res->status);
	j->cb(j->arg, rc, user);
	free(user);
	job_free(j);
}

struct openid_job *openid_verify(struct openid_verifier *v, const struct openid_token *tok,
				 const char *client, uint64_t now_ms, openid_cb cb, void *arg)
{
	if (!tok->access_token || !tok->server_name) {
		cb(arg, OPENID_E_MALFORMED, NULL);
		return NULL;
	}
	const struct openid_server *s = openid_server_find(v->servers, v->nservers,
							   tok->server_name);
	if (!s) {
		cb(arg, OPENID_E_SERVER, NULL);
		return NULL;
	}
	const struct cached *c = cache_get(v, tok->access_token, s->name, now_ms);
	if (c) {
		cb(arg, c->result, c->user);
		return NULL;
	}
	if (!bucket_take(v, client, now_ms) || v->in_flight >= OPENID_MAX_IN_FLIGHT) {
		cb(arg, OPENID_E_LIMIT, NULL);
		return NULL;
	}
	long keep = tok->expires_in > 0 && tok->expires_in < OPENID_CACHE_SECONDS
		? tok->expires_in : OPENID_CACHE_SECONDS;
	struct openid_job *j = xcalloc(1, sizeof *j);
	*j = (struct openid_job){ .v = v, .token = xstrdup(tok->access_token),
				  .server = xstrdup(s->name),
				  .expires_ms = now_ms + (uint64_t)keep * 1000,
				  .started_ms = now_ms,
				  .cb = cb, .arg = arg, .next = v->jobs };
	char *url = openid_userinfo_url(s->base, tok->access_token);
	j->req = v->send(v->http, "GET", url, NULL, NULL, OPENID_TIMEOUT_MS, on_userinfo, j);
	free(url);
	if (!j->req) {
		job_free(j);
		cb(arg, OPENID_E_UNREACHABLE, NULL);
		return NULL;
	}
	v->jobs = j;
	v->in_flight++;
	return j;
}

void openid_cancel(struct openid_verifier *v, struct openid_job *job)
{
	for (struct openid_job *j = v->jobs; j; j = j->next)
		if (j == job) {
			unlink_job(v, j);
			if (j->req)
				v->cancel(j->req);
			job_free(j);
			return;
		}
}

/* ---- asking again until there is an answer ---- */

/* The job of token at server in flight, or NULL. */
static struct openid_job *in_flight(struct openid_verifier *v, const char *token,
				    const char *server)
{
	for (struct openid_job *j = v->jobs; j; j = j->next)
		if (secret_equal(j->token, token) && strcasecmp(j->server, server) == 0)
			return j;
	return NULL;
}

struct check {
	int rc;
	char *user;
	int answered;
};

static void on_check(void *arg, int rc, const char *user)
{
	struct check *c = arg;
	if (!c)
		return;  /* a question started by openid_check: the cache keeps it */
	c->rc = rc;
	c->user = user ? xstrdup(user) : NULL;
	c->answered = 1;
}

int openid_check(struct openid_verifier *v, const struct openid_token *tok,
		 const char *client, uint64_t now_ms, char **user)
{
	*user = NULL;
	const struct openid_server *s = tok->access_token
		? openid_server_find(v->servers, v->nservers, tok->server_name) : NULL;
	if (s && in_flight(v, tok->access_token, s->name))
		return OPENID_PENDING;
	struct check c = { 0 };
	struct openid_job *j = openid_verify(v, tok, client, now_ms, on_check, &c);
	if (!j) {
		*user = c.user;
		return c.rc;
	}
	j->arg = NULL;  /* the answer goes to the cache only */
	return OPENID_PENDING;
}
