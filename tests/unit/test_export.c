/* Export and import (issue 23, item 3): a network's document holds every
 * table with stable ids and ISO 8601 instants; imported into a fresh
 * database and exported again it is the same document; an import into a
 * database that holds the network, of a document not ours, or with a
 * column this build lacks changes nothing and says why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "demo/demo.h"
#include "storage/db.h"
#include "storage/export.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam",
	.advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };
#define NOW ((time_t)1800000000)

static json_t *exported(sqlite3 *db)
{
	json_t *doc;
	assert_int_equal(export_network(db, "demo", NOW, &doc), EXPORT_OK);
	return doc;
}

static void test_round_trip(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	assert_int_equal(demo_seed(f->db, &net, NOW), 0);
	fx_ok(f, &net, "@daan:demo.test", "!herinner mij morgen 9:00 bel de huisarts");
	/* the newer families too: a body, a stakeholder, a goal measured, an RSVP */
	fx_ok(f, &net, "@admin:demo.test", "!orgaan nieuw BNO bestuur");
	fx_ok(f, &net, "@admin:demo.test", "!orgaan lid BNO @eva:demo.test adviserend");
	fx_ok(f, &net, "@admin:demo.test", "!belanghebbenden nieuw Huisartsenpraktijk Noord\n"
	      "soort: huisarts\nactielijnen: AL1");
	fx_ok(f, &net, "@admin:demo.test", "!doel nieuw Vacatures gevuld\ndoel: 95%\neenheid: %");
	fx_ok(f, &net, "@admin:demo.test", "!doel meting 1 90 1-1-2027 telling");
	fx_ok(f, &net, "@daan:demo.test", "!aanwezig");
	fx_ok(f, &net, "@daan:demo.test", "!organisatie Zorggroep Noord");
	fx_ok(f, &net, "@admin:demo.test", "!rooster erbij @daan:demo.test 2027");
	json_t *a = exported(f->db);
	json_t *tables = json_object_get(a, "tables");
	for (size_t i = 0; export_tables[i]; i++)
		assert_non_null(json_object_get(tables, export_tables[i]));
	static const char *const filled[] = { "bodies", "body_members", "stakeholders",
		"stakeholder_links", "goals", "goal_measurements", "meeting_rsvps", "member_orgs",
		"rota", NULL };
	for (size_t i = 0; filled[i]; i++)
		if (json_array_size(json_object_get(tables, filled[i])) == 0)
			fail_msg("the export holds no row of %s", filled[i]);
	assert_true(json_array_size(json_object_get(tables, "meetings")) > 0);
	assert_true(json_array_size(json_object_get(tables, "advice_history")) > 0);
	assert_true(json_array_size(json_object_get(tables, "reminders")) > 0);
	json_t *m = json_array_get(json_object_get(tables, "meetings"), 0);
	const char *at = json_string_value(json_object_get(m, "starts_at"));
	assert_non_null(at);
	assert_int_equal(strlen(at), 20);  /* 2027-01-15T18:30:00Z */
	assert_int_equal(at[19], 'Z');
	assert_true(json_is_integer(json_object_get(m, "short_id")));

	sqlite3 *fresh = fx_db();
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_begin(fresh), 0);
	assert_int_equal(import_network(fresh, a, &err), EXPORT_OK);
	assert_int_equal(db_commit(fresh), 0);
	json_t *b = exported(fresh);
	if (!json_equal(a, b)) {
		char *x = json_dumps(a, JSON_INDENT(1)), *y = json_dumps(b, JSON_INDENT(1));
		fail_msg("the round trip differs:\n%s\n---\n%s", x, y);
	}
	/* the line's total spent is the sum of its spending, not twice it */
	assert_int_equal(fx_int(fresh, "SELECT sum(spent_cents) FROM action_lines"),
			 fx_int(f->db, "SELECT sum(spent_cents) FROM action_lines"));
	/* a second import: refused, nothing changed */
	char *before = fx_snapshot(fresh, NULL);
	assert_int_equal(import_network(fresh, a, &err), EXPORT_PRESENT);
	char *after = fx_snapshot(fresh, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
	json_decref(a);
	json_decref(b);
	db_close(fresh);
	sb_release(&err);
	fx_free(f);
}

/* Every table that holds a network's rows is in the export, or named here
 * with why not: a migration that adds one cannot forget it. */
