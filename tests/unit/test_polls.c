/* Polls (issue 20, item 2) through wt_dispatch: `!peiling` starts a native
 * Matrix poll (the MSC3381 start event Element shows, with its fallback
 * text), a scale, multiple choice, anonymous, an end time; responses of
 * both types counted once per person, last answer wins, answers after the
 * end, not among the options or from outside the room ignored;
 * `!peiling einde` sends the end event with the results; the scheduler
 * closes a poll at its end time; `!peilingen`. Every refusal in both
 * languages leaves the database as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "bot/config.h"
#include "bot/message.h"
#include "bot/scheduler.h"
#include "bot/sync_event.h"
#include "handlers/event.h"
#include "handlers/poll.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "storage/polls.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400

static char *rooms[] = { "!werktafel:demo.test" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define ROOM "!werktafel:demo.test"
#define SECR "@bram:demo.test"
#define CHAIR "@carla:demo.test"
#define MEMBER "@daan:demo.test"
#define OTHER "@eva:demo.test"
#define POLL_EV "$peiling1"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	f->room = ROOM;
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, NOW);
	roles_set(f->db, "demo-en", SECR, ROLE_SECRETARY, NULL, NOW);
	*state = f;
	return 0;
}

/* The content of reply i, parsed (the caller decrefs). */
static json_t *content_of(struct fx_cmds *f, size_t i)
{
	assert_true(i < f->out.n);
	assert_int_equal(f->out.v[i].kind, REPLY_EVENT);
	json_t *c = json_loads(f->out.v[i].content, 0, NULL);
	assert_non_null(c);
	return c;
}

/* The poll's start event went out as POLL_EV (as the outbox notes it). */
static void sent(struct fx_cmds *f, long long short_id, const char *event_id)
{
	assert_int_equal(db_execf(f->db, "UPDATE polls SET event_id = ?1 WHERE short_id = ?2", "ti",
				  event_id, (sqlite3_int64)short_id), 0);
}

/* A response from who at ts (ms) choosing the n answers. */
static int respond(struct fx_cmds *f, const char *who, const char *target, long long ts,
		   const char *const *answers, size_t n)
{
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .room = ROOM, .now = f->now,
			      .lang = LANG_NL, .out = &out };
	struct wt_event ev = { .kind = WT_EV_POLL_RESPONSE, .sender = who,
			       .event_id = "$antwoord", .ts_ms = ts };
	ev.poll.target = target;
	for (size_t i = 0; i < n; i++)
		ev.poll.answers[i] = answers[i];
	ev.poll.n = n;
	int rc = wt_handle_event(&ctx, &ev, NULL, NULL);
	assert_int_equal(out.n, 0);  /* silent */
	wt_replies_free(&out);
	return rc;
}

static void test_start_choice(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!peiling Welke datum past? | 3 maart | 10 maart");
	assert_int_equal(f->out.n, 2);
	assert_string_equal(f->out.v[0].event_type, "org.matrix.msc3381.poll.start");
	assert_null(f->out.v[0].in_reply_to);
	assert_true(f->out.v[0].poll_id > 0);
	json_t *c = content_of(f, 0);
	json_t *p = json_object_get(c, "org.matrix.msc3381.poll.start");
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "question"),
		"org.matrix.msc1767.text")), "Welke datum past?");
	assert_string_equal(json_string_value(json_object_get(p, "kind")),
			    "org.matrix.msc3381.poll.disclosed");
	assert_int_equal(json_integer_value(json_object_get(p, "max_selections")), 1);
	json_t *a = json_object_get(p, "answers");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "id")), "a2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1),
		"org.matrix.msc1767.text")), "10 maart");
	const char *fb = json_string_value(json_object_get(c, "org.matrix.msc1767.text"));
	assert_non_null(strstr(fb, "Peiling 1: Welke datum past?"));
	assert_non_null(strstr(fb, "2. 10 maart"));
	json_decref(c);
	assert_non_null(strstr(f->out.v[1].markdown, "Peiling 1 staat in de kamer."));
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM poll_answers"), 2);
	/* The chair may too; answers on lines of their own. */
	fx_ok(f, &net_nl, CHAIR, "!peiling Wie neemt de notulen?\nBram\nCarla\nDaan");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM poll_answers a JOIN polls p"
		" ON p.id = a.poll_id WHERE p.short_id = 2"), 3);
}

