/* members: the first member list of each room of a network. When the sync
 * marked a room's list wanted (the bot is in the room and the list is not
 * known: at the first sync, after a new join), GET the room's
 * joined_members once and store it (storage/room_members.h); from then on
 * the sync's m.room.member events keep it current. */
#ifndef WT_MEMBERS_H
#define WT_MEMBERS_H

struct matrix;

/* Send the next wanted joined_members request, one at a time; each answer
 * sends the next. Safe to call often (after every sync). */
void members_run(struct matrix *m);

#endif
