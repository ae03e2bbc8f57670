/* page: what every page of the board shares (see pages.h). */
#include "web/pages.h"

#include "handlers/when.h"
#include "web/html.h"

const char *web_t(const struct web_page *p, enum msg_id id)
{
	return msg_text(p->lang, id);
}

static void head(struct strbuf *sb, enum wt_lang lang, const char *root,
		 const char *title)
{
	html_addf(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<meta name=\"robots\" content=\"noindex\">\n<title>%s</title>\n"
		  "<link rel=\"stylesheet\" href=\"%sstyle.css\">\n</head>\n<body>\n",
		  lang == LANG_EN ? "en" : "nl", title, root);
}

void web_page_head(struct strbuf *sb, const struct web_page *p, const char *title)
{
	head(sb, p->lang, p->root, title);
	html_addf(sb, "<header><h1>%s</h1></header>\n<main>\n", title);
}

void web_page_foot(struct strbuf *sb, const struct web_page *p)
{
	struct strbuf when = STRBUF_INIT, line = STRBUF_INIT;
	when_format(&when, p->env->now, p->net->tz, p->lang);
	sb_addf(&line, web_t(p, M_WEB_AS_OF), when.buf);
	html_addf(sb, "</main>\n<footer><p>%s</p></footer>\n</body>\n</html>\n", line.buf);
	sb_release(&when);
	sb_release(&line);
}

void web_page_message(struct web_resp *resp, int status, enum wt_lang lang,
		      enum msg_id msg)
{
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	resp->no_store = 1;
	resp->etag[0] = '\0';
	resp->last_modified = 0;
	sb_reset(&resp->body);
	sb_reset(&resp->set_cookie);
	const char *text = msg_text(lang, msg);
	/* At the server's root or a network's page alike: the stylesheet by
	 * an absolute path would break behind a proxy's prefix, so none. */
	html_addf(&resp->body, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<title>werktafel</title>\n</head>\n<body>\n", lang == LANG_EN ? "en" : "nl");
	html_addf(&resp->body, "<main>\n<p>%s</p>\n</main>\n</body>\n</html>\n", text);
}