static void test_start_kinds(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_en, SECR, "!poll scale 1-5 anonymous How satisfied are you? | until 20-01-2027 17:00");
	json_t *c = content_of(f, 0);
	json_t *p = json_object_get(c, "org.matrix.msc3381.poll.start");
	assert_string_equal(json_string_value(json_object_get(p, "kind")),
			    "org.matrix.msc3381.poll.undisclosed");
	assert_int_equal(json_array_size(json_object_get(p, "answers")), 5);
	json_decref(c);
	assert_non_null(strstr(f->out.v[1].markdown, "Poll 1 is in the room until"));
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM polls WHERE kind = 'scale'"
		" AND anonymous = 1 AND ends_at = 1800460800"), 1);
	fx_ok(f, &net_nl, SECR, "!peiling meerkeuze 2 Welke onderwerpen? | Wachtlijsten | Scholing | Vacatures");
	assert_int_equal(fx_int(f->db, "SELECT max_selections FROM polls WHERE network = 'demo'"), 2);
	fx_ok(f, &net_nl, SECR, "!peiling meerkeuze Welke avonden? | maandag | dinsdag | woensdag");
	assert_int_equal(fx_int(f->db, "SELECT max_selections FROM polls WHERE network = 'demo'"
		" AND short_id = 2"), 3);
}

static void test_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!peiling Vraag? | a | b", WT_EPERM, "secretaris of de voorzitter");
	fx_refused(f, &net_en, MEMBER, "!poll Question? | a | b", WT_EPERM, "secretary or the chair");
	fx_refused(f, &net_nl, SECR, "!peiling", WT_EUSAGE, "De vraag ontbreekt");
	fx_refused(f, &net_en, SECR, "!poll", WT_EUSAGE, "The question is missing");
	fx_refused(f, &net_nl, SECR, "!peiling Vraag? | alleen", WT_EUSAGE, "minstens twee antwoorden");
	fx_refused(f, &net_en, SECR, "!poll Question? | only", WT_EUSAGE, "at least two answers");
	fx_refused(f, &net_nl, SECR, "!peiling Vraag? | a || b", WT_EUSAGE, "leeg antwoord");
	fx_refused(f, &net_en, SECR, "!poll Question? | a || b", WT_EUSAGE, "empty answer");
	fx_refused(f, &net_nl, SECR, "!peiling Vraag? | Ja | ja", WT_EUSAGE, "twee keer");
	fx_refused(f, &net_en, SECR, "!poll Question? | Yes | yes", WT_EUSAGE, "there twice");
	fx_refused(f, &net_nl, SECR, "!peiling schaal 1-20 Vraag?", WT_EUSAGE, "`schaal 1-10`");
	fx_refused(f, &net_en, SECR, "!poll scale ten Question?", WT_EUSAGE, "`scale 1-10`");
	fx_refused(f, &net_nl, SECR, "!peiling schaal 1-10 Vraag? | a | b", WT_EUSAGE, "geen eigen antwoorden");
	fx_refused(f, &net_en, SECR, "!poll scale 1-10 Question? | a | b", WT_EUSAGE, "no answers of its own");
	fx_refused(f, &net_nl, SECR, "!peiling schaal 1-5 meerkeuze Vraag?", WT_EUSAGE, "`meerkeuze` kan daar niet");
	fx_refused(f, &net_en, SECR, "!poll scale 1-5 multiple Question?", WT_EUSAGE, "`multiple` cannot");
	fx_refused(f, &net_nl, SECR, "!peiling meerkeuze 5 Vraag? | a | b", WT_EUSAGE, "van 2 tot en met");
	fx_refused(f, &net_en, SECR, "!poll multiple 5 Question? | a | b", WT_EUSAGE, "from 2 up to");
	fx_refused(f, &net_nl, SECR, "!peiling Vraag? | a | b | tot gisteren", WT_EUSAGE, "einddatum");
	fx_refused(f, &net_en, SECR, "!poll Question? | a | b | until someday", WT_EUSAGE, "end date");
	struct strbuf many = STRBUF_INIT;
	sb_add(&many, "!peiling Vraag?");
	for (int i = 0; i < 21; i++)
		sb_addf(&many, " | %d", i);
	fx_refused(f, &net_nl, SECR, many.buf, WT_EUSAGE, "hoogstens 20 antwoorden");
	sb_release(&many);
	struct strbuf lng = STRBUF_INIT;
	sb_add(&lng, "!poll ");
	for (int i = 0; i < 210; i++)
		sb_add(&lng, "x");
	sb_add(&lng, "? | a | b");
	fx_refused(f, &net_en, SECR, lng.buf, WT_EUSAGE, "The question is too long");
	sb_release(&lng);
	fx_refused(f, &net_nl, MEMBER, "!peiling 7", WT_ENOTFOUND, "Er is geen peiling 7");
	fx_refused(f, &net_en, MEMBER, "!poll 7", WT_ENOTFOUND, "There is no poll 7");
	fx_refused(f, &net_nl, SECR, "!peiling einde", WT_EUSAGE, "`!peiling einde 3`");
	fx_refused(f, &net_en, SECR, "!poll end", WT_EUSAGE, "`!poll end 3`");
	fx_refused(f, &net_nl, SECR, "!peiling einde 7", WT_ENOTFOUND, "Er is geen peiling 7");
	fx_refused(f, &net_nl, MEMBER, "!peiling einde 1", WT_EPERM, NULL);
	fx_refused(f, &net_nl, MEMBER, "!peilingen nu", WT_EUSAGE, NULL);
	fx_refused(f, &net_en, MEMBER, "!polls now", WT_EUSAGE, NULL);
	assert_int_equal(fx_count(f->db, "polls"), 0);
}

