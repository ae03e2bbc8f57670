/* The pure parts of the WebSocket transport (see bot/transport_ws.h):
 * building and classifying draft-API messages, the stream URL, and the
 * fallback state machine. No network and no clock here. */
#include "bot/transport_ws.h"

#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "bot/matrix.h"
#include "lib/strbuf.h"

#define BACKOFF_FIRST_MS 1000L
#define BACKOFF_MAX_MS 60000L

/* The string at key, or NULL. */
static const char *str_of(json_t *obj, const char *key)
{
	return json_in_str(obj, key);  /* NULL for a string with a NUL */
}

/* Classify a message by its shape: request, result, error or sync body. */
int ws_msg_parse(const char *text, size_t len, struct ws_msg *msg)
{
	memset(msg, 0, sizeof *msg);
	json_t *j = mx_parse(text, len);
	if (!j)
		return -1;
	msg->json = j;
	const char *id = str_of(j, "id");
	json_t *result = json_object_get(j, "result");
	json_t *error = json_object_get(j, "error");
	const char *method = str_of(j, "method");
	if (id && method) {
		msg->kind = WS_MSG_REQUEST;
		msg->id = id;
		msg->method = method;
	} else if (id && result && !error) {
		msg->kind = WS_MSG_RESULT;
		msg->id = id;
		msg->result = result;
	} else if (id && json_is_object(error)) {
		const char *code = str_of(error, "errcode");
		const char *text2 = str_of(error, "error");
		msg->kind = WS_MSG_ERROR;
		msg->id = id;
		msg->errcode = code ? code : "";
		msg->error = text2 ? text2 : "";
	} else if (str_of(j, "next_batch")) {
		msg->kind = WS_MSG_SYNC;
	} else {
		return -1;
	}
	return 0;
}

/* Free a parsed message. */
void ws_msg_clear(struct ws_msg *msg)
{
	json_decref(msg->json);
	memset(msg, 0, sizeof *msg);
}

/* Serialise compactly; the draft has no use for pretty printing. */
static char *dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

/* {"id","method","params"}; params {} when NULL. */
char *ws_request_dup(const char *id, const char *method, json_t *params)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(id));
	json_object_set_new(j, "method", json_string(method));
	json_object_set(j, "params", params ? params : json_object());
	if (!params)
		json_decref(json_object_get(j, "params"));
	return dump(j);
}

/* The "send" request of an outbox row, its txn id as request id. */
char *ws_send_request_dup(const char *txn_id, const char *room_id,
			  const char *event_type, const char *content)
{
	json_t *c = content ? json_loads(content, 0, NULL) : NULL;
	if (!json_is_object(c)) {
		json_decref(c);
		return NULL;
	}
	json_t *p = json_object();
	json_object_set_new(p, "room_id", json_string(room_id));
	json_object_set_new(p, "event_type", json_string(event_type));
	json_object_set_new(p, "content", c);
	char *s = ws_request_dup(txn_id, "send", p);
	json_decref(p);
	return s;
}

/* The answer to the server's ping. */
char *ws_pong_dup(const char *id)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(id));
	json_object_set_new(j, "result", json_object());
	return dump(j);
}

/* Append "name=value" (value percent-encoded) to a URL's query. */
static void add_param(struct strbuf *sb, const char *name, const char *value)
{
	if (!value)
		return;
	char *e = mx_escape(value);
	sb_addc(sb, strchr(sb->buf, '?') ? '&' : '?');
	sb_addf(sb, "%s=%s", name, e);
	free(e);
}

/* websocket_url with access_token, since and filter appended. */
char *ws_stream_url_dup(const char *base, const char *token, const char *since,
			const char *filter)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, base);
	add_param(&sb, "access_token", token);
	add_param(&sb, "since", since);
	add_param(&sb, "filter", filter);
	return sb_detach(&sb);
}

