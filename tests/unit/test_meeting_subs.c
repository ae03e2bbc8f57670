/* The sub-command tables of the meeting families (!vergadering with
 * reeks, !punt, !actie, !expertise) through wt_dispatch: the role in a
 * row refuses a member before the arguments are read, `!hulp <commando>`
 * lists every part with the role it needs, an unknown part gets the
 * shared reply with the closest name, and aliases and the two orders of
 * `reeks` reach the same row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "handlers/catalog.h"
#include "handlers/commands.h"
#include "handlers/dispatch.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400

static char *rooms[] = { "werktafel" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"
#define OWNER "@eva:demo.test"

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

/* The role name as the catalogue writes it in lang. */
static const char *role_text(enum wt_lang lang, enum wt_role r)
{
	static const enum msg_id names[] = {
		[ROLE_MEMBER] = M_ROLE_MEMBER, [ROLE_BOARD] = M_ROLE_BOARD,
		[ROLE_SECRETARY] = M_ROLE_SECRETARY, [ROLE_CHAIR] = M_ROLE_CHAIR,
	};
	return msg_text(lang, names[r]);
}

/* Fail unless reply has, for every listed row of subs, the line with its
 * synopsis and the role it needs (at least the command's own, min). */
static void has_every_sub(struct fx_cmds *f, enum wt_lang lang, const struct wt_command *subs,
			  enum wt_role min)
{
	int n = 0;
	for (const struct wt_command *s = subs; s->name[0]; s++) {
		if (s->flags & WT_CMD_HIDDEN)
			continue;
		struct strbuf line = STRBUF_INIT;
		sb_addf(&line, "- %s — %s", msg_text(lang, s->synopsis),
			role_text(lang, s->min_role > min ? s->min_role : min));
		fx_reply_has(f, line.buf);
		sb_release(&line);
		n++;
	}
	assert_true(n > 0);
}

/* A member is refused by the row's role, whatever follows: arguments
 * that would be wrong are not even read, and nothing changes. */
static void test_member_refused_by_row(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30");
	static const char *const nl[] = {
		"!vergadering plan bananen", "!vergadering verzet", "!vergadering annuleer x y",
		"!vergadering reeks 1 stop", "!vergadering reeks", "!vergadering start 99",
		"!vergadering einde nu meteen", "!vergadering sluit", "!punt volgende en verder",
		"!punt 1",
	};
	for (size_t i = 0; i < sizeof nl / sizeof nl[0]; i++)
		fx_refused(f, &net_nl, MEMBER, nl[i], WT_EPERM, "Dit mag alleen een secretaris");
	fx_ok(f, &net_en, SECR, "!meeting plan 2027-03-12 19:30");
	fx_refused(f, &net_en, MEMBER, "!meeting move nonsense", WT_EPERM,
		   "Only a secretary (or higher)");
	fx_refused(f, &net_en, MEMBER, "!item next", WT_EPERM, "Only a secretary");
	/* What a member may do is still theirs. */
	fx_ok(f, &net_nl, MEMBER, "!vergadering lijst");
	fx_reply_has(f, "Werktafel");
	fx_ok(f, &net_nl, MEMBER, "!vergadering 1");
	fx_refused(f, &net_nl, MEMBER, "!vergadering lijst extra", WT_EUSAGE, NULL);
	/* The secretary gets the argument errors the member never saw. */
	fx_refused(f, &net_nl, SECR, "!vergadering verzet", WT_EUSAGE, "Geef haar nummer");
	fx_refused(f, &net_nl, SECR, "!vergadering einde nu", WT_EUSAGE, NULL);
	assert_int_equal(meeting_count(f->db, "demo"), 1);
}

/* !actie klaar/verzet: the row is for anyone, the owner rule on top: the
 * owner may, another member is refused, the secretary may. */
