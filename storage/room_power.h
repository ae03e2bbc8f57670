/* room_power: the user power levels of each room (m.room.power_levels),
 * from which a network role follows where none was set with !rol. */
#ifndef WT_STORAGE_ROOM_POWER_H
#define WT_STORAGE_ROOM_POWER_H

#include <sqlite3.h>
#include <stddef.h>

/* The level a creator has in rooms whose version ranks creators above
 * every power level (room version 12 and later). */
#define ROOM_POWER_CREATOR 1000000LL

/* Replace the levels of room_id (from m.room.power_levels) by the n given
 * ones. 0 or negative. */
int room_power_replace(sqlite3 *db, const char *room_id, const char *const *users,
		       const long long *levels, size_t n);

/* Replace the creators of room_id (from m.room.create) by the n given
 * users, at ROOM_POWER_CREATOR. 0 or negative. */
int room_power_set_creators(sqlite3 *db, const char *room_id,
			    const char *const *users, size_t n);

/* The highest level of user in the verified, joined rooms of network
 * (rooms.network set; direct chats left out); -1 when none gives one. */
long long room_power_in_network(sqlite3 *db, const char *network, const char *user);

/* Call fn for each user with a level of at least min in a room of network
 * (direct chats left out), highest first, with that level. */
typedef void (*room_power_fn)(void *arg, const char *user, long long level);
int room_power_each(sqlite3 *db, const char *network, long long min,
		    room_power_fn fn, void *arg);

#endif
