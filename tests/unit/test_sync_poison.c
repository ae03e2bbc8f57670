/* Sync processing of hostile input and failing events, against a real
 * database: /sync bodies with NUL, lone surrogates, bad UTF-8, a key twice,
 * extreme depth and huge numbers (parsed by mx_parse as a response body
 * is); fields holding a NUL or of the wrong type; an event whose handling
 * fails (quarantined, the batch goes on); a fault of the database (the
 * batch fails); and a real crash inside a handler (a forked process that
 * aborts), quarantined at the next start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bot/config.h"
#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/poison.h"
#include "bot/sync.h"
#include "storage/db.h"
#include "tests/unit/fixture.h"

#define BOT "@werktafel:demo.test"
#define ROOM "!west:demo.test"
#define ANNA "@anna:demo.test"

/* Fake dispatch: every "!..." body is a command answered with one reply
 * ("!big": a very long one); the bodies seen are kept, "|"-separated. */
static int ncalls;
static struct strbuf seen = STRBUF_INIT;

static int fake_dispatch(struct wt_ctx *ctx, const char *body)
{
	if (body[0] != '!')
		return WT_NOT_COMMAND;
	ncalls++;
	if (seen.len)
		sb_addc(&seen, '|');
	sb_add(&seen, body);
	struct wt_replies *r = ctx->out;
	r->v = realloc(r->v, (r->n + 1) * sizeof *r->v);
	struct wt_reply *x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	if (strcmp(body, "!dberr") == 0) {
		x->markdown = strdup("Er ging iets mis bij het opslaan");
		x->in_reply_to = strdup(ctx->event_id);
		x->is_error = 1;
		return WT_EDB;
	}
	if (strcmp(body, "!big") == 0) {
		x->markdown = malloc(300001);
		memset(x->markdown, 'x', 300000);
		x->markdown[300000] = '\0';
	} else {
		x->markdown = strdup("done");
	}
	x->in_reply_to = strdup(ctx->event_id);
	return WT_OK;
}

static time_t fixed_now(void) { return 1800000000; }

static char *rooms_w[] = { ROOM };
static struct wt_network net;
static struct wt_config cfg;

struct fixture {
	sqlite3 *db;
	struct sync_env env;
	char dir[64];
	char path[128];
};

static void env_init(struct fixture *f)
{
	f->env = (struct sync_env){ .db = f->db, .cfg = &cfg, .user_id = BOT,
				    .dispatch = fake_dispatch, .now = fixed_now };
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct strbuf err = STRBUF_INIT;
	snprintf(f->dir, sizeof f->dir, "/tmp/wt-poison-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/bot.db", f->dir);
	if (db_open(f->path, &f->db, &err) < 0)
		return -1;
	sb_release(&err);
	memset(&net, 0, sizeof net);
	net.name = "west";
	net.rooms = rooms_w;
	net.nrooms = 1;
	net.lang = LANG_NL;
	memset(&cfg, 0, sizeof cfg);
	cfg.networks = &net;
	cfg.nnetworks = 1;
	env_init(f);
	ncalls = 0;
	sb_reset(&seen);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A sync body as text: next_batch and the room's timeline events (each a
 * JSON text, joined with commas). */
static char *body_text(const char *next, const char *events)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "{\"next_batch\":\"%s\",\"rooms\":{\"join\":{\"" ROOM "\":"
		"{\"timeline\":{\"events\":[%s]}}}}}", next, events);
	return sb_detach(&sb);
}

/* Parse text as the bot parses a response body and apply it. */
static int apply_text(struct fixture *f, const char *text, struct sync_stats *st)
{
	json_t *j = mx_parse(text, strlen(text));
	assert_non_null(j);
	int rc = sync_apply(&f->env, j, st);
	json_decref(j);
	return rc;
}

#define MSG_EV(id, body) "{\"type\":\"m.room.message\",\"event_id\":\"" id "\"," \
	"\"sender\":\"" ANNA "\",\"origin_server_ts\":1800000000000," \
	"\"content\":{\"msgtype\":\"m.text\",\"body\":\"" body "\"}}"

static void first_sync(struct fixture *f)
{
	struct sync_stats st;
	char *t = body_text("s1", MSG_EV("$old", "!old"));
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	assert_int_equal(ncalls, 0);
}

