/* The WebSocket transport's insides, shared by transport_ws.c (connection,
 * state, incoming) and transport_ws_io.c (outgoing messages, requests
 * waiting for their answer, the outbox's send hook). */
#ifndef WT_TRANSPORT_WS_INT_H
#define WT_TRANSPORT_WS_INT_H

#include <libwebsockets.h>
#include <stdint.h>
#include <uv.h>

#include "bot/outbox.h"
#include "bot/transport_ws.h"
#include "lib/strbuf.h"

/* Timings; the environment may shorten them (the tests do). */
struct ws_timing {
	long ping_idle_ms;        /* silence before the bot pings */
	long pong_timeout_ms;     /* no answer to the ping: dead */
	long send_timeout_ms;     /* no answer to a send: HTTP */
	long handshake_timeout_ms;
};

enum pending_kind { PENDING_PING, PENDING_SEND };

/* A request waiting for its answer. */
struct pending {
	enum pending_kind kind;
	char *id;
	uint64_t deadline;        /* uv_now() ms */
	char *path, *content;     /* SEND: the PUT to fall back to */
	outbox_send_cb cb;
	void *cb_arg;
	struct pending *next;
};

/* A message waiting for the socket to be writable (LWS_PRE bytes of room
 * in front, as lws_write wants). */
struct outmsg {
	unsigned char *buf;
	size_t len;
	struct outmsg *next;
};

struct ws_transport {
	struct matrix *m;
	struct sync_loop *sync;
	struct ws_fsm fsm;
	struct ws_timing tm;
	char *url;                /* without the query parameters */
	struct lws_context *ctx;
	struct lws_context *ctx_live; /* lws sets it NULL when destroyed */
	struct lws *wsi;
	uv_timer_t *tick, *retry;
	struct strbuf rx;         /* the message being received */
	struct outmsg *out, *out_tail;
	struct pending *pending;
	uint64_t last_rx;         /* uv_now() of the last frame received */
	uint64_t connect_at;
	unsigned long seq;
	int send_refused;         /* this connection refuses "send" */
	int close_code;           /* from the peer's close frame */
	const char *dead;         /* why we closed the connection, or NULL */
	int fail_logged;          /* a refused token was logged (per series) */
	struct strbuf why;        /* what the last failure was */
	int freeing;              /* ws_transport_free runs: no more steps */
	struct lws *stale;        /* a try given up on: ignore its callbacks */
};

/* Queue a text message (takes text) and ask for a writable callback. */
void ws_queue_text(struct ws_transport *t, char *text);
/* Drop every queued message. */
void ws_out_clear(struct ws_transport *t);
void ws_pending_free(struct pending *p);
/* Take the pending request id out of the list (NULL when unknown). */
struct pending *ws_pending_take(struct ws_transport *t, const char *id);
/* A send the socket did not deliver; frees p. Refused (unsure 0): the same
 * PUT over HTTP, the same txn id. Unanswered (unsure 1): the outbox hears
 * of an unknown outcome and looks in the room before it sends again. */
void ws_send_over_http(struct ws_transport *t, struct pending *p, int unsure);
/* The connection ended: every pending send is unanswered (see above). */
void ws_pending_flush(struct ws_transport *t);
/* The outbox's send hook (outbox_send_hook). */
int ws_send_hook(void *arg, const struct outbox_row *row, const char *path,
		 outbox_send_cb cb, void *cb_arg);

#endif
