/* room_members: who is in each room of a network, so that handlers can
 * refuse an action owner or an advice assignee who is not in the room.
 *
 * The list of a room is "known" once the room's joined_members answer was
 * stored; from then on m.room.member events of the sync keep it current.
 * Until then (console mode, a room the bot just joined) nothing is
 * refused: the handlers ask room_members_outside(), which says no when the
 * list is not known. */
#ifndef WT_STORAGE_ROOM_MEMBERS_H
#define WT_STORAGE_ROOM_MEMBERS_H

#include <sqlite3.h>
#include <stddef.h>

/* Store user's membership in room_id as a sync event gave it ("join",
 * "leave", "invite", "ban", "knock"). Returns 0 or negative. */
int room_members_set(sqlite3 *db, const char *room_id, const char *user,
		     const char *membership);

/* Keep user's display name in room_id (NULL: none; a row is made when
 * there is none yet). Returns 0 or negative. */
int room_members_set_name(sqlite3 *db, const char *room_id, const char *user,
			  const char *displayname);

/* One person a network's rooms know: id and display name (may be NULL). */
struct room_person {
	char *user_id;
	char *displayname;
};

/* The joined members of network's verified rooms and of room (the
 * command's room; may be NULL), each once (the name from the room where
 * it is set), sorted by id. Returns their number (*out, caller frees with
 * room_people_free) or negative. */
int room_members_people(sqlite3 *db, const char *network, const char *room,
			struct room_person **out);
void room_people_free(struct room_person *v, size_t n);

/* The display name of user (caller frees; NULL when none is known): the
 * one set in network's verified rooms, else in room (the command's; may
 * be NULL), a joined row first. *shared (may be NULL) is set to 1 when
 * another joined member of those rooms has the same name. 0 or negative. */
int room_members_name_dup(sqlite3 *db, const char *network, const char *room,
			  const char *user, char **name, int *shared);

/* Ask for the full list of room_id when it is not known or asked for yet,
 * and the room is a room of a network (not a direct chat). 0 or negative. */
int room_members_want(sqlite3 *db, const char *room_id);

/* The bot left room_id: drop its list and mark it unknown. */
int room_members_forget(sqlite3 *db, const char *room_id);

/* A room whose list is wanted (caller frees), or NULL when none. */
char *room_members_next_wanted(sqlite3 *db);

/* The joined_members request for room_id goes out now: rows stored from
 * here on by a sync are newer than its answer. */
int room_members_fetch_begin(sqlite3 *db, const char *room_id);

/* The answer: the n joined users replace the stored list (except rows a
 * sync wrote since fetch_begin) and the list is known. All or nothing. */
int room_members_fetch_done(sqlite3 *db, const char *room_id,
			    const char *const *joined, size_t n);

/* The request was refused (the bot is not in the room): unknown again. */
int room_members_fetch_failed(sqlite3 *db, const char *room_id);

/* Mark the list of room_id known as stored (tests, fetch_done). */
int room_members_mark_known(sqlite3 *db, const char *room_id);

/* 1 when the list of room_id is known, 0 when not, negative on error. */
int room_members_known(sqlite3 *db, const char *room_id);

/* 1 when user is a joined member of room_id, 0 when not, negative on
 * error. */
int room_members_is_joined(sqlite3 *db, const char *room_id, const char *user);

/* 1 when the list of room_id is known and user is not joined: the
 * handlers refuse such a user. 0 otherwise (also on errors and for a NULL
 * room: an unknown answer never refuses). */
int room_members_outside(sqlite3 *db, const char *room_id, const char *user);

/* Whether user may reach the data of network from room, by current
 * membership: ROOM_ACCESS_YES when room is itself one of the network's
 * verified rooms (a message there proves membership) or user is joined
 * to one whose member list is known; ROOM_ACCESS_NO when not, though some
 * list is known; ROOM_ACCESS_UNKNOWN when no list of the network's rooms
 * is known yet. Negative on error. Admins and the config's own rooms are
 * for the caller to let through. */
enum { ROOM_ACCESS_NO = 0, ROOM_ACCESS_YES = 1, ROOM_ACCESS_UNKNOWN = 2 };
int room_members_access(sqlite3 *db, const char *network, const char *room,
			const char *user);

/* The network of a verified room user is joined to (the one the bot
 * joined first), or NULL; caller frees. Direct chats with the bot use it. */
char *room_members_network_of_dup(sqlite3 *db, const char *user);

#endif
