/* Fuzz target: the WebSocket transport's messages and pure helpers
 * (bot/transport_ws_proto.c): the input as one text message (ws_msg_parse
 * and the answers built from it), its pieces as the parts of the stream
 * URL and of a send request, and its bytes as events of the fallback
 * state machine. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/transport_ws.h"
#include "tests/fuzz/fuzz.h"

/* The message: a kind with the fields that kind promises. */
static void message(const uint8_t *data, size_t size)
{
	struct ws_msg m;
	int rc = ws_msg_parse((const char *)data, size, &m);
	FZ_CHECK(rc == 0 || (rc == -1 && m.kind == WS_MSG_INVALID));
	switch (m.kind) {
	case WS_MSG_SYNC:
		FZ_CHECK(json_is_object(m.json));
		break;
	case WS_MSG_RESULT:
		FZ_CHECK(m.id != NULL);
		break;
	case WS_MSG_ERROR:
		FZ_CHECK(m.id && m.errcode && m.error);
		break;
	case WS_MSG_REQUEST: {
		FZ_CHECK(m.id && m.method);
		char *pong = ws_pong_dup(m.id);
		FZ_CHECK(pong != NULL);
		json_t *back = json_loads(pong, 0, NULL);
		FZ_CHECK(back && strcmp(json_string_value(json_object_get(back, "id")), m.id) == 0);
		json_decref(back);
		free(pong);
		char *req = ws_request_dup(m.id, m.method, NULL);
		FZ_CHECK(req != NULL);
		free(req);
		break;
	}
	default:
		break;
	}
	ws_msg_clear(&m);
}

/* Pieces of the input as URL parts and a send request. */
static void pieces(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	char *base = fz_piece_dup(&in, '\n'), *token = fz_piece_dup(&in, '\n');
	char *since = fz_piece_dup(&in, '\n'), *rest = fz_piece_dup(&in, 0);
	char *url = ws_stream_url_dup(base, token, *since ? since : NULL, *rest ? rest : NULL);
	FZ_CHECK(url != NULL);
	/* The query parts are percent-encoded: no raw blank or newline after '?'. */
	const char *q = strchr(url + strlen(base), '?');
	if (q)
		FZ_CHECK(!strpbrk(q, " \n\r#"));
	free(url);
	free(ws_default_url_dup(base));
	char *send = ws_send_request_dup(token, since, "m.room.message", rest);
	if (send) {
		json_t *j = json_loads(send, 0, NULL);
		FZ_CHECK(j != NULL);
		json_decref(j);
		free(send);
	}
	free(base); free(token); free(since); free(rest);
}

/* The bytes as state machine events: the state stays one of the four,
 * backoff stays within a minute. */
static void fsm(const uint8_t *data, size_t size)
{
	struct ws_fsm f;
	ws_fsm_init(&f, (enum wt_transport)(size ? data[0] % 3 : 0));
	for (size_t i = 1; i < size && i < 256; i++) {
		int status = (data[i] >> 3) * 23 % 600;
		struct ws_step s = ws_fsm_step(&f, (enum ws_event)(data[i] % 5), status, data[i] * 2654435761u);
		FZ_CHECK(f.state >= WS_ST_HTTP && f.state <= WS_ST_WAITING);
		FZ_CHECK(s.retry_ms <= 60000);
		ws_send_route(&f, data[i] & 1, (size_t)data[i] << 10);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	message(data, size);
	pieces(data, size);
	fsm(data, size);
	return 0;
}
