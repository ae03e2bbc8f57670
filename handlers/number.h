/* number: measured values (a score, a percentage, a count) as people write
 * them in Dutch, read and written back like amounts (handlers/money.h).
 *
 *   8   8,2   12,5   95%   95 %   1.250   1.250,75   -3,5
 *
 * A dot groups thousands (groups of exactly three digits), a comma starts
 * the decimals (at most three). "12.5" could be 12,5 or 12.500, so it is
 * refused, as money_parse refuses it. A "%" right after the number (or as
 * the next word) is taken and ignored: the goal's unit says what it is. */
#ifndef WT_NUMBER_H
#define WT_NUMBER_H

#include <stddef.h>

#include "handlers/network.h"
#include "lib/strbuf.h"

enum number_err {
	NUMBER_OK = 0,
	NUMBER_EMPTY = -1,   /* no number at all */
	NUMBER_BAD = -2,     /* "12.5", "1,2345", "abc", "8x" */
	NUMBER_TOO_BIG = -3, /* more than NUMBER_MAX */
};

/* Largest absolute value accepted. */
#define NUMBER_MAX 1e12

/* Parse the number at the start of text (blanks before it skipped); it
 * ends at a blank, newline or the end. *consumed is the bytes used. */
int number_parse(const char *text, double *value, size_t *consumed);

/* Append value rounded to three decimals without trailing zeros: Dutch
 * "1.250,5", English "1,250.5". */
void number_format(struct strbuf *sb, double value, enum wt_lang lang);

#endif
