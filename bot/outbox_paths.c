/* outbox_paths: the requests of the outbox's sends and look-ups, and
 * finding a sent event in a /messages answer (bot/outbox.h). */
#include "bot/outbox.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bot/matrix.h"
#include "bot/message.h"
#include "lib/strbuf.h"

/* PUT .../rooms/{room}/send/{type}/{txn}, every id escaped. */
char *outbox_send_path(const char *room_id, const char *event_type,
		       const char *txn_id)
{
	char *r = mx_escape(room_id), *t = mx_escape(event_type), *x = mx_escape(txn_id);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "/_matrix/client/v3/rooms/%s/send/%s/%s", r, t, x);
	free(r);
	free(t);
	free(x);
	return sb_detach(&sb);
}

/* PUT .../rooms/{room}/state/{type}/{key}, every part escaped. */
char *outbox_state_path(const char *room_id, const char *event_type,
			const char *state_key)
{
	char *r = mx_escape(room_id), *t = mx_escape(event_type), *k = mx_escape(state_key);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "/_matrix/client/v3/rooms/%s/state/%s/%s", r, t, k);
	free(r);
	free(t);
	free(k);
	return sb_detach(&sb);
}

/* GET .../messages, newest first, filtered on sender and type. */
char *outbox_lookup_path(const char *room_id, const char *sender,
			 const char *event_type)
{
	json_t *filter = json_pack("{s:[s],s:[s],s:i}", "senders", sender,
				   "types", event_type, "limit", OUTBOX_LOOKUP_LIMIT);
	char *fj = filter ? json_dumps(filter, JSON_COMPACT) : NULL;
	json_decref(filter);
	if (!fj)
		return NULL;
	char *r = mx_escape(room_id), *q = mx_escape(fj);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "/_matrix/client/v3/rooms/%s/messages?dir=b&limit=%d&filter=%s",
		r, OUTBOX_LOOKUP_LIMIT, q);
	free(r);
	free(q);
	free(fj);
	return sb_detach(&sb);
}

/* The event of sender whose content carries outbox_id, if any. */
const char *outbox_find_sent(json_t *messages, const char *sender,
			     const char *outbox_id)
{
	json_t *chunk = json_object_get(messages, "chunk");
	size_t i;
	json_t *ev;
	json_array_foreach(chunk, i, ev) {
		json_t *from = json_object_get(ev, "sender");
		json_t *id = json_object_get(ev, "event_id");
		const char *oid = message_outbox_id(ev);
		if (oid && strcmp(oid, outbox_id) == 0 && json_is_string(id)
		    && json_is_string(from)
		    && strcmp(json_string_value(from), sender) == 0)
			return json_string_value(id);
	}
	return NULL;
}
