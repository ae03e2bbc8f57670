/* Reports on their schedule (handlers/report.h): with report_quarterly on,
 * an action line's quarterly report is scheduled when the line is made,
 * compiled the morning after the quarter ends and sent to the lead by
 * direct message (text and file), approved or added to by the lead, and
 * posted on the post day in report_room as a summary and two files; a
 * restart (a full generation pass, the missed-reminder summary) never
 * compiles or posts twice. Unchecked reports say so; the programme's is
 * checked by the chair; every refusal changes nothing. The fixture's
 * clock crosses the period's end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/config.h"
#include "bot/scheduler.h"
#include "lib/tz.h"
#include "storage/bodies.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

#define AMS "Europe/Amsterdam"
#define ADMIN "@admin:demo.test"
#define CHAIR "@anna:demo.test"
#define LEAD "@daan:demo.test"
#define MEMBER "@eva:demo.test"

static char *rooms[] = { "werktafel", "bestuur" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 2, .lang = LANG_NL,
				    .tz = AMS, .advice_wait_days = 14, .report_quarterly = 1,
				    .report_room = "bestuur" };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 2, .lang = LANG_EN,
				    .tz = AMS, .advice_wait_days = 14, .report_quarterly = 1,
				    .report_room = "bestuur" };
static const char *const admins[] = { ADMIN, NULL };

static time_t local(int y, int mo, int d, int h)
{
	struct tz_local l = { .year = y, .mon = mo, .day = d, .hour = h };
	time_t t;
	assert_int_equal(tz_to_utc(AMS, &l, &t), TZ_OK);
	return t;
}

/* The config the scheduler reads: one network, net. */
static struct wt_config cfg_of(struct wt_network *net)
{
	struct wt_config c = { .lang = LANG_NL, .timezone = AMS, .late_limit_hours = 24,
			       .networks = net, .nnetworks = 1 };
	return c;
}

/* A line AL1 with lead daan, made on 3 December 2026. */
static int setup(void **state)
{
	net_nl.report_halfyear = 0;
	net_nl.report_post_day = 0;
	struct fx_cmds *f = fx_new(local(2026, 12, 3, 10), admins);
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, 0);
	fx_ok(f, &net_nl, ADMIN, "!al nieuw Samen leren in de regio\nprojectleider: " LEAD
	      "\nbudget: 5000");
	*state = f;
	return 0;
}

/* Messages in the outbox for a room, or the report messages (the text
 * and the file of "Rapportage N is klaar") for a person: other reminders
 * (the lead's quarterly one) are left out. */
static long long outbox_to(struct fx_cmds *f, const char *who, int room)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, room
			 ? "SELECT count(*) FROM outbox WHERE room_id = ?1"
			 : "SELECT count(*) FROM outbox WHERE to_user = ?1 AND room_id IS NULL"
			   " AND (upload_name IS NOT NULL OR content LIKE '%apportage%')",
			 -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Fire what is due at t (the bot running since t). */
static int fire(struct fx_cmds *f, struct wt_network *net, time_t t)
{
	struct wt_config c = cfg_of(net);
	f->now = t;
	return scheduler_fire_due(f->db, &c, t, t);
}

/* A restart at t: the full generation pass, then what is due. */
static void restart(struct fx_cmds *f, struct wt_network *net, time_t t)
{
	struct wt_config c = cfg_of(net);
	f->now = t;
	assert_int_equal(scheduler_summarise_missed(f->db, &c, t) >= 0, 1);
	assert_int_equal(scheduler_generate(f->db, &c, t), 0);
	assert_int_equal(scheduler_fire_due(f->db, &c, t, t) >= 0, 1);
}

