/* export: everything a network holds as JSON, and back (issue 23, item 3).
 *
 * The document (format "werktafel-export", version 1):
 *   { "format": "werktafel-export", "version": 1, "network": NAME,
 *     "schema_version": N, "exported_at": "2026-12-03T11:45:00Z",
 *     "tables": { "meetings": [ {column: value, ...}, ... ], ... } }
 * Each table is the database table of that name, each row all its columns
 * under their own names (the README's schema); ids are the database's row
 * ids ("id", and the references to them) and the network's short ids
 * ("short_id": the number people type, #3, AL2), both stable: an import
 * keeps them. Instants (columns ending in _at, deadline, dtstart) are ISO
 * 8601 in UTC with the zone ("Z"); days stay 'YYYY-MM-DD' as stored.
 * The tables, parents first: export_tables. */
#ifndef WT_STORAGE_EXPORT_H
#define WT_STORAGE_EXPORT_H

#include <jansson.h>
#include <sqlite3.h>

#include "lib/strbuf.h"

#define EXPORT_FORMAT "werktafel-export"
#define EXPORT_VERSION 1

/* Outcomes of export and import. */
enum export_outcome {
	EXPORT_EDB = -1,       /* a statement failed */
	EXPORT_BAD = -2,       /* import: the document is not ours or does not
				* fit this build (why in err) */
	EXPORT_PRESENT = -3,   /* import: the database already holds the network */
	EXPORT_OK = 0,
};

/* The names of the exported tables, parents first, NULL-terminated. */
extern const char *const export_tables[];

/* The document of network (new reference in *out). */
enum export_outcome export_network(sqlite3 *db, const char *network, time_t now,
				   json_t **out);
/* Put the document's rows into db, which must not hold the network yet;
 * in the caller's transaction. The network's name in the document is the
 * one imported. */
enum export_outcome import_network(sqlite3 *db, json_t *doc, struct strbuf *err);

/* 1 when column holds an instant (exported as ISO 8601). */
int export_is_instant(const char *column);

#endif
