/* Start-up of the Matrix session: token or login, whoami, the sync filter,
 * room aliases; see matrix_start in bot/matrix.h. */
#include "bot/matrix.h"
#include "bot/exit.h"
#include "bot/json_in.h"

#include <stdlib.h>
#include <string.h>

#include "bot/mx_error.h"
#include "bot/oauth.h"
#include "bot/refresh.h"
#include "bot/rooms.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"

#define REQUEST_TIMEOUT_MS 30000L

/* ---- start-up: requests run one after another on the loop ---- */

void mx_wait_cb(void *arg, long status, json_t *body)
{
	struct mx_wait *w = arg;
	w->done = 1;
	w->status = status;
	w->body = json_incref(body);
}

int mx_wait_run(struct matrix *m, struct mx_wait *w)
{
	while (!w->done && !m->stopping)
		uv_run(m->loop, UV_RUN_ONCE);
	return w->done ? 0 : -1;
}

/* Run one request to its final answer; -1 when the bot is stopping. */
static int call_wait(struct matrix *m, const char *method, const char *path,
		     const char *body, unsigned flags, struct mx_wait *w)
{
	memset(w, 0, sizeof *w);
	mx_request(m, method, path, body, REQUEST_TIMEOUT_MS, flags, mx_wait_cb, w);
	return mx_wait_run(m, w);
}

static const char *err_text(json_t *body)
{
	json_t *e = json_object_get(body, "error");
	return json_is_string(e) ? json_string_value(e) : "no reason given";
}

/* Register the sync filter once; reuse its id while the filter stays the
 * same. Falls back to sending the filter inline with each /sync. */
static void setup_filter(struct matrix *m)
{
	char *want = matrix_filter_json();
	char *have = db_kv_get(m->db, "sync.filter_json");
	char *id = db_kv_get(m->db, "sync.filter_id");
	char *user = db_kv_get(m->db, "sync.filter_user");
	struct strbuf owner = STRBUF_INIT;  /* a filter id is per user and server */
	sb_addf(&owner, "%s %s", m->base, m->user_id);
	if (id && have && user && strcmp(have, want) == 0
	    && strcmp(user, owner.buf) == 0) {
		m->filter_id = id;
		id = NULL;
	} else {
		struct strbuf path = STRBUF_INIT;
		char *u = mx_escape(m->user_id);
		sb_addf(&path, "/_matrix/client/v3/user/%s/filter", u);
		free(u);
		struct mx_wait w;
		if (call_wait(m, "POST", path.buf, want, 0, &w) == 0) {
			json_t *fid = json_object_get(w.body, "filter_id");
			if (w.status == 200 && json_is_string(fid)) {
				m->filter_id = xstrdup(json_string_value(fid));
				db_kv_set(m->db, "sync.filter_id", m->filter_id);
				db_kv_set(m->db, "sync.filter_json", want);
				db_kv_set(m->db, "sync.filter_user", owner.buf);
			} else {
				log_warn("cannot register the sync filter (HTTP %ld %s); "
					 "sending it with each sync", w.status,
					 mx_errcode(w.body));
			}
			json_decref(w.body);
		}
		sb_release(&path);
	}
	sb_release(&owner);
	free(want);
	free(have);
	free(id);
	free(user);
}

/* call_wait for a GET of path_fmt with id, escaped, in its one %s. */
static int get_wait(struct matrix *m, const char *path_fmt, const char *id,
		    struct mx_wait *w)
{
	struct strbuf path = STRBUF_INIT;
	char *e = mx_escape(id);
	sb_addf(&path, path_fmt, e);
	free(e);
	int rc = call_wait(m, "GET", path.buf, NULL, 0, w);
	sb_release(&path);
	return rc;
}

/* GET the m.room.canonical_alias of room_id, which the directory gave for
 * the configured alias, and settle whether it is the network's room. */
static void check_canonical(struct matrix *m, const char *alias, const char *room_id)
{
	struct mx_wait w;
	if (get_wait(m, "/_matrix/client/v3/rooms/%s/state/m.room.canonical_alias",
		     room_id, &w) == 0) {
		/* 404: the room has no canonical alias; 403: the bot is not in
		 * it after all (nothing to settle: an invite will be checked). */
		enum mx_err kind = mx_error_kind(w.status, w.body);
		if (kind == MX_ERR_NONE || kind == MX_ERR_NOT_FOUND)
			rooms_alias_checked(m->db, m->cfg, alias, room_id,
					    kind == MX_ERR_NONE && json_is_object(w.body)
					    ? w.body : NULL);
		else
			log_debug("%s: canonical alias not readable (HTTP %ld %s)",
				  room_id, w.status, mx_errcode(w.body));
		json_decref(w.body);
	}
}