static void test_action_owner_rule(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!actie @eva:demo.test offerte opvragen voor 20-01-2027");
	fx_ok(f, &net_nl, SECR, "!actie @eva:demo.test tweede voor 21-01-2027");
	fx_refused(f, &net_nl, MEMBER, "!actie klaar 1", WT_EPERM, "alleen die, de secretaris of de voorzitter");
	fx_refused(f, &net_nl, MEMBER, "!actie verzet 1 1 februari 2027", WT_EPERM, "secretaris");
	fx_ok(f, &net_nl, OWNER, "!actie klaar 1");
	fx_reply_has(f, "offerte opvragen");
	fx_ok(f, &net_nl, OWNER, "!actie verzet 2 1 februari 2027");
	fx_ok(f, &net_nl, SECR, "!actie gedaan 2");   /* an alias of klaar */
	fx_refused(f, &net_nl, OWNER, "!actie klaar 1", WT_EUSAGE, "al klaar");
	/* Logging stays the secretary's (the logging rule, not a row). */
	fx_refused(f, &net_nl, MEMBER, "!actie @eva:demo.test nog iets", WT_EPERM, NULL);
}

/* !hulp vergadering: every part with its role; one part alone; nested
 * reeks; the other families with parts. */
static void test_help_lists_parts(void **state)
{
	struct fx_cmds *f = *state;
	const struct wt_command *vg = command_find("vergadering");
	assert_non_null(vg);
	assert_ptr_equal(vg->subs, meeting_subs);
	fx_ok(f, &net_nl, MEMBER, "!hulp vergadering");
	has_every_sub(f, LANG_NL, meeting_subs, vg->min_role);
	/* Read as a person would: plan is the secretary's, lijst everyone's. */
	fx_reply_has(f, "- `!vergadering plan <wanneer> [duur 2u] [titel ...] [plaats ...]` — secretaris");
	fx_reply_has(f, "- `!vergadering lijst [pagina N]` — lid");
	fx_reply_has(f, "- `!vergadering einde` — secretaris");
	fx_reply_has(f, "- `!vergadering ics` — lid");
	fx_ok(f, &net_en, MEMBER, "!help meeting");
	has_every_sub(f, LANG_EN, meeting_subs, vg->min_role);
	fx_reply_has(f, "- `!meeting start [<id> | adhoc]` — secretary");

	fx_ok(f, &net_nl, MEMBER, "!hulp vergadering verzet");
	fx_reply_has(f, "**!vergadering verzet**");
	fx_reply_has(f, "Minimale rol: secretaris");
	fx_reply_has(f, "`verplaats`");   /* its other names */
	fx_reply_has(f, "verzet een vergadering; haar agendapunten gaan mee");
	fx_ok(f, &net_nl, MEMBER, "!hulp actie klaar");
	fx_reply_has(f, "Minimale rol: lid");
	fx_reply_has(f, "(de eigenaar, de secretaris of de voorzitter)");
	fx_ok(f, &net_nl, MEMBER, "!hulp vergadering reeks");
	has_every_sub(f, LANG_NL, series_subs, ROLE_SECRETARY);
	fx_ok(f, &net_nl, MEMBER, "!hulp punt");
	has_every_sub(f, LANG_NL, item_subs, ROLE_SECRETARY);
	fx_reply_has(f, "- `!punt volgende` — secretaris");
	fx_ok(f, &net_nl, MEMBER, "!hulp actie");
	has_every_sub(f, LANG_NL, action_subs, ROLE_MEMBER);
	fx_reply_has(f, "- `!actie klaar <id>` — lid");
	fx_ok(f, &net_en, MEMBER, "!help expertise");
	has_every_sub(f, LANG_EN, expertise_subs, ROLE_MEMBER);
	fx_reply_has(f, "`!expertise remove <topic>");
	fx_refused(f, &net_nl, MEMBER, "!hulp vergadering plam", WT_EUSAGE, "Bedoel je `plan`?");
}

/* A word that is no part gets the shared reply with the closest names and
 * the synopsis; ids still work where the command takes them. */
