#include "handlers/args.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *args_skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

const char *args_word(const char *p, struct strbuf *out)
{
	sb_reset(out);
	p = args_skip_blank(p);
	if (!*p || *p == '\n' || *p == '\r')
		return NULL;
	const char *s = p;
	while (*p && !strchr(" \t\r\n", *p))
		p++;
	sb_addn(out, s, (size_t)(p - s));
	return p;
}

int args_is(const char *word, const char *nl, const char *en)
{
	return (nl && strcasecmp(word, nl) == 0) || (en && strcasecmp(word, en) == 0);
}

long long args_id(const char *word)
{
	if (*word == '#')
		word++;
	if (!isdigit((unsigned char)*word))
		return -1;
	long long v = 0;
	for (; *word; word++) {
		if (!isdigit((unsigned char)*word))
			return -1;
		v = v * 10 + (*word - '0');
		if (v > 1000000000LL)
			return -1;
	}
	return v > 0 ? v : -1;
}

const char *args_line(const char *p, struct strbuf *out)
{
	sb_reset(out);
	p = args_skip_blank(p);
	const char *e = strchr(p, '\n');
	if (!e)
		e = p + strlen(p);
	sb_addn(out, p, (size_t)(e - p));
	sb_rtrim(out);
	return *e ? e + 1 : e;
}

static int field_match(const char *line, size_t len, const char *key, const char **value)
{
	if (!key)
		return 0;
	size_t k = strlen(key);
	if (len <= k || strncasecmp(line, key, k) != 0)
		return 0;
	const char *p = line + k;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != ':')
		return 0;
	*value = p + 1;
	return 1;
}

int args_field(const char *text, const char *key_nl, const char *key_en,
	       struct strbuf *out)
{
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *line = args_skip_blank(p);
		size_t llen = len - (size_t)(line - p);
		const char *v = NULL;
		if (field_match(line, llen, key_nl, &v) || (key_en && field_match(line, llen, key_en, &v))) {
			sb_reset(out);
			const char *end = line + llen;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			sb_addn(out, v, (size_t)(end - v));
			sb_rtrim(out);
			return 1;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* A Matrix user id: @local:server, no blanks, at most 255 bytes. */
int is_user_id(const char *s)
{
	if (s[0] != '@' || !s[1])
		return 0;
	const char *colon = strchr(s, ':');
	if (!colon || colon == s + 1 || !colon[1] || strlen(s) > 255)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ')
			return 0;
	return 1;
}

/* A page number: digits only, 1 to WT_PAGE_MAX; else -1. */
#define WT_PAGE_MAX 1000000L
static long page_number(const char *w)
{
	long long v = args_id(w);
	return w[0] != '#' && v > 0 && v <= WT_PAGE_MAX ? (long)v : -1;
}

int args_take_page(const char *args, struct strbuf *rest, long *page)
{
	struct strbuf w = STRBUF_INIT, n = STRBUF_INIT;
	sb_reset(rest);
	*page = 1;
	int rc = 0, found = 0;
	const char *p = args, *eol = strchr(args, '\n');
	if (!eol)
		eol = args + strlen(args);
	for (;;) {
		const char *start = p, *after = args_word(p, &w);
		if (!after || after > eol)
			break;
		const char *next = args_word(after, &n);
		if (args_is(w.buf, "pagina", "page") && next && next <= eol
		    && isdigit((unsigned char)n.buf[0])) {
			long v = page_number(n.buf);
			if (v < 0) {
				rc = -1;
				break;
			}
			*page = v;
			found = 1;
			sb_addn(rest, args, (size_t)(start - args));
			sb_rtrim(rest);
			if (*next && *next != '\n' && rest->len)
				sb_addc(rest, ' ');
			sb_add(rest, args_skip_blank(next));
			break;
		}
		p = after;
	}
	if (!found) {
		sb_reset(rest);
		sb_add(rest, args);
	}
	sb_release(&w);
	sb_release(&n);
	return rc;
}
