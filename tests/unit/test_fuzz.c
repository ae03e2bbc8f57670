/* Robustness: nothing from the network may crash the bot or corrupt its
 * database. Seeded, repeatable mutation runs (no coverage guidance) of
 *   - /sync bodies, mutated as JSON trees (wrong types, missing and huge
 *     fields) and as bytes (broken JSON, bad UTF-8), through the real sync
 *     processing and the real command handlers;
 *   - command messages assembled from the bot's own words and random bytes,
 *     through the real dispatch.
 * WT_FUZZ_ITERS multiplies the number of cases (default 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/matrix.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!noord:demo.test"
#define NOW 1800000000

static char *rooms[] = { ROOM };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static char *admins[] = { "@anna:demo.test", NULL };
static struct wt_config cfg;

static unsigned long long rng = 88172645463325252ULL;

/* xorshift64: a fixed sequence, so a failure repeats. */
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

static int iters(int base)
{
	const char *e = getenv("WT_FUZZ_ITERS");
	int k = e ? atoi(e) : 1;
	return base * (k > 0 ? k : 1);
}

static time_t fixed_now(void) { return NOW; }

/* Commands and tagged lines the handlers know, to reach deep paths. */
static const char *const words[] = {
	"!hulp", "!help agenda", "!agenda", "!agenda voorstel Titel\nthema: kwaliteit\nwaarom: x",
	"!vergadering plan morgen 19:30 titel Test", "!vergadering start", "!vergadering einde",
	"!punt volgende", "!besluit We doen het", "#besluit Akkoord met AL1\n#actie @anna:demo.test bellen voor morgen",
	"#info notitie", "!actie @bram:demo.test iets voor over 2 dagen", "!acties", "!besluiten",
	"!al nieuw Lijn\nbudget: € 1.000,00", "!al", "!al status AL1 risico reden", "!al update AL1 tekst",
	"!advies nieuw Vraag\nthema: opleiding\ndeadline: over 3 weken", "!advies", "!advies accepteer A1",
	"!herinner mij morgen 9:00 iets", "!herinneringen", "!tijdzone Europe/London", "!rol @bram:demo.test secretaris",
	"!expertise dementie", "!wie dementie", "!programma", "!ongedaan", "!notulen", "!agenda ics",
};

static const char *const junk[] = {
	"", " ", "\n", "\\", "`", "```", "@", "#", "!", "%s%n", "\xff", "\xc3", "\xe2\x82",
	"99999999999999999999", "-1", "0", "A999", "AL0", "31-02-2027", "25:61", "€", "\"", "'",
};

/* A base /sync response with the kinds of events the bot reads. */
static json_t *base_sync(const char *next, int n)
{
	json_t *events = json_array();
	for (int i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "$e%s-%d", next, i);
		json_array_append_new(events, json_pack(
			"{s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type", "m.room.message", "event_id", id,
			"sender", i % 2 ? "@anna:demo.test" : "@bram:demo.test", "origin_server_ts",
			(json_int_t)NOW * 1000, "content", "msgtype", "m.text", "body",
			words[rnd(sizeof words / sizeof words[0])]));
	}
	json_array_append_new(events, json_pack(
		"{s:s,s:s,s:s,s:I,s:{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s}}}", "type", "m.room.message",
		"event_id", "$edit", "sender", "@anna:demo.test", "origin_server_ts", (json_int_t)NOW * 1000,
		"content", "msgtype", "m.text", "body", "* #besluit anders",
		"m.relates_to", "rel_type", "m.replace", "event_id", "$e1-0",
		"m.new_content", "msgtype", "m.text", "body", "#besluit anders"));
	json_array_append_new(events, json_pack(
		"{s:s,s:s,s:s,s:s,s:{}}", "type", "m.room.redaction", "event_id", "$red",
		"sender", "@anna:demo.test", "redacts", "$e1-1", "content"));
	json_array_append_new(events, json_pack(
		"{s:s,s:s,s:s,s:{s:{s:s,s:s,s:s}}}", "type", "m.reaction", "event_id", "$re",
		"sender", "@bram:demo.test", "content", "m.relates_to", "rel_type", "m.annotation",
		"event_id", "$x", "key", "\xf0\x9f\x91\x8d"));
	json_array_append_new(events, json_pack(
		"{s:s,s:s,s:s,s:s,s:{s:s}}", "type", "m.room.member", "event_id", "$m",
		"sender", "@daan:demo.test", "state_key", "@daan:demo.test", "content",
		"membership", "join"));
	return json_pack("{s:s,s:{s:{s:{s:{s:o}}},s:{s:{s:{s:[{s:s,s:s,s:s,s:{s:s}}]}}}}}",
		"next_batch", next, "rooms", "join", ROOM, "timeline", "events", events,
		"invite", "!other:demo.test", "invite_state", "events", "type", "m.room.member",
		"sender", "@x:demo.test", "state_key", BOT, "content", "membership", "invite");
}

/* A random JSON value of some type. */
static json_t *random_value(void)
{
	switch (rnd(8)) {
	case 0: return json_null();
	case 1: return json_integer((json_int_t)rnd(1000) - 500);
	case 2: return json_real(1e308);
	case 3: return json_true();
	case 4: return json_array();
	case 5: return json_object();
	case 6: {
		size_t n = 1 + rnd(70000);
		char *s = malloc(n + 1);
		memset(s, 'x', n);
		s[n] = '\0';
		json_t *j = json_string(s);
		free(s);
		return j;
	}
	default: return json_string(junk[rnd(sizeof junk / sizeof junk[0])]);
	}
}

