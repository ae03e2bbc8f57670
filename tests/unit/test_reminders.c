/* Reminders: storage of generated ones (upsert, move, cancel), the
 * !herinner / !herinneringen / !tijdzone commands with their refusals, and
 * the meeting reminders generated from meetings and offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/commands.h"
#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "lib/tz.h"
#include "storage/actions.h"
#include "storage/advice.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/reminders.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

#define AMS "Europe/Amsterdam"
#define DAY 86400

static char *rooms[] = { "!noord:demo.test" };
static struct wt_offset offsets[] = {
	{ "agenda_call", 21 * DAY }, { "agenda_final", 10 * DAY },
	{ "invitation", 7 * DAY }, { "meeting_tomorrow", DAY },
	{ "room_day_before", DAY }, { "room_hour_before", 3600 },
};
static struct wt_network net_nl = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = AMS, .offsets = offsets, .noffsets = 6, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_EN, .tz = AMS, .offsets = offsets, .noffsets = 6, .advice_wait_days = 14 };
static const char *const admins[] = { "@beheer:demo.test", NULL };

#define CHAIR "@anna:demo.test"
#define SECRETARY "@bram:demo.test"
#define MEMBER "@cees:demo.test"

static time_t local(int y, int mo, int d, int h, int mi)
{
	struct tz_local l = { y, mo, d, h, mi, 0, 0 };
	time_t t;
	assert_int_equal(tz_to_utc(AMS, &l, &t), TZ_OK);
	return t;
}

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	f->room = "!noord:demo.test";
	f->event_id = "$ev";
	/* Wednesday 13 January 2027, 10:00 in Amsterdam. */
	f->now = local(2027, 1, 13, 10, 0);
	roles_set(f->db, "noord", CHAIR, ROLE_CHAIR, NULL, f->now);
	roles_set(f->db, "noord", SECRETARY, ROLE_SECRETARY, NULL, f->now);
	*state = f;
	return 0;
}

static int run(struct fx_cmds *f, const char *sender, const char *body)
{
	return fx_run(f, &net_nl, sender, body);
}

static long long count(struct fx_cmds *f, const char *where)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "SELECT count(*) FROM reminders WHERE %s", where);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, sql.buf, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sb_release(&sql);
	return n;
}

static void test_upsert_generated(void **state)
{
	struct fx_cmds *f = *state;
	time_t now = f->now;
	/* Past due at first generation: not stored. */
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:1:a", "x.a", 1,
						    CHAIR, NULL, now - 10, now), 0);
	assert_int_equal(count(f, "1"), 0);
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:1:a", "x.a", 1,
						    CHAIR, NULL, now + 100, now), 0);
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:1:b", "x.b", 1,
						    NULL, "!r:demo.test", now + 50, now), 0);
	time_t due;
	assert_int_equal(reminders_next_due(f->db, &due), 1);
	assert_int_equal(due, now + 50);
	/* Moved: new due, new target. */
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:1:b", "x.b", 1,
						    SECRETARY, NULL, now + 500, now), 0);
	assert_int_equal(reminders_next_due(f->db, &due), 1);
	assert_int_equal(due, now + 100);
	assert_int_equal(count(f, "to_user = '@bram:demo.test' AND due_at = due_at"), 1);
	/* Fired and regenerated unchanged: stays fired (not sent twice). */
	struct wt_reminder *v;
	assert_int_equal(reminders_due(f->db, now + 100, 10, &v), 1);
	assert_int_equal(reminders_mark_fired(f->db, v[0].id, now + 100, NULL), 0);
	reminders_list_free(v, 1);
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:1:a", "x.a", 1,
						    CHAIR, NULL, now + 100, now + 200), 0);
	assert_int_equal(count(f, "source_key = 'x:1:a' AND state = 'fired'"), 1);
	/* ... but moved into the future it is pending again. */
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:1:a", "x.a", 1,
						    CHAIR, NULL, now + 900, now + 200), 0);
	assert_int_equal(count(f, "source_key = 'x:1:a' AND state = 'pending'"), 1);
	/* A pending one moved into the past is dropped. */
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:1:a", "x.a", 1,
						    CHAIR, NULL, now + 100, now + 200), 0);
	assert_int_equal(count(f, "source_key = 'x:1:a' AND state = 'cancelled'"), 1);
	/* Cancel by prefix touches only matching pending ones. */
	assert_int_equal(reminders_upsert_generated(f->db, "noord", "x:12:a", "x.a", 12,
						    CHAIR, NULL, now + 100, now), 0);
	assert_int_equal(reminders_cancel_generated(f->db, "x:1:"), 1);
	assert_int_equal(count(f, "state = 'pending'"), 1);
	assert_int_equal(count(f, "source_key = 'x:12:a' AND state = 'pending'"), 1);
}

