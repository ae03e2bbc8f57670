/* manpage: werktafel --man 1|5 prints werktafel(1) or werktafel.ini(5) in
 * roff, generated from the command table (handlers/help_man.c), the
 * config key tables (bot/config_doc.c) and the options below, so the
 * installed pages cannot drift from the binary. */
#ifndef WT_MANPAGE_H
#define WT_MANPAGE_H

#include "lib/strbuf.h"

/* Append page (1 or 5) to sb; returns -1 for another section. The date
 * is $SOURCE_DATE_EPOCH's day when set (reproducible builds), else
 * today's. */
int manpage_write(struct strbuf *sb, int section, const char *version);

/* The long options the page documents, NULL-terminated ("config", ...). */
extern const char *const manpage_options[];

#endif
