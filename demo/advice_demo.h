/* advice_demo: the demo network's expertise and advice requests. */
#ifndef WT_DEMO_ADVICE_DEMO_H
#define WT_DEMO_ADVICE_DEMO_H

#include <sqlite3.h>
#include <time.h>

struct wt_network;

/* Seed the demo network's expertise and three requests (asked and
 * waiting; unasked in progress with a draft; decided), with the invented
 * people of demo/demo.h. Returns 0 or negative. */
int advice_demo_seed(sqlite3 *db, const struct wt_network *net, time_t now);

#endif
