#include "bot/http.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lib/log.h"
#include "lib/strbuf.h"

/* Finished transfers are not handed to their callbacks where curl reports
 * them (inside a timer or poll callback, in the middle of one loop
 * iteration) but from an idle handle: while one waits, the loop cannot
 * sleep. A transfer that finishes in the timer phase that libuv 1.44 runs
 * before it polls would otherwise leave uv_run(UV_RUN_ONCE) asleep in the
 * poll, with the answer already read and nothing left to wake it. */
struct http {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer;
	uv_idle_t deliver;       /* runs while finished transfers wait */
	int open_handles;        /* timer and deliver, until closed */
	struct http_req *reqs;   /* running requests, for http_free */
	struct http_req *done, *done_tail;  /* finished, in order, not handed over */
};

struct http_req {
	struct http *h;
	CURL *easy;
	struct curl_slist *headers;
	char *post;
	struct strbuf body;
	long retry_after_ms;
	int too_big;
	int once;                /* a send: libcurl may not repeat it (on_prereq) */
	int sent;                /* times put on the wire (on_prereq) */
	int listed;              /* on h->reqs or h->done */
	int finished;            /* on h->done, detached from the multi handle */
	CURLcode result;
	http_cb cb;
	void *arg;
	struct http_req *prev, *next;
	char errbuf[CURL_ERROR_SIZE];
};

/* One polled socket; curl tells us when to watch it for what. */
struct sock {
	uv_poll_t poll;
	curl_socket_t fd;
	struct http *h;
};

static void check_done(struct http *h);

static void sock_closed(uv_handle_t *handle)
{
	free(handle->data);
}

/* uv_poll readiness: tell curl which way the socket became ready. */
static void on_poll(uv_poll_t *p, int status, int events)
{
	struct sock *s = p->data;
	int flags = 0;
	int running;
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	struct http *h = s->h;
	curl_multi_socket_action(h->multi, s->fd, flags, &running);
	check_done(h);
}

/* CURLMOPT_SOCKETFUNCTION: start, change or stop watching a socket. */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
		     void *socketp)
{
	struct http *h = userp;
	struct sock *s = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			uv_poll_stop(&s->poll);
			curl_multi_assign(h->multi, fd, NULL);
			uv_close((uv_handle_t *)&s->poll, sock_closed);
		}
		return 0;
	}
	if (!s) {
		s = xcalloc(1, sizeof *s);
		s->fd = fd;
		s->h = h;
		if (uv_poll_init_socket(h->loop, &s->poll, fd) < 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		curl_multi_assign(h->multi, fd, s);
	}
	int ev = 0;
	if (what & CURL_POLL_IN)
		ev |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		ev |= UV_WRITABLE;
	uv_poll_start(&s->poll, ev, on_poll);
	return 0;
}

static void on_timeout(uv_timer_t *t)
{
	struct http *h = t->data;
	int running;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

/* CURLMOPT_TIMERFUNCTION: curl wants to be called back after ms (-1: not
 * at all). It may come from inside curl_multi_socket_action, also the one
 * on_timeout makes: a 0 becomes 1 ms, as libuv 1.44 would run a timer
 * restarted with 0 from its own callback again in the same pass, and curl
 * asks not to be called back directly from a zero timeout. */
static int on_timer(CURLM *multi, long ms, void *userp)
{
	struct http *h = userp;
	if (ms < 0)
		uv_timer_stop(&h->timer);
	else
		uv_timer_start(&h->timer, on_timeout, (uint64_t)(ms > 0 ? ms : 1), 0);
	return 0;
}

static size_t on_write(char *data, size_t size, size_t n, void *userp)
{
	struct http_req *r = userp;
	size_t len = size * n;
	if (r->body.len + len > (size_t)HTTP_MAX_BODY) {
		r->too_big = 1;
		return 0;  /* aborts the transfer */
	}
	sb_addn(&r->body, data, len);
	return len;
}

long http_parse_retry_after(const char *v, time_t now)
{
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v >= '0' && *v <= '9') {
		char *end;
		long s = strtol(v, &end, 10);
		if (s < 0 || s > 86400)
			return -1;
		return s * 1000;
	}
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end)
		return -1;
	time_t at = timegm(&tm);
	if (at <= now)
		return 0;
	return at - now > 86400 ? 86400000L : (long)(at - now) * 1000;
}

