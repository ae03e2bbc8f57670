#include "bot/run.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "bot/dm.h"
#include "bot/e2ee.h"
#include "bot/matrix.h"
#include "bot/members.h"
#include "bot/quote.h"
#include "bot/outbox.h"
#include "bot/poison.h"
#include "bot/profile.h"
#include "bot/rooms.h"
#include "bot/scheduler.h"
#include "bot/sync.h"
#include "bot/transport_ws.h"
#include "handlers/commands.h"
#include "handlers/dispatch.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/db_fault.h"

/* Handled event ids are kept this long; next_batch already guarantees
 * exactly once, the table only guards against a server replaying events. */
#define HANDLED_KEEP_SECONDS (30L * 24 * 3600)
#define HOUSEKEEPING_MS 30000

struct bot {
	struct matrix m;
	struct outbox_flusher *flusher;
	struct sync_loop *sync;
	uv_signal_t sigterm, sigint;
	uv_timer_t housekeeping;
	uv_check_t storage_watch;  /* stops the bot when the database is unusable */
	struct scheduler *sched;   /* reminders */
	struct dm *dm;             /* direct-message rooms */
	struct ws_transport *ws;   /* the WebSocket transport, or NULL (HTTP) */
	struct poison_watch *watch; /* the event being handled, for a crash */
	struct e2ee *e2ee;         /* end-to-end encryption (never NULL once started) */
};

/* The scheduler, for the sync long-poll's timeout hook. */
static struct scheduler *wakeup_sched;

static long next_wakeup(void)
{
	if (!wakeup_sched)
		return -1;
	/* The scheduler's own timer fires reminders; at least 1 s keeps the
	 * long-poll from spinning while an overdue one waits for a retry. */
	long ms = scheduler_timeout_ms(wakeup_sched, 30000);
	return ms < 1000 ? 1000 : ms;
}

