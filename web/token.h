/* token: the secrets of the web board's links (storage/web_tokens.h).
 *
 * A token is "<id>.<secret>": the row id as selector and 128 random bits
 * (getrandom) as 32 hex digits. The database keeps only the SHA-256 of the
 * secret; a token offered is looked up by its id and its secret's hash
 * compared in constant time (CRYPTO_memcmp). A new token of a kind
 * revokes the member's earlier one of that kind. */
#ifndef WT_WEB_TOKEN_H
#define WT_WEB_TOKEN_H

#include <sqlite3.h>
#include <time.h>

#include "storage/web_tokens.h"

#define WEB_TOKEN_SECRET_BYTES 16
/* A personal board link lasts this long; a calendar feed until revoked. */
#define WEB_BOARD_LINK_TTL (30L * 24 * 3600)

/* What web_token_check found. */
enum web_token_verdict {
	WEB_TOKEN_VALID = 0,
	WEB_TOKEN_UNKNOWN = 1,   /* malformed, no such id, or a forged secret */
	WEB_TOKEN_EXPIRED = 2,
	WEB_TOKEN_REVOKED = 3,
	WEB_TOKEN_WRONG_KIND = 4,
	WEB_TOKEN_FAILED = -1,   /* database or randomness failure */
};

/* Make a token for user in network (revoking the live one of that kind),
 * valid until now + ttl (ttl 0: until revoked). *token gets the text to
 * put in the URL (caller frees). WEB_TOKEN_VALID or WEB_TOKEN_FAILED. */
int web_token_issue(sqlite3 *db, const char *network, const char *user,
		    enum web_token_kind kind, int with_actions, time_t now,
		    long ttl, char **token);

/* Check token for kind at now; on WEB_TOKEN_VALID *row holds its row
 * (free with web_token_row_free), otherwise nothing is kept. */
int web_token_check(sqlite3 *db, const char *token, enum web_token_kind kind,
		    time_t now, struct web_token_row *row);

#endif
