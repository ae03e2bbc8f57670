/* sync_event: what the sync reads of one event (see bot/sync_event.h). */
#include "bot/sync_event.h"

#include <string.h>

#include "bot/json_in.h"
#include "bot/message.h"

static const char *str_at(json_t *obj, const char *key)
{
	return json_in_str(obj, key);  /* NULL for a string with a NUL */
}

/* A real join of the bot itself (not a profile change while joined). */
int sync_is_own_join(json_t *ev, const char *own)
{
	const char *type = str_at(ev, "type");
	const char *key = str_at(ev, "state_key");
	if (!type || !key || strcmp(type, "m.room.member") != 0 || strcmp(key, own) != 0)
		return 0;
	const char *mem = str_at(json_object_get(ev, "content"), "membership");
	if (!mem || strcmp(mem, "join") != 0)
		return 0;
	json_t *prev = json_object_get(json_object_get(ev, "unsigned"), "prev_content");
	if (!prev)
		prev = json_object_get(ev, "prev_content");
	const char *was = str_at(prev, "membership");
	return !was || strcmp(was, "join") != 0;
}

/* The event's origin_server_ts in milliseconds, 0 when it has none. */
long long sync_event_ts(json_t *ev)
{
	json_t *ts = json_object_get(ev, "origin_server_ts");
	return json_is_integer(ts) ? (long long)json_integer_value(ts) : 0;
}

/* The command text of ev, or NULL when ev is no command candidate: only
 * m.text messages from someone else, no edits, with a string body. */
const char *sync_command_body(json_t *ev, const char *own)
{
	const char *type = str_at(ev, "type");
	const char *sender = str_at(ev, "sender");
	json_t *content = json_object_get(ev, "content");
	if (!type || strcmp(type, "m.room.message") != 0 || !sender
	    || !str_at(ev, "event_id") || strcmp(sender, own) == 0
	    || !json_is_object(content))
		return NULL;
	const char *msgtype = str_at(content, "msgtype");
	if (!msgtype || strcmp(msgtype, "m.text") != 0)
		return NULL;
	json_t *relates = json_object_get(content, "m.relates_to");
	const char *rel = str_at(relates, "rel_type");
	if (rel && strcmp(rel, "m.replace") == 0)
		return NULL;
	/* A command sent as a reply: read past the quoted fallback. */
	if (json_is_object(json_object_get(relates, "m.in_reply_to")))
		return message_body_without_reply(str_at(content, "body"));
	return str_at(content, "body");
}

/* The thread ev was sent in (m.relates_to rel_type m.thread), or NULL. */
const char *sync_thread_of(json_t *ev)
{
	json_t *relates = json_object_get(json_object_get(ev, "content"), "m.relates_to");
	const char *rel = str_at(relates, "rel_type");
	return rel && strcmp(rel, "m.thread") == 0 ? str_at(relates, "event_id") : NULL;
}

/* An edit (m.replace) of a message or a redaction, from someone else:
 * returns 1 for an edit (*target = the edited event, *body = its new
 * text), 2 for a redaction (*target = the redacted event), 3 for a
 * reaction (*target = the event, *body = the key), else 0. The handlers
 * update or remove what was logged from the target. */
int sync_change_of(json_t *ev, const char *own, const char **target, const char **body)
{
	const char *type = str_at(ev, "type");
	const char *sender = str_at(ev, "sender");
	json_t *content = json_object_get(ev, "content");
	if (!type || !sender || !str_at(ev, "event_id") || strcmp(sender, own) == 0)
		return 0;
	if (strcmp(type, "m.room.redaction") == 0) {
		/* Room versions up to 10 put it at the top, 11 in content. */
		*target = str_at(ev, "redacts");
		if (!*target)
			*target = str_at(content, "redacts");
		return *target ? 2 : 0;
	}
	if (strcmp(type, "m.reaction") == 0) {
		/* 3: a reaction (*body = its key), e.g. 👍 on a reminder. */
		json_t *ann = json_object_get(content, "m.relates_to");
		const char *art = str_at(ann, "rel_type");
		*target = str_at(ann, "event_id");
		*body = str_at(ann, "key");
		return art && strcmp(art, "m.annotation") == 0 && *target && *body ? 3 : 0;
	}
	if (strcmp(type, "m.room.message") != 0 || !json_is_object(content))
		return 0;
	json_t *rel = json_object_get(content, "m.relates_to");
	const char *rt = str_at(rel, "rel_type");
	json_t *nc = json_object_get(content, "m.new_content");
	const char *msgtype = str_at(nc, "msgtype");
	if (!rt || strcmp(rt, "m.replace") != 0 || !msgtype || strcmp(msgtype, "m.text") != 0)
		return 0;
	*target = str_at(rel, "event_id");
	*body = str_at(nc, "body");
	return *target && *body ? 1 : 0;
}

