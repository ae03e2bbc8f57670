/* !advies / !advice through wt_dispatch: the multi-line form, asked and
 * unasked requests, permissions, bad input that changes nothing, the path
 * from request to decision, lists, filters and history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "handlers/dispatch.h"
#include "handlers/render.h"
#include "lib/strbuf.h"
#include "storage/advice.h"
#include "storage/db.h"
#include "storage/expertise.h"
#include "storage/roles.h"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding", "arbeidsmarkt" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 3, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 3, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

/* 2027-01-15 08:00 UTC. */
#define NOW ((time_t)1800000000)
#define DAY 86400

#define ANNA "@anna:demo.test"    /* chair */
#define BRAM "@bram:demo.test"    /* secretary */
#define CARLA "@carla:demo.test"  /* board member */
#define DAAN "@daan:demo.test"    /* member, expertise dementia */
#define EVA "@eva:demo.test"      /* member, expertise quality */

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	f->now = NOW;
	const char *nets[] = { "demo", "demo-en" };
	for (int i = 0; i < 2; i++) {
		roles_set(f->db, nets[i], ANNA, ROLE_CHAIR, NULL, NOW);
		roles_set(f->db, nets[i], BRAM, ROLE_SECRETARY, NULL, NOW);
		roles_set(f->db, nets[i], CARLA, ROLE_BOARD, NULL, NOW);
		expertise_add(f->db, nets[i], DAAN, "Dementie", NOW);
		expertise_add(f->db, nets[i], EVA, "kwaliteit van zorg", NOW);
	}
	*state = f;
	return 0;
}

static int run(struct fx_cmds *f, const char *sender, const char *body)
{
	return fx_run(f, &net_nl, sender, body);
}

/* The plain-text form of reply 0, for checks on what people read. */
static char *plain0(struct fx_cmds *f)
{
	return render_plain(fx_reply0(f));
}

/* One integer from sql (fixture.h). */
static int count(struct fx_cmds *f, const char *sql)
{
	return (int)fx_int(f->db, sql);
}

static struct wt_advice load(struct fx_cmds *f, const char *network, long long sid)
{
	struct wt_advice a;
	assert_int_equal(advice_by_short_id(f->db, network, sid, &a), 1);
	return a;
}

static int has_mention(struct fx_cmds *f, size_t i, const char *user)
{
	for (size_t k = 0; k < f->out.v[i].nmentions; k++)
		if (strcmp(f->out.v[i].mentions[k], user) == 0)
			return 1;
	return 0;
}

/* ---- submitting --------------------------------------------------------- */

static void test_new_unasked_parses_form(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA,
		"!advies nieuw Regionale dementiezorg\n"
		"vraag: Hoe delen we kennis over dementie?\n"
		"Thema : KWALITEIT\n"
		"waarom: kennis is versnipperd\n"
		"wat: een regionaal expertteam\n"
		"hoe: met vaste spreekuren\n"
		"deadline: 12-03-2027"), WT_OK);
	char *p = plain0(f);
	assert_non_null(strstr(p, "ongevraagd advies A1 ontvangen: Regionale dementiezorg"));
	assert_non_null(strstr(p, "vraag: Hoe delen we kennis over dementie?"));
	assert_non_null(strstr(p, "thema: kwaliteit"));
	assert_non_null(strstr(p, "deadline: vr 12 mrt 2027 17:00"));
	assert_non_null(strstr(p, "Alle velden zijn ingevuld"));
	free(p);
	struct wt_advice a = load(f, "demo", 1);
	assert_string_equal(a.title, "Regionale dementiezorg");
	assert_string_equal(a.question, "Hoe delen we kennis over dementie?");
	assert_string_equal(a.theme, "kwaliteit");   /* the configured spelling */
	assert_string_equal(a.why, "kennis is versnipperd");
	assert_string_equal(a.what, "een regionaal expertteam");
	assert_string_equal(a.how, "met vaste spreekuren");
	assert_null(a.requested_by);
	assert_string_equal(a.submitted_by, EVA);
	assert_string_equal(a.event_id, "$ev1");
	assert_int_equal(a.state, ADVICE_RECEIVED);
	/* 12 March 2027 17:00 in Amsterdam (CET) is 16:00 UTC. */
	assert_int_equal((long long)a.deadline, 1804867200LL);
	advice_free(&a);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history WHERE action = 'submit'"
			       " AND actor = '@eva:demo.test' AND event_id = '$ev1'"), 1);
}

