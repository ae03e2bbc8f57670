#include "bot/rooms.h"

#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "bot/matrix.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "storage/room_members.h"

const struct wt_network *rooms_network(sqlite3 *db, const struct wt_config *cfg,
				       const char *room_id)
{
	const struct wt_network *net = rooms_verified_network(db, cfg, room_id);
	if (net)
		return net;
	sqlite3_stmt *st = db_prepare(db, "SELECT network FROM rooms WHERE room_id = ?1"
				      " AND network IS NOT NULL AND dm_user IS NOT NULL");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		net = config_network_by_name(cfg,
			(const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return net;
}

long long rooms_joined_at(sqlite3 *db, const char *room_id)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT COALESCE(joined_at, 0) FROM rooms WHERE room_id = ?1");
	long long v = -1;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, room_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	db_done(st);
	return v;
}

int rooms_note_joined(sqlite3 *db, const char *room_id, const char *network,
		      long long joined_at_ms)
{
	if (db_execf(db, "INSERT INTO rooms(room_id, network) VALUES (?1, ?2)"
		     " ON CONFLICT(room_id) DO UPDATE SET"
		     " network = COALESCE(excluded.network, network),"
		     " pending = CASE pending WHEN 'join' THEN NULL ELSE pending END",
		     "tt", room_id, network) < 0)
		return -1;
	if (joined_at_ms > 0)
		return db_execf(db, "UPDATE rooms SET joined_at = ?2 WHERE room_id = ?1",
				"ti", room_id, (sqlite3_int64)joined_at_ms);
	return 0;
}

/* The network of a direct chat with user: the first network for an admin
 * of the config, else the network of a verified room user is joined to,
 * else the one where user has the highest stored role; NULL for strangers.
 * (Commands in the chat still need current membership: handlers/dispatch.c.) */
static const struct wt_network *network_of_member(sqlite3 *db,
	const struct wt_config *cfg, const char *user)
{
	for (size_t i = 0; cfg->admins && cfg->admins[i]; i++)
		if (strcmp(cfg->admins[i], user) == 0 && cfg->nnetworks > 0)
			return &cfg->networks[0];
	char *joined = room_members_network_of_dup(db, user);
	const struct wt_network *net = joined ? config_network_by_name(cfg, joined) : NULL;
	free(joined);
	if (net)
		return net;
	sqlite3_stmt *st = db_prepare(db, "SELECT network FROM roles"
				      " WHERE user_id = ?1 ORDER BY role DESC");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	while (!net && sqlite3_step(st) == SQLITE_ROW)
		net = config_network_by_name(cfg,
			(const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return net;
}

static const char *str_at(json_t *obj, const char *key)
{
	return json_in_str(obj, key);  /* NULL for a string with a NUL */
}

int rooms_apply_invite(sqlite3 *db, const struct wt_config *cfg,
		       const char *own_user, const char *room_id, json_t *room)
{
	json_t *state = json_object_get(room, "invite_state");
	json_t *events = json_object_get(state, "events");
	const char *inviter = NULL;
	int is_direct = 0, invited = 0;
	size_t i;
	json_t *ev;
	/* Only the invite itself is read: what the invite_state (or any
	 * unsigned data) claims of the room, its aliases above all, comes from
	 * the inviting server and decides nothing. */
	json_array_foreach(events, i, ev) {
		const char *type = str_at(ev, "type");
		json_t *content = json_object_get(ev, "content");
		if (!type || !json_is_object(content) || strcmp(type, "m.room.member") != 0)
			continue;
		const char *key = str_at(ev, "state_key");
		const char *mem = str_at(content, "membership");
		if (key && mem && strcmp(key, own_user) == 0
		    && strcmp(mem, "invite") == 0) {
			invited = 1;
			inviter = str_at(ev, "sender");
			is_direct = json_is_true(json_object_get(content, "is_direct"));
		}
	}
	if (!invited)
		return 0;
	const char *who = inviter ? inviter : "?";
	const struct wt_network *net = rooms_verified_network(db, cfg, room_id);
	if (net) {
		log_info("invited to %s (network %s) by %s: joining", room_id,
			 net->name, who);
		return db_execf(db, "INSERT INTO rooms(room_id, network, pending,"
				" invited_by) VALUES (?1, ?2, 'join', ?3)"
				" ON CONFLICT(room_id) DO UPDATE SET network ="
				" excluded.network, pending = 'join', dm_user = NULL,"
				" invited_by = excluded.invited_by, alias = NULL, resolve = 0",
				"ttt", room_id, net->name, inviter);
	}
	const struct wt_network *dm_net = is_direct && inviter
		? network_of_member(db, cfg, inviter) : NULL;
	if (dm_net) {
		log_info("direct chat %s from %s: joining", room_id, who);
		return db_execf(db, "INSERT INTO rooms(room_id, network, dm_user,"
				" pending, invited_by) VALUES (?1, ?2, ?3, 'join', ?3)"
				" ON CONFLICT(room_id) DO UPDATE SET network ="
				" excluded.network, dm_user = excluded.dm_user,"
				" pending = 'join', invited_by = excluded.invited_by,"
				" alias = NULL, resolve = 0",
				"ttt", room_id, dm_net->name, inviter);
	}
	/* Not verified: refused, unless a configured alias now resolves to
	 * the room (asked of the directory before leaving, bot/rooms_verify.c). */
	int resolve = rooms_config_has_aliases(cfg);
	if (!resolve)
		log_info("refusing invite to %s from %s: the room is not in the config",
			 room_id, who);
	else
		log_info("invite to %s from %s: not a known room; asking the directory"
			 " about the configured aliases", room_id, who);
	return db_execf(db, "INSERT INTO rooms(room_id, pending, invited_by, resolve)"
			" VALUES (?1, 'leave', ?2, ?3) ON CONFLICT(room_id) DO UPDATE"
			" SET pending = 'leave', invited_by = excluded.invited_by,"
			" resolve = excluded.resolve, alias = NULL, network ="
			" CASE WHEN dm_user IS NULL THEN NULL ELSE network END",
			"tti", room_id, inviter, (sqlite3_int64)resolve);
}

/* ---- join/leave requests ---- */

struct action {
	struct matrix *m;
	char *room_id;
	char *dm_user;
	int join;
};

static void on_action(void *arg, long status, json_t *body)
{
	struct action *a = arg;
	struct matrix *m = a->m;
	m->room_action_busy = 0;
	if (a->join) {
		if (status == 200) {
			/* (A failed check may have asked to leave meanwhile.) */
			db_execf(m->db, "UPDATE rooms SET pending = NULL"
				 " WHERE room_id = ?1 AND pending = 'join'", "t", a->room_id);
			if (a->dm_user)
				outbox_assign_room(m->db, a->dm_user, a->room_id);
			log_info("joined %s", a->room_id);
		} else {
			log_warn("cannot join %s (HTTP %ld %s)", a->room_id, status,
				 mx_errcode(body));
			db_execf(m->db, "UPDATE rooms SET pending = NULL, alias = NULL"
				 " WHERE room_id = ?1 AND pending = 'join'", "t", a->room_id);
		}
	} else {
		if (status != 200)
			log_debug("leave %s: HTTP %ld %s", a->room_id, status,
				  mx_errcode(body));
		db_execf(m->db, "DELETE FROM rooms WHERE room_id = ?1"
			 " AND pending = 'leave'", "t", a->room_id);
	}
	int joined = a->join && status == 200;
	free(a->room_id);
	free(a->dm_user);
	free(a);
	if (joined && m->joined_fn)
		m->joined_fn(m->joined_arg);
	rooms_run_actions(m, m->joined_fn, m->joined_arg);
}

/* The directory was asked about an invite: on to the next action. */
static void on_resolved(struct matrix *m)
{
	m->room_action_busy = 0;
	rooms_run_actions(m, m->joined_fn, m->joined_arg);
}

void rooms_run_actions(struct matrix *m, void (*joined)(void *arg), void *arg)
{
	m->joined_fn = joined;
	m->joined_arg = arg;
	if (m->room_action_busy || m->stopping)
		return;
	sqlite3_stmt *st = db_prepare(m->db,
		"SELECT room_id, pending, dm_user, resolve FROM rooms"
		" WHERE pending IS NOT NULL ORDER BY room_id LIMIT 1");
	if (!st)
		return;
	int row = sqlite3_step(st) == SQLITE_ROW;
	if (row && sqlite3_column_int(st, 3)) {
		char *room = xstrdup((const char *)sqlite3_column_text(st, 0));
		db_done(st);
		m->room_action_busy = 1;
		rooms_resolve_invite(m, room, on_resolved);
		free(room);
		return;
	}
	if (row) {
		struct action *a = xcalloc(1, sizeof *a);
		a->m = m;
		a->room_id = xstrdup((const char *)sqlite3_column_text(st, 0));
		a->join = strcmp((const char *)sqlite3_column_text(st, 1), "join") == 0;
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			a->dm_user = xstrdup((const char *)sqlite3_column_text(st, 2));
		char *rid = mx_escape(a->room_id);
		struct strbuf path = STRBUF_INIT;
		if (a->join)
			sb_addf(&path, "/_matrix/client/v3/join/%s", rid);
		else
			sb_addf(&path, "/_matrix/client/v3/rooms/%s/leave", rid);
		free(rid);
		m->room_action_busy = 1;
		mx_request(m, "POST", path.buf, "{}", 0, 0, on_action, a);
		sb_release(&path);
	}
	db_done(st);
}
