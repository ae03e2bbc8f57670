/* The config file: the example loads, defaults, every error with its line
 * number, the Matrix checks, room lookup. Run from the repository root (the
 * fixtures are under tests/fixtures). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/config.h"
#include "bot/profile.h"
#include "handlers/readback.h"
#include "lib/log.h"

#define FIXTURES "tests/fixtures/"

/* Write text to a fresh temporary file; returns its path (free it). */
static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/werktafel-config-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

/* config_load of text; err gets the messages with the temp path replaced by
 * "T" so tests can compare whole lines. */
static int load_text(const char *text, struct wt_config *cfg, struct strbuf *err)
{
	char *path = write_temp(text);
	struct strbuf raw = STRBUF_INIT;
	int r = config_load(path, cfg, &raw);
	size_t plen = strlen(path);
	sb_reset(err);
	for (const char *s = raw.buf; *s;) {
		if (strncmp(s, path, plen) == 0) {
			sb_addc(err, 'T');
			s += plen;
		} else {
			sb_addc(err, *s++);
		}
	}
	sb_release(&raw);
	unlink(path);
	free(path);
	return r;
}

/* Count the lines of err. */
static int nlines(const struct strbuf *err)
{
	int n = 0;
	for (const char *s = err->buf; *s; s++)
		n += *s == '\n';
	return n;
}

/* Assert that loading text fails with exactly the one message want. */
static void expect_error(const char *text, const char *want)
{
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load_text(text, &cfg, &err), -1);
	struct strbuf w = STRBUF_INIT;
	sb_addf(&w, "%s\n", want);
	assert_string_equal(err.buf, w.buf);
	assert_null(cfg.networks); /* freed on error */
	sb_release(&w);
	sb_release(&err);
}

static long offset_of(const struct wt_network *n, const char *kind)
{
	for (size_t i = 0; i < n->noffsets; i++)
		if (strcmp(n->offsets[i].kind, kind) == 0)
			return n->offsets[i].seconds;
	return -1;
}

static void test_example_loads(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	int r = config_load("config.example.ini", &cfg, &err);
	if (r != 0)
		fail_msg("%s", err.buf);
	assert_string_equal(cfg.homeserver, "https://matrix.example.org");
	assert_string_equal(cfg.user_id, "@werktafel:example.org");
	assert_string_equal(cfg.password, "change-me");
	assert_null(cfg.access_token_file);
	assert_int_equal(cfg.transport, TRANSPORT_HTTP);
	assert_string_equal(cfg.database, "/var/lib/werktafel/werktafel.db");
	assert_string_equal(cfg.admins[0], "@beheer:example.org");
	assert_null(cfg.admins[1]);
	assert_int_equal(cfg.nnetworks, 2);
	const struct wt_network *n = &cfg.networks[0];
	assert_string_equal(n->name, "regio-noord");
	assert_int_equal(n->nrooms, 2);
	assert_string_equal(n->rooms[1], "#bestuur-noord:example.org");
	assert_int_equal(n->nthemes, 6);
	assert_string_equal(n->themes[5], "netwerk");
	assert_int_equal(n->noffsets, 6);
	assert_string_equal(n->offsets[0].kind, "agenda_call");
	assert_int_equal(n->offsets[0].seconds, 21 * 86400);
	assert_string_equal(n->offsets[5].kind, "room_hour_before");
	assert_int_equal(n->offsets[5].seconds, 3600);
	n = &cfg.networks[1];
	assert_int_equal(n->noffsets, 5); /* agenda_call = off */
	assert_int_equal(offset_of(n, "agenda_call"), -1);
	assert_int_equal(offset_of(n, "room_hour_before"), 90 * 60);
	assert_int_equal(offset_of(n, "invitation"), 7 * 86400);
	assert_int_equal(n->advice_wait_days, 10);
	assert_int_equal(cfg.crypto_off, 0);
	assert_string_equal(cfg.crypto_store, "/var/lib/werktafel/werktafel.db.crypto");
	assert_null(cfg.crypto_passphrase_file);
	assert_int_equal(cfg.key_wait_minutes, 60);
	assert_int_equal(cfg.networks[0].plain_direct_chats, 0);
	assert_int_equal(cfg.networks[0].advice_wait_days, 14);
	assert_int_equal(cfg.networks[0].unknown_commands, WT_UNKNOWN_SUGGEST);
	assert_int_equal(n->unknown_commands, WT_UNKNOWN_SUGGEST);
	assert_int_equal(n->log_anyone, 0);
	assert_int_equal(n->no_action_owner_dm, 0);
	assert_int_equal(config_check_matrix(&cfg, &err), 0);
	assert_string_equal(err.buf, "");
	config_free(&cfg);
	config_free(&cfg); /* safe twice */
	sb_release(&err);
}

