/* Reminder generation benchmark (not a test): the CPU one command costs,
 * in process, on the demo database with N rows of history of each kind
 * (closed meetings, done actions, decided advice requests, done action
 * lines, pending personal reminders), default N = 10,000 and 100,000.
 *
 *   before  the command, then a full regeneration of every family (what
 *           every sync batch ran before: scheduler_changed ->
 *           reminder_generate_all)
 *   after   the command regenerating what it changed in its transaction,
 *           then the scheduler's pass after the batch (scheduler_refresh)
 *
 * for a command that changes a source (!actie ... voor ...) and one that
 * changes nothing (!hulp agenda). Prints figures; never fails on time.
 *
 * Built with -DBENCH_OLD against a library without incremental generation
 * (the code before it), it measures the "before" column only, with that
 * code's generators.
 *
 *   bench_regen [-n rows]... [-c commands]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/config.h"
#include "bot/scheduler.h"
#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"
#include "lib/strbuf.h"
#include "storage/actionlines.h"
#include "storage/advice.h"
#include "storage/db.h"
#include "demo/demo.h"
#include "storage/meetings.h"
#include "storage/minutes.h"
#include "storage/reminders.h"
#include "storage/roles.h"

#define DAY 86400

static char *rooms[] = { "werktafel" };
static struct wt_offset offsets[] = {
	{ "agenda_call", 21 * DAY }, { "agenda_final", 10 * DAY },
	{ "invitation", 7 * DAY }, { "meeting_tomorrow", DAY },
	{ "room_day_before", DAY }, { "room_hour_before", 3600 },
};
static struct wt_network net = { .name = "noord", .rooms = rooms, .nrooms = 1,
				 .lang = LANG_NL, .tz = "Europe/Amsterdam",
				 .offsets = offsets, .noffsets = 6, .advice_wait_days = 14 };
static const char *const admins[] = { "@beheer:demo.test", NULL };
#define CHAIR "@anna:demo.test"
#define MEMBER "@daan:demo.test"

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int die(const char *what)
{
	fprintf(stderr, "bench_regen: %s failed\n", what);
	exit(1);
}

/* n rows of history of each kind, all in the past or finished. */
static void add_history(sqlite3 *db, long n, time_t now)
{
	if (db_begin(db) < 0)
		die("begin");
	for (long i = 0; i < n; i++) {
		time_t past = now - (time_t)(i % 3000 + 1) * DAY;
		struct wt_meeting m = { .network = "noord", .title = "Werktafel",
					.starts_at = past, .duration_min = 120,
					.state = MEETING_CLOSED, .created_at = past };
		struct wt_logged a = { .network = "noord", .kind = LOGGED_ACTION,
				       .text = "Terugbellen", .owner = MEMBER, .due_at = past,
				       .done_at = past, .done_by = MEMBER, .logged_by = CHAIR,
				       .room = rooms[0], .created_at = past };
		struct wt_advice adv = { .network = "noord", .title = "Vraag",
					 .submitted_by = MEMBER, .deadline = past,
					 .created_at = past };
		struct actionline l = { .network = "noord", .title = "Lijn", .created_at = past };
		struct wt_reminder r = { .network = "noord", .kind = "personal", .owner = MEMBER,
					 .to_user = MEMBER, .text = "iets", .created_at = now,
					 .due_at = now + 400 * DAY + i };
		if (meeting_create(db, &m) < 0 || logged_add(db, &a) < 0
		    || advice_create(db, &adv) < 0 || al_create(db, &l) < 0
		    || reminders_add(db, &r) < 0)
			die("history");
		if (db_execf(db, "UPDATE advice_requests SET state = 'decided' WHERE id = ?1",
			     "i", (sqlite3_int64)adv.id) < 0
		    || db_execf(db, "UPDATE logged_items SET done_at = ?1 WHERE id = ?2", "ii",
				(sqlite3_int64)past, (sqlite3_int64)a.id) < 0
		    || al_set_status(db, l.id, AL_DONE, NULL, CHAIR, past) < 0)
			die("history state");
	}
	if (db_commit(db) < 0)
		die("commit");
}

/* One command as in a sync batch: its own transaction, then the pass
 * after the batch, the old full one or the new one. CPU ms. */
