/* schema_polls: the text of schema migrations 33 and 34 (storage/schema.c
 * lists them): the indexes of the retention prune and the polls. Kept here
 * so that schema.c stays small. Never edit a migration that has shipped. */
#ifndef WT_STORAGE_SCHEMA_POLLS_H
#define WT_STORAGE_SCHEMA_POLLS_H

/* 33: retention (storage/retention.h) — the daily prune of handled
 * event ids, refused outbox rows, quarantined events and fired
 * reminders finds the old rows through an index, not by reading every
 * row kept. */
#define SCHEMA_33_RETENTION \
	"CREATE INDEX handled_by_time ON handled_events(handled_at);" \
	"CREATE INDEX outbox_failed ON outbox(failed_at) WHERE failed_at IS NOT NULL;" \
	"CREATE INDEX quarantine_by_time ON quarantine(quarantined_at);" \
	"CREATE INDEX reminders_done ON reminders(network, state," \
	"  coalesce(fired_at, created_at)) WHERE state IN ('fired','cancelled');"

/* 34: polls (native Matrix polls, MSC3381): the poll, its answers and
 * each person's last response; goal_id is the goal a scale poll's
 * final tally is recorded for (wired at merge). */
#define SCHEMA_34_POLLS \
	"CREATE TABLE polls (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  room_id TEXT NOT NULL," \
	"  question TEXT NOT NULL," \
	"  kind TEXT NOT NULL CHECK (kind IN ('choice','scale'))," \
	"  max_selections INTEGER NOT NULL DEFAULT 1," \
	"  anonymous INTEGER NOT NULL DEFAULT 0," \
	"  created_by TEXT NOT NULL," \
	"  created_at INTEGER NOT NULL," \
	"  ends_at INTEGER," \
	"  ended_at INTEGER," \
	"  start_txn TEXT," \
	"  event_id TEXT," \
	"  goal_id INTEGER," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE INDEX polls_by_event ON polls(event_id);" \
	"CREATE INDEX polls_by_txn ON polls(start_txn);" \
	"CREATE INDEX polls_open_by_end ON polls(ends_at) WHERE ended_at IS NULL;" \
	"CREATE TABLE poll_answers (" \
	"  poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE," \
	"  idx INTEGER NOT NULL," \
	"  answer_key TEXT NOT NULL," \
	"  text TEXT NOT NULL," \
	"  PRIMARY KEY (poll_id, idx)," \
	"  UNIQUE (poll_id, answer_key)" \
	") WITHOUT ROWID;" \
	"CREATE TABLE poll_votes (" \
	"  poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE," \
	"  voter TEXT NOT NULL," \
	"  answer_key TEXT NOT NULL," \
	"  ts INTEGER NOT NULL," \
	"  event_id TEXT NOT NULL," \
	"  PRIMARY KEY (poll_id, voter, answer_key)" \
	") WITHOUT ROWID;"

#endif
