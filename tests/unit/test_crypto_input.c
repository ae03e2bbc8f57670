/* The end-to-end encryption library (bot/crypto.h) against bad input and
 * its attachments: every function given NULL, malformed JSON, JSON of the
 * wrong shape and huge input fails with a message and never crashes; an
 * attachment decrypts to the same bytes and a flipped byte, a wrong hash
 * or a wrong key is refused. The round trip between two devices:
 * test_crypto.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/crypto.h"

#define ROOM "!kamer:example.test"
#define HUGE_LEN (33u * 1024 * 1024) /* above the library's 32 MiB bound */

struct fx {
	char tmp[256];
	struct wtc *c;
	char *huge;   /* HUGE_LEN bytes of '[' (malformed and too large) */
	char *deep;   /* 100,000 '[' : small but nested past any parser bound */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->tmp, sizeof f->tmp, "/tmp/wt-crypto-in-XXXXXX");
	if (!mkdtemp(f->tmp))
		return -1;
	char dir[300];
	snprintf(dir, sizeof dir, "%s/store", f->tmp);
	int created = 0;
	f->c = wtc_open(dir, "@anouk:example.test", "ANOUKDEV", "", &created);
	if (!f->c || created != 1)
		return -1;
	f->huge = malloc(HUGE_LEN + 1);
	memset(f->huge, '[', HUGE_LEN);
	f->huge[HUGE_LEN] = 0;
	f->deep = malloc(100001);
	memset(f->deep, '[', 100000);
	f->deep[100000] = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	wtc_close(f->c);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->tmp);
	int rc = system(cmd);
	free(f->huge);
	free(f->deep);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* A char * call failed: NULL and a message. */