/* The draft's path on the homeserver itself (transport = auto). */
char *ws_default_url_dup(const char *homeserver)
{
	const char *rest;
	const char *scheme;
	if (strncmp(homeserver, "https://", 8) == 0) {
		scheme = "wss://";
		rest = homeserver + 8;
	} else if (strncmp(homeserver, "http://", 7) == 0) {
		scheme = "ws://";
		rest = homeserver + 7;
	} else {
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, scheme);
	sb_add(&sb, rest);
	while (sb.len && sb.buf[sb.len - 1] == '/')
		sb_setlen(&sb, sb.len - 1);
	sb_add(&sb, "/_matrix/client/unstable/stream");
	return sb_detach(&sb);
}

/* 1 s doubling to 60 s; half fixed, half jitter. */
long ws_backoff_ms(int failures, unsigned rnd)
{
	long d = BACKOFF_FIRST_MS;
	for (int i = 1; i < failures && d < BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > BACKOFF_MAX_MS)
		d = BACKOFF_MAX_MS;
	return d / 2 + (long)(rnd % (unsigned)(d / 2 + 1));
}

/* Start on HTTP (nothing tried yet). */
void ws_fsm_init(struct ws_fsm *f, enum wt_transport mode)
{
	memset(f, 0, sizeof *f);
	f->mode = mode;
	f->state = WS_ST_HTTP;
}

/* An HTTP answer that says: there is no WebSocket endpoint here. */
static int none_offered(int status)
{
	return status == 404 || status == 405 || status == 400 || status == 200;
}

/* One event of the fallback state machine (see transport_ws.h). */
struct ws_step ws_fsm_step(struct ws_fsm *f, enum ws_event ev, int status,
			   unsigned rnd)
{
	struct ws_step s = { .connect = 0, .http = 1, .switched = 0, .retry_ms = -1 };
	enum ws_state was = f->state;
	if (f->mode == TRANSPORT_HTTP) {
		f->state = WS_ST_HTTP;
		return s;
	}
	switch (ev) {
	case WS_EV_START:
		f->state = WS_ST_CONNECTING;
		s.connect = 1;
		s.http = 0;   /* the first outcome decides */
		return s;
	case WS_EV_OPENED:
		if (was != WS_ST_CONNECTING) {
			s.http = was == WS_ST_OPEN ? 0 : 1;
			return s;
		}
		f->state = WS_ST_OPEN;
		f->failures = 0;
		f->ever_opened = 1;
		s.http = 0;
		s.switched = 1;
		return s;
	case WS_EV_REFUSED:
		if (was == WS_ST_CONNECTING && f->mode == TRANSPORT_AUTO
		    && !f->ever_opened && none_offered(status)) {
			f->state = WS_ST_HTTP;
			s.switched = 1;
			return s;
		}
		/* like any other failure */
		__attribute__((fallthrough));
	case WS_EV_FAILED:
		if (was != WS_ST_CONNECTING && was != WS_ST_OPEN) {
			s.http = was == WS_ST_HTTP || was == WS_ST_WAITING;
			return s;
		}
		f->failures++;
		f->state = WS_ST_WAITING;
		/* Leaving the socket, or the first try at start: HTTP takes
		 * over now. A retry that fails again changes nothing. */
		s.switched = was == WS_ST_OPEN || (!f->ever_opened && f->failures == 1);
		s.retry_ms = ws_backoff_ms(f->failures, rnd);
		return s;
	case WS_EV_RETRY:
		if (was != WS_ST_WAITING) {
			s.http = was != WS_ST_OPEN && was != WS_ST_CONNECTING;
			return s;
		}
		f->state = WS_ST_CONNECTING;
		s.connect = 1;
		return s;   /* HTTP goes on until the socket is open */
	}
	return s;
}

/* Over the socket only when open, accepted and small enough. */
int ws_send_route(const struct ws_fsm *f, int send_refused, size_t request_len)
{
	return f->state == WS_ST_OPEN && !send_refused && request_len <= WS_FRAME_MAX;
}