static void test_demo_loads(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	int r = config_load(FIXTURES "demo.ini", &cfg, &err);
	if (r != 0)
		fail_msg("%s", err.buf);
	const struct wt_network *demo = config_network_by_name(&cfg, "demo");
	const struct wt_network *en = config_network_by_name(&cfg, "demo-en");
	assert_non_null(demo);
	assert_non_null(en);
	assert_int_equal(demo->lang, LANG_NL);
	assert_int_equal(en->lang, LANG_EN);
	assert_int_equal(demo->nthemes, 6);
	assert_ptr_equal(config_network_for_room(&cfg, "bestuur"), demo);
	assert_ptr_equal(config_network_for_room(&cfg, "roundtable"), en);
	assert_string_equal(cfg.admins[0], "@admin:demo.test");
	/* console mode needs no [matrix]; a Matrix run does */
	assert_int_equal(config_check_matrix(&cfg, &err), -1);
	assert_non_null(strstr(err.buf, "demo.ini:"));
	assert_non_null(strstr(err.buf, "no [matrix] section"));
	config_free(&cfg);
	sb_release(&err);
}

static void test_defaults(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	int r = config_load(FIXTURES "config_minimal.ini", &cfg, &err);
	if (r != 0)
		fail_msg("%s", err.buf);
	assert_int_equal(cfg.lang, LANG_NL);
	assert_string_equal(cfg.timezone, "Europe/Amsterdam");
	assert_int_equal(cfg.transport, TRANSPORT_HTTP);
	assert_int_equal(cfg.log_level, LOG_INFO);
	assert_int_equal(cfg.late_limit_hours, 24);
	assert_int_equal(cfg.limits.max_reminders, 50);
	assert_int_equal(cfg.ratelimit.per_minute, 30);
	assert_int_equal(cfg.ratelimit.burst, 20);
	assert_int_equal(cfg.replies_text, 0);
	assert_string_equal(cfg.database, "werktafel.db");
	assert_non_null(cfg.admins);
	assert_null(cfg.admins[0]);
	assert_null(cfg.homeserver);
	const struct wt_network *n = &cfg.networks[0];
	assert_int_equal(n->lang, LANG_NL);
	assert_string_equal(n->tz, "Europe/Amsterdam");
	assert_int_equal(n->nthemes, 0);
	assert_non_null(n->themes);
	static const struct { const char *kind; long s; } want[] = {
		{ "agenda_call", 21 * 86400 }, { "agenda_final", 10 * 86400 },
		{ "invitation", 7 * 86400 }, { "meeting_tomorrow", 86400 },
		{ "room_day_before", 86400 }, { "room_hour_before", 3600 },
	};
	assert_int_equal(n->noffsets, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(n->offsets[i].kind, want[i].kind);
		assert_int_equal(n->offsets[i].seconds, want[i].s);
	}
	config_free(&cfg);
	sb_release(&err);
}

