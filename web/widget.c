/* widget: the widget's page, script and session (web/widget.h). */
#include "web/widget.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "bot/matrix.h"
#include "handlers/catalog.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/pages.h"

struct session {
	char id[2 * 16 + 1];  /* 128 random bits in hex; "" when free */
	char *user;
	char *network;
	time_t until;
};

struct widget_auth {
	struct http *http;  /* the verifier's, when widget_auth_new made it */
	struct openid_verifier *v;
	struct session sessions[WIDGET_SESSIONS];
};

struct widget_auth *widget_auth_with(struct openid_verifier *v)
{
	struct widget_auth *w = xcalloc(1, sizeof *w);
	w->v = v;
	return w;
}

struct widget_auth *widget_auth_new(uv_loop_t *loop, const struct wt_config *cfg)
{
	const char *colon = cfg->user_id ? strchr(cfg->user_id, ':') : NULL;
	if (!colon || !cfg->homeserver) {
		log_warn("web: the widget's sign-in is off (no user_id or homeserver in [matrix])");
		return NULL;
	}
	struct http *http = http_new(loop);
	if (!http)
		return NULL;
	struct openid_server own = { colon + 1, cfg->homeserver };
	struct widget_auth *w = widget_auth_with(openid_verifier_new(http, &own, 1));
	w->http = http;
	return w;
}

void widget_auth_free(struct widget_auth *w)
{
	if (!w)
		return;
	openid_verifier_free(w->v);  /* before its HTTP client */
	if (w->http)
		http_free(w->http);
	for (size_t i = 0; i < WIDGET_SESSIONS; i++) {
		free(w->sessions[i].user);
		free(w->sessions[i].network);
	}
	free(w);
}

/* ---- sessions ---- */

/* A new session for user in network: its id, or NULL (no randomness). */
static const char *session_new(struct widget_auth *w, const char *user,
			       const char *network, time_t now)
{
	unsigned char rnd[16];
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		return NULL;
	struct session *s = &w->sessions[0];
	for (size_t i = 0; i < WIDGET_SESSIONS; i++)
		if (w->sessions[i].until < s->until)
			s = &w->sessions[i];
	free(s->user);
	free(s->network);
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(s->id + 2 * i, 3, "%02x", rnd[i]);
	s->user = xstrdup(user);
	s->network = xstrdup(network);
	s->until = now + WIDGET_SESSION_SECONDS;
	return s->id;
}

/* The live session with id, or NULL. */
static const struct session *session_find(const struct widget_auth *w, const char *id,
					  time_t now)
{
	const struct session *found = NULL;
	for (size_t i = 0; i < WIDGET_SESSIONS; i++) {
		const struct session *s = &w->sessions[i];
		if (s->id[0] && s->until > now && secret_equal(s->id, id))
			found = s;
	}
	return found;
}

int widget_session_member(const struct web_env *env, const struct web_req *r,
			  const char *network, char **user_id)
{
	*user_id = NULL;
	struct widget_auth *w = env->state ? env->state->widget : NULL;
	char *id = w ? web_cookie_dup(r->cookie, WIDGET_COOKIE) : NULL;
	if (!id)
		return WEB_AUTH_NONE;
	const struct session *s = session_find(w, id, env->now);
	free(id);
	if (!s || strcmp(s->network, network) != 0)
		return WEB_AUTH_DENIED;
	int rc = web_auth_member_now(env, network, s->user, 1);
	if (rc == WEB_AUTH_OK)
		*user_id = xstrdup(s->user);
	return rc;
}

/* ---- the answers ---- */

static void json_answer(struct web_resp *resp, int status, const char *key,
			const char *value)
{
	resp->status = status;
	resp->content_type = "application/json";
	resp->no_store = 1;
	resp->etag[0] = '\0';
	resp->last_modified = 0;
	sb_reset(&resp->body);
	json_t *j = strcmp(key, "pending") == 0 ? json_pack("{s:b}", key, 1)
		: json_pack("{s:s}", key, value);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	sb_add(&resp->body, text ? text : "{}");
	free(text);
	json_decref(j);
}

/* The session cookie for id: Secure, SameSite=None and Partitioned (the
 * iframe in Element is another site) when the public URL is https. */
static void set_cookie(const struct web_env *env, struct web_resp *resp, const char *id)
{
	const char *url = env->cfg ? env->cfg->web_public_url : NULL;
	int https = url && strncmp(url, "https://", 8) == 0;
	sb_reset(&resp->set_cookie);
	sb_addf(&resp->set_cookie, "%s=%s; Path=/; Max-Age=%d; HttpOnly; %s", WIDGET_COOKIE, id,
		WIDGET_SESSION_SECONDS,
		https ? "Secure; SameSite=None; Partitioned" : "SameSite=Lax");
}

