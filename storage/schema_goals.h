/* schema_goals: the text of schema migration 35 (storage/schema.c lists
 * it): goals and their measurements, the indicators of an action line and
 * their measurements, and the reminder_dirty triggers of the family 'goal'
 * (storage/goals.h, handlers/goals_remind.c). Kept here so that schema.c
 * stays small. */
#ifndef WT_STORAGE_SCHEMA_GOALS_H
#define WT_STORAGE_SCHEMA_GOALS_H

#define SCHEMA_35_GOALS \
	"CREATE TABLE goals (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  title TEXT NOT NULL," \
	"  target REAL," \
	"  unit TEXT," \
	"  period TEXT," \
	"  owner TEXT," \
	"  frequency INTEGER NOT NULL DEFAULT 0 CHECK (frequency IN (0, 1, 3, 6, 12))," \
	"  created_by TEXT," \
	"  created_at INTEGER NOT NULL," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE TABLE goal_measurements (" \
	"  id INTEGER PRIMARY KEY," \
	"  goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE," \
	"  value REAL NOT NULL," \
	"  at INTEGER NOT NULL," \
	"  source TEXT," \
	"  added_by TEXT" \
	");" \
	"CREATE INDEX goal_measurements_by_goal ON goal_measurements(goal_id, at, id);" \
	"CREATE TABLE action_line_indicators (" \
	"  id INTEGER PRIMARY KEY," \
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE," \
	"  number INTEGER NOT NULL," \
	"  name TEXT NOT NULL," \
	"  unit TEXT," \
	"  target REAL," \
	"  created_by TEXT," \
	"  created_at INTEGER NOT NULL," \
	"  UNIQUE (line_id, number)" \
	");" \
	"CREATE TABLE action_line_indicator_values (" \
	"  id INTEGER PRIMARY KEY," \
	"  indicator_id INTEGER NOT NULL REFERENCES action_line_indicators(id) ON DELETE CASCADE," \
	"  value REAL NOT NULL," \
	"  day TEXT NOT NULL," \
	"  source TEXT," \
	"  added_by TEXT," \
	"  added_at INTEGER NOT NULL" \
	");" \
	"CREATE INDEX action_line_indicator_values_by_ind" \
	"  ON action_line_indicator_values(indicator_id, day, id);" \
	"CREATE TRIGGER rd_goal_ins AFTER INSERT ON goals BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'goal', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'goal'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_goal_upd AFTER UPDATE OF network, owner, frequency ON goals BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'goal', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'goal'" \
	"  AND ref_id = NEW.id); END;" \
	"CREATE TRIGGER rd_goal_del AFTER DELETE ON goals BEGIN" \
	"  INSERT INTO reminder_dirty SELECT OLD.network, 'goal', OLD.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = OLD.network AND family = 'goal'" \
	"  AND ref_id = OLD.id); END;" \
	"CREATE TRIGGER rd_goal_m_ins AFTER INSERT ON goal_measurements BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'goal', id" \
	"  FROM goals s WHERE id = NEW.goal_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'goal' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_goal_m_upd AFTER UPDATE ON goal_measurements BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'goal', id" \
	"  FROM goals s WHERE id IN (OLD.goal_id, NEW.goal_id) AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'goal' AND d.ref_id = s.id); END;" \
	"CREATE TRIGGER rd_goal_m_del AFTER DELETE ON goal_measurements BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'goal', id" \
	"  FROM goals s WHERE id = OLD.goal_id AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'goal' AND d.ref_id = s.id); END;"

#endif
