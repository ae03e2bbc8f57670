/* e2ee_send: the machine's requests and the sealing of outbox rows (see
 * bot/e2ee.h). Work runs as jobs, one at a time, each sending batches of
 * requests through bot/matrix.c and giving the answers to the machine. */
#include <stdlib.h>
#include <string.h>

#include "bot/e2ee_int.h"
#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/message.h"
#include "bot/mx_error.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/outbox.h"
#include "storage/room_crypto.h"
#include "storage/room_members.h"

/* Rounds of requests a job may take before it gives up for now. */
#define MAX_ROUNDS 8
#define CRYPTO_TIMEOUT_MS 60000

struct look {
	struct e2ee *e;
	struct outbox_row *row;
	void (*cb)(void *, int);
	void *cb_arg;
	struct look *next;
};

static void unlink_look(struct e2ee *e, struct look *l)
{
	for (struct look **p = &e->looks; *p; p = &(*p)->next)
		if (*p == l) {
			*p = l->next;
			return;
		}
}

static void jobs_run(struct e2ee *e);
static void job_step(struct e2ee *e, struct job *j);

static void creq_free(struct creq *r)
{
	free(r->id);
	free(r->kind);
	free(r);
}

static void unlink_creq(struct e2ee *e, struct creq *r)
{
	for (struct creq **p = &e->inflight; *p; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			return;
		}
}

/* The answer to one request of the batch: a 2xx goes to the machine. */
static void on_answer(void *arg, long status, json_t *body)
{
	struct creq *r = arg;
	struct e2ee *e = r->e;
	unlink_creq(e, r);
	if (status >= 200 && status < 300) {
		char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
		if (wtc_mark_sent(e->c, r->id, r->kind, text ? text : "{}") < 0) {
			log_warn("crypto: the answer to %s %s was not taken: %s", r->kind,
				 r->id, wtc_last_error());
			e->batch_failed++;
		}
		free(text);
	} else {
		log_warn("crypto: %s request refused (HTTP %ld %s)", r->kind, status,
			 mx_errcode(body));
		e->batch_failed++;
	}
	creq_free(r);
	if (--e->batch_left == 0)
		e->batch_done(e, e->batch_failed);
}

/* Send every request of reqs (an array as wtc_outgoing_requests gives
 * them) at once; done(e, failures) when all are answered. 0 when some
 * went, -1 when reqs held none to send. */
static int send_batch(struct e2ee *e, json_t *reqs, void (*done)(struct e2ee *, int))
{
	size_t i;
	json_t *q;
	e->batch_failed = 0;
	e->batch_done = done;
	e->batch_left = 1;  /* held until every request is out */
	e->inflight_sent = 0;
	json_array_foreach(reqs, i, q) {
		const char *id = json_in_str(q, "id"), *kind = json_in_str(q, "kind");
		const char *method = json_in_str(q, "method"), *path = json_in_str(q, "path");
		if (!id || !kind || !method || !path || strncmp(path, "/_matrix/", 9) != 0)
			continue;
		struct creq *r = xcalloc(1, sizeof *r);
		r->e = e;
		r->id = xstrdup(id);
		r->kind = xstrdup(kind);
		r->next = e->inflight;
		e->inflight = r;
		e->batch_left++;
		e->inflight_sent++;
		json_t *body = json_object_get(q, "body");
		char *text = body ? json_dumps(body, JSON_COMPACT) : xstrdup("{}");
		log_debug("crypto: %s %s (%s)", method, path, kind);
		mx_request(e->m, method, path, text, CRYPTO_TIMEOUT_MS, 0, on_answer, r);
		free(text);
	}
	if (e->batch_left == 1 && !e->inflight_sent) {
		e->batch_left = 0;
		return -1;  /* nothing went: no answer will come */
	}
	if (--e->batch_left == 0)  /* every answer came already */
		e->batch_done(e, e->batch_failed);
	return 0;
}

/* ---- the job queue ---- */

void e2ee_job_add(struct e2ee *e, struct job *j)
{
	struct job **p = &e->jobs;
	while (*p)
		p = &(*p)->next;
	*p = j;
	jobs_run(e);
}

