/* The WebSocket transport on the libuv loop (see bot/transport_ws.h). The
 * pure parts are in transport_ws_proto.c. */
#include "bot/transport_ws.h"
#include "bot/transport_ws_int.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <uv.h>

#include "bot/matrix.h"
#include "bot/outbox.h"
#include "bot/sync.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/outbox.h"

#define TICK_MS 100
#define PROTOCOL "m.json"

/* Randomness for the backoff jitter. */
static unsigned rnd32(void)
{
	unsigned r = 0;
	if (getrandom(&r, sizeof r, 0) != sizeof r)
		r = (unsigned)rand();
	return r;
}

/* A positive number of milliseconds from the environment, else def. */
static long env_ms(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n = v ? strtol(v, &end, 10) : -1;
	return v && *v && !*end && n > 0 ? n : def;
}

/* ---- state changes ---- */

static void connect_now(struct ws_transport *t);
static void on_retry(uv_timer_t *h);

/* Run one event through the state machine and do what it says. */
static void step(struct ws_transport *t, enum ws_event ev, int status)
{
	enum ws_state was = t->fsm.state;
	struct ws_step s = ws_fsm_step(&t->fsm, ev, status, rnd32());
	if (s.http)
		sync_loop_resume(t->sync);
	else
		sync_loop_pause(t->sync);
	if (s.switched && t->fsm.state == WS_ST_HTTP)
		log_info("websocket: none offered at %s (HTTP %d); staying on the "
			 "HTTP long-poll", t->url, status);
	else if (s.switched && t->fsm.state == WS_ST_OPEN)
		log_info("websocket: connected to %s; sync over the WebSocket", t->url);
	else if (s.switched)
		log_warn("websocket: %s; sync over the HTTP long-poll from the "
			 "same token, retrying the WebSocket in %ld ms", t->why.buf,
			 s.retry_ms);
	else if (s.retry_ms >= 0 && (status == 401 || status == 403) && !t->fail_logged)
		log_warn("websocket: %s; retrying in %ld ms", t->why.buf, s.retry_ms);
	else if (s.retry_ms >= 0)
		log_debug("websocket: %s; retrying in %ld ms", t->why.buf, s.retry_ms);
	if (s.retry_ms >= 0 && (status == 401 || status == 403))
		t->fail_logged = 1;
	if (s.retry_ms >= 0)
		uv_timer_start(t->retry, on_retry, (uint64_t)s.retry_ms, 0);
	if (was == WS_ST_OPEN && t->fsm.state != WS_ST_OPEN)
		ws_pending_flush(t);
	if (s.connect)
		connect_now(t);
}

/* The backoff timer: try the WebSocket again. */
static void on_retry(uv_timer_t *h)
{
	step(h->data, WS_EV_RETRY, 0);
}

/* Remember why a try failed, for the log line of the switch. */
static void note_failure(struct ws_transport *t, const char *what, int status)
{
	sb_reset(&t->why);
	if (status == 401 || status == 403)
		sb_addf(&t->why, "handshake refused by %s: HTTP %d (the homeserver "
			"refused the access token)", t->url, status);
	else if (status > 0)
		sb_addf(&t->why, "handshake refused by %s: HTTP %d", t->url, status);
	else
		sb_addf(&t->why, "cannot connect to %s: %s", t->url, what);
}

/* The stream URL of now: the committed since token, the filter. */
static char *current_url(struct ws_transport *t)
{
	struct matrix *m = t->m;
	char *since = db_kv_get(m->db, "sync.next_batch");
	char *filter = m->filter_id ? xstrdup(m->filter_id) : matrix_filter_json();
	char *url = ws_stream_url_dup(t->url, m->token, since, filter);
	free(since);
	free(filter);
	return url;
}

