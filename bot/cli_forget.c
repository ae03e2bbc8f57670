/* werktafel forget @user:server: erase a person from the whole database
 * (every network), as `!vergeet @user bevestig` does (handlers/forget.h). */
#include <stdio.h>
#include <string.h>

#include "bot/cli.h"
#include "bot/exit.h"
#include "handlers/forget.h"
#include "storage/db.h"

static int is_user_id(const char *s)
{
	const char *colon = strchr(s, ':');
	return s[0] == '@' && colon && colon > s + 1 && colon[1] && !strchr(s, ' ');
}

int cli_forget_main(int argc, char **argv, enum wt_lang lang)
{
	struct cli c;
	int rc = cli_start(&c, argc, argv, lang, M_CLI_FORGET_USAGE);
	if (rc != WT_EXIT_OK) {
		cli_end(&c);
		return rc;
	}
	if (c.nargs != 1) {
		fputs(msg_text(c.lang, M_CLI_FORGET_USAGE), stderr);
		cli_end(&c);
		return WT_EXIT_USAGE;
	}
	const char *user = c.args[0];
	if (!is_user_id(user)) {
		fprintf(stderr, msg_text(c.lang, M_CLI_FORGET_BAD_USER), user);
		cli_end(&c);
		return WT_EXIT_USAGE;
	}
	struct wt_ctx ctx = { .db = c.db, .lang = c.lang };
	struct strbuf text = STRBUF_INIT;
	enum forget_outcome out = FORGET_EDB;
	if (db_begin(c.db) == 0) {
		out = forget_run(&ctx, user, user, &text);
		if (out == FORGET_EDB || db_commit(c.db) < 0) {
			db_rollback(c.db);
			out = FORGET_EDB;
		}
	}
	if (out == FORGET_EDB) {
		fputs(msg_text(c.lang, M_CLI_DB_FAILED), stderr);
		rc = WT_EXIT_DB;
	} else {
		printf("%s\n", text.buf);
	}
	sb_release(&text);
	cli_end(&c);
	return rc;
}
