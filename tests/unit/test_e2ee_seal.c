/* The outbox's seal hook (bot/e2ee_send.c) without a crypto machine
 * ([crypto] enabled = no) against a fake HTTP layer: a room whose
 * encryption is not known is looked at before its first send; an
 * unencrypted room gets its rows as they are; an encrypted one gets
 * nothing, ever, in plaintext, and its later rows do not overtake the
 * held one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/e2ee.h"
#include "bot/http.h"
#include "bot/matrix.h"
#include "bot/outbox.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "storage/room_crypto.h"
#include "tests/unit/fake_http.h"
#include "tests/unit/fixture.h"

#define PLAIN "!plain:demo.test"
#define SECRET "!secret:demo.test"

static struct e2ee *start(struct sender *s, sqlite3 *db)
{
	sender_start(s, db, "secret");
	s->cfg.crypto_off = 1;
	s->m.device_id = strdup("WTDEVICE");
	struct e2ee *e;
	assert_int_equal(e2ee_open(&s->m, ":memory:", &e), 0);
	assert_false(e2ee_active(e));
	outbox_set_seal_hook(s->f, e2ee_seal, e);
	return e;
}

/* Any live request that is a PUT into room (URL-encoded part). */
static int puts_into(const char *room_part)
{
	int n = 0;
	for (int i = 0; i < nfakes; i++)
		n += strcmp(fakes[i].method, "PUT") == 0 && strstr(fakes[i].url, room_part);
	return n;
}

static void test_unknown_then_plain(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	struct e2ee *e = start(&s, db);
	long long id;
	outbox_enqueue(db, PLAIN, NULL, "m.room.message", "{\"body\":\"a\"}", 1, &id);
	char *txn = txn_of(db, id);
	outbox_flush(s.f);
	/* First a look at the room's encryption, no send yet. */
	struct fake *look = live_with("/state/m.room.encryption");
	assert_non_null(look);
	assert_string_equal(look->method, "GET");
	assert_int_equal(puts_into("%21plain"), 0);
	answer(look, 404, "{\"errcode\":\"M_NOT_FOUND\"}");
	assert_int_equal(room_crypto_get(db, PLAIN, NULL, NULL), ROOM_ENC_OFF);
	struct fake *put = live_with("/send/m.room.message/");
	assert_non_null(put);
	assert_non_null(strstr(put->body, "\"body\":\"a\""));
	assert_non_null(strstr(put->url, txn));  /* the row as it was */
	free(txn);
	answer(put, 200, "{\"event_id\":\"$a\"}");
	/* Known now: the next row goes without a look. */
	outbox_enqueue(db, PLAIN, NULL, "m.room.message", "{\"body\":\"b\"}", 2, NULL);
	outbox_flush(s.f);
	assert_null(live_with("/state/"));
	assert_non_null(live_with("/send/m.room.message/"));
	sender_stop(&s);
	e2ee_free(e);
}

static void test_encrypted_never_plain(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	struct e2ee *e = start(&s, db);
	outbox_enqueue(db, SECRET, NULL, "m.room.message", "{\"body\":\"one\"}", 1, NULL);
	outbox_enqueue(db, SECRET, NULL, "m.room.message", "{\"body\":\"two\"}", 1, NULL);
	outbox_flush(s.f);
	answer(live_with("/state/m.room.encryption"), 200,
	       "{\"algorithm\":\"m.megolm.v1.aes-sha2\"}");
	assert_int_equal(room_crypto_get(db, SECRET, NULL, NULL), ROOM_ENC_ON);
	/* Held, and asked again after a wait: still nothing goes out. */
	spin(&s.loop, 60);
	outbox_flush(s.f);
	assert_int_equal(puts_into("%21secret"), 0);
	assert_int_equal(nlive(), 0);
	assert_int_equal(rows(db, "room_id = '" SECRET "'"), 2);
	/* A plain room beside it is not held up. */
	room_crypto_set(db, PLAIN, NULL);
	outbox_enqueue(db, PLAIN, NULL, "m.room.message", "{\"body\":\"p\"}", 2, NULL);
	outbox_flush(s.f);
	assert_int_equal(puts_into("%21plain"), 1);
	sender_stop(&s);
	e2ee_free(e);
}

/* The look fails (not in the room, a 403): the row waits, nothing sent. */
static void test_look_refused_waits(void **state)
{
	sqlite3 *db = *state;
	struct sender s;
	struct e2ee *e = start(&s, db);
	outbox_enqueue(db, SECRET, NULL, "m.room.message", "{\"body\":\"x\"}", 1, NULL);
	outbox_flush(s.f);
	answer(live_with("/state/m.room.encryption"), 403, "{\"errcode\":\"M_FORBIDDEN\"}");
	assert_int_equal(room_crypto_get(db, SECRET, NULL, NULL), ROOM_ENC_UNKNOWN);
	assert_int_equal(puts_into("%21secret"), 0);
	spin(&s.loop, 40);
	/* Asked again after the wait. */
	assert_non_null(live_with("/state/m.room.encryption"));
	sender_stop(&s);
	e2ee_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown_then_plain, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_never_plain, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_look_refused_waits, fx_db_setup, fx_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
