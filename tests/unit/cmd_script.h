/* cmd_script: a scripted round of commands run the way the bot runs them
 * (canned /sync batches through sync_apply with the real dispatch, then
 * the outbox and reminder queries the loop makes after a batch), for the
 * tests that look at the statements this prepares (test_db_cache,
 * test_query_plans). Header only: included by each of them. */
#ifndef WT_TEST_CMD_SCRIPT_H
#define WT_TEST_CMD_SCRIPT_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/config.h"
#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "storage/db.h"
#include "demo/demo.h"
#include "storage/outbox.h"
#include "storage/reminders.h"
#include "storage/roles.h"

#define CS_BOT "@werktafel:demo.test"
#define CS_ROOM "!werktafel:demo.test"
#define CS_NOW 1800014400   /* 2027-01-15 12:00 UTC */
#define CS_CHAIR "@anna:demo.test"
#define CS_SECR "@bram:demo.test"
#define CS_BOARD "@carla:demo.test"
#define CS_MEMBER "@daan:demo.test"

static char *cs_rooms[] = { CS_ROOM };
static char *cs_themes[] = { "kwaliteit", "opleiding" };
static char *cs_admins[] = { "@admin:demo.test", NULL };
static struct wt_network cs_net = {
	.name = "demo", .rooms = cs_rooms, .nrooms = 1, .themes = cs_themes,
	.nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam",
	.advice_wait_days = 14, .report_quarterly = 1, .report_halfyear = 1,
};
static struct wt_config cs_cfg = { .networks = &cs_net, .nnetworks = 1,
				   .admins = cs_admins };

/* The clock moves on ten seconds a command, as a person types. */
static time_t cs_clock = CS_NOW;
static time_t cs_now(void) { return cs_clock; }

/* Every command a round runs: reading ones, and ones that write (a new id
 * each round, so each round takes the same paths). */
static const struct { const char *who; const char *body; } cs_commands[] = {
	{ CS_MEMBER, "!hulp" },
	{ CS_MEMBER, "!hulp agenda" },
	{ CS_MEMBER, "!agenda" },
	{ CS_MEMBER, "!agenda voorstel Scholing wondzorg" },
	{ CS_MEMBER, "!vergadering lijst" },
	{ CS_MEMBER, "!vergadering 1" },
	{ CS_SECR, "!besluit Het werkplan is vastgesteld" },
	{ CS_MEMBER, "!besluit 1" },
	{ CS_MEMBER, "!besluiten" },
	{ CS_MEMBER, "!besluiten werkplan" },
	{ CS_MEMBER, "!besluiten thema:kwaliteit 2027" },
	{ CS_SECR, "!actie @eva:demo.test Verslag rondsturen voor 20-01-2027" },
	{ CS_MEMBER, "!acties" },
	{ CS_MEMBER, "!notulen" },
	{ CS_SECR, "!al" },
	{ CS_SECR, "!al AL1" },
	{ CS_MEMBER, "!al update AL1 De inventarisatie is gestart" },
	{ CS_SECR, "!al uitgave AL1 100 Zaalhuur" },
	{ CS_SECR, "!doel nieuw Vacatures gevuld\ndoel: 95%\neigenaar: @eva:demo.test\nmeetfrequentie: per kwartaal" },
	{ CS_SECR, "!doel meting 1 90 enquête" },
	{ CS_SECR, "!doel wijzig 1 meetfrequentie jaarlijks" },
	{ CS_MEMBER, "!doelen" },
	{ CS_MEMBER, "!doel 1" },
	{ CS_SECR, "!al indicator AL1 nieuw Deelnemers\nnulmeting: 12" },
	{ CS_SECR, "!al meting AL1 1 20" },
	{ CS_SECR, "!al rapport AL1" },
	{ CS_SECR, "!programma" },
	{ CS_MEMBER, "!rapport" },
	{ CS_MEMBER, "!rapport 1" },
	{ CS_MEMBER, "!rapport akkoord 1" },
	{ CS_CHAIR, "!rapport aanvulling 1 Het plan is bijgesteld." },
	{ CS_MEMBER, "!al aanmelden AL1" },
	{ CS_CHAIR, "!al bevestig AL1 " CS_MEMBER },
	{ CS_SECR, "!besluit Werkgroep start al:AL1" },
	{ CS_SECR, "!belanghebbenden nieuw Huisartsenpraktijk Noord\nsoort: huisarts\nactielijnen: AL1" },
	{ CS_MEMBER, "!belanghebbenden" },
	{ CS_MEMBER, "!belanghebbenden BH1" },
	{ CS_SECR, "!al AL1" },
	{ CS_MEMBER, "!herinner mij morgen 9:00 Bellen met de huisarts" },
	{ CS_MEMBER, "!herinneringen" },
	{ CS_MEMBER, "!advies" },
	{ CS_MEMBER, "!advies archief" },
	{ CS_MEMBER, "!advies 1" },
	{ CS_MEMBER, "!expertise wondzorg" },
	{ CS_MEMBER, "!wie wondzorg" },
	{ CS_MEMBER, "!rol" },
	{ CS_MEMBER, "!tijdzone" },
	{ CS_MEMBER, "!stuk 1 https://example.org/notitie" },
	{ CS_MEMBER, "!stukken" },
	{ CS_MEMBER, "!stukken 1" },
	{ CS_MEMBER, "!organisatie Zorggroep Noord" },
	{ CS_MEMBER, "!wie" },
	{ CS_SECR, "!rooster erbij @daan:demo.test 2027" },
	{ CS_MEMBER, "!rooster" },
	{ CS_SECR, "!vergadering gehouden 1" },
	{ CS_SECR, "!notulen vaststellen 1" },
	{ CS_SECR, "!vergadering start" },
	{ CS_SECR, "!peiling Welke datum past? | 3 maart | 10 maart" },
	{ CS_MEMBER, "!peiling 1" },
	{ CS_MEMBER, "!peilingen" },
	{ CS_MEMBER, "!agnda" },
	{ CS_MEMBER, "!aanwezig" },
	{ CS_BOARD, "!afmelden ziek" },
	{ CS_CHAIR, "!aanmeldingen" },
};

