/* when_period: the periods secretaries write as due dates, read by the one
 * date grammar (handlers/when.c calls when_parse_period first among the
 * date parts):
 *
 *   eind januari [2027]   begin maart      medio/half mei    mid-May
 *   eind van de maand     eind volgende maand                end of next month
 *   eind deze week (vrijdag)   begin volgende week (maandag)  end of the week
 *   eind 2027   eind van het jaar   begin volgend jaar        end of 2027
 *   volgende week / next week: the Monday of next week ("by next week")
 *
 * The end of a week is its Friday (the working week). A month or a year
 * alone ("maart", "in 2027", "volgende maand") is refused with WHEN_PERIOD:
 * "voor 2027" may mean before it begins or by its end, weeks or months
 * apart, so the writer says which ("eind 2027", "1 maart"). A quarter or a
 * half-year ("Q1 2027", "1e kwartaal", "eind van het tweede kwartaal",
 * "begin Q3", "H2") is named as a span of its own and, as a due date,
 * means its end unless begin or mid is written. */
#include <string.h>
#include <strings.h>

#include "handlers/when.h"
#include "handlers/when_lex.h"
#include "lib/tz.h"

enum { POS_NONE = 0, POS_FIRST = 1, POS_MID = 2, POS_LAST = 3 };

/* Where in the period: begin, middle, end. */
static const struct word pos_words[] = {
	{ "eind", POS_LAST }, { "einde", POS_LAST }, { "end", POS_LAST },
	{ "begin", POS_FIRST }, { "start", POS_FIRST }, { "beginning", POS_FIRST },
	{ "medio", POS_MID },
	{ "half", POS_MID }, { "halverwege", POS_MID }, { "mid", POS_MID },
	{ "midden", POS_MID }, { NULL, 0 }
};

/* This period (1) or the next (2). */
static const struct word which_words[] = {
	{ "deze", 1 }, { "dit", 1 }, { "this", 1 }, { "volgende", 2 }, { "volgend", 2 },
	{ "next", 2 }, { "komende", 2 }, { "komend", 2 }, { "aanstaande", 2 }, { NULL, 0 }
};

enum { UNIT_W = 1, UNIT_M = 2, UNIT_Y = 3 };
static const struct word unit_words[] = {
	{ "week", UNIT_W }, { "maand", UNIT_M }, { "month", UNIT_M }, { "jaar", UNIT_Y },
	{ "year", UNIT_Y }, { NULL, 0 }
};

/* Month names written out: a month alone counts only so ("voor Jan" is
 * more likely a person than January). */
static const struct word full_months[] = {
	{ "januari", 1 }, { "january", 1 }, { "februari", 2 }, { "february", 2 },
	{ "maart", 3 }, { "march", 3 }, { "april", 4 }, { "mei", 5 }, { "may", 5 },
	{ "juni", 6 }, { "june", 6 }, { "juli", 7 }, { "july", 7 }, { "augustus", 8 },
	{ "august", 8 }, { "september", 9 }, { "oktober", 10 }, { "october", 10 },
	{ "november", 11 }, { "december", 12 }, { NULL, 0 }
};

static int span_parse(struct lex *lx, struct when_span *s);
static void month_pos(struct phrase *p, int y, int m, int pos);

/* A quarter or a half-year as a due date ("Q1 2027", "1e kwartaal", "eind
 * Q2", "begin H2"): its last working day (p->end_of_period), or with begin
 * or mid its first or middle day. 1 matched (p filled), 0 not, or an error
 * ("Q5"). A quarter without a year is this year's (p->y 0 is filled in by
 * when.c as for "eind januari"). */
static int quarter_pos(struct lex *lx, struct phrase *p, int pos)
{
	size_t save = lx->i;
	struct when_span s = { 0 };
	skip_ws(lx);
	if (!span_parse(lx, &s) || (s.kind != WHEN_SPAN_QUARTER && s.kind != WHEN_SPAN_HALF)) {
		lx->i = save;
		return 0;
	}
	if (!at_boundary(lx))
		return WHEN_BAD_DATE;
	int per = s.kind == WHEN_SPAN_QUARTER ? 3 : 6;
	if (s.n < 1 || s.n > 12 / per)
		return WHEN_BAD_DATE;
	int m0 = (s.n - 1) * per + 1, m1 = m0 + per - 1;
	if (pos == POS_FIRST) {
		month_pos(p, s.year, m0, POS_FIRST);
	} else if (pos == POS_MID) {
		month_pos(p, s.year, m0 + per / 2, POS_FIRST);
	} else {
		month_pos(p, s.year, m1, POS_LAST);
	}
	return 1;
}

