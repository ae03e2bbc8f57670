/* matrix: the client-server API (v3) session of the bot: identity (login or
 * access token, whoami, sync filter, room aliases) and authenticated
 * requests with retries.
 *
 * Every request retries by itself on transport errors, timeouts, 5xx and
 * 429 (waiting retry_after_ms / Retry-After, else exponential backoff with
 * jitter up to 60 s) and logs one line per change of the homeserver's state,
 * not per try. A dead token (errcode M_UNKNOWN_TOKEN or M_MISSING_TOKEN
 * whatever the status, a 401 without errcode; bot/mx_error.h) parks the
 * request, refreshes the token when the session has a refresh token and
 * the answer says soft_logout (bot/refresh.h), else logs in again with the
 * password (or stops the bot with exit code 3 when there is none), and
 * then sends it again. Callbacks see only final answers: 2xx or another 4xx
 * (with MX_UNSURE also the answers whose outcome is unknown, see there).
 */
#ifndef WT_MATRIX_H
#define WT_MATRIX_H

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>
#include <uv.h>

#include "bot/config.h"
#include "bot/http.h"
#include "bot/tokens.h"
#include "bot/versions.h"

struct mx_req;
struct members_fetch;

struct matrix {
	uv_loop_t *loop;
	struct http *http;
	sqlite3 *db;
	const struct wt_config *cfg;
	char *base;          /* homeserver URL without trailing '/' */
	char *token;
	/* A refreshable session (bot/refresh.h): the refresh token (NULL:
	 * none), when the access token dies (ms since the epoch, 0: unknown),
	 * the OAuth token endpoint and client of a `login --device` session
	 * (NULL: refreshed at the homeserver's /refresh), the timer. */
	char *refresh_token;
	long long token_expires_ms;
	char *oauth_token_endpoint, *oauth_client_id;
	uv_timer_t *refresh_timer;
	time_t refreshed_at;  /* time of the last refresh */
	char *user_id;       /* from whoami */
	char *device_id;
	char *filter_id;     /* NULL: the filter is sent inline */
	struct mx_versions versions;  /* what the server speaks (at start) */
	int unreachable;     /* the last try failed at transport level / 5xx */
	int rate_limited;
	int relogging;       /* a login or refresh runs: requests wait */
	unsigned token_gen;  /* counts logins in this run */
	time_t login_at;     /* time of the last login */
	int stopping;        /* the loop is being stopped */
	int exit_code;
	int room_action_busy;
	/* Room and member state of the session: what runs after a room is
	 * joined (bot/rooms.c rooms_run_actions), the one member-list fetch
	 * in flight (bot/members.c; freed by members_forget), and whether the
	 * text a reminder quotes is being fetched (bot/quote.c). */
	void (*joined_fn)(void *arg);
	void *joined_arg;
	struct members_fetch *members_inflight;
	int quote_busy;
	struct mx_req *reqs; /* every request not yet answered */
	/* Tests: a fake HTTP layer (NULL: bot/http.c) and quicker backoff
	 * (0: 1 s doubling up to 60 s). */
	struct http_req *(*send)(struct http *h, const char *method,
				 const char *url, const char *bearer,
				 const char *json_body, long timeout_ms,
				 http_cb cb, void *arg);
	void (*cancel)(struct http_req *r);
	long backoff_base_ms, backoff_max_ms;
};

/* Final answer of a request: status (2xx or 4xx) and the JSON body (NULL
 * when it was not JSON). body is borrowed: incref to keep it. */
typedef void (*mx_cb)(void *arg, long status, json_t *body);

enum {
	MX_NOAUTH = 1,   /* send no access token (login, versions) */
	MX_NORETRY = 2,  /* hand transport errors to the callback, status 0 */
	MX_ARRAY = 4,    /* a 2xx answer is a JSON array (GET .../state) */
	/* Not idempotent without the homeserver's memory (a send): an answer
	 * with an unknown outcome (no answer, a timeout, a 5xx, a 2xx that is
	 * no JSON) goes to the callback instead of a retry, so the caller can
	 * look whether the request took effect first. 429 and 401 (nothing
	 * was done) are still retried here. */
	MX_UNSURE = 8,
	MX_ABSOLUTE = 16, /* path is a whole URL (an OAuth token endpoint) */
};

int matrix_init(struct matrix *m, uv_loop_t *loop, sqlite3 *db,
		const struct wt_config *cfg);
