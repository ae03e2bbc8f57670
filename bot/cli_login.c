/* werktafel login --device: the OAuth 2.0 device authorization grant for
 * a homeserver behind an authentication service (bot/oauth.h): discover
 * the issuer, register the client (or take --client-id), ask for a device
 * code with the Matrix scopes, print the URL and code for an admin to
 * approve, poll the token endpoint, check the account with whoami and keep
 * the tokens (bot/refresh.h: database and token file, mode 0600). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/cli.h"
#include "bot/exit.h"
#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/mx_error.h"
#include "bot/oauth.h"
#include "bot/refresh.h"
#include "lib/log.h"

#define LOGIN_TIMEOUT_MS 30000L
#define CLIENT_URI_DEFAULT "https://werktafel.invalid/"

struct login {
	struct cli *c;
	struct matrix m;
	struct oauth_meta meta;
	char *client_id;
	char *device_id;
};

/* One request to its final answer: path is a homeserver path, or a whole
 * URL with MX_ABSOLUTE; form bodies with a content type. */
static int ask(struct login *l, const char *method, const char *path,
	       const char *ctype, const char *body, unsigned flags, struct mx_wait *w)
{
	memset(w, 0, sizeof *w);
	mx_request_typed(&l->m, method, path, ctype, body, LOGIN_TIMEOUT_MS,
			 flags | MX_NOAUTH, mx_wait_cb, w);
	return mx_wait_run(&l->m, w);
}

static void refused(struct login *l, const char *what, struct mx_wait *w)
{
	const char *e = json_in_str(w->body, "error_description");
	if (!e)
		e = json_in_str(w->body, "error");
	if (!e)
		e = mx_errcode(w->body);
	fprintf(stderr, msg_text(l->c->lang, M_CLI_LOGIN_REFUSED), what, w->status, e);
}

/* The authorization server from the homeserver (stable path, then the
 * unstable MSC2965 one); on none, say what the server offers. */
static int discover(struct login *l)
{
	static const char *const paths[] = {
		"/_matrix/client/v1/auth_metadata",
		"/_matrix/client/unstable/org.matrix.msc2965/auth_metadata",
	};
	for (size_t i = 0; i < 2; i++) {
		struct mx_wait w;
		if (ask(l, "GET", paths[i], NULL, NULL, 0, &w) < 0)
			return WT_EXIT_FATAL;
		int ok = w.status == 200 && oauth_meta_parse(w.body, &l->meta) == 0;
		json_decref(w.body);
		if (ok)
			return WT_EXIT_OK;
	}
	struct mx_wait w;
	if (ask(l, "GET", "/_matrix/client/v3/login", NULL, NULL, 0, &w) < 0)
		return WT_EXIT_FATAL;
	struct strbuf d = STRBUF_INIT;
	oauth_describe_offer(w.status == 200 ? w.body : NULL, NULL, &d);
	fprintf(stderr, msg_text(l->c->lang, M_CLI_LOGIN_NO_OAUTH), l->m.base, d.buf);
	sb_release(&d);
	json_decref(w.body);
	return WT_EXIT_CREDENTIALS;
}

/* The client id: --client-id, else dynamic registration (RFC 7591). */
static int client(struct login *l)
{
	if (l->c->client_id) {
		l->client_id = xstrdup(l->c->client_id);
		return WT_EXIT_OK;
	}
	if (!l->meta.registration_endpoint) {
		fprintf(stderr, msg_text(l->c->lang, M_CLI_LOGIN_NO_REGISTRATION),
			l->meta.issuer);
		return WT_EXIT_CREDENTIALS;
	}
	char *body = oauth_registration_body(l->c->client_uri ? l->c->client_uri
					     : CLIENT_URI_DEFAULT);
	struct mx_wait w;
	int rc = ask(l, "POST", l->meta.registration_endpoint, NULL, body,
		     MX_ABSOLUTE, &w);
	free(body);
	if (rc < 0)
		return WT_EXIT_FATAL;
	const char *id = json_in_str(w.body, "client_id");
	if ((w.status == 200 || w.status == 201) && id)
		l->client_id = xstrdup(id);
	else
		refused(l, l->meta.registration_endpoint, &w);
	json_decref(w.body);
	return l->client_id ? WT_EXIT_OK : WT_EXIT_CREDENTIALS;
}

/* Poll the token endpoint until the device is approved, refused or the
 * code expires; *answer gets the token answer (decref it). */
static int poll_tokens(struct login *l, struct oauth_device *d, json_t **answer)
{
	char *body = oauth_poll_body(l->client_id, d->device_code);
	int rc = WT_EXIT_CREDENTIALS;
	for (;;) {
		sleep((unsigned)d->interval_s);
		struct mx_wait w;
		if (ask(l, "POST", l->meta.token_endpoint,
			"application/x-www-form-urlencoded", body, MX_ABSOLUTE, &w) < 0) {
			rc = WT_EXIT_FATAL;
			break;
		}
		enum oauth_poll p = oauth_poll_judge(w.status, w.body, d, mx_now_ms());
		if (p == OAUTH_POLL_PENDING || p == OAUTH_POLL_SLOW_DOWN) {
			json_decref(w.body);
			continue;
		}
		if (p == OAUTH_POLL_DONE) {
			*answer = w.body;
			rc = WT_EXIT_OK;
		} else {
			if (p == OAUTH_POLL_DENIED)
				fputs(msg_text(l->c->lang, M_CLI_LOGIN_DENIED), stderr);
			else if (p == OAUTH_POLL_EXPIRED)
				fputs(msg_text(l->c->lang, M_CLI_LOGIN_EXPIRED), stderr);
			else
				refused(l, l->meta.token_endpoint, &w);
			json_decref(w.body);
		}
		break;
	}
	free(body);
	return rc;
}

