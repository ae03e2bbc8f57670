/* The date phrase parser, durations and date formatting, with a fixed "now"
 * of Wednesday 2027-03-10 10:00 UTC (11:00 in Amsterdam, winter time).
 * Expected instants are written as UTC text and converted with timegm, so
 * they do not depend on the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "handlers/when.h"
#include "lib/tz.h"

#define AMS "Europe/Amsterdam"
#define LON "Europe/London"
#define NOW "2027-03-10 10:00:00"
#define FULL ((long)-1)

/* "YYYY-MM-DD HH:MM:SS" (UTC) as time_t. */
static time_t utc(const char *s)
{
	struct tm tm = { 0 };
	if (!strptime(s, "%Y-%m-%d %H:%M:%S", &tm))
		fail_msg("bad time in test table: %s", s);
	return timegm(&tm);
}

/* when_read as the date tests call it: a date phrase read at now in tz. */
static int parse(const char *text, time_t now, const char *tz, enum wt_lang lang, int hour,
		 time_t *out, size_t *used)
{
	struct when_in in = { now, tz, lang, hour, 0, 17 };
	struct when_out o;
	int rc = when_read(text, &in, &o);
	if (out && rc == WHEN_OK)
		*out = o.at;
	if (used)
		*used = o.used;
	return rc;
}

/* when_read of a duration: its seconds, or -1. */
static long duration(const char *text, size_t *used)
{
	struct when_in in = { 0, "UTC", LANG_NL, 9, WHEN_DURATION, 0 };
	struct when_out o;
	int rc = when_read(text, &in, &o);
	if (used)
		*used = o.used;
	return rc == WHEN_OK ? o.secs : -1;
}

struct wcase {
	const char *text;
	enum wt_lang lang;
	const char *tz;       /* NULL: Amsterdam */
	const char *now;      /* NULL: NOW */
	int rc;
	const char *want;     /* UTC instant when rc == WHEN_OK */
	long consumed;        /* FULL: the whole text */
};

/* Run one table: every row must give its code, instant and length. */
static void run_cases(const struct wcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		time_t out = 0;
		size_t used = 12345;
		time_t now = utc(c[i].now ? c[i].now : NOW);
		int rc = parse(c[i].text, now, c[i].tz ? c[i].tz : AMS, c[i].lang,
				    9, &out, &used);
		if (rc != c[i].rc)
			fail_msg("\"%s\": rc %d, want %d", c[i].text, rc, c[i].rc);
		if (rc != WHEN_OK)
			continue;
		time_t want = utc(c[i].want);
		if (out != want) {
			struct tm tm;
			char got[32];
			gmtime_r(&out, &tm);
			strftime(got, sizeof got, "%Y-%m-%d %H:%M:%S", &tm);
			fail_msg("\"%s\": got %s UTC, want %s UTC", c[i].text, got, c[i].want);
		}
		size_t wlen = c[i].consumed == FULL ? strlen(c[i].text) : (size_t)c[i].consumed;
		if (used != wlen)
			fail_msg("\"%s\": consumed %zu, want %zu", c[i].text, used, wlen);
	}
}

#define RUN(table) run_cases(table, sizeof(table) / sizeof(table[0]))