static void test_remind_me(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, MEMBER, "!herinner mij morgen 9:00 verslag lezen"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "#1"));
	assert_non_null(strstr(fx_reply0(f), "is gepland op donderdag 14 januari om 09:00"));
	assert_non_null(strstr(fx_reply0(f), "verslag lezen"));
	assert_int_equal(count(f, "kind = 'personal' AND owner = '@cees:demo.test'"
			       " AND to_user = '@cees:demo.test' AND text = 'verslag lezen'"), 1);
	time_t due;
	assert_int_equal(reminders_next_due(f->db, &due), 1);
	assert_int_equal(due, local(2027, 1, 14, 9, 0));
	/* English works the same. */
	assert_int_equal(fx_run(f, &net_en, MEMBER, "!remind me in 2 hours call back"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Reminder #2"));
	struct wt_reminder r;
	assert_int_equal(reminders_by_short_id(f->db, "noord", 2, &r), 1);
	assert_int_equal(r.due_at, f->now + 7200);
	assert_string_equal(r.text, "call back");
	reminder_free(&r);
	assert_int_equal(count(f, "state = 'pending'"), 2);
	/* Seconds, which date phrases lack. */
	assert_int_equal(run(f, MEMBER, "!herinner mij over 5 seconden thee"), WT_OK);
	assert_int_equal(reminders_by_short_id(f->db, "noord", 3, &r), 1);
	assert_int_equal(r.due_at, f->now + 5);
	assert_string_equal(r.text, "thee");
	reminder_free(&r);
	/* A snooze counts from the due time still to come: later, never earlier. */
	assert_int_equal(run(f, MEMBER, "!herinner uitstellen 3 30s"), WT_OK);
	assert_int_equal(reminders_by_short_id(f->db, "noord", 3, &r), 1);
	assert_int_equal(r.due_at, f->now + 5 + 30);
	reminder_free(&r);
	assert_int_equal(run(f, MEMBER, "!herinner mij over 0 seconden x"), WT_EUSAGE);
}

static void test_refusals_store_nothing(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, MEMBER, "!herinner mij 01-01-2020 9:00 te laat"), WT_EUSAGE);
	assert_true(f->out.v[0].is_error);
	assert_int_equal(run(f, MEMBER, "!herinner mij morgen 9:00"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "tekst"));
	assert_int_equal(run(f, MEMBER, "!herinner mij blauwe maandag x"), WT_EUSAGE);
	assert_int_equal(run(f, MEMBER, "!herinner iemand morgen x"), WT_EUSAGE);
	assert_int_equal(run(f, MEMBER, "!herinner mij elke blauwe maan x"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "herhaling"));
	assert_int_equal(run(f, MEMBER, "!herinner mij FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 nooit"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "nooit"));
	assert_int_equal(run(f, MEMBER, "!tijdzone Mars/Olympus"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Mars/Olympus"));
	assert_null(user_tz_dup(f->db, MEMBER));
	/* Roles: the room needs a secretary, someone else a chair. */
	assert_int_equal(run(f, MEMBER, "!herinner kamer morgen 9:00 x"), WT_EPERM);
	assert_int_equal(run(f, MEMBER, "!herinner @anna:demo.test morgen 9:00 x"), WT_EPERM);
	assert_int_equal(count(f, "1"), 0);
}

/* The parts of !herinner in a table: the room's part refuses a member
 * before its time is read, !hulp lists each part with its role, and a
 * misspelt part gets the closest one. */
static void test_parts_table(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, MEMBER, "!herinner kamer blauwe maandag"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "Dit mag alleen een secretaris (of hoger). Jouw rol: lid"));
	assert_int_equal(run(f, SECRETARY, "!herinner hier blauwe maandag"), WT_EUSAGE);
	assert_int_equal(count(f, "1"), 0);
	assert_int_equal(run(f, MEMBER, "!hulp herinner"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "- `!herinner mij <wanneer> <tekst>` — lid"));
	assert_non_null(strstr(fx_reply0(f), "- `!herinner kamer <wanneer> <tekst>` — secretaris"));
	assert_non_null(strstr(fx_reply0(f), "- `!herinner annuleer <id>` — lid"));
	assert_int_equal(fx_run(f, &net_en, MEMBER, "!help reminders"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "- `!reminders snooze <id> <duration or time>` — member"));
	assert_int_equal(run(f, MEMBER, "!herinneringen lisjt"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "\"lisjt\" is geen onderdeel van `!herinneringen`. Bedoel je `lijst`?"));
	assert_int_equal(run(f, MEMBER, "!herinneringen pagina 1"), WT_OK);
	/* A word of !herinner that names nobody but is close to a part. */
	assert_int_equal(run(f, MEMBER, "!herinner annuleren 3"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Bedoel je `annuleer`?"));
	/* One that is far from every part is taken as a person. */
	assert_int_equal(run(f, MEMBER, "!herinner zwanenburg morgen x"), WT_EUSAGE);
	assert_null(strstr(fx_reply0(f), "Bedoel je"));
	assert_int_equal(run(f, MEMBER, "!tijdzone standard"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "standard"));
	assert_int_equal(run(f, MEMBER, "!tz default"), WT_OK);
}

static void test_cap_per_person(void **state)
{
	struct fx_cmds *f = *state;
	f->limits.max_reminders = 3;
	for (int i = 0; i < 3; i++)
		assert_int_equal(run(f, MEMBER, "!herinner mij morgen 9:00 x"), WT_OK);
	assert_int_equal(run(f, MEMBER, "!herinner mij morgen 9:00 x"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "3"));
	assert_int_equal(count(f, "owner = '@cees:demo.test'"), 3);
	/* Someone else still may. */
	assert_int_equal(run(f, SECRETARY, "!herinner mij morgen 9:00 x"), WT_OK);
	/* Cancelling one makes room. */
	assert_int_equal(run(f, MEMBER, "!herinner annuleer 2"), WT_OK);
	assert_int_equal(run(f, MEMBER, "!herinner mij morgen 9:00 x"), WT_OK);
}

static void test_list_cancel_snooze(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, MEMBER, "!herinner mij morgen 9:00 eerste"), WT_OK);
	assert_int_equal(run(f, MEMBER, "!herinner mij elke maandag 9:00 weekstart"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "elke ma"));
	assert_non_null(strstr(fx_reply0(f), "de eerste keer op maandag 18 januari om 09:00"));
	assert_int_equal(run(f, CHAIR, "!herinner @cees:demo.test overmorgen 10:00 stukken"), WT_OK);
	assert_int_equal(run(f, SECRETARY, "!herinner kamer morgen 19:00 vergadering"), WT_OK);
	assert_int_equal(run(f, MEMBER, "!herinneringen"), WT_OK);
	const char *t = fx_reply0(f);
	assert_non_null(strstr(t, "#1"));
	assert_non_null(strstr(t, "#2"));
	assert_non_null(strstr(t, "#3"));      /* set by the chair, for cees */
	assert_null(strstr(t, "#4"));          /* the room's, set by bram */
	assert_true(strstr(t, "#1") < strstr(t, "#3"));
	/* Not yours: refused. */
	assert_int_equal(run(f, SECRETARY, "!herinner annuleer 1"), WT_EPERM);
	assert_int_equal(run(f, MEMBER, "!herinner annuleer 99"), WT_ENOTFOUND);
	assert_int_equal(run(f, MEMBER, "!herinneringen annuleer 1"), WT_OK);
	assert_int_equal(count(f, "short_id = 1 AND state = 'cancelled'"), 1);
	assert_int_equal(run(f, MEMBER, "!herinner annuleer 1"), WT_ENOTFOUND);
	/* Snooze by a duration, from the due time still to come, and to a time. */
	struct wt_reminder r;
	assert_int_equal(reminders_by_short_id(f->db, "noord", 3, &r), 1);
	time_t was = r.due_at;
	reminder_free(&r);
	assert_true(was > f->now);
	assert_int_equal(run(f, MEMBER, "!herinner uitstellen 3 2u"), WT_OK);
	assert_int_equal(reminders_by_short_id(f->db, "noord", 3, &r), 1);
	assert_int_equal(r.due_at, was + 7200);
	reminder_free(&r);
	/* Never earlier than it is set for, and nothing may follow the time. */
	assert_int_equal(run(f, MEMBER, "!herinner uitstellen 3 over 1 minuut"), WT_EUSAGE);
	assert_non_null(strstr(f->out.v[0].markdown, "niet eerder"));
	assert_int_equal(run(f, MEMBER, "!herinner uitstellen 3 2u en nog wat"), WT_EUSAGE);
	assert_int_equal(reminders_by_short_id(f->db, "noord", 3, &r), 1);
	assert_int_equal(r.due_at, was + 7200);
	reminder_free(&r);
	assert_int_equal(fx_run(f, &net_en, MEMBER, "!remind snooze 3 friday 14:00"), WT_OK);
	assert_int_equal(reminders_by_short_id(f->db, "noord", 3, &r), 1);
	assert_int_equal(r.due_at, local(2027, 1, 15, 14, 0));
	reminder_free(&r);
	assert_int_equal(run(f, MEMBER, "!herinner uitstellen 3 gisteren"), WT_EUSAGE);
	assert_int_equal(run(f, MEMBER, "!herinner uitstellen 3"), WT_EUSAGE);
}

