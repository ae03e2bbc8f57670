/* The replies' content JSON written directly (bot/message_json.c,
 * lib/json_out.c) against the jansson builder it replaced, kept here as
 * it was (old_content_dup): for every reply below and for thousands of
 * random byte strings, message_content_dup's text must be byte for byte
 * what json_dumps(JSON_COMPACT) of the old tree gives, and parse to an
 * equal object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/message.h"
#include "handlers/render.h"
#include "lib/json_out.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"

/* --- the old builder (bot/message.c before the direct writer) ------------ */

static json_t *mentions_json(const struct wt_reply *r)
{
	json_t *ids = json_array();
	for (size_t i = 0; i < r->nmentions; i++) {
		if (!r->mentions[i])
			continue;
		json_t *s = json_string(r->mentions[i]);
		if (s)  /* json_string refuses invalid UTF-8 */
			json_array_append_new(ids, s);
	}
	if (r->to_user) {
		int seen = 0;
		for (size_t i = 0; i < r->nmentions; i++)
			seen |= r->mentions[i] && strcmp(r->mentions[i], r->to_user) == 0;
		json_t *s = seen ? NULL : json_string(r->to_user);
		if (s)
			json_array_append_new(ids, s);
	}
	if (json_array_size(ids) == 0) {
		json_decref(ids);
		return json_object();
	}
	return json_pack("{s:o}", "user_ids", ids);
}

static const char *msgtype_of(const struct wt_reply *r)
{
	return r->notify || r->to_user ? "m.text" : "m.notice";
}

static json_t *string_lossy(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	struct strbuf sb = STRBUF_INIT;
	utf8_add_lossy(&sb, s);
	j = json_string(sb.buf);
	sb_release(&sb);
	return j ? j : json_string("\xEF\xBF\xBD");
}

static json_t *file_content(const struct wt_reply *r)
{
	const char *name = r->filename ? r->filename : "werktafel.txt";
	size_t size = r->markdown ? strlen(r->markdown) : 0;
	char *mime = xstrdup(message_mimetype(name));
	char *semi = strchr(mime, ';');
	if (semi)
		*semi = '\0';
	json_t *c = json_pack("{s:s,s:o,s:o,s:{s:s,s:I},s:o}", "msgtype", "m.file",
			      "body", string_lossy(name), "filename", string_lossy(name),
			      "info", "mimetype", mime, "size", (json_int_t)size,
			      "m.mentions", mentions_json(r));
	free(mime);
	return c;
}

static void relate(json_t *c, const struct wt_reply *r)
{
	json_t *ev = r->in_reply_to ? json_string(r->in_reply_to) : NULL;
	json_t *root = r->thread_root && !r->to_user && !r->room
		? json_string(r->thread_root) : NULL;
	if (!c || (!ev && !root)) {
		json_decref(ev);
		json_decref(root);
		return;
	}
	json_t *rel = json_object();
	if (root) {
		json_object_set_new(rel, "rel_type", json_string("m.thread"));
		json_object_set_new(rel, "event_id", root);
		json_object_set_new(rel, "is_falling_back", json_true());
		if (!ev)
			ev = json_string(r->thread_root);
	}
	if (ev)
		json_object_set_new(rel, "m.in_reply_to", json_pack("{s:o}", "event_id", ev));
	json_object_set_new(c, "m.relates_to", rel);
}

static json_t *as_edit(json_t *c, const char *replaces)
{
	json_t *id = json_string(replaces);
	if (!c || !id) {
		json_decref(c);
		json_decref(id);
		return NULL;
	}
	struct strbuf body = STRBUF_INIT, html = STRBUF_INIT;
	sb_addf(&body, " * %s", json_string_value(json_object_get(c, "body")));
	sb_addf(&html, " * %s", json_string_value(json_object_get(c, "formatted_body")));
	json_t *e = json_pack("{s:O,s:o,s:s,s:o,s:O,s:o,s:{s:s,s:o}}",
			      "msgtype", json_object_get(c, "msgtype"),
			      "body", string_lossy(body.buf),
			      "format", "org.matrix.custom.html",
			      "formatted_body", string_lossy(html.buf),
			      "m.mentions", json_object_get(c, "m.mentions"),
			      "m.new_content", c,
			      "m.relates_to", "rel_type", "m.replace", "event_id", id);
	sb_release(&body);
	sb_release(&html);
	return e;
}

