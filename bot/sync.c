#include "bot/sync.h"
#include "bot/sync_event.h"
#include "bot/sync_files.h"

#include <stdlib.h>
#include <string.h>

#include "bot/edits.h"
#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/members.h"
#include "bot/message.h"
#include "bot/poison.h"
#include "bot/rooms.h"
#include "handlers/dispatch.h"
#include "handlers/event.h"
#include "handlers/person.h"
#include "handlers/ratelimit.h"
#include "handlers/remind.h"
#include "handlers/reminder_kinds.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/db_fault.h"
#include "storage/handled_events.h"
#include "storage/outbox.h"
#include "storage/room_crypto.h"
#include "storage/room_members.h"

static const char *str_at(json_t *obj, const char *key)
{
	return json_in_str(obj, key);  /* NULL for a string with a NUL */
}

static time_t env_now(const struct sync_env *env)
{
	return env->now ? env->now() : time(NULL);
}

/* Put the replies of one command in the outbox; *main_row: the outbox row
 * of its answer in the room (edits_main_reply), 0 when none. */
static int enqueue_replies(const struct sync_env *env, const char *room_id,
			   struct wt_replies *out, time_t now, struct sync_stats *st,
			   long long *main_row)
{
	int main = edits_main_reply(out);
	*main_row = 0;
	for (size_t i = 0; i < out->n; i++) {
		struct wt_reply *r = &out->v[i];
		char *dm = NULL;
		const char *room = r->room ? r->room : room_id;
		/* The bot is a member of the rooms too: nothing goes to itself. */
		if (r->to_user && !r->room && env->user_id && strcmp(r->to_user, env->user_id) == 0)
			continue;
		if (!r->room && r->to_user)
			room = dm = room_dm_of_dup(env->db, r->to_user);
		long long id = 0;
		message_reply_notify(r, env->cfg);
		int rc = message_enqueue(env->db, r, room, now, &id);
		if (rc == 0 && (int)i == main)
			*main_row = id;
		free(dm);
		if (rc == MESSAGE_UNSENDABLE) {
			log_warn("%s: reply %zu cannot be sent, dropped", room_id, i);
			continue;
		}
		if (rc < 0)
			return -1;
		st->replies++;
	}
	return 0;
}

/* An encrypted event from someone else that stayed encrypted (its room
 * key has not come yet: bot/e2ee.c decrypts what it can before the batch
 * is applied) waits for the key in e2ee_pending, unless it was handled
 * already. Returns 1 when ev was such an event, 0 when not, negative on
 * a database error. */
static int keep_undecrypted(const struct sync_env *env, const char *room_id,
			    json_t *ev, struct sync_stats *st)
{
	const char *type = str_at(ev, "type"), *sender = str_at(ev, "sender");
	const char *event_id = str_at(ev, "event_id");
	if (!type || strcmp(type, "m.room.encrypted") != 0 || !sender || !event_id
	    || strcmp(sender, env->user_id) == 0)
		return 0;
	int seen = handled_or_quarantined(env->db, event_id);
	if (seen)
		return seen < 0 ? -1 : 1;
	char *text = json_dumps(ev, JSON_COMPACT);
	int rc = text ? e2ee_pending_add(env->db, event_id, room_id, sender,
		str_at(json_object_get(ev, "content"), "session_id"), text,
		env_now(env)) : -1;
	free(text);
	if (rc == 1) {
		st->undecrypted++;
		log_info("%s: event %s from %s waits for its room key", room_id,
			 event_id, sender);
	}
	return rc < 0 ? -1 : 1;
}

/* Hand one timeline event (ev, read as wev) to the handlers, once: its
 * replies go in the outbox, what an edit of it needs is noted, and it is
 * recorded handled (or quarantined after a handler's database error). */