static const char *last_file(struct fx_cmds *f, const char *room)
{
	static char buf[8192];
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT upload FROM outbox WHERE room_id = ?1"
					    " AND upload_name LIKE '%.md' ORDER BY id DESC LIMIT 1",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, room, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static void test_compile_check_post_once(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM scheduled_reports"
				" WHERE period = '2026Q4' AND state = 'scheduled'"), 1);
	fx_ok(f, &net_nl, MEMBER, "!rapport");
	fx_reply_has(f, "gepland: samenstellen op vr 1 jan 2027, plaatsen op ma 11 jan 2027");
	fx_ok(f, &net_nl, LEAD, "!al uitgave AL1 750 startbijeenkomst");
	/* The quarter has not ended: nothing yet. */
	fire(f, &net_nl, local(2026, 12, 31, 23));
	assert_int_equal(outbox_to(f, LEAD, 0), 0);
	assert_int_equal(outbox_to(f, "bestuur", 1), 0);
	/* The morning after: compiled, to the lead by direct message. */
	fire(f, &net_nl, local(2027, 1, 1, 9));
	assert_int_equal(outbox_to(f, LEAD, 0), 2);
	assert_int_equal(outbox_to(f, "bestuur", 1), 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM outbox WHERE to_user = '" LEAD "'"
				" AND room_id IS NULL AND upload_name = 'AL1-2026Q4.md'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM scheduled_reports"
				" WHERE period = '2026Q4' AND state = 'compiled'"), 1);
	fx_ok(f, &net_nl, LEAD, "!rapport 1");
	fx_reply_has(f, "samengesteld op vr 1 jan 2027, wacht op controle");
	assert_null(strstr(fx_reply0(f), "gecontroleerd door"));
	/* A restart compiles nothing again; the next quarter is scheduled. */
	restart(f, &net_nl, local(2027, 1, 1, 10));
	assert_int_equal(outbox_to(f, LEAD, 0), 2);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM scheduled_reports"
				" WHERE period = '2027Q1'"), 1);
	/* The lead adds a line and approves. */
	fx_ok(f, &net_nl, LEAD, "!rapport aanvulling 1 De tweede werksessie is verschoven naar februari.");
	fx_reply_has(f, "Aanvulling bij rapportage 1 opgeslagen");
	fx_ok(f, &net_nl, LEAD, "!rapport akkoord 1");
	fx_reply_has(f, "Rapportage 1 is goedgekeurd. Ze wordt op maandag 11 januari om 09:00 geplaatst.");
	fx_ok(f, &net_nl, MEMBER, "!rapport 1");
	fx_reply_has(f, "goedgekeurd door");
	/* Post day: the summary and two files in the report room, once. */
	fire(f, &net_nl, local(2027, 1, 11, 8));
	assert_int_equal(outbox_to(f, "bestuur", 1), 0);
	fire(f, &net_nl, local(2027, 1, 11, 9));
	assert_int_equal(outbox_to(f, "bestuur", 1), 3);
	const char *md = last_file(f, "bestuur");
	assert_non_null(strstr(md, "# Kwartaalrapportage AL1 — Samen leren in de regio"));
	assert_non_null(strstr(md, "## Aanvullingen"));
	assert_non_null(strstr(md, "De tweede werksessie is verschoven naar februari."));
	assert_non_null(strstr(md, "*Gecontroleerd door"));
	assert_int_equal(fx_int(f->db, "SELECT unchecked FROM scheduled_reports WHERE short_id = 1"), 0);
	/* The summary: the state at the quarter's end, the addition, the check. */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM outbox WHERE room_id = 'bestuur'"
				" AND content LIKE '%Stand op 31 december 2026: % op schema; 0 resultaten"
				" afgerond in deze periode, 0 over tijd; besteed € 750,00 van € 5.000,00.%'"
				" AND content LIKE '%Met 1 aanvulling.%' AND content LIKE '%Gecontroleerd door%'"), 1);
	restart(f, &net_nl, local(2027, 1, 12, 9));
	assert_int_equal(outbox_to(f, "bestuur", 1), 3);
	assert_int_equal(outbox_to(f, LEAD, 0), 2);
	fx_ok(f, &net_nl, MEMBER, "!rapport");
	fx_reply_has(f, "geplaatst op ma 11 jan 2027, gecontroleerd");
	fx_ok(f, &net_nl, MEMBER, "!rapport 1");
	fx_reply_has(f, "*Gecontroleerd door");
}

static void test_unchecked_is_posted_anyway(void **state)
{
	struct fx_cmds *f = *state;
	fire(f, &net_nl, local(2027, 1, 1, 9));
	fire(f, &net_nl, local(2027, 1, 11, 9));
	assert_int_equal(outbox_to(f, "bestuur", 1), 3);
	assert_non_null(strstr(last_file(f, "bestuur"), "*Niet gecontroleerd door de projectleider.*"));
	assert_int_equal(fx_int(f->db, "SELECT unchecked FROM scheduled_reports WHERE short_id = 1"), 1);
	fx_ok(f, &net_nl, MEMBER, "!rapport");
	fx_reply_has(f, "geplaatst op ma 11 jan 2027, niet gecontroleerd");
	fx_ok(f, &net_nl, MEMBER, "!rapport 1");
	fx_reply_has(f, "*Niet gecontroleerd door de projectleider.*");
}

/* Without report_room the board body's room gets the report, not the
 * network's first room. */
static void test_posted_in_board_body_room(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_network net = net_nl;
	net.report_room = NULL;
	long long board = 0;
	assert_int_equal(body_create(f->db, "demo", "BNO", BODY_BOARD, local(2026, 12, 3, 11), &board),
			 BODY_CREATE_OK);
	assert_int_equal(body_room_add(f->db, "demo", "bestuur", board), 0);
	fire(f, &net, local(2027, 1, 1, 9));
	fire(f, &net, local(2027, 1, 11, 9));
	assert_int_equal(outbox_to(f, "bestuur", 1), 3);
	assert_int_equal(outbox_to(f, "werktafel", 1), 0);
}

/* The bot was down from before the quarter's end until after the post
 * day: on start the report is compiled, the lead told it goes out now,
 * and it is posted unchecked; a second start does nothing. */
