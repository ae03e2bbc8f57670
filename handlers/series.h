/* series: recurring meetings (`!vergadering plan ... elke 2 maanden`,
 * `!vergadering reeks <id> stop`). The occurrences are planned as meetings
 * of their own, up to a horizon that moves along with time, so one can be
 * moved or cancelled without touching the rest. */
#ifndef WT_SERIES_H
#define WT_SERIES_H

#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/meetings.h"

/* How far ahead occurrences are planned (at least the next one is). */
#define SERIES_HORIZON (120L * 86400)

/* Find a recurrence phrase ("elke 2 maanden", "every second tuesday") among
 * the plan options opts, blank it out there and return its RRULE in *rrule
 * (caller frees; NULL when there is none). Returns WT_OK, or WT_EUSAGE
 * after an error reply. */
int series_take_rule(struct wt_ctx *ctx, char *opts, char **rrule);

/* Append "De eerstvolgende keren: a, b en c." to sb: up to three
 * occurrences of rrule anchored at dtstart in tz, from `from` on (from
 * itself when it is dtstart), each as a day written out. */
void series_add_next_dates(struct strbuf *sb, struct wt_ctx *ctx, const char *rrule,
			   const char *tz, time_t dtstart, time_t from);

/* Append to sb (after a blank line) a warning line for each planned or
 * open meeting of ctx->net that overlaps m (start to start plus duration)
 * or, when m heads a series, one of its planned occurrences; the meetings
 * of m's own series are not compared with each other. At most five
 * warnings. Returns how many. */
int series_add_overlaps(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m);

/* Make the just-created meeting head a series of rrule and plan its
 * occurrences; a monthly or yearly rule keeps the head's weekday
 * (recur_keep_weekday). Adds a reply with the rule in words and the next
 * three dates, and a warning for each overlap (series_add_overlaps). WT_EUSAGE (with a reply) when the rule has no
 * occurrence after the head. */
int series_start(struct wt_ctx *ctx, const struct wt_meeting *head, const char *rrule);

/* !vergadering reeks <id> <verb>: the verb (series_subs in
 * handlers/commands.h: stop) comes after the id, so this finds it and runs
 * its row on the id and what follows. */
int series_cmd(struct wt_ctx *ctx, const char *args);

/* Plan the occurrences of every running series of ctx->net up to
 * ctx->now + SERIES_HORIZON. Returns the number planned, or negative. */
int series_top_up(struct wt_ctx *ctx);

#endif
