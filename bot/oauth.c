/* The device authorization grant's parsing and bodies; see bot/oauth.h. */
#include "bot/oauth.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "bot/matrix.h"

static char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) > 0
		? xstrdup(json_string_value(v)) : NULL;
}

void oauth_meta_free(struct oauth_meta *m)
{
	free(m->issuer);
	free(m->device_endpoint);
	free(m->token_endpoint);
	free(m->registration_endpoint);
	memset(m, 0, sizeof *m);
}

int oauth_meta_parse(json_t *body, struct oauth_meta *m)
{
	memset(m, 0, sizeof *m);
	m->issuer = str_of(body, "issuer");
	m->device_endpoint = str_of(body, "device_authorization_endpoint");
	m->token_endpoint = str_of(body, "token_endpoint");
	m->registration_endpoint = str_of(body, "registration_endpoint");
	json_t *grants = json_object_get(body, "grant_types_supported");
	m->device_grant = m->device_endpoint != NULL;
	if (json_is_array(grants)) {
		m->device_grant = 0;
		size_t i;
		json_t *g;
		json_array_foreach(grants, i, g)
			if (json_is_string(g) && strcmp(json_string_value(g),
							OAUTH_DEVICE_GRANT) == 0)
				m->device_grant = m->device_endpoint != NULL;
	}
	if (!m->issuer || !m->token_endpoint) {
		oauth_meta_free(m);
		return -1;
	}
	return 0;
}

void oauth_device_free(struct oauth_device *d)
{
	free(d->device_code);
	free(d->user_code);
	free(d->verification_uri);
	free(d->verification_uri_complete);
	memset(d, 0, sizeof *d);
}

int oauth_device_parse(json_t *body, long long now_ms, struct oauth_device *d)
{
	memset(d, 0, sizeof *d);
	d->device_code = str_of(body, "device_code");
	d->user_code = str_of(body, "user_code");
	d->verification_uri = str_of(body, "verification_uri");
	d->verification_uri_complete = str_of(body, "verification_uri_complete");
	json_t *in = json_object_get(body, "interval");
	json_t *exp = json_object_get(body, "expires_in");
	d->interval_s = json_is_integer(in) && json_integer_value(in) > 0
		&& json_integer_value(in) < 3600 ? (long)json_integer_value(in) : 5;
	if (!d->device_code || !d->user_code || !d->verification_uri
	    || !json_is_integer(exp) || json_integer_value(exp) <= 0) {
		oauth_device_free(d);
		return -1;
	}
	d->expires_at_ms = now_ms + (long long)json_integer_value(exp) * 1000;
	return 0;
}

enum oauth_poll oauth_poll_judge(long status, json_t *body, struct oauth_device *d,
				 long long now_ms)
{
	const char *err = json_is_string(json_object_get(body, "error"))
		? json_string_value(json_object_get(body, "error")) : "";
	if (status == 200)
		return json_is_string(json_object_get(body, "access_token"))
			? OAUTH_POLL_DONE : OAUTH_POLL_FAILED;
	if (strcmp(err, "slow_down") == 0) {
		d->interval_s += 5;
		return now_ms >= d->expires_at_ms ? OAUTH_POLL_EXPIRED : OAUTH_POLL_SLOW_DOWN;
	}
	if (strcmp(err, "authorization_pending") == 0)
		return now_ms >= d->expires_at_ms ? OAUTH_POLL_EXPIRED : OAUTH_POLL_PENDING;
	if (strcmp(err, "access_denied") == 0)
		return OAUTH_POLL_DENIED;
	if (strcmp(err, "expired_token") == 0)
		return OAUTH_POLL_EXPIRED;
	return OAUTH_POLL_FAILED;
}

char *oauth_scope(const char *device_id)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "openid urn:matrix:client:api:* urn:matrix:client:device:%s "
		"urn:matrix:org.matrix.msc2967.client:api:* "
		"urn:matrix:org.matrix.msc2967.client:device:%s", device_id, device_id);
	return sb_detach(&sb);
}

char *oauth_new_device_id(void)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[10];
	if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
		for (size_t i = 0; i < sizeof rnd; i++)
			rnd[i] = (unsigned char)rand();
	char *id = xmalloc(sizeof rnd + 1);
	for (size_t i = 0; i < sizeof rnd; i++)
		id[i] = set[rnd[i] % (sizeof set - 1)];
	id[sizeof rnd] = '\0';
	return id;
}

char *oauth_registration_body(const char *client_uri)
{
	json_t *b = json_pack("{s:s,s:s,s:s,s:[ss],s:[],s:s}",
			      "client_name", "werktafel",
			      "client_uri", client_uri,
			      "application_type", "native",
			      "grant_types", OAUTH_DEVICE_GRANT, "refresh_token",
			      "response_types",
			      "token_endpoint_auth_method", "none");
	char *s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

static void form_pair(struct strbuf *sb, const char *key, const char *value)
{
	char *v = mx_escape(value);
	sb_addf(sb, "%s%s=%s", sb->len ? "&" : "", key, v);
	free(v);
}

char *oauth_device_request_body(const char *client_id, const char *scope)
{
	struct strbuf sb = STRBUF_INIT;
	form_pair(&sb, "client_id", client_id);
	form_pair(&sb, "scope", scope);
	return sb_detach(&sb);
}

char *oauth_poll_body(const char *client_id, const char *device_code)
{
	struct strbuf sb = STRBUF_INIT;
	form_pair(&sb, "grant_type", OAUTH_DEVICE_GRANT);
	form_pair(&sb, "device_code", device_code);
	form_pair(&sb, "client_id", client_id);
	return sb_detach(&sb);
}

char *oauth_refresh_body(const char *client_id, const char *refresh_token)
{
	struct strbuf sb = STRBUF_INIT;
	form_pair(&sb, "grant_type", "refresh_token");
	form_pair(&sb, "refresh_token", refresh_token);
	if (client_id)
		form_pair(&sb, "client_id", client_id);
	return sb_detach(&sb);
}

void oauth_describe_offer(json_t *login_flows, const char *issuer,
			  struct strbuf *out)
{
	size_t n = 0, i;
	json_t *f;
	sb_add(out, "login flows: ");
	json_array_foreach(json_object_get(login_flows, "flows"), i, f) {
		json_t *t = json_object_get(f, "type");
		if (json_is_string(t))
			sb_addf(out, "%s%s", n++ ? ", " : "", json_string_value(t));
	}
	if (!n)
		sb_add(out, "none");
	if (issuer)
		sb_addf(out, "; OAuth 2.0 authorization server %s", issuer);
	else
		sb_add(out, "; no OAuth 2.0 authorization server (auth_metadata)");
}
