/* widget: the board inside Element (issue 22, item 2). The room widget
 * (handlers/board.h) opens /widget?room=...; that page (no data) runs
 * /widget.js, which gets the viewer's OpenID token from the client and
 * asks /widget/session with it; the bot verifies the token with the
 * homeserver (bot/openid.h), maps the user to a member of the room's
 * network (admin of the config, or joined to one of its rooms whose
 * member list is known: an unknown list lets nobody in here) and gives
 * a session: the cookie WIDGET_COOKIE (random 128 bits, HttpOnly,
 * WIDGET_SESSION_SECONDS; Secure, SameSite=None and Partitioned for the
 * iframe when public_url is https, else SameSite=Lax). The router's gate
 * (web/auth.h web_auth_openid) takes that cookie; membership is checked
 * again on every page.
 *
 * /widget/session answers JSON, never data: 202 {"pending":true} while
 * the homeserver is asked (the page asks again), 200 {"board":"n/NAME"}
 * with the cookie, 403 {"reason":"denied"} (malformed, forged, expired,
 * another server's token, no member), 429 {"reason":"limit"}, 503
 * {"reason":"failed"}, 404 for a room of no network. */
#ifndef WT_WEB_WIDGET_H
#define WT_WEB_WIDGET_H

#include <stddef.h>
#include <time.h>
#include <uv.h>

#include "bot/config.h"
#include "bot/openid.h"
#include "web/web.h"

#define WIDGET_COOKIE "wt_widget"
#define WIDGET_SESSION_SECONDS 3600
#define WIDGET_SESSIONS 1024   /* sessions kept; the oldest goes first */

struct widget_auth;

/* The widget's state for the web server: a verifier of its own (an HTTP
 * client on loop) that accepts tokens of the bot's own homeserver (the
 * server name of cfg's user_id, at cfg's homeserver URL). */
struct widget_auth *widget_auth_new(uv_loop_t *loop, const struct wt_config *cfg);
/* The same around a given verifier (taken; tests). */
struct widget_auth *widget_auth_with(struct openid_verifier *v);
void widget_auth_free(struct widget_auth *w);

/* Answer req when its path is the widget's (/widget, /widget.js,
 * /widget/session): 1 with resp filled, else 0. */
int web_widget_handle(const struct web_env *env, const struct web_req *req,
		      struct web_resp *resp);

/* The session of r's WIDGET_COOKIE for network: WEB_AUTH_OK with the
 * user (caller frees), WEB_AUTH_NONE without such a cookie, or
 * WEB_AUTH_DENIED / WEB_AUTH_FAILED (see web/auth.h). */
int widget_session_member(const struct web_env *env, const struct web_req *r,
			  const char *network, char **user_id);

/* The page's script (web/widget_js.c). */
extern const char web_widget_js[];

#endif
