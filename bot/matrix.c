#include "bot/matrix.h"
#include "bot/exit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bot/json_in.h"
#include "bot/mx_error.h"
#include "bot/refresh.h"
#include "lib/log.h"
#include "lib/private_file.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/outbox.h"

#define BACKOFF_MAX_MS 60000L
#define REQUEST_TIMEOUT_MS 30000L

struct mx_req {
	struct matrix *m;
	char *method, *path, *body;
	char *content_type;      /* NULL: JSON */
	size_t body_len;         /* bytes of body (it may hold any byte) */
	long timeout_ms;
	unsigned flags;
	mx_cb cb;
	void *arg;
	void (*arg_free)(void *); /* frees arg when cb never runs (mx_request_owned) */
	int tries;
	int parked;              /* waits for a new access token */
	unsigned token_gen;      /* m->token_gen when last sent */
	int rate_wait;           /* waits out a 429: never cut short */
	uv_timer_t *timer;       /* retry delay; freed in its close callback */
	struct http_req *hr;
	struct mx_req *prev, *next;
};

static void send_now(struct mx_req *r);

char *mx_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = STRBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
		    || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'
		    || *p == '_' || *p == '~') {
			sb_addc(&sb, (char)*p);
		} else {
			sb_addc(&sb, '%');
			sb_addc(&sb, hex[*p >> 4]);
			sb_addc(&sb, hex[*p & 15]);
		}
	}
	return sb_detach(&sb);
}

const char *mx_errcode(json_t *body)
{
	const char *e = json_in_str(body, "errcode");
	return e ? e : "";
}

/* Parse a response body as any JSON value, repaired where jansson would
 * refuse what is valid or harmless (bot/json_in.h); one warn line tells
 * what was repaired. */
static json_t *parse_value(const char *body, size_t len)
{
	struct json_in_stats st;
	json_t *j = json_in_parse(body, len, &st);
	struct strbuf why = STRBUF_INIT;
	if (j && json_in_repaired(&st, &why))
		log_warn("JSON from the homeserver repaired: %s", why.buf);
	sb_release(&why);
	return j;
}

