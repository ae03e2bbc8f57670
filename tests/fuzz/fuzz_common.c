/* What the fuzz targets share (see fuzz.h): input helpers and the demo
 * database in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/message.h"
#include "handlers/dispatch.h"
#include "lib/json_out.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "demo/demo.h"
#include "lib/utf8.h"
#include "tests/fuzz/fuzz.h"

static char *rooms[] = { "werktafel", "!noord:demo.test" };
static char *themes[] = { "kwaliteit", "samenwerking", "opleiding" };
const struct wt_network fz_net_nl = { .name = "demo", .rooms = rooms, .nrooms = 2, .themes = themes, .nthemes = 3, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
const struct wt_network fz_net_en = { .name = "demo", .rooms = rooms, .nrooms = 2, .themes = themes, .nthemes = 3, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
const char *const fz_admins[] = { "@admin:demo.test", NULL };
const char *const fz_senders[FZ_NSENDERS] = {
	"@admin:demo.test", "@anna:demo.test", "@bram:demo.test", "@carla:demo.test",
	"@daan:demo.test", "@eva:demo.test", "@vreemde:elders.test",
};

void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
	abort();
}

char *fz_str_dup(const uint8_t *data, size_t size)
{
	return xstrndup((const char *)data, strnlen((const char *)data, size));
}

unsigned fz_byte(struct fz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

char *fz_piece_dup(struct fz_in *in, uint8_t sep)
{
	const uint8_t *e = memchr(in->p, sep, in->n);
	size_t len = e ? (size_t)(e - in->p) : in->n;
	char *s = fz_str_dup(in->p, len);
	in->p += len;
	in->n -= len;
	if (e) {
		in->p++;
		in->n--;
	}
	return s;
}

sqlite3 *fz_demo_db(void)
{
	static sqlite3 *db;
	if (db)
		return db;
	log_set_level(LOG_ERROR);   /* the info lines of every input would drown a finding */
	struct strbuf err = STRBUF_INIT;
	if (db_open(":memory:", &db, &err) < 0) {
		fprintf(stderr, "fuzz: cannot open a database: %s\n", err.buf);
		abort();
	}
	sb_release(&err);
	FZ_CHECK(demo_seed(db, &fz_net_nl, FZ_NOW) == 0);
	return db;
}

void fz_db_begin(sqlite3 *db)
{
	FZ_CHECK(db_begin(db) == 0);
}

/* Roll back what the input did; the handlers must have closed every
 * savepoint of their own. */
void fz_db_end(sqlite3 *db)
{
	FZ_CHECK(!sqlite3_get_autocommit(db));
	FZ_CHECK(db_rollback(db) == 0);
}

/* The event of reply r as the outbox would store it: JSON that jansson
 * reads back as an object, with a string body for the kinds that carry
 * text (bot/message_json.c writes them directly). */
static void check_content(const struct wt_reply *r)
{
	const char *type;
	char *text = NULL;
	if (message_content_dup(r, &type, &text) < 0) {
		FZ_CHECK(text == NULL);
		return;
	}
	json_t *c = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	FZ_CHECK(json_is_object(c));
	if (r->kind == REPLY_NOTICE || r->kind == REPLY_FILE)
		FZ_CHECK(json_is_string(json_object_get(c, "body")));
	json_decref(c);
	free(text);
}

void fz_check_json_str(const char *s)
{
	struct strbuf out = STRBUF_INIT, lossy = STRBUF_INIT;
	json_out_str(&out, s);
	utf8_add_lossy(&lossy, s);
	json_t *j = json_loads(out.buf, JSON_DECODE_ANY, NULL);
	FZ_CHECK(json_is_string(j));
	FZ_CHECK(strcmp(json_string_value(j), lossy.buf) == 0);
	char *again = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	FZ_CHECK(again && strcmp(again, out.buf) == 0);  /* jansson's own bytes */
	free(again);
	json_decref(j);
	sb_release(&out);
	sb_release(&lossy);
}

int fz_dispatch(sqlite3 *db, const struct wt_network *net, const char *sender,
		const char *room, time_t now, const char *body)
{
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = {
		.db = db, .net = net, .sender = sender, .room = room, .event_id = "$fuzz",
		.now = now, .lang = net->lang, .admins = fz_admins, .out = &out,
	};
	int rc = wt_dispatch_message(&ctx, body);
	if (rc < 0) {
		FZ_CHECK(out.n >= 1);
		int said = 0;
		for (size_t i = 0; i < out.n; i++)
			said |= out.v[i].markdown && *out.v[i].markdown;
		FZ_CHECK(said);
	}
	for (size_t i = 0; i < out.n; i++) {
		FZ_CHECK(out.v[i].markdown != NULL);
		check_content(&out.v[i]);
	}
	wt_replies_free(&out);
	return rc;
}
