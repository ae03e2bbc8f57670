/* when_lex: the small lexer under the date parser (handlers/when.c) and
 * the duration reader. Every read is bounded by the length measured once;
 * numbers are capped while read; non-ASCII bytes only form unknown words. */
#include "handlers/when_lex.h"

#include <string.h>

#include "handlers/when.h"

#define DUR_MAX (3650L * 86400L)

const struct word when_months[] = {
	{ "januari", 1 }, { "january", 1 }, { "jan", 1 }, { "februari", 2 },
	{ "february", 2 }, { "feb", 2 }, { "maart", 3 }, { "march", 3 },
	{ "mrt", 3 }, { "mar", 3 }, { "april", 4 }, { "apr", 4 }, { "mei", 5 },
	{ "may", 5 }, { "juni", 6 }, { "june", 6 }, { "jun", 6 }, { "juli", 7 },
	{ "july", 7 }, { "jul", 7 }, { "augustus", 8 }, { "august", 8 },
	{ "aug", 8 }, { "september", 9 }, { "sep", 9 }, { "sept", 9 },
	{ "oktober", 10 }, { "october", 10 }, { "okt", 10 }, { "oct", 10 },
	{ "november", 11 }, { "nov", 11 }, { "december", 12 }, { "dec", 12 },
	{ NULL, 0 }
};

const struct word when_wdays[] = {
	{ "zondag", 0 }, { "sunday", 0 }, { "zo", 0 }, { "sun", 0 },
	{ "maandag", 1 }, { "monday", 1 }, { "ma", 1 }, { "mon", 1 },
	{ "dinsdag", 2 }, { "tuesday", 2 }, { "di", 2 }, { "tue", 2 }, { "tues", 2 },
	{ "woensdag", 3 }, { "wednesday", 3 }, { "wo", 3 }, { "wed", 3 },
	{ "donderdag", 4 }, { "thursday", 4 }, { "do", 4 }, { "thu", 4 },
	{ "thur", 4 }, { "thurs", 4 }, { "vrijdag", 5 }, { "friday", 5 },
	{ "vr", 5 }, { "fri", 5 }, { "zaterdag", 6 }, { "saturday", 6 },
	{ "za", 6 }, { "sat", 6 }, { NULL, 0 }
};

/* Days relative to today; the day after tomorrow is parsed in when.c. */
const struct word when_reldays[] = {
	{ "vandaag", 0 }, { "today", 0 }, { "morgen", 1 }, { "tomorrow", 1 },
	{ "overmorgen", 2 }, { "gisteren", -1 }, { "yesterday", -1 },
	{ "eergisteren", -2 }, { NULL, 0 }
};

/* Units of "over N ..." and of durations (see when_lex.h). */
const struct word when_units[] = {
	{ "s", UNIT_SEC }, { "sec", UNIT_SEC }, { "secs", UNIT_SEC }, { "seconde", UNIT_SEC },
	{ "seconden", UNIT_SEC }, { "second", UNIT_SEC }, { "seconds", UNIT_SEC },
	{ "m", UNIT_MIN }, { "min", UNIT_MIN }, { "mins", UNIT_MIN },
	{ "minuut", UNIT_MIN }, { "minuten", UNIT_MIN }, { "minute", UNIT_MIN },
	{ "minutes", UNIT_MIN }, { "kwartier", UNIT_QUARTER }, { "u", UNIT_HOUR }, { "uur", UNIT_HOUR },
	{ "uren", UNIT_HOUR }, { "h", UNIT_HOUR }, { "hr", UNIT_HOUR },
	{ "hrs", UNIT_HOUR }, { "hour", UNIT_HOUR }, { "hours", UNIT_HOUR },
	{ "d", UNIT_DAY }, { "dag", UNIT_DAY }, { "dagen", UNIT_DAY },
	{ "day", UNIT_DAY }, { "days", UNIT_DAY }, { "w", UNIT_WEEK },
	{ "wk", UNIT_WEEK }, { "week", UNIT_WEEK }, { "weken", UNIT_WEEK },
	{ "weeks", UNIT_WEEK }, { "maand", UNIT_MONTH }, { "maanden", UNIT_MONTH },
	{ "month", UNIT_MONTH }, { "months", UNIT_MONTH }, { NULL, 0 }
};

/* Numbers written as words ("over een week", "in an hour", "over twee
 * dagen", "in three weeks"). */
const struct word when_ones[] = {
	{ "een", 1 }, { "\xc3\xa9\xc3\xa9n", 1 }, { "a", 1 }, { "an", 1 },
	{ "one", 1 }, { "twee", 2 }, { "two", 2 }, { "drie", 3 }, { "three", 3 },
	{ "vier", 4 }, { "four", 4 }, { "vijf", 5 }, { "five", 5 }, { "zes", 6 },
	{ "six", 6 }, { "zeven", 7 }, { "seven", 7 }, { "acht", 8 }, { "eight", 8 },
	{ "negen", 9 }, { "nine", 9 }, { "tien", 10 }, { "ten", 10 }, { "elf", 11 },
	{ "eleven", 11 }, { "twaalf", 12 }, { "twelve", 12 }, { NULL, 0 }
};

/* Halves: "half uur", "een half uur", "anderhalf uur", "half an hour". */
static const struct word halves[] = {
	{ "half", 500 }, { "halve", 500 }, { "anderhalf", 1500 }, { "anderhalve", 1500 },
	{ NULL, 0 }
};