/* Ask for a device code, show it, wait for the approval. */
static int device_grant(struct login *l, json_t **answer)
{
	l->device_id = oauth_new_device_id();
	char *scope = oauth_scope(l->device_id);
	char *body = oauth_device_request_body(l->client_id, scope);
	free(scope);
	struct mx_wait w;
	int rc = ask(l, "POST", l->meta.device_endpoint,
		     "application/x-www-form-urlencoded", body, MX_ABSOLUTE, &w);
	free(body);
	if (rc < 0)
		return WT_EXIT_FATAL;
	struct oauth_device d;
	if (w.status != 200 || oauth_device_parse(w.body, mx_now_ms(), &d) < 0) {
		refused(l, l->meta.device_endpoint, &w);
		json_decref(w.body);
		return WT_EXIT_CREDENTIALS;
	}
	json_decref(w.body);
	printf(msg_text(l->c->lang, M_CLI_LOGIN_VISIT), d.verification_uri,
	       d.user_code, l->c->cfg.user_id,
	       (long)((d.expires_at_ms - mx_now_ms()) / 60000));
	if (d.verification_uri_complete)
		printf(msg_text(l->c->lang, M_CLI_LOGIN_VISIT_COMPLETE),
		       d.verification_uri_complete);
	fflush(stdout);
	rc = poll_tokens(l, &d, answer);
	oauth_device_free(&d);
	return rc;
}

/* Take the tokens, check whose they are, keep them. */
static int keep(struct login *l, json_t *answer)
{
	struct matrix *m = &l->m;
	struct mx_tokens t = { .device_id = xstrdup(l->device_id),
			       .token_endpoint = xstrdup(l->meta.token_endpoint),
			       .client_id = xstrdup(l->client_id) };
	mx_tokens_from_answer(answer, mx_now_ms(), &t);
	matrix_tokens_adopt(m, &t);
	struct mx_wait w = { 0 };
	mx_request(m, "GET", "/_matrix/client/v3/account/whoami", NULL,
		   LOGIN_TIMEOUT_MS, 0, mx_wait_cb, &w);
	if (mx_wait_run(m, &w) < 0)
		return WT_EXIT_FATAL;
	const char *uid = json_in_str(w.body, "user_id");
	int rc = WT_EXIT_OK;
	if (w.status != 200 || !uid) {
		refused(l, "whoami", &w);
		rc = WT_EXIT_CREDENTIALS;
	} else if (strcmp(uid, l->c->cfg.user_id) != 0) {
		fprintf(stderr, msg_text(l->c->lang, M_CLI_LOGIN_WRONG_USER), uid,
			l->c->cfg.user_id);
		rc = WT_EXIT_CREDENTIALS;
	} else {
		matrix_tokens_keep(m);
		printf(msg_text(l->c->lang, M_CLI_LOGIN_DONE), uid, m->device_id,
		       l->c->cfg.access_token_file);
	}
	json_decref(w.body);
	return rc;
}

static int run_login(struct login *l)
{
	int rc = discover(l);
	if (rc == WT_EXIT_OK && !l->meta.device_grant) {
		fprintf(stderr, msg_text(l->c->lang, M_CLI_LOGIN_NO_DEVICE_GRANT),
			l->meta.issuer);
		rc = WT_EXIT_CREDENTIALS;
	}
	if (rc == WT_EXIT_OK)
		rc = client(l);
	json_t *answer = NULL;
	if (rc == WT_EXIT_OK)
		rc = device_grant(l, &answer);
	if (rc == WT_EXIT_OK)
		rc = keep(l, answer);
	json_decref(answer);
	return rc;
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int cli_login_main(int argc, char **argv, enum wt_lang lang)
{
	struct cli c;
	int rc = cli_start(&c, argc, argv, lang, M_CLI_LOGIN_USAGE);
	if (rc == WT_EXIT_OK && (!c.device || c.nargs != 0 || !c.have_cfg)) {
		fputs(msg_text(c.lang, M_CLI_LOGIN_USAGE), stderr);
		rc = WT_EXIT_USAGE;
	}
	if (rc == WT_EXIT_OK && !c.cfg.access_token_file) {
		fputs(msg_text(c.lang, M_CLI_LOGIN_NO_FILE), stderr);
		rc = WT_EXIT_USAGE;
	}
	if (rc != WT_EXIT_OK) {
		cli_end(&c);
		return rc;
	}
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct login l = { .c = &c };
	if (matrix_init(&l.m, &loop, c.db, &c.cfg) < 0) {
		rc = WT_EXIT_FATAL;
	} else {
		rc = run_login(&l);
		matrix_free(&l.m);
	}
	oauth_meta_free(&l.meta);
	free(l.client_id);
	free(l.device_id);
	uv_walk(&loop, close_any, NULL);
	for (int i = 0; i < 10 && uv_run(&loop, UV_RUN_DEFAULT) != 0; i++)
		;
	uv_loop_close(&loop);
	cli_end(&c);
	return rc;
}
