/* when: the date and time phrases people type, Dutch and English, read in a
 * zone and returned as UTC; and how the bot writes dates back.
 *
 *   12-03-2027 14:00   12 maart 14:00   morgen 9:00   overmorgen
 *   over 2 dagen       volgende dinsdag 19:30          tomorrow 9am
 *   next tuesday 19:30 in 3 hours       2027-03-12T14:00 (ISO 8601)
 */
#ifndef WT_WHEN_H
#define WT_WHEN_H

#include <stddef.h>
#include <time.h>

#include "handlers/network.h"
#include "lib/strbuf.h"

enum when_err {
	WHEN_OK = 0,
	WHEN_EMPTY = -1,        /* nothing that looks like a date */
	WHEN_UNKNOWN = -2,      /* words we do not understand as a date */
	WHEN_BAD_DATE = -3,     /* 31-02-2027, 25:00 */
	WHEN_PAST = -4,         /* before now */
	WHEN_AMBIGUOUS = -5,    /* could mean two things (e.g. 03/04 in English) */
	WHEN_GAP = -6,          /* the local time does not exist (DST change) */
	WHEN_BAD_ZONE = -7,     /* tzid is not a zone we know */
	WHEN_TOO_FAR = -8,      /* "over 99999999999 dagen", the year 99999 */
	WHEN_PERIOD = -9,       /* a month or year alone: its first or last day? */
	WHEN_NOT_DAY = -10,     /* WHEN_DAY: a time of day where a day was asked */
	WHEN_BAD_DURATION = -11, /* WHEN_DURATION: no duration we can read */
};

/* What a reader asks of when_read (flags may be combined):
 *   WHEN_DAY       a whole day ("12 maart", "overmorgen", "volgende dinsdag"):
 *                  out->day is that local day; a time of day or a number of
 *                  hours in the phrase is refused (WHEN_NOT_DAY).
 *   WHEN_PAST_OK   a date before now is fine (phase dates, spendings); a date
 *                  without a year is then the one nearest to today, before or
 *                  after ("1 maart" read in December is next March).
 *   WHEN_DURATION  a length of time, not a date: "2u", "1h30", "1,5 uur",
 *                  "90 min", "30 sec", "3 dagen", "2 weken", "1 uur 30 min";
 *                  out->secs (at most ten years). */
enum when_flag {
	WHEN_DAY = 1,
	WHEN_PAST_OK = 2,
	WHEN_DURATION = 4,
};

/* The hour a working day ends, for "eind januari" when the network sets
 * none (day_end in the config). */
#define WHEN_END_HOUR_DEFAULT 17

struct when_in {
	time_t now;
	const char *tzid;     /* the zone the phrase is read in */
	enum wt_lang lang;    /* picks the reading of ambiguous forms */
	int default_hour;     /* the time of day of a phrase without one (9) */
	unsigned flags;       /* enum when_flag */
	int end_hour;         /* of the end of a period ("eind januari"); 0: default_hour */
};

struct when_out {
	time_t at;            /* the UTC instant (a day: default_hour:00 on it) */
	long day;             /* the local day, as days since 1970-01-01 */
	long secs;            /* WHEN_DURATION: the length in seconds */
	size_t used;          /* bytes of text the phrase took */
	int period_end;       /* "eind januari": at the period's last working day */
};

/* Read the date phrase (or with WHEN_DURATION the duration) at the start of
 * text. Both languages are accepted whatever in->lang is. On success fills
 * *out and returns WHEN_OK; the caller reads on at text + out->used
 * ("12-03-2027 19:30 duur 2u titel ..."). Otherwise returns an enum when_err
 * and out->used is 0. Dates before now are refused unless WHEN_PAST_OK.
 *
 * Readings: a phrase without a year or a day ("12 maart", "dinsdag 19:30",
 * "14:00", "14u") is the next time it occurs from now (today included when
 * the time is still to come); "volgende dinsdag" / "next tuesday" is the
 * first Tuesday after today, "volgende week dinsdag" the Tuesday of next
 * week. "over 2 dagen" / "in 2 weeks" / "over 1 maand" keep the local
 * wall-clock time of now (23 or 25 hours per day across a DST change; a
 * time that lands in the spring gap moves an hour on); "over 3 uur" / "in
 * 90 minutes" / "over 30 sec" are exact elapsed time. Dash and dot dates
 * are day-month-year; slash dates too in Dutch, in English a slash date
 * valid both ways round is WHEN_AMBIGUOUS. An autumn time that happens
 * twice is its first (summer-time) instant; ISO 8601 with Z or an offset
 * is taken as given.
 *
 * Parts of the day: "vanochtend", "vanmiddag", "vanavond", "vannacht",
 * "morgenochtend", "morgen 's avonds", "vrijdagmiddag" written apart
 * ("vrijdag middag"), "tonight", "this afternoon", "tomorrow morning" are
 * 9:00 (morning), 14:00 (afternoon), 20:00 (evening) and 23:00 (night)
 * unless a time follows ("vanavond 19:30"; "vanmiddag 3 uur" is 15:00, and
 * so is "om 3 uur 's middags"). Relative times come in parts: "over 1 dag
 * en 2 uur", "over anderhalf uur", "over een half uur", "in half an
 * hour", "over twee weken".
 *
 * Periods as due dates are written (handlers/when_period.c): "eind
 * januari", "begin maart", "medio mei", "eind van de maand", "eind deze
 * week" (its Friday), "begin volgende week", "eind 2027", "end of next
 * month"; "volgende week" / "next week" is the Monday of next week. A
 * month or a year alone ("maart", "2027", "volgende maand") is
 * WHEN_PERIOD: the writer says which day. The end of a month or a year is
 * its last working day (Monday to Friday) at in->end_hour, and
 * out->period_end says so, for the reply to tell. */
