/* Bad input, as an attacker or a careless user types it, through the real
 * dispatch on the demo database: every refusal says what is wrong and
 * changes nothing (whole-database snapshot); what is accepted and echoed
 * (HTML, Markdown, @room, bidi controls, SQL metacharacters) is shown
 * harmlessly in both bodies. WT_BAD_INPUT_SHOW=1 prints one line per case
 * (the closing note's list). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/context.h"
#include "handlers/render.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "demo/demo.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400
#define ADMIN "@admin:demo.test"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "samenwerking", "opleiding", "arbeidsmarkt",
			  "innovatie", "netwerk" };
static struct wt_network net = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 6, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { ADMIN, NULL };

enum want { REFUSED, ACCEPTED };

static int show(void)
{
	const char *e = getenv("WT_BAD_INPUT_SHOW");
	return e && *e == '1';
}

/* The first line of s, at most 110 bytes, for the printed list. */
static void first_line(const char *s, char *out, size_t cap)
{
	size_t n = strcspn(s, "\n");
	if (n > cap - 1)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Run body; it must be refused (an error reply containing needle, the
 * database unchanged) or accepted (a reply, not an error). */
static void expect(struct fx_cmds *f, const char *name, const char *body,
		   enum want want, const char *needle)
{
	char *before = fx_snapshot(f->db, NULL);
	int rc = fx_run(f, &net, ADMIN, body);
	char *after = fx_snapshot(f->db, NULL);
	const char *reply = f->out.n ? f->out.v[0].markdown : "(no reply)";
	if (show()) {
		char line[112];
		first_line(reply, line, sizeof line);
		printf("BAD-INPUT %-28s %s: %s\n", name,
		       rc < 0 ? "refused" : rc == WT_NOT_COMMAND ? "not a command" : "accepted",
		       line);
	}
	if (want == REFUSED) {
		if (rc >= 0)
			fail_msg("%s: accepted (%d): %s", name, rc, reply);
		assert_true(f->out.n >= 1);
		assert_true(f->out.v[0].is_error);
		fx_assert_same(before, after);
	} else {
		if (rc != WT_OK || !f->out.n || f->out.v[0].is_error)
			fail_msg("%s: not accepted (%d): %s", name, rc, reply);
	}
	if (needle && !strstr(reply, needle))
		fail_msg("%s: reply lacks \"%s\": %s", name, needle, reply);
	free(before);
	free(after);
}

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	assert_int_equal(demo_seed(f->db, &net, NOW), 0);
	*state = f;
	return 0;
}

/* Invalid UTF-8, 1 MB and 1,000-line messages: refused by the length and
 * encoding checks before any handler reads them. */
static void test_encoding_and_size(void **state)
{
	struct fx_cmds *f = *state;
	expect(f, "invalid UTF-8", "!agenda voorstel Caf\xc3 \xff\xfe", REFUSED, "UTF-8");
	expect(f, "overlong UTF-8 '/'", "!besluit \xc0\xaf", REFUSED, "UTF-8");
	expect(f, "UTF-16 surrogate", "!besluit \xed\xa0\x80", REFUSED, "UTF-8");
	size_t big = 1 << 20;
	char *mb = malloc(big + 16);
	memcpy(mb, "!besluit ", 9);
	memset(mb + 9, 'x', big);
	mb[9 + big] = '\0';
	expect(f, "1 MB message", mb, REFUSED, "te lang");
	/* 1,000 lines: a form with 1,000 lines, and 1,000 empty lines. */
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "!agenda voorstel Veel regels");
	for (int i = 0; i < 1000; i++)
		sb_add(&sb, "\nwaarom: x");
	expect(f, "10 kB form (1,000 lines)", sb.buf, REFUSED, "te lang");
	sb_reset(&sb);
	sb_add(&sb, "!agenda voorstel Veel regels\nthema: kwaliteit");
	for (int i = 0; i < 1000; i++)
		sb_add(&sb, "\nwat: y");
	expect(f, "1,000-line form under 8 kB", sb.buf, ACCEPTED, NULL);
	sb_reset(&sb);
	sb_add(&sb, "!besluiten");
	for (int i = 0; i < 1000; i++)
		sb_addc(&sb, '\n');
	expect(f, "1,000 empty lines", sb.buf, ACCEPTED, NULL);
	sb_release(&sb);
	free(mb);
}

/* Ids with / ? # % and non-ASCII digits: "no such id", nothing changed. */
static void test_odd_ids(void **state)
{
	struct fx_cmds *f = *state;
	expect(f, "advice id A1/2", "!advies A1/2", REFUSED, NULL);
	expect(f, "advice id A1?", "!advies accepteer A1?", REFUSED, NULL);
	expect(f, "decision id #1#", "!besluit #1#", ACCEPTED, NULL);
	expect(f, "action id %41", "!actie klaar %41", REFUSED, NULL);
	expect(f, "agenda id 1%00", "!agenda accepteer 1%00", REFUSED, NULL);
	expect(f, "meeting id ../1", "!vergadering verzet ../1 morgen 9:00", REFUSED, NULL);
	expect(f, "Arabic-Indic digits", "!advies A\xd9\xa1", REFUSED, NULL);
	expect(f, "fullwidth digits", "!actie klaar \xef\xbc\x91", REFUSED, NULL);
	expect(f, "reminder id ?x=1", "!herinneringen annuleer ?x=1", REFUSED, NULL);
	expect(f, "action line AL1/../2", "!al AL1/../2", REFUSED, NULL);
}

