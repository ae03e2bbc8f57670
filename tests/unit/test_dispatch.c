/* Dispatch, help, roles: the paths every command shares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/dispatch.h"
#include "handlers/render.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

static char *rooms[] = { "werktafel" };
static char *themes[] = { "kwaliteit", "opleiding" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_NL, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .themes = themes, .nthemes = 2, .lang = LANG_EN, .tz = "Europe/Amsterdam", .offsets = NULL, .noffsets = 0, .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(0, admins);
	f->now = 1800000000;
	*state = f;
	return 0;
}

static void test_not_a_command(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "hallo allemaal"), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "! spatie"), WT_NOT_COMMAND);
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!!!"), WT_NOT_COMMAND);
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", ""), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
}

static void test_help_lists_by_role_and_language(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!hulp"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Commando's die jij kunt gebruiken"));
	assert_non_null(strstr(fx_reply0(f), "`!vergadering`"));
	assert_non_null(strstr(fx_reply0(f), "lid"));
	assert_string_equal(f->out.v[0].in_reply_to, "$ev1");
	assert_int_equal(fx_run(f, &net_en, "@eva:demo.test", "!help"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Commands you can use"));
	assert_non_null(strstr(fx_reply0(f), "`!meeting`"));
	/* English command names work in a Dutch room, and the other way. */
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!help"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Commando's"));
	assert_int_equal(fx_run(f, &net_en, "@eva:demo.test", "!HULP"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "Commands"));
}

static void test_help_one_command(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!hulp agenda"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "voorstel <titel>"));
	assert_int_equal(fx_run(f, &net_en, "@eva:demo.test", "!help !meeting"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "move <id> <when>"));
	assert_non_null(strstr(fx_reply0(f), "`!vergadering`"));
	assert_true(fx_run(f, &net_en, "@eva:demo.test", "!help nonsense") < 0);
	assert_non_null(strstr(fx_reply0(f), "There is no command nonsense"));
	assert_true(f->out.v[0].is_error);
}

static void test_unknown_command_suggests(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!agnda"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Onbekend commando: !agnda"));
	assert_non_null(strstr(fx_reply0(f), "`!agenda`"));
	assert_int_equal(fx_run(f, &net_en, "@eva:demo.test", "!meetng list"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "`!meeting`"));
	/* Nothing close: by default (suggest) not for the bot, no reply (rooms
	 * may hold other bots); "answer" replies without a hint; "silent"
	 * never replies, not even to a near miss. */
	assert_int_equal(fx_run(f, &net_en, "@eva:demo.test", "!qqqqqqqq"), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!weer morgen"), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
	struct wt_network answer = net_en, silent = net_nl;
	answer.name = "demo-answer";
	silent.name = "demo-silent";
	answer.unknown_commands = WT_UNKNOWN_ANSWER;
	silent.unknown_commands = WT_UNKNOWN_SILENT;
	assert_int_equal(fx_run(f, &answer, "@eva:demo.test", "!qqqqqqqq"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "Unknown command: !qqqqqqqq"));
	assert_null(strstr(fx_reply0(f), "Did you mean"));
	assert_int_equal(fx_run(f, &silent, "@eva:demo.test", "!agnda"), WT_NOT_COMMAND);
	assert_int_equal(f->out.n, 0);
	/* A near miss is still answered under the default. */
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!hulpp"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "`!hulp`"));
	/* The unknown word is escaped: no markup from it reaches the HTML. */
	assert_int_equal(fx_run(f, &answer, "@eva:demo.test", "!**x**"), WT_EUSAGE);
	char *h = render_html(fx_reply0(f));
	assert_null(strstr(h, "<strong>x"));
	free(h);
}

static void test_bad_utf8_and_length(void **state)
{
	struct fx_cmds *f = *state;
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!agenda voorstel \xff\xfe"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "UTF-8"));
	assert_int_equal(fx_run(f, &net_en, "@eva:demo.test", "!help \xc3\x28"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "not valid UTF-8"));
	char *big = malloc(WT_MAX_MESSAGE + 100);
	memcpy(big, "!agenda voorstel ", 17);
	memset(big + 17, 'a', WT_MAX_MESSAGE + 80);
	big[WT_MAX_MESSAGE + 97] = '\0';
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", big), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "te lang"));
	free(big);
}

static int count_roles(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM roles");
	sqlite3_step(st);
	int n = sqlite3_column_int(st, 0);
	db_done(st);
	return n;
}

static void test_roles(void **state)
{
	struct fx_cmds *f = *state;
	/* A member may not set roles; nothing changes. */
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!rol @daan:demo.test voorzitter"), WT_EPERM);
	assert_non_null(strstr(fx_reply0(f), "voorzitter"));
	assert_int_equal(count_roles(f->db), 0);
	/* The admin from the config may. */
	assert_int_equal(fx_run(f, &net_nl, "@admin:demo.test", "!rol @anna:demo.test voorzitter"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "voorzitter"));
	assert_int_equal(f->out.v[0].nmentions, 1);
	assert_string_equal(f->out.v[0].mentions[0], "@anna:demo.test");
	assert_int_equal(roles_get(f->db, "demo", "@anna:demo.test"), ROLE_CHAIR);
	/* Roles are per network. */
	assert_int_equal(roles_get(f->db, "demo-en", "@anna:demo.test"), 0);
	/* The chair sets a secretary, in English words. */
	assert_int_equal(fx_run(f, &net_nl, "@anna:demo.test", "!role @bram:demo.test secretary"), WT_OK);
	assert_int_equal(roles_get(f->db, "demo", "@bram:demo.test"), ROLE_SECRETARY);
	/* A secretary may not. */
	assert_int_equal(fx_run(f, &net_nl, "@bram:demo.test", "!rol @eva:demo.test bestuurder"), WT_EPERM);
	/* Listing shows the admin and both. */
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!rol"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "anna"));
	assert_non_null(strstr(fx_reply0(f), "secretaris"));
	assert_non_null(strstr(fx_reply0(f), "beheerder"));
	/* Bad input. */
	assert_int_equal(fx_run(f, &net_nl, "@anna:demo.test", "!rol anna voorzitter"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "@naam:server"));
	assert_int_equal(fx_run(f, &net_nl, "@anna:demo.test", "!rol @eva:demo.test koning"), WT_EUSAGE);
	assert_non_null(strstr(fx_reply0(f), "lid, bestuurder, secretaris, voorzitter"));
	assert_int_equal(fx_run(f, &net_nl, "@anna:demo.test", "!rol @admin:demo.test lid"), WT_EUSAGE);
	assert_int_equal(count_roles(f->db), 2);
	/* Back to member removes the row. */
	assert_int_equal(fx_run(f, &net_nl, "@anna:demo.test", "!rol @bram:demo.test lid"), WT_OK);
	assert_int_equal(count_roles(f->db), 1);
	assert_int_equal(fx_run(f, &net_nl, "@eva:demo.test", "!rol @anna:demo.test"), WT_OK);
	assert_non_null(strstr(fx_reply0(f), "voorzitter"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_a_command, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_help_lists_by_role_and_language, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_help_one_command, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_command_suggests, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_utf8_and_length, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_roles, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
