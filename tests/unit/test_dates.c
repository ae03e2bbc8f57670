/* One date grammar, everywhere: one table of phrases goes through every
 * family that reads a date (a reminder, a meeting, an action's due date,
 * an advice request's deadline, an action-line deliverable), and each
 * family must read each phrase as the same day, take the whole phrase (the
 * text after it is the reminder's text, the meeting's title), and refuse
 * the same way. Day-only families (action lines) refuse a phrase with a
 * time of day and say that only a day goes there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

#define AMS "Europe/Amsterdam"
#define ADMIN "@admin:demo.test"
#define MEMBER "@eva:demo.test"

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL,
				    .tz = AMS, .advice_wait_days = 14 };
static const char *const admins[] = { ADMIN, NULL };

/* A phrase and the local day (and, when it names one, the time) it means,
 * read on Wednesday 10 March 2027 at 10:00 in Amsterdam. */
struct phrase_case {
	const char *text;
	int y, m, d;
	int hh, mi;         /* -1: no time of day in the phrase */
};

static const struct phrase_case phrases[] = {
	{ "morgen", 2027, 3, 11, -1, 0 },
	{ "overmorgen", 2027, 3, 12, -1, 0 },
	{ "tomorrow", 2027, 3, 11, -1, 0 },
	{ "vrijdag", 2027, 3, 12, -1, 0 },
	{ "volgende dinsdag", 2027, 3, 16, -1, 0 },
	{ "next friday", 2027, 3, 12, -1, 0 },
	{ "volgende week dinsdag", 2027, 3, 16, -1, 0 },
	{ "12 maart", 2027, 3, 12, -1, 0 },
	{ "12 maart 2027", 2027, 3, 12, -1, 0 },
	{ "12-03-2027", 2027, 3, 12, -1, 0 },
	{ "12-3", 2027, 3, 12, -1, 0 },
	{ "2027-03-12", 2027, 3, 12, -1, 0 },
	{ "March 12 2027", 2027, 3, 12, -1, 0 },
	{ "1 april", 2027, 4, 1, -1, 0 },
	{ "over 3 dagen", 2027, 3, 13, -1, 0 },
	{ "over 2 weken", 2027, 3, 24, -1, 0 },
	{ "in 2 weeks", 2027, 3, 24, -1, 0 },
	{ "over een maand", 2027, 4, 10, -1, 0 },
	{ "eind maart", 2027, 3, 31, -1, 0 },
	{ "eind van de maand", 2027, 3, 31, -1, 0 },
	{ "begin april", 2027, 4, 1, -1, 0 },
	{ "end of April", 2027, 4, 30, -1, 0 },
	{ "volgende week", 2027, 3, 15, -1, 0 },
	/* With a time of day: the timed families take it, action lines refuse. */
	{ "morgen 14:00", 2027, 3, 11, 14, 0 },
	{ "morgen 14u", 2027, 3, 11, 14, 0 },
	{ "morgen 14u30", 2027, 3, 11, 14, 30 },
	{ "morgen om 9 uur", 2027, 3, 11, 9, 0 },
	{ "dinsdag 19:30", 2027, 3, 16, 19, 30 },
	{ "12-03-2027 14:00", 2027, 3, 12, 14, 0 },
	{ "12 maart 8.30 uur", 2027, 3, 12, 8, 30 },
	{ "tomorrow 9am", 2027, 3, 11, 9, 0 },
	{ "over 3 uur", 2027, 3, 10, 13, 0 },
	{ "in 90 minutes", 2027, 3, 10, 11, 30 },
};

/* Phrases every family refuses (and stores nothing for). */
static const char *const refused_phrases[] = {
	"31-02-2027", "gisteren 9:00" /* in the past for the timed ones */, "maart",
	"morgen 25:00", "12-13-2027",
};

static time_t now_local(void)
{
	struct tz_local l = { .year = 2027, .mon = 3, .day = 10, .hour = 10 };
	time_t t;
	assert_int_equal(tz_to_utc(AMS, &l, &t), TZ_OK);
	return t;
}

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(now_local(), admins);
	f->event_id = "$ev";
	fx_ok(f, &net_nl, ADMIN, "!al nieuw Samen leren");
	fx_ok(f, &net_nl, ADMIN, "!al resultaat AL1 toevoegen 1-6-2027 Eerste proef");
	fx_ok(f, &net_nl, ADMIN, "!actie @eva:demo.test verslag rondsturen");
	*state = f;
	return 0;
}

/* One text of the last row a query finds (freed by the caller), or NULL. */
static char *text_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *out = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* Check that instant t is the phrase's day (and time when it has one). */
static void assert_means(const struct phrase_case *c, const char *family, long long t)
{
	struct tz_local l;
	assert_int_equal(tz_from_utc(AMS, (time_t)t, &l), TZ_OK);
	if (l.year != c->y || l.mon != c->m || l.day != c->d ||
	    (c->hh >= 0 && (l.hour != c->hh || l.min != c->mi)))
		fail_msg("%s read \"%s\" as %04d-%02d-%02d %02d:%02d, want %04d-%02d-%02d", family,
			 c->text, l.year, l.mon, l.day, l.hour, l.min, c->y, c->m, c->d);
}

