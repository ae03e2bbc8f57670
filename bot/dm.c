/* dm: open, reuse and recreate direct-message rooms for waiting outbox
 * rows, one person at a time. */
#include "bot/dm.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "bot/e2ee.h"
#include "bot/json_in.h"
#include "bot/matrix.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "storage/room_crypto.h"
#include "storage/room_members.h"
#include "storage/roles.h"
#include "storage/rooms.h"

struct dm {
	struct matrix *m;
	void (*ready)(void *arg);
	void *arg;
	int busy;       /* a person's room is being checked or created */
	char *user;     /* that person */
	char *room;     /* the room being checked or just created */
	int encrypt;    /* new rooms are created encrypted (dm_set_encrypt) */
	int encrypted;  /* the room being created is */
};

void dm_set_encrypt(struct dm *d, int on)
{
	d->encrypt = on;
}

struct dm *dm_new(struct matrix *m, void (*ready)(void *arg), void *arg)
{
	struct dm *d = xcalloc(1, sizeof *d);
	d->m = m;
	d->ready = ready;
	d->arg = arg;
	return d;
}

void dm_free(struct dm *d)
{
	if (!d)
		return;
	free(d->user);
	free(d->room);
	free(d);
}

void dm_run_cb(void *arg)
{
	dm_run(arg);
}

/* This person is done (their rows have a room, or failed): next one. */
static void done(struct dm *d, int assigned)
{
	free(d->user);
	free(d->room);
	d->user = d->room = NULL;
	d->busy = 0;
	if (assigned && d->ready)
		d->ready(d->arg);
	dm_run(d);
}

/* Give up on the person's waiting rows (the homeserver refuses them). */
static void fail_rows(struct dm *d, const char *why)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	log_warn("direct message to %s cannot be delivered: %s", d->user, why);
	outbox_fail_direct(d->m->db, d->user, why, (time_t)tv.tv_sec);
}

/* m.direct: the bot's list of direct rooms per person; add the new room. */
static void on_direct_put(void *arg, long status, json_t *body)
{
	(void)arg;
	if (status != 200)
		log_warn("m.direct not updated (HTTP %ld %s)", status, mx_errcode(body));
}

struct direct_add {
	struct matrix *m;
	char *user, *room;
};

static void direct_add_free(void *arg)
{
	struct direct_add *a = arg;
	free(a->user);
	free(a->room);
	free(a);
}

static void on_direct_get(void *arg, long status, json_t *body)
{
	struct direct_add *a = arg;
	json_t *direct = status == 200 && json_is_object(body) ? json_deep_copy(body)
							       : json_object();
	json_t *list = json_object_get(direct, a->user);
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(direct, a->user, list);
	}
	json_array_append_new(list, json_string(a->room));
	char *text = json_dumps(direct, JSON_COMPACT);
	char *uid = mx_escape(a->m->user_id);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/user/%s/account_data/m.direct", uid);
	mx_request(a->m, "PUT", path.buf, text, 0, 0, on_direct_put, NULL);
	sb_release(&path);
	free(uid);
	free(text);
	json_decref(direct);
	direct_add_free(a);
}

/* Record room as user's direct room in the bot's m.direct account data. */
static void record_direct(struct matrix *m, const char *user, const char *room)
{
	struct direct_add *a = xcalloc(1, sizeof *a);
	a->m = m;
	a->user = xstrdup(user);
	a->room = xstrdup(room);
	char *uid = mx_escape(m->user_id);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/user/%s/account_data/m.direct", uid);
	mx_request_owned(m, "GET", path.buf, NULL, 0, 0, on_direct_get, a, direct_add_free);
	sb_release(&path);
	free(uid);
}

/* For roles_each_network: keep the first (highest role) network. */
static int first_network(void *arg, const char *network)
{
	*(char **)arg = xstrdup(network);
	return 1;
}

/* The network the person belongs to, for commands typed in the room: a
 * verified room they are in, else their highest stored role, else the
 * first network (caller frees; NULL when there is none). */
