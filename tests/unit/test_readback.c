/* Logged items read back (issue 13, item 5): the notice after a #besluit /
 * #actie / #info line with numbers, the owner's display name as a pill and
 * the due date as understood, in the thread when the line was in one; due
 * dates as secretaries write them read or refused (never kept as text);
 * the direct message to a new action's owner, once, and its setting.
 * Through wt_dispatch_message with the real storage in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/readback.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "tests/unit/fixture.h"

/* Monday 11 January 2027 10:00 UTC (11:00 in Amsterdam). */
#define NOW 1799662800
#define ROOM "!room:demo.test"
#define SECR "@bram:demo.test"
#define PIET "@piet:demo.test"
#define PILL "[Piet Jansen](https://matrix.to/#/@piet:demo.test)"

static char *rooms[] = { ROOM };
static struct wt_network nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL,
				.tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network en = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_EN,
				.tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

struct fx {
	sqlite3 *db;
	struct wt_replies out;
	int n;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	room_members_set(f->db, ROOM, SECR, "join");
	room_members_set(f->db, ROOM, PIET, "join");
	room_members_set_name(f->db, ROOM, PIET, "Piet Jansen");
	room_members_set_name(f->db, ROOM, SECR, "Bram de Vries");
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

/* One message as the transport hands it over (thread may be NULL). */
static int msg_in(struct fx *f, const struct wt_network *net, const char *sender,
		  const char *thread, const char *body)
{
	wt_replies_free(&f->out);
	char event[32];
	snprintf(event, sizeof event, "$m%d:demo.test", ++f->n);
	struct wt_ctx ctx = {
		.db = f->db, .net = net, .sender = sender, .room = ROOM, .event_id = event,
		.thread_root = thread, .now = NOW, .lang = net->lang, .admins = admins,
		.out = &f->out,
	};
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_dispatch_message(&ctx, body);
	assert_int_equal(db_commit(f->db), 0);
	return rc;
}

static void has(struct fx *f, size_t i, const char *needle)
{
	assert_true(f->out.n > i);
	if (!strstr(f->out.v[i].markdown, needle))
		fail_msg("reply %zu lacks \"%s\":\n%s", i, needle, f->out.v[i].markdown);
}

/* The action's read-back of body: accepted, with the first reply holding
 * want. */
static void reads(struct fx *f, const struct wt_network *net, const char *body, const char *want)
{
	int rc = msg_in(f, net, SECR, NULL, body);
	if (rc != WT_OK)
		fail_msg("%s: refused: %s", body, f->out.n ? f->out.v[0].markdown : "-");
	has(f, 0, want);
}

/* Refused, with needle in the one reply, nothing stored. */
static void refused(struct fx *f, const char *body, const char *needle)
{
	char *before = fx_snapshot(f->db, NULL);
	int rc = msg_in(f, &nl, SECR, NULL, body);
	if (rc >= 0)
		fail_msg("%s: accepted: %s", body, f->out.n ? f->out.v[0].markdown : "-");
	assert_int_equal(f->out.n, 1);
	assert_true(f->out.v[0].is_error);
	has(f, 0, needle);
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
}

/* The brief's example: number, owner by display name (a pill), due date
 * written out; the owner told by direct message, and pinged. */
static void test_action_read_back(void **state)
{
	struct fx *f = *state;
	assert_int_equal(msg_in(f, &nl, SECR, NULL,
				"#actie Piet Jansen offerte aanvragen voor vrijdag"), WT_OK);
	assert_int_equal(f->out.n, 3);
	has(f, 0, "Actie 1 voor " PILL ", uiterlijk vrijdag 15 januari 2027: offerte aanvragen");
	has(f, 0, "Zonder vergadering vastgelegd");
	assert_string_equal(f->out.v[0].in_reply_to, "$m1:demo.test");
	assert_null(f->out.v[0].thread_root);
	assert_int_equal(f->out.v[0].nmentions, 1);
	assert_string_equal(f->out.v[0].mentions[0], PIET);
	/* The direct message: m.text with the owner in m.mentions. */
	const struct wt_reply *dm = &f->out.v[1];
	assert_string_equal(dm->to_user, PIET);
	assert_true(dm->notify);
	assert_int_equal(dm->nmentions, 1);
	assert_string_equal(dm->mentions[0], PIET);
	has(f, 1, "Nieuwe actie 1 voor jou, vastgelegd door "
		  "[Bram de Vries](https://matrix.to/#/@bram:demo.test): offerte aanvragen. "
		  "Uiterlijk vrijdag 15 januari 2027.");
	has(f, 1, "Het bericht: <https://matrix.to/#/!room:demo.test/$m1:demo.test?via=demo.test>");
	assert_int_equal(f->out.v[2].kind, REPLY_REACTION);
	/* A decision and a note read back with their numbers. */
	assert_int_equal(msg_in(f, &nl, SECR, NULL, "#besluit We starten in maart."), WT_OK);
	has(f, 0, "Besluit 1: We starten in maart\\.");
	assert_int_equal(f->out.v[0].nmentions, 0);
	assert_int_equal(f->out.n, 2);
}

/* Due dates as secretaries write them, read as dates. */
static void test_due_dates_read(void **state)
{
	struct fx *f = *state;
	reads(f, &nl, "#actie " PIET " notulen rondsturen voor eind januari",
	      "uiterlijk vrijdag 29 januari 2027 17:00 (de laatste werkdag van januari): "
	      "notulen rondsturen");
	reads(f, &nl, "#actie " PIET " agenda maken voor volgende week",
	      "uiterlijk maandag 18 januari 2027: agenda maken");
	reads(f, &nl, "#actie " PIET " zaal boeken uiterlijk 1 maart",
	      "uiterlijk maandag 1 maart 2027: zaal boeken");
	reads(f, &nl, "#actie " PIET " begroting voor 15 jan.", "uiterlijk vrijdag 15 januari 2027: begroting");
	reads(f, &nl, "#actie " PIET " jaarplan vóór eind 2027", "uiterlijk vrijdag 31 december 2027 17:00 (de laatste werkdag van december): jaarplan");
	reads(f, &nl, "#actie " PIET " bellen voor morgen 14:00",
	      "uiterlijk dinsdag 12 januari 2027 14:00: bellen");
	/* "voor" that announces no date stays text: no due date. */
	reads(f, &nl, "#actie " PIET " offerte voor de nieuwe locatie",
	      "Actie 7 voor " PILL ", zonder einddatum: offerte voor de nieuwe locatie");
	reads(f, &en, "#action " PIET " send the minutes by end of January",
	      "Action 8 for " PILL ", due Friday 29 January 2027 17:00 (the last working day of "
	      "January): send the minutes");
	reads(f, &en, "#action Piet Jansen book a room before next week",
	      "Action 9 for " PILL ", due Monday 18 January 2027: book a room");
}

/* What cannot be a due date is refused with how to write it; nothing is
 * stored, and nothing is kept silently as text. */
static void test_due_dates_refused(void **state)
{
	struct fx *f = *state;
	refused(f, "#actie " PIET " jaarplan voor 2027", "Een maand of een jaar alleen is geen datum");
	refused(f, "#actie " PIET " jaarplan voor 2027", "`eind 2027`");
	refused(f, "#actie " PIET " rooster voor maart", "`eind maart`");
	refused(f, "#actie " PIET " rooster voor volgende maand", "begin of het eind");
	refused(f, "#actie " PIET " notulen voor eind jannuari", "De datum na \"voor\" begrijp ik niet");
	refused(f, "#actie " PIET " notulen uiterlijk 31 februari", "bestaat niet");
	refused(f, "#actie " PIET " notulen voor 4 januari 2027", "al voorbij");
	refused(f, "#besluit akkoord\n#actie " PIET " notulen voor 2027", "Regel 2:");
	assert_int_equal(fx_count(f->db, "logged_items"), 0);
}

/* Who is told: not the owner who logged it themself; nobody by direct
 * message when the network says notify_action_owner = no (the read-back
 * still pings the owner); in a thread, the read-back goes in it. */
static void test_who_is_told(void **state)
{
	struct fx *f = *state;
	roles_set(f->db, "demo", PIET, ROLE_SECRETARY, NULL, NOW);
	assert_int_equal(msg_in(f, &nl, PIET, NULL, "#actie " PIET " zelf doen voor vrijdag"), WT_OK);
	assert_int_equal(f->out.n, 2);
	assert_int_equal(f->out.v[0].nmentions, 0);
	assert_null(f->out.v[1].to_user);
	assert_int_equal(f->out.v[1].kind, REPLY_REACTION);
	/* Off for this network. */
	nl.no_action_owner_dm = 1;
	assert_int_equal(msg_in(f, &nl, SECR, NULL, "#actie " PIET " bellen voor vrijdag"), WT_OK);
	assert_int_equal(f->out.n, 2);
	assert_int_equal(f->out.v[0].nmentions, 1);
	assert_null(f->out.v[1].to_user);
	nl.no_action_owner_dm = 0;
	/* In a thread: the read-back in the thread, the DM outside it. */
	assert_int_equal(msg_in(f, &nl, SECR, "$root:demo.test",
				"#besluit in de draad\n#actie " PIET " mailen voor vrijdag"), WT_OK);
	assert_int_equal(f->out.n, 3);
	assert_string_equal(f->out.v[0].thread_root, "$root:demo.test");
	has(f, 0, "- Besluit 1: in de draad\n- Actie 3 voor " PILL);
	assert_string_equal(f->out.v[1].to_user, PIET);
	assert_null(f->out.v[1].thread_root);
}

/* The excerpt and the links the read-back and reminders share. */
static void test_excerpt_and_links(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_add_excerpt_md(&sb, "  eerste   regel *vet*\ntweede", 80);
	assert_string_equal(sb.buf, "eerste regel \\*vet\\*\xE2\x80\xA6");
	sb_reset(&sb);
	sb_add_excerpt_md(&sb, "\xC3\xA9\xC3\xA9n twee drie", 5);
	assert_string_equal(sb.buf, "\xC3\xA9\xC3\xA9n t\xE2\x80\xA6");
	sb_reset(&sb);
	sb_add_event_link(&sb, "!r:demo.test", "$a/b?c(d)");
	assert_string_equal(sb.buf, "https://matrix.to/#/!r:demo.test/$a%2Fb%3Fc%28d%29?via=demo.test");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_action_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_dates_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_dates_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_who_is_told, setup, teardown),
		cmocka_unit_test_setup_teardown(test_excerpt_and_links, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
