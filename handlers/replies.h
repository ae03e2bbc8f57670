/* replies: what a handler produces, the messages (and reactions and
 * files) the transport sends. Building them: handlers/reply.h. */
#ifndef WT_REPLIES_H
#define WT_REPLIES_H

#include <stddef.h>

/* One outgoing message produced by a handler. The transport turns markdown
 * into body/formatted_body; in_reply_to and mentions become m.relates_to and
 * m.mentions. kind REPLY_REACTION puts an annotation (key = markdown) on
 * in_reply_to instead of a message.
 *
 * notify says the message is meant for people (a reminder, an assignment,
 * a direct message): it goes out as m.text, which the default push rules
 * let through, and pings exactly the users in mentions. Without it the
 * message is an ordinary reply, m.notice (see message_reply_notify),
 * which the default rule .m.rule.suppress_notices keeps silent. */
/* REPLY_EVENT is an event of its own type (event_type) with its content
 * as built (content, JSON text; markdown: its text for the console and
 * the log), e.g. a poll's start and end (handlers/poll.h); poll_id: the
 * poll whose start event it is (the transport links the sent event id to
 * it, storage/polls.h polls_link_outbox), 0: none. */
/* REPLY_STATE is a state event (event_type, state_key, content as
 * built; markdown: its text for the console and the log) in the room,
 * e.g. the board's room widget (handlers/board.h); refused: the Markdown
 * posted in the room, as a reply to the command, when the homeserver
 * refuses it with M_FORBIDDEN (the bot's power level is too low), or
 * NULL. */
enum wt_reply_kind { REPLY_NOTICE = 0, REPLY_REACTION = 1, REPLY_FILE = 2, REPLY_EVENT = 3,
		     REPLY_STATE = 4 };

struct wt_reply {
	enum wt_reply_kind kind;
	char *room;          /* target room id; NULL = the command's room */
	char *to_user;       /* direct message to this user instead of a room */
	char *markdown;      /* message text (REACTION: the key; FILE: the contents) */
	char *filename;      /* REPLY_FILE only */
	char *in_reply_to;   /* event id the reply answers, or NULL */
	char *thread_root;   /* the thread it goes in (the command's), or NULL */
	char **mentions;     /* user ids for m.mentions */
	size_t nmentions;
	int notify;          /* meant for people: m.text, mentions ping (above) */
	int is_error;        /* a refusal: the command changed nothing */
	char *answers;       /* the sender of the command it answers (reply_add
			      * sets it), so a room's sends take turns */
	char *replaces;      /* the bot's own message this one edits into its
			      * text (m.replace; bot/edits.c sets it), or NULL */
	char *answers_event; /* the event it answers when in_reply_to does not
			      * say it (an edit of a command; bot/edits.c) */
	const char *link_kind; /* what the message is about, for a reaction to
				* it (storage/sent_links.h SENT_LINK_*; a
				* static string), or NULL */
	long long link_id;   /* that object's row id */
	char *event_type;    /* REPLY_EVENT: its type */
	char *content;       /* REPLY_EVENT: its content (JSON object text) */
	long long poll_id;   /* REPLY_EVENT: the poll it starts, or 0 */
	char *state_key;     /* REPLY_STATE: its state key */
	char *refused;       /* REPLY_STATE: the M_FORBIDDEN note, or NULL */
};

struct wt_replies {
	struct wt_reply *v;
	size_t n, cap;
};

void wt_replies_free(struct wt_replies *r);

#endif