static void test_down_over_period_end(void **state)
{
	struct fx_cmds *f = *state;
	restart(f, &net_nl, local(2027, 1, 20, 10));
	assert_int_equal(outbox_to(f, LEAD, 0), 2);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM outbox WHERE to_user = '" LEAD "'"
				" AND content LIKE '%al voorbij%'"), 1);
	assert_int_equal(outbox_to(f, "bestuur", 1), 3);
	restart(f, &net_nl, local(2027, 1, 20, 11));
	assert_int_equal(outbox_to(f, LEAD, 0), 2);
	assert_int_equal(outbox_to(f, "bestuur", 1), 3);
}

static void test_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, LEAD, "!rapport akkoord", WT_EUSAGE,
		   "Het nummer van de rapportage ontbreekt.");
	fx_refused(f, &net_nl, LEAD, "!rapport akkoord 9", WT_ENOTFOUND, "Rapportage 9 bestaat niet.");
	fx_refused(f, &net_nl, LEAD, "!rapport akkoord 1", WT_EUSAGE,
		   "Rapportage 1 is nog niet samengesteld; dat gebeurt op vr 1 jan 2027.");
	fx_refused(f, &net_nl, MEMBER, "!rapport 1 meteen", WT_EUSAGE, NULL);
	fire(f, &net_nl, local(2027, 1, 1, 9));
	fx_refused(f, &net_nl, MEMBER, "!rapport akkoord 1", WT_EPERM,
		   "Alleen de projectleider van AL1 of de voorzitter keurt rapportage 1 goed");
	fx_refused(f, &net_en, MEMBER, "!report approve 1", WT_EPERM,
		   "Only the project lead of AL1 or the chair approves report 1");
	fx_refused(f, &net_nl, MEMBER, "!rapport aanvulling 1 Ik hoor er niet bij", WT_EPERM,
		   "Alleen de projectleider van AL1");
	fx_refused(f, &net_nl, LEAD, "!rapport aanvulling 1", WT_EUSAGE,
		   "De tekst van de aanvulling ontbreekt.");
	fx_refused(f, &net_en, LEAD, "!report addition 1", WT_EUSAGE,
		   "The text of the addition is missing.");
	fx_refused(f, &net_nl, LEAD, "!rapport akkoord 1 graag", WT_EUSAGE, NULL);
	fx_refused(f, &net_nl, LEAD, "!rapport bekijk 1", WT_EUSAGE, NULL);
	/* The chair may check for the lead. */
	fx_ok(f, &net_nl, CHAIR, "!rapport akkoord 1");
	fx_refused(f, &net_nl, LEAD, "!rapport akkoord 1", WT_EUSAGE,
		   "Rapportage 1 is al goedgekeurd door");
	fire(f, &net_nl, local(2027, 1, 11, 9));
	fx_refused(f, &net_nl, LEAD, "!rapport aanvulling 1 Nog iets", WT_EUSAGE,
		   "Rapportage 1 is al geplaatst, op ma 11 jan 2027; er kan niets meer bij.");
	fx_refused(f, &net_en, LEAD, "!report addition 1 More", WT_EUSAGE,
		   "Report 1 was posted already");
}

/* The programme's half-year report goes to the chair; the lead may not
 * approve it. Turning a schedule off forgets the reports not compiled. */
static void test_programme_and_off(void **state)
{
	struct fx_cmds *f = *state;
	net_nl.report_halfyear = 1;
	net_nl.report_post_day = 3;
	restart(f, &net_nl, local(2026, 12, 4, 10));
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM scheduled_reports"
				" WHERE line_key = 0 AND period = '2026H2'"), 1);
	fire(f, &net_nl, local(2027, 1, 1, 9));
	assert_int_equal(outbox_to(f, CHAIR, 0), 2);
	long long prog = fx_int(f->db, "SELECT short_id FROM scheduled_reports WHERE line_key = 0"
				" AND period = '2026H2'");
	char cmd[64];
	snprintf(cmd, sizeof cmd, "!rapport akkoord %lld", prog);
	fx_refused(f, &net_nl, LEAD, cmd, WT_EPERM, "Alleen de voorzitter keurt de halfjaarrapportage");
	fx_ok(f, &net_nl, CHAIR, cmd);
	/* report_post_day = 3: posted on 4 January. */
	fire(f, &net_nl, local(2027, 1, 4, 9));
	assert_int_equal(outbox_to(f, "bestuur", 1), 6);
	/* Off: the scheduled reports of the next periods are forgotten. */
	net_nl.report_quarterly = 0;
	net_nl.report_halfyear = 0;
	restart(f, &net_nl, local(2027, 1, 5, 10));
	net_nl.report_quarterly = 1;
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM scheduled_reports WHERE state = 'scheduled'"), 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM scheduled_reports WHERE state = 'posted'"), 2);
	net_nl.report_post_day = 0;
}

static void test_list_empty_en(void **state)
{
	struct fx_cmds *f = fx_new(local(2026, 12, 3, 10), admins);
	(void)state;
	fx_ok(f, &net_en, MEMBER, "!report");
	fx_reply_has(f, "No reports are scheduled.");
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_compile_check_post_once, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unchecked_is_posted_anyway, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_posted_in_board_body_room, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_down_over_period_end, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_programme_and_off, setup, fx_teardown),
		cmocka_unit_test(test_list_empty_en),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
