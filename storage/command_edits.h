/* command_edits: what an edit (m.replace) of a command needs to know (see
 * bot/edits.h): a refused command's sender, time and the bot's refusal
 * (its outbox txn id, then its event id once sent), and whether a
 * correction ran or the note that edits are not carried out was given. */
#ifndef WT_STORAGE_COMMAND_EDITS_H
#define WT_STORAGE_COMMAND_EDITS_H

#include <sqlite3.h>

enum command_edit_state {
	CMD_EDIT_REFUSED = 0,  /* refused: a correction may run */
	CMD_EDIT_RUN = 1,      /* a correction ran: later edits get the note */
	CMD_EDIT_NOTED = 2,    /* the note was given: later edits get nothing */
};

struct command_edit {
	char *room_id;
	char *sender;
	long long refused_at;     /* Unix seconds; 0: never refused */
	char *reply_event;        /* the bot's refusal as sent; NULL: not yet */
	char *thread_root;        /* the thread the command was sent in, or NULL */
	enum command_edit_state state;
};

/* The row of command event_id: 1 and *out filled (free with
 * command_edit_free), 0 when there is none, negative on error. */
int command_edits_get(sqlite3 *db, const char *event_id, struct command_edit *out);
void command_edit_free(struct command_edit *e);

/* Command event_id (room, sender, sent at `at`, in thread_root or NULL)
 * was refused; its refusal is outbox row reply_row. 0 or negative. */
int command_edits_add_refused(sqlite3 *db, const char *event_id, const char *room_id,
			      const char *sender, long long at, const char *thread_root,
			      long long reply_row);
/* The refusal of event_id is now outbox row reply_row (a new message; the
 * earlier refusal was not sent yet, so the next correction edits this
 * one). */
int command_edits_set_reply(sqlite3 *db, const char *event_id, long long reply_row);
/* Move event_id's row to state. */
int command_edits_set_state(sqlite3 *db, const char *event_id,
			    enum command_edit_state state);
/* The note was given for event_id (a row is made for a command that was
 * carried out, which has none). */
int command_edits_set_noted(sqlite3 *db, const char *event_id, const char *room_id,
			    const char *sender);
/* Outbox row outbox_id went out as event_id: a refusal among them gets its
 * event id (bot/outbox.c calls it before the row is deleted). */
int command_edits_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id);


#endif