/* Start a handshake with the committed since token and the filter. */
static void connect_now(struct ws_transport *t)
{
	char *url = current_url(t);
	const char *prot, *addr, *path;
	int port;
	if (lws_parse_uri(url, &prot, &addr, &port, &path) != 0) {
		free(url);
		note_failure(t, "bad websocket_url", 0);
		step(t, WS_EV_FAILED, 0);
		return;
	}
	struct strbuf p = STRBUF_INIT, host = STRBUF_INIT;
	sb_addf(&p, "/%s", path);
	sb_addf(&host, "%s:%d", addr, port);
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = t->ctx;
	i.address = addr;
	i.port = port;
	i.path = p.buf;
	i.host = host.buf;
	i.origin = host.buf;
	i.protocol = PROTOCOL;
	i.local_protocol_name = PROTOCOL;
	if (strcmp(prot, "wss") == 0 || strcmp(prot, "https") == 0)
		i.ssl_connection = LCCSCF_USE_SSL;
	i.pwsi = &t->wsi;
	t->close_code = 0;
	t->dead = NULL;
	t->send_refused = 0;
	t->connect_at = uv_now(t->m->loop);
	struct lws *w = lws_client_connect_via_info(&i);
	sb_release(&p);
	sb_release(&host);
	free(url);
	if (!w && t->fsm.state == WS_ST_CONNECTING) {
		t->wsi = NULL;
		note_failure(t, "the connection could not start", 0);
		step(t, WS_EV_FAILED, 0);
	}
}

/* Close the connection from our side, once: at once from our own timer
 * (a dead peer would never ack a close), from inside an lws callback on
 * lws's next turn. */
static void kill_connection(struct ws_transport *t, const char *why, int now)
{
	if (t->dead || !t->wsi)
		return;
	t->dead = why;
	lws_set_timeout(t->wsi, PENDING_TIMEOUT_USER_OK,
			now ? LWS_TO_KILL_SYNC : LWS_TO_KILL_ASYNC);
}

/* A pushed sync body could not be processed: the HTTP long-poll starts
 * again from the committed token. */
static void on_feed_failed(void *arg)
{
	kill_connection(arg, "a pushed sync response could not be processed", 0);
}

/* ---- incoming ---- */

static void on_message(struct ws_transport *t, const char *text, size_t len)
{
	struct ws_msg msg;
	if (t->dead)
		return;   /* closing: a later body must not pass an unread one */
	if (ws_msg_parse(text, len, &msg) < 0) {
		if (!msg.json)  /* maybe a sync body: HTTP fetches it again */
			kill_connection(t, "a message that is no JSON", 0);
		else
			log_debug("websocket: ignoring a message that is no draft message");
		ws_msg_clear(&msg);
		return;
	}
	struct pending *p;
	switch (msg.kind) {
	case WS_MSG_SYNC:
		sync_loop_feed(t->sync, msg.json);
		break;
	case WS_MSG_REQUEST:
		if (strcmp(msg.method, "ping") == 0) {
			ws_queue_text(t, ws_pong_dup(msg.id));
		} else {
			json_t *e = json_pack("{s:s,s:{s:s,s:s}}", "id", msg.id, "error",
					      "errcode", "M_UNRECOGNIZED", "error",
					      "unknown method");
			ws_queue_text(t, json_dumps(e, JSON_COMPACT));
			json_decref(e);
		}
		break;
	case WS_MSG_RESULT:
	case WS_MSG_ERROR:
		p = ws_pending_take(t, msg.id);
		if (!p)
			break;   /* a send already given to HTTP, or a late pong */
		if (p->kind == PENDING_PING) {
			ws_pending_free(p);
		} else if (msg.kind == WS_MSG_RESULT) {
			outbox_send_cb cb = p->cb;
			void *arg = p->cb_arg;
			ws_pending_free(p);
			cb(arg, 200, msg.result);
		} else {
			if (strcmp(msg.errcode, "M_UNRECOGNIZED") == 0 && !t->send_refused) {
				log_info("websocket: the server does not take \"send\"; "
					 "messages go over HTTP");
				t->send_refused = 1;
			} else {
				log_debug("websocket: send %s refused (%s %s), over HTTP",
					  p->id, msg.errcode, msg.error);
			}
			ws_send_over_http(t, p, 0);
		}
		break;
	case WS_MSG_INVALID:
		break;
	}
	ws_msg_clear(&msg);
}

