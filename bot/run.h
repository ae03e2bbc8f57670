/* run: the bot connected to a homeserver (event loop, sync, outbox). */
#ifndef WT_RUN_H
#define WT_RUN_H

#include "bot/config.h"

/* Run until SIGTERM/SIGINT; SIGHUP reads cfg->path again into cfg
 * (bot/config_reload.h), systemd hears of readiness and gets watchdog
 * pings (bot/service.h). Returns the process exit code: 0 clean stop,
 * 3 bad credentials, 4 the database cannot be used (cannot be opened or
 * written, read-only, damaged: see storage/db_fault.h), 1 other fatal
 * error. */
int bot_run(struct wt_config *cfg, const char *db_path);

#endif