/* The grammar itself, with the flags of each reader. */
static void test_grammar(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++) {
		const struct phrase_case *c = &phrases[i];
		struct when_in in = { now_local(), AMS, LANG_NL, 9, 0, 0 };
		struct when_out o;
		if (when_read(c->text, &in, &o) != WHEN_OK || o.used != strlen(c->text))
			fail_msg("\"%s\" not read whole (used %zu)", c->text, o.used);
		assert_means(c, "when_read", o.at);
		in.flags = WHEN_DAY | WHEN_PAST_OK;
		int rc = when_read(c->text, &in, &o);
		if (c->hh >= 0) {
			if (rc != WHEN_NOT_DAY)
				fail_msg("\"%s\" as a day: %d, want WHEN_NOT_DAY", c->text, rc);
		} else if (rc != WHEN_OK || o.day != (long)tz_days_from_civil(c->y, c->m, c->d)) {
			fail_msg("\"%s\" as a day: rc %d", c->text, rc);
		}
	}
}

/* Each phrase through a reminder, a meeting, an action, an advice request
 * and an action-line deliverable. */
static void test_every_family(void **state)
{
	struct fx_cmds *f = *state;
	char cmd[256];
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++) {
		const struct phrase_case *c = &phrases[i];

		snprintf(cmd, sizeof cmd, "!herinner mij %s bellen met de huisartsenpost", c->text);
		fx_ok(f, &net_nl, MEMBER, cmd);
		assert_means(c, "!herinner", fx_int(f->db, "SELECT due_at FROM reminders "
						      "WHERE kind = 'personal' ORDER BY id DESC LIMIT 1"));
		char *text = text_of(f->db, "SELECT text FROM reminders WHERE kind = 'personal' "
					    "ORDER BY id DESC LIMIT 1");
		if (!text || strcmp(text, "bellen met de huisartsenpost") != 0)
			fail_msg("!herinner %s: text \"%s\"", c->text, text ? text : "(none)");
		free(text);

		snprintf(cmd, sizeof cmd, "!vergadering plan %s titel Overleg %zu", c->text, i);
		fx_ok(f, &net_nl, ADMIN, cmd);
		assert_means(c, "!vergadering plan",
			     fx_int(f->db, "SELECT starts_at FROM meetings ORDER BY id DESC LIMIT 1"));

		snprintf(cmd, sizeof cmd, "!actie verzet 1 %s", c->text);
		fx_ok(f, &net_nl, ADMIN, cmd);
		assert_means(c, "!actie verzet", fx_int(f->db, "SELECT due_at FROM logged_items "
							   "WHERE kind = 'action' AND short_id = 1"));

		snprintf(cmd, sizeof cmd, "!advies nieuw Vraag %zu\ndeadline: %s", i, c->text);
		fx_ok(f, &net_nl, ADMIN, cmd);
		assert_means(c, "advice deadline", fx_int(f->db, "SELECT deadline FROM advice_requests "
							      "ORDER BY id DESC LIMIT 1"));

		snprintf(cmd, sizeof cmd, "!al resultaat AL1 verzet 1 %s", c->text);
		if (c->hh >= 0) {
			fx_refused(f, &net_nl, ADMIN, cmd, WT_EUSAGE, "alleen een dag");
			continue;
		}
		fx_ok(f, &net_nl, ADMIN, cmd);
		char want[11], *got = text_of(f->db, "SELECT due_day FROM action_line_deliverables "
						      "ORDER BY id LIMIT 1");
		snprintf(want, sizeof want, "%04d-%02d-%02d", c->y, c->m, c->d);
		if (!got || strcmp(got, want) != 0)
			fail_msg("!al resultaat verzet %s: %s, want %s", c->text, got ? got : "-", want);
		free(got);
	}
}

/* "eind maart" is the last working day of March at the end of the working
 * day, and the reply says so. */
static void test_period_end_said(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!herinner mij eind maart stukken insturen");
	fx_reply_has(f, "woensdag 31 maart om 17:00 (de laatste werkdag van maart)");
	fx_ok(f, &net_nl, MEMBER, "!herinner mij 30 maart 17:00 iets anders");
	if (strstr(fx_reply0(f), "werkdag"))
		fail_msg("a plain date is no period's end: %s", fx_reply0(f));
}

/* A phrase that is no date (or no possible one) is refused by every family
 * alike, with how to write one, and changes nothing. */
static void test_every_family_refuses(void **state)
{
	struct fx_cmds *f = *state;
	char cmd[256];
	for (size_t i = 0; i < sizeof refused_phrases / sizeof refused_phrases[0]; i++) {
		const char *p = refused_phrases[i];
		const char *forms[] = { "!herinner mij %s bellen", "!vergadering plan %s titel X",
					"!actie verzet 1 %s", "!advies nieuw Vraag\ndeadline: %s",
					"!al resultaat AL1 verzet 1 %s" };
		for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
			/* "gisteren" is a fine day for an action line. */
			if (k == 4 && strncmp(p, "gisteren", 8) == 0)
				continue;
			snprintf(cmd, sizeof cmd, forms[k], p);
			/* With an example of how to write it ("`"). */
			fx_refused(f, &net_nl, k == 0 ? MEMBER : ADMIN, cmd, WT_EUSAGE, "`");
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test_setup_teardown(test_every_family, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_every_family_refuses, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_period_end_said, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
