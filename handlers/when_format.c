/* when_format: how the bot writes dates back (short in lists, written out
 * inside sentences), and the texts that explain a refused date. */
#include "handlers/when.h"

#include "handlers/catalog.h"
#include "lib/tz.h"

/* Write t as "di 12 mrt 2027" (with_time adds " 19:30"), in tzid. */
static void format_in(struct strbuf *sb, time_t t, const char *tzid,
		      enum wt_lang lang, int with_time)
{
	struct tz_local l;
	if (tz_from_utc(tzid, t, &l) < 0 && tz_from_utc("UTC", t, &l) < 0) {
		sb_addf(sb, "@%lld", (long long)t);
		return;
	}
	sb_addf(sb, "%s %d %s %d", msg_text(lang, (enum msg_id)(M_DATE_WDAY_0 + l.wday)),
		l.day, msg_text(lang, (enum msg_id)(M_DATE_MON_1 + l.mon - 1)), l.year);
	if (with_time)
		sb_addf(sb, " %02d:%02d", l.hour, l.min);
}

/* "di 12 mrt 2027 19:30" / "Tue 12 Mar 2027 19:30". */
void when_format(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang)
{
	format_in(sb, t, tzid, lang, 1);
}

/* "di 12 mrt 2027" / "Tue 12 Mar 2027". */
void when_format_date(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang)
{
	format_in(sb, t, tzid, lang, 0);
}

void when_format_day_long(struct strbuf *sb, time_t t, const char *tzid, enum wt_lang lang,
			  int default_hour)
{
	struct tz_local l;
	if (tz_from_utc(tzid, t, &l) < 0 && tz_from_utc("UTC", t, &l) < 0) {
		sb_addf(sb, "@%lld", (long long)t);
		return;
	}
	sb_addf(sb, "%s %d %s %d",
		msg_text(lang, (enum msg_id)(M_DATE_WDAY_LONG_0 + l.wday)), l.day,
		msg_text(lang, (enum msg_id)(M_DATE_MON_LONG_1 + l.mon - 1)), l.year);
	if (l.hour != default_hour || l.min != 0)
		sb_addf(sb, " %02d:%02d", l.hour, l.min);
}

/* The day written out, with the year when it is not the year of now, and
 * " om 09:00" when with_time. */
static void format_long(struct strbuf *sb, time_t t, time_t now, const char *tzid,
			enum wt_lang lang, int with_time)
{
	struct tz_local l, n;
	if (tz_from_utc(tzid, t, &l) < 0 && tz_from_utc(tzid = "UTC", t, &l) < 0) {
		sb_addf(sb, "@%lld", (long long)t);
		return;
	}
	sb_addf(sb, "%s %d %s", msg_text(lang, (enum msg_id)(M_DATE_WDAY_LONG_0 + l.wday)), l.day,
		msg_text(lang, (enum msg_id)(M_DATE_MON_LONG_1 + l.mon - 1)));
	if (now == 0 || tz_from_utc(tzid, now, &n) < 0 || n.year != l.year)
		sb_addf(sb, " %d", l.year);
	if (with_time)
		sb_addf(sb, msg_text(lang, M_DATE_AT_TIME), l.hour, l.min);
}

void when_format_long(struct strbuf *sb, time_t t, time_t now, const char *tzid,
		      enum wt_lang lang)
{
	format_long(sb, t, now, tzid, lang, 1);
}

void when_format_long_day(struct strbuf *sb, time_t t, time_t now, const char *tzid,
			  enum wt_lang lang)
{
	format_long(sb, t, now, tzid, lang, 0);
}

int when_is_period_end(time_t t, const char *tzid, int end_hour, int *month)
{
	struct tz_local l;
	if (tz_from_utc(tzid, t, &l) < 0 || l.hour != end_hour || l.min || l.sec)
		return 0;
	long long day = tz_days_from_civil(l.year, l.mon, l.day);
	*month = l.mon;
	return day == when_workday_back(tz_days_from_civil(l.year, l.mon,
							   tz_days_in_month(l.year, l.mon)));
}

/* The catalogue text for a when_read error: what was wrong, with examples
 * of what the reader (flags) may write. */
const char *when_error_text(enum wt_lang lang, int err, unsigned flags)
{
	if (flags & WHEN_DURATION)
		return msg_text(lang, M_WHEN_DURATION);
	switch (err) {
	case WHEN_EMPTY: return msg_text(lang, flags & WHEN_DAY ? M_WHEN_DAY_EMPTY : M_WHEN_EMPTY);
	case WHEN_BAD_DATE: return msg_text(lang, M_WHEN_BAD_DATE);
	case WHEN_PAST: return msg_text(lang, M_WHEN_PAST);
	case WHEN_AMBIGUOUS: return msg_text(lang, M_WHEN_AMBIGUOUS);
	case WHEN_GAP: return msg_text(lang, M_WHEN_GAP);
	case WHEN_BAD_ZONE: return msg_text(lang, M_WHEN_BAD_ZONE);
	case WHEN_TOO_FAR: return msg_text(lang, M_WHEN_TOO_FAR);
	case WHEN_PERIOD: return msg_text(lang, M_WHEN_PERIOD);
	case WHEN_NOT_DAY: return msg_text(lang, M_WHEN_NOT_DAY);
	default: return msg_text(lang, flags & WHEN_DAY ? M_WHEN_DAY_UNKNOWN : M_WHEN_UNKNOWN);
	}
}
