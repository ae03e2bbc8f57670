/* oauth: the OAuth 2.0 device authorization grant (RFC 8628) for a
 * homeserver behind an authentication service (next-generation auth:
 * MSC2965 discovery, MSC2966 dynamic client registration, MSC2967 scopes;
 * spec v1.15), as `werktafel login --device` runs it (bot/cli_login.c).
 * The pure parts live here so they can be tested against recorded answers:
 * the server metadata, the device authorization answer, one poll of the
 * token endpoint, the scope and the request bodies. */
#ifndef WT_OAUTH_H
#define WT_OAUTH_H

#include <jansson.h>

#include "lib/strbuf.h"

#define OAUTH_DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

/* GET /_matrix/client/v1/auth_metadata (or the unstable MSC2965 path). */
struct oauth_meta {
	char *issuer;
	char *device_endpoint;        /* device_authorization_endpoint */
	char *token_endpoint;
	char *registration_endpoint;  /* NULL: no dynamic registration */
	int device_grant;             /* grant_types_supported names it (or omits the list) */
};
/* 0, or -1 when the answer lacks issuer or token_endpoint. */
int oauth_meta_parse(json_t *body, struct oauth_meta *m);
void oauth_meta_free(struct oauth_meta *m);

/* The device authorization answer (RFC 8628 section 3.2). */
struct oauth_device {
	char *device_code, *user_code;
	char *verification_uri, *verification_uri_complete;  /* the latter may be NULL */
	long interval_s;            /* 5 when the answer gives none */
	long long expires_at_ms;
};
/* 0, or -1 when a required field is missing. */
int oauth_device_parse(json_t *body, long long now_ms, struct oauth_device *d);
void oauth_device_free(struct oauth_device *d);

/* What one answer of the token endpoint to a device-code poll means
 * (RFC 8628 section 3.5). */
enum oauth_poll {
	OAUTH_POLL_DONE = 0,      /* 200 with an access token: stop polling */
	OAUTH_POLL_PENDING,       /* authorization_pending: ask again after interval */
	OAUTH_POLL_SLOW_DOWN,     /* slow_down: interval grows by 5 s, ask again */
	OAUTH_POLL_DENIED,        /* access_denied: the admin refused */
	OAUTH_POLL_EXPIRED,       /* expired_token, or past expires_in */
	OAUTH_POLL_FAILED,        /* any other error: stop */
};
/* Judge one answer; slow_down adds 5 s to d->interval_s. now_ms past the
 * code's expiry turns a pending answer into OAUTH_POLL_EXPIRED. */
enum oauth_poll oauth_poll_judge(long status, json_t *body, struct oauth_device *d,
				 long long now_ms);

/* The scope asked for: the client-server API and the device, each in its
 * stable (spec v1.15) and unstable MSC2967 form. Caller frees. */
char *oauth_scope(const char *device_id);
/* A new device id: 10 capital letters and digits. Caller frees. */
char *oauth_new_device_id(void);
/* The RFC 7591 client metadata of the bot (a native client using the
 * device grant and refresh tokens, no client secret). Caller frees. */
char *oauth_registration_body(const char *client_uri);
/* application/x-www-form-urlencoded bodies. Caller frees. */
char *oauth_device_request_body(const char *client_id, const char *scope);
char *oauth_poll_body(const char *client_id, const char *device_code);
/* The refresh_token grant (RFC 6749 section 6); client_id may be NULL. */
char *oauth_refresh_body(const char *client_id, const char *refresh_token);
/* What the homeserver offers to log in with, for a refusal: its login
 * flows (GET /_matrix/client/v3/login answer, or NULL) and whether it
 * names an authorization server (issuer or NULL). */
void oauth_describe_offer(json_t *login_flows, const char *issuer,
			  struct strbuf *out);

#endif