static double one(sqlite3 *db, const struct wt_config *cfg, const char *sender,
		  const char *body, time_t now, int old, time_t *timed_at)
{
	double t0 = cpu_ms();
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = db, .net = &net, .sender = sender, .room = "werktafel",
			      .event_id = "$bench", .now = now, .lang = LANG_NL,
			      .admins = admins, .out = &out };
#ifndef BENCH_OLD
	ctx.networks = &net;  /* the config's networks, as the bot sets them */
	ctx.nnetworks = 1;
#endif
	if (db_begin(db) < 0)
		die("begin");
	wt_dispatch(&ctx, body);
	if (db_commit(db) < 0)
		die("commit");
	wt_replies_free(&out);
#ifdef BENCH_OLD
	(void)old;
	(void)timed_at;
	if (scheduler_generate(db, cfg, now) < 0)
		die("generate");
#else
	if (old ? scheduler_generate(db, cfg, now) : scheduler_refresh(db, cfg, now, timed_at))
		die("generate");
#endif
	return cpu_ms() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median CPU ms of ncmd runs of body. */
static double median(sqlite3 *db, const struct wt_config *cfg, const char *sender,
		     const char *body, time_t now, int old, int ncmd)
{
	double *v = calloc((size_t)ncmd, sizeof *v);
	time_t timed_at = now + SCHEDULER_TIMED_EVERY;
	for (int i = 0; i < ncmd; i++)
		v[i] = one(db, cfg, sender, body, now, old, &timed_at);
	qsort(v, (size_t)ncmd, sizeof *v, cmp);
	double m = v[ncmd / 2];
	free(v);
	return m;
}

int main(int argc, char **argv)
{
	long sizes[8];
	int nsizes = 0, ncmd = 20, opt;
	while ((opt = getopt(argc, argv, "n:c:")) != -1) {
		if (opt == 'n' && nsizes < 8)
			sizes[nsizes++] = atol(optarg);
		else if (opt == 'c')
			ncmd = atoi(optarg) > 0 ? atoi(optarg) : 20;
		else
			return fprintf(stderr, "usage: bench_regen [-n rows]... [-c commands]\n"), 2;
	}
	if (!nsizes) {
		sizes[nsizes++] = 0;
		sizes[nsizes++] = 10000;
		sizes[nsizes++] = 100000;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);  /* each size's lines as they come */
	struct wt_config cfg = { .networks = &net, .nnetworks = 1, .lang = LANG_NL };
	time_t now = 1799830800;  /* Wednesday 13 January 2027, 10:00 in Amsterdam */
	printf("per-command CPU, median of %d (ms); before: full regeneration after"
	       " each batch, after: regenerated in the command's transaction\n", ncmd);
	printf("%-9s %-22s %10s %10s %8s\n", "history", "command", "before", "after", "ratio");
	for (int s = 0; s < nsizes; s++) {
		sqlite3 *db;
		struct strbuf err = STRBUF_INIT;
		if (db_open(":memory:", &db, &err) < 0)
			die(err.buf);
		sb_release(&err);
		if (demo_seed(db, &net, now) < 0)
			die("demo");
		add_history(db, sizes[s], now);
		if (scheduler_generate(db, &cfg, now) < 0)
			die("start-up generation");
		static const struct { const char *label, *sender, *body; } cmds[] = {
			{ "!actie (changes one)", CHAIR, "!actie @daan:demo.test bellen voor 20-01-2027" },
			{ "!hulp agenda (none)", MEMBER, "!hulp agenda" },
		};
		for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
			double before = median(db, &cfg, cmds[c].sender, cmds[c].body, now, 1, ncmd);
#ifdef BENCH_OLD
			double after = 0;
#else
			double after = median(db, &cfg, cmds[c].sender, cmds[c].body, now, 0, ncmd);
#endif
			char label[16];
			snprintf(label, sizeof label, "%s%ld", sizes[s] ? "" : "demo+", sizes[s]);
			printf("%-9s %-22s %10.3f %10.3f %7.1fx\n", label, cmds[c].label, before,
			       after, after > 0 ? before / after : 0);
		}
		db_close(db);
	}
	return 0;
}
