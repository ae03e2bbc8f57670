/* Minutes: a whole meeting through wt_dispatch_message with a fixed clock,
 * in Dutch and in English, compared with the golden files
 * tests/golden/minutes_nl.md and minutes_en.md (WT_UPDATE_GOLDEN=1
 * rewrites them). An earlier meeting leaves open actions that the minutes
 * list as carried over. !notulen gives the same file again later. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

#define T0 1794830400   /* 2026-11-16 12:00 UTC */
#define NOW 1800014400  /* 2027-01-15 12:00 UTC */
#define ROOM "!room:demo.test"

static char *rooms[] = { ROOM };
static char *themes_nl[] = { "kwaliteit", "opleiding" };
static char *themes_en[] = { "quality", "training" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes_nl, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .themes = themes_en, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define CHAIR "@anna:demo.test"

struct fx {
	sqlite3 *db;
	struct wt_replies out;
	const struct wt_network *net;
	time_t now;
	int seq;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	for (int i = 0; i < 2; i++) {
		const char *n = i ? "demo-en" : "demo";
		roles_set(f->db, n, SECR, ROLE_SECRETARY, NULL, T0);
		roles_set(f->db, n, CHAIR, ROLE_CHAIR, NULL, T0);
		db_execf(f->db, "INSERT INTO action_lines(network, short_id, title, status_at,"
			 " created_at) VALUES (?1, 2, 'Scholing', ?2, ?2)", "ti", n,
			 (sqlite3_int64)T0);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	wt_replies_free(&f->out);
	db_close(f->db);
	free(f);
	return 0;
}

/* One message from sender a minute after the last one; must not fail. */
static void say(struct fx *f, const char *sender, const char *body)
{
	char ev[32];
	snprintf(ev, sizeof ev, "$ev%d:demo.test", ++f->seq);
	f->now += 60;
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = f->net, .sender = sender, .room = ROOM, .event_id = ev,
		.now = f->now, .lang = f->net->lang, .admins = admins, .out = &f->out,
	};
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_dispatch_message(&ctx, body);
	assert_int_equal(db_commit(f->db), 0);
	if (rc < 0)
		fail_msg("%s: %d: %s", body, rc, f->out.n ? f->out.v[0].markdown : "");
}

/* The meeting story, in the network's language (l = 0 Dutch, 1 English). */
struct script {
	const char *plan1, *start, *log1, *done, *plan2, *prop1, *accept1, *prop2, *accept2,
		*prop3, *log2, *fix, *next, *log3, *end, *minutes;
};

static const struct script scripts[2] = { {
	"!vergadering plan 16-11-2026 14:00 titel Werktafel november",
	"!vergadering start",
	"Afspraken:\n#actie @daan:demo.test notitie over de weekenddienst voor 01-02-2027\n"
	"#actie @eva:demo.test rooster rondsturen voor 01-12-2026\n"
	"#actie @carla:demo.test zaal vragen voor 01-12-2026",
	"!actie klaar 3",
	"!vergadering plan 15-01-2027 14:00 titel Werktafel januari plaats Regiokantoor, zaal 1",
	"!agenda voorstel Regionale scholingsdag\nthema: opleiding\n"
	"waarom: Nieuwe collega's kennen de regio nog weinig.\n"
	"wat: Eén scholingsdag per jaar.\nhoe: Elke organisatie levert een spreker.",
	"!agenda accepteer 1",
	"!agenda voorstel Kwaliteitsindicatoren\nthema: kwaliteit\n"
	"waarom: Iedereen meet anders.",
	"!agenda accepteer 2",
	"!agenda voorstel Later punt",
	"#besluit De scholingsdag komt er in oktober (AL2).\n"
	"#actie @eva:demo.test zaal reserveren voor 01-03-2027\n"
	"#info Carla stuurt het programma rond.",
	"!besluit Sprekers melden zich voor 1 april aan.",
	"!punt volgende",
	"#besluit We meten drie indicatoren.\n#info Daan maakt een voorstel *met* _opmaak_.",
	"!vergadering einde",
	"!notulen 2",
}, {
	"!meeting plan 16-11-2026 14:00 title November round table",
	"!meeting start",
	"Agreed:\n#action @daan:demo.test note on the weekend shift by 01-02-2027\n"
	"#action @eva:demo.test send the rota by 01-12-2026\n"
	"#action @carla:demo.test ask for a room by 01-12-2026",
	"!action done 3",
	"!meeting plan 15-01-2027 14:00 title January round table place Regional office, room 1",
	"!agenda propose Regional training day\ntheme: training\n"
	"why: New colleagues hardly know the region.\n"
	"what: One training day a year.\nhow: Each organisation brings a speaker.",
	"!agenda accept 1",
	"!agenda propose Quality indicators\ntheme: quality\nwhy: Everyone measures differently.",
	"!agenda accept 2",
	"!agenda propose A later item",
	"#agreed The training day will be in October (AL2).\n"
	"#action @eva:demo.test book a room by 01-03-2027\n"
	"#info Carla sends the programme round.",
	"!decision Speakers sign up before 1 April.",
	"!item next",
	"#decision We measure three indicators.\n#info Daan drafts a proposal *with* _markup_.",
	"!meeting end",
	"!minutes 2",
} };

/* Run the story in net; returns the Markdown file posted at closing. */
static char *run_meeting(struct fx *f, const struct wt_network *net, const struct script *s)
{
	f->net = net;
	f->now = T0;
	say(f, SECR, s->plan1);
	f->now = T0 + 2 * 3600;
	say(f, SECR, s->start);
	say(f, SECR, s->log1);
	say(f, SECR, s->done);
	say(f, SECR, net->lang == LANG_NL ? "!vergadering einde" : "!meeting end");
	f->now = NOW - 7 * 86400;
	say(f, SECR, s->plan2);
	say(f, CHAIR, s->prop1);
	say(f, SECR, s->accept1);
	say(f, CHAIR, s->prop2);
	say(f, SECR, s->accept2);
	say(f, CHAIR, s->prop3);
	f->now = NOW + 3600;
	say(f, SECR, s->start);
	say(f, CHAIR, net->lang == LANG_NL ? "Welkom allemaal." : "Welcome, everyone.");
	say(f, "@daan:demo.test", "Dank je.");
	say(f, SECR, s->log2);
	say(f, CHAIR, s->fix);
	say(f, SECR, s->next);
	say(f, SECR, s->log3);
	f->now = NOW + 3 * 3600;
	say(f, SECR, s->end);
	assert_int_equal(f->out.n, 3);
	assert_int_equal(f->out.v[1].kind, REPLY_FILE);
	char *md = strdup(f->out.v[1].markdown);
	/* Posting them again later gives the same file. */
	f->now = NOW + 40 * 86400;
	say(f, "@daan:demo.test", s->minutes);
	assert_int_equal(f->out.n, 3);
	assert_string_equal(f->out.v[1].markdown, md);
	return md;
}

static void test_minutes_nl(void **state)
{
	struct fx *f = *state;
	char *md = run_meeting(f, &net_nl, &scripts[0]);
	fx_golden("tests/golden/minutes_nl.md", md);
	free(md);
}

static void test_minutes_en(void **state)
{
	struct fx *f = *state;
	char *md = run_meeting(f, &net_en, &scripts[1]);
	fx_golden("tests/golden/minutes_en.md", md);
	free(md);
}

/* The closing summary: attendees, per item its counts and items, the
 * carried-over count, and the files' pointer. */
static void test_summary(void **state)
{
	struct fx *f = *state;
	char *md = run_meeting(f, &net_nl, &scripts[0]);
	free(md);
	/* run_meeting's last command was !notulen; its first reply is the summary. */
	const char *s = f->out.v[0].markdown;
	const char *want[] = {
		"**Notulen Werktafel januari (vergadering 2)**",
		"- Aanwezig: [anna](https://matrix.to/#/@anna:demo.test), [bram](https://matrix.to/#/@bram:demo.test), [daan](https://matrix.to/#/@daan:demo.test)",
		"- Afwezig met bericht: niemand",
		"**1. Regionale scholingsdag** — 2 besluiten, 1 actie, 1 notitie",
		"- Besluit 2: Sprekers melden zich voor 1 april aan\\.",
		"**2. Kwaliteitsindicatoren** — 1 besluit, 0 acties, 1 notitie",
		"2 acties uit eerdere vergaderingen staan nog open.",
		"`!notulen 2`",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(s, want[i]))
			fail_msg("summary lacks \"%s\":\n%s", want[i], s);
	assert_null(strstr(s, "Later punt"));
	assert_string_equal(f->out.v[2].filename, "notulen-vergadering-2-2027-01-15.html");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_minutes_nl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minutes_en, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
