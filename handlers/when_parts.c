/* when_parts: the parts of the day in the date grammar ("vanavond",
 * "morgenochtend", "morgen 's avonds", "tonight", "this afternoon", "om 2
 * uur 's middags"); see handlers/when.h for the hours they stand for. */
#include "handlers/when.h"

#include "handlers/when_lex.h"

/* Parts of the day and the hour each stands for when no time is written:
 * the morning 9:00, the afternoon 14:00, the evening 20:00, the night
 * 23:00 (when.h). */
static const struct word day_parts[] = {
	{ "ochtend", PART_MORNING }, { "morning", PART_MORNING }, { "middag", PART_AFTERNOON },
	{ "afternoon", PART_AFTERNOON }, { "avond", PART_EVENING }, { "evening", PART_EVENING },
	{ "nacht", PART_NIGHT }, { "night", PART_NIGHT }, { NULL, 0 }
};
/* After "'s": 's ochtends, 's morgens, 's middags, 's avonds, 's nachts. */
static const struct word day_parts_s[] = {
	{ "ochtends", PART_MORNING }, { "morgens", PART_MORNING },
	{ "middags", PART_AFTERNOON }, { "avonds", PART_EVENING }, { "nachts", PART_NIGHT },
	{ NULL, 0 }
};
/* One word for a day and its part: value = days from today * 100 + hour. */
static const struct word part_days[] = {
	{ "vanochtend", PART_MORNING }, { "vanmorgen", PART_MORNING },
	{ "vanmiddag", PART_AFTERNOON }, { "vanavond", PART_EVENING },
	{ "vannacht", PART_NIGHT }, { "tonight", PART_EVENING },
	{ "morgenochtend", 100 + PART_MORNING }, { "morgenvroeg", 100 + PART_MORNING },
	{ "morgenmiddag", 100 + PART_AFTERNOON }, { "morgenavond", 100 + PART_EVENING },
	{ "morgennacht", 100 + PART_NIGHT }, { NULL, 0 }
};

/* "'s" (with a straight or a curly apostrophe) and the blank after it. */
static int lex_s_prefix(struct lex *lx)
{
	size_t save = lx->i;
	if (peek(lx, 0) == '\'')
		lx->i += 1;
	else if (peek(lx, 0) == 0xe2 && peek(lx, 1) == 0x80 && peek(lx, 2) == 0x99)
		lx->i += 3;
	else
		return 0;
	if ((peek(lx, 0) | 0x20) != 's' || peek(lx, 1) != ' ') {
		lx->i = save;
		return 0;
	}
	lx->i += 1;
	skip_ws(lx);
	return 1;
}

/* A part of the day after a day ("morgen ochtend", "morgen 's avonds",
 * "tomorrow morning", "vrijdag 's middags", "in de middag"): sets
 * p->part_hour; 0 (position kept) when there is none. */
int when_opt_part(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	int v;
	skip_ws(lx);
	if (lex_s_prefix(lx)) {
		if (lex_word_in(lx, day_parts_s, &v) && at_boundary(lx)) {
			p->part_hour = v;
			return 1;
		}
	} else {
		size_t at = lx->i;
		if (lex_word_is(lx, "in")) {
			skip_ws(lx);
			if (!lex_word_is(lx, "de") && !lex_word_is(lx, "the"))
				lx->i = at;
			skip_ws(lx);
		}
		if (lex_word_in(lx, day_parts, &v) && at_boundary(lx)) {
			p->part_hour = v;
			return 1;
		}
	}
	lx->i = save;
	return 0;
}

/* "vanavond", "morgenochtend", "tonight", "this afternoon": a day and its
 * part in one go. */
int when_parse_partday(struct lex *lx, struct phrase *p)
{
	size_t save = lx->i;
	int v;
	skip_ws(lx);
	if (lex_word_in(lx, part_days, &v) && at_boundary(lx)) {
		p->have_rel = 1;
		p->rel_days = v / 100;
		p->part_hour = v % 100;
		return 1;
	}
	lx->i = save;
	skip_ws(lx);
	if (lex_word_is(lx, "this") && when_opt_part(lx, p)) {
		p->have_rel = 1;
		p->rel_days = 0;
		return 1;
	}
	lx->i = save;
	return 0;
}

/* "'s middags" after an hour: the hour it makes (see when_lex.h). */
int when_time_part(struct lex *lx, long *h)
{
	size_t at = lx->i;
	int part;
	skip_ws(lx);
	if (!lex_s_prefix(lx) || !lex_word_in(lx, day_parts_s, &part) || !at_boundary(lx)) {
		lx->i = at;
		return 0;
	}
	if (*h > 12)
		return WHEN_BAD_DATE;  /* "14 uur 's ochtends" */
	if (part >= PART_AFTERNOON && *h < 12 && !(part == PART_NIGHT && *h < 6))
		*h += 12;
	else if (part == PART_MORNING && *h == 12)
		*h = 0;
	return 1;
}
