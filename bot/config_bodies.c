/* config_bodies: [body.NAME] sections — parsing (for bot/config.c) and
 * writing them to the database at start; see config_bodies.h.
 *
 *   [body.BNO]
 *   network = mgz
 *   kind = board
 *   rooms = !bno:example.org
 *   chair = @anna:example.org
 *   members = @carla:example.org, @cees:example.org
 *   advisory = @vera:example.org
 *
 * A section per body reads better than keys under the network: a body has
 * as many settings as a small network, and a room or person list per body
 * stays one line each. */
#include "bot/config_bodies.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/config_parse.h"
#include "lib/log.h"
#include "storage/bodies.h"
#include "storage/db.h"

const char *const cfg_body_keys[] = { "network", "kind", "rooms", "chair", "secretary",
	"members", "advisory", "decides_advice", NULL };

void cfg_body_begin(struct parser *p, const char *name)
{
	struct wt_config *c = p->cfg;
	bool ok = name[0] != '\0' && strlen(name) <= MAX_NAME;
	for (const char *s = name; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || *s == '_' || *s == '-';
	if (!ok) {
		cfg_error(p, p->line, "[body.%s]: a body name is 1 to %d letters, digits, - or _ "
		          "(e.g. [body.BNO])", name, MAX_NAME);
		return;
	}
	for (size_t i = 0; i < c->nbodies; i++)
		if (strcasecmp(c->bodies[i].name, name) == 0) {
			cfg_error(p, p->line, "section [body.%s] appears twice (first at line "
			          "%d); merge them", name, c->bodies[i].line);
			return;
		}
	c->bodies = xrealloc(c->bodies, (c->nbodies + 1) * sizeof *c->bodies);
	p->body = c->nbodies++;
	struct wt_body_cfg *b = &c->bodies[p->body];
	memset(b, 0, sizeof *b);
	b->name = xstrdup(name);
	b->kind = -1;
	b->line = p->line;
	p->sec = SEC_BODY;
}

/* A list of Matrix user ids for key. */
static char **user_list(struct parser *p, const char *key, const char *value)
{
	size_t n;
	char **v = cfg_list(p, key, value, &n);
	for (size_t i = 0; i < n; i++)
		if (!cfg_user_id_ok(v[i]))
			cfg_error(p, p->line, "%s: \"%s\" is not a Matrix user id; write "
			          "@name:server, separated by commas", key, v[i]);
	return v;
}

void cfg_body_key(struct parser *p, const char *key, const char *value)
{
	struct wt_body_cfg *b = &p->cfg->bodies[p->body];
	size_t n;
	if (strcmp(key, "network") == 0) {
		cfg_set_str(&b->network, value);
	} else if (strcmp(key, "kind") == 0) {
		b->kind = body_kind_parse(value);
		if (b->kind < 0)
			b->kind = -2;   /* set, but wrong: reported here only */
		if (b->kind < 0)
			cfg_error(p, p->line, "kind: \"%s\" is no kind of body; write subteam, "
			          "werktafel, actielijnenoverleg, stuurgroep or board", value);
	} else if (strcmp(key, "rooms") == 0) {
		b->rooms = cfg_list(p, key, value, &n);
	} else if (strcmp(key, "chair") == 0 || strcmp(key, "secretary") == 0) {
		if (!cfg_user_id_ok(value))
			cfg_error(p, p->line, "%s: \"%s\" is not a Matrix user id; write "
			          "@name:server", key, value);
		else
			cfg_set_str(key[0] == 'c' ? &b->chair : &b->secretary, value);
	} else if (strcmp(key, "decides_advice") == 0) {
		if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0)
			b->decides_advice = value[0] == 'y';
		else
			cfg_error(p, p->line, "decides_advice: \"%s\"; write yes or no", value);
	} else if (strcmp(key, "members") == 0) {
		b->members = user_list(p, key, value);
	} else {
		b->advisory = user_list(p, key, value);
	}
}

/* The network of b's section, or NULL. */
static const struct wt_network *net_of(const struct wt_config *c, const struct wt_body_cfg *b)
{
	for (size_t i = 0; b->network && i < c->nnetworks; i++)
		if (strcmp(c->networks[i].name, b->network) == 0)
			return &c->networks[i];
	return NULL;
}

