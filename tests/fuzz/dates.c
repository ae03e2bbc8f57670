/* Fuzz target: the date phrases (handlers/when.c, when_lex.c), the days
 * and periods of action lines (handlers/actionline_dates.c) and the
 * recurrences of reminders (handlers/recur.c). The first byte picks the
 * zone, language, default hour and clock; the rest is the text. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/recur.h"
#include "handlers/when.h"
#include "tests/fuzz/fuzz.h"

static const char *const zones[] = {
	"Europe/Amsterdam", "UTC", "America/New_York", "Pacific/Chatham", "Asia/Kolkata",
	"Australia/Lord_Howe", "Nergens/Niets", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	unsigned b = fz_byte(&in), c = fz_byte(&in);
	const char *tz = zones[b % 8];
	enum wt_lang lang = (b >> 3) & 1 ? LANG_EN : LANG_NL;
	int hour = (int)((b >> 4) % 24);
	/* Now: the fixed clock, or around a DST change or a year's end. */
	static const time_t nows[] = { FZ_NOW, 1806192000 /* 2027-03-28 */, 1824940800 /* 2027-10-31 */,
				       1830211200 /* 2027-12-31 */ };
	time_t now = nows[c % 4] + (time_t)(c / 4) * 3541;
	char *text = fz_str_dup(in.p, in.n);
	size_t len = strlen(text);

	time_t t = 0;
	size_t used = 0;
	int rc = when_parse(text, now, tz, lang, hour, &t, &used);
	FZ_CHECK(rc <= 0 && rc >= WHEN_PERIOD);
	if (rc == WHEN_OK) {
		FZ_CHECK(used > 0 && used <= len);
		FZ_CHECK(t >= now);
		struct strbuf sb = STRBUF_INIT;
		when_format(&sb, t, tz, lang);
		when_format_date(&sb, t, tz, lang);
		when_format_day_long(&sb, t, tz, lang, hour);
		FZ_CHECK(sb.len > 0);
		sb_release(&sb);
	}
	FZ_CHECK(when_error_text(lang, rc) != NULL);
	FZ_CHECK(when_starts_date(text) == 0 || when_starts_date(text) == 1);

	long today = 20000 + (long)(c % 200) * 37, day = 0;
	used = 0;
	if (al_parse_day(text, today, &day, &used) == 0)
		FZ_CHECK(used > 0 && used <= len);
	struct al_period p;
	for (int half = 0; half <= 1; half++) {
		if (al_parse_period(text, today, half, &p) == 0) {
			FZ_CHECK(p.from <= p.to);
			FZ_CHECK(p.n >= 1 && p.n <= (half ? 2 : 4));
			char key[8];
			al_period_key(&p, key);
		}
	}

	struct recur r = { 0 };
	used = 0;
	if (recur_parse(text, &r, &used) == RECUR_OK) {
		FZ_CHECK(r.rrule != NULL);
		FZ_CHECK(used > 0 && used <= len);
		struct strbuf sb = STRBUF_INIT;
		recur_describe(&sb, r.rrule, lang);
		sb_release(&sb);
		time_t start = 0, first = 0;
		if (recur_first(&r, tz, now, hour, &start, &first) == RECUR_OK)
			FZ_CHECK(first > now);
		recur_free(&r);
	}
	free(text);
	return 0;
}
