/* schema: the database's migrations, in order. Migration i (1-based) takes
 * the database from user_version i-1 to i. Never edit a migration that has
 * shipped; add a new one. */
#include "storage/schema.h"
#include "storage/schema_reminder_dirty.h"
#include "storage/schema_goals.h"
#include "storage/schema_cycle.h"
#include "storage/schema_polls.h"
#include "storage/schema_eval.h"
#include "storage/schema_reports.h"
#include "storage/schema_web.h"
#include "storage/schema_widget.h"
#include "storage/schema_bodies.h"
#include "storage/schema_lines.h"

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

	/* 6: action lines — the line (short code ALn per network, status kept
	 * with its reason), its people, phases, deliverables, status history,
	 * dated updates, spending in euro cents and the reports generated from
	 * them. Days are 'YYYY-MM-DD' in the network's zone; instants are UTC
	 * seconds. Overdue and the current phase are derived when read. */
	"CREATE TABLE action_lines ("
	"  id INTEGER PRIMARY KEY,"
	"  network TEXT NOT NULL,"
	"  short_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  goal TEXT,"
	"  budget_cents INTEGER NOT NULL DEFAULT 0 CHECK (budget_cents >= 0),"
	"  status TEXT NOT NULL DEFAULT 'on_track'"
	"    CHECK (status IN ('on_track','at_risk','late','done')),"
	"  status_reason TEXT,"
	"  status_at INTEGER NOT NULL,"
	"  created_by TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (network, short_id)"
	");"
	"CREATE TABLE action_line_people ("
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('sponsor','lead','care','member')),"
	"  user_id TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  PRIMARY KEY (line_id, role, user_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE action_line_phases ("
	"  id INTEGER PRIMARY KEY,"
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  start_day TEXT NOT NULL,"
	"  end_day TEXT NOT NULL CHECK (end_day >= start_day),"
	"  started_on TEXT,"
	"  done_on TEXT,"
	"  UNIQUE (line_id, position)"
	");"
	"CREATE TABLE action_line_deliverables ("
	"  id INTEGER PRIMARY KEY,"
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE,"
	"  number INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  due_day TEXT NOT NULL,"
	"  phase_id INTEGER REFERENCES action_line_phases(id) ON DELETE SET NULL,"
	"  done_on TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (line_id, number)"
	");"
	"CREATE TABLE action_line_status_log ("
	"  id INTEGER PRIMARY KEY,"
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE,"
	"  status TEXT NOT NULL,"
	"  reason TEXT,"
	"  author TEXT,"
	"  at INTEGER NOT NULL"
	");"
	"CREATE TABLE action_line_updates ("
	"  id INTEGER PRIMARY KEY,"
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE,"
	"  author TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  event_id TEXT"
	");"
	"CREATE INDEX action_line_updates_by_line ON action_line_updates(line_id, at);"
	"CREATE TABLE action_line_spending ("
	"  id INTEGER PRIMARY KEY,"
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE,"
	"  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
	"  day TEXT NOT NULL,"
	"  note TEXT NOT NULL,"
	"  author TEXT,"
	"  at INTEGER NOT NULL"
	");"
	"CREATE TABLE action_line_reports ("
	"  id INTEGER PRIMARY KEY,"
	"  network TEXT NOT NULL,"
	"  line_key INTEGER NOT NULL,"
	"  period TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  markdown TEXT NOT NULL,"
	"  generated_by TEXT,"
	"  generated_at INTEGER NOT NULL,"
	"  UNIQUE (network, line_key, period, lang)"
	");",
	/* 7: advice requests — asked (requested_by a board member) and unasked
	 * advice to the board, their assignees, and every step with who took
	 * it, when, and the message it came from; members' expertise topics,
	 * with a folded form (lower case, no accents) to search on. */
	"CREATE TABLE advice_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  network TEXT NOT NULL,"
	"  short_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  question TEXT,"
	"  theme TEXT,"
	"  why TEXT,"
	"  what TEXT,"
	"  how TEXT,"
	"  deadline INTEGER,"
	"  requested_by TEXT,"
	"  submitted_by TEXT NOT NULL,"
	"  room TEXT,"
	"  state TEXT NOT NULL DEFAULT 'received'"
	"    CHECK (state IN ('received','accepted','in_progress','delivered',"
	"                     'decided','declined','withdrawn')),"
	"  draft TEXT,"
	"  draft_by TEXT,"
	"  draft_at INTEGER,"
	"  outcome TEXT"
	"    CHECK (outcome IS NULL OR outcome IN ('adopted','partly','rejected')),"
	"  note TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  event_id TEXT,"
	"  UNIQUE (network, short_id)"
	");"
	"CREATE INDEX advice_by_state ON advice_requests(network, state);"
	"CREATE TABLE advice_assignees ("
	"  advice_id INTEGER NOT NULL REFERENCES advice_requests(id) ON DELETE CASCADE,"
	"  user_id TEXT NOT NULL,"
	"  assigned_by TEXT NOT NULL,"
	"  assigned_at INTEGER NOT NULL,"
	"  PRIMARY KEY (advice_id, user_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE advice_history ("
	"  id INTEGER PRIMARY KEY,"
	"  advice_id INTEGER NOT NULL REFERENCES advice_requests(id) ON DELETE CASCADE,"
	"  action TEXT NOT NULL,"
	"  from_state TEXT,"
	"  to_state TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  event_id TEXT,"
	"  note TEXT"
	");"
	"CREATE INDEX advice_history_by_request ON advice_history(advice_id, id);"
	"CREATE TABLE expertise ("
	"  network TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  topic TEXT NOT NULL,"
	"  folded TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  PRIMARY KEY (network, user_id, folded)"
	") WITHOUT ROWID;"
	"CREATE INDEX expertise_by_topic ON expertise(network, folded);",

	/* 8: meeting mode — a meeting's run (its room and current agenda item;
	 * at most one open run per room), who spoke while it was open, and what
	 * was logged: decisions (short id per network; meeting_id NULL for a
	 * standalone one), action items (owner, due, done) and notes, each with
	 * the message it came from (event_id, and its place in that message). */
	"CREATE TABLE meeting_runs ("
	"  meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,"
	"  network TEXT NOT NULL,"
	"  room TEXT NOT NULL,"
	"  current_item INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,"
	"  opened_by TEXT NOT NULL,"
	"  opened_at INTEGER NOT NULL,"
	"  closed_at INTEGER"
	");"
	"CREATE UNIQUE INDEX meeting_runs_one_open ON meeting_runs(room)"
	"  WHERE closed_at IS NULL;"
	"CREATE TABLE meeting_attendees ("
	"  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,"
	"  user_id TEXT NOT NULL,"
	"  first_at INTEGER NOT NULL,"
	"  messages INTEGER NOT NULL DEFAULT 1,"
	"  PRIMARY KEY (meeting_id, user_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE logged_items ("
	"  id INTEGER PRIMARY KEY,"
	"  network TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('decision','action','note')),"
	"  short_id INTEGER,"
	"  meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,"
	"  agenda_item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,"
	"  text TEXT NOT NULL,"
	"  owner TEXT,"
	"  due_at INTEGER,"
	"  done_at INTEGER,"
	"  done_by TEXT,"
	"  action_line INTEGER,"
	"  advice INTEGER,"
	"  logged_by TEXT NOT NULL,"
	"  room TEXT,"
	"  event_id TEXT,"
	"  part INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  edited_at INTEGER,"
	"  CHECK (kind != 'action' OR owner IS NOT NULL),"
	"  UNIQUE (network, kind, short_id)"
	");"
	"CREATE INDEX logged_by_event ON logged_items(event_id) WHERE event_id IS NOT NULL;"
	"CREATE INDEX logged_by_meeting ON logged_items(meeting_id, id);"
	"CREATE INDEX logged_by_author ON logged_items(network, logged_by, id);"
	"CREATE INDEX logged_open_actions ON logged_items(network, owner)"
	"  WHERE kind = 'action' AND done_at IS NULL;",

	/* 9: reminders — the event id of the last message a reminder sent (the
	 * homeserver's answer to its txn id), so that a reply ("snooze 1h") or a
	 * 👍 reaction to that message finds the reminder. */
	"ALTER TABLE reminders ADD COLUMN last_event TEXT;"
	"CREATE INDEX reminders_event ON reminders(last_event) WHERE last_event IS NOT NULL;",

	/* 10: files — a message that carries a file (minutes, reports, the
	 * calendar) keeps the file's text until the media upload gave its
	 * mxc:// URL; then the URL goes into content and the text is dropped. */
	"ALTER TABLE outbox ADD COLUMN upload TEXT;"
	"ALTER TABLE outbox ADD COLUMN upload_name TEXT;"
	"ALTER TABLE outbox ADD COLUMN upload_type TEXT;",

	/* 11: room members — who is in each room of a network (from the
	 * room's joined_members once, then kept current from m.room.member
	 * events), so that an action or an advice can refuse someone who is
	 * not in the room. rooms.members: NULL while the list is unknown,
	 * 'wanted' until joined_members answered, 'known' after. from_sync
	 * marks rows a sync wrote while that answer was on its way (they are
	 * newer than the answer's snapshot and win). */
	"ALTER TABLE rooms ADD COLUMN members TEXT"
	"  CHECK (members IS NULL OR members IN ('wanted','known'));"
	"CREATE TABLE room_members ("
	"  room_id TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  membership TEXT NOT NULL,"
	"  from_sync INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (room_id, user_id)"
	") WITHOUT ROWID;"
	"UPDATE rooms SET members = 'wanted' WHERE pending IS NULL"
	"  AND dm_user IS NULL AND network IS NOT NULL;",

	/* 12: room power levels — the users map of each room's
	 * m.room.power_levels, and the room's creators where the room version
	 * ranks them above every level (12 and later), so a network role can
	 * follow the room's rights (100: chair, 50: secretary) where none is
	 * set with !rol. */
	"CREATE TABLE room_power ("
	"  room_id TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  level INTEGER NOT NULL,"
	"  creator INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (room_id, user_id, creator)"
	") WITHOUT ROWID;"
	"CREATE INDEX room_power_by_user ON room_power(user_id);",

	/* 13: verified network rooms — a room is a network's only by its
	 * configured room id, or by a configured alias that the homeserver's
	 * directory resolves to it and that the room's m.room.canonical_alias
	 * names. room_aliases pins the first room so verified for an alias:
	 * a later move of the alias is logged, not followed. rooms.alias: the
	 * alias a room is being joined for, until verified; rooms.resolve: an
	 * invite to check against the directory before it is refused.
	 * rooms.network of a room that is no direct chat now means verified;
	 * the start-up pass clears it (with a warning) where it is not. */
	"CREATE TABLE room_aliases ("
	"  alias TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  pinned_at INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"ALTER TABLE rooms ADD COLUMN alias TEXT;"
	"ALTER TABLE rooms ADD COLUMN resolve INTEGER NOT NULL DEFAULT 0;",

	/* 14: quarantine — events whose handling failed hard (an internal
	 * error, or the process died while handling them): skipped for good,
	 * their sender told once, kept here for the operator. */
	"CREATE TABLE quarantine ("
	"  event_id TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  sender TEXT,"
	"  reason TEXT NOT NULL,"
	"  quarantined_at INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/* 15: exactly once without the homeserver's transaction memory — set
	 * when the first PUT of a row goes out: a row still here with it set
	 * may be in the room already (the answer was lost, or the process
	 * died waiting for it), so the sender looks for the event's outbox id
	 * in the room's timeline before it sends the row again. */
	"ALTER TABLE outbox ADD COLUMN tried INTEGER NOT NULL DEFAULT 0;",

	/* 16: flooding — the user whose command an outbox row answers (NULL:
	 * reminders and other messages), so that a room's sends take turns
	 * between users and one member's many answers do not hold up
	 * another's. */
	"ALTER TABLE outbox ADD COLUMN answers TEXT;",

	/* 17: display names — a member's name as their m.room.member event
	 * (content.displayname) or the joined_members answer gives it, so a
	 * person can be named as clients show them ("Piet Jansen", or the
	 * pill Element puts in a message) and replies can show names. */
	"ALTER TABLE room_members ADD COLUMN displayname TEXT;",

	/* 18: encrypted rooms — a room's m.room.encryption content (NULL: not
	 * known yet, '': known to be unencrypted; encryption cannot be turned
	 * off again) and history visibility, which say whether and for whom
	 * the bot encrypts; and the encrypted events whose room key has not
	 * arrived yet, kept until it does (or until they are given up). */
	"ALTER TABLE rooms ADD COLUMN encryption TEXT;"
	"ALTER TABLE rooms ADD COLUMN history_visibility TEXT;"
	"CREATE TABLE e2ee_pending ("
	"  event_id TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  session_id TEXT,"
	"  event TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  given_up INTEGER"
	") WITHOUT ROWID;"
	"CREATE INDEX e2ee_pending_by_age ON e2ee_pending(given_up, first_seen);",

	/* 19: reminders of a message — "!herinner mij morgen 9:00" sent as a
	 * reply: the message it answers (room and event, for the link), a
	 * short excerpt of its text (from the reply's fallback, or fetched
	 * from the homeserver while `wanted`; NULL when it could not be
	 * read: the reminder then goes out with the link alone). */
	"CREATE TABLE reminder_quotes ("
	"  reminder_id INTEGER PRIMARY KEY REFERENCES reminders(id) ON DELETE CASCADE,"
	"  room_id TEXT NOT NULL,"
	"  event_id TEXT NOT NULL,"
	"  excerpt TEXT,"
	"  wanted INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX reminder_quotes_wanted ON reminder_quotes(reminder_id) WHERE wanted = 1;",

	/* 20: edited commands — what an edit (m.replace) of a command needs:
	 * for a refused command, its sender, when it was sent (Unix seconds)
	 * and the bot's refusal (the outbox txn id it went out with, and its
	 * event id once the homeserver gave one), so a correction within ten
	 * minutes runs and the refusal is edited into its answer; the thread
	 * the command was sent in (an edit does not say it). state:
	 * 'refused' (a correction may run), 'run' (a correction ran), 'noted'
	 * (the note that edits are not carried out was given; refused_at NULL
	 * for a command that was carried out). */
	"CREATE TABLE command_edits ("
	"  event_id TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  refused_at INTEGER,"
	"  reply_txn TEXT,"
	"  reply_event TEXT,"
	"  thread_root TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('refused','run','noted'))"
	") WITHOUT ROWID;"
	"CREATE INDEX command_edits_by_txn ON command_edits(reply_txn)"
	"  WHERE reply_txn IS NOT NULL;",

	/* 21: every query of a command or a sync batch on an index, so its
	 * cost does not grow with the history a network keeps (the check is
	 * tests/unit/test_query_plans.c). A partial index named ..._open or
	 * ..._pending holds only the rows still open. decisions_fts finds a
	 * term anywhere in a decision's text (trigrams: a part of a word too,
	 * as "plan" in "werkplan"; case-insensitive), kept by triggers. */
	"CREATE INDEX action_line_spending_by_line ON action_line_spending(line_id, day, id);"
	"CREATE INDEX action_line_status_by_line ON action_line_status_log(line_id, at, id);"
	"CREATE INDEX outbox_pending ON outbox(id) WHERE failed_at IS NULL;"
	"CREATE INDEX reminders_pending ON reminders(due_at, id) WHERE state = 'pending';"
	"CREATE INDEX meeting_runs_by_network ON meeting_runs(network, opened_at, meeting_id);"
	"CREATE INDEX logged_actions_open ON logged_items(network, kind, due_at)"
	"  WHERE kind = 'action' AND done_at IS NULL;"
	"CREATE INDEX logged_decisions ON logged_items(network, kind, created_at, id)"
	"  WHERE kind = 'decision';"
	"CREATE INDEX advice_archive ON advice_requests(network, updated_at DESC, short_id, theme, state)"
	"  WHERE state IN ('decided','declined','withdrawn');"
	"CREATE VIRTUAL TABLE decisions_fts USING fts5(text, content = 'logged_items',"
	"  content_rowid = 'id', tokenize = 'trigram');"
	"INSERT INTO decisions_fts(rowid, text) SELECT id, text FROM logged_items"
	"  WHERE kind = 'decision';"
	"CREATE TRIGGER decisions_fts_insert AFTER INSERT ON logged_items"
	"  WHEN new.kind = 'decision' BEGIN"
	"  INSERT INTO decisions_fts(rowid, text) VALUES (new.id, new.text); END;"
	"CREATE TRIGGER decisions_fts_delete AFTER DELETE ON logged_items"
	"  WHEN old.kind = 'decision' BEGIN"
	"  INSERT INTO decisions_fts(decisions_fts, rowid, text) VALUES ('delete', old.id, old.text); END;"
	"CREATE TRIGGER decisions_fts_update AFTER UPDATE OF text, kind ON logged_items BEGIN"
	"  INSERT INTO decisions_fts(decisions_fts, rowid, text)"
	"    SELECT 'delete', old.id, old.text WHERE old.kind = 'decision';"
	"  INSERT INTO decisions_fts(rowid, text)"
	"    SELECT new.id, new.text WHERE new.kind = 'decision'; END;",

	/* 22: the list each person last read in pages, per room, so `!meer`
	 * shows the next page: the command's Dutch name, its arguments
	 * without the page request, the page `!meer` shows (0: the list was
	 * at its end), when (Unix seconds). One row per room and person. */
	"CREATE TABLE list_pages ("
	"  room_id TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  args TEXT NOT NULL,"
	"  next_page INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, sender)"
	") WITHOUT ROWID;",

	/* 23: pipelined sends — the ordering group of an outbox row (the
	 * command it answers): rows of one group go one after another, rows
	 * of different groups of a room may be in flight together; a row
	 * without a group (a reminder, an edit, anything else) keeps its
	 * place against every row of its room. */
	"ALTER TABLE outbox ADD COLUMN grp TEXT;"
	"CREATE INDEX outbox_by_group ON outbox(room_id, grp, id)"
	"  WHERE failed_at IS NULL;"
	"CREATE INDEX outbox_by_answers ON outbox(room_id, answers, id)"
	"  WHERE failed_at IS NULL;",

	/* 24: reminders generated when their source changes: the
	 * reminder_dirty table and its triggers (storage/schema_reminder_dirty.h). */
	SCHEMA_24_REMINDER_DIRTY,

	/* 25: meetings by series: the foreign key series_id (a meeting
	 * inserted or deleted looks for the meetings of its series) and the
	 * heads of the series a network plans ahead (a partial index over the
	 * running series: ..._open, as test_query_plans reads it). */
	"CREATE INDEX meetings_by_series ON meetings(series_id);"
	"CREATE INDEX meetings_series_open ON meetings(network, id)"
	"  WHERE rrule IS NOT NULL AND series_id = id;",

	/* 26: the iCalendar SEQUENCE of a meeting: one more each time its
	 * time, length, title or place changes or it is cancelled, so a
	 * calendar that imported an earlier export takes the change (RFC 5545
	 * 3.8.7.4), and a small number rather than a clock. */
	"ALTER TABLE meetings ADD COLUMN ics_sequence INTEGER NOT NULL DEFAULT 0;"
	"CREATE TRIGGER meetings_ics_sequence AFTER UPDATE ON meetings"
	"  WHEN OLD.starts_at IS NOT NEW.starts_at"
	"    OR OLD.duration_min IS NOT NEW.duration_min"
	"    OR OLD.title IS NOT NEW.title OR OLD.place IS NOT NEW.place"
	"    OR (NEW.state = 'cancelled' AND OLD.state IS NOT 'cancelled')"
	"  BEGIN UPDATE meetings SET ics_sequence = ics_sequence + 1"
	"    WHERE id = NEW.id; END;",

	/* 27: a person's reminders by whom they go to, next to reminders_owner
	 * (by whom they are from): `!herinneringen` reads the pending ones of
	 * either through both indexes, not every personal reminder the
	 * network ever had. */
	"CREATE INDEX reminders_to_user ON reminders(network, to_user, state);",

	/* 28: an action line's total spent, kept by triggers on its spending
	 * rows, so the status view and the list read one number instead of
	 * summing every spending the line ever had (storage/actionlines.h:
	 * al_load reads the recent parts, al_load_history all of them). */
	"ALTER TABLE action_lines ADD COLUMN spent_cents INTEGER NOT NULL DEFAULT 0;"
	"UPDATE action_lines SET spent_cents = (SELECT coalesce(sum(amount_cents), 0)"
	"  FROM action_line_spending s WHERE s.line_id = action_lines.id);"
	"CREATE TRIGGER action_line_spent_ins AFTER INSERT ON action_line_spending BEGIN"
	"  UPDATE action_lines SET spent_cents = spent_cents + NEW.amount_cents"
	"  WHERE id = NEW.line_id; END;"
	"CREATE TRIGGER action_line_spent_del AFTER DELETE ON action_line_spending BEGIN"
	"  UPDATE action_lines SET spent_cents = spent_cents - OLD.amount_cents"
	"  WHERE id = OLD.line_id; END;"
	"CREATE TRIGGER action_line_spent_upd AFTER UPDATE OF amount_cents, line_id"
	"  ON action_line_spending BEGIN"
	"  UPDATE action_lines SET spent_cents = spent_cents - OLD.amount_cents"
	"  WHERE id = OLD.line_id;"
	"  UPDATE action_lines SET spent_cents = spent_cents + NEW.amount_cents"
	"  WHERE id = NEW.line_id; END;",
	SCHEMA_29_DOCUMENTS,
	SCHEMA_30_AGENDA_FINAL,
	SCHEMA_31_ATTENDANCE,
	SCHEMA_32_MINUTES,
	SCHEMA_33_RETENTION,
	SCHEMA_34_POLLS,
	/* 35: goals and effect measurement (storage/goals.h): a network's
	 * goals (target, unit, period, owner, frequency in months) with their
	 * measurements, read newest first per goal; the indicators of an
	 * action line with their measurements by day (the first is the
	 * 0-measurement). The reminder_dirty triggers mark a goal whose
	 * owner, frequency or measurements change (family 'goal'), so its
	 * overdue reminder follows (handlers/goals_remind.c). */
	SCHEMA_35_GOALS,
	/* 36: evaluations (storage/schema_eval.h): a round from a template,
	 * its questions (polls and an open question by direct message), the
	 * members asked and their answers. */
	SCHEMA_36_EVALUATIONS,
	/* 37: scheduled reports (storage/schema_reports.h): the quarterly
	 * report of each action line and the programme's half-year report,
	 * scheduled at the period's start, compiled at its end, checked by
	 * the lead and posted on the post day, once each; the lead's
	 * additions. */
	SCHEMA_37_REPORTS,
	/* 38: web_tokens (storage/schema_web.h): the hashed secrets of the
	 * members' board links and calendar feeds, expiring, revocable. */
	SCHEMA_38_WEB_TOKENS,
	/* 39: outbox rows that are state events (storage/schema_widget.h). */
	SCHEMA_39_WIDGET,
	/* 40: bodies and proposals that travel between them
	 * (storage/schema_bodies.h). */
	SCHEMA_40_BODIES,
	/* 41: action lines in the governance (storage/schema_lines.h): the
	 * external guide's part, the wanted team size and sign-ups, a budget
	 * and a go / no-go decision per phase, decisions by their line, and
	 * the stakeholder register with a stakeholder as advice requester. */
	SCHEMA_41_LINES,
};

const char *const *schema_migrations(int *n)
{
	*n = (int)(sizeof migrations / sizeof migrations[0]);
	return migrations;
}
