#include "bot/service.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bot/config_reload.h"
#include "lib/log.h"
#include "lib/strbuf.h"

struct service {
	uv_timer_t watchdog;
	uv_signal_t sighup;
	struct wt_config *cfg;
	int ready;        /* READY=1 sent */
	int closing;      /* handles to close: 2, counted down */
};

int service_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	if (!path || !path[0])
		return 0;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof sa.sun_path) {
		log_debug("NOTIFY_SOCKET \"%s\" is no socket path", path);
		return -1;
	}
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';  /* the abstract namespace */
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
				    (path[0] == '@' ? 0 : 1));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	ssize_t sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
			      (struct sockaddr *)&sa, len);
	int err = errno;
	close(fd);
	if (sent < 0) {
		log_debug("cannot notify systemd: %s", strerror(err));
		return -1;
	}
	return 1;
}

long long service_watchdog_usec(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	if (!usec)
		return 0;
	if (pid && strtoll(pid, NULL, 10) != (long long)getpid())
		return 0;
	char *end;
	long long v = strtoll(usec, &end, 10);
	return *end == '\0' && v > 0 ? v : 0;
}

static void on_watchdog(uv_timer_t *t)
{
	service_notify("WATCHDOG=1");
}

/* RELOADING=1 with the monotonic time (systemd.service(5), Type=
 * notify-reload; plain notify services accept it too), the config read
 * again, then READY=1. */
static void on_sighup(uv_signal_t *h, int signum)
{
	struct service *s = h->data;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	char state[96];
	snprintf(state, sizeof state, "RELOADING=1\nMONOTONIC_USEC=%lld",
		 (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	service_notify(state);
	log_info("SIGHUP: reading %s again", s->cfg->path ? s->cfg->path : "the config");
	config_reload_file(s->cfg);
	service_notify(s->ready ? "READY=1\nSTATUS=Listening" : "STATUS=Starting");
}

struct service *service_new(uv_loop_t *loop, struct wt_config *cfg)
{
	struct service *s = xcalloc(1, sizeof *s);
	s->cfg = cfg;
	uv_timer_init(loop, &s->watchdog);
	s->watchdog.data = s;
	uv_unref((uv_handle_t *)&s->watchdog);
	long long usec = service_watchdog_usec();
	if (usec > 0) {
		uint64_t ms = (uint64_t)(usec / 2000);
		if (ms == 0)
			ms = 1;
		uv_timer_start(&s->watchdog, on_watchdog, ms, ms);
		log_debug("systemd watchdog: a ping every %llu ms", (unsigned long long)ms);
	}
	uv_signal_init(loop, &s->sighup);
	s->sighup.data = s;
	if (cfg && cfg->path)
		uv_signal_start(&s->sighup, on_sighup, SIGHUP);
	uv_unref((uv_handle_t *)&s->sighup);
	return s;
}

void service_ready(struct service *s)
{
	if (!s || s->ready)
		return;
	s->ready = 1;
	service_notify("READY=1\nSTATUS=Listening");
}

void service_stopping(struct service *s)
{
	if (s)
		service_notify("STOPPING=1");
}

static void on_closed(uv_handle_t *h)
{
	struct service *s = h->data;
	if (--s->closing == 0)
		free(s);
}

void service_free(struct service *s)
{
	if (!s)
		return;
	s->closing = 2;
	uv_close((uv_handle_t *)&s->watchdog, on_closed);
	uv_close((uv_handle_t *)&s->sighup, on_closed);
}
