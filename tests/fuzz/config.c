/* Fuzz target: the configuration file parser (bot/config.c,
 * config_keys.c): the input is written to a file and loaded. A refused
 * file has an error text and nothing to free; an accepted one has a
 * language, a zone and networks that can be looked up by name and room. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/config.h"
#include "tests/fuzz/fuzz.h"

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		snprintf(path, sizeof path, "/tmp/wt-fuzz-config-%ld.ini", (long)getpid());
	}
	FILE *f = fopen(path, "wb");
	FZ_CHECK(f != NULL);
	FZ_CHECK(fwrite(data, 1, size, f) == size);
	FZ_CHECK(fclose(f) == 0);
	struct wt_config cfg;
	memset(&cfg, 0, sizeof cfg);
	struct strbuf err = STRBUF_INIT;
	if (config_load(path, &cfg, &err) == 0) {
		FZ_CHECK(cfg.timezone != NULL && cfg.database != NULL);
		for (size_t i = 0; i < cfg.nnetworks; i++) {
			const struct wt_network *n = &cfg.networks[i];
			FZ_CHECK(config_network_by_name(&cfg, n->name) == n);
			for (size_t k = 0; k < n->nrooms; k++)
				FZ_CHECK(config_network_for_room(&cfg, n->rooms[k]) != NULL);
		}
		config_free(&cfg);
	} else {
		FZ_CHECK(err.len > 0);
	}
	sb_release(&err);
	unlink(path);
	return 0;
}
