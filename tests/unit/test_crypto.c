/* The end-to-end encryption library (bot/crypto.h, the real Rust library of
 * crypto/ over matrix-sdk-crypto), no network: two devices with their own
 * stores in a temporary directory, and this test playing the homeserver by
 * hand (keys upload, query and claim answered from what the devices
 * uploaded; to-device messages handed to the recipient as a sync's
 * to_device events). A room key goes from one device to the other and a
 * message decrypts to the same content; a message whose key never came is
 * "missing_key"; a reopened store keeps its identity; a store of another
 * device is refused; the store is 0700/0600; cross-signing bootstraps; an
 * open store keeps to one thread of its own.
 * Bad input and attachments: test_crypto_input.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/crypto.h"

#define ROOM "!kamer:example.test"
#define ROOM2 "!andere:example.test"
#define SETTINGS "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"history_visibility\":\"shared\"}"

/* One device as the fake homeserver knows it. */
struct dev {
	const char *user, *device;
	char dir[300];
	struct wtc *c;
	json_t *keys;  /* device_keys as uploaded */
	json_t *otks;  /* key id -> one-time key, unclaimed */
	json_t *inbox; /* to-device events waiting for its next sync */
};

/* The homeserver: its devices and the temporary directory. */
struct hs {
	char tmp[256];
	struct dev d[2];
};

static json_t *parse_owned(char *s)
{
	assert_non_null(s);
	json_error_t e;
	json_t *j = json_loads(s, 0, &e);
	wtc_free(s);
	assert_non_null(j);
	return j;
}

static struct dev *find_dev(struct hs *h, const char *user, const char *device)
{
	for (int i = 0; i < 2; i++)
		if (!strcmp(h->d[i].user, user) && (!device || !strcmp(h->d[i].device, device)))
			return &h->d[i];
	return NULL;
}

static void dev_open(struct dev *d, int want_created)
{
	int created = -1;
	d->c = wtc_open(d->dir, d->user, d->device, NULL, &created);
	if (!d->c)
		fail_msg("wtc_open %s: %s", d->dir, wtc_last_error());
	assert_int_equal(created, want_created);
}

/* keys/upload: keep the device keys and one-time keys. */
static json_t *answer_upload(struct dev *d, json_t *body)
{
	json_t *dk = json_object_get(body, "device_keys");
	if (dk) {
		json_decref(d->keys);
		d->keys = json_incref(dk);
	}
	const char *id;
	json_t *k;
	json_object_foreach(json_object_get(body, "one_time_keys"), id, k)
		json_object_set(d->otks, id, k);
	return json_pack("{s:{s:i}}", "one_time_key_counts", "signed_curve25519",
			 (int)json_object_size(d->otks));
}

/* keys/query: the device keys of each user asked for. */
static json_t *answer_query(struct hs *h, json_t *body)
{
	json_t *out = json_object();
	const char *user;
	json_t *v;
	json_object_foreach(json_object_get(body, "device_keys"), user, v) {
		json_t *devs = json_object();
		for (int i = 0; i < 2; i++)
			if (!strcmp(h->d[i].user, user) && h->d[i].keys)
				json_object_set(devs, h->d[i].device, h->d[i].keys);
		json_object_set_new(out, user, devs);
	}
	return json_pack("{s:o,s:{}}", "device_keys", out, "failures");
}

/* keys/claim: one unclaimed one-time key per device asked for. */
static json_t *answer_claim(struct hs *h, json_t *body)
{
	json_t *out = json_object();
	const char *user, *device;
	json_t *devs, *alg;
	json_object_foreach(json_object_get(body, "one_time_keys"), user, devs) {
		json_t *u = json_object();
		json_object_foreach(devs, device, alg) {
			struct dev *d = find_dev(h, user, device);
			if (!d || !json_object_size(d->otks))
				continue;
			void *it = json_object_iter(d->otks);
			const char *kid = json_object_iter_key(it);
			json_object_set_new(u, device, json_pack("{s:O}", kid, json_object_iter_value(it)));
			json_object_del(d->otks, kid);
		}
		json_object_set_new(out, user, u);
	}
	return json_pack("{s:o,s:{}}", "one_time_keys", out, "failures");
}