/* Replace, delete or retype one random node below v. */
static void mutate_tree(json_t *v, int depth)
{
	if (json_is_object(v) && json_object_size(v)) {
		size_t pick = rnd((unsigned)json_object_size(v)), i = 0;
		const char *key;
		json_t *child;
		json_object_foreach(v, key, child) {
			if (i++ != pick)
				continue;
			if (depth > 0 && rnd(3) && (json_is_object(child) || json_is_array(child))) {
				mutate_tree(child, depth - 1);
			} else if (rnd(4) == 0) {
				json_object_del(v, key);
			} else {
				json_object_set_new(v, key, random_value());
			}
			return;
		}
	} else if (json_is_array(v) && json_array_size(v)) {
		size_t i = rnd((unsigned)json_array_size(v));
		json_t *child = json_array_get(v, i);
		if (depth > 0 && rnd(3) && (json_is_object(child) || json_is_array(child)))
			mutate_tree(child, depth - 1);
		else
			json_array_set_new(v, i, random_value());
	}
}

struct fx {
	sqlite3 *db;
	struct sync_env env;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->db = fx_db();
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = &net;
	cfg.nnetworks = 1;
	cfg.admins = admins;
	cfg.lang = LANG_NL;
	cfg.timezone = "Europe/Amsterdam";
	/* Every event has the same time: without a high limit the flood
	 * limit would hold nearly all commands back from the handlers. */
	cfg.ratelimit.per_minute = WT_RATE_MAX;
	cfg.ratelimit.burst = WT_RATE_MAX;
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = wt_dispatch_message, .now = fixed_now };
	/* The first sync only records the token; later ones are handled. */
	json_t *first = base_sync("s0", 0);
	struct sync_stats st = { 0 };
	assert_int_equal(sync_apply(&f->env, first, &st), 0);
	json_decref(first);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	sqlite3_stmt *st = db_prepare(f->db, "PRAGMA integrity_check");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	db_done(st);
	st = db_prepare(f->db, "PRAGMA foreign_key_check");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	db_done(st);
	/* Every transaction was closed. */
	assert_true(sqlite3_get_autocommit(f->db));
	db_close(f->db);
	free(f);
	return 0;
}

static void test_sync_trees(void **state)
{
	struct fx *f = *state;
	int handled = 0;
	for (int i = 0; i < iters(400); i++) {
		char next[24];
		snprintf(next, sizeof next, "t%d", i);
		json_t *r = base_sync(next, 1 + (int)rnd(4));
		for (unsigned k = rnd(4); k > 0; k--)
			mutate_tree(r, 8);
		struct sync_stats st = { 0 };
		if (sync_apply(&f->env, r, &st) == 0)
			handled += st.commands;
		json_decref(r);
	}
	/* The mutations leave most events intact: commands did run. */
	print_message("sync trees: %d commands handled\n", handled);
	assert_true(handled > 0);
	assert_true(fx_count(f->db, "handled_events") > 0);
}

static void test_sync_bytes(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < iters(400); i++) {
		char next[24];
		snprintf(next, sizeof next, "b%d", i);
		json_t *r = base_sync(next, 2);
		char *text = json_dumps(r, JSON_COMPACT);
		json_decref(r);
		size_t len = strlen(text);
		for (unsigned k = 1 + rnd(6); k > 0 && len; k--) {
			size_t at = rnd((unsigned)len);
			switch (rnd(3)) {
			case 0: text[at] = (char)rnd(256); break;      /* any byte, NUL too */
			case 1: len = at; break;                        /* truncate */
			default: text[at] = (char)(0x80 | rnd(64)); break; /* bad UTF-8 */
			}
		}
		json_t *parsed = mx_parse(text, len);
		if (parsed) {
			struct sync_stats st = { 0 };
			sync_apply(&f->env, parsed, &st);
			json_decref(parsed);
		}
		free(text);
	}
	assert_true(fx_count(f->db, "kv") > 0);
}

static void test_commands(void **state)
{
	struct fx *f = *state;
	const char *senders[] = { "@anna:demo.test", "@bram:demo.test", "@zz:demo.test" };
	int ok = 0, refused = 0;
	for (int i = 0; i < iters(1500); i++) {
		struct strbuf body = STRBUF_INIT;
		sb_add(&body, words[rnd(sizeof words / sizeof words[0])]);
		for (unsigned k = rnd(4); k > 0; k--) {
			sb_addc(&body, rnd(3) ? ' ' : '\n');
			sb_add(&body, rnd(2) ? junk[rnd(sizeof junk / sizeof junk[0])]
					     : words[rnd(sizeof words / sizeof words[0])]);
		}
		char eid[32];
		snprintf(eid, sizeof eid, "$c%d", i);
		struct wt_replies out = { 0 };
		struct wt_ctx ctx = { .db = f->db, .net = &net, .sender = senders[rnd(3)],
				      .room = ROOM, .event_id = eid, .now = NOW + i * 60,
				      .lang = rnd(2) ? LANG_NL : LANG_EN,
				      .admins = (const char *const *)admins, .out = &out };
		assert_int_equal(db_begin(f->db), 0);
		int rc = wt_dispatch_message(&ctx, body.buf);
		assert_int_equal(db_commit(f->db), 0);
		if (rc == WT_OK)
			ok++;
		else if (rc < 0)
			refused++;
		/* A refusal always says why. */
		if (rc < 0) {
			assert_true(out.n >= 1);
			assert_true(out.v[0].markdown && *out.v[0].markdown);
		}
		wt_replies_free(&out);
		sb_release(&body);
	}
	print_message("commands: %d done, %d refused\n", ok, refused);
	assert_true(ok > 0);
	assert_true(refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sync_trees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
