#include "bot/manpage.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/config_doc.h"
#include "handlers/commands.h"
#include "lib/roff.h"

static const struct { const char *name, *arg, *text; } options[] = {
	{ "config", "FILE", "Run the bot with this configuration (\\fBwerktafel.ini\\fR(5)): "
	  "log in, sync, answer commands and send reminders until SIGTERM or SIGINT. "
	  "SIGHUP reads the file again." },
	{ "db", "PATH", "Use this database instead of [bot] database." },
	{ "shell", NULL, "Console mode: messages from standard input, replies on standard "
	  "output, the same commands and database without a homeserver." },
	{ "as", "@user:server", "The sender in console mode (default @ik:console)." },
	{ "room", "NAME", "The room in console mode." },
	{ "check-config", "FILE", "Check a configuration and exit 0, or print "
	  "\\(lqfile:line: what is wrong\\(rq lines and exit 2." },
	{ "seed-demo", NULL, "Fill the database with a demo network." },
	{ "commands", NULL, "Print the command reference as a Markdown table." },
	{ "man", "1|5", "Print this page (1) or \\fBwerktafel.ini\\fR(5) (5) in roff." },
	{ "network", "NAME", "With \\fBexport\\fR: the network to write out." },
	{ "format", "json|csv", "With \\fBexport\\fR: one JSON document (which \\fBimport\\fR "
	  "reads back) or one CSV file per table." },
	{ "version", NULL, "Print the version." },
	{ "help", NULL, "Print a short usage." },
};

const char *const manpage_options[] = { "config", "db", "shell", "as", "room",
	"check-config", "seed-demo", "commands", "man", "network", "format", "version", "help",
	NULL };

static void man_date(char *buf, size_t n)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

static void man_options(struct strbuf *sb)
{
	sb_add(sb, ".SH OPTIONS\n");
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
		sb_add(sb, ".TP\n\\fB\\-\\-");
		roff_add(sb, options[i].name, 0);
		sb_add(sb, "\\fR");
		if (options[i].arg) {
			sb_add(sb, " \\fI");
			roff_add(sb, options[i].arg, 0);
			sb_add(sb, "\\fR");
		}
		sb_addf(sb, "\n%s\n", options[i].text);
	}
}

static const char page1_head[] =
	".SH NAME\nwerktafel \\- Matrix bot for regional round tables of care professionals\n"
	".SH SYNOPSIS\n"
	".B werktafel \\-\\-config\n.I FILE\n.RB [ \\-\\-db\n.IR PATH ]\n.br\n"
	".B werktafel \\-\\-shell\n.RB [ \\-\\-config\n.IR FILE ]\n.RB [ \\-\\-db\n.IR PATH ]\n"
	".RB [ \\-\\-as\n.IR @user:server ]\n.RB [ \\-\\-room\n.IR NAME ]\n.br\n"
	".B werktafel \\-\\-check\\-config\n.I FILE\n.br\n"
	".B werktafel \\-\\-man\n.IR 1 | 5\n.br\n"
	".B werktafel forget\n.I @user:server\n.br\n"
	".B werktafel backup\n.I FILE\n.br\n"
	".B werktafel export \\-\\-network\n.I NAME\n.B \\-\\-format\n.IR json | csv\n.I DIR\n.br\n"
	".B werktafel import\n.I FILE.json\n"
	".SH DESCRIPTION\n"
	"\\fBwerktafel\\fR keeps a regional round table's work in its Matrix rooms: meetings "
	"and their agenda, action lines, advice requests, decisions, action items and "
	"reminders. Members type commands in a room (see COMMANDS); the bot answers in the "
	"network's language (Dutch or English) and keeps everything in one SQLite database.\n"
	".SH DATA\n"
	".TP\n.B forget\nErase a person: their reminders, expertise, roles, answers to "
	"invitations, organisation and time zone go; in the records the network keeps "
	"(decisions, minutes, advice history) their name becomes a neutral label.\n"
	".TP\n.B backup\nA consistent copy of the live database (SQLite's online backup), "
	"mode 0600, also while the bot runs. A copy is also made before every migration.\n"
	".TP\n.B export\nEverything a network holds, with its own ids and times in ISO 8601.\n"
	".TP\n.B import\nRead an export back into a database that does not hold that network.\n";

static const char page1_tail[] =
	".SH SIGNALS\n"
	".TP\n.B SIGTERM\\fR, \\fBSIGINT\nStop cleanly: what is being handled is finished, "
	"the rest waits in the database for the next start.\n"
	".TP\n.B SIGHUP\nRead the configuration again: what can change at run time is applied at "
	"once, and the log names the changed keys that need a restart (see "
	"\\fBwerktafel.ini\\fR(5)).\n"
	".SH ENVIRONMENT\n"
	".TP\n.B NOTIFY_SOCKET\\fR, \\fBWATCHDOG_USEC\\fR, \\fBWATCHDOG_PID\n"
	"Set by systemd for a Type=notify service: the bot reports READY=1 after its first "
	"sync, STOPPING=1 when it stops, RELOADING=1 on SIGHUP, and WATCHDOG=1 every half "
	"watchdog interval from its event loop.\n"
	".TP\n.B JOURNAL_STREAM\nSet by systemd when standard error is the journal: log lines "
	"then carry their syslog priority (<3> error to <7> debug) instead of a time stamp.\n"
	".TP\n.B LANG\nA value starting with nl makes the command line speak Dutch.\n"
	".SH EXIT STATUS\n"
	".TP\n.B 0\nA clean stop.\n.TP\n.B 1\nAnother fatal error.\n"
	".TP\n.B 2\nA wrong command line or configuration.\n"
	".TP\n.B 3\nThe homeserver refused the bot's credentials.\n"
	".TP\n.B 4\nThe database cannot be used (cannot be opened or written, read\\-only, "
	"damaged).\n"
	".SH FILES\n"
	".TP\n.I /etc/werktafel/werktafel.ini\nThe configuration of the installed service.\n"
	".TP\n.I /var/lib/werktafel\nThe service's state: database and crypto store.\n"
	".SH SEE ALSO\n\\fBwerktafel.ini\\fR(5), \\fBsystemd.service\\fR(5), "
	"\\fBsd_notify\\fR(3)\n";

int manpage_write(struct strbuf *sb, int section, const char *version)
{
	char date[16];
	man_date(date, sizeof date);
	if (section == 5) {
		config_doc_man(sb, date, version);
		return 0;
	}
	if (section != 1)
		return -1;
	sb_addf(sb, ".TH WERKTAFEL 1 %s \"werktafel %s\" \"User Commands\"\n", date, version);
	sb_add(sb, page1_head);
	man_options(sb);
	help_man_commands(sb);
	sb_add(sb, page1_tail);
	return 0;
}
