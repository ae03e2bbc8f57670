/* Keeping the access token alive; see bot/refresh.h. */
#include "bot/refresh.h"
#include "bot/exit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "bot/mx_error.h"
#include "bot/oauth.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"

#define REFRESH_TIMEOUT_MS 30000L

static void timer_closed(uv_handle_t *h)
{
	free(h);
}

static void on_timer(uv_timer_t *t)
{
	matrix_refresh(t->data);
}

/* (Re)arm the refresh timer for the token in m, or stop it. */
static void arm(struct matrix *m)
{
	long long d = m->refresh_token
		? mx_refresh_delay_ms(m->token_expires_ms, mx_now_ms()) : -1;
	if (d < 0) {
		if (m->refresh_timer)
			uv_timer_stop(m->refresh_timer);
		return;
	}
	if (!m->refresh_timer) {
		m->refresh_timer = xmalloc(sizeof *m->refresh_timer);
		uv_timer_init(m->loop, m->refresh_timer);
		m->refresh_timer->data = m;
	}
	uv_timer_start(m->refresh_timer, on_timer, (uint64_t)d, 0);
	log_debug("the access token is refreshed in %lld s", d / 1000);
}

void matrix_refresh_free(struct matrix *m)
{
	if (m->refresh_timer) {
		uv_timer_stop(m->refresh_timer);
		uv_close((uv_handle_t *)m->refresh_timer, timer_closed);
		m->refresh_timer = NULL;
	}
}

int matrix_can_refresh(const struct matrix *m)
{
	return m->refresh_token != NULL;
}

/* kv key = v, or no such key when v is NULL. */
static void kv_put(struct matrix *m, const char *key, const char *v)
{
	if (v)
		db_kv_set(m->db, key, v);
	else
		db_kv_del(m->db, key);
}

void matrix_tokens_keep(struct matrix *m)
{
	char exp[32];
	snprintf(exp, sizeof exp, "%lld", m->token_expires_ms);
	kv_put(m, "matrix.access_token", m->token);
	kv_put(m, "matrix.token_user", m->cfg->user_id);
	if (m->device_id)
		db_kv_set(m->db, "matrix.device_id", m->device_id);
	kv_put(m, "matrix.refresh_token", m->refresh_token);
	kv_put(m, "matrix.token_expires_ms", m->token_expires_ms ? exp : NULL);
	kv_put(m, "matrix.oauth_token_endpoint", m->oauth_token_endpoint);
	kv_put(m, "matrix.oauth_client_id", m->oauth_client_id);
	if (m->cfg->access_token_file && m->token) {
		struct mx_tokens t = {
			.access = m->token, .refresh = m->refresh_token,
			.expires_ms = m->token_expires_ms, .device_id = m->device_id,
			.token_endpoint = m->oauth_token_endpoint,
			.client_id = m->oauth_client_id,
		};
		mx_tokens_write(m->cfg->access_token_file, &t);
	}
	arm(m);
}

void matrix_tokens_adopt(struct matrix *m, struct mx_tokens *t)
{
	free(m->token);
	free(m->refresh_token);
	free(m->oauth_token_endpoint);
	free(m->oauth_client_id);
	m->token = t->access;
	m->refresh_token = t->refresh;
	m->token_expires_ms = t->expires_ms;
	m->oauth_token_endpoint = t->token_endpoint;
	m->oauth_client_id = t->client_id;
	if (t->device_id && !m->device_id)
		m->device_id = t->device_id;
	else
		free(t->device_id);
	memset(t, 0, sizeof *t);
	log_secret_add(m->token);
	log_secret_add(m->refresh_token);
	arm(m);
}

static void refresh_refused(struct matrix *m, long status, json_t *body)
{
	const char *why = json_in_str(body, "error_description");
	if (!why)
		why = json_in_str(body, "error");
	log_error("the %s refused the refresh token (HTTP %ld %s: %s)",
		  m->oauth_token_endpoint ? "authorization server" : "homeserver",
		  status, mx_errcode(body), why ? why : "no reason given");
	free(m->refresh_token);
	m->refresh_token = NULL;
	m->token_expires_ms = 0;
	m->relogging = 0;
	matrix_tokens_keep(m);
	if (m->cfg->password) {
		log_info("logging in with the password instead");
		matrix_relogin(m);
		return;
	}
	log_error("no password is configured to log in with instead: run "
		  "`werktafel login --device --config FILE` again (a server behind "
		  "an authentication service), or set [matrix] password, or put a "
		  "new access token in %s; then start the bot again",
		  m->cfg->access_token_file ? m->cfg->access_token_file
		  : "[matrix] access_token_file");
	matrix_stop(m, WT_EXIT_CREDENTIALS);
}

static void on_refreshed(void *arg, long status, json_t *body)
{
	struct matrix *m = arg;
	struct mx_tokens t = { .refresh = m->refresh_token };
	m->refresh_token = NULL;
	if (status != 200 || mx_tokens_from_answer(body, mx_now_ms(), &t) < 0) {
		m->refresh_token = t.refresh;
		t.refresh = NULL;
		mx_tokens_free(&t);
		refresh_refused(m, status, body);
		return;
	}
	free(m->token);
	m->token = t.access;
	m->refresh_token = t.refresh;
	m->token_expires_ms = t.expires_ms;
	free(t.device_id);
	log_secret_add(m->token);
	log_secret_add(m->refresh_token);
	m->token_gen++;
	m->refreshed_at = time(NULL);
	matrix_tokens_keep(m);
	if (m->token_expires_ms)
		log_info("access token refreshed, valid for %lld s",
			 (m->token_expires_ms - mx_now_ms()) / 1000);
	else
		log_info("access token refreshed");
	m->relogging = 0;
	matrix_resend_parked(m);
}

void matrix_refresh(struct matrix *m)
{
	if (m->relogging || !m->refresh_token || m->stopping)
		return;
	log_debug("refreshing the access token");
	m->relogging = 1;  /* new requests wait for the new token */
	if (m->oauth_token_endpoint) {
		char *body = oauth_refresh_body(m->oauth_client_id, m->refresh_token);
		mx_request_typed(m, "POST", m->oauth_token_endpoint,
				 "application/x-www-form-urlencoded", body,
				 REFRESH_TIMEOUT_MS, MX_NOAUTH | MX_ABSOLUTE,
				 on_refreshed, m);
		free(body);
		return;
	}
	json_t *b = json_pack("{s:s}", "refresh_token", m->refresh_token);
	char *body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	mx_request(m, "POST", "/_matrix/client/v3/refresh", body,
		   REFRESH_TIMEOUT_MS, MX_NOAUTH, on_refreshed, m);
	free(body);
}