/* One body with every kind of poison the network may send: the batch is
 * committed, the token advances, the commands around them are handled, and
 * only the events whose text or id holds a NUL are skipped. */
static void test_poisoned_body_goes_through(void **state)
{
	struct fixture *f = *state;
	struct sync_stats st;
	first_sync(f);
	struct strbuf deep = STRBUF_INIT;
	for (int i = 0; i < 10000; i++)
		sb_addc(&deep, '[');
	for (int i = 0; i < 10000; i++)
		sb_addc(&deep, ']');
	struct strbuf ev = STRBUF_INIT;
	sb_add(&ev, MSG_EV("$ok1", "!help") ",");
	sb_add(&ev, MSG_EV("$nul", "!agenda\\u0000!rol voorzitter") ",");
	sb_add(&ev, MSG_EV("$sur", "!help \\ud800") ",");
	sb_addf(&ev, "{\"type\":\"m.room.message\",\"event_id\":\"$deep\",\"sender\":\"" ANNA
		"\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"!deep\",\"x\":%s}},", deep.buf);
	sb_add(&ev, "{\"type\":\"m.room.message\",\"event_id\":\"$dup\",\"sender\":\"" ANNA
	       "\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"!first\",\"body\":\"!second\"}},");
	sb_add(&ev, MSG_EV("$utf", "!utf \xff") ",");
	sb_add(&ev, "{\"type\":\"m.room.message\",\"event_id\":\"$num\",\"sender\":\"" ANNA
	       "\",\"origin_server_ts\":1e400,\"content\":{\"msgtype\":\"m.text\","
	       "\"body\":\"!num\",\"n\":123456789012345678901234567890}},");
	sb_add(&ev, "{\"type\":\"m.room.message\",\"event_id\":\"$id\\u0000x\",\"sender\":\"" ANNA
	       "\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"!nulid\"}},");
	sb_add(&ev, "{\"type\":\"m.room.message\",\"event_id\":\"$snd\",\"sender\":\"" ANNA
	       "\\u0000@x:y\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"!nulsender\"}},");
	sb_add(&ev, "{\"type\":\"m.room.message\",\"event_id\":\"$key\",\"sender\":\"" ANNA
	       "\",\"content\":{\"msgtype\":\"m.text\",\"bo\\u0000dy\":\"x\",\"body\":\"!keynul\"}},");
	sb_add(&ev, "{\"type\":\"m.room.name\",\"event_id\":\"$name\",\"sender\":\"" ANNA
	       "\",\"state_key\":\"\",\"content\":{\"name\":\"kamer\\u0000naam\\udfff\"}},");
	sb_add(&ev, MSG_EV("$ok2", "!help"));
	char *t = body_text("s2", ev.buf);
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	fx_assert_token(f->db, "s2");
	assert_string_equal(seen.buf, "!help|!help \xEF\xBF\xBD|!deep|!second|!utf \xEF\xBF\xBD"
			    "|!num|!keynul|!help");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 8);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events WHERE"
			       " event_id IN ('$nul', '$snd')"), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 8);
	sb_release(&deep);
	sb_release(&ev);
}

/* A field holding a NUL is never read up to the NUL: not as a command, a
 * sender, an event type, a msgtype, a membership or a reaction key. */
