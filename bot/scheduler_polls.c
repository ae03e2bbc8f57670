/* scheduler_polls: polls whose end time came are closed by the scheduler
 * (see bot/scheduler.h scheduler_end_polls). */
#include "bot/scheduler.h"

#include <stdlib.h>

#include "bot/config.h"
#include "bot/message.h"
#include "handlers/poll.h"
#include "handlers/reply.h"
#include "lib/log.h"
#include "storage/db.h"
#include "storage/polls.h"

#define POLL_BATCH 20

/* Close poll id at now and put its end event in the outbox: 1 when a
 * message went in, 0 when none (a poll of a network no longer in the
 * config is only marked ended), negative on error. */
static int end_one(sqlite3 *db, const struct wt_config *cfg, long long id, time_t now)
{
	struct wt_poll p;
	int found = polls_get_by_id(db, id, &p);
	if (found <= 0)
		return found;
	const struct wt_network *net = config_network_by_name(cfg, p.network);
	if (!net) {
		int rc = polls_end(db, p.id, now);
		poll_free(&p);
		return rc;
	}
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = db, .net = net, .sender = "", .room = p.room_id,
			      .now = now, .lang = net->lang, .role = ROLE_ADMIN, .out = &out,
			      .networks = cfg->networks, .nnetworks = cfg->nnetworks };
	int rc = poll_close(&ctx, &p) == WT_OK ? 0 : -1, sent = 0;
	for (size_t i = 0; rc == 0 && i < out.n; i++) {
		rc = message_enqueue(db, &out.v[i], out.v[i].room ? out.v[i].room : p.room_id,
				     now, NULL) == MESSAGE_EDB ? -1 : 0;
		sent++;
	}
	ctx_release_owned(&ctx, 0);
	wt_replies_free(&out);
	poll_free(&p);
	return rc < 0 ? rc : sent > 0;
}

int scheduler_end_polls(sqlite3 *db, const struct wt_config *cfg, time_t now)
{
	if (db_begin(db) < 0)
		return -1;
	long long *ids;
	int n = polls_due(db, now, POLL_BATCH, &ids), sent = 0, rc = n < 0 ? -1 : 0;
	for (int i = 0; i < n && rc >= 0; i++) {
		rc = end_one(db, cfg, ids[i], now);
		sent += rc > 0;
	}
	free(ids);
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		log_error("scheduler: closing polls failed");
		return -1;
	}
	return sent;
}
