/* demo: a neutral demo network for `make demo` and console tests.
 *
 * Invented people only: chair @anna:demo.test, secretary @bram:demo.test,
 * board member @carla:demo.test, members @daan:demo.test and @eva:demo.test.
 * Six meetings two months apart, on the second Tuesday at 19:30 in the
 * network's time zone, the first at least a week after now; agenda items (accepted and proposed, with themes
 * and why/what/how) on the first two. Texts follow the network's language. */
#ifndef WT_DEMO_DEMO_H
#define WT_DEMO_DEMO_H

#include <sqlite3.h>
#include <time.h>

#include "handlers/network.h"

/* Seed net in db. Returns 0 when seeded, 1 when the network already has
 * meetings (nothing changed), negative on error (nothing changed). */
int demo_seed(sqlite3 *db, const struct wt_network *net, time_t now);

#endif
