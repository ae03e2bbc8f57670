/* dispatch: the one entry point from a transport (Matrix, console) into the
 * command handlers.
 *
 * A handler is a pure function of (command, sender, room, time, database) to
 * (replies, database changes). It never touches the network. The caller owns
 * the transaction around wt_dispatch (the Matrix client commits the sync
 * token in it); wt_dispatch runs each command inside a SAVEPOINT and rolls it
 * back when the command fails, so a refused command changes nothing.
 */
#ifndef WT_DISPATCH_H
#define WT_DISPATCH_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "lib/strbuf.h"

enum wt_lang { LANG_NL = 0, LANG_EN = 1 };
#define WT_NLANGS 2

/* Roles per network, ordered: each role may do what the ones below it may.
 * Project lead and sponsor are per action line and checked there. */
enum wt_role {
	ROLE_NONE = 0,      /* not a member of this network's rooms */
	ROLE_MEMBER = 1,    /* lid */
	ROLE_BOARD = 2,     /* bestuurder */
	ROLE_SECRETARY = 3, /* secretaris */
	ROLE_CHAIR = 4,     /* voorzitter */
	ROLE_ADMIN = 5,     /* from the config */
};

/* A meeting-reminder offset: which reminder, how long before the meeting. */
struct wt_offset {
	char *kind;      /* "agenda_call", "agenda_final", "invitation", ... */
	long seconds;    /* before the meeting's start */
};

/* A network (one round table) as the config describes it. */
struct wt_network {
	char *name;
	char **rooms;        /* room ids ("!abc:server") or aliases, or console room names */
	size_t nrooms;
	char **themes;       /* the spearheads; short names, matched case-insensitively */
	size_t nthemes;
	enum wt_lang lang;
	char *tz;            /* IANA zone, e.g. "Europe/Amsterdam" */
	struct wt_offset *offsets;
	size_t noffsets;
	long advice_wait_days; /* asked advice unaccepted this long: the chair hears; 0 = 14 */
	int plain_direct_chats; /* encrypt_direct_chats = no: direct chats opened unencrypted */
};

/* What an unknown !word gets in a network (config key unknown_commands,
 * set like log_anyone): an answer only when a command is close to it (the
 * default: rooms may hold other bots with their own !commands), always,
 * or never. wt_unknown_commands_reset forgets every setting. */
enum { WT_UNKNOWN_SUGGEST = 0, WT_UNKNOWN_ANSWER = 1, WT_UNKNOWN_SILENT = 2 };
void wt_unknown_commands_set(const char *network, int mode);
int wt_unknown_commands(const char *network);
void wt_unknown_commands_reset(void);

/* One outgoing message produced by a handler. The transport turns markdown
 * into body/formatted_body; in_reply_to and mentions become m.relates_to and
 * m.mentions. kind REPLY_REACTION puts an annotation (key = markdown) on
 * in_reply_to instead of a message.
 *
 * notify says the message is meant for people (a reminder, an assignment,
 * a direct message): it goes out as m.text, which the default push rules
 * let through, and pings exactly the users in mentions. Without it the
 * message is an ordinary reply, m.notice (see message_set_reply_text),
 * which the default rule .m.rule.suppress_notices keeps silent. */
enum wt_reply_kind { REPLY_NOTICE = 0, REPLY_REACTION = 1, REPLY_FILE = 2 };

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
};

struct wt_replies {
	struct wt_reply *v;
	size_t n, cap;
};

void wt_replies_free(struct wt_replies *r);

/* The people a message names the way clients do it (read from the event
 * by the transport): pills (a link to https://matrix.to/#/@user:server in
 * formatted_body, shown with text in body) and m.mentions.user_ids. The
 * person resolver (handlers/person.h) uses them. */
struct wt_pill {
	char *user_id;
	char *text;              /* the pill's text as body shows it */
};
struct wt_mentions {
	struct wt_pill *pills;
	size_t npills;
	char **user_ids;         /* m.mentions.user_ids */
	size_t nuser_ids;
};

/* Everything a handler may look at. */
struct wt_command;

