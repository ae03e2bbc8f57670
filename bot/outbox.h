/* outbox (sending side): flushes storage/outbox.h rows to the homeserver.
 *
 * PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId} with the
 * txn id stored in the row, reused on every retry; the row is deleted only
 * after a 200. Within a room, the answers to different commands may be in
 * flight together (up to OUTBOX_ROOM_WINDOW; they may thus arrive in
 * another order than the commands, each quoting its own), while the rows
 * of one command (its replies, a long reply's parts) go one after another
 * and a row of no command (a reminder, an edit) goes alone, in its place
 * (storage/outbox.h outbox_next_sendable). Rooms are independent and run
 * concurrently with the /sync long-poll, with at most OUTBOX_MAX_IN_FLIGHT
 * sends in all. The rows sent in one loop turn leave the outbox in one
 * transaction (outbox_settle): a crash before it leaves them marked
 * tried, so the next run looks for them (below) and finds them.
 *
 * Exactly once without trusting the homeserver's transaction memory (some
 * servers forget txn ids after a cut request, their own restart or a new
 * access token): every event carries its outbox id (the txn id) in its
 * content under MESSAGE_OUTBOX_KEY ("org.werktafel.outbox"). When a try's
 * outcome is unknown (no answer, a timeout, a 5xx, a 2xx without event id;
 * or a row marked tried that a previous run left), the sender first reads
 * the bot's own recent events of that type in the room (GET .../messages,
 * dir=b, filtered on the bot as sender) and sends again, with the same txn
 * id, only when the id is not among them. Answers that mean nothing was
 * done (429, 401) are retried by bot/matrix.c without a look-up. A send
 * reuses the open connection, and libcurl may not repeat it by itself on
 * a reused connection cut before the answer (bot/http.c, on_prereq): the
 * cut comes here as an unknown outcome. */
#ifndef WT_BOT_OUTBOX_H
#define WT_BOT_OUTBOX_H

struct matrix;
struct outbox_flusher;

struct outbox_flusher *outbox_flusher_new(struct matrix *m);
void outbox_flusher_free(struct outbox_flusher *f);

/* Start sending the oldest row of every room that has none in flight.
 * Cheap when there is nothing to do; call it after every change. */
void outbox_flush(struct outbox_flusher *f);
/* outbox_flush for use as a plain callback (arg is the flusher). */
void outbox_flush_cb(void *arg);

/* Number of sends in flight (or sent, not yet settled). */
int outbox_in_flight(const struct outbox_flusher *f);
/* idle(arg) runs each time the last send in flight is over (settled or
 * given up) and none follows it. */
void outbox_on_idle(struct outbox_flusher *f, void (*idle)(void *arg), void *arg);

/* Write what the sends answered so far (rows sent leave the outbox, in
 * one transaction) and start the rows that may go next. The flusher
 * does it itself after each loop turn's I/O (a uv_check handle, with an
 * idle handle so that turn's poll does not wait for other I/O), and
 * when it is freed. */
void outbox_settle(struct outbox_flusher *f);

/* Sends in flight together in one room, and in all. */
#define OUTBOX_ROOM_WINDOW 8
#define OUTBOX_MAX_IN_FLIGHT 32

/* Another transport may take sends (bot/transport_ws.c). The hook returns
 * 1 when it took the row and will call cb(cb_arg, status, body) exactly
 * once as the PUT's answer would (200 with {"event_id"}, or its own HTTP
 * fallback's answer to the same path, i.e. the same txn id), or 0 to let
 * the PUT go. */
struct outbox_row;
struct json_t;
typedef void (*outbox_send_cb)(void *cb_arg, long status, struct json_t *body);
typedef int (*outbox_send_hook)(void *hook_arg, const struct outbox_row *row,
				const char *path, outbox_send_cb cb, void *cb_arg);
void outbox_set_send_hook(struct outbox_flusher *f, outbox_send_hook hook,
			  void *hook_arg);

/* Before a row goes out, the seal hook (bot/e2ee.c) encrypts it for an
 * encrypted room, or holds it back. The hook calls cb(cb_arg, rc) exactly
 * once, possibly before it returns: rc 0, the row may go as it is now (an
 * encrypted row was changed in place: event_type, content, upload, and
 * stored so); rc < 0, not now (the row is never sent as it was: the
 * flusher asks again after a wait). */
typedef void (*outbox_seal_cb)(void *cb_arg, int rc);
typedef void (*outbox_seal_hook)(void *hook_arg, struct outbox_row *row,
				 outbox_seal_cb cb, void *cb_arg);
void outbox_set_seal_hook(struct outbox_flusher *f, outbox_seal_hook hook,
			  void *hook_arg);

/* How many of its own events the bot reads back to find a send. */
#define OUTBOX_LOOKUP_LIMIT 50

/* The path of the look-up: the latest OUTBOX_LOOKUP_LIMIT events of
 * event_type from sender in room_id, newest first (caller frees). */
char *outbox_lookup_path(const char *room_id, const char *sender,
			 const char *event_type);
/* The event id of the event in a /messages answer that sender sent with
 * outbox_id in its content (borrowed from messages), or NULL. */
const char *outbox_find_sent(struct json_t *messages, const char *sender,
			     const char *outbox_id);

/* The request path of a state event (PUT .../state/{type}/{key}), every
 * part URL-encoded (caller frees). */
char *outbox_state_path(const char *room_id, const char *event_type,
			const char *state_key);

/* The request path of a send, with every id URL-encoded (caller frees). */
char *outbox_send_path(const char *room_id, const char *event_type,
		       const char *txn_id);

#endif
