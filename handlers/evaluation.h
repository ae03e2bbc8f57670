/* evaluation: `!evaluatie` / `!evaluation`, a structured evaluation of the
 * round table (issue 20, item 3).
 *
 * `!evaluatie start <sjabloon> [tot <datum>]` (secretary, chair) starts a
 * round from a ready template (evaluation_templates): its scale questions
 * go to the room as native polls (handlers/poll.h, anonymous, ending at
 * the deadline), its open question to each member of the room by direct
 * message. A member answers by replying to that message or with
 * `!evaluatie antwoord <nr> <tekst>`. A few days before the deadline
 * those who did not answer everything get one reminder (family
 * "evaluation.", handlers/evaluation_remind.c); at the deadline the room
 * is told to close it. `!evaluatie sluit <nr>` ends the polls and posts
 * the report (Markdown and HTML files) and a summary; a round compares
 * each score with the previous round of the same template.
 * `!evaluatie <nr>` shows how it stands (counts only: the round is
 * anonymous). */
#ifndef WT_EVALUATION_H
#define WT_EVALUATION_H

#include <stddef.h>

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/evaluations.h"

/* The sent_links kind of an open question's direct message (the object:
 * the evaluations row id). */
#define SENT_LINK_EVAL "evaluation"

/* Days before the deadline that the reminder goes out. */
#define EVAL_REMIND_DAYS 3
/* The deadline when none is given: this many days after the start. */
#define EVAL_DEFAULT_DAYS 14

struct eval_question_def {
	int kind;             /* EVAL_Q_SCALE (1-10) or EVAL_Q_OPEN */
	enum msg_id text;
};

struct eval_template {
	const char *name_nl, *name_en;
	enum msg_id title;
	const struct eval_question_def *q;
	size_t n;
};

extern const struct eval_template evaluation_templates[];
extern const size_t evaluation_ntemplates;

/* The template stored as name (its Dutch name), or NULL. */
const struct eval_template *eval_template_by_name(const char *name);

/* A reply to the message ctx->reply_to: when that is an open question's
 * direct message, the answer is stored and acknowledged (WT_OK);
 * otherwise WT_NOT_COMMAND. */
int eval_on_reply(struct wt_ctx *ctx, const char *replied_event_id, const char *body);

/* Close round e (open): end its polls, keep the averages, add the report
 * files and the summary to ctx->out. WT_OK or negative with an error. */
int eval_close(struct wt_ctx *ctx, const struct wt_eval *e);

/* The family's parts (handlers/reminder_kinds.h). */
int eval_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			 struct strbuf *out);
int eval_reminder_generate(struct wt_ctx *ctx);
int eval_reminder_generate_ref(struct wt_ctx *ctx, long long eval_id);

#endif