/* sendToDevice: each message into its recipient's inbox as a sync event. */
static json_t *answer_to_device(struct hs *h, struct dev *from, json_t *req)
{
	const char *path = json_string_value(json_object_get(req, "path"));
	const char *id = json_string_value(json_object_get(req, "id"));
	/* The path ends with the txn id, the request id. */
	size_t pl = strlen(path), il = strlen(id);
	assert_true(pl > il + 1 && path[pl - il - 1] == '/' && !strcmp(path + pl - il, id));
	const char *type_start = strstr(path, "/sendToDevice/");
	assert_non_null(type_start);
	type_start += strlen("/sendToDevice/");
	char *type = strndup(type_start, (size_t)(path + pl - il - 1 - type_start));
	const char *user, *device;
	json_t *devs, *content;
	json_object_foreach(json_object_get(json_object_get(req, "body"), "messages"), user, devs)
		json_object_foreach(devs, device, content) {
			struct dev *to = find_dev(h, user, !strcmp(device, "*") ? NULL : device);
			if (!to)
				continue;
			/* Our ids have no characters that need encoding in the type. */
			json_array_append_new(to->inbox, json_pack("{s:s,s:s,s:O}", "sender", from->user,
								   "type", type, "content", content));
		}
	free(type);
	return json_object();
}

/* Answer one request of d as a homeserver would and mark it sent. */
static void serve_one(struct hs *h, struct dev *d, json_t *req)
{
	const char *kind = json_string_value(json_object_get(req, "kind"));
	const char *id = json_string_value(json_object_get(req, "id"));
	const char *path = json_string_value(json_object_get(req, "path"));
	json_t *body = json_object_get(req, "body");
	assert_non_null(kind);
	assert_non_null(id);
	assert_non_null(path);
	assert_true(!strncmp(path, "/_matrix/client/v3/", 19));
	json_t *ans = NULL;
	if (!strcmp(kind, "keys_upload"))
		ans = answer_upload(d, body);
	else if (!strcmp(kind, "keys_query"))
		ans = answer_query(h, body);
	else if (!strcmp(kind, "keys_claim"))
		ans = answer_claim(h, body);
	else if (!strcmp(kind, "to_device"))
		ans = answer_to_device(h, d, req);
	else if (!strcmp(kind, "signature_upload"))
		ans = json_pack("{s:{}}", "failures");
	else if (!strcmp(kind, "signing_keys_upload"))
		ans = json_object();
	else
		fail_msg("unexpected request kind %s", kind);
	char *text = json_dumps(ans, 0);
	if (wtc_mark_sent(d->c, id, kind, text) < 0)
		fail_msg("wtc_mark_sent %s: %s", kind, wtc_last_error());
	free(text);
	json_decref(ans);
}

static void serve_all(struct hs *h, struct dev *d, json_t *reqs)
{
	assert_true(json_is_array(reqs));
	size_t i;
	json_t *r;
	json_array_foreach(reqs, i, r)
		serve_one(h, d, r);
}

/* Send d's outgoing requests until it has none left. */
static void pump(struct hs *h, struct dev *d)
{
	for (int round = 0; round < 10; round++) {
		json_t *reqs = parse_owned(wtc_outgoing_requests(d->c));
		size_t n = json_array_size(reqs);
		serve_all(h, d, reqs);
		json_decref(reqs);
		if (!n)
			return;
	}
	fail_msg("outgoing requests never ran out");
}

/* Hand d its inbox as one sync; the answer of wtc_receive_sync. */
static json_t *sync_dev(struct dev *d)
{
	json_t *sync = json_pack("{s:{s:O},s:{s:i}}", "to_device", "events", d->inbox,
				 "device_one_time_keys_count", "signed_curve25519",
				 (int)json_object_size(d->otks));
	char *text = json_dumps(sync, 0);
	json_decref(sync);
	json_array_clear(d->inbox);
	char *out = wtc_receive_sync(d->c, text);
	free(text);
	if (!out)
		fail_msg("wtc_receive_sync: %s", wtc_last_error());
	return parse_owned(out);
}

