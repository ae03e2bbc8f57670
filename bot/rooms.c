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
#include "storage/roles.h"
#include "storage/rooms.h"

const struct wt_network *rooms_network(sqlite3 *db, const struct wt_config *cfg,
				       const char *room_id)
{
	const struct wt_network *net = rooms_verified_network(db, cfg, room_id);
	if (net)
		return net;
	char *name = room_dm_network_dup(db, room_id);
	net = name ? config_network_by_name(cfg, name) : NULL;
	free(name);
	return net;
}

/* For roles_each_network: the first of user's networks in the config. */
struct configured {
	const struct wt_config *cfg;
	const struct wt_network *net;
};

static int first_configured(void *arg, const char *network)
{
	struct configured *c = arg;
	c->net = config_network_by_name(c->cfg, network);
	return c->net != NULL;
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
	struct configured c = { cfg, NULL };
	roles_each_network(db, user, first_configured, &c);
	return c.net;
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
	int is_direct = 0, invited = 0, own = 0;
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
		if (!key || strcmp(key, own_user) == 0)
			own = 1;  /* the bot's, or one it cannot read: maybe its */
		if (key && mem && strcmp(key, own_user) == 0
		    && strcmp(mem, "invite") == 0) {
			invited = 1;
			inviter = str_at(ev, "sender");
			is_direct = json_is_true(json_object_get(content, "is_direct"));
		}
	}
	/* The spec does not promise that invite_state holds the invite itself:
	 * without the bot's own member event, the room being under
	 * rooms.invite is the invite (inviter unknown, no direct chat). One
	 * that names the bot otherwise than invited, or holds a member event
	 * whose state_key is unreadable, is left alone. */
	if (!invited && own)
		return 0;
	if (!invited)
		log_debug("invite to %s without the bot's member event in "
			  "invite_state", room_id);
	const char *who = inviter ? inviter : "someone";
	const struct wt_network *net = rooms_verified_network(db, cfg, room_id);
	if (net) {
		log_info("invited to %s (network %s) by %s: joining", room_id,
			 net->name, who);
		return room_mark_join(db, room_id, net->name, inviter, NULL);
	}
	const struct wt_network *dm_net = is_direct && inviter
		? network_of_member(db, cfg, inviter) : NULL;
	if (dm_net) {
		log_info("direct chat %s from %s: joining", room_id, who);
		return room_mark_join(db, room_id, dm_net->name, inviter, inviter);
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
	return room_mark_leave(db, room_id, inviter, resolve);
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
			room_join_done(m->db, a->room_id);
			if (a->dm_user)
				outbox_assign_room(m->db, a->dm_user, a->room_id);
			log_info("joined %s", a->room_id);
		} else {
			log_warn("cannot join %s (HTTP %ld %s)", a->room_id, status,
				 mx_errcode(body));
			room_join_failed(m->db, a->room_id);
		}
	} else {
		if (status != 200)
			log_debug("leave %s: HTTP %ld %s", a->room_id, status,
				  mx_errcode(body));
		room_left(m->db, a->room_id);
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
	struct room_action next;
	if (room_next_action(m->db, &next) != 1)
		return;
	m->room_action_busy = 1;
	if (next.resolve) {
		rooms_resolve_invite(m, next.room_id, on_resolved);
		room_action_free(&next);
		return;
	}
	struct action *a = xcalloc(1, sizeof *a);
	a->m = m;
	a->room_id = next.room_id;
	a->dm_user = next.dm_user;
	a->join = next.join;
	char *rid = mx_escape(a->room_id);
	struct strbuf path = STRBUF_INIT;
	if (a->join)
		sb_addf(&path, "/_matrix/client/v3/join/%s", rid);
	else
		sb_addf(&path, "/_matrix/client/v3/rooms/%s/leave", rid);
	free(rid);
	mx_request(m, "POST", path.buf, "{}", 0, 0, on_action, a);
	sb_release(&path);
}
