/* The outbox's state rows (the board's widget, handlers/board.h): sent
 * with PUT .../state/{type}/{key}, as they are (no outbox id in the
 * content); an unknown outcome is simply sent again (no look-up in the
 * timeline); M_FORBIDDEN fails the row and posts its refusal note in the
 * room; another refusal posts nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/http.h"
#include "bot/matrix.h"
#include "bot/outbox.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"

#define ROOM "!a:demo.test"
#define STATE_PATH "/rooms/%21a%3Ademo.test/state/im.vector.modular.widgets/org.werktafel.board"
#define NOTE "{\"msgtype\":\"m.notice\",\"body\":\"no power\"}"

static long long state_row(sqlite3 *db, const char *content, const char *note)
{
	long long id;
	assert_int_equal(outbox_enqueue(db, ROOM, NULL, "im.vector.modular.widgets",
					content, 1, &id), 0);
	assert_int_equal(outbox_set_state(db, id, "org.werktafel.board", note), 0);
	return id;
}

static void test_state_sent(void **state)
{
	sqlite3 *db = *state;
	state_row(db, "{\"type\":\"m.custom\"}", NOTE);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	struct fake *f = live_with(STATE_PATH);
	assert_non_null(f);
	assert_string_equal(f->method, "PUT");
	assert_string_equal(f->body, "{\"type\":\"m.custom\"}");
	/* A 500: sent again as it is, without reading the timeline. */
	answer(f, 500, "{}");
	spin(&s.loop, 30);
	assert_null(live_with("/messages"));
	f = live_with(STATE_PATH);
	assert_non_null(f);
	answer(f, 200, "{\"event_id\":\"$w1\"}");
	assert_int_equal(rows(db, "1"), 0);
	assert_int_equal(nlive(), 0);
	sender_stop(&s);
}

static void test_state_forbidden(void **state)
{
	sqlite3 *db = *state;
	state_row(db, "{}", NOTE);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	answer(live_with(STATE_PATH), 403,
	       "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You don't have permission\"}");
	assert_int_equal(rows(db, "failed_at IS NOT NULL AND state_key IS NOT NULL"), 1);
	/* The note goes to the room as a message of its own. */
	struct fake *f = live_with("/rooms/%21a%3Ademo.test/send/m.room.message/");
	assert_non_null(f);
	assert_non_null(strstr(f->body, "\"body\":\"no power\""));
	answer(f, 200, "{\"event_id\":\"$n1\"}");
	assert_int_equal(rows(db, "failed_at IS NULL"), 0);
	sender_stop(&s);
}

static void test_state_other_refusal(void **state)
{
	sqlite3 *db = *state;
	state_row(db, "{}", NOTE);
	state_row(db, "{}", NULL);
	struct sender s;
	sender_start(&s, db, "secret");
	outbox_flush(s.f);
	/* Another refusal than M_FORBIDDEN: only the log hears it. */
	answer(live_with(STATE_PATH), 400, "{\"errcode\":\"M_BAD_JSON\"}");
	/* M_FORBIDDEN without a note: nothing posted either. */
	answer(live_with(STATE_PATH), 403, "{\"errcode\":\"M_FORBIDDEN\"}");
	assert_int_equal(rows(db, "failed_at IS NOT NULL"), 2);
	assert_int_equal(rows(db, "1"), 2);
	assert_int_equal(nlive(), 0);
	sender_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_state_sent, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_state_forbidden, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_state_other_refusal, fx_db_setup, fx_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
