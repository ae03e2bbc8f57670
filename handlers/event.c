/* event: the routing of one event from a transport to its handler (see
 * handlers/event.h). */
#include "handlers/event.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/edits.h"
#include "handlers/evaluation.h"
#include "handlers/invite.h"
#include "handlers/person.h"
#include "handlers/poll.h"
#include "handlers/remind.h"

void wt_event_release(struct wt_event *ev)
{
	free(ev->reply_quote);
	person_mentions_free(&ev->mentions);
	memset(ev, 0, sizeof *ev);
}

int wt_event_wanted(const struct wt_event *ev, const char *own)
{
	return ev && ev->kind != WT_EV_NONE && ev->sender && ev->event_id
	       && !(own && strcmp(ev->sender, own) == 0);
}

/* The event's part of ctx: who sent it, where it stands (thread, the
 * message it replies to and its quote; a thread's fallback is no reply),
 * whom it names. */
static void fill_ctx(struct wt_ctx *ctx, const struct wt_event *ev)
{
	ctx->sender = ev->sender;
	ctx->event_id = ev->event_id;
	ctx->mentions = &ev->mentions;
	ctx->thread_root = ev->thread_root;
	ctx->reply_to = ev->reply_fallback ? NULL : ev->reply_to;
	ctx->reply_quote = ctx->reply_to ? ev->reply_quote : NULL;
}

/* A message (or a reply): held by the flood limit, or run as a command or
 * a logged line; what is neither may still answer a reminder it replies
 * to ("snooze 1h"; also in a thread, where the client's fallback names
 * the thread's last message). */
static int on_message(struct wt_ctx *ctx, const struct wt_event *ev,
		      const struct wt_event_hooks *h)
{
	if (h->ratelimit && ratelimit_hold(ctx, h->ratelimit, ev->body, ev->ts_ms))
		return WT_OK;
	int rc = (h->dispatch ? h->dispatch : wt_dispatch_message)(ctx, ev->body);
	if (rc == WT_NOT_COMMAND && ctx->out->n == 0 && ev->reply_to)
		rc = eval_on_reply(ctx, ev->reply_to, ev->body);
	if (rc == WT_NOT_COMMAND && ctx->out->n == 0 && ev->reply_to)
		rc = remind_on_reply(ctx, ev->reply_to, ev->body);
	return rc;
}

int wt_handle_event(struct wt_ctx *ctx, const struct wt_event *ev,
		    const struct wt_event_hooks *h, struct wt_event_done *done)
{
	static const struct wt_event_hooks none = { 0 };
	struct wt_event_done ignored;
	if (!done)
		done = &ignored;
	if (!h)
		h = &none;
	done->command = NULL;
	done->correction = 0;
	if (!wt_event_wanted(ev, h->own))
		return WT_NOT_COMMAND;
	fill_ctx(ctx, ev);
	switch (ev->kind) {
	case WT_EV_MESSAGE:
	case WT_EV_REPLY:
		done->command = ev->event_id;
		return on_message(ctx, ev, h);
	case WT_EV_EDIT: {
		int rc = edits_dispatch(ctx, ev, h, &done->command);
		done->correction = done->command != NULL;
		return rc;
	}
	case WT_EV_REDACTION: {
		/* A removed RSVP reaction, else a removed command or line. */
		int rc = invite_on_redaction(ctx, ev->redacts);
		return rc != WT_NOT_COMMAND ? rc : wt_dispatch_redact(ctx, ev->redacts);
	}
	case WT_EV_REACTION: {
		/* An RSVP to an invitation, else a reminder's 👍. */
		int rc = invite_on_reaction(ctx, ev->reaction.target, ev->reaction.key);
		return rc != WT_NOT_COMMAND ? rc
			: remind_on_reaction(ctx, ev->reaction.target, ev->reaction.key);
	}
	case WT_EV_POLL_RESPONSE:
		return poll_on_response(ctx, ev->poll.target, ev->poll.answers, ev->poll.n,
					ev->ts_ms);
	case WT_EV_NONE:
		break;
	}
	return WT_NOT_COMMAND;
}
