/* openid: who looks at the board inside Element. The widget asks its
 * client for an OpenID token (widget API action get_openid, MSC1960),
 * the page posts it to the bot, and the bot asks the homeserver that
 * issued it who it belongs to: GET /_matrix/federation/v1/openid/userinfo
 * ?access_token=... on that server, asynchronously on the bot's loop
 * (bot/http.h; the sync never waits for it).
 *
 * Only homeservers the config allows are asked (the bot's own, whose base
 * URL the config has: no server name from the request ever becomes a URL
 * of its own, so the verification cannot be made to fetch anything else).
 * The user id the server gives must belong to that server. Verified
 * tokens are kept a short while (OPENID_CACHE_SECONDS at most, never past
 * the token's own expiry) so a reload asks the homeserver once; attempts
 * are limited per client (a token bucket by its address) and in all
 * (OPENID_MAX_IN_FLIGHT). Whether the user is a member of a network is
 * the caller's question (storage/room_members.h room_members_access). */
#ifndef WT_OPENID_H
#define WT_OPENID_H

#include <stddef.h>
#include <stdint.h>

#include "bot/http.h"

/* The outcomes, named; OPENID_OK is 0, every refusal negative. */
enum openid_result {
	OPENID_OK = 0,
	OPENID_E_MALFORMED = -1,   /* no JSON object, no or a bad token field */
	OPENID_E_SERVER = -2,      /* matrix_server_name not one the config allows */
	OPENID_E_INVALID = -3,     /* the homeserver does not know the token */
	OPENID_E_UNREACHABLE = -4, /* no answer, a timeout, a 5xx */
	OPENID_E_ANSWER = -5,      /* an answer without a user id of that server */
	OPENID_E_LIMIT = -6,       /* too many attempts: try again later */
	OPENID_E_NOT_MEMBER = -7,  /* verified, but no member (the caller's check) */
};

/* A homeserver whose tokens are accepted: its server name (the part of
 * its user ids after ':') and the base URL it is reached at. */
struct openid_server {
	const char *name;
	const char *base;
};

/* The token as the widget got it (the body the page posts: the widget
 * API's answer, {"access_token", "token_type", "matrix_server_name",
 * "expires_in"}). */
struct openid_token {
	char *access_token;
	char *server_name;
	long expires_in;  /* seconds; 0 when absent */
};

/* openid_check: the question to the homeserver is under way; ask again. */
#define OPENID_PENDING 1

/* Limits. */
#define OPENID_TOKEN_MAX 512      /* longest access_token accepted */
#define OPENID_CACHE_SECONDS 300  /* a verified token is kept this long at most */
#define OPENID_CACHE_SIZE 128     /* tokens kept */
#define OPENID_MAX_IN_FLIGHT 16   /* questions to homeservers at once */
#define OPENID_BURST 10           /* attempts one client may make at once */
#define OPENID_REFILL_MS 6000     /* and one more every this long */
#define OPENID_TIMEOUT_MS 10000   /* one question to a homeserver */
#define OPENID_REFUSED_MS 60000   /* a refused token is refused again this long */
#define OPENID_RETRY_MS 5000      /* an unreachable homeserver is asked again after */

/* Read the posted body (len bytes) into tok: OPENID_OK, or
 * OPENID_E_MALFORMED (tok then empty). token_type, when given, must be
 * "Bearer"; the token is printable ASCII without blanks, at most
 * OPENID_TOKEN_MAX; the server name a host name or address with an
 * optional port. Free with openid_token_free. */
int openid_token_parse(const char *body, size_t len, struct openid_token *tok);
void openid_token_free(struct openid_token *tok);
/* The same checks for a token given field by field (a Bearer header and
 * query parameters): OPENID_OK (tok filled, copies) or OPENID_E_MALFORMED. */
int openid_token_from(struct openid_token *tok, const char *access_token,
		      const char *server_name, long expires_in);

/* The allowed server named name (host names compared case-insensitively),
 * or NULL. */
const struct openid_server *openid_server_find(const struct openid_server *v, size_t n,
					       const char *name);

/* The userinfo URL of base for token, the token escaped (caller frees). */
char *openid_userinfo_url(const char *base, const char *token);

/* The homeserver's answer (status, body) for a token of server_name: the
 * user id in *user (caller frees) and OPENID_OK, or OPENID_E_INVALID (a
 * 401/403/404), OPENID_E_UNREACHABLE (status 0, 5xx, 429), or
 * OPENID_E_ANSWER (no "sub", not a user id, or one of another server). */
int openid_userinfo_parse(long status, const char *body, size_t len,
			  const char *server_name, char **user);

/* A short English word for a result, for the log. */
const char *openid_result_name(int result);

/* The verifier: the allowed servers (copied), the cache and the limits. */
struct openid_verifier;
typedef struct http_req *(*openid_send_fn)(struct http *h, const char *method,
					   const char *url, const char *bearer,
					   const char *json_body, long timeout_ms,
					   http_cb cb, void *arg);
struct openid_verifier *openid_verifier_new(struct http *http,
					    const struct openid_server *servers,
					    size_t nservers);
/* Cancel every question (their callbacks are not called) and free. */
void openid_verifier_free(struct openid_verifier *v);
/* Tests: a fake HTTP layer instead of http_request (NULL: bot/http.c). */
void openid_verifier_set_send(struct openid_verifier *v, openid_send_fn send,
			      void (*cancel)(struct http_req *r));

/* The answer of a verification: result and, for OPENID_OK, the user id
 * (valid during the call). */
typedef void (*openid_cb)(void *arg, int result, const char *user);
struct openid_job;
/* Verify tok for the client client (its address, for the limit) at
 * now_ms (a monotonic clock in ms). A refusal found at once (malformed,
 * server, limit) or a token in the cache is answered before this returns,
 * and NULL is returned; otherwise the job, whose callback comes later,
 * once, unless it is cancelled. */
struct openid_job *openid_verify(struct openid_verifier *v, const struct openid_token *tok,
				 const char *client, uint64_t now_ms, openid_cb cb, void *arg);
/* The same for a caller that cannot wait (a web request answered at
 * once, web/widget.c): OPENID_OK with the user in *user (caller frees),
 * a refusal, or OPENID_PENDING while the homeserver is being asked (the
 * first call starts the question; the page asks again shortly and then
 * finds the answer kept). */
int openid_check(struct openid_verifier *v, const struct openid_token *tok,
		 const char *client, uint64_t now_ms, char **user);

/* Forget a job (the page's connection closed): its callback never comes. */
void openid_cancel(struct openid_verifier *v, struct openid_job *job);

#endif