/* Whether ev was redacted: marked so by the server, or by a redaction in
 * the same timeline (a command deleted before the bot saw it is no
 * command). */
int sync_is_redacted(json_t *ev, json_t *events)
{
	if (json_object_get(json_object_get(ev, "unsigned"), "redacted_because"))
		return 1;
	const char *id = str_at(ev, "event_id");
	size_t i;
	json_t *r;
	json_array_foreach(events, i, r) {
		const char *type = str_at(r, "type");
		if (!type || strcmp(type, "m.room.redaction") != 0)
			continue;
		const char *target = str_at(r, "redacts");
		if (!target)  /* room version 11 moved it into content */
			target = str_at(json_object_get(r, "content"), "redacts");
		if (target && id && strcmp(target, id) == 0)
			return 1;
	}
	return 0;
}

/* The event ev answers when ev is the bot's own reply (m.in_reply_to) or
 * reaction (m.annotation, e.g. the check mark on a #besluit line), or
 * NULL. */
const char *sync_answer_target(json_t *ev, const char *own)
{
	const char *sender = str_at(ev, "sender");
	if (!sender || strcmp(sender, own) != 0)
		return NULL;
	/* An answer to an edit of a command names the edit (bot/edits.h). */
	const char *edit = str_at(json_object_get(ev, "content"), MESSAGE_ANSWERS_KEY);
	if (edit)
		return edit;
	json_t *rel = json_object_get(json_object_get(ev, "content"), "m.relates_to");
	const char *target = str_at(json_object_get(rel, "m.in_reply_to"), "event_id");
	const char *rt = str_at(rel, "rel_type");
	if (!target && rt && strcmp(rt, "m.annotation") == 0)
		target = str_at(rel, "event_id");
	return target;
}

/* Why ev, an event the bot would handle (a message, edit, redaction or
 * reaction from someone else), cannot be: a field it reads holds a NUL
 * character (it would be read only up to there) or has the wrong type.
 * NULL when ev is fine or nothing the bot reads. */
const char *sync_event_flaw(json_t *ev, const char *own)
{
	if (!json_is_object(ev))
		return NULL;
	json_t *type = json_object_get(ev, "type");
	if (json_in_has_nul(type))
		return "its type holds a NUL character";
	const char *t = str_at(ev, "type");
	int message = t && strcmp(t, "m.room.message") == 0;
	if (!t || (!message && strcmp(t, "m.room.redaction") != 0
		   && strcmp(t, "m.reaction") != 0))
		return NULL;
	json_t *sender = json_object_get(ev, "sender");
	const char *who = str_at(ev, "sender");
	if (who && strcmp(who, own) == 0)
		return NULL;
	if (json_in_has_nul(sender))
		return "its sender holds a NUL character";
	if (!who)
		return "it has no sender";
	if (json_in_has_nul(json_object_get(ev, "event_id")))
		return "its event id holds a NUL character";
	if (!str_at(ev, "event_id"))
		return "it has no event id";
	json_t *content = json_object_get(ev, "content");
	json_t *rel = json_object_get(content, "m.relates_to");
	if (json_in_has_nul(json_object_get(rel, "event_id"))
	    || json_in_has_nul(json_object_get(ev, "redacts"))
	    || json_in_has_nul(json_object_get(content, "redacts")))
		return "the event it refers to holds a NUL character";
	if (!message)
		return NULL;
	if (!json_is_object(content))
		return "its content is no object";
	json_t *msgtype = json_object_get(content, "msgtype");
	if (json_in_has_nul(msgtype))
		return "its msgtype holds a NUL character";
	const char *mt = str_at(content, "msgtype");
	if (!mt || strcmp(mt, "m.text") != 0)
		return NULL;
	json_t *body = json_object_get(content, "body");
	json_t *nbody = json_object_get(json_object_get(content, "m.new_content"), "body");
	if (json_in_has_nul(body) || json_in_has_nul(nbody))
		return "its text holds a NUL character";
	if (!json_is_string(body))
		return body ? "its body is no string" : "it has no body";
	return NULL;
}
