/* actionline_parts: changes to a line's people, phases, deliverables,
 * updates, spending and reports, and the state derived from them at read
 * time; see storage/actionlines.h. */
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/actionlines.h"
#include "storage/db.h"

/* A day for binding: 'YYYY-MM-DD', or NULL for no day (out owns the text). */
static const char *day_or_null(long day, char out[11])
{
	al_day_text(day, out);
	return day ? out : NULL;
}

int al_person_add(sqlite3 *db, long long id, enum al_part part, const char *user, time_t at)
{
	return db_execf(db, "INSERT OR IGNORE INTO action_line_people (line_id, role, user_id,"
			" added_at) VALUES (?, ?, ?, ?)", "itti", (sqlite3_int64)id,
			al_part_key(part), user, (sqlite3_int64)at);
}

int al_person_remove(sqlite3 *db, long long id, int part, const char *user)
{
	int rc;
	if (part >= 0)
		rc = db_execf(db, "DELETE FROM action_line_people WHERE line_id = ? AND role = ?"
			      " AND user_id = ?", "itt", (sqlite3_int64)id,
			      al_part_key((enum al_part)part), user);
	else
		rc = db_execf(db, "DELETE FROM action_line_people WHERE line_id = ?"
			      " AND user_id = ?", "it", (sqlite3_int64)id, user);
	return rc < 0 ? rc : sqlite3_changes(db);
}

/* The next number in column col of table for the line (max + 1). */
static int next_number(sqlite3 *db, const char *sql, long long line_id)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, line_id);
	int n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0) + 1;
	db_done(st);
	return n;
}

int al_phase_add(sqlite3 *db, long long line_id, struct al_phase *ph)
{
	if (!ph->start_day || !ph->end_day || ph->end_day < ph->start_day)
		return -1;
	int pos = next_number(db, "SELECT ifnull(max(position), 0) FROM action_line_phases"
			      " WHERE line_id = ?1", line_id);
	if (pos < 1)
		return -1;
	char a[11], b[11];
	al_day_text(ph->start_day, a);
	al_day_text(ph->end_day, b);
	int rc = db_execf(db, "INSERT INTO action_line_phases (line_id, position, name,"
			  " start_day, end_day) VALUES (?, ?, ?, ?, ?)", "iittt",
			  (sqlite3_int64)line_id, (sqlite3_int64)pos, ph->name, a, b);
	if (rc < 0)
		return rc;
	ph->id = sqlite3_last_insert_rowid(db);
	ph->position = pos;
	return 0;
}

int al_phase_set(sqlite3 *db, long long phase_id, long started_on, long done_on)
{
	char a[11], b[11];
	return db_execf(db, "UPDATE action_line_phases SET started_on = ?, done_on = ?"
			" WHERE id = ?", "tti", day_or_null(started_on, a),
			day_or_null(done_on, b), (sqlite3_int64)phase_id);
}

int al_phase_plan(sqlite3 *db, long long phase_id, long start_day, long end_day)
{
	char a[11], b[11];
	al_day_text(start_day, a);
	al_day_text(end_day, b);
	return db_execf(db, "UPDATE action_line_phases SET start_day = ?, end_day = ?"
			" WHERE id = ?", "tti", a, b, (sqlite3_int64)phase_id);
}

int al_deliv_add(sqlite3 *db, long long line_id, struct al_deliverable *d, time_t at)
{
	if (!d->due_day)
		return -1;
	int num = next_number(db, "SELECT ifnull(max(number), 0) FROM action_line_deliverables"
			      " WHERE line_id = ?1", line_id);
	if (num < 1)
		return -1;
	char a[11];
	al_day_text(d->due_day, a);
	int rc = db_execf(db, "INSERT INTO action_line_deliverables (line_id, number, text,"
			  " due_day, phase_id, created_at) VALUES (?, ?, ?, ?, nullif(?, 0), ?)", "iittii",
			  (sqlite3_int64)line_id, (sqlite3_int64)num, d->text, a,
			  (sqlite3_int64)d->phase_id, (sqlite3_int64)at);
	if (rc < 0)
		return rc;
	d->id = sqlite3_last_insert_rowid(db);
	d->number = num;
	return 0;
}