/* Resolve the room aliases of the config through the homeserver's
 * directory: a room the bot is in already is checked against its canonical
 * alias (bot/rooms_verify.c), a move of a pinned alias is logged; then the
 * rooms table follows what is verified. */
static void resolve_aliases(struct matrix *m)
{
	const struct wt_config *cfg = m->cfg;
	for (size_t i = 0; i < cfg->nnetworks && !m->stopping; i++) {
		const struct wt_network *net = &cfg->networks[i];
		for (size_t j = 0; j < net->nrooms && !m->stopping; j++) {
			const char *alias = net->rooms[j];
			if (!alias || alias[0] != '#')
				continue;
			struct mx_wait w;
			if (get_wait(m, "/_matrix/client/v3/directory/room/%s", alias, &w) == 0) {
				json_t *rid = json_object_get(w.body, "room_id");
				const char *room = w.status == 200 && json_is_string(rid)
					? json_string_value(rid) : NULL;
				if (room)
					log_debug("%s is %s", alias, room);
				else
					log_warn("room alias %s: not found (HTTP %ld %s); no invite"
						 " makes a room the network's until the directory"
						 " gives it and the room's canonical alias names it",
						 alias, w.status, mx_errcode(w.body));
				if (rooms_alias_resolved(m->db, cfg, alias, room) == 1)
					check_canonical(m, alias, room);
				json_decref(w.body);
			}
		}
	}
	if (rooms_reconcile(m->db, cfg) < 0)
		log_warn("cannot bring the rooms table in line with the verified rooms");
}

/* The tokens stored for this user in the database, when there are. */
static void stored_tokens(struct matrix *m, struct mx_tokens *t)
{
	char *tu = db_kv_get(m->db, "matrix.token_user");
	if (tu && m->cfg->user_id && strcmp(tu, m->cfg->user_id) == 0) {
		t->access = db_kv_get(m->db, "matrix.access_token");
		t->refresh = db_kv_get(m->db, "matrix.refresh_token");
		t->token_endpoint = db_kv_get(m->db, "matrix.oauth_token_endpoint");
		t->client_id = db_kv_get(m->db, "matrix.oauth_client_id");
		char *exp = db_kv_get(m->db, "matrix.token_expires_ms");
		t->expires_ms = exp ? strtoll(exp, NULL, 10) : 0;
		free(exp);
	}
	free(tu);
}

/* Pick the tokens: the configured file, else those stored for this user;
 * a refreshable session gets its refresh timer (bot/refresh.h). */
static void load_token(struct matrix *m)
{
	const struct wt_config *cfg = m->cfg;
	char *dev = db_kv_get(m->db, "matrix.device_id");
	m->device_id = dev ? dev : cfg->device_id ? xstrdup(cfg->device_id) : NULL;
	struct mx_tokens t = { 0 };
	if (cfg->access_token_file
	    && mx_tokens_read(cfg->access_token_file, &t) == TOKENS_BAD)
		log_warn("%s: no token file (one line with an access token, or the "
			 "JSON werktafel writes); not used", cfg->access_token_file);
	if (!t.access) {
		mx_tokens_free(&t);
		stored_tokens(m, &t);
	}
	if (t.access)
		matrix_tokens_adopt(m, &t);
	mx_tokens_free(&t);
	log_secret_add(cfg->password);
}

/* A sync token belongs to one account on one server: when either changed
 * since the token was stored, start again from now (history skipped). */
static void check_sync_owner(struct matrix *m)
{
	struct strbuf owner = STRBUF_INIT;
	sb_addf(&owner, "%s %s", m->base, m->user_id);
	char *was = db_kv_get(m->db, "sync.owner");
	char *since = db_kv_get(m->db, "sync.next_batch");
	if (was && since && strcmp(was, owner.buf) != 0) {
		log_warn("the homeserver or account changed (was %s): sync starts "
			 "again from now", was);
		db_kv_del(m->db, "sync.next_batch");
	}
	db_kv_set(m->db, "sync.owner", owner.buf);
	sb_release(&owner);
	free(was);
	free(since);
}

/* What the server speaks, logged once; a server without /versions (or an
 * answer that is none) counts as speaking no v1.x feature. */
