/* auth_openid: the hook for the Element widget's OpenID session (MSC1960;
 * see auth.h). Nothing here yet: every request without a personal link
 * is refused. */
#include "web/auth.h"

int web_auth_openid(const struct web_env *env, const struct web_req *r,
		    const char *network, char **user_id)
{
	(void)env;
	(void)r;
	(void)network;
	*user_id = NULL;
	return WEB_AUTH_NONE;
}
