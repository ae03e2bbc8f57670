/* Quarantine of events whose handling fails hard (see bot/poison.h). */
#include "bot/poison.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/message.h"
#include "bot/rooms.h"
#include "handlers/reply.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/quarantine.h"

struct poison_watch {
	char *path;
	int fd;          /* the file, open from the first event on, else -1 */
	int busy;        /* an event is being handled */
};

/* The fd the crash handler writes to; -1 when no event is handled. This
 * and the handlers it replaced are process-wide: a signal handler gets no
 * argument to find them through, and signals are the process's. */
static volatile sig_atomic_t crash_fd = -1;
static volatile sig_atomic_t crash_at;   /* where the crash line goes */

static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
#define NCRASH (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction crash_old[NCRASH];
static int crash_installed;

/* A crash while an event is handled: mark the file, then let the signal
 * take its course under the handler that was there before (ASan's, or the
 * default: the process dies). Only async-signal-safe calls. */
static void on_crash(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int fd = crash_fd;
	if (fd >= 0) {
		char line[] = "crash 00\n";
		line[6] = (char)('0' + sig / 10 % 10);
		line[7] = (char)('0' + sig % 10);
		/* Right after the event's line (what follows is an older,
		 * longer line's rest: never read). */
		if (lseek(fd, (off_t)crash_at, SEEK_SET) >= 0) {
			ssize_t n = write(fd, line, sizeof line - 1);
			(void)n;
		}
	}
	for (size_t i = 0; i < NCRASH; i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &crash_old[i], NULL);
	/* Sent (abort, kill): send again. A fault: the instruction runs again
	 * when this handler returns, and faults under the old handler. */
	if (!si || si->si_code <= 0)
		raise(sig);
}

static void install_crash_handlers(void)
{
	if (crash_installed)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, &crash_old[i]);
	crash_installed = 1;
}

struct poison_watch *poison_watch_new(const char *db_path)
{
	if (!db_path || !*db_path || strcmp(db_path, ":memory:") == 0)
		return NULL;
	struct poison_watch *w = xcalloc(1, sizeof *w);
	struct strbuf p = STRBUF_INIT;
	sb_addf(&p, "%s.handling", db_path);
	w->path = sb_detach(&p);
	w->fd = -1;
	install_crash_handlers();
	return w;
}

void poison_watch_free(struct poison_watch *w)
{
	if (!w)
		return;
	poison_watch_end(w);
	if (w->fd >= 0) {
		close(w->fd);
		unlink(w->path);
	}
	free(w->path);
	free(w);
}

const char *poison_watch_path(const struct poison_watch *w)
{
	return w ? w->path : NULL;
}

void poison_watch_begin(struct poison_watch *w, const char *event_id,
			const char *room_id, const char *sender)
{
	if (!w || !event_id)
		return;
	poison_watch_end(w);
	json_t *j = json_pack("{s:s,s:s,s:s?}", "event_id", event_id, "room_id",
			      room_id ? room_id : "", "sender", sender);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		return;
	/* Opened once and kept: per event one write over the file's start
	 * when it begins and one byte when it ends, no file made and removed
	 * each time (a directory change per event), nor cut short (a
	 * truncation frees the file's block, and the next write takes one
	 * again). A file that is empty or starts with a line break is
	 * "nothing handled"; after the first line is an older line's rest. */
	if (w->fd < 0)
		w->fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (w->fd < 0) {
		log_debug("%s: %s", w->path, strerror(errno));
		free(text);
		return;
	}
	struct strbuf line = STRBUF_INIT;
	sb_addf(&line, "%s\n", text);
	free(text);
	if (pwrite(w->fd, line.buf, line.len, 0) != (ssize_t)line.len)
		log_debug("%s: %s", w->path, strerror(errno));
	crash_at = (sig_atomic_t)line.len;
	sb_release(&line);
	w->busy = 1;
	crash_fd = w->fd;
}

void poison_watch_end(struct poison_watch *w)
{
	if (!w || !w->busy)
		return;
	crash_fd = -1;
	w->busy = 0;
	if (pwrite(w->fd, "\n", 1, 0) != 1)
		log_debug("%s: %s", w->path, strerror(errno));
}

