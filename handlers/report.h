/* report: the reports the bot compiles itself on their schedule (issue
 * 19, item 6). With report_quarterly on, each action line that is not done
 * has a report per quarter, with report_halfyear on the programme one per
 * half-year: scheduled when the period starts, compiled at its end (the
 * morning after, REPORT_HOUR) and sent to the lead by direct message to
 * check (the programme's to the chair), posted report_post_day days later
 * in the report room as a summary and the report's files, checked or not
 * (then it says so). `!rapport` lists them and shows one; the lead answers
 * `!rapport akkoord <nr>` or `!rapport aanvulling <nr> <tekst>`.
 *
 * The compile and the post are generated reminders (family "report.",
 * kinds report.compile and report.post, about the scheduled_reports row,
 * keys "report:<row>:compile" / ":post"); each moves the row's state in
 * the transaction that puts its messages in the outbox, and does nothing
 * when the state has moved already: a restart never compiles or posts a
 * report twice. */
#ifndef WT_HANDLERS_REPORT_H
#define WT_HANDLERS_REPORT_H

#include <time.h>

#include "handlers/actionline.h"
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/reports.h"

/* Local hour at which reports are compiled and posted. */
#define REPORT_HOUR 9
/* Days after the period's end that a report is posted by default. */
#define REPORT_POST_DAYS 10

/* The room the network's scheduled reports are posted in: the config's
 * report_room (an alias as the bot pinned it), else the room of the
 * network's board body (storage/bodies.h), else the network's first room
 * given by id, else a room the bot is in for the network; NULL when none
 * is known. The one place that chooses. *owned (set to NULL first) is freed by the caller. */
const char *report_room(struct wt_ctx *ctx, char **owned);

/* The period of report r, and when it is compiled and posted. */
int report_period(const struct wt_ctx *ctx, const struct wt_report *r, struct al_period *p);
time_t report_compile_at(const struct wt_ctx *ctx, const struct al_period *p);
time_t report_post_at(const struct wt_ctx *ctx, const struct al_period *p);

/* "kwartaalrapportage AL1 Titel" / "halfjaarrapportage van het
 * programma" and ", K1 2027" of r into sb. */
void report_describe(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r);
void report_period_label(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_report *r);

/* The report as it is posted: its compiled text, the additions and the
 * line about its check (unchecked 1: not checked; 0: checked by
 * approved_by; -1: no such line, it is still being checked). 0 or
 * negative. */
int report_final_md(struct strbuf *md, struct wt_ctx *ctx, const struct wt_report *r,
		    int unchecked);

/* Who may approve r or add to it: 1 when ctx->sender is one of the
 * line's project leads (the programme: nobody but the chair's role). */
int report_is_reviewer(struct wt_ctx *ctx, const struct wt_report *r);

/* The family "report." (handlers/reminder_kinds.c). generate_ref is about
 * an action line (the trigger of migration 37 marks a new one). */
int report_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			   struct strbuf *out);
int report_reminder_generate(struct wt_ctx *ctx);
int report_reminder_generate_ref(struct wt_ctx *ctx, long long line_id);

int cmd_report(struct wt_ctx *ctx, const char *args);
extern const struct wt_command report_subs[];

#endif
