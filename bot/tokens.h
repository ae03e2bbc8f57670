/* tokens: the bot's credentials at the homeserver as the token file keeps
 * them. A file of one line is a bare access token (written by hand, or by
 * a server that issues no refresh tokens); a JSON object holds what a
 * refreshable session needs:
 *   {"access_token": "...", "refresh_token": "...",
 *    "expires_at_ms": 1700000000000, "device_id": "...",
 *    "token_endpoint": "https://auth.example.org/oauth2/token",
 *    "client_id": "..."}
 * expires_at_ms is wall-clock time (ms since the epoch) so a restart knows
 * how long the token has left; token_endpoint and client_id are set for a
 * session from `werktafel login --device` (OAuth 2.0), which is refreshed
 * at the authorization server instead of the homeserver's /refresh.
 * The file is written atomically (a temporary file, fsync, rename) with
 * mode 0600: it is a password. */
#ifndef WT_TOKENS_H
#define WT_TOKENS_H

#include <jansson.h>

struct mx_tokens {
	char *access;
	char *refresh;          /* NULL: the server issued none */
	long long expires_ms;   /* when the access token dies; 0: unknown/never */
	char *device_id;        /* NULL: unknown */
	char *token_endpoint;   /* OAuth session: refresh there; NULL: /refresh */
	char *client_id;        /* OAuth client the tokens were issued to */
};

/* Outcomes of mx_tokens_parse and mx_tokens_read. */
enum mx_tokens_outcome {
	TOKENS_BAD = -1,    /* unreadable, several lines, JSON without access_token */
	TOKENS_NONE = 0,    /* no file, or an empty one */
	TOKENS_PLAIN = 1,   /* one line: a bare access token */
	TOKENS_JSON = 2,    /* the JSON form */
};

void mx_tokens_free(struct mx_tokens *t);
/* Parse the text of a token file into t (emptied first). */
enum mx_tokens_outcome mx_tokens_parse(const char *text, struct mx_tokens *t);
/* Read the token file at path (mode tightened to 0600 first). */
enum mx_tokens_outcome mx_tokens_read(const char *path, struct mx_tokens *t);
/* Write t atomically, mode 0600: the bare-token form when t has nothing
 * but an access token, else the JSON form. 0, or -1 (logged). */
int mx_tokens_write(const char *path, const struct mx_tokens *t);
/* Take the tokens of a login, /refresh or OAuth token answer into t:
 * access_token (required), refresh_token, and expires_in_ms (Matrix) or
 * expires_in (OAuth, seconds) counted from now_ms. Fields the answer
 * lacks are left as they were (a /refresh answer without refresh_token
 * keeps the old one). 0, or -1 when there is no access token. */
int mx_tokens_from_answer(json_t *body, long long now_ms, struct mx_tokens *t);
/* How long to wait before refreshing a token that dies at expires_ms:
 * a fifth of the time left before it, at most 60 s early; 0 when it is
 * (nearly) dead; -1 when it never expires. */
long long mx_refresh_delay_ms(long long expires_ms, long long now_ms);
/* Wall-clock time in ms since the epoch. */
long long mx_now_ms(void);

#endif
