/* pages_decisions: the decisions register (/n/NAME/besluiten): a search
 * form (GET, no script) over the text, the theme and a period, and the
 * decisions that match, newest first. The period is read by the one
 * date grammar's span reader (handlers/when.h). */
#include "web/pages.h"

#include <string.h>

#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/decisions.h"
#include "web/html.h"

#define REGISTER_MAX 200

time_t web_day_start(const struct web_page *p, long day)
{
	struct tz_local lt = { 0 };
	time_t t = 0;
	tz_civil_from_days(day, &lt.year, &lt.mon, &lt.day);
	if (tz_to_utc(p->net->tz, &lt, &t) != TZ_OK)
		t = (time_t)day * 86400;
	return t;
}

/* The period parameter into f; -1 when it is given but no period. */
static int read_period(const struct web_page *p, const char *text,
		       struct decision_filter *f)
{
	if (!text || !*text)
		return 0;
	struct tz_local lt;
	int year = tz_from_utc(p->net->tz, p->env->now, &lt) == TZ_OK ? lt.year : 2026;
	struct when_span span;
	unsigned kinds = WHEN_SPAN_YEAR | WHEN_SPAN_MONTH | WHEN_SPAN_QUARTER | WHEN_SPAN_HALF;
	if (when_read_span(text, year, kinds, &span) != WHEN_OK ||
	    text[span.used + strspn(text + span.used, " ")] != '\0')
		return -1;
	f->from = web_day_start(p, span.first);
	f->until = web_day_start(p, span.last + 1);
	return 0;
}

static void input(struct strbuf *sb, const struct web_page *p, const char *name,
		  enum msg_id label, const char *value)
{
	html_addf(sb, "<label>%s <input type=\"search\" name=\"%s\" value=\"%s\" maxlength=\"100\">"
		  "</label>\n", web_t(p, label), name, value ? value : "");
}

int web_page_decisions(const struct web_page *p, struct web_resp *resp)
{
	const char *q = web_query(p->req, "q"), *theme = web_query(p->req, "thema");
	const char *period = web_query(p->req, "periode");
	struct decision_filter f = { .term = q && *q ? q : NULL,
				     .theme = theme && *theme ? theme : NULL,
				     .max = REGISTER_MAX };
	int bad_period = read_period(p, period, &f) < 0;
	struct strbuf title = STRBUF_INIT, *sb = &resp->body;
	sb_addf(&title, web_t(p, M_WEB_TITLE), p->net->name);
	sb_addf(&title, " — %s", web_t(p, M_WEB_DECISIONS));
	web_page_head(sb, p, title.buf);
	sb_release(&title);
	html_addf(sb, "<p><a href=\"../%s\">%s</a></p>\n<form method=\"get\" action=\"besluiten\">\n",
		  p->net->name, web_t(p, M_WEB_BACK));
	input(sb, p, "q", M_WEB_SEARCH_TERM, q);
	input(sb, p, "thema", M_WEB_SEARCH_THEME, theme);
	input(sb, p, "periode", M_WEB_SEARCH_PERIOD, period);
	html_addf(sb, "<button type=\"submit\">%s</button>\n</form>\n", web_t(p, M_WEB_SEARCH_GO));
	if (bad_period) {
		html_addf(sb, "<p class=\"late\">%s</p>\n", web_t(p, M_WEB_BAD_PERIOD));
		web_page_foot(sb, p);
		return 0;
	}
	struct wt_logged *v = NULL;
	int n = decisions_search(p->env->db, p->net->name, &f, &v);
	long long total = n < 0 ? -1 : decisions_count(p->env->db, p->net->name, &f);
	if (n < 0 || total < 0) {
		if (n > 0)
			logged_list_free(v, (size_t)n);
		return -1;
	}
	struct strbuf count = STRBUF_INIT;
	sb_addf(&count, web_t(p, msg_count(M_WEB_N_DECISIONS_ONE, total)), total);
	html_addf(sb, "<h2>%s</h2>\n", count.buf);
	sb_release(&count);
	if (n == 0)
		html_addf(sb, "<p>%s</p>\n", web_t(p, M_WEB_NO_DECISIONS));
	else
		web_decision_items(sb, p, v, n);
	if (n > 0)
		logged_list_free(v, (size_t)n);
	web_page_foot(sb, p);
	return 0;
}
