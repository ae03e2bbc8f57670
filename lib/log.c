#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The level is process-wide on purpose: every layer logs (storage and
 * lib too, with no context to carry a setting), and the config sets it
 * once at start (and again on SIGHUP). So is where stderr goes: it is one
 * stream for the whole process. The secrets are process-wide for the same
 * reason: a layer that never saw the token (curl's error text, SQLite's)
 * must not print it either. */
static enum log_level current = LOG_INFO;
static int to_journal;
static const char *const names[] = { "error", "warn", "info", "debug" };
/* syslog(3) priorities: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG (the
 * journal reads "<N>" at the start of a line as the line's priority). */
static const int priorities[] = { 3, 4, 6, 7 };
static char *secrets[LOG_SECRETS_MAX];
static int nsecrets;

#define REDACTED "[redacted]"

void log_set_level(enum log_level level) { current = level; }
enum log_level log_get_level(void) { return current; }

int log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *log_level_name(enum log_level level)
{
	return (unsigned)level < 4 ? names[level] : "?";
}

/* systemd sets JOURNAL_STREAM to "device:inode" of the stream it connected
 * to the journal (systemd.exec(5)); stderr is the journal only when it is
 * still that stream (not when a child's stderr was redirected). */
int log_detect_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char end;
	to_journal = js && sscanf(js, "%llu:%llu%c", &dev, &ino, &end) == 2 &&
		     fstat(fileno(stderr), &st) == 0 &&
		     (unsigned long long)st.st_dev == dev &&
		     (unsigned long long)st.st_ino == ino;
	return to_journal;
}

void log_secret_add(const char *secret)
{
	if (!secret || strlen(secret) < 4)
		return;
	for (int i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], secret) == 0)
			return;
	if (nsecrets == LOG_SECRETS_MAX) {
		free(secrets[0]);
		memmove(secrets, secrets + 1, (LOG_SECRETS_MAX - 1) * sizeof *secrets);
		nsecrets--;
	}
	secrets[nsecrets++] = xstrdup(secret);
}

void log_secrets_clear(void)
{
	for (int i = 0; i < nsecrets; i++)
		free(secrets[i]);
	nsecrets = 0;
}

/* Replace sb[at, at+n) by REDACTED; returns the index after it. */
static size_t splice(struct strbuf *sb, size_t at, size_t n)
{
	struct strbuf out = STRBUF_INIT;
	sb_addn(&out, sb->buf, at);
	sb_add(&out, REDACTED);
	sb_add(&out, sb->buf + at + n);
	sb_release(sb);
	*sb = out;
	return at + strlen(REDACTED);
}

static void redact_text(struct strbuf *sb, const char *secret)
{
	size_t n = strlen(secret), at = 0;
	char *hit;
	while ((hit = strstr(sb->buf + at, secret)))
		at = splice(sb, (size_t)(hit - sb->buf), n);
}

/* The value after `key` when it is key=V (URL, form) or key": "V" (JSON)
 * or, for bearer, key V (an Authorization header); its length 0 when the shape is none of these. */
static size_t value_at(const char *p, int bearer, const char **start)
{
	const char *v = p;
	const char *stop;
	if (*v == '=') {
		v++;
		stop = "&# \t\r\n\"'<>,;";
	} else if (*v == '"' || *v == '\\') {
		while (*v == '"' || *v == '\\')
			v++;
		while (*v == ' ')
			v++;
		if (*v++ != ':')
			return 0;
		while (*v == ' ' || *v == '\\')
			v++;
		if (*v++ != '"')
			return 0;
		stop = "\"\\";
	} else if (*v == ' ' && bearer) {
		v++;
		stop = " \t\r\n\"'<>,;";
	} else {
		return 0;
	}
	*start = v;
	return strcspn(v, stop);
}

static void redact_key(struct strbuf *sb, const char *key)
{
	size_t at = 0, klen = strlen(key);
	char *hit;
	while ((hit = strstr(sb->buf + at, key))) {
		const char *v;
		size_t n = value_at(hit + klen, strcmp(key, "Bearer") == 0, &v);
		if (n == 0 || strncmp(v, REDACTED, strlen(REDACTED)) == 0)
			at = (size_t)(hit - sb->buf) + klen;
		else
			at = splice(sb, (size_t)(v - sb->buf), n);
	}
}

void log_redact(struct strbuf *sb)
{
	static const char *const keys[] = { "access_token", "refresh_token",
					    "password", "Bearer", NULL };
	if (!sb->buf)
		return;
	for (int i = nsecrets - 1; i >= 0; i--)
		redact_text(sb, secrets[i]);
	for (int i = 0; keys[i]; i++)
		redact_key(sb, keys[i]);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > current)
		return;
	struct strbuf line = STRBUF_INIT;
	if (to_journal) {
		/* The journal stamps each line itself. */
		sb_addf(&line, "<%d>", priorities[level]);
	} else {
		char ts[32];
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		sb_addf(&line, "%s %s ", ts, names[level]);
	}
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&line, fmt, ap);
	va_end(ap);
	log_redact(&line);
	sb_addc(&line, '\n');
	fputs(line.buf, stderr);
	fflush(stderr);
	sb_release(&line);
}