static void test_personal_time_zone(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, MEMBER, "!tijdzone"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), AMS));
	assert_int_equal(run(f, MEMBER, "!tijdzone Europe/London"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "09:00")); /* 10:00 in Amsterdam */
	char *tz = user_tz_dup(f->db, MEMBER);
	assert_string_equal(tz, "Europe/London");
	free(tz);
	/* 9:00 in London is 10:00 in Amsterdam. */
	assert_int_equal(run(f, MEMBER, "!herinner mij morgen 9:00 thee"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "09:00"));
	time_t due;
	assert_int_equal(reminders_next_due(f->db, &due), 1);
	assert_int_equal(due, local(2027, 1, 14, 10, 0));
	/* Listed in the reader's zone. */
	assert_int_equal(run(f, MEMBER, "!herinneringen"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Europe/London"));
	assert_non_null(strstr(fx_reply0(f), "09:00"));
	assert_int_equal(run(f, MEMBER, "!tijdzone standaard"), WT_OK);
	assert_null(user_tz_dup(f->db, MEMBER));
}

static void make_meeting(struct fx_cmds *f, time_t start, struct wt_meeting *m)
{
	memset(m, 0, sizeof *m);
	m->network = "noord";
	m->title = "Werktafel januari";
	m->room = "!noord:demo.test";
	m->starts_at = start;
	m->duration_min = 120;
	m->created_at = f->now;
	assert_int_equal(meeting_create(f->db, m), 0);
}

static int generate(struct fx_cmds *f)
{
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .sender = "", .now = f->now,
			      .lang = LANG_NL, .out = &none };
	int rc = reminder_generate_all(&ctx);
	wt_replies_free(&none);
	return rc;
}

