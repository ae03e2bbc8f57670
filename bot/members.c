#include "bot/members.h"

#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "bot/matrix.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/room_crypto.h"
#include "storage/room_members.h"
#include "storage/room_power.h"

/* A joined_members (then state) request of one room; one at a time per
 * session, in m->members_inflight: freed by members_forget when the bot
 * stops before its answer (the request is dropped unanswered). */
struct members_fetch {
	struct matrix *m;
	char *room_id;
};

/* Store the users map of an m.room.power_levels content (anything
 * malformed counts as no users). */
static int note_power(sqlite3 *db, const char *room_id, json_t *content)
{
	json_t *map = json_object_get(content, "users");
	size_t n = json_is_object(map) ? json_object_size(map) : 0, k = 0;
	const char **users = xcalloc(n ? n : 1, sizeof *users);
	long long *levels = xcalloc(n ? n : 1, sizeof *levels);
	const char *user;
	json_t *v;
	if (n)
		json_object_foreach(map, user, v) {
			if (!json_is_integer(v))
				continue;
			users[k] = user;
			levels[k++] = (long long)json_integer_value(v);
		}
	int rc = room_power_replace(db, room_id, users, levels, k);
	free(users);
	free(levels);
	return rc;
}

/* 1 when a room of this version ranks its creators above every power
 * level: version 12 and later (and the experimental "hydra" versions). */
static int creators_privileged(const char *version)
{
	if (!version)
		return 0;
	if (strstr(version, "hydra"))
		return 1;
	char *end;
	long v = strtol(version, &end, 10);
	return end != version && *end == '\0' && v >= 12;
}

/* Store the creators an m.room.create event names (its sender and
 * content.additional_creators) where the room version privileges them. */
static int note_create(sqlite3 *db, const char *room_id, json_t *ev)
{
	json_t *content = json_object_get(ev, "content");
	const char *sender = json_in_str(ev, "sender");
	if (!creators_privileged(json_in_str(content, "room_version")) || !sender)
		return room_power_set_creators(db, room_id, NULL, 0);
	json_t *more = json_object_get(content, "additional_creators");
	size_t n = 1 + (json_is_array(more) ? json_array_size(more) : 0), k = 0, i;
	const char **users = xcalloc(n, sizeof *users);
	users[k++] = sender;
	json_t *u;
	if (json_is_array(more))
		json_array_foreach(more, i, u)
			if (json_is_string(u) && !json_in_has_nul(u))
				users[k++] = json_string_value(u);
	int rc = room_power_set_creators(db, room_id, users, k);
	free(users);
	return rc;
}

int members_note_state(sqlite3 *db, const char *room_id, json_t *ev)
{
	const char *type = json_in_str(ev, "type"), *key = json_in_str(ev, "state_key");
	if (!type || !key || *key)
		return 0;
	if (strcmp(type, "m.room.power_levels") == 0)
		return note_power(db, room_id, json_object_get(ev, "content"));
	if (strcmp(type, "m.room.create") == 0)
		return note_create(db, room_id, ev);
	if (strcmp(type, "m.room.encryption") == 0) {
		/* Only a real algorithm turns encryption on. */
		json_t *c = json_object_get(ev, "content");
		if (!json_in_str(c, "algorithm"))
			return 0;
		char *text = json_dumps(c, JSON_COMPACT);
		int rc = text ? room_crypto_set(db, room_id, text) : -1;
		free(text);
		return rc;
	}
	if (strcmp(type, "m.room.history_visibility") == 0) {
		const char *v = json_in_str(json_object_get(ev, "content"),
					    "history_visibility");
		return v ? room_crypto_set_visibility(db, room_id, v) : 0;
	}
	return 0;
}

static void fetch_free(struct members_fetch *f);

/* The room's state, asked for after its members: its power levels and
 * creators (a database from before they were kept learns them here). */
static void on_state(void *arg, long status, json_t *body)
{
	struct members_fetch *f = arg;
	struct matrix *m = f->m;
	size_t i;
	json_t *ev;
	m->members_inflight = NULL;
	if (status == 200 && json_is_array(body))
		json_array_foreach(body, i, ev)
			if (members_note_state(m->db, f->room_id, ev) < 0)
				log_warn("%s: cannot store the power levels", f->room_id);
	fetch_free(f);
	members_run(m);
}

static void fetch_free(struct members_fetch *f)
{
	free(f->room_id);
	free(f);
}

/* Store the joined users of the answer, or give the room up until it is
 * wanted again (a refusal: the bot is not in the room). */
static void on_members(void *arg, long status, json_t *body)
{
	struct members_fetch *f = arg;
	struct matrix *m = f->m;
	json_t *joined = json_object_get(body, "joined");
	m->members_inflight = NULL;
	if (status == 200 && json_is_object(joined)) {
		size_t n = json_object_size(joined), k = 0;
		const char **users = xcalloc(n ? n : 1, sizeof *users);
		const char *user;
		json_t *v;
		json_object_foreach(joined, user, v)
			users[k++] = user;
		if (room_members_fetch_done(m->db, f->room_id, users, k) == 0) {
			log_info("%s: %zu members", f->room_id, k);
			/* Their display names, for naming people as clients do. */
			json_object_foreach(joined, user, v) {
				json_t *dn = json_object_get(v, "display_name");
				if (json_is_string(dn) && room_members_set_name(m->db,
					f->room_id, user, json_string_value(dn)) < 0)
					log_warn("%s: cannot store a display name", f->room_id);
			}
			free(users);
			char *rid = mx_escape(f->room_id);
			struct strbuf path = STRBUF_INIT;
			sb_addf(&path, "/_matrix/client/v3/rooms/%s/state", rid);
			free(rid);
			m->members_inflight = f;
			mx_request(m, "GET", path.buf, NULL, 0, MX_ARRAY, on_state, f);
			sb_release(&path);
			return;
		} else {
			log_warn("%s: cannot store the members", f->room_id);
			room_members_fetch_failed(m->db, f->room_id);
		}
		free(users);
	} else {
		log_warn("cannot read the members of %s (HTTP %ld %s)", f->room_id,
			 status, mx_errcode(body));
		room_members_fetch_failed(m->db, f->room_id);
	}
	fetch_free(f);
	members_run(m);
}

void members_run(struct matrix *m)
{
	if (m->members_inflight || m->stopping)
		return;
	char *room = room_members_next_wanted(m->db);
	if (!room)
		return;
	if (room_members_fetch_begin(m->db, room) < 0) {
		free(room);
		return;
	}
	struct members_fetch *f = xcalloc(1, sizeof *f);
	f->m = m;
	f->room_id = room;
	char *rid = mx_escape(room);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/rooms/%s/joined_members", rid);
	free(rid);
	m->members_inflight = f;
	mx_request(m, "GET", path.buf, NULL, 0, 0, on_members, f);
	sb_release(&path);
}

void members_forget(struct matrix *m)
{
	if (m->members_inflight)
		fetch_free(m->members_inflight);
	m->members_inflight = NULL;
}
