/* config_reload: SIGHUP reads the config file again. What the running bot
 * reads afresh each time it needs it is applied at once; what it read once
 * at start (the account, the database, the rooms, the crypto store, the
 * profile) needs a restart, and the log says which changed keys those are.
 *
 * At run time: [bot] log_level, language, admins, late_limit_hours,
 * max_reminders, commands_per_minute, command_burst, replies; [crypto]
 * key_wait_minutes; and every key of a [network.NAME] but rooms (themes,
 * language, timezone, the remind_* offsets, log_anyone, advice_wait_days,
 * day_end, unknown_commands, encrypt_direct_chats, notify_action_owner).
 * A network added or removed, or its rooms changed, needs a restart.
 * A new reminder offset applies to reminders generated from then on. */
#ifndef WT_CONFIG_RELOAD_H
#define WT_CONFIG_RELOAD_H

#include "bot/config.h"
#include "lib/strbuf.h"

/* Whether SIGHUP applies key of section ("matrix", "bot", "crypto",
 * "network", as bot/config_doc.h) at once: 1, or only after a restart: 0;
 * -1 for a key this file does not know (test_manpage fails on one, so a
 * new key cannot be forgotten here). werktafel.ini(5) says it per key. */
int config_reload_runtime(const char *section, const char *key);

/* Compare fresh with live: apply the run-time keys that differ to live
 * (owned values move from fresh to live, the old ones to fresh, so
 * config_free(fresh) frees them) and list them in applied; list the
 * changed keys that need a restart in restart. Both lists are
 * "[section] key" entries separated by ", ". Returns the number of
 * changed keys (applied and not). */
int config_reload_apply(struct wt_config *live, struct wt_config *fresh,
			struct strbuf *applied, struct strbuf *restart);

/* Read live->path again and apply it (above), logging what changed, what
 * needs a restart, or the file's errors (the running config is kept).
 * Returns 0, or -1 when the file cannot be read or is wrong. */
int config_reload_file(struct wt_config *live);

#endif