/* A network takes [bot]'s language and zone even when [bot] comes later. */
static void test_network_inherits_bot(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	int r = load_text("[network.a]\nrooms = a\nunknown_commands = silent\n"
			  "notify_action_owner = nee\nlog_anyone = ja\nagenda_call = auto\nquorum = 6\n"
			  "[network.b]\nrooms = b\nlanguage = nl\nunknown_commands = Answer\n"
			  "timezone = America/New_York\n"
			  "[bot]\nlanguage = en\ntimezone = Europe/London\n"
			  "log_level = debug\nlate_limit_hours = 0\n"
			  "max_reminders = 200\nreplies = text\n", &cfg, &err);
	if (r != 0)
		fail_msg("%s", err.buf);
	assert_int_equal(cfg.replies_text, 1);
	assert_int_equal(cfg.networks[0].unknown_commands, WT_UNKNOWN_SILENT);
	assert_int_equal(cfg.networks[1].unknown_commands, WT_UNKNOWN_ANSWER);
	assert_int_equal(cfg.networks[0].no_action_owner_dm, 1);
	assert_int_equal(cfg.networks[1].no_action_owner_dm, 0);
	assert_int_equal(cfg.networks[0].log_anyone, 1);
	assert_int_equal(cfg.networks[1].log_anyone, 0);
	assert_int_equal(cfg.networks[0].agenda_call_auto, 1);
	assert_int_equal(cfg.networks[1].agenda_call_auto, 0);
	assert_int_equal(cfg.networks[0].quorum, 6);
	assert_int_equal(cfg.networks[1].quorum, 0);
	assert_int_equal(cfg.log_level, LOG_DEBUG);
	assert_int_equal(cfg.late_limit_hours, 0);
	assert_int_equal(cfg.limits.max_reminders, 200);
	assert_int_equal(cfg.networks[0].lang, LANG_EN);
	assert_string_equal(cfg.networks[0].tz, "Europe/London");
	assert_int_equal(cfg.networks[1].lang, LANG_NL);
	assert_string_equal(cfg.networks[1].tz, "America/New_York");
	config_free(&cfg);
	sb_release(&err);
}

/* The fixture with one of each problem: every one reported, each with its
 * own line. */
static void test_all_errors_collected(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(config_load(FIXTURES "config_errors.ini", &cfg, &err), -1);
	static const char *const want[] = {
		":2: \"stray\" is outside any section",
		":4: homeserver: \"ftp://matrix.example.org\" is not an http:// or https:// URL",
		":5: user_id: \"werktafel\" is not a Matrix user id; write @name:server",
		":6: transport: \"tcp\" is unknown; use http, websocket or auto",
		":7: websocket_url: \"https://example.org/stream\" is not a ws:// or wss:// URL",
		":8: unknown key \"homeservr\" in [matrix]; did you mean \"homeserver\"?",
		":9: homeserver is set twice in [matrix] (first at line 4); keep one",
		":11: language: \"de\" is not supported; use nl or en",
		":12: timezone: \"Europe/Atlantis\" is not a known time zone",
		":13: log_level: \"verbose\" is unknown; use error, warn, info or debug",
		":14: admins: \"bram\" is not a Matrix user id",
		":15: late_limit_hours: \"soon\" is not a whole number of hours from 0 to 8760 (e.g. 24)",
		":16: unknown section [netwerk.x]; did you mean [network.x]?",
		":20: remind_invitation: \"7x\" is not an offset; write a number with d, h or m",
		":22: rooms: \"kamer-b\" already belongs to network \"a\" (line 19)",
		":23: [network.c] has no rooms; add rooms = ",
	};
	size_t n = sizeof want / sizeof want[0];
	assert_int_equal(nlines(&err), (int)n);
	const char *line = err.buf;
	for (size_t i = 0; i < n; i++) {
		const char *eol = strchr(line, '\n');
		assert_non_null(eol);
		struct strbuf one = STRBUF_INIT;
		sb_addn(&one, line, (size_t)(eol - line));
		if (strncmp(one.buf, FIXTURES "config_errors.ini", 31) != 0 ||
		    !strstr(one.buf, want[i]))
			fail_msg("line %zu: got \"%s\", want \"%s\"", i, one.buf, want[i]);
		sb_release(&one);
		line = eol + 1;
	}
	/* cfg is freed and zeroed after an error */
	assert_null(cfg.networks);
	assert_null(cfg.path);
	sb_release(&err);
}