static char *network_of(struct dm *d)
{
	sqlite3 *db = d->m->db;
	char *net = room_members_network_of_dup(db, d->user);
	if (!net)
		roles_each_network(db, d->user, first_network, &net);
	if (!net && d->m->cfg->nnetworks)
		net = xstrdup(d->m->cfg->networks[0].name);
	return net;
}

static void on_created(void *arg, long status, json_t *body)
{
	struct dm *d = arg;
	const char *room = json_in_str(body, "room_id");
	if (status != 200 || !room) {
		fail_rows(d, mx_errcode(body)[0] ? mx_errcode(body) : "createRoom refused");
		done(d, 0);
		return;
	}
	sqlite3 *db = d->m->db;
	char *net = network_of(d);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	long long now_ms = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	int rc = db_begin(db);
	if (rc == 0)
		rc = room_open_dm(db, room, net, now_ms, d->user);
	if (rc == 0 && d->encrypted) {
		/* Known at once, so nothing goes there before the sync says so. */
		json_t *c = e2ee_room_encryption_content();
		char *text = json_dumps(c, JSON_COMPACT);
		json_decref(c);
		rc = text ? room_crypto_set(db, room, text) : -1;
		free(text);
		if (rc == 0)
			rc = room_crypto_set_visibility(db, room, "shared");
	}
	if (rc == 0)
		rc = outbox_assign_room(db, d->user, room);
	if (rc == 0)
		rc = db_commit(db);
	if (rc < 0)
		db_rollback(db);
	free(net);
	log_info("direct chat %s opened with %s", room, d->user);
	record_direct(d->m, d->user, room);
	done(d, rc == 0);
}

/* Create a direct room with d->user: encrypted (m.room.encryption in its
 * initial state) unless the person's network says encrypt_direct_chats =
 * no or the bot has no end-to-end encryption. */
static void create_room(struct dm *d)
{
	json_t *req = json_pack("{s:b, s:[s], s:s}", "is_direct", 1, "invite", d->user,
				"preset", "trusted_private_chat");
	char *net = network_of(d);
	const struct wt_network *n = net ? config_network_by_name(d->m->cfg, net) : NULL;
	free(net);
	d->encrypted = d->encrypt && !(n && n->plain_direct_chats);
	if (d->encrypted)
		json_object_set_new(req, "initial_state", json_pack("[{s:s,s:s,s:o}]",
			"type", "m.room.encryption", "state_key", "",
			"content", e2ee_room_encryption_content()));
	char *text = json_dumps(req, JSON_COMPACT);
	mx_request(d->m, "POST", "/_matrix/client/v3/createRoom", text, 0, 0, on_created, d);
	free(text);
	json_decref(req);
}

/* The person's membership in their recorded room: still there or invited
 * means reuse it; anything else means a new room. */
static void on_member(void *arg, long status, json_t *body)
{
	struct dm *d = arg;
	const char *m = json_in_str(body, "membership");
	if (!m)
		m = "";
	if (status == 200 && (strcmp(m, "join") == 0 || strcmp(m, "invite") == 0)) {
		int rc = outbox_assign_room(d->m->db, d->user, d->room);
		done(d, rc == 0);
		return;
	}
	log_info("%s is no longer in direct chat %s (%s): opening a new one", d->user,
		 d->room, status == 200 ? m : mx_errcode(body));
	/* Leave the old room; the new one takes its place. */
	room_drop_dm(d->m->db, d->room);
	create_room(d);
}

void dm_run(struct dm *d)
{
	if (!d || d->busy || d->m->stopping)
		return;
	sqlite3 *db = d->m->db;
	char *user = outbox_next_direct_user_dup(db);
	if (!user)
		return;
	d->busy = 1;
	d->user = user;
	d->room = room_dm_of_dup(db, user);
	if (!d->room) {
		create_room(d);
		return;
	}
	char *r = mx_escape(d->room), *u = mx_escape(user);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/rooms/%s/state/m.room.member/%s", r, u);
	mx_request(d->m, "GET", path.buf, NULL, 0, 0, on_member, d);
	sb_release(&path);
	free(r);
	free(u);
}