/* Response headers: only Retry-After matters to us. */
static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
	struct http_req *r = userp;
	size_t len = size * n;
	static const char name[] = "retry-after:";
	if (len > sizeof name - 1 && len < 200
	    && strncasecmp(data, name, sizeof name - 1) == 0) {
		char *v = xstrndup(data + sizeof name - 1, len - (sizeof name - 1));
		r->retry_after_ms = http_parse_retry_after(v, time(NULL));
		free(v);
	}
	return len;
}

/* CURLOPT_PREREQFUNCTION: the request is about to go on the wire, on a new
 * or a reused connection. libcurl repeats a request by itself when a reused
 * connection closes before the first byte of the answer, even when the
 * server acted on it; for a send (a request with a body) that second time
 * is refused here, so the cut reaches the caller, who knows whether sending
 * again is safe (bot/outbox.h: it looks first, and sends with the same txn
 * id). A GET may be repeated: it changes nothing. */
static int on_prereq(void *userp, char *conn_primary_ip, char *conn_local_ip,
		     int conn_primary_port, int conn_local_port)
{
	struct http_req *r = userp;
	if (r->once && r->sent > 0)
		return CURL_PREREQFUNC_ABORT;
	r->sent++;
	return CURL_PREREQFUNC_OK;
}

/* Take r off its list: running (h->reqs) or finished (h->done). */
static void req_unlink(struct http_req *r)
{
	struct http *h = r->h;
	struct http_req **head = r->finished ? &h->done : &h->reqs;
	if (!r->listed)
		return;
	r->listed = 0;
	if (r->prev)
		r->prev->next = r->next;
	else
		*head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else if (r->finished)
		h->done_tail = r->prev;
	r->prev = r->next = NULL;
}

static void req_unlink_free(struct http_req *r)
{
	struct http *h = r->h;
	req_unlink(r);
	if (!r->finished)
		curl_multi_remove_handle(h->multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->post);
	sb_release(&r->body);
	free(r);
}

/* Hand the finished transfers to their callbacks, oldest first; runs as
 * the idle handle's callback, outside curl's own calls. A callback may
 * start or cancel requests (also finished ones still waiting here). */
static void on_deliver(uv_idle_t *idle)
{
	struct http *h = idle->data;
	struct http_req *r;
	while ((r = h->done)) {
		req_unlink(r);
		struct http_response res = {0};
		res.retry_after_ms = r->retry_after_ms;
		res.sent = r->sent;
		res.body = r->body.buf;
		res.len = r->body.len;
		if (r->result == CURLE_OK) {
			curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &res.status);
		} else {
			res.status = 0;
			res.timed_out = r->result == CURLE_OPERATION_TIMEDOUT;
			res.error = r->too_big ? "response too large"
				: r->result == CURLE_ABORTED_BY_CALLBACK
				? "connection closed after the request was sent"
				: r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result);
		}
		r->cb(r->arg, &res);
		req_unlink_free(r);
	}
	uv_idle_stop(&h->deliver);
}

/* After every curl_multi_socket_action: move the transfers curl reports as
 * done off the multi handle onto the finished list, and make sure the loop
 * delivers them before it sleeps again. */
static void check_done(struct http *h)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(h->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct http_req *r = NULL;
		CURL *easy = msg->easy_handle;
		CURLcode code = msg->data.result;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&r);
		/* msg is invalid from here on */
		curl_multi_remove_handle(h->multi, easy);
		if (!r || r->finished)
			continue;
		req_unlink(r);
		r->finished = 1;
		r->result = code;
		r->listed = 1;
		r->prev = h->done_tail;
		if (h->done_tail)
			h->done_tail->next = r;
		else
			h->done = r;
		h->done_tail = r;
	}
	if (h->done)
		uv_idle_start(&h->deliver, on_deliver);
}

