/* pages: the web board's pages, shared by router.c and pages_*.c. Each
 * page writes resp->body from the database at request time; every piece
 * of data goes through web/html.h. */
#ifndef WT_WEB_PAGES_H
#define WT_WEB_PAGES_H

#include "handlers/catalog.h"
#include "handlers/network.h"
#include "web/web.h"

/* One request for a network's page, after the gate. */
struct web_page {
	const struct web_env *env;
	const struct web_req *req;
	const struct wt_network *net;
	const char *user;        /* the verified member */
	enum wt_lang lang;
	const char *root;        /* relative path to the server's root ("../") */
};

/* The catalogue text of id in the page's language. */
const char *web_t(const struct web_page *p, enum msg_id id);
/* <!DOCTYPE> to <main>, with the title (escaped) and the stylesheet. */
void web_page_head(struct strbuf *sb, const struct web_page *p, const char *title);
/* </main> to </html>, with the "as of" line. */
void web_page_foot(struct strbuf *sb, const struct web_page *p);
/* A page that says only msg (refusals and errors), in lang. */
void web_page_message(struct web_resp *resp, int status, enum wt_lang lang,
		      enum msg_id msg);

/* The first instant of day (days since 1970-01-01) in the network's zone. */
time_t web_day_start(const struct web_page *p, long day);

/* The pages: 0, or -1 on a database error (the router answers 500). */
int web_page_board(const struct web_page *p, struct web_resp *resp);
int web_page_decisions(const struct web_page *p, struct web_resp *resp);
int web_page_feed(const struct web_page *p, int with_actions, struct web_resp *resp);

/* The decisions as a list (pages_board.c; the register uses it too). */
struct wt_logged;
void web_decision_items(struct strbuf *sb, const struct web_page *p, struct wt_logged *v, int n);

/* The stylesheet (web/style.c). */
extern const char web_style_css[];

#endif
