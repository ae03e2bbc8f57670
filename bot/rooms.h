/* rooms: which rooms the bot is in, for which network, since when; and the
 * invites it accepts (rooms of the config, direct messages from known
 * members) or refuses (everything else). */
#ifndef WT_ROOMS_H
#define WT_ROOMS_H

#include <jansson.h>
#include <sqlite3.h>

#include "bot/config.h"

struct matrix;

/* The network of room_id: by the config (room id), else by the rooms table
 * (resolved aliases, direct-message rooms). NULL when none. */
const struct wt_network *rooms_network(sqlite3 *db, const struct wt_config *cfg,
				       const char *room_id);

/* Decide on one invite of a /sync response (rooms.invite.ROOM): mark the room
 * for joining or leaving in the rooms table. Runs inside the sync
 * transaction. Returns 0 or negative on a database error. */
int rooms_apply_invite(sqlite3 *db, const struct wt_config *cfg,
		       const char *own_user, const char *room_id, json_t *room);

/* The bot's own join time in room_id as the homeserver stamped it (ms), 0
 * when unknown, -1 when the room is not in the table. */
long long rooms_joined_at(sqlite3 *db, const char *room_id);
/* Record that the bot is in room_id (network may be NULL); joined_at_ms > 0
 * sets the join time. */
int rooms_note_joined(sqlite3 *db, const char *room_id, const char *network,
		      long long joined_at_ms);

/* Send the join/leave requests the rooms table waits for, one at a time;
 * joined() runs after each successful join. Safe to call often. */
void rooms_run_actions(struct matrix *m, void (*joined)(void *arg), void *arg);

#endif