static void test_new_reports_missing_and_unknown_lines(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, DAAN, "!advies nieuw Alleen een titel\nvraag: waarom?\nblabla zonder dubbelepunt\nkleur: rood"), WT_OK);
	const char *m = fx_reply0(f);
	assert_non_null(strstr(m, "Nog niet ingevuld: thema, waarom, wat, hoe en deadline."));
	assert_null(strstr(m, "ingevuld: vraag"));
	assert_non_null(strstr(m, "Niet begrepen en overgeslagen"));
	assert_non_null(strstr(m, "blabla zonder dubbelepunt"));
	assert_non_null(strstr(m, "kleur"));
	assert_non_null(strstr(m, "`!advies accepteer A1`"));
	/* The English form with English keys, in an English network. */
	assert_int_equal(fx_run(f, &net_en, CARLA,
		"!advice new Shared training plan\n"
		"question: Do we share training places?\n"
		"theme: opleiding\n"
		"requested by: @carla:demo.test\n"
		"deadline: 2027-04-01"), WT_OK);
	m = fx_reply0(f);
	assert_non_null(strstr(m, "Advice request **A1** received"));
	assert_non_null(strstr(m, "Not filled in yet: why, what and how"));
	assert_true(has_mention(f, 0, CARLA));
	struct wt_advice a = load(f, "demo-en", 1);
	assert_string_equal(a.requested_by, CARLA);
	assert_string_equal(a.question, "Do we share training places?");
	advice_free(&a);
}