/* A year of four digits on its own (not 2027-03-12, 20:27 or 2027.5). */
static int year_at(struct lex *lx, int *y)
{
	size_t save = lx->i;
	long v;
	int nd;
	if (!lex_number(lx, &v, &nd) || nd != 4 || v < 1971 || v > 2199 || !at_boundary(lx)) {
		lx->i = save;
		return 0;
	}
	int c = peek(lx, 0);
	if ((c == '-' || c == '/' || c == ':' || c == '.') && peek(lx, 1) >= 0
	    && is_digit(peek(lx, 1))) {
		lx->i = save;
		return 0;
	}
	*y = (int)v;
	return 1;
}

/* A word of tab, then skip blanks after it; 0 (position kept) when not. */
static int word_then_ws(struct lex *lx, const struct word *tab, int *v)
{
	size_t save = lx->i;
	if (!lex_word_in(lx, tab, v) || !at_boundary(lx)) {
		lx->i = save;
		return 0;
	}
	skip_ws(lx);
	return 1;
}

/* Place a position in a month of year y (0: the next one to come). */
static void month_pos(struct phrase *p, int y, int m, int pos)
{
	p->have_date = 1;
	p->y = y;
	p->m = m;
	p->d = pos == POS_MID ? 15 : 1;
	p->month_end = pos == POS_LAST;
	p->end_of_period = pos == POS_LAST;
	if (p->month_end && y)
		p->d = tz_days_in_month(y, m);
}

/* A word of tab ending at a boundary; 0 (position kept) when not. */
static int word_at(struct lex *lx, const struct word *tab, int *v)
{
	size_t save = lx->i;
	if (!lex_word_in(lx, tab, v) || !at_boundary(lx)) {
		lx->i = save;
		return 0;
	}
	return 1;
}

/* The unit after a position: week, month, year, a month name, a year. */
static int after_pos(struct lex *lx, struct phrase *p, int pos)
{
	int which = 0, art = 0, unit = 0, m = 0, y = 0;
	size_t save = lx->i;
	if (peek(lx, 0) == '-')  /* mid-May */
		lx->i++;
	skip_ws(lx);
	if (lex_word_is(lx, "van") || lex_word_is(lx, "of"))
		skip_ws(lx);
	if (lex_word_is(lx, "de") || lex_word_is(lx, "het") || lex_word_is(lx, "the"))
		art = 1, skip_ws(lx);
	if (word_then_ws(lx, which_words, &which) == 0 && art)
		which = 1;
	if (word_at(lx, unit_words, &unit)) {
		if (!which)
			which = 1;  /* "eind week": this one */
		if (unit == UNIT_W) {
			if (pos == POS_MID)
				return WHEN_UNKNOWN;
			p->wday = pos == POS_LAST ? 5 : 1;
			p->next_week = which == 2;
			p->this_week = which == 1;
			p->end_of_period = pos == POS_LAST;
		} else if (unit == UNIT_M) {
			month_pos(p, 0, 1, pos);
			p->rel_month = which;
		} else {
			month_pos(p, 0, pos == POS_LAST ? 12 : pos == POS_MID ? 7 : 1, pos);
			p->rel_year = which;
		}
		return 1;
	}
	if (!which && word_at(lx, when_months, &m)) {
		size_t at = lx->i;
		skip_ws(lx);
		if (!year_at(lx, &y))
			lx->i = at;
		month_pos(p, y, m, pos);
		return 1;
	}
	if (!which && year_at(lx, &y)) {
		month_pos(p, y, pos == POS_LAST ? 12 : pos == POS_MID ? 7 : 1, pos);
		return 1;
	}
	lx->i = save;
	return 0;
}