/* Each problem of the file's shape, with its line number. */
static void test_shape_errors(void **state)
{
	(void)state;
	expect_error("[bot]\nlanguage = nl\n[bot]\n",
		     "T:3: section [bot] appears twice (first at line 1); merge them");
	expect_error("[network.a]\nrooms = a\n\n[network.a]\nrooms = b\n",
		     "T:4: section [network.a] appears twice (first at line 1); merge them");
	expect_error("[network.a b]\nrooms = a\n",
		     "T:1: [network.a b]: a network name is 1 to 40 letters, digits, "
		     "- or _ (e.g. [network.regio-noord])");
	expect_error("[network.]\nrooms = a\n",
		     "T:1: [network.]: a network name is 1 to 40 letters, digits, "
		     "- or _ (e.g. [network.regio-noord])");
	expect_error("[Matrix]\nuser_id = @a:b\n",
		     "T:1: unknown section [Matrix]; did you mean [matrix]?");
	expect_error("[plugins]\nx = 1\n",
		     "T:1: unknown section [plugins]; sections are [matrix], [bot], "
		     "[crypto], [web], [network.NAME] and [body.NAME]");
	expect_error("[bot\nlanguage = nl\n",
		     "T:1: a section header is [NAME] alone on its line (e.g. [bot] "
		     "or [network.regio-noord])");
	expect_error("[bot ; note]\n",
		     "T:1: a section header is [NAME] alone on its line (e.g. [bot] "
		     "or [network.regio-noord])");
	expect_error("[bot] x\n",
		     "T:1: a section header is [NAME] alone on its line (e.g. [bot] "
		     "or [network.regio-noord])");
	expect_error("[network.a]\nrooms = a,\n   b\n",
		     "T:3: continued lines are not supported; write the whole value "
		     "on the line of its key");
	expect_error("[bot]\n; comment\nlanguage\n",
		     "T:3: expected \"key = value\" or [section]");
	expect_error("[bot]\nlanguage: nl\n",
		     "T:2: expected \"key = value\" or [section]");
	expect_error("[bot]\n= nl\n",
		     "T:2: a key is missing before '='; write \"key = value\"");
	expect_error("[bot]\nlangauge = nl\n",
		     "T:2: unknown key \"langauge\" in [bot]; did you mean \"language\"?");
	expect_error("[network.x]\nrooms = a\nwhatever = 1\n",
		     "T:3: unknown key \"whatever\" in [network.x]; known keys: rooms, "
		     "themes, language, timezone, remind_agenda_call, "
		     "remind_agenda_final, remind_invitation, remind_meeting_tomorrow, "
		     "remind_room_day_before, remind_room_hour_before, log_anyone, "
		     "advice_wait_days, actionline_team_size, day_end, unknown_commands, "
		     "encrypt_direct_chats, notify_action_owner, agenda_call, quorum, "
		     "keep_handled_days, keep_failed_messages_days, keep_fired_reminders_days, "
		     "keep_advice_drafts_days, keep_quarantine_days, report_quarterly, "
		     "report_halfyear, report_post_day, report_room");
	expect_error("[network.x]\nrooms = a\nreport_room = b\n",
		     "T:1: [network.x] report_room: \"b\" is not one of its rooms; add it to "
		     "rooms or name one of them");
	expect_error("[network.x]\nrooms = a\nreport_post_day = 0\n",
		     "T:3: report_post_day: \"0\" is not a whole number of days after the "
		     "period's end from 1 to 90 (e.g. 10)");
	expect_error("[network.x]\nrooms = a\nagenda_call = soms\n",
		     "T:3: agenda_call: \"soms\" is unknown; use chair (the chair gets the "
		     "call ready to forward, the default) or auto (the bot posts it in the "
		     "network's rooms itself)");
	expect_error("[network.x]\nrooms = a\nquorum = zes\n",
		     "T:3: quorum: \"zes\" is not a whole number of people from 1 to 1000 (e.g. 6)");
	expect_error("[network.x]\nrooms = a\nnotify_action_owner = soms\n",
		     "T:3: notify_action_owner: \"soms\" is not yes or no");
	expect_error("[network.x]\nrooms = a\nunknown_commands = loud\n",
		     "T:3: unknown_commands: \"loud\" is unknown; use suggest (answer only "
		     "when a command is close), answer or silent");
	expect_error("[network.x]\nrooms = a\nadvice_wait_days = 0\n",
		     "T:3: advice_wait_days: \"0\" is not a whole number of days from 1 to 365 (e.g. 14)");
	expect_error("[bot]\nreplies = loud\n",
		     "T:2: replies: \"loud\" is unknown; use notice (replies do not notify) or text");
	expect_error("[network.x]\nrooms = a\nrooms = b\n",
		     "T:3: rooms is set twice in [network.x] (first at line 2); keep one");
	/* problems come out by line, whenever they were found */
	expect_error("[network.x]\nthemes = a, A\n[bot]\nlanguage = de\n",
		     "T:1: [network.x] has no rooms; add rooms = !id:server, "
		     "#alias:server or console room names\n"
		     "T:2: themes: \"A\" is listed twice\n"
		     "T:4: language: \"de\" is not supported; use nl or en");
	/* keys in an unknown section are not reported one by one */
	expect_error("[extra]\na = 1\nb = 2\n",
		     "T:1: unknown section [extra]; sections are [matrix], [bot], "
		     "[crypto], [web], [network.NAME] and [body.NAME]");
}

