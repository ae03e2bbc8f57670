/* roles: a user's stored role per network (admins come from the config). */
#ifndef WT_STORAGE_ROLES_H
#define WT_STORAGE_ROLES_H

#include <sqlite3.h>
#include <time.h>

/* The stored role (1..4), or 0 when none is stored. */
int roles_get(sqlite3 *db, const char *network, const char *user);
/* Store role (1..4) for user; role 1 (member) removes the row, since member
 * is the default. Returns 0 or negative. */
int roles_set(sqlite3 *db, const char *network, const char *user, int role,
	      const char *set_by, time_t now);

/* Call fn for each stored role of network, highest role first. */
typedef void (*roles_each_fn)(void *arg, const char *user, int role);
int roles_each(sqlite3 *db, const char *network, roles_each_fn fn, void *arg);
/* Call fn for each network where user has a stored role, highest role
 * first; stops at fn's first nonzero return. 0 or negative. */
int roles_each_network(sqlite3 *db, const char *user,
		       int (*fn)(void *arg, const char *network), void *arg);

#endif