static void test_new_asked_needs_board(void **state)
{
	struct fx_cmds *f = *state;
	/* A member may not submit asked advice. */
	assert_int_equal(run(f, EVA, "!advies nieuw X\ngevraagd door: @carla:demo.test"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "ongevraagd advies voor te stellen"));
	/* The requester must be a board member. */
	assert_int_equal(run(f, CARLA, "!advies nieuw X\ngevraagd door: @eva:demo.test"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "geen bestuurder"));
	assert_int_equal(run(f, CARLA, "!advies nieuw X\ngevraagd door: carla"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Matrix-id"));
	assert_int_equal(count(f, "SELECT count(*) FROM advice_requests"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history"), 0);
	/* The secretary may enter it on the board member's behalf. */
	assert_int_equal(run(f, BRAM, "!advies nieuw Vraag van het bestuur\ngevraagd door: @carla:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Gevraagd advies, aangevraagd door"));
	struct wt_advice a = load(f, "demo", 1);
	assert_string_equal(a.requested_by, CARLA);
	assert_string_equal(a.submitted_by, BRAM);
	advice_free(&a);
}

static void test_new_bad_input_changes_nothing(void **state)
{
	struct fx_cmds *f = *state;
	/* Unknown theme: the themes are listed. */
	assert_int_equal(run(f, EVA, "!advies nieuw X\nthema: financien"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Onbekend thema: financien"));
	assert_non_null(strstr(fx_reply0(f), "kwaliteit, opleiding, arbeidsmarkt"));
	assert_true(f->out.v[0].is_error);
	/* A deadline in the past, or one we cannot read. */
	assert_int_equal(run(f, EVA, "!advies nieuw X\ndeadline: 01-01-2027"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "deadline"));
	assert_int_equal(run(f, EVA, "!advies nieuw X\ndeadline: ooit eens"), WT_EUSAGE);
	assert_int_equal(run(f, EVA, "!advies nieuw X\ndeadline: 12-03-2027 of zo"), WT_EUSAGE);
	/* No title; a title too long. */
	assert_int_equal(run(f, EVA, "!advies nieuw\nvraag: iets"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "titel"));
	char big[400];
	memcpy(big, "!advies nieuw ", 14);
	memset(big + 14, 'x', 300);
	big[314] = '\0';
	assert_int_equal(run(f, EVA, big), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "te lang"));
	assert_int_equal(count(f, "SELECT count(*) FROM advice_requests"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history"), 0);
	/* The id counter did not move either: the next request is A1. */
	assert_int_equal(run(f, EVA, "!advies nieuw Goed"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "**A1**"));
}

/* ---- editing ------------------------------------------------------------ */

/* Assert that reply 0, as people read it, contains s. */
static void plain_has(struct fx_cmds *f, const char *s)
{
	char *plain = plain0(f);
	if (!strstr(plain, s))
		fail_msg("no \"%s\" in:\n%s", s, plain);
	free(plain);
}

/* A refused edit: code rc, the reply says expect, nothing stored changes. */
static void edit_refused(struct fx_cmds *f, const char *sender, const char *body, int rc,
			 const char *expect)
{
	char *before = fx_snapshot(f->db, NULL);
	int got = run(f, sender, body);
	if (got != rc)
		fail_msg("%s: got %d, want %d; reply: %s", body, got, rc, f->out.n ? fx_reply0(f) : "-");
	assert_true(f->out.v[0].is_error);
	plain_has(f, expect);
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
}

static void test_edit(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA, "!advies nieuw Scholing\nthema: opleiding\ndeadline: 12-03-2027"), WT_OK);
	/* The submitter changes two fields; the rest stays. */
	assert_int_equal(run(f, EVA, "!advies wijzig A1\ndeadline: 1-4-2027\nvraag: Hoe leren we samen?"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "**A1** (Scholing) gewijzigd: vraag, deadline."));
	assert_non_null(strstr(fx_reply0(f), "Hoe leren we samen?"));
	struct wt_advice a = load(f, "demo", 1);
	assert_int_equal(a.deadline, (time_t)1806591600);   /* 1 April 2027 17:00 CEST */
	assert_string_equal(a.question, "Hoe leren we samen?");
	assert_string_equal(a.theme, "opleiding");
	assert_string_equal(a.title, "Scholing");
	advice_free(&a);
	/* One field on the command's own line; the secretary may too. */
	assert_int_equal(run(f, BRAM, "!advies wijzig A1 titel: Samen scholen"), WT_OK);
	a = load(f, "demo", 1);
	assert_string_equal(a.title, "Samen scholen");
	advice_free(&a);
	/* The history says who changed what. */
	assert_int_equal(run(f, DAAN, "!advies A1"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "gewijzigd: vraag, deadline"));
	assert_non_null(strstr(fx_reply0(f), "gewijzigd: titel"));
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history WHERE action = 'edit'"), 2);
	/* Refusals change nothing. */
	edit_refused(f, DAAN, "!advies wijzig A1\ntitel: Van mij", WT_EPERM, "jouw rol is lid");
	edit_refused(f, EVA, "!advies wijzig A1\ndeadline: 1-1-2027", WT_EUSAGE, "deadline");
	edit_refused(f, EVA, "!advies wijzig A1\nthema: financien", WT_EUSAGE, "Onbekend thema: financien");
	edit_refused(f, EVA, "!advies wijzig A1\nkleur: blauw", WT_EUSAGE, "niets gewijzigd: kleur");
	edit_refused(f, EVA, "!advies wijzig A1\ndeadline: 1-5-2027\nkleur: blauw", WT_EUSAGE,
		     "er is niets gewijzigd");
	edit_refused(f, EVA, "!advies wijzig A1", WT_EUSAGE, "geen veld om te wijzigen");
	edit_refused(f, EVA, "!advies wijzig", WT_EUSAGE, "Welke aanvraag?");
	edit_refused(f, EVA, "!advies wijzig A9 titel: x", WT_ENOTFOUND, "A9");
	edit_refused(f, EVA, "!advies wijzig A1\ngevraagd door: @carla:demo.test", WT_EPERM, "");
	/* Closed requests are not edited. */
	assert_int_equal(run(f, EVA, "!advies intrekken A1 dubbel"), WT_OK);
	edit_refused(f, ANNA, "!advies wijzig A1\ntitel: Later", WT_EUSAGE, "gesloten (ingetrokken)");
	/* English. */
	assert_int_equal(fx_run(f, &net_en, EVA, "!advice new Training\ndue: 12-03-2027"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, ANNA, "!advice edit A1\ntheme: quality-typo"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Unknown theme: quality"));
	assert_int_equal(fx_run(f, &net_en, ANNA, "!advice edit A1\ndue: 2027-03-19"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "edited: deadline"));
}

static void test_unassign(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA, "!advies nieuw Scholing\ndeadline: 12-03-2027"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	/* Nobody assigned yet: nothing to take off. */
	edit_refused(f, ANNA, "!advies ontkoppel A1 @daan:demo.test", WT_EUSAGE, "geaccepteerd");
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @daan:demo.test @eva:demo.test"), WT_OK);
	edit_refused(f, DAAN, "!advies ontkoppel A1 @eva:demo.test", WT_EPERM, "");
	edit_refused(f, BRAM, "!advies ontkoppel A1 @carla:demo.test", WT_EUSAGE,
		     "carla is niet toegewezen aan A1. Toegewezen zijn: daan, eva");
	edit_refused(f, BRAM, "!advies ontkoppel A1 @eva:demo.test daan", WT_EUSAGE, "Ik weet niet wie \"daan\" is");
	edit_refused(f, BRAM, "!advies ontkoppel A1", WT_EUSAGE, "Noem wie niet meer meeschrijft");
	assert_int_equal(run(f, BRAM, "!advies ontkoppel A1 @eva:demo.test"), WT_OK);
	plain_has(f, "schrijft niet meer mee aan A1. Nog toegewezen: daan.");
	assert_true(has_mention(f, 0, EVA));
	assert_int_equal(count(f, "SELECT count(*) FROM advice_assignees"), 1);
	/* The last one: the reply says how to assign again; the state stays. */
	assert_int_equal(run(f, ANNA, "!advies ontkoppel A1 @daan:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Er is niemand meer toegewezen"));
	struct wt_advice a = load(f, "demo", 1);
	assert_int_equal(a.state, ADVICE_IN_PROGRESS);
	advice_free(&a);
	assert_int_equal(run(f, DAAN, "!advies A1"), WT_OK);
	plain_has(f, "ontkoppeld: eva");
	/* A former assignee no longer drafts. */
	assert_int_equal(run(f, DAAN, "!advies concept A1 tekst"), WT_EPERM);
	assert_int_equal(fx_run(f, &net_en, EVA, "!advice new Training"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, ANNA, "!advice accept A1"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, ANNA, "!advice assign A1 @daan:demo.test"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, ANNA, "!advice unassign A1 @daan:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Nobody is assigned now"));
}

/* ---- the path from request to decision -------------------------------- */

static void test_full_path(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, CARLA, "!advies nieuw Expertteam dementie\nvraag: Hoe bundelen we kennis over dementie?\nthema: kwaliteit\ndeadline: 12-03-2027\ngevraagd door: @carla:demo.test"), WT_OK);
	/* The secretary accepts; the reply suggests daan (dementia) and eva
	 * (quality). */
	assert_int_equal(run(f, BRAM, "!advies accepteer A1"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "geaccepteerd"));
	assert_non_null(strstr(fx_reply0(f), "daan"));
	assert_non_null(strstr(fx_reply0(f), "Dementie"));
	assert_non_null(strstr(fx_reply0(f), "eva"));
	assert_true(has_mention(f, 0, CARLA));
	/* The chair assigns both. */
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @daan:demo.test @eva:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "toegewezen"));
	assert_true(has_mention(f, 0, DAAN));
	assert_true(has_mention(f, 0, EVA));
	/* An assignee drafts, over several lines; a later draft replaces it. */
	assert_int_equal(run(f, DAAN, "!advies concept A1 Eerste versie"), WT_OK);
	assert_int_equal(run(f, EVA, "!advies concept A1\nWij adviseren een expertteam.\n\nMet vaste spreekuren."), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Concept voor **A1** opgeslagen"));
	struct wt_advice a = load(f, "demo", 1);
	assert_string_equal(a.draft, "Wij adviseren een expertteam.\n\nMet vaste spreekuren.");
	assert_string_equal(a.draft_by, EVA);
	assert_int_equal(a.state, ADVICE_IN_PROGRESS);
	advice_free(&a);
	/* The chair delivers: the advice text for the board, in the room and by
	 * direct message to the board member who asked. */
	assert_int_equal(run(f, ANNA, "!advies uitbrengen A1"), WT_OK);
	assert_int_equal(f->out.n, 2);
	char *p = plain0(f);
	assert_non_null(strstr(p, "Advies van de werktafel aan het bestuur — A1: Expertteam dementie"));
	assert_non_null(strstr(p, "Wij adviseren een expertteam."));
	assert_non_null(strstr(p, "Met vaste spreekuren."));
	assert_non_null(strstr(p, "Opgesteld door daan, eva"));
	assert_non_null(strstr(p, "!advies besluit A1"));
	free(p);
	assert_true(has_mention(f, 0, CARLA));
	assert_null(f->out.v[0].to_user);
	assert_string_equal(f->out.v[1].to_user, CARLA);
	assert_true(f->out.v[1].notify);  /* the direct message buzzes */
	assert_true(has_mention(f, 1, CARLA));
	/* The board decides. */
	assert_int_equal(run(f, CARLA, "!advies besluit A1 deels We starten met één spreekuur."), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "deels overgenomen"));
	assert_non_null(strstr(fx_reply0(f), "We starten met één spreekuur"));
	a = load(f, "demo", 1);
	assert_int_equal(a.state, ADVICE_DECIDED);
	assert_int_equal(a.outcome, OUTCOME_PARTLY);
	assert_string_equal(a.note, "We starten met één spreekuur.");
	advice_free(&a);
	/* Every step is in the history with who and the message it came from. */
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history"), 7);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history WHERE event_id = '$ev1'"), 7);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history WHERE action = 'deliver'"
			       " AND actor = '@anna:demo.test' AND from_state = 'in_progress'"
			       " AND to_state = 'delivered'"), 1);
	/* The history view shows it all. */
	assert_int_equal(run(f, EVA, "!advies A1"), WT_OK);
	p = plain0(f);
	assert_non_null(strstr(p, "Status: besluit genomen"));
	assert_non_null(strstr(p, "Besluit van het bestuur: deels overgenomen"));
	assert_non_null(strstr(p, "carla: ingediend"));
	assert_non_null(strstr(p, "bram: geaccepteerd (ontvangen → geaccepteerd)"));
	assert_non_null(strstr(p, "anna: toegewezen (geaccepteerd → in behandeling): daan, eva"));
	assert_non_null(strstr(p, "eva: concept"));
	assert_non_null(strstr(p, "carla: besluit (advies uitgebracht → besluit genomen)"));
	free(p);
	/* Closed: archived with its outcome, gone from the open list. */
	assert_int_equal(run(f, EVA, "!advies"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "geen open adviesaanvragen"));
	assert_int_equal(run(f, EVA, "!advies archief"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "besluit: deels overgenomen"));
}