int when_read(const char *text, const struct when_in *in, struct when_out *out);

/* A span of days that a report or a filter covers: a year ("2027"), a
 * month ("2027-03", "maart 2027"), a quarter ("Q1 2027", "2027-Q1",
 * "2027Q1", "K1", "1e kwartaal 2027", "first quarter") or a half-year
 * ("H1 2027", "2027-H2", "2e halfjaar"). */
enum when_span_kind {
	WHEN_SPAN_YEAR = 1,
	WHEN_SPAN_MONTH = 2,
	WHEN_SPAN_QUARTER = 4,
	WHEN_SPAN_HALF = 8,
};

struct when_span {
	int kind;             /* one enum when_span_kind */
	int year, n;          /* n: the month, quarter or half (1-12, 1-4, 1-2) */
	long first, last;     /* its first and last day, as days since 1970-01-01 */
	size_t used;          /* bytes of text it took */
};

/* Read a span of one of the kinds (a mask of enum when_span_kind) at the
 * start of text; a quarter, half or month written without a year is in
 * this_year. WHEN_OK, WHEN_UNKNOWN when it is none of those kinds, or
 * WHEN_BAD_DATE when it looks like one but is not ("Q5", "2027-13"). */
int when_read_span(const char *text, int this_year, unsigned kinds, struct when_span *out);

/* A time of day alone at the start of text ("9:00", "om 19:30", "14u",
 * "8.30 uur", "9am"), as the date phrases read it (for the time after a
 * recurrence: "elke maandag 9:00"). 1 with *hour, *min and *used set, 0 when
 * there is none, or WHEN_BAD_DATE ("25:00"). */
int when_read_time(const char *text, int *hour, int *min, size_t *used);

/* Write t in tzid for readers of lang, e.g. "di 12 mrt 2027 19:30" /
 * "Tue 12 Mar 2027 19:30". */
void when_format(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang);
/* Only the date: "di 12 mrt 2027" / "Tue 12 Mar 2027". */
void when_format_date(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang);

/* Only the date, written out: "vrijdag 15 januari 2027" / "Friday 15
 * January 2027", with " 14:00" when the time of day is not default_hour:00
 * (a due date given with a time). */
void when_format_day_long(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang,
			  int default_hour);

/* The working day (Monday to Friday) on or before day (days since
 * 1970-01-01, a Thursday): a Saturday or Sunday becomes the Friday before. */
static inline long long when_workday_back(long long day)
{
	while ((day + 4) % 7 == 0 || (day + 4) % 7 == 6)
		day--;
	return day;
}

/* 1 when t is end_hour:00 on the last working day of its month in tzid, as
 * a deadline written as "eind januari" is; *month gets the month (1-12). */
int when_is_period_end(time_t t, const char *tzid, int end_hour, int *month);

/* A moment written out, for inside a sentence: "woensdag 2 december om
 * 09:00" / "Wednesday 2 December at 09:00", with the year when t is in
 * another year than now ("dinsdag 12 januari 2027 om 09:00"; now 0: always
 * the year). when_format_long_day: the same without the time. */
void when_format_long(struct strbuf *sb, time_t t, time_t now, const char *tzid,
		      enum wt_lang lang);
void when_format_long_day(struct strbuf *sb, time_t t, time_t now, const char *tzid,
			  enum wt_lang lang);

/* 1 when text starts like a date phrase (a number, a month or weekday
 * written out, "morgen", "eind ...", "volgende ..."), so that a word like
 * "voor" before it announces a date that must then be read, not text. */
int when_starts_date(const char *text);

/* The catalogue text explaining how to write a date, for an error code of
 * when_read called with flags (a day, a duration, or a date and time). */
const char *when_error_text(enum wt_lang lang, int err, unsigned flags);

#endif