/* Each room of b is a room of its network and of no other body. */
static void check_rooms(struct parser *p, const struct wt_body_cfg *b, size_t bi,
			const struct wt_network *n)
{
	for (size_t r = 0; b->rooms && b->rooms[r]; r++) {
		size_t k = 0;
		while (k < n->nrooms && strcmp(n->rooms[k], b->rooms[r]) != 0)
			k++;
		if (k == n->nrooms)
			cfg_error(p, b->line, "[body.%s] rooms: \"%s\" is not a room of network "
			          "%s; list it in [network.%s] rooms first", b->name, b->rooms[r],
			          n->name, n->name);
		for (size_t o = 0; o < bi; o++) {
			const struct wt_body_cfg *x = &p->cfg->bodies[o];
			for (size_t j = 0; x->rooms && x->rooms[j]; j++)
				if (strcmp(x->rooms[j], b->rooms[r]) == 0)
					cfg_error(p, b->line, "[body.%s] rooms: \"%s\" already belongs "
					          "to body %s (line %d); a room belongs to one body",
					          b->name, b->rooms[r], x->name, x->line);
		}
	}
}

void cfg_body_finish(struct parser *p)
{
	const struct wt_config *c = p->cfg;
	for (size_t i = 0; i < c->nbodies; i++) {
		const struct wt_body_cfg *b = &c->bodies[i];
		const struct wt_network *n = net_of(c, b);
		if (!b->network)
			cfg_error(p, b->line, "[body.%s] has no network; add network = NAME of a "
			          "[network.NAME] section", b->name);
		else if (!n)
			cfg_error(p, b->line, "[body.%s]: network \"%s\" has no [network.%s] "
			          "section", b->name, b->network, b->network);
		if (b->kind == -1)
			cfg_error(p, b->line, "[body.%s] has no kind; add kind = subteam, "
			          "werktafel, actielijnenoverleg, stuurgroep or board", b->name);
		if (n)
			check_rooms(p, b, i, n);
		for (size_t o = 0; b->decides_advice && o < i; o++)
			if (c->bodies[o].decides_advice && c->bodies[o].network && b->network &&
			    strcmp(c->bodies[o].network, b->network) == 0)
				cfg_error(p, b->line, "[body.%s] decides_advice: body %s of network "
				          "%s does already; one body decides advice", b->name,
				          c->bodies[o].name, b->network);
	}
}

void cfg_body_free(struct wt_config *cfg)
{
	for (size_t i = 0; i < cfg->nbodies; i++) {
		struct wt_body_cfg *b = &cfg->bodies[i];
		free(b->name);
		free(b->network);
		cfg_free_list(b->rooms);
		free(b->chair);
		free(b->secretary);
		cfg_free_list(b->members);
		cfg_free_list(b->advisory);
	}
	free(cfg->bodies);
	cfg->bodies = NULL;
	cfg->nbodies = 0;
}

/* Write one body: made when missing, then its section's settings. */
static int apply_one(sqlite3 *db, const struct wt_body_cfg *b, time_t now)
{
	struct wt_body have;
	int found = body_by_name(db, b->network, b->name, &have);
	if (found < 0)
		return -1;
	long long id = found ? have.id : 0;
	if (found)
		body_free(&have);
	else if (body_create(db, b->network, b->name, (enum body_kind)b->kind, now, &id) < 0)
		return -1;
	int rc = body_set_kind(db, id, (enum body_kind)b->kind);
	for (size_t i = 0; rc == 0 && b->rooms && b->rooms[i]; i++)
		rc = body_room_add(db, b->network, b->rooms[i], id);
	if (rc == 0 && b->chair)
		rc = body_set_officer(db, id, BODY_CHAIR, b->chair);
	if (rc == 0 && b->secretary)
		rc = body_set_officer(db, id, BODY_SECRETARY, b->secretary);
	for (size_t i = 0; rc == 0 && b->members && b->members[i]; i++)
		rc = body_member_set(db, id, b->members[i], 0);
	for (size_t i = 0; rc == 0 && b->advisory && b->advisory[i]; i++)
		rc = body_member_set(db, id, b->advisory[i], 1);
	if (rc == 0)
		rc = body_set_decides_advice(db, id, b->decides_advice);
	return rc;
}

int config_bodies_apply(sqlite3 *db, const struct wt_config *cfg, time_t now)
{
	if (!cfg->nbodies)
		return 0;
	if (db_begin(db) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < cfg->nbodies; i++)
		rc = apply_one(db, &cfg->bodies[i], now);
	if (rc == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	log_error("the [body.NAME] sections could not be written to the database");
	return -1;
}
