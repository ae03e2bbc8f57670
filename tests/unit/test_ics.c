/* The calendar export: coming meetings as iCalendar, checked by parsing
 * the output back with libical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libical/ical.h>

#include "handlers/dispatch.h"
#include "handlers/ics.h"
#include "handlers/reply.h"
#include "lib/strbuf.h"
#include "storage/agenda.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "!noord:demo.test" };
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const time_t NOW = 1799830800; /* 13 January 2027, 09:00 UTC */

struct fx {
	sqlite3 *db;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->db);
	free(f);
	return 0;
}

static long long meeting(struct fx *f, const char *title, const char *place, time_t start,
			 enum meeting_state s)
{
	struct wt_meeting m = { .network = "noord", .title = (char *)title,
				.place = (char *)place, .starts_at = start,
				.duration_min = 90, .state = s, .created_at = NOW };
	assert_int_equal(meeting_create(f->db, &m), 0);
	return m.id;
}

static void test_meetings_round_trip(void **state)
{
	struct fx *f = *state;
	long long id = meeting(f, "Werktafel; februari, met \"koffie\"", "Zaal 2, Stadhuis",
			       NOW + 27 * 86400, MEETING_PLANNED);
	meeting(f, "Afgelast", NULL, NOW + 40 * 86400, MEETING_CANCELLED);
	meeting(f, "Voorbij", NULL, NOW - 10 * 86400, MEETING_CLOSED);
	meeting(f, "Werktafel maart", NULL, NOW + 55 * 86400, MEETING_PLANNED);
	struct wt_agenda_item it = { .network = "noord", .meeting_id = id,
				     .title = "Scholing\nnieuwe collega's", .proposer = "@anna:demo.test",
				     .created_at = NOW };
	assert_int_equal(agenda_create(f->db, &it), 0);
	int pos;
	assert_int_equal(agenda_accept(f->db, &it, &pos), 0);

	int n = -1;
	char *ics = ics_meetings_dup(f->db, &net, NOW, &n);
	assert_non_null(ics);
	assert_int_equal(n, 2);
	assert_non_null(strstr(ics, "BEGIN:VCALENDAR\r\n"));
	icalcomponent *cal = icalparser_parse_string(ics);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_errors(cal), 0);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 2);
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_summary(ev), "Werktafel; februari, met \"koffie\"");
	assert_string_equal(icalcomponent_get_location(ev), "Zaal 2, Stadhuis");
	assert_non_null(strstr(icalcomponent_get_description(ev), "1. Scholing"));
	struct icaltimetype s = icalcomponent_get_dtstart(ev);
	assert_true(icaltime_is_utc(s));
	assert_int_equal(icaltime_as_timet(s), NOW + 27 * 86400);
	assert_int_equal(icaltime_as_timet(icalcomponent_get_dtend(ev)), NOW + 27 * 86400 + 90 * 60);
	assert_non_null(icalcomponent_get_uid(ev));
	ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_summary(ev), "Werktafel maart");
	assert_string_not_equal(icalcomponent_get_uid(ev),
				icalcomponent_get_uid(icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT)));
	icalcomponent_free(cal);
	free(ics);
}

/* The SEQUENCE of the first event of a fresh export at now. */
static int first_sequence(struct fx *f, time_t now, char **url)
{
	int n = -1;
	char *ics = ics_meetings_dup(f->db, &net, now, &n);
	icalcomponent *cal = icalparser_parse_string(ics);
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	int seq = icalcomponent_get_sequence(ev);
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
	*url = p ? strdup(icalproperty_get_url(p)) : NULL;
	icalcomponent_free(cal);
	free(ics);
	return seq;
}

/* SEQUENCE counts the changes a calendar must take (0 at first, the same
 * in a later export without a change, one more per move), and a video
 * link in the place is the event's URL. */
static void test_sequence_counts_changes(void **state)
{
	struct fx *f = *state;
	long long id = meeting(f, "Werktafel", "Online via https://video.demo.test/werktafel?x=1 (code 12)",
			       NOW + 27 * 86400, MEETING_PLANNED);
	char *url = NULL;
	assert_int_equal(first_sequence(f, NOW, &url), 0);
	assert_string_equal(url, "https://video.demo.test/werktafel?x=1");
	free(url);
	assert_int_equal(first_sequence(f, NOW + 3600, &url), 0);
	free(url);
	assert_int_equal(meeting_set_start(f->db, id, NOW + 28 * 86400), 0);
	assert_int_equal(first_sequence(f, NOW + 7200, &url), 1);
	free(url);
	/* Opening it changes nothing a calendar shows. */
	assert_int_equal(meeting_set_state(f->db, id, MEETING_OPEN, NOW), 0);
	assert_int_equal(meeting_set_state(f->db, id, MEETING_PLANNED, NOW), 0);
	assert_int_equal(meeting_set_start(f->db, id, NOW + 29 * 86400), 0);
	assert_int_equal(first_sequence(f, NOW + 9000, &url), 2);
	free(url);
}

static void test_reply_is_a_file(void **state)
{
	struct fx *f = *state;
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net, .sender = "@anna:demo.test",
			      .room = "!noord:demo.test", .now = NOW, .lang = LANG_NL, .out = &out };
	assert_int_equal(ics_reply(&ctx), WT_OK);
	assert_int_equal(out.n, 1);
	assert_non_null(strstr(out.v[0].markdown, "geen komende vergaderingen"));
	wt_replies_free(&out);
	meeting(f, "Werktafel", NULL, NOW + 86400, MEETING_PLANNED);
	assert_int_equal(ics_reply(&ctx), WT_OK);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.v[1].kind, REPLY_FILE);
	assert_string_equal(out.v[1].filename, "werktafel-noord.ics");
	icalcomponent *cal = icalparser_parse_string(out.v[1].markdown);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 1);
	icalcomponent_free(cal);
	wt_replies_free(&out);
}

/* Both commands that export the calendar give the same file. */
static void test_both_commands(void **state)
{
	struct fx *f = *state;
	meeting(f, "Werktafel", NULL, NOW + 86400, MEETING_PLANNED);
	const char *cmds[] = { "!agenda ics", "!vergadering ics", "!meeting ics" };
	for (size_t i = 0; i < 3; i++) {
		struct wt_replies out = { 0 };
		struct wt_ctx ctx = { .db = f->db, .net = &net, .sender = "@anna:demo.test",
				      .room = "!noord:demo.test", .now = NOW, .lang = LANG_NL, .out = &out };
		assert_int_equal(wt_dispatch(&ctx, cmds[i]), WT_OK);
		assert_int_equal(out.n, 2);
		assert_int_equal(out.v[1].kind, REPLY_FILE);
		icalcomponent *cal = icalparser_parse_string(out.v[1].markdown);
		assert_non_null(cal);
		assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 1);
		icalcomponent_free(cal);
		wt_replies_free(&out);
	}
	/* Extra words are refused. */
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net, .sender = "@anna:demo.test",
			      .room = "!noord:demo.test", .now = NOW, .lang = LANG_NL, .out = &out };
	assert_true(wt_dispatch(&ctx, "!agenda ics morgen") < 0);
	assert_true(out.v[0].is_error);
	wt_replies_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_meetings_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sequence_counts_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_is_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_both_commands, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
