/* token: making and checking the web board's secret links (token.h). */
#include "web/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "lib/strbuf.h"

/* SHA-256 of the secret's bytes; 0 or -1. */
static int hash_secret(const unsigned char *secret, size_t n,
		       unsigned char out[WEB_TOKEN_HASH_LEN])
{
	unsigned int len = 0;
	return EVP_Digest(secret, n, out, &len, EVP_sha256(), NULL) == 1 &&
	       len == WEB_TOKEN_HASH_LEN ? 0 : -1;
}

int web_token_issue(sqlite3 *db, const char *network, const char *user,
		    enum web_token_kind kind, int with_actions, time_t now,
		    long ttl, char **token)
{
	unsigned char secret[WEB_TOKEN_SECRET_BYTES], hash[WEB_TOKEN_HASH_LEN];
	*token = NULL;
	if (getrandom(secret, sizeof secret, 0) != (ssize_t)sizeof secret ||
	    hash_secret(secret, sizeof secret, hash) < 0)
		return WEB_TOKEN_FAILED;
	long long id = 0;
	if (web_tokens_revoke(db, network, user, kind, now) < 0 ||
	    web_tokens_insert(db, network, user, kind, hash, with_actions, now,
			      ttl > 0 ? now + ttl : 0, &id) < 0)
		return WEB_TOKEN_FAILED;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%lld.", id);
	for (size_t i = 0; i < sizeof secret; i++)
		sb_addf(&sb, "%02x", secret[i]);
	*token = sb_detach(&sb);
	return WEB_TOKEN_VALID;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "<id>.<32 lower-case hex digits>" into id and the secret's bytes. */
static int parse_token(const char *t, long long *id,
		       unsigned char secret[WEB_TOKEN_SECRET_BYTES])
{
	long long v = 0;
	const char *p = t;
	if (*p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (1LL << 50))
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p++ != '.' || strlen(p) != 2 * WEB_TOKEN_SECRET_BYTES)
		return -1;
	for (size_t i = 0; i < WEB_TOKEN_SECRET_BYTES; i++) {
		int hi = hexval(p[2 * i]), lo = hexval(p[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		secret[i] = (unsigned char)(hi << 4 | lo);
	}
	*id = v;
	return 0;
}

int web_token_check(sqlite3 *db, const char *token, enum web_token_kind kind,
		    time_t now, struct web_token_row *row)
{
	unsigned char secret[WEB_TOKEN_SECRET_BYTES], hash[WEB_TOKEN_HASH_LEN];
	long long id;
	memset(row, 0, sizeof *row);
	if (!token || parse_token(token, &id, secret) < 0)
		return WEB_TOKEN_UNKNOWN;
	if (hash_secret(secret, sizeof secret, hash) < 0)
		return WEB_TOKEN_FAILED;
	int rc = web_tokens_get(db, id, row);
	if (rc == WEB_TOKEN_EDB)
		return WEB_TOKEN_FAILED;
	if (rc != WEB_TOKEN_FOUND)
		return WEB_TOKEN_UNKNOWN;
	int verdict = CRYPTO_memcmp(hash, row->hash, WEB_TOKEN_HASH_LEN) != 0
		? WEB_TOKEN_UNKNOWN
		: row->kind != kind ? WEB_TOKEN_WRONG_KIND
		: row->revoked_at ? WEB_TOKEN_REVOKED
		: row->expires_at && row->expires_at <= now ? WEB_TOKEN_EXPIRED
		: WEB_TOKEN_VALID;
	if (verdict != WEB_TOKEN_VALID)
		web_token_row_free(row);
	return verdict;
}
