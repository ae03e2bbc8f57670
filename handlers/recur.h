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
};

struct recur {
	char *rrule;   /* "FREQ=WEEKLY;BYDAY=MO" (no DTSTART, no time of day) */
	int hour, min; /* time of day written in the phrase, or -1 */
};

/* Parse the recurrence phrase at the start of text: "elke|every|iedere"
 * followed by a period, then optionally a time of day ("9:00", "om 19:30",
 * "at 8:30"). A raw "FREQ=..." rule is accepted too. On success fills out
 * (free with recur_free) and *consumed. */
int recur_parse(const char *text, struct recur *out, size_t *consumed);
void recur_free(struct recur *r);

/* The first occurrence after now of a phrase with no anchor of its own:
 * the anchor is today's date in tz at the phrase's time (or default_hour:00).
 * Fills *dtstart (the anchor) and *first. RECUR_NEVER when none follows. */
int recur_first(const struct recur *r, const char *tz, time_t now,
		int default_hour, time_t *dtstart, time_t *first);

/* The first occurrence strictly after `after` of rrule anchored at dtstart
 * (UTC), evaluated in tz. A local time that falls in a DST gap moves one
 * hour later. Returns RECUR_OK, RECUR_NEVER or RECUR_BAD_ZONE/RECUR_BAD. */
int recur_next(const char *rrule, const char *tz, time_t dtstart, time_t after,
	       time_t *out);

/* The rule in words for readers of lang ("elke 2 maanden",
 * "every Mon", "elke 2e di van de maand"). */
void recur_describe(struct strbuf *sb, const char *rrule, enum wt_lang lang);

/* The catalogue text for an error code. */
const char *recur_error_text(enum wt_lang lang, int err);

#endif