static void test_nul_fields_not_half_read(void **state)
{
	struct fixture *f = *state;
	struct sync_stats st;
	first_sync(f);
	const char *events =
		MSG_EV("$b", "!help\\u0000ignored") ","
		"{\"type\":\"m.room.message\\u0000x\",\"event_id\":\"$t\",\"sender\":\"" ANNA "\","
		"\"content\":{\"msgtype\":\"m.text\",\"body\":\"!type\"}},"
		"{\"type\":\"m.room.message\",\"event_id\":\"$mt\",\"sender\":\"" ANNA "\","
		"\"content\":{\"msgtype\":\"m.text\\u0000\",\"body\":\"!msgtype\"}},"
		"{\"type\":\"m.room.message\",\"event_id\":\"$ed\",\"sender\":\"" ANNA "\","
		"\"content\":{\"msgtype\":\"m.text\",\"body\":\"* x\",\"m.new_content\":"
		"{\"msgtype\":\"m.text\",\"body\":\"#besluit a\\u0000b\"},\"m.relates_to\":"
		"{\"rel_type\":\"m.replace\",\"event_id\":\"$b\"}}},"
		"{\"type\":\"m.reaction\",\"event_id\":\"$re\",\"sender\":\"" ANNA "\","
		"\"content\":{\"m.relates_to\":{\"rel_type\":\"m.annotation\","
		"\"event_id\":\"$x\\u0000\",\"key\":\"ok\"}}},"
		"{\"type\":\"m.room.member\",\"event_id\":\"$m\",\"sender\":\"@mallory:demo.test\","
		"\"state_key\":\"@mallory:demo.test\",\"content\":{\"membership\":\"join\\u0000x\"}},"
		"{\"type\":\"m.room.member\",\"event_id\":\"$m2\",\"sender\":\"@eve:demo.test\","
		"\"state_key\":\"@eve:demo.test\\u0000\",\"content\":{\"membership\":\"join\"}},"
		MSG_EV("$ok", "!ok");
	char *t = body_text("s2", events);
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	assert_string_equal(seen.buf, "!ok");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM room_members WHERE"
			       " user_id LIKE '@mallory%' OR user_id LIKE '@eve%'"), 0);
	fx_assert_token(f->db, "s2");
}

/* Wrong types in every field the sync, the invites and the power levels
 * read: nothing crashes, nothing is half-used, the batch commits. */
