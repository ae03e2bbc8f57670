/* Message content: a handler's reply as the JSON of a Matrix event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/config.h"
#include "bot/message.h"
#include "handlers/reply.h"
#include "storage/db.h"
#include "storage/outbox.h"

/* Build the event of r and parse its JSON back; fails the test on error. */
static json_t *content_of(const struct wt_reply *r, const char **type)
{
	char *text = NULL;
	assert_int_equal(message_content_dup(r, type, &text), 0);
	assert_non_null(text);
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	assert_non_null(j);
	free(text);
	return j;
}

static const char *str_path(json_t *j, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(j, a);
	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A plain notice: m.notice, plain body, HTML body, empty m.mentions, no
 * relation when it answers nothing. */
static void test_notice_basic(void **state)
{
	(void)state;
	struct wt_reply r = { .kind = REPLY_NOTICE, .markdown = "Agenda **item** 3 added" };
	const char *type;
	json_t *c = content_of(&r, &type);
	assert_string_equal(type, "m.room.message");
	assert_string_equal(str_path(c, "msgtype", NULL, NULL), "m.notice");
	assert_string_equal(str_path(c, "format", NULL, NULL), "org.matrix.custom.html");
	const char *body = str_path(c, "body", NULL, NULL);
	assert_non_null(body);
	assert_non_null(strstr(body, "item"));
	assert_null(strstr(body, "**"));
	const char *html = str_path(c, "formatted_body", NULL, NULL);
	assert_non_null(html);
	assert_non_null(strstr(html, "<strong>item</strong>"));
	/* m.mentions is there and empty: no text in it pings anybody. */
	json_t *m = json_object_get(c, "m.mentions");
	assert_true(json_is_object(m));
	assert_int_equal(json_object_size(m), 0);
	assert_null(json_object_get(c, "m.relates_to"));
	json_decref(c);
}

/* A reply to a command carries m.relates_to.m.in_reply_to and exactly the
 * mentions the handler named. */
static void test_reply_and_mentions(void **state)
{
	(void)state;
	char *mentions[] = { "@anna:demo.test", "@bram:demo.test" };
	struct wt_reply r = {
		.kind = REPLY_NOTICE, .markdown = "Thanks @anna",
		.in_reply_to = "$cmd1:demo.test", .mentions = mentions, .nmentions = 2,
	};
	const char *type;
	json_t *c = content_of(&r, &type);
	assert_string_equal(str_path(c, "m.relates_to", "m.in_reply_to", "event_id"),
			    "$cmd1:demo.test");
	json_t *ids = json_object_get(json_object_get(c, "m.mentions"), "user_ids");
	assert_int_equal(json_array_size(ids), 2);
	assert_string_equal(json_string_value(json_array_get(ids, 0)), "@anna:demo.test");
	assert_string_equal(json_string_value(json_array_get(ids, 1)), "@bram:demo.test");
	json_decref(c);
}

/* A message meant for people is m.text (so the default push rules let it
 * notify) and pings exactly them; a direct message pings its recipient;
 * @room in the text never becomes a room mention; [bot] replies = text
 * turns ordinary replies into m.text too. */
static void test_notify_is_text(void **state)
{
	(void)state;
	const char *type;
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .lang = LANG_NL, .event_id = "$c:demo.test", .out = &out };
	struct wt_reply *r = reply_add(&ctx, "Actie 3 voor @room en @anna:demo.test");
	reply_mention(r, "@bram:demo.test");
	assert_true(r->notify);
	json_t *c = content_of(r, &type);
	assert_string_equal(str_path(c, "msgtype", NULL, NULL), "m.text");
	json_t *m = json_object_get(c, "m.mentions");
	assert_int_equal(json_object_size(m), 1);
	json_t *ids = json_object_get(m, "user_ids");
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(json_string_value(json_array_get(ids, 0)), "@bram:demo.test");
	assert_null(json_object_get(m, "room"));
	json_decref(c);

	/* A direct message: m.text, its recipient in m.mentions, once. */
	struct wt_reply dm = { .kind = REPLY_NOTICE, .markdown = "Herinnering",
			       .to_user = "@cees:demo.test" };
	c = content_of(&dm, &type);
	assert_string_equal(str_path(c, "msgtype", NULL, NULL), "m.text");
	ids = json_object_get(json_object_get(c, "m.mentions"), "user_ids");
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(json_string_value(json_array_get(ids, 0)), "@cees:demo.test");
	json_decref(c);
	char *both[] = { "@cees:demo.test" };
	dm.mentions = both;
	dm.nmentions = 1;
	c = content_of(&dm, &type);
	ids = json_object_get(json_object_get(c, "m.mentions"), "user_ids");
	assert_int_equal(json_array_size(ids), 1);
	json_decref(c);

	/* Ordinary replies: m.notice, unless configured as text. */
	struct wt_reply plain = { .kind = REPLY_NOTICE, .markdown = "Agendapunt 2 toegevoegd" };
	c = content_of(&plain, &type);
	assert_string_equal(str_path(c, "msgtype", NULL, NULL), "m.notice");
	json_decref(c);
	struct wt_config text = { .replies_text = 1 }, notice = { 0 };
	message_reply_notify(&plain, &notice);
	assert_int_equal(plain.notify, 0);
	message_reply_notify(&plain, &text);
	c = content_of(&plain, &type);
	assert_string_equal(str_path(c, "msgtype", NULL, NULL), "m.text");
	assert_int_equal(json_object_size(json_object_get(c, "m.mentions")), 0);
	json_decref(c);
	wt_replies_free(&out);
}

