/* schema: the database's migrations, in order. Migration i (1-based) takes
 * the database from user_version i-1 to i. Never edit a migration that has
 * shipped; add a new one. */
#include "storage/schema.h"

static const char *const migrations[] = {
	/* 1: core — key/value state, short-id counters, roles, meetings and
	 * agenda items. */
	"CREATE TABLE kv ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT"
	") WITHOUT ROWID;"
	"CREATE TABLE id_counters ("
	"  network TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  next INTEGER NOT NULL,"
	"  PRIMARY KEY (network, kind)"
	") WITHOUT ROWID;"
	"CREATE TABLE roles ("
	"  network TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),"
	"  set_by TEXT,"
	"  set_at INTEGER NOT NULL,"
	"  PRIMARY KEY (network, user_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE meetings ("
	"  id INTEGER PRIMARY KEY,"
	"  network TEXT NOT NULL,"
	"  short_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  room TEXT,"
	"  starts_at INTEGER NOT NULL,"
	"  duration_min INTEGER NOT NULL DEFAULT 120,"
	"  place TEXT,"
	"  rrule TEXT,"
	"  series_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,"
	"  state TEXT NOT NULL DEFAULT 'planned'"
	"    CHECK (state IN ('planned','open','closed','cancelled')),"
	"  created_by TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  opened_at INTEGER,"
	"  closed_at INTEGER,"
	"  UNIQUE (network, short_id)"
	");"
	"CREATE INDEX meetings_by_start ON meetings(network, state, starts_at);"
	"CREATE TABLE agenda_items ("
	"  id INTEGER PRIMARY KEY,"
	"  network TEXT NOT NULL,"
	"  short_id INTEGER NOT NULL,"
	"  meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,"
	"  position INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  theme TEXT,"
	"  why TEXT,"
	"  what TEXT,"
	"  how TEXT,"
	"  proposer TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'proposed'"
	"    CHECK (state IN ('proposed','accepted','discussed','deferred','withdrawn')),"
	"  created_at INTEGER NOT NULL,"
	"  event_id TEXT,"
	"  UNIQUE (network, short_id)"
	");"
	"CREATE INDEX agenda_by_meeting ON agenda_items(meeting_id, position);",

	/* 2: Matrix — handled events (exactly once), the outbox, rooms. The sync
	 * token, filter id, access token and device id live in kv. */
	"CREATE TABLE handled_events ("
	"  event_id TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  handled_at INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  room_id TEXT,"
	"  to_user TEXT,"
	"  txn_id TEXT NOT NULL UNIQUE,"
	"  event_type TEXT NOT NULL,"
	"  content TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  CHECK (room_id IS NOT NULL OR to_user IS NOT NULL)"
	");"
	"CREATE INDEX outbox_by_room ON outbox(room_id, id);"
	"CREATE TABLE rooms ("
	"  room_id TEXT PRIMARY KEY,"
	"  network TEXT,"
	"  joined_at INTEGER,"
	"  dm_user TEXT"
	") WITHOUT ROWID;",

	/* 3: Matrix client — outbox rows the homeserver refused for good stay
	 * for the log but are no longer sent; invites waiting for their join or
	 * leave request (so a crash between sync and request loses none). */
	"ALTER TABLE outbox ADD COLUMN failed_at INTEGER;"
	"ALTER TABLE rooms ADD COLUMN pending TEXT"
	"  CHECK (pending IS NULL OR pending IN ('join','leave'));"
	"ALTER TABLE rooms ADD COLUMN invited_by TEXT;",

	/* 4: reminders — personal, room and generated ones (meeting cycle,
	 * action lines, advice requests) in one table; the scheduler picks the
	 * earliest pending one through a partial index. */
	"CREATE TABLE reminders ("
	"  id INTEGER PRIMARY KEY,"
	"  network TEXT NOT NULL,"
	"  short_id INTEGER,"
	"  kind TEXT NOT NULL,"
	"  ref_id INTEGER,"
	"  source_key TEXT UNIQUE,"
	"  owner TEXT,"
	"  to_user TEXT,"
	"  room_id TEXT,"
	"  due_at INTEGER NOT NULL,"
	"  text TEXT,"
	"  rrule TEXT,"
	"  tz TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending','fired','cancelled')),"
	"  fired_at INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (network, short_id),"
	"  CHECK (to_user IS NOT NULL OR room_id IS NOT NULL)"
	");"
	"CREATE INDEX reminders_due ON reminders(due_at) WHERE state = 'pending';"
	"CREATE INDEX reminders_owner ON reminders(network, owner, state);"
	"CREATE TABLE user_settings ("
	"  user_id TEXT PRIMARY KEY,"
	"  tz TEXT"
	") WITHOUT ROWID;",

	/* 5: reminders — a recurring reminder's first occurrence (the anchor of
	 * its RRULE) and the occurrence its due time belongs to (they differ
	 * after a snooze); the transaction id of the last message a reminder
	 * sent, so that a reply to that message can snooze it. */
	"ALTER TABLE reminders ADD COLUMN dtstart INTEGER;"
	"ALTER TABLE reminders ADD COLUMN occurs_at INTEGER;"
	"ALTER TABLE reminders ADD COLUMN last_txn TEXT;"
	"CREATE INDEX reminders_txn ON reminders(last_txn) WHERE last_txn IS NOT NULL;",
};

const char *const *schema_migrations(int *n)
{
	*n = (int)(sizeof migrations / sizeof migrations[0]);
	return migrations;
}
