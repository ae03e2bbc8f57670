/* werktafel: command line. Runs the bot (--config), console mode (--shell),
 * or one of the small maintenance modes. */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bot/cli.h"
#include "bot/config.h"
#include "bot/exit.h"
#include "bot/console.h"
#include "bot/config_bodies.h"
#include "bot/manpage.h"
#include "bot/run.h"
#include "handlers/catalog.h"
#include "handlers/commands.h"
#include "lib/log.h"
#include "storage/db.h"
#include "storage/db_fault.h"
#include "demo/demo.h"

#ifndef WT_VERSION
#define WT_VERSION "0.1.0"
#endif

enum { OPT_SHELL = 1000, OPT_DB, OPT_AS, OPT_ROOM, OPT_CHECK, OPT_VERSION, OPT_HELP, OPT_DEMO, OPT_COMMANDS, OPT_MAN };

static const struct option options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "shell", no_argument, NULL, OPT_SHELL },
	{ "db", required_argument, NULL, OPT_DB },
	{ "as", required_argument, NULL, OPT_AS },
	{ "room", required_argument, NULL, OPT_ROOM },
	{ "check-config", required_argument, NULL, OPT_CHECK },
	{ "seed-demo", no_argument, NULL, OPT_DEMO },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "commands", no_argument, NULL, OPT_COMMANDS },
	{ "man", required_argument, NULL, OPT_MAN },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* The network console mode uses when no --config is given (its rooms and
 * themes: constant tables, char * only because the fields are). */
static char *default_rooms[] = { "werktafel" };
static char *default_themes[] = { "kwaliteit", "samenwerking", "opleiding",
				  "arbeidsmarkt", "innovatie", "netwerk" };

/* cfg as that network, with as the only admin; net and admins (two
 * slots) are the caller's storage, living as long as cfg. */
static void default_config(struct wt_config *cfg, struct wt_network *net,
			   char **admins, const char *as)
{
	memset(net, 0, sizeof *net);
	net->name = "werktafel";
	net->rooms = default_rooms;
	net->nrooms = 1;
	net->themes = default_themes;
	net->nthemes = 6;
	net->lang = LANG_NL;
	net->tz = "Europe/Amsterdam";
	admins[0] = (char *)as;
	admins[1] = NULL;
	memset(cfg, 0, sizeof *cfg);
	cfg->lang = LANG_NL;
	cfg->timezone = "Europe/Amsterdam";
	cfg->admins = admins;
	cfg->limits.max_reminders = WT_MAX_REMINDERS_DEFAULT;
	cfg->networks = net;
	cfg->nnetworks = 1;
}

static int usage(FILE *f, enum wt_lang lang, int code)
{
	fputs(msg_text(lang, M_CLI_USAGE), f);
	fputs(msg_text(lang, M_CLI_PRIVACY_USAGE), f);
	if (code == 0) {
		fputs(msg_text(lang, M_CLI_HELP), f);
		fputs(msg_text(lang, M_CLI_HELP_MAN), f);
	}
	return code;
}

/* --man 1|5: the page in roff on stdout (bot/manpage.h). */
static int print_man(const char *section, enum wt_lang lang)
{
	struct strbuf page = STRBUF_INIT;
	int n = strcmp(section, "1") == 0 ? 1 : strcmp(section, "5") == 0 ? 5 : 0;
	if (manpage_write(&page, n, WT_VERSION) < 0) {
		fprintf(stderr, msg_text(lang, M_CLI_MAN_SECTION), section);
		sb_release(&page);
		return WT_EXIT_USAGE;
	}
	fputs(page.buf, stdout);
	sb_release(&page);
	return fflush(stdout) == 0 ? 0 : WT_EXIT_FATAL;
}

/* One malloc arena for every thread. glibc gives each thread that
 * allocates an arena of its own (a 64 MiB reservation, about 1 MiB touched
 * by the crypto library's store thread, make bench-mem); the bot's threads
 * take turns (each crypto call blocks the loop), so sharing costs no
 * waiting. */
static void malloc_tune(void)
{
#ifdef __GLIBC__
	mallopt(M_ARENA_MAX, 1);
#endif
}