/* A reaction is an m.annotation on the command's event. */
static void test_reaction(void **state)
{
	(void)state;
	struct wt_reply r = { .kind = REPLY_REACTION, .markdown = "\xE2\x9C\x85",
			      .in_reply_to = "$cmd2:demo.test" };
	const char *type;
	json_t *c = content_of(&r, &type);
	assert_string_equal(type, "m.reaction");
	assert_string_equal(str_path(c, "m.relates_to", "rel_type", NULL), "m.annotation");
	assert_string_equal(str_path(c, "m.relates_to", "event_id", NULL), "$cmd2:demo.test");
	assert_string_equal(str_path(c, "m.relates_to", "key", NULL), "\xE2\x9C\x85");
	assert_null(json_object_get(c, "msgtype"));
	json_decref(c);

	/* Without the event to annotate there is nothing to send. */
	struct wt_reply bad = { .kind = REPLY_REACTION, .markdown = "x" };
	char *text = NULL;
	assert_true(message_content_dup(&bad, &type, &text) < 0);
	assert_null(text);
}

/* User text with raw HTML never becomes markup, and bad UTF-8 in a reply
 * still yields valid JSON (U+FFFD in place of the bad bytes). */
static void test_html_and_bad_utf8(void **state)
{
	(void)state;
	struct wt_reply r = { .kind = REPLY_NOTICE,
			      .markdown = "caf\xC3 ok \xFF <script>alert(1)</script>" };
	const char *type;
	json_t *c = content_of(&r, &type);
	const char *html = str_path(c, "formatted_body", NULL, NULL);
	assert_non_null(html);
	assert_null(strstr(html, "<script>"));
	const char *body = str_path(c, "body", NULL, NULL);
	assert_non_null(body);
	assert_non_null(strstr(body, "\xEF\xBF\xBD"));
	assert_non_null(strstr(body, " ok "));
	json_decref(c);
}