/* Prepare room on d for members until it returns []; the rounds it took. */
static int prepare(struct hs *h, struct dev *d, const char *room, const char *members)
{
	for (int round = 0; round < 10; round++) {
		char *out = wtc_prepare_room(d->c, room, members, SETTINGS);
		if (!out)
			fail_msg("wtc_prepare_room: %s", wtc_last_error());
		json_t *reqs = parse_owned(out);
		size_t n = json_array_size(reqs);
		serve_all(h, d, reqs);
		json_decref(reqs);
		if (!n)
			return round;
	}
	fail_msg("wtc_prepare_room never returned []");
	return -1;
}

static int setup(void **state)
{
	struct hs *h = calloc(1, sizeof *h);
	snprintf(h->tmp, sizeof h->tmp, "/tmp/wt-crypto-XXXXXX");
	if (!mkdtemp(h->tmp))
		return -1;
	h->d[0].user = "@anouk:example.test", h->d[0].device = "ANOUKDEV";
	h->d[1].user = "@bram:example.test", h->d[1].device = "BRAMDEV";
	char base[sizeof h->tmp];
	memcpy(base, h->tmp, sizeof base);
	for (int i = 0; i < 2; i++) {
		snprintf(h->d[i].dir, sizeof h->d[i].dir, "%s/store%d", base, i);
		h->d[i].otks = json_object();
		h->d[i].inbox = json_array();
	}
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct hs *h = *state;
	char cmd[600];
	for (int i = 0; i < 2; i++) {
		wtc_close(h->d[i].c);
		json_decref(h->d[i].keys);
		json_decref(h->d[i].otks);
		json_decref(h->d[i].inbox);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->tmp);
	if (system(cmd) != 0)
		return -1;
	free(h);
	return 0;
}

/* Both devices open new stores and upload their keys. */
static void start_both(struct hs *h)
{
	for (int i = 0; i < 2; i++) {
		dev_open(&h->d[i], 1);
		pump(h, &h->d[i]);
		assert_non_null(h->d[i].keys);
		assert_true(json_object_size(h->d[i].otks) > 0);
	}
}

/* The event a homeserver would put in A's timeline for B's content. */
static char *timeline_event(const char *sender, const char *room, const char *event_id,
			    const char *encrypted_content)
{
	json_error_t e;
	json_t *content = json_loads(encrypted_content, 0, &e);
	assert_non_null(content);
	json_t *ev = json_pack("{s:s,s:o,s:s,s:s,s:I,s:s,s:{s:i}}", "type", "m.room.encrypted",
			       "content", content, "event_id", event_id, "sender", sender,
			       "origin_server_ts", (json_int_t)1764600000000LL, "room_id", room,
			       "unsigned", "age", 5);
	char *s = json_dumps(ev, 0);
	json_decref(ev);
	return s;
}

/* B shares a room key with A through the fake homeserver; B's message
 * decrypts on A to the same content, and A's sync reported the key. */
