/* tz: UTC <-> local wall-clock time in a named IANA zone.
 *
 * The zone rules are the system tz database's (tzdata), read by the C
 * library (localtime_r); which zones exist is zone.tab's list, where
 * libical's zone directory has it. Only the UTC -> local direction is
 * asked of the C library; local -> UTC is solved here from that direction,
 * so the DST rules are ours and explicit: a local time in the
 * spring-forward gap does not exist (TZ_EGAP) and an autumn time that
 * happens twice takes the first instant (mktime would guess). */
#include "lib/tz.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/strbuf.h"

/* The range of years we convert: wide enough for any meeting, narrow
 * enough that no arithmetic below can overflow. */
#define TZ_YEAR_MIN 1971
#define TZ_YEAR_MAX 2199

/* Days since 1970-01-01 of a proleptic Gregorian date (any month/day in
 * range); the usual era-based computation, exact for all years. */
long long tz_days_from_civil(int y, int m, int d)
{
	long long yy = (long long)y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long mp = (m + 9) % 12;
	long long doy = (153 * mp + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of a day number (inverse of tz_days_from_civil). */
void tz_civil_from_days(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = mm;
	*d = dd;
}

/* 1 in a leap year of the Gregorian calendar. */
static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Number of days in month m (1-12) of year y; 0 for a bad month. */
int tz_days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return dim[m - 1] + (m == 2 && is_leap(y));
}

/* Weekday of a date, 0 = Sunday (1970-01-01 was a Thursday). */
int tz_weekday(int y, int m, int d)
{
	long long wd = (tz_days_from_civil(y, m, d) + 4) % 7;
	return (int)(wd < 0 ? wd + 7 : wd);
}

/* 1 when name is a zone of the system's zone.tab (third column), the
 * list libical's own lookup accepts; the file is scanned, not kept. */
static int in_zone_tab(const char *name)
{
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "%s/zone.tab", icaltzutil_get_zone_directory());
	FILE *f = fopen(path.buf, "r");
	sb_release(&path);
	if (!f)
		return 0;
	struct strbuf line = STRBUF_INIT;
	int found = 0, c = 0;
	while (!found && c != EOF) {
		sb_reset(&line);
		while ((c = fgetc(f)) != EOF && c != '\n')
			sb_addc(&line, (char)c);
		if (line.len == 0 || line.buf[0] == '#')
			continue;
		char *tab1 = strchr(line.buf, '\t');
		char *col = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (!col)
			continue;
		col++;
		col[strcspn(col, "\t\r\n")] = '\0';
		found = strcmp(col, name) == 0;
	}
	sb_release(&line);
	fclose(f);
	return found;
}

/* The zones found so far (their names), kept for the life of the process:
 * a cache of what the tz database holds, the same for every network and
 * caller, so process-wide is right (no setting lives here). */
static char **zones;
static size_t nzones;

/* The zone C library's local time follows now (its TZ): process-wide
 * because TZ is the process's. Set from the main thread only; the first
 * setenv adds TZ to the environment (at the configuration's first zone,
 * before any other thread runs), later ones replace its value in place. */
static const char *tz_in_force;

/* The zone named tzid when the tz database has it: in zone.tab and its
 * file readable. The conversions are glibc's (localtime_r under TZ), which
 * reads the same compiled tz file. libical's zones were used before: its
 * VTIMEZONE builder iterates recurrence rules through ICU, which mapped
 * and touched ICU and libstdc++ (some 4 MiB of the bot's RSS) for the
 * first date of the configuration. */
static const char *zone_load(const char *tzid)
{
	for (size_t i = 0; i < nzones; i++)
		if (strcmp(zones[i], tzid) == 0)
			return zones[i];
	if (!in_zone_tab(tzid))
		return NULL;
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "%s/%s", icaltzutil_get_zone_directory(), tzid);
	int ok = access(path.buf, R_OK) == 0;
	sb_release(&path);
	if (!ok)
		return NULL;
	zones = xrealloc(zones, (nzones + 1) * sizeof *zones);
	zones[nzones] = xstrdup(tzid);
	return zones[nzones++];
}

