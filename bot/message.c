#include "bot/message.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bot/config.h"
#include "bot/message_json.h"
#include "handlers/person.h"
#include "lib/strbuf.h"
#include "storage/outbox.h"
#include "storage/sent_links.h"
#include "storage/polls.h"

void message_reply_notify(struct wt_reply *r, const struct wt_config *cfg)
{
	if (cfg && cfg->replies_text)
		r->notify = 1;
}

const char *message_body_without_reply(const char *body)
{
	const char *p = body;
	if (!p || p[0] != '>')
		return body;
	/* The quoted lines, then the blank line that ends the fallback. */
	while (*p == '>') {
		const char *nl = strchr(p, '\n');
		if (!nl)
			return body;  /* only a quote: not the fallback's shape */
		p = nl + 1;
	}
	if (*p == '\n')
		return p + 1;
	if (p[0] == '\r' && p[1] == '\n')
		return p + 2;
	return body;
}

char *message_reply_quote_dup(const char *body)
{
	const char *rest = message_body_without_reply(body);
	if (!body || rest == body)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = body; p < rest && *p == '>';) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *q = p + 1;
		if (*q == ' ')
			q++;
		if (p == body) {  /* the sender: "<@x:y> " or, for an emote, "* <@x:y> " */
			const char *s = q[0] == '*' && q[1] == ' ' ? q + 2 : q;
			const char *gt = *s == '<' ? memchr(s, '>', n - (size_t)(s - p)) : NULL;
			if (gt)
				q = gt[1] == ' ' ? gt + 2 : gt + 1;
		}
		if (sb.len)
			sb_addc(&sb, '\n');
		if (q < p + n)
			sb_addn(&sb, q, (size_t)(p + n - q));
		p = nl ? nl + 1 : p + n;
	}
	sb_rtrim(&sb);
	if (!sb.len) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

const char *message_html_without_reply(const char *html)
{
	if (!html || strncmp(html, "<mx-reply>", 10) != 0)
		return html;
	const char *end = strstr(html, "</mx-reply>");
	return end ? end + strlen("</mx-reply>") : html;
}

void message_mentions_read(json_t *content, struct wt_mentions *out)
{
	json_t *nc = json_object_get(content, "m.new_content");
	if (json_is_object(nc))
		content = nc;
	if (!json_is_object(content))
		return;
	json_t *fmt = json_object_get(content, "format");
	json_t *html = json_object_get(content, "formatted_body");
	if (json_is_string(fmt) && strcmp(json_string_value(fmt), "org.matrix.custom.html") == 0
	    && json_is_string(html))
		person_pills_from_html(out, message_html_without_reply(json_string_value(html)));
	json_t *ids = json_object_get(json_object_get(content, "m.mentions"), "user_ids");
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
		if (json_is_string(id))
			person_mention_add(out, json_string_value(id));
}

