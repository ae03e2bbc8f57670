/* recur: recurrence phrases people type ("elke maandag 9:00", "every
 * weekday 8:30", "elke 2 maanden", "elke tweede dinsdag", "every second
 * tuesday") as iCalendar RRULEs, evaluated by libical in a time zone: the
 * rule runs on local wall-clock time, so 19:30 stays 19:30 across DST. */
#ifndef WT_RECUR_H
#define WT_RECUR_H

#include <stddef.h>
#include <time.h>

#include "handlers/network.h"
#include "lib/strbuf.h"

enum recur_err {
	RECUR_OK = 0,
	RECUR_NONE = -1,       /* the text does not start with elke/every */
	RECUR_BAD = -2,        /* elke/every followed by words we do not know */
	RECUR_NEVER = -3,      /* the rule has no occurrence (in ten years) */
	RECUR_BAD_ZONE = -4,   /* unknown time zone */
	RECUR_BAD_ON = -5,     /* "op de ..." that is no day of the period */
	RECUR_BAD_END = -6,    /* "tot ..." / "N keer" that is no end we can read */
};

struct recur {
	char *rrule;   /* "FREQ=WEEKLY;BYDAY=MO" (no DTSTART, no time of day) */
	int hour, min; /* time of day written in the phrase, or -1 */
};

/* What reading an end date needs ("tot 1 juli"): the zone and now. */
struct recur_in {
	const char *tz;
	time_t now;
	enum wt_lang lang;
};

/* Parse the recurrence phrase at the start of text: "elke|every|iedere|om
 * de" followed by a period ("maandag", "2 weken", "tweede dinsdag van de
 * maand", "werkdag", "andere week"), then optionally which day of it ("op
 * de 12e", "on the 12th", "op de tweede dinsdag", "op de laatste dag", "op
 * dinsdag"), a time of day ("9:00", "om 19:30", "at 8:30") and an end
 * ("tot 1 juli", "tot en met 1 juli", "until 1 July": UNTIL at the end of
 * that day in in->tz; "10 keer", "10 times": COUNT); a time may also
 * follow a count ("10 keer 9:00"), not an end date (it would read as part
 * of the date, and is refused). A raw "FREQ=..." rule is accepted too. Words after the
 * phrase that start none of these parts ("op de zaak", "tot ziens") are
 * left as text; a part that starts but is not right is refused whole
 * (RECUR_BAD_ON, RECUR_BAD_END). On success fills out (free with
 * recur_free) and *consumed. recur_parse: without a zone, so an end date
 * is refused. */
int recur_parse_in(const char *text, const struct recur_in *in, struct recur *out,
		   size_t *consumed);
int recur_parse(const char *text, struct recur *out, size_t *consumed);
void recur_free(struct recur *r);

/* A monthly or yearly rule with no day of its own keeps the weekday of its
 * anchor dtstart (in tz): "FREQ=MONTHLY;INTERVAL=2" from the second
 * Tuesday becomes "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", from a fifth
 * Friday "...;BYDAY=-1FR" (the last one); a yearly rule gets its month
 * too (BYMONTH=1;BYDAY=2TU). Any other rule is returned as it is. The
 * caller frees the result. */
char *recur_keep_weekday(const char *rrule, const char *tz, time_t dtstart);

/* The first occurrence after now of a phrase with no anchor of its own:
 * the anchor is today's date in tz at the phrase's time (or default_hour:00),
 * and r->rrule keeps that day's weekday (recur_keep_weekday).
 * Fills *dtstart (the anchor) and *first. RECUR_NEVER when none follows. */
int recur_first(struct recur *r, const char *tz, time_t now,
		int default_hour, time_t *dtstart, time_t *first);

/* The first occurrence strictly after `after` of rrule anchored at dtstart
 * (UTC), evaluated in tz. A local time that falls in a DST gap moves one
 * hour later. Returns RECUR_OK, RECUR_NEVER or RECUR_BAD_ZONE/RECUR_BAD. */
int recur_next(const char *rrule, const char *tz, time_t dtstart, time_t after,
	       time_t *out);

/* The rule in words for readers of lang, whole words only ("elke 2
 * maanden op de tweede dinsdag", "every second Tuesday of the month",
 * "elke maand op de 12e", "om de 2 weken op dinsdag"), with its end ("tot
 * en met woensdag 1 juli 2027" as a day in tz, "10 keer").
 * recur_describe: the end day as in UTC. */
void recur_describe_in(struct strbuf *sb, const char *rrule, const char *tz, enum wt_lang lang);
void recur_describe(struct strbuf *sb, const char *rrule, enum wt_lang lang);

/* Up to max occurrences of rrule anchored at dtstart, from `from` on
 * (from itself when it is dtstart and the rule holds it, else strictly
 * after), into out. Returns how many there are. */
int recur_next_dates(const char *rrule, const char *tz, time_t dtstart, time_t from,
		     time_t *out, int max);

/* The catalogue text for an error code. */
const char *recur_error_text(enum wt_lang lang, int err);

/* Entries of a libical BY* array (it ends at ICAL_RECURRENCE_ARRAY_MAX);
 * shared by handlers/recur.c and recur_describe.c. */
int recur_by_count(const short *v, int size);

#endif
