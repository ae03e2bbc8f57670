#include "storage/forget.h"

#include <stddef.h>
#include <string.h>

#include "storage/db.h"

/* Which count a step adds to. */
enum bucket { B_REMINDERS, B_EXPERTISE, B_ROLES, B_RSVPS, B_TZ, B_OTHER, B_LABEL };

/* One statement of the erasure: ?1 is the user id, ?2 the label. table
 * and columns name what it covers (for forget_each_column); a step whose
 * table does not exist (a migration of a later release) is skipped. */
struct step {
	const char *table;
	const char *columns;   /* space-separated */
	enum bucket bucket;
	const char *sql;
};

#define LABEL(t, c) { t, c, B_LABEL, \
	"UPDATE " t " SET " c " = ?2 WHERE " c " = ?1" }
#define IN_TEXT(t, c) { t, NULL, B_LABEL, \
	"UPDATE " t " SET " c " = replace(" c ", ?1, ?2) WHERE instr(" c ", ?1) > 0" }

static const struct step steps[] = {
	/* theirs alone: removed (reminder_quotes go with their reminder) */
	{ "reminders", "owner to_user", B_REMINDERS,
	  "DELETE FROM reminders WHERE owner = ?1 OR to_user = ?1" },
	{ "expertise", "user_id", B_EXPERTISE,
	  "DELETE FROM expertise WHERE user_id = ?1" },
	{ "roles", "user_id", B_ROLES, "DELETE FROM roles WHERE user_id = ?1" },
	{ "meeting_rsvps", "user_id", B_RSVPS,
	  "DELETE FROM meeting_rsvps WHERE user_id = ?1" },
	{ "member_orgs", "user_id", B_OTHER,
	  "DELETE FROM member_orgs WHERE user_id = ?1" },
	{ "user_settings", "user_id", B_TZ,
	  "DELETE FROM user_settings WHERE user_id = ?1" },
	{ "body_members", "user_id", B_OTHER,
	  "DELETE FROM body_members WHERE user_id = ?1" },
	{ "bodies", "chair", B_OTHER, "UPDATE bodies SET chair = NULL WHERE chair = ?1" },
	{ "bodies", "secretary", B_OTHER,
	  "UPDATE bodies SET secretary = NULL WHERE secretary = ?1" },
	{ "list_pages", "sender", B_OTHER, "DELETE FROM list_pages WHERE sender = ?1" },
	{ "outbox", "to_user", B_OTHER, "DELETE FROM outbox WHERE to_user = ?1" },
	{ "quarantine", "sender", B_OTHER, "DELETE FROM quarantine WHERE sender = ?1" },
	{ "e2ee_pending", "sender", B_OTHER,
	  "DELETE FROM e2ee_pending WHERE sender = ?1" },
	/* their board links and calendar feeds die with them */
	{ "web_tokens", "user_id", B_OTHER, "DELETE FROM web_tokens WHERE user_id = ?1" },
	/* the name a room gave them: the membership itself is the
	 * homeserver's, read again from it */
	{ "room_members", "displayname", B_OTHER,
	  "UPDATE room_members SET displayname = NULL WHERE user_id = ?1"
	  " AND displayname IS NOT NULL" },
	/* records the network keeps: the label instead of the person */
	LABEL("roles", "set_by"),
	LABEL("meetings", "created_by"),
	LABEL("agenda_items", "proposer"),
	LABEL("meeting_runs", "opened_by"),
	LABEL("meeting_runs", "approved_by"),
	LABEL("minutes_corrections", "logged_by"),
	LABEL("rota", "user_id"),
	LABEL("rota", "created_by"),
	LABEL("documents", "added_by"),
	LABEL("room_files", "sender"),
	LABEL("polls", "created_by"),
	LABEL("proposals", "created_by"),
	LABEL("evaluations", "created_by"),
	LABEL("evaluation_members", "user_id"),
	LABEL("evaluation_answers", "user_id"), /* the answer stays, whose it was goes */
	LABEL("poll_votes", "voter"),  /* the tally stays, whose vote it was goes */
	LABEL("goals", "owner"),
	LABEL("goals", "created_by"),
	LABEL("goal_measurements", "added_by"),
	LABEL("action_line_indicators", "created_by"),
	LABEL("action_line_indicator_values", "added_by"),
	LABEL("meeting_attendees", "user_id"),
	LABEL("logged_items", "owner"),
	LABEL("logged_items", "done_by"),
	LABEL("logged_items", "logged_by"),
	IN_TEXT("logged_items", "text"),
	LABEL("advice_requests", "requested_by"),
	LABEL("advice_requests", "submitted_by"),
	LABEL("advice_requests", "draft_by"),
	LABEL("advice_assignees", "user_id"),
	LABEL("advice_assignees", "assigned_by"),
	LABEL("advice_history", "actor"),
	IN_TEXT("advice_history", "note"),
	LABEL("action_lines", "created_by"),
	LABEL("action_line_people", "user_id"),
	LABEL("action_line_status_log", "author"),
	LABEL("action_line_updates", "author"),
	IN_TEXT("action_line_updates", "text"),
	LABEL("action_line_spending", "author"),
	LABEL("action_line_reports", "generated_by"),
	LABEL("action_line_signups", "user_id"),
	LABEL("action_line_signups", "decided_by"),
	LABEL("stakeholders", "created_by"),
	IN_TEXT("action_line_reports", "markdown"),
	LABEL("scheduled_reports", "approved_by"),
	IN_TEXT("scheduled_reports", "markdown"),
	LABEL("report_additions", "author"),
	IN_TEXT("report_additions", "text"),
	LABEL("rooms", "invited_by"),
	LABEL("rooms", "dm_user"),
	LABEL("outbox", "answers"),
	LABEL("command_edits", "sender"),
};

