/* The WebSocket transport's outgoing side: the queue of text messages,
 * requests waiting for their answer, and the outbox's send hook (see
 * bot/transport_ws.h). */
#include "bot/transport_ws_int.h"

#include <stdlib.h>
#include <string.h>

#include "bot/matrix.h"
#include "lib/log.h"
#include "storage/outbox.h"

/* Queue text (taken) behind LWS_PRE bytes; lws writes it when writable. */
void ws_queue_text(struct ws_transport *t, char *text)
{
	size_t len = strlen(text);
	struct outmsg *o = xcalloc(1, sizeof *o);
	o->buf = xmalloc(LWS_PRE + len);
	memcpy(o->buf + LWS_PRE, text, len);
	o->len = len;
	free(text);
	if (t->out_tail)
		t->out_tail->next = o;
	else
		t->out = o;
	t->out_tail = o;
	if (t->wsi)
		lws_callback_on_writable(t->wsi);
}

/* Drop the queue (the connection is gone). */
void ws_out_clear(struct ws_transport *t)
{
	while (t->out) {
		struct outmsg *o = t->out;
		t->out = o->next;
		free(o->buf);
		free(o);
	}
	t->out_tail = NULL;
}

/* Free one pending request. */
void ws_pending_free(struct pending *p)
{
	free(p->id);
	free(p->path);
	free(p->content);
	free(p);
}

/* Take the pending request id out of the list (NULL when unknown). */
struct pending *ws_pending_take(struct ws_transport *t, const char *id)
{
	for (struct pending **pp = &t->pending; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->id, id) == 0) {
			struct pending *p = *pp;
			*pp = p->next;
			p->next = NULL;
			return p;
		}
	}
	return NULL;
}

/* A send the socket did not deliver. Refused over the socket: the same PUT
 * over HTTP, same txn id. Without an answer (no answer in time, the
 * connection gone) the event may be in the room: the outbox is told the
 * outcome is unknown and looks before it sends again (bot/outbox.h). */
void ws_send_over_http(struct ws_transport *t, struct pending *p, int unsure)
{
	if (unsure)
		p->cb(p->cb_arg, 0, NULL);
	else
		mx_request(t->m, "PUT", p->path, p->content, 30000, MX_UNSURE,
			   p->cb, p->cb_arg);
	ws_pending_free(p);
}

/* Every pending request ends with the connection: sends are unanswered. */
void ws_pending_flush(struct ws_transport *t)
{
	while (t->pending) {
		struct pending *p = t->pending;
		t->pending = p->next;
		if (p->kind == PENDING_SEND) {
			log_debug("websocket: send %s unanswered (connection gone)", p->id);
			ws_send_over_http(t, p, 1);
		} else {
			ws_pending_free(p);
		}
	}
}

/* The outbox's send hook: 1 when the socket takes the row. */
int ws_send_hook(void *arg, const struct outbox_row *row, const char *path,
		     outbox_send_cb cb, void *cb_arg)
{
	struct ws_transport *t = arg;
	char *req = ws_send_request_dup(row->txn_id, row->room_id,
					row->event_type, row->content);
	if (!req || !ws_send_route(&t->fsm, t->send_refused, strlen(req))) {
		if (req && t->fsm.state == WS_ST_OPEN && !t->send_refused)
			log_debug("websocket: message %lld is larger than a frame, "
				  "sent over HTTP", row->id);
		free(req);
		return 0;
	}
	struct pending *p = xcalloc(1, sizeof *p);
	p->kind = PENDING_SEND;
	p->id = xstrdup(row->txn_id);
	p->deadline = uv_now(t->m->loop) + (uint64_t)t->tm.send_timeout_ms;
	p->path = xstrdup(path);
	p->content = xstrdup(row->content);
	p->cb = cb;
	p->cb_arg = cb_arg;
	p->next = t->pending;
	t->pending = p;
	log_debug("websocket: send message %lld (txn %s)", row->id, row->txn_id);
	ws_queue_text(t, req);
	return 1;
}
