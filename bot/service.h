/* service: running under systemd (Type=notify, WatchdogSec=, ExecReload=).
 *
 * The notify protocol is sd_notify(3)'s: one datagram of "KEY=value" lines
 * to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or "@name" in the
 * abstract namespace). It is a few lines of our own rather than libsystemd:
 * the protocol is documented as stable for programs that do not link it,
 * and one send does not justify a library (and its dependency tree) on the
 * link line of a bot that also runs where systemd is not.
 *
 * Without NOTIFY_SOCKET everything here does nothing: a bot started by
 * hand, by a test or by another supervisor is not affected. */
#ifndef WT_SERVICE_H
#define WT_SERVICE_H

#include <uv.h>

#include "bot/config.h"

struct service;

/* Send state (newline-separated KEY=value) to $NOTIFY_SOCKET. Returns 1
 * when sent, 0 when there is no NOTIFY_SOCKET, -1 on error (logged once
 * at debug level). */
int service_notify(const char *state);

/* The watchdog interval systemd asks for: $WATCHDOG_USEC in microseconds
 * when $WATCHDOG_PID is unset or this process; 0 when there is none. */
long long service_watchdog_usec(void);

/* On loop: "WATCHDOG=1" every half watchdog interval from a libuv timer
 * (so a loop that hangs stops the pings and systemd restarts the bot),
 * and SIGHUP re-reads cfg->path into cfg (bot/config_reload.h: what can
 * change at run time is applied, what needs a restart is logged). The
 * handles do not keep the loop alive. */
struct service *service_new(uv_loop_t *loop, struct wt_config *cfg);

/* "READY=1" the first time (after the first sync: the bot answers). */
void service_ready(struct service *s);
/* "STOPPING=1" (a clean stop begins). */
void service_stopping(struct service *s);
/* Close the handles (before the loop's last run); NULL is fine. */
void service_free(struct service *s);

#endif
