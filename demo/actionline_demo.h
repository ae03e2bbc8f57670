/* actionline_demo: three invented action lines for the demo network. */
#ifndef WT_DEMO_ACTIONLINE_DEMO_H
#define WT_DEMO_ACTIONLINE_DEMO_H

#include <sqlite3.h>
#include <time.h>

#include "handlers/network.h"

/* Seed three action lines (people, phases around now, deliverables, one
 * overdue, updates, spending) in net's language. Returns 0, 1 when the
 * network already has action lines (nothing changed), negative on error. */
int actionline_seed_demo(sqlite3 *db, const struct wt_network *net, time_t now);

#endif
