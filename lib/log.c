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
 * stream for the whole process. */
static enum log_level current = LOG_INFO;
static int to_journal;
static const char *const names[] = { "error", "warn", "info", "debug" };
/* syslog(3) priorities: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG (the
 * journal reads "<N>" at the start of a line as the line's priority). */
static const int priorities[] = { 3, 4, 6, 7 };

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

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > current)
		return;
	if (to_journal) {
		/* The journal stamps each line itself. */
		fprintf(stderr, "<%d>", priorities[level]);
	} else {
		char ts[32];
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(stderr, "%s %s ", ts, names[level]);
	}
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}