static void test_permissions(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA, "!advies nieuw Voorstel van eva"), WT_OK);
	/* A member may not accept, the board may not assign. */
	assert_int_equal(run(f, DAAN, "!advies accepteer A1"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "secretaris"));
	assert_int_equal(run(f, BRAM, "!advies accepteer A1"), WT_OK);
	assert_int_equal(run(f, CARLA, "!advies wijs toe A1 @daan:demo.test"), WT_EPERM);
	assert_int_equal(run(f, BRAM, "!advies wijs toe A1 @daan:demo.test"), WT_OK);
	/* Only assignees draft, even the chair may not. */
	assert_int_equal(run(f, EVA, "!advies concept A1 tekst"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "toegewezen"));
	assert_int_equal(run(f, ANNA, "!advies concept A1 tekst"), WT_EPERM);
	assert_int_equal(run(f, DAAN, "!advies concept A1 tekst"), WT_OK);
	/* Only the chair delivers. */
	assert_int_equal(run(f, BRAM, "!advies uitbrengen A1"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "voorzitter"));
	assert_int_equal(run(f, ANNA, "!advies uitbrengen A1"), WT_OK);
	/* Members may not decide; the board may. */
	assert_int_equal(run(f, EVA, "!advies besluit A1 overgenomen ja"), WT_EPERM);
	assert_int_equal(run(f, CARLA, "!advies besluit A1 overgenomen ja"), WT_OK);
	/* Refusals changed nothing. */
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history"), 6);

	/* Withdrawing: the submitter may, another member may not. */
	assert_int_equal(run(f, EVA, "!advies nieuw Tweede"), WT_OK);
	assert_int_equal(run(f, DAAN, "!advies intrekken A2"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "indiende"));
	assert_int_equal(run(f, EVA, "!advies intrekken A2 toch niet nodig"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "ingetrokken"));
	struct wt_advice a = load(f, "demo", 2);
	assert_int_equal(a.state, ADVICE_WITHDRAWN);
	assert_string_equal(a.note, "toch niet nodig");
	advice_free(&a);
}

