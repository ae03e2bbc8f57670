/* import_network (storage/export.h): the rows of an export document back
 * into a database that does not hold the network yet. */
#include "storage/export.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/db.h"

/* 1 when db already holds something of network. */
static int network_present(sqlite3 *db, const char *network)
{
	return db_has_row(db,
		"SELECT 1 FROM meetings WHERE network = ?1"
		" UNION ALL SELECT 1 FROM logged_items WHERE network = ?1"
		" UNION ALL SELECT 1 FROM advice_requests WHERE network = ?1"
		" UNION ALL SELECT 1 FROM action_lines WHERE network = ?1"
		" UNION ALL SELECT 1 FROM roles WHERE network = ?1"
		" UNION ALL SELECT 1 FROM id_counters WHERE network = ?1 LIMIT 1", network);
}

/* 1 when table has column (the schema of this build, not the document's). */
static int has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* "2026-12-03T11:45:00Z" as UTC seconds; -1 when it is not that shape. */
static long long parse_iso(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return -1;
	return (long long)timegm(&tm);
}

static int bind_value(sqlite3_stmt *st, int i, const char *col, json_t *v)
{
	if (json_is_string(v) && export_is_instant(col)) {
		long long t = parse_iso(json_string_value(v));
		if (t < 0)
			return -1;
		return sqlite3_bind_int64(st, i, t);
	}
	if (json_is_string(v))
		return sqlite3_bind_text(st, i, json_string_value(v), -1, SQLITE_TRANSIENT);
	if (json_is_integer(v))
		return sqlite3_bind_int64(st, i, json_integer_value(v));
	if (json_is_real(v))
		return sqlite3_bind_double(st, i, json_real_value(v));
	if (json_is_null(v))
		return sqlite3_bind_null(st, i);
	return -1;
}

/* The row's keys: each a column of this build's table, and a network
 * column only with the network being imported. */
static enum export_outcome check_keys(sqlite3 *db, const char *table, json_t *row,
				      const char *network, struct strbuf *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(row, key, v) {
		int has = has_column(db, table, key);
		if (has < 0)
			return EXPORT_EDB;
		if (has == 0) {
			sb_addf(err, "%s.%s is not a column of this werktafel", table, key);
			return EXPORT_BAD;
		}
		if (strcmp(key, "network") == 0 && (!json_is_string(v)
		    || strcmp(json_string_value(v), network) != 0)) {
			sb_addf(err, "a row of %s belongs to another network", table);
			return EXPORT_BAD;
		}
	}
	return EXPORT_OK;
}

/* The INSERT of one row. Its SQL holds no text of the document: the table
 * is one of export_tables and the columns are read from this build's
 * schema (pragma_table_info), those the row has, in the table's order;
 * every value is bound. */
static enum export_outcome insert_row(sqlite3 *db, const char *table, json_t *row,
				      const char *network, struct strbuf *err)
{
	enum export_outcome out = check_keys(db, table, row, network, err);
	if (out != EXPORT_OK)
		return out;
	sqlite3_stmt *cols = db_prepare(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
	if (!cols)
		return EXPORT_EDB;
	sqlite3_bind_text(cols, 1, table, -1, SQLITE_TRANSIENT);
	struct strbuf sql = STRBUF_INIT, vals = STRBUF_INIT;
	json_t *bind[256];
	char *names[256];
	int n = 0, rc;
	sb_add(&sql, "INSERT INTO \"");
	sb_add(&sql, table);
	sb_add(&sql, "\" (");
	while ((rc = sqlite3_step(cols)) == SQLITE_ROW && n < 256) {
		const char *name = (const char *)sqlite3_column_text(cols, 0);
		json_t *v = name ? json_object_get(row, name) : NULL;
		if (!v)
			continue;
		sb_add(&sql, n ? ", \"" : "\"");
		sb_add(&sql, name);
		sb_addc(&sql, '"');
		sb_add(&vals, n ? ", ?" : "?");
		names[n] = xstrdup(name);
		bind[n++] = v;
	}
	db_done(cols);
	sb_add(&sql, ") VALUES (");
	sb_add(&sql, vals.buf ? vals.buf : "");
	sb_addc(&sql, ')');
	sb_release(&vals);
	sqlite3_stmt *st = rc == SQLITE_DONE && n ? db_prepare(db, sql.buf) : NULL;
	out = st ? EXPORT_OK : rc == SQLITE_DONE && !n ? EXPORT_BAD : EXPORT_EDB;
	if (out == EXPORT_BAD)
		sb_addf(err, "an empty row of %s", table);
	for (int i = 0; i < n; i++) {
		if (out == EXPORT_OK && bind_value(st, i + 1, names[i], bind[i]) != SQLITE_OK) {
			sb_addf(err, "%s.%s: a value of the wrong kind", table, names[i]);
			out = EXPORT_BAD;
		}
		free(names[i]);
	}
	if (out == EXPORT_OK && sqlite3_step(st) != SQLITE_DONE) {
		sb_addf(err, "%s: %s", table, sqlite3_errmsg(db));
		out = EXPORT_BAD;
	}
	if (st)
		db_done(st);
	sb_release(&sql);
	return out;
}

/* The document's header: ours, of a version we read, naming a network. */
static const char *check_header(json_t *doc, struct strbuf *err)
{
	const char *format = json_string_value(json_object_get(doc, "format"));
	const char *network = json_string_value(json_object_get(doc, "network"));
	json_t *version = json_object_get(doc, "version");
	if (!format || strcmp(format, EXPORT_FORMAT) != 0)
		sb_add(err, "not a werktafel export (no \"format\": \"" EXPORT_FORMAT "\")");
	else if (!json_is_integer(version) || json_integer_value(version) != EXPORT_VERSION)
		sb_addf(err, "export version %lld; this werktafel reads version %d",
			(long long)json_integer_value(version), EXPORT_VERSION);
	else if (!network || !*network)
		sb_add(err, "the export names no network");
	else if (!json_is_object(json_object_get(doc, "tables")))
		sb_add(err, "the export has no tables");
	else
		return network;
	return NULL;
}

enum export_outcome import_network(sqlite3 *db, json_t *doc, struct strbuf *err)
{
	const char *network = check_header(doc, err);
	if (!network)
		return EXPORT_BAD;
	int present = network_present(db, network);
	if (present != 0)
		return present > 0 ? EXPORT_PRESENT : EXPORT_EDB;
	json_t *tables = json_object_get(doc, "tables");
	const char *name;
	json_t *rows;
	json_object_foreach(tables, name, rows) {
		size_t i = 0;
		while (export_tables[i] && strcmp(export_tables[i], name) != 0)
			i++;
		if (!export_tables[i] || !json_is_array(rows)) {
			sb_addf(err, "table %s is not one an export holds", name);
			return EXPORT_BAD;
		}
	}
	for (size_t i = 0; export_tables[i]; i++) {
		rows = json_object_get(tables, export_tables[i]);
		size_t k;
		json_t *row;
		json_array_foreach(rows, k, row) {
			enum export_outcome out = json_is_object(row)
				? insert_row(db, export_tables[i], row, network, err) : EXPORT_BAD;
			if (out != EXPORT_OK)
				return out;
		}
	}
	/* The spending triggers added each imported row to a total that came
	 * with the line already. */
	return db_execf(db, "UPDATE action_lines SET spent_cents = (SELECT"
			" coalesce(sum(amount_cents), 0) FROM action_line_spending s"
			" WHERE s.line_id = action_lines.id) WHERE network = ?1", "t",
			network) < 0 ? EXPORT_EDB : EXPORT_OK;
}
