/* e2ee: identity and receiving (see bot/e2ee.h); sending is in
 * bot/e2ee_send.c. */
#include "bot/e2ee.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bot/e2ee_int.h"
#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/message.h"
#include "bot/rooms.h"
#include "handlers/catalog.h"
#include "lib/log.h"
#include "lib/private_file.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/room_crypto.h"

/* Waiting events looked at per pass. */
#define PENDING_BATCH 200

json_t *e2ee_take_json(char *s, const char *what)
{
	if (!s) {
		log_warn("crypto: %s failed: %s", what, wtc_last_error());
		return NULL;
	}
	json_error_t err;
	json_t *j = json_loads(s, 0, &err);
	wtc_free(s);
	if (!j)
		log_warn("crypto: %s gave no JSON: %s", what, err.text);
	return j;
}

/* The first line of path (the store's passphrase), or NULL with *bad set
 * when the file cannot be read. */
static char *read_passphrase(const char *path, int *bad)
{
	*bad = 0;
	if (!path)
		return NULL;
	FILE *f = fopen(path, "r");
	if (!f) {
		log_error("[crypto] passphrase_file %s: %s", path, strerror(errno));
		*bad = 1;
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	int ch;
	while ((ch = fgetc(f)) != EOF && ch != '\n')
		sb_addc(&sb, (char)ch);
	fclose(f);
	sb_rtrim(&sb);
	if (!sb.len) {
		log_error("[crypto] passphrase_file %s is empty", path);
		*bad = 1;
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* The store directory: [crypto] store, else "<database>.crypto". */
static char *store_dir(const struct wt_config *cfg, const char *db_path)
{
	if (cfg->crypto_store)
		return xstrdup(cfg->crypto_store);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s.crypto", db_path);
	return sb_detach(&sb);
}

/* Compare the store's identity with the one the database remembers (a
 * database without one adopts the store's). 0 when they fit, -1 (logged)
 * when the store is not the one this database's device had. */
static int check_identity(struct e2ee *e, const char *dir, int created)
{
	sqlite3 *db = e->m->db;
	json_t *id = e2ee_take_json(wtc_identity(e->c), "reading the identity");
	const char *ed = json_in_str(id, "ed25519");
	char *known = db_kv_get(db, "crypto.ed25519");
	int rc = 0;
	if (!ed) {
		rc = -1;
	} else if (!known) {
		if (db_kv_set(db, "crypto.ed25519", ed) < 0
		    || db_kv_set(db, "crypto.device", e->m->device_id) < 0)
			rc = -1;
		else
			log_info("crypto: device %s, ed25519 key %s (%s)",
				 e->m->device_id, ed, created ? "new" : "from the store");
	} else if (created || strcmp(known, ed) != 0) {
		log_error("crypto: the store %s %s, but this database belongs to "
			  "device %s with ed25519 key %s. A new device must be a "
			  "decision, not an accident: put the store back, or (to start "
			  "a new device on purpose) delete the store, the token file and "
			  "the database's crypto.* and matrix.device_id rows, so the "
			  "bot logs in as a new device", dir,
			  created ? "was empty (wiped?)" : "holds another identity",
			  e->m->device_id, known);
		rc = -1;
	}
	free(known);
	json_decref(id);
	return rc;
}

int e2ee_open(struct matrix *m, const char *db_path, struct e2ee **out)
{
	struct e2ee *e = xcalloc(1, sizeof *e);
	e->m = m;
	e->fetched = json_object();
	e->warned = json_object();
	*out = e;
	const struct wt_config *cfg = m->cfg;
	if (cfg->crypto_off) {
		e->why_off = xstrdup("[crypto] enabled = no");
		log_info("end-to-end encryption is off ([crypto] enabled = no): "
			 "nothing is sent to encrypted rooms");
		return 0;
	}
	int bad;
	char *pass = read_passphrase(cfg->crypto_passphrase_file, &bad);
	if (bad)
		return 1;
	char *dir = store_dir(cfg, db_path);
	int created = 0;
	e->c = wtc_open(dir, m->user_id, m->device_id, pass, &created);
	if (pass) {
		memset(pass, 0, strlen(pass));
		free(pass);
	}
	if (!e->c) {
		const char *why = wtc_last_error();
		int built_without = strstr(why, "built without") != NULL;
		log_msg(built_without ? LOG_WARN : LOG_ERROR, "crypto: cannot open "
			"the store %s: %s%s", dir, why, built_without
			? "; nothing is sent to encrypted rooms" : "");
		e->why_off = xstrdup(why);
		free(dir);
		return built_without ? 0 : 1;
	}
	private_tighten_dir(dir);  /* the device's keys: the owner's only */
	int rc = check_identity(e, dir, created);
	free(dir);
	if (rc < 0)
		return 1;
	e2ee_pump(e);
	return 0;
}

void e2ee_free(struct e2ee *e)
{
	if (!e)
		return;
	e2ee_jobs_free(e);
	if (e->c)
		wtc_close(e->c);
	free(e->why_off);
	free(e->tracked);
	free(e->last_counts);
	json_decref(e->fetched);
	json_decref(e->warned);
	free(e);
}

int e2ee_active(const struct e2ee *e)
{
	return e && e->c;
}

void e2ee_set_sync_env(struct e2ee *e, const struct sync_env *env,
		       void (*enqueued)(void *arg), void *arg)
{
	e->env = *env;
	e->env.decrypt_sync = NULL;  /* waiting events are decrypted already */
	e->env.decrypt_page = NULL;
	e->have_env = 1;
	e->enqueued = enqueued;
	e->enqueued_arg = arg;
}

json_t *e2ee_clear_event(json_t *ev, json_t *res)
{
	json_t *clear = json_object_get(res, "event");
	const char *type = json_in_str(clear, "type");
	if (!json_is_object(clear) || !type || strcmp(type, "m.room.redaction") == 0
	    || !json_is_object(json_object_get(clear, "content")))
		return NULL;
	clear = json_deep_copy(clear);
	static const char *const outer[] = { "event_id", "sender",
		"origin_server_ts", "room_id", "unsigned", NULL };
	for (size_t i = 0; outer[i]; i++) {
		json_t *v = json_object_get(ev, outer[i]);
		if (v)
			json_object_set(clear, outer[i], v);
		else
			json_object_del(clear, outer[i]);
	}
	json_object_del(clear, "state_key");
	json_object_del(clear, "redacts");
	/* Relations live in the clear part (the spec; older clients took them
	 * out of the ciphertext): a thread, reply or edit reads from there. */
	json_t *rel = json_object_get(json_object_get(ev, "content"), "m.relates_to");
	if (json_is_object(rel))
		json_object_set(json_object_get(clear, "content"), "m.relates_to", rel);
	return clear;
}

/* Decrypt ev of room_id: the clear event (caller decrefs), or NULL when
 * it stays encrypted (*missing: for want of its room key). */
static json_t *decrypt_one(struct e2ee *e, const char *room_id, json_t *ev,
			   int *missing)
{
	*missing = 0;
	char *text = json_dumps(ev, JSON_COMPACT);
	if (!text)
		return NULL;
	char *out = wtc_decrypt(e->c, room_id, text);
	e->news = 1;  /* a missing key may make a key request */
	free(text);
	json_t *res = e2ee_take_json(out, "decrypting an event");
	json_t *clear = NULL;
	if (json_is_true(json_object_get(res, "ok"))) {
		clear = e2ee_clear_event(ev, res);
		if (!clear)
			log_warn("%s: encrypted event %s holds no usable event; ignored",
				 room_id, json_in_str(ev, "event_id"));
	} else if (res) {
		*missing = json_is_true(json_object_get(res, "missing_key"));
		if (!*missing)
			log_debug("%s: cannot decrypt %s: %s", room_id,
				  json_in_str(ev, "event_id"), json_in_str(res, "message"));
	}
	json_decref(res);
	return clear;
}

/* Whether ev is an encrypted room event. */
static int is_encrypted(json_t *ev)
{
	const char *type = json_in_str(ev, "type");
	return type && strcmp(type, "m.room.encrypted") == 0;
}

void e2ee_decrypt_page(void *arg, const char *room_id, json_t *events)
{
	struct e2ee *e = arg;
	if (!e->c || !json_is_array(events))
		return;
	for (size_t i = 0; i < json_array_size(events); i++) {
		json_t *ev = json_array_get(events, i);
		if (!is_encrypted(ev))
			continue;
		int missing;
		json_t *clear = decrypt_one(e, room_id, ev, &missing);
		if (clear)
			json_array_set_new(events, i, clear);
	}
}

/* The crypto parts of a /sync answer, as wtc_receive_sync takes them. */
static json_t *sync_changes(json_t *resp)
{
	static const char *const keys[] = { "to_device", "device_lists",
		"device_one_time_keys_count", "device_unused_fallback_key_types",
		"next_batch", NULL };
	json_t *in = json_object();
	for (size_t i = 0; keys[i]; i++) {
		json_t *v = json_object_get(resp, keys[i]);
		if (v)
			json_object_set(in, keys[i], v);
	}
	json_t *fb = json_object_get(resp, "org.matrix.msc2732.device_unused_fallback_key_types");
	if (fb && !json_object_get(in, "device_unused_fallback_key_types"))
		json_object_set(in, "device_unused_fallback_key_types", fb);
	return in;
}

/* 1 when the sync's part for the machine holds nothing new: no to-device
 * events, no device-list changes, the same one-time and fallback key counts
 * as the last sync given to it. The machine's receive_sync_changes copies
 * its whole account (every one-time key's public key recomputed: half of
 * the bot's instructions per command, bench-profile), so the bot only calls
 * it when there is something to take. Else remembers the counts. */
static int skip_sync(struct e2ee *e, json_t *in)
{
	json_t *lists = json_object_get(in, "device_lists");
	if (json_array_size(json_object_get(json_object_get(in, "to_device"), "events"))
	    || json_array_size(json_object_get(lists, "changed"))
	    || json_array_size(json_object_get(lists, "left"))) {
		free(e->last_counts);
		e->last_counts = NULL;
		return 0;
	}
	json_t *counts = json_pack("{s:O?,s:O?}", "otk",
				   json_object_get(in, "device_one_time_keys_count"),
				   "fallback", json_object_get(in, "device_unused_fallback_key_types"));
	char *text = counts ? json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(counts);
	int same = text && e->last_counts && strcmp(text, e->last_counts) == 0;
	free(e->last_counts);
	e->last_counts = text;
	return same;
}

void e2ee_decrypt_sync(void *arg, json_t *resp)
{
	struct e2ee *e = arg;
	if (!e->c || !json_is_object(resp))
		return;
	json_t *in = sync_changes(resp);
	if (skip_sync(e, in)) {
		json_decref(in);
		in = NULL;
	}
	size_t ntd = json_array_size(json_object_get(json_object_get(in, "to_device"), "events"));
	if (ntd)
		log_debug("crypto: %zu to-device messages in the sync", ntd);
	char *text = in ? json_dumps(in, JSON_COMPACT) : NULL;
	json_decref(in);
	e->syncs_taken += text != NULL;
	e->news |= text != NULL;
	json_t *res = text ? e2ee_take_json(wtc_receive_sync(e->c, text),
					    "taking the sync's keys") : NULL;
	if (text && !res) {
		/* Not taken: the next sync gives the counts again. */
		free(e->last_counts);
		e->last_counts = NULL;
	}
	free(text);
	size_t i;
	json_t *bad;
	json_array_foreach(json_object_get(res, "undecryptable"), i, bad) {
		e->to_device_lost++;
		log_warn("crypto: a to-device message from %s could not be read "
			 "(%s); a room key in it is lost",
			 json_string_value(json_object_get(bad, "sender")),
			 json_string_value(json_object_get(bad, "reason")));
	}
	size_t nkeys = json_array_size(json_object_get(res, "room_keys"));
	if (nkeys) {
		e->keys_arrived = 1;
		log_debug("crypto: %zu room keys arrived", nkeys);
	}
	json_decref(res);
	const char *room_id;
	json_t *room;
	json_object_foreach(json_object_get(json_object_get(resp, "rooms"), "join"),
			    room_id, room)
		e2ee_decrypt_page(e, room_id, json_object_get(
			json_object_get(room, "timeline"), "events"));
}

/* Tell the sender of a given-up event, in its room, to check their
 * device: nothing of the message is quoted (it was never read). */
static int tell_sender(struct e2ee *e, const struct e2ee_pending *p)
{
	const struct wt_network *net = rooms_network(e->m->db, e->m->cfg, p->room_id);
	enum wt_lang lang = net ? net->lang : e->m->cfg->lang;
	struct strbuf md = STRBUF_INIT;
	sb_addf(&md, msg_text(lang, M_E2EE_UNDECRYPTABLE), p->sender);
	char *mention = p->sender;
	struct wt_reply r = {
		.kind = REPLY_NOTICE, .markdown = md.buf, .mentions = &mention,
		.nmentions = 1, .notify = 1,
	};
	int rc = message_enqueue(e->m->db, &r, p->room_id, time(NULL), NULL);
	sb_release(&md);
	return rc == MESSAGE_EDB ? -1 : 0;
}

/* Give up the events that waited longer than [crypto] key_wait_minutes. */
static void give_up_old(struct e2ee *e)
{
	sqlite3 *db = e->m->db;
	time_t now = time(NULL), limit = now - e->m->cfg->key_wait_minutes * 60;
	struct e2ee_pending *v;
	int n = e2ee_pending_list(db, PENDING_BATCH, &v), told = 0;
	for (int i = 0; i < n && v[i].first_seen <= (long long)limit; i++) {
		if (db_begin(db) < 0)
			break;
		int first = e2ee_pending_give_up(db, v[i].event_id, now);
		int rc = first < 0 ? -1 : first ? tell_sender(e, &v[i]) : 0;
		if (rc < 0 || db_commit(db) < 0) {
			db_rollback(db);
			break;
		}
		log_warn("%s: encrypted event %s from %s given up: its room key did "
			 "not come in %ld minutes%s", v[i].room_id, v[i].event_id,
			 v[i].sender, e->m->cfg->key_wait_minutes,
			 first ? "; the sender is asked to check their device" : "");
		told += first;
	}
	if (n > 0)
		e2ee_pending_free(v, (size_t)n);
	if (told && e->enqueued)
		e->enqueued(e->enqueued_arg);
}

/* Room keys came: decrypt the waiting events that can be now and handle
 * each once, as the sync would have (bot/sync.h). */
static void retry_waiting(struct e2ee *e)
{
	sqlite3 *db = e->m->db;
	struct e2ee_pending *v;
	int n = e2ee_pending_list(db, PENDING_BATCH, &v), replies = 0;
	json_t *room = json_object();
	for (int i = 0; i < n; i++) {
		json_error_t err;
		json_t *ev = json_loads(v[i].event, 0, &err);
		int missing;
		json_t *clear = ev ? decrypt_one(e, v[i].room_id, ev, &missing) : NULL;
		json_decref(ev);
		if (!clear)
			continue;
		json_t *events = json_array();
		json_array_append_new(events, clear);
		struct sync_stats st;
		if (sync_apply_room_events(&e->env, v[i].room_id, room, events, &st) == 0) {
			e2ee_pending_done(db, v[i].event_id);
			replies += st.replies;
			log_info("%s: event %s decrypted after its key came", v[i].room_id,
				 v[i].event_id);
		}
		json_decref(events);
	}
	json_decref(room);
	if (n > 0)
		e2ee_pending_free(v, (size_t)n);
	if (replies && e->enqueued)
		e->enqueued(e->enqueued_arg);
}

/* Give the machine the users of encrypted rooms when they changed. */
static void track_users(struct e2ee *e)
{
	char *users = room_crypto_tracked_users(e->m->db, e->m->user_id);
	if (!users || (e->tracked && strcmp(users, e->tracked) == 0)) {
		free(users);
		return;
	}
	if (wtc_update_tracked_users(e->c, users) < 0) {
		log_warn("crypto: cannot track the members of encrypted rooms: %s",
			 wtc_last_error());
		free(users);
		return;
	}
	free(e->tracked);
	e->tracked = users;
	e->news = 1;  /* new users: a keys query */
}

void e2ee_after_sync(struct e2ee *e)
{
	if (!e || !e->c)
		return;
	track_users(e);
	if (e->keys_arrived && e->have_env) {
		e->keys_arrived = 0;
		retry_waiting(e);
	}
	give_up_old(e);
	/* Its requests come only from what it was given: a sync that gave
	 * it nothing (most of them: a command, the echo of a reply) does not
	 * wake its thread. e2ee_tick asks now and then all the same. */
	if (e->news)
		e2ee_pump(e);
}

void e2ee_tick(struct e2ee *e)
{
	if (e)
		e->news = 1;
}

json_t *e2ee_room_encryption_content(void)
{
	return json_pack("{s:s}", "algorithm", "m.megolm.v1.aes-sha2");
}
