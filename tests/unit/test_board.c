/* The board as a room widget (issue 22, item 2): `!bord` by the chair
 * gives the im.vector.modular.widgets state event Element shows, with the
 * note for a refusal (M_FORBIDDEN); `!bord weg` empties it; members,
 * extra words and a bot without web server are refused and change
 * nothing. The outbox keeps such a row as a state event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/message.h"
#include "bot/outbox.h"
#include "handlers/board.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "!room:demo.test" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo", .rooms = rooms, .nrooms = 1,
	.lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };
#define NOW ((time_t)1800000000)
#define CHAIR "@voorzitter:demo.test"
#define MEMBER "@lid:demo.test"
#define URL "https://bord.demo.test"

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	f->room = "!room:demo.test";
	f->limits.web_url = URL;
	roles_set(f->db, "demo", CHAIR, ROLE_CHAIR, NULL, 0);
	*state = f;
	return 0;
}

/* The one state reply of the last command. */
static const struct wt_reply *state_reply(struct fx_cmds *f)
{
	const struct wt_reply *s = NULL;
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].kind == REPLY_STATE) {
			assert_null(s);
			s = &f->out.v[i];
		}
	assert_non_null(s);
	return s;
}

static void test_content(void **state)
{
	(void)state;
	char *c = board_widget_content_dup(URL, "Bord demo", CHAIR);
	assert_non_null(c);
	json_t *j = json_loads(c, 0, NULL);
	free(c);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "m.custom");
	assert_string_equal(json_string_value(json_object_get(j, "id")), BOARD_WIDGET_ID);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "Bord demo");
	assert_string_equal(json_string_value(json_object_get(j, "creatorUserId")), CHAIR);
	assert_true(json_is_true(json_object_get(j, "waitForIframeLoad")));
	assert_string_equal(json_string_value(json_object_get(j, "url")),
			    URL "/widget?room=$matrix_room_id&user=$matrix_user_id");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "data"), "title")),
			    "Bord demo");
	json_decref(j);
	assert_null(board_widget_content_dup(NULL, "x", CHAIR));
	assert_null(board_widget_content_dup("", "x", CHAIR));
}

static void test_add(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, CHAIR, "!bord");
	const struct wt_reply *s = state_reply(f);
	assert_string_equal(s->event_type, "im.vector.modular.widgets");
	assert_string_equal(s->state_key, BOARD_WIDGET_ID);
	assert_non_null(strstr(s->content, "\"type\":\"m.custom\""));
	assert_non_null(strstr(s->content, "Bord demo"));
	assert_non_null(strstr(s->refused, "machtsniveau"));
	assert_string_equal(s->in_reply_to, "$ev1");
	int found = 0;
	for (size_t i = 0; i < f->out.n; i++)
		if (f->out.v[i].kind == REPLY_NOTICE
		    && strstr(f->out.v[i].markdown, "Extensies"))
			found = 1;
	assert_true(found);
	fx_ok(f, &net_en, CHAIR, "!board");
	s = state_reply(f);
	assert_non_null(strstr(s->content, "Board demo"));
	assert_non_null(strstr(s->refused, "power level"));
	/* The admin of the config may too. */
	fx_ok(f, &net_nl, "@admin:demo.test", "!bord");
}

static void test_remove(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, CHAIR, "!bord weg");
	const struct wt_reply *s = state_reply(f);
	assert_string_equal(s->content, "{}");
	assert_string_equal(s->state_key, BOARD_WIDGET_ID);
	assert_non_null(strstr(s->refused, "weghalen"));
	fx_ok(f, &net_en, CHAIR, "!board remove");
	assert_non_null(strstr(state_reply(f)->refused, "Remove it yourself"));
}

static void test_refusals(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!bord", WT_EPERM, "voorzitter");
	fx_refused(f, &net_en, MEMBER, "!board", WT_EPERM, "chair");
	fx_refused(f, &net_nl, MEMBER, "!bord weg", WT_EPERM, NULL);
	fx_refused(f, &net_nl, CHAIR, "!bord weg nu", WT_EUSAGE, "`!bord weg`");
	fx_refused(f, &net_en, CHAIR, "!board remove now", WT_EUSAGE, "`!board remove`");
	fx_refused(f, &net_nl, CHAIR, "!bord wegg", WT_EUSAGE, "weg");
	f->limits.web_url = NULL;
	fx_refused(f, &net_nl, CHAIR, "!bord", WT_EUSAGE, "public_url");
	fx_refused(f, &net_en, CHAIR, "!board", WT_EUSAGE, "public_url");
	for (size_t i = 0; i < f->out.n; i++)
		assert_int_not_equal(f->out.v[i].kind, REPLY_STATE);
}

/* The reply into the outbox: a state row with its refusal note, sent to
 * .../state/{type}/{key}. */
static void test_outbox_row(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, CHAIR, "!bord");
	const struct wt_reply *s = state_reply(f);
	long long id = 0;
	assert_int_equal(message_enqueue(f->db, s, "!room:demo.test", NOW, &id), MESSAGE_OK);
	struct outbox_row row;
	assert_int_equal(outbox_next_pending(f->db, &row), 1);
	assert_int_equal(row.id, id);
	assert_string_equal(row.event_type, "im.vector.modular.widgets");
	assert_string_equal(row.state_key, BOARD_WIDGET_ID);
	assert_string_equal(row.content, s->content);  /* no outbox key, no relation */
	assert_non_null(row.refused_content);
	json_t *n = json_loads(row.refused_content, 0, NULL);
	assert_non_null(n);
	assert_string_equal(json_string_value(json_object_get(n, "msgtype")), "m.notice");
	assert_non_null(strstr(json_string_value(json_object_get(n, "body")), "machtsniveau"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(n, "m.relates_to"), "m.in_reply_to"), "event_id")), "$ev1");
	json_decref(n);
	outbox_row_free(&row);
	char *p = outbox_state_path("!room:demo.test", BOARD_WIDGET_TYPE, BOARD_WIDGET_ID);
	assert_string_equal(p, "/_matrix/client/v3/rooms/%21room%3Ademo.test/state/"
			    "im.vector.modular.widgets/org.werktafel.board");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content),
		cmocka_unit_test_setup_teardown(test_add, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_remove, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_outbox_row, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
