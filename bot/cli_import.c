/* werktafel import FILE.json: a network exported by `werktafel export
 * --format json` into a database that does not hold it yet (a fresh one,
 * or one with other networks), in one transaction. */
#include <stdio.h>

#include "bot/cli.h"
#include "bot/exit.h"
#include "storage/db.h"
#include "storage/export.h"

int cli_import_main(int argc, char **argv, enum wt_lang lang)
{
	struct cli c;
	int rc = cli_start(&c, argc, argv, lang, M_CLI_IMPORT_USAGE);
	if (rc == WT_EXIT_OK && c.nargs != 1) {
		fputs(msg_text(c.lang, M_CLI_IMPORT_USAGE), stderr);
		rc = WT_EXIT_USAGE;
	}
	if (rc != WT_EXIT_OK) {
		cli_end(&c);
		return rc;
	}
	struct strbuf err = STRBUF_INIT;
	json_error_t jerr;
	json_t *doc = json_load_file(c.args[0], 0, &jerr);
	enum export_outcome out = EXPORT_BAD;
	if (!doc) {
		sb_addf(&err, "%s:%d: %s", c.args[0], jerr.line, jerr.text);
	} else if (db_begin(c.db) < 0) {
		out = EXPORT_EDB;
	} else {
		out = import_network(c.db, doc, &err);
		if (out != EXPORT_OK || db_commit(c.db) < 0) {
			db_rollback(c.db);
			if (out == EXPORT_OK)
				out = EXPORT_EDB;
		}
	}
	const char *network = doc ? json_string_value(json_object_get(doc, "network")) : NULL;
	if (out == EXPORT_OK) {
		printf(msg_text(c.lang, M_CLI_IMPORT_DONE), network, c.args[0]);
	} else if (out == EXPORT_PRESENT) {
		fprintf(stderr, msg_text(c.lang, M_CLI_IMPORT_PRESENT), network);
		rc = WT_EXIT_FATAL;
	} else {
		if (out == EXPORT_EDB && !err.len)
			sb_add(&err, "the database gave an error");
		fprintf(stderr, msg_text(c.lang, M_CLI_IMPORT_FAILED), err.buf);
		rc = out == EXPORT_EDB ? WT_EXIT_DB : WT_EXIT_FATAL;
	}
	json_decref(doc);
	sb_release(&err);
	cli_end(&c);
	return rc;
}
