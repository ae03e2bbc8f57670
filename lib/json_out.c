/* json_out: JSON text written directly (see json_out.h). */
#include "lib/json_out.h"

#include <string.h>

#include "lib/utf8.h"

#define FFFD "\xEF\xBF\xBD"

/* Per byte: 0 copied as it is, 1 escaped (a control character, '"' or
 * '\\'), 2 the first byte of a multi-byte sequence (or a bad byte). */
static const unsigned char byte_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* The escape of an ASCII byte of class 1 (at most 6 bytes) into out;
 * its length. */
static size_t escape(unsigned char c, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	char e = c == '"' ? '"' : c == '\\' ? '\\' : c == '\b' ? 'b' : c == '\f' ? 'f'
		: c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 0;
	out[0] = '\\';
	if (e) {
		out[1] = e;
		return 2;
	}
	memcpy(out + 1, "u00", 3);
	out[4] = hex[c >> 4];
	out[5] = hex[c & 15];
	return 6;
}

void json_out_chars(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t left = strlen(s);
	sb_grow(sb, left + 2);
	while (left) {
		unsigned char k = byte_class[*p];
		size_t n = k == 2 ? utf8_seq_len(p, left) : 1;
		if (k == 0 || n > 1) {
			p += n;
			left -= n;
			continue;
		}
		/* The plain run before it in one copy, then its escape. */
		sb_addn(sb, (const char *)run, (size_t)(p - run));
		char esc[6];
		if (k == 1)
			sb_addn(sb, esc, escape(*p, esc));
		else
			sb_addn(sb, FFFD, 3);
		p++;
		left--;
		run = p;
	}
	sb_addn(sb, (const char *)run, (size_t)(p - run));
}

void json_out_str(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	json_out_chars(sb, s);
	sb_addc(sb, '"');
}

int json_out_ok(const char *s)
{
	return s && utf8_valid(s, strlen(s));
}

int json_out_str_strict(struct strbuf *sb, const char *s)
{
	if (!json_out_ok(s))
		return -1;
	json_out_str(sb, s);
	return 0;
}

void json_out_key(struct strbuf *sb, const char *key, int first)
{
	if (!first)
		sb_addc(sb, ',');
	sb_addc(sb, '"');
	sb_add(sb, key);
	sb_addn(sb, "\":", 2);
}
