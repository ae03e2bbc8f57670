/* utf8: the one UTF-8 validator (see utf8.h). */
#include "lib/utf8.h"

#include <string.h>

#include "lib/strbuf.h"

#define FFFD "\xEF\xBF\xBD"

/* The lead byte's sequence length, and the range its second byte must be
 * in (this is where overlongs, surrogates and > U+10FFFF are refused). */
static size_t lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c == 0xE0)
		*lo = 0xA0;     /* below: overlong */
	else if (c == 0xED)
		*hi = 0x9F;     /* above: surrogates */
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c == 0xF0)
		*lo = 0x90;     /* below: overlong */
	else if (c == 0xF4)
		*hi = 0x8F;     /* above: beyond U+10FFFF */
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	unsigned char lo, hi;
	if (left == 0)
		return 0;
	size_t n = lead(p[0], &lo, &hi);
	if (n <= 1)
		return n;
	if (left < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if ((p[k] & 0xC0) != 0x80)
			return 0;
	return n;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		size_t len = *p ? utf8_seq_len(p, (size_t)(end - p)) : 0;
		if (!len)
			return 0;
		p += len;
	}
	return 1;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

void utf8_add_lossy(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	while (left) {
		size_t n = utf8_seq_len(p, left);
		if (n)
			sb_addn(out, (const char *)p, n);
		else
			sb_add(out, FFFD);
		n = n ? n : 1;
		p += n;
		left -= n;
	}
}