static void test_round_trip(void **state)
{
	struct hs *h = *state;
	struct dev *a = &h->d[0], *b = &h->d[1];
	start_both(h);
	int rounds = prepare(h, b, ROOM, "[\"@anouk:example.test\",\"@bram:example.test\"]");
	assert_true(rounds >= 2); /* at least the query or claim, then the share */
	assert_true(json_array_size(a->inbox) >= 1);
	/* A second prepare has nothing to do. */
	char *again = wtc_prepare_room(b->c, ROOM, "[\"@anouk:example.test\",\"@bram:example.test\"]", SETTINGS);
	assert_non_null(again);
	assert_string_equal(again, "[]");
	wtc_free(again);

	json_t *res = sync_dev(a);
	json_t *keys = json_object_get(res, "room_keys");
	assert_int_equal(json_array_size(keys), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(keys, 0), "room_id")), ROOM);
	const char *sid = json_string_value(json_object_get(json_array_get(keys, 0), "session_id"));
	assert_non_null(sid);

	const char *clear = "{\"msgtype\":\"m.text\",\"body\":\"Vergadering om tien uur\"}";
	char *enc = wtc_encrypt(b->c, ROOM, "m.room.message", clear);
	if (!enc)
		fail_msg("wtc_encrypt: %s", wtc_last_error());
	assert_null(strstr(enc, "Vergadering")); /* no plaintext in it */
	json_t *encj = json_loads(enc, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(encj, "algorithm")), "m.megolm.v1.aes-sha2");
	assert_string_equal(json_string_value(json_object_get(encj, "session_id")), sid);
	json_decref(encj);

	/* A relation stays readable outside the ciphertext. */
	char *rel = wtc_encrypt(b->c, ROOM, "m.reaction",
				"{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$doel\",\"key\":\"+1\"}}");
	assert_non_null(rel);
	json_t *relj = json_loads(rel, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(relj, "m.relates_to"), "event_id")), "$doel");
	json_decref(relj);
	wtc_free(rel);

	char *ev = timeline_event(b->user, ROOM, "$ev1", enc);
	wtc_free(enc);
	json_t *dec = parse_owned(wtc_decrypt(a->c, ROOM, ev));
	free(ev);
	assert_true(json_is_true(json_object_get(dec, "ok")));
	json_t *clear_ev = json_object_get(dec, "event");
	assert_string_equal(json_string_value(json_object_get(clear_ev, "type")), "m.room.message");
	assert_string_equal(json_string_value(json_object_get(clear_ev, "event_id")), "$ev1");
	assert_string_equal(json_string_value(json_object_get(clear_ev, "sender")), b->user);
	assert_string_equal(json_string_value(json_object_get(clear_ev, "room_id")), ROOM);
	json_t *want = json_loads(clear, 0, NULL);
	assert_true(json_equal(json_object_get(clear_ev, "content"), want));
	json_decref(want);
	assert_string_equal(json_string_value(json_object_get(dec, "sender_device")), "BRAMDEV");
	assert_true(json_is_boolean(json_object_get(dec, "verified")));
	json_decref(dec);
	json_decref(res);
}

/* A message in a room whose key A has not got: missing_key and the session
 * id; once the key comes in a later sync, the event decrypts (but not one
 * from before the point where the key was shared). */
static void test_missing_key(void **state)
{
	struct hs *h = *state;
	struct dev *a = &h->d[0], *b = &h->d[1];
	start_both(h);
	/* B's room key for ROOM2 goes to B alone. */
	prepare(h, b, ROOM2, "[\"@bram:example.test\"]");
	char *enc = wtc_encrypt(b->c, ROOM2, "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"x\"}");
	if (!enc)
		fail_msg("wtc_encrypt: %s", wtc_last_error());
	char *ev = timeline_event(b->user, ROOM2, "$ev2", enc);
	json_t *ej = json_loads(enc, 0, NULL);
	wtc_free(enc);
	json_t *dec = parse_owned(wtc_decrypt(a->c, ROOM2, ev));
	assert_true(json_is_false(json_object_get(dec, "ok")));
	assert_true(json_is_true(json_object_get(dec, "missing_key")));
	assert_string_equal(json_string_value(json_object_get(dec, "session_id")),
			    json_string_value(json_object_get(ej, "session_id")));
	assert_true(strlen(json_string_value(json_object_get(dec, "message"))) > 0);
	json_decref(dec);
	/* B now shares the session with A too (from its next message on), and
	 * encrypts before A's sync brought the key: missing; after the sync
	 * it decrypts. The first message stays undecryptable: the key A got
	 * starts after it, and that is missing_key too. */
	prepare(h, b, ROOM2, "[\"@anouk:example.test\",\"@bram:example.test\"]");
	enc = wtc_encrypt(b->c, ROOM2, "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"y\"}");
	assert_non_null(enc);
	char *ev2 = timeline_event(b->user, ROOM2, "$ev3", enc);
	wtc_free(enc);
	dec = parse_owned(wtc_decrypt(a->c, ROOM2, ev2));
	assert_true(json_is_true(json_object_get(dec, "missing_key")));
	json_decref(dec);
	json_t *res = sync_dev(a);
	json_t *key = json_array_get(json_object_get(res, "room_keys"), 0);
	assert_non_null(key);
	assert_string_equal(json_string_value(json_object_get(key, "room_id")), ROOM2);
	assert_string_equal(json_string_value(json_object_get(key, "session_id")),
			    json_string_value(json_object_get(ej, "session_id")));
	json_decref(res);
	dec = parse_owned(wtc_decrypt(a->c, ROOM2, ev2));
	assert_true(json_is_true(json_object_get(dec, "ok")));
	json_t *body = json_object_get(json_object_get(json_object_get(dec, "event"), "content"), "body");
	assert_string_equal(json_string_value(body), "y");
	json_decref(dec);
	dec = parse_owned(wtc_decrypt(a->c, ROOM2, ev));
	assert_true(json_is_false(json_object_get(dec, "ok")));
	assert_true(json_is_true(json_object_get(dec, "missing_key")));
	json_decref(dec);
	json_decref(ej);
	free(ev);
	free(ev2);
	/* Encrypting before the room is prepared fails, it never panics. */
	assert_null(wtc_encrypt(a->c, "!nooit:example.test", "m.room.message", "{\"body\":\"x\"}"));
	assert_non_null(strstr(wtc_last_error(), "wtc_prepare_room"));
}