/* The protocol callback of libwebsockets. */
static int on_lws(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		  void *in, size_t len)
{
	struct lws_context *ctx = lws_get_context(wsi);
	struct ws_transport *t = ctx ? lws_context_user(ctx) : NULL;
	if (!t || t->freeing || wsi == t->stale || (t->wsi && wsi != t->wsi))
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	uint64_t now = uv_now(t->m->loop);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		int status = (int)lws_http_client_http_response(wsi);
		t->wsi = NULL;
		note_failure(t, t->dead ? t->dead : in ? (const char *)in
			     : "connection error", status);
		step(t, status > 0 && status != 101 ? WS_EV_REFUSED : WS_EV_FAILED,
		     status);
		return 0;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		t->last_rx = now;
		t->fail_logged = 0;
		sb_reset(&t->rx);
		step(t, WS_EV_OPENED, 0);
		if (t->out)
			lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		t->last_rx = now;
		if (t->rx.len + len > (size_t)HTTP_MAX_BODY) {
			kill_connection(t, "a message larger than the limit", 0);
			return -1;
		}
		sb_addn(&t->rx, in, len);
		if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
			if (!lws_frame_is_binary(wsi))
				on_message(t, t->rx.buf, t->rx.len);
			sb_reset(&t->rx);
		}
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		t->last_rx = now;
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE: {
		struct outmsg *o = t->out;
		if (!o)
			return 0;
		t->out = o->next;
		if (!t->out)
			t->out_tail = NULL;
		int n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
		free(o->buf);
		free(o);
		if (n < 0)
			return -1;
		if (t->out)
			lws_callback_on_writable(wsi);
		return 0;
	}
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2) {
			const unsigned char *c = in;
			t->close_code = c[0] << 8 | c[1];
		}
		return 0;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		/* Closed before the upgrade: lws's handshake timeout. */
		if (t->fsm.state != WS_ST_CONNECTING || !t->wsi)
			break;
		t->wsi = NULL;
		note_failure(t, "no handshake in time", 0);
		step(t, WS_EV_FAILED, 0);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if (wsi == t->wsi)
			t->wsi = NULL;
		break;
	case LWS_CALLBACK_CLIENT_CLOSED: {
		int code = t->close_code ? t->close_code : 1006;
		t->wsi = NULL;
		ws_out_clear(t);
		sb_reset(&t->rx);
		sb_reset(&t->why);
		if (t->dead)
			sb_addf(&t->why, "connection closed (%s)", t->dead);
		else
			sb_addf(&t->why, "closed by %s (code %d)", t->url, code);
		step(t, WS_EV_FAILED, 0);
		return 0;
	}
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* Every TICK_MS: ping when idle, notice a dead connection, give sends that
 * got no answer in time to HTTP, give up a handshake that hangs. */
static void on_tick(uv_timer_t *h)
{
	struct ws_transport *t = h->data;
	uint64_t now = uv_now(t->m->loop);
	if (t->fsm.state == WS_ST_CONNECTING
	    && now - t->connect_at > (uint64_t)t->tm.handshake_timeout_ms + 2000) {
		/* lws times the handshake out itself (timeout_secs); should
		 * it report nothing, give up that try here: never hang. */
		t->stale = t->wsi;
		t->wsi = NULL;
		note_failure(t, "no handshake in time", 0);
		step(t, WS_EV_FAILED, 0);
		return;
	}
	if (t->fsm.state != WS_ST_OPEN || !t->wsi)
		return;
	int ping_out = 0;
	for (struct pending **pp = &t->pending; *pp;) {
		struct pending *p = *pp;
		if (p->kind == PENDING_PING) {
			ping_out = 1;
			if (now >= p->deadline) {
				kill_connection(t, "no answer to ping: the connection is dead", 1);
				return;
			}
		} else if (now >= p->deadline) {
			*pp = p->next;
			log_debug("websocket: no answer to send %s in time", p->id);
			ws_send_over_http(t, p, 1);
			continue;
		}
		pp = &p->next;
	}
	if (!ping_out && now - t->last_rx >= (uint64_t)t->tm.ping_idle_ms) {
		struct pending *p = xcalloc(1, sizeof *p);
		p->kind = PENDING_PING;
		struct strbuf id = STRBUF_INIT;
		sb_addf(&id, "ping-%lu", ++t->seq);
		p->id = sb_detach(&id);
		p->deadline = now + (uint64_t)t->tm.pong_timeout_ms;
		p->next = t->pending;
		t->pending = p;
		ws_queue_text(t, ws_request_dup(p->id, "ping", NULL));
	}
}

/* ---- life cycle ---- */

static void lws_to_log(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_debug("libwebsockets: %.*s", (int)n, line);
}

/* lws must not act on signals (SIGTERM stops the bot through run.c). */
static void no_signal(void *handle, int signum)
{
	/* The bot's own libuv signal handlers stop it. */
}