/* Bad values in lists and offsets. */
static void test_value_errors(void **state)
{
	(void)state;
	expect_error("[network.x]\nrooms = a, , b,\n",
		     "T:2: rooms: empty entry in the list; separate entries with one comma");
	expect_error("[network.x]\nrooms = a, a\n", "T:2: rooms: \"a\" is listed twice");
	expect_error("[network.x]\nrooms = my room\n",
		     "T:2: rooms: \"my room\" is not a room; write !id:server, "
		     "#alias:server or a console room name (letters, digits, - _ .)");
	expect_error("[network.x]\nrooms = #alias\n",
		     "T:2: rooms: \"#alias\" is not a room; write !id:server, "
		     "#alias:server or a console room name (letters, digits, - _ .)");
	expect_error("[network.x]\nrooms =\n",
		     "T:1: [network.x] has no rooms; add rooms = !id:server, "
		     "#alias:server or console room names");
	expect_error("[network.x]\nrooms = a\nthemes = Zorg, zorg\n",
		     "T:3: themes: \"zorg\" is listed twice");
	expect_error("[network.x]\nrooms = a\nremind_invitation = 0d\n",
		     "T:3: remind_invitation: \"0d\" is not an offset; write a number "
		     "with d, h or m (e.g. 7d, 12h, 90m) or off");
	expect_error("[network.x]\nrooms = a\nremind_agenda_call = 400d\n",
		     "T:3: remind_agenda_call: \"400d\" is not an offset; write a number "
		     "with d, h or m (e.g. 7d, 12h, 90m) or off");
	expect_error("[bot]\nadmins = @a:b, @a:b\n", "T:2: admins: \"@a:b\" is listed twice");
	expect_error("[crypto]\nenabled = maybe\n",
		     "T:2: enabled: \"maybe\" is unknown; use yes or no");
	expect_error("[crypto]\nkey_wait_minutes = 0\n",
		     "T:2: key_wait_minutes: \"0\" is not a whole number of minutes "
		     "from 1 to 10080 (e.g. 60)");
	expect_error("[crypto]\nstore =\n",
		     "T:2: store: empty value; give a path (e.g. "
		     "/var/lib/werktafel/werktafel.crypto)");
	expect_error("[crypto]\nenabled = yes\n[crypto]\n",
		     "T:3: section [crypto] appears twice (first at line 1); merge them");
	expect_error("[network.x]\nrooms = a\nencrypt_direct_chats = soms\n",
		     "T:3: encrypt_direct_chats: \"soms\" is unknown; use yes or no");
	expect_error("[bot]\nlate_limit_hours = 9000\n",
		     "T:2: late_limit_hours: \"9000\" is not a whole number of hours "
		     "from 0 to 8760 (e.g. 24)");
	expect_error("[bot]\ncommands_per_minute = 0\n",
		     "T:2: commands_per_minute: \"0\" is not a whole number of commands "
		     "from 1 to 1000000 (e.g. 30)");
	expect_error("[bot]\ncommand_burst = lots\n",
		     "T:2: command_burst: \"lots\" is not a whole number of commands "
		     "from 1 to 1000000 (e.g. 20)");
	expect_error("[matrix]\npassword =\n",
		     "T:2: password: empty value; give one or remove the line");
	expect_error("[matrix]\ndevice_id = A B\n",
		     "T:2: device_id: \"A B\" contains spaces; a device id is one word "
		     "(e.g. WERKTAFEL01)");
	expect_error("[bot]\ntimezone = ../etc/passwd\n",
		     "T:2: timezone: \"../etc/passwd\" is not a known time zone; use an "
		     "IANA name such as Europe/Amsterdam");
}

