#include "lib/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char sb_empty_[1];

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void sb_init(struct strbuf *sb)
{
	sb->buf = sb_empty_;
	sb->len = 0;
	sb->cap = 0;
}

void sb_release(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->buf);
	sb_init(sb);
}

char *sb_detach(struct strbuf *sb)
{
	char *s = sb->cap ? sb->buf : xstrdup("");
	sb_init(sb);
	return s;
}

void sb_reset(struct strbuf *sb)
{
	sb_setlen(sb, 0);
}

/* Make room for extra more bytes and the NUL. A size that cannot be
 * represented is a caller's bug: abort rather than wrap around (a wrapped
 * size once meant a short buffer or an endless doubling loop). */
void sb_grow(struct strbuf *sb, size_t extra)
{
	if (extra > SIZE_MAX - sb->len - 1)
		abort();
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (sb->cap) {
		sb->buf = xrealloc(sb->buf, cap);
	} else {
		sb->buf = xmalloc(cap);
		sb->buf[0] = '\0';
	}
	sb->cap = cap;
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_setlen(struct strbuf *sb, size_t len)
{
	if (len >= sb->len)
		return;
	sb->len = len;
	sb->buf[len] = '\0';
}

void sb_rtrim(struct strbuf *sb)
{
	while (sb->len && strchr(" \t\r\n", sb->buf[sb->len - 1]))
		sb->len--;
	if (sb->cap)
		sb->buf[sb->len] = '\0';
}

void sb_add_md(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' || c == '\r' || c == '\t') {
			sb_addc(sb, ' ');
		} else if (c < 0x20 || c == 0x7f) {
			continue;
		} else if (c == 0xE2 && (unsigned char)s[1] == 0x80
			   && (unsigned char)s[2] >= 0xAA && (unsigned char)s[2] <= 0xAE) {
			s += 2;   /* U+202A-U+202E: bidi embedding and override */
		} else if (c == 0xE2 && (unsigned char)s[1] == 0x81
			   && (unsigned char)s[2] >= 0xA6 && (unsigned char)s[2] <= 0xA9) {
			s += 2;   /* U+2066-U+2069: bidi isolates */
		} else if (c == '@' && strncasecmp(s + 1, "room", 4) == 0) {
			/* A word joiner keeps "@room" from matching the
			 * room-mention push rule of servers that still read
			 * the body; it shows as "@room". */
			sb_add(sb, "\\@\xE2\x81\xA0");
		} else if (strchr("\\`*_{}[]()<>#+-.!|~&@:=\"'$%^", c)) {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)c);
		} else {
			sb_addc(sb, (char)c);
		}
	}
}

int sb_read_file(struct strbuf *sb, FILE *f, size_t max)
{
	char buf[8192];
	size_t n;
	size_t start = sb->len;
	while (sb->len - start <= max && (n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(sb, buf, n);
	return ferror(f) ? -1 : 0;
}