json_t *mx_parse(const char *body, size_t len)
{
	json_t *j = parse_value(body, len);
	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

char *matrix_filter_json(void)
{
	/* Only what the bot reads: messages (also encrypted ones), redactions,
	 * reactions, memberships, power levels, the room's creation, its
	 * encryption and history visibility; no presence, receipts, typing
	 * or account data; members loaded lazily. To-device events, device
	 * lists and one-time key counts are not filtered. */
	return xstrdup(
		"{\"presence\":{\"not_types\":[\"*\"]},"
		"\"account_data\":{\"not_types\":[\"*\"]},"
		"\"room\":{"
		"\"state\":{\"lazy_load_members\":true,"
		"\"types\":[\"m.room.member\",\"m.room.canonical_alias\","
		"\"m.room.power_levels\",\"m.room.create\",\"m.room.encryption\","
		"\"m.room.history_visibility\"]},"
		"\"timeline\":{\"limit\":100,\"lazy_load_members\":true,"
		"\"types\":[\"m.room.message\",\"m.room.member\","
		"\"m.room.power_levels\",\"m.room.create\",\"m.room.redaction\","
		"\"m.room.canonical_alias\",\"m.reaction\",\"m.room.encrypted\","
		"\"m.room.encryption\",\"m.room.history_visibility\","
		"\"m.poll.response\",\"org.matrix.msc3381.poll.response\"]},"
		"\"ephemeral\":{\"not_types\":[\"*\"]},"
		"\"account_data\":{\"not_types\":[\"*\"]}}}");
}

/* Exponential backoff with jitter: half fixed, half random. */
long mx_backoff_ms(const struct matrix *m, int tries)
{
	long cap = m->backoff_max_ms > 0 ? m->backoff_max_ms : BACKOFF_MAX_MS;
	long d = m->backoff_base_ms > 0 ? m->backoff_base_ms : 1000;
	for (int i = 0; i < tries && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	unsigned int rnd = 0;
	if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
		rnd = (unsigned int)rand();
	return d / 2 + (long)(rnd % (unsigned int)(d / 2 + 1));
}

static void timer_closed(uv_handle_t *h)
{
	free(h);
}

static void req_free(struct mx_req *r)
{
	struct matrix *m = r->m;
	if (r->prev)
		r->prev->next = r->next;
	else
		m->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	if (r->hr)
		(m->cancel ? m->cancel : http_cancel)(r->hr);
	if (r->timer) {
		uv_timer_stop(r->timer);
		uv_close((uv_handle_t *)r->timer, timer_closed);
	}
	if (r->arg_free)
		r->arg_free(r->arg);  /* freed with its callback never run */
	free(r->method);
	free(r->path);
	free(r->body);
	free(r->content_type);
	free(r);
}

static void on_retry_timer(uv_timer_t *t)
{
	send_now(t->data);
}

static void retry_later(struct mx_req *r, long ms)
{
	if (!r->timer) {
		r->timer = xmalloc(sizeof *r->timer);
		uv_timer_init(r->m->loop, r->timer);
		r->timer->data = r;
	}
	r->tries++;
	uv_timer_start(r->timer, on_retry_timer, (uint64_t)(ms < 0 ? 0 : ms), 0);
}

/* One log line when the homeserver stops answering, one when it is back. */
static void note_unreachable(struct matrix *m, const char *why)
{
	if (!m->unreachable)
		log_warn("homeserver unreachable (%s), retrying", why);
	m->unreachable = 1;
}

static void note_answer(struct matrix *m, long status)
{
	if (m->unreachable) {
		log_info("homeserver reachable again");
		/* Requests waiting out their backoff go now, not up to a
		 * minute later. */
		for (struct mx_req *r = m->reqs; r; r = r->next)
			if (!r->hr && !r->parked && !r->rate_wait && r->timer
			    && uv_is_active((uv_handle_t *)r->timer))
				uv_timer_start(r->timer, on_retry_timer, 0, 0);
	}
	m->unreachable = 0;
	if (status != 429 && m->rate_limited) {
		log_info("homeserver no longer rate-limits us");
		m->rate_limited = 0;
	}
}

/* The request is done: free it, then hand st and body to its callback. */
static void finish(struct mx_req *r, long st, json_t *body)
{
	mx_cb cb = r->cb;
	void *cb_arg = r->arg;
	r->arg_free = NULL;  /* the callback has it now */
	req_free(r);
	if (cb)
		cb(cb_arg, st, body);
	json_decref(body);
}

static void on_http(void *arg, const struct http_response *res)
{
	struct mx_req *r = arg;
	struct matrix *m = r->m;
	r->hr = NULL;
	json_t *body = !res->status ? NULL
		: (r->flags & MX_ARRAY) && res->status >= 200 && res->status < 300
		? parse_value(res->body, res->len) : mx_parse(res->body, res->len);
	if (body && (r->flags & MX_ARRAY) && !json_is_object(body) && !json_is_array(body)) {
		json_decref(body);
		body = NULL;
	}
	long st = res->status;
	int transient = st == 0 || st >= 500 || st == 429
		|| (st >= 200 && st < 300 && !body);
	if (transient && !(r->flags & MX_NORETRY)) {
		long wait = -1;
		if (st == 429) {
			note_answer(m, st);
			json_t *ra = json_object_get(body, "retry_after_ms");
			if (json_is_integer(ra) && json_integer_value(ra) >= 0)
				wait = (long)json_integer_value(ra);
			else if (res->retry_after_ms >= 0)
				wait = res->retry_after_ms;
			if (wait > 3600000L)
				wait = 3600000L;
			if (!m->rate_limited)
				log_warn("homeserver rate-limits us (%s), waiting %ld ms",
					 mx_errcode(body)[0] ? mx_errcode(body)
					 : "HTTP 429", wait < 0 ? mx_backoff_ms(m, 0) : wait);
			m->rate_limited = 1;
		} else if (st == 0) {
			note_unreachable(m, res->error ? res->error : "no response");
		} else if (st >= 500) {
			struct strbuf why = STRBUF_INIT;
			sb_addf(&why, "HTTP %ld", st);
			note_unreachable(m, why.buf);
			sb_release(&why);
		} else {
			log_warn("%s %s: malformed response, retrying", r->method, r->path);
		}
		if ((r->flags & MX_UNSURE) && st != 429) {
			/* The caller decides whether to send again. */
			finish(r, st, body);
			return;
		}
		r->rate_wait = st == 429;
		if (wait < 0)
			wait = mx_backoff_ms(m, r->tries);
		log_debug("%s %s: retry in %ld ms", r->method, r->path, wait);
		json_decref(body);
		retry_later(r, wait);
		return;
	}
	if (st != 0)
		note_answer(m, st);
	/* A dead token by errcode (M_UNKNOWN_TOKEN, M_MISSING_TOKEN; a 401
	 * without one): log in again. A 401 with "flows" asks for
	 * user-interactive auth (uploading cross-signing keys), one with
	 * another errcode (M_USER_LOCKED) is no dead token: the caller's. */
	if (mx_error_kind(st, body) == MX_ERR_UNKNOWN_TOKEN
	    && !(r->flags & MX_NOAUTH)
	    && !json_is_array(json_object_get(body, "flows"))) {
		log_debug("%s %s: 401 %s", r->method, r->path, mx_errcode(body));
		/* soft_logout: the token expired, the session lives on and a
		 * refresh renews it; an OAuth session is always worth a refresh
		 * (a refreshed token refused at once: log in). */
		int soft = json_is_true(json_object_get(body, "soft_logout"));
		json_decref(body);
		r->parked = 1;
		if (r->token_gen != m->token_gen)
			send_now(r);  /* sent with a token replaced since */
		else if (m->relogging)
			;             /* sent again when the new token is there */
		else if ((soft || m->oauth_token_endpoint) && matrix_can_refresh(m)
			 && time(NULL) - m->refreshed_at >= 10)
			matrix_refresh(m);
		else
			matrix_relogin(m);
		return;
	}
	finish(r, st, body);
}

static void send_now(struct mx_req *r)
{
	struct matrix *m = r->m;
	struct strbuf url = STRBUF_INIT;
	if (!(r->flags & MX_ABSOLUTE))
		sb_add(&url, m->base);
	sb_add(&url, r->path);
	r->parked = 0;
	r->token_gen = m->token_gen;
	const char *bearer = (r->flags & MX_NOAUTH) ? NULL : m->token;
	if (r->content_type)
		r->hr = http_request_bytes(m->http, r->method, url.buf, bearer,
					   r->content_type, r->body, r->body_len,
					   r->timeout_ms, on_http, r);
	else
		r->hr = (m->send ? m->send : http_request)(m->http, r->method, url.buf,
				     bearer, r->body, r->timeout_ms, on_http, r);
	sb_release(&url);
	if (!r->hr)
		retry_later(r, mx_backoff_ms(m, r->tries));
}

struct mx_req *mx_request(struct matrix *m, const char *method,
			  const char *path, const char *json_body,
			  long timeout_ms, unsigned flags, mx_cb cb, void *arg)
{
	return mx_request_typed(m, method, path, NULL, json_body, timeout_ms,
				flags, cb, arg);
}

struct mx_req *mx_request_typed(struct matrix *m, const char *method,
				const char *path, const char *content_type,
				const char *json_body, long timeout_ms, unsigned flags,
				mx_cb cb, void *arg)
{
	return mx_request_bytes(m, method, path, content_type, json_body,
				json_body ? strlen(json_body) : 0, timeout_ms,
				flags, cb, arg);
}

/* A new request in m's list, not sent yet. */
static struct mx_req *req_new(struct matrix *m, const char *method, const char *path,
			      const char *content_type, const char *data, size_t len,
			      long timeout_ms, unsigned flags, mx_cb cb, void *arg)
{
	struct mx_req *r = xcalloc(1, sizeof *r);
	r->m = m;
	r->method = xstrdup(method);
	r->path = xstrdup(path);
	r->content_type = content_type ? xstrdup(content_type) : NULL;
	if (data) {
		r->body = xmalloc(len + 1);
		memcpy(r->body, data, len);
		r->body[len] = '\0';
		r->body_len = len;
	}
	r->timeout_ms = timeout_ms > 0 ? timeout_ms : REQUEST_TIMEOUT_MS;
	r->flags = flags;
	r->cb = cb;
	r->arg = arg;
	r->next = m->reqs;
	if (m->reqs)
		m->reqs->prev = r;
	m->reqs = r;
	return r;
}

/* Send r now, or park it while a new access token is fetched. */
static struct mx_req *req_start(struct mx_req *r)
{
	if (r->m->relogging && !(r->flags & MX_NOAUTH))
		r->parked = 1;
	else
		send_now(r);
	return r;
}

struct mx_req *mx_request_bytes(struct matrix *m, const char *method,
				const char *path, const char *content_type,
				const char *data, size_t len, long timeout_ms,
				unsigned flags, mx_cb cb, void *arg)
{
	return req_start(req_new(m, method, path, content_type, data, len, timeout_ms,
				 flags, cb, arg));
}

struct mx_req *mx_request_owned(struct matrix *m, const char *method, const char *path,
				const char *json_body, long timeout_ms, unsigned flags,
				mx_cb cb, void *arg, void (*arg_free)(void *))
{
	struct mx_req *r = req_new(m, method, path, NULL, json_body,
				   json_body ? strlen(json_body) : 0, timeout_ms, flags, cb, arg);
	r->arg_free = arg_free;
	return req_start(r);
}

void mx_cancel(struct mx_req *r)
{
	if (r)
		req_free(r);
}

void matrix_stop(struct matrix *m, int exit_code)
{
	if (!m->stopping)
		m->exit_code = exit_code;
	m->stopping = 1;
	uv_stop(m->loop);
}

/* ---- identity ---- */

void matrix_set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

/* Keep a fresh login: token, refresh token, expiry and device id in the
 * database (and the token file when one is configured). */
int matrix_take_login(struct matrix *m, json_t *body)
{
	struct mx_tokens t = { 0 };
	if (mx_tokens_from_answer(body, mx_now_ms(), &t) < 0)
		return -1;
	/* A password login starts a homeserver session of its own. */
	t.device_id = t.device_id ? t.device_id
		: m->device_id ? xstrdup(m->device_id) : NULL;
	free(m->device_id);
	m->device_id = NULL;
	matrix_tokens_adopt(m, &t);
	m->token_gen++;
	m->login_at = time(NULL);
	matrix_tokens_keep(m);
	log_info("logged in as %s (device %s%s)", m->cfg->user_id,
		 m->device_id ? m->device_id : "?",
		 m->refresh_token ? ", refresh token" : "");
	return 0;
}

char *matrix_login_body(struct matrix *m)
{
	json_t *b = json_pack("{s:s,s:{s:s,s:s},s:s,s:s}",
			      "type", "m.login.password",
			      "identifier", "type", "m.id.user", "user", m->cfg->user_id,
			      "password", m->cfg->password,
			      "initial_device_display_name", "werktafel");
	if (b && m->device_id)
		json_object_set_new(b, "device_id", json_string(m->device_id));
	if (b && (m->versions.features & MX_FEAT_REFRESH))
		json_object_set_new(b, "refresh_token", json_true());
	char *s = b ? json_dumps(b, JSON_COMPACT) : NULL;
	json_decref(b);
	return s;
}

void matrix_login_refused(struct matrix *m, long status, json_t *body)
{
	json_t *e = json_object_get(body, "error");
	log_error("login as %s refused (HTTP %ld %s: %s); check [matrix] user_id "
		  "and password", m->cfg->user_id, status, mx_errcode(body),
		  json_is_string(e) ? json_string_value(e) : "no reason given");
	matrix_stop(m, WT_EXIT_CREDENTIALS);
}

static void on_relogin(void *arg, long status, json_t *body)
{
	struct matrix *m = arg;
	if (status != 200 || matrix_take_login(m, body) < 0) {
		matrix_login_refused(m, status, body);
		return;
	}
	m->relogging = 0;
	matrix_resend_parked(m);
}

void matrix_resend_parked(struct matrix *m)
{
	for (struct mx_req *r = m->reqs; r; r = r->next)
		if (r->parked)
			send_now(r);
}

void matrix_relogin(struct matrix *m)
{
	if (m->relogging)
		return;
	if (m->token_gen > 0 && time(NULL) - m->login_at < 10) {
		/* A token refused right after the login: no retry loop. */
		log_error("the homeserver refuses the new access token as well; "
			  "is the account locked or deactivated?");
		matrix_stop(m, WT_EXIT_CREDENTIALS);
		return;
	}
	if (!m->cfg->password) {
		log_error("the homeserver refused the access token and no password "
			  "is configured; put a valid token in %s or set [matrix] "
			  "password", m->cfg->access_token_file
			  ? m->cfg->access_token_file : "the token file");
		matrix_stop(m, WT_EXIT_CREDENTIALS);
		return;
	}
	log_info("access token refused, logging in again");
	m->relogging = 1;
	char *body = matrix_login_body(m);
	mx_request(m, "POST", "/_matrix/client/v3/login", body, REQUEST_TIMEOUT_MS,
		   MX_NOAUTH, on_relogin, m);
	free(body);
}

int matrix_init(struct matrix *m, uv_loop_t *loop, sqlite3 *db,
		const struct wt_config *cfg)
{
	memset(m, 0, sizeof *m);
	m->loop = loop;
	m->db = db;
	m->versions.minor = -1;  /* until /versions is read */
	m->cfg = cfg;
	m->http = http_new(loop);
	if (!m->http)
		return -1;
	struct strbuf b = STRBUF_INIT;
	sb_add(&b, cfg->homeserver ? cfg->homeserver : "");
	while (b.len && b.buf[b.len - 1] == '/')
		sb_setlen(&b, b.len - 1);
	m->base = sb_detach(&b);
	return 0;
}

void matrix_free(struct matrix *m)
{
	while (m->reqs)
		req_free(m->reqs);
	http_free(m->http);
	m->http = NULL;
	free(m->base);
	free(m->token);
	free(m->user_id);
	free(m->device_id);
	free(m->filter_id);
	free(m->refresh_token);
	free(m->oauth_token_endpoint);
	free(m->oauth_client_id);
	matrix_refresh_free(m);
}