static void test_meeting_reminders_generated(void **state)
{
	struct fx_cmds *f = *state;
	time_t start = local(2027, 2, 9, 19, 30); /* 27 days ahead */
	struct wt_meeting m;
	make_meeting(f, start, &m);
	assert_int_equal(generate(f), 0);
	/* the six configured and the secretary's report if it is not opened */
	assert_int_equal(count(f, "state = 'pending'"), 7);
	assert_int_equal(count(f, "kind = 'meeting.unopened' AND to_user = '@bram:demo.test'"), 1);
	assert_int_equal(count(f, "kind = 'meeting.agenda_call' AND to_user = '@anna:demo.test'"), 1);
	assert_int_equal(count(f, "kind = 'meeting.invitation' AND to_user = '@bram:demo.test'"), 1);
	assert_int_equal(count(f, "kind = 'meeting.room_hour_before' AND room_id = '!noord:demo.test'"
			       " AND to_user IS NULL"), 1);
	struct strbuf w = STRBUF_INIT;
	sb_addf(&w, "kind = 'meeting.agenda_call' AND due_at = %lld", (long long)(start - 21 * DAY));
	assert_int_equal(count(f, w.buf), 1);
	/* Idempotent. */
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "1"), 7);
	/* Moved a week later: every reminder moves with it. */
	assert_int_equal(meeting_set_start(f->db, m.id, start + 7 * DAY), 0);
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, w.buf), 0);
	sb_reset(&w);
	sb_addf(&w, "kind = 'meeting.agenda_call' AND due_at = %lld AND state = 'pending'",
		(long long)(start + 7 * DAY - 21 * DAY));
	assert_int_equal(count(f, w.buf), 1);
	/* Moved so close that the agenda call lies in the past: dropped,
	 * the others stay. */
	assert_int_equal(meeting_set_start(f->db, m.id, f->now + 15 * DAY), 0);
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "kind = 'meeting.agenda_call' AND state = 'cancelled'"), 1);
	assert_int_equal(count(f, "state = 'pending'"), 6);
	/* A new chair gets the chair's reminders. */
	roles_set(f->db, "noord", CHAIR, ROLE_MEMBER, NULL, f->now);
	roles_set(f->db, "noord", MEMBER, ROLE_CHAIR, NULL, f->now);
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "kind = 'meeting.agenda_final' AND to_user = '@cees:demo.test'"), 1);
	/* Cancelled: all its reminders are dropped. */
	assert_int_equal(meeting_set_state(f->db, m.id, MEETING_CANCELLED, f->now), 0);
	assert_int_equal(generate(f), 0);
	assert_int_equal(count(f, "state = 'pending'"), 0);
	sb_release(&w);
}