/* Drop every request without calling back, free everything. */
void matrix_free(struct matrix *m);

/* Start a request; path starts with "/_matrix/" and has its ids escaped
 * already (mx_escape). json_body is copied. */
struct mx_req *mx_request(struct matrix *m, const char *method,
			  const char *path, const char *json_body,
			  long timeout_ms, unsigned flags, mx_cb cb, void *arg);

/* mx_request with a text body of another type (a media upload). */
struct mx_req *mx_request_typed(struct matrix *m, const char *method,
				const char *path, const char *content_type,
				const char *body, long timeout_ms, unsigned flags,
				mx_cb cb, void *arg);

/* mx_request_typed with a body of len bytes that may hold any byte (an
 * encrypted file's upload). */
struct mx_req *mx_request_bytes(struct matrix *m, const char *method,
				const char *path, const char *content_type,
				const char *data, size_t len, long timeout_ms,
				unsigned flags, mx_cb cb, void *arg);

/* A request run to its final answer while the loop turns, for start-up
 * work done one step after another (login, the bot's profile): start it
 * with mx_wait_cb and the mx_wait as its argument, then mx_wait_run.
 * body is the answer's (incref'd: decref it). */
struct mx_wait {
	int done;
	long status;
	json_t *body;
};
void mx_wait_cb(void *arg, long status, json_t *body);
/* Run the loop until w has its answer: 0, or -1 when the bot is stopping.
 * One iteration at a time is safe: bot/http.c never leaves the loop asleep
 * after a callback (see http_cb in bot/http.h). */
int mx_wait_run(struct matrix *m, struct mx_wait *w);

/* Read /versions (logged once), log in or take the stored/configured
 * token, check it with whoami,
 * register the sync filter once, resolve room aliases of the config. Runs
 * the loop until done. Returns 0, or the exit code (bot/exit.h:
 * WT_EXIT_CREDENTIALS, WT_EXIT_FATAL, WT_EXIT_OK when a signal stopped
 * it). */
int matrix_start(struct matrix *m);

/* Drop a request that is not answered yet, without calling its callback
 * (a long-poll made needless by another transport). */
void mx_cancel(struct mx_req *r);

/* mx_request whose callback argument is the request's own: when the
 * request is freed without its callback ever running (the bot stops with
 * it in flight, or mx_cancel), arg_free(arg) frees it. Once the callback
 * runs, the argument is the callback's. */
struct mx_req *mx_request_owned(struct matrix *m, const char *method, const char *path,
				const char *json_body, long timeout_ms, unsigned flags,
				mx_cb cb, void *arg, void (*arg_free)(void *));

/* The delay before try number tries+1 of a request: exponential backoff
 * with jitter (m->backoff_base_ms doubling up to m->backoff_max_ms). */
long mx_backoff_ms(const struct matrix *m, int tries);

/* Stop the loop with an exit code (first call wins). */
void matrix_stop(struct matrix *m, int exit_code);

/* Percent-encode s for one path segment or query value: everything but
 * A-Z a-z 0-9 - . _ ~ (so '!', ':', '#', '$', '/' and '@' are encoded). */
char *mx_escape(const char *s);

/* errcode of a Matrix error body, or "" */
const char *mx_errcode(json_t *body);

/* Parse a response body as a JSON object, repaired first where jansson
 * would refuse valid or harmless JSON (bot/json_in.h: NUL, lone
 * surrogates, bad UTF-8, extreme depth, huge numbers, a key twice) rather
 * than failing the whole response. NULL when it is no JSON object. */
json_t *mx_parse(const char *body, size_t len);

/* The sync filter the bot registers (caller frees). */
char *matrix_filter_json(void);

/* For bot/login.c (start-up) and the re-login in matrix.c. */
/* Keep a fresh login's token and device id (db, token file); 0 or -1. */
int matrix_take_login(struct matrix *m, json_t *body);
/* The m.login.password request body (caller frees). */
char *matrix_login_body(struct matrix *m);
/* Log why the login failed and stop with exit code 3. */
void matrix_login_refused(struct matrix *m, long status, json_t *body);
/* The token was refused: log in again with the password, or stop with
 * exit code 3 when there is none. */
void matrix_relogin(struct matrix *m);
/* Send again every request that waits for a new token. */
void matrix_resend_parked(struct matrix *m);
/* Replace *dst by a copy of v (NULL allowed). */
void matrix_set_str(char **dst, const char *v);

#endif
