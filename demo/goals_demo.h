/* goals_demo: three invented goals with measurements, and an indicator
 * with its 0-measurement on the first action line, for the demo network. */
#ifndef WT_DEMO_GOALS_DEMO_H
#define WT_DEMO_GOALS_DEMO_H

#include <sqlite3.h>
#include <time.h>

#include "handlers/network.h"

/* Seed the goals in net's language (after actionline_seed_demo). Returns
 * 0, 1 when the network already has goals (nothing changed), negative on
 * error. */
int goals_seed_demo(sqlite3 *db, const struct wt_network *net, time_t now);

#endif
