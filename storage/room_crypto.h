/* room_crypto: what the bot knows of a room's end-to-end encryption, and
 * the encrypted events that wait for their room key.
 *
 * A room's encryption is its m.room.encryption state content, stored as
 * the sync (or the room's state, asked for) shows it. Encryption cannot be
 * turned off in Matrix, so once a room is known encrypted it stays so; a
 * room the bot has not seen the state of is "unknown", and nothing is sent
 * there in plaintext until a look at its state says it is unencrypted
 * (bot/outbox.c). */
#ifndef WT_STORAGE_ROOM_CRYPTO_H
#define WT_STORAGE_ROOM_CRYPTO_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum room_enc {
	ROOM_ENC_UNKNOWN = 0,  /* no state seen yet */
	ROOM_ENC_OFF = 1,      /* seen: unencrypted */
	ROOM_ENC_ON = 2,       /* m.room.encryption is set */
};

/* Keep room_id's m.room.encryption content (JSON text; NULL or "" mark the
 * room as known unencrypted, which never undoes a known encryption).
 * Makes the room's row when there is none. 0 or negative. */
int room_crypto_set(sqlite3 *db, const char *room_id, const char *content);
/* Keep room_id's history visibility ("shared", "invited", ...). */
int room_crypto_set_visibility(sqlite3 *db, const char *room_id,
			       const char *visibility);
/* The room's encryption state (negative on error); with content != NULL
 * and ROOM_ENC_ON, *content is the m.room.encryption content (caller
 * frees); visibility likewise (NULL when not known). */
int room_crypto_get(sqlite3 *db, const char *room_id, char **content,
		    char **visibility);

/* The users the bot shares encrypted rooms with: a JSON array text of the
 * joined (and invited) members of every encrypted room, and the user of
 * every encrypted direct chat, each once (caller frees), or NULL. */
char *room_crypto_tracked_users(sqlite3 *db, const char *own);
/* The recipients of room_id's room key: its joined members, and its
 * invited ones when with_invited; for a direct chat also its user. A JSON
 * array text (caller frees), or NULL on error. */
char *room_crypto_recipients(sqlite3 *db, const char *room_id, int with_invited);

/* An encrypted event that could not be decrypted yet (no room key): kept
 * (INSERT OR IGNORE: the first sight counts for its age) with the whole
 * event JSON. 1 when new, 0 when it was kept already, negative on error. */
int e2ee_pending_add(sqlite3 *db, const char *event_id, const char *room_id,
		     const char *sender, const char *session_id,
		     const char *event_json, time_t now);

struct e2ee_pending {
	char *event_id, *room_id, *sender, *session_id, *event;
	long long first_seen;
};
/* The events still waiting (not given up), oldest first, at most max.
 * Returns their number (*out, free with e2ee_pending_free) or negative. */
int e2ee_pending_list(sqlite3 *db, size_t max, struct e2ee_pending **out);
void e2ee_pending_free(struct e2ee_pending *v, size_t n);
/* The event was decrypted and handled: it no longer waits. */
int e2ee_pending_done(sqlite3 *db, const char *event_id);
/* Give the event up (its key never came); 1 when this sender has no other
 * given-up event of the same session (so the sender is told once), 0 when
 * already told, negative on error. */
int e2ee_pending_give_up(sqlite3 *db, const char *event_id, time_t now);
/* Given-up rows older than before are dropped. */
int e2ee_pending_prune(sqlite3 *db, time_t before);
/* Number of waiting events (tests, logs). */
int e2ee_pending_count(sqlite3 *db);

#endif