int main(int argc, char **argv)
{
	const char *config = NULL, *db_path = NULL, *as = "@ik:console", *room = NULL;
	const char *check = NULL;
	int shell = 0, demo = 0, opt;
	enum wt_lang lang = getenv("LANG") && strncmp(getenv("LANG"), "nl", 2) == 0 ? LANG_NL : LANG_EN;

	malloc_tune();
	log_detect_journal();
	/* Everything the bot creates (database, token file, crypto store,
	 * backups, exports) holds personal data or secrets: the owner's only. */
	umask(077);
	int (*sub)(int, char **, enum wt_lang) = argc > 1 ? cli_find(argv[1]) : NULL;
	if (sub)
		return sub(argc - 1, argv + 1, lang);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case OPT_SHELL: shell = 1; break;
		case OPT_DB: db_path = optarg; break;
		case OPT_AS: as = optarg; break;
		case OPT_ROOM: room = optarg; break;
		case OPT_CHECK: check = optarg; break;
		case OPT_DEMO: demo = 1; break;
		case OPT_VERSION: printf("werktafel %s\n", WT_VERSION); return 0;
		case OPT_HELP: return usage(stdout, lang, 0);
		case OPT_MAN: return print_man(optarg, lang);
		case OPT_COMMANDS: {
			struct strbuf ref = STRBUF_INIT;
			help_reference(&ref);
			fputs(ref.buf, stdout);
			sb_release(&ref);
			return 0;
		}
		default:
			fprintf(stderr, msg_text(lang, M_CLI_UNKNOWN_OPTION), argv[optind - 1]);
			return usage(stderr, lang, WT_EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, msg_text(lang, M_CLI_UNEXPECTED_ARG), argv[optind]);
		return usage(stderr, lang, WT_EXIT_USAGE);
	}

	struct strbuf err = STRBUF_INIT;
	struct wt_config cfg;
	struct wt_network default_net;  /* cfg without --config (default_config) */
	char *default_admins[2];
	int have_cfg = 0;
	if (check) {
		int rc = config_load(check, &cfg, &err);
		if (rc == 0) {
			rc = config_check_matrix(&cfg, &err);
			config_free(&cfg);
		}
		if (rc < 0) {
			fputs(err.buf, stderr);
			if (err.len && err.buf[err.len - 1] != '\n')
				fputc('\n', stderr);
			sb_release(&err);
			return WT_EXIT_USAGE;
		}
		printf(msg_text(lang, M_CLI_CONFIG_OK), check);
		return 0;
	}
	if (!config && !shell && !demo)
		return usage(stderr, lang, WT_EXIT_USAGE);
	if (config) {
		if (config_load(config, &cfg, &err) < 0) {
			fprintf(stderr, "%s\n", err.buf);
			sb_release(&err);
			return WT_EXIT_USAGE;
		}
		have_cfg = 1;
		lang = cfg.lang;
		log_set_level((enum log_level)cfg.log_level);
	} else {
		default_config(&cfg, &default_net, default_admins, as);
	}
	if (!db_path)
		db_path = cfg.database;
	if (!db_path) {
		fputs(msg_text(lang, M_CLI_NO_DB), stderr);
		if (have_cfg)
			config_free(&cfg);
		return WT_EXIT_USAGE;
	}

	int rc;
	if (shell || demo) {
		sqlite3 *db;
		if (db_open(db_path, &db, &err) < 0) {
			fprintf(stderr, "werktafel: %s\n", err.buf);
			rc = WT_EXIT_DB;
		} else if (demo) {
			rc = 0;
			for (size_t i = 0; i < cfg.nnetworks && rc == 0; i++)
				rc = demo_seed(db, &cfg.networks[i], time(NULL)) < 0 ? WT_EXIT_FATAL : WT_EXIT_OK;
			if (rc == 0)
				printf(msg_text(lang, M_CLI_DEMO_DONE), db_path, cfg.networks[0].name);
			db_close(db);
		} else if (config_bodies_apply(db, &cfg, time(NULL)) < 0) {
			rc = WT_EXIT_DB;
			db_close(db);
		} else {
			rc = console_run(db, &cfg, as, room ? room : "", stdin, stdout);
			db_close(db);
		}
	} else {
		if (config_check_matrix(&cfg, &err) < 0) {
			fprintf(stderr, "%s\n", err.buf);
			rc = WT_EXIT_USAGE;
		} else {
			rc = bot_run(&cfg, db_path);
		}
	}
	sb_release(&err);
	if (have_cfg)
		config_free(&cfg);
	return rc;
}
