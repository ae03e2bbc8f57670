/* advice_states: the state machine of advice requests as one table: for
 * each action, the states it may start from, the state it leads to, and who
 * may take it (a minimum role, and people tied to the request who may take
 * it whatever their role). Nothing else in the code decides whether a step
 * is legal. */
#ifndef WT_ADVICE_STATES_H
#define WT_ADVICE_STATES_H

#include "handlers/catalog.h"
#include "handlers/network.h"
#include "storage/advice.h"

enum advice_action {
	ADV_ACCEPT = 0,   /* accepteer / accept */
	ADV_ASSIGN,       /* wijs toe / assign */
	ADV_DRAFT,        /* concept / draft */
	ADV_DELIVER,      /* uitbrengen / deliver */
	ADV_DECIDE,       /* besluit / decide */
	ADV_DECLINE,      /* afwijzen / decline */
	ADV_WITHDRAW,     /* intrekken / withdraw */
	ADV_UNASSIGN,     /* ontkoppel / unassign */
};
#define ADV_NACTIONS 8

/* People who may take an action whatever their role. */
enum {
	ADV_WHO_ASSIGNEE = 1,   /* someone assigned to write the advice */
	ADV_WHO_SUBMITTER = 2,  /* who submitted it, or the board member who asked */
};

/* Nobody by role alone (only the people in `also`, and admins). */
#define ADV_ROLE_NOBODY ROLE_ADMIN

struct advice_transition {
	enum advice_action action;
	unsigned from;           /* mask of states: 1u << ADVICE_... */
	enum advice_state to;
	enum wt_role min_role;
	unsigned also;           /* ADV_WHO_... */
	const char *name;        /* stored in the history: "accept", ... */
};

extern const struct advice_transition advice_transitions[];
extern const size_t advice_ntransitions;

/* The transition of action from state, or NULL when it is not legal. */
const struct advice_transition *advice_transition_find(enum advice_action action,
							enum advice_state from);
/* The actions legal from state, as a mask of 1u << action. */
unsigned advice_actions_from(enum advice_state from);
/* 1 when someone with role (and is_assignee / is_submitter for this
 * request) may take transition t. */
int advice_may(const struct advice_transition *t, enum wt_role role,
	       int is_assignee, int is_submitter);

/* Catalogue texts: a state's name ("in behandeling"), an action's command
 * word ("wijs toe"), an outcome ("overgenomen"). */
enum msg_id advice_state_msg(enum advice_state s);
enum msg_id advice_action_msg(enum advice_action a);
enum msg_id advice_outcome_msg(enum advice_outcome o);

/* The state a filter word names, in either language ("ontvangen",
 * "in-progress", "behandeling", ...), or -1. */
int advice_state_word(const char *w);
/* The outcome a word names ("overgenomen", "deels", "niet", "adopted",
 * "partly", "rejected"), or -1. */
int advice_outcome_word(const char *w);

#endif
