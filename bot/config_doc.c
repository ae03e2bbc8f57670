#include "bot/config_doc.h"

#include <string.h>

#include "bot/config_parse.h"
#include "bot/config_reload.h"
#include "lib/roff.h"

const struct cfg_doc cfg_docs[] = {
	{ "matrix", "homeserver", "URL",
	  "Base URL of the homeserver's client API (http:// or https://). Required to connect; "
	  "console mode (--shell) does not need the [matrix] section." },
	{ "matrix", "user_id", "@name:server", "The bot's own account. Required to connect." },
	{ "matrix", "password", "text",
	  "Log in with this password (the server hands out an access token). One of password "
	  "and access_token_file is required to connect. Keep the file mode 0640 or stricter." },
	{ "matrix", "password_file", "path",
	  "Read the password from this file (its first line) instead of writing it here; keep it "
	  "mode 0600. Without password and password_file, the environment variable "
	  "WERKTAFEL_PASSWORD is used." },
	{ "matrix", "access_token_file", "path",
	  "Log in with the access token on the first line of this file instead. The bot keeps "
	  "its tokens here (mode 0600, replaced atomically): where the server issues refresh "
	  "tokens, or after `werktafel login --device`, as JSON with the refresh token and the "
	  "expiry, renewed before the token expires. Default: none." },
	{ "matrix", "device_id", "id",
	  "Device id to log in as. Default: none, the homeserver picks one and the bot keeps it "
	  "in its database." },
	{ "matrix", "transport", "http|websocket|auto",
	  "How events arrive: http (long-poll /sync), websocket (the draft /stream API, falling "
	  "back to http when it fails) or auto (websocket when websocket_url is set and the "
	  "server offers it, else http). Default: http." },
	{ "matrix", "websocket_url", "URL",
	  "The WebSocket stream endpoint (ws:// or wss://). Required for transport = websocket. "
	  "Default: none." },
	{ "bot", "database", "path",
	  "The SQLite database file; --db overrides it. Default: werktafel.db." },
	{ "bot", "log_level", "error|warn|info|debug",
	  "What the bot logs. Default: info." },
	{ "bot", "language", "nl|en",
	  "Default language of replies and reminders. Default: nl." },
	{ "bot", "timezone", "zone",
	  "Default time zone (IANA name) for dates people type and times the bot shows. "
	  "Default: Europe/Amsterdam." },
	{ "bot", "admins", "@user:server, ...",
	  "Matrix ids with every right in every network. Default: none." },
	{ "bot", "late_limit_hours", "0..8760",
	  "Reminders that fell due while the bot was down are sent late, marked with the time "
	  "they were due; those older than this many hours are listed in one summary message "
	  "to their owner instead. Default: 24." },
	{ "bot", "max_reminders", "1..10000",
	  "Most reminders one person may have pending. Default: 50." },
	{ "bot", "commands_per_minute", "1..1000000",
	  "Flooding: after command_burst commands in a row, how many commands of one sender "
	  "per minute the bot answers, over all rooms; the rest is dropped with one notice per "
	  "stretch. Admins count too. Default: 30." },
	{ "bot", "command_burst", "1..1000000",
	  "Flooding: how many commands of one sender in a row the bot answers before "
	  "commands_per_minute applies. Default: 20." },
	{ "bot", "replies", "notice|text",
	  "How ordinary command replies are sent: m.notice (shown without notifying anybody) "
	  "or m.text. Messages meant for people (reminders, direct messages, assignments) are "
	  "always m.text. Default: notice." },
	{ "bot", "displayname", "text",
	  "The bot's profile name (at most 256 characters), set at start where the "
	  "homeserver's differs. Default: left as it is." },
	{ "bot", "avatar", "mxc://...|file",
	  "The bot's avatar: an mxc:// URI, or a PNG or JPEG file (at most 10 MiB) uploaded "
	  "once. Default: left as it is." },
	{ "crypto", "enabled", "yes|no",
	  "End-to-end encryption: the bot reads and answers encrypted rooms and never sends "
	  "plaintext into one. Default: yes." },
	{ "crypto", "store", "directory",
	  "The crypto store (the device's keys), created 0700 and backed up with the database. "
	  "A wiped store with a kept database is refused at start. Default: the database path "
	  "with .crypto added." },
	{ "crypto", "passphrase_file", "path",
	  "A file whose first line encrypts the store (keep it 0600). Default: none." },
	{ "crypto", "key_wait_minutes", "1..10080",
	  "An encrypted message whose key has not come waits this long before its sender is "
	  "asked to check their device. Default: 60." },
	{ "web", "listen", "host:port",
	  "The board's web server (read-only pages per network, the members' calendar "
	  "feeds) listens here, meant behind the operator's reverse proxy, e.g. "
	  "127.0.0.1:8090. Needs public_url. Default: none (no web server)." },
	{ "web", "public_url", "URL",
	  "The address the reverse proxy serves the web server at, the base of the links "
	  "the bot gives (!bord link, !agenda abonneer). Needs listen. Default: none." },
	{ "web", "frame_ancestors", "origin ...",
	  "The pages that may show the board in a frame (the homeserver's web client, "
	  "e.g. https://app.element.io), for the Content-Security-Policy. "
	  "Default: none may." },
	{ "network", "rooms", "room, ...",
	  "The network's rooms: room ids (!abc:server), aliases (#room:server) or, for console "
	  "mode, plain names. At least one; a room belongs to one network." },
	{ "network", "themes", "name, ...",
	  "The spearheads of the regional care vision: short names (at most 40 characters), "
	  "matched without regard to case. Default: none." },
	{ "network", "language", "nl|en", "The network's language. Default: [bot] language." },
	{ "network", "timezone", "zone", "The network's time zone. Default: [bot] timezone." },
	{ "network", "remind_agenda_call", "offset|off",
	  "To the chair by direct message: ask members for agenda items, this long before a "
	  "meeting. An offset is a number with d, h or m, at most a year. Default: 21d." },
	{ "network", "remind_agenda_final", "offset|off",
	  "To the chair: finalise the agenda. Default: 10d." },
	{ "network", "remind_invitation", "offset|off",
	  "To the secretary: send the invitation and documents. Default: 7d." },
	{ "network", "remind_meeting_tomorrow", "offset|off",
	  "To the chair: the meeting is tomorrow, with agenda, open advice requests and action "
	  "items. Default: 1d." },
	{ "network", "remind_room_day_before", "offset|off",
	  "To the meeting's room: the agenda, the day before. Default: 1d." },
	{ "network", "remind_room_hour_before", "offset|off",
	  "To the meeting's room: the agenda, shortly before. Default: 1h." },
	{ "network", "log_anyone", "true|false",
	  "Meeting mode: may every member log decisions, action items and notes? Default: false "
	  "(the secretary and the chair log)." },
	{ "network", "advice_wait_days", "1..365",
	  "Asked advice that waits this many days without being accepted: the chair gets a "
	  "direct message. Default: 14." },
	{ "network", "actionline_team_size", "1..50",
	  "Project team members wanted per action line (\"drie projectteamleden per actielijn\"), "
	  "shown with every sign-up (!al aanmelden) and in !al <code>; a line may set its own "
	  "(!al wijzig <code> teamgrootte 4). Default: 3." },
	{ "network", "day_end", "1..23",
	  "The hour the working day ends: a deadline written as the end of a period is the last "
	  "working day of that period at this hour. Default: 17." },
	{ "network", "agenda_call", "chair|auto",
	  "The call for agenda items at remind_agenda_call: the chair gets it ready to post "
	  "(!agenda oproep), or the bot posts it in the network's rooms itself and tells the "
	  "chair. Default: chair." },
	{ "network", "quorum", "1..1000",
	  "The least number of people coming for a meeting to decide: the attendance overview "
	  "warns when fewer have said they come, and the chair gets a direct message once when an "
	  "apology puts it out of reach. Default: none." },
	{ "network", "report_quarterly", "yes|no",
	  "Each action line's quarterly report is compiled by the bot at the quarter's end, sent "
	  "to the line's project lead by direct message to check (!rapport akkoord, !rapport "
	  "aanvulling) and posted in report_room on report_post_day, checked or not. "
	  "Default: no." },
	{ "network", "report_halfyear", "yes|no",
	  "The same for the half-year report of the programme, checked by the chair. "
	  "Default: no." },
	{ "network", "report_post_day", "1..90",
	  "Days after the period's end that a scheduled report is posted (at 9:00). "
	  "Default: 10." },
	{ "network", "report_room", "room",
	  "The room (id or alias, one of rooms) scheduled reports are posted in. "
	  "Default: the room of the network's board body, else the network's first room." },
	{ "network", "keep_handled_days", "days",
	  "How long the ids of handled events are kept (against handling one twice). Default: 30." },
	{ "network", "keep_failed_messages_days", "days",
	  "How long messages the homeserver refused for good stay in the outbox for the log. "
	  "Default: 30." },
	{ "network", "keep_fired_reminders_days", "days",
	  "How long sent or dropped reminders (with their texts) are kept. Default: 90." },
	{ "network", "keep_advice_drafts_days", "days",
	  "How long the drafts of closed advice requests are kept. Default: 365." },
	{ "body", "network", "NAME", "The [network.NAME] the body belongs to. Required." },
	{ "body", "kind", "subteam|werktafel|actielijnenoverleg|stuurgroep|board",
	  "What the body does with a proposal: a subteam prepares it, a werktafel, "
	  "actielijnenoverleg or stuurgroep approves it, the board adopts it; the board also "
	  "gets delivered advice on its agenda and decides it. Required." },
	{ "body", "rooms", "room, ...",
	  "The body's rooms, each one of its network's rooms and in no other body: !agenda and "
	  "meetings planned there are the body's. Default: none (!orgaan kamer adds one)." },
	{ "body", "chair", "@user:server",
	  "The body's chair, who records its decisions as the network's secretary does. "
	  "Default: none." },
	{ "body", "secretary", "@user:server", "The body's secretary. Default: none." },
	{ "body", "members", "@user:server, ...", "The body's members. Default: none." },
	{ "body", "decides_advice", "yes|no",
	  "Delivered advice goes on this body's next agenda and this body decides it, rather "
	  "than the network's board (kind = board). At most one body per network. Default: no." },
	{ "body", "advisory", "@user:server, ...",
	  "Advisory members (adviserend): listed and invited, they record no decisions. "
	  "Default: none." },
	{ "network", "keep_quarantine_days", "days",
	  "How long events that could not be handled are kept in quarantine. Default: 30." },
	{ "network", "unknown_commands", "suggest|answer|silent",
	  "What an unknown !word gets: a suggestion only when a command is close to it, always "
	  "an answer, or nothing (rooms may hold other bots). Default: suggest." },
	{ "network", "encrypt_direct_chats", "yes|no",
	  "Direct chats the bot opens are encrypted. Default: yes." },
	{ "network", "notify_action_owner", "yes|no",
	  "The owner of a new action gets one direct message with its number, text and due "
	  "date (not when they logged it themself). Default: yes." },
};

