/* log: one line per event to stderr: "2026-11-25T11:42:00Z level what",
 * or, when stderr is the systemd journal, "<6>what" (the syslog priority
 * the journal reads; it adds the time itself).
 *
 * Every line passes one redaction point first: the secrets the bot knows
 * (access token, password, refresh token: log_secret_add) and the values of
 * access_token=, "access_token":, "password":, "refresh_token": and
 * "Bearer " in any URL, request body or error text are shown as
 * [redacted], at every level. */
#ifndef WT_LOG_H
#define WT_LOG_H

#include "lib/strbuf.h"

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parse "error", "warn", "info", "debug"; returns -1 for anything else. */
int log_level_parse(const char *s);
/* The level's name ("info"). */
const char *log_level_name(enum log_level level);
/* Whether stderr is the journal (JOURNAL_STREAM names it): from now on
 * lines carry "<3>".."<7>" priorities instead of time and level. Returns 1
 * when it is. Called once at start. */
int log_detect_journal(void);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Remember a secret to redact from every later line (copied; NULL and
 * texts under 4 bytes are ignored, the oldest is dropped after
 * LOG_SECRETS_MAX). */
#define LOG_SECRETS_MAX 16
void log_secret_add(const char *secret);
/* Forget every secret (tests). */
void log_secrets_clear(void);
/* The redaction of every log line, on sb in place. */
void log_redact(struct strbuf *sb);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
