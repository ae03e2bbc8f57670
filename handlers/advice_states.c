/* The advice request state machine (see advice_states.h). */
#include "handlers/advice_states.h"

#include "handlers/args.h"

#define S(x) (1u << (x))

/* Every legal step. A request is received; the chair or secretary accepts
 * it (or declines it: e.g. a matter of one organisation only) and assigns
 * members with the right expertise; assignees write drafts; the chair
 * delivers the advice to the board; the board decides. Whoever submitted or
 * asked may withdraw it until it is delivered. An assignee taken off by
 * mistake is unassigned while the advice is being written. */
const struct advice_transition advice_transitions[] = {
	{ ADV_ACCEPT, S(ADVICE_RECEIVED), ADVICE_ACCEPTED,
	  ROLE_SECRETARY, 0, "accept" },
	{ ADV_ASSIGN, S(ADVICE_ACCEPTED) | S(ADVICE_IN_PROGRESS), ADVICE_IN_PROGRESS,
	  ROLE_SECRETARY, 0, "assign" },
	{ ADV_DRAFT, S(ADVICE_IN_PROGRESS), ADVICE_IN_PROGRESS,
	  ADV_ROLE_NOBODY, ADV_WHO_ASSIGNEE, "draft" },
	{ ADV_DELIVER, S(ADVICE_IN_PROGRESS), ADVICE_DELIVERED,
	  ROLE_CHAIR, 0, "deliver" },
	{ ADV_DECIDE, S(ADVICE_DELIVERED), ADVICE_DECIDED,
	  ROLE_BOARD, 0, "decide" },
	{ ADV_DECLINE, S(ADVICE_RECEIVED) | S(ADVICE_ACCEPTED), ADVICE_DECLINED,
	  ROLE_SECRETARY, 0, "decline" },
	{ ADV_WITHDRAW, S(ADVICE_RECEIVED) | S(ADVICE_ACCEPTED) | S(ADVICE_IN_PROGRESS),
	  ADVICE_WITHDRAWN, ROLE_SECRETARY, ADV_WHO_SUBMITTER, "withdraw" },
	{ ADV_UNASSIGN, S(ADVICE_IN_PROGRESS), ADVICE_IN_PROGRESS,
	  ROLE_SECRETARY, 0, "unassign" },
};

const size_t advice_ntransitions = sizeof advice_transitions / sizeof advice_transitions[0];

const struct advice_transition *advice_transition_find(enum advice_action action,
							enum advice_state from)
{
	if ((unsigned)from >= ADVICE_NSTATES)
		return NULL;
	for (size_t i = 0; i < advice_ntransitions; i++)
		if (advice_transitions[i].action == action && (advice_transitions[i].from & S(from)))
			return &advice_transitions[i];
	return NULL;
}

unsigned advice_actions_from(enum advice_state from)
{
	unsigned mask = 0;
	for (size_t i = 0; i < advice_ntransitions; i++)
		if ((unsigned)from < ADVICE_NSTATES && (advice_transitions[i].from & S(from)))
			mask |= 1u << advice_transitions[i].action;
	return mask;
}

int advice_may(const struct advice_transition *t, enum wt_role role,
	       int is_assignee, int is_submitter)
{
	if (role >= t->min_role)
		return 1;
	if ((t->also & ADV_WHO_ASSIGNEE) && is_assignee)
		return 1;
	if ((t->also & ADV_WHO_SUBMITTER) && is_submitter)
		return 1;
	return 0;
}

enum msg_id advice_state_msg(enum advice_state s)
{
	static const enum msg_id ids[ADVICE_NSTATES] = {
		[ADVICE_RECEIVED] = M_ADV_STATE_RECEIVED,
		[ADVICE_ACCEPTED] = M_ADV_STATE_ACCEPTED,
		[ADVICE_IN_PROGRESS] = M_ADV_STATE_IN_PROGRESS,
		[ADVICE_DELIVERED] = M_ADV_STATE_DELIVERED,
		[ADVICE_DECIDED] = M_ADV_STATE_DECIDED,
		[ADVICE_DECLINED] = M_ADV_STATE_DECLINED,
		[ADVICE_WITHDRAWN] = M_ADV_STATE_WITHDRAWN,
	};
	return (unsigned)s < ADVICE_NSTATES ? ids[s] : M_ADV_STATE_RECEIVED;
}

enum msg_id advice_action_msg(enum advice_action a)
{
	static const enum msg_id ids[ADV_NACTIONS] = {
		[ADV_ACCEPT] = M_ADV_ACT_ACCEPT,
		[ADV_ASSIGN] = M_ADV_ACT_ASSIGN,
		[ADV_DRAFT] = M_ADV_ACT_DRAFT,
		[ADV_DELIVER] = M_ADV_ACT_DELIVER,
		[ADV_DECIDE] = M_ADV_ACT_DECIDE,
		[ADV_DECLINE] = M_ADV_ACT_DECLINE,
		[ADV_WITHDRAW] = M_ADV_ACT_WITHDRAW,
		[ADV_UNASSIGN] = M_ADV_ACT_UNASSIGN,
	};
	return (unsigned)a < ADV_NACTIONS ? ids[a] : M_ADV_ACT_ACCEPT;
}

enum msg_id advice_outcome_msg(enum advice_outcome o)
{
	switch (o) {
	case OUTCOME_ADOPTED: return M_ADV_OUTCOME_ADOPTED;
	case OUTCOME_PARTLY: return M_ADV_OUTCOME_PARTLY;
	case OUTCOME_REJECTED: return M_ADV_OUTCOME_REJECTED;
	default: return M_ADV_OUTCOME_NONE;
	}
}

int advice_state_word(const char *w)
{
	static const struct { const char *nl, *en; int s; } words[] = {
		{ "ontvangen", "received", ADVICE_RECEIVED },
		{ "nieuw", "new", ADVICE_RECEIVED },
		{ "geaccepteerd", "accepted", ADVICE_ACCEPTED },
		{ "behandeling", "in-progress", ADVICE_IN_PROGRESS },
		{ "in-behandeling", "progress", ADVICE_IN_PROGRESS },
		{ "uitgebracht", "delivered", ADVICE_DELIVERED },
		{ "besloten", "decided", ADVICE_DECIDED },
		{ "afgewezen", "declined", ADVICE_DECLINED },
		{ "ingetrokken", "withdrawn", ADVICE_WITHDRAWN },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (args_is(w, words[i].nl, words[i].en))
			return words[i].s;
	return -1;
}

int advice_outcome_word(const char *w)
{
	if (args_is(w, "overgenomen", "adopted"))
		return OUTCOME_ADOPTED;
	if (args_is(w, "deels", "partly"))
		return OUTCOME_PARTLY;
	if (args_is(w, "niet", "rejected"))
		return OUTCOME_REJECTED;
	return -1;
}
