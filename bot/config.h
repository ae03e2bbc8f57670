/* config: the bot's ini file (inih), validated with line numbers.
 * See config.example.ini for every key. */
#ifndef WT_CONFIG_H
#define WT_CONFIG_H

#include <stddef.h>

#include "handlers/context.h"
#include "handlers/ratelimit.h"
#include "lib/strbuf.h"

/* One [body.NAME] section: a body of a network (storage/bodies.h). */
struct wt_body_cfg {
	char *name;
	char *network;          /* required: a [network.NAME] of the file */
	int kind;               /* enum body_kind; -1 until set (required), -2 wrong */
	char **rooms;           /* NULL-terminated, rooms of that network */
	char *chair;            /* or NULL */
	char *secretary;        /* or NULL */
	char **members;         /* NULL-terminated */
	char **advisory;        /* NULL-terminated: advisory members */
	int decides_advice;     /* decides_advice = yes: delivered advice goes
				 * to this body rather than the board */
	int line;               /* of its header */
};

enum wt_transport { TRANSPORT_HTTP = 0, TRANSPORT_WEBSOCKET = 1, TRANSPORT_AUTO = 2 };

struct wt_config {
	/* [matrix] */
	char *homeserver;       /* base URL, e.g. "http://127.0.0.1:8008" */
	char *user_id;          /* "@werktafel:example.org" */
	char *password;         /* or NULL; from password, password_file or $WERKTAFEL_PASSWORD */
	char *password_file;    /* or NULL: a file holding the password */
	char *access_token_file;/* or NULL; one of password/token file is required for --config runs */
	char *device_id;        /* or NULL: the server picks one, stored in the db */
	enum wt_transport transport;
	char *websocket_url;    /* required for websocket; optional for auto */
	/* [bot] */
	char *database;         /* path; --db overrides */
	int log_level;          /* enum log_level */
	enum wt_lang lang;      /* default language */
	char *timezone;         /* default zone, "Europe/Amsterdam" */
	char **admins;          /* NULL-terminated */
	long late_limit_hours;  /* missed reminders older than this are summarised, not sent */
	struct wt_limits limits; /* for handlers: max_reminders (pending personal
				  * reminders per person, default 50) */
	struct wt_ratelimit ratelimit; /* commands_per_minute, command_burst per sender */
	int replies_text;       /* ordinary replies as m.text, not m.notice (default 0) */
	char *displayname;      /* the bot's profile name, or NULL: left as it is */
	char *avatar;           /* mxc:// URI or a PNG/JPEG file, or NULL: left as it is */
	/* [crypto]: end-to-end encryption (bot/e2ee.h) */
	int crypto_off;         /* enabled = no: encrypted rooms get nothing */
	char *crypto_store;     /* store directory; NULL: "<database>.crypto" */
	char *crypto_passphrase_file; /* its first line encrypts the store; or NULL */
	long key_wait_minutes;  /* an event waits this long for its room key (60) */
	/* [web]: the board's web server (web/server.h); off without listen */
	char *web_listen;       /* "127.0.0.1:8090", or NULL: no server */
	char *web_public_url;   /* the base of the links ("https://bord.example.org"),
				 * without a trailing slash */
	char *web_frame_ancestors; /* CSP frame-ancestors sources (the homeserver's
				    * web client), or NULL: 'none' */
	/* [network.NAME] sections */
	struct wt_network *networks;
	size_t nnetworks;
	/* [body.NAME] sections (bot/config_bodies.c): written to the
	 * database at start, where commands adjust them */
	struct wt_body_cfg *bodies;
	size_t nbodies;
	/* Where things are, for config_check_matrix's messages. */
	char *path;             /* the file config_load read */
	int matrix_line;        /* line of [matrix], 0 when absent */
	int transport_line;     /* line of "transport =", 0 when absent */
	int nlines;             /* lines in the file */
};

/* Load and validate path. On error returns -1 with "path:line: what is
 * wrong" (one line per problem) in err; cfg is then freed. Defaults: lang nl,
 * timezone Europe/Amsterdam, transport http, log level info, database
 * "werktafel.db", late_limit_hours 24, limits.max_reminders 50, commands_per_minute 30,
 * command_burst 20; a network takes
 * [bot]'s language and zone, and its offsets (enabled ones only, in the
 * order agenda_call 21d, agenda_final 10d, invitation 7d, meeting_tomorrow
 * 1d, room_day_before 1d, room_hour_before 1h) from remind_KIND keys;
 * advice_wait_days 14. */
int config_load(const char *path, struct wt_config *cfg, struct strbuf *err);
void config_free(struct wt_config *cfg);

/* The checks only a Matrix run needs (console mode has no [matrix]):
 * homeserver and user_id present, a password or a readable
 * access_token_file, websocket_url for transport = websocket. Appends
 * "path:line: what is wrong" lines to err and returns -1, or returns 0. */
int config_check_matrix(const struct wt_config *cfg, struct strbuf *err);

/* The network a room belongs to (room id, alias or console room name), or
 * NULL. */
const struct wt_network *config_network_for_room(const struct wt_config *cfg,
						 const char *room);
/* The network called name, or NULL. */
const struct wt_network *config_network_by_name(const struct wt_config *cfg,
						const char *name);

#endif
