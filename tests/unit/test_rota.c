/* Organisations and the rotation schedule through wt_dispatch:
 * `!organisatie` (own, someone's, removed), `!wie` with no topic (the
 * spread per organisation, delegates marked), `!rooster erbij` with each
 * kind of period and each refusal, `!rooster weg`, `!rooster`, and the
 * chair's reminder on a period's last day. Refusals leave the database as
 * it was (fx_refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC (13:00 in Amsterdam). */
#define NOW 1800014400

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define CHAIR "@anna:demo.test"
#define MEMBER "@daan:demo.test"
#define OTHER "@eva:demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	for (int i = 0; i < 2; i++) {
		const char *n = i ? "demo-en" : "demo";
		roles_set(f->db, n, SECR, ROLE_SECRETARY, NULL, NOW);
		roles_set(f->db, n, CHAIR, ROLE_CHAIR, NULL, NOW);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void test_organisation(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!organisatie");
	fx_reply_has(f, "Je hebt nog geen organisatie opgegeven");
	fx_ok(f, &net_nl, MEMBER, "!organisatie Zorggroep Noord");
	fx_reply_has(f, "vertegenwoordigt nu **Zorggroep Noord**");
	fx_ok(f, &net_nl, MEMBER, "!organisatie");
	fx_reply_has(f, "Je vertegenwoordigt **Zorggroep Noord**");
	fx_ok(f, &net_nl, OTHER, "!organisatie @daan:demo.test");
	fx_reply_has(f, "vertegenwoordigt **Zorggroep Noord**");
	fx_ok(f, &net_nl, OTHER, "!organisatie @bram:demo.test");
	fx_reply_has(f, "heeft nog geen organisatie opgegeven");
	/* Someone else's: the secretary's job. */
	fx_refused(f, &net_nl, MEMBER, "!organisatie @eva:demo.test Het Zorghuis", WT_EPERM, "secretaris");
	fx_ok(f, &net_nl, SECR, "!organisatie @eva:demo.test Het Zorghuis");
	struct strbuf b = STRBUF_INIT;
	sb_add(&b, "!organisatie ");
	for (int i = 0; i < 81; i++)
		sb_addc(&b, 'o');
	fx_refused(f, &net_nl, MEMBER, b.buf, WT_EUSAGE, "De naam van de organisatie");
	sb_release(&b);
	fx_refused(f, &net_nl, MEMBER, "!organisatie weg @eva:demo.test", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, MEMBER, "!organisatie weg @eva:demo.test nu", WT_EUSAGE, "Hier hoort niets meer achter");
	fx_ok(f, &net_nl, MEMBER, "!organisatie weg");
	fx_reply_has(f, "is van het profiel gehaald");
	fx_refused(f, &net_nl, MEMBER, "!organisatie weg", WT_ENOTFOUND, "had geen organisatie");
	fx_ok(f, &net_en, MEMBER, "!organisation Care North");
	fx_reply_has(f, "now represents **Care North**");
	fx_refused(f, &net_en, MEMBER, "!organisation remove @eva:demo.test", WT_EPERM, "secretary");
}

static void test_who_spread(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!wie");
	fx_reply_has(f, "Nog niemand heeft een organisatie opgegeven.");
	fx_ok(f, &net_nl, MEMBER, "!organisatie Zorggroep Noord");
	fx_ok(f, &net_nl, SECR, "!organisatie @eva:demo.test zorggroep noord");
	fx_ok(f, &net_nl, SECR, "!organisatie Het Zorghuis");
	fx_ok(f, &net_nl, SECR, "!rooster erbij @eva:demo.test 2027");
	fx_ok(f, &net_nl, MEMBER, "!wie");
	fx_reply_has(f, "**Leden per organisatie**");
	fx_reply_has(f, "- **Het Zorghuis** (1 lid): [bram]");
	fx_reply_has(f, "- **Zorggroep Noord** (2 leden): [daan](https://matrix.to/#/@daan:demo.test), "
		     "[eva](https://matrix.to/#/@eva:demo.test) (afgevaardigde)");
	fx_reply_has(f, "Zonder organisatie: [anna]");
	fx_ok(f, &net_en, MEMBER, "!who");
	fx_reply_has(f, "Nobody has given an organisation yet.");
}

static void test_rota_add(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!organisatie @daan:demo.test Zorggroep Noord");
	fx_ok(f, &net_nl, SECR, "!rooster erbij @daan:demo.test H1 2027");
	fx_reply_has(f, "Op het rooster gezet als R1: [daan](https://matrix.to/#/@daan:demo.test) namens "
		     "**Zorggroep Noord**, vr 1 jan 2027 t/m wo 30 jun 2027.");
	fx_ok(f, &net_nl, SECR, "!rooster erbij @eva:demo.test 1-7-2027 t/m 31-12-2027 namens Zorggroep Noord");
	fx_reply_has(f, "R2");
	fx_reply_has(f, "do 1 jul 2027 t/m vr 31 dec 2027");
	fx_ok(f, &net_nl, SECR, "!rooster erbij @bram:demo.test maart t/m mei namens Het Zorghuis");
	fx_reply_has(f, "ma 1 mrt 2027 t/m ma 31 mei 2027");
	fx_ok(f, &net_nl, MEMBER, "!rooster");
	fx_reply_has(f, "**Roulatieschema**\n- R3 **Het Zorghuis**: [bram]");
	fx_reply_has(f, "- R1 **Zorggroep Noord**: [daan](https://matrix.to/#/@daan:demo.test), "
		     "vr 1 jan 2027 t/m wo 30 jun 2027 (nu)\n- R2 **Zorggroep Noord**");
	fx_ok(f, &net_en, SECR, "!rota add @eva:demo.test Q3 2027 for Care North");
	fx_reply_has(f, "Put on the rota as R1");
	fx_reply_has(f, "Thu 1 Jul 2027 to Thu 30 Sep 2027");
}

