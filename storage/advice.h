/* advice: advice requests to the board (tables advice_requests,
 * advice_assignees, advice_history; migration 7).
 *
 * A request is asked (requested_by names the board member who asked) or
 * unasked (requested_by NULL: proposed by members). Its short id is stable
 * per network (db_next_id "advice") and shown as A1, A2, ... Its state moves
 *   received -> accepted -> in_progress -> delivered -> decided,
 * or ends declined or withdrawn; which moves are legal, and who may make
 * them, is the table in handlers/advice_states.c. Every step is one row of
 * advice_history: the action, the states before and after, who, when, and
 * the chat message it came from.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error;
 * other functions return 0 or negative. */
#ifndef WT_STORAGE_ADVICE_H
#define WT_STORAGE_ADVICE_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum advice_state {
	ADVICE_RECEIVED = 0,
	ADVICE_ACCEPTED = 1,
	ADVICE_IN_PROGRESS = 2,
	ADVICE_DELIVERED = 3,
	ADVICE_DECIDED = 4,
	ADVICE_DECLINED = 5,
	ADVICE_WITHDRAWN = 6,
};
#define ADVICE_NSTATES 7

/* The board's decision on delivered advice. */
enum advice_outcome {
	OUTCOME_NONE = 0,
	OUTCOME_ADOPTED = 1,   /* overgenomen */
	OUTCOME_PARTLY = 2,    /* deels overgenomen */
	OUTCOME_REJECTED = 3,  /* niet overgenomen */
};

struct wt_advice {
	long long id;            /* row id */
	long long short_id;      /* what people type (A3 -> 3) */
	char *network;
	char *title;
	char *question;          /* these five may be NULL */
	char *theme;
	char *why;
	char *what;
	char *how;
	time_t deadline;         /* 0 = none */
	char *requested_by;      /* board member who asked; NULL = unasked */
	long long requester_stakeholder; /* row id of the stakeholder who asked
				  * (storage/stakeholders.h), 0 = none */
	char *submitted_by;      /* who typed the request */
	char *room;              /* where it was submitted */
	enum advice_state state;
	char *draft;             /* the latest draft of the advice, or NULL */
	char *draft_by;
	time_t draft_at;
	enum advice_outcome outcome;
	char *note;              /* decision note, or reason of decline/withdrawal */
	time_t created_at;
	time_t updated_at;
	char *event_id;          /* the message that submitted it, or NULL */
};

/* One step in a request's history. from is -1 for the submission. */
struct wt_advice_event {
	char *action;            /* "submit", "accept", "assign", "draft", ... */
	int from;
	enum advice_state to;
	char *actor;
	time_t at;
	char *event_id;
	char *note;
};

/* The state's stored name ("in_progress", ...), and back (-1 if unknown). */
const char *advice_state_name(enum advice_state s);
int advice_state_parse(const char *s);
/* 1 for decided, declined and withdrawn: the archive. */
int advice_state_closed(enum advice_state s);
/* 1 while the deadline still matters: before delivery, not closed. */
int advice_state_pending(enum advice_state s);
const char *advice_outcome_name(enum advice_outcome o);
int advice_outcome_parse(const char *s);

/* Insert a (network, title, submitted_by, created_at required) in state
 * received with a new short id and its first history row ("submit", by
 * submitted_by, from event_id). Fills id and short_id. */
int advice_create(sqlite3 *db, struct wt_advice *a);
int advice_by_short_id(sqlite3 *db, const char *network, long long short_id,
		       struct wt_advice *out);
int advice_by_id(sqlite3 *db, long long id, struct wt_advice *out);
void advice_free(struct wt_advice *a);

/* Record one step: the request moves from a->state to `to` (the same state
 * for steps that stay, like a draft), with a history row. Returns
 * ADVICE_STEP_OK, ADVICE_STEP_EDB on a database error, or ADVICE_STEP_STALE
 * when the stored state is no longer a->state (nothing changed). */
enum { ADVICE_STEP_OK = 0, ADVICE_STEP_EDB = -1, ADVICE_STEP_STALE = -2 };
int advice_step(sqlite3 *db, const struct wt_advice *a, const char *action,
		enum advice_state to, const char *actor, time_t now,
		const char *event_id, const char *note);
/* Store the latest draft of the advice. */
/* Store a's title, question, theme, why, what, how, deadline and
 * requester (an edit; the history line is the caller's). */
int advice_update_fields(sqlite3 *db, const struct wt_advice *a, time_t now);
int advice_set_draft(sqlite3 *db, long long id, const char *text,
		     const char *by, time_t now);
/* Store the board's decision (outcome may be OUTCOME_NONE) and its note,
 * or a decline/withdrawal reason. */
int advice_set_outcome(sqlite3 *db, long long id, enum advice_outcome outcome,
		       const char *note);

/* Add user as an assignee: 1 when added, 0 when already assigned. */
int advice_assign(sqlite3 *db, long long id, const char *user, const char *by,
		  time_t now);
/* Take user off request id: 1, 0 when not assigned, or negative. */
int advice_unassign(sqlite3 *db, long long id, const char *user);
/* 1 when user is an assignee of request id. */
int advice_is_assignee(sqlite3 *db, long long id, const char *user);
/* The assignees of id in the order they were assigned; returns the count
 * or negative. Free with advice_strings_free. */
int advice_assignees(sqlite3 *db, long long id, char ***users);
void advice_strings_free(char **v, size_t n);

/* The history of id, oldest first; returns the count or negative. */
int advice_history(sqlite3 *db, long long id, struct wt_advice_event **v);
void advice_history_free(struct wt_advice_event *v, size_t n);

/* Which requests advice_list returns. */
struct advice_filter {
	int closed;              /* 0: open ones (by deadline); 1: the archive */
	const char *theme;       /* NULL = any; compared case-insensitively */
	int state;               /* -1 = any, else an enum advice_state */
	long long limit, offset; /* a page (LIMIT/OFFSET); limit 0 = all */
	long long *total;        /* when not NULL: all that pass f, set */
	long long count_limit;   /* the count stops at this many (> 0; else
				  * all are counted) */
};

/* The network's requests that pass f: open ones by deadline (none last),
 * then short id; closed ones newest first. Returns the count or negative;
 * free with advice_list_free. */
int advice_list(sqlite3 *db, const char *network, const struct advice_filter *f,
		struct wt_advice **v);
void advice_list_free(struct wt_advice *v, size_t n);

/* 1 when user took part in any advice request of network: submitted,
 * asked, was assigned, or took a step. */
int advice_user_known(sqlite3 *db, const char *network, const char *user);

#endif