static void test_meeting_render(void **state)
{
	struct fx_cmds *f = *state;
	time_t start = local(2027, 2, 9, 19, 30);
	struct wt_meeting m;
	make_meeting(f, start, &m);
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .sender = "", .now = f->now,
			      .lang = LANG_NL, .out = &none };
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", m.id, &sb), 0);
	assert_non_null(strstr(sb.buf, "Werktafel januari"));
	assert_non_null(strstr(sb.buf, "is op dinsdag 9 februari om 19:30"));
	sb_reset(&sb);
	assert_int_equal(reminder_render(&ctx, "meeting.room_day_before", m.id, &sb), 0);
	assert_non_null(strstr(sb.buf, "Agenda"));
	sb_reset(&sb);
	ctx.lang = LANG_EN;
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_final", m.id, &sb), 0);
	assert_non_null(strstr(sb.buf, "Finalise the agenda"));
	sb_reset(&sb);
	/* The chair's "tomorrow" lists open advice requests and actions. */
	struct wt_advice a = { .network = "noord", .title = "Wachtlijsten thuiszorg",
			       .submitted_by = SECRETARY, .deadline = local(2027, 3, 1, 12, 0),
			       .created_at = f->now };
	assert_int_equal(advice_create(f->db, &a), 0);
	struct wt_logged act = { .network = "noord", .kind = LOGGED_ACTION,
				 .text = "Offerte opvragen", .owner = MEMBER,
				 .logged_by = CHAIR, .created_at = f->now };
	assert_int_equal(logged_add(f->db, &act), 0);
	sb_reset(&sb);
	ctx.lang = LANG_NL;
	assert_int_equal(reminder_render(&ctx, "meeting.meeting_tomorrow", m.id, &sb), 0);
	assert_non_null(strstr(sb.buf, "Open adviesvragen"));
	assert_non_null(strstr(sb.buf, "Wachtlijsten thuiszorg (uiterlijk ma 1 mrt 2027)"));
	assert_non_null(strstr(sb.buf, "Open actiepunten"));
	assert_non_null(strstr(sb.buf, "Offerte opvragen"));
	sb_reset(&sb);
	ctx.lang = LANG_EN;
	/* Unknown kinds and vanished objects are dropped. */
	assert_int_equal(reminder_render(&ctx, "unknown.kind", m.id, &sb), 1);
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", 999, &sb), 1);
	assert_int_equal(meeting_set_state(f->db, m.id, MEETING_CANCELLED, f->now), 0);
	assert_int_equal(reminder_render(&ctx, "meeting.agenda_call", m.id, &sb), 1);
	sb_release(&sb);
	wt_replies_free(&none);
}

static long long count_meetings(struct fx_cmds *f, const char *where)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "SELECT count(*) FROM meetings WHERE %s", where);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, sql.buf, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sb_release(&sql);
	return n;
}

/* The local start of meeting short id sid. */
static struct tz_local meeting_local(struct fx_cmds *f, long long sid)
{
	struct wt_meeting m;
	assert_int_equal(meeting_by_short_id(f->db, "noord", sid, &m), 1);
	struct tz_local l;
	assert_int_equal(tz_from_utc(AMS, m.starts_at, &l), TZ_OK);
	meeting_free(&m);
	return l;
}

