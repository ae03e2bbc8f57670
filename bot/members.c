#include "bot/members.h"

#include <stdlib.h>

#include "bot/matrix.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/room_members.h"

/* A joined_members request is in flight (one at a time per process). */
static int busy;

struct fetch {
	struct matrix *m;
	char *room_id;
};

/* Store the joined users of the answer, or give the room up until it is
 * wanted again (a refusal: the bot is not in the room). */
static void on_members(void *arg, long status, json_t *body)
{
	struct fetch *f = arg;
	struct matrix *m = f->m;
	json_t *joined = json_object_get(body, "joined");
	busy = 0;
	if (status == 200 && json_is_object(joined)) {
		size_t n = json_object_size(joined), k = 0;
		const char **users = xcalloc(n ? n : 1, sizeof *users);
		const char *user;
		json_t *v;
		json_object_foreach(joined, user, v)
			users[k++] = user;
		if (room_members_fetch_done(m->db, f->room_id, users, k) == 0) {
			log_info("%s: %zu members", f->room_id, k);
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
	free(f->room_id);
	free(f);
	members_run(m);
}

void members_run(struct matrix *m)
{
	if (busy || m->stopping)
		return;
	char *room = room_members_next_wanted(m->db);
	if (!room)
		return;
	if (room_members_fetch_begin(m->db, room) < 0) {
		free(room);
		return;
	}
	struct fetch *f = xcalloc(1, sizeof *f);
	f->m = m;
	f->room_id = room;
	char *rid = mx_escape(room);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/rooms/%s/joined_members", rid);
	free(rid);
	busy = 1;
	mx_request(m, "GET", path.buf, NULL, 0, 0, on_members, f);
	sb_release(&path);
}
