/* config_parse: what bot/config.c (the file's shape, sections, errors) and
 * bot/config_keys.c (each key's value) share. Private to those two files. */
#ifndef WT_CONFIG_PARSE_H
#define WT_CONFIG_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/config.h"

#define HOUR 3600L
#define DAY (24 * HOUR)
#define MAX_LINE 65536          /* longest line we accept, in bytes */
#define MAX_NAME 40             /* network and theme names */
#define MAX_LATE_HOURS 8760     /* late_limit_hours: at most a year */
#define MAX_REMINDERS 10000     /* max_reminders: upper bound */
#define NREMINDERS 6            /* entries of cfg_reminders */

/* The meeting reminders a network may configure, in the order they happen,
 * with their default offsets. */
struct cfg_reminder {
	const char *kind;
	long seconds;
};
extern const struct cfg_reminder cfg_reminders[NREMINDERS];

/* The keys of each section, NULL-terminated. */
extern const char *const cfg_matrix_keys[];
extern const char *const cfg_bot_keys[];
extern const char *const cfg_network_keys[];
extern const char *const cfg_crypto_keys[];
extern const char *const cfg_web_keys[];
extern const char *const cfg_body_keys[];

enum section { SEC_NONE, SEC_MATRIX, SEC_BOT, SEC_NETWORK, SEC_CRYPTO, SEC_WEB, SEC_BODY, SEC_SKIP };

/* What the parser knows about a network beyond struct wt_network. */
struct net_info {
	int line;                    /* of its [network.NAME] header */
	int *room_lines;             /* line of each room, for conflicts */
	bool lang_set, tz_set;
	bool rooms_bad;              /* some rooms entry was reported */
	long offsets[NREMINDERS];    /* seconds; 0 = off */
};

struct key_seen {
	const char *key;             /* points into a *_keys table */
	int line;
};

/* One problem found, reported after the whole file is read. */
struct cfg_problem {
	int line;
	size_t seq;                  /* order found, among the same line */
	char *msg;
};

struct parser {
	const char *path;
	struct wt_config *cfg;
	struct strbuf *err;
	struct cfg_problem *errors;  /* reported by line at the end */
	size_t nerr;
	/* the file and the reader's position in it */
	const char *text;
	size_t len, pos, line_end;
	bool mid_line;               /* the reader is inside a long line */
	int line;                    /* number of the line being parsed */
	/* the current section */
	enum section sec;
	size_t net;                  /* index into cfg->networks for SEC_NETWORK */
	size_t body;                 /* index into cfg->bodies for SEC_BODY */
	struct key_seen seen[64];    /* keys set in the current section (more than any section has) */
	size_t nseen;
	int bot_line;
	int crypto_line;
	int web_line;
	struct net_info *info;       /* parallel to cfg->networks */
};


/* Note a problem ("key: what is wrong; what is right") at line. */
void cfg_error(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Apply one key of [matrix], [bot] or the current [network.NAME] (the key
 * is known to be in the section's table and set only once). */
void cfg_matrix_key(struct parser *p, const char *key, const char *value);
void cfg_bot_key(struct parser *p, const char *key, const char *value);
void cfg_network_key(struct parser *p, const char *key, const char *value);
void cfg_crypto_key(struct parser *p, const char *key, const char *value);
/* [web] (bot/config_web.c). */
void cfg_web_key(struct parser *p, const char *key, const char *value);
/* After the file: listen and public_url go together; the handlers' link
 * base (limits.web_url). */
void cfg_web_finish(struct parser *p);

/* [body.NAME] (bot/config_bodies.c): begin the section (name after
 * "body."), apply one of its keys, check them all after the whole file
 * (its network exists, its rooms are that network's, a room in one body),
 * free them. */
void cfg_body_begin(struct parser *p, const char *name);
void cfg_body_key(struct parser *p, const char *key, const char *value);
void cfg_body_finish(struct parser *p);
void cfg_body_free(struct wt_config *cfg);
/* bot/config_keys.c's comma-separated list reader and user id check, for
 * bot/config_bodies.c. */
char **cfg_list(struct parser *p, const char *key, const char *value, size_t *n);
bool cfg_user_id_ok(const char *s);

/* Store a copy of value in *slot, freeing what was there. */
void cfg_set_str(char **slot, const char *value);
/* Free a NULL-terminated list of strings. */
void cfg_free_list(char **v);

#endif
