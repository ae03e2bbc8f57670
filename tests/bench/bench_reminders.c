/* Reminder scheduler benchmark (not a test): a database with N pending
 * reminders (default 100,000), of which F (default 1,000) fall due during
 * the run, spread over S seconds (default 10). Measures the start-up (open
 * and migrate the database, the start-up pass, arming the timer), the
 * resident memory, and how late each reminder reached the outbox
 * (p50/p99/max), with the real clock and the real libuv timer.
 *
 *   bench_reminders [-n pending] [-f fire] [-s seconds] [-d dbfile]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "bot/config.h"
#include "bot/scheduler.h"
#include "storage/db.h"
#include "storage/reminders.h"

static char *rooms[] = { "!bench:demo.test" };
static struct wt_network net = { .name = "bench", .rooms = rooms, .nrooms = 1, .themes = NULL, .nthemes = 0, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };

struct run {
	sqlite3 *db;
	uv_loop_t *loop;
	long long fired_before;
	int want;
	double *late_ms;
	int nlate;
	uv_timer_t stop;
};

static int64_t now_ms(void)
{
	return scheduler_real_clock(NULL);
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/* After each firing: the lateness of every reminder fired since the last
 * call is now minus its due time. */
static void on_enqueued(void *arg)
{
	struct run *r = arg;
	int64_t t = now_ms();
	sqlite3_stmt *st;
	sqlite3_prepare_v2(r->db, "SELECT due_at FROM reminders WHERE state = 'fired'"
			   " AND id > ?1 ORDER BY id", -1, &st, NULL);
	sqlite3_bind_int64(st, 1, r->fired_before);
	while (sqlite3_step(st) == SQLITE_ROW && r->nlate < r->want)
		r->late_ms[r->nlate++] = (double)(t - sqlite3_column_int64(st, 0) * 1000);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(r->db, "SELECT coalesce(max(id), 0) FROM reminders"
			   " WHERE state = 'fired'", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		r->fired_before = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r->nlate >= r->want)
		uv_stop(r->loop);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Fill the database: `fire` reminders due from now+2 s over `secs`
 * seconds, the rest from tomorrow on. */
static int fill(const char *path, int pending, int fire, int secs)
{
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	if (db_open(path, &db, &err) < 0) {
		fprintf(stderr, "%s\n", err.buf);
		return -1;
	}
	time_t now = time(NULL);
	db_begin(db);
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO reminders(network, short_id, kind,"
		" owner, to_user, due_at, text, created_at) VALUES ('bench', ?1, 'personal',"
		" ?2, ?2, ?3, 'bench reminder', ?4)");
	char user[64];
	for (int i = 0; i < pending; i++) {
		time_t due = i < fire ? now + 2 + (time_t)((long long)i * secs / fire)
				      : now + 86400 + i * 7;
		snprintf(user, sizeof user, "@user%d:demo.test", i % 2000);
		sqlite3_bind_int64(st, 1, i + 1);
		sqlite3_bind_text(st, 2, user, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)due);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	db_done(st);
	db_commit(db);
	db_close(db);
	sb_release(&err);
	return 0;
}

int main(int argc, char **argv)
{
	int pending = 100000, fire = 1000, secs = 10, opt;
	char path[256];
	snprintf(path, sizeof path, "/tmp/werktafel-bench-%d.db", (int)getpid());
	while ((opt = getopt(argc, argv, "n:f:s:d:")) != -1) {
		switch (opt) {
		case 'n': pending = atoi(optarg); break;
		case 'f': fire = atoi(optarg); break;
		case 's': secs = atoi(optarg); break;
		case 'd': snprintf(path, sizeof path, "%s", optarg); break;
		default:
			fprintf(stderr, "usage: %s [-n pending] [-f fire] [-s seconds] [-d db]\n", argv[0]);
			return 2;
		}
	}
	if (fire > pending || fire < 1 || secs < 1)
		return 2;
	unlink(path);
	if (fill(path, pending, fire, secs) < 0)
		return 1;
	long rss0 = rss_kb();

	struct wt_config cfg = { .lang = LANG_NL, .timezone = "Europe/Amsterdam",
				 .late_limit_hours = 24, .networks = &net, .nnetworks = 1 };
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct run r = { .loop = &loop, .want = fire };
	r.late_ms = calloc((size_t)fire, sizeof *r.late_ms);
	struct strbuf err = STRBUF_INIT;

	double t0 = mono_ms();
	time_t wall0 = time(NULL);
	if (db_open(path, &r.db, &err) < 0)
		return 1;
	struct scheduler *s = scheduler_new(&loop, r.db, &cfg);
	scheduler_on_enqueued(s, on_enqueued, &r);
	if (scheduler_start(s) < 0)
		return 1;
	double start_ms = mono_ms() - t0;
	time_t armed = scheduler_armed_for(s);

	/* The choice of the next one, alone, many times. */
	double t1 = mono_ms();
	time_t due;
	for (int i = 0; i < 1000; i++)
		reminders_next_due(r.db, &due);
	double next_us = (mono_ms() - t1);   /* ms per 1000 = us each */
	long rss_start = rss_kb();

	uv_run(&loop, UV_RUN_DEFAULT);
	long rss_end = rss_kb();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);

	qsort(r.late_ms, (size_t)r.nlate, sizeof *r.late_ms, cmp);
	printf("werktafel reminder benchmark\n");
	printf("  pending reminders     %d (%d fire during the run, over %d s)\n", pending, fire, secs);
	printf("  start-up              %.1f ms (open + migrate + start-up pass + arm)\n", start_ms);
	printf("  next due (indexed)    %.1f us per query\n", next_us);
	printf("  armed for             %+ld s from start\n", (long)(armed - wall0));
	printf("  RSS                   %ld KiB before start, %ld KiB after start, %ld KiB at end (peak %ld KiB)\n",
	       rss0, rss_start, rss_end, ru.ru_maxrss);
	printf("  fired                 %d\n", r.nlate);
	if (r.nlate) {
		printf("  lateness p50          %.1f ms\n", r.late_ms[r.nlate / 2]);
		printf("  lateness p99          %.1f ms\n", r.late_ms[(r.nlate * 99) / 100 > 0 ? (r.nlate * 99) / 100 : 0]);
		printf("  lateness max          %.1f ms\n", r.late_ms[r.nlate - 1]);
	}
	scheduler_free(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	db_close(r.db);
	free(r.late_ms);
	sb_release(&err);
	unlink(path);
	char side[300];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return r.nlate == fire ? 0 : 1;
}