static void test_wrong_types(void **state)
{
	struct fixture *f = *state;
	struct sync_stats st;
	first_sync(f);
	const char *events =
		/* the bot's own join, with a time of the wrong type */
		"{\"type\":\"m.room.member\",\"event_id\":\"$own\",\"sender\":\"" BOT "\","
		"\"state_key\":\"" BOT "\",\"origin_server_ts\":\"soon\",\"content\":{\"membership\":\"join\"},"
		"\"unsigned\":[]},"
		"{\"type\":\"m.room.message\",\"event_id\":{\"a\":1},\"sender\":\"" ANNA "\","
		"\"content\":{\"msgtype\":\"m.text\",\"body\":\"!objid\"}},"
		"{\"type\":\"m.room.message\",\"event_id\":\"$arr\",\"sender\":\"" ANNA "\","
		"\"content\":[\"!array\"]},"
		"{\"type\":\"m.room.message\",\"event_id\":\"$ts\",\"sender\":\"" ANNA "\","
		"\"origin_server_ts\":\"yesterday\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"!ts\"}},"
		"{\"type\":7,\"event_id\":\"$ty\",\"sender\":\"" ANNA "\",\"content\":{}},"
		"{\"type\":\"m.room.message\",\"event_id\":\"$sn\",\"sender\":[1],"
		"\"content\":{\"msgtype\":\"m.text\",\"body\":\"!sender\"}},"
		"{\"type\":\"m.room.message\",\"event_id\":\"$bn\",\"sender\":\"" ANNA "\","
		"\"content\":{\"msgtype\":\"m.text\",\"body\":12}},"
		"{\"type\":\"m.room.message\",\"event_id\":\"$rel\",\"sender\":\"" ANNA "\","
		"\"content\":{\"msgtype\":\"m.text\",\"body\":\"* x\",\"m.relates_to\":[1],"
		"\"m.new_content\":\"!x\"}},"
		"{\"type\":\"m.room.redaction\",\"event_id\":\"$red\",\"sender\":\"" ANNA "\","
		"\"redacts\":{\"id\":1},\"content\":{\"redacts\":5}},"
		"{\"type\":\"m.reaction\",\"event_id\":\"$rx\",\"sender\":\"" ANNA "\","
		"\"content\":{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":5,\"key\":[]}}},"
		"{\"type\":\"m.room.member\",\"event_id\":\"$mm\",\"sender\":\"" ANNA "\","
		"\"state_key\":5,\"content\":{\"membership\":[\"join\"]}},"
		"{\"type\":\"m.room.power_levels\",\"event_id\":\"$pl\",\"sender\":\"" ANNA "\","
		"\"state_key\":\"\",\"content\":{\"users\":[\"" ANNA "\"]}},"
		"{\"type\":\"m.room.power_levels\",\"event_id\":\"$pl2\",\"sender\":\"" ANNA "\","
		"\"state_key\":\"\",\"content\":{\"users\":{\"" ANNA "\":\"100\",\"@b:x\":{}}}},"
		"{\"type\":\"m.room.create\",\"event_id\":\"$cr\",\"sender\":{},"
		"\"state_key\":\"\",\"content\":{\"room_version\":12,\"additional_creators\":\"@c:x\"}},"
		"{\"type\":\"m.room.create\",\"event_id\":\"$cr2\",\"sender\":\"" ANNA "\","
		"\"state_key\":\"\",\"content\":{\"room_version\":\"12\",\"additional_creators\":[1,{},\"@c:x\\u0000\"]}},"
		"17, null, \"text\", [],"
		MSG_EV("$ok", "!ok");
	char *t = body_text("s2", events);
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	assert_string_equal(seen.buf, "!ts|!ok");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM room_power WHERE level = 100"), 0);
	fx_assert_token(f->db, "s2");

	/* Whole sections of the wrong type. */
	const char *bodies[] = {
		"{\"next_batch\":\"s3\",\"rooms\":{\"join\":[1,2],\"invite\":\"x\",\"leave\":7}}",
		"{\"next_batch\":\"s4\",\"rooms\":{\"join\":{\"" ROOM "\":{\"timeline\":[],\"state\":\"x\"}}}}",
		"{\"next_batch\":\"s5\",\"rooms\":{\"join\":{\"" ROOM "\":{\"timeline\":{\"events\":{\"a\":1},"
		"\"limited\":\"yes\",\"prev_batch\":5}}}}}",
		"{\"next_batch\":\"s6\",\"rooms\":{\"join\":{\"" ROOM "\":[]},\"invite\":{\"!i:x\":"
		"{\"invite_state\":{\"events\":[{\"type\":\"m.room.member\",\"state_key\":\"" BOT "\","
		"\"sender\":[],\"content\":{\"membership\":\"invite\",\"is_direct\":\"yes\"}},"
		"{\"type\":\"m.room.canonical_alias\",\"state_key\":\"\",\"content\":{\"alias\":5,"
		"\"alt_aliases\":{\"a\":\"#x:y\"}}},7]}},\"!j:x\":{\"invite_state\":{\"events\":\"x\"}},"
		"\"!k:x\":{\"invite_state\":{\"events\":[{\"type\":\"m.room.member\",\"state_key\":\""
		BOT "\\u0000\",\"content\":{\"membership\":\"invite\"}}]}}}}}",
		"{\"next_batch\":\"s7\",\"rooms\":null}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
		assert_int_equal(apply_text(f, bodies[i], &st), 0);
	fx_assert_token(f->db, "s7");
	/* The invite from a stranger (sender of the wrong type) is refused;
	 * the one addressed to "BOT\0..." is no invite of the bot at all. */
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE room_id = '!i:x'"
			       " AND pending = 'leave' AND invited_by IS NULL"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM rooms WHERE room_id = '!k:x'"), 0);
	/* A next_batch that is no usable string: nothing is stored. */
	assert_true(apply_text(f, "{\"next_batch\":\"s8\\u0000x\"}", &st) < 0);
	assert_true(apply_text(f, "{\"next_batch\":[\"s8\"]}", &st) < 0);
	fx_assert_token(f->db, "s7");
}

/* An event whose handling fails with an error of its own is quarantined:
 * rolled back alone, recorded, its sender told once; the events around it
 * are handled and the batch commits. The same event again is skipped. */
static void test_failing_event_quarantined(void **state)
{
	struct fixture *f = *state;
	struct sync_stats st;
	first_sync(f);
	assert_int_equal(sqlite3_exec(f->db, "CREATE TRIGGER boom BEFORE INSERT ON"
		" handled_events WHEN NEW.event_id = '$bad' BEGIN SELECT RAISE(ABORT,"
		" 'boom'); END", NULL, NULL, NULL), SQLITE_OK);
	char *t = body_text("s2", MSG_EV("$good", "!help") "," MSG_EV("$bad", "!help")
			    "," MSG_EV("$after", "!help"));
	assert_int_equal(apply_text(f, t, &st), 0);
	fx_assert_token(f->db, "s2");
	assert_int_equal(ncalls, 3);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine WHERE event_id = '$bad'"
			       " AND room_id = '" ROOM "' AND sender = '" ANNA "'"
			       " AND reason LIKE '%boom%'"), 1);
	/* Three replies: two answers, and the quarantine notice (Dutch, a
	 * reply to the event, mentioning the sender) instead of the third. */
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 3);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
			       " '%overgeslagen%' AND content LIKE '%\"event_id\":\"$bad\"%'"
			       " AND content LIKE '%\"user_ids\":[\"" ANNA "\"]%'"), 1);
	/* Served again (a replay): nothing runs, nobody is told twice. */
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	assert_int_equal(ncalls, 3);
	assert_int_equal(st.duplicates, 3);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 3);
}

