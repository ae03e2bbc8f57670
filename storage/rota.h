/* rota: the organisation each member represents (table member_orgs) and
 * the rotation schedule of delegates (table rota, migration 31): who
 * represents which organisation from first_day to last_day, local days
 * since 1970-01-01, both included. Organisations are compared without
 * regard to case.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_ROTA_H
#define WT_STORAGE_ROTA_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

/* ---- organisations ---- */

/* Set user's organisation in network (replacing any). 0 or negative. */
int org_set(sqlite3 *db, const char *network, const char *user, const char *org, time_t now);
/* Clear it: 1 cleared, 0 there was none. */
int org_clear(sqlite3 *db, const char *network, const char *user);
/* user's organisation (caller frees), or NULL when none or on error. */
char *org_of_dup(sqlite3 *db, const char *network, const char *user);

struct org_member {
	char *org;
	char *user;
};
/* The network's members with an organisation, by organisation (case
 * ignored) and user; free with org_members_free. Count or negative. */
int org_members(sqlite3 *db, const char *network, struct org_member **v);
void org_members_free(struct org_member *v, size_t n);

/* ---- the rotation schedule ---- */

struct wt_rota {
	long long id;            /* row id */
	long long short_id;      /* what people type */
	char *network;
	char *org;
	char *user;
	long first_day, last_day;
	char *created_by;
	time_t created_at;
};

/* Insert r (all but id and short_id) with a new short id ("rota"). */
int rota_add(sqlite3 *db, struct wt_rota *r);
int rota_by_short_id(sqlite3 *db, const char *network, long long short_id, struct wt_rota *out);
int rota_by_id(sqlite3 *db, long long id, struct wt_rota *out);
int rota_delete(sqlite3 *db, long long id);
/* An entry of org in network whose period overlaps first..last. */
int rota_overlap(sqlite3 *db, const char *network, const char *org, long first, long last,
		 struct wt_rota *out);
/* The first entry of org starting after day. */
int rota_successor(sqlite3 *db, const char *network, const char *org, long day,
		   struct wt_rota *out);
/* The entries that have not ended before day, by organisation and start;
 * free with rota_list_free. Count or negative. */
int rota_current(sqlite3 *db, const char *network, long day, struct wt_rota **v);
void rota_list_free(struct wt_rota *v, size_t n);
void rota_free(struct wt_rota *r);

#endif
