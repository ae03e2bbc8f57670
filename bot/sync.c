#include "bot/sync.h"

#include <stdlib.h>
#include <string.h>

#include "bot/edits.h"
#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/members.h"
#include "bot/message.h"
#include "bot/poison.h"
#include "bot/rooms.h"
#include "handlers/ratelimit.h"
#include "handlers/person.h"
#include "handlers/remind.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/db_fault.h"
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

/* A real join of the bot itself (not a profile change while joined). */
static int is_own_join(json_t *ev, const char *own)
{
	const char *type = str_at(ev, "type");
	const char *key = str_at(ev, "state_key");
	if (!type || !key || strcmp(type, "m.room.member") != 0 || strcmp(key, own) != 0)
		return 0;
	const char *mem = str_at(json_object_get(ev, "content"), "membership");
	if (!mem || strcmp(mem, "join") != 0)
		return 0;
	json_t *prev = json_object_get(json_object_get(ev, "unsigned"), "prev_content");
	if (!prev)
		prev = json_object_get(ev, "prev_content");
	const char *was = str_at(prev, "membership");
	return !was || strcmp(was, "join") != 0;
}

static long long event_ts(json_t *ev)
{
	json_t *ts = json_object_get(ev, "origin_server_ts");
	return json_is_integer(ts) ? (long long)json_integer_value(ts) : 0;
}

/* The command text of ev, or NULL when ev is no command candidate: only
 * m.text messages from someone else, no edits, with a string body. */
static const char *command_body(json_t *ev, const char *own)
{
	const char *type = str_at(ev, "type");
	const char *sender = str_at(ev, "sender");
	json_t *content = json_object_get(ev, "content");
	if (!type || strcmp(type, "m.room.message") != 0 || !sender
	    || !str_at(ev, "event_id") || strcmp(sender, own) == 0
	    || !json_is_object(content))
		return NULL;
	const char *msgtype = str_at(content, "msgtype");
	if (!msgtype || strcmp(msgtype, "m.text") != 0)
		return NULL;
	json_t *relates = json_object_get(content, "m.relates_to");
	const char *rel = str_at(relates, "rel_type");
	if (rel && strcmp(rel, "m.replace") == 0)
		return NULL;
	/* A command sent as a reply: read past the quoted fallback. */
	if (json_is_object(json_object_get(relates, "m.in_reply_to")))
		return message_body_without_reply(str_at(content, "body"));
	return str_at(content, "body");
}

/* The thread ev was sent in (m.relates_to rel_type m.thread), or NULL. */
static const char *thread_of(json_t *ev)
{
	json_t *relates = json_object_get(json_object_get(ev, "content"), "m.relates_to");
	const char *rel = str_at(relates, "rel_type");
	return rel && strcmp(rel, "m.thread") == 0 ? str_at(relates, "event_id") : NULL;
}

/* An edit (m.replace) of a message or a redaction, from someone else:
 * returns 1 for an edit (*target = the edited event, *body = its new
 * text), 2 for a redaction (*target = the redacted event), 3 for a
 * reaction (*target = the event, *body = the key), else 0. The handlers
 * update or remove what was logged from the target. */
static int change_of(json_t *ev, const char *own, const char **target, const char **body)
{
	const char *type = str_at(ev, "type");
	const char *sender = str_at(ev, "sender");
	json_t *content = json_object_get(ev, "content");
	if (!type || !sender || !str_at(ev, "event_id") || strcmp(sender, own) == 0)
		return 0;
	if (strcmp(type, "m.room.redaction") == 0) {
		/* Room versions up to 10 put it at the top, 11 in content. */
		*target = str_at(ev, "redacts");
		if (!*target)
			*target = str_at(content, "redacts");
		return *target ? 2 : 0;
	}
	if (strcmp(type, "m.reaction") == 0) {
		/* 3: a reaction (*body = its key), e.g. 👍 on a reminder. */
		json_t *ann = json_object_get(content, "m.relates_to");
		const char *art = str_at(ann, "rel_type");
		*target = str_at(ann, "event_id");
		*body = str_at(ann, "key");
		return art && strcmp(art, "m.annotation") == 0 && *target && *body ? 3 : 0;
	}
	if (strcmp(type, "m.room.message") != 0 || !json_is_object(content))
		return 0;
	json_t *rel = json_object_get(content, "m.relates_to");
	const char *rt = str_at(rel, "rel_type");
	json_t *nc = json_object_get(content, "m.new_content");
	const char *msgtype = str_at(nc, "msgtype");
	if (!rt || strcmp(rt, "m.replace") != 0 || !msgtype || strcmp(msgtype, "m.text") != 0)
		return 0;
	*target = str_at(rel, "event_id");
	*body = str_at(nc, "body");
	return *target && *body ? 1 : 0;
}

