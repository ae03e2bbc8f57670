#include "tests/unit/fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "lib/strbuf.h"
#include "storage/db.h"

sqlite3 *fx_db(void)
{
	sqlite3 *db = NULL;
	struct strbuf err = STRBUF_INIT;
	if (db_open(":memory:", &db, &err) < 0)
		fail_msg("cannot open the database: %s", err.buf);
	sb_release(&err);
	return db;
}

int fx_db_setup(void **state)
{
	*state = fx_db();
	return 0;
}

int fx_db_teardown(void **state)
{
	db_close(*state);
	return 0;
}

struct fx_sync *fx_sync_new(void)
{
	struct fx_sync *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->db = fx_db();
	f->env.db = f->db;
	return f;
}

int fx_sync_teardown(void **state)
{
	struct fx_sync *f = *state;
	db_close(f->db);
	free(f);
	return 0;
}

void fx_golden(const char *path, const char *text)
{
	const char *update = getenv("WT_UPDATE_GOLDEN");
	if (update && *update == '1') {
		FILE *fp = fopen(path, "wb");
		assert_non_null(fp);
		fputs(text, fp);
		fclose(fp);
		return;
	}
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("%s is missing (WT_UPDATE_GOLDEN=1 from the top directory writes it)",
			 path);
	struct strbuf want = STRBUF_INIT;
	assert_int_equal(sb_read_file(&want, fp, SIZE_MAX), 0);
	fclose(fp);
	if (strcmp(want.buf, text) != 0) {
		fprintf(stderr, "---- %s (expected) ----\n%s---- got ----\n%s----\n",
			path, want.buf, text);
		sb_release(&want);
		fail_msg("%s differs", path);
	}
	sb_release(&want);
}

void fx_assert_token(sqlite3 *db, const char *want)
{
	char *t = db_kv_get(db, "sync.next_batch");
	assert_non_null(t);
	assert_string_equal(t, want);
	free(t);
}

json_t *fx_msg_event(const char *id, const char *sender, const char *body, long long ts)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type", "m.room.message",
			 "event_id", id, "sender", sender, "origin_server_ts",
			 (json_int_t)ts, "content", "msgtype", "m.text", "body", body);
}

/* Append the rows of one table, ordered by all its columns. */
static void dump_table(sqlite3 *db, const char *name, struct strbuf *sb)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "SELECT * FROM \"%s\"", name);
	sqlite3_stmt *st = db_prepare(db, sql.buf);
	assert_non_null(st);
	int ncol = sqlite3_column_count(st);
	db_done(st);
	sb_add(&sql, " ORDER BY ");
	for (int c = 1; c <= ncol; c++)
		sb_addf(&sql, c > 1 ? ", %d" : "%d", c);
	st = db_prepare(db, sql.buf);
	assert_non_null(st);
	sb_addf(sb, "[%s]\n", name);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < ncol; c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			sb_addf(sb, "%s|", t ? (const char *)t : "NULL");
		}
		sb_addc(sb, '\n');
	}
	db_done(st);
	sb_release(&sql);
}

char *fx_snapshot(sqlite3 *db, const char *skip_table)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
				      " AND name NOT LIKE 'sqlite_%' ORDER BY name");
	assert_non_null(st);
	struct strbuf sb = STRBUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!skip_table || strcmp(name, skip_table) != 0)
			dump_table(db, name, &sb);
	}
	db_done(st);
	return sb_detach(&sb);
}

void fx_assert_same(const char *before, const char *after)
{
	const char *a = before, *b = after, *table = "?";
	size_t table_len = 1;
	while (*a || *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la) != 0)
			fail_msg("the database changed in %.*s:\n  before: %.*s\n  after:  %.*s",
				 (int)table_len, table, (int)la, a, (int)lb, b);
		if (*a == '[') {
			table = a;
			table_len = la;
		}
		a += la + (ea != NULL);
		b += lb + (eb != NULL);
	}
}

long long fx_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

long long fx_count(sqlite3 *db, const char *table)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "SELECT count(*) FROM \"%s\"", table);
	long long n = fx_int(db, sql.buf);
	sb_release(&sql);
	return n;
}

struct fx_cmds *fx_new(time_t now, const char *const *admins)
{
	struct fx_cmds *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->db = fx_db();
	f->now = now;
	f->admins = admins;
	f->room = "werktafel";
	f->event_id = "$ev1";
	return f;
}

void fx_free(struct fx_cmds *f)
{
	wt_replies_free(&f->out);
	db_close(f->db);
	free(f);
}

int fx_teardown(void **state)
{
	fx_free(*state);
	return 0;
}

int fx_run(struct fx_cmds *f, const struct wt_network *net, const char *sender, const char *body)
{
	wt_replies_free(&f->out);
	struct wt_ctx ctx = {
		.db = f->db, .net = net, .sender = sender, .room = f->room,
		.event_id = f->event_id, .reply_to = f->reply_to, .now = f->now, .lang = net->lang,
		.admins = f->admins, .out = &f->out, .networks = f->networks,
		.nnetworks = f->nnetworks, .limits = &f->limits,
	};
	return wt_dispatch(&ctx, body);
}

const char *fx_reply0(struct fx_cmds *f)
{
	assert_true(f->out.n >= 1);
	return f->out.v[0].markdown;
}

void fx_reply_has(struct fx_cmds *f, const char *needle)
{
	const char *r = fx_reply0(f);
	if (!strstr(r, needle))
		fail_msg("reply lacks \"%s\":\n%s", needle, r);
}

void fx_ok(struct fx_cmds *f, const struct wt_network *net, const char *sender, const char *body)
{
	int rc = fx_run(f, net, sender, body);
	if (rc != WT_OK)
		fail_msg("%s: code %d; reply: %s", body, rc, f->out.n ? f->out.v[0].markdown : "(none)");
	assert_true(f->out.n >= 1);
	assert_false(f->out.v[0].is_error);
}

void fx_refused(struct fx_cmds *f, const struct wt_network *net, const char *sender,
		const char *body, int code, const char *needle)
{
	char *before = fx_snapshot(f->db, NULL);
	int rc = fx_run(f, net, sender, body);
	if (rc != code)
		fail_msg("%s: code %d, expected %d; reply: %s", body, rc, code,
			 f->out.n ? f->out.v[0].markdown : "(none)");
	assert_int_equal(f->out.n, 1);
	assert_true(f->out.v[0].is_error);
	if (needle)
		fx_reply_has(f, needle);
	char *after = fx_snapshot(f->db, NULL);
	fx_assert_same(before, after);
	free(before);
	free(after);
}

void fx_remove_wal(const char *path)
{
	char side[4096];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}
