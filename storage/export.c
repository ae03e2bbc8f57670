#include "storage/export.h"

#include <string.h>
#include <time.h>

#include "storage/db.h"

const char *const export_tables[] = {
	"id_counters", "roles", "expertise", "member_orgs", "bodies", "body_rooms",
	"body_members", "meetings", "agenda_items", "meeting_runs", "meeting_attendees",
	"meeting_rsvps", "minutes_corrections", "documents", "rota", "logged_items",
	"advice_requests", "advice_assignees", "advice_history", "action_lines",
	"action_line_people", "action_line_phases", "action_line_deliverables",
	"action_line_status_log", "action_line_updates", "action_line_spending",
	"action_line_signups", "action_line_indicators", "action_line_indicator_values",
	"action_line_reports", "stakeholders", "stakeholder_links", "proposals",
	"proposal_steps", "goals", "goal_measurements", "polls", "poll_answers",
	"poll_votes", "evaluations", "evaluation_questions", "evaluation_members",
	"evaluation_answers", "scheduled_reports", "report_additions", "reminders",
	"reminder_quotes", NULL,
};

/* The rows of each table of export_tables that belong to network ?1, in
 * id order (the same order on every export). */
static const char *const export_sql[] = {
	"SELECT * FROM id_counters WHERE network = ?1 ORDER BY kind",
	"SELECT * FROM roles WHERE network = ?1 ORDER BY user_id",
	"SELECT * FROM expertise WHERE network = ?1 ORDER BY user_id, folded",
	"SELECT * FROM member_orgs WHERE network = ?1 ORDER BY user_id",
	"SELECT * FROM bodies WHERE network = ?1 ORDER BY id",
	"SELECT * FROM body_rooms WHERE network = ?1 ORDER BY room",
	"SELECT m.* FROM body_members m JOIN bodies p ON p.id = m.body_id"
	"  WHERE p.network = ?1 ORDER BY m.body_id, m.user_id",
	"SELECT * FROM meetings WHERE network = ?1 ORDER BY id",
	"SELECT * FROM agenda_items WHERE network = ?1 ORDER BY id",
	"SELECT * FROM meeting_runs WHERE network = ?1 ORDER BY meeting_id",
	"SELECT a.* FROM meeting_attendees a JOIN meetings p ON p.id = a.meeting_id"
	"  WHERE p.network = ?1 ORDER BY a.meeting_id, a.user_id",
	"SELECT a.* FROM meeting_rsvps a JOIN meetings p ON p.id = a.meeting_id"
	"  WHERE p.network = ?1 ORDER BY a.meeting_id, a.user_id",
	"SELECT c.* FROM minutes_corrections c JOIN meetings p ON p.id = c.meeting_id"
	"  WHERE p.network = ?1 ORDER BY c.id",
	"SELECT * FROM documents WHERE network = ?1 ORDER BY id",
	"SELECT * FROM rota WHERE network = ?1 ORDER BY id",
	"SELECT * FROM logged_items WHERE network = ?1 ORDER BY id",
	"SELECT * FROM advice_requests WHERE network = ?1 ORDER BY id",
	"SELECT a.* FROM advice_assignees a JOIN advice_requests p ON p.id = a.advice_id"
	"  WHERE p.network = ?1 ORDER BY a.advice_id, a.user_id",
	"SELECT h.* FROM advice_history h JOIN advice_requests p ON p.id = h.advice_id"
	"  WHERE p.network = ?1 ORDER BY h.id",
	"SELECT * FROM action_lines WHERE network = ?1 ORDER BY id",
	"SELECT x.* FROM action_line_people x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.line_id, x.role, x.user_id",
	"SELECT x.* FROM action_line_phases x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT x.* FROM action_line_deliverables x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT x.* FROM action_line_status_log x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT x.* FROM action_line_updates x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT x.* FROM action_line_spending x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT x.* FROM action_line_signups x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT x.* FROM action_line_indicators x JOIN action_lines p ON p.id = x.line_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT v.* FROM action_line_indicator_values v JOIN action_line_indicators i ON i.id = v.indicator_id JOIN action_lines p ON p.id = i.line_id"
	"  WHERE p.network = ?1 ORDER BY v.id",
	"SELECT * FROM action_line_reports WHERE network = ?1 ORDER BY id",
	"SELECT * FROM stakeholders WHERE network = ?1 ORDER BY id",
	"SELECT x.* FROM stakeholder_links x JOIN stakeholders p ON p.id = x.stakeholder_id"
	"  WHERE p.network = ?1 ORDER BY x.stakeholder_id, x.line_id, x.agenda_item_id",
	"SELECT * FROM proposals WHERE network = ?1 ORDER BY id",
	"SELECT x.* FROM proposal_steps x JOIN proposals p ON p.id = x.proposal_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT * FROM goals WHERE network = ?1 ORDER BY id",
	"SELECT x.* FROM goal_measurements x JOIN goals p ON p.id = x.goal_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT * FROM polls WHERE network = ?1 ORDER BY id",
	"SELECT x.* FROM poll_answers x JOIN polls p ON p.id = x.poll_id"
	"  WHERE p.network = ?1 ORDER BY x.poll_id, x.idx",
	"SELECT x.* FROM poll_votes x JOIN polls p ON p.id = x.poll_id"
	"  WHERE p.network = ?1 ORDER BY x.poll_id, x.voter",
	"SELECT * FROM evaluations WHERE network = ?1 ORDER BY id",
	"SELECT x.* FROM evaluation_questions x JOIN evaluations p ON p.id = x.eval_id"
	"  WHERE p.network = ?1 ORDER BY x.eval_id, x.idx",
	"SELECT x.* FROM evaluation_members x JOIN evaluations p ON p.id = x.eval_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT x.* FROM evaluation_answers x JOIN evaluations p ON p.id = x.eval_id"
	"  WHERE p.network = ?1 ORDER BY x.eval_id, x.idx, x.user_id",
	"SELECT * FROM scheduled_reports WHERE network = ?1 ORDER BY id",
	"SELECT x.* FROM report_additions x JOIN scheduled_reports p ON p.id = x.report_id"
	"  WHERE p.network = ?1 ORDER BY x.id",
	"SELECT * FROM reminders WHERE network = ?1 ORDER BY id",
	"SELECT q.* FROM reminder_quotes q JOIN reminders r ON r.id = q.reminder_id"
	"  WHERE r.network = ?1 ORDER BY q.reminder_id",
};