/* A file reply shows its name and its text verbatim in a code block. */
static void test_file(void **state)
{
	(void)state;
	struct wt_reply r = { .kind = REPLY_FILE, .filename = "agenda.ics",
			      .markdown = "BEGIN:VCALENDAR\n**not bold**\nEND:VCALENDAR",
			      .in_reply_to = "$cmd" };
	const char *type;
	json_t *c = content_of(&r, &type);
	assert_string_equal(type, "m.room.message");
	assert_string_equal(str_path(c, "msgtype", NULL, NULL), "m.file");
	assert_string_equal(str_path(c, "body", NULL, NULL), "agenda.ics");
	assert_string_equal(str_path(c, "filename", NULL, NULL), "agenda.ics");
	assert_string_equal(str_path(c, "info", "mimetype", NULL), "text/calendar");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "info"), "size")),
			 strlen(r.markdown));
	assert_string_equal(str_path(c, "m.relates_to", "m.in_reply_to", "event_id"), "$cmd");
	/* No URL until the upload gave one. */
	assert_null(json_object_get(c, "url"));
	char *text = json_dumps(c, JSON_COMPACT);
	char *with = message_with_url(text, "mxc://demo.test/abc");
	json_t *w = json_loads(with, 0, NULL);
	assert_string_equal(str_path(w, "url", NULL, NULL), "mxc://demo.test/abc");
	assert_string_equal(str_path(w, "body", NULL, NULL), "agenda.ics");
	assert_null(message_with_url("not json", "mxc://x/y"));
	json_decref(w);
	free(with);
	free(text);
	json_decref(c);
	assert_string_equal(message_mimetype("notulen.md"), "text/markdown; charset=utf-8");
	assert_string_equal(message_mimetype("notulen.html"), "text/html; charset=utf-8");
	assert_string_equal(message_mimetype("x"), "text/plain; charset=utf-8");
}

/* A file goes into the outbox with its text to upload; the upload's URL
 * completes the message and drops the text. */
static void test_file_outbox(void **state)
{
	(void)state;
	sqlite3 *db;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(db_open(":memory:", &db, &err), 0);
	struct wt_reply r = { .kind = REPLY_FILE, .filename = "notulen.md",
			      .markdown = "# Notulen\n\n- besluit" };
	long long id;
	assert_int_equal(message_enqueue(db, &r, "!r:demo.test", 100, &id), 0);
	struct outbox_row row;
	assert_int_equal(outbox_next_for_room(db, "!r:demo.test", &row), 1);
	assert_int_equal(row.id, id);
	assert_string_equal(row.upload, r.markdown);
	assert_string_equal(row.upload_name, "notulen.md");
	assert_string_equal(row.upload_type, "text/markdown; charset=utf-8");
	char *with = message_with_url(row.content, "mxc://demo.test/n1");
	assert_int_equal(outbox_set_uploaded(db, id, with), 0);
	free(with);
	outbox_row_free(&row);
	assert_int_equal(outbox_next_for_room(db, "!r:demo.test", &row), 1);
	assert_null(row.upload);
	assert_non_null(strstr(row.content, "mxc://demo.test/n1"));
	outbox_row_free(&row);
	/* A plain notice has nothing to upload. */
	struct wt_reply n = { .kind = REPLY_NOTICE, .markdown = "hallo" };
	assert_int_equal(message_enqueue(db, &n, "!s:demo.test", 100, NULL), 0);
	assert_int_equal(outbox_next_for_room(db, "!s:demo.test", &row), 1);
	assert_null(row.upload);
	outbox_row_free(&row);
	/* A reaction without its event cannot become one: nothing written. */
	struct wt_reply bad = { .kind = REPLY_REACTION, .markdown = "x" };
	assert_int_equal(message_enqueue(db, &bad, "!t:demo.test", 100, NULL), -2);
	assert_int_equal(outbox_next_for_room(db, "!t:demo.test", &row), 0);
	db_close(db);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notice_basic),
		cmocka_unit_test(test_reply_and_mentions),
		cmocka_unit_test(test_notify_is_text),
		cmocka_unit_test(test_reaction),
		cmocka_unit_test(test_html_and_bad_utf8),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_file_outbox),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