/* Reminders or commands produced messages: open direct rooms, send. */
static void on_enqueued(void *arg)
{
	struct bot *b = arg;
	dm_run(b->dm);
	outbox_flush(b->flusher);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct bot *b = h->data;
	log_info("%s: stopping", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	matrix_stop(&b->m, 0);
}

/* After every committed sync batch: send what it produced, answer invites,
 * read the member lists of rooms joined since. */
static void after_sync(void *arg)
{
	struct bot *b = arg;
	e2ee_after_sync(b->e2ee);
	outbox_flush(b->flusher);
	rooms_run_actions(&b->m, outbox_flush_cb, b->flusher);
	members_run(&b->m);
	quote_run(&b->m);
	dm_run(b->dm);
	if (b->sched)
		scheduler_changed(b->sched);
}

/* Now and then: pick up outbox rows written by anything else. */
static void on_housekeeping(uv_timer_t *t)
{
	after_sync(t->data);
}

/* After each turn of the loop: a read-only or damaged database (said once
 * by storage/db_fault.c) cannot get better by waiting; stop with its own
 * exit status. Locks and a full disk are waited out by the retries. */
static void on_storage_watch(uv_check_t *h)
{
	struct bot *b = h->data;
	if (db_fault_fatal() && !b->m.stopping)
		matrix_stop(&b->m, DB_EXIT_UNUSABLE);
}

static void close_any(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int bot_run(const struct wt_config *cfg, const char *db_path)
{
	struct strbuf err = STRBUF_INIT;
	sqlite3 *db = NULL;
	if (!cfg->homeserver || !cfg->user_id) {
		log_error("[matrix] homeserver and user_id are required");
		return 1;
	}
	if (db_open(db_path, &db, &err) < 0) {
		log_error("%s", err.buf);
		sb_release(&err);
		return DB_EXIT_UNUSABLE;
	}
	sb_release(&err);
	signal(SIGPIPE, SIG_IGN);

	uv_loop_t loop;
	uv_loop_init(&loop);
	struct bot *b = xcalloc(1, sizeof *b);
	int rc = 1;
	if (matrix_init(&b->m, &loop, db, cfg) < 0) {
		log_error("cannot start the HTTP client");
		goto out;
	}
	uv_signal_init(&loop, &b->sigterm);
	uv_signal_init(&loop, &b->sigint);
	b->sigterm.data = b->sigint.data = b;
	uv_signal_start(&b->sigterm, on_signal, SIGTERM);
	uv_signal_start(&b->sigint, on_signal, SIGINT);
	uv_check_init(&loop, &b->storage_watch);
	b->storage_watch.data = b;
	uv_check_start(&b->storage_watch, on_storage_watch);
	uv_unref((uv_handle_t *)&b->storage_watch);

	rc = matrix_start(&b->m);
	if (rc != 0 || b->m.stopping)
		goto out;
	if (profile_apply(&b->m) < 0) {
		rc = b->m.exit_code;
		goto out;
	}
	db_execf(db, "DELETE FROM handled_events WHERE handled_at < ?1", "i",
		 (sqlite3_int64)(time(NULL) - HANDLED_KEEP_SECONDS));

	/* An event the last run died handling is quarantined now; the
	 * reply to its sender waits in the outbox. */
	b->watch = poison_watch_new(db_path);
	if (poison_recover(b->watch, db, cfg, time(NULL)) < 0)
		log_error("cannot quarantine the event the last run stopped on");
	/* The crypto store of the bot's device: a wiped one is refused. */
	rc = e2ee_open(&b->m, db_path, &b->e2ee);
	if (rc != 0)
		goto out;
	b->flusher = outbox_flusher_new(&b->m);
	outbox_set_seal_hook(b->flusher, e2ee_seal, b->e2ee);
	struct sync_env env = {
		.db = db, .cfg = cfg, .user_id = b->m.user_id,
		.dispatch = wt_dispatch_message, .now = NULL, .watch = b->watch,
		.decrypt_sync = e2ee_decrypt_sync, .decrypt_page = e2ee_decrypt_page,
		.crypto_arg = b->e2ee,
	};
	e2ee_set_sync_env(b->e2ee, &env, on_enqueued, b);
	e2ee_bootstrap_cross_signing(b->e2ee);
	b->sync = sync_loop_new(&b->m, &env, after_sync, b);
	b->dm = dm_new(&b->m, outbox_flush_cb, b->flusher);
	dm_set_encrypt(b->dm, e2ee_active(b->e2ee));
	if (cfg->max_reminders > 0)
		wt_max_reminders_per_person = cfg->max_reminders;
	b->sched = scheduler_new(&loop, db, cfg);
	scheduler_on_enqueued(b->sched, on_enqueued, b);
	if (scheduler_start(b->sched) < 0)
		log_error("scheduler: start-up pass failed; reminders retry at the next change");
	wakeup_sched = b->sched;
	sync_set_next_wakeup(next_wakeup);
	uv_timer_init(&loop, &b->housekeeping);
	b->housekeeping.data = b;
	uv_timer_start(&b->housekeeping, on_housekeeping, HOUSEKEEPING_MS,
		       HOUSEKEEPING_MS);
	/* transport = websocket|auto: the sync over a WebSocket, HTTP as
	 * fallback (NULL for http). */
	b->ws = ws_transport_new(&b->m, b->sync, b->flusher);
	/* Whatever a previous run left unsent goes first. */
	after_sync(b);
	if (b->ws)
		ws_transport_start(b->ws);
	else
		sync_loop_start(b->sync);
	uv_run(&loop, UV_RUN_DEFAULT);
	rc = b->m.exit_code;
out:
	ws_transport_free(b->ws);  /* first: it calls into sync and outbox */
	matrix_free(&b->m);
	members_forget();
	sync_loop_free(b->sync);
	outbox_flusher_free(b->flusher);
	e2ee_free(b->e2ee);
	wakeup_sched = NULL;
	scheduler_free(b->sched);
	dm_free(b->dm);
	poison_watch_free(b->watch);
	uv_walk(&loop, close_any, NULL);
	/* A uv_stop outside the loop leaves the stop flag set, which makes the
	 * first uv_run return at once: run until every close callback ran. */
	for (int i = 0; i < 10 && uv_run(&loop, UV_RUN_DEFAULT) != 0; i++)
		;
	if (uv_loop_close(&loop) != 0)
		log_debug("event loop closed with handles left");
	free(b);
	db_close(db);
	if (rc == 0)
		log_info("stopped");
	return rc;
}
