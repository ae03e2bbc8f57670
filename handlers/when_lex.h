/* when_lex: the lexer shared by the date parser (handlers/when.c) and the
 * duration reader (lex_duration), and what the parts of the grammar share.
 * Internal to handlers/when*.c.
 *
 * A lex walks s[0..n) with position i; nothing ever reads at or past n. */
#ifndef WT_WHEN_LEX_H
#define WT_WHEN_LEX_H

#include <stddef.h>

#define NUM_CAP 1000000000L  /* numbers are capped here while read */

struct lex {
	const char *s;
	size_t n, i;
};

/* A word and its value in a NULL-terminated table. */
struct word {
	const char *w;
	int v;
};

/* Units of "over N ..." / "in N ..." and of durations, in seconds; days,
 * weeks and months are calendar units for "over N" (UNIT_MONTH only there). */
enum { UNIT_SEC = 1, UNIT_MONTH = 2, UNIT_MIN = 60, UNIT_QUARTER = 900, UNIT_HOUR = 3600, UNIT_DAY = 86400,
       UNIT_WEEK = 604800 };

extern const struct word when_months[];    /* januari/january/jan ... = 1-12 */
extern const struct word when_wdays[];     /* zondag/sunday/zo/sun ... = 0-6 */
extern const struct word when_reldays[];   /* vandaag/today = 0, morgen = 1 ... */
extern const struct word when_units[];     /* uur/u/h/hours = UNIT_HOUR ... */
extern const struct word when_ones[];      /* een/a/one = 1 ... twaalf/twelve = 12 */
extern const struct word when_ordinals[];  /* st nd rd th e ste de */

static inline int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Letters of a word: ASCII letters, and any non-ASCII byte (so "één" is
 * one word and invalid UTF-8 just makes an unknown word). */
static inline int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The byte k ahead of the position (as unsigned), or -1 past the end. */
static inline int peek(const struct lex *lx, size_t k)
{
	return lx->i + k < lx->n ? (unsigned char)lx->s[lx->i + k] : -1;
}

/* Skip blanks (spaces and tabs; a newline ends a phrase). */
static inline void skip_ws(struct lex *lx)
{
	while (lx->i < lx->n && (lx->s[lx->i] == ' ' || lx->s[lx->i] == '\t'))
		lx->i++;
}

/* 1 when the position ends a token: the end, a blank or punctuation. */
static inline int at_boundary(const struct lex *lx)
{
	int c = peek(lx, 0);
	return c < 0 || !(is_digit(c) || is_alpha(c));
}

/* Match the whole word at the position against a table (ASCII case folded);
 * on a match advance past it and an abbreviation dot, store its value. */
int lex_word_in(struct lex *lx, const struct word *tab, int *val);
/* Match one literal lower-case word. */
int lex_word_is(struct lex *lx, const char *w);
/* Read decimal digits (value capped at NUM_CAP); 0 when there are none. */
int lex_number(struct lex *lx, long *val, int *ndig);
/* A count: digits with an optional ",5" / ".25" fraction (*milli, in
 * thousandths), a number word (een ... twaalf, one ... twelve), or a half
 * ("half", "een half", "anderhalf", "half an"). 0 when there is none. */
int lex_count(struct lex *lx, long *whole, long *milli);


/* A duration at the position: one or more count+unit parts in falling
 * units ("1 uur 30 min", "1h30": bare minutes right after hours, "30 sec"),
 * summed. Seconds, at most ten years; -1 (position unchanged) when there is
 * none or it is longer. */
long lex_duration(struct lex *lx);

/* What a phrase says, before it is placed in time (handlers/when.c reads
 * it, handlers/when_period.c reads the periods: "eind januari", "volgende
 * week"). */
struct phrase {
	int y, m, d;            /* a calendar date; y = 0: no year given */
	int have_date;
	int month_end;          /* d is the month's last day (set when placed) */
	int wday, wday_next;    /* weekday (-1 none); 1 = never today */
	int next_week;          /* "volgende week dinsdag" */
	int this_week;          /* "eind deze week": that weekday of this week */
	int rel_month;          /* "eind deze maand" 1, "... volgende maand" 2 */
	int rel_year;           /* "eind dit jaar" 1, "... volgend jaar" 2 */
	int have_rel;           /* days/months from today */
	int rel_keep;           /* "over N dagen": keep the time of now */
	long rel_days, rel_months;
	int have_time, hh, mi, ss;
	int part_hour;          /* "vanavond", "morgenochtend": the part's hour, or -1 */
	long long rel_secs;     /* "over 1 dag en 2 uur": exact seconds on top */
	int end_of_period;      /* "eind januari": the period's last working day */
	int have_instant;       /* an exact UTC instant (offset or hours) */
	long long instant;
};

/* A period phrase at the position (handlers/when_period.c): the begin,
 * middle or end of a week, month or year ("eind januari", "begin volgende
 * week", "end of 2027"), or "volgende week" (its Monday). 1 matched
 * (p filled), 0 not, WHEN_PERIOD for a month or a year alone ("maart",
 * "2027", "volgende maand": its first or its last day?), or an error. */
int when_parse_period(struct lex *lx, struct phrase *p);

/* The parts of the day (handlers/when_parts.c): the hour each stands for. */
enum { PART_MORNING = 9, PART_AFTERNOON = 14, PART_EVENING = 20, PART_NIGHT = 23 };
/* A part of the day after a day ("morgen ochtend", "morgen 's avonds",
 * "tomorrow morning", "vrijdag middag"): sets p->part_hour; 0 (position
 * kept) when there is none. */
int when_opt_part(struct lex *lx, struct phrase *p);
/* A day and its part in one word or two ("vanavond", "morgenochtend",
 * "tonight", "this afternoon"). 1 matched, 0 not. */
int when_parse_partday(struct lex *lx, struct phrase *p);
/* "'s middags" after an hour *h (made 14 from 2): 1 read, 0 none (position
 * kept), WHEN_BAD_DATE for an hour that cannot be ("14 uur 's ochtends"). */
int when_time_part(struct lex *lx, long *h);

/* Place a parsed phrase in time for in (handlers/when_place.c): fills out
 * (at, day, period_end) or returns an enum when_err. */
struct when_in;
struct when_out;
int when_place(const struct phrase *p, const struct when_in *in, struct when_out *out);

#endif
