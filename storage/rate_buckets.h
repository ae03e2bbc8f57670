/* rate_buckets: each sender's token bucket for the command rate limit
 * (handlers/ratelimit.c), in a TEMP table: a restart starts every bucket
 * full. */
#ifndef WT_STORAGE_RATE_BUCKETS_H
#define WT_STORAGE_RATE_BUCKETS_H

#include <sqlite3.h>

/* Read sender's bucket: 1 found, 0 none yet, -1 error. */
int rate_bucket_get(sqlite3 *db, const char *sender, long long *credit,
		    long long *last_ms, long long *held);
/* Store sender's bucket. 0 or negative. */
int rate_bucket_put(sqlite3 *db, const char *sender, long long credit,
		    long long last_ms, long long held);

#endif
