/* minutes_approval: whether a meeting's minutes are a draft or approved
 * (columns of meeting_runs, migration 31), the corrections made when they
 * were approved (minutes_corrections), and a run recorded afterwards for
 * a meeting the bot did not see (`!vergadering gehouden`).
 *
 * Minutes are a draft from closing until a later meeting approves them;
 * then they are read-only: handlers refuse undo and edits of their items.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_MINUTES_APPROVAL_H
#define WT_STORAGE_MINUTES_APPROVAL_H

#include <sqlite3.h>
#include <time.h>

struct wt_approval {
	time_t at;               /* 0: a draft */
	char *by;                /* who approved them, or NULL */
	long long in_meeting;    /* row id of the meeting that approved, or 0 */
	int afterwards;          /* the run was recorded afterwards */
};

/* The approval state of meeting's minutes: 0 when it has no run. */
int minutes_approval_of(sqlite3 *db, long long meeting_id, struct wt_approval *out);
void approval_free(struct wt_approval *a);

/* 1 when meeting (row id; 0 is none) has approved minutes, 0 when not. */
int minutes_are_approved(sqlite3 *db, long long meeting_id);

/* The short ids of the meetings whose minutes meeting (row id) approved,
 * in order of approval, into *ids (caller frees); the count or negative. */
int minutes_approved_in(sqlite3 *db, long long meeting_id, long long **ids);

/* Mark meeting's minutes approved at `at` by `by` in meeting in_meeting
 * (row id, 0 = outside a meeting). 0 or negative. */
int minutes_approve(sqlite3 *db, long long meeting_id, time_t at, const char *by,
		    long long in_meeting);

/* A correction made when approving. 0 or negative. */
int minutes_correction_add(sqlite3 *db, long long meeting_id, const char *text,
			   const char *by, time_t at);
/* The corrections of meeting's minutes in order: a NULL-terminated array
 * of texts (free with minutes_corrections_free); the count or negative. */
int minutes_corrections(sqlite3 *db, long long meeting_id, char ***texts);
void minutes_corrections_free(char **texts);

/* Insert the closed run of a meeting held without the bot: room, opened
 * by, opened_at and closed_at as given, afterwards set. 0 or negative. */
struct wt_run;
int run_record_held(sqlite3 *db, const struct wt_run *r);

#endif