static int old_content_dup(const struct wt_reply *r, const char **event_type,
			   char **content)
{
	json_t *c;
	*content = NULL;
	if (r->kind == REPLY_REACTION) {
		if (!r->in_reply_to || !r->markdown)
			return -1;
		json_t *ev = json_string(r->in_reply_to);
		if (!ev)
			return -1;
		c = json_pack("{s:{s:s,s:o,s:o}}", "m.relates_to",
			      "rel_type", "m.annotation", "event_id", ev,
			      "key", string_lossy(r->markdown));
		*event_type = "m.reaction";
	} else if (r->kind == REPLY_EVENT || r->kind == REPLY_STATE) {
		if (!r->event_type || !r->content || (r->kind == REPLY_STATE && !r->state_key))
			return -1;
		c = json_loads(r->content, 0, NULL);
		if (!json_is_object(c)) {
			json_decref(c);
			return -1;
		}
		*event_type = r->event_type;
	} else if (r->kind == REPLY_FILE) {
		c = file_content(r);
		relate(c, r);
		*event_type = "m.room.message";
	} else {
		char *md = xstrdup(r->markdown ? r->markdown : "");
		char *plain, *html;
		render_plain_html(md, &plain, &html);
		c = json_pack("{s:s,s:o,s:s,s:o,s:o}", "msgtype", msgtype_of(r),
			      "body", string_lossy(plain ? plain : md),
			      "format", "org.matrix.custom.html",
			      "formatted_body", string_lossy(html ? html : ""),
			      "m.mentions", mentions_json(r));
		free(md);
		free(plain);
		free(html);
		if (r->replaces)
			c = as_edit(c, r->replaces);
		else
			relate(c, r);
		*event_type = "m.room.message";
	}
	if (!c)
		return -1;
	json_t *answers = r->answers_event && r->kind != REPLY_STATE ? json_string(r->answers_event) : NULL;
	if (answers)
		json_object_set_new(c, MESSAGE_ANSWERS_KEY, answers);
	*content = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return *content ? 0 : -1;
}

/* --- the comparison ------------------------------------------------------- */

/* Both builders on r: the same outcome; on success the same event type,
 * the same bytes, and (said separately, the weaker promise) JSON that
 * parses to equal objects. Returns the outcome. */
static int same_as_old(const struct wt_reply *r)
{
	const char *t_new = NULL, *t_old = NULL;
	char *c_new = NULL, *c_old = NULL;
	int rc_new = message_content_dup(r, &t_new, &c_new);
	int rc_old = old_content_dup(r, &t_old, &c_old);
	assert_int_equal(rc_new, rc_old);
	if (rc_new < 0) {
		assert_null(c_new);
		free(c_old);
		return rc_new;
	}
	assert_string_equal(t_new, t_old);
	json_error_t err;
	json_t *j_new = json_loads(c_new, JSON_REJECT_DUPLICATES, &err);
	if (!j_new)
		fail_msg("direct writer's JSON does not parse (%s): %s", err.text, c_new);
	json_t *j_old = json_loads(c_old, 0, NULL);
	assert_non_null(j_old);
	assert_true(json_is_object(j_new));
	assert_true(json_equal(j_new, j_old));
	assert_string_equal(c_new, c_old);
	json_decref(j_new);
	json_decref(j_old);
	free(c_new);
	free(c_old);
	return 0;
}

/* r as a notice, a text (notify), a direct message, a reaction and a
 * file, each through same_as_old. */
static void every_kind(struct wt_reply r)
{
	r.kind = REPLY_NOTICE;
	same_as_old(&r);
	r.notify = 1;
	same_as_old(&r);
	r.kind = REPLY_REACTION;
	same_as_old(&r);
	r.kind = REPLY_FILE;
	same_as_old(&r);
	r.filename = r.markdown;
	same_as_old(&r);
	r.filename = "verslag.ics";
	same_as_old(&r);
}

static char *ment2[] = { "@anna:demo.test", "@bram:demo.test" };

