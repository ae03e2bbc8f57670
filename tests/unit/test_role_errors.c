/* Every wrong !rol / !role gets a reply that says what is wrong in words
 * (no conversion such as %s left unfilled), shows how to write it where the
 * command was written wrong, and changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/commands.h"
#include "tests/unit/fixture.h"

#define NOW 1800014400
#define CHAIR "@anna:demo.test"
#define MEMBER "@eva:demo.test"

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	fx_ok(f, &net_nl, "@admin:demo.test", "!rol " CHAIR " voorzitter");
	fx_ok(f, &net_en, "@admin:demo.test", "!role " CHAIR " chair");
	*state = f;
	return 0;
}

/* No printf conversion is left in text: a '%' followed by a letter or a
 * digit (a percentage such as "16%" ends a number, it does not start one). */
static int has_conversion(const char *text)
{
	for (const char *p = strchr(text, '%'); p; p = strchr(p + 1, '%'))
		if (p[1] && p[1] != ' ' && p[1] != ')' && p[1] != '.' && p[1] != ',')
			return 1;
	return 0;
}

static void test_wrong_role_commands(void **state)
{
	struct fx_cmds *f = *state;
	static const struct {
		int en;
		const char *sender, *body;
		int code;
		const char *needle;
	} bad[] = {
		{ 0, CHAIR, "!rol @eva:demo.test koning", WT_EUSAGE, "Onbekende rol: koning" },
		{ 0, CHAIR, "!rol @eva:demo.test lid nu", WT_EUSAGE, "dit begrijp ik niet: \"nu\"" },
		{ 0, CHAIR, "!rol niemandhier lid", WT_EUSAGE, "Zo schrijf je het: `!rol" },
		{ 0, CHAIR, "!rol @admin:demo.test lid", WT_EUSAGE, "configuratiebestand" },
		{ 0, CHAIR, "!rol pagina 7", WT_EUSAGE, "Pagina 7 bestaat niet" },
		{ 0, CHAIR, "!rol pagina 2 extra", WT_EUSAGE, "Zo schrijf je het: `!rol" },
		{ 0, MEMBER, "!rol @eva:demo.test voorzitter", WT_EPERM, "voorzitter" },
		{ 1, CHAIR, "!role @eva:demo.test king", WT_EUSAGE, "Unknown role: king" },
		{ 1, CHAIR, "!role @eva:demo.test member now", WT_EUSAGE, "I do not understand: \"now\"" },
		{ 1, CHAIR, "!role nobodyhere member", WT_EUSAGE, "Write it like this: `!role" },
		{ 1, MEMBER, "!role @eva:demo.test chair", WT_EPERM, "chair" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fx_refused(f, bad[i].en ? &net_en : &net_nl, bad[i].sender, bad[i].body,
			   bad[i].code, bad[i].needle);
		if (has_conversion(fx_reply0(f)))
			fail_msg("%s: a conversion is left in the reply: %s", bad[i].body,
				 fx_reply0(f));
	}
}

/* The check above finds a conversion left in a text. */
static void test_check_finds_conversion(void **state)
{
	(void)state;
	assert_int_equal(has_conversion("Dat is geen Matrix-gebruiker: %s."), 1);
	assert_int_equal(has_conversion("rechten %lld"), 1);
	assert_int_equal(has_conversion("Besteed: 16% van het budget, 100%."), 0);
	assert_int_equal(has_conversion("geen procent"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_finds_conversion),
		cmocka_unit_test_setup_teardown(test_wrong_role_commands, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
