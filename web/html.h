/* html: the one place where text goes into HTML. Every string from the
 * database or the request is written through html_esc or html_attr;
 * nothing else writes markup with data in it. */
#ifndef WT_WEB_HTML_H
#define WT_WEB_HTML_H

#include "lib/strbuf.h"

/* Append s with & < > " ' escaped (text and attribute values alike);
 * control characters but tab and newline are dropped, and invalid UTF-8
 * bytes become U+FFFD. NULL appends nothing. */
void html_esc(struct strbuf *sb, const char *s);
/* Append a printf format whose %s arguments are escaped: every argument
 * must be a string (const char *); "%%" is a percent sign. Only %s is
 * taken: the format is the page's own markup. */
void html_addf(struct strbuf *sb, const char *fmt, ...);
/* Append s %-encoded for a URL's query value. */
void html_url_param(struct strbuf *sb, const char *s);
/* An http(s) URL safe for href (its scheme checked), else NULL. */
const char *html_safe_href(const char *url);

#endif
