/* schema_cycle: the text of schema migrations 29 to 32 (storage/schema.c
 * lists them): the meeting cycle of issue 18 (documents, the finalised
 * agenda, attendance, approved minutes and the rota). Kept here so that
 * schema.c stays small. Never edit a migration that has shipped. */
#ifndef WT_STORAGE_SCHEMA_CYCLE_H
#define WT_STORAGE_SCHEMA_CYCLE_H

/* 29: documents — the papers of a meeting or of an agenda item
 * (storage/documents.h): a link (an http(s) URL) or a file message in
 * a network's room, kept by its event (room_id, event_id) with its
 * mxc:// URL or, from an encrypted room, its EncryptedFile object
 * whole (file, JSON), so the file stays encrypted and is linked as the
 * same event. An item's documents go with the item when it moves to
 * another meeting. room_files: the file messages the sync saw in the
 * networks' rooms, the last year's, so that `!stuk` sent as a reply to
 * one finds its details without asking the homeserver. */
#define SCHEMA_29_DOCUMENTS \
	"CREATE TABLE documents (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL," \
	"  item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL," \
	"  kind TEXT NOT NULL CHECK (kind IN ('link','file'))," \
	"  title TEXT NOT NULL," \
	"  url TEXT," \
	"  room_id TEXT," \
	"  event_id TEXT," \
	"  msgtype TEXT," \
	"  file TEXT," \
	"  mimetype TEXT," \
	"  size INTEGER NOT NULL DEFAULT 0," \
	"  added_by TEXT NOT NULL," \
	"  added_at INTEGER NOT NULL," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE INDEX documents_by_meeting ON documents(meeting_id, id);" \
	"CREATE INDEX documents_by_item ON documents(item_id, id);" \
	"CREATE INDEX documents_by_event ON documents(event_id);" \
	"CREATE TABLE room_files (" \
	"  event_id TEXT PRIMARY KEY," \
	"  room_id TEXT NOT NULL," \
	"  sender TEXT NOT NULL," \
	"  msgtype TEXT NOT NULL," \
	"  name TEXT NOT NULL," \
	"  url TEXT," \
	"  file TEXT," \
	"  mimetype TEXT," \
	"  size INTEGER NOT NULL DEFAULT 0," \
	"  seen_at INTEGER NOT NULL" \
	") WITHOUT ROWID;" \
	"CREATE INDEX room_files_by_age ON room_files(seen_at);"

/* 30: the finalised agenda and refused proposals. A meeting's
 * agenda_final_at is when its agenda was finalised (NULL: not yet;
 * storage/agenda_final.h); an agenda item's refusal is the reason the
 * secretary gave for refusing it (its state stays 'withdrawn', which
 * the table's CHECK allows: storage/agenda.c reads it as refused). */
#define SCHEMA_30_AGENDA_FINAL \
	"ALTER TABLE meetings ADD COLUMN agenda_final_at INTEGER;" \
	"ALTER TABLE agenda_items ADD COLUMN refusal TEXT;"

/* 31: attendance: a sent message's link to what it is
 * about (sent_links, by its outbox txn id, then its event id once
 * sent: a reaction to the invitation finds its meeting;
 * storage/sent_links.h); and each person's answer to a meeting's
 * invitation and presence at it (meeting_rsvps, with the reaction
 * that gave the answer: removing it takes the answer back;
 * storage/attendance.h). */
#define SCHEMA_31_ATTENDANCE \
	"CREATE TABLE sent_links (" \
	"  txn_id TEXT PRIMARY KEY," \
	"  event_id TEXT," \
	"  kind TEXT NOT NULL," \
	"  object_id INTEGER NOT NULL" \
	") WITHOUT ROWID;" \
	"CREATE INDEX sent_links_by_event ON sent_links(event_id);" \
	"CREATE TABLE meeting_rsvps (" \
	"  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE," \
	"  user_id TEXT NOT NULL," \
	"  answer TEXT CHECK (answer IN ('yes','no','maybe'))," \
	"  reason TEXT," \
	"  answered_at INTEGER," \
	"  present TEXT CHECK (present IN ('room','phone'))," \
	"  via_event TEXT," \
	"  PRIMARY KEY (meeting_id, user_id)" \
	") WITHOUT ROWID;" \
	"CREATE INDEX meeting_rsvps_by_event ON meeting_rsvps(via_event);"

/* 32: minutes approved, meetings recorded afterwards, organisations
 * and the rotation schedule. A run gets when and by whom its minutes
 * were approved (approved_in: the meeting that approved them, or
 * NULL) and whether it was recorded afterwards (`!vergadering
 * gehouden`: the bot did not see it run). minutes_corrections: the
 * corrections made when approving. member_orgs: the organisation a
 * member represents. rota: who represents which organisation from
 * first_day to last_day (local days since 1970-01-01), a short id
 * per network ("rota"); its rows mark the reminder family 'rota'. */
#define SCHEMA_32_MINUTES \
	"ALTER TABLE meeting_runs ADD COLUMN approved_at INTEGER;" \
	"ALTER TABLE meeting_runs ADD COLUMN approved_by TEXT;" \
	"ALTER TABLE meeting_runs ADD COLUMN approved_in INTEGER" \
	"  REFERENCES meetings(id) ON DELETE SET NULL;" \
	"ALTER TABLE meeting_runs ADD COLUMN afterwards INTEGER NOT NULL DEFAULT 0;" \
	"CREATE INDEX meeting_runs_by_approver ON meeting_runs(approved_in)" \
	"  WHERE approved_in IS NOT NULL;" \
	"CREATE TABLE minutes_corrections (" \
	"  id INTEGER PRIMARY KEY," \
	"  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE," \
	"  text TEXT NOT NULL," \
	"  logged_by TEXT NOT NULL," \
	"  at INTEGER NOT NULL" \
	");" \
	"CREATE INDEX minutes_corrections_by_meeting ON minutes_corrections(meeting_id, id);" \
	"CREATE TABLE member_orgs (" \
	"  network TEXT NOT NULL," \
	"  user_id TEXT NOT NULL," \
	"  organisation TEXT NOT NULL," \
	"  set_at INTEGER NOT NULL," \
	"  PRIMARY KEY (network, user_id)" \
	") WITHOUT ROWID;" \
	"CREATE INDEX member_orgs_by_org ON member_orgs(network, organisation COLLATE NOCASE, user_id);" \
	"CREATE TABLE rota (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  organisation TEXT NOT NULL," \
	"  user_id TEXT NOT NULL," \
	"  first_day INTEGER NOT NULL," \
	"  last_day INTEGER NOT NULL CHECK (last_day >= first_day)," \
	"  created_by TEXT NOT NULL," \
	"  created_at INTEGER NOT NULL," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE INDEX rota_by_period ON rota(network, last_day, id);" \
	"CREATE TRIGGER rd_rota_ins AFTER INSERT ON rota BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'rota', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'rota'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_rota_upd AFTER UPDATE ON rota BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'rota', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'rota'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_rota_del AFTER DELETE ON rota BEGIN" \
	"  INSERT INTO reminder_dirty SELECT OLD.network, 'rota', OLD.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = OLD.network AND family = 'rota'" \
	"  AND ref_id = OLD.id); END;"

#endif