static int handle_event(const struct sync_env *env, const struct wt_network *net,
			const char *room_id, json_t *ev, const struct wt_event *wev,
			struct sync_stats *st)
{
	int waits = keep_undecrypted(env, room_id, ev, st);
	if (waits)
		return waits < 0 ? -1 : 0;
	if (!wt_event_wanted(wev, env->user_id))
		return 0;
	const char *event_id = wev->event_id;
	int seen = handled_or_quarantined(env->db, event_id);
	if (seen < 0)
		return -1;
	if (seen) {
		st->duplicates++;
		return 0;
	}
	struct wt_replies out = {0};
	time_t now = env_now(env);
	struct wt_ctx ctx = {
		.db = env->db, .net = net, .room = room_id, .now = now,
		.lang = net->lang, .admins = (const char *const *)env->cfg->admins,
		.limits = &env->cfg->limits, .networks = env->cfg->networks,
		.nnetworks = env->cfg->nnetworks, .out = &out,
	};
	if (wev->body)
		poison_test_hook(wev->body);
	struct wt_event_hooks hooks = { .own = env->user_id, .dispatch = env->dispatch,
					.ratelimit = &env->cfg->ratelimit };
	struct wt_event_done done;
	int rc = wt_handle_event(&ctx, wev, &hooks, &done);
	if (rc == WT_NOT_COMMAND && out.n == 0) {
		wt_replies_free(&out);
		return 0;
	}
	st->commands++;
	log_debug("%s: command %s from %s, %zu replies", room_id, event_id,
		  ctx.sender, out.n);
	int failed = rc == WT_EDB;  /* the handler's error; it replied already */
	long long main_row;
	int outcome = rc;
	rc = enqueue_replies(env, room_id, &out, now, st, &main_row);
	if (rc == 0)  /* a refused command stays open to an edit (bot/edits.h) */
		rc = edits_note_outcome(env->db, &ctx, done.command, done.correction,
					outcome, &out, main_row, wev->ts_ms);
	wt_replies_free(&out);
	if (rc < 0)
		return -1;
	if (failed)
		return poison_quarantine(env->db, env->cfg, net, event_id, room_id,
					 ctx.sender, "the handler reported a database error",
					 now, 0);
	return handled_event_add(env->db, event_id, room_id, now, 0) < 0 ? -1 : 0;
}

/* The events the bot itself already answered, as seen in this timeline
 * (answer_target). A database restored from an older backup syncs from an
 * older token, so the history since then comes again, the bot's answers
 * with it: they mark their commands handled, so nothing is answered
 * twice. Returns a set (object of event id -> true); the caller frees it. */
static json_t *own_answers(json_t *events, const char *own)
{
	json_t *set = json_object();
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *target = sync_answer_target(ev, own);
		if (target)
			json_object_set_new(set, target, json_true());
	}
	return set;
}

int sync_note_own_answers(const struct sync_env *env, const char *room_id,
			  json_t *events, int *noted)
{
	*noted = 0;
	if (db_begin(env->db) < 0)
		return -1;
	sqlite3_int64 now = (sqlite3_int64)env_now(env);
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *target = sync_answer_target(ev, env->user_id);
		if (!target)
			continue;
		int added = handled_event_add(env->db, target, room_id, now, 1);
		if (added < 0) {
			db_rollback(env->db);
			return -1;
		}
		*noted += added;
	}
	if (db_commit(env->db) < 0) {
		db_rollback(env->db);
		*noted = 0;
		return -1;
	}
	return 0;
}

/* Skip ev when the bot answered it already (see own_answers): record it
 * as handled and count it a duplicate. Returns 1 when skipped, 0 when not,
 * negative on a database error. */
static int skip_answered(const struct sync_env *env, const char *room_id,
			 json_t *ev, json_t *answered, struct sync_stats *st)
{
	const char *event_id = str_at(ev, "event_id");
	const char *sender = str_at(ev, "sender");
	if (!event_id || !json_object_get(answered, event_id) || !sender
	    || strcmp(sender, env->user_id) == 0)
		return 0;
	st->duplicates++;
	log_debug("%s: %s was answered before (restored database?), skipped",
		  room_id, event_id);
	return handled_event_add(env->db, event_id, room_id, env_now(env), 1) < 0
		? -1 : 1;
}

/* Keep the room's member list and rights current: the membership an
 * m.room.member event gives, and what m.room.power_levels and
 * m.room.create say of rights (other events are ignored). */
