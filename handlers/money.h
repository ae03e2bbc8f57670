/* money: euro amounts as people write them in Dutch, kept as whole cents,
 * and written back in the reader's language.
 *
 *   € 12.500,00   €12.500   12500   12.500   1.250,50   €12,5   500,-   12500 euro
 *
 * A dot groups thousands (groups of exactly three digits), a comma starts the
 * cents (one or two digits, or "-"/"--" for none). Negative amounts and
 * anything else are refused: "12.5" could be 12,50 or 12.500, so it is not
 * read as either. */
#ifndef WT_MONEY_H
#define WT_MONEY_H

#include <stddef.h>

#include "handlers/network.h"
#include "lib/strbuf.h"

enum money_err {
	MONEY_OK = 0,
	MONEY_EMPTY = -1,     /* no amount at all */
	MONEY_NEGATIVE = -2,  /* "-50", "€ -12,00" */
	MONEY_BAD = -3,       /* "12.5", "1,234", "12,345", "abc" */
	MONEY_TOO_BIG = -4,   /* more than a billion euro */
};

/* Largest amount accepted, in cents (one billion euro). */
#define MONEY_MAX_CENTS 100000000000LL

/* Parse the amount at the start of text (blanks before it skipped). The
 * amount ends at a blank, newline or the end; an optional "euro"/"EUR" word
 * after it is taken too. On success *cents is the amount and *consumed the
 * bytes used. */
int money_parse(const char *text, long long *cents, size_t *consumed);

/* Append cents for readers of lang: Dutch "€ 12.500,00" (negative
 * "€ -1.250,50"), English "€12,500.00" (negative "-€1,250.50"). */
void money_format(struct strbuf *sb, long long cents, enum wt_lang lang);

#endif
