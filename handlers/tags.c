/* tags: find #besluit / #actie / #info lines outside code; see tags.h. */
#include "handlers/tags.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/strbuf.h"

static const struct {
	const char *word;
	enum tag_kind kind;
} tag_words[] = {
	{ "besluit", TAG_DECISION }, { "agreed", TAG_DECISION }, { "decision", TAG_DECISION },
	{ "actie", TAG_ACTION }, { "action", TAG_ACTION },
	{ "info", TAG_INFO }, { "notitie", TAG_INFO }, { "note", TAG_INFO },
};

/* Length of the line starting at p (without its newline). */
static size_t line_len(const char *p)
{
	const char *e = strchr(p, '\n');
	return e ? (size_t)(e - p) : strlen(p);
}

/* Leading indentation of a line in columns (a tab is four), and where its
 * text starts. */
static int indent_of(const char *p, size_t n, size_t *start)
{
	int cols = 0;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		cols += p[i++] == '\t' ? 4 : 1;
	*start = i;
	return cols;
}

/* If the line opens or closes a fence, the fence character and run length
 * (>= 3) are returned through ch/len and 1 is returned. */
static int fence_of(const char *p, size_t n, char *ch, size_t *len)
{
	size_t i;
	if (indent_of(p, n, &i) > 3 || i >= n || (p[i] != '`' && p[i] != '~'))
		return 0;
	size_t k = 0;
	while (i + k < n && p[i + k] == p[i])
		k++;
	if (k < 3)
		return 0;
	*ch = p[i];
	*len = k;
	return 1;
}

/* 1 when the line has nothing but blanks. */
static int is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Mark code bytes of body in code[]: fenced blocks (whole lines) first, then
 * inline code spans in the remaining text. A span opened by a run of k
 * backticks closes at the next run of exactly k in the same paragraph (a
 * blank line or a fence ends it); without one the backticks are literal. */
static void mark_code(const char *body, size_t len, char *code)
{
	char fch = 0;
	size_t flen = 0;
	for (size_t p = 0; p < len;) {
		size_t n = line_len(body + p);
		char ch;
		size_t k;
		int is_fence = fence_of(body + p, n, &ch, &k);
		if (fch) {
			memset(code + p, 2, n);
			if (is_fence && ch == fch && k >= flen) {
				size_t s;
				indent_of(body + p, n, &s);
				if (is_blank(body + p + s + k, n - s - k))
					fch = 0;
			}
		} else if (is_fence) {
			memset(code + p, 2, n);
			fch = ch;
			flen = k;
		}
		p += n + 1;
	}
	for (size_t i = 0; i < len;) {
		if (code[i] == 2 || body[i] != '`') {
			i++;
			continue;
		}
		size_t k = 0;
		while (i + k < len && body[i + k] == '`')
			k++;
		size_t j = i + k, close = 0;
		while (j < len && code[j] != 2) {
			if (body[j] == '\n') {
				size_t n = line_len(body + j + 1);
				if (is_blank(body + j + 1, n))
					break;
			}
			if (body[j] != '`') {
				j++;
				continue;
			}
			size_t m = 0;
			while (j + m < len && body[j + m] == '`')
				m++;
			if (m == k) {
				close = j + m;
				break;
			}
			j += m;
		}
		if (close) {
			memset(code + i, 1, close - i);
			i = close;
		} else {
			i += k;
		}
	}
}

/* The tag at the start of the line p[0..n), or -1; *text receives where
 * the tag's text starts. */
static int tag_at(const char *p, size_t n, const char *code, size_t *text)
{
	size_t i;
	if (indent_of(p, n, &i) > 3)
		return -1;
	if (i + 1 < n && (p[i] == '-' || p[i] == '*') && (p[i + 1] == ' ' || p[i + 1] == '\t'))
		for (i += 2; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
			;
	if (i >= n || p[i] != '#' || code[i])
		return -1;
	for (size_t t = 0; t < sizeof tag_words / sizeof tag_words[0]; t++) {
		size_t w = strlen(tag_words[t].word);
		if (i + 1 + w > n || strncasecmp(p + i + 1, tag_words[t].word, w) != 0)
			continue;
		size_t e = i + 1 + w;
		if (e < n && p[e] != ' ' && p[e] != '\t' && p[e] != ':' && p[e] != '\r')
			continue;
		if (e < n && p[e] == ':')
			e++;
		*text = e;
		return (int)tag_words[t].kind;
	}
	return -1;
}

size_t tags_parse(const char *body, struct wt_tags *out)
{
	memset(out, 0, sizeof *out);
	size_t len = strlen(body);
	char *code = xcalloc(len + 1, 1);
	mark_code(body, len, code);
	int line = 0;
	size_t p = 0;
	while (p <= len) {
		size_t n = line_len(body + p), t;
		line++;
		int kind = code[p] == 2 ? -1 : tag_at(body + p, n, code + p, &t);
		if (kind >= 0) {
			struct strbuf sb = STRBUF_INIT;
			size_t s = t;
			while (s < n && (body[p + s] == ' ' || body[p + s] == '\t'))
				s++;
			sb_addn(&sb, body + p + s, n - s);
			sb_rtrim(&sb);
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			out->v[out->n++] = (struct wt_tag){ (enum tag_kind)kind, sb_detach(&sb), line };
		}
		p += n + 1;
	}
	free(code);
	return out->n;
}

void tags_free(struct wt_tags *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	memset(t, 0, sizeof *t);
}
