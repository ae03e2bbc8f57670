/* cli: what the maintenance sub-commands share (`werktafel forget`,
 * `werktafel backup`, each in its own bot/cli_*.c): the options
 * [--config FILE] [--db PATH], the positional arguments, the language, and
 * the database opened (and migrated) like the bot opens it. They run
 * beside a running bot: SQLite's WAL and busy handling let both write. */
#ifndef WT_CLI_H
#define WT_CLI_H

#include <sqlite3.h>

#include "bot/config.h"
#include "handlers/catalog.h"

struct cli {
	struct wt_config cfg;
	int have_cfg;
	const char *db_path;
	enum wt_lang lang;
	const char *network;  /* --network NAME (export), or NULL */
	const char *format;   /* --format json|csv (export), or NULL */
	int device;           /* --device (login) */
	const char *client_id;  /* --client-id ID (login), or NULL */
	const char *client_uri; /* --client-uri URL (login), or NULL */
	char **args;          /* the positional arguments */
	int nargs;
	sqlite3 *db;
};

/* Read argv (argv[0] is the sub-command) and open the database; prints
 * usage (the catalogue text) or the problem. WT_EXIT_OK, or the exit code
 * to return. */
int cli_start(struct cli *c, int argc, char **argv, enum wt_lang lang,
	      enum msg_id usage);
void cli_end(struct cli *c);

/* The sub-commands: argv[0] is the sub-command's name. */
int cli_forget_main(int argc, char **argv, enum wt_lang lang);
int cli_backup_main(int argc, char **argv, enum wt_lang lang);
int cli_export_main(int argc, char **argv, enum wt_lang lang);
int cli_import_main(int argc, char **argv, enum wt_lang lang);
int cli_login_main(int argc, char **argv, enum wt_lang lang);
/* The sub-command named name, or NULL. */
int (*cli_find(const char *name))(int, char **, enum wt_lang);

#endif
