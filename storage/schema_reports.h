/* schema_reports: the text of schema migration 37 (storage/schema.c lists
 * it): the reports the bot compiles itself on their schedule. Kept here
 * so that schema.c stays small. Never edit a migration that has shipped. */
#ifndef WT_STORAGE_SCHEMA_REPORTS_H
#define WT_STORAGE_SCHEMA_REPORTS_H

/* 37: scheduled reports (storage/reports.h): one row per network, action
 * line (line_key; 0: the programme's half-year report) and period, made
 * when the period starts (state 'scheduled'), compiled at its end
 * ('compiled', the Markdown kept as the lead checks it), approved by the
 * lead ('approved') and posted on the post day ('posted'; unchecked when
 * nobody approved it). The UNIQUE key and the state make the compile and
 * the post happen once whatever restarts. The lead's additions are rows
 * of their own, in order. A new action line marks family 'report' so its
 * report of the running quarter is scheduled at once
 * (handlers/report_schedule.c). */
#define SCHEMA_37_REPORTS \
	"CREATE TABLE scheduled_reports (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  line_key INTEGER NOT NULL," \
	"  period TEXT NOT NULL," \
	"  state TEXT NOT NULL DEFAULT 'scheduled'" \
	"    CHECK (state IN ('scheduled','compiled','approved','posted'))," \
	"  created_at INTEGER NOT NULL," \
	"  lang TEXT," \
	"  markdown TEXT," \
	"  compiled_at INTEGER," \
	"  approved_by TEXT," \
	"  approved_at INTEGER," \
	"  posted_at INTEGER," \
	"  unchecked INTEGER NOT NULL DEFAULT 0," \
	"  UNIQUE (network, line_key, period)," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE INDEX scheduled_reports_open ON scheduled_reports(network, id)" \
	"  WHERE state <> 'posted';" \
	"CREATE TABLE report_additions (" \
	"  id INTEGER PRIMARY KEY," \
	"  report_id INTEGER NOT NULL REFERENCES scheduled_reports(id) ON DELETE CASCADE," \
	"  author TEXT NOT NULL," \
	"  text TEXT NOT NULL," \
	"  at INTEGER NOT NULL" \
	");" \
	"CREATE INDEX report_additions_by_report ON report_additions(report_id, id);" \
	"CREATE TRIGGER rd_report_line_ins AFTER INSERT ON action_lines BEGIN" \
	"  INSERT INTO reminder_dirty SELECT NEW.network, 'report', NEW.id WHERE NOT EXISTS" \
	"  (SELECT 1 FROM reminder_dirty WHERE network = NEW.network AND family = 'report'" \
	"  AND ref_id = NEW.id); END;"

#endif