static int note_member(sqlite3 *db, const char *room_id, json_t *ev)
{
	const char *type = str_at(ev, "type");
	const char *key = str_at(ev, "state_key");
	if (key && !*key)
		return members_note_state(db, room_id, ev);
	const char *mem = str_at(json_object_get(ev, "content"), "membership");
	if (!type || strcmp(type, "m.room.member") != 0 || !key || !mem)
		return 0;
	int rc = room_members_set(db, room_id, key, mem);
	if (rc == 0 && strcmp(mem, "join") == 0)  /* its name, for naming people */
		rc = room_members_set_name(db, room_id, key,
			str_at(json_object_get(ev, "content"), "displayname"));
	return rc;
}

/* One timeline or state event: its membership noted and, when handle, the
 * event handled; all in a savepoint. A failure of the event's own rolls
 * back only this event, which is quarantined (its sender told when it was
 * a message for the bot); a fault of the database fails the batch. */
static int guarded_event(const struct sync_env *env, const struct wt_network *net,
			 const char *room_id, json_t *ev, int handle,
			 struct sync_stats *st)
{
	const char *flaw = handle ? sync_event_flaw(ev, env->user_id) : NULL;
	const char *event_id = str_at(ev, "event_id");
	const char *sender = str_at(ev, "sender");
	if (flaw) {
		log_warn("%s: skipping event %s from %s: %s", room_id,
			 event_id ? event_id : "(no usable id)",
			 sender ? sender : "(no usable sender)", flaw);
		handle = 0;
	}
	if (db_savepoint(env->db, "one_event") < 0)
		return -1;
	/* What the handlers would get; read whole (quote, mentions) only when
	 * they want it. */
	struct wt_event wev = { 0 };
	int watch = handle && sync_event_kind(ev, &wev) != WT_EV_NONE
		    && wt_event_wanted(&wev, env->user_id);
	if (watch) {
		sync_event_read(ev, &wev);
		poison_watch_begin(env->watch, event_id, room_id, sender);
	}
	int rc = note_member(env->db, room_id, ev);
	if (rc == 0 && handle)  /* a file `!stuk` may later attach */
		rc = sync_note_file(env->db, room_id, ev, env_now(env));
	if (rc == 0 && handle)
		rc = handle_event(env, net, room_id, ev, &wev, st);
	if (watch)
		poison_watch_end(env->watch);
	wt_event_release(&wev);
	if (rc == 0)
		return db_release(env->db, "one_event");
	if (poison_fault_is_global(env->db)) {
		/* The storage fault is said once (storage/db_fault.c). */
		log_msg(db_fault_current() ? LOG_DEBUG : LOG_ERROR, "%s: event %s: %s",
			room_id, event_id ? event_id : "?", sqlite3_errmsg(env->db));
		return -1;
	}
	struct strbuf why = STRBUF_INIT;
	sb_addf(&why, "internal error: %s", sqlite3_errmsg(env->db));
	if (db_rollback_to(env->db, "one_event") < 0) {
		sb_release(&why);
		return -1;
	}
	if (!event_id) {  /* nothing to record it by: skipped all the same */
		log_warn("%s: skipping an event without id: %s", room_id, why.buf);
		sb_release(&why);
		return 0;
	}
	rc = poison_quarantine(env->db, env->cfg, net, event_id, room_id, sender,
			       why.buf, env_now(env), watch);
	sb_release(&why);
	if (rc == 0 && watch)
		st->replies++;
	return rc;
}

/* Whether ev is a message (no edit): a message deleted before the bot
 * saw it is no command. */
static int is_message(json_t *ev)
{
	struct wt_event wev;
	enum wt_event_kind kind = sync_event_kind(ev, &wev);
	return kind == WT_EV_MESSAGE || kind == WT_EV_REPLY;
}

/* One room of rooms.join: note the bot's join, then handle what came after.
 * Memberships are stored in timeline order between the commands, so a
 * command after a join in the same batch sees the new member. */
