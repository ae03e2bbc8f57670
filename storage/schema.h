#ifndef WT_SCHEMA_H
#define WT_SCHEMA_H

#include <sqlite3.h>

#include "lib/strbuf.h"

/* The ordered migrations; *n receives their count (= latest version). */
const char *const *schema_migrations(int *n);

/* Apply list[v..target-1] to a database at user_version v, each in its own
 * transaction. Exposed so tests can run a broken migration list. */
int schema_apply(sqlite3 *db, const char *const *list, int n, int target,
		 struct strbuf *err);

#endif
