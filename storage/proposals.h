/* proposals: proposals that travel between bodies (migration 40): a
 * subteam prepares, the action-line meeting (or werktafel, stuurgroep)
 * approves, the board adopts or rejects. Each step is a decision of a body
 * in its meeting (logged_items), kept in proposal_steps with the step
 * before it, so the whole path reads back in order.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_PROPOSALS_H
#define WT_STORAGE_PROPOSALS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum proposal_stage {
	PROPOSAL_DRAFT = 0,     /* made, no body has decided yet */
	PROPOSAL_PREPARED = 1,  /* voorbereid (subteam) */
	PROPOSAL_APPROVED = 2,  /* goedgekeurd (actielijnenoverleg, werktafel, stuurgroep) */
	PROPOSAL_ADOPTED = 3,   /* vastgesteld (board) */
	PROPOSAL_REJECTED = 4,  /* afgewezen (any body) */
};

struct wt_proposal {
	long long id;
	long long short_id;     /* V1, V2, ... per network */
	char *network;
	char *title;
	long long body_id;      /* the body it is with now, 0 = none */
	enum proposal_stage stage;
	long long agenda_item_id; /* its item on that body's agenda, 0 = none */
	char *created_by;
	time_t created_at;
};

struct wt_proposal_step {
	long long id;
	long long body_id;
	enum proposal_stage stage;
	long long meeting_id;   /* row id, 0 = none */
	long long decision_id;  /* logged_items row id, 0 = none */
	long long prev_step;    /* the step before, 0 = the first */
	time_t at;
	/* read back by proposal_steps, for showing the path: */
	char *body_name;        /* or NULL when the body is gone */
	long long meeting_short; /* 0 = none */
	time_t meeting_at;
	long long decision_short; /* 0 = none */
};

const char *proposal_stage_name(enum proposal_stage s);

/* Insert p (network, title, body_id, created_by, created_at) as a draft
 * with a new short id; fills id and short_id. 0 or negative. */
int proposal_create(sqlite3 *db, struct wt_proposal *p);
int proposal_by_short_id(sqlite3 *db, const char *network, long long short_id,
			 struct wt_proposal *out);
/* The proposal whose current agenda item is item (row id). */
int proposal_by_item(sqlite3 *db, long long item_id, struct wt_proposal *out);
/* Store p's body_id, stage and agenda_item_id. */
int proposal_update(sqlite3 *db, const struct wt_proposal *p);
/* Add a step to proposal_id after its last one (prev_step set here);
 * fills s->id and s->prev_step. */
int proposal_step_add(sqlite3 *db, long long proposal_id, struct wt_proposal_step *s);
/* Its steps, first first, with the names and numbers to show; free with
 * proposal_steps_free. Count or negative. */
int proposal_steps(sqlite3 *db, long long proposal_id, struct wt_proposal_step **v);
void proposal_steps_free(struct wt_proposal_step *v, size_t n);
/* The proposals of network, newest first, at most max. Count or
 * negative; free with proposal_list_free. */
int proposal_list(sqlite3 *db, const char *network, size_t max, struct wt_proposal **v);
void proposal_free(struct wt_proposal *p);
void proposal_list_free(struct wt_proposal *v, size_t n);

#endif