static int apply_joined_room(const struct sync_env *env, const char *room_id,
			     json_t *room, int first, struct sync_stats *st)
{
	/* The join is done; a room joined to check an alias is verified (or
	 * refused) from its state before anything in it counts. */
	if (rooms_sync_joined(env->db, env->cfg, room_id, room) < 0)
		return -1;
	const struct wt_network *net = rooms_network(env->db, env->cfg, room_id);
	json_t *events = json_object_get(json_object_get(room, "timeline"), "events");
	long long joined = rooms_joined_at(env->db, room_id);
	if (joined < 0 && rooms_note_joined(env->db, room_id,
					    net ? net->name : NULL, 0) < 0)
		return -1;
	/* Events before the bot's own join in this timeline are history. */
	size_t start = 0, i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		if (sync_is_own_join(ev, env->user_id)) {
			start = i + 1;
			joined = sync_event_ts(ev);
			if (rooms_note_joined(env->db, room_id, net ? net->name : NULL,
					      joined) < 0)
				return -1;
		}
	}
	json_t *state = json_object_get(json_object_get(room, "state"), "events");
	json_array_foreach(state, i, ev) {
		if (guarded_event(env, net, room_id, ev, 0, st) < 0)
			return -1;
		if (first && joined <= 0 && sync_is_own_join(ev, env->user_id))
			rooms_note_joined(env->db, room_id, NULL, sync_event_ts(ev));
	}
	/* A room of a network whose member list is not known yet: ask for
	 * it once (bot/members.c), after this batch. */
	if (room_members_want(env->db, room_id) < 0)
		return -1;
	/* What came before the join (by time) is the room's state when the
	 * bot came in: noted first, wherever the timeline lists it. Dendrite
	 * lists a joined room's history after the events that followed the
	 * join (a command right after the join came before the room's power
	 * levels, and was answered as if nobody had a role). */
	int before = joined > 0;
	json_array_foreach(events, i, ev) {
		if (before && sync_event_ts(ev) < joined
		    && guarded_event(env, net, room_id, ev, 0, st) < 0)
			return -1;
	}
	json_t *answered = own_answers(events, env->user_id);
	int rc = 0;
	for (i = 0; i < json_array_size(events) && rc == 0; i++) {
		ev = json_array_get(events, i);
		if (before && sync_event_ts(ev) < joined)
			continue;  /* noted above; never handled */
		int handle = !(first || !net || i < start
			       || (joined > 0 && sync_event_ts(ev) < joined))
			&& !(is_message(ev) && sync_is_redacted(ev, events));
		if (handle) {
			int skip = skip_answered(env, room_id, ev, answered, st);
			if (skip < 0) {
				rc = -1;
				break;
			}
			handle = !skip;
		}
		if (guarded_event(env, net, room_id, ev, handle, st) < 0)
			rc = -1;
	}
	json_decref(answered);
	return rc;
}

/* Whether a sync answer brings to-device events or device list changes. */
static int crypto_news(json_t *resp)
{
	json_t *lists = json_object_get(resp, "device_lists");
	return json_array_size(json_object_get(json_object_get(resp, "to_device"), "events"))
		|| json_array_size(json_object_get(lists, "changed"))
		|| json_array_size(json_object_get(lists, "left"));
}