/* Columns with user ids left as they are, and why: the homeserver's
 * state, which the bot mirrors and reads again. */
static const struct step kept[] = {
	{ "room_members", "user_id", B_OTHER, NULL },  /* membership */
	{ "room_power", "user_id", B_OTHER, NULL },    /* power levels */
};

static int table_exists(sqlite3 *db, const char *table)
{
	return db_has_row(db, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
			  " AND name = ?1", table);
}

static long long *slot(struct forget_counts *c, enum bucket b)
{
	switch (b) {
	case B_REMINDERS: return &c->reminders;
	case B_EXPERTISE: return &c->expertise;
	case B_ROLES: return &c->roles;
	case B_RSVPS: return &c->rsvps;
	case B_TZ: return &c->tz;
	case B_OTHER: return &c->other;
	case B_LABEL: break;
	}
	return &c->relabelled;
}

/* Run one step; its changed rows go to its count. */
static int run_step(sqlite3 *db, const struct step *s, const char *user,
		    const char *label, struct forget_counts *c)
{
	int has = table_exists(db, s->table);
	if (has <= 0)
		return has;
	sqlite3_stmt *st = db_prepare(db, s->sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
	if (strstr(s->sql, "?2"))
		sqlite3_bind_text(st, 2, label, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	*slot(c, s->bucket) += sqlite3_changes(db);
	return 0;
}

enum forget_outcome forget_person(sqlite3 *db, const char *user, const char *label,
				  struct forget_counts *counts)
{
	memset(counts, 0, sizeof *counts);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (run_step(db, &steps[i], user, label, counts) < 0)
			return FORGET_EDB;
	const struct forget_counts none = { 0 };
	return memcmp(counts, &none, sizeof none) ? FORGET_DONE : FORGET_NOTHING;
}

enum forget_outcome forget_preview(sqlite3 *db, const char *user, const char *label,
				   struct forget_counts *counts)
{
	if (db_savepoint(db, "forget_preview") < 0)
		return FORGET_EDB;
	enum forget_outcome out = forget_person(db, user, label, counts);
	if (db_rollback_to(db, "forget_preview") < 0)  /* and releases it */
		return FORGET_EDB;
	return out;
}

long long forget_next_label(sqlite3 *db)
{
	return db_next_id(db, "", "forgotten");
}

/* fn for each space-separated column of s. */
static void each_of(const struct step *s, int is_kept,
		    void (*fn)(void *, const char *, const char *, int), void *arg)
{
	const char *p = s->columns;
	while (p && *p) {
		size_t n = strcspn(p, " ");
		char col[64];
		if (n < sizeof col) {
			memcpy(col, p, n);
			col[n] = '\0';
			fn(arg, s->table, col, is_kept);
		}
		p += n + (p[n] == ' ');
	}
}

void forget_each_column(void (*fn)(void *arg, const char *table, const char *column,
				   int kept),
			void *arg)
{
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		each_of(&steps[i], 0, fn, arg);
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		each_of(&kept[i], 1, fn, arg);
}