/* Impossible dates and times. */
static void test_dates(void **state)
{
	struct fx_cmds *f = *state;
	expect(f, "meeting on 31-02", "!vergadering plan 31-02-2027 19:30", REFUSED, NULL);
	expect(f, "meeting at 24:00", "!vergadering plan 12-03-2027 24:00", REFUSED, NULL);
	expect(f, "meeting at 19:60", "!vergadering plan 12-03-2027 19:60", REFUSED, NULL);
	expect(f, "reminder on 29-02-2027", "!herinner mij 29-02-2027 9:00 bellen", REFUSED, NULL);
	expect(f, "action due 00-01-2027", "!actie @admin:demo.test iets voor 00-01-2027", REFUSED, NULL);
	expect(f, "decisions in 2027-13", "!besluiten 2027-13", REFUSED, NULL);
	expect(f, "meeting in year 99999", "!vergadering plan 12-03-99999 19:30", REFUSED, NULL);
	/* Due dates as secretaries write them: read, or refused (never text). */
	expect(f, "action due a year alone", "!actie @admin:demo.test x voor 2027", REFUSED,
	       "begin of het eind");
	expect(f, "action due a month alone", "!actie @admin:demo.test x uiterlijk maart", REFUSED,
	       "begin of het eind");
	expect(f, "action due eind + typo", "!actie @admin:demo.test x voor eind jannuari", REFUSED,
	       "De datum na");
	expect(f, "action due eind + 10^20", "!actie @admin:demo.test x voor eind 100000000000000000000",
	       REFUSED, "De datum na");
	expect(f, "action due eind + bad UTF-8", "!actie @admin:demo.test x voor eind \xff\xfe",
	       REFUSED, NULL);
	expect(f, "action due 'voor' + text", "!actie @admin:demo.test offerte voor de zaal",
	       ACCEPTED, "zonder einddatum");
	expect(f, "action due end of next month", "!actie @admin:demo.test x by end of next month",
	       ACCEPTED, "uiterlijk");
}

/* Huge numbers and amounts. */
static void test_huge_numbers(void **state)
{
	struct fx_cmds *f = *state;
	expect(f, "id of 25 digits", "!advies A9999999999999999999999999", REFUSED, NULL);
	expect(f, "decision 2^64", "!besluit 18446744073709551616", REFUSED, "bestaat niet");
	expect(f, "decision 0", "!besluit 0", REFUSED, "bestaat niet");
	expect(f, "agenda position 10^12", "!agenda volgorde 1 1000000000000", REFUSED, NULL);
	expect(f, "in 10^11 days", "!herinner mij over 99999999999 dagen x", REFUSED, "te ver weg");
	expect(f, "duration 10^9 hours", "!herinner mij over 1000000000 uur x", REFUSED, NULL);
	expect(f, "spending of 10^20 euro", "!al uitgave AL1 100000000000000000000 boeken", REFUSED, NULL);
	expect(f, "budget -5", "!al wijzig AL1 budget -5", REFUSED, NULL);
	expect(f, "budget 1e400", "!al wijzig AL1 budget 1e400", REFUSED, NULL);
	expect(f, "page 10^12", "!besluiten pagina 1000000000000", REFUSED, NULL);
}