int sync_apply(const struct sync_env *env, json_t *resp, struct sync_stats *st)
{
	memset(st, 0, sizeof *st);
	const char *next = str_at(resp, "next_batch");
	if (!next)
		return -1;
	if (db_begin(env->db) < 0)
		return -1;
	sqlite3_int64 changes = sqlite3_total_changes64(env->db);
	/* Read inside the batch's transaction: no read lock of its own. */
	char *since = db_kv_get(env->db, "sync.next_batch");
	st->first = since == NULL;
	/* An answer that moved nothing (an idle long-poll's timeout) writes
	 * nothing: the database, and the board's validators that follow its
	 * writes (web/router.c), stay as they were. */
	int same = since && strcmp(since, next) == 0;
	free(since);
	json_t *rooms = json_object_get(resp, "rooms");
	const char *room_id;
	json_t *room;
	json_object_foreach(json_object_get(rooms, "join"), room_id, room) {
		if (json_is_object(room)
		    && apply_joined_room(env, room_id, room, st->first, st) < 0)
			goto fail;
	}
	json_object_foreach(json_object_get(rooms, "invite"), room_id, room) {
		if (!json_is_object(room))
			continue;
		st->invites++;
		/* One invite that cannot be stored is skipped, not the batch. */
		if (db_savepoint(env->db, "one_invite") < 0)
			goto fail;
		if (rooms_apply_invite(env->db, env->cfg, env->user_id, room_id,
				       room) == 0) {
			if (db_release(env->db, "one_invite") < 0)
				goto fail;
			continue;
		}
		if (poison_fault_is_global(env->db))
			goto fail;
		log_warn("invite to %s skipped: %s", room_id, sqlite3_errmsg(env->db));
		if (db_rollback_to(env->db, "one_invite") < 0)
			goto fail;
	}
	json_object_foreach(json_object_get(rooms, "leave"), room_id, room) {
		/* Gone (left, kicked): a later join gets a new join time and
		 * a new member list. */
		if (room_forget_joined(env->db, room_id) < 0
		    || room_members_forget(env->db, room_id) < 0)
			goto fail;
	}
	/* The reminders of what the batch changed outside its commands. */
	if (reminder_regen_batch(env->db, env->cfg->networks, env->cfg->nnetworks,
				 env_now(env)) < 0)
		goto fail;
	/* A batch that changed nothing (the usual one: the echo of the bot's
	 * own reply) keeps its token in memory until the next batch that
	 * writes, or the bot's stop (db_close): a commit fewer per command. A
	 * crash before that brings the batch again, which changes nothing
	 * again. Not for a batch with news for the crypto machine, whose store
	 * keeps what it took from it. */
	if (sqlite3_total_changes64(env->db) == changes
	    && (same || (!st->first && !crypto_news(resp)))) {
		/* Nothing to commit: a commit would count as a write that
		 * worked, and end a storage fault that is still there. */
		db_rollback(env->db);
		return same ? 0 : db_kv_set_later(env->db, "sync.next_batch", next);
	}
	if ((!same && db_kv_set(env->db, "sync.next_batch", next) < 0)
	    || db_commit(env->db) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(env->db);
	return -1;
}

/* ---- catch-up of a cut timeline (bot/sync_loop.c) ---- */

int sync_gap_wanted(const struct sync_env *env, json_t *room)
{
	json_t *events = json_object_get(json_object_get(room, "timeline"), "events");
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
		if (sync_is_own_join(ev, env->user_id))
			return 0;  /* what came before is from before the join */
	return 1;
}

/* The bot's join in the state part of room (the state between the since
 * token and the timeline): when it is newer than the join time known, the
 * bot joined during the gap, and what came before it is history. */
static int note_join_in_gap(const struct sync_env *env, const char *room_id,
			    json_t *room)
{
	json_t *state = json_object_get(json_object_get(room, "state"), "events");
	long long known = rooms_joined_at(env->db, room_id);
	size_t i;
	json_t *ev;
	json_array_foreach(state, i, ev) {
		if (!sync_is_own_join(ev, env->user_id) || sync_event_ts(ev) <= known)
			continue;
		const struct wt_network *net = rooms_network(env->db, env->cfg, room_id);
		if (rooms_note_joined(env->db, room_id, net ? net->name : NULL,
				      sync_event_ts(ev)) < 0)
			return -1;
		known = sync_event_ts(ev);
	}
	return 0;
}

int sync_apply_room_events(const struct sync_env *env, const char *room_id,
			   json_t *room, json_t *events, struct sync_stats *st)
{
	memset(st, 0, sizeof *st);
	json_t *page = json_pack("{s:{s:O}}", "timeline", "events", events);
	if (!page)
		return -1;
	int rc = db_begin(env->db);
	if (rc == 0)
		rc = note_join_in_gap(env, room_id, room);
	if (rc == 0)
		rc = apply_joined_room(env, room_id, page, 0, st);
	json_decref(page);
	if (rc < 0 || db_commit(env->db) < 0) {
		db_rollback(env->db);
		return -1;
	}
	return 0;
}