int export_is_instant(const char *c)
{
	size_t n = strlen(c);
	return (n > 3 && strcmp(c + n - 3, "_at") == 0) || strcmp(c, "deadline") == 0
		|| strcmp(c, "dtstart") == 0;
}

static json_t *iso_time(long long t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *column_json(sqlite3_stmt *st, int i)
{
	const char *name = sqlite3_column_name(st, i);
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: {
		long long v = sqlite3_column_int64(st, i);
		return export_is_instant(name) ? iso_time(v) : json_integer(v);
	}
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	case SQLITE_TEXT:
		return json_string((const char *)sqlite3_column_text(st, i));
	default:
		return json_null();
	}
}

/* The rows of one statement as an array. */
static int rows_json(sqlite3 *db, const char *sql, const char *network, json_t *arr)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_object();
		for (int i = 0; i < sqlite3_column_count(st); i++)
			json_object_set_new(row, sqlite3_column_name(st, i), column_json(st, i));
		json_array_append_new(arr, row);
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

enum export_outcome export_network(sqlite3 *db, const char *network, time_t now,
				   json_t **out)
{
	*out = NULL;
	/* One read snapshot for every table (a savepoint outside a
	 * transaction begins a deferred one): a bot writing meanwhile is
	 * neither blocked nor half in the document. */
	if (db_savepoint(db, "export") < 0)
		return EXPORT_EDB;
	json_t *tables = json_object();
	int rc = 0;
	for (size_t i = 0; export_tables[i] && rc == 0; i++) {
		json_t *arr = json_array();
		json_object_set_new(tables, export_tables[i], arr);
		rc = rows_json(db, export_sql[i], network, arr);
	}
	if (db_release(db, "export") < 0 || rc < 0) {
		json_decref(tables);
		return EXPORT_EDB;
	}
	*out = json_pack("{s:s,s:i,s:s,s:i,s:o,s:o}", "format", EXPORT_FORMAT,
			 "version", EXPORT_VERSION, "network", network,
			 "schema_version", db_user_version(db),
			 "exported_at", iso_time((long long)now), "tables", tables);
	return *out ? EXPORT_OK : EXPORT_EDB;
}