static void job_free(struct job *j)
{
	free(j->aux);
	json_decref(j->reqs);
	free(j->uia_session);
	free(j);
}

/* The running job is over: tell its caller, start the next. */
static void job_finish(struct e2ee *e, int rc)
{
	struct job *j = e->jobs;
	e->jobs = j->next;
	e->running = 0;
	if (j->kind == JOB_PUMP) {
		e->pump_queued = 0;
		if (rc < 0)
			e->news = 1;  /* ask again after the next sync */
	}
	void (*cb)(void *, int) = j->cb;
	void *cb_arg = j->cb_arg;
	job_free(j);
	if (cb)
		cb(cb_arg, rc);
	jobs_run(e);
}

static void jobs_run(struct e2ee *e)
{
	if (e->running || !e->jobs || e->m->stopping)
		return;
	e->running = 1;
	job_step(e, e->jobs);
}

void e2ee_jobs_free(struct e2ee *e)
{
	/* Their requests belong to struct matrix, which drops them unanswered. */
	while (e->inflight) {
		struct creq *r = e->inflight;
		e->inflight = r->next;
		creq_free(r);
	}
	while (e->jobs) {
		struct job *j = e->jobs;
		e->jobs = j->next;
		job_free(j);
	}
	while (e->looks) {
		struct look *l = e->looks;
		e->looks = l->next;
		free(l);
	}
}

/* A batch of the running job is answered: its next round, or its end. */
static void after_round(struct e2ee *e, int failed)
{
	struct job *j = e->jobs;
	if (failed || ++j->rounds >= MAX_ROUNDS) {
		if (j->kind != JOB_PUMP)
			log_warn("crypto: %s", failed ? "some requests failed; trying "
				 "again later" : "the room key is still not shared with "
				 "every device; trying again later");
		job_finish(e, -1);
		return;
	}
	job_step(e, j);
}

void e2ee_pump(struct e2ee *e)
{
	if (!e || !e->c || e->pump_queued)
		return;
	struct job *j = xcalloc(1, sizeof *j);
	j->kind = JOB_PUMP;
	e->pump_queued = 1;
	e->news = 0;
	e->pumps++;
	e2ee_job_add(e, j);
}

/* ---- sealing a row: members, room key, encryption ---- */

/* The recipients and settings of room_id's room key, as JSON texts. */
static int room_key_params(struct e2ee *e, const char *room_id, char **members,
			   char **settings)
{
	char *enc = NULL, *vis = NULL;
	*members = *settings = NULL;
	if (room_crypto_get(e->m->db, room_id, &enc, &vis) != ROOM_ENC_ON) {
		free(enc);
		free(vis);
		return -1;
	}
	json_error_t err;
	json_t *s = json_loads(enc, 0, &err);
	if (!json_is_object(s)) {
		json_decref(s);
		s = json_object();
	}
	const char *v = vis ? vis : "shared";
	json_object_set_new(s, "history_visibility", json_string(v));
	*settings = json_dumps(s, JSON_COMPACT);
	json_decref(s);
	*members = room_crypto_recipients(e->m->db, room_id, strcmp(v, "joined") != 0);
	free(enc);
	free(vis);
	return *members && *settings ? 0 : -1;
}

/* The members of a room (joined and invited), read once per run before
 * its first room key: the sync loads members lazily. */
struct members_read {
	struct e2ee *e;
	const char *room_id;
};

static void on_members(void *arg, long status, json_t *body)
{
	struct members_read *r = arg;
	struct e2ee *e = r->e;
	sqlite3 *db = e->m->db;
	size_t i;
	json_t *ev;
	if (status == 200) {
		json_array_foreach(json_object_get(body, "chunk"), i, ev) {
			const char *user = json_in_str(ev, "state_key");
			json_t *c = json_object_get(ev, "content");
			const char *mem = json_in_str(c, "membership");
			if (!user || !mem)
				continue;
			if (room_members_set(db, r->room_id, user, mem) == 0
			    && strcmp(mem, "join") == 0)
				room_members_set_name(db, r->room_id, user,
						      json_in_str(c, "displayname"));
		}
		json_object_set_new(e->fetched, r->room_id, json_true());
	} else {
		log_warn("%s: cannot read the members for the room key (HTTP %ld %s)",
			 r->room_id, status, mx_errcode(body));
	}
	e->jobs->aux = NULL;
	free(r);
	if (status == 200)
		job_step(e, e->jobs);
	else
		job_finish(e, -1);
}