static void test_responses(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!peiling Welke datum past? | 3 maart | 10 maart");
	sent(f, 1, POLL_EV);
	const char *a1[] = { "a1" }, *a2[] = { "a2" }, *bad[] = { "a9" }, *both[] = { "a2", "a1" };
	long long t = (long long)NOW * 1000;
	assert_int_equal(respond(f, MEMBER, POLL_EV, t + 1000, a1, 1), WT_OK);
	/* A changed answer counts once: the last one wins. */
	assert_int_equal(respond(f, MEMBER, POLL_EV, t + 2000, a2, 1), WT_OK);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM poll_votes WHERE voter = '" MEMBER
		"' AND answer_key = 'a2'"), 1);
	assert_int_equal(fx_count(f->db, "poll_votes"), 1);
	/* An older response that arrives late changes nothing. */
	assert_int_equal(respond(f, MEMBER, POLL_EV, t + 1500, a1, 1), WT_OK);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM poll_votes WHERE answer_key = 'a2'"), 1);
	/* No answer of the poll: ignored, the earlier one stands. */
	assert_int_equal(respond(f, MEMBER, POLL_EV, t + 3000, bad, 1), WT_NOT_COMMAND);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM poll_votes WHERE answer_key = 'a2'"), 1);
	/* Single choice: only the first of two answers is kept. */
	assert_int_equal(respond(f, OTHER, POLL_EV, t + 3000, both, 2), WT_OK);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM poll_votes WHERE voter = '" OTHER
		"'"), 1);
	/* Another event than a poll: nothing. */
	assert_int_equal(respond(f, OTHER, "$iets", t + 3000, a1, 1), WT_NOT_COMMAND);
	/* Someone who left the room (its member list known): ignored. */
	room_members_set(f->db, ROOM, MEMBER, "join");
	room_members_set(f->db, ROOM, OTHER, "join");
	room_members_mark_known(f->db, ROOM);
	assert_int_equal(respond(f, "@buiten:elders.test", POLL_EV, t + 4000, a1, 1), WT_NOT_COMMAND);
	/* The tally names who chose what. */
	fx_ok(f, &net_nl, MEMBER, "!peiling 1");
	fx_reply_has(f, "**Peiling 1: Welke datum past?** Open.");
	fx_reply_has(f, "- 3 maart: 0 stemmen");
	fx_reply_has(f, "- 10 maart: 2 stemmen (");
	fx_reply_has(f, "2 mensen hebben geantwoord.");
	/* Closed: the end event relates to the poll, with the results. */
	fx_ok(f, &net_nl, SECR, "!peiling einde 1");
	assert_int_equal(f->out.n, 2);
	assert_string_equal(f->out.v[0].event_type, "org.matrix.msc3381.poll.end");
	assert_string_equal(f->out.v[0].room, ROOM);
	json_t *c = content_of(f, 0);
	json_t *rel = json_object_get(c, "m.relates_to");
	assert_string_equal(json_string_value(json_object_get(rel, "rel_type")), "m.reference");
	assert_string_equal(json_string_value(json_object_get(rel, "event_id")), POLL_EV);
	assert_non_null(json_object_get(c, "org.matrix.msc3381.poll.end"));
	const char *text = json_string_value(json_object_get(c, "org.matrix.msc1767.text"));
	assert_non_null(strstr(text, "De peiling is gesloten."));
	assert_non_null(strstr(text, "10 maart: 2 stemmen"));
	json_decref(c);
	assert_non_null(strstr(f->out.v[1].markdown, "Peiling 1 is gesloten"));
	/* After the end: ignored. */
	assert_int_equal(respond(f, MEMBER, POLL_EV, t + 9000, a1, 1), WT_NOT_COMMAND);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM poll_votes WHERE answer_key = 'a1'"), 0);
	fx_refused(f, &net_nl, SECR, "!peiling einde 1", WT_EUSAGE, "al gesloten");
	fx_ok(f, &net_nl, MEMBER, "!peilingen");
	fx_reply_has(f, "- 1: Welke datum past? (gesloten; 2 antwoorden)");
}

