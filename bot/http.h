/* http: asynchronous HTTP requests on the libuv loop through libcurl's
 * multi-socket interface (the pattern of curl's multi-uv.c example). Many
 * requests run at once on one thread, so a send never waits behind the
 * /sync long-poll. */
#ifndef WT_HTTP_H
#define WT_HTTP_H

#include <stddef.h>
#include <uv.h>

/* Largest response body kept; a longer one fails the request. */
#define HTTP_MAX_BODY (32L * 1024 * 1024)

struct http;
struct http_req;

struct http_response {
	long status;           /* HTTP status, 0 when no response came */
	const char *body;      /* NUL-terminated, never NULL */
	size_t len;
	long retry_after_ms;   /* from a Retry-After header, -1 when absent */
	const char *error;     /* transport failure text when status is 0 */
	int timed_out;         /* the request hit its timeout */
	int sent;              /* times the request went on the wire (0: it never
				* left); a send (with a body) at most once:
				* libcurl does not repeat it by itself */
};

/* Called once per request, on the loop thread, never from inside curl: a
 * finished request is handed over from an idle handle, so the loop does not
 * sleep while one waits (uv_run(UV_RUN_ONCE) returns after the iteration
 * that called back, in whichever phase the transfer finished). The
 * response is valid only during the call. */
typedef void (*http_cb)(void *arg, const struct http_response *res);

struct http *http_new(uv_loop_t *loop);
/* Abort every running request (their callbacks are not called) and free. */
void http_free(struct http *h);

/* Start a request. method "GET", "POST" or "PUT"; bearer may be NULL;
 * json_body (copied) is sent with Content-Type application/json, NULL for
 * none; timeout_ms bounds the whole request. Returns the request (valid
 * until its callback returns) or NULL when it could not start. */
struct http_req *http_request(struct http *h, const char *method,
			      const char *url, const char *bearer,
			      const char *json_body, long timeout_ms,
			      http_cb cb, void *arg);
/* http_request with a body of another type (content_type, e.g.
 * "text/markdown"; body is text, copied). */
struct http_req *http_request_typed(struct http *h, const char *method,
				    const char *url, const char *bearer,
				    const char *content_type, const char *body,
				    long timeout_ms, http_cb cb, void *arg);
/* http_request_typed with a body of len bytes that may hold any byte (an
 * encrypted file). */
struct http_req *http_request_bytes(struct http *h, const char *method,
				    const char *url, const char *bearer,
				    const char *content_type, const char *data,
				    size_t len, long timeout_ms, http_cb cb,
				    void *arg);
/* Abort a running request without calling its callback. */
void http_cancel(struct http_req *r);
/* Let curl start the transfers just added now (connect, write the
 * request) instead of when the loop next turns: a reply goes on the wire
 * before the work that follows it. */
void http_kick(struct http *h);

/* Parse a Retry-After header value (seconds or an HTTP date) relative to
 * now; returns milliseconds or -1 when unparsable. */
long http_parse_retry_after(const char *value, time_t now);

#endif
