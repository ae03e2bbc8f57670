/* rooms_verify: which rooms are a network's. A room is only by its
 * configured room id, or by a configured alias that the homeserver's
 * directory resolves to it and that the room's own m.room.canonical_alias
 * names (alias or alt_aliases), read from the room's state once the bot is
 * in it. Nothing an invite says counts. The first room verified for an
 * alias is pinned (storage/room_aliases.h): a later move of the alias is
 * logged at warn and not followed. See bot/rooms.h. */
#include "bot/rooms.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/matrix.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/room_aliases.h"
#include "storage/rooms.h"

const struct wt_network *rooms_verified_network(sqlite3 *db, const struct wt_config *cfg,
						const char *room_id)
{
	if (!room_id || room_id[0] != '!')
		return NULL;
	const struct wt_network *net = config_network_for_room(cfg, room_id);
	for (size_t i = 0; !net && i < cfg->nnetworks; i++) {
		const struct wt_network *n = &cfg->networks[i];
		for (size_t j = 0; !net && j < n->nrooms; j++) {
			if (n->rooms[j][0] != '#')
				continue;
			char *pin = room_aliases_pinned_dup(db, n->rooms[j]);
			if (pin && strcmp(pin, room_id) == 0)
				net = n;
			free(pin);
		}
	}
	return net;
}

int rooms_config_has_aliases(const struct wt_config *cfg)
{
	for (size_t i = 0; i < cfg->nnetworks; i++)
		for (size_t j = 0; j < cfg->networks[i].nrooms; j++)
			if (cfg->networks[i].rooms[j][0] == '#')
				return 1;
	return 0;
}

int rooms_canonical_names(json_t *content, const char *alias)
{
	json_t *a = json_object_get(content, "alias");
	if (json_is_string(a) && strcmp(json_string_value(a), alias) == 0)
		return 1;
	json_t *alt = json_object_get(content, "alt_aliases");
	size_t i;
	json_t *v;
	json_array_foreach(alt, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), alias) == 0)
			return 1;
	return 0;
}

int rooms_alias_resolved(sqlite3 *db, const struct wt_config *cfg, const char *alias,
			 const char *room_id)
{
	const struct wt_network *net = config_network_for_room(cfg, alias);
	char *pin = room_aliases_pinned_dup(db, alias);
	int check = 0;
	if (!net) {
		/* not a configured alias: nothing to do */
	} else if (pin && room_id && strcmp(pin, room_id) != 0) {
		log_warn("room alias %s now points to %s, but network %s keeps %s, the"
			 " room verified for it first; to move the network, put the new"
			 " room's id in the rooms of [network.%s]", alias, room_id,
			 net->name, pin, net->name);
	} else if (pin && !room_id) {
		log_info("room alias %s is no longer in the directory; network %s keeps %s",
			 alias, net->name, pin);
	} else if (!pin && room_id) {
		check = room_is_in(db, room_id);
	}
	free(pin);
	return check;
}

/* Make room_id the network's room for alias (pin it, set its network) when
 * content, the room's m.room.canonical_alias (NULL: none), names alias and
 * the alias is not pinned to another room; else, with leave, mark the room
 * to be left (a room joined only for this check). 1 verified, 0 not,
 * negative on a database error. */
static int settle(sqlite3 *db, const struct wt_config *cfg, const char *alias,
		  const char *room_id, json_t *content, int leave)
{
	const struct wt_network *net = config_network_for_room(cfg, alias);
	char *pin = room_aliases_pinned_dup(db, alias);
	int ok = net && content && rooms_canonical_names(content, alias)
		 && (!pin || strcmp(pin, room_id) == 0);
	int rc;
	if (ok) {
		rc = room_aliases_pin(db, alias, room_id, (long long)time(NULL));
		if (rc == 0)
			rc = room_set_verified(db, room_id, net->name);
		if (rc == 0)
			log_info("%s is room %s of network %s: the directory and its"
				 " canonical alias agree (pinned)", room_id, alias, net->name);
	} else {
		log_warn("%s is not taken as room %s%s%s: %s%s", room_id, alias,
			 net ? " of network " : "", net ? net->name : "",
			 !net ? "the alias is no longer in the config"
			 : pin ? "the alias is pinned to another room"
			 : !content ? "the room has no canonical alias"
			 : "its canonical alias does not name it",
			 leave ? "; leaving it" : "");
		rc = leave ? room_leave_unverified(db, room_id) : 0;
	}
	free(pin);
	return rc < 0 ? rc : ok;
}

int rooms_alias_checked(sqlite3 *db, const struct wt_config *cfg, const char *alias,
			const char *room_id, json_t *content)
{
	return settle(db, cfg, alias, room_id, content, 0);
}

/* The content of the last m.room.canonical_alias state event of events,
 * or prev when there is none. */