/* Every form field empty or blank, in the forms other than advice. */
static void test_blank_fields(void **state)
{
	struct fx_cmds *f = *state;
	expect(f, "proposal, blank title", "!agenda voorstel    ", REFUSED, NULL);
	expect(f, "proposal, thema blank", "!agenda voorstel Titel\nthema: ", REFUSED, NULL);
	expect(f, "proposal, waarom blank", "!agenda voorstel Titel\nthema: kwaliteit\nwaarom:   ", REFUSED, NULL);
	expect(f, "proposal, wat empty", "!agenda voorstel Titel\nthema: kwaliteit\nwat:", REFUSED, NULL);
	expect(f, "proposal, hoe blank", "!agenda voorstel Titel\nthema: kwaliteit\nhoe: \t ", REFUSED, NULL);
	expect(f, "action, blank text", "!actie @admin:demo.test    ", REFUSED, NULL);
	/* "voor" with nothing after it stays part of the text. */
	expect(f, "action, blank due", "!actie @admin:demo.test iets voor   ", ACCEPTED, NULL);
	expect(f, "meeting plan, blank", "!vergadering plan   ", REFUSED, NULL);
	expect(f, "meeting, blank title", "!vergadering plan 12-03-2027 19:30 titel   ", REFUSED, NULL);
	expect(f, "meeting, blank place", "!vergadering plan 12-03-2027 19:30 plaats ", REFUSED, NULL);
	expect(f, "reminder, blank", "!herinner mij    ", REFUSED, NULL);
	expect(f, "reminder, no text", "!herinner mij morgen 9:00   ", REFUSED, NULL);
	expect(f, "expertise, only commas", "!expertise , ; ,", REFUSED, NULL);
	expect(f, "who, blank: per organisation", "!wie    ", ACCEPTED, NULL);
	expect(f, "action line, blank title", "!al nieuw   ", REFUSED, NULL);
	expect(f, "action line, doel blank", "!al nieuw Titel\ndoel:  ", REFUSED, NULL);
	expect(f, "action line, budget blank", "!al nieuw Titel\nbudget: ", REFUSED, NULL);
	expect(f, "action line, team blank", "!al nieuw Titel\npenvoerder:  ", REFUSED, NULL);
	expect(f, "action line update, blank", "!al update AL1    ", REFUSED, NULL);
	expect(f, "role, blank role", "!rol @bram:demo.test   ", ACCEPTED, NULL);
	expect(f, "timezone, blank", "!tijdzone    ", ACCEPTED, NULL);
	expect(f, "decisions theme blank", "!besluiten thema:", REFUSED, NULL);
}

/* SQL metacharacters are text: searched for, stored and shown as typed. */
static void test_sql_metacharacters(void **state)
{
	struct fx_cmds *f = *state;
	expect(f, "search ' OR 1=1 --", "!besluiten ' OR 1=1 --", ACCEPTED, "Geen besluiten");
	expect(f, "who '; DROP TABLE", "!wie x'; DROP TABLE expertise; --", ACCEPTED, NULL);
	expect(f, "search %_ wildcards", "!besluiten %_%", ACCEPTED, "Geen besluiten");
	expect(f, "decision with quotes", "!besluit Robert'); DROP TABLE logged_items;--", ACCEPTED, NULL);
	assert_true(fx_count(f->db, "logged_items") > 0);
	expect(f, "find it back", "!besluiten DROP TABLE", ACCEPTED, "DROP TABLE");
}

/* The reply's two bodies as the transport sends them. */
static void bodies(struct fx_cmds *f, char **html, char **plain)
{
	*html = render_html(f->out.v[0].markdown);
	*plain = render_plain(f->out.v[0].markdown);
}

static void lacks(const char *what, const char *s, const char *needle)
{
	if (strstr(s, needle))
		fail_msg("%s has \"%s\":\n%s", what, needle, s);
}

/* Every link in html is a person's pill (the action's owner), none the
 * echoed text's. */
static void only_pills(const char *html)
{
	for (const char *a = html; (a = strstr(a, "<a ")); a += 3)
		if (strncmp(a, "<a href=\"https://matrix.to/#/@", 30) != 0)
			fail_msg("html has a link that is no pill:\n%s", html);
}

/* HTML, Markdown, @room, bidi overrides and zero-width characters in
 * echoed fields: no markup, no link, no room ping, no reversed line. */
static void test_echoed_fields(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const echoes[] = {
		"!agenda voorstel %s\nthema: kwaliteit\nwaarom: %s",
		"!besluit %s",
		"!actie @admin:demo.test %s",
		"!advies nieuw %s",
		"!herinner mij morgen 9:00 %s",
		"!expertise %s",
		"!al nieuw %s",
		"!besluiten %s",
		"!wie %s",
		"!advies thema %s",
	};
	const char *evil = "<img src=x onerror=alert(1)> **vet** [klik](https://evil.example) "
			   "@room @ROOM \xe2\x80\xae" "lmth.exe\xe2\x80\xac zero\xe2\x80\x8bwidth";
	for (size_t i = 0; i < sizeof echoes / sizeof *echoes; i++) {
		char body[512];
		snprintf(body, sizeof body, echoes[i], evil, evil);
		int rc = fx_run(f, &net, ADMIN, body);
		assert_true(f->out.n >= 1);
		char *html, *plain;
		bodies(f, &html, &plain);
		if (show())
			printf("BAD-INPUT echo %-22.22s %s: %.100s\n", echoes[i],
			       rc < 0 ? "refused" : "accepted", plain);
		lacks("html", html, "<img");
		lacks("html", html, "<strong>vet");
		only_pills(html);
		lacks("html", html, "\xe2\x80\xae");
		lacks("plain", plain, "\xe2\x80\xae");
		lacks("plain", plain, "@room");
		lacks("plain", plain, "@ROOM");
		lacks("html", html, "@room");
		/* Nobody is mentioned by the echoed text (a new action names
		 * its owner, but the owner here logged it: no self-ping). */
		assert_int_equal(f->out.v[0].nmentions, 0);
		free(html);
		free(plain);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_encoding_and_size, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_odd_ids, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_dates, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_huge_numbers, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_blank_fields, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sql_metacharacters, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_echoed_fields, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
