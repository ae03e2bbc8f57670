/* evaluations: a structured evaluation of a network's round table
 * (handlers/evaluation.h): a round from a template with a deadline, its
 * questions (a scale question is a poll, storage/polls.h; an open one is
 * asked each member by direct message), the members asked and their open
 * answers. A closed round keeps each scale question's final average, so
 * the next round of the same template compares with it. */
#ifndef WT_STORAGE_EVALUATIONS_H
#define WT_STORAGE_EVALUATIONS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

struct wt_eval {
	long long id, short_id;
	char *network, *template_name, *room_id, *created_by;
	time_t created_at, deadline;
	time_t closed_at;     /* 0: still open */
};

/* The kinds of question. */
enum { EVAL_Q_SCALE = 0, EVAL_Q_OPEN = 1 };

struct wt_eval_question {
	int idx, kind;
	long long poll_id;    /* a scale question's poll row id, 0: none */
	int has_average;
	double average;       /* kept at the close */
};

/* Add round e (id and short_id filled in). 0 or negative. */
int evals_add(sqlite3 *db, struct wt_eval *e);
int evals_add_question(sqlite3 *db, long long eval_id, int idx, int kind, long long poll_id);
int evals_add_member(sqlite3 *db, long long eval_id, const char *user);
/* Round short_id of network: 1 found, 0 not, negative on error. */
int evals_get(sqlite3 *db, const char *network, long long short_id, struct wt_eval *out);
/* The round with row id: 1, 0 or negative. */
int evals_get_by_id(sqlite3 *db, long long id, struct wt_eval *out);
void eval_free(struct wt_eval *e);
/* The newest closed round of template in network closed before before:
 * 1, 0 or negative. */
int evals_previous(sqlite3 *db, const char *network, const char *template_name,
		   time_t before, struct wt_eval *out);
/* The row ids of network's open rounds: count (caller frees *ids) or
 * negative. */
int evals_open_ids(sqlite3 *db, const char *network, long long **ids);

/* Round eval_id's questions in order: count (caller frees *v) or negative. */
int evals_questions(sqlite3 *db, long long eval_id, struct wt_eval_question **v);
/* The members asked, sorted: count (free with evals_strings_free) or negative. */
int evals_members(sqlite3 *db, long long eval_id, char ***v);
/* Is user asked in round eval_id: 1, 0 or negative. */
int evals_is_member(sqlite3 *db, long long eval_id, const char *user);
void evals_strings_free(char **v, size_t n);
/* The row ids of round eval_id's members: count (caller frees) or negative. */
int evals_member_ids(sqlite3 *db, long long eval_id, long long **ids);
/* Member row id: 1 with its round and user (caller frees), 0, negative. */
int evals_member_by_id(sqlite3 *db, long long id, long long *eval_id, char **user);

/* user's answer to open question idx replaces their earlier one.
 * 0 or negative. */
int evals_answer(sqlite3 *db, long long eval_id, int idx, const char *user,
		 const char *text, time_t at);
/* The answers to question idx, oldest first, without who gave them:
 * count (free with evals_strings_free) or negative. */
int evals_answers(sqlite3 *db, long long eval_id, int idx, char ***v);
/* Has user answered every question (voted in each poll, answered each
 * open question): 1, 0 or negative. */
int evals_member_done(sqlite3 *db, long long eval_id, const char *user);
/* How many members answered every question; negative on error. */
long long evals_done_count(sqlite3 *db, long long eval_id);

/* Question idx's final average. 0 or negative. */
int evals_set_average(sqlite3 *db, long long eval_id, int idx, double avg);
/* Round id is closed at now. 0 or negative. */
int evals_close(sqlite3 *db, long long id, time_t now);

#endif