static void test_rota_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!organisatie @daan:demo.test Zorggroep Noord");
	fx_ok(f, &net_nl, SECR, "!rooster erbij @daan:demo.test 2027");
	fx_refused(f, &net_nl, MEMBER, "!rooster erbij @daan:demo.test 2028", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, SECR, "!rooster erbij", WT_EUSAGE, "Wie zet je op het rooster?");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @daan:demo.test", WT_EUSAGE, "Welke periode?");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @daan:demo.test Q5 2028", WT_EUSAGE, "Welke periode?");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @daan:demo.test 1-3-2028 t/m", WT_EUSAGE, "Welke periode?");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @daan:demo.test 1-12-2028 t/m 1-1-2028", WT_EUSAGE,
		   "De periode eindigt voordat ze begint");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @daan:demo.test 2028 Zorggroep", WT_EUSAGE,
		   "Na de periode mag alleen nog `namens <organisatie>` komen.");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @daan:demo.test 2028 namens", WT_EUSAGE,
		   "Namens welke organisatie?");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @eva:demo.test 2028", WT_EUSAGE,
		   "Van [eva](https://matrix.to/#/@eva:demo.test) is geen organisatie bekend.");
	fx_refused(f, &net_nl, SECR, "!rooster erbij @eva:demo.test H2 2027 namens zorggroep noord", WT_EUSAGE,
		   "**Zorggroep Noord** heeft in die periode al een afgevaardigde: R1");
	fx_reply_has(f, "`!rooster weg 1`");
	fx_refused(f, &net_nl, SECR, "!rooster weg", WT_EUSAGE, "Welke periode haal je van het rooster?");
	fx_refused(f, &net_nl, SECR, "!rooster weg x", WT_EUSAGE, "`x` is geen nummer van het rooster");
	fx_refused(f, &net_nl, SECR, "!rooster weg R7", WT_ENOTFOUND, "Op het rooster staat geen R7");
	fx_refused(f, &net_nl, SECR, "!rooster weg 1 2", WT_EUSAGE, "Hier hoort niets meer achter");
	fx_refused(f, &net_nl, MEMBER, "!rooster weg 1", WT_EPERM, "secretaris");
	fx_refused(f, &net_nl, MEMBER, "!rooster zomer", WT_EUSAGE, "`!rooster`");
	fx_ok(f, &net_nl, SECR, "!rooster weg R1");
	fx_reply_has(f, "Van het rooster gehaald: R1");
	fx_ok(f, &net_nl, MEMBER, "!rooster");
	fx_reply_has(f, "Het rooster is leeg.");
	fx_refused(f, &net_en, SECR, "!rota add @eva:demo.test 2028", WT_EUSAGE, "No organisation is known for");
	fx_refused(f, &net_en, SECR, "!rota add @eva:demo.test someday", WT_EUSAGE, "Which period?");
}

/* The chair gets a reminder on the morning of a period's last day, with
 * the successor when there is one; removing the entry drops it. */
static void test_rota_reminder(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!rooster erbij @daan:demo.test H1 2027 namens Zorggroep Noord");
	/* 30-06-2027 09:00 in Amsterdam is 07:00 UTC. */
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind = 'rota.period_end'"
			 " AND state = 'pending' AND to_user = '" CHAIR "'"
			 " AND datetime(due_at, 'unixepoch') = '2027-06-30 07:00:00'"), 1);
	long long row = fx_int(f->db, "SELECT id FROM rota WHERE short_id = 1");
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .sender = "", .now = f->now,
			      .lang = LANG_NL, .out = &none };
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(reminder_render(&ctx, "rota.period_end", row, &out), 0);
	assert_non_null(strstr(out.buf, "Vandaag eindigt de periode van [daan]"));
	assert_non_null(strstr(out.buf, "afgevaardigde van **Zorggroep Noord**"));
	assert_non_null(strstr(out.buf, "Zet een opvolger erop met `!rooster erbij @lid:server <periode> namens Zorggroep Noord`"));
	fx_ok(f, &net_nl, SECR, "!rooster erbij @eva:demo.test H2 2027 namens Zorggroep Noord");
	sb_reset(&out);
	assert_int_equal(reminder_render(&ctx, "rota.period_end", row, &out), 0);
	assert_non_null(strstr(out.buf, "Daarna is [eva](https://matrix.to/#/@eva:demo.test) aan de beurt: "
			       "do 1 jul 2027 t/m vr 31 dec 2027."));
	/* The full generator leaves the same as the per-entry one. */
	assert_int_equal(reminder_generate_all(&ctx), 0);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind = 'rota.period_end'"
			 " AND state = 'pending'"), 2);
	fx_ok(f, &net_nl, SECR, "!rooster weg 1");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM reminders WHERE kind = 'rota.period_end'"
			 " AND state = 'pending'"), 1);
	sb_reset(&out);
	assert_int_equal(reminder_render(&ctx, "rota.period_end", row, &out), 1);
	sb_release(&out);
	wt_replies_free(&none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_organisation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_who_spread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rota_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rota_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rota_reminder, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
