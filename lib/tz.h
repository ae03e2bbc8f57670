/* tz: conversion between UTC instants and local wall-clock time in a named
 * IANA zone (DST-correct), via libical and the system tz database. */
#ifndef WT_TZ_H
#define WT_TZ_H

#include <time.h>

/* Local wall-clock fields (month 1-12, weekday 0 = Sunday). */
struct tz_local {
	int year, mon, day, hour, min, sec;
	int wday;
};

enum { TZ_OK = 0, TZ_EZONE = -1, TZ_EGAP = -2, TZ_ERANGE = -3 };

/* 1 when tzid names a zone we can use, else 0. */
int tz_valid(const char *tzid);
/* Local time in tzid to UTC. A time in the spring-forward gap returns
 * TZ_EGAP; an ambiguous autumn time takes the first (summer-time) instant. */
int tz_to_utc(const char *tzid, const struct tz_local *local, time_t *out);
/* UTC to local time in tzid. */
int tz_from_utc(const char *tzid, time_t t, struct tz_local *out);

/* Calendar arithmetic (proleptic Gregorian, no zone): day number since
 * 1970-01-01 and back, days in a month (0 for a bad month), weekday
 * (0 = Sunday). Years 1971-2199 are what tz_to_utc/tz_from_utc accept. */
long long tz_days_from_civil(int y, int m, int d);
void tz_civil_from_days(long long days, int *y, int *m, int *d);
int tz_days_in_month(int y, int m);
int tz_weekday(int y, int m, int d);

#endif