static void test_plain_and_mentions(void **state)
{
	(void)state;
	struct wt_reply r = { .markdown = "Agenda **item** 3 added" };
	every_kind(r);
	r.in_reply_to = "$cmd1:demo.test";
	r.mentions = ment2;
	r.nmentions = 2;
	every_kind(r);
	/* A direct message: to_user joins the mentions once. */
	r.to_user = "@daan:demo.test";
	every_kind(r);
	r.to_user = "@bram:demo.test";
	every_kind(r);
	/* A NULL mention is skipped. */
	char *holes[] = { NULL, "@anna:demo.test", NULL };
	r.mentions = holes;
	r.nmentions = 3;
	every_kind(r);
	/* Only a recipient: {"user_ids":["@daan..."]}. */
	r.mentions = NULL;
	r.nmentions = 0;
	r.to_user = "@daan:demo.test";
	every_kind(r);
}

static void test_threads_and_replies(void **state)
{
	(void)state;
	struct wt_reply r = { .markdown = "In de draad", .thread_root = "$root:demo.test" };
	every_kind(r);  /* a thread without in_reply_to: the root is the fallback */
	r.in_reply_to = "$cmd:demo.test";
	every_kind(r);
	r.room = "!elders:demo.test";  /* to another room: no thread */
	every_kind(r);
	r.room = NULL;
	r.to_user = "@anna:demo.test";  /* a DM: no thread either */
	every_kind(r);
	r.to_user = NULL;
	r.answers_event = "$edit:demo.test";
	every_kind(r);
	/* Ids that are no valid UTF-8 are left out, as json_string refused them. */
	r.in_reply_to = "$bad\xff";
	every_kind(r);
	r.thread_root = "$bad\xc0\xaf";
	every_kind(r);
	r.answers_event = "$bad\xed\xa0\x80";
	every_kind(r);
	char *bad[] = { "@a\xff:demo.test", "@anna:demo.test" };
	r.mentions = bad;
	r.nmentions = 2;
	r.to_user = "@x\xfe";
	every_kind(r);
}

static void test_edits(void **state)
{
	(void)state;
	struct wt_reply r = { .markdown = "Nieuwe tekst met \"quotes\"", .replaces = "$mine:demo.test",
			      .in_reply_to = "$cmd:demo.test", .thread_root = "$root:demo.test" };
	same_as_old(&r);
	r.mentions = ment2;
	r.nmentions = 2;
	r.notify = 1;
	same_as_old(&r);
	r.answers_event = "$edit2:demo.test";
	same_as_old(&r);
	r.markdown = "bad \xff byte\n\n* lijst\n* `code`\t<b>";
	same_as_old(&r);
	r.markdown = "";
	same_as_old(&r);
	/* An edit of an id that is no valid UTF-8 cannot be sent: both refuse. */
	r.replaces = "$\xff";
	assert_int_equal(same_as_old(&r), -1);
}

static void test_awkward_text(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"", "a", "\"", "\\", "\\\"\\n", "tab\there", "cr\rlf\n", "\b\f\x01\x1f\x7f",
		"line one\nline two\n\n> quote", "U+2028 \xe2\x80\xa8 U+2029 \xe2\x80\xa9",
		"emoji \xf0\x9f\x8e\x89 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "caf\xc3\xa9 \xe2\x82\xac 5",
		"bad \xff\xfe", "cut \xe2\x82", "overlong \xc0\xaf \xe0\x80\xaf", "surrogate \xed\xa0\x80",
		"too high \xf4\x90\x80\x80", "lone \x80 cont", "<script>alert('x')</script> & &amp;",
		"**bold** _it_ `co\"de` [link](https://example.org/?a=1&b=\"2\")",
		"@room and @anna:demo.test", "    indented code \\ \"\n", "/slash/ </tag>",
		"# Kop\n\n1. een\n2. twee\n\n---\n| a | b |",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct wt_reply r = { .markdown = (char *)texts[i], .in_reply_to = "$c:demo.test" };
		every_kind(r);
		r.replaces = "$m:demo.test";
		same_as_old(&r);
	}
	/* No markdown at all: an empty message, and a reaction that cannot be. */
	struct wt_reply none = { .kind = REPLY_NOTICE };
	same_as_old(&none);
	none.kind = REPLY_REACTION;
	none.in_reply_to = "$c:demo.test";
	assert_int_equal(same_as_old(&none), -1);
	none.markdown = "\xf0\x9f\x91\x8d";
	none.in_reply_to = NULL;
	assert_int_equal(same_as_old(&none), -1);
	none.in_reply_to = "$\xff";  /* an event id no valid UTF-8: refused */
	assert_int_equal(same_as_old(&none), -1);
	none.kind = REPLY_FILE;
	none.markdown = NULL;
	same_as_old(&none);
}