/* Which user ids, URLs, rooms and offsets pass. */
static void test_value_forms(void **state)
{
	(void)state;
	static const struct { const char *text; int ok; } cases[] = {
		{ "[matrix]\nuser_id = @werktafel:example.org\n", 1 },
		{ "[matrix]\nuser_id = @w:localhost:8448\n", 1 },
		{ "[matrix]\nuser_id = @:example.org\n", 0 },
		{ "[matrix]\nuser_id = @w:\n", 0 },
		{ "[matrix]\nuser_id = w:example.org\n", 0 },
		{ "[matrix]\nuser_id = @w\n", 0 },
		{ "[matrix]\nhomeserver = http://127.0.0.1:8008\n", 1 },
		{ "[matrix]\nhomeserver = HTTPS://matrix.example.org/\n", 1 },
		{ "[matrix]\nhomeserver = https://\n", 0 },
		{ "[matrix]\nhomeserver = matrix.example.org\n", 0 },
		{ "[matrix]\nwebsocket_url = ws://127.0.0.1:8009/stream\n", 1 },
		{ "[matrix]\nwebsocket_url = wss://x.org/_matrix/client/unstable/stream\n", 1 },
		{ "[matrix]\ntransport = auto\n", 1 },
		{ "[matrix]\ntransport = websocket\n", 1 },
		{ "[network.x]\nrooms = !abc:example.org, #r:example.org, kamer_1.b\n", 1 },
		{ "[network.x]\nrooms = !abcdef\n", 1 },
		{ "[network.x]\nrooms = a, b,\n", 1 },
		{ "[network.x]\nrooms = !:x\n", 0 },
		{ "[network.x]\nrooms = a\nremind_agenda_call = 90m\n", 1 },
		{ "[network.x]\nrooms = a\nremind_agenda_call = 12h\n", 1 },
		{ "[network.x]\nrooms = a\nremind_agenda_call = OFF\n", 1 },
		{ "[network.x]\nrooms = a\nremind_agenda_call = 1 d\n", 0 },
		{ "[network.x]\nrooms = a\nremind_agenda_call = -1d\n", 0 },
		{ "[network.x]\nrooms = a\nremind_agenda_call = 21\n", 0 },
		{ "[network.x]\nrooms = a\nremind_agenda_call = 2w\n", 0 },
		{ "[bot]\nlanguage = en\n", 1 },
		{ "[bot]\nlanguage = NL\n", 0 },
		{ "[bot]\ntimezone = UTC\n", 1 },
		{ "[bot]\nlate_limit_hours = -1\n", 0 },
		{ "[bot]\nmax_reminders = 0\n", 0 },
		{ "[bot]\nmax_reminders = 1\n", 1 },
		{ "[bot]\nmax_reminders = 99999999999999999999\n", 0 },
		{ "[bot]\nadmins =\n", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wt_config cfg;
		struct strbuf err = STRBUF_INIT;
		int r = load_text(cases[i].text, &cfg, &err);
		if ((r == 0) != cases[i].ok)
			fail_msg("case %zu (%s): got %d: %s", i, cases[i].text, r, err.buf);
		if (r == 0)
			config_free(&cfg);
		sb_release(&err);
	}
}

/* Comments, blank lines, CRLF, a BOM and long lines keep line numbers
 * right and values whole. */
static void test_lines(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	struct strbuf text = STRBUF_INIT;
	sb_add(&text, "\xEF\xBB\xBF; werktafel\r\n\r\n[network.x]\r\n  rooms = ");
	for (int i = 0; i < 40; i++)
		sb_addf(&text, "%s!room%02d:example.org", i ? ", " : "", i);
	sb_add(&text, " ; all of them\r\nthemes = zorg ; inline comment\r\n"
	       "# hash comment\r\n[matrix]\r\npassword = a;b\r\nuser_id = nope\r\n");
	assert_true(text.len > 600);
	assert_int_equal(load_text(text.buf, &cfg, &err), -1);
	assert_string_equal(err.buf, "T:9: user_id: \"nope\" is not a Matrix user id; "
			    "write @name:server (e.g. @werktafel:example.org)\n");
	/* the same without the bad line loads, with all 40 rooms */
	char *bad = strstr(text.buf, "user_id = nope");
	sb_setlen(&text, (size_t)(bad - text.buf));
	assert_int_equal(load_text(text.buf, &cfg, &err), 0);
	assert_int_equal(cfg.networks[0].nrooms, 40);
	assert_string_equal(cfg.networks[0].rooms[39], "!room39:example.org");
	assert_string_equal(cfg.networks[0].themes[0], "zorg");
	assert_string_equal(cfg.password, "a;b");
	assert_int_equal(cfg.matrix_line, 7);
	config_free(&cfg);
	sb_release(&text);
	sb_release(&err);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(config_load(FIXTURES "no-such-file.ini", &cfg, &err), -1);
	assert_string_equal(err.buf, FIXTURES "no-such-file.ini: cannot open: "
			    "No such file or directory\n");
	sb_release(&err);
}

/* config_check_matrix: the cross-field checks, with line numbers. */
static void test_check_matrix(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load_text("[matrix]\nhomeserver = http://h\n"
				   "user_id = @b:h\npassword = x\n", &cfg, &err), 0);
	assert_int_equal(config_check_matrix(&cfg, &err), 0);
	assert_string_equal(err.buf, "");
	config_free(&cfg);

	assert_int_equal(load_text("[bot]\nlanguage = en\n\n[matrix]\n"
				   "transport = websocket\n", &cfg, &err), 0);
	sb_reset(&err);
	assert_int_equal(config_check_matrix(&cfg, &err), -1);
	assert_int_equal(nlines(&err), 4);
	assert_non_null(strstr(err.buf, ":4: [matrix] has no homeserver; add "
			       "homeserver = https://matrix.example.org\n"));
	assert_non_null(strstr(err.buf, ":4: [matrix] has no user_id"));
	assert_non_null(strstr(err.buf, ":4: [matrix] has neither password nor "
			       "access_token_file"));
	assert_non_null(strstr(err.buf, ":5: transport = websocket needs "
			       "websocket_url"));
	config_free(&cfg);

	/* a token file without a password must be readable */
	assert_int_equal(load_text("[matrix]\nhomeserver = http://h\nuser_id = @b:h\n"
				   "access_token_file = /nonexistent/token\n",
				   &cfg, &err), 0);
	sb_reset(&err);
	assert_int_equal(config_check_matrix(&cfg, &err), -1);
	assert_non_null(strstr(err.buf, ":1: access_token_file \"/nonexistent/token\" "
			       "cannot be read (No such file or directory)"));
	config_free(&cfg);
	char *token = write_temp("syt_token\n");
	struct strbuf text = STRBUF_INIT;
	sb_addf(&text, "[matrix]\nhomeserver = http://h\nuser_id = @b:h\n"
		"access_token_file = %s\ntransport = auto\n", token);
	assert_int_equal(load_text(text.buf, &cfg, &err), 0);
	sb_reset(&err);
	assert_int_equal(config_check_matrix(&cfg, &err), 0);
	assert_int_equal(cfg.transport, TRANSPORT_AUTO);
	config_free(&cfg);
	unlink(token);
	free(token);
	sb_release(&text);
	sb_release(&err);
}

