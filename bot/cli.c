#include "bot/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/exit.h"
#include "lib/log.h"
#include "storage/db.h"

static const struct {
	const char *name;
	int (*main)(int, char **, enum wt_lang);
} subs[] = {
	{ "forget", cli_forget_main },
	{ "backup", cli_backup_main },
	{ "export", cli_export_main },
	{ "import", cli_import_main },
	{ "login", cli_login_main },
};

int (*cli_find(const char *name))(int, char **, enum wt_lang)
{
	for (size_t i = 0; name && i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(subs[i].name, name) == 0)
			return subs[i].main;
	return NULL;
}

/* The value of option opt at argv[*i] ("--opt V" or "--opt=V"), or NULL
 * when argv[*i] is not that option; *missing when V is absent. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt,
			     int *missing)
{
	size_t n = strlen(opt);
	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int parse(struct cli *c, int argc, char **argv, const char **config)
{
	c->args = xcalloc((size_t)argc + 1, sizeof *c->args);
	for (int i = 1; i < argc; i++) {
		int missing = 0;
		const char *v;
		if ((v = opt_value(argc, argv, &i, "--config", &missing)))
			*config = v;
		else if ((v = opt_value(argc, argv, &i, "--db", &missing)))
			c->db_path = v;
		else if ((v = opt_value(argc, argv, &i, "--network", &missing)))
			c->network = v;
		else if ((v = opt_value(argc, argv, &i, "--format", &missing)))
			c->format = v;
		else if ((v = opt_value(argc, argv, &i, "--client-id", &missing)))
			c->client_id = v;
		else if ((v = opt_value(argc, argv, &i, "--client-uri", &missing)))
			c->client_uri = v;
		else if (strcmp(argv[i], "--device") == 0)
			c->device = 1;
		else if (missing || (argv[i][0] == '-' && argv[i][1] == '-')) {
			fprintf(stderr, msg_text(c->lang, M_CLI_UNKNOWN_OPTION), argv[i]);
			return -1;
		} else
			c->args[c->nargs++] = argv[i];
	}
	return 0;
}

int cli_start(struct cli *c, int argc, char **argv, enum wt_lang lang,
	      enum msg_id usage)
{
	memset(c, 0, sizeof *c);
	c->lang = lang;
	const char *config = NULL;
	if (parse(c, argc, argv, &config) < 0) {
		fputs(msg_text(lang, usage), stderr);
		return WT_EXIT_USAGE;
	}
	struct strbuf err = STRBUF_INIT;
	if (config) {
		if (config_load(config, &c->cfg, &err) < 0) {
			fprintf(stderr, "%s\n", err.buf);
			sb_release(&err);
			return WT_EXIT_USAGE;
		}
		c->have_cfg = 1;
		c->lang = c->cfg.lang;
		if (!c->db_path)
			c->db_path = c->cfg.database;
	}
	if (!c->db_path) {
		fputs(msg_text(c->lang, M_CLI_NO_DB), stderr);
		return WT_EXIT_USAGE;
	}
	if (db_open(c->db_path, &c->db, &err) < 0) {
		fprintf(stderr, "werktafel: %s\n", err.buf);
		sb_release(&err);
		return WT_EXIT_DB;
	}
	sb_release(&err);
	return WT_EXIT_OK;
}

void cli_end(struct cli *c)
{
	if (c->db)
		db_close(c->db);
	if (c->have_cfg)
		config_free(&c->cfg);
	free(c->args);
	memset(c, 0, sizeof *c);
}