static const struct lws_protocols protocols[] = {
	{ PROTOCOL, on_lws, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* Create the lws context on the bot's libuv loop (foreign loop). */
struct ws_transport *ws_transport_new(struct matrix *m, struct sync_loop *sync,
				      struct outbox_flusher *flusher)
{
	const struct wt_config *cfg = m->cfg;
	if (cfg->transport == TRANSPORT_HTTP)
		return NULL;
	char *url = cfg->websocket_url ? xstrdup(cfg->websocket_url)
		: ws_default_url_dup(m->base);
	if (!url) {
		log_warn("websocket: no websocket_url; sync over HTTP");
		return NULL;
	}
	struct ws_transport *t = xcalloc(1, sizeof *t);
	t->m = m;
	t->sync = sync;
	t->url = url;
	sb_init(&t->rx);
	sb_init(&t->why);
	ws_fsm_init(&t->fsm, cfg->transport);
	t->tm.ping_idle_ms = env_ms("WERKTAFEL_WS_PING_MS", 30000);
	t->tm.pong_timeout_ms = env_ms("WERKTAFEL_WS_PONG_TIMEOUT_MS", 10000);
	t->tm.send_timeout_ms = env_ms("WERKTAFEL_WS_SEND_TIMEOUT_MS", 5000);
	t->tm.handshake_timeout_ms = env_ms("WERKTAFEL_WS_HANDSHAKE_TIMEOUT_MS", 10000);

	lws_set_log_level(log_get_level() >= LOG_DEBUG ? LLL_ERR | LLL_WARN | LLL_NOTICE
			  : LLL_ERR, lws_to_log);
	void *loops[1] = { m->loop };
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT
		| LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN;
	info.foreign_loops = loops;
	info.signal_cb = no_signal;
	info.user = t;
	info.pcontext = &t->ctx_live;
	/* lws's own handshake timeout reports CLIENT_CONNECTION_ERROR. */
	info.timeout_secs = (unsigned)((t->tm.handshake_timeout_ms + 999) / 1000);
	t->ctx = lws_create_context(&info);
	t->ctx_live = t->ctx;
	if (!t->ctx) {
		log_error("websocket: libwebsockets cannot start on the libuv loop "
			  "(event-lib plugin missing?); sync over HTTP");
		free(t->url);
		free(t);
		return NULL;
	}
	t->tick = xmalloc(sizeof *t->tick);
	t->retry = xmalloc(sizeof *t->retry);
	uv_timer_init(m->loop, t->tick);
	uv_timer_init(m->loop, t->retry);
	t->tick->data = t->retry->data = t;
	outbox_set_send_hook(flusher, ws_send_hook, t);
	return t;
}

/* Connect; the HTTP long-poll waits for the first outcome. */
void ws_transport_start(struct ws_transport *t)
{
	sync_loop_on_feed_failure(t->sync, on_feed_failed, t);
	uv_timer_start(t->tick, on_tick, TICK_MS, TICK_MS);
	step(t, WS_EV_START, 0);
}

/* Whether the sync runs over the socket now. */
int ws_transport_open(const struct ws_transport *t)
{
	return t && t->fsm.state == WS_ST_OPEN;
}

/* Close callback of our timers. */
static void handle_closed(uv_handle_t *h)
{
	free(h);
}

/* Close, let lws finish on the loop, free; no callbacks into the bot. */
void ws_transport_free(struct ws_transport *t)
{
	if (!t)
		return;
	/* No more callbacks into the bot: lws may still call on_lws while
	 * it closes the connection. */
	struct lws_context *ctx = t->ctx;
	t->ctx = NULL;
	t->freeing = 1;
	lws_set_log_level(LLL_ERR, lws_to_log);
	while (t->pending) {
		struct pending *p = t->pending;
		t->pending = p->next;
		ws_pending_free(p);
	}
	t->fsm.mode = TRANSPORT_HTTP;
	t->fsm.state = WS_ST_HTTP;
	t->wsi = NULL;
	/* On a foreign loop lws closes its handles through the loop: run it
	 * until lws is done, before anything else closes handles (or they are
	 * closed twice). The second destroy call finishes what the closed
	 * handles allowed; lws then clears ctx_live. */
	for (int round = 0; round < 3 && t->ctx_live; round++) {
		lws_context_destroy(ctx);
		for (int i = 0; i < 50 && t->ctx_live; i++)
			uv_run(t->m->loop, UV_RUN_NOWAIT);
	}
	if (t->ctx_live)
		log_debug("websocket: libwebsockets not finished closing");
	ws_out_clear(t);
	sb_release(&t->rx);
	sb_release(&t->why);
	uv_timer_stop(t->tick);
	uv_timer_stop(t->retry);
	uv_close((uv_handle_t *)t->tick, handle_closed);
	uv_close((uv_handle_t *)t->retry, handle_closed);
	free(t->url);
	free(t);
}