int when_parse_period(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	int pos, which, unit, m, y;
	skip_ws(lx);
	size_t start = lx->i;
	if (lex_word_in(lx, pos_words, &pos) && (at_boundary(lx) || peek(lx, 0) == '-')) {
		int r = after_pos(lx, p, pos);
		if (r == 0) {
			skip_ws(lx);
			if (lex_word_is(lx, "van") || lex_word_is(lx, "of"))
				skip_ws(lx);
			if (lex_word_is(lx, "het") || lex_word_is(lx, "the"))
				skip_ws(lx);
			r = quarter_pos(lx, p, pos);
		}
		if (r != 0)
			return r;
	}
	lx->i = start;
	{
		int r = quarter_pos(lx, p, POS_LAST);  /* "Q1 2027": by its end */
		if (r != 0)
			return r;
	}
	lx->i = start;
	if (word_then_ws(lx, which_words, &which) && word_at(lx, unit_words, &unit)) {
		size_t end = lx->i;
		int wd;
		skip_ws(lx);
		if (unit == UNIT_W && word_at(lx, when_wdays, &wd)) {
			lx->i = save;  /* "volgende week dinsdag": a weekday phrase */
			return 0;
		}
		lx->i = end;
		if (unit == UNIT_W) {
			/* By next week: its Monday; this week: by its end. */
			p->wday = which == 2 ? 1 : 5;
			p->next_week = which == 2;
			p->this_week = which == 1;
			p->end_of_period = which == 1;
			return 1;
		}
		return WHEN_PERIOD;
	}
	lx->i = start;
	if (lex_word_is(lx, "in"))
		skip_ws(lx);
	else
		lx->i = start;
	size_t at = lx->i;
	if (lex_word_in(lx, full_months, &m) && at_boundary(lx)) {
		/* "maart 12" is a date (handlers/when.c); "maart" alone is not. */
		skip_ws(lx);
		long d;
		int nd;
		size_t here = lx->i;
		if (lex_number(lx, &d, &nd) && nd <= 2) {
			lx->i = save;
			return 0;
		}
		lx->i = here;
		return WHEN_PERIOD;
	}
	lx->i = at;
	if (year_at(lx, &y))
		return WHEN_PERIOD;
	lx->i = save;
	return 0;
}

int when_starts_date(const char *text)
{
	struct lex lx = { text ? text : "", text ? strlen(text) : 0, 0 };
	struct lex *l = &lx;
	int v;
	skip_ws(l);
	if (is_digit(peek(l, 0)))
		return 1;
	if (word_then_ws(l, full_months, &v) || word_then_ws(l, when_reldays, &v))
		return 1;
	size_t at = l->i;
	/* Weekdays written out (not "zo", "ma", "do": ordinary words too). */
	if (lex_word_in(l, when_wdays, &v) && l->i - at > 3)
		return 1;
	l->i = at;
	/* "voor eind ...", "by the end of ...": a deadline, whatever follows
	 * (begin, start and half are ordinary words too: they need more). */
	at = l->i;
	if (word_at(l, pos_words, &v) && v != POS_FIRST
	    && !(l->i - at == 4 && strncasecmp(l->s + at, "half", 4) == 0))
		return 1;
	l->i = at;
	if (lex_word_is(l, "the"))
		skip_ws(l);
	if (word_at(l, pos_words, &v) && v == POS_LAST)
		return 1;
	l->i = at;
	if (word_then_ws(l, pos_words, &v) || word_then_ws(l, which_words, &v)) {
		if (lex_word_is(l, "van") || lex_word_is(l, "of"))
			skip_ws(l);
		at = l->i;
		if (word_then_ws(l, unit_words, &v) || word_then_ws(l, when_months, &v)
		    || word_then_ws(l, which_words, &v) || is_digit(peek(l, 0)))
			return 1;
		l->i = at;
		return lex_word_in(l, when_wdays, &v) && l->i - at > 3;
	}
	return 0;
}

/* ---- spans: years, months, quarters, halves (when_read_span) ---- */

/* Ordinals before "kwartaal" / "halfjaar": 1e, eerste, first, 1st ... */
static const struct word span_ordinals[] = {
	{ "eerste", 1 }, { "first", 1 }, { "tweede", 2 }, { "second", 2 }, { "derde", 3 },
	{ "third", 3 }, { "vierde", 4 }, { "fourth", 4 }, { NULL, 0 }
};

static const struct word span_units[] = {
	{ "kwartaal", WHEN_SPAN_QUARTER }, { "quarter", WHEN_SPAN_QUARTER },
	{ "halfjaar", WHEN_SPAN_HALF }, { "helft", WHEN_SPAN_HALF }, { "half", WHEN_SPAN_HALF },
	{ NULL, 0 }
};

/* Fill the span's days from its kind, year and n; WHEN_BAD_DATE when n or
 * the year is out of range. */
static int span_fill(struct when_span *s)
{
	int per = s->kind == WHEN_SPAN_YEAR ? 12 : s->kind == WHEN_SPAN_MONTH ? 1
		  : s->kind == WHEN_SPAN_QUARTER ? 3 : 6;
	int count = 12 / per;
	if (s->kind == WHEN_SPAN_YEAR)
		s->n = 1;
	if (s->year < 1971 || s->year > 2199 || s->n < 1 || s->n > count)
		return WHEN_BAD_DATE;
	int m0 = (s->n - 1) * per + 1, m1 = m0 + per - 1;
	s->first = (long)tz_days_from_civil(s->year, m0, 1);
	s->last = (long)tz_days_from_civil(s->year, m1, tz_days_in_month(s->year, m1));
	return WHEN_OK;
}