static void test_every_network_table(void **state)
{
	(void)state;
	static const char *const left_out[] = {
		"rooms",          /* the bot's own joins: where it is, not the network's data */
		"reminder_dirty", /* a work queue, emptied by every command */
		"web_tokens",     /* hashed secrets of links: a member asks a new one */
		NULL,
	};
	sqlite3 *db = fx_db();
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT m.name FROM sqlite_master m"
			 " JOIN pragma_table_info(m.name) p ON p.name = 'network'"
			 " WHERE m.type = 'table' ORDER BY m.name", -1, &st, NULL), SQLITE_OK);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int found = 0;
		for (size_t i = 0; export_tables[i] && !found; i++)
			found = strcmp(export_tables[i], t) == 0;
		for (size_t i = 0; left_out[i] && !found; i++)
			found = strcmp(left_out[i], t) == 0;
		if (!found)
			fail_msg("table %s holds a network's rows but is not exported", t);
		n++;
	}
	sqlite3_finalize(st);
	assert_true(n > 20);
	db_close(db);
}

static void refused(const char *text, const char *needle)
{
	sqlite3 *db = fx_db();
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	assert_non_null(doc);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(import_network(db, doc, &err), EXPORT_BAD);
	if (!strstr(err.buf, needle))
		fail_msg("\"%s\" lacks \"%s\"", err.buf, needle);
	db_rollback(db);
	assert_int_equal(fx_count(db, "meetings"), 0);
	json_decref(doc);
	sb_release(&err);
	db_close(db);
}

#define HEAD "{\"format\":\"werktafel-export\",\"version\":1,\"network\":\"n\","

static void test_import_refusals(void **state)
{
	refused("{\"format\":\"other\"}", "not a werktafel export");
	refused("{\"format\":\"werktafel-export\",\"version\":9,\"network\":\"n\",\"tables\":{}}",
		"export version 9");
	refused(HEAD "\"tables\":{\"secrets\":[]}}", "table secrets is not one");
	refused(HEAD "\"tables\":{\"meetings\":[{\"id\":1,\"network\":\"n\",\"colour\":1}]}}",
		"meetings.colour is not a column");
	refused(HEAD "\"tables\":{\"meetings\":[{\"id\":1,\"network\":\"other\"}]}}",
		"belongs to another network");
	refused(HEAD "\"tables\":{\"meetings\":[{\"id\":1,\"network\":\"n\",\"short_id\":1,"
		"\"title\":\"t\",\"starts_at\":\"morgen\",\"created_at\":1}]}}",
		"meetings.starts_at: a value of the wrong kind");
}

static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam",
	.advice_wait_days = 14 };

/* !export: a note in the room, the file by direct message to the chair. */
static void test_export_command(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	assert_int_equal(demo_seed(f->db, &net, NOW), 0);
	const char *chair = "@anna:demo.test";
	fx_ok(f, &net, chair, "!hulp");  /* the first command generates the reminders */
	fx_ok(f, &net, chair, "!export");
	fx_reply_has(f, "in een privégesprek");
	fx_reply_has(f, "persoonsgegevens");
	assert_int_equal(f->out.n, 3);
	assert_null(f->out.v[0].to_user);
	assert_string_equal(f->out.v[1].to_user, chair);
	assert_true(f->out.v[1].notify);
	const struct wt_reply *file = &f->out.v[2];
	assert_int_equal(file->kind, REPLY_FILE);
	assert_string_equal(file->to_user, chair);
	assert_string_equal(file->filename, "werktafel-demo.json");
	json_error_t jerr;
	json_t *doc = json_loads(file->markdown, 0, &jerr);
	assert_non_null(doc);
	json_t *want = exported(f->db);
	json_object_del(doc, "exported_at");
	json_object_del(want, "exported_at");
	assert_true(json_equal(doc, want));
	json_decref(doc);
	json_decref(want);
	fx_ok(f, &net_en, chair, "!export");
	fx_reply_has(f, "by direct message");
	fx_refused(f, &net, "@daan:demo.test", "!export", WT_EPERM, NULL);
	fx_refused(f, &net, chair, "!export nu", WT_EUSAGE, "!export");
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_network_table),
		cmocka_unit_test(test_import_refusals),
		cmocka_unit_test(test_export_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
