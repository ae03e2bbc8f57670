/* The sub-command layer (handlers/commands.h): every table well-formed, the
 * role of a sub-command checked from its row before its arguments are
 * read, the shared refusals (unknown part with the closest names, a room of
 * no network, text after the last argument), and !hulp / the README
 * reference listing each part with its own role. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "handlers/commands.h"
#include "handlers/dispatch.h"
#include "handlers/reply.h"
#include "storage/db.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

#define NOW 1800014400
#define SECR "@sanne:demo.test"
#define MEMBER "@joost:demo.test"

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	roles_set(f->db, "demo", SECR, ROLE_SECRETARY, NULL, NOW);
	roles_set(f->db, "demo-en", SECR, ROLE_SECRETARY, NULL, NOW);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* 1 when name is one of row's names (either language or an alias). */
static int row_named(const struct wt_command *row, const char *name)
{
	return subcommand_find(&(struct wt_command){ .subs = (const struct wt_command[]){
					       *row, WT_SUBS_END } }, name) != NULL;
}

/* Each level: names in both languages, a synopsis, something to run, a role
 * no lower than the level above, and no name that two rows answer to. */
static void check_level(const struct wt_command *parent, int depth)
{
	assert_true(depth < 4);
	for (const struct wt_command *s = parent->subs; s && s->name[0]; s++) {
		if (!s->name[1] || !s->synopsis || !(s->fn || s->subs))
			fail_msg("!%s %s: a row needs both names, a synopsis and a handler",
				 parent->name[0], s->name[0]);
		assert_true(s->min_role >= ROLE_MEMBER && s->min_role <= ROLE_ADMIN);
		for (const struct wt_command *t = s + 1; t->name[0]; t++) {
			if (row_named(t, s->name[0]) || row_named(t, s->name[1]))
				fail_msg("!%s: \"%s\" names two parts", parent->name[0], s->name[0]);
		}
		check_level(s, depth + 1);
	}
}

static void test_tables_well_formed(void **state)
{
	(void)state;
	size_t with_subs = 0;
	for (size_t i = 0; i < wt_ncommands; i++) {
		const struct wt_command *c = &wt_commands[i];
		with_subs += c->subs != NULL;
		if (c->subs && !c->fn)
			assert_non_null(c->subs[0].name[0]);
		check_level(c, 0);
	}
	assert_true(with_subs >= 1);
}

static void test_role_from_the_table(void **state)
{
	struct fx_cmds *f = *state;
	/* Refused for the role before the (missing) item is looked up. */
	fx_refused(f, &net_nl, MEMBER, "!agenda accepteer 99", WT_EPERM, "secretaris");
	fx_refused(f, &net_en, MEMBER, "!agenda accept 99", WT_EPERM, "secretary");
	/* The secretary gets past the role to the item. */
	fx_refused(f, &net_nl, SECR, "!agenda accepteer 99", WT_ENOTFOUND, NULL);
	/* A member may propose. */
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Wachtlijsten in de regio");
}

static void test_unknown_part(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, SECR, "!agenda acepteer 1", WT_EUSAGE, "Bedoel je `accepteer`?");
	fx_reply_has(f, "`!agenda`");
	fx_reply_has(f, "Zo schrijf je het");
	fx_refused(f, &net_en, SECR, "!agenda acept 1", WT_EUSAGE, "Did you mean `accept`?");
	/* Nothing close: no guess, but the synopsis. */
	fx_refused(f, &net_nl, SECR, "!agenda zwembad", WT_EUSAGE, "\"zwembad\" is geen onderdeel");
	assert_null(strstr(fx_reply0(f), "Bedoel je"));
	/* The part's name is matched whatever its case, aliases too. */
	fx_ok(f, &net_nl, MEMBER, "!agenda STEL Vervoer naar de dagbesteding");
}

static void test_nothing_may_follow(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, MEMBER, "!agenda ics nu meteen", WT_EUSAGE,
		   "Hier hoort niets meer achter: \"nu meteen\"");
	fx_reply_has(f, "`!agenda ics`");
	fx_refused(f, &net_nl, MEMBER, "!agenda ics\n\nnog een regel", WT_EUSAGE, "nog een regel");
}

static void test_no_network(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = NULL, .sender = MEMBER, .room = "elders",
			      .now = NOW, .lang = LANG_NL, .admins = admins, .out = &out };
	assert_int_equal(wt_dispatch(&ctx, "!agenda"), WT_EUSAGE);
	assert_int_equal(out.n, 1);
	assert_non_null(strstr(out.v[0].markdown, "hoort bij geen netwerk"));
	assert_non_null(strstr(out.v[0].markdown, "`!agenda`"));
	wt_replies_free(&out);
	/* A sub-command's path is named. */
	ctx.sender = "@admin:demo.test";
	assert_int_equal(wt_dispatch(&ctx, "!agenda voorstel Iets"), WT_EUSAGE);
	assert_non_null(strstr(out.v[0].markdown, "`!agenda`"));
	wt_replies_free(&out);
}

static void test_help_lists_parts_with_roles(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!hulp agenda");
	fx_reply_has(f, "Minimale rol: lid");
	fx_reply_has(f, "**Onderdelen**");
	fx_reply_has(f, "- `!agenda accepteer <id>` — secretaris");
	fx_reply_has(f, "- `!agenda volgorde <id> <positie>` — secretaris");
	fx_reply_has(f, "`!agenda voorstel <titel>");
	fx_ok(f, &net_en, MEMBER, "!help agenda");
	fx_reply_has(f, "- `!agenda accept <id>` — secretary");
	/* One part. */
	fx_ok(f, &net_nl, MEMBER, "!hulp agenda uitstel");
	fx_reply_has(f, "**!agenda uitstel**");
	fx_reply_has(f, "Minimale rol: secretaris");
	fx_reply_has(f, "`uitstellen`");
	fx_refused(f, &net_nl, MEMBER, "!hulp agenda uitsel", WT_EUSAGE, "Bedoel je `uitstel`?");
}

/* Every part shown by !hulp names the role its row needs. */
static void test_help_is_truthful(void **state)
{
	struct fx_cmds *f = *state;
	struct wt_ctx nl = { .lang = LANG_NL };
	for (size_t i = 0; i < wt_ncommands; i++) {
		const struct wt_command *c = &wt_commands[i];
		if (!c->subs)
			continue;
		struct strbuf body = STRBUF_INIT;
		sb_addf(&body, "!hulp %s", c->name[0]);
		fx_ok(f, &net_nl, MEMBER, body.buf);
		sb_release(&body);
		for (const struct wt_command *s = c->subs; s->name[0]; s++) {
			if (s->flags & WT_CMD_HIDDEN)
				continue;
			enum wt_role r = s->min_role > c->min_role ? s->min_role : c->min_role;
			struct strbuf line = STRBUF_INIT;
			sb_addf(&line, "%s — %s", T(&nl, s->synopsis), role_name(&nl, r));
			fx_reply_has(f, line.buf);
			sb_release(&line);
		}
	}
}

static void test_reference_lists_parts(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	help_reference(&sb);
	const char *row = strstr(sb.buf, "`!agenda accepteer <id>`<br>`!agenda accept <id>` | secretary |");
	if (!row)
		fail_msg("no reference row for !agenda accept:\n%s", sb.buf);
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_well_formed),
		cmocka_unit_test_setup_teardown(test_role_from_the_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_may_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_network, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_lists_parts_with_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_is_truthful, setup, teardown),
		cmocka_unit_test(test_reference_lists_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
