#include "lib/roff.h"

#include <string.h>

/* The code point of the UTF-8 sequence at p (n bytes, valid). */
static unsigned long decode(const unsigned char *p, size_t n)
{
	if (n == 1)
		return p[0];
	unsigned long cp = p[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

static size_t seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

void roff_add(struct strbuf *sb, const char *text, int md)
{
	int code = 0;
	size_t line_start = sb->len;
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		size_t n = seq_len(*p);
		if (n > 1 && strnlen((const char *)p, n) < n)
			n = 1;
		int at_start = sb->len == line_start;
		if (n > 1) {
			unsigned long cp = decode(p, n);
			if (cp == 0x2014)
				sb_add(sb, "\\[em]");
			else if (cp == 0x2013)
				sb_add(sb, "\\[en]");
			else
				sb_addf(sb, "\\[u%04lX]", cp);
		} else if (*p == '`') {
			sb_add(sb, code ? "\\fR" : "\\fB");
			code = !code;
		} else if (*p == '*' && md && !code) {
			/* emphasis markers dropped */
		} else if (*p == '\\') {
			sb_add(sb, "\\e");
		} else if (*p == '-') {
			sb_add(sb, "\\-");
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			sb_addc(sb, ' ');
		} else if (*p < 0x20) {
			/* control characters: nothing */
		} else {
			if (at_start && (*p == '.' || *p == '\''))
				sb_add(sb, "\\&");
			sb_addc(sb, (char)*p);
		}
		p += n;
	}
	if (code)
		sb_add(sb, "\\fR");
}
