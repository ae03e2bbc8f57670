/* edits: an edit of a command runs it once when the command was refused
 * (see handlers/edits.h). */
#include "handlers/edits.h"

#include <ctype.h>
#include <string.h>

#include "handlers/ratelimit.h"
#include "handlers/reply.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/command_edits.h"
#include "storage/handled_events.h"

/* Whether text is shaped as a command (as wt_dispatch reads it): "!" and
 * a word right after it. */
static int is_command(const char *text)
{
	const char *p = text;
	while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p && *p == '!' && p[1] && !isspace((unsigned char)p[1]) && p[1] != '!';
}

/* The event's time in Unix seconds (origin_server_ts), or fallback. */
static long long event_seconds(const struct wt_event *ev, time_t fallback)
{
	return ev->ts_ms > 0 ? ev->ts_ms / 1000 : (long long)fallback;
}

int edits_main_reply(const struct wt_replies *out)
{
	for (size_t i = 0; out && i < out->n; i++) {
		const struct wt_reply *r = &out->v[i];
		if (r->kind == REPLY_NOTICE && !r->room && !r->to_user)
			return (int)i;
	}
	return -1;
}

/* The note, once per command, that its edit is not carried out (late:
 * the edit came after the window), as a reply to the command. */
static int note_once(struct wt_ctx *ctx, const char *original, int late)
{
	if (command_edits_set_noted(ctx->db, original, ctx->room, ctx->sender) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	ctx->event_id = original;
	if (late)
		reply_msgf(ctx, M_EDIT_TOO_LATE, EDITS_WINDOW / 60);
	else
		reply_msgf(ctx, M_EDIT_NOT_RUN);
	return WT_OK;
}

/* Run the corrected command of the refused command e (event original);
 * its answer edits the bot's refusal when that was sent and the answer
 * notifies nobody (an edit never notifies); a new answer goes where the
 * command was sent (its thread). *ran: 0 when the flood limit held it. */
static int run_correction(struct wt_ctx *ctx, const struct wt_event *ev,
			  const struct wt_event_hooks *h, const char *body,
			  const struct command_edit *e, int *ran)
{
	const char *original = ev->edit.target;
	ctx->event_id = original;
	ctx->thread_root = e->thread_root;
	*ran = !(h->ratelimit && ratelimit_hold(ctx, h->ratelimit, body, ev->ts_ms));
	if (!*ran)
		return WT_OK;
	int rc = (h->dispatch ? h->dispatch : wt_dispatch_message)(ctx, body);
	int m = edits_main_reply(ctx->out);
	if (m >= 0 && e->reply_event && !ctx->out->v[m].notify)
		ctx->out->v[m].replaces = xstrdup(e->reply_event);
	log_debug("%s: edit of refused command %s by %s ran (%d)", ctx->room,
		  original, ctx->sender, rc);
	return rc;
}

/* Each reply names the edit it answers (the transport sends it along,
 * bot/message.h's MESSAGE_ANSWERS_KEY). */
static void mark_answers(struct wt_replies *out, const char *edit_id)
{
	for (size_t i = 0; edit_id && i < out->n; i++)
		if (!out->v[i].answers_event)
			out->v[i].answers_event = xstrdup(edit_id);
}

/* An edit of a message the bot did not refuse: a logged line follows its
 * new text; a command that was carried out gets the note. */
static int edit_unrefused(struct wt_ctx *ctx, const char *original, const char *new_body)
{
	int rc = wt_dispatch_edit(ctx, original, new_body);
	int handled = rc == WT_NOT_COMMAND && ctx->out->n == 0
		? handled_event_has(ctx->db, original) : 0;
	if (handled < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	return handled ? note_once(ctx, original, 0) : rc;
}

int edits_dispatch(struct wt_ctx *ctx, const struct wt_event *ev,
		   const struct wt_event_hooks *h, const char **corrects)
{
	*corrects = NULL;
	const char *original = ev->edit.target, *new_body = ev->edit.body;
	const char *body = ev->edit.text ? ev->edit.text : new_body;
	if (!is_command(body))
		return wt_dispatch_edit(ctx, original, new_body);
	struct command_edit e;
	int have = command_edits_get(ctx->db, original, &e);
	if (have < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	int rc = WT_NOT_COMMAND;
	if (have && (strcmp(e.sender, ctx->sender) != 0 || strcmp(e.room_id, ctx->room) != 0)) {
		/* Not its author's: clients show no such edit. */
		log_debug("%s: edit of %s by %s, not its sender: ignored", ctx->room,
			  original, ctx->sender);
	} else if (have && e.state == CMD_EDIT_REFUSED) {
		long long late = event_seconds(ev, ctx->now) - e.refused_at;
		if (late > EDITS_WINDOW) {
			rc = note_once(ctx, original, 1);
		} else {
			int ran;
			rc = run_correction(ctx, ev, h, body, &e, &ran);
			if (ran)
				*corrects = original;
		}
	} else if (have && e.state == CMD_EDIT_RUN) {
		rc = note_once(ctx, original, 0);
	} else if (!have) {
		rc = edit_unrefused(ctx, original, new_body);
	}
	if (have && ctx->thread_root == e.thread_root)
		ctx->thread_root = NULL;  /* borrowed from e, freed here */
	if (have)
		command_edit_free(&e);
	mark_answers(ctx->out, ev->event_id);
	return rc;
}
