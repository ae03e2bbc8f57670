/* actionline: what the files of !actielijn / !al share (handlers/
 * actionline.c, actionline_team.c, actionline_edit.c, actionline_report.c,
 * actionline_remind.c, actionline_dates.c), and the reminder family "actionline." that
 * handlers/reminder_kinds.c lists. */
#ifndef WT_HANDLERS_ACTIONLINE_H
#define WT_HANDLERS_ACTIONLINE_H

#include <stddef.h>
#include <time.h>

#include "handlers/catalog.h"
#include "handlers/commands.h"
#include "handlers/context.h"
#include "handlers/when.h"
#include "lib/strbuf.h"
#include "storage/actionlines.h"

/* ---- days and periods (actionline_dates.c) ---- */

/* Today in the network's zone, as a day number. */
long al_today(const struct wt_ctx *ctx);
/* The day of instant t in the network's zone. */
long al_day_of(const struct wt_ctx *ctx, time_t t);
/* The first instant (00:00) of day in the network's zone, plus hour hours. */
time_t al_day_start(const struct wt_ctx *ctx, long day, int hour);

/* Read a day at the start of text, as every date is read (handlers/when.h,
 * with WHEN_DAY and WHEN_PAST_OK): 1-4-2027, 2027-04-01, 1 april 2027,
 * 1 apr and 1-4 (the one nearest to today), vandaag, gisteren, overmorgen,
 * volgende dinsdag, over 2 weken, eind januari. Past days are fine (a phase
 * that started last month). Returns WHEN_OK with *day and *used set, or a
 * when_read error (*used 0). */
int al_read_day(const struct wt_ctx *ctx, const char *text, long *day, size_t *used);
/* The flags al_read_day reads with (for when_error_text). */
#define AL_DAY_FLAGS (WHEN_DAY | WHEN_PAST_OK)

/* A quarter or half-year. */
struct al_period {
	int year;
	int half;     /* 1: half-year, 0: quarter */
	int n;        /* 1-4 (quarter) or 1-2 (half) */
	long from, to; /* first and last day */
};
/* The quarter (half = 0) or half-year (half = 1) holding day. */
void al_period_of(long day, int half, struct al_period *p);
/* Read a quarter ("2027-Q1", "2027Q1", "Q1 2027", "K1 2027", "q1-2027",
 * "1e kwartaal 2027", "Q1" this year) or when half a half-year ("2027-H1",
 * "H2 2027"), as the date grammar reads spans (when_read_span). The whole
 * text must be the period (blanks around allowed). Returns 0 or -1. */
int al_parse_period(const char *text, long today, int half, struct al_period *p);
/* "2027Q1" / "2027H1": the key reports and reminders store. */
void al_period_key(const struct al_period *p, char out[8]);
/* "K1 2027" / "Q1 2027" / "H1 2027". */
void al_period_label(struct strbuf *sb, const struct wt_ctx *ctx, const struct al_period *p);
/* "1 apr 2027". */
void al_format_day(struct strbuf *sb, const struct wt_ctx *ctx, long day);

/* ---- shared helpers (actionline.c) ---- */

/* The status named by word (and, for "op schema" / "on track" / "at risk",
 * the next word: *used is 1 or 2), or -1. */
int al_status_word(const char *word, const char *next, int *used);
/* Name and coloured marker of a status. */
const char *al_status_name(const struct wt_ctx *ctx, enum al_status s);
const char *al_status_marker(enum al_status s);
/* "staat nu op schema", "is nu vertraagd": status s after a line's code. */
const char *al_status_now(const struct wt_ctx *ctx, enum al_status s);
/* The part named by word, or -1. */
int al_part_word(const char *word);
/* "AL3", "al3", "AL-3", "3", "#3" -> 3; -1 when not a code. */
long long al_code_parse(const char *word);

/* Read the code at p into *l (found) and return the position after it; on
 * failure add the error (unknown code: the list of codes) and return NULL
 * with *rc set. */
const char *al_read_line(struct wt_ctx *ctx, const char *p, enum msg_id syn,
			 struct actionline *l, int *rc);
/* Append the people of part in l, comma-separated and escaped ("nobody
 * yet" when none). */
void al_add_people(struct strbuf *sb, const struct wt_ctx *ctx, const struct actionline *l,
		   enum al_part part);
/* "AL3" as plain text into sb. */
void al_add_code(struct strbuf *sb, const struct actionline *l);

/* The order parts are shown in: sponsor, lead, care professional,
 * external guide, members (actionline_signup.c). */