/* A handler that reports a database error (WT_EDB) has replied already:
 * the event is quarantined without a second reply. A state event whose
 * storing fails is quarantined without any reply (there is no one to
 * answer), one without an id is skipped; the batch goes on. */
static void test_handler_error_and_state_failures(void **state)
{
	struct fixture *f = *state;
	struct sync_stats st;
	first_sync(f);
	assert_int_equal(sqlite3_exec(f->db, "CREATE TRIGGER boom BEFORE INSERT ON"
		" room_members WHEN NEW.user_id LIKE '@bad%' BEGIN SELECT RAISE(ABORT,"
		" 'member boom'); END", NULL, NULL, NULL), SQLITE_OK);
	char *t = body_text("s2", MSG_EV("$db", "!dberr") ","
		"{\"type\":\"m.room.member\",\"event_id\":\"$mem\",\"sender\":\"@bad1:x\","
		"\"state_key\":\"@bad1:x\",\"content\":{\"membership\":\"join\"}},"
		"{\"type\":\"m.room.member\",\"sender\":\"@bad2:x\","
		"\"state_key\":\"@bad2:x\",\"content\":{\"membership\":\"join\"}},"
		"{\"type\":\"m.room.member\",\"event_id\":\"$fine\",\"sender\":\"@good:x\","
		"\"state_key\":\"@good:x\",\"content\":{\"membership\":\"join\"}},"
		MSG_EV("$ok", "!help"));
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	fx_assert_token(f->db, "s2");
	assert_string_equal(seen.buf, "!dberr|!help");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine WHERE event_id = '$db'"
			       " AND reason LIKE '%database error%'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine WHERE event_id = '$mem'"
			       " AND reason LIKE '%member boom%'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine"), 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM room_members WHERE user_id = '@good:x'"), 1);
	/* The handler's own error reply and the answer: no quarantine notice. */
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 2);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
			       " '%overgeslagen%'"), 0);
}

/* A fault of the database itself (here: full) is nobody's event: the
 * whole batch fails and nothing is quarantined; once there is room, the
 * same batch is handled completely. */
static void test_database_fault_fails_the_batch(void **state)
{
	struct fixture *f = *state;
	struct sync_stats st;
	first_sync(f);
	int pages = fx_int(f->db, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages + 2);
	assert_int_equal(sqlite3_exec(f->db, sql, NULL, NULL, NULL), SQLITE_OK);
	char *t = body_text("s2", MSG_EV("$a", "!help") "," MSG_EV("$big", "!big"));
	assert_true(apply_text(f, t, &st) < 0);
	fx_assert_token(f->db, "s1");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine"), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 0);
	assert_int_equal(sqlite3_exec(f->db, "PRAGMA max_page_count = 1000000", NULL, NULL,
				      NULL), SQLITE_OK);
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	fx_assert_token(f->db, "s2");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 2);
}

/* Whether the watch file notes an event (it stays between events while
 * the bot runs, its first line empty). */
static int note_left(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int c = fgetc(f);
	fclose(f);
	return c != EOF && c != '\n';
}

/* A real crash inside a handler: a child process handles a batch whose
 * second command aborts (WERKTAFEL_TEST_ABORT_ON). At the "restart" the
 * event is quarantined with a reply to its sender, and the same batch,
 * served again, has its other commands answered once. */