/* A's store reopened: same identity, created 0; as another device or user
 * it is refused with a message; the directory is 0700, its files 0600
 * (also with the caller's umask 022, which is kept). */
static void test_store(void **state)
{
	struct hs *h = *state;
	struct dev *a = &h->d[0];
	mode_t old = umask(022);
	dev_open(a, 1);
	/* The caller's umask is back after the open. */
	assert_int_equal(umask(old), 022);
	pump(h, a);
	json_t *id1 = parse_owned(wtc_identity(a->c));
	assert_string_equal(json_string_value(json_object_get(id1, "device_id")), "ANOUKDEV");
	assert_string_equal(json_string_value(json_object_get(id1, "user_id")), a->user);
	assert_true(strlen(json_string_value(json_object_get(id1, "ed25519"))) == 43);
	wtc_close(a->c);
	a->c = NULL;

	dev_open(a, 0);
	json_t *id2 = parse_owned(wtc_identity(a->c));
	assert_true(json_equal(id1, id2));
	/* Nothing to upload again: the keys are on the server already. */
	json_t *reqs = parse_owned(wtc_outgoing_requests(a->c));
	size_t i;
	json_t *r;
	json_array_foreach(reqs, i, r)
		assert_string_not_equal(json_string_value(json_object_get(r, "kind")), "keys_upload");
	json_decref(reqs);
	json_decref(id1);
	json_decref(id2);
	wtc_close(a->c);
	a->c = NULL;

	int created = -1;
	struct wtc *other = wtc_open(a->dir, a->user, "NIEUWDEV", NULL, &created);
	assert_null(other);
	assert_int_equal(created, 0);
	assert_non_null(strstr(wtc_last_error(), "ANOUKDEV"));
	assert_non_null(strstr(wtc_last_error(), "NIEUWDEV"));
	other = wtc_open(a->dir, "@iemand:example.test", "ANOUKDEV", NULL, &created);
	assert_null(other);
	assert_non_null(strstr(wtc_last_error(), "belongs to"));

	struct stat st;
	assert_int_equal(stat(a->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	DIR *dir = opendir(a->dir);
	assert_non_null(dir);
	struct dirent *de;
	int files = 0;
	while ((de = readdir(dir))) {
		char p[600];
		snprintf(p, sizeof p, "%s/%s", a->dir, de->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			files++;
			if ((st.st_mode & 07777) != 0600)
				fail_msg("%s has mode %o", p, st.st_mode & 07777);
		}
	}
	closedir(dir);
	assert_true(files >= 1);
}

/* An existing store whose files were left world-readable is tightened. */
static void test_store_modes_fixed(void **state)
{
	struct hs *h = *state;
	struct dev *a = &h->d[0];
	dev_open(a, 1);
	wtc_close(a->c);
	a->c = NULL;
	char p[600];
	snprintf(p, sizeof p, "%s/matrix-sdk-crypto.sqlite3", a->dir);
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(chmod(a->dir, 0755), 0);
	dev_open(a, 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(a->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
}

/* Cross-signing: nothing before; the bootstrap's requests come in the order
 * to send (device keys, then the signing keys, then the signatures); all
 * three private keys held afterwards. */
static void test_cross_signing(void **state)
{
	struct hs *h = *state;
	struct dev *a = &h->d[0];
	dev_open(a, 1);
	json_t *st = parse_owned(wtc_cross_signing_status(a->c));
	assert_true(json_is_false(json_object_get(st, "master")));
	assert_true(json_is_false(json_object_get(st, "self_signing")));
	assert_true(json_is_false(json_object_get(st, "user_signing")));
	json_decref(st);

	json_t *reqs = parse_owned(wtc_bootstrap_cross_signing(a->c));
	const char *order[3];
	size_t n = json_array_size(reqs);
	assert_true(n == 2 || n == 3);
	for (size_t i = 0; i < n; i++)
		order[i] = json_string_value(json_object_get(json_array_get(reqs, i), "kind"));
	/* A new device has not uploaded its keys: they come first. */
	assert_int_equal(n, 3);
	assert_string_equal(order[0], "keys_upload");
	assert_string_equal(order[1], "signing_keys_upload");
	assert_string_equal(order[2], "signature_upload");
	json_t *sk = json_array_get(reqs, 1);
	assert_string_equal(json_string_value(json_object_get(sk, "path")),
			    "/_matrix/client/v3/keys/device_signing/upload");
	assert_non_null(json_object_get(json_object_get(sk, "body"), "master_key"));
	/* The signatures sign this device's keys. */
	json_t *sig = json_object_get(json_object_get(json_array_get(reqs, 2), "body"), a->user);
	assert_non_null(json_object_get(sig, "ANOUKDEV"));
	serve_all(h, a, reqs);
	json_decref(reqs);

	st = parse_owned(wtc_cross_signing_status(a->c));
	assert_true(json_is_true(json_object_get(st, "master")));
	assert_true(json_is_true(json_object_get(st, "self_signing")));
	assert_true(json_is_true(json_object_get(st, "user_signing")));
	json_decref(st);
}

/* The threads of this process named name (/proc/self/task/N/comm). */
static int threads_named(const char *name)
{
	DIR *d = opendir("/proc/self/task");
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[300], comm[64] = "";
		snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof comm, f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
		n += strcmp(comm, name) == 0;
	}
	closedir(d);
	return n;
}

/* Each open store works on at most one thread of its own (tokio's blocking
 * pool, "tokio-rt-worker"): every call blocks the bot's loop until it is
 * done, so more threads are only memory (a stack and a malloc arena each,
 * make bench-mem) and, once idle for tokio's default 10 s, a thread made
 * anew at the next call. */
static void test_one_store_thread(void **state)
{
	struct hs *h = *state;
	struct dev *a = &h->d[0], *b = &h->d[1];
	int before = threads_named("tokio-rt-worker"); /* of closed stores, ending */
	start_both(h);
	for (int i = 0; i < 3; i++) {
		char room[64];
		snprintf(room, sizeof room, "!kamer%d:example.test", i);
		prepare(h, b, room, "[\"@anouk:example.test\",\"@bram:example.test\"]");
		json_decref(sync_dev(a));
		char *enc = wtc_encrypt(b->c, room, "m.room.message",
					"{\"msgtype\":\"m.text\",\"body\":\"Overleg\"}");
		assert_non_null(enc);
		char *ev = timeline_event(b->user, room, "$ev", enc);
		wtc_free(enc);
		json_decref(parse_owned(wtc_decrypt(a->c, room, ev)));
		free(ev);
	}
	int n = threads_named("tokio-rt-worker") - before;
	if (n > 2)
		fail_msg("%d store threads for 2 open stores", n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_modes_fixed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cross_signing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_store_thread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
