#include "tests/unit/fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lib/strbuf.h"
#include "storage/db.h"

/* Append the rows of one table, ordered by all its columns. */
static void dump_table(sqlite3 *db, const char *name, struct strbuf *sb)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "SELECT * FROM \"%s\"", name);
	sqlite3_stmt *st = db_prepare(db, sql.buf);
	assert_non_null(st);
	int ncol = sqlite3_column_count(st);
	sqlite3_finalize(st);
	sb_add(&sql, " ORDER BY ");
	for (int c = 1; c <= ncol; c++)
		sb_addf(&sql, c > 1 ? ", %d" : "%d", c);
	st = db_prepare(db, sql.buf);
	assert_non_null(st);
	sb_addf(sb, "[%s]\n", name);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < ncol; c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			sb_addf(sb, "%s|", t ? (const char *)t : "NULL");
		}
		sb_addc(sb, '\n');
	}
	sqlite3_finalize(st);
	sb_release(&sql);
}

char *fx_snapshot(sqlite3 *db, const char *skip_table)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
				      " AND name NOT LIKE 'sqlite_%' ORDER BY name");
	assert_non_null(st);
	struct strbuf sb = STRBUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!skip_table || strcmp(name, skip_table) != 0)
			dump_table(db, name, &sb);
	}
	sqlite3_finalize(st);
	return sb_detach(&sb);
}

void fx_assert_same(const char *before, const char *after)
{
	const char *a = before, *b = after, *table = "?";
	size_t table_len = 1;
	while (*a || *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la) != 0)
			fail_msg("the database changed in %.*s:\n  before: %.*s\n  after:  %.*s",
				 (int)table_len, table, (int)la, a, (int)lb, b);
		if (*a == '[') {
			table = a;
			table_len = la;
		}
		a += la + (ea != NULL);
		b += lb + (eb != NULL);
	}
}

long long fx_count(sqlite3 *db, const char *table)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "SELECT count(*) FROM \"%s\"", table);
	sqlite3_stmt *st = db_prepare(db, sql.buf);
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sb_release(&sql);
	return n;
}
