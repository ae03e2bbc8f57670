/* reports: the reports the bot compiles on their schedule (schema
 * migration 37): per network, action line (line_key, the line's row id;
 * REPORT_PROGRAMME for the programme's half-year report) and period
 * ("2027Q1", "2027H1"). A row is made when its period starts, compiled at
 * the end, approved by the lead and posted on the post day; each step
 * moves its state once, in the transaction that sends its messages. */
#ifndef WT_STORAGE_REPORTS_H
#define WT_STORAGE_REPORTS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

/* line_key of the programme's half-year report. */
#define REPORT_PROGRAMME 0

enum report_state {
	REPORT_SCHEDULED = 0, /* waits for its period to end */
	REPORT_COMPILED = 1,  /* compiled, sent to the lead to check */
	REPORT_APPROVED = 2,  /* the lead agreed */
	REPORT_POSTED = 3,    /* posted in the report room */
};

/* Outcomes of the lookups and the state steps. */
enum report_rc {
	REPORT_EDB = -1,      /* database failure */
	REPORT_NONE = 0,      /* no such report / the step does not apply */
	REPORT_FOUND = 1,     /* found / the step was taken */
};

struct wt_report {
	long long id, short_id;
	char *network;
	long long line_key;
	char period[8];
	enum report_state state;
	time_t created_at;
	char *lang;              /* "nl"/"en" once compiled */
	char *markdown;          /* the compiled report, or NULL */
	time_t compiled_at, approved_at, posted_at;
	char *approved_by;
	int unchecked;           /* posted without the lead's check */
};

struct wt_report_addition {
	char *author, *text;
	time_t at;
};

/* The row of (network, line_key, period), made in state scheduled when
 * there is none yet; *id gets its row id. REPORT_FOUND or REPORT_EDB. */
int reports_ensure(sqlite3 *db, const char *network, long long line_key,
		   const char *period, time_t now, long long *id);
/* Lookups: REPORT_FOUND, REPORT_NONE or REPORT_EDB; free with report_free. */
int reports_get(sqlite3 *db, long long id, struct wt_report *out);
int reports_by_short(sqlite3 *db, const char *network, long long short_id,
		     struct wt_report *out);
void report_free(struct wt_report *r);
/* Row ids of the network's reports not yet posted, in id order; count or
 * negative (free *ids). */
int reports_open_ids(sqlite3 *db, const char *network, long long **ids);
/* The network's newest reports (by short id, newest first), at most
 * limit; count or negative; free with reports_list_free. */
int reports_recent(sqlite3 *db, const char *network, long long limit,
		   struct wt_report **v);
void reports_list_free(struct wt_report *v, size_t n);
/* Forget a report still in state scheduled (its schedule was turned off). */
int reports_drop_scheduled(sqlite3 *db, long long id);

/* The state steps: each only from the state before it (compiled from
 * scheduled; approved from compiled; posted from scheduled, compiled or
 * approved). REPORT_FOUND when taken, REPORT_NONE when the report was not
 * in that state, REPORT_EDB. */
int reports_set_compiled(sqlite3 *db, long long id, const char *lang,
			 const char *markdown, time_t at);
int reports_set_approved(sqlite3 *db, long long id, const char *by, time_t at);
int reports_set_posted(sqlite3 *db, long long id, int unchecked, time_t at);

/* The lead's additions: add one, and read them in order (count or
 * negative; free with reports_additions_free). */
int reports_add_addition(sqlite3 *db, long long id, const char *author,
			 const char *text, time_t at);
int reports_additions(sqlite3 *db, long long id, struct wt_report_addition **v);
void reports_additions_free(struct wt_report_addition *v, size_t n);

#endif
