/* actionlines: the action lines of a network (migration 6) and their parts:
 * people, phases, deliverables, status history, updates, spending and the
 * reports generated from them.
 *
 * A line has a short code ALn, stable per network (db_next_id "actionline").
 * Days (phase dates, due dates, spending dates) are day numbers since
 * 1970-01-01 in the network's zone (lib/tz.h), stored as 'YYYY-MM-DD';
 * 0 means "no day". Instants are UTC seconds. Nothing derived (overdue,
 * current phase) is stored: see the al_* helpers at the end.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error;
 * changes return 0 or negative. */
#ifndef WT_STORAGE_ACTIONLINES_H
#define WT_STORAGE_ACTIONLINES_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum al_status { AL_ON_TRACK = 0, AL_AT_RISK = 1, AL_LATE = 2, AL_DONE = 3 };
#define AL_NSTATUS 4

/* A person's part in one line. */
/* A person's part in one line; AL_GUIDE is the external guide (externe
 * begeleider, migration 41). */
enum al_part { AL_SPONSOR = 0, AL_LEAD = 1, AL_CARE = 2, AL_MEMBER = 3, AL_GUIDE = 4 };
#define AL_NPARTS 5

struct al_person {
	enum al_part part;
	char *user;
};

/* The go / no-go decision on a phase's investment. */
enum al_gate { AL_GATE_OPEN = 0, AL_GATE_GO = 1, AL_GATE_NOGO = 2 };

struct al_phase {
	long long id;
	int position;           /* 1, 2, ... what people type */
	char *name;
	long start_day, end_day; /* planned */
	long started_on;        /* 0 = not started */
	long done_on;           /* 0 = not done */
	long long budget_cents; /* the phase's budget, 0 = none (migration 41) */
	enum al_gate gate;      /* the board's go / no-go on it */
	long long gate_decision; /* row id of that decision in logged_items, 0 */
};

struct al_deliverable {
	long long id;
	int number;             /* 1, 2, ... per line */
	char *text;
	long due_day;
	long long phase_id;     /* 0 = none */
	long done_on;           /* 0 = open */
};

struct al_status_change {
	long long id;
	enum al_status status;
	char *reason;           /* or NULL */
	char *author;           /* or NULL */
	time_t at;
};

struct al_update {
	char *author;
	char *text;
	time_t at;
};

struct al_spend {
	long long cents;
	long day;
	char *note;
	char *author;           /* or NULL */
};

struct actionline {
	long long id;
	long long short_id;     /* the n of ALn */
	char *network;
	char *title;
	char *goal;             /* or NULL */
	long long budget_cents;
	enum al_status status;
	char *status_reason;    /* or NULL */
	time_t status_at;
	char *created_by;       /* or NULL */
	time_t created_at;
	long long spent_cents;  /* spent in all, kept by the database */
	int team_size;          /* wanted team members, 0 = the network's setting */
	/* The parts, in order (people by part then user; phases by position;
	 * deliverables by due day then number; history, updates and spending
	 * by time). Without history (al_load, al_load_id, al_list_page): the
	 * latest AL_RECENT status changes and updates only, no spending rows;
	 * with it (al_load_history, al_list): all of them. */
	struct al_person *people; size_t npeople;
	struct al_phase *phases; size_t nphases;
	struct al_deliverable *delivs; size_t ndelivs;
	struct al_status_change *changes; size_t nchanges;
	struct al_update *updates; size_t nupdates;
	struct al_spend *spending; size_t nspending;
	int history;            /* all status changes, updates and spending read */
};

/* Status changes and updates read by al_load: enough for the status view
 * (handlers/actionline.c shows the last three updates), the list (the age
 * of the last one) and the reminders (the last change). */
#define AL_RECENT 5

void al_free(struct actionline *l);
void al_free_list(struct actionline *v, size_t n);

/* Names as stored ("on_track", "lead"), and back (-1 when unknown). */
const char *al_status_key(enum al_status s);
int al_status_from_key(const char *s);
const char *al_part_key(enum al_part p);

/* Day numbers and 'YYYY-MM-DD' (0 / NULL for no day; a bad text gives 0). */
void al_day_text(long day, char out[11]);
long al_day_parse_iso(const char *s);

/* Insert l (network, title, created_at required; goal, created_by may be
 * NULL; budget_cents >= 0) with a new short code; status on track, logged
 * as the first status change. Fills l->id and l->short_id. */
int al_create(sqlite3 *db, struct actionline *l);
/* The line ALshort_id of network with its recent parts (no history: the
 * cost does not grow with the line's age). */
int al_load(sqlite3 *db, const char *network, long long short_id, struct actionline *out);
/* The line with row id, with its recent parts. */
int al_load_id(sqlite3 *db, long long id, struct actionline *out);
/* The line with row id with all its parts, for a report. */
int al_load_history(sqlite3 *db, long long id, struct actionline *out);
/* Every line of network by short code, with all parts (the programme
 * report); *v is freed with al_free_list. */
