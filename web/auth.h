/* auth: the one gate of the web board. Every page with data passes it;
 * nothing is read for a request it does not let through.
 *
 * Today it takes a member's personal link (web/token.h): the token in
 * ?t= or in the cookie the first visit set. The hook web_auth_openid
 * (web/auth_openid.c) is where an OpenID session of the Element widget
 * (MSC1960) comes in; it answers WEB_AUTH_NONE until that is built. */
#ifndef WT_WEB_AUTH_H
#define WT_WEB_AUTH_H

#include "web/web.h"

#define WEB_COOKIE "wt_bord"

enum web_auth {
	WEB_AUTH_OK = 0,       /* a verified member of the network */
	WEB_AUTH_NONE = 1,     /* no credential at all: 403 */
	WEB_AUTH_DENIED = 2,   /* unknown, forged, expired, revoked, another
				* network's, or no longer a member: 404 */
	WEB_AUTH_FAILED = -1,  /* the database failed: 500 */
};

/* Whether request r comes from a member of network: WEB_AUTH_OK with the
 * member's user id in *user_id (caller frees), else one of the others and
 * *user_id NULL. */
int web_auth_member(const struct web_env *env, const struct web_req *r,
		    const char *network, char **user_id);

/* The OpenID hook (web/auth_openid.c): the same contract as
 * web_auth_member for a session that is no personal link; WEB_AUTH_NONE
 * when r carries none. */
int web_auth_openid(const struct web_env *env, const struct web_req *r,
		    const char *network, char **user_id);

/* Whether user may see network's data now: an admin of the config, or a
 * joined member of one of its rooms (when no member list is known yet,
 * the link the bot gave a member is trusted). WEB_AUTH_OK, _DENIED or
 * _FAILED. */
int web_auth_is_member(const struct web_env *env, const char *network,
		       const char *user);
/* The same, and with need_list set stricter (the widget's sign-in): a
 * member only when joined to a room of network whose member list the bot
 * knows. */
int web_auth_member_now(const struct web_env *env, const char *network,
			const char *user, int need_list);

#endif