static const struct wcase dutch[] = {
	{ "12-03-2027 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12-3-2027", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 08:00:00", FULL },
	{ "12-03-27 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12.03.2027 14.00 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12 maart 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12 Maart 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12 MRT. 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12 maart om 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12 maart 2027 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 18:30:00", FULL },
	{ "  12 maart 2027 19:30 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 18:30:00", FULL },
	{ "1 mei 10:00", LANG_NL, 0, 0, WHEN_OK, "2027-05-01 08:00:00", FULL },
	{ "3 okt", LANG_NL, 0, 0, WHEN_OK, "2027-10-03 07:00:00", FULL },
	{ "1 januari", LANG_NL, 0, 0, WHEN_OK, "2028-01-01 08:00:00", FULL },
	{ "29 februari", LANG_NL, 0, 0, WHEN_OK, "2028-02-29 08:00:00", FULL },
	{ "10 maart 10:30", LANG_NL, 0, 0, WHEN_OK, "2028-03-10 09:30:00", FULL },
	{ "10 maart 12:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 11:00:00", FULL },
	{ "morgen 9:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "Morgen om 9 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "morgen om 9", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "overmorgen", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 08:00:00", FULL },
	{ "vandaag 15:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 14:00:00", FULL },
	{ "over 2 dagen", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 10:00:00", FULL },
	{ "over 2 dagen 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "over 3 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 13:00:00", FULL },
	{ "over 90 minuten", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 11:30:00", FULL },
	{ "over 1,5 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 11:30:00", FULL },
	{ "over een kwartier", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 10:15:00", FULL },
	{ "morgen, 9:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "over 2 weken", LANG_NL, 0, 0, WHEN_OK, "2027-03-24 10:00:00", FULL },
	{ "over een week", LANG_NL, 0, 0, WHEN_OK, "2027-03-17 10:00:00", FULL },
	{ "over 1 maand", LANG_NL, 0, 0, WHEN_OK, "2027-04-10 09:00:00", FULL },
	{ "volgende dinsdag 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-16 18:30:00", FULL },
	{ "dinsdag 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-16 18:30:00", FULL },
	{ "op dinsdag om 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-16 18:30:00", FULL },
	{ "woensdag 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 18:30:00", FULL },
	{ "woensdag 10:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-17 09:30:00", FULL },
	{ "volgende woensdag 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-17 18:30:00", FULL },
	{ "volgende week maandag", LANG_NL, 0, 0, WHEN_OK, "2027-03-15 08:00:00", FULL },
	{ "vr 14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "di 16 mrt 2027 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-16 18:30:00", FULL },
	{ "14:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 13:00:00", FULL },
	{ "10:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 09:00:00", FULL },
	{ "14:00 morgen", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 13:00:00", FULL },
	{ "03/04/2027", LANG_NL, 0, 0, WHEN_OK, "2027-04-03 07:00:00", FULL },
	/* What follows the date is left for the caller. */
	{ "12-03-2027 19:30 duur 2u titel Werktafel", LANG_NL, 0, 0, WHEN_OK,
	  "2027-03-12 18:30:00", 16 },
	{ "morgen titel Overleg", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", 6 },
	{ "12 maart, daarna", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 08:00:00", 8 },
	{ "morgen 9:00\nvolgende regel", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", 11 },
	/* Parts of the day (morning 9, afternoon 14, evening 20, night 23). */
	{ "vanavond", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 19:00:00", FULL },
	{ "vanmiddag", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 13:00:00", FULL },
	{ "vanmiddag 15:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 14:00:00", FULL },
	{ "vanmiddag 3 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 14:00:00", FULL },
	{ "vannacht", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 22:00:00", FULL },
	{ "vanochtend", LANG_NL, 0, 0, WHEN_PAST, 0, 0 },
	{ "morgenochtend", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "morgenmiddag", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 13:00:00", FULL },
	{ "morgenavond", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 19:00:00", FULL },
	{ "morgenavond 8 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 19:00:00", FULL },
	{ "morgen 's avonds", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 19:00:00", FULL },
	{ "morgen \xe2\x80\x99s avonds", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 19:00:00", FULL },
	{ "morgen ochtend 8:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 07:30:00", FULL },
	{ "morgen in de middag", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 13:00:00", FULL },
	{ "vrijdag 's middags", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "vrijdagmiddag", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "om 2 uur 's middags", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 13:00:00", FULL },
	{ "9 uur 's avonds", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 20:00:00", FULL },
	{ "morgen om 8 uur 's ochtends", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 07:00:00", FULL },
	{ "morgen 12 uur 's middags", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 11:00:00", FULL },
	{ "14 uur 's ochtends", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "morgen 14u", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 13:00:00", FULL },
	{ "morgen 14u bellen", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 13:00:00", 10 },
	{ "morgen 14u30", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 13:30:00", FULL },
	{ "morgen 9h", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "morgen 14.30 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 13:30:00", FULL },
	{ "morgen 14u3", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	/* Relative times in parts, halves, numbers as words. */
	{ "over een half uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 10:30:00", FULL },
	{ "over half uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 10:30:00", FULL },
	{ "over anderhalf uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 11:30:00", FULL },
	{ "over een kwartier", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 10:15:00", FULL },
	{ "over 1 dag en 2 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 12:00:00", FULL },
	{ "over 2 uur en 30 minuten", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 12:30:00", FULL },
	{ "over 2 uur 15 minuten", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 12:15:00", FULL },
	{ "over 1 week, 2 dagen en 3 uur", LANG_NL, 0, 0, WHEN_OK, "2027-03-19 13:00:00", FULL },
	{ "over twee dagen", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 10:00:00", FULL },
	{ "over drie weken", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 09:00:00", FULL },
	{ "over 1 dag en wat", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 10:00:00", 10 },
	{ "over 2 uur en 3 dagen", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 12:00:00", 10 },
	{ "over anderhalve dag", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "over 30 sec", LANG_NL, 0, 0, WHEN_OK, "2027-03-10 10:00:30", FULL },
	{ "over 0 minuten", LANG_NL, 0, 0, WHEN_PAST, 0, 0 },
};

static const struct wcase english[] = {
	{ "tomorrow 9am", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "Tomorrow 9 AM", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "tomorrow 9:30pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 20:30:00", FULL },
	{ "tomorrow at 12am", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 23:00:00", FULL },
	{ "tomorrow 12pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 11:00:00", FULL },
	{ "today 3pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 14:00:00", FULL },
	{ "day after tomorrow", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 08:00:00", FULL },
	{ "next tuesday 19:30", LANG_EN, 0, 0, WHEN_OK, "2027-03-16 18:30:00", FULL },
	{ "Next Tuesday at 7:30pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-16 18:30:00", FULL },
	{ "next week friday", LANG_EN, 0, 0, WHEN_OK, "2027-03-19 08:00:00", FULL },
	{ "in 3 hours", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 13:00:00", FULL },
	{ "in an hour", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 11:00:00", FULL },
	{ "in 2 days", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 10:00:00", FULL },
	{ "in 2 weeks", LANG_EN, 0, 0, WHEN_OK, "2027-03-24 10:00:00", FULL },
	{ "in 2.5 hours", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 12:30:00", FULL },
	{ "March 12 2027 2pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "March 12, 2027 at 2pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "March 12th 2pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "12 March 14:00", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "Tue 16 Mar 2027 19:30", LANG_EN, 0, 0, WHEN_OK, "2027-03-16 18:30:00", FULL },
	{ "Friday, March 12 2027", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 08:00:00", FULL },
	{ "2027-03-12", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 08:00:00", FULL },
	{ "2027-03-12T14:00", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "2027-03-12 14:00", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "2027-03-12 9:00", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 08:00:00", FULL },
	{ "2027-03-12T14:00Z", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 14:00:00", FULL },
	{ "2027-03-12T14:00:30Z", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 14:00:30", FULL },
	{ "2027-03-12T14:00+01:00", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "2027-03-12T14:00:00.250-0500", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 19:00:00", FULL },
	{ "2027-06-01T09:00", LANG_EN, 0, 0, WHEN_OK, "2027-06-01 07:00:00", FULL },
	{ "2027-03-10T10:00Z", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 10:00:00", FULL },
	{ "04/13/2027", LANG_EN, 0, 0, WHEN_OK, "2027-04-13 07:00:00", FULL },
	{ "13/04/2027", LANG_EN, 0, 0, WHEN_OK, "2027-04-13 07:00:00", FULL },
	{ "05/05/2027", LANG_EN, 0, 0, WHEN_OK, "2027-05-05 07:00:00", FULL },
	/* Both languages read both vocabularies. */
	{ "morgen 9:00", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "tomorrow 9am", LANG_NL, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "2027-03-12 14:00 for two hours", LANG_EN, 0, 0, WHEN_OK,
	  "2027-03-12 13:00:00", 16 },
	{ "tonight", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 19:00:00", FULL },
	{ "this afternoon", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 13:00:00", FULL },
	{ "this evening 7pm", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 18:00:00", FULL },
	{ "tomorrow morning", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 08:00:00", FULL },
	{ "tomorrow night", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 22:00:00", FULL },
	{ "friday afternoon", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
	{ "in half an hour", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 10:30:00", FULL },
	{ "in 1 hour and 30 minutes", LANG_EN, 0, 0, WHEN_OK, "2027-03-10 11:30:00", FULL },
	{ "in two weeks", LANG_EN, 0, 0, WHEN_OK, "2027-03-24 10:00:00", FULL },
	{ "in a day and 2 hours", LANG_EN, 0, 0, WHEN_OK, "2027-03-11 12:00:00", FULL },
};

static const struct wcase errors[] = {
	{ "", LANG_NL, 0, 0, WHEN_EMPTY, 0, 0 },
	{ "   ", LANG_EN, 0, 0, WHEN_EMPTY, 0, 0 },
	{ "blah", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "volgende", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "over", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "over 2", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "over 1,5 dag", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "in March", LANG_EN, 0, 0, WHEN_PERIOD, 0, 0 },
	{ "12", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "12maart", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "\xff\xfe morgen", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "31-02-2027", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "29-02-2027", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "12-13-2027", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "12-03-2027 25:00", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "12-03-2027 24:00", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "morgen 9:60", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "morgen 9:5", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "tomorrow 13pm", LANG_EN, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "30 februari", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "31 april", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "wo 16 mrt 2027", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "2027-02-30", LANG_EN, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "2027-03-12T14:00+25:00", LANG_EN, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "2027-03-12T1400", LANG_EN, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "12-03-0000", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "12-03-9999 14:00", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "over 99999999999999999999 dagen", LANG_NL, 0, 0, WHEN_TOO_FAR, 0, 0 },
	{ "in 100001 hours", LANG_EN, 0, 0, WHEN_TOO_FAR, 0, 0 },
	{ "99999999999999999999-03-2027", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	{ "01-03-2027", LANG_NL, 0, 0, WHEN_PAST, 0, 0 },
	{ "vandaag 9:00", LANG_NL, 0, 0, WHEN_PAST, 0, 0 },
	{ "gisteren", LANG_NL, 0, 0, WHEN_PAST, 0, 0 },
	{ "vandaag", LANG_NL, 0, 0, WHEN_PAST, 0, 0 },
	{ "2027-03-10T09:59Z", LANG_EN, 0, 0, WHEN_PAST, 0, 0 },
	{ "March 1 2027", LANG_EN, 0, 0, WHEN_PAST, 0, 0 },
	{ "03/04/2027", LANG_EN, 0, 0, WHEN_AMBIGUOUS, 0, 0 },
	{ "03/04", LANG_EN, 0, 0, WHEN_AMBIGUOUS, 0, 0 },
	{ "28-03-2027 02:30", LANG_NL, 0, 0, WHEN_GAP, 0, 0 },
	{ "28 maart 2:30", LANG_NL, 0, 0, WHEN_GAP, 0, 0 },
	{ "morgen 9:00", LANG_NL, "Mars/Olympus", 0, WHEN_BAD_ZONE, 0, 0 },
};

/* Both DST changes in Amsterdam (2027-03-28 and 2027-10-31), and what
 * "over 1 dag" does across them: it keeps the wall-clock time, so it is
 * 23 hours in spring and 25 hours in autumn; "over 24 uur" is exact. */
static const struct wcase dst[] = {
	{ "27-03-2027 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-27 18:30:00", FULL },
	{ "29-03-2027 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-03-29 17:30:00", FULL },
	{ "28-03-2027 01:59", LANG_NL, 0, 0, WHEN_OK, "2027-03-28 00:59:00", FULL },
	{ "28-03-2027 03:00", LANG_NL, 0, 0, WHEN_OK, "2027-03-28 01:00:00", FULL },
	{ "30-10-2027 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-10-30 17:30:00", FULL },
	{ "31-10-2027 19:30", LANG_NL, 0, 0, WHEN_OK, "2027-10-31 18:30:00", FULL },
	{ "31-10-2027 01:30", LANG_NL, 0, 0, WHEN_OK, "2027-10-30 23:30:00", FULL },
	{ "31-10-2027 02:30", LANG_NL, 0, 0, WHEN_OK, "2027-10-31 00:30:00", FULL },
	{ "31-10-2027 03:00", LANG_NL, 0, 0, WHEN_OK, "2027-10-31 02:00:00", FULL },
	{ "over 1 dag", LANG_NL, 0, "2027-03-27 18:30:00", WHEN_OK, "2027-03-28 17:30:00", FULL },
	{ "in 1 day", LANG_EN, 0, "2027-10-30 17:30:00", WHEN_OK, "2027-10-31 18:30:00", FULL },
	{ "over 24 uur", LANG_NL, 0, "2027-03-27 18:30:00", WHEN_OK, "2027-03-28 18:30:00", FULL },
	{ "over 1 dag", LANG_NL, 0, "2027-03-27 01:30:00", WHEN_OK, "2027-03-28 01:30:00", FULL },
	{ "morgen 19:30", LANG_NL, 0, "2027-03-27 10:00:00", WHEN_OK, "2027-03-28 17:30:00", FULL },
	{ "tomorrow 7:30pm", LANG_EN, 0, "2027-10-30 10:00:00", WHEN_OK, "2027-10-31 18:30:00", FULL },
	{ "2:30", LANG_NL, 0, "2027-03-27 12:00:00", WHEN_GAP, 0, 0 },
	{ "2027-03-14 02:30", LANG_EN, "America/New_York", 0, WHEN_GAP, 0, 0 },
	{ "2027-03-14 03:30", LANG_EN, "America/New_York", 0, WHEN_OK, "2027-03-14 07:30:00", FULL },
	/* Parts of relative phrases across both changes: the days keep the
	 * wall-clock time, the hours on top are exact. */
	{ "over 1 dag en 2 uur", LANG_NL, 0, "2027-03-27 12:00:00", WHEN_OK, "2027-03-28 13:00:00", FULL },
	{ "over 1 dag en 2 uur", LANG_NL, 0, "2027-10-30 12:00:00", WHEN_OK, "2027-10-31 15:00:00", FULL },
	{ "morgenochtend", LANG_NL, 0, "2027-03-27 12:00:00", WHEN_OK, "2027-03-28 07:00:00", FULL },
	{ "morgenochtend", LANG_NL, 0, "2027-10-30 12:00:00", WHEN_OK, "2027-10-31 08:00:00", FULL },
	{ "vanavond", LANG_NL, 0, "2027-10-31 10:00:00", WHEN_OK, "2027-10-31 19:00:00", FULL },
	{ "vanavond", LANG_NL, 0, "2027-03-28 10:00:00", WHEN_OK, "2027-03-28 18:00:00", FULL },
	{ "over anderhalf uur", LANG_NL, 0, "2027-03-28 00:30:00", WHEN_OK, "2027-03-28 02:00:00", FULL },
	{ "eind maart", LANG_NL, 0, "2027-03-27 12:00:00", WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "eind oktober", LANG_NL, 0, "2027-10-28 12:00:00", WHEN_OK, "2027-10-29 15:00:00", FULL },
	/* The last working day of October has gone by on Saturday the 30th. */
	{ "eind oktober", LANG_NL, 0, "2027-10-30 12:00:00", WHEN_PAST, 0, 0 },
};

/* London: GMT in winter, BST from 2027-03-28 01:00 UTC to 2027-10-31. */
static const struct wcase london[] = {
	{ "12-03-2027 14:00", LANG_EN, LON, 0, WHEN_OK, "2027-03-12 14:00:00", FULL },
	{ "tomorrow 9am", LANG_EN, LON, 0, WHEN_OK, "2027-03-11 09:00:00", FULL },
	{ "morgen 9:00", LANG_NL, LON, 0, WHEN_OK, "2027-03-11 09:00:00", FULL },
	{ "10:30", LANG_EN, LON, 0, WHEN_OK, "2027-03-10 10:30:00", FULL },
	{ "29 March 2027 19:30", LANG_EN, LON, 0, WHEN_OK, "2027-03-29 18:30:00", FULL },
	{ "28 March 2027 1:30am", LANG_EN, LON, 0, WHEN_GAP, 0, 0 },
	{ "28 March 2027 2:30am", LANG_EN, LON, 0, WHEN_OK, "2027-03-28 01:30:00", FULL },
	{ "31 October 2027 1:30am", LANG_EN, LON, 0, WHEN_OK, "2027-10-31 00:30:00", FULL },
	{ "2027-03-12T14:00+01:00", LANG_EN, LON, 0, WHEN_OK, "2027-03-12 13:00:00", FULL },
};

static void test_dutch(void **state) { (void)state; RUN(dutch); }
static void test_english(void **state) { (void)state; RUN(english); }
static void test_errors(void **state) { (void)state; RUN(errors); }
static void test_dst_amsterdam(void **state) { (void)state; RUN(dst); }
static void test_london(void **state) { (void)state; RUN(london); }

/* Without out/consumed pointers and with a NULL text nothing breaks. */
static void test_null_arguments(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL, utc(NOW), AMS, LANG_NL, 9, NULL, NULL), WHEN_EMPTY);
	assert_int_equal(parse("morgen", utc(NOW), AMS, LANG_NL, 9, NULL, NULL), WHEN_OK);
	assert_int_equal(parse("morgen", utc(NOW), NULL, LANG_NL, 9, NULL, NULL),
			 WHEN_BAD_ZONE);
	time_t t;
	assert_int_equal(parse("morgen", utc(NOW), AMS, LANG_NL, 14, &t, NULL), WHEN_OK);
	assert_int_equal(t, utc("2027-03-11 13:00:00"));
	assert_int_equal(duration(NULL, NULL), -1);
}

struct dcase {
	const char *text;
	long want;
	long consumed;
};

static const struct dcase durations[] = {
	{ "2u", 7200, FULL },
	{ "2 uur", 7200, FULL },
	{ "2 Uur", 7200, FULL },
	{ "1h30", 5400, FULL },
	{ "1u30", 5400, FULL },
	{ "90m", 5400, FULL },
	{ "90 min", 5400, FULL },
	{ "2 hours", 7200, FULL },
	{ "3 dagen", 3 * 86400, FULL },
	{ "1d", 86400, FULL },
	{ "2 weken", 14 * 86400, FULL },
	{ "1,5 uur", 5400, FULL },
	{ "1.5h", 5400, FULL },
	{ "1 uur 30 minuten", 5400, FULL },
	{ "1u 15m", 4500, FULL },
	{ "an hour", 3600, FULL },
	{ "1 uur 1 kwartier", 4500, FULL },
	{ "een uur", 3600, FULL },
	{ "0u", 0, FULL },
	{ " 2u titel Werktafel", 7200, 3 },
	{ "1h 30", 3600, 2 },
	{ "2u 3u", 7200, 2 },
	{ "", -1, 0 },
	{ "titel", -1, 0 },
	{ "2", -1, 0 },
	{ "2 maanden", -1, 0 },
	{ "2x", -1, 0 },
	{ "99999999999999999999 dagen", -1, 0 },
	{ "4000 dagen", -1, 0 },
};

static void test_durations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
		const struct dcase *c = &durations[i];
		size_t used = 999;
		long got = duration(c->text, &used);
		if (got != c->want)
			fail_msg("\"%s\": %ld seconds, want %ld", c->text, got, c->want);
		size_t wlen = got < 0 ? 0 :
			      c->consumed == FULL ? strlen(c->text) : (size_t)c->consumed;
		if (used != wlen)
			fail_msg("\"%s\": consumed %zu, want %zu", c->text, used, wlen);
	}
}

/* Formatting in the zone, in both languages, and it reads back. */
static void test_format(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	time_t t = utc("2027-03-16 18:30:00");
	when_format(&sb, t, AMS, LANG_NL);
	assert_string_equal(sb.buf, "di 16 mrt 2027 19:30");
	sb_reset(&sb);
	when_format(&sb, t, AMS, LANG_EN);
	assert_string_equal(sb.buf, "Tue 16 Mar 2027 19:30");
	sb_reset(&sb);
	when_format(&sb, t, LON, LANG_EN);
	assert_string_equal(sb.buf, "Tue 16 Mar 2027 18:30");
	sb_reset(&sb);
	when_format_date(&sb, t, AMS, LANG_NL);
	assert_string_equal(sb.buf, "di 16 mrt 2027");
	sb_reset(&sb);
	when_format(&sb, utc("2027-10-31 00:30:00"), AMS, LANG_NL);
	assert_string_equal(sb.buf, "zo 31 okt 2027 02:30");
	sb_reset(&sb);
	when_format_date(&sb, utc("2027-05-01 00:30:00"), AMS, LANG_EN);
	assert_string_equal(sb.buf, "Sat 1 May 2027");
	/* Every hour of 2027 written in Dutch and in English parses back. */
	for (time_t h = utc("2027-03-11 00:00:00"); h < utc("2028-03-10 00:00:00"); h += 3600) {
		for (int lang = LANG_NL; lang <= LANG_EN; lang++) {
			time_t back = 0;
			sb_reset(&sb);
			when_format(&sb, h, AMS, (enum wt_lang)lang);
			int rc = parse(sb.buf, utc(NOW), AMS, (enum wt_lang)lang, 9, &back, NULL);
			if (rc != WHEN_OK)
				fail_msg("\"%s\" does not parse back: %d", sb.buf, rc);
			/* the repeated autumn hour reads back as its first instant */
			if (back != h && back != h - 3600)
				fail_msg("\"%s\" parses back to %lld, not %lld", sb.buf,
					 (long long)back, (long long)h);
		}
	}
	sb_release(&sb);
}

/* Every error has its own text in each language that shows examples. */
static void test_error_texts(void **state)
{
	(void)state;
	const int errs[] = { WHEN_EMPTY, WHEN_UNKNOWN, WHEN_BAD_DATE, WHEN_PAST,
			     WHEN_AMBIGUOUS, WHEN_GAP, WHEN_BAD_ZONE, WHEN_PERIOD };
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		const char *nl = when_error_text(LANG_NL, errs[i], 0);
		const char *en = when_error_text(LANG_EN, errs[i], 0);
		assert_non_null(strchr(nl, '`'));
		assert_non_null(strchr(en, '`'));
		assert_string_not_equal(nl, en);
		assert_null(strchr(nl, '%'));
		assert_null(strchr(en, '%'));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(nl, when_error_text(LANG_NL, errs[j], 0));
	}
	assert_non_null(strstr(when_error_text(LANG_NL, WHEN_UNKNOWN, 0), "morgen"));
	assert_non_null(strstr(when_error_text(LANG_EN, WHEN_UNKNOWN, 0), "tomorrow"));
	assert_non_null(strstr(when_error_text(LANG_NL, WHEN_BAD_DURATION, WHEN_DURATION), "2u"));
	assert_non_null(strstr(when_error_text(LANG_EN, WHEN_BAD_DURATION, WHEN_DURATION), "2 hours"));
}

/* A small deterministic PRNG for the fuzz loop (xorshift64). */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random input, half of it built from the pieces dates are made of: no
 * crash, no read past the end (ASan), consumed within the text, and any
 * instant accepted is not in the past. */
static void test_fuzz(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"12", "-", "/", ".", ":", " ", "2027", "maart", "morgen", "over", "in",
		"volgende", "week", "di", "pm", "am", "uur", "u", "h", "T", "Z", "+",
		"01", "99999999999999999999", "dagen", "hours", "\xc3\xa9\xc3\xa9n",
		"\xff", ",", "om", "next", "tuesday", "30", "0", "1h30", "min",
	};
	const size_t npieces = sizeof pieces / sizeof pieces[0];
	uint64_t seed = 0x5eed2027ULL;
	time_t now = utc(NOW);
	char buf[96];
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0;
		if (iter % 2) {
			size_t want = rnd(&seed) % (sizeof buf);
			while (len < want)
				buf[len++] = (char)(rnd(&seed) % 255 + 1);
		} else {
			size_t k = rnd(&seed) % 8;
			while (k--) {
				const char *p = pieces[rnd(&seed) % npieces];
				size_t pl = strlen(p);
				if (len + pl >= sizeof buf)
					break;
				memcpy(buf + len, p, pl);
				len += pl;
			}
		}
		buf[len] = '\0';
		/* an exact-size heap copy, so ASan sees any read past the end */
		char *text = strdup(buf);
		size_t used = 0;
		time_t t = 0;
		int rc = parse(text, now, iter % 3 ? AMS : LON,
				    (enum wt_lang)(iter % 2), 9, &t, &used);
		assert_true(rc <= 0 && rc >= WHEN_PERIOD);
		assert_true(used <= len);
		if (rc == WHEN_OK)
			assert_true(t >= now);
		used = 0;
		long d = duration(text, &used);
		assert_true(d >= -1);
		assert_true(used <= len);
		free(text);
	}
}


/* Periods as secretaries write due dates (handlers/when_period.c), from
 * Wednesday 10 March 2027: the start, middle or end of a month, a week or
 * a year; "volgende week" is next week's Monday; a month or a year alone
 * is refused as WHEN_PERIOD (its first or its last day?). */
static const struct wcase periods[] = {
	{ "eind maart", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "Eind januari", LANG_NL, 0, 0, WHEN_OK, "2028-01-31 16:00:00", FULL },
	{ "eind februari", LANG_NL, 0, 0, WHEN_OK, "2028-02-29 16:00:00", FULL },
	{ "eind februari 2029", LANG_NL, 0, 0, WHEN_OK, "2029-02-28 16:00:00", FULL },
	{ "eind van januari 17:00", LANG_NL, 0, 0, WHEN_OK, "2028-01-31 16:00:00", FULL },
	{ "begin april", LANG_NL, 0, 0, WHEN_OK, "2027-04-01 07:00:00", FULL },
	{ "medio mei", LANG_NL, 0, 0, WHEN_OK, "2027-05-15 07:00:00", FULL },
	{ "half mei", LANG_NL, 0, 0, WHEN_OK, "2027-05-15 07:00:00", FULL },
	{ "mid-May", LANG_EN, 0, 0, WHEN_OK, "2027-05-15 07:00:00", FULL },
	{ "end of March 2027", LANG_EN, 0, 0, WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "eind van de maand", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "eind deze maand", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "eind volgende maand", LANG_NL, 0, 0, WHEN_OK, "2027-04-30 15:00:00", FULL },
	{ "begin volgende maand", LANG_NL, 0, 0, WHEN_OK, "2027-04-01 07:00:00", FULL },
	{ "end of next month", LANG_EN, 0, 0, WHEN_OK, "2027-04-30 15:00:00", FULL },
	{ "eind deze week", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 16:00:00", FULL },
	{ "eind van de week", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 16:00:00", FULL },
	{ "end of the week", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 16:00:00", FULL },
	{ "eind volgende week", LANG_NL, 0, 0, WHEN_OK, "2027-03-19 16:00:00", FULL },
	{ "begin volgende week", LANG_NL, 0, 0, WHEN_OK, "2027-03-15 08:00:00", FULL },
	{ "volgende week", LANG_NL, 0, 0, WHEN_OK, "2027-03-15 08:00:00", FULL },
	{ "komende week", LANG_NL, 0, 0, WHEN_OK, "2027-03-15 08:00:00", FULL },
	{ "next week 14:00", LANG_EN, 0, 0, WHEN_OK, "2027-03-15 13:00:00", FULL },
	{ "volgende week dinsdag", LANG_NL, 0, 0, WHEN_OK, "2027-03-16 08:00:00", FULL },
	{ "deze week", LANG_NL, 0, 0, WHEN_OK, "2027-03-12 16:00:00", FULL },
	{ "eind 2027", LANG_NL, 0, 0, WHEN_OK, "2027-12-31 16:00:00", FULL },
	{ "eind dit jaar", LANG_NL, 0, 0, WHEN_OK, "2027-12-31 16:00:00", FULL },
	{ "end of the year", LANG_EN, 0, 0, WHEN_OK, "2027-12-31 16:00:00", FULL },
	{ "begin volgend jaar", LANG_NL, 0, 0, WHEN_OK, "2028-01-01 08:00:00", FULL },
	{ "eind maart de stukken", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 15:00:00", 10 },
	{ "volgende week de stukken", LANG_NL, 0, 0, WHEN_OK, "2027-03-15 08:00:00", 13 },
	{ "March 12", LANG_EN, 0, 0, WHEN_OK, "2027-03-12 08:00:00", FULL },
	{ "eind deze week", LANG_NL, 0, "2027-03-13 10:00:00", WHEN_PAST, 0, 0 },
	{ "begin maart", LANG_NL, 0, 0, WHEN_OK, "2028-03-01 08:00:00", FULL },
	{ "maart", LANG_NL, 0, 0, WHEN_PERIOD, 0, 0 },
	{ "in maart", LANG_NL, 0, 0, WHEN_PERIOD, 0, 0 },
	{ "2027", LANG_NL, 0, 0, WHEN_PERIOD, 0, 0 },
	{ "in 2028", LANG_NL, 0, 0, WHEN_PERIOD, 0, 0 },
	{ "volgende maand", LANG_NL, 0, 0, WHEN_PERIOD, 0, 0 },
	{ "next year", LANG_EN, 0, 0, WHEN_PERIOD, 0, 0 },
	{ "medio volgende week", LANG_NL, 0, 0, WHEN_UNKNOWN, 0, 0 },
	/* Quarters and half-years: by their end (the last working day, 17:00). */
	{ "Q1 2027", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "Q2", LANG_NL, 0, 0, WHEN_OK, "2027-06-30 15:00:00", FULL },
	{ "eind Q2", LANG_NL, 0, 0, WHEN_OK, "2027-06-30 15:00:00", FULL },
	{ "1e kwartaal", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "eind van het eerste kwartaal", LANG_NL, 0, 0, WHEN_OK, "2027-03-31 15:00:00", FULL },
	{ "begin Q3 2027", LANG_NL, 0, 0, WHEN_OK, "2027-07-01 07:00:00", FULL },
	{ "H2", LANG_NL, 0, 0, WHEN_OK, "2027-12-31 16:00:00", FULL },
	{ "2027-K4", LANG_NL, 0, 0, WHEN_OK, "2027-12-31 16:00:00", FULL },
	{ "end of the second quarter", LANG_EN, 0, 0, WHEN_OK, "2027-06-30 15:00:00", FULL },
	{ "Q5 2027", LANG_NL, 0, 0, WHEN_BAD_DATE, 0, 0 },
	{ "Q4 2026", LANG_NL, 0, 0, WHEN_PAST, 0, 0 },
};

static void test_periods(void **state)
{
	(void)state;
	RUN(periods);
	/* What announces a date after "voor", and what is text. */
	assert_true(when_starts_date("eind januari"));
	assert_true(when_starts_date("eind van het project"));
	assert_true(when_starts_date("the end of the project"));
	assert_false(when_starts_date("begin gemaakt"));
	assert_true(when_starts_date("volgende week"));
	assert_true(when_starts_date("vrijdag"));
	assert_true(when_starts_date("3 locaties"));
	assert_true(when_starts_date("januari"));
	assert_false(when_starts_date("de nieuwe locatie"));
	assert_false(when_starts_date("Jan"));
	assert_false(when_starts_date("zo'n bedrag"));
	assert_false(when_starts_date(""));
}

/* Due dates written out, with the time only when it is not the default. */
static void test_format_long(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	when_format_day_long(&sb, utc("2027-01-15 08:00:00"), AMS, LANG_NL, 9);
	assert_string_equal(sb.buf, "vrijdag 15 januari 2027");
	sb_reset(&sb);
	when_format_day_long(&sb, utc("2027-01-15 08:00:00"), AMS, LANG_EN, 9);
	assert_string_equal(sb.buf, "Friday 15 January 2027");
	sb_reset(&sb);
	when_format_day_long(&sb, utc("2027-01-15 13:30:00"), AMS, LANG_NL, 9);
	assert_string_equal(sb.buf, "vrijdag 15 januari 2027 14:30");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dutch),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_dst_amsterdam),
		cmocka_unit_test(test_london),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_error_texts),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_format_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
