/* roff: text for man(7) pages (werktafel --man), escaped so groff
 * renders it as written and warns about nothing. */
#ifndef WT_ROFF_H
#define WT_ROFF_H

#include "lib/strbuf.h"

/* Append text (UTF-8, one line: newlines become spaces) escaped for roff:
 * backslashes, hyphens, a leading '.' or '\'', non-ASCII as \[uXXXX];
 * Markdown `code` becomes bold (\fB..\fR), and with md also *x* and
 * **x** lose their stars. */
void roff_add(struct strbuf *sb, const char *text, int md);

#endif