static void test_anonymous_scale(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!peiling schaal 1-10 anoniem Hoe tevreden bent u? | tot 16-01-2027 17:00");
	sent(f, 1, POLL_EV);
	const char *seven[] = { "a7" }, *eight[] = { "a8" };
	long long t = (long long)NOW * 1000;
	assert_int_equal(respond(f, MEMBER, POLL_EV, t, seven, 1), WT_OK);
	assert_int_equal(respond(f, OTHER, POLL_EV, t, eight, 1), WT_OK);
	/* After the end time (the scheduler did not close it yet): ignored. */
	assert_int_equal(respond(f, SECR, POLL_EV, t + 2 * 86400000LL, seven, 1), WT_NOT_COMMAND);
	fx_ok(f, &net_nl, MEMBER, "!peiling 1");
	fx_reply_has(f, "- 7: 1 stem\n");
	fx_reply_has(f, "Gemiddelde: 7,5");
	fx_reply_has(f, "Anonieme peiling");
	assert_null(strstr(fx_reply0(f), "daan"));
	/* The scheduler's timer wakes at its end time (16-01 17:00 CET). */
	assert_int_equal(scheduler_delay_ms(f->db, (int64_t)NOW * 1000, 1000000000L),
			 (1800115200L - NOW) * 1000L);
	/* The scheduler closes it at its end time. */
	struct wt_config cfg = { .lang = LANG_NL, .networks = &net_nl, .nnetworks = 1 };
	assert_int_equal(scheduler_end_polls(f->db, &cfg, NOW + 3600), 0);
	assert_int_equal(scheduler_end_polls(f->db, &cfg, NOW + 86400 * 2), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM outbox WHERE event_type ="
		" 'org.matrix.msc3381.poll.end' AND content LIKE '%Gemiddelde: 7,5%'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM polls WHERE ended_at IS NOT NULL"), 1);
	assert_int_equal(scheduler_end_polls(f->db, &cfg, NOW + 86400 * 3), 0);
}

/* A scale poll tied to a goal: its final average is a measurement of the
 * goal, with the poll as its source; a goal needs a scale and must exist. */
