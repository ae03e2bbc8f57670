/* members: the first member list and power levels of each room of a
 * network. When the sync marked a room's list wanted (the bot is in the room
 * and the list is not known: at the first sync, after a new join), GET the
 * room's joined_members and m.room.power_levels once and store them
 * (storage/room_members.h, storage/room_power.h); from then on the sync's
 * m.room.member and m.room.power_levels events keep them current. */
#ifndef WT_MEMBERS_H
#define WT_MEMBERS_H

#include <jansson.h>
#include <sqlite3.h>

struct matrix;

/* Send the next wanted joined_members request, one at a time; each answer
 * sends the next. Safe to call often (after every sync). */
void members_run(struct matrix *m);
/* The bot stops: free the fetch whose request struct matrix dropped
 * unanswered (after matrix_free). */
void members_forget(struct matrix *m);

/* Keep what a state event of room_id says of rights: the users map of
 * m.room.power_levels, and the creators of m.room.create where the room
 * version ranks them above every level. Other events are ignored;
 * anything malformed counts as nobody. 0 or negative. */
int members_note_state(sqlite3 *db, const char *room_id, json_t *ev);

#endif