/* The Bearer token of r, or NULL. */
static const char *bearer(const struct web_req *r)
{
	const char *a = r->authorization;
	if (!a || strncasecmp(a, "Bearer ", 7) != 0)
		return NULL;
	a += 7;
	while (*a == ' ')
		a++;
	return a;
}

/* GET /widget/session: verify the token, then the member; see widget.h. */
static void session_answer(const struct web_env *env, const struct web_req *req,
			   struct web_resp *resp)
{
	struct widget_auth *w = env->state ? env->state->widget : NULL;
	const char *room = web_query(req, "room");
	const struct wt_network *net = room && env->cfg ? config_network_for_room(env->cfg, room)
		: NULL;
	if (!net || !w) {
		json_answer(resp, 404, "reason", "room");
		return;
	}
	const char *exp = web_query(req, "expires");
	struct openid_token tok;
	int rc = openid_token_from(&tok, bearer(req), web_query(req, "server"),
				   exp ? strtol(exp, NULL, 10) : 0);
	char *user = NULL;
	if (rc == OPENID_OK)
		rc = openid_check(w->v, &tok, "", (uint64_t)env->now * 1000, &user);
	openid_token_free(&tok);
	if (rc == OPENID_OK && web_auth_member_now(env, net->name, user, 1) != WEB_AUTH_OK)
		rc = OPENID_E_NOT_MEMBER;
	const char *id = rc == OPENID_OK ? session_new(w, user, net->name, env->now) : NULL;
	if (rc == OPENID_PENDING) {
		json_answer(resp, 202, "pending", NULL);
	} else if (id) {
		struct strbuf board = STRBUF_INIT;
		char *name = mx_escape(net->name);
		sb_addf(&board, "n/%s", name);
		free(name);
		json_answer(resp, 200, "board", board.buf);
		set_cookie(env, resp, id);
		sb_release(&board);
		log_info("web: %s signed in to the board of %s through the widget", user,
			 net->name);
	} else {
		int status = rc == OPENID_E_LIMIT ? 429 : rc == OPENID_E_UNREACHABLE ? 503
			: rc == OPENID_OK ? 500 : 403;
		json_answer(resp, status, "reason", rc == OPENID_E_LIMIT ? "limit"
			    : rc == OPENID_E_UNREACHABLE || rc == OPENID_OK ? "failed" : "denied");
		if (rc != OPENID_OK)
			log_info("web: widget sign-in refused: %s", openid_result_name(rc));
	}
	free(user);
}

/* GET /widget: a page without data; its texts for each state of the
 * script as data- attributes (the script shows one of them). */
static void page_answer(const struct web_env *env, const struct web_req *req,
			struct web_resp *resp)
{
	const char *room = web_query(req, "room");
	const struct wt_network *net = room && env->cfg ? config_network_for_room(env->cfg, room)
		: NULL;
	enum wt_lang lang = net ? net->lang : env->cfg ? env->cfg->lang : LANG_NL;
	resp->no_store = 1;
	struct strbuf *b = &resp->body;
	html_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<title>%s</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n"
		  "<script src=\"widget.js\" defer></script>\n</head>\n<body>\n<main>\n",
		  lang == LANG_EN ? "en" : "nl", msg_text(lang, M_WIDGET_TITLE));
	html_addf(b, "<p id=\"status\" data-waiting=\"%s\" data-confirm=\"%s\" data-blocked=\"%s\""
		  " data-denied=\"%s\" data-failed=\"%s\" data-limit=\"%s\" data-outside=\"%s\">"
		  "%s</p>\n</main>\n</body>\n</html>\n",
		  msg_text(lang, M_WIDGET_WAITING), msg_text(lang, M_WIDGET_CONFIRM),
		  msg_text(lang, M_WIDGET_BLOCKED), msg_text(lang, M_WIDGET_DENIED),
		  msg_text(lang, M_WIDGET_FAILED), msg_text(lang, M_WIDGET_LIMIT),
		  msg_text(lang, M_WIDGET_OUTSIDE), msg_text(lang, M_WIDGET_WAITING));
}

int web_widget_handle(const struct web_env *env, const struct web_req *req,
		      struct web_resp *resp)
{
	const char *path = req->path ? req->path : "";
	if (strcmp(path, "/widget.js") == 0) {
		resp->content_type = "text/javascript; charset=utf-8";
		sb_add(&resp->body, web_widget_js);
	} else if (strcmp(path, "/widget") == 0) {
		page_answer(env, req, resp);
	} else if (strcmp(path, "/widget/session") == 0) {
		session_answer(env, req, resp);
	} else {
		return 0;
	}
	return 1;
}
