/* "!herinner mij morgen 9:00" sent as a reply to any message (issue 13,
 * item 4): the reminder quotes the message (from the reply's fallback, or
 * fetched later: until then, or when that fails, the link alone) and links
 * to it; the text after the time is the note; when it fires the reminder
 * notifies and carries excerpt and link. Real storage in memory, the real
 * scheduler writing the outbox. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/config.h"
#include "bot/message.h"
#include "bot/quote.h"
#include "bot/scheduler.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/reminder_quotes.h"
#include "tests/unit/fixture.h"

/* Monday 11 January 2027 10:00 UTC. */
#define NOW 1799662800
#define ROOM "!noord:demo.test"
#define ANNA "@anna:demo.test"
#define ORIG "$orig/1:demo.test"
#define LINK "https://matrix.to/#/!noord:demo.test/$orig%2F1:demo.test?via=demo.test"

static char *rooms[] = { ROOM };
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1, .lang = LANG_NL,
				 .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { NULL };

struct fx {
	sqlite3 *db;
	struct wt_replies out;
	struct wt_config cfg;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	f->cfg.lang = LANG_NL;
	f->cfg.timezone = "Europe/Amsterdam";
	f->cfg.late_limit_hours = 24;
	f->cfg.networks = &net;
	f->cfg.nnetworks = 1;
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

/* body as anna, as a reply to ORIG (reply_to) with the fallback's quote
 * (NULL: sent without one). */
static int reply(struct fx *f, const char *body, const char *reply_to, const char *quote)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = &net, .sender = ANNA, .room = ROOM, .event_id = "$cmd:demo.test",
		.reply_to = reply_to, .reply_quote = quote, .now = NOW, .lang = LANG_NL,
		.admins = admins, .out = &f->out,
	};
	assert_int_equal(db_begin(f->db), 0);
	int rc = wt_dispatch(&ctx, body);
	assert_int_equal(db_commit(f->db), 0);
	return rc;
}

static void has(const char *s, const char *needle)
{
	if (!s || !strstr(s, needle))
		fail_msg("lacks \"%s\":\n%s", needle, s ? s : "(null)");
}

/* The reply fallback as clients write it, read back to the quoted text. */
static void test_fallback_quote(void **state)
{
	(void)state;
	char *q = message_reply_quote_dup("> <@piet:demo.test> Wie neemt de notulen?\n"
					  "> Graag voor vrijdag.\n\n!herinner mij morgen 9:00");
	assert_string_equal(q, "Wie neemt de notulen?\nGraag voor vrijdag.");
	free(q);
	q = message_reply_quote_dup("> * <@piet:demo.test> zwaait\n\n!herinner mij morgen");
	assert_string_equal(q, "zwaait");
	free(q);
	assert_null(message_reply_quote_dup("!herinner mij morgen 9:00"));
	assert_null(message_reply_quote_dup("> alleen een citaat"));
	assert_null(message_reply_quote_dup(NULL));
	/* The fetched event's body: its own fallback dropped, cut. */
	q = quote_excerpt_dup("> <@a:b> ouder\n\nHet eigen antwoord");
	assert_string_equal(q, "Het eigen antwoord");
	free(q);
	assert_null(quote_excerpt_dup("   "));
}

/* With the fallback: quoted and linked at once; the note kept; firing
 * notifies with excerpt and link. */
static void test_reply_with_fallback(void **state)
{
	struct fx *f = *state;
	assert_int_equal(reply(f, "!herinner mij morgen 9:00 even nabellen", ORIG,
			       "Wie neemt de notulen in maart?"), WT_OK);
	assert_int_equal(f->out.n, 1);
	const char *md = f->out.v[0].markdown;
	has(md, "Herinnering #1 is gepland op dinsdag 12 januari om 09:00: even nabellen");
	has(md, "> Wie neemt de notulen in maart?");
	has(md, LINK);
	struct wt_quote q;
	assert_int_equal(reminder_quote_get(f->db, 1, &q), 1);
	assert_string_equal(q.event_id, ORIG);
	assert_string_equal(q.excerpt, "Wie neemt de notulen in maart?");
	reminder_quote_free(&q);
	long long id = 0;
	assert_int_equal(reminder_quote_next_wanted(f->db, &id, &q), 0);
	/* It fires: m.text to anna, naming her, with excerpt and link. */
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, NOW + 86400, NOW), 1);
	sqlite3_stmt *st = db_prepare(f->db, "SELECT content, to_user FROM outbox");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *c = (const char *)sqlite3_column_text(st, 0);
	has(c, "\"msgtype\":\"m.text\"");
	has(c, "\"m.mentions\":{\"user_ids\":[\"@anna:demo.test\"]}");
	has(c, "even nabellen");
	has(c, "Wie neemt de notulen in maart?");
	has(c, "<blockquote>");
	has(c, LINK);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), ANNA);
	db_done(st);
}

/* Without the fallback: the link now, the excerpt wanted (bot/quote.c);
 * no note needed; a fetch that failed leaves the link alone. */
static void test_reply_without_fallback(void **state)
{
	struct fx *f = *state;
	assert_int_equal(reply(f, "!remind me tomorrow 9:00", ORIG, NULL), WT_OK);
	const char *md = f->out.v[0].markdown;
	has(md, "Herinnering #1 is gepland op dinsdag 12 januari om 09:00: dit bericht");
	has(md, LINK);
	assert_null(strstr(md, "\n> "));
	long long id = 0;
	struct wt_quote q;
	assert_int_equal(reminder_quote_next_wanted(f->db, &id, &q), 1);
	assert_int_equal(id, 1);
	assert_string_equal(q.room_id, ROOM);
	reminder_quote_free(&q);
	/* The fetch gave up: fired with the link alone, never lost. */
	assert_int_equal(reminder_quote_done(f->db, id, NULL), 0);
	assert_int_equal(reminder_quote_next_wanted(f->db, &id, &q), 0);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, NOW + 86400, NOW), 1);
	sqlite3_stmt *st = db_prepare(f->db, "SELECT content FROM outbox");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *c = (const char *)sqlite3_column_text(st, 0);
	has(c, "Herinnering #1: dit bericht");
	has(c, "<a href=\\\"" LINK "\\\">" LINK "</a>");  /* JSON-escaped quotes */
	has(c, LINK);
	db_done(st);
	/* A fetched excerpt is used when it fires. */
	assert_int_equal(reply(f, "!herinner mij over 2 uur", ORIG, NULL), WT_OK);
	assert_int_equal(reminder_quote_done(f->db, 2, "Het verslag staat klaar."), 0);
	assert_int_equal(scheduler_fire_due(f->db, &f->cfg, NOW + 3 * 3600, NOW), 1);
	st = db_prepare(f->db, "SELECT content FROM outbox ORDER BY id DESC LIMIT 1");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	has((const char *)sqlite3_column_text(st, 0), "Het verslag staat klaar.");
	db_done(st);
}

/* Not a reply: a text is still needed, and nothing is quoted. */
static void test_not_a_reply(void **state)
{
	struct fx *f = *state;
	assert_true(reply(f, "!herinner mij morgen 9:00", NULL, NULL) < 0);
	has(f->out.v[0].markdown, "Waaraan moet ik herinneren?");
	assert_int_equal(reply(f, "!herinner mij morgen 9:00 bellen", NULL, NULL), WT_OK);
	assert_null(strstr(f->out.v[0].markdown, "matrix.to"));
	assert_int_equal(fx_count(f->db, "reminder_quotes"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fallback_quote),
		cmocka_unit_test_setup_teardown(test_reply_with_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_without_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_reply, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
