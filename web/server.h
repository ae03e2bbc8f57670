/* server: the board's web server, libwebsockets' HTTP server on the bot's
 * libuv loop (like bot/transport_ws.c's client), answering each request
 * with web_handle (web/web.h) at once: no threads, no waiting; a request
 * costs a few SQLite reads on the loop thread. Off unless [web] listen and
 * public_url are set; meant behind the operator's reverse proxy (TLS). */
#ifndef WT_WEB_SERVER_H
#define WT_WEB_SERVER_H

#include <sqlite3.h>
#include <uv.h>

#include "bot/config.h"

struct web_server;

/* Listen on cfg->web_listen; NULL when [web] is off or the server cannot
 * start (logged: the bot runs on without its board). */
struct web_server *web_server_new(uv_loop_t *loop, sqlite3 *db, const struct wt_config *cfg);
/* Stop listening, close the connections, free. NULL is fine. Call before
 * the loop's other handles are closed. */
void web_server_free(struct web_server *s);

#endif
