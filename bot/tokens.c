/* The token file; see bot/tokens.h. */
#include "bot/tokens.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/private_file.h"
#include "lib/strbuf.h"

#define TOKEN_FILE_MAX 16384
#define REFRESH_EARLY_MAX_MS 60000LL

void mx_tokens_free(struct mx_tokens *t)
{
	free(t->access);
	free(t->refresh);
	free(t->device_id);
	free(t->token_endpoint);
	free(t->client_id);
	memset(t, 0, sizeof *t);
}

long long mx_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) > 0
		? xstrdup(json_string_value(v)) : NULL;
}

static enum mx_tokens_outcome parse_json(const char *text, struct mx_tokens *t)
{
	json_t *o = json_loads(text, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return TOKENS_BAD;
	}
	t->access = str_of(o, "access_token");
	t->refresh = str_of(o, "refresh_token");
	t->device_id = str_of(o, "device_id");
	t->token_endpoint = str_of(o, "token_endpoint");
	t->client_id = str_of(o, "client_id");
	json_t *exp = json_object_get(o, "expires_at_ms");
	if (json_is_integer(exp) && json_integer_value(exp) > 0)
		t->expires_ms = (long long)json_integer_value(exp);
	json_decref(o);
	if (!t->access) {
		mx_tokens_free(t);
		return TOKENS_BAD;
	}
	return TOKENS_JSON;
}

enum mx_tokens_outcome mx_tokens_parse(const char *text, struct mx_tokens *t)
{
	memset(t, 0, sizeof *t);
	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	if (!*text)
		return TOKENS_NONE;
	if (*text == '{')
		return parse_json(text, t);
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, text);
	sb_rtrim(&sb);
	if (strchr(sb.buf, '\n') || strchr(sb.buf, ' ')) {
		sb_release(&sb);
		return TOKENS_BAD;
	}
	t->access = sb_detach(&sb);
	return TOKENS_PLAIN;
}

enum mx_tokens_outcome mx_tokens_read(const char *path, struct mx_tokens *t)
{
	memset(t, 0, sizeof *t);
	private_tighten(path);
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? TOKENS_NONE : TOKENS_BAD;
	struct strbuf sb = STRBUF_INIT;
	int rc = sb_read_file(&sb, f, TOKEN_FILE_MAX);
	fclose(f);
	enum mx_tokens_outcome out = rc < 0 ? TOKENS_BAD : mx_tokens_parse(sb.buf, t);
	sb_release(&sb);
	return out;
}

static char *tokens_text(const struct mx_tokens *t)
{
	if (!t->refresh && !t->expires_ms && !t->token_endpoint) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s\n", t->access);
		return sb_detach(&sb);
	}
	json_t *o = json_object();
	json_object_set_new(o, "access_token", json_string(t->access));
	if (t->refresh)
		json_object_set_new(o, "refresh_token", json_string(t->refresh));
	if (t->expires_ms)
		json_object_set_new(o, "expires_at_ms", json_integer(t->expires_ms));
	if (t->device_id)
		json_object_set_new(o, "device_id", json_string(t->device_id));
	if (t->token_endpoint)
		json_object_set_new(o, "token_endpoint", json_string(t->token_endpoint));
	if (t->client_id)
		json_object_set_new(o, "client_id", json_string(t->client_id));
	char *s = json_dumps(o, JSON_INDENT(1));
	json_decref(o);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s\n", s ? s : "{}");
	free(s);
	return sb_detach(&sb);
}

/* fsync the directory holding path, so the rename survives a crash. */
static void sync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int mx_tokens_write(const char *path, const struct mx_tokens *t)
{
	if (!t->access)
		return -1;
	private_tighten(path);  /* one that was looser says so */
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.tmp", path);
	char *text = tokens_text(t);
	size_t len = strlen(text);
	int ok = 0;
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0) {
		ok = fchmod(fd, 0600) == 0 && write(fd, text, len) == (ssize_t)len
			&& fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		ok = ok && rename(tmp.buf, path) == 0;
	}
	if (!ok) {
		log_warn("%s: cannot write the access token: %s", path, strerror(errno));
		unlink(tmp.buf);
	} else {
		sync_dir_of(path);
	}
	free(text);
	sb_release(&tmp);
	return ok ? 0 : -1;
}

int mx_tokens_from_answer(json_t *body, long long now_ms, struct mx_tokens *t)
{
	char *access = str_of(body, "access_token");
	if (!access)
		return -1;
	free(t->access);
	t->access = access;
	char *refresh = str_of(body, "refresh_token");
	if (refresh) {
		free(t->refresh);
		t->refresh = refresh;
	}
	char *dev = str_of(body, "device_id");
	if (dev) {
		free(t->device_id);
		t->device_id = dev;
	}
	json_t *ms = json_object_get(body, "expires_in_ms");
	json_t *s = json_object_get(body, "expires_in");
	if (json_is_integer(ms) && json_integer_value(ms) > 0)
		t->expires_ms = now_ms + (long long)json_integer_value(ms);
	else if (json_is_integer(s) && json_integer_value(s) > 0)
		t->expires_ms = now_ms + (long long)json_integer_value(s) * 1000;
	else
		t->expires_ms = 0;
	return 0;
}

long long mx_refresh_delay_ms(long long expires_ms, long long now_ms)
{
	if (expires_ms <= 0)
		return -1;
	long long left = expires_ms - now_ms;
	if (left <= 1000)
		return 0;
	long long early = left / 5;
	if (early > REFRESH_EARLY_MAX_MS)
		early = REFRESH_EARLY_MAX_MS;
	return left - early;
}
