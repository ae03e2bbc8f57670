/* event: the one typed entry point from a transport into the handlers.
 *
 * A transport (the Matrix sync, bot/sync_event.c's sync_event_read; the
 * console, bot/console.c) turns what it received into one struct
 * wt_event and calls wt_handle_event. The routing lives here: which
 * handler gets which kind, that the bot's own events are ignored, that an
 * edit of a command is a correction (handlers/edits.h) while an edit of
 * a logged line moves what was logged, that a reply to a reminder can
 * snooze it and a 👍 on one subscribes to it.
 *
 * The transport owns the bookkeeping around it: once-only handling
 * (handled_events), the transaction, the outbox. wt_handle_event never
 * touches the network. */
#ifndef WT_EVENT_H
#define WT_EVENT_H

#include "handlers/dispatch.h"
#include "handlers/ratelimit.h"

enum wt_event_kind {
	WT_EV_NONE = 0,     /* nothing the bot reads (state, other msgtypes, ...) */
	WT_EV_MESSAGE,      /* a text message (m.text) */
	WT_EV_REPLY,        /* a text message that replies to another event */
	WT_EV_EDIT,         /* an edit (m.replace) of a message */
	WT_EV_REDACTION,    /* a message was deleted */
	WT_EV_REACTION,     /* an annotation (m.annotation), e.g. 👍 */
	WT_EV_POLL_RESPONSE, /* an answer to a poll (m.poll.response or
			      * org.matrix.msc3381.poll.response) */
};

/* The most answers of one poll response the handlers read (MSC3381
 * polls have at most 20 answers). */
#define WT_POLL_SELECT_MAX 20

/* One event as the handlers see it. The strings are borrowed from the
 * transport (they live as long as its event) except those said owned,
 * which wt_event_release frees. */
struct wt_event {
	enum wt_event_kind kind;
	const char *sender;          /* "@user:server" */
	const char *event_id;        /* NULL: none (nothing handles it) */
	long long ts_ms;             /* origin_server_ts, Unix ms; 0: unknown */
	/* MESSAGE and REPLY: the text, without a reply's quoted fallback. */
	const char *body;
	const char *formatted_body;  /* HTML when the client sent it, or NULL */
	const char *thread_root;     /* the thread it was sent in, or NULL */
	/* The event it replies to (m.in_reply_to), also a thread's fallback
	 * (reply_fallback = 1: a client's in-thread default, no real reply);
	 * reply_quote: the replied-to text the client quoted (owned), or NULL. */
	const char *reply_to;
	int reply_fallback;
	char *reply_quote;
	/* Who the message names (pills, m.mentions); owned. */
	struct wt_mentions mentions;
	struct {
		const char *target;  /* the edited event */
		const char *body;    /* its new text (m.new_content) */
		const char *text;    /* that without a reply's quoted fallback
				      * (what a command in it reads); NULL: body */
	} edit;
	struct {
		const char *target;  /* the event reacted to */
		const char *key;     /* the reaction, e.g. "👍" */
	} reaction;
	const char *redacts;         /* REDACTION: the deleted event */
	struct {
		const char *target;  /* the poll's start event (m.reference) */
		const char *answers[WT_POLL_SELECT_MAX]; /* the answer ids chosen */
		size_t n;
	} poll;
};

/* Free what ev owns and clear it. */
void wt_event_release(struct wt_event *ev);

/* What wt_handle_event needs of the transport. */
struct wt_event_hooks {
	const char *own;   /* the bot's user id: its own events are ignored */
	/* What runs a message (wt_dispatch_message; tests count with a
	 * fake); NULL: wt_dispatch_message. */
	int (*dispatch)(struct wt_ctx *ctx, const char *body);
	const struct wt_ratelimit *ratelimit; /* the flood limit; NULL: none */
};

/* What the transport notes after the replies went out (bot/edits.h's
 * edits_note_outcome): the command whose outcome an edit may later
 * correct (the message itself, or the refused command an edit just
 * corrected: correction = 1), or NULL. */
struct wt_event_done {
	const char *command;
	int correction;
};

/* Whether ev is for the handlers at all: a kind they read, with a sender
 * and an event id, not the bot's own (own: its user id). */
int wt_event_wanted(const struct wt_event *ev, const char *own);

/* Handle ev (see above). ctx holds the transport's part (db, net, room,
 * now, lang, admins, out); wt_handle_event fills the event's part
 * (sender, event_id, thread_root, reply_to, reply_quote, mentions) from
 * ev, which must outlive ctx's use. Returns what a dispatcher returns:
 * WT_NOT_COMMAND (with no reply) when nothing in ev was for the bot;
 * done (may be NULL) says what to note. */
int wt_handle_event(struct wt_ctx *ctx, const struct wt_event *ev,
		    const struct wt_event_hooks *h, struct wt_event_done *done);

#endif