static json_t *last_canonical(json_t *events, json_t *prev)
{
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		json_t *type = json_object_get(ev, "type"), *key = json_object_get(ev, "state_key");
		json_t *content = json_object_get(ev, "content");
		if (json_is_string(type) && json_is_string(key) && !*json_string_value(key)
		    && strcmp(json_string_value(type), "m.room.canonical_alias") == 0
		    && json_is_object(content))
			prev = content;
	}
	return prev;
}

int rooms_sync_joined(sqlite3 *db, const struct wt_config *cfg, const char *room_id,
		      json_t *room)
{
	/* The homeserver lists the room as joined: a join request is done,
	 * whether or not its answer came back yet. */
	if (room_join_done(db, room_id) < 0)
		return -1;
	char *alias = room_alias_to_check_dup(db, room_id);
	if (!alias)
		return 0;
	/* The room's state as the homeserver gives it to a joined member: the
	 * state block, then state changes in the timeline. */
	json_t *content = last_canonical(json_object_get(json_object_get(room, "state"),
							 "events"), NULL);
	content = last_canonical(json_object_get(json_object_get(room, "timeline"), "events"),
				 content);
	int rc = settle(db, cfg, alias, room_id, content, 1);
	free(alias);
	return rc < 0 ? rc : 0;
}

struct reconcile {
	sqlite3 *db;
	const struct wt_config *cfg;
};

/* For room_each_group: make one room's network what is verified. */
static int reconcile_one(void *arg, const char *room, const char *have)
{
	struct reconcile *r = arg;
	sqlite3 *db = r->db;
	const struct wt_network *net = rooms_verified_network(db, r->cfg, room);
	const char *want = net ? net->name : NULL;
	if ((!have && !want) || (have && want && strcmp(have, want) == 0))
		return 0;
	if (have && !want)
		log_warn("%s is no verified room of network %s (not in the config"
			 " by id, no alias verified for it): it no longer counts"
			 " as the network's, and the bot ignores it; to use it, put"
			 " its id in the rooms of [network.%s]", room, have, have);
	return room_set_network(db, room, want);
}

int rooms_reconcile(sqlite3 *db, const struct wt_config *cfg)
{
	struct reconcile r = { db, cfg };
	return room_each_group(db, reconcile_one, &r);
}

/* ---- an invite to check against the directory (async) ---- */

struct resolve {
	struct matrix *m;
	char *room_id;
	void (*done)(struct matrix *m);
	size_t net, room;   /* the next configured room to look at */
	char *found;        /* the alias that resolved to room_id */
};

static void resolve_next(struct resolve *r);

static void on_directory(void *arg, long status, json_t *body)
{
	struct resolve *r = arg;
	json_t *rid = json_object_get(body, "room_id");
	const char *alias = r->m->cfg->networks[r->net].rooms[r->room];
	r->room++;
	if (status == 200 && json_is_string(rid)
	    && strcmp(json_string_value(rid), r->room_id) == 0) {
		char *pin = room_aliases_pinned_dup(r->m->db, alias);
		if (pin && strcmp(pin, r->room_id) != 0)
			rooms_alias_resolved(r->m->db, r->m->cfg, alias, r->room_id);
		else
			r->found = xstrdup(alias);
		free(pin);
	}
	resolve_next(r);
}

static void resolve_finish(struct resolve *r)
{
	sqlite3 *db = r->m->db;
	if (r->found) {
		log_info("invite to %s: the directory gives it as %s; joining to check"
			 " its canonical alias", r->room_id, r->found);
		room_join_to_check(db, r->room_id, r->found);
	} else {
		log_info("refusing invite to %s: the room is not in the config (by id, or"
			 " by an alias the directory gives for it)", r->room_id);
		room_resolve_done(db, r->room_id);
	}
	struct matrix *m = r->m;
	void (*done)(struct matrix *) = r->done;
	free(r->room_id);
	free(r->found);
	free(r);
	done(m);
}

/* Ask the directory for the next configured alias, or finish. */
static void resolve_next(struct resolve *r)
{
	const struct wt_config *cfg = r->m->cfg;
	while (!r->found && !r->m->stopping && r->net < cfg->nnetworks) {
		const struct wt_network *n = &cfg->networks[r->net];
		if (r->room >= n->nrooms) {
			r->net++;
			r->room = 0;
			continue;
		}
		if (n->rooms[r->room][0] != '#') {
			r->room++;
			continue;
		}
		char *a = mx_escape(n->rooms[r->room]);
		struct strbuf path = STRBUF_INIT;
		sb_addf(&path, "/_matrix/client/v3/directory/room/%s", a);
		free(a);
		mx_request(r->m, "GET", path.buf, NULL, 0, 0, on_directory, r);
		sb_release(&path);
		return;
	}
	resolve_finish(r);
}

void rooms_resolve_invite(struct matrix *m, const char *room_id,
			  void (*done)(struct matrix *m))
{
	struct resolve *r = xcalloc(1, sizeof *r);
	r->m = m;
	r->room_id = xstrdup(room_id);
	r->done = done;
	resolve_next(r);
}
