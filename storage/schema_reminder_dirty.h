/* schema_reminder_dirty: the text of schema migration 24 (storage/schema.c
 * lists it): the reminder_dirty table and the triggers that fill it.
 *
 * Reminders generated when their source changes: a trigger on every table
 * a generated reminder is derived from records the (network, family,
 * ref_id) it touched, in the writer's transaction; the command path
 * (handlers/reminder_regen.c reminder_regen_dirty) regenerates only those
 * and empties the table before it commits. family '*' with ref_id 0: the
 * whole network (its chairs changed); network '*': every network (a
 * person's time zone changed). The triggers test for the row rather than
 * use INSERT OR IGNORE: an outer upsert (roles_set) would override the
 * trigger's conflict clause and fail on a second mark.
 */
#ifndef WT_STORAGE_SCHEMA_REMINDER_DIRTY_H
#define WT_STORAGE_SCHEMA_REMINDER_DIRTY_H

#define SCHEMA_24_REMINDER_DIRTY \
	"CREATE TABLE reminder_dirty (" \
	"  network TEXT NOT NULL," \
	"  family TEXT NOT NULL," \
	"  ref_id INTEGER NOT NULL," \
	"  PRIMARY KEY (network, family, ref_id)" \
	") WITHOUT ROWID;" \
	"CREATE TRIGGER rd_meeting_ins AFTER INSERT ON meetings BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'meeting', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'meeting'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_meeting_upd AFTER UPDATE OF network, starts_at, duration_min," \
	"  state, room ON meetings BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'meeting', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'meeting'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_meeting_del AFTER DELETE ON meetings BEGIN" \
	"  INSERT INTO reminder_dirty SELECT OLD.network, 'meeting', OLD.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = OLD.network AND family = 'meeting'" \
	"  AND ref_id = OLD.id); END;" \
	"CREATE TRIGGER rd_line_ins AFTER INSERT ON action_lines BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'actionline', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'actionline'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_line_upd AFTER UPDATE OF network, status ON action_lines BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'actionline', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'actionline'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_line_del AFTER DELETE ON action_lines BEGIN" \
	"  INSERT INTO reminder_dirty SELECT OLD.network, 'actionline', OLD.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = OLD.network AND family = 'actionline'" \
	"  AND ref_id = OLD.id); END;" \
	"CREATE TRIGGER rd_people_ins AFTER INSERT ON action_line_people BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id = NEW.line_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_people_upd AFTER UPDATE ON action_line_people BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id IN (OLD.line_id, NEW.line_id) AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_people_del AFTER DELETE ON action_line_people BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id = OLD.line_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_deliv_ins AFTER INSERT ON action_line_deliverables BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id = NEW.line_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_deliv_upd AFTER UPDATE ON action_line_deliverables BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id IN (OLD.line_id, NEW.line_id) AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_deliv_del AFTER DELETE ON action_line_deliverables BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id = OLD.line_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_status_ins AFTER INSERT ON action_line_status_log BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id = NEW.line_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_status_del AFTER DELETE ON action_line_status_log BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id = OLD.line_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_advice_ins AFTER INSERT ON advice_requests BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'advice', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'advice'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_advice_upd AFTER UPDATE ON advice_requests BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'advice', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'advice'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_advice_del AFTER DELETE ON advice_requests BEGIN" \
	"  INSERT INTO reminder_dirty SELECT OLD.network, 'advice', OLD.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = OLD.network AND family = 'advice'" \
	"  AND ref_id = OLD.id); END;" \
	"CREATE TRIGGER rd_assignee_ins AFTER INSERT ON advice_assignees BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'advice', id" \
	"  FROM advice_requests s WHERE id = NEW.advice_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'advice' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_assignee_del AFTER DELETE ON advice_assignees BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'advice', id" \
	"  FROM advice_requests s WHERE id = OLD.advice_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'advice' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_action_ins AFTER INSERT ON logged_items" \
	"  WHEN NEW.kind = 'action' BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'action', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'action'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_action_upd AFTER UPDATE OF kind, network, owner, due_at, done_at" \
	"  ON logged_items WHEN NEW.kind = 'action' OR OLD.kind = 'action' BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'action', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'action'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_action_del AFTER DELETE ON logged_items" \
	"  WHEN OLD.kind = 'action' BEGIN" \
	"  INSERT INTO reminder_dirty SELECT OLD.network, 'action', OLD.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = OLD.network AND family = 'action'" \
	"  AND ref_id = OLD.id); END;" \
	"CREATE TRIGGER rd_roles_ins AFTER INSERT ON roles BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, '*', 0 WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = '*'" \
	"  AND ref_id = 0); END;" \
	"CREATE TRIGGER rd_roles_upd AFTER UPDATE ON roles BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, '*', 0 WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = '*'" \
	"  AND ref_id = 0); END;" \
	"CREATE TRIGGER rd_roles_del AFTER DELETE ON roles BEGIN" \
	"  INSERT INTO reminder_dirty SELECT OLD.network, '*', 0 WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = OLD.network AND family = '*'" \
	"  AND ref_id = 0); END;" \
	"CREATE TRIGGER rd_tz_ins AFTER INSERT ON user_settings BEGIN" \
	"  INSERT INTO reminder_dirty SELECT '*', '*', 0 WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = '*' AND family = '*'" \
	"  AND ref_id = 0); END;" \
	"CREATE TRIGGER rd_tz_upd AFTER UPDATE ON user_settings BEGIN" \
	"  INSERT INTO reminder_dirty SELECT '*', '*', 0 WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = '*' AND family = '*'" \
	"  AND ref_id = 0); END;" \
	"CREATE TRIGGER rd_tz_del AFTER DELETE ON user_settings BEGIN" \
	"  INSERT INTO reminder_dirty SELECT '*', '*', 0 WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = '*' AND family = '*'" \
	"  AND ref_id = 0); END;"

#endif