/* The zone for tzid (a name kept by this file), or NULL. Names are
 * checked for a sane shape first so nothing odd ever reaches a file
 * lookup. */
static const char *zone_get(const char *tzid)
{
	if (!tzid)
		return NULL;
	size_t n = strlen(tzid);
	if (n == 0 || n > 64 || tzid[0] == '/' || strstr(tzid, ".."))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = tzid[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' ||
		      c == '+'))
			return NULL;
	}
	if (strcmp(tzid, "UTC") == 0)
		return "UTC";
	return zone_load(tzid);
}

/* 1 when tzid names a zone of the tz database. */
int tz_valid(const char *tzid)
{
	return zone_get(tzid) != NULL;
}

/* Local fields of t in zone, with no range checks. */
static void local_of(const char *zone, time_t t, struct tz_local *out)
{
	struct tm tm;
	if (strcmp(zone, "UTC") == 0) {
		gmtime_r(&t, &tm);
	} else {
		if (tz_in_force != zone) {
			struct strbuf v = STRBUF_INIT;
			sb_addf(&v, ":%s", zone);  /* ":" a file of the tz database */
			setenv("TZ", v.buf, 1);
			sb_release(&v);
			tzset();
			tz_in_force = zone;
		}
		localtime_r(&t, &tm);
	}
	out->year = tm.tm_year + 1900;
	out->mon = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->min = tm.tm_min;
	out->sec = tm.tm_sec;
	out->wday = tz_weekday(out->year, out->mon, out->day);
}

/* The local fields as seconds on a UTC-like scale ("local seconds"). */
static long long local_seconds(const struct tz_local *l)
{
	return tz_days_from_civil(l->year, l->mon, l->day) * 86400LL +
	       l->hour * 3600LL + l->min * 60LL + l->sec;
}

/* UTC offset (seconds east) in force at instant t. */
static long long offset_at(const char *zone, long long t)
{
	struct tz_local l;
	local_of(zone, (time_t)t, &l);
	return local_seconds(&l) - t;
}

/* UTC -> local fields, within the supported years. */
int tz_from_utc(const char *tzid, time_t t, struct tz_local *out)
{
	const char *zone = zone_get(tzid);
	if (!zone)
		return TZ_EZONE;
	long long lo = tz_days_from_civil(TZ_YEAR_MIN, 1, 1) * 86400LL;
	long long hi = tz_days_from_civil(TZ_YEAR_MAX + 1, 1, 1) * 86400LL;
	if ((long long)t < lo || (long long)t >= hi)
		return TZ_ERANGE;
	local_of(zone, t, out);
	return TZ_OK;
}

/* Solve local -> UTC: every offset in force within a day of the wanted
 * local time is a candidate; a candidate instant is right when the zone
 * maps it back to the same local time. None right: the time is in a gap.
 * Several right (autumn overlap): the earliest wins. */
int tz_to_utc(const char *tzid, const struct tz_local *local, time_t *out)
{
	const char *zone = zone_get(tzid);
	if (!zone)
		return TZ_EZONE;
	if (!local || local->year < TZ_YEAR_MIN || local->year > TZ_YEAR_MAX ||
	    local->mon < 1 || local->mon > 12 || local->day < 1 ||
	    local->day > tz_days_in_month(local->year, local->mon) ||
	    local->hour < 0 || local->hour > 23 || local->min < 0 ||
	    local->min > 59 || local->sec < 0 || local->sec > 59)
		return TZ_ERANGE;
	long long want = local_seconds(local);
	long long offs[3] = {
		offset_at(zone, want - 86400),
		offset_at(zone, want),
		offset_at(zone, want + 86400),
	};
	int found = 0;
	long long best = 0;
	for (int i = 0; i < 3; i++) {
		long long cand = want - offs[i];
		if (offset_at(zone, cand) != offs[i])
			continue;
		if (!found || cand < best)
			best = cand;
		found = 1;
	}
	if (!found)
		return TZ_EGAP;
	*out = (time_t)best;
	return TZ_OK;
}