static void read_members(struct e2ee *e, const char *room_id)
{
	struct members_read *r = xcalloc(1, sizeof *r);
	r->e = e;
	r->room_id = room_id;  /* the job's row's */
	e->jobs->aux = r;
	char *room = mx_escape(room_id);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/rooms/%s/members?not_membership=leave", room);
	mx_request(e->m, "GET", path.buf, NULL, CRYPTO_TIMEOUT_MS, 0, on_members, r);
	sb_release(&path);
	free(room);
}

/* The room key is with every device: encrypt the row's content and keep
 * the ciphertext in the outbox before its first try. */
static int encrypt_row(struct e2ee *e, struct outbox_row *row)
{
	char *content = message_with_outbox_id(row->content, row->txn_id);
	char *out = content ? wtc_encrypt(e->c, row->room_id, row->event_type,
					  content) : NULL;
	free(content);
	json_t *enc = e2ee_take_json(out, "encrypting a message");
	if (!json_is_object(enc)) {
		json_decref(enc);
		return -1;
	}
	/* The outbox id also in the clear, so a look-up finds the event. */
	json_object_set_new(enc, MESSAGE_OUTBOX_KEY, json_string(row->txn_id));
	char *text = json_dumps(enc, JSON_COMPACT);
	json_decref(enc);
	if (!text || outbox_set_sealed(e->m->db, row->id, text) < 0) {
		free(text);
		return -1;
	}
	free(row->content);
	row->content = text;
	free(row->event_type);
	row->event_type = xstrdup("m.room.encrypted");
	log_debug("message %lld to %s encrypted", row->id, row->room_id);
	return 0;
}

/* The encrypted file is uploaded: the message refers to it by "file"
 * (with its key) instead of "url", stored before the message goes. */
struct upload {
	struct e2ee *e;
	json_t *file;
};

static void on_uploaded(void *arg, long status, json_t *body)
{
	struct upload *u = arg;
	struct e2ee *e = u->e;
	struct outbox_row *row = e->jobs->row;
	const char *uri = json_in_str(body, "content_uri");
	json_error_t err;
	json_t *c = status == 200 && uri ? json_loads(row->content, 0, &err) : NULL;
	char *text = NULL;
	if (json_is_object(c)) {
		json_object_set_new(u->file, "url", json_string(uri));
		json_object_del(c, "url");
		json_object_set(c, "file", u->file);
		text = json_dumps(c, JSON_COMPACT);
	}
	json_decref(c);
	json_decref(u->file);
	e->jobs->aux = NULL;
	free(u);
	if (!text || outbox_set_uploaded(e->m->db, row->id, text) < 0) {
		log_warn("message %lld: the encrypted file was not uploaded (HTTP %ld %s)",
			 row->id, status, mx_errcode(body));
		free(text);
		job_finish(e, -1);
		return;
	}
	free(row->content);
	row->content = text;
	free(row->upload);
	row->upload = NULL;
	job_step(e, e->jobs);
}

/* Encrypt the row's file and upload the ciphertext. */
static int upload_encrypted(struct e2ee *e, struct outbox_row *row)
{
	unsigned char *cipher = NULL;
	size_t len = strlen(row->upload);
	json_t *file = e2ee_take_json(wtc_encrypt_attachment(
		(const unsigned char *)row->upload, len, &cipher), "encrypting a file");
	if (!json_is_object(file) || !cipher) {
		json_decref(file);
		wtc_free(cipher);
		return -1;
	}
	struct upload *u = xcalloc(1, sizeof *u);
	u->e = e;
	u->file = file;
	e->jobs->aux = u;
	char *name = mx_escape(row->upload_name ? row->upload_name : "werktafel.txt");
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/media/v3/upload?filename=%s", name);
	mx_request_bytes(e->m, "POST", path.buf, "application/octet-stream",
			 (const char *)cipher, len, CRYPTO_TIMEOUT_MS, 0, on_uploaded, u);
	sb_release(&path);
	free(name);
	wtc_free(cipher);
	return 0;
}

