/* Fuzz target: the processing of a /sync response (sync_apply, bot/sync.c)
 * with the real command handlers, on a fresh database in memory per input
 * (a copy of one whose first sync is done). The first byte picks how the
 * input becomes the response:
 *   0  the input is the response body (parsed as the client parses it);
 *   1  pieces separated by byte 0x01 are a message's body, sender, room
 *      id, event id and msgtype in an otherwise well-formed response;
 *   2  the input is JSON put as that message's content;
 *   3  ... as a whole timeline event;
 *   4  ... as the response's "rooms";
 *   5  ... as an invite's state events.
 * Then: no transaction is left open, and a response applied a second time
 * runs no command again (exactly once). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/matrix.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "lib/log.h"
#include "storage/db.h"
#include "tests/fuzz/fuzz.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!noord:demo.test"

static char *rooms[] = { ROOM };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static char *admins[] = { "@anna:demo.test", NULL };
static struct wt_config cfg = {
	.networks = &net, .nnetworks = 1, .admins = admins, .lang = LANG_NL,
	.timezone = "Europe/Amsterdam",
};

static time_t fixed_now(void) { return FZ_NOW; }

/* A string value, or "" for bytes that are not UTF-8. */
static json_t *str_or_empty(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("");
}

static json_t *message(const char *body, const char *sender, const char *eid,
		       const char *msgtype)
{
	return json_pack("{s:s,s:o,s:o,s:I,s:{s:o,s:o}}", "type", "m.room.message",
			 "event_id", str_or_empty(eid), "sender", str_or_empty(sender),
			 "origin_server_ts", (json_int_t)FZ_NOW * 1000, "content",
			 "msgtype", str_or_empty(msgtype), "body", str_or_empty(body));
}

/* A response with one room whose timeline holds events (stolen). */
static json_t *response(const char *room, json_t *events)
{
	json_t *join = json_object();
	json_object_set_new(join, room, json_pack("{s:{s:o}}", "timeline", "events", events));
	return json_pack("{s:s,s:{s:o}}", "next_batch", "s1", "rooms", "join", join);
}

/* The response the input describes, or NULL. */
static json_t *build(unsigned mode, struct fz_in *in)
{
	if (mode == 0)
		return mx_parse((const char *)in->p, in->n);
	if (mode == 1) {
		char *body = fz_piece_dup(in, 1), *sender = fz_piece_dup(in, 1);
		char *room = fz_piece_dup(in, 1), *eid = fz_piece_dup(in, 1);
		char *type = fz_piece_dup(in, 1);
		json_t *r = response(*room ? room : ROOM,
				     json_pack("[o]", message(body, *sender ? sender : "@anna:demo.test",
							     *eid ? eid : "$e1", *type ? type : "m.text")));
		free(body); free(sender); free(room); free(eid); free(type);
		return r;
	}
	json_error_t err;
	json_t *v = json_loadb((const char *)in->p, in->n, JSON_DECODE_ANY, &err);
	if (!v)
		return NULL;
	json_t *ev = message("!agenda", "@anna:demo.test", "$e1", "m.text");
	switch (mode) {
	case 2:
		json_object_set_new(ev, "content", v);
		return response(ROOM, json_pack("[o]", ev));
	case 3:
		return response(ROOM, json_pack("[o,o]", ev, v));
	case 4:
		json_decref(ev);
		return json_pack("{s:s,s:o}", "next_batch", "s1", "rooms", v);
	default: {
		json_decref(ev);
		json_t *inv = json_object();
		json_object_set_new(inv, "!uitnodiging:elders.test",
				    json_pack("{s:{s:o}}", "invite_state", "events", v));
		return json_pack("{s:s,s:{s:o}}", "next_batch", "s1", "rooms", "invite", inv);
	}
	}
}

/* The database of one input: a copy of a template whose first sync is
 * done (copying is much faster than creating the schema each time). */
static sqlite3 *fresh_db(void)
{
	static sqlite3 *tmpl, *db;
	struct strbuf err = STRBUF_INIT;
	if (!tmpl) {
		log_set_level(LOG_ERROR);   /* the info lines of every input would drown a finding */
		FZ_CHECK(db_open(":memory:", &tmpl, &err) == 0);
		FZ_CHECK(db_open(":memory:", &db, &err) == 0);
		struct sync_env env = { .db = tmpl, .cfg = &cfg, .user_id = BOT,
					.dispatch = wt_dispatch_message, .now = fixed_now };
		json_t *first = json_pack("{s:s}", "next_batch", "s0");
		struct sync_stats st = { 0 };
		FZ_CHECK(sync_apply(&env, first, &st) == 0);
		json_decref(first);
	}
	sb_release(&err);
	sqlite3_backup *b = sqlite3_backup_init(db, "main", tmpl, "main");
	FZ_CHECK(b != NULL);
	FZ_CHECK(sqlite3_backup_step(b, -1) == SQLITE_DONE);
	FZ_CHECK(sqlite3_backup_finish(b) == SQLITE_OK);
	return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	unsigned mode = fz_byte(&in) % 6;
	json_t *resp = build(mode, &in);
	if (!resp)
		return 0;
	sqlite3 *db = fresh_db();
	struct sync_env env = { .db = db, .cfg = &cfg, .user_id = BOT,
				.dispatch = wt_dispatch_message, .now = fixed_now };
	struct sync_stats st = { 0 };
	int rc = sync_apply(&env, resp, &st);
	FZ_CHECK(sqlite3_get_autocommit(db));
	if (rc == 0) {
		struct sync_stats again = { 0 };
		if (sync_apply(&env, resp, &again) == 0)
			FZ_CHECK(again.commands == 0);
		FZ_CHECK(sqlite3_get_autocommit(db));
	}
	json_decref(resp);
	return 0;
}