/* "Q1", "K3", "H2": the letter and its number. 1 matched, 0 not. */
static int span_letter(struct lex *lx, int *kind, long *n)
{
	int c = peek(lx, 0), nd;
	if (c < 0)
		return 0;
	c |= 0x20;
	if ((c != 'q' && c != 'k' && c != 'h') || !is_digit(peek(lx, 1)))
		return 0;
	size_t save = lx->i++;
	if (!lex_number(lx, n, &nd) || nd != 1 || is_alpha(peek(lx, 0))) {
		lx->i = save;
		return 0;
	}
	*kind = c == 'h' ? WHEN_SPAN_HALF : WHEN_SPAN_QUARTER;
	return 1;
}

/* An optional year after a quarter or month: " 2027", "-2027", "/2027". */
static int span_year_after(struct lex *lx, int *y)
{
	size_t save = lx->i;
	if (peek(lx, 0) == '-' || peek(lx, 0) == '/')
		lx->i++;
	else
		skip_ws(lx);
	long v;
	int nd;
	if (lex_number(lx, &v, &nd) && nd == 4 && at_boundary(lx) && peek(lx, 0) != ':') {
		*y = (int)v;
		return 1;
	}
	lx->i = save;
	return 0;
}

/* The span at the position, unchecked: kind, year (0: none) and n. */
static int span_parse(struct lex *lx, struct when_span *s)
{
	long n, y;
	int nd, v;
	if (span_letter(lx, &s->kind, &n)) {  /* Q1 [2027] */
		s->n = (int)n;
		span_year_after(lx, &s->year);
		return 1;
	}
	size_t at = lx->i;
	int ord = 0;
	if (lex_word_in(lx, span_ordinals, &ord) ||
	    (lex_number(lx, &n, &nd) && nd == 1 && (ord = (int)n) > 0 &&
	     lex_word_in(lx, when_ordinals, NULL))) {  /* 1e kwartaal [2027] */
		skip_ws(lx);
		if (lex_word_in(lx, span_units, &s->kind) && at_boundary(lx)) {
			s->n = ord;
			span_year_after(lx, &s->year);
			return 1;
		}
		lx->i = at;
		return 0;
	}
	lx->i = at;
	if (lex_word_in(lx, when_months, &v) && at_boundary(lx)) {  /* maart [2027] */
		s->kind = WHEN_SPAN_MONTH;
		s->n = v;
		span_year_after(lx, &s->year);
		return 1;
	}
	lx->i = at;
	if (!lex_number(lx, &y, &nd) || nd != 4)
		goto nomatch;
	s->year = (int)y;
	int sep = peek(lx, 0);
	size_t after_year = lx->i;
	if (sep == '-' || sep == '/' || sep == ' ')
		lx->i++;
	if (span_letter(lx, &s->kind, &n)) {  /* 2027-Q1, 2027Q1, 2027 K1 */
		s->n = (int)n;
		return 1;
	}
	if (sep == '-' && lex_number(lx, &n, &nd) && nd == 2 && at_boundary(lx)) {  /* 2027-03 */
		s->kind = WHEN_SPAN_MONTH;
		s->n = (int)n;
		return peek(lx, 0) == '-' ? 0 : 1;
	}
	lx->i = after_year;
	if (!at_boundary(lx) || peek(lx, 0) == ':' || peek(lx, 0) == '-')
		goto nomatch;
	s->kind = WHEN_SPAN_YEAR;
	return 1;
nomatch:
	lx->i = at;
	return 0;
}

int when_read_span(const char *text, int this_year, unsigned kinds, struct when_span *out)
{
	struct lex lx = { text ? text : "", text ? strlen(text) : 0, 0 };
	struct when_span s = { 0 };
	memset(out, 0, sizeof *out);
	skip_ws(&lx);
	if (!span_parse(&lx, &s) || !(kinds & (unsigned)s.kind))
		return WHEN_UNKNOWN;
	if (!at_boundary(&lx))
		return WHEN_BAD_DATE;
	if (!s.year)
		s.year = this_year;
	int rc = span_fill(&s);
	if (rc != WHEN_OK)
		return rc;
	s.used = lx.i;
	*out = s;
	return WHEN_OK;
}
