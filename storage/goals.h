/* goals: a network's goals (migration 35: "Gemiddeld een 8 van onze
 * patiënten", "95% van onze vacatures gevuld") and their measurements, and
 * the indicators of an action line with their 0-measurement and later
 * measurements (the effect measurement per action line).
 *
 * A goal has a short id Dn, stable per network (db_next_id "goal"). A
 * measurement is a value at an instant (UTC seconds) with an optional
 * source ("enquête mei", "poll 3"). The frequency is how often the goal is
 * measured; the owner is reminded when a measurement is overdue.
 *
 * An indicator belongs to one action line and has a number 1, 2, ... per
 * line; its measurements are kept by day (day numbers as in
 * storage/actionlines.h); the first by day is its 0-measurement.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error;
 * changes return 0 or negative. */
#ifndef WT_STORAGE_GOALS_H
#define WT_STORAGE_GOALS_H

#include <sqlite3.h>
#include <stddef.h>

/* How often a goal is measured. */
enum goal_freq { GOAL_FREQ_NONE = 0, GOAL_FREQ_MONTH = 1, GOAL_FREQ_QUARTER = 3,
		 GOAL_FREQ_HALF = 6, GOAL_FREQ_YEAR = 12 };

struct goal_measurement {
	long long id;
	double value;
	long long at;          /* UTC seconds */
	char *source;          /* or NULL */
	char *added_by;        /* or NULL (a poll) */
};

struct goal {
	long long id;
	long long short_id;    /* the n of Dn */
	char *network;
	char *title;
	int has_target;
	double target;
	char *unit;            /* or NULL */
	char *period;          /* "2022-2024", "31-12-2024", or NULL */
	char *owner;           /* user id or NULL */
	enum goal_freq freq;   /* months between measurements, 0 none */
	char *created_by;      /* or NULL */
	long long created_at;
};

void goal_free(struct goal *g);
void goal_free_list(struct goal *v, size_t n);
void goal_measurements_free(struct goal_measurement *v, size_t n);

/* Insert g (network, title, created_at required) with a new short id;
 * fills g->id and g->short_id. */
int goal_create(sqlite3 *db, struct goal *g);
/* The goal Dshort_id of network. */
int goal_load(sqlite3 *db, const char *network, long long short_id, struct goal *out);
/* The goal with row id id. */
int goal_load_id(sqlite3 *db, long long id, struct goal *out);
/* Every goal of network by short id; *v freed with goal_free_list. */
int goal_list(sqlite3 *db, const char *network, struct goal **v, size_t *n);

/* Write g's title, target, unit, period, owner and frequency. */
int goal_update(sqlite3 *db, const struct goal *g);

/* Record a measurement of the goal with row id goal_id: value at instant
 * at, from source (NULL: none). Called by hand (!doel meting) and by a
 * poll tied to the goal. 0, or negative (no such goal included). */
int goal_measurement_add(sqlite3 *db, long long goal_id, double value, long long at,
			 const char *source);
/* The same, noting who typed it (NULL for none). */
int goal_measurement_add_by(sqlite3 *db, long long goal_id, double value, long long at,
			    const char *source, const char *by);
/* The latest limit measurements of goal_id at or before until (0: any
 * time), oldest first, into *v (freed with goal_measurements_free);
 * *total (may be NULL) gets how many the goal has in all. 0 or negative. */
int goal_measurements(sqlite3 *db, long long goal_id, long long until, long long limit,
		      struct goal_measurement **v, size_t *n, long long *total);

/* ---- indicators of an action line ---- */

struct al_ind_measure {
	double value;
	long day;
	char *source;          /* or NULL */
	char *added_by;        /* or NULL */
};

struct al_indicator {
	long long id;
	long long line_id;
	int number;            /* 1, 2, ... per line */
	char *name;
	char *unit;            /* or NULL */
	int has_target;
	double target;
	struct al_ind_measure *m; /* by day then entry: m[0] is the 0-measurement */
	size_t nm;
};

void al_indicators_free(struct al_indicator *v, size_t n);
/* Add an indicator to line line_id with the next number (fills ind->id,
 * ind->number). */
int al_indicator_add(sqlite3 *db, struct al_indicator *ind, const char *by, long long at);
/* A measurement of indicator ind_id on day. */
int al_indicator_measure(sqlite3 *db, long long ind_id, double value, long day,
			 const char *source, const char *by, long long at);
/* Every indicator of line_id by number, with its measurements. */
int al_indicators_of(sqlite3 *db, long long line_id, struct al_indicator **v, size_t *n);

#endif
