/* outbox: messages waiting to be sent to the homeserver.
 *
 * A row is written in the same transaction as the command (or reminder) that
 * produced it, with its transaction id fixed at insert time; the sender reuses
 * that id on every retry so the homeserver deduplicates, and deletes the row
 * only after the homeserver answered 200. Rows without a room (direct
 * messages whose room does not exist yet) wait. A row the homeserver refused
 * for good (a 4xx other than 401/429) is marked failed and kept for the log.
 * A row is marked tried before its first PUT: while it is still here, it
 * may be in the room already (see bot/outbox.h). */
#ifndef WT_STORAGE_OUTBOX_H
#define WT_STORAGE_OUTBOX_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

struct outbox_row {
	long long id;
	char *room_id;     /* NULL: waits for a direct-message room */
	char *to_user;     /* or NULL */
	char *txn_id;
	char *event_type;  /* "m.room.message", "m.reaction" */
	char *content;     /* JSON object text */
	int attempts;
	char *upload;      /* a file still to upload (its text), or NULL */
	char *upload_name; /* its file name */
	char *upload_type; /* its MIME type */
	int tried;         /* a PUT of it went out (outbox_mark_tried) */
	char *answers;     /* the user whose command it answers, or NULL */
	char *grp;         /* its ordering group (outbox_set_group), or NULL */
	char *state_key;   /* a state event with this key (outbox_set_state),
			    * NULL: a timeline event */
	char *refused_content; /* a state row: the m.room.message content
				* posted in its room when the homeserver
				* refuses it with M_FORBIDDEN, or NULL */
};

/* Insert a message; its txn id is "wt-<id>-<random hex>". room_id or to_user
 * must be set. Returns 0 and the row id in *id_out (may be NULL), or negative. */
int outbox_enqueue(sqlite3 *db, const char *room_id, const char *to_user,
		   const char *event_type, const char *content, time_t now,
		   long long *id_out);

/* Like outbox_enqueue, for a message that carries a file: data (text) is
 * uploaded first, and its mxc:// URL put into content's "url" (see
 * outbox_set_uploaded) before the message is sent. */
int outbox_enqueue_file(sqlite3 *db, const char *room_id, const char *to_user,
			const char *content, const char *filename,
			const char *mimetype, const char *data, time_t now,
			long long *id_out);
/* The upload of row id is done: store the content with its URL and drop
 * the file's text. */
int outbox_set_uploaded(sqlite3 *db, long long id, const char *content);

/* Row id becomes a message with a file: content (its "url" filled in
 * after the upload) and data, the file's text, to upload first. */
int outbox_set_file(sqlite3 *db, long long id, const char *content,
		    const char *data, const char *filename, const char *mimetype);

/* Row id was encrypted for its room (bot/e2ee.h): from now on it is an
 * m.room.encrypted event with this content, sent as it is on every try
 * (the same ciphertext with the same txn id). */
int outbox_set_sealed(sqlite3 *db, long long id, const char *content);

/* The oldest sendable row of room_id: returns 1 and fills row, 0 when there
 * is none, negative on error. Free with outbox_row_free. */
int outbox_next_for_room(sqlite3 *db, const char *room_id, struct outbox_row *row);
/* The same, taking turns: the oldest row that answers someone else than
 * `last` (the user the room's previous send answered), else the oldest row;
 * with last NULL simply the oldest. One user's many answers thus
 * alternate with the others' instead of going first; each user's own
 * answers keep their order. */
int outbox_next_for_room_turn(sqlite3 *db, const char *room_id, const char *last,
			      struct outbox_row *row);
/* Note whose command row id answers (see outbox_next_for_room_turn). */
int outbox_set_answers(sqlite3 *db, long long id, const char *user);
/* Row id becomes a state event with state_key (PUT .../state/{type}/{key}:
 * idempotent, so a try of unknown outcome is simply repeated; never
 * encrypted, never carries its outbox id), and refused_content (may be
 * NULL) the message posted in its room when the homeserver answers
 * M_FORBIDDEN (the bot lacks the power level). */
int outbox_set_state(sqlite3 *db, long long id, const char *state_key,
		     const char *refused_content);
/* Put row id in an ordering group (the command it answers): rows of one
 * group in a room go one after another; rows of different groups may be
 * in flight together (outbox_next_sendable). Rows without a group keep
 * their place against every other row of their room. */
int outbox_set_group(sqlite3 *db, long long id, const char *grp);
/* The next row of room_id that may go while the rows busy[0..nbusy) (its
 * sends in flight) are out: an ungrouped row only when it is the room's
 * oldest and nothing is busy; a grouped row only before the room's first
 * ungrouped one, when it is the oldest of its group still here, and not
 * busy. Taking turns: the next user after last (by user id, round)
 * that has such a row, else the oldest such row. 1 and row filled, 0
 * when none may go now, negative on error. */
int outbox_next_sendable(sqlite3 *db, const char *room_id, const char *last,
			 const long long *busy, size_t nbusy, struct outbox_row *row);
/* Users outbox_next_sendable asks in turn before it takes the oldest. */
#define OUTBOX_TURN_TRIES 4
void outbox_row_free(struct outbox_row *row);
/* The oldest row not sent and not failed, with or without a room (console
 * mode prints these): 1, 0 or negative as above. */
int outbox_next_pending(sqlite3 *db, struct outbox_row *row);

/* Rooms that have sendable rows, oldest first (NULL-terminated, free with
 * outbox_rooms_free). Returns the count or negative. */
int outbox_pending_rooms(sqlite3 *db, char ***rooms);
void outbox_rooms_free(char **rooms);

/* Number of rows not yet sent and not failed (with or without a room). */
int outbox_count_pending(sqlite3 *db);

/* Remove a row after the homeserver accepted it. */
int outbox_delete(sqlite3 *db, long long id);
/* Count one failed try (kept for the log). */
int outbox_note_attempt(sqlite3 *db, long long id, const char *error);
/* A PUT of row id goes out now: from here on, its outcome may be unknown
 * (kept across restarts; set once). */
int outbox_mark_tried(sqlite3 *db, long long id);
/* Give up on a row the homeserver refuses for good. */
int outbox_mark_failed(sqlite3 *db, long long id, const char *error, time_t now);
/* Give waiting direct messages to user their room once it exists. */
int outbox_assign_room(sqlite3 *db, const char *to_user, const char *room_id);
/* The person the oldest direct message waiting for a room is for (caller
 * frees), or NULL when none waits. */
char *outbox_next_direct_user_dup(sqlite3 *db);
/* Give up on the direct messages to user that wait for a room (the
 * homeserver refuses to open one): failed at now with why. */
int outbox_fail_direct(sqlite3 *db, const char *to_user, const char *why, time_t now);

#endif