static int read_versions(struct matrix *m)
{
	struct mx_wait w;
	if (call_wait(m, "GET", "/_matrix/client/versions", NULL, MX_NOAUTH, &w) < 0)
		return -1;
	mx_versions_parse(mx_error_kind(w.status, w.body) == MX_ERR_NONE
			  ? w.body : NULL, &m->versions);
	struct strbuf d = STRBUF_INIT;
	mx_versions_describe(&m->versions, &d);
	if (mx_error_kind(w.status, w.body) == MX_ERR_NONE)
		log_info("the homeserver speaks %s", d.buf);
	else
		log_warn("cannot read the homeserver's versions (HTTP %ld %s); "
			 "assuming %s", w.status, mx_errcode(w.body), d.buf);
	sb_release(&d);
	json_decref(w.body);
	return 0;
}

/* What the homeserver offers to log in with (its login flows, an OAuth
 * 2.0 authorization server), logged once when what is configured fails. */
static void log_offer(struct matrix *m)
{
	struct mx_wait flows, meta;
	if (call_wait(m, "GET", "/_matrix/client/v3/login", NULL, MX_NOAUTH, &flows) < 0)
		return;
	if (call_wait(m, "GET", "/_matrix/client/v1/auth_metadata", NULL,
		      MX_NOAUTH, &meta) == 0) {
		const char *issuer = meta.status == 200
			? json_in_str(meta.body, "issuer") : NULL;
		struct strbuf d = STRBUF_INIT;
		oauth_describe_offer(flows.status == 200 ? flows.body : NULL, issuer, &d);
		log_error("the homeserver offers %s%s", d.buf, issuer
			  ? "; run `werktafel login --device --config FILE` to sign in there"
			  : "");
		sb_release(&d);
		json_decref(meta.body);
	}
	json_decref(flows.body);
}

int matrix_start(struct matrix *m)
{
	const struct wt_config *cfg = m->cfg;
	struct mx_wait w;
	if (read_versions(m) < 0)
		return m->exit_code;
	load_token(m);
	if (!m->token) {
		if (!cfg->password) {
			log_error("no access token (%s) and no password configured",
				  cfg->access_token_file ? cfg->access_token_file
				  : "[matrix] access_token_file");
			return WT_EXIT_CREDENTIALS;
		}
		char *body = matrix_login_body(m);
		int rc = call_wait(m, "POST", "/_matrix/client/v3/login", body,
				   MX_NOAUTH, &w);
		free(body);
		if (rc < 0)
			return m->exit_code;
		if (w.status != 200 || matrix_take_login(m, w.body) < 0) {
			if (mx_error_kind(w.status, w.body) != MX_ERR_FORBIDDEN)
				log_offer(m);  /* not a wrong password: a wrong way */
			matrix_login_refused(m, w.status, w.body);
			json_decref(w.body);
			return WT_EXIT_CREDENTIALS;
		}
		json_decref(w.body);
	}
	if (call_wait(m, "GET", "/_matrix/client/v3/account/whoami", NULL, 0, &w) < 0)
		return m->exit_code;
	json_t *uid = json_object_get(w.body, "user_id");
	json_t *dev = json_object_get(w.body, "device_id");
	if (w.status != 200 || !json_is_string(uid)) {
		log_error("whoami failed (HTTP %ld %s: %s)", w.status,
			  mx_errcode(w.body), err_text(w.body));
		json_decref(w.body);
		enum mx_err kind = mx_error_kind(w.status, w.body);
		return kind == MX_ERR_FORBIDDEN || kind == MX_ERR_UNKNOWN_TOKEN
			? WT_EXIT_CREDENTIALS : WT_EXIT_FATAL;
	}
	matrix_set_str(&m->user_id, json_string_value(uid));
	/* The handlers leave the bot out of the network's members by it
	 * (storage/attendance.h attendance_self_dup). */
	db_kv_set(m->db, "matrix.user_id", m->user_id);
	if (json_is_string(dev)) {
		matrix_set_str(&m->device_id, json_string_value(dev));
		db_kv_set(m->db, "matrix.device_id", m->device_id);
	}
	json_decref(w.body);
	if (cfg->user_id && strcmp(cfg->user_id, m->user_id) != 0) {
		log_error("the access token belongs to %s, but [matrix] user_id is %s",
			  m->user_id, cfg->user_id);
		return WT_EXIT_CREDENTIALS;
	}
	log_info("connected to %s as %s (device %s)", m->base, m->user_id,
		 m->device_id ? m->device_id : "?");
	if (cfg->access_token_file) {
		/* A configured token file that is missing gets the token in use. */
		struct mx_tokens in_file;
		if (mx_tokens_read(cfg->access_token_file, &in_file) == TOKENS_NONE)
			matrix_tokens_keep(m);
		mx_tokens_free(&in_file);
	}
	check_sync_owner(m);
	setup_filter(m);
	resolve_aliases(m);
	return m->stopping ? m->exit_code : 0;
}