struct wt_ctx {
	sqlite3 *db;
	const struct wt_network *net;
	const char *sender;      /* "@user:server" */
	const char *room;        /* room id, or the console room name */
	const char *event_id;    /* the command's event id; NULL in the console */
	const char *thread_root; /* the thread the command was sent in, or NULL */
	const char *reply_to;    /* the event the message replies to, or NULL */
	const char *reply_quote; /* that event's text from the reply fallback, or NULL */
	time_t now;              /* UTC; injected so tests control the clock */
	enum wt_lang lang;
	enum wt_role role;       /* the sender's role in net, filled by dispatch */
	const char *const *admins; /* NULL-terminated list from the config */
	const struct wt_mentions *mentions; /* the message's pills; NULL: none */
	struct wt_replies *out;
	/* The command table row that runs (a sub-command's row when there
	 * is one; handlers/commands.h) and the rows above it, outermost
	 * first; set by command_run. */
	const struct wt_command *cmd;
	const struct wt_command *cmd_path[4];
	size_t cmd_depth;
	/* Strings the command owns until its dispatch ends (ctx_md). */
	char **owned;
	size_t nowned;
	/* Set by a list's paging (handlers/page.h) for `!meer`: the next
	 * page, -1 when the list is at its end, 0: no list shown. wt_dispatch
	 * stores it with the command and clears it. */
	long page_next;
};

/* Result codes of handlers and wt_dispatch. */
enum {
	WT_OK = 0,
	WT_NOT_COMMAND = 1,   /* wt_dispatch: the message was not for the bot */
	WT_EUSAGE = -1,       /* bad input; an error reply was added */
	WT_EPERM = -2,        /* role too low; an error reply was added */
	WT_ENOTFOUND = -3,    /* unknown id; an error reply was added */
	WT_EDB = -4,          /* database failure; an error reply was added */
};

/* Run one message. Returns WT_NOT_COMMAND when body is no command (nothing
 * added), WT_OK when the command succeeded, or a negative code when it was
 * refused (an error reply was added and the database is unchanged). */
int wt_dispatch(struct wt_ctx *ctx, const char *body);

/* Run one message as the transports see it: a command through wt_dispatch,
 * else its #besluit / #actie / #info lines are logged (all or none, in a
 * savepoint, with one ✅ reaction on the message; errors replied). While a
 * meeting is open in the room the sender is noted as an attendee. Returns
 * WT_NOT_COMMAND when nothing in it was for the bot. */
int wt_dispatch_message(struct wt_ctx *ctx, const char *body);
/* The message original_event_id was edited (m.replace) to new_body: the
 * items logged from it follow the new text (handlers/logging.c). ctx is
 * the edit event's. WT_NOT_COMMAND when nothing was logged from it and the
 * new text logs nothing. */
int wt_dispatch_edit(struct wt_ctx *ctx, const char *original_event_id,
		     const char *new_body);
/* The message redacted_event_id was redacted: the items logged from it are
 * removed. WT_NOT_COMMAND when there were none. */
int wt_dispatch_redact(struct wt_ctx *ctx, const char *redacted_event_id);

/* Meeting mode's log_anyone setting of a network (from the config, like
 * the other process-wide limits): when on, every member may log
 * decisions, actions and notes; by default only the secretary and the
 * chair. */
void wt_log_anyone_set(const char *network, int on);
int wt_log_anyone(const char *network);

/* Room power levels that give a role where none is stored with !rol: the
 * highest level a user has in the network's rooms (direct chats left out). */
#define WT_POWER_CHAIR 100
#define WT_POWER_SECRETARY 50

/* The sender's role in the network: admin from the config, else the stored
 * role, else the one the room power levels give, else member. */
enum wt_role wt_role_of(sqlite3 *db, const struct wt_network *net,
			const char *const *admins, const char *user);

/* Longest message body the bot accepts (bytes). */
#define WT_MAX_MESSAGE 8000
/* Longest single-line field (titles, reasons), in characters. */
#define WT_MAX_FIELD 200

#endif
