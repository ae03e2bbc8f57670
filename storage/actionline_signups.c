/* actionline_signups: sign-ups to a line's team, the wanted team size and
 * a phase's budget and go / no-go (migration 41); see
 * storage/actionlines.h. */
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "storage/actionlines.h"
#include "storage/db.h"

static const char *const signup_keys[] = { "pending", "confirmed", "declined" };

int al_set_team_size(sqlite3 *db, long long id, int size)
{
	return db_execf(db, "UPDATE action_lines SET team_size = ? WHERE id = ?", "ii",
			(sqlite3_int64)size, (sqlite3_int64)id);
}

int al_phase_set_budget(sqlite3 *db, long long phase_id, long long cents)
{
	return db_execf(db, "UPDATE action_line_phases SET budget_cents = ? WHERE id = ?", "ii",
			(sqlite3_int64)cents, (sqlite3_int64)phase_id);
}

int al_phase_set_gate(sqlite3 *db, long long phase_id, enum al_gate gate,
		      long long decision_id)
{
	const char *g = gate == AL_GATE_GO ? "go" : gate == AL_GATE_NOGO ? "nogo" : NULL;
	sqlite3_stmt *st = db_prepare(db, "UPDATE action_line_phases SET gate = ?1,"
				      " gate_decision = ?2 WHERE id = ?3");
	if (!st)
		return -1;
	if (g)
		sqlite3_bind_text(st, 1, g, -1, SQLITE_STATIC);
	if (decision_id > 0)
		sqlite3_bind_int64(st, 2, decision_id);
	sqlite3_bind_int64(st, 3, phase_id);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int al_signup_add(sqlite3 *db, long long line_id, const char *user, time_t at)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO action_line_signups"
				      " (line_id, user_id, asked_at) VALUES (?1, ?2, ?3)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, line_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(db) ? AL_SIGNUP_ADDED : AL_SIGNUP_ALREADY;
}

int al_signups_pending(sqlite3 *db, long long line_id, char ***users)
{
	*users = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT user_id FROM action_line_signups"
				      " WHERE line_id = ?1 AND state = 'pending' ORDER BY id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, line_id);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*users = xrealloc(*users, (n + 1) * sizeof **users);
		(*users)[n++] = db_col_dup(st, 0);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		al_signups_free(*users, n);
		*users = NULL;
		return -1;
	}
	return (int)n;
}

void al_signups_free(char **users, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(users[i]);
	free(users);
}

int al_signup_decide(sqlite3 *db, long long line_id, const char *user,
		     enum al_signup_state state, const char *by, time_t at)
{
	if (state == AL_SIGNUP_PENDING)
		return -1;
	int rc = db_execf(db, "UPDATE action_line_signups SET state = ?, decided_by = ?,"
			  " decided_at = ? WHERE line_id = ? AND user_id = ? AND state = 'pending'",
			  "ttiit", signup_keys[state], by, (sqlite3_int64)at,
			  (sqlite3_int64)line_id, user);
	return rc < 0 ? rc : sqlite3_changes(db) > 0;
}
