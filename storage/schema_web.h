/* schema_web: the text of schema migration 38 (storage/schema.c lists it):
 * the secret links of the web board (web/). Kept here so that schema.c
 * stays small. Never edit a migration that has shipped. */
#ifndef WT_STORAGE_SCHEMA_WEB_H
#define WT_STORAGE_SCHEMA_WEB_H

/* 38: web_tokens (storage/web_tokens.h): a member's personal board link
 * (kind 'board') or calendar feed (kind 'ics'), per network. Only the
 * SHA-256 of the secret is stored; the row id is the token's public
 * selector. A link ends at expires_at (NULL: never, the feed) or when it
 * is revoked; at most one live link per (network, user, kind), which the
 * partial index finds for a revocation. */
#define SCHEMA_38_WEB_TOKENS \
	"CREATE TABLE web_tokens (" \
	"  id INTEGER PRIMARY KEY," \
	"  network TEXT NOT NULL," \
	"  user_id TEXT NOT NULL," \
	"  kind TEXT NOT NULL CHECK (kind IN ('board', 'ics'))," \
	"  hash BLOB NOT NULL," \
	"  with_actions INTEGER NOT NULL DEFAULT 0," \
	"  created_at INTEGER NOT NULL," \
	"  expires_at INTEGER," \
	"  revoked_at INTEGER" \
	");" \
	"CREATE INDEX web_tokens_live ON web_tokens(network, user_id, kind)" \
	"  WHERE revoked_at IS NULL;"

#endif
