/* Fuzz target: command arguments and form lines. The argument helpers of
 * handlers/args.c on the raw text, then the text as the arguments and
 * "key: value" lines of the commands that read forms (advice new and
 * edit, agenda proposals, action lines, actions, reminders, meetings),
 * through wt_dispatch on the demo database. The first byte picks the
 * command and the room's language. */
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "tests/fuzz/fuzz.h"

static const char *const heads[] = {
	"!advies nieuw ", "!advice new ", "!advies wijzig A1", "!advice edit A2\n",
	"!agenda voorstel ", "!agenda propose ", "!al nieuw ", "!al new ",
	"!al wijzig AL1 ", "!al team AL1 ", "!actie ", "!herinner mij ",
	"!vergadering plan ", "!expertise ", "!advies concept A1 ", "!besluit ",
};
#define NHEADS (sizeof heads / sizeof heads[0])

/* The helpers on text: each returns inside it and copies bounded values. */
static void args_helpers(const char *text)
{
	size_t len = strlen(text);
	struct strbuf w = STRBUF_INIT;
	for (const char *p = text; (p = args_word(p, &w));) {
		FZ_CHECK(p > text && p <= text + len);
		FZ_CHECK(w.len > 0 && w.len <= len);
		args_id(w.buf);
		is_user_id(w.buf);
	}
	for (const char *p = text; *p;) {
		const char *next = args_line(p, &w);
		FZ_CHECK(next > p && next <= text + len);
		FZ_CHECK(w.len <= (size_t)(next - p));
		p = next;
	}
	static const char *const keys[][2] = {
		{ "thema", "theme" }, { "waarom", "why" }, { "budget", NULL }, { "gevraagd door", "requested by" },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (args_field(text, keys[i][0], keys[i][1], &w))
			FZ_CHECK(w.len <= len);
	FZ_CHECK(utf8_chars(text) <= len);
	utf8_valid(text, len);
	sb_release(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	unsigned b = fz_byte(&in);
	char *text = fz_str_dup(in.p, in.n);
	args_helpers(text);
	struct strbuf body = STRBUF_INIT;
	sb_add(&body, heads[b % NHEADS]);
	sb_add(&body, text);
	sqlite3 *db = fz_demo_db();
	fz_db_begin(db);
	fz_dispatch(db, (b / NHEADS) & 1 ? &fz_net_en : &fz_net_nl, "@admin:demo.test",
		    "werktafel", FZ_NOW, body.buf);
	fz_db_end(db);
	sb_release(&body);
	free(text);
	return 0;
}
