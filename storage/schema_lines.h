/* schema_lines: the text of schema migration 41 (storage/schema.c lists
 * it): action lines in the round table's governance (issue 19, items 4
 * and 5). Kept here so that schema.c stays small. Never edit a migration
 * that has shipped. */
#ifndef WT_STORAGE_SCHEMA_LINES_H
#define WT_STORAGE_SCHEMA_LINES_H

/* The reminder_dirty triggers of action_line_people (migration 33's
 * text): a table rebuilt loses its triggers, so they are made again. */
#define SCHEMA_41_PEOPLE_TRIGGER(name, when, ids) \
	"CREATE TRIGGER " name " AFTER " when " ON action_line_people BEGIN" \
	"  INSERT INTO reminder_dirty SELECT network, 'actionline', id" \
	"  FROM action_lines s WHERE id " ids " AND NOT EXISTS (SELECT 1 FROM reminder_dirty d" \
	"  WHERE d.network = s.network AND d.family = 'actionline' AND d.ref_id = s.id); END;"

/* 41: action lines in the governance (storage/actionlines.h,
 * storage/stakeholders.h):
 * - the part 'guide' (externe begeleider) beside sponsor, lead, care
 *   professional and member: action_line_people is rebuilt for its CHECK,
 *   with its triggers;
 * - the wanted team size per line (0: the network's setting);
 * - sign-ups to a line's team, pending until the lead confirms or
 *   declines (at most one pending per person and line);
 * - a budget per phase and the board's go / no-go on it, the decision in
 *   the register that took it;
 * - decisions found by the line they are linked to (an index);
 * - the stakeholder register of a network, what involves each (lines,
 *   agenda items), and a stakeholder as the requester of advice. */
#define SCHEMA_41_LINES \
	"CREATE TABLE action_line_people_38 (" \
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE," \
	"  role TEXT NOT NULL CHECK (role IN ('sponsor','lead','care','member','guide'))," \
	"  user_id TEXT NOT NULL," \
	"  added_at INTEGER NOT NULL," \
	"  PRIMARY KEY (line_id, role, user_id)" \
	") WITHOUT ROWID;" \
	"INSERT INTO action_line_people_38 SELECT line_id, role, user_id, added_at" \
	"  FROM action_line_people;" \
	"DROP TABLE action_line_people;" \
	"ALTER TABLE action_line_people_38 RENAME TO action_line_people;" \
	SCHEMA_41_PEOPLE_TRIGGER("rd_people_ins", "INSERT", "= NEW.line_id") \
	SCHEMA_41_PEOPLE_TRIGGER("rd_people_upd", "UPDATE", "IN (OLD.line_id, NEW.line_id)") \
	SCHEMA_41_PEOPLE_TRIGGER("rd_people_del", "DELETE", "= OLD.line_id") \
	"ALTER TABLE action_lines ADD COLUMN team_size INTEGER NOT NULL DEFAULT 0" \
	"  CHECK (team_size >= 0);" \
	"CREATE TABLE action_line_signups (" \
	"  id INTEGER PRIMARY KEY," \
	"  line_id INTEGER NOT NULL REFERENCES action_lines(id) ON DELETE CASCADE," \
	"  user_id TEXT NOT NULL," \
	"  asked_at INTEGER NOT NULL," \
	"  state TEXT NOT NULL DEFAULT 'pending'" \
	"    CHECK (state IN ('pending','confirmed','declined'))," \
	"  decided_by TEXT," \
	"  decided_at INTEGER" \
	");" \
	"CREATE UNIQUE INDEX action_line_signups_pending ON action_line_signups(line_id, user_id)" \
	"  WHERE state = 'pending';" \
	"CREATE INDEX action_line_signups_by_line ON action_line_signups(line_id, state, id);" \
	"ALTER TABLE action_line_phases ADD COLUMN budget_cents INTEGER NOT NULL DEFAULT 0" \
	"  CHECK (budget_cents >= 0);" \
	"ALTER TABLE action_line_phases ADD COLUMN gate TEXT CHECK (gate IN ('go','nogo'));" \
	"ALTER TABLE action_line_phases ADD COLUMN gate_decision INTEGER" \
	"  REFERENCES logged_items(id) ON DELETE SET NULL;" \
	"CREATE INDEX logged_decisions_by_line ON logged_items(network, action_line, created_at, id)" \
	"  WHERE kind = 'decision' AND action_line IS NOT NULL;" \
	"CREATE TABLE stakeholders (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  name TEXT NOT NULL," \
	"  kind TEXT," \
	"  contact TEXT," \
	"  engage TEXT NOT NULL DEFAULT 'inform' CHECK (engage IN ('involve','inform'))," \
	"  created_by TEXT," \
	"  created_at INTEGER NOT NULL," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE TABLE stakeholder_links (" \
	"  stakeholder_id INTEGER NOT NULL REFERENCES stakeholders(id) ON DELETE CASCADE," \
	"  line_id INTEGER REFERENCES action_lines(id) ON DELETE CASCADE," \
	"  agenda_item_id INTEGER REFERENCES agenda_items(id) ON DELETE CASCADE," \
	"  CHECK ((line_id IS NULL) != (agenda_item_id IS NULL))" \
	");" \
	"CREATE UNIQUE INDEX stakeholder_links_line ON stakeholder_links(stakeholder_id, line_id)" \
	"  WHERE line_id IS NOT NULL;" \
	"CREATE UNIQUE INDEX stakeholder_links_item" \
	"  ON stakeholder_links(stakeholder_id, agenda_item_id) WHERE agenda_item_id IS NOT NULL;" \
	"CREATE INDEX stakeholder_links_by_line ON stakeholder_links(line_id)" \
	"  WHERE line_id IS NOT NULL;" \
	"ALTER TABLE advice_requests ADD COLUMN requester_stakeholder INTEGER" \
	"  REFERENCES stakeholders(id) ON DELETE SET NULL;" \
	"CREATE INDEX advice_by_stakeholder ON advice_requests(requester_stakeholder, short_id)" \
	"  WHERE requester_stakeholder IS NOT NULL;"

#endif
