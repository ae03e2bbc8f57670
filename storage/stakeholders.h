/* stakeholders: the stakeholder register of a network (migration 41): the
 * GPs, hospitals, care offices and municipalities around the round table,
 * most of them no Matrix users. Each has a short code BHn (db_next_id
 * "stakeholder"), a kind, a contact, whether the network involves
 * ("betrekken") or informs ("informeren") them, and the action lines and
 * agenda items that concern them. An advice request may name one as its
 * requester (advice_requests.requester_stakeholder).
 *
 * Lookups return 1 found, 0 not, negative on a database error; changes 0
 * or negative unless said otherwise. */
#ifndef WT_STORAGE_STAKEHOLDERS_H
#define WT_STORAGE_STAKEHOLDERS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum sh_engage { SH_INFORM = 0, SH_INVOLVE = 1 };

struct stakeholder {
	long long id;
	long long short_id;      /* the n of BHn */
	char *network;
	char *name;
	char *kind;              /* huisarts, ziekenhuis, ...; or NULL */
	char *contact;           /* or NULL */
	enum sh_engage engage;
	char *created_by;        /* or NULL */
	time_t created_at;
	long long *lines;        /* short ids of the action lines linked, ascending */
	size_t nlines;
	long long *items;        /* short ids of the agenda items linked, ascending */
	size_t nitems;
};

void sh_free(struct stakeholder *s);
void sh_free_list(struct stakeholder *v, size_t n);

/* Insert s (network, name, created_at required) with a new code; fills
 * id and short_id. */
int sh_create(sqlite3 *db, struct stakeholder *s);
/* BHshort_id of network with its links. */
int sh_load(sqlite3 *db, const char *network, long long short_id, struct stakeholder *out);
/* The stakeholder with row id, with its links. */
int sh_load_id(sqlite3 *db, long long id, struct stakeholder *out);
/* One page of the register by code: at most limit after offset; *total
 * gets how many there are. Each with its links. */
int sh_list_page(sqlite3 *db, const char *network, long long limit, long long offset,
		 struct stakeholder **v, size_t *n, long long *total);
/* The stakeholders linked to action line line_id (row id), by code. */
int sh_of_line(sqlite3 *db, long long line_id, struct stakeholder **v, size_t *n);

/* The editable text fields. */
enum sh_field { SH_NAME = 0, SH_KIND = 1, SH_CONTACT = 2 };
/* Set a text field (NULL clears kind and contact; the name is required). */
int sh_set_text(sqlite3 *db, long long id, enum sh_field f, const char *value);
int sh_set_engage(sqlite3 *db, long long id, enum sh_engage e);
/* Remove a stakeholder, its links, and its place as advice requester. */
int sh_delete(sqlite3 *db, long long id);

/* What sh_link did. */
enum sh_link_outcome { SH_LINK_ADDED = 0, SH_LINK_ALREADY = 1 };
/* Link to an action line (line_id) or an agenda item (item_id): exactly
 * one of them > 0. SH_LINK_ADDED, SH_LINK_ALREADY or negative. */
int sh_link(sqlite3 *db, long long sh_id, long long line_id, long long item_id);
/* Undo it: the number of links removed (0 or 1), or negative. */
int sh_unlink(sqlite3 *db, long long sh_id, long long line_id, long long item_id);

/* The stakeholder who requested advice request advice_id (row id): 1 and
 * *sh_id set, 0 none, negative on error; and setting it (0 clears). */
int sh_requester_of(sqlite3 *db, long long advice_id, long long *sh_id);
int sh_set_requester(sqlite3 *db, long long advice_id, long long sh_id);
/* The short ids of the advice requests stakeholder sh_id asked, oldest
 * first: the count or negative; *ids freed with free(). */
int sh_requests_of(sqlite3 *db, long long sh_id, long long **ids);

#endif