#define FAILS(call)                                                          \
	do {                                                                 \
		void *r_ = (void *)(call);                                   \
		if (r_)                                                      \
			fail_msg("%s did not fail", #call);                  \
		if (!*wtc_last_error())                                      \
			fail_msg("%s failed without a message", #call);      \
	} while (0)

/* An int call failed: negative and a message. */
#define FAILS_INT(call)                                                      \
	do {                                                                 \
		int r_ = (call);                                             \
		if (r_ >= 0)                                                 \
			fail_msg("%s returned %d", #call, r_);               \
		if (!*wtc_last_error())                                      \
			fail_msg("%s failed without a message", #call);      \
	} while (0)

/* The bad JSON texts every JSON argument is tried with. */
static const char *bad_json(struct fx *f, int i)
{
	static const char *const small[] = {
		"{", "", "nul", "{\"a\":}", "[1,2", "\"\\ud800", "{\"a\":1}}", "\xff\xfe",
	};
	size_t n = sizeof small / sizeof small[0];
	if ((size_t)i < n)
		return small[i];
	if ((size_t)i == n)
		return f->huge;
	if ((size_t)i == n + 1)
		return f->deep;
	return NULL;
}

/* Every function with a NULL handle or NULL strings. */
static void test_nulls(void **state)
{
	struct fx *f = *state;
	int created = 7;
	assert_null(wtc_open(NULL, "@a:example.test", "D", NULL, &created));
	assert_int_equal(created, 0);
	assert_true(*wtc_last_error());
	FAILS(wtc_open("/tmp/x", NULL, "D", NULL, NULL));
	FAILS(wtc_open("/tmp/x", "@a:example.test", NULL, NULL, NULL));
	FAILS(wtc_open("", "@a:example.test", "D", NULL, NULL));
	FAILS(wtc_open("/tmp/x", "geen-gebruiker", "D", NULL, NULL));
	FAILS(wtc_open("/tmp/x", "@a:example.test", "", NULL, NULL));
	FAILS(wtc_open("/proc/geen/map", "@a:example.test", "D", NULL, NULL));
	FAILS(wtc_identity(NULL));
	FAILS(wtc_receive_sync(NULL, "{}"));
	FAILS(wtc_receive_sync(f->c, NULL));
	FAILS_INT(wtc_update_tracked_users(NULL, "[]"));
	FAILS_INT(wtc_update_tracked_users(f->c, NULL));
	FAILS(wtc_outgoing_requests(NULL));
	FAILS_INT(wtc_mark_sent(NULL, "id", "keys_upload", "{}"));
	FAILS_INT(wtc_mark_sent(f->c, NULL, "keys_upload", "{}"));
	FAILS_INT(wtc_mark_sent(f->c, "id", NULL, "{}"));
	FAILS_INT(wtc_mark_sent(f->c, "id", "keys_upload", NULL));
	FAILS(wtc_prepare_room(NULL, ROOM, "[]", "{}"));
	FAILS(wtc_prepare_room(f->c, NULL, "[]", "{}"));
	FAILS(wtc_prepare_room(f->c, ROOM, NULL, "{}"));
	FAILS(wtc_prepare_room(f->c, ROOM, "[]", NULL));
	FAILS(wtc_encrypt(NULL, ROOM, "m.room.message", "{}"));
	FAILS(wtc_encrypt(f->c, NULL, "m.room.message", "{}"));
	FAILS(wtc_encrypt(f->c, ROOM, NULL, "{}"));
	FAILS(wtc_encrypt(f->c, ROOM, "m.room.message", NULL));
	FAILS(wtc_decrypt(NULL, ROOM, "{}"));
	FAILS(wtc_decrypt(f->c, NULL, "{}"));
	FAILS(wtc_decrypt(f->c, ROOM, NULL));
	FAILS(wtc_cross_signing_status(NULL));
	FAILS(wtc_bootstrap_cross_signing(NULL));
	unsigned char *out = (unsigned char *)"x";
	size_t len = 5;
	FAILS(wtc_encrypt_attachment(NULL, 4, &out));
	assert_null(out);
	FAILS(wtc_encrypt_attachment((const unsigned char *)"abcd", 4, NULL));
	FAILS_INT(wtc_decrypt_attachment(NULL, 4, "{}", &out, &len));
	assert_null(out);
	assert_int_equal(len, 0);
	FAILS_INT(wtc_decrypt_attachment((const unsigned char *)"abcd", 4, NULL, &out, &len));
	FAILS_INT(wtc_decrypt_attachment((const unsigned char *)"abcd", 4, "{}", NULL, &len));
	FAILS_INT(wtc_decrypt_attachment((const unsigned char *)"abcd", 4, "{}", &out, NULL));
	wtc_close(NULL);
	wtc_free(NULL);
	/* After all that the handle still works. */
	char *id = wtc_identity(f->c);
	assert_non_null(id);
	assert_string_equal(wtc_last_error(), "");
	wtc_free(id);
}

/* Every JSON argument given each malformed text (and the huge one). */
static void test_malformed(void **state)
{
	struct fx *f = *state;
	const char *bad;
	for (int i = 0; (bad = bad_json(f, i)); i++) {
		FAILS(wtc_receive_sync(f->c, bad));
		FAILS_INT(wtc_update_tracked_users(f->c, bad));
		FAILS_INT(wtc_mark_sent(f->c, "req1", "keys_upload", bad));
		FAILS_INT(wtc_mark_sent(f->c, "req1", "to_device", bad));
		FAILS(wtc_prepare_room(f->c, ROOM, bad, "{}"));
		FAILS(wtc_prepare_room(f->c, ROOM, "[]", bad));
		FAILS(wtc_encrypt(f->c, ROOM, "m.room.message", bad));
		FAILS(wtc_decrypt(f->c, ROOM, bad));
		unsigned char *out;
		size_t len;
		FAILS_INT(wtc_decrypt_attachment((const unsigned char *)"abcd", 4, bad, &out, &len));
	}
	/* Huge strings where an id goes. */
	FAILS(wtc_prepare_room(f->c, f->huge, "[]", "{}"));
	FAILS(wtc_encrypt(f->c, ROOM, f->huge, "{}"));
	FAILS_INT(wtc_mark_sent(f->c, f->huge, "keys_upload", "{}"));
	assert_non_null(strstr(wtc_last_error(), "too large"));
	/* A huge attachment length is refused before a byte is read. */
	unsigned char *out;
	size_t len;
	FAILS(wtc_encrypt_attachment((const unsigned char *)"x", SIZE_MAX, &out));
	FAILS_INT(wtc_decrypt_attachment((const unsigned char *)"x", SIZE_MAX, "{}", &out, &len));
}

/* Valid JSON of the wrong shape: refused with a message, nothing changed. */
static void test_wrong_shapes(void **state)
{
	struct fx *f = *state;
	FAILS(wtc_receive_sync(f->c, "[]"));
	FAILS(wtc_receive_sync(f->c, "{\"to_device\":{\"events\":{}}}"));
	FAILS(wtc_receive_sync(f->c, "{\"to_device\":{\"events\":[1]}}"));
	FAILS(wtc_receive_sync(f->c, "{\"device_lists\":{\"changed\":[\"geen-id\"]}}"));
	FAILS(wtc_receive_sync(f->c, "{\"device_one_time_keys_count\":{\"signed_curve25519\":-1}}"));
	FAILS(wtc_receive_sync(f->c, "{\"next_batch\":5}"));
	FAILS_INT(wtc_update_tracked_users(f->c, "{}"));
	FAILS_INT(wtc_update_tracked_users(f->c, "[\"geen-id\"]"));
	FAILS_INT(wtc_update_tracked_users(f->c, "[5]"));
	FAILS_INT(wtc_mark_sent(f->c, "req1", "onbekend", "{}"));
	FAILS_INT(wtc_mark_sent(f->c, "", "keys_upload", "{}"));
	FAILS_INT(wtc_mark_sent(f->c, "req1", "keys_upload", "[]"));
	FAILS_INT(wtc_mark_sent(f->c, "req1", "keys_upload", "{}")); /* no counts */
	FAILS_INT(wtc_mark_sent(f->c, "req1", "keys_claim", "{\"one_time_keys\":5}"));
	FAILS(wtc_prepare_room(f->c, "geen-kamer", "[]", "{}"));
	FAILS(wtc_prepare_room(f->c, ROOM, "{}", "{}"));
	FAILS(wtc_prepare_room(f->c, ROOM, "[\"x\"]", "{}"));
	FAILS(wtc_prepare_room(f->c, ROOM, "[]", "[]"));
	FAILS(wtc_prepare_room(f->c, ROOM, "[]", "{\"algorithm\":\"m.olm.v1.curve25519-aes-sha2\"}"));
	assert_non_null(strstr(wtc_last_error(), "not supported"));
	FAILS(wtc_prepare_room(f->c, ROOM, "[]", "{\"history_visibility\":\"iedereen\"}"));
	FAILS(wtc_prepare_room(f->c, ROOM, "[]", "{\"rotation_period_ms\":-5}"));
	FAILS(wtc_prepare_room(f->c, ROOM, "[]", "{\"rotation_period_msgs\":\"veel\"}"));
	FAILS(wtc_encrypt(f->c, ROOM, "m.room.message", "[]"));
	FAILS(wtc_encrypt(f->c, ROOM, "", "{}"));
	FAILS(wtc_encrypt(f->c, "geen-kamer", "m.room.message", "{}"));
	FAILS(wtc_decrypt(f->c, ROOM, "[]"));
	FAILS(wtc_decrypt(f->c, "geen-kamer", "{}"));
	/* An event that is no encrypted event: ok false, not a crash. */
	const char *not_enc[] = {
		"{}",
		"{\"type\":\"m.room.encrypted\",\"content\":{}}",
		"{\"type\":\"m.room.encrypted\",\"event_id\":\"$e\",\"sender\":\"@b:example.test\","
		"\"origin_server_ts\":1,\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\","
		"\"ciphertext\":\"AAAA\",\"session_id\":\"s\",\"sender_key\":\"k\",\"device_id\":\"D\"}}",
	};
	for (size_t i = 0; i < sizeof not_enc / sizeof not_enc[0]; i++) {
		char *r = wtc_decrypt(f->c, ROOM, not_enc[i]);
		if (!r) {
			assert_true(*wtc_last_error());
			continue;
		}
		json_t *j = json_loads(r, 0, NULL);
		wtc_free(r);
		assert_true(json_is_false(json_object_get(j, "ok")));
		assert_true(json_string_length(json_object_get(j, "message")) > 0);
		json_decref(j);
	}
	/* Still usable. */
	char *reqs = wtc_outgoing_requests(f->c);
	assert_non_null(reqs);
	wtc_free(reqs);
}

/* Encrypt, decrypt to the same bytes; a flipped byte, a wrong hash and a
 * wrong key are refused with a message and hand out nothing. */
static void test_attachment(void **state)
{
	(void)state;
	size_t n = 100000;
	unsigned char *data = malloc(n);
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + i / 256);
	unsigned char *cipher = NULL;
	char *info = wtc_encrypt_attachment(data, n, &cipher);
	if (!info)
		fail_msg("wtc_encrypt_attachment: %s", wtc_last_error());
	assert_non_null(cipher);
	assert_memory_not_equal(cipher, data, 64);
	json_t *j = json_loads(info, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "v")), "v2");
	assert_non_null(json_object_get(json_object_get(j, "key"), "k"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "key"), "alg")), "A256CTR");
	assert_non_null(json_object_get(j, "iv"));
	assert_non_null(json_object_get(json_object_get(j, "hashes"), "sha256"));
	assert_null(json_object_get(j, "url"));

	/* With "url" added, as the caller sends it. */
	json_object_set_new(j, "url", json_string("mxc://example.test/bestand"));
	char *with_url = json_dumps(j, 0);
	unsigned char *plain = NULL;
	size_t plen = 0;
	if (wtc_decrypt_attachment(cipher, n, with_url, &plain, &plen) < 0)
		fail_msg("wtc_decrypt_attachment: %s", wtc_last_error());
	assert_int_equal(plen, n);
	assert_memory_equal(plain, data, n);
	wtc_free(plain);

	/* A flipped byte. */
	cipher[n / 2] ^= 0x01;
	plain = (unsigned char *)"x";
	FAILS_INT(wtc_decrypt_attachment(cipher, n, with_url, &plain, &plen));
	assert_non_null(strstr(wtc_last_error(), "hash"));
	assert_null(plain);
	assert_int_equal(plen, 0);
	cipher[n / 2] ^= 0x01;
	/* A cut-off file. */
	FAILS_INT(wtc_decrypt_attachment(cipher, n - 1, with_url, &plain, &plen));

	/* A wrong hash. */
	json_t *bad = json_deep_copy(j);
	json_object_set_new(json_object_get(bad, "hashes"), "sha256",
			    json_string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	char *bad_text = json_dumps(bad, 0);
	FAILS_INT(wtc_decrypt_attachment(cipher, n, bad_text, &plain, &plen));
	free(bad_text);
	/* No sha256 hash at all. */
	json_object_set_new(bad, "hashes", json_object());
	bad_text = json_dumps(bad, 0);
	FAILS_INT(wtc_decrypt_attachment(cipher, n, bad_text, &plain, &plen));
	free(bad_text);
	json_decref(bad);
	/* Another file's key (and hash) on these bytes. */
	unsigned char *cipher2 = NULL;
	char *info2 = wtc_encrypt_attachment(data, n, &cipher2);
	assert_non_null(info2);
	FAILS_INT(wtc_decrypt_attachment(cipher, n, info2, &plain, &plen));
	/* A version we do not know, and a key that is no key. */
	FAILS_INT(wtc_decrypt_attachment(cipher, n, "{\"v\":\"v1\"}", &plain, &plen));
	FAILS_INT(wtc_decrypt_attachment(cipher, n, "{\"v\":\"v2\",\"key\":{\"k\":\"!\"},\"iv\":\"x\",\"hashes\":{}}", &plain, &plen));

	/* The empty file round-trips too. */
	unsigned char *c0 = NULL;
	char *i0 = wtc_encrypt_attachment(NULL, 0, &c0);
	assert_non_null(i0);
	assert_int_equal(wtc_decrypt_attachment(c0, 0, i0, &plain, &plen), 0);
	assert_int_equal(plen, 0);
	wtc_free(plain);
	wtc_free(c0);
	wtc_free(i0);

	wtc_free(info2);
	wtc_free(cipher2);
	free(with_url);
	json_decref(j);
	wtc_free(info);
	wtc_free(cipher);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_shapes, setup, teardown),
		cmocka_unit_test(test_attachment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
