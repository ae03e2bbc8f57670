/* log: one line per event to stderr: "2026-11-25T11:42:00Z level what",
 * or, when stderr is the systemd journal, "<6>what" (the syslog priority
 * the journal reads; it adds the time itself). */
#ifndef WT_LOG_H
#define WT_LOG_H

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

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