int al_deliv_set_done(sqlite3 *db, long long deliv_id, long done_on)
{
	char a[11];
	return db_execf(db, "UPDATE action_line_deliverables SET done_on = ? WHERE id = ?",
			"ti", day_or_null(done_on, a), (sqlite3_int64)deliv_id);
}

int al_deliv_set_due(sqlite3 *db, long long deliv_id, long due_day)
{
	char a[11];
	al_day_text(due_day, a);
	return db_execf(db, "UPDATE action_line_deliverables SET due_day = ? WHERE id = ?",
			"ti", a, (sqlite3_int64)deliv_id);
}

int al_update_add(sqlite3 *db, long long line_id, const char *author, const char *text,
		  time_t at, const char *event_id)
{
	return db_execf(db, "INSERT INTO action_line_updates (line_id, author, text, at,"
			" event_id) VALUES (?, ?, ?, ?, ?)", "ittit", (sqlite3_int64)line_id,
			author, text, (sqlite3_int64)at, event_id);
}

int al_spend_add(sqlite3 *db, long long line_id, long long cents, long day,
		 const char *note, const char *author, time_t at)
{
	if (cents <= 0 || !day)
		return -1;
	char a[11];
	al_day_text(day, a);
	return db_execf(db, "INSERT INTO action_line_spending (line_id, amount_cents, day,"
			" note, author, at) VALUES (?, ?, ?, ?, ?, ?)", "iittti",
			(sqlite3_int64)line_id, (sqlite3_int64)cents, a, note, author,
			(sqlite3_int64)at);
}

int al_line_of_deliv(sqlite3 *db, long long deliv_id, long long *line_id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT line_id FROM action_line_deliverables WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, deliv_id);
	return db_step_one(st, line_id);
}

int al_report_save(sqlite3 *db, const char *network, long long line_id,
		   const char *period, const char *lang, const char *markdown,
		   const char *by, time_t at)
{
	return db_execf(db, "INSERT INTO action_line_reports (network, line_key, period, lang,"
			" markdown, generated_by, generated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
			" ON CONFLICT (network, line_key, period, lang) DO UPDATE SET"
			" markdown = excluded.markdown, generated_by = excluded.generated_by,"
			" generated_at = excluded.generated_at", "titttti",
			network, (sqlite3_int64)line_id, period, lang, markdown, by,
			(sqlite3_int64)at);
}

int al_deliv_overdue(const struct al_deliverable *d, long today)
{
	return !d->done_on && d->due_day && d->due_day < today;
}

const struct al_phase *al_current_phase(const struct actionline *l, long today)
{
	for (size_t i = 0; i < l->nphases; i++)
		if (l->phases[i].started_on && !l->phases[i].done_on)
			return &l->phases[i];
	for (size_t i = 0; i < l->nphases; i++) {
		const struct al_phase *p = &l->phases[i];
		if (!p->done_on && p->start_day <= today && today <= p->end_day)
			return p;
	}
	return NULL;
}

const struct al_deliverable *al_next_deliv(const struct actionline *l)
{
	const struct al_deliverable *best = NULL;
	for (size_t i = 0; i < l->ndelivs; i++) {
		const struct al_deliverable *d = &l->delivs[i];
		if (!d->done_on && (!best || d->due_day < best->due_day))
			best = d;
	}
	return best;
}

int al_has_person(const struct actionline *l, int part, const char *user)
{
	for (size_t i = 0; i < l->npeople; i++)
		if ((part < 0 || (int)l->people[i].part == part)
		    && (!user || strcmp(l->people[i].user, user) == 0))
			return 1;
	return 0;
}

const struct al_phase *al_phase_by_id(const struct actionline *l, long long id)
{
	for (size_t i = 0; id && i < l->nphases; i++)
		if (l->phases[i].id == id)
			return &l->phases[i];
	return NULL;
}

long long al_spent(const struct actionline *l, long from, long to)
{
	if (!from && !to)
		return l->spent_cents;
	long long sum = 0;
	for (size_t i = 0; i < l->nspending; i++) {
		const struct al_spend *s = &l->spending[i];
		if (s->day >= from && (!to || s->day <= to))
			sum += s->cents;
	}
	return sum;
}
