/* forget: erase a person (issue 23, item 4; the AVG's right to erasure).
 *
 * What is theirs alone goes: their reminders (to or from them), expertise,
 * roles, answers to invitations (RSVPs), time zone, their list pages,
 * pending direct messages to them, quarantined and undecryptable events
 * they sent. In the records the network must keep (decisions, actions and
 * notes of the minutes, attendance, meetings, agenda items, advice with its
 * history, action lines with their updates, spending and reports, who set
 * a role) their user id is replaced by a neutral label, also inside those
 * records' texts. The bot's own messages in the rooms are the rooms'
 * history on the homeserver and are not touched.
 *
 * Every table holding a user id is one row of a table in forget.c; a table
 * a later migration adds belongs there too (test_forget checks each user
 * column of the schema is covered). */
#ifndef WT_STORAGE_FORGET_H
#define WT_STORAGE_FORGET_H

#include <sqlite3.h>

/* What forget_person did, by kind. */
struct forget_counts {
	long long reminders;   /* reminders to or from them, removed */
	long long expertise;   /* expertise topics, removed */
	long long roles;       /* roles in networks, removed */
	long long rsvps;       /* answers to meeting invitations, removed */
	long long tz;          /* their own time zone (0 or 1), removed */
	long long other;       /* pages, pending messages, quarantined events */
	long long relabelled;  /* rows of kept records now carrying the label */
};

/* The outcome of forget_person and forget_preview. */
enum forget_outcome {
	FORGET_EDB = -1,       /* a statement failed: nothing is certain */
	FORGET_NOTHING = 0,    /* the database held nothing of theirs */
	FORGET_DONE = 1,       /* counts says what */
};

/* Erase user (a Matrix user id) everywhere, putting label (no user id,
 * e.g. "oud-lid 3") in the kept records. Runs in the caller's transaction
 * or savepoint; on FORGET_EDB the caller rolls back. */
enum forget_outcome forget_person(sqlite3 *db, const char *user, const char *label,
				  struct forget_counts *counts);
/* What forget_person would do, counted and rolled back. */
enum forget_outcome forget_preview(sqlite3 *db, const char *user, const char *label,
				   struct forget_counts *counts);
/* The next label number (1, 2, ...): each erased person gets their own,
 * so a record keeps "the same person did both" without saying who. */
long long forget_next_label(sqlite3 *db);

/* The (table, column) pairs forget_person covers, for the schema check:
 * calls fn for each; a pair it knowingly leaves (the homeserver's own
 * state, like power levels) is reported with kept = 1. */
void forget_each_column(void (*fn)(void *arg, const char *table, const char *column,
				   int kept),
			void *arg);

#endif
