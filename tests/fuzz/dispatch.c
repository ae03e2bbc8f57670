/* Fuzz target: one whole message through the dispatcher (wt_dispatch_
 * message, and wt_dispatch_edit / _redact of a logged message) on the
 * demo database in memory. The first bytes pick the sender (admin, chair,
 * secretary, board member, members, a stranger), the room (a network
 * room, a direct chat, an unknown room), the language, the clock and
 * what happens; the rest is the body. A body holding byte 0x1e is several
 * messages in a row (each after the first starts with its sender's byte),
 * so commands can build on each other (plan, start, log, close). Every
 * refusal must say why (fz_dispatch) and close its savepoint. */
#include <stdlib.h>
#include <string.h>

#include "handlers/dispatch.h"
#include "tests/fuzz/fuzz.h"

static const char *const fz_rooms[] = {
	"werktafel", "!noord:demo.test", "!dm-anna:demo.test", "!onbekend:elders.test",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	unsigned who = fz_byte(&in), where = fz_byte(&in), when = fz_byte(&in);
	const char *sender = fz_senders[who % FZ_NSENDERS];
	const char *room = fz_rooms[where % 4];
	const struct wt_network *net = (where / 4) & 1 ? &fz_net_en : &fz_net_nl;
	time_t now = FZ_NOW + (time_t)when * 86400 * 3;
	int mode = (int)((where / 8) % 4);
	char *body = fz_str_dup(in.p, in.n);
	fz_check_json_str(body);
	sqlite3 *db = fz_demo_db();
	fz_db_begin(db);
	if (mode == 0 || mode == 1) {
		/* The pieces of the input (not of body: a NUL ends body early). */
		struct fz_in rest = in;
		for (int i = 0; rest.n && i < 16; i++) {
			if (i)
				sender = fz_senders[fz_byte(&rest) % FZ_NSENDERS];
			char *msg = fz_piece_dup(&rest, 0x1e);
			fz_dispatch(db, net, sender, room, now + i * 60, msg);
			free(msg);
		}
	} else {
		/* A logged message, then the body as its edit, or its redaction. */
		fz_dispatch(db, net, "@bram:demo.test", room, now,
			    "#besluit Akkoord\n#actie @daan:demo.test bellen voor morgen");
		struct wt_replies out = { 0 };
		struct wt_ctx ctx = {
			.db = db, .net = net, .sender = sender, .room = room, .event_id = "$edit",
			.now = now + 60, .lang = net->lang, .admins = fz_admins, .out = &out,
		};
		if (mode == 2)
			wt_dispatch_edit(&ctx, "$fuzz", body);
		else
			wt_dispatch_redact(&ctx, *body ? body : "$fuzz");
		wt_replies_free(&out);
	}
	fz_db_end(db);
	free(body);
	return 0;
}
