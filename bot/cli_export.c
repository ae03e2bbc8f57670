/* werktafel export --network NAME --format json|csv DIR: everything the
 * network holds (storage/export.h). json: DIR/NAME.json, the document;
 * csv: DIR/NAME-TABLE.csv for each table with rows, a header line of the
 * column names and RFC 4180 quoting. DIR is made (0700) when absent. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bot/cli.h"
#include "bot/exit.h"
#include "storage/export.h"

static void csv_field(FILE *f, json_t *v)
{
	if (json_is_integer(v)) {
		fprintf(f, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		fprintf(f, "%.17g", json_real_value(v));
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!s[strcspn(s, ",\"\r\n")]) {
			fputs(s, f);
			return;
		}
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
}

static int write_csv_table(const char *path, json_t *rows)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	const char *key;
	json_t *v;
	int n = 0;
	json_object_foreach(json_array_get(rows, 0), key, v) {
		fprintf(f, "%s%s", n++ ? "," : "", key);
	}
	fputs("\r\n", f);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		n = 0;
		json_object_foreach(row, key, v) {
			if (n++)
				fputc(',', f);
			csv_field(f, v);
		}
		fputs("\r\n", f);
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* The document as files in dir; the first path that failed in err. */
static int write_files(json_t *doc, const char *dir, const char *network, int csv,
		       struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;
	if (!csv) {
		sb_addf(&path, "%s/%s.json", dir, network);
		rc = json_dump_file(doc, path.buf, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	} else {
		const char *table;
		json_t *rows;
		json_object_foreach(json_object_get(doc, "tables"), table, rows) {
			if (json_array_size(rows) == 0)
				continue;
			sb_reset(&path);
			sb_addf(&path, "%s/%s-%s.csv", dir, network, table);
			if ((rc = write_csv_table(path.buf, rows)) < 0)
				break;
		}
	}
	if (rc < 0)
		sb_addf(err, "%s: %s", path.buf, strerror(errno));
	sb_release(&path);
	return rc;
}

/* The network's name is one the config knows (any, without a config). */
static int known_network(const struct cli *c)
{
	if (!c->have_cfg)
		return 1;
	for (size_t i = 0; i < c->cfg.nnetworks; i++)
		if (strcmp(c->cfg.networks[i].name, c->network) == 0)
			return 1;
	return 0;
}

int cli_export_main(int argc, char **argv, enum wt_lang lang)
{
	struct cli c;
	int rc = cli_start(&c, argc, argv, lang, M_CLI_EXPORT_USAGE);
	if (rc == WT_EXIT_OK && (c.nargs != 1 || !c.network || !c.format
				 || (strcmp(c.format, "json") != 0 && strcmp(c.format, "csv") != 0))) {
		fputs(msg_text(c.lang, M_CLI_EXPORT_USAGE), stderr);
		rc = WT_EXIT_USAGE;
	} else if (rc == WT_EXIT_OK && !known_network(&c)) {
		fprintf(stderr, msg_text(c.lang, M_CLI_EXPORT_NO_NETWORK), c.network);
		rc = WT_EXIT_USAGE;
	}
	if (rc != WT_EXIT_OK) {
		cli_end(&c);
		return rc;
	}
	json_t *doc = NULL;
	struct strbuf err = STRBUF_INIT;
	if (mkdir(c.args[0], 0700) < 0 && errno != EEXIST)
		sb_addf(&err, "%s: %s", c.args[0], strerror(errno));
	else if (export_network(c.db, c.network, time(NULL), &doc) != EXPORT_OK)
		sb_add(&err, "the database gave an error");
	else
		write_files(doc, c.args[0], c.network, strcmp(c.format, "csv") == 0, &err);
	if (err.len) {
		fprintf(stderr, msg_text(c.lang, M_CLI_EXPORT_FAILED), err.buf);
		rc = WT_EXIT_FATAL;
	} else {
		printf(msg_text(c.lang, M_CLI_EXPORT_DONE), c.network, c.args[0]);
	}
	json_decref(doc);
	sb_release(&err);
	cli_end(&c);
	return rc;
}
