/* config_bodies: the [body.NAME] sections of the config written to the
 * database (storage/bodies.h) at start, in console and Matrix mode alike. */
#ifndef WT_CONFIG_BODIES_H
#define WT_CONFIG_BODIES_H

#include <sqlite3.h>
#include <time.h>

#include "bot/config.h"

/* Make each configured body that the database lacks and set what its
 * section says (kind, rooms, chair, secretary, members, advisory
 * members); what commands added beyond that stays. One transaction.
 * Returns 0, or -1 on a database error (logged). */
int config_bodies_apply(sqlite3 *db, const struct wt_config *cfg, time_t now);

#endif
