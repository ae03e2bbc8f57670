/* context: everything a command handler may look at (struct wt_ctx), the
 * limits the config sets for handlers, and the handlers' result codes. */
#ifndef WT_CONTEXT_H
#define WT_CONTEXT_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "handlers/mentions.h"
#include "handlers/network.h"
#include "handlers/replies.h"

/* Limits from the config's [bot] section that handlers apply (the
 * context's limits; every field 0 means its default). */
struct wt_limits {
	long max_reminders;  /* pending personal reminders per person (config
			      * max_reminders); 0: WT_MAX_REMINDERS_DEFAULT */
	long page_count_max; /* a list's count stops this many rows after the
			      * page's start ("more than 1,000"); 0:
			      * WT_PAGE_COUNT_MAX_DEFAULT */
	const char *web_url; /* [web] public_url: the base of the board's
			      * links (web/); NULL: no web board */
};
#define WT_MAX_REMINDERS_DEFAULT 50
#define WT_PAGE_COUNT_MAX_DEFAULT 1000

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
	const struct wt_limits *limits; /* the config's limits; NULL: the defaults */
	/* Every network of the config, so that a command's transaction also
	 * regenerates the reminders of a network other than its own
	 * (handlers/reminder_kinds.h); NULL, 0: only net, the others wait
	 * for the scheduler. */
	const struct wt_network *networks;
	size_t nnetworks;
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

/* Longest message body the bot accepts (bytes). */
#define WT_MAX_MESSAGE 8000
/* Longest single-line field (titles, reasons), in characters. */
#define WT_MAX_FIELD 200

#endif