/* The MIME type of a file the bot sends, by its name. */
const char *message_mimetype(const char *filename)
{
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	if (dot && strcmp(dot, ".md") == 0)
		return "text/markdown; charset=utf-8";
	if (dot && strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (dot && strcmp(dot, ".ics") == 0)
		return "text/calendar; charset=utf-8";
	if (dot && strcmp(dot, ".json") == 0)
		return "application/json; charset=utf-8";
	return "text/plain; charset=utf-8";
}

char *message_with_url(const char *content, const char *mxc_url)
{
	json_t *c = json_loads(content, 0, NULL);
	if (!json_is_object(c)) {
		json_decref(c);
		return NULL;
	}
	json_object_set_new(c, "url", json_string(mxc_url));
	char *out = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return out;
}

/* 1 when s needs no JSON escaping (our own txn ids: letters, digits,
 * '-', '_', '.'). */
static int plain_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
		      || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* The outbox id appended to a compact object as text, without parsing
 * and dumping the whole content again (a long reply is most of a send's
 * cost); NULL when content is not one we can append to safely. */
static char *append_outbox_id(const char *content, const char *outbox_id)
{
	size_t n = strlen(content);
	if (n < 3 || content[0] != '{' || content[n - 1] != '}' || !plain_id(outbox_id)
	    || strstr(content, "\"" MESSAGE_OUTBOX_KEY "\""))
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_grow(&sb, n + strlen(outbox_id) + sizeof MESSAGE_OUTBOX_KEY + 8);
	sb_addn(&sb, content, n - 1);
	sb_addf(&sb, ",\"%s\":\"%s\"}", MESSAGE_OUTBOX_KEY, outbox_id);
	return sb_detach(&sb);
}

char *message_with_outbox_id(const char *content, const char *outbox_id)
{
	char *fast = append_outbox_id(content, outbox_id);
	if (fast)
		return fast;
	json_t *c = json_loads(content, JSON_REJECT_DUPLICATES, NULL);
	json_t *id = json_string(outbox_id);
	if (!json_is_object(c) || !id) {
		json_decref(c);
		json_decref(id);
		return NULL;
	}
	json_object_set_new(c, MESSAGE_OUTBOX_KEY, id);
	char *out = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return out;
}

const char *message_outbox_id(json_t *ev)
{
	json_t *c = json_object_get(ev, "content");
	json_t *id = json_is_object(c) ? json_object_get(c, MESSAGE_OUTBOX_KEY) : NULL;
	return json_is_string(id) ? json_string_value(id) : NULL;
}

/* The content of an event of its own type (REPLY_EVENT, REPLY_STATE):
 * the handler's JSON object, compact; NULL when it is no object. */
static char *event_content_dup(const struct wt_reply *r)
{
	json_t *c = json_loads(r->content, 0, NULL);
	if (!json_is_object(c)) {
		json_decref(c);
		return NULL;
	}
	json_t *answers = r->answers_event && r->kind != REPLY_STATE
		? json_string(r->answers_event) : NULL;
	if (answers)
		json_object_set_new(c, MESSAGE_ANSWERS_KEY, answers);
	char *out = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return out;
}

int message_content_dup(const struct wt_reply *r, const char **event_type,
			char **content)
{
	*content = NULL;
	if (r->kind == REPLY_EVENT || r->kind == REPLY_STATE) {
		if (!r->event_type || !r->content || (r->kind == REPLY_STATE && !r->state_key))
			return -1;
		*event_type = r->event_type;
		*content = event_content_dup(r);
		return *content ? 0 : -1;
	}
	/* The replies that carry text are written directly (bot/message_json.h). */
	if (r->kind == REPLY_REACTION) {
		*event_type = "m.reaction";
		return message_json_reaction_dup(r, content);
	}
	*event_type = "m.room.message";
	return r->kind == REPLY_FILE ? message_json_file_dup(r, content)
				     : message_json_text_dup(r, content);
}

/* One event of r (its content as given) into the outbox, with whose
 * command it answers and its ordering group: the command (in_reply_to)
 * for an answer to one, none for an edit or anything else. */
static int enqueue_one(sqlite3 *db, const struct wt_reply *r, const char *room,
		       const char *type, const char *content, time_t now,
		       long long *id)
{
	int rc = r->kind == REPLY_FILE
		? outbox_enqueue_file(db, room, r->to_user, content, r->filename,
				      message_mimetype(r->filename),
				      r->markdown ? r->markdown : "", now, id)
		: outbox_enqueue(db, room, r->to_user, type, content, now, id);
	if (rc == 0 && r->answers && outbox_set_answers(db, *id, r->answers) < 0)
		rc = -1;
	if (rc == 0 && r->answers && r->in_reply_to && !r->replaces
	    && outbox_set_group(db, *id, r->in_reply_to) < 0)
		rc = -1;
	return rc;
}

/* Row id of state reply r becomes a state event, with the note posted
 * when the homeserver refuses it (a notice that answers the command). */
static int enqueue_state(sqlite3 *db, const struct wt_reply *r, long long id)
{
	char *refused = NULL;
	if (r->refused) {
		struct wt_reply n = *r;
		const char *type;
		n.kind = REPLY_NOTICE;
		n.markdown = r->refused;
		if (message_content_dup(&n, &type, &refused) < 0)
			return MESSAGE_UNSENDABLE;
	}
	int rc = outbox_set_state(db, id, r->state_key, refused) < 0 ? MESSAGE_EDB : 0;
	free(refused);
	return rc;
}

/* r, too large for one event: its numbered parts, or else (one block
 * without line breaks to cut at) its text as a Markdown file. */
static int enqueue_large(sqlite3 *db, const struct wt_reply *r, const char *room,
			 time_t now, long long *first)
{
	char **parts;
	int rc = 0;
	if (message_split_dup(r, &parts) == 0) {
		for (size_t i = 0; parts[i] && rc == 0; i++) {
			struct wt_reply p = *r;
			if (i)
				p.replaces = NULL;
			long long id = 0;
			rc = enqueue_one(db, &p, room, "m.room.message", parts[i], now, &id);
			if (i == 0)
				*first = id;
		}
		message_parts_free(parts);
		return rc;
	}
	struct wt_reply f = *r;
	f.kind = REPLY_FILE;
	f.filename = MESSAGE_LARGE_FILE;
	f.replaces = NULL;
	const char *type;
	char *content;
	if (message_content_dup(&f, &type, &content) < 0)
		return MESSAGE_UNSENDABLE;
	rc = enqueue_one(db, &f, room, type, content, now, first);
	free(content);
	return rc;
}

int message_enqueue(sqlite3 *db, const struct wt_reply *r, const char *room,
		    time_t now, long long *id_out)
{
	const char *type;
	char *content;
	long long id = 0;
	if (message_content_dup(r, &type, &content) < 0)
		return MESSAGE_UNSENDABLE;
	int rc = r->kind != REPLY_FILE && r->kind != REPLY_EVENT && r->kind != REPLY_STATE
		 && strlen(content) > MESSAGE_CONTENT_MAX
		? enqueue_large(db, r, room, now, &id)
		: enqueue_one(db, r, room, type, content, now, &id);
	free(content);
	/* A message about something (an invitation): a reaction to it finds
	 * it once sent (storage/sent_links.h). */
	if (rc == 0 && r->link_kind && sent_links_add(db, id, r->link_kind, r->link_id) < 0)
		rc = MESSAGE_EDB;
	if (rc == 0 && r->kind == REPLY_STATE)
		rc = enqueue_state(db, r, id);
	/* A poll's start event: its poll learns the event id once sent. */
	if (rc == 0 && r->kind == REPLY_EVENT && r->poll_id
	    && polls_link_outbox(db, r->poll_id, id) < 0)
		rc = MESSAGE_EDB;
	if (rc == 0 && id_out)
		*id_out = id;
	return rc;
}
