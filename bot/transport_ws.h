/* transport_ws: the sync over a WebSocket, the draft /stream API (MSC1148),
 * through libwebsockets on the same libuv loop as libcurl.
 *
 * The bot connects to websocket_url?access_token=..&since=..&filter=..
 * with subprotocol "m.json". The server pushes /sync response bodies as
 * text messages; each goes through sync_loop_feed, i.e. exactly the
 * processing of a long-polled one (sync_apply, same since token). The
 * client sends requests {"id","method","params"}, answered by
 * {"id","result"} or {"id","error"}: "ping" when idle (no answer in time:
 * the connection is dead) and "send" for the outbox, with the outbox's txn
 * id as request id so a resend over HTTP with the same txn id is
 * deduplicated by the homeserver.
 *
 * Fallback: a failed handshake, any close or a dead connection switches to
 * the HTTP long-poll at once (the same since token: the kv
 * 'sync.next_batch') and tries the WebSocket again with backoff; one log
 * line per switch. transport = auto stays on HTTP for good when the first
 * handshake shows that no WebSocket is offered (404, 405, 400 or a plain
 * 200 answer).
 *
 * The pure parts (message building and parsing, the URL, the fallback state
 * machine) are declared here for the unit tests.
 */
#ifndef WT_TRANSPORT_WS_H
#define WT_TRANSPORT_WS_H

#include <jansson.h>
#include <stddef.h>

#include "bot/config.h"

struct matrix;
struct sync_loop;
struct outbox_flusher;
struct ws_transport;

/* Largest message the bot sends over the socket; a bigger event goes over
 * HTTP. */
#define WS_FRAME_MAX (60 * 1024)

/* ---- the transport ---- */

/* NULL when cfg->transport is http (or nothing can be offered). Installs
 * itself as the outbox's send hook. */
struct ws_transport *ws_transport_new(struct matrix *m, struct sync_loop *sync,
				      struct outbox_flusher *flusher);
/* Start: connect (the HTTP long-poll waits for the first outcome). */
void ws_transport_start(struct ws_transport *t);
/* Close the connection and free; pending sends are dropped without their
 * callbacks (call before freeing the outbox flusher). */
void ws_transport_free(struct ws_transport *t);
/* 1 while the sync runs over the socket. */
int ws_transport_open(const struct ws_transport *t);

/* ---- messages (pure) ---- */

enum ws_msg_kind {
	WS_MSG_INVALID = 0,
	WS_MSG_SYNC,      /* a /sync response body (has next_batch) */
	WS_MSG_RESULT,    /* {"id", "result"} */
	WS_MSG_ERROR,     /* {"id", "error": {"errcode", "error"}} */
	WS_MSG_REQUEST,   /* {"id", "method"}: the server asks (ping) */
};

struct ws_msg {
	enum ws_msg_kind kind;
	json_t *json;          /* the whole message (owned) */
	const char *id;        /* RESULT, ERROR, REQUEST */
	const char *method;    /* REQUEST */
	json_t *result;        /* RESULT (borrowed from json) */
	const char *errcode;   /* ERROR, "" when absent */
	const char *error;     /* ERROR, "" when absent */
};

/* Classify one text message. Returns 0, or -1 with kind INVALID (bad JSON,
 * no object, or none of the shapes above). Free with ws_msg_clear. */
int ws_msg_parse(const char *text, size_t len, struct ws_msg *msg);
void ws_msg_clear(struct ws_msg *msg);

/* {"id": id, "method": method, "params": params} (params borrowed, may be
 * NULL for {}). Caller frees. */
char *ws_request_dup(const char *id, const char *method, json_t *params);
/* The "send" request of an outbox row: params room_id, event_type and
 * content (JSON text). NULL when content is not a JSON object. */
char *ws_send_request_dup(const char *txn_id, const char *room_id,
			  const char *event_type, const char *content);
/* {"id": id, "result": {}}: the answer to the server's ping. */
char *ws_pong_dup(const char *id);

/* The stream URL: base (websocket_url) with access_token, since (may be
 * NULL) and filter (id or JSON, may be NULL) appended as query parameters,
 * percent-encoded. Caller frees. */
char *ws_stream_url_dup(const char *base, const char *token, const char *since,
			const char *filter);
/* The stream URL of a homeserver for transport = auto without
 * websocket_url: http(s)://host -> ws(s)://host/_matrix/client/unstable/stream.
 * Caller frees; NULL for a URL that is neither http nor https. */
char *ws_default_url_dup(const char *homeserver);

/* ---- the fallback state machine (pure) ---- */

enum ws_state {
	WS_ST_HTTP = 0,     /* HTTP only: none configured or none offered */
	WS_ST_CONNECTING,   /* handshake running */
	WS_ST_OPEN,         /* the sync runs over the socket */
	WS_ST_WAITING,      /* on HTTP, a retry is scheduled */
};

enum ws_event {
	WS_EV_START,        /* the bot starts */
	WS_EV_OPENED,       /* handshake done */
	WS_EV_REFUSED,      /* the handshake got an HTTP answer other than 101 */
	WS_EV_FAILED,       /* no connection, a close, a dead connection */
	WS_EV_RETRY,        /* the backoff timer fired */
};

struct ws_fsm {
	enum wt_transport mode;
	enum ws_state state;
	int failures;       /* in a row, for the backoff */
	int ever_opened;
};

/* What to do after one step. */
struct ws_step {
	int connect;        /* start a handshake */
	int http;           /* 1: the HTTP long-poll runs, 0: it is paused */
	int switched;       /* the sync moved between transports: log it */
	long retry_ms;      /* >= 0: schedule WS_EV_RETRY after that long */
};

/* Initial state for mode. */
void ws_fsm_init(struct ws_fsm *f, enum wt_transport mode);
/* One event; status is the HTTP status for WS_EV_REFUSED, else 0. rnd is
 * a random number for the jitter. */
struct ws_step ws_fsm_step(struct ws_fsm *f, enum ws_event ev, int status,
			   unsigned rnd);
/* Backoff before retry number failures (1 s doubling to 60 s, half of it
 * jitter). */
long ws_backoff_ms(int failures, unsigned rnd);

/* Where an outbox send goes: 1 over the socket, 0 over HTTP. The socket
 * needs to be open, the server not to have refused "send" before, and the
 * request to fit in a frame. */
int ws_send_route(const struct ws_fsm *f, int send_refused, size_t request_len);

#endif
