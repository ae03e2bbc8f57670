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
};

/* Parse the date phrase at the start of text (both languages are accepted
 * whatever lang is; lang picks the reading of ambiguous forms). On success
 * *out is the UTC instant and *consumed the bytes used (the caller parses
 * the rest: "12-03-2027 19:30 duur 2u titel ..."). A phrase without a time
 * of day gets default_hour:00 (e.g. 9). Past instants are refused.
 *
 * Readings: a phrase without a year or a day ("12 maart", "dinsdag 19:30",
 * "14:00") is the next time it occurs from now (today included when the
 * time is still to come); "volgende dinsdag" / "next tuesday" is the first
 * Tuesday after today, "volgende week dinsdag" the Tuesday of next week.
 * "over 2 dagen" / "in 2 weeks" / "over 1 maand" keep the local wall-clock
 * time of now (23 or 25 hours per day across a DST change; a time that
 * lands in the spring gap moves an hour on); "over 3 uur" / "in 90
 * minutes" are exact elapsed time. Dash and dot dates are day-month-year;
 * slash dates too in Dutch, in English a slash date valid both ways round
 * is WHEN_AMBIGUOUS. An autumn time that happens twice is its first
 * (summer-time) instant; ISO 8601 with Z or an offset is taken as given.
 *
 * Periods as due dates are written (handlers/when_period.c): "eind
 * januari", "begin maart", "medio mei", "eind van de maand", "eind deze
 * week" (its Friday), "begin volgende week", "eind 2027", "end of next
 * month"; "volgende week" / "next week" is the Monday of next week. A
 * month or a year alone ("maart", "2027", "volgende maand") is
 * WHEN_PERIOD: the writer says which day. */
int when_parse(const char *text, time_t now, const char *tzid, enum wt_lang lang,
	       int default_hour, time_t *out, size_t *consumed);

/* Parse a duration: "2u", "2 uur", "1h30", "1u30", "1,5 uur", "90m",
 * "90 min", "2 hours", "3 dagen", "1d", "2 weken", "1 uur 30 min". Returns
 * seconds (at most ten years), or -1. *consumed as above. */
long when_parse_duration(const char *text, size_t *consumed);

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

/* The catalogue text explaining how to write a date, for an error code. */
const char *when_error_text(enum wt_lang lang, int err);
/* The catalogue text explaining how to write a duration. */
const char *when_duration_error_text(enum wt_lang lang);

#endif
