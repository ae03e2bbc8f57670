/* room_aliases: the room each configured alias was first verified for
 * (the homeserver's directory resolved the alias to it and the room's
 * m.room.canonical_alias named the alias). The pin holds: when the alias
 * later points elsewhere, the bot logs it and keeps the pinned room. */
#ifndef WT_STORAGE_ROOM_ALIASES_H
#define WT_STORAGE_ROOM_ALIASES_H

#include <sqlite3.h>

/* The room alias is pinned to (caller frees), or NULL when none. */
char *room_aliases_pinned_dup(sqlite3 *db, const char *alias);

/* Pin alias to room_id at now (Unix seconds); an alias pinned already
 * keeps its room. 0 or negative. */
int room_aliases_pin(sqlite3 *db, const char *alias, const char *room_id,
		     long long now);

#endif
