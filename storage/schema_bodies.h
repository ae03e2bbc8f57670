/* schema_bodies: the text of schema migration 40 (storage/schema.c lists
 * it): the bodies of a network and the proposals that travel between
 * them. Kept here so that schema.c stays small. Never edit a migration
 * that has shipped. */
#ifndef WT_STORAGE_SCHEMA_BODIES_H
#define WT_STORAGE_SCHEMA_BODIES_H

/* 40: bodies (storage/bodies.h): a network's named bodies (werktafel,
 * actielijnenoverleg, board, stuurgroep, subteam) with chair, secretary,
 * whether it decides delivered advice (instead of the first board),
 * rooms (a room belongs to at most one body) and members, some advisory;
 * a meeting belongs to the body of its room (set by a trigger when it is
 * made, so every existing way of planning a meeting, series included,
 * gives it); proposals with their current body and stage, and each step
 * (a decision of a body in its meeting) linked to the step before. A
 * network without bodies has none of these rows and behaves as before. */
#define SCHEMA_40_BODIES \
	"CREATE TABLE bodies (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  name TEXT NOT NULL COLLATE NOCASE," \
	"  kind TEXT NOT NULL CHECK (kind IN ('werktafel','actielijnenoverleg'," \
	"    'board','stuurgroep','subteam'))," \
	"  chair TEXT," \
	"  secretary TEXT," \
	"  decides_advice INTEGER NOT NULL DEFAULT 0," \
	"  created_at INTEGER NOT NULL," \
	"  UNIQUE (network, name)" \
	");" \
	"CREATE INDEX bodies_by_kind ON bodies(network, kind);" \
	"CREATE TABLE body_rooms (" \
	"  network TEXT NOT NULL," \
	"  room TEXT NOT NULL," \
	"  body_id INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE," \
	"  PRIMARY KEY (network, room)" \
	") WITHOUT ROWID;" \
	"CREATE INDEX body_rooms_by_body ON body_rooms(body_id);" \
	"CREATE TABLE body_members (" \
	"  body_id INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE," \
	"  user_id TEXT NOT NULL," \
	"  advisory INTEGER NOT NULL DEFAULT 0," \
	"  PRIMARY KEY (body_id, user_id)" \
	") WITHOUT ROWID;" \
	"ALTER TABLE meetings ADD COLUMN body_id INTEGER REFERENCES bodies(id)" \
	"  ON DELETE SET NULL;" \
	"CREATE INDEX meetings_by_body ON meetings(body_id, state, starts_at)" \
	"  WHERE body_id IS NOT NULL;" \
	"CREATE TRIGGER meetings_body AFTER INSERT ON meetings" \
	"  WHEN NEW.body_id IS NULL AND NEW.room IS NOT NULL BEGIN" \
	"  UPDATE meetings SET body_id = (SELECT body_id FROM body_rooms r" \
	"    WHERE r.network = NEW.network AND r.room = NEW.room)" \
	"  WHERE id = NEW.id; END;" \
	"CREATE TABLE proposals (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  title TEXT NOT NULL," \
	"  body_id INTEGER REFERENCES bodies(id) ON DELETE SET NULL," \
	"  stage TEXT NOT NULL DEFAULT 'draft' CHECK (stage IN ('draft','prepared'," \
	"    'approved','adopted','rejected'))," \
	"  agenda_item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL," \
	"  created_by TEXT NOT NULL," \
	"  created_at INTEGER NOT NULL," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE TABLE proposal_steps (" \
	"  id INTEGER PRIMARY KEY," \
	"  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE," \
	"  body_id INTEGER REFERENCES bodies(id) ON DELETE SET NULL," \
	"  stage TEXT NOT NULL," \
	"  meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL," \
	"  decision_id INTEGER REFERENCES logged_items(id) ON DELETE SET NULL," \
	"  prev_step INTEGER REFERENCES proposal_steps(id) ON DELETE SET NULL," \
	"  at INTEGER NOT NULL" \
	");" \
	"CREATE INDEX proposals_by_item ON proposals(agenda_item_id);" \
	"CREATE INDEX proposals_by_body ON proposals(body_id);" \
	"CREATE INDEX proposal_steps_by_meeting ON proposal_steps(meeting_id);" \
	"CREATE INDEX proposal_steps_by_decision ON proposal_steps(decision_id);" \
	"CREATE INDEX proposal_steps_by_prev ON proposal_steps(prev_step);" \
	"CREATE INDEX proposal_steps_by_body ON proposal_steps(body_id);" \
	"CREATE INDEX proposal_steps_by_proposal ON proposal_steps(proposal_id, id);"

#endif
