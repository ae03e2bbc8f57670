/* web_tokens: the secret links of the web board (see web_tokens.h). */
#include "storage/web_tokens.h"

#include <stdlib.h>
#include <string.h>

#include "storage/db.h"

static const char *const kind_names[] = { "board", "ics" };

int web_tokens_insert(sqlite3 *db, const char *network, const char *user,
		      enum web_token_kind kind,
		      const unsigned char hash[WEB_TOKEN_HASH_LEN], int with_actions,
		      time_t now, time_t expires_at, long long *id)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO web_tokens(network, user_id,"
				      " kind, hash, with_actions, created_at, expires_at)"
				      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return WEB_TOKEN_EDB;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, hash, WEB_TOKEN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, with_actions ? 1 : 0);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	if (expires_at)
		sqlite3_bind_int64(st, 7, (sqlite3_int64)expires_at);
	else
		sqlite3_bind_null(st, 7);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return WEB_TOKEN_EDB;
	*id = (long long)sqlite3_last_insert_rowid(db);
	return 0;
}

int web_tokens_revoke(sqlite3 *db, const char *network, const char *user,
		      enum web_token_kind kind, time_t now)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE web_tokens SET revoked_at = ?4"
				      " WHERE network = ?1 AND user_id = ?2 AND kind = ?3"
				      " AND revoked_at IS NULL");
	if (!st)
		return WEB_TOKEN_EDB;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	int rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? sqlite3_changes(db) : WEB_TOKEN_EDB;
}

/* Fill out from the current row of st (id, network, user, kind, hash, ...). */
static int read_row(sqlite3_stmt *st, struct web_token_row *out)
{
	const void *h = sqlite3_column_blob(st, 4);
	if (sqlite3_column_bytes(st, 4) != WEB_TOKEN_HASH_LEN || !h)
		return WEB_TOKEN_NONE;
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	out->network = db_col_dup(st, 1);
	out->user_id = db_col_dup(st, 2);
	const char *k = (const char *)sqlite3_column_text(st, 3);
	out->kind = k && strcmp(k, "ics") == 0 ? WEB_TOKEN_ICS : WEB_TOKEN_BOARD;
	memcpy(out->hash, h, WEB_TOKEN_HASH_LEN);
	out->with_actions = sqlite3_column_int(st, 5);
	out->created_at = (time_t)sqlite3_column_int64(st, 6);
	out->expires_at = (time_t)sqlite3_column_int64(st, 7);
	out->revoked_at = (time_t)sqlite3_column_int64(st, 8);
	return WEB_TOKEN_FOUND;
}

int web_tokens_get(sqlite3 *db, long long id, struct web_token_row *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, network, user_id, kind, hash,"
				      " with_actions, created_at, expires_at, revoked_at"
				      " FROM web_tokens WHERE id = ?1");
	if (!st)
		return WEB_TOKEN_EDB;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
	int rc = sqlite3_step(st);
	int out_rc = rc == SQLITE_ROW ? read_row(st, out)
		: rc == SQLITE_DONE ? WEB_TOKEN_NONE : WEB_TOKEN_EDB;
	db_done(st);
	return out_rc;
}

void web_token_row_free(struct web_token_row *r)
{
	if (!r)
		return;
	free(r->network);
	free(r->user_id);
	r->network = r->user_id = NULL;
}

long long web_db_changes(sqlite3 *db)
{
	return (long long)sqlite3_total_changes64(db);
}