static void test_recurring_meetings(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, CHAIR, "!vergadering plan 09-02-2027 19:30 titel Werktafel elke tweede dinsdag"), WT_OK);
	assert_true(f->out.n >= 2);
	assert_non_null(strstr(f->out.v[1].markdown, "elke tweede dinsdag van de maand"));
	/* Feb 9, Mar 9, Apr 13, May 11: within 120 days of 13 January. */
	assert_int_equal(count_meetings(f, "state = 'planned'"), 4);
	assert_int_equal(count_meetings(f, "title = 'Werktafel' AND series_id = 1"), 4);
	for (int sid = 1; sid <= 4; sid++) {
		struct tz_local l = meeting_local(f, sid);
		assert_int_equal(l.hour, 19);   /* across the change to summer time */
		assert_int_equal(l.min, 30);
		assert_int_equal(l.wday, 2);
		assert_true(l.day >= 8 && l.day <= 14);
	}
	/* One occurrence moved, another cancelled: the rest stays. */
	assert_int_equal(run(f, CHAIR, "!vergadering verzet 2 10-03-2027 20:00"), WT_OK);
	assert_int_equal(run(f, CHAIR, "!vergadering annuleer 3"), WT_OK);
	assert_int_equal(meeting_local(f, 4).day, 11);
	assert_int_equal(meeting_local(f, 1).day, 9);
	/* Time passes: the series plans further by itself, counting moved and
	 * cancelled occurrences as held. */
	f->now += 62 * DAY;
	assert_int_equal(generate(f), 0);
	assert_int_equal(count_meetings(f, "series_id = 1"), 6);
	assert_int_equal(meeting_local(f, 5).mon, 6);
	assert_int_equal(meeting_local(f, 5).day, 8);
	assert_int_equal(meeting_local(f, 6).mon, 7);
	assert_int_equal(meeting_local(f, 6).day, 13);
	/* Meeting reminders exist for the new ones too. */
	assert_int_equal(count(f, "ref_id = (SELECT id FROM meetings WHERE short_id = 6)"), 7);
	/* Stop after #5: #6 is cancelled, nothing new is planned. */
	assert_int_equal(run(f, CHAIR, "!vergadering reeks 5 stop"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "1 latere"));
	assert_int_equal(count_meetings(f, "short_id = 6 AND state = 'cancelled'"), 1);
	f->now += 90 * DAY;
	assert_int_equal(generate(f), 0);
	assert_int_equal(count_meetings(f, "1"), 6);
	assert_int_equal(run(f, CHAIR, "!vergadering reeks 5 stop"), WT_ENOTFOUND);
}

static void test_recurring_meeting_refusals(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, CHAIR, "!vergadering plan 09-02-2027 19:30 elke blauwe maan"), WT_EUSAGE);
	assert_int_equal(run(f, CHAIR, "!vergadering plan 09-02-2027 19:30 every 2 months"), WT_OK);
	assert_int_equal(count_meetings(f, "1"), 2);   /* Feb and Apr */
	assert_int_equal(run(f, CHAIR, "!vergadering reeks 1"), WT_EUSAGE);
	assert_int_equal(run(f, MEMBER, "!vergadering reeks 1 stop"), WT_EPERM);
	assert_int_equal(count_meetings(f, "rrule IS NOT NULL"), 1);
}

/* A network whose config names its rooms by alias: a meeting without a
 * room of its own has its room reminders go to the room the bot joined. */
static void test_room_by_alias(void **state)
{
	struct fx_cmds *f = *state;
	static char *aliases[] = { "#noord:demo.test" };
	struct wt_network net_alias = net_nl;
	net_alias.rooms = aliases;
	assert_int_equal(db_execf(f->db, "INSERT INTO rooms(room_id, network, joined_at)"
				  " VALUES ('!joined:demo.test', 'noord', 5)", NULL), 0);
	struct wt_meeting m = { .network = "noord", .title = "Zonder kamer",
				.starts_at = f->now + 30 * DAY, .duration_min = 60,
				.created_at = f->now };
	assert_int_equal(meeting_create(f->db, &m), 0);
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_alias, .sender = "", .now = f->now,
			      .lang = LANG_NL, .out = &none };
	assert_int_equal(reminder_generate_all(&ctx), 0);
	assert_int_equal(count(f, "kind LIKE 'meeting.room%' AND room_id = '!joined:demo.test'"), 2);
	assert_int_equal(count(f, "room_id LIKE '#%'"), 0);
	wt_replies_free(&none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_upsert_generated, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_remind_me, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals_store_nothing, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_parts_table, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cap_per_person, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_list_cancel_snooze, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_personal_time_zone, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_meeting_reminders_generated, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_meeting_render, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_recurring_meetings, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_room_by_alias, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_recurring_meeting_refusals, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