static int already_handled(sqlite3 *db, const char *event_id)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT 1 FROM handled_events WHERE event_id = ?1"
		" UNION ALL SELECT 1 FROM quarantine WHERE event_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The direct-message room of user, or NULL (a later join assigns it). */
static char *dm_room_of(sqlite3 *db, const char *user)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT room_id FROM rooms WHERE dm_user"
				      " = ?1 AND pending IS NULL LIMIT 1");
	char *room = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		room = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return room;
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
		if (!r->room && r->to_user)
			room = dm = dm_room_of(env->db, r->to_user);
		long long id = 0;
		int rc = message_enqueue(env->db, r, room, now, &id);
		if (rc == 0 && (int)i == main)
			*main_row = id;
		free(dm);
		if (rc == -2) {
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
	int seen = already_handled(env->db, event_id);
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

/* Dispatch one timeline event, once. */
static int handle_event(const struct sync_env *env, const struct wt_network *net,
			const char *room_id, json_t *ev, struct sync_stats *st)
{
	int waits = keep_undecrypted(env, room_id, ev, st);
	if (waits)
		return waits < 0 ? -1 : 0;
	const char *body = command_body(ev, env->user_id);
	const char *target = NULL, *new_body = NULL;
	int change = body ? 0 : change_of(ev, env->user_id, &target, &new_body);
	if (!body && !change)
		return 0;
	const char *event_id = str_at(ev, "event_id");
	int seen = already_handled(env->db, event_id);
	if (seen < 0)
		return -1;
	if (seen) {
		st->duplicates++;
		return 0;
	}
	struct wt_replies out = {0};
	time_t now = env_now(env);
	struct wt_ctx ctx = {
		.db = env->db, .net = net, .sender = str_at(ev, "sender"),
		.room = room_id, .event_id = event_id, .now = now,
		.lang = net->lang, .admins = (const char *const *)env->cfg->admins,
		.out = &out,
	};
	struct wt_mentions named = {0};  /* pills and m.mentions: who it names */
	message_mentions_read(json_object_get(ev, "content"), &named);
	ctx.mentions = &named;
	ctx.thread_root = thread_of(ev);
	/* A reply: what it answers, and the quoted text if the client sent one
	 * (!herinner mij ... as a reply reminds of that message). */
	json_t *content = json_object_get(ev, "content");
	json_t *rel = json_object_get(content, "m.relates_to");
	ctx.reply_to = str_at(json_object_get(rel, "m.in_reply_to"), "event_id");
	if (ctx.thread_root && json_is_true(json_object_get(rel, "is_falling_back")))
		ctx.reply_to = NULL;  /* a thread's fallback, no real reply */
	char *quote = ctx.reply_to ? message_reply_quote_dup(str_at(content, "body")) : NULL;
	ctx.reply_quote = quote;
	if (body)
		poison_test_hook(body);
	const char *corrects = NULL;  /* a refused command an edit corrects */
	int rc = change == 1 ? edits_dispatch(env, &ctx, ev, target, new_body, &corrects)
		 : change == 2 ? wt_dispatch_redact(&ctx, target)
		 : change == 3 ? remind_on_reaction(&ctx, target, new_body)
		 : ratelimit_hold(&ctx, &env->cfg->ratelimit, body, event_ts(ev)) ? WT_OK
		 : env->dispatch(&ctx, body);
	if (rc == WT_NOT_COMMAND && out.n == 0 && body)  /* "snooze 1h" to a reminder */
		rc = remind_on_reply(&ctx, str_at(json_object_get(json_object_get(
			json_object_get(ev, "content"), "m.relates_to"), "m.in_reply_to"),
			"event_id"), body);
	person_mentions_free(&named);
	free(quote);
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
		rc = edits_note_outcome(env->db, &ctx, change == 0 ? event_id : corrects,
					corrects != NULL, outcome, &out, main_row,
					event_ts(ev));
	wt_replies_free(&out);
	if (rc < 0)
		return -1;
	if (failed)
		return poison_quarantine(env->db, env->cfg, net, event_id, room_id,
					 ctx.sender, "the handler reported a database error",
					 now, 0);
	return db_execf(env->db, "INSERT INTO handled_events(event_id, room_id,"
			" handled_at) VALUES (?1, ?2, ?3)", "tti", event_id,
			room_id, (sqlite3_int64)now);
}

/* Whether ev was redacted: marked so by the server, or by a redaction in
 * the same timeline (a command deleted before the bot saw it is no
 * command). */
static int is_redacted(json_t *ev, json_t *events)
{
	if (json_object_get(json_object_get(ev, "unsigned"), "redacted_because"))
		return 1;
	const char *id = str_at(ev, "event_id");
	size_t i;
	json_t *r;
	json_array_foreach(events, i, r) {
		const char *type = str_at(r, "type");
		if (!type || strcmp(type, "m.room.redaction") != 0)
			continue;
		const char *target = str_at(r, "redacts");
		if (!target)  /* room version 11 moved it into content */
			target = str_at(json_object_get(r, "content"), "redacts");
		if (target && id && strcmp(target, id) == 0)
			return 1;
	}
	return 0;
}

/* The event ev answers when ev is the bot's own reply (m.in_reply_to) or
 * reaction (m.annotation, e.g. the check mark on a #besluit line), or
 * NULL. */
static const char *answer_target(json_t *ev, const char *own)
{
	const char *sender = str_at(ev, "sender");
	if (!sender || strcmp(sender, own) != 0)
		return NULL;
	/* An answer to an edit of a command names the edit (bot/edits.h). */
	const char *edit = str_at(json_object_get(ev, "content"), MESSAGE_ANSWERS_KEY);
	if (edit)
		return edit;
	json_t *rel = json_object_get(json_object_get(ev, "content"), "m.relates_to");
	const char *target = str_at(json_object_get(rel, "m.in_reply_to"), "event_id");
	const char *rt = str_at(rel, "rel_type");
	if (!target && rt && strcmp(rt, "m.annotation") == 0)
		target = str_at(rel, "event_id");
	return target;
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
		const char *target = answer_target(ev, own);
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
		const char *target = answer_target(ev, env->user_id);
		if (!target)
			continue;
		if (db_execf(env->db, "INSERT OR IGNORE INTO handled_events(event_id,"
			     " room_id, handled_at) VALUES (?1, ?2, ?3)", "tti",
			     target, room_id, now) < 0) {
			db_rollback(env->db);
			return -1;
		}
		*noted += sqlite3_changes(env->db);
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
	return db_execf(env->db, "INSERT OR IGNORE INTO handled_events(event_id,"
			" room_id, handled_at) VALUES (?1, ?2, ?3)", "tti", event_id,
			room_id, (sqlite3_int64)env_now(env)) < 0 ? -1 : 1;
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

/* Why ev, an event the bot would handle (a message, edit, redaction or
 * reaction from someone else), cannot be: a field it reads holds a NUL
 * character (it would be read only up to there) or has the wrong type.
 * NULL when ev is fine or nothing the bot reads. */
static const char *event_flaw(json_t *ev, const char *own)
{
	if (!json_is_object(ev))
		return NULL;
	json_t *type = json_object_get(ev, "type");
	if (json_in_has_nul(type))
		return "its type holds a NUL character";
	const char *t = str_at(ev, "type");
	int message = t && strcmp(t, "m.room.message") == 0;
	if (!t || (!message && strcmp(t, "m.room.redaction") != 0
		   && strcmp(t, "m.reaction") != 0))
		return NULL;
	json_t *sender = json_object_get(ev, "sender");
	const char *who = str_at(ev, "sender");
	if (who && strcmp(who, own) == 0)
		return NULL;
	if (json_in_has_nul(sender))
		return "its sender holds a NUL character";
	if (!who)
		return "it has no sender";
	if (json_in_has_nul(json_object_get(ev, "event_id")))
		return "its event id holds a NUL character";
	if (!str_at(ev, "event_id"))
		return "it has no event id";
	json_t *content = json_object_get(ev, "content");
	json_t *rel = json_object_get(content, "m.relates_to");
	if (json_in_has_nul(json_object_get(rel, "event_id"))
	    || json_in_has_nul(json_object_get(ev, "redacts"))
	    || json_in_has_nul(json_object_get(content, "redacts")))
		return "the event it refers to holds a NUL character";
	if (!message)
		return NULL;
	if (!json_is_object(content))
		return "its content is no object";
	json_t *msgtype = json_object_get(content, "msgtype");
	if (json_in_has_nul(msgtype))
		return "its msgtype holds a NUL character";
	const char *mt = str_at(content, "msgtype");
	if (!mt || strcmp(mt, "m.text") != 0)
		return NULL;
	json_t *body = json_object_get(content, "body");
	json_t *nbody = json_object_get(json_object_get(content, "m.new_content"), "body");
	if (json_in_has_nul(body) || json_in_has_nul(nbody))
		return "its text holds a NUL character";
	if (!json_is_string(body))
		return body ? "its body is no string" : "it has no body";
	return NULL;
}

/* One timeline or state event: its membership noted and, when handle, the
 * event handled; all in a savepoint. A failure of the event's own rolls
 * back only this event, which is quarantined (its sender told when it was
 * a message for the bot); a fault of the database fails the batch. */
static int guarded_event(const struct sync_env *env, const struct wt_network *net,
			 const char *room_id, json_t *ev, int handle,
			 struct sync_stats *st)
{
	const char *flaw = handle ? event_flaw(ev, env->user_id) : NULL;
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
	const char *t = NULL, *b = NULL;
	int watch = handle && (command_body(ev, env->user_id)
			       || change_of(ev, env->user_id, &t, &b));
	if (watch)
		poison_watch_begin(env->watch, event_id, room_id, sender);
	int rc = note_member(env->db, room_id, ev);
	if (rc == 0 && handle)
		rc = handle_event(env, net, room_id, ev, st);
	if (watch)
		poison_watch_end(env->watch);
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
		if (is_own_join(ev, env->user_id)) {
			start = i + 1;
			joined = event_ts(ev);
			if (rooms_note_joined(env->db, room_id, net ? net->name : NULL,
					      joined) < 0)
				return -1;
		}
	}
	json_t *state = json_object_get(json_object_get(room, "state"), "events");
	json_array_foreach(state, i, ev) {
		if (guarded_event(env, net, room_id, ev, 0, st) < 0)
			return -1;
		if (first && joined <= 0 && is_own_join(ev, env->user_id))
			rooms_note_joined(env->db, room_id, NULL, event_ts(ev));
	}
	/* A room of a network whose member list is not known yet: ask for
	 * it once (bot/members.c), after this batch. */
	if (room_members_want(env->db, room_id) < 0)
		return -1;
	json_t *answered = own_answers(events, env->user_id);
	int rc = 0;
	for (i = 0; i < json_array_size(events) && rc == 0; i++) {
		ev = json_array_get(events, i);
		int handle = !(first || !net || i < start
			       || (joined > 0 && event_ts(ev) < joined))
			&& !(command_body(ev, env->user_id) && is_redacted(ev, events));
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

int sync_apply(const struct sync_env *env, json_t *resp, struct sync_stats *st)
{
	memset(st, 0, sizeof *st);
	const char *next = str_at(resp, "next_batch");
	if (!next)
		return -1;
	char *since = db_kv_get(env->db, "sync.next_batch");
	st->first = since == NULL;
	free(since);
	if (db_begin(env->db) < 0)
		return -1;
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
		if (db_execf(env->db, "UPDATE rooms SET joined_at = NULL WHERE"
			     " room_id = ?1 AND pending IS NULL", "t", room_id) < 0
		    || room_members_forget(env->db, room_id) < 0)
			goto fail;
	}
	if (db_kv_set(env->db, "sync.next_batch", next) < 0 || db_commit(env->db) < 0)
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
		if (is_own_join(ev, env->user_id))
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
		if (!is_own_join(ev, env->user_id) || event_ts(ev) <= known)
			continue;
		const struct wt_network *net = rooms_network(env->db, env->cfg, room_id);
		if (rooms_note_joined(env->db, room_id, net ? net->name : NULL,
				      event_ts(ev)) < 0)
			return -1;
		known = event_ts(ev);
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
