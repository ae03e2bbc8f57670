/* Fuzz target of the one date grammar: when_read (handlers/when.c,
 * when_lex.c, when_period.c) with every set of flags its readers use
 * (date and time, day, past allowed, duration), the periods of action-line
 * reports (handlers/actionline_dates.c) and the recurrences of reminders
 * (handlers/recur.c). The first byte picks the
 * zone, language, default hour and clock; the rest is the text. */
#include <ctype.h>
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

	/* Every reader of the one grammar: a date and time, a day (past or
	 * not), a duration. Each either takes a part of the text or refuses
	 * and takes nothing. */
	static const unsigned flagsets[] = { 0, WHEN_PAST_OK, WHEN_DAY, WHEN_DAY | WHEN_PAST_OK,
					     WHEN_DURATION };
	for (size_t k = 0; k < sizeof flagsets / sizeof flagsets[0]; k++) {
		unsigned fl = flagsets[k];
		struct when_in win = { now, tz, lang, hour, fl, (int)(c % 25) };
		struct when_out o;
		int rc = when_read(text, &win, &o);
		FZ_CHECK(rc <= 0 && rc >= WHEN_BAD_DURATION);
		FZ_CHECK(when_error_text(lang, rc, fl) != NULL);
		if (rc != WHEN_OK) {
			FZ_CHECK(o.used == 0);
			continue;
		}
		FZ_CHECK(o.used > 0 && o.used <= len);
		/* A phrase ends where a word ends: never inside one. */
		unsigned char next = (unsigned char)text[o.used];
		unsigned char last = (unsigned char)text[o.used - 1];
		FZ_CHECK(!(isalnum(last) && isalnum(next)));
		if (fl & WHEN_DURATION) {
			FZ_CHECK(o.secs >= 0 && o.secs <= 3653L * 86400);
			continue;
		}
		if (!(fl & WHEN_PAST_OK))
			FZ_CHECK((fl & WHEN_DAY) ? o.day >= (long)(now / 86400) - 1 : o.at >= now);
		struct strbuf sb = STRBUF_INIT;
		when_format(&sb, o.at, tz, lang);
		when_format_date(&sb, o.at, tz, lang);
		when_format_day_long(&sb, o.at, tz, lang, hour);
		FZ_CHECK(sb.len > 0);
		sb_release(&sb);
	}
	FZ_CHECK(when_starts_date(text) == 0 || when_starts_date(text) == 1);

	long today = 20000 + (long)(c % 200) * 37;
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
	size_t used = 0;
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
