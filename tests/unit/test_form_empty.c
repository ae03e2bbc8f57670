/* Form lines with an empty or blank value ("thema: ", "waarom:   ") in
 * every command that reads "key: value" lines: each is refused with a reply
 * that names the field and says how to write it, and changes nothing.
 * Before the fix `!advies nieuw` copied (size_t)-1 bytes for "thema: "
 * (SIGSEGV) and looped for ever growing a buffer for "waarom:   ". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "handlers/args.h"
#include "handlers/context.h"
#include "lib/strbuf.h"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };
#define ADMIN "@admin:demo.test"
#define NOW ((time_t)1800000000) /* 2027-01-15 08:00 UTC */

/* The blank tails a value may have: nothing, one blank, several, a tab, a
 * carriage return (a pasted Windows line end). */
static const char *const blanks[] = { "", " ", "   ", "\t", " \t ", "\r", "  \r" };
#define NBLANKS (sizeof blanks / sizeof blanks[0])

static int setup(void **state)
{
	*state = fx_new(NOW, admins);
	return *state ? 0 : -1;
}

/* Run "<head>\n<key>:<blank>" for every blank tail; each must be refused
 * with a reply naming key (as shown) and changing nothing. */
static void refuse_all(struct fx_cmds *f, const struct wt_network *net, const char *head,
		       const char *key, const char *shown)
{
	char needle[80];
	snprintf(needle, sizeof needle, "`%s:`", shown);
	for (size_t i = 0; i < NBLANKS; i++) {
		char body[256];
		snprintf(body, sizeof body, "%s\n%s:%s", head, key, blanks[i]);
		fx_refused(f, net, ADMIN, body, WT_EUSAGE, needle);
		/* The same line followed by a good one. */
		snprintf(body, sizeof body, "%s\n%s:%s\n", head, key, blanks[i]);
		fx_refused(f, net, ADMIN, body, WT_EUSAGE, needle);
	}
}

/* The two lines of the issue: a crash and a hang before the fix. */
static void test_advice_new_issue_lines(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, ADMIN, "!advies nieuw Vraag\nthema: ", WT_EUSAGE,
		   "Achter `thema:` staat niets");
	fx_reply_has(f, "Zo schrijf je het: `!advies nieuw <titel>`");
	fx_refused(f, &net_nl, ADMIN, "!advies nieuw Vraag\nwaarom:   ", WT_EUSAGE,
		   "Achter `waarom:` staat niets");
	assert_int_equal(fx_count(f->db, "advice_requests"), 0);
}

static void test_advice_new_every_field(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const nl[] = { "titel", "vraag", "thema", "waarom", "wat", "hoe",
					  "deadline", "gevraagd door" };
	static const char *const en[] = { "title", "question", "theme", "why", "what", "how",
					  "due", "requested by" };
	for (size_t i = 0; i < sizeof nl / sizeof nl[0]; i++) {
		refuse_all(f, &net_nl, "!advies nieuw Vraag", nl[i], nl[i]);
		/* An English key in a Dutch room is named in Dutch. */
		refuse_all(f, &net_nl, "!advies nieuw Vraag", en[i], nl[i]);
		refuse_all(f, &net_en, "!advice new Question", en[i], en[i]);
	}
	/* Between good lines too, and with blanks before the colon. */
	fx_refused(f, &net_nl, ADMIN, "!advies nieuw Vraag\nvraag: Hoe?\nwat :  \nhoe: zo",
		   WT_EUSAGE, "`wat:`");
	fx_reply_has(f, "of laat de regel weg");
	fx_refused(f, &net_en, ADMIN, "!advice new Q\n  Theme\t:\t\n", WT_EUSAGE,
		   "Nothing follows `theme:`");
	assert_int_equal(fx_count(f->db, "advice_requests"), 0);
	/* A later line of the same key still wins: a filled one after an empty one. */
	fx_ok(f, &net_nl, ADMIN, "!advies nieuw Vraag\nthema: \nthema: kwaliteit");
	assert_int_equal(fx_count(f->db, "advice_requests"), 1);
}

static void test_advice_edit(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, ADMIN, "!advies nieuw Vraag\nwat: iets");
	static const char *const nl[] = { "titel", "vraag", "thema", "waarom", "wat", "hoe",
					  "deadline", "gevraagd door" };
	for (size_t i = 0; i < sizeof nl / sizeof nl[0]; i++)
		refuse_all(f, &net_nl, "!advies wijzig A1", nl[i], nl[i]);
	refuse_all(f, &net_en, "!advice edit A1", "what", "what");
	fx_refused(f, &net_nl, ADMIN, "!advies wijzig A1\nvraag: Nieuw?\nhoe:  ", WT_EUSAGE,
		   "`hoe:`");
	fx_reply_has(f, "`!advies wijzig <id>`");
}

static void test_agenda_proposal(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const nl[] = { "thema", "waarom", "wat", "hoe" };
	static const char *const en[] = { "theme", "why", "what", "how" };
	for (size_t i = 0; i < 4; i++) {
		refuse_all(f, &net_nl, "!agenda voorstel Scholing", nl[i], nl[i]);
		refuse_all(f, &net_en, "!agenda propose Training", en[i], en[i]);
	}
	fx_refused(f, &net_nl, ADMIN, "!agenda voorstel Scholing\nthema: kwaliteit\nwaarom: \t",
		   WT_EUSAGE, "Achter `waarom:` staat niets");
	fx_reply_has(f, "Zo schrijf je het:");
	assert_int_equal(fx_count(f->db, "agenda_items"), 0);
}

static void test_actionline_new(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const nl[] = { "doel", "budget", "penvoerder", "projectleider",
					  "projectleiding", "zorgprofessional", "team", "teamleden" };
	static const char *const en[] = { "goal", "budget", "sponsor", "lead", "project lead",
					  "care", "members", "member" };
	for (size_t i = 0; i < sizeof nl / sizeof nl[0]; i++) {
		refuse_all(f, &net_nl, "!al nieuw Scholing", nl[i], nl[i]);
		refuse_all(f, &net_en, "!al new Training", en[i], en[i]);
	}
	fx_refused(f, &net_nl, ADMIN,
		   "!al nieuw Scholing\ndoel: beter\nbudget: € 100\npenvoerder:  ",
		   WT_EUSAGE, "Achter `penvoerder:` staat niets");
	fx_reply_has(f, "`!al nieuw <titel>`");
	assert_int_equal(fx_count(f->db, "action_lines"), 0);
	fx_ok(f, &net_nl, ADMIN, "!al nieuw Scholing\ndoel: beter\npenvoerder: @anna:demo.test");
	assert_int_equal(fx_count(f->db, "action_lines"), 1);
}

/* args_field never reads past the line for a key with nothing after it. */
static void test_args_field_blank(void **state)
{
	(void)state;
	struct strbuf v = STRBUF_INIT;
	for (size_t i = 0; i < NBLANKS; i++) {
		char text[64];
		snprintf(text, sizeof text, "doel:%s\nbudget: 5", blanks[i]);
		assert_int_equal(args_field(text, "doel", "goal", &v), 1);
		assert_int_equal(v.len, 0);
		assert_int_equal(args_field(text, "budget", NULL, &v), 1);
		assert_string_equal(v.buf, "5");
	}
	sb_release(&v);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_advice_new_issue_lines),
		T(test_advice_new_every_field),
		T(test_advice_edit),
		T(test_agenda_proposal),
		T(test_actionline_new),
		cmocka_unit_test(test_args_field_blank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
