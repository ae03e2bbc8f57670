/* schema_eval: the text of schema migration 36 (storage/schema.c lists
 * it): evaluations of a round table. Kept here so that schema.c stays
 * small. Never edit a migration that has shipped. */
#ifndef WT_STORAGE_SCHEMA_EVAL_H
#define WT_STORAGE_SCHEMA_EVAL_H

/* 36: evaluations (storage/evaluations.h): an evaluation round from a
 * template with its deadline; its questions (a scale question is a poll,
 * an open one is asked by direct message) with the final average kept
 * at the close, so next year's round compares; the members asked and
 * their open answers. A member's row id is what their reminder is
 * about (handlers/evaluation_remind.c). */
#define SCHEMA_36_EVALUATIONS \
	"CREATE TABLE evaluations (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  short_id INTEGER NOT NULL," \
	"  template TEXT NOT NULL," \
	"  room_id TEXT NOT NULL," \
	"  created_by TEXT NOT NULL," \
	"  created_at INTEGER NOT NULL," \
	"  deadline INTEGER NOT NULL," \
	"  closed_at INTEGER," \
	"  UNIQUE (network, short_id)" \
	");" \
	"CREATE INDEX evaluations_open ON evaluations(network) WHERE closed_at IS NULL;" \
	"CREATE INDEX evaluations_by_template ON evaluations(network, template, closed_at);" \
	"CREATE TABLE evaluation_questions (" \
	"  eval_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE," \
	"  idx INTEGER NOT NULL," \
	"  kind TEXT NOT NULL CHECK (kind IN ('scale','open'))," \
	"  poll_id INTEGER," \
	"  average REAL," \
	"  PRIMARY KEY (eval_id, idx)" \
	") WITHOUT ROWID;" \
	"CREATE TABLE evaluation_members (" \
	"  id INTEGER PRIMARY KEY," \
	"  eval_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE," \
	"  user_id TEXT NOT NULL," \
	"  UNIQUE (eval_id, user_id)" \
	");" \
	"CREATE TABLE evaluation_answers (" \
	"  eval_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE," \
	"  idx INTEGER NOT NULL," \
	"  user_id TEXT NOT NULL," \
	"  text TEXT NOT NULL," \
	"  at INTEGER NOT NULL," \
	"  PRIMARY KEY (eval_id, idx, user_id)" \
	") WITHOUT ROWID;"

#endif