static void test_room_lookup(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load_text("[network.a]\nrooms = !x:h, #y:h\n"
				   "[network.b]\nrooms = kamer\n", &cfg, &err), 0);
	const struct wt_network *a = config_network_by_name(&cfg, "a");
	const struct wt_network *b = config_network_by_name(&cfg, "b");
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(config_network_for_room(&cfg, "!x:h"), a);
	assert_ptr_equal(config_network_for_room(&cfg, "#y:h"), a);
	assert_ptr_equal(config_network_for_room(&cfg, "kamer"), b);
	assert_null(config_network_for_room(&cfg, "!X:h"));
	assert_null(config_network_for_room(&cfg, "!z:h"));
	assert_null(config_network_by_name(&cfg, "c"));
	assert_null(config_network_by_name(&cfg, "A"));
	config_free(&cfg);
	assert_null(config_network_for_room(&cfg, "kamer"));
	sb_release(&err);
}

/* [bot] displayname and avatar: a name people can read, an mxc:// URI or
 * a PNG or JPEG file that can be read; anything else is refused with
 * what to write. */
static void test_profile_keys(void **state)
{
	(void)state;
	struct wt_config cfg;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	char *png = write_temp("\x89PNG\r\n\x1a\n" "rest of the image");
	char *jpeg = write_temp("\xff\xd8\xff\xe0" "JFIF");
	char *gif = write_temp("GIF89a");
	sb_addf(&text, "[bot]\ndisplayname = Werktafel-bot Noord\navatar = %s\n", png);
	assert_int_equal(load_text(text.buf, &cfg, &err), 0);
	assert_string_equal(cfg.displayname, "Werktafel-bot Noord");
	assert_string_equal(cfg.avatar, png);
	config_free(&cfg);
	sb_reset(&text);
	sb_addf(&text, "[bot]\navatar = %s\n", jpeg);
	assert_int_equal(load_text(text.buf, &cfg, &err), 0);
	config_free(&cfg);
	assert_int_equal(load_text("[bot]\navatar = mxc://example.org/AbC-12_x\n", &cfg, &err), 0);
	assert_string_equal(cfg.avatar, "mxc://example.org/AbC-12_x");
	assert_null(cfg.displayname);
	config_free(&cfg);
	/* Neither key: the profile is left alone. */
	assert_int_equal(load_text("[bot]\nlanguage = nl\n", &cfg, &err), 0);
	assert_null(cfg.displayname);
	assert_null(cfg.avatar);
	config_free(&cfg);

	expect_error("[bot]\ndisplayname =\n",
		     "T:2: displayname: empty value; write the name people see, e.g. Werktafel-bot");
	expect_error("[bot]\ndisplayname = Werk\ttafel\n",
		     "T:2: displayname: it holds a control character; write the name people "
		     "see, e.g. Werktafel-bot");
	expect_error("[bot]\ndisplayname = Werk\xff\n",
		     "T:2: displayname: not valid UTF-8; write the name people see, e.g. Werktafel-bot");
	sb_reset(&text);
	sb_add(&text, "[bot]\ndisplayname = ");
	for (int i = 0; i < 257; i++)
		sb_add(&text, "\xc3\xa9");
	sb_add(&text, "\n");
	expect_error(text.buf, "T:2: displayname: longer than 256 characters; write the name "
		     "people see, e.g. Werktafel-bot");
	expect_error("[bot]\navatar = mxc://example.org\n",
		     "T:2: avatar: \"mxc://example.org\" is no mxc:// URI; write mxc://server/media-id");
	expect_error("[bot]\navatar = mxc://example.org/a/b\n",
		     "T:2: avatar: \"mxc://example.org/a/b\" is no mxc:// URI; write mxc://server/media-id");
	expect_error("[bot]\navatar = /nonexistent/werktafel.png\n",
		     "T:2: avatar: cannot read /nonexistent/werktafel.png: No such file or directory; "
		     "give a PNG or JPEG file or an mxc:// URI");
	sb_reset(&text);
	sb_addf(&text, "[bot]\navatar = %s\n", gif);
	assert_int_equal(load_text(text.buf, &cfg, &err), -1);
	struct strbuf want = STRBUF_INIT;
	sb_addf(&want, "T:2: avatar: %s is no PNG or JPEG image; give a PNG or JPEG file "
		"or an mxc:// URI\n", gif);
	assert_string_equal(err.buf, want.buf);
	sb_release(&want);
	/* Too big: just over the limit, with a PNG's first bytes. */
	FILE *f = fopen(png, "ab");
	assert_non_null(f);
	static char zeros[65536];
	for (long n = 0; n <= PROFILE_AVATAR_MAX; n += (long)sizeof zeros)
		assert_int_equal(fwrite(zeros, 1, sizeof zeros, f), sizeof zeros);
	fclose(f);
	sb_reset(&text);
	sb_addf(&text, "[bot]\navatar = %s\n", png);
	assert_int_equal(load_text(text.buf, &cfg, &err), -1);
	assert_non_null(strstr(err.buf, "is larger than 10 MiB; give a smaller PNG or JPEG"));
	unlink(png);
	unlink(jpeg);
	unlink(gif);
	free(png);
	free(jpeg);
	free(gif);
	sb_release(&text);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_loads),
		cmocka_unit_test(test_demo_loads),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_network_inherits_bot),
		cmocka_unit_test(test_all_errors_collected),
		cmocka_unit_test(test_shape_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_value_forms),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_check_matrix),
		cmocka_unit_test(test_room_lookup),
		cmocka_unit_test(test_profile_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