/* One step of sealing: the file, the members, the room key's requests
 * (until there are none), then the encryption. */
static void prepare_step(struct e2ee *e, struct job *j)
{
	struct outbox_row *row = j->row;
	if (row->upload) {
		if (upload_encrypted(e, row) < 0)
			job_finish(e, -1);
		return;
	}
	if (!json_object_get(e->fetched, row->room_id)) {
		read_members(e, row->room_id);
		return;
	}
	char *members, *settings;
	if (room_key_params(e, row->room_id, &members, &settings) < 0) {
		free(members);
		free(settings);
		job_finish(e, -1);
		return;
	}
	json_t *reqs = e2ee_take_json(wtc_prepare_room(e->c, row->room_id, members,
						       settings), "sharing the room key");
	free(members);
	free(settings);
	if (!json_is_array(reqs)) {
		json_decref(reqs);
		job_finish(e, -1);
		return;
	}
	int none = send_batch(e, reqs, after_round) < 0;
	json_decref(reqs);
	if (none)
		job_finish(e, encrypt_row(e, row));
}

/* The pump: whatever the machine wants sent, until it wants nothing. */
static void pump_step(struct e2ee *e, struct job *j)
{
	(void)j;
	json_t *reqs = e2ee_take_json(wtc_outgoing_requests(e->c), "reading its requests");
	int none = !json_is_array(reqs) || send_batch(e, reqs, after_round) < 0;
	json_decref(reqs);
	if (none)
		job_finish(e, 0);
}

static void xsign_step(struct e2ee *e, struct job *j);

static void job_step(struct e2ee *e, struct job *j)
{
	if (e->m->stopping)
		return;
	switch (j->kind) {
	case JOB_PUMP:
		pump_step(e, j);
		break;
	case JOB_PREPARE:
		prepare_step(e, j);
		break;
	case JOB_XSIGN:
		xsign_step(e, j);
		break;
	}
}

/* ---- the outbox's seal hook ---- */

/* The room's m.room.encryption state, asked for before its first send. */
static void on_looked(void *arg, long status, json_t *body)
{
	struct look *l = arg;
	sqlite3 *db = l->e->m->db;
	unlink_look(l->e, l);
	int rc = -1;
	if (status == 200 && json_in_str(body, "algorithm")) {
		char *text = json_dumps(body, JSON_COMPACT);
		rc = text ? room_crypto_set(db, l->row->room_id, text) : -1;
		free(text);
	} else if (mx_error_kind(status, body) == MX_ERR_NOT_FOUND) {
		/* No m.room.encryption (M_NOT_FOUND), not a 404 of a proxy
		 * that does not serve the endpoint (M_UNRECOGNIZED). */
		rc = room_crypto_set(db, l->row->room_id, NULL);
	} else {
		log_warn("%s: cannot read whether the room is encrypted (HTTP %ld %s); "
			 "its messages wait", l->row->room_id, status, mx_errcode(body));
	}
	if (rc < 0)
		l->cb(l->cb_arg, -1);
	else
		e2ee_seal(l->e, l->row, l->cb, l->cb_arg);
	free(l);
}

void e2ee_seal(void *arg, struct outbox_row *row, void (*cb)(void *, int),
	       void *cb_arg)
{
	struct e2ee *e = arg;
	int state = room_crypto_get(e->m->db, row->room_id, NULL, NULL);
	if (state == ROOM_ENC_OFF || (state == ROOM_ENC_ON
				      && strcmp(row->event_type, "m.room.encrypted") == 0)) {
		cb(cb_arg, 0);  /* plaintext room, or sealed before */
		return;
	}
	if (state < 0) {
		cb(cb_arg, -1);
		return;
	}
	if (state == ROOM_ENC_UNKNOWN) {
		struct look *l = xcalloc(1, sizeof *l);
		*l = (struct look){ e, row, cb, cb_arg, e->looks };
		e->looks = l;
		char *room = mx_escape(row->room_id);
		struct strbuf path = STRBUF_INIT;
		sb_addf(&path, "/_matrix/client/v3/rooms/%s/state/m.room.encryption", room);
		mx_request(e->m, "GET", path.buf, NULL, CRYPTO_TIMEOUT_MS, 0, on_looked, l);
		sb_release(&path);
		free(room);
		return;
	}
	if (!e->c) {
		if (!json_object_get(e->warned, row->room_id)) {
			log_warn("%s: the room is encrypted and end-to-end encryption is "
				 "not available (%s): its messages wait, none is sent in "
				 "plaintext", row->room_id, e->why_off ? e->why_off : "off");
			json_object_set_new(e->warned, row->room_id, json_true());
		}
		cb(cb_arg, -1);
		return;
	}
	struct job *j = xcalloc(1, sizeof *j);
	j->kind = JOB_PREPARE;
	j->row = row;
	j->cb = cb;
	j->cb_arg = cb_arg;
	e2ee_job_add(e, j);
}