extern const enum al_part al_part_order[AL_NPARTS];
/* The phase numbered (or named) by word in l, or NULL after adding the
 * error with synopsis syn (actionline_edit.c). */
const struct al_phase *al_find_phase(struct wt_ctx *ctx, const struct actionline *l,
				     const char *word, enum msg_id syn, int *rc);
/* The network's wanted team size when the line sets none. */
#define AL_TEAM_SIZE_DEFAULT 3
/* The team size l wants: its own, else the network's, else the default. */
int al_team_wanted(const struct wt_ctx *ctx, const struct actionline *l);
/* "Gewenst: 3 projectteamleden per actielijn, nu 2 teamleden." and the
 * pending sign-ups, as lines of !al <code> (actionline_signup.c). */
void al_show_team_wanted(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l);
/* "; budget € 5.000, go (besluit 3)" after a phase in !al <code>, and the
 * decisions linked to the line (actionline_gate.c). */
void al_show_phase_gate(struct strbuf *sb, struct wt_ctx *ctx, const struct al_phase *p);
void al_show_decisions(struct strbuf *sb, struct wt_ctx *ctx, const struct actionline *l);
/* 1 when the sender may record the go / no-go on a phase of l: the
 * board's decision ("per fase wordt vastgesteld of de investering gewenst
 * is"); until bodies exist (issue 19, item 1) whoever records the board's
 * decision on advice: a board member, the secretary or the chair. The one
 * place that decides it. */
int al_may_decide_gate(const struct wt_ctx *ctx, const struct actionline *l);

/* ---- sub-commands ---- */
/* A part of ctx->cmd named after the first skip words of args: for
 * `!al resultaat AL1 klaar 2 ...` (skip 1) the row `klaar`, and head gets
 * "AL1 2 ...", the text that row's handler reads (command_run). NULL when
 * that word is no part. */
const struct wt_command *al_part_after(struct wt_ctx *ctx, const char *args, int skip,
				       struct strbuf *head);
/* The parts under a part: after the code (team, resultaat) or after the
 * phase (fase). */
extern const struct wt_command al_team_subs[];
extern const struct wt_command al_phase_subs[];
extern const struct wt_command al_deliv_subs[];

int al_cmd_new(struct wt_ctx *ctx, const char *args);      /* actionline_team.c */
int al_cmd_team(struct wt_ctx *ctx, const char *args);
int al_cmd_edit(struct wt_ctx *ctx, const char *args);
int al_cmd_status(struct wt_ctx *ctx, const char *args);   /* actionline_edit.c */
int al_cmd_update(struct wt_ctx *ctx, const char *args);
int al_cmd_phase(struct wt_ctx *ctx, const char *args);
int al_cmd_deliv(struct wt_ctx *ctx, const char *args);
int al_cmd_spend(struct wt_ctx *ctx, const char *args);
int al_cmd_report(struct wt_ctx *ctx, const char *args);   /* actionline_report.c */
int al_cmd_join(struct wt_ctx *ctx, const char *args);     /* actionline_signup.c */
int al_cmd_confirm(struct wt_ctx *ctx, const char *args);
int al_cmd_decline(struct wt_ctx *ctx, const char *args);
int al_cmd_phase_budget(struct wt_ctx *ctx, const char *args); /* actionline_gate.c */
int al_cmd_phase_go(struct wt_ctx *ctx, const char *args);
int al_cmd_phase_nogo(struct wt_ctx *ctx, const char *args);

/* Write the report of line l for period p into md: the same text for the
 * same data and period (the clock only picks "as of" for a running
 * period). level 1: a report of its own; 2: a section of the programme
 * report. */
void al_report_line(struct strbuf *md, struct wt_ctx *ctx, const struct actionline *l,
		    const struct al_period *p, int level);
/* Write the programme report of every line of the network for period p. */
int al_report_programme(struct strbuf *md, struct wt_ctx *ctx, const struct al_period *p);

/* ---- reminders (actionline_remind.c): kinds "actionline.quarter" (to
 * each project lead, two weeks before the quarter ends), "actionline.late"
 * (to the chairs, when a line turns late) and "actionline.overdue" (to the
 * chairs, the day after a deliverable's due day). ---- */

/* Days before the end of a quarter that leads get their reminder. */
#define AL_QUARTER_REMIND_DAYS 14
/* Local hour at which generated reminders fire. */
#define AL_REMIND_HOUR 9

int actionline_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			       struct strbuf *out);
int actionline_reminder_generate(struct wt_ctx *ctx);
/* The reminders of action line line_id alone (reminder_generate_ref_fn). */
int actionline_reminder_generate_ref(struct wt_ctx *ctx, long long line_id);

#endif
