#include "bot/profile.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/matrix.h"
#include "bot/mx_error.h"
#include "lib/log.h"
#include "lib/utf8.h"
#include "storage/db.h"

#define PROFILE_TIMEOUT_MS 30000L
#define UPLOAD_TIMEOUT_MS 120000L

const char *profile_name_problem(const char *name)
{
	if (!*name)
		return "empty value";
	if (!utf8_valid(name, strlen(name)))
		return "not valid UTF-8";
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "it holds a control character";
	if (utf8_chars(name) > PROFILE_NAME_MAX)
		return "longer than 256 characters";
	return NULL;
}

const char *profile_image_type(const unsigned char *d, size_t n)
{
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return "image/jpeg";
	return NULL;
}

/* 1 when s is mxc://server/media-id (media id: letters, digits, - and _). */
static int mxc_ok(const char *s)
{
	if (strncmp(s, "mxc://", 6) != 0)
		return 0;
	const char *server = s + 6, *slash = strchr(server, '/');
	if (!slash || slash == server || !slash[1])
		return 0;
	for (const char *p = server; p < slash; p++)
		if ((unsigned char)*p <= ' ' || *p == '#' || *p == '?')
			return 0;
	for (const char *p = slash + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
		      || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* Read the avatar file (at most PROFILE_AVATAR_MAX bytes) into *data
 * (caller frees) and its type; -1 with why on failure. */
static int read_image(const char *path, char **data, size_t *len,
		      const char **type, struct strbuf *why)
{
	*data = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		sb_addf(why, "cannot read %s: %s; give a PNG or JPEG file or an "
			"mxc:// URI", path, strerror(errno));
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	int bad = sb_read_file(&sb, f, (size_t)PROFILE_AVATAR_MAX) < 0;
	fclose(f);
	if (bad)
		sb_addf(why, "cannot read %s; give a PNG or JPEG file or an mxc:// URI", path);
	else if (sb.len > (size_t)PROFILE_AVATAR_MAX)
		sb_addf(why, "%s is larger than 10 MiB; give a smaller PNG or JPEG", path);
	else if (!(*type = profile_image_type((const unsigned char *)sb.buf, sb.len)))
		sb_addf(why, "%s is no PNG or JPEG image; give a PNG or JPEG file or "
			"an mxc:// URI", path);
	if (why->len) {
		sb_release(&sb);
		return -1;
	}
	*len = sb.len;
	*data = sb_detach(&sb);
	return 0;
}

int profile_avatar_problem(const char *value, struct strbuf *why)
{
	if (!*value) {
		sb_add(why, "empty value; give a PNG or JPEG file or an mxc:// URI");
		return -1;
	}
	if (strncmp(value, "mxc://", 6) == 0) {
		if (mxc_ok(value))
			return 0;
		sb_addf(why, "\"%s\" is no mxc:// URI; write mxc://server/media-id", value);
		return -1;
	}
	char *data;
	size_t len;
	const char *type;
	if (read_image(value, &data, &len, &type, why) < 0)
		return -1;
	free(data);
	return 0;
}

/* ---- at start: requests one after another ---- */


/* One request without retries (a failure waits for the next start). */
static int call(struct matrix *m, const char *method, const char *path,
		const char *json, struct mx_wait *w)
{
	memset(w, 0, sizeof *w);
	mx_request(m, method, path, json, PROFILE_TIMEOUT_MS, MX_NORETRY, mx_wait_cb, w);
	return mx_wait_run(m, w);
}

/* FNV-1a of data: with the size, what tells a changed avatar file. */
static uint64_t fnv1a(const char *data, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)data[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The mxc:// URI of the configured avatar (caller frees), uploading the
 * file when the kept URI is not of this file as it is now; NULL when it
 * cannot be had (logged). */
static char *avatar_uri(struct matrix *m, int *stopping)
{
	const char *path = m->cfg->avatar;
	if (strncmp(path, "mxc://", 6) == 0)
		return xstrdup(path);
	char *data;
	size_t len;
	const char *type;
	struct strbuf why = STRBUF_INIT, src = STRBUF_INIT, up = STRBUF_INIT;
	if (read_image(path, &data, &len, &type, &why) < 0) {
		log_warn("avatar: %s; the avatar is left as it is", why.buf);
		sb_release(&why);
		return NULL;
	}
	sb_release(&why);
	sb_addf(&src, "%s %zu %016llx", path, len, (unsigned long long)fnv1a(data, len));
	char *kept_src = db_kv_get(m->db, "profile.avatar_source");
	char *uri = kept_src && strcmp(kept_src, src.buf) == 0
		? db_kv_get(m->db, "profile.avatar_mxc") : NULL;
	free(kept_src);
	if (!uri) {
		const char *base = strrchr(path, '/');
		char *name = mx_escape(base ? base + 1 : path);
		sb_addf(&up, "/_matrix/media/v3/upload?filename=%s", name);
		free(name);
		struct mx_wait w = { 0 };
		mx_request_bytes(m, "POST", up.buf, type, data, len, UPLOAD_TIMEOUT_MS,
			       MX_NORETRY, mx_wait_cb, &w);
		if (mx_wait_run(m, &w) < 0) {
			*stopping = 1;
		} else {
			json_t *cu = json_object_get(w.body, "content_uri");
			if (w.status == 200 && json_is_string(cu)
			    && mxc_ok(json_string_value(cu))) {
				uri = xstrdup(json_string_value(cu));
				if (db_kv_set(m->db, "profile.avatar_mxc", uri) < 0
				    || db_kv_set(m->db, "profile.avatar_source", src.buf) < 0)
					log_warn("avatar: cannot keep its mxc:// URI; it is "
						 "uploaded again at the next start");
				log_info("avatar: %s uploaded as %s", path, uri);
			} else {
				log_warn("avatar: the upload of %s failed (HTTP %ld %s); the "
					 "avatar is left as it is", path, w.status,
					 mx_errcode(w.body));
			}
		}
		json_decref(w.body);
	}
	free(data);
	sb_release(&src);
	sb_release(&up);
	return uri;
}

/* PUT one profile field (displayname or avatar_url) to value. */
static int put_field(struct matrix *m, const char *profile, const char *field,
		     const char *value)
{
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "%s/%s", profile, field);
	json_t *j = json_pack("{s:s}", field, value);
	char *body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	struct mx_wait w;
	int rc = call(m, "PUT", path.buf, body, &w);
	if (rc == 0 && w.status == 200)
		log_info("profile: %s set to \"%s\"", field, value);
	else if (rc == 0)
		log_warn("profile: setting %s failed (HTTP %ld %s); it is left as it is",
			 field, w.status, mx_errcode(w.body));
	json_decref(w.body);
	free(body);
	sb_release(&path);
	return rc;
}

/* The string field of the profile answer, or NULL. */
static const char *field_of(json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int profile_apply(struct matrix *m)
{
	const struct wt_config *cfg = m->cfg;
	if (!cfg->displayname && !cfg->avatar)
		return 0;
	char *uid = mx_escape(m->user_id);
	struct strbuf profile = STRBUF_INIT;
	sb_addf(&profile, "/_matrix/client/v3/profile/%s", uid);
	free(uid);
	struct mx_wait w;
	int rc = call(m, "GET", profile.buf, NULL, &w), changed = 0, stopping = 0;
	enum mx_err kind = rc == 0 ? mx_error_kind(w.status, w.body) : MX_ERR_NONE;
	if (rc == 0 && kind != MX_ERR_NONE && kind != MX_ERR_NOT_FOUND) {
		log_warn("profile: cannot read the bot's profile (HTTP %ld %s); it is "
			 "left as it is until the next start", w.status, mx_errcode(w.body));
		goto out;
	}
	const char *name = w.status == 200 ? field_of(w.body, "displayname") : NULL;
	const char *avatar = w.status == 200 ? field_of(w.body, "avatar_url") : NULL;
	if (rc == 0 && cfg->displayname && (!name || strcmp(name, cfg->displayname) != 0)) {
		rc = put_field(m, profile.buf, "displayname", cfg->displayname);
		changed = 1;
	}
	char *want = rc == 0 && cfg->avatar ? avatar_uri(m, &stopping) : NULL;
	if (want && (!avatar || strcmp(avatar, want) != 0)) {
		rc = put_field(m, profile.buf, "avatar_url", want);
		changed = 1;
	}
	free(want);
	if (rc == 0 && !stopping && !changed)
		log_info("profile: display name and avatar as configured, nothing to change");
out:
	json_decref(w.body);
	sb_release(&profile);
	return rc < 0 || stopping ? -1 : 0;
}