static void test_crash_quarantined_at_restart(void **state)
{
	struct fixture *f = *state;
	struct sync_stats st;
	first_sync(f);
	char *t = body_text("s2", MSG_EV("$c1", "!help") "," MSG_EV("$crash", "!crash")
			    "," MSG_EV("$c2", "!help"));
	db_close(f->db);
	f->db = NULL;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct strbuf err = STRBUF_INIT;
		setenv("WERKTAFEL_TEST_ABORT_ON", "!crash", 1);
		if (db_open(f->path, &f->db, &err) < 0)
			_exit(2);
		env_init(f);
		f->env.watch = poison_watch_new(f->path);
		json_t *j = mx_parse(t, strlen(t));
		sync_apply(&f->env, j, &st);
		_exit(3);  /* not reached: the handler aborts */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);

	/* The restart. */
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(f->path, &f->db, &err), 0);
	sb_release(&err);
	env_init(f);
	struct poison_watch *w = poison_watch_new(f->path);
	f->env.watch = w;
	assert_int_equal(access(poison_watch_path(w), F_OK), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM handled_events"), 0);
	assert_int_equal(poison_recover(w, f->db, &cfg, fixed_now()), 1);
	assert_int_not_equal(access(poison_watch_path(w), F_OK), 0);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine WHERE event_id ="
			       " '$crash' AND reason LIKE '%crashed (signal 6)%'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox WHERE content LIKE"
			       " '%overgeslagen%' AND content LIKE '%\"event_id\":\"$crash\"%'"), 1);
	ncalls = 0;
	sb_reset(&seen);
	assert_int_equal(apply_text(f, t, &st), 0);
	free(t);
	assert_string_equal(seen.buf, "!help|!help");
	assert_int_equal(st.duplicates, 1);
	fx_assert_token(f->db, "s2");
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM outbox"), 3);
	/* Between events the note is kept open, its first line empty. */
	assert_false(note_left(poison_watch_path(w)));
	poison_watch_free(w);
}

/* Killed from outside while handling (the note has no crash line): the
 * event is handled again, and quarantined only the third time in a row. */
static void test_killed_three_times(void **state)
{
	struct fixture *f = *state;
	first_sync(f);
	struct poison_watch *w = poison_watch_new(f->path);
	for (int i = 1; i <= POISON_MAX_DEATHS; i++) {
		poison_watch_begin(w, "$k", ROOM, ANNA);
		/* what a SIGKILL leaves: the file, no crash line */
		FILE *copy = fopen(poison_watch_path(w), "r");
		assert_non_null(copy);
		char line[256] = "";
		assert_non_null(fgets(line, sizeof line, copy));
		fclose(copy);
		poison_watch_end(w);
		copy = fopen(poison_watch_path(w), "w");
		fputs(line, copy);
		fclose(copy);
		int rc = poison_recover(w, f->db, &cfg, fixed_now());
		assert_int_equal(rc, i < POISON_MAX_DEATHS ? 0 : 1);
	}
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine WHERE event_id = '$k'"
			       " AND reason LIKE '%stopped 3 times%'"), 1);
	poison_watch_free(w);
}

/* The note is written over the file's start, never cut: a crash while a
 * short event is handled, after a longer one, still names the short one
 * and its crash (the longer line's rest after it is not read). */
static void test_crash_after_longer_note(void **state)
{
	struct fixture *f = *state;
	first_sync(f);
	struct poison_watch *w = poison_watch_new(f->path);
	poison_watch_begin(w, "$a-much-longer-event-id-than-the-next-one-has", ROOM,
			   "@someone-with-a-long-name:example.org");
	assert_true(note_left(poison_watch_path(w)));
	poison_watch_end(w);
	assert_false(note_left(poison_watch_path(w)));
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		poison_watch_begin(w, "$s", ROOM, ANNA);
		abort();
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(poison_recover(w, f->db, &cfg, fixed_now()), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine WHERE event_id ="
			       " '$s' AND reason LIKE '%crashed (signal 6)%'"), 1);
	assert_int_equal(fx_int(f->db, "SELECT COUNT(*) FROM quarantine"), 1);
	poison_watch_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_poisoned_body_goes_through, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_fields_not_half_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_event_quarantined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_error_and_state_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_database_fault_fails_the_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_quarantined_at_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_three_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_after_longer_note, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	sb_release(&seen);
	return rc;
}