/* Ordinal suffixes after a day number: 12th, 1st, 12e, 1ste, 2de. */
const struct word when_ordinals[] = {
	{ "st", 1 }, { "nd", 1 }, { "rd", 1 }, { "th", 1 }, { "e", 1 },
	{ "ste", 1 }, { "de", 1 }, { NULL, 0 }
};

/* Match the word at the position against tab (whole word, ASCII case
 * folded); on a match advance past it (and an abbreviation dot followed by
 * a blank or the end) and store its value. */
int lex_word_in(struct lex *lx, const struct word *tab, int *val)
{
	size_t len = 0;
	while (lx->i + len < lx->n && is_alpha((unsigned char)lx->s[lx->i + len]))
		len++;
	if (len == 0 || len > 16)
		return 0;
	for (const struct word *w = tab; w->w; w++) {
		if (strlen(w->w) != len)
			continue;
		size_t k = 0;
		for (; k < len; k++) {
			unsigned char c = (unsigned char)lx->s[lx->i + k];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (c != (unsigned char)w->w[k])
				break;
		}
		if (k < len)
			continue;
		lx->i += len;
		if (peek(lx, 0) == '.' && (peek(lx, 1) < 0 || peek(lx, 1) == ' '))
			lx->i++;
		if (val)
			*val = w->v;
		return 1;
	}
	return 0;
}

/* Match one literal word (case-insensitive). */
int lex_word_is(struct lex *lx, const char *w)
{
	const struct word tab[2] = { { w, 1 }, { NULL, 0 } };
	return lex_word_in(lx, tab, NULL);
}

/* Read a decimal number, capped at NUM_CAP; *ndig gets its digit count. */
int lex_number(struct lex *lx, long *val, int *ndig)
{
	long v = 0;
	int nd = 0;
	while (lx->i < lx->n && is_digit((unsigned char)lx->s[lx->i])) {
		if (v < NUM_CAP)
			v = v * 10 + (lx->s[lx->i] - '0');
		nd++;
		lx->i++;
	}
	*val = v > NUM_CAP ? NUM_CAP : v;
	*ndig = nd;
	return nd > 0;
}

/* A count: digits with an optional ",5" / ".25" fraction (in thousandths),
 * a number written as a word (een, twee, three), or a half: "half",
 * "een half", "anderhalf", "half an". */
int lex_count(struct lex *lx, long *whole, long *milli)
{
	int nd, v;
	*milli = 0;
	if (lex_word_in(lx, halves, &v)) {  /* "anderhalf uur", "half an hour" */
		*whole = v / 1000;
		*milli = v % 1000;
		size_t at = lx->i;
		skip_ws(lx);
		if (!lex_word_is(lx, "an") && !lex_word_is(lx, "a"))
			lx->i = at;
		return 1;
	}
	if (lex_word_in(lx, when_ones, &v)) {
		size_t at = lx->i;
		int h;
		skip_ws(lx);
		if (v == 1 && lex_word_in(lx, halves, &h) && h == 500) {  /* "een half uur" */
			*whole = 0;
			*milli = 500;
			return 1;
		}
		lx->i = at;
		*whole = v;
		return 1;
	}
	if (!lex_number(lx, whole, &nd))
		return 0;
	if ((peek(lx, 0) == ',' || peek(lx, 0) == '.') && peek(lx, 1) >= 0 &&
	    is_digit((unsigned char)peek(lx, 1))) {
		lx->i++;
		long scale = 100;
		while (lx->i < lx->n && is_digit((unsigned char)lx->s[lx->i])) {
			*milli += (lx->s[lx->i] - '0') * scale;
			scale /= 10;
			lx->i++;
		}
	}
	return 1;
}

/* Durations: one or more count+unit parts in falling units ("1 uur 30 min",
 * "1h30": bare minutes right after hours), summed and capped at ten years. */
long lex_duration(struct lex *lx)
{
	size_t begin = lx->i, end = lx->i;
	long total = 0, last_unit = 0;
	int parts = 0;
	for (;;) {
		size_t save = lx->i;
		long whole, milli;
		int unit;
		skip_ws(lx);
		size_t start = lx->i;
		if (!lex_count(lx, &whole, &milli)) {
			lx->i = save;
			break;
		}
		size_t at = lx->i;
		skip_ws(lx);
		int ok = lex_word_in(lx, when_units, &unit) && unit != UNIT_MONTH &&
			 (at_boundary(lx) || (unit == UNIT_HOUR && is_digit(peek(lx, 0))));
		if (!ok) {
			/* "1h30", "1u30": bare minutes right after hours */
			lx->i = at;
			if (!(last_unit == UNIT_HOUR && start == end && milli == 0 &&
			      at_boundary(lx))) {
				lx->i = save;
				break;
			}
			unit = UNIT_MIN;
		}
		if (last_unit && unit >= last_unit) {
			lx->i = save;
			break;
		}
		if (whole > DUR_MAX / unit || total + whole * unit + milli * unit / 1000 > DUR_MAX) {
			lx->i = begin;
			return -1;
		}
		total += whole * unit + milli * unit / 1000;
		last_unit = unit;
		end = lx->i;
		parts++;
	}
	lx->i = parts ? end : begin;
	return parts ? total : -1;
}
