/* rooms: the rooms table, the bot's own record of each room it is in, is
 * asked into, or leaves: its network (verified rooms and direct chats
 * only), the direct chat's person (dm_user), the join or leave it still
 * has to send (pending 'join' or 'leave'), the configured alias it joined
 * a room to check (alias), an invite to ask the directory about
 * (resolve), and its own join time as the homeserver stamped it (ms).
 * What decides on these is bot/rooms.c and bot/rooms_verify.c. */
#ifndef WT_STORAGE_ROOMS_H
#define WT_STORAGE_ROOMS_H

#include <sqlite3.h>

/* The network of room_id when it is a direct chat with one (caller
 * frees), else NULL. */
char *room_dm_network_dup(sqlite3 *db, const char *room_id);
/* The bot's join time in room_id (ms), 0 when unknown, -1 when the room
 * is not in the table. */
long long rooms_joined_at(sqlite3 *db, const char *room_id);
/* The bot is in room_id: the row made or updated (network kept when NULL,
 * a pending join done); joined_at_ms > 0 sets the join time. */
int rooms_note_joined(sqlite3 *db, const char *room_id, const char *network,
		      long long joined_at_ms);
/* The room left the bot (left, kicked): its join time forgotten, unless
 * a join or leave is pending. */
int room_forget_joined(sqlite3 *db, const char *room_id);

/* Invites: join room_id for network, a verified room (dm_user NULL) or
 * the direct chat of dm_user; or leave it, first asking the directory
 * about the configured aliases when resolve. */
int room_mark_join(sqlite3 *db, const char *room_id, const char *network,
		   const char *inviter, const char *dm_user);
int room_mark_leave(sqlite3 *db, const char *room_id, const char *inviter,
		    int resolve);

/* The next join or leave to send (the first by room id). */
struct room_action {
	char *room_id;
	char *dm_user;   /* the direct chat's person, or NULL */
	int join;        /* 1 join, 0 leave */
	int resolve;     /* ask the directory first (an invite to check) */
};
/* 1 with *a filled (free with room_action_free), 0 when nothing waits,
 * negative on error. */
int room_next_action(sqlite3 *db, struct room_action *a);
void room_action_free(struct room_action *a);
/* A pending join succeeded (or the sync shows the room joined). */
int room_join_done(sqlite3 *db, const char *room_id);
/* A pending join failed: nothing pending, no alias to check. */
int room_join_failed(sqlite3 *db, const char *room_id);
/* A pending leave was sent: the row goes. */
int room_left(sqlite3 *db, const char *room_id);

/* Verification (bot/rooms_verify.c). 1 when the bot is in room_id, no
 * direct chat, nothing pending; 0 when not. */
int room_is_in(sqlite3 *db, const char *room_id);
/* The configured alias room_id was joined to check (no network, no
 * direct chat), or NULL (caller frees). */
char *room_alias_to_check_dup(sqlite3 *db, const char *room_id);
/* The directory gave room_id for alias: join it to check (an invite
 * waiting for the directory only); or nothing resolved: refuse it. */
int room_join_to_check(sqlite3 *db, const char *room_id, const char *alias);
int room_resolve_done(sqlite3 *db, const char *room_id);
/* room_id is verified as network's room (the check is over). */
int room_set_verified(sqlite3 *db, const char *room_id, const char *network);
/* The check failed: leave room_id (not a direct chat). */
int room_leave_unverified(sqlite3 *db, const char *room_id);
/* Set room_id's network (NULL: none). */
int room_set_network(sqlite3 *db, const char *room_id, const char *network);
/* Call fn for each room that is no direct chat, by room id, with its
 * network (NULL: none); stops at fn's first nonzero return (returned). */
typedef int (*room_each_fn)(void *arg, const char *room_id, const char *network);
int room_each_group(sqlite3 *db, room_each_fn fn, void *arg);

/* Direct chats (bot/dm.c). The newest joined direct room of user, or NULL
 * (caller frees). */
char *room_dm_of_dup(sqlite3 *db, const char *user);
/* The bot created room_id as user's direct chat of network at
 * joined_at_ms. */
int room_open_dm(sqlite3 *db, const char *room_id, const char *network,
		 long long joined_at_ms, const char *user);
/* user left direct chat room_id: it is no direct chat any more and the
 * bot leaves it. */
int room_drop_dm(sqlite3 *db, const char *room_id);

#endif
