/* The sync's part for the crypto machine (bot/e2ee.c) is given to it only
 * when it holds something new: to-device events, device-list changes, or
 * other one-time or fallback key counts than last time. The machine copies
 * its whole account on every call (bench-profile: half of the bot's
 * instructions per command), so a sync that only carries room messages
 * must not reach it. Against the real machine (matrix-sdk-crypto) and a
 * fake HTTP layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/e2ee.h"
#include "bot/e2ee_int.h"
#include "bot/http.h"
#include "bot/matrix.h"
#include "bot/outbox.h"
#include "storage/db.h"
#include "tests/unit/fake_http.h"

static char dir[] = "/tmp/wt-e2ee-sync-XXXXXX";

static void feed(struct e2ee *e, const char *json)
{
	json_error_t err;
	json_t *resp = json_loads(json, 0, &err);
	assert_non_null(resp);
	e2ee_decrypt_sync(e, resp);
	json_decref(resp);
}

/* A fresh database, the fake HTTP layer and the real crypto machine in
 * dir; 0 when the build has no crypto library (all closed again). */
static int open_machine(struct sender *s, sqlite3 **db, struct e2ee **e)
{
	strcpy(dir, "/tmp/wt-e2ee-sync-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/werktafel.db", dir);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(path, db, &err), 0);
	sb_release(&err);
	sender_start(s, *db, "secret");
	s->m.device_id = strdup("WTDEVICE");
	assert_int_equal(e2ee_open(&s->m, path, e), 0);
	if (e2ee_active(*e))
		return 1;
	e2ee_free(*e);
	sender_stop(s);
	db_close(*db);
	return 0;
}

