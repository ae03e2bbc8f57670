/* poison: no event may block the others. When handling one event fails
 * hard, the event is quarantined: recorded (storage/quarantine.h), skipped
 * for good with one warn line, and its sender gets one short reply; the
 * rest of the batch goes on and commits.
 *
 * "Fails hard" is either an error of the event's own (a handler or a
 * storage call refusing it: sync.c rolls back only that event's savepoint)
 * or the process dying while handling it. For the second, the event being
 * handled is written to a small file next to the database (DB.handling)
 * before its handler runs and removed after; a crash (SIGSEGV, SIGABRT,
 * SIGBUS, SIGFPE, SIGILL) adds a "crash" line to it. At the next start
 * poison_recover quarantines that event. A file without a crash line means
 * the process was killed from outside (SIGKILL, OOM): the event is handled
 * again, and quarantined only when that happens POISON_MAX_DEATHS times in
 * a row.
 *
 * A fault of the database itself (full, read-only, corrupt, locked, out of
 * memory) is nobody's event: the whole batch fails and comes again. */
#ifndef WT_POISON_H
#define WT_POISON_H

#include <sqlite3.h>
#include <time.h>

#include "bot/config.h"
#include "handlers/network.h"

#define POISON_MAX_DEATHS 3

struct poison_watch;

/* Watch events through the file db_path + ".handling"; installs the crash
 * signal handlers (chaining to the ones before). NULL for ":memory:". */
struct poison_watch *poison_watch_new(const char *db_path);
void poison_watch_free(struct poison_watch *w);
/* The file's path. */
const char *poison_watch_path(const struct poison_watch *w);

/* Note the event about to be handled / done with it (w may be NULL). */
void poison_watch_begin(struct poison_watch *w, const char *event_id,
			const char *room_id, const char *sender);
void poison_watch_end(struct poison_watch *w);

/* At start: quarantine what the last process died handling (see above),
 * in its own transaction. 1 when something was quarantined, 0 when
 * nothing, negative on a database error. */
int poison_recover(struct poison_watch *w, sqlite3 *db,
		   const struct wt_config *cfg, time_t now);

/* Quarantine one event: record, one warn line, and (reply) a reply to the
 * sender in the room's language (net NULL: the room's network or the
 * config's language). Inside the caller's transaction. 0 or negative. */
int poison_quarantine(sqlite3 *db, const struct wt_config *cfg,
		      const struct wt_network *net, const char *event_id,
		      const char *room_id, const char *sender, const char *reason,
		      time_t now, int reply);

/* 1 when the last error of db is the database's own (full, read-only,
 * I/O, corrupt, locked, busy, out of memory) or ended the transaction. */
int poison_fault_is_global(sqlite3 *db);

/* Tests: abort() when body is $WERKTAFEL_TEST_ABORT_ON (a crash inside a
 * handler, on purpose). */
void poison_test_hook(const char *body);

#endif