static void test_goal_measured(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!doel nieuw Tevredenheid van patiënten\ndoel: 8\neenheid: cijfer");
	fx_refused(f, &net_nl, SECR, "!peiling doel 1 Welke datum? | 3 maart | 10 maart", WT_EUSAGE,
		   "Alleen een peiling met een schaal kan een doel meten");
	fx_refused(f, &net_nl, SECR, "!peiling schaal 1-10 doel 9 Hoe tevreden?", WT_ENOTFOUND,
		   "Doel 9 bestaat niet");
	fx_refused(f, &net_nl, SECR, "!peiling schaal 1-10 doel x Hoe tevreden?", WT_EUSAGE,
		   "Na `doel` hoort het nummer van een doel");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM polls"), 0);
	fx_ok(f, &net_nl, SECR, "!peiling schaal 1-10 doel 1 Hoe tevreden bent u?");
	sent(f, 1, POLL_EV);
	const char *seven[] = { "a7" }, *eight[] = { "a8" };
	long long t = (long long)NOW * 1000;
	assert_int_equal(respond(f, MEMBER, POLL_EV, t, seven, 1), WT_OK);
	assert_int_equal(respond(f, OTHER, POLL_EV, t, eight, 1), WT_OK);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM goal_measurements"), 0);
	fx_ok(f, &net_nl, SECR, "!peiling einde 1");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM goal_measurements WHERE value = 7.5"
		" AND source = 'peiling 1'"), 1);
	fx_ok(f, &net_nl, MEMBER, "!doel 1");
	fx_reply_has(f, "7,5");
}

/* The start event goes through the outbox as its own type and the poll
 * learns its event id when it is sent. */
static void test_outbox_link(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!peiling Vraag? | ja | nee");
	long long id = 0;
	assert_int_equal(message_enqueue(f->db, &f->out.v[0], ROOM, NOW, &id), MESSAGE_OK);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM outbox WHERE event_type ="
		" 'org.matrix.msc3381.poll.start'"), 1);
	assert_int_equal(polls_note_sent_row(f->db, id, "$verzonden"), 0);
	struct wt_poll p;
	assert_int_equal(polls_by_event(f->db, ROOM, "$verzonden", &p), 1);
	assert_int_equal(p.short_id, 1);
	poll_free(&p);
}

/* What the sync reads of a response: Element's unstable one and the
 * stable one. */
static void test_sync_reads_responses(void **state)
{
	(void)state;
	json_t *u = json_loads("{\"type\":\"org.matrix.msc3381.poll.response\",\"sender\":"
		"\"@daan:demo.test\",\"event_id\":\"$r1\",\"origin_server_ts\":5,\"content\":{"
		"\"m.relates_to\":{\"rel_type\":\"m.reference\",\"event_id\":\"$p\"},"
		"\"org.matrix.msc3381.poll.response\":{\"answers\":[\"a2\",7]}}}", 0, NULL);
	struct wt_event ev;
	assert_int_equal(sync_event_read(u, &ev), WT_EV_POLL_RESPONSE);
	assert_string_equal(ev.poll.target, "$p");
	assert_int_equal(ev.poll.n, 1);
	assert_string_equal(ev.poll.answers[0], "a2");
	wt_event_release(&ev);
	json_decref(u);
	json_t *s = json_loads("{\"type\":\"m.poll.response\",\"sender\":\"@eva:demo.test\","
		"\"event_id\":\"$r2\",\"content\":{\"m.relates_to\":{\"rel_type\":\"m.reference\","
		"\"event_id\":\"$p\"},\"m.selections\":[\"a1\"]}}", 0, NULL);
	assert_int_equal(sync_event_read(s, &ev), WT_EV_POLL_RESPONSE);
	assert_string_equal(ev.poll.answers[0], "a1");
	wt_event_release(&ev);
	json_decref(s);
	json_t *n = json_loads("{\"type\":\"m.poll.response\",\"sender\":\"@eva:demo.test\","
		"\"event_id\":\"$r3\",\"content\":{\"m.selections\":[\"a1\"]}}", 0, NULL);
	assert_int_equal(sync_event_read(n, &ev), WT_EV_NONE);
	wt_event_release(&ev);
	json_decref(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_choice, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_start_kinds, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_responses, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_anonymous_scale, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_goal_measured, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_outbox_link, setup, fx_teardown),
		cmocka_unit_test(test_sync_reads_responses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