const size_t cfg_ndocs = sizeof cfg_docs / sizeof cfg_docs[0];

const struct cfg_doc *cfg_doc_find(const char *section, const char *key)
{
	for (size_t i = 0; i < cfg_ndocs; i++)
		if (strcmp(cfg_docs[i].section, section) == 0 && strcmp(cfg_docs[i].key, key) == 0)
			return &cfg_docs[i];
	return NULL;
}

const char *const *cfg_doc_keys(const char *section)
{
	return strcmp(section, "matrix") == 0 ? cfg_matrix_keys
	     : strcmp(section, "bot") == 0 ? cfg_bot_keys
	     : strcmp(section, "crypto") == 0 ? cfg_crypto_keys
	     : strcmp(section, "web") == 0 ? cfg_web_keys
	     : strcmp(section, "network") == 0 ? cfg_network_keys
	     : strcmp(section, "body") == 0 ? cfg_body_keys : NULL;
}

static const struct { const char *name, *header, *text; } sections[] = {
	{ "matrix", "[matrix]", "The account and the homeserver." },
	{ "bot", "[bot]", "The bot as a whole." },
	{ "crypto", "[crypto]", "End-to-end encryption." },
	{ "web", "[web]", "The board's web server: off unless listen and public_url are set." },
	{ "network", "[network.NAME]", "One section per network (round table); NAME is made of "
	  "letters, digits, - and _ (at most 40). A network added or removed needs a restart; "
	  "a new reminder offset applies to the reminders generated from then on." },
	{ "body", "[body.NAME]", "One section per body of a network (werktafel, "
	  "actielijnenoverleg, board, stuurgroep, subteam); NAME is made of letters, digits, - "
	  "and _ (at most 40). At start the bot makes each body its database lacks and sets "
	  "what the section says; the !orgaan command changes bodies while the bot runs, and "
	  "what it added stays. A network without bodies is one body, as before." },
};

