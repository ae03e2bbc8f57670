/* recur_describe: a recurrence rule in words, Dutch and English ("elke 2
 * maanden op de tweede dinsdag", "every month on the 12th"), its next
 * dates, and the texts that explain a refused phrase (see handlers/recur.h). */
#include "handlers/recur.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/catalog.h"
#include "handlers/when.h"
#include "lib/tz.h"

/* The ordinal word of a BYDAY position (1..4, -1 = last; 5 reads as last). */
static const char *ord_word(int pos, enum wt_lang lang)
{
	enum msg_id o = pos < 0 || pos > 4 ? M_RECUR_ORD_LAST : (enum msg_id)(M_RECUR_ORD_1 + pos - 1);
	return msg_text(lang, o);
}

/* The weekday of a libical BYDAY value written out ("dinsdag", "Tuesday"). */
static const char *day_word(short by_day, enum wt_lang lang)
{
	int dow = icalrecurrencetype_day_day_of_week(by_day) - 1;
	return msg_text(lang, (enum msg_id)(M_DATE_WDAY_LONG_0 + (dow >= 0 && dow < 7 ? dow : 0)));
}

/* " op de 12e" / " on the 12th"; " op de laatste dag" for -1. */
static void add_month_day(struct strbuf *sb, int d, enum wt_lang lang)
{
	if (d < 0) {
		sb_add(sb, msg_text(lang, M_RECUR_ON_LAST_DAY));
		return;
	}
	const char *suf = "e";
	if (lang == LANG_EN) {
		int t = d % 10;
		suf = d / 10 == 1 || t > 3 || t == 0 ? "th" : t == 1 ? "st" : t == 2 ? "nd" : "rd";
	}
	sb_addf(sb, msg_text(lang, M_RECUR_ON_MDAY), d, suf);
}

/* The period alone: "elke 2 maanden", "every month". */
static int add_period(struct strbuf *sb, const struct icalrecurrencetype *r, int n,
		      enum wt_lang lang)
{
	enum msg_id one, many;
	switch (r->freq) {
	case ICAL_DAILY_RECURRENCE: one = M_RECUR_DAILY; many = M_RECUR_DAILY_N; break;
	case ICAL_WEEKLY_RECURRENCE: one = M_RECUR_WEEKLY; many = M_RECUR_WEEKLY_N; break;
	case ICAL_MONTHLY_RECURRENCE: one = M_RECUR_MONTHLY; many = M_RECUR_MONTHLY_N; break;
	case ICAL_YEARLY_RECURRENCE: one = M_RECUR_YEARLY; many = M_RECUR_YEARLY_N; break;
	default:
		return 0;
	}
	if (n > 1)
		sb_addf(sb, msg_text(lang, many), n);
	else
		sb_add(sb, msg_text(lang, one));
	return 1;
}

/* The rule without its end, in words. */
static void describe_days(struct strbuf *sb, const char *rrule,
			  const struct icalrecurrencetype *r, enum wt_lang lang)
{
	int n = r->interval > 1 ? r->interval : 1;
	int nday = recur_by_count(r->by_day, ICAL_BY_DAY_SIZE);
	int nmd = recur_by_count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);
	int nm = recur_by_count(r->by_month, ICAL_BY_MONTH_SIZE);
	if (r->freq == ICAL_WEEKLY_RECURRENCE && nday == 5 && n == 1) {
		sb_add(sb, msg_text(lang, M_RECUR_WEEKDAYS));
		return;
	}
	if (nday == 1 && !nmd) {
		int pos = icalrecurrencetype_day_position(r->by_day[0]);
		const char *dn = day_word(r->by_day[0], lang);
		if (r->freq == ICAL_MONTHLY_RECURRENCE && pos != 0) {
			if (n > 1) {
				add_period(sb, r, n, lang);
				sb_addf(sb, msg_text(lang, M_RECUR_ON_NTH), ord_word(pos, lang), dn);
			} else {
				sb_addf(sb, msg_text(lang, M_RECUR_MONTHLY_DAY), ord_word(pos, lang), dn);
			}
			return;
		}
		if (r->freq == ICAL_YEARLY_RECURRENCE && pos != 0 && nm == 1) {
			int m = icalrecurrencetype_month_month(r->by_month[0]);
			add_period(sb, r, n, lang);
			sb_addf(sb, msg_text(lang, M_RECUR_ON_NTH_OF), ord_word(pos, lang), dn,
				msg_text(lang, (enum msg_id)(M_DATE_MON_LONG_1 + (m >= 1 && m <= 12 ? m - 1 : 0))));
			return;
		}
		if (r->freq == ICAL_WEEKLY_RECURRENCE || r->freq == ICAL_DAILY_RECURRENCE) {
			if (n > 1)
				sb_addf(sb, msg_text(lang, M_RECUR_WEEKLY_N_DAY), n, dn);
			else
				sb_addf(sb, msg_text(lang, M_RECUR_WEEKLY_DAY), dn);
			return;
		}
	}
	if (!add_period(sb, r, n, lang)) {
		sb_add(sb, rrule);
		return;
	}
	if (nmd == 1 && !nday && r->freq == ICAL_MONTHLY_RECURRENCE)
		add_month_day(sb, r->by_month_day[0], lang);
}

void recur_describe_in(struct strbuf *sb, const char *rrule, const char *tz, enum wt_lang lang)
{
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
	describe_days(sb, rrule, &r, lang);
	if (r.count > 0) {
		sb_addf(sb, msg_text(lang, msg_count(M_RECUR_COUNT_ONE, r.count)), r.count);
	} else if (!icaltime_is_null_time(r.until)) {
		struct strbuf d = STRBUF_INIT;
		when_format_long_day(&d, icaltime_as_timet(r.until), 0, tz && tz_valid(tz) ? tz : "UTC",
				     lang);
		sb_addf(sb, msg_text(lang, M_RECUR_UNTIL), d.buf);
		sb_release(&d);
	}
}

void recur_describe(struct strbuf *sb, const char *rrule, enum wt_lang lang)
{
	recur_describe_in(sb, rrule, NULL, lang);
}

int recur_next_dates(const char *rrule, const char *tz, time_t dtstart, time_t from,
		     time_t *out, int max)
{
	int n = 0;
	time_t t = from;
	if (max > 0 && from == dtstart) {
		/* The anchor itself is the first when the rule holds it. */
		time_t first;
		if (recur_next(rrule, tz, dtstart, dtstart - 1, &first) == RECUR_OK && first == dtstart)
			out[n++] = dtstart;
	}
	while (n < max && recur_next(rrule, tz, dtstart, t, &t) == RECUR_OK)
		out[n++] = t;
	return n;
}

const char *recur_error_text(enum wt_lang lang, int err)
{
	switch (err) {
	case RECUR_NEVER: return msg_text(lang, M_RECUR_E_NEVER);
	case RECUR_BAD_ZONE: return msg_text(lang, M_RECUR_E_ZONE);
	case RECUR_BAD_ON: return msg_text(lang, M_RECUR_E_ON);
	case RECUR_BAD_END: return msg_text(lang, M_RECUR_E_END);
	default: return msg_text(lang, M_RECUR_E_BAD);
	}
}
