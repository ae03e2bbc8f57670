/* console: --shell mode. stdin/stdout stand in for the homeserver; every
 * line goes through the same wt_dispatch as a Matrix message. */
#ifndef WT_CONSOLE_H
#define WT_CONSOLE_H

#include <sqlite3.h>
#include <stdio.h>

#include "bot/config.h"

/* Read messages from in until EOF, print replies to out. A line ending in
 * a backslash continues on the next line. Returns the exit code (0). */
int console_run(sqlite3 *db, const struct wt_config *cfg, const char *as,
		const char *room, FILE *in, FILE *out);

#endif