/* A text message event. */
static json_t *cs_msg(const char *id, const char *sender, const char *body, long long ts)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type", "m.room.message",
			 "event_id", id, "sender", sender, "origin_server_ts",
			 (json_int_t)ts, "content", "msgtype", "m.text", "body", body);
}

/* One /sync answer with events in the room (steals events). */
static int cs_apply(sqlite3 *db, const char *next, json_t *events)
{
	struct sync_env env = { .db = db, .cfg = &cs_cfg, .user_id = CS_BOT,
				.dispatch = wt_dispatch_message, .now = cs_now };
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:o}}}}}", "next_batch", next,
			      "rooms", "join", CS_ROOM, "timeline", "events", events);
	struct sync_stats st;
	int rc = sync_apply(&env, r, &st);
	json_decref(r);
	return rc;
}

/* The demo network with its roles, and the first sync (history skipped). */
static int cs_setup(sqlite3 *db)
{
	if (demo_seed(db, &cs_net, CS_NOW) < 0
	    || roles_set(db, "demo", CS_CHAIR, ROLE_CHAIR, NULL, CS_NOW) < 0
	    || roles_set(db, "demo", CS_SECR, ROLE_SECRETARY, NULL, CS_NOW) < 0
	    || roles_set(db, "demo", CS_BOARD, ROLE_BOARD, NULL, CS_NOW) < 0)
		return -1;
	json_t *ev = json_array();
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}",
		"type", "m.room.member", "event_id", "$join", "sender", CS_BOT,
		"state_key", CS_BOT, "origin_server_ts", (json_int_t)CS_NOW * 1000 - 60000,
		"content", "membership", "join"));
	return cs_apply(db, "s0", ev);
}

/* Round n of the script: every command in its own batch (as a person
 * types them), then what the loop does after a batch: the next reminder,
 * the due ones, the outbox's rooms and their next rows. */
static int cs_round(sqlite3 *db, int n)
{
	for (size_t i = 0; i < sizeof cs_commands / sizeof cs_commands[0]; i++) {
		char id[64], next[64];
		snprintf(id, sizeof id, "$r%dc%zu", n, i);
		snprintf(next, sizeof next, "s%d_%zu", n, i);
		json_t *ev = json_array();
		json_array_append_new(ev, cs_msg(id, cs_commands[i].who, cs_commands[i].body,
						 (long long)cs_clock * 1000));
		cs_clock += 10;
		if (cs_apply(db, next, ev) < 0)
			return -1;
		if (getenv("CS_DEBUG")) {
			sqlite3_stmt *st = db_prepare(db, "SELECT content FROM outbox ORDER BY id DESC LIMIT 1");
			if (st && sqlite3_step(st) == SQLITE_ROW)
				fprintf(stderr, "%s => %.300s\n", cs_commands[i].body, sqlite3_column_text(st, 0));
			db_done(st);
		}
	}
	time_t due;
	if (reminders_next_due(db, &due) < 0)
		return -1;
	struct wt_reminder *v = NULL;
	int k = reminders_due(db, cs_clock, 50, &v);
	if (k < 0)
		return -1;
	reminders_list_free(v, (size_t)k);
	char **rooms = NULL;
	if (outbox_pending_rooms(db, &rooms) < 0)
		return -1;
	/* Each room's rows go out as the outbox sends them. */
	for (size_t i = 0; rooms && rooms[i]; i++) {
		struct outbox_row row;
		memset(&row, 0, sizeof row);
		while (outbox_next_sendable(db, rooms[i], NULL, NULL, 0, &row) > 0) {
			long long id = row.id;
			outbox_row_free(&row);
			memset(&row, 0, sizeof row);
			if (outbox_mark_tried(db, id) < 0
			    || reminders_note_sent_row(db, id, "$sent") < 0
			    || outbox_delete(db, id) < 0)
				return -1;
		}
	}
	outbox_rooms_free(rooms);
	struct outbox_row row;
	memset(&row, 0, sizeof row);
	if (outbox_next_pending(db, &row) > 0)
		outbox_row_free(&row);
	return outbox_count_pending(db) < 0 ? -1 : 0;
}

#endif
