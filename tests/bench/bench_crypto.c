/* Crypto library benchmark (not a test): what one call of bot/crypto.h
 * costs the loop it blocks (each call runs the async crate to completion
 * on its handle's current-thread runtime). One device in a temporary
 * store, a room shared with itself only: wtc_open (new and reopened),
 * wtc_identity (the call overhead), wtc_outgoing_requests, wtc_encrypt and
 * wtc_decrypt of its own messages, and a 1 MiB attachment each way.
 * Prints p50/p99 per call in microseconds.
 *
 *   bench_crypto [-n calls]      (default 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bot/crypto.h"

#define ROOM "!bench:example.test"
#define USER "@bench:example.test"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sort the samples and print p50/p99 of one call. */
static void report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp);
	printf("%-28s p50 %8.0f us   p99 %8.0f us   (%d calls)\n", what, t[n / 2],
	       t[(int)(n * 0.99)], n);
}

static void die(const char *what)
{
	fprintf(stderr, "bench_crypto: %s: %s\n", what, wtc_last_error());
	exit(1);
}

/* Answer each request of a JSON array as an empty homeserver would (no
 * other devices anywhere); the number answered. */
static int answer_all(struct wtc *c, char *reqs)
{
	if (!reqs)
		die("requests");
	if (getenv("BENCH_DEBUG"))
		fprintf(stderr, "%s\n", reqs);
	json_t *arr = json_loads(reqs, 0, NULL);
	wtc_free(reqs);
	size_t i;
	json_t *r;
	json_array_foreach(arr, i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		const char *kind = json_string_value(json_object_get(r, "kind"));
		const char *ans = !strcmp(kind, "keys_upload")
					  ? "{\"one_time_key_counts\":{\"signed_curve25519\":50}}"
				  : !strcmp(kind, "keys_query") ? "{\"device_keys\":{\"" USER "\":{}}}"
				  : !strcmp(kind, "keys_claim") ? "{\"one_time_keys\":{}}" : "{}";
		if (wtc_mark_sent(c, id, kind, ans) < 0)
			die("wtc_mark_sent");
	}
	int k = (int)json_array_size(arr);
	json_decref(arr);
	return k;
}

int main(int argc, char **argv)
{
	int n = 1000, opt;
	while ((opt = getopt(argc, argv, "n:")) != -1)
		n = opt == 'n' ? atoi(optarg) : n;
	if (n < 10)
		n = 10;
	char tmp[] = "/tmp/wt-bench-crypto-XXXXXX";
	if (!mkdtemp(tmp))
		return 1;
	char dir[64];
	snprintf(dir, sizeof dir, "%s/store", tmp);
	double *t = calloc((size_t)n, sizeof *t);
	int created;
	double t0 = now_us();
	struct wtc *c = wtc_open(dir, USER, "BENCHDEV", NULL, &created);
	if (!c)
		die("wtc_open");
	printf("%-28s %8.0f us\n", "wtc_open (new store)", now_us() - t0);
	wtc_close(c);
	t0 = now_us();
	c = wtc_open(dir, USER, "BENCHDEV", NULL, &created);
	if (!c)
		die("wtc_open");
	printf("%-28s %8.0f us\n", "wtc_open (existing store)", now_us() - t0);

	for (int i = 0; i < n; i++) {
		t0 = now_us();
		wtc_free(wtc_identity(c));
		t[i] = now_us() - t0;
	}
	report("wtc_identity", t, n);
	t0 = now_us();
	int sent = answer_all(c, wtc_outgoing_requests(c));
	printf("%-28s %8.0f us   (%d requests)\n", "first requests, answered", now_us() - t0, sent);
	for (int i = 0; i < n; i++) {
		t0 = now_us();
		answer_all(c, wtc_outgoing_requests(c));
		t[i] = now_us() - t0;
	}
	report("wtc_outgoing_requests", t, n);

	for (int round = 0;; round++) {
		if (round == 10)
			die("wtc_prepare_room never returned []");
		if (!answer_all(c, wtc_prepare_room(c, ROOM, "[\"" USER "\"]",
						    "{\"algorithm\":\"m.megolm.v1.aes-sha2\","
						    "\"rotation_period_msgs\":1000000}")))
			break;
	}
	for (int i = 0; i < n; i++) {
		t0 = now_us();
		answer_all(c, wtc_prepare_room(c, ROOM, "[\"" USER "\"]",
					       "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"rotation_period_msgs\":1000000}"));
		t[i] = now_us() - t0;
	}
	report("wtc_prepare_room (ready)", t, n);
	char **ev = calloc((size_t)n, sizeof *ev);
	for (int i = 0; i < n; i++) {
		t0 = now_us();
		char *enc = wtc_encrypt(c, ROOM, "m.room.message",
					"{\"msgtype\":\"m.text\",\"body\":\"De vergadering begint om tien uur.\"}");
		t[i] = now_us() - t0;
		if (!enc)
			die("wtc_encrypt");
		size_t len = strlen(enc) + 200;
		ev[i] = malloc(len);
		snprintf(ev[i], len, "{\"type\":\"m.room.encrypted\",\"event_id\":\"$e%d\",\"sender\":\"" USER
			 "\",\"origin_server_ts\":1764600000000,\"room_id\":\"" ROOM "\",\"content\":%s}", i, enc);
		wtc_free(enc);
	}
	report("wtc_encrypt", t, n);
	for (int i = 0; i < n; i++) {
		t0 = now_us();
		char *d = wtc_decrypt(c, ROOM, ev[i]);
		t[i] = now_us() - t0;
		if (!d || !strstr(d, "\"ok\":true"))
			die("wtc_decrypt");
		wtc_free(d);
		free(ev[i]);
	}
	report("wtc_decrypt", t, n);
	free(ev);

	size_t sz = 1 << 20;
	unsigned char *data = calloc(1, sz), *cipher, *plain;
	size_t plen;
	int m = n < 50 ? n : 50;
	double *t2 = calloc((size_t)m, sizeof *t2);
	for (int i = 0; i < m; i++) {
		t0 = now_us();
		char *info = wtc_encrypt_attachment(data, sz, &cipher);
		t[i] = now_us() - t0;
		if (!info)
			die("wtc_encrypt_attachment");
		t0 = now_us();
		if (wtc_decrypt_attachment(cipher, sz, info, &plain, &plen) < 0)
			die("wtc_decrypt_attachment");
		t2[i] = now_us() - t0;
		wtc_free(info);
		wtc_free(cipher);
		wtc_free(plain);
	}
	report("encrypt attachment 1 MiB", t, m);
	report("decrypt attachment 1 MiB", t2, m);
	wtc_close(c);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		return 1;
	free(data);
	free(t);
	free(t2);
	return 0;
}