struct http *http_new(uv_loop_t *loop)
{
	/* curl_global_init is once per process, whatever the sessions. */
	static int global_done;
	if (!global_done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		global_done = 1;
	}
	struct http *h = xcalloc(1, sizeof *h);
	h->loop = loop;
	h->multi = curl_multi_init();
	if (!h->multi) {
		free(h);
		return NULL;
	}
	uv_timer_init(loop, &h->timer);
	h->timer.data = h;
	uv_idle_init(loop, &h->deliver);
	h->deliver.data = h;
	h->open_handles = 2;
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

static void http_closed(uv_handle_t *handle)
{
	struct http *h = handle->data;
	if (--h->open_handles == 0)
		free(h);
}

void http_free(struct http *h)
{
	if (!h)
		return;
	while (h->reqs)
		req_unlink_free(h->reqs);
	while (h->done)
		req_unlink_free(h->done);
	curl_multi_cleanup(h->multi);
	uv_timer_stop(&h->timer);
	uv_idle_stop(&h->deliver);
	uv_close((uv_handle_t *)&h->timer, http_closed);
	uv_close((uv_handle_t *)&h->deliver, http_closed);
}

struct http_req *http_request(struct http *h, const char *method,
			      const char *url, const char *bearer,
			      const char *json_body, long timeout_ms,
			      http_cb cb, void *arg)
{
	return http_request_typed(h, method, url, bearer, NULL, json_body,
				  timeout_ms, cb, arg);
}

struct http_req *http_request_typed(struct http *h, const char *method,
				    const char *url, const char *bearer,
				    const char *content_type, const char *json_body,
				    long timeout_ms, http_cb cb, void *arg)
{
	return http_request_bytes(h, method, url, bearer, content_type, json_body,
				  json_body ? strlen(json_body) : 0, timeout_ms,
				  cb, arg);
}

struct http_req *http_request_bytes(struct http *h, const char *method,
				    const char *url, const char *bearer,
				    const char *content_type, const char *data,
				    size_t len, long timeout_ms, http_cb cb,
				    void *arg)
{
	struct http_req *r = xcalloc(1, sizeof *r);
	r->h = h;
	r->cb = cb;
	r->arg = arg;
	r->retry_after_ms = -1;
	sb_init(&r->body);
	r->easy = curl_easy_init();
	if (!r->easy) {
		free(r);
		return NULL;
	}
	CURL *e = r->easy;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 timeout_ms < 10000 ? timeout_ms : 10000L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "werktafel");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(e, CURLOPT_PREREQDATA, r);
	r->headers = curl_slist_append(r->headers, "Accept: application/json");
	r->headers = curl_slist_append(r->headers, "Expect:");
	if (bearer) {
		struct strbuf a = STRBUF_INIT;
		sb_addf(&a, "Authorization: Bearer %s", bearer);
		r->headers = curl_slist_append(r->headers, a.buf);
		sb_release(&a);
	}
	if (data || strcmp(method, "GET") != 0) {
		if (!data) {
			data = "{}";
			len = 2;
		}
		r->post = xmalloc(len + 1);
		memcpy(r->post, data, len);
		r->post[len] = '\0';
		struct strbuf ct = STRBUF_INIT;
		sb_addf(&ct, "Content-Type: %s", content_type ? content_type : "application/json");
		r->headers = curl_slist_append(r->headers, ct.buf);
		sb_release(&ct);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->post);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
		/* A send reuses the open connection like any request; on_prereq
		 * keeps libcurl from sending it a second time by itself. */
		r->once = 1;
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	r->next = h->reqs;
	if (h->reqs)
		h->reqs->prev = r;
	h->reqs = r;
	r->listed = 1;
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		req_unlink_free(r);
		return NULL;
	}
	return r;
}

void http_kick(struct http *h)
{
	int running;
	if (!h || !h->reqs)
		return;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

void http_cancel(struct http_req *r)
{
	if (r)
		req_unlink_free(r);
}
