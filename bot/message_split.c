/* message_split: a reply too large for one event becomes numbered parts
 * (split at line boundaries) or a file (bot/message.h message_enqueue). */
#include "bot/message.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"

/* The end of the longest run of whole lines of text that starts at p and
 * is at most max bytes (preferring a paragraph break in its second half),
 * or NULL when the first line alone is longer. */
static const char *part_end(const char *p, size_t max)
{
	size_t len = strlen(p);
	if (len <= max)
		return p + len;
	const char *line = NULL, *para = NULL;
	for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + max - q))); q++) {
		line = q;
		if (q > p && q[-1] == '\n' && (size_t)(q - p) >= max / 2)
			para = q;
	}
	return para ? para : line;
}

/* The text cut into parts of at most max bytes at line boundaries
 * (NULL-terminated, caller frees each and the array), or NULL when a
 * single line is longer than max. */
static char **cut_lines(const char *text, size_t max)
{
	size_t n = 0, cap = 8;
	char **v = xmalloc(cap * sizeof *v);
	const char *p = text;
	while (*p) {
		const char *end = part_end(p, max);
		if (!end || end == p) {
			for (size_t i = 0; i < n; i++)
				free(v[i]);
			free(v);
			return NULL;
		}
		const char *e = end;
		while (e > p && (e[-1] == '\n' || e[-1] == ' '))
			e--;  /* no blank lines at the end of a part */
		if (n + 2 >= cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		if (e > p)
			v[n++] = xstrndup(p, (size_t)(e - p));
		p = end;
		while (*p == '\n')
			p++;
	}
	v[n] = NULL;
	return v;
}

static void parts_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* The contents of r's text as numbered parts of markdown of at most max
 * bytes each, every one within MESSAGE_CONTENT_MAX: 0 and *out (event
 * contents, NULL-terminated) or negative when r cannot be cut so. */
static int parts_contents(const struct wt_reply *r, size_t max, char ***out)
{
	char **parts = cut_lines(r->markdown, max);
	if (!parts)
		return -1;
	size_t n = 0;
	while (parts[n])
		n++;
	char **c = xcalloc(n + 1, sizeof *c);
	int rc = n > 1 ? 0 : -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct strbuf md = STRBUF_INIT;
		sb_addf(&md, "(%zu/%zu)\n\n%s", i + 1, n, parts[i]);
		struct wt_reply p = *r;
		p.markdown = md.buf;
		if (i) {  /* only the first part pings, only it edits */
			p.nmentions = 0;
			p.replaces = NULL;
		}
		const char *type;
		rc = message_content_dup(&p, &type, &c[i]);
		if (rc == 0 && strlen(c[i]) > MESSAGE_CONTENT_MAX)
			rc = -1;
		sb_release(&md);
	}
	parts_free(parts);
	if (rc < 0) {
		parts_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

int message_split_dup(const struct wt_reply *r, char ***parts)
{
	*parts = NULL;
	if (!r->markdown || r->kind == REPLY_REACTION || r->kind == REPLY_FILE)
		return -1;
	/* The rendered event holds the text about twice (body and
	 * formatted_body) plus escapes: start at a quarter, halve on. */
	for (size_t max = MESSAGE_CONTENT_MAX / 4; max >= 1024; max /= 2)
		if (parts_contents(r, max, parts) == 0)
			return 0;
	return -1;
}

void message_parts_free(char **parts)
{
	parts_free(parts);
}

char *message_file_of_text_dup(const char *content, char **text)
{
	*text = NULL;
	json_t *c = json_loads(content, 0, NULL);
	json_t *body = json_object_get(c, "body");
	if (!json_is_object(c) || !json_is_string(body)) {
		json_decref(c);
		return NULL;
	}
	const char *name = MESSAGE_LARGE_TEXT_FILE;
	json_t *f = json_pack("{s:s,s:s,s:s,s:{s:s,s:I}}", "msgtype", "m.file",
			      "body", name, "filename", name, "info",
			      "mimetype", "text/plain",
			      "size", (json_int_t)json_string_length(body));
	json_t *rel = json_object_get(c, "m.relates_to");
	json_t *kind = json_object_get(rel, "rel_type");
	/* An edit cannot become a file: the file answers what the edit's
	 * message answered, as a message of its own. */
	if (json_is_string(kind) && strcmp(json_string_value(kind), "m.replace") == 0)
		rel = json_object_get(json_object_get(c, "m.new_content"), "m.relates_to");
	const char *keep[] = { "m.mentions", MESSAGE_ANSWERS_KEY };
	for (size_t i = 0; f && i < sizeof keep / sizeof keep[0]; i++)
		if (json_object_get(c, keep[i]))
			json_object_set(f, keep[i], json_object_get(c, keep[i]));
	if (f && json_is_object(rel))
		json_object_set(f, "m.relates_to", rel);
	char *out = f ? json_dumps(f, JSON_COMPACT) : NULL;
	if (out)
		*text = xstrdup(json_string_value(body));
	json_decref(f);
	json_decref(c);
	return out;
}
