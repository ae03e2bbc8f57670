/* web_tokens: the secret links of the web board (migration 38,
 * storage/schema_web.h): a member's personal board link and calendar feed.
 *
 * Only the SHA-256 of a token's secret is stored (web/token.h makes and
 * checks tokens); the row id is the token's public selector, so a lookup
 * is by primary key and the secret is compared in constant time by the
 * caller. A row is live while revoked_at is NULL and expires_at is NULL
 * or in the future. */
#ifndef WT_STORAGE_WEB_TOKENS_H
#define WT_STORAGE_WEB_TOKENS_H

#include <sqlite3.h>
#include <time.h>

#define WEB_TOKEN_HASH_LEN 32

enum web_token_kind { WEB_TOKEN_BOARD = 0, WEB_TOKEN_ICS = 1 };

/* Outcomes of the lookups. */
enum { WEB_TOKEN_EDB = -1, WEB_TOKEN_NONE = 0, WEB_TOKEN_FOUND = 1 };

struct web_token_row {
	long long id;
	char *network;
	char *user_id;
	enum web_token_kind kind;
	unsigned char hash[WEB_TOKEN_HASH_LEN];
	int with_actions;        /* ics: the member's own actions too */
	time_t created_at;
	time_t expires_at;       /* 0: never */
	time_t revoked_at;       /* 0: not revoked */
};

/* Store a new token's hash; its row id in *id. 0 or WEB_TOKEN_EDB. */
int web_tokens_insert(sqlite3 *db, const char *network, const char *user,
		      enum web_token_kind kind,
		      const unsigned char hash[WEB_TOKEN_HASH_LEN], int with_actions,
		      time_t now, time_t expires_at, long long *id);
/* Revoke the live tokens of (network, user, kind) at now: how many were
 * revoked (0: none was live), or WEB_TOKEN_EDB. */
int web_tokens_revoke(sqlite3 *db, const char *network, const char *user,
		      enum web_token_kind kind, time_t now);
/* The row id, revoked or expired ones too (the caller tells them apart):
 * WEB_TOKEN_FOUND, WEB_TOKEN_NONE or WEB_TOKEN_EDB. */
int web_tokens_get(sqlite3 *db, long long id, struct web_token_row *out);
void web_token_row_free(struct web_token_row *r);

/* The number of rows this connection changed since it opened (the web
 * board's ETag: the bot writes through one connection). */
long long web_db_changes(sqlite3 *db);

#endif