/* The keys of one section as .TP entries, in the parser's order. */
static void man_section(struct strbuf *sb, size_t i)
{
	sb_add(sb, ".SS ");
	roff_add(sb, sections[i].header, 0);
	sb_add(sb, "\n");
	roff_add(sb, sections[i].text, 0);
	sb_add(sb, "\n");
	for (const char *const *k = cfg_doc_keys(sections[i].name); *k; k++) {
		const struct cfg_doc *d = cfg_doc_find(sections[i].name, *k);
		sb_add(sb, ".TP\n\\fB");
		roff_add(sb, *k, 0);
		sb_add(sb, "\\fR = \\fI");
		roff_add(sb, d ? d->value : "value", 0);
		sb_add(sb, "\\fR\n");
		roff_add(sb, d ? d->text : "(undocumented)", 0);
		int rt = config_reload_runtime(sections[i].name, *k);
		sb_add(sb, rt == 1 ? " On SIGHUP: applied at once.\n"
			   : rt == 0 ? " On SIGHUP: needs a restart.\n" : "\n");
	}
}

void config_doc_man(struct strbuf *sb, const char *date, const char *version)
{
	sb_addf(sb, ".TH WERKTAFEL.INI 5 %s \"werktafel %s\" \"File Formats Manual\"\n", date, version);
	sb_add(sb, ".SH NAME\nwerktafel.ini \\- configuration of the werktafel Matrix bot\n"
		   ".SH SYNOPSIS\n/etc/werktafel/werktafel.ini\n"
		   ".SH DESCRIPTION\n"
		   "The configuration of \\fBwerktafel\\fR(1): [section] headers and "
		   "\\(lqkey = value\\(rq lines, one per line. Lines starting with ; or # are "
		   "comments; \\(lq ;\\(rq after a value starts a comment too (so a password "
		   "must not contain a space followed by ;). Quotes are not removed. Unknown "
		   "sections and keys, a key set twice and bad values are errors with the line "
		   "number; \\fBwerktafel \\-\\-check\\-config\\fR \\fIFILE\\fR checks a file. Lists are "
		   "separated by commas. The bot reads the file again on SIGHUP "
		   "(\\fBsystemctl reload werktafel\\fR) and logs which changed keys need a "
		   "restart.\n"
		   ".SH SECTIONS\n");
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		man_section(sb, i);
	sb_add(sb, ".SH EXAMPLE\nAn example with every key and its default is installed as "
		   "\\fIconfig.example.ini\\fR in the documentation directory "
		   "(/usr/local/share/doc/werktafel by default).\n"
		   ".SH SEE ALSO\n\\fBwerktafel\\fR(1)\n");
}
