/* auth_openid: the hook for the Element widget's OpenID session (MSC1960;
 * see auth.h): the session cookie web/widget.c gave after it verified the
 * viewer's token with the homeserver. */
#include "web/auth.h"
#include "web/widget.h"

int web_auth_openid(const struct web_env *env, const struct web_req *r,
		    const char *network, char **user_id)
{
	return widget_session_member(env, r, network, user_id);
}
