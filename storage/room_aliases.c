#include "storage/room_aliases.h"

#include "lib/strbuf.h"
#include "storage/db.h"

char *room_aliases_pinned_dup(sqlite3 *db, const char *alias)
{
	return db_text_dup(db, "SELECT room_id FROM room_aliases WHERE alias = ?1",
			   alias);
}

int room_aliases_pin(sqlite3 *db, const char *alias, const char *room_id,
		     long long now)
{
	return db_execf(db, "INSERT INTO room_aliases(alias, room_id, pinned_at)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(alias) DO NOTHING",
			"tti", alias, room_id, (sqlite3_int64)now);
}
