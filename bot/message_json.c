/* message_json: text replies' content JSON written directly (see
 * message_json.h). The field order is the one the jansson builder had
 * (bot/message.c before; tests/unit/test_json_out.c keeps it and
 * compares), so stored outbox rows read the same. */
#include "bot/message_json.h"

#include <stdlib.h>
#include <string.h>

#include "bot/message.h"
#include "handlers/render.h"
#include "lib/json_out.h"
#include "lib/strbuf.h"

/* The always-present m.mentions object: exactly the users the message is
 * meant for (the handler's mentions, and the recipient of a direct
 * message; ids that are no valid UTF-8 left out), else {} so that no text
 * in it pings anybody. It never holds "room": an @room typed by a person
 * stays text. */
static void mentions_out(struct strbuf *sb, const struct wt_reply *r)
{
	size_t start = sb->len;
	sb_add(sb, "{\"user_ids\":[");
	size_t first = sb->len;
	for (size_t i = 0; i < r->nmentions; i++) {
		if (!json_out_ok(r->mentions[i]))
			continue;
		if (sb->len > first)
			sb_addc(sb, ',');
		json_out_str(sb, r->mentions[i]);
	}
	int seen = 0;
	for (size_t i = 0; r->to_user && i < r->nmentions; i++)
		seen |= r->mentions[i] && strcmp(r->mentions[i], r->to_user) == 0;
	if (!seen && json_out_ok(r->to_user)) {
		if (sb->len > first)
			sb_addc(sb, ',');
		json_out_str(sb, r->to_user);
	}
	if (sb->len == first) {
		sb_setlen(sb, start);
		sb_add(sb, "{}");
	} else {
		sb_add(sb, "]}");
	}
}

/* ,"m.relates_to":{...} of a message: a reply to the command
 * (m.in_reply_to), and when the command came in a thread (and the answer
 * stays in its room) the thread relation, with the reply as the fallback
 * for clients without threads (is_falling_back, as the spec's threading
 * module asks). Nothing when it answers nothing. */
static void relate_out(struct strbuf *sb, const struct wt_reply *r)
{
	const char *ev = json_out_ok(r->in_reply_to) ? r->in_reply_to : NULL;
	const char *root = !r->to_user && !r->room && json_out_ok(r->thread_root)
		? r->thread_root : NULL;
	if (!ev && !root)
		return;
	sb_add(sb, ",\"m.relates_to\":{");
	if (root) {
		sb_add(sb, "\"rel_type\":\"m.thread\",\"event_id\":");
		json_out_str(sb, root);
		sb_add(sb, ",\"is_falling_back\":true,");
	}
	sb_add(sb, "\"m.in_reply_to\":{\"event_id\":");
	json_out_str(sb, ev ? ev : root);
	sb_add(sb, "}}");
}

/* ,"org.werktafel.answers":"..." when r answers an edit of a command. */
static void answers_out(struct strbuf *sb, const struct wt_reply *r)
{
	if (!json_out_ok(r->answers_event))
		return;
	sb_add(sb, ",\"" MESSAGE_ANSWERS_KEY "\":");
	json_out_str(sb, r->answers_event);
}

/* A JSON string of text, with " * " before it in an edit's own bodies
 * (the mark of an edit for clients without edits, as Element sends it). */
static void text_out(struct strbuf *sb, const char *text, int edit_mark)
{
	sb_add(sb, edit_mark ? "\" * " : "\"");
	json_out_chars(sb, text);
	sb_addc(sb, '"');
}

/* The text fields of a message, from the opening brace to m.mentions. */
static void fields_out(struct strbuf *sb, const struct wt_reply *r, const char *plain,
		       const char *html, int edit_mark)
{
	sb_add(sb, r->notify || r->to_user ? "{\"msgtype\":\"m.text\",\"body\":"
					   : "{\"msgtype\":\"m.notice\",\"body\":");
	text_out(sb, plain, edit_mark);
	sb_add(sb, ",\"format\":\"org.matrix.custom.html\",\"formatted_body\":");
	text_out(sb, html, edit_mark);
	sb_add(sb, ",\"m.mentions\":");
	mentions_out(sb, r);
}

int message_json_text_dup(const struct wt_reply *r, char **content)
{
	*content = NULL;
	if (r->replaces && !json_out_ok(r->replaces))
		return -1;
	const char *md = r->markdown ? r->markdown : "";
	char *plain, *html;
	render_plain_html(md, &plain, &html);
	const char *p = plain ? plain : md, *h = html ? html : "";
	struct strbuf sb = STRBUF_INIT;
	/* Escapes are rare: room for both bodies (twice in an edit) at once. */
	sb_grow(&sb, (strlen(p) + strlen(h)) * (r->replaces ? 2 : 1) + 256);
	if (r->replaces) {
		/* The edit (m.replace) of the bot's own message: the message as
		 * it would go out by itself becomes m.new_content; the top-level
		 * m.mentions is its: the edited message mentioned nobody. */
		fields_out(&sb, r, p, h, 1);
		sb_add(&sb, ",\"m.new_content\":");
		fields_out(&sb, r, p, h, 0);
		sb_add(&sb, "},\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":");
		json_out_str(&sb, r->replaces);
		sb_addc(&sb, '}');
	} else {
		fields_out(&sb, r, p, h, 0);
		relate_out(&sb, r);
	}
	answers_out(&sb, r);
	sb_addc(&sb, '}');
	free(plain);
	free(html);
	*content = sb_detach(&sb);
	return 0;
}

int message_json_reaction_dup(const struct wt_reply *r, char **content)
{
	*content = NULL;
	if (!r->markdown || !json_out_ok(r->in_reply_to))
		return -1;
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":");
	json_out_str(&sb, r->in_reply_to);
	sb_add(&sb, ",\"key\":");
	json_out_str(&sb, r->markdown);
	sb_addc(&sb, '}');
	answers_out(&sb, r);
	sb_addc(&sb, '}');
	*content = sb_detach(&sb);
	return 0;
}

int message_json_file_dup(const struct wt_reply *r, char **content)
{
	const char *name = r->filename ? r->filename : "werktafel.txt";
	const char *mime = message_mimetype(name);
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "{\"msgtype\":\"m.file\",\"body\":");
	json_out_str(&sb, name);
	sb_add(&sb, ",\"filename\":");
	json_out_str(&sb, name);
	sb_add(&sb, ",\"info\":{\"mimetype\":");
	sb_addn(&sb, "\"", 1);
	sb_addn(&sb, mime, strcspn(mime, ";"));  /* the type without its charset */
	sb_addf(&sb, "\",\"size\":%zu},\"m.mentions\":", r->markdown ? strlen(r->markdown) : 0);
	mentions_out(&sb, r);
	relate_out(&sb, r);
	answers_out(&sb, r);
	sb_addc(&sb, '}');
	*content = sb_detach(&sb);
	return 0;
}