/* A very long text (a long list, as a reply near MESSAGE_CONTENT_MAX). */
static void test_long_text(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 3000; i++)
		sb_addf(&sb, "- punt %d: \"tekst\" met \\ en \xc3\xa9\t%s\n", i, i % 7 ? "" : "\xff");
	struct wt_reply r = { .markdown = sb.buf, .in_reply_to = "$c:demo.test",
			      .mentions = ment2, .nmentions = 2 };
	every_kind(r);
	r.replaces = "$m:demo.test";
	same_as_old(&r);
	sb_release(&sb);
}

/* The escaper alone: exact escapes, and bad bytes as U+FFFD. */
static void test_escaper(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "", "\"\"" },
		{ "abc", "\"abc\"" },
		{ "\"\\/", "\"\\\"\\\\/\"" },
		{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001F\x7f\"" },
		{ "a\xff" "b", "\"a\xef\xbf\xbd" "b\"" },
		{ "\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xe2\x80\xa8", "\"\xe2\x80\xa8\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		json_out_str(&sb, cases[i][0]);
		assert_string_equal(sb.buf, cases[i][1]);
		sb_release(&sb);
	}
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(json_out_str_strict(&sb, "ok"), 0);
	assert_int_equal(json_out_str_strict(&sb, "no\xff"), -1);
	assert_int_equal(json_out_str_strict(&sb, NULL), -1);
	assert_string_equal(sb.buf, "\"ok\"");
	sb_release(&sb);
}

/* xorshift, a fixed seed: the same strings every run. */
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A random string of up to 80 bytes, NUL-free, biased towards what
 * breaks escapers: ASCII punctuation, controls, UTF-8 lead and
 * continuation bytes. */
static void random_text(uint32_t *seed, char *out, size_t cap)
{
	static const char pool[] = "\"\\\n\t\r\b\f\x01\x1f\x7f *_`<>&@#-[]()!/";
	size_t n = next_rand(seed) % (cap - 1);
	for (size_t i = 0; i < n; i++) {
		uint32_t v = next_rand(seed);
		switch (v % 4) {
		case 0: out[i] = pool[(v >> 8) % (sizeof pool - 1)]; break;
		case 1: out[i] = (char)(0x80 + (v >> 8) % 0x80); break;
		case 2: out[i] = (char)(' ' + (v >> 8) % 95); break;
		default: out[i] = (char)(1 + (v >> 8) % 255); break;
		}
	}
	out[n] = '\0';
}

static void test_random(void **state)
{
	(void)state;
	uint32_t seed = 20261203;
	char md[81], id[24], who[24], name[24];
	char *m[] = { who, "@anna:demo.test" };
	for (int i = 0; i < 4000; i++) {
		random_text(&seed, md, sizeof md);
		random_text(&seed, id, sizeof id);
		random_text(&seed, who, sizeof who);
		random_text(&seed, name, sizeof name);
		uint32_t f = next_rand(&seed);
		struct wt_reply r = {
			.kind = (enum wt_reply_kind)(f % 3), .markdown = md,
			.in_reply_to = f & 8 ? id : NULL, .thread_root = f & 16 ? id : NULL,
			.mentions = m, .nmentions = (f >> 5) % 3, .to_user = f & 128 ? who : NULL,
			.notify = (f >> 8) & 1, .replaces = f & 512 ? id : NULL,
			.answers_event = f & 1024 ? id : NULL, .filename = f & 2048 ? name : NULL,
		};
		same_as_old(&r);
	}
}

/* The comparison can fail: a content that differs by one byte is caught
 * (json_equal and the bytes), so the tests above compare for real. */
static void test_comparison_can_fail(void **state)
{
	(void)state;
	json_t *a = json_loads("{\"body\":\"a\\u001F\"}", 0, NULL);
	json_t *b = json_loads("{\"body\":\"a\\u001E\"}", 0, NULL);
	assert_false(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	struct strbuf sb = STRBUF_INIT;
	json_out_str(&sb, "a\x1f");
	json_t *s = json_string("a\x1f");
	char *dumped = json_dumps(s, JSON_ENCODE_ANY | JSON_COMPACT);
	assert_string_equal(sb.buf, dumped);
	free(dumped);
	json_decref(s);
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_mentions),
		cmocka_unit_test(test_threads_and_replies),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_awkward_text),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_escaper),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_comparison_can_fail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
