/* auth: the web board's gate (see auth.h). */
#include "web/auth.h"

#include <stdlib.h>
#include <string.h>

#include "storage/room_members.h"
#include "web/token.h"

int web_auth_is_member(const struct web_env *env, const char *network,
		       const char *user)
{
	return web_auth_member_now(env, network, user, 0);
}

int web_auth_member_now(const struct web_env *env, const char *network,
			const char *user, int need_list)
{
	for (char **a = env->cfg->admins; a && *a; a++)
		if (strcmp(*a, user) == 0)
			return WEB_AUTH_OK;
	int rc = room_members_access(env->db, network, NULL, user);
	if (rc < 0)
		return WEB_AUTH_FAILED;
	if (need_list)
		return rc == ROOM_ACCESS_YES ? WEB_AUTH_OK : WEB_AUTH_DENIED;
	return rc == ROOM_ACCESS_NO ? WEB_AUTH_DENIED : WEB_AUTH_OK;
}

/* The personal link: ?t= first (a fresh link beats an old cookie). */
static int auth_link(const struct web_env *env, const struct web_req *r,
		     const char *network, char **user_id)
{
	const char *t = web_query(r, "t");
	char *cookie = t ? NULL : web_cookie_dup(r->cookie, WEB_COOKIE);
	if (!t && !cookie)
		return WEB_AUTH_NONE;
	struct web_token_row row;
	int v = web_token_check(env->db, t ? t : cookie, WEB_TOKEN_BOARD, env->now, &row);
	free(cookie);
	if (v == WEB_TOKEN_FAILED)
		return WEB_AUTH_FAILED;
	if (v != WEB_TOKEN_VALID)
		return WEB_AUTH_DENIED;
	int rc = strcmp(row.network, network) != 0 ? WEB_AUTH_DENIED
		: web_auth_is_member(env, network, row.user_id);
	if (rc == WEB_AUTH_OK)
		*user_id = row.user_id, row.user_id = NULL;
	web_token_row_free(&row);
	return rc;
}

int web_auth_member(const struct web_env *env, const struct web_req *r,
		    const char *network, char **user_id)
{
	*user_id = NULL;
	int rc = auth_link(env, r, network, user_id);
	if (rc != WEB_AUTH_NONE)
		return rc;
	return web_auth_openid(env, r, network, user_id);
}
