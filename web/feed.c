/* feed: the member's calendar feed (/n/NAME/agenda.ics?t=...): the
 * network's coming meetings as handlers/ics.c writes them, and with the
 * subscription's "acties" the due dates of the member's own open actions.
 * Written at request time, so it is always current. */
#include "web/pages.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/ics.h"
#include "storage/actions.h"
#include "web/html.h"

#define FEED_ACTIONS 200
#define ACTION_MINUTES 30

static struct icaltimetype utc(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
}

/* A VEVENT at the action's due time. */
static icalcomponent *action_event(const struct web_page *p, const struct wt_logged *a)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	struct strbuf uid = STRBUF_INIT, sum = STRBUF_INIT;
	sb_addf(&uid, "action-%lld-%s@werktafel", a->id, p->net->name);
	sb_addf(&sum, web_t(p, M_WEB_ACTION_DUE), a->text);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid.buf));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc(p->env->now)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc(a->due_at)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(utc(a->due_at + ACTION_MINUTES * 60)));
	icalcomponent_add_property(ev, icalproperty_new_summary(sum.buf));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	sb_release(&uid);
	sb_release(&sum);
	return ev;
}

/* The member's open actions with a due time into the calendar text. */
static int add_actions(const struct web_page *p, char **ics)
{
	struct wt_logged *v = NULL;
	long long total = 0;
	int n = actions_open_page(p->env->db, p->net->name, p->user, FEED_ACTIONS, 0, 0,
				  &v, &total);
	if (n < 0)
		return -1;
	icalcomponent *cal = icalparser_parse_string(*ics);
	if (!cal) {
		logged_list_free(v, (size_t)n);
		return -1;
	}
	for (int i = 0; i < n && v[i].owner && strcmp(v[i].owner, p->user) == 0; i++)
		if (v[i].due_at)
			icalcomponent_add_component(cal, action_event(p, &v[i]));
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (n > 0)
		logged_list_free(v, (size_t)n);
	if (!text)
		return -1;
	free(*ics);
	*ics = xstrdup(text);
	free(text);
	return 0;
}

int web_page_feed(const struct web_page *p, int with_actions, struct web_resp *resp)
{
	int count = 0;
	char *ics = ics_meetings_dup(p->env->db, p->net, p->env->now, &count);
	if (!ics)
		return -1;
	if (with_actions && add_actions(p, &ics) < 0) {
		free(ics);
		return -1;
	}
	resp->content_type = "text/calendar; charset=utf-8";
	sb_add(&resp->body, ics);
	free(ics);
	return 0;
}
