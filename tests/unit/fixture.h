/* fixture: what many unit tests share. Linked into every test binary. */
#ifndef WT_TEST_FIXTURE_H
#define WT_TEST_FIXTURE_H

#include <sqlite3.h>

/* Every row of every table of db but skip_table (NULL: none), in a fixed
 * order, as one string (caller frees): equal snapshots before and after a
 * refused command mean the command changed nothing at all. */
char *fx_snapshot(sqlite3 *db, const char *skip_table);

/* Fail, naming the table and the first differing row, unless the two
 * snapshots are equal. */
void fx_assert_same(const char *before, const char *after);

/* The number of rows of table (one of our own table names). */
long long fx_count(sqlite3 *db, const char *table);

#endif