int al_list(sqlite3 *db, const char *network, struct actionline **v, size_t *n);
/* One page of them with their recent parts: at most limit after offset;
 * *total gets how many lines the network has. */
int al_list_page(sqlite3 *db, const char *network, long long limit, long long offset,
		 struct actionline **v, size_t *n, long long *total);

/* Edit fields of a line (NULL/negative = leave as is). */
int al_set_title(sqlite3 *db, long long id, const char *title);
int al_set_goal(sqlite3 *db, long long id, const char *goal);
int al_set_budget(sqlite3 *db, long long id, long long cents);
/* Set the status and log the change. */
int al_set_status(sqlite3 *db, long long id, enum al_status s, const char *reason,
		  const char *author, time_t at);

/* People: add (no-op when already there), remove from one part (part >= 0)
 * or every part (part < 0); the number of rows removed, or negative. */
int al_person_add(sqlite3 *db, long long id, enum al_part part, const char *user, time_t at);
int al_person_remove(sqlite3 *db, long long id, int part, const char *user);

/* Phases: add at the next position (fills ph->id, ph->position), mark
 * started / done on a day (0 clears), move the planned start and end. */
int al_phase_add(sqlite3 *db, long long line_id, struct al_phase *ph);
int al_phase_set(sqlite3 *db, long long phase_id, long started_on, long done_on);
int al_phase_plan(sqlite3 *db, long long phase_id, long start_day, long end_day);

/* Deliverables: add with the next number (fills d->id, d->number), mark done
 * on a day (0 reopens). */
int al_deliv_add(sqlite3 *db, long long line_id, struct al_deliverable *d, time_t at);
int al_deliv_set_done(sqlite3 *db, long long deliv_id, long done_on);
/* Move a deliverable's due day. */
int al_deliv_set_due(sqlite3 *db, long long deliv_id, long due_day);

int al_update_add(sqlite3 *db, long long line_id, const char *author, const char *text,
		  time_t at, const char *event_id);
int al_spend_add(sqlite3 *db, long long line_id, long long cents, long day,
		 const char *note, const char *author, time_t at);

/* The wanted team size (0: the network's setting). */
int al_set_team_size(sqlite3 *db, long long id, int size);
/* A phase's budget, and the board's go / no-go with the decision that
 * took it (decision_id a logged_items row id). */
int al_phase_set_budget(sqlite3 *db, long long phase_id, long long cents);
int al_phase_set_gate(sqlite3 *db, long long phase_id, enum al_gate gate,
		      long long decision_id);

/* Sign-ups to a line's team (migration 41): a person asks, the lead
 * confirms or declines. */
enum al_signup_state { AL_SIGNUP_PENDING = 0, AL_SIGNUP_CONFIRMED = 1, AL_SIGNUP_DECLINED = 2 };
/* What al_signup_add did. */
enum al_signup_outcome { AL_SIGNUP_ADDED = 0, AL_SIGNUP_ALREADY = 1 };
/* Ask for user to join line_id: AL_SIGNUP_ADDED, AL_SIGNUP_ALREADY when
 * a request of theirs is pending, or negative. */
int al_signup_add(sqlite3 *db, long long line_id, const char *user, time_t at);
/* The pending sign-ups of a line, oldest first: the count or negative;
 * *users freed with al_signups_free. */
int al_signups_pending(sqlite3 *db, long long line_id, char ***users);
void al_signups_free(char **users, size_t n);
/* Close user's pending sign-up to line_id as confirmed or declined: 1 when
 * there was one, 0 when not, negative on error. */
int al_signup_decide(sqlite3 *db, long long line_id, const char *user,
		     enum al_signup_state state, const char *by, time_t at);

/* The row id of the line deliverable deliv_id belongs to (1 found, 0 not,
 * negative on error). */
int al_line_of_deliv(sqlite3 *db, long long deliv_id, long long *line_id);

/* Keep the latest generated report of (network, line row id or 0 for the
 * programme, period such as "2027Q1" or "2027H1", lang "nl"/"en"). */
int al_report_save(sqlite3 *db, const char *network, long long line_id,
		   const char *period, const char *lang, const char *markdown,
		   const char *by, time_t at);

/* Derived state, computed from the data as of day `today`. */
/* 1 when d is open and its due day lies before today. */
int al_deliv_overdue(const struct al_deliverable *d, long today);
/* The current phase: the first started and not done one; else the first not
 * done one whose planned dates hold today; else NULL. */
const struct al_phase *al_current_phase(const struct actionline *l, long today);
/* The open deliverable with the earliest due day, or NULL. */
const struct al_deliverable *al_next_deliv(const struct actionline *l);
/* 1 when user has part in l (part < 0: any part; user NULL: anyone). */
int al_has_person(const struct actionline *l, int part, const char *user);
/* The phase with this row id, or NULL. */
const struct al_phase *al_phase_by_id(const struct actionline *l, long long id);
/* Total spent on days from..to inclusive (0 = open end): 0, 0 is the
 * line's whole total (spent_cents); a period needs the history. */
long long al_spent(const struct actionline *l, long from, long to);

#endif
