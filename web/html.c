/* html: escaping for the web board (see html.h). */
#include "web/html.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "lib/utf8.h"

void html_esc(struct strbuf *sb, const char *s)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		if (c < 0x80) {
			switch (c) {
			case '&': sb_add(sb, "&amp;"); break;
			case '<': sb_add(sb, "&lt;"); break;
			case '>': sb_add(sb, "&gt;"); break;
			case '"': sb_add(sb, "&quot;"); break;
			case '\'': sb_add(sb, "&#39;"); break;
			default:
				if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t')
					sb_addc(sb, (char)c);
			}
			p++;
			continue;
		}
		size_t n = utf8_seq_len(p, 4) /* stops at the NUL */;
		if (n == 0) {
			sb_add(sb, "\xEF\xBF\xBD");
			p++;
		} else {
			sb_addn(sb, (const char *)p, n);
			p += n;
		}
	}
}

void html_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			html_esc(sb, va_arg(ap, const char *));
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			sb_addc(sb, '%');
			p++;
		} else {
			sb_addc(sb, *p);
		}
	}
	va_end(ap);
}

void html_url_param(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p)) {
			sb_addc(sb, (char)*p);
		} else {
			sb_addc(sb, '%');
			sb_addc(sb, hex[*p >> 4]);
			sb_addc(sb, hex[*p & 15]);
		}
	}
}

const char *html_safe_href(const char *url)
{
	if (!url)
		return NULL;
	if (strncasecmp(url, "https://", 8) == 0 || strncasecmp(url, "http://", 7) == 0)
		return url;
	return NULL;
}