static void test_assign_bad_input(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA, "!advies nieuw Iets over kwaliteit\nthema: kwaliteit"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	int hist = count(f, "SELECT count(*) FROM advice_history");
	/* Not a member: nobody is assigned, not even the good one before it. */
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @daan:demo.test @zoe:elders.test"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "geen bekend lid"));
	assert_non_null(strstr(fx_reply0(f), "zoe"));
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 daan"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Ik weet niet wie \"daan\" is"));
	/* No names: the suggestions are in the refusal. */
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "kwaliteit van zorg"));
	assert_int_equal(count(f, "SELECT count(*) FROM advice_assignees"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history"), hist);
	struct wt_advice a = load(f, "demo", 1);
	assert_int_equal(a.state, ADVICE_ACCEPTED);
	advice_free(&a);
	/* Unknown and malformed ids. */
	assert_int_equal(run(f, ANNA, "!advies accepteer A9"), WT_ENOTFOUND);
	assert_non_null(strstr(fx_reply0(f), "geen adviesaanvraag A9"));
	assert_int_equal(run(f, ANNA, "!advies accepteer abc"), WT_EUSAGE);
	assert_int_equal(run(f, ANNA, "!advies accepteer"), WT_EUSAGE);
	assert_int_equal(run(f, ANNA, "!advies wijs A1"), WT_EUSAGE);
	assert_int_equal(run(f, ANNA, "!advies onzin"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Zo schrijf je het"));
	/* Assigning the same person twice changes nothing the second time. */
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @eva:demo.test"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @eva:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "al toegewezen"));
	assert_int_equal(count(f, "SELECT count(*) FROM advice_assignees"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history WHERE action = 'assign'"), 1);
}

static void test_network_without_members(void **state)
{
	struct fx_cmds *f = *state;
	static struct wt_network empty = { .name = "leeg", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 3, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
	assert_int_equal(fx_run(f, &empty, "@admin:demo.test", "!advies nieuw Eerste"), WT_OK);
	assert_int_equal(fx_run(f, &empty, "@admin:demo.test", "!advies accepteer A1"), WT_OK);
	assert_int_equal(fx_run(f, &empty, "@admin:demo.test", "!advies wijs toe A1 @wie:dan.ook"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "nog geen ledenlijst"));
}

static void test_step_arguments(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA, "!advies nieuw Iets"), WT_OK);
	/* Decline needs a reason. */
	assert_int_equal(run(f, ANNA, "!advies afwijzen A1"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "één organisatie"));
	assert_int_equal(run(f, ANNA, "!advies accepteer A1 extra"), WT_EUSAGE);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies wijs toe A1 @eva:demo.test"), WT_OK);
	/* A draft needs text; delivery needs a draft. */
	assert_int_equal(run(f, EVA, "!advies concept A1"), WT_EUSAGE);
	assert_int_equal(run(f, ANNA, "!advies uitbrengen A1"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "nog geen concept"));
	assert_int_equal(run(f, EVA, "!advies concept A1 Tekst"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advice deliver A1"), WT_OK);
	/* A decision needs an outcome word and a note. */
	assert_int_equal(run(f, CARLA, "!advies besluit A1"), WT_EUSAGE);
	assert_int_equal(run(f, CARLA, "!advies besluit A1 misschien tja"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "overgenomen, deels of niet"));
	assert_int_equal(run(f, CARLA, "!advies besluit A1 niet"), WT_EUSAGE);
	struct wt_advice a = load(f, "demo", 1);
	assert_int_equal(a.state, ADVICE_DELIVERED);
	advice_free(&a);
	assert_int_equal(run(f, CARLA, "!advice decide A1 rejected no budget"), WT_OK);
	a = load(f, "demo", 1);
	assert_int_equal(a.outcome, OUTCOME_REJECTED);
	advice_free(&a);
}

/* ---- views ------------------------------------------------------------- */

static void test_list_deadlines_and_filters(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA, "!advies nieuw Later\nthema: opleiding\ndeadline: 15-03-2027"), WT_OK);
	assert_int_equal(run(f, EVA, "!advies nieuw Eerder\nthema: kwaliteit\ndeadline: 20-01-2027"), WT_OK);
	assert_int_equal(run(f, CARLA, "!advies nieuw Zonder deadline\ngevraagd door: @carla:demo.test"), WT_OK);
	assert_int_equal(run(f, EVA, "!advies nieuw Eén organisatie\nthema: kwaliteit"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies afwijzen A4 gaat over één organisatie"), WT_OK);
	assert_int_equal(run(f, ANNA, "!advies accepteer A1"), WT_OK);
	/* Sorted by deadline, none last; days left counted in local days. */
	assert_int_equal(run(f, DAAN, "!advies"), WT_OK);
	char *p = plain0(f);
	assert_non_null(strstr(p, "Open adviesaanvragen (3)"));
	char *a2 = strstr(p, "A2 Eerder"), *a1 = strstr(p, "A1 Later"), *a3 = strstr(p, "A3 Zonder");
	assert_non_null(a2);
	assert_non_null(a1);
	assert_non_null(a3);
	assert_true(a2 < a1 && a1 < a3);
	assert_non_null(strstr(p, "A2 Eerder — ontvangen · deadline wo 20 jan 2027 (nog 5 dagen) · ongevraagd · thema kwaliteit"));
	assert_non_null(strstr(p, "A1 Later — geaccepteerd"));
	assert_non_null(strstr(p, "geen deadline · gevraagd door carla"));
	assert_null(strstr(p, "A4"));
	free(p);
	/* Eight days later A2 is overdue. */
	f->now = NOW + 8 * DAY;
	assert_int_equal(run(f, DAAN, "!advies"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "⚠️ 3 dagen te laat"));
	/* Filters: theme (accents and case ignored), state, both. */
	assert_int_equal(run(f, DAAN, "!advies thema Opleiding"), WT_OK);
	p = plain0(f);
	assert_non_null(strstr(p, "A1 Later"));
	assert_null(strstr(p, "A2 Eerder"));
	assert_non_null(strstr(p, "Filter: thema opleiding"));
	free(p);
	assert_int_equal(run(f, DAAN, "!advies status ontvangen"), WT_OK);
	p = plain0(f);
	assert_non_null(strstr(p, "A2 Eerder"));
	assert_non_null(strstr(p, "A3 Zonder"));
	assert_null(strstr(p, "A1 Later"));
	free(p);
	assert_int_equal(run(f, DAAN, "!advies thema kwaliteit status geaccepteerd"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "geen open adviesaanvragen"));
	assert_int_equal(fx_run(f, &net_nl, DAAN, "!advice state received theme kwaliteit"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Eerder"));
	/* The archive, and a closed state filter that leads there. */
	assert_int_equal(run(f, DAAN, "!advies archief"), WT_OK);
	p = plain0(f);
	assert_non_null(strstr(p, "A4 Eén organisatie — afgewezen: gaat over één organisatie"));
	free(p);
	assert_int_equal(run(f, DAAN, "!advies status afgewezen"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Archief"));
	/* Bad filters. */
	assert_int_equal(run(f, DAAN, "!advies thema onbekend"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "kwaliteit, opleiding, arbeidsmarkt"));
	assert_int_equal(run(f, DAAN, "!advies status vaag"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "ontvangen, geaccepteerd, behandeling"));
	assert_int_equal(run(f, DAAN, "!advies archief kleur rood"), WT_EUSAGE);
	assert_int_equal(run(f, DAAN, "!advies thema"), WT_EUSAGE);
}

static void test_english_views(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_run(f, &net_en, EVA, "!advice new Quality first\ntheme: kwaliteit\ndeadline: 2027-01-16"), WT_OK);
	assert_int_equal(fx_run(f, &net_en, EVA, "!advice"), WT_OK);
	char *p = plain0(f);
	assert_non_null(strstr(p, "Open advice requests (1)"));
	assert_non_null(strstr(p, "1 day left"));
	free(p);
	assert_int_equal(fx_run(f, &net_en, EVA, "!advice A1"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Unsolicited advice, proposed by"));
	assert_non_null(strstr(fx_reply0(f), "submitted"));
	assert_int_equal(fx_run(f, &net_en, ANNA, "!advice deliver A1"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "What can follow: `accept`, `decline`, `withdraw`"));
}

/* User text never becomes markup. */
static void test_user_text_escaped(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, EVA, "!advies nieuw **vet** <b>x</b>\nvraag: [link](http://x.test)"), WT_OK);
	char *h = render_html(fx_reply0(f));
	assert_null(strstr(h, "<strong>vet"));
	assert_null(strstr(h, "<b>x"));
	assert_null(strstr(h, "href=\"http://x.test\""));
	free(h);
}

/* The sub-command table refuses the role before the request is read: a
 * member asking to accept a request that does not exist hears about the
 * role, not about the missing request, and nothing is stored. */
static void test_table_role_first(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, DAAN, "!advies accepteer A99"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "Dit mag alleen een secretaris (of hoger). Jouw rol: lid"));
	assert_null(strstr(fx_reply0(f), "A99"));
	assert_int_equal(run(f, BRAM, "!advies uitbrengen"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "voorzitter"));
	assert_int_equal(run(f, DAAN, "!advies wijs toe A1 @eva:demo.test"), WT_EPERM);
	assert_int_equal(count(f, "SELECT count(*) FROM advice_history"), 0);
	/* The row lets the secretary through to the request: now it is the
	 * missing request that is refused. */
	assert_int_equal(run(f, BRAM, "!advies accepteer A99"), WT_ENOTFOUND);
}

/* !hulp advies lists every part with the role it needs. */
static void test_help_lists_parts(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, DAAN, "!hulp advies"), WT_OK);
	const char *m = fx_reply0(f);
	static const char *const lines[] = {
		"- `!advies nieuw <titel>`", "- `!advies accepteer <id>` — secretaris",
		"- `!advies wijs toe <id> @lid:server ...` — secretaris",
		"- `!advies ontkoppel <id> @lid:server ...` — secretaris",
		"- `!advies concept <id> <tekst>` (de tekst mag meerdere regels beslaan) — lid",
		"- `!advies uitbrengen <id>` — voorzitter",
		"- `!advies besluit <id> overgenomen|deels|niet <toelichting>` — bestuurder",
		"- `!advies afwijzen <id> <reden>` — secretaris",
		"- `!advies intrekken <id> [reden]` — lid",
		"- `!advies archief [thema <thema>] [status <status>]` — lid",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (!strstr(m, lines[i]))
			fail_msg("help lacks \"%s\":\n%s", lines[i], m);
	/* One part down: its own synopsis and role. */
	assert_int_equal(fx_run(f, &net_en, DAAN, "!help advice deliver"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "`!advice deliver <id>`"));
	assert_non_null(strstr(fx_reply0(f), "Minimum role: chair"));
}

/* A word that is no part and no request id gets the closest part. */
static void test_unknown_part(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(run(f, BRAM, "!advies acepteer A1"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "\"acepteer\" is geen onderdeel van `!advies`. Bedoel je `accepteer`?"));
	assert_int_equal(fx_run(f, &net_en, BRAM, "!advice withdrw A1"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Did you mean `withdraw`?"));
	/* Ids and the list's filters still reach the command itself. */
	assert_int_equal(run(f, EVA, "!advies nieuw Eerste"), WT_OK);
	assert_int_equal(run(f, EVA, "!advies A1"), WT_OK);
	assert_int_equal(run(f, EVA, "!advies status ontvangen"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Eerste"));
}

/* The commands of this helper's families need a network's room: elsewhere
 * the row refuses, naming the command, before a handler reads the
 * network. */
static void test_no_network(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const bodies[] = {
		"!advies", "!advies nieuw X", "!al", "!al status AL1 risico", "!programma",
		"!herinner mij morgen 9:00 x", "!herinneringen", "!tijdzone", "!tijdzone standaard",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		wt_replies_free(&f->out);
		struct wt_ctx ctx = { .db = f->db, .net = NULL, .sender = "@admin:demo.test",
				      .room = "elders", .now = f->now, .lang = LANG_NL,
				      .admins = admins, .out = &f->out };
		if (wt_dispatch(&ctx, bodies[i]) != WT_EUSAGE || !strstr(fx_reply0(f), "hoort bij geen netwerk"))
			fail_msg("%s: %s", bodies[i], f->out.n ? fx_reply0(f) : "-");
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_new_unasked_parses_form),
		T(test_new_reports_missing_and_unknown_lines),
		T(test_new_asked_needs_board),
		T(test_new_bad_input_changes_nothing),
		T(test_edit),
		T(test_unassign),
		T(test_full_path),
		T(test_permissions),
		T(test_assign_bad_input),
		T(test_network_without_members),
		T(test_step_arguments),
		T(test_list_deadlines_and_filters),
		T(test_english_views),
		T(test_user_text_escaped),
		T(test_table_role_first),
		T(test_help_lists_parts),
		T(test_unknown_part),
		T(test_no_network),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