/* ---- cross-signing ---- */

/* The answer to one bootstrap request, sent in order. */
static void on_xsign(void *arg, long status, json_t *body)
{
	struct e2ee *e = arg;
	struct job *j = e->jobs;
	json_t *q = json_array_get(j->reqs, 0);
	const char *kind = json_in_str(q, "kind");
	const char *session = json_in_str(body, "session");
	if (status == 401 && session && kind && !j->uia_session
	    && strcmp(kind, "signing_keys_upload") == 0 && e->m->cfg->password) {
		j->uia_session = xstrdup(session);  /* again, with the password */
		xsign_step(e, j);
		return;
	}
	if (status < 200 || status >= 300) {
		log_warn("crypto: cross-signing not set up: %s refused (HTTP %ld %s)",
			 kind ? kind : "?", status, mx_errcode(body));
		job_finish(e, -1);
		return;
	}
	if (kind && strcmp(kind, "signing_keys_upload") != 0) {
		char *text = json_dumps(body, JSON_COMPACT);
		const char *id = json_in_str(q, "id");
		if (id && wtc_mark_sent(e->c, id, kind, text ? text : "{}") < 0)
			log_warn("crypto: the answer to %s was not taken: %s", kind,
				 wtc_last_error());
		free(text);
	}
	json_array_remove(j->reqs, 0);
	if (!json_array_size(j->reqs))
		log_info("crypto: cross-signing set up; the bot's device is signed "
			 "by its account");
	xsign_step(e, j);
}

static void xsign_step(struct e2ee *e, struct job *j)
{
	if (!j->reqs) {
		json_t *st = e2ee_take_json(wtc_cross_signing_status(e->c),
					    "reading the cross-signing status");
		int have = json_is_true(json_object_get(st, "master"));
		json_decref(st);
		if (have) {
			job_finish(e, 0);
			return;
		}
		j->reqs = e2ee_take_json(wtc_bootstrap_cross_signing(e->c),
					 "creating the cross-signing keys");
		if (!json_is_array(j->reqs)) {
			job_finish(e, -1);
			return;
		}
	}
	json_t *q = json_array_get(j->reqs, 0);
	if (!q) {
		job_finish(e, 0);
		return;
	}
	const char *method = json_in_str(q, "method"), *path = json_in_str(q, "path");
	if (!method || !path) {
		job_finish(e, -1);
		return;
	}
	json_t *body = json_deep_copy(json_object_get(q, "body"));
	if (!json_is_object(body)) {
		json_decref(body);
		body = json_object();
	}
	if (j->uia_session)
		json_object_set_new(body, "auth", json_pack("{s:s,s:{s:s,s:s},s:s,s:s}",
			"type", "m.login.password", "identifier", "type", "m.id.user",
			"user", e->m->user_id, "password", e->m->cfg->password,
			"session", j->uia_session));
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	mx_request(e->m, method, path, text, CRYPTO_TIMEOUT_MS, 0, on_xsign, e);
	free(text);
}

void e2ee_bootstrap_cross_signing(struct e2ee *e)
{
	if (!e || !e->c || !e->m->cfg->password)
		return;
	struct job *j = xcalloc(1, sizeof *j);
	j->kind = JOB_XSIGN;
	e2ee_job_add(e, j);
}