int poison_quarantine(sqlite3 *db, const struct wt_config *cfg,
		      const struct wt_network *net, const char *event_id,
		      const char *room_id, const char *sender, const char *reason,
		      time_t now, int reply)
{
	if (quarantine_add(db, event_id, room_id, sender, reason, (long long)now) < 0)
		return -1;
	log_warn("%s: event %s from %s quarantined: %s", room_id, event_id,
		 sender ? sender : "?", reason);
	if (!reply || !sender)
		return 0;
	if (!net)
		net = rooms_network(db, cfg, room_id);
	struct wt_replies out = {0};
	struct wt_ctx ctx = {
		.db = db, .net = net, .sender = sender, .room = room_id,
		.event_id = event_id, .now = now,
		.lang = net ? net->lang : cfg ? cfg->lang : LANG_NL,
		.limits = cfg ? &cfg->limits : NULL, .out = &out,
	};
	struct wt_reply *r = reply_msgf(&ctx, M_QUARANTINED);
	r->is_error = 1;
	reply_mention(r, sender);
	message_reply_notify(r, cfg);
	int rc = message_enqueue(db, r, room_id, now, NULL);
	wt_replies_free(&out);
	if (rc == MESSAGE_UNSENDABLE) {
		log_warn("%s: the reply to quarantined event %s cannot be sent", room_id,
			 event_id);
		return 0;
	}
	return rc < 0 ? -1 : 0;
}

int poison_fault_is_global(sqlite3 *db)
{
	if (sqlite3_get_autocommit(db))
		return 1;   /* SQLite rolled the whole transaction back itself */
	switch (sqlite3_extended_errcode(db) & 0xff) {
	case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_READONLY:
	case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_BUSY:
	case SQLITE_LOCKED: case SQLITE_NOMEM: case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL: case SQLITE_PERM: case SQLITE_INTERRUPT:
	case SQLITE_ABORT:
		return 1;
	default:
		return 0;
	}
}

/* The file's contents, or NULL when there is none. */
static char *read_note(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_read_file(&sb, f, 65536);
	fclose(f);
	return sb_detach(&sb);
}

/* Count a death without a crash line; 1 when event_id reached the limit. */
static int count_death(sqlite3 *db, const char *event_id)
{
	char *was = db_kv_get(db, "poison.suspect");
	char *n = db_kv_get(db, "poison.deaths");
	int deaths = was && strcmp(was, event_id) == 0 && n ? atoi(n) + 1 : 1;
	free(was);
	free(n);
	char num[16];
	snprintf(num, sizeof num, "%d", deaths);
	db_kv_set(db, "poison.suspect", event_id);
	db_kv_set(db, "poison.deaths", num);
	return deaths >= POISON_MAX_DEATHS;
}

/* The note is dealt with: gone, and made anew at the next event. */
static void forget_note(struct poison_watch *w)
{
	if (w->fd >= 0 && !w->busy) {
		close(w->fd);
		w->fd = -1;
	}
	unlink(w->path);
}

int poison_recover(struct poison_watch *w, sqlite3 *db,
		   const struct wt_config *cfg, time_t now)
{
	char *text = w ? read_note(w->path) : NULL;
	if (text && (!*text || *text == '\n')) {
		free(text);  /* the run stopped between events */
		text = NULL;
		forget_note(w);
	}
	if (!text)
		return 0;
	char *nl = strchr(text, '\n');
	json_t *j = nl ? json_loadb(text, (size_t)(nl - text), 0, NULL) : NULL;
	const char *event_id = json_string_value(json_object_get(j, "event_id"));
	const char *room_id = json_string_value(json_object_get(j, "room_id"));
	const char *sender = json_string_value(json_object_get(j, "sender"));
	const char *crash = strstr(text, "\ncrash ");
	int rc = 0;
	if (event_id && room_id && db_begin(db) == 0) {
		struct strbuf why = STRBUF_INIT;
		int take = 0;
		if (crash) {
			sb_addf(&why, "the process crashed (signal %d) while handling it",
				atoi(crash + 7));
			take = 1;
		} else if (count_death(db, event_id)) {
			sb_addf(&why, "the process stopped %d times while handling it",
				POISON_MAX_DEATHS);
			take = 1;
		} else {
			log_info("%s: the last run stopped while handling event %s; "
				 "handling it again", room_id, event_id);
		}
		if (take)
			rc = poison_quarantine(db, cfg, NULL, event_id, room_id, sender,
					       why.buf, now, 1);
		sb_release(&why);
		if (rc == 0 && db_commit(db) == 0) {
			rc = take;
		} else {
			db_rollback(db);
			rc = -1;
		}
	}
	json_decref(j);
	free(text);
	if (rc >= 0)
		forget_note(w);
	return rc;
}

void poison_test_hook(const char *body)
{
	const char *t = getenv("WERKTAFEL_TEST_ABORT_ON");
	if (t && *t && body && strcmp(body, t) == 0)
		abort();
}
