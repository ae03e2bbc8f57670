/* sync_event: what the sync reads of one event (see bot/sync_event.h). */
#include "bot/sync_event.h"

#include <string.h>

#include "bot/json_in.h"
#include "bot/message.h"
#include "handlers/event.h"

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

/* The thread ev was sent in (m.relates_to rel_type m.thread), or NULL. */
const char *sync_thread_of(json_t *ev)
{
	json_t *relates = json_object_get(json_object_get(ev, "content"), "m.relates_to");
	const char *rel = str_at(relates, "rel_type");
	return rel && strcmp(rel, "m.thread") == 0 ? str_at(relates, "event_id") : NULL;
}

/* Whether s is the string want. */
static int is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/* The kind of a redaction: what it deletes (room versions up to 10 put
 * it at the top, 11 in content). */
static enum wt_event_kind read_redaction(json_t *ev, struct wt_event *out)
{
	out->redacts = str_at(ev, "redacts");
	if (!out->redacts)
		out->redacts = str_at(json_object_get(ev, "content"), "redacts");
	return out->redacts ? WT_EV_REDACTION : WT_EV_NONE;
}

/* The kind of a reaction: an annotation with its event and key. */
static enum wt_event_kind read_reaction(json_t *ev, struct wt_event *out)
{
	json_t *ann = json_object_get(json_object_get(ev, "content"), "m.relates_to");
	out->reaction.target = str_at(ann, "event_id");
	out->reaction.key = str_at(ann, "key");
	return is(str_at(ann, "rel_type"), "m.annotation") && out->reaction.target
	       && out->reaction.key ? WT_EV_REACTION : WT_EV_NONE;
}

/* The kind of a poll response (MSC3381; stable m.selections, unstable
 * org.matrix.msc3381.poll.response.answers): the poll it references and
 * the answer ids it chose (strings only, at most WT_POLL_SELECT_MAX). */
static enum wt_event_kind read_poll_response(json_t *ev, struct wt_event *out)
{
	json_t *content = json_object_get(ev, "content");
	json_t *rel = json_object_get(content, "m.relates_to");
	if (!is(str_at(rel, "rel_type"), "m.reference") || !str_at(rel, "event_id"))
		return WT_EV_NONE;
	out->poll.target = str_at(rel, "event_id");
	json_t *sel = json_object_get(content, "m.selections");
	if (!json_is_array(sel))
		sel = json_object_get(json_object_get(content,
			"org.matrix.msc3381.poll.response"), "answers");
	if (!json_is_array(sel))
		sel = json_object_get(json_object_get(content, "m.poll.response"), "answers");
	if (!json_is_array(sel))
		return WT_EV_NONE;
	size_t i;
	json_t *a;
	json_array_foreach(sel, i, a) {
		const char *id = json_is_string(a) && !json_in_has_nul(a)
				 ? json_string_value(a) : NULL;
		if (id && out->poll.n < WT_POLL_SELECT_MAX)
			out->poll.answers[out->poll.n++] = id;
	}
	return WT_EV_POLL_RESPONSE;
}

/* The kind of an m.room.message: an edit (m.replace whose m.new_content
 * is m.text), a reply or a plain text message (m.text with a string body;
 * a reply's body read past its quoted fallback), else none. */
static enum wt_event_kind read_message(json_t *ev, struct wt_event *out)
{
	json_t *content = json_object_get(ev, "content");
	if (!json_is_object(content))
		return WT_EV_NONE;
	json_t *rel = json_object_get(content, "m.relates_to");
	if (is(str_at(rel, "rel_type"), "m.replace")) {
		json_t *nc = json_object_get(content, "m.new_content");
		out->edit.target = str_at(rel, "event_id");
		out->edit.body = str_at(nc, "body");
		out->edit.text = message_body_without_reply(out->edit.body);
		return is(str_at(nc, "msgtype"), "m.text") && out->edit.target
		       && out->edit.body ? WT_EV_EDIT : WT_EV_NONE;
	}
	if (!is(str_at(content, "msgtype"), "m.text"))
		return WT_EV_NONE;
	json_t *in_reply = json_object_get(rel, "m.in_reply_to");
	out->body = str_at(content, "body");
	if (json_is_object(in_reply))
		out->body = message_body_without_reply(out->body);
	out->formatted_body = str_at(content, "formatted_body");
	if (!out->body)
		return WT_EV_NONE;
	return out->reply_to && !out->reply_fallback ? WT_EV_REPLY : WT_EV_MESSAGE;
}

enum wt_event_kind sync_event_kind(json_t *ev, struct wt_event *out)
{
	memset(out, 0, sizeof *out);
	const char *type = str_at(ev, "type");
	out->sender = str_at(ev, "sender");
	out->event_id = str_at(ev, "event_id");
	out->ts_ms = sync_event_ts(ev);
	if (!type || !out->sender || !out->event_id)
		return WT_EV_NONE;
	json_t *content = json_object_get(ev, "content");
	json_t *rel = json_object_get(content, "m.relates_to");
	out->thread_root = sync_thread_of(ev);
	out->reply_to = str_at(json_object_get(rel, "m.in_reply_to"), "event_id");
	out->reply_fallback = out->thread_root && json_is_true(json_object_get(rel,
		"is_falling_back"));
	out->kind = is(type, "m.room.redaction") ? read_redaction(ev, out)
		    : is(type, "m.reaction") ? read_reaction(ev, out)
		    : is(type, "m.room.message") ? read_message(ev, out)
		    : is(type, "m.poll.response")
		      || is(type, "org.matrix.msc3381.poll.response")
		    ? read_poll_response(ev, out)
		    : WT_EV_NONE;
	return out->kind;
}

enum wt_event_kind sync_event_read(json_t *ev, struct wt_event *out)
{
	if (sync_event_kind(ev, out) == WT_EV_NONE)
		return WT_EV_NONE;
	json_t *content = json_object_get(ev, "content");
	/* A reply's quote (!herinner mij ... as a reply reminds of that
	 * message) and the people the message names. */
	if (out->reply_to && !out->reply_fallback)
		out->reply_quote = message_reply_quote_dup(str_at(content, "body"));
	message_mentions_read(content, &out->mentions);
	return out->kind;
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
