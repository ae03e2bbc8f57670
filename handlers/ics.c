/* ics: coming meetings as an iCalendar file, built with libical. */
#include "handlers/ics.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/reply.h"
#include "storage/agenda.h"
#include "storage/meetings.h"

/* A UTC instant as a libical time written with a Z. */
static struct icaltimetype utc_time(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
}

/* The meeting's agenda as plain lines for DESCRIPTION ("1. Title"). */
static void agenda_text(sqlite3 *db, const struct wt_meeting *m, struct strbuf *out)
{
	struct wt_agenda_item *v;
	int n = agenda_list(db, m->network, m->id, &v);
	if (n <= 0)
		return;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (v[i].state == AGENDA_ACCEPTED || v[i].state == AGENDA_DISCUSSED)
			sb_addf(out, "%s%d. %s", out->len ? "\n" : "", ++k, v[i].title);
	agenda_list_free(v, (size_t)n);
}

/* The video link in a meeting's place ("Teams: https://..."), as the
 * event's URL, which calendar programs show as a link to click. */
static void add_link(icalcomponent *ev, const char *place)
{
	const char *p = strstr(place, "https://");
	if (!p)
		p = strstr(place, "http://");
	if (!p)
		return;
	size_t n = strcspn(p, " \t\r\n<>\"");
	struct strbuf url = STRBUF_INIT;
	sb_addn(&url, p, n);
	icalcomponent_add_property(ev, icalproperty_new_url(url.buf));
	sb_release(&url);
}

/* One VEVENT for meeting m. */
static icalcomponent *event_of(sqlite3 *db, const struct wt_network *net,
			       const struct wt_meeting *m, time_t now)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	struct strbuf uid = STRBUF_INIT, desc = STRBUF_INIT;
	sb_addf(&uid, "meeting-%lld-%s@werktafel", m->id, net->name);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid.buf));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(now)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(m->starts_at)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(
		utc_time(m->starts_at + (time_t)m->duration_min * 60)));
	icalcomponent_add_property(ev, icalproperty_new_summary(m->title));
	if (m->place) {
		icalcomponent_add_property(ev, icalproperty_new_location(m->place));
		add_link(ev, m->place);
	}
	agenda_text(db, m, &desc);
	if (desc.len)
		icalcomponent_add_property(ev, icalproperty_new_description(desc.buf));
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	/* One more for each change (storage/schema.c, migration 26), so
	 * calendars that imported an earlier file take a moved meeting's new
	 * time; the same meeting exported twice is the same event. */
	icalcomponent_add_property(ev, icalproperty_new_sequence(m->ics_sequence));
	sb_release(&uid);
	sb_release(&desc);
	return ev;
}

char *ics_meetings_dup(sqlite3 *db, const struct wt_network *net, time_t now,
		       int *count)
{
	struct wt_meeting *v;
	int n = meeting_list_upcoming(db, net->name, now, ICS_MAX_MEETINGS, &v);
	if (n < 0)
		return NULL;
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//werktafel//werktafel//NL"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalproperty *name = icalproperty_new_x(net->name);
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, name);
	for (int i = 0; i < n; i++)
		icalcomponent_add_component(cal, event_of(db, net, &v[i], now));
	char *text = icalcomponent_as_ical_string_r(cal);
	char *out = xstrdup(text ? text : "");
	free(text);
	icalcomponent_free(cal);
	if (n > 0)
		meeting_list_free(v, (size_t)n);
	*count = n;
	return out;
}

/* A note with the count, then the calendar as a file reply. */
int ics_reply(struct wt_ctx *ctx)
{
	int n = 0;
	char *ics = ics_meetings_dup(ctx->db, ctx->net, ctx->now, &n);
	if (!ics)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (n == 0) {
		free(ics);
		reply_msgf(ctx, M_ICS_NONE);
		return WT_OK;
	}
	reply_msgf(ctx, msg_count(M_ICS_NOTE_ONE, n), n);
	struct wt_reply *r = reply_add(ctx, ics);
	r->kind = REPLY_FILE;
	struct strbuf fn = STRBUF_INIT;
	sb_addf(&fn, "werktafel-%s.ics", ctx->net->name);
	r->filename = sb_detach(&fn);
	free(ics);
	return WT_OK;
}