static void test_unknown_part(void **state)
{
	struct fx_cmds *f = *state;
	fx_refused(f, &net_nl, SECR, "!vergadering plam 12-03-2027", WT_EUSAGE,
		   "\"plam\" is geen onderdeel van `!vergadering`. Bedoel je `plan`?");
	fx_reply_has(f, msg_text(LANG_NL, M_SYN_MEETING));
	fx_refused(f, &net_en, MEMBER, "!meeting lst", WT_EUSAGE,
		   "\"lst\" is not part of `!meeting`. Did you mean `list`?");
	fx_refused(f, &net_nl, MEMBER, "!vergadering lijts", WT_EUSAGE, "Bedoel je `lijst`?");
	fx_refused(f, &net_nl, MEMBER, "!vergadering banaan", WT_EUSAGE,
		   "\"banaan\" is geen onderdeel van `!vergadering`.");
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 elke maand");
	fx_refused(f, &net_nl, SECR, "!vergadering reeks 1 stopp", WT_EUSAGE,
		   "\"stopp\" is geen onderdeel van `!vergadering reeks`. Bedoel je `stop`?");
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Scholing");
	fx_ok(f, &net_nl, SECR, "!agenda accepteer 1");
	fx_ok(f, &net_nl, SECR, "!vergadering start 1");
	fx_refused(f, &net_nl, SECR, "!punt volgnde", WT_EUSAGE,
		   "\"volgnde\" is geen onderdeel van `!punt`. Bedoel je `volgende`?");
	fx_ok(f, &net_nl, SECR, "!punt volgende");
	fx_reply_has(f, "Dat was het laatste punt (1)");
	fx_ok(f, &net_nl, SECR, "!punt 1");
	fx_reply_has(f, "Scholing");
	fx_ok(f, &net_nl, MEMBER, "!vergadering 1");
	fx_reply_has(f, "(vergadering 1)");
}

/* The verb of reeks after the id or before it; aliases of the parts. */
static void test_series_orders_and_aliases(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!vergadering plan 12-03-2027 19:30 elke maand");
	long long planned = meeting_count(f->db, "demo");
	assert_true(planned > 2);
	fx_refused(f, &net_nl, SECR, "!vergadering reeks 1 stop nu", WT_EUSAGE, "nu");
	fx_ok(f, &net_nl, SECR, "!vergadering reeks stop 2");
	fx_reply_has(f, "2");
	fx_refused(f, &net_nl, SECR, "!vergadering reeks 2 stoppen", WT_ENOTFOUND, NULL);
	fx_ok(f, &net_en, SECR, "!meeting schedule 2027-03-12 19:30 every month");
	fx_ok(f, &net_en, SECR, "!meeting series 1 end");
	fx_ok(f, &net_en, SECR, "!meeting reschedule 1 2027-03-13 19:30");
	fx_ok(f, &net_en, SECR, "!meeting cancel 1");
	fx_ok(f, &net_nl, SECR, "!vg afzeggen 1");
	fx_reply_has(f, "geannuleerd");
}

/* In a room of no network each of these commands refuses with the shared
 * reply naming it (the row's WT_CMD_NETWORK), before its handler runs;
 * rol, expertise and wie read the network unchecked before. */
static void test_no_network(void **state)
{
	struct fx_cmds *f = *state;
	static const char *const bodies[][2] = {
		{ "!vergadering", "`!vergadering`" }, { "!vergadering plan morgen", "`!vergadering`" },
		{ "!punt volgende", "`!punt`" }, { "!besluit We doen het", "`!besluit`" },
		{ "!besluiten", "`!besluiten`" }, { "!actie klaar 1", "`!actie`" },
		{ "!acties", "`!acties`" }, { "!notulen", "`!notulen`" },
		{ "!ongedaan", "`!ongedaan`" }, { "!rol", "`!rol`" },
		{ "!expertise zorg", "`!expertise`" }, { "!wie zorg", "`!wie`" },
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct wt_replies out = { 0 };
		struct wt_ctx ctx = { .db = f->db, .net = NULL, .sender = "@admin:demo.test",
				      .room = "elders", .now = NOW, .lang = LANG_NL,
				      .admins = admins, .out = &out };
		int rc = wt_dispatch(&ctx, bodies[i][0]);
		if (rc != WT_EUSAGE || out.n != 1 || !strstr(out.v[0].markdown, "hoort bij geen netwerk")
		    || !strstr(out.v[0].markdown, bodies[i][1]))
			fail_msg("%s: %d: %s", bodies[i][0], rc, out.n ? out.v[0].markdown : "(none)");
		wt_replies_free(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_member_refused_by_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_owner_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_lists_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_series_orders_and_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_network, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
