/* rooms: which rooms the bot is in, for which network, since when; and the
 * invites it accepts (verified rooms of the config, direct messages from
 * known members) or refuses (everything else).
 *
 * A room is a network's only when verified: by its room id in the config,
 * or by a configured alias that the homeserver's directory resolves to it
 * AND that the room's m.room.canonical_alias (alias or alt_aliases) names,
 * read from the room's state once the bot is in it. The first room so
 * verified for an alias is pinned; a later move of the alias is logged at
 * warn and not followed. What an invite claims (invite_state, unsigned)
 * decides nothing. rooms.network of a room that is no direct chat is set
 * only for verified rooms; power levels count only there
 * (storage/room_power.c). */
#ifndef WT_ROOMS_H
#define WT_ROOMS_H

#include <jansson.h>
#include <sqlite3.h>

#include "bot/config.h"
#include "storage/rooms.h"  /* rooms_joined_at, rooms_note_joined */

struct matrix;

/* The network of room_id: a verified room's (rooms_verified_network), else
 * the network of a direct-message room. NULL when none. */
const struct wt_network *rooms_network(sqlite3 *db, const struct wt_config *cfg,
				       const char *room_id);

/* bot/rooms_verify.c */

/* The network room_id is verified for: its id in the config, or an alias
 * of the config pinned to it. NULL when none (also for anything that is
 * no room id). */
const struct wt_network *rooms_verified_network(sqlite3 *db, const struct wt_config *cfg,
						const char *room_id);
/* 1 when some network of the config names a room by alias. */
int rooms_config_has_aliases(const struct wt_config *cfg);
/* 1 when the content of an m.room.canonical_alias names alias (alias or
 * alt_aliases). */
int rooms_canonical_names(json_t *content, const char *alias);
/* The directory resolved the configured alias to room_id (NULL: not
 * found). Logs a move away from the pinned room at warn. Returns 1 when
 * room_id, not pinned yet, is a room the bot is in and whose canonical
 * alias should be checked now (rooms_alias_checked), else 0. */
int rooms_alias_resolved(sqlite3 *db, const struct wt_config *cfg, const char *alias,
			 const char *room_id);
/* content, room_id's m.room.canonical_alias (NULL: none), was read after
 * the directory resolved alias to it: pin and verify the room when it
 * names alias, else log it (the room is not the network's; the bot stays,
 * it may be verified for another alias). 1 verified, 0 not, negative on a
 * database error. */
int rooms_alias_checked(sqlite3 *db, const struct wt_config *cfg, const char *alias,
			const char *room_id, json_t *content);
/* One room of a sync's rooms.join, before its events are handled: a
 * pending join is done; when the bot joined the room to check an alias
 * (the directory gave it), verify it from the canonical alias in the
 * room's state as the homeserver sends it (pin it, or mark it to be
 * left). Runs inside the sync transaction. 0 or negative. */
int rooms_sync_joined(sqlite3 *db, const struct wt_config *cfg, const char *room_id,
		      json_t *room);
/* Make rooms.network agree with what is verified (at start, after the
 * config or the pins changed); logs rooms that no longer count. */
int rooms_reconcile(sqlite3 *db, const struct wt_config *cfg);
/* Ask the directory whether a configured alias resolves to room_id, an
 * invite not verified otherwise; then the invite is joined for a check
 * (pending 'join', rooms.alias) or refused. done() runs at the end. */
void rooms_resolve_invite(struct matrix *m, const char *room_id,
			  void (*done)(struct matrix *m));

/* Decide on one invite of a /sync response (rooms.invite.ROOM): mark the room
 * for joining or leaving in the rooms table. Runs inside the sync
 * transaction. Returns 0 or negative on a database error. */
int rooms_apply_invite(sqlite3 *db, const struct wt_config *cfg,
		       const char *own_user, const char *room_id, json_t *room);

/* Send the join/leave requests the rooms table waits for, one at a time;
 * joined() runs after each successful join. Safe to call often. */
void rooms_run_actions(struct matrix *m, void (*joined)(void *arg), void *arg);

#endif