static void close_machine(struct sender *s, sqlite3 *db, struct e2ee *e)
{
	e2ee_free(e);
	sender_stop(s);
	db_close(db);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_only_news_reach_the_machine(void **state)
{
	(void)state;
	sqlite3 *db;
	struct sender s;
	struct e2ee *e;
	if (!open_machine(&s, &db, &e))
		skip();  /* a build without the crypto library: nothing to count */
	const char *room = "\"rooms\":{\"join\":{\"!r:demo.test\":{\"timeline\":{"
			   "\"events\":[{\"type\":\"m.room.message\",\"event_id\":\"$m\","
			   "\"sender\":\"@anna:demo.test\",\"content\":{\"body\":\"!hulp\"}}]}}}}";
	char buf[1024];
	/* The first sync: its counts are news. */
	snprintf(buf, sizeof buf, "{\"next_batch\":\"s1\",\"device_one_time_keys_count\":"
		 "{\"signed_curve25519\":50},%s}", room);
	feed(e, buf);
	assert_int_equal(e->syncs_taken, 1);
	/* The same counts, another token, a message: not given. */
	snprintf(buf, sizeof buf, "{\"next_batch\":\"s2\",\"device_one_time_keys_count\":"
		 "{\"signed_curve25519\":50},%s}", room);
	feed(e, buf);
	feed(e, buf);
	assert_int_equal(e->syncs_taken, 1);
	/* A key was claimed: the count changed. */
	feed(e, "{\"next_batch\":\"s3\",\"device_one_time_keys_count\":"
		"{\"signed_curve25519\":49}}");
	assert_int_equal(e->syncs_taken, 2);
	/* A fallback key count appears. */
	feed(e, "{\"next_batch\":\"s4\",\"device_one_time_keys_count\":"
		"{\"signed_curve25519\":49},\"device_unused_fallback_key_types\":"
		"[\"signed_curve25519\"]}");
	assert_int_equal(e->syncs_taken, 3);
	/* A to-device event, with counts as before. */
	feed(e, "{\"next_batch\":\"s5\",\"device_one_time_keys_count\":"
		"{\"signed_curve25519\":49},\"device_unused_fallback_key_types\":"
		"[\"signed_curve25519\"],\"to_device\":{\"events\":[{\"type\":"
		"\"m.dummy\",\"sender\":\"@anna:demo.test\",\"content\":{}}]}}");
	assert_int_equal(e->syncs_taken, 4);
	/* A device list changed. */
	feed(e, "{\"next_batch\":\"s6\",\"device_one_time_keys_count\":"
		"{\"signed_curve25519\":49},\"device_unused_fallback_key_types\":"
		"[\"signed_curve25519\"],\"device_lists\":{\"changed\":[\"@anna:demo.test\"]}}");
	assert_int_equal(e->syncs_taken, 5);
	/* After a to-device sync the same counts are given again once. */
	feed(e, "{\"next_batch\":\"s7\",\"device_one_time_keys_count\":"
		"{\"signed_curve25519\":49},\"device_unused_fallback_key_types\":"
		"[\"signed_curve25519\"]}");
	assert_int_equal(e->syncs_taken, 6);
	feed(e, "{\"next_batch\":\"s8\",\"device_one_time_keys_count\":"
		"{\"signed_curve25519\":49},\"device_unused_fallback_key_types\":"
		"[\"signed_curve25519\"]}");
	assert_int_equal(e->syncs_taken, 6);
	assert_int_equal(e->to_device_lost, 0);
	close_machine(&s, db, e);
}

/* An encrypted to-device message the machine cannot read (here: not sealed
 * for the bot's device at all) is counted and logged with its sender: a
 * room key lost that way is why an event waits for its key forever. */
static void test_unreadable_to_device_is_told(void **state)
{
	(void)state;
	sqlite3 *db;
	struct sender s;
	struct e2ee *e;
	if (!open_machine(&s, &db, &e))
		skip();
	feed(e, "{\"next_batch\":\"s1\",\"to_device\":{\"events\":[{\"type\":"
		"\"m.room.encrypted\",\"sender\":\"@bram:demo.test\",\"content\":{"
		"\"algorithm\":\"m.olm.v1.curve25519-aes-sha2\",\"sender_key\":"
		"\"3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI\",\"ciphertext\":{"
		"\"Q0h7gT7Aqw0pVf3ArV0bQ0w8gAbH1wYQ6tqvPCcTvT4\":{\"type\":0,"
		"\"body\":\"AwoganVuaw\"}}}}]}}");
	assert_int_equal(e->syncs_taken, 1);
	assert_int_equal(e->to_device_lost, 1);
	/* A plain to-device event is no loss. */
	feed(e, "{\"next_batch\":\"s2\",\"to_device\":{\"events\":[{\"type\":"
		"\"m.dummy\",\"sender\":\"@anna:demo.test\",\"content\":{}}]}}");
	assert_int_equal(e->to_device_lost, 1);
	close_machine(&s, db, e);
}

/* Answer every live request of the machine the way a homeserver would,
 * until it asks nothing more. */
static void drain(struct sender *s)
{
	for (int round = 0; round < 20; round++) {
		int any = 0;
		for (int i = 0; i < nfakes; i++) {
			struct fake *f = &fakes[i];
			if (!f->live)
				continue;
			any = 1;
			if (strstr(f->url, "/keys/upload")) {
				answer(f, 200, "{\"one_time_key_counts\":{\"signed_curve25519\":50}}");
				continue;
			}
			/* A keys query: every user asked for, without devices. */
			json_t *q = json_loads(f->body ? f->body : "{}", 0, NULL);
			json_t *users = json_object();
			const char *u;
			json_t *v;
			json_object_foreach(json_object_get(q, "device_keys"), u, v)
				json_object_set_new(users, u, json_object());
			json_t *res = json_pack("{s:o,s:{}}", "device_keys", users, "failures");
			char *text = json_dumps(res, JSON_COMPACT);
			answer(f, 200, text);
			free(text);
			json_decref(res);
			json_decref(q);
		}
		spin(&s->loop, 5);
		if (!any)
			return;
	}
}

/* The machine's thread is asked for its requests after a sync only when
 * the sync (or anything since the last pump) gave it something; a command
 * and the echo of its reply do not wake it. The housekeeping's tick asks
 * all the same. */
static void test_pump_only_after_news(void **state)
{
	(void)state;
	sqlite3 *db;
	struct sender s;
	struct e2ee *e;
	if (!open_machine(&s, &db, &e))
		skip();  /* a build without the crypto library: nothing to count */
	const char *counts = "\"device_one_time_keys_count\":{\"signed_curve25519\":50}";
	char buf[1024];
	snprintf(buf, sizeof buf, "{\"next_batch\":\"s1\",%s}", counts);
	feed(e, buf);
	e2ee_after_sync(e);
	drain(&s);
	/* What came while the first pump was out is asked for after it. */
	e2ee_after_sync(e);
	drain(&s);
	assert_int_equal(e->pump_queued, 0);
	unsigned long pumps = e->pumps;
	assert_true(pumps >= 1);
	/* A command, then the echo of the reply: the same counts, no news. */
	snprintf(buf, sizeof buf, "{\"next_batch\":\"s2\",%s,\"rooms\":{\"join\":"
		 "{\"!r:demo.test\":{\"timeline\":{\"events\":[{\"type\":"
		 "\"m.room.message\",\"event_id\":\"$m\",\"sender\":"
		 "\"@anna:demo.test\",\"content\":{\"body\":\"!hulp\"}}]}}}}}", counts);
	feed(e, buf);
	e2ee_after_sync(e);
	feed(e, buf);
	e2ee_after_sync(e);
	assert_int_equal(e->pumps, pumps);
	/* The housekeeping's tick: asked once more. */
	e2ee_tick(e);
	e2ee_after_sync(e);
	assert_int_equal(e->pumps, pumps + 1);
	drain(&s);
	e2ee_after_sync(e);
	assert_int_equal(e->pumps, pumps + 1);
	/* A device list changed: the machine has a keys query to make. */
	snprintf(buf, sizeof buf, "{\"next_batch\":\"s3\",%s,\"device_lists\":"
		 "{\"changed\":[\"@anna:demo.test\"]}}", counts);
	feed(e, buf);
	e2ee_after_sync(e);
	assert_int_equal(e->pumps, pumps + 2);
	drain(&s);
	close_machine(&s, db, e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_news_reach_the_machine),
		cmocka_unit_test(test_unreadable_to_device_is_told),
		cmocka_unit_test(test_pump_only_after_news),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
