/* fixture: what many unit tests share. Linked into every test binary. */
#ifndef WT_TEST_FIXTURE_H
#define WT_TEST_FIXTURE_H

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

#include "bot/sync.h"
#include "handlers/dispatch.h"
#include "handlers/network.h"
#include "handlers/context.h"
#include "handlers/replies.h"

/* A new in-memory database with the schema (fails the test when it
 * cannot open). */
sqlite3 *fx_db(void);
/* cmocka setup and teardown for tests whose state is such a database. */
int fx_db_setup(void **state);
int fx_db_teardown(void **state);

/* Remove a database file's -wal and -shm files (the file itself stays). */
void fx_remove_wal(const char *path);

/* Fail unless the stored sync token (kv sync.next_batch) is want. */
void fx_assert_token(sqlite3 *db, const char *want);

/* Compare text with the golden file at path (relative to the top
 * directory, where the tests run), printing both when they differ; with
 * WT_UPDATE_GOLDEN=1 in the environment write text there instead. */
void fx_golden(const char *path, const char *text);

/* A text message event (m.room.message, m.text) as a sync gives it. */
json_t *fx_msg_event(const char *id, const char *sender, const char *body, long long ts);

/* A sync test: a database and the environment sync_apply runs in. */
struct fx_sync {
	sqlite3 *db;
	struct sync_env env;
};
/* A new one with its own database (env.db set; the rest is the test's). */
struct fx_sync *fx_sync_new(void);
/* cmocka teardown for tests whose state is a struct fx_sync. */
int fx_sync_teardown(void **state);

/* Every row of every table of db but skip_table (NULL: none), in a fixed
 * order, as one string (caller frees): equal snapshots before and after a
 * refused command mean the command changed nothing at all. */
char *fx_snapshot(sqlite3 *db, const char *skip_table);

/* Fail, naming the table and the first differing row, unless the two
 * snapshots are equal. */
void fx_assert_same(const char *before, const char *after);

/* The number of rows of table (one of our own table names). */
long long fx_count(sqlite3 *db, const char *table);

/* The one integer the query sql gives (its first row's first column);
 * fails the test when it gives no row. */
long long fx_int(sqlite3 *db, const char *sql);

/* Commands run through wt_dispatch against an in-memory database, as in
 * the room "werktafel" (event "$ev1") at a fixed time, with the replies of
 * the last one; a test may change room, event_id and now as it goes. */
struct fx_cmds {
	sqlite3 *db;
	struct wt_replies out;
	time_t now;
	const char *const *admins;
	/* The config's networks, for the context (NULL: only the command's). */
	const struct wt_network *networks;
	size_t nnetworks;
	const char *room;
	const char *event_id;
	/* The event the command replies to (m.in_reply_to), or NULL. */
	const char *reply_to;
	/* The config's limits (zero: the defaults). */
	struct wt_limits limits;
};

/* A new fixture (fails the test when the database cannot open). */
struct fx_cmds *fx_new(time_t now, const char *const *admins);
void fx_free(struct fx_cmds *f);
/* cmocka teardown for tests whose state is a struct fx_cmds. */
int fx_teardown(void **state);
/* Run body as sender in net; the replies are in f->out (cleared first). */
int fx_run(struct fx_cmds *f, const struct wt_network *net, const char *sender, const char *body);
/* The first reply's Markdown. */
const char *fx_reply0(struct fx_cmds *f);
/* Fail unless the first reply contains needle. */
void fx_reply_has(struct fx_cmds *f, const char *needle);
/* The command must succeed with at least one reply, not an error. */
void fx_ok(struct fx_cmds *f, const struct wt_network *net, const char *sender, const char *body);
/* The command must be refused with code, one error reply containing needle
 * (NULL: any), and no change to the database. */
void fx_refused(struct fx_cmds *f, const struct wt_network *net, const char *sender,
		const char *body, int code, const char *needle);

#endif
