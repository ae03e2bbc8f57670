/* werktafel backup FILE: a consistent, checked copy of the database, also
 * while the bot runs (storage/backup.h). */
#include <stdio.h>

#include "bot/cli.h"
#include "bot/exit.h"
#include "storage/backup.h"

int cli_backup_main(int argc, char **argv, enum wt_lang lang)
{
	struct cli c;
	int rc = cli_start(&c, argc, argv, lang, M_CLI_BACKUP_USAGE);
	if (rc == WT_EXIT_OK && c.nargs != 1) {
		fputs(msg_text(c.lang, M_CLI_BACKUP_USAGE), stderr);
		rc = WT_EXIT_USAGE;
	}
	if (rc == WT_EXIT_OK) {
		struct strbuf err = STRBUF_INIT;
		if (db_backup_to(c.db, c.args[0], &err) == BACKUP_DONE) {
			printf(msg_text(c.lang, M_CLI_BACKUP_DONE), c.db_path, c.args[0]);
		} else {
			fprintf(stderr, msg_text(c.lang, M_CLI_BACKUP_FAILED), err.buf);
			rc = WT_EXIT_FATAL;
		}
		sb_release(&err);
	}
	cli_end(&c);
	return rc;
}
