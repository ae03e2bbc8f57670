#include "bot/message.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/render.h"
#include "lib/strbuf.h"

/* The always-present m.mentions object: only the users the handler named. */
static json_t *mentions_json(const struct wt_reply *r)
{
	json_t *ids = json_array();
	for (size_t i = 0; i < r->nmentions; i++) {
		if (!r->mentions[i])
			continue;
		json_t *s = json_string(r->mentions[i]);
		if (s)  /* json_string refuses invalid UTF-8 */
			json_array_append_new(ids, s);
	}
	return json_pack("{s:o}", "user_ids", ids);
}

/* A JSON string from text that may hold bad UTF-8 (user input copied into
 * a reply): invalid bytes become U+FFFD instead of failing the message. */
static json_t *string_lossy(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = 0;
		if (*p < 0x80)
			n = 1;
		else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
			n = 2;
		else if ((*p & 0xF0) == 0xE0)
			n = 3;
		else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
			n = 4;
		size_t k = 1;
		while (n > 1 && k < n && (p[k] & 0xC0) == 0x80)
			k++;
		if (n == 0 || k < n) {
			sb_add(&sb, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		sb_addn(&sb, (const char *)p, n);
		p += n;
	}
	j = json_string(sb.buf);
	sb_release(&sb);
	return j ? j : json_string("\xEF\xBF\xBD");
}

/* The markdown a REPLY_FILE is shown as: its name, then its text verbatim. */
static char *file_markdown(const struct wt_reply *r)
{
	struct strbuf sb = STRBUF_INIT;
	if (r->filename) {
		sb_add_md(&sb, r->filename);
		sb_add(&sb, "\n\n");
	}
	/* A fence longer than any backtick run inside keeps the text literal. */
	size_t run = 0, longest = 0;
	for (const char *p = r->markdown ? r->markdown : ""; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	struct strbuf fence = STRBUF_INIT;
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		sb_addc(&fence, '`');
	sb_addf(&sb, "%s\n%s\n%s\n", fence.buf, r->markdown ? r->markdown : "",
		fence.buf);
	sb_release(&fence);
	return sb_detach(&sb);
}

int message_content_dup(const struct wt_reply *r, const char **event_type,
			char **content)
{
	json_t *c;
	*content = NULL;
	if (r->kind == REPLY_REACTION) {
		if (!r->in_reply_to || !r->markdown)
			return -1;
		json_t *ev = json_string(r->in_reply_to);
		if (!ev)
			return -1;
		c = json_pack("{s:{s:s,s:o,s:o}}", "m.relates_to",
			      "rel_type", "m.annotation", "event_id", ev,
			      "key", string_lossy(r->markdown));
		*event_type = "m.reaction";
	} else {
		char *md = r->kind == REPLY_FILE ? file_markdown(r)
			: xstrdup(r->markdown ? r->markdown : "");
		char *plain = render_plain(md);
		char *html = render_html(md);
		c = json_pack("{s:s,s:o,s:s,s:o,s:o}", "msgtype", "m.notice",
			      "body", string_lossy(plain ? plain : md),
			      "format", "org.matrix.custom.html",
			      "formatted_body", string_lossy(html ? html : ""),
			      "m.mentions", mentions_json(r));
		free(md);
		free(plain);
		free(html);
		json_t *ev = r->in_reply_to ? json_string(r->in_reply_to) : NULL;
		if (c && ev)
			json_object_set_new(c, "m.relates_to",
				json_pack("{s:{s:o}}", "m.in_reply_to", "event_id", ev));
		*event_type = "m.room.message";
	}
	if (!c)
		return -1;
	*content = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return *content ? 0 : -1;
}
