/* config: reads the ini file with inih and validates every value.
 *
 * inih gives us comments, trimming and the key/value split; line numbers it
 * does not give (Debian's libinih is built without INI_HANDLER_LINENO). So
 * we hand inih the file through our own reader (parse_reader), which counts
 * lines, checks each line's shape, and handles section headers; inih then
 * calls on_key for each "key = value" of the line just read. Every problem is
 * collected as "path:line: what is wrong", never only the first.
 */
#include "bot/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/log.h"
#include "lib/tz.h"

#define HOUR 3600L
#define DAY (24 * HOUR)
#define MAX_LINE 65536          /* longest line we accept, in bytes */
#define MAX_NAME 40             /* network and theme names */
#define MAX_LATE_HOURS 8760     /* late_limit_hours: at most a year */

/* The meeting reminders a network may configure, in the order they happen,
 * with their default offsets. */
static const struct {
	const char *kind;
	long seconds;
} reminder_defaults[] = {
	{ "agenda_call", 21 * DAY },   { "agenda_final", 10 * DAY },
	{ "invitation", 7 * DAY },     { "meeting_tomorrow", DAY },
	{ "room_day_before", DAY },    { "room_hour_before", HOUR },
};
#define NREMINDERS (sizeof reminder_defaults / sizeof reminder_defaults[0])

static const char *const matrix_keys[] = { "homeserver", "user_id", "password",
	"access_token_file", "device_id", "transport", "websocket_url", NULL };
static const char *const bot_keys[] = { "database", "log_level", "language",
	"timezone", "admins", "late_limit_hours", NULL };
static const char *const network_keys[] = { "rooms", "themes", "language",
	"timezone", "remind_agenda_call", "remind_agenda_final",
	"remind_invitation", "remind_meeting_tomorrow", "remind_room_day_before",
	"remind_room_hour_before", NULL };

enum section { SEC_NONE, SEC_MATRIX, SEC_BOT, SEC_NETWORK, SEC_SKIP };

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

struct parser {
	const char *path;
	struct wt_config *cfg;
	struct strbuf *err;
	int nerr;
	/* the file and the reader's position in it */
	const char *text;
	size_t len, pos, line_end;
	bool mid_line;               /* the reader is inside a long line */
	int line;                    /* number of the line being parsed */
	/* the current section */
	enum section sec;
	size_t net;                  /* index into cfg->networks for SEC_NETWORK */
	struct key_seen seen[16];    /* keys set in the current section */
	size_t nseen;
	int bot_line;
	struct net_info *info;       /* parallel to cfg->networks */
};

/* Add "path:line: ..." to the error list. */
__attribute__((format(printf, 3, 4)))
static void perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	sb_addf(p->err, "%s:%d: ", p->path, line);
	va_start(ap, fmt);
	sb_vaddf(p->err, fmt, ap);
	va_end(ap);
	sb_addc(p->err, '\n');
	p->nerr++;
}

/* Edit distance, to suggest the key or section the user probably meant. */
static size_t distance(const char *a, const char *b)
{
	size_t lb = strlen(b), row[64], i, j;
	if (lb >= 64)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; a[i - 1]; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (tolower((unsigned char)a[i - 1]) !=
					      tolower((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The entry of names closest to s when it is close enough, or NULL. */
static const char *closest(const char *s, const char *const *names)
{
	const char *best = NULL;
	size_t bestd = strlen(s) / 3 + 1;
	if (bestd > 3)
		bestd = 3;
	for (; *names; names++) {
		size_t d = distance(s, *names);
		if (d <= bestd) {
			best = *names;
			bestd = d;
		}
	}
	return best;
}

/* ---- value checks ---- */

static bool has_space_or_ctrl(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s))
			return true;
	return false;
}

/* 1 when s is scheme (e.g. "https://") followed by a host. */
static bool url_ok(const char *s, const char *scheme)
{
	size_t n = strlen(scheme);
	return strncasecmp(s, scheme, n) == 0 && s[n] && s[n] != '/' &&
	       !has_space_or_ctrl(s);
}

/* A Matrix user id: "@local:server". */
static bool user_id_ok(const char *s)
{
	const char *colon = strchr(s, ':');
	return s[0] == '@' && colon && colon > s + 1 && colon[1] &&
	       strlen(s) <= 255 && !has_space_or_ctrl(s) && !strchr(s + 1, '@') &&
	       !strchr(colon, '/');
}

/* A room: "!id[:server]", "#alias:server" or a console name [A-Za-z0-9_.-]. */
static bool room_ok(const char *s)
{
	if (strlen(s) > 255 || has_space_or_ctrl(s) || s[0] == '\0')
		return false;
	if (s[0] == '!' || s[0] == '#') {
		const char *colon = strchr(s, ':');
		if (s[1] == '\0' || s[1] == ':')
			return false;
		if (s[0] == '#' && !colon)
			return false;
		return !colon || colon[1] != '\0';
	}
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
			return false;
	return true;
}

/* Parse "21d", "12h", "90m" into seconds (> 0, at most a year); "off" is 0.
 * Returns -1 for anything else. */
static long parse_offset(const char *s)
{
	if (strcasecmp(s, "off") == 0)
		return 0;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	long unit = *end == 'd' ? DAY : *end == 'h' ? HOUR : *end == 'm' ? 60 : 0;
	if (errno || unit == 0 || end[1] != '\0' || n <= 0 || n > 366 * DAY / unit)
		return -1;
	return n * unit;
}

/* Split a comma-separated list into trimmed, owned strings (NULL-terminated
 * array). An empty value gives an empty list; an empty entry between commas
 * is reported and skipped; a trailing comma is allowed. */
static char **split_list(struct parser *p, const char *key, const char *value,
			 size_t *n)
{
	char **v = xcalloc(1, sizeof *v);
	*n = 0;
	if (value[0] == '\0')
		return v;
	const char *s = value;
	for (;;) {
		const char *comma = strchr(s, ',');
		const char *e = comma ? comma : s + strlen(s);
		const char *b = s;
		while (b < e && isspace((unsigned char)*b))
			b++;
		const char *t = e;
		while (t > b && isspace((unsigned char)t[-1]))
			t--;
		if (t == b && !comma && *n > 0) {
			/* a trailing comma is harmless */
		} else if (t == b) {
			perr(p, p->line, "%s: empty entry in the list; separate "
			     "entries with one comma", key);
		} else {
			v = xrealloc(v, (*n + 2) * sizeof *v);
			v[(*n)++] = xstrndup(b, (size_t)(t - b));
			v[*n] = NULL;
		}
		if (!comma)
			break;
		s = comma + 1;
	}
	return v;
}

static void free_list(char **v)
{
	if (!v)
		return;
	for (char **s = v; *s; s++)
		free(*s);
	free(v);
}

/* Store value in *slot, replacing the default. */
static void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

/* ---- keys ---- */

static void matrix_key(struct parser *p, const char *key, const char *value)
{
	struct wt_config *c = p->cfg;
	if (strcmp(key, "homeserver") == 0) {
		if (!url_ok(value, "http://") && !url_ok(value, "https://")) {
			perr(p, p->line, "homeserver: \"%s\" is not an http:// or "
			     "https:// URL (e.g. https://matrix.example.org)", value);
			return;
		}
		set_str(&c->homeserver, value);
		size_t n = strlen(c->homeserver);
		while (n > 0 && c->homeserver[n - 1] == '/')
			c->homeserver[--n] = '\0';
	} else if (strcmp(key, "user_id") == 0) {
		if (!user_id_ok(value))
			perr(p, p->line, "user_id: \"%s\" is not a Matrix user id; "
			     "write @name:server (e.g. @werktafel:example.org)", value);
		else
			set_str(&c->user_id, value);
	} else if (strcmp(key, "transport") == 0) {
		p->cfg->transport_line = p->line;
		if (strcmp(value, "http") == 0)
			c->transport = TRANSPORT_HTTP;
		else if (strcmp(value, "websocket") == 0)
			c->transport = TRANSPORT_WEBSOCKET;
		else if (strcmp(value, "auto") == 0)
			c->transport = TRANSPORT_AUTO;
		else
			perr(p, p->line, "transport: \"%s\" is unknown; use http, "
			     "websocket or auto", value);
	} else if (strcmp(key, "websocket_url") == 0) {
		if (!url_ok(value, "ws://") && !url_ok(value, "wss://"))
			perr(p, p->line, "websocket_url: \"%s\" is not a ws:// or "
			     "wss:// URL (e.g. wss://matrix.example.org/_matrix/"
			     "client/unstable/stream)", value);
		else
			set_str(&c->websocket_url, value);
	} else {
		/* password, access_token_file, device_id: any non-empty text */
		char **slot = strcmp(key, "password") == 0 ? &c->password
			: strcmp(key, "access_token_file") == 0 ? &c->access_token_file
			: &c->device_id;
		if (value[0] == '\0')
			perr(p, p->line, "%s: empty value; give one or remove the "
			     "line", key);
		else if (slot == &c->device_id && has_space_or_ctrl(value))
			perr(p, p->line, "device_id: \"%s\" contains spaces; a device "
			     "id is one word (e.g. WERKTAFEL01)", value);
		else
			set_str(slot, value);
	}
}

/* language = nl|en, shared by [bot] and [network.NAME]. */
static bool parse_lang(struct parser *p, const char *value, enum wt_lang *out)
{
	if (strcmp(value, "nl") == 0)
		*out = LANG_NL;
	else if (strcmp(value, "en") == 0)
		*out = LANG_EN;
	else {
		perr(p, p->line, "language: \"%s\" is not supported; use nl or en",
		     value);
		return false;
	}
	return true;
}

/* timezone = IANA name, shared by [bot] and [network.NAME]. */
static bool check_zone(struct parser *p, const char *value)
{
	if (tz_valid(value) == 1)
		return true;
	perr(p, p->line, "timezone: \"%s\" is not a known time zone; use an IANA "
	     "name such as Europe/Amsterdam", value);
	return false;
}

static void bot_key(struct parser *p, const char *key, const char *value)
{
	struct wt_config *c = p->cfg;
	if (strcmp(key, "database") == 0) {
		if (value[0] == '\0')
			perr(p, p->line, "database: empty value; give a file path "
			     "(e.g. /var/lib/werktafel/werktafel.db)");
		else
			set_str(&c->database, value);
	} else if (strcmp(key, "log_level") == 0) {
		int l = log_level_parse(value);
		if (l < 0)
			perr(p, p->line, "log_level: \"%s\" is unknown; use error, "
			     "warn, info or debug", value);
		else
			c->log_level = l;
	} else if (strcmp(key, "language") == 0) {
		parse_lang(p, value, &c->lang);
	} else if (strcmp(key, "timezone") == 0) {
		if (check_zone(p, value))
			set_str(&c->timezone, value);
	} else if (strcmp(key, "admins") == 0) {
		size_t n;
		char **v = split_list(p, key, value, &n);
		for (size_t i = 0; i < n; i++) {
			if (!user_id_ok(v[i]))
				perr(p, p->line, "admins: \"%s\" is not a Matrix user "
				     "id; write @name:server, separated by commas", v[i]);
			for (size_t j = 0; j < i; j++)
				if (strcmp(v[i], v[j]) == 0)
					perr(p, p->line, "admins: \"%s\" is listed twice",
					     v[i]);
		}
		free_list(c->admins);
		c->admins = v;
	} else { /* late_limit_hours */
		char *end;
		errno = 0;
		long h = strtol(value, &end, 10);
		if (!isdigit((unsigned char)value[0]) || *end || errno ||
		    h > MAX_LATE_HOURS)
			perr(p, p->line, "late_limit_hours: \"%s\" is not a whole "
			     "number of hours from 0 to %d (e.g. 24)", value,
			     MAX_LATE_HOURS);
		else
			c->late_limit_hours = h;
	}
}

/* The network (and its line) that already holds room, or NULL. */
static const struct wt_network *room_owner(struct parser *p, const char *room,
					   int *line)
{
	for (size_t i = 0; i < p->cfg->nnetworks; i++) {
		const struct wt_network *n = &p->cfg->networks[i];
		for (size_t j = 0; j < n->nrooms; j++)
			if (strcmp(n->rooms[j], room) == 0) {
				*line = p->info[i].room_lines[j];
				return n;
			}
	}
	return NULL;
}

static void network_rooms(struct parser *p, const char *value)
{
	struct wt_network *net = &p->cfg->networks[p->net];
	struct net_info *info = &p->info[p->net];
	size_t n;
	char **v = split_list(p, "rooms", value, &n);
	net->rooms = xcalloc(n + 1, sizeof *net->rooms);
	info->room_lines = xcalloc(n + 1, sizeof *info->room_lines);
	for (size_t i = 0; i < n; i++) {
		int line;
		const struct wt_network *owner;
		if (!room_ok(v[i])) {
			perr(p, p->line, "rooms: \"%s\" is not a room; write !id:server, "
			     "#alias:server or a console room name (letters, digits, "
			     "- _ .)", v[i]);
		} else if ((owner = room_owner(p, v[i], &line)) == net) {
			perr(p, p->line, "rooms: \"%s\" is listed twice", v[i]);
		} else if (owner) {
			perr(p, p->line, "rooms: \"%s\" already belongs to network "
			     "\"%s\" (line %d); a room belongs to one network",
			     v[i], owner->name, line);
		} else {
			info->room_lines[net->nrooms] = p->line;
			net->rooms[net->nrooms++] = v[i];
			v[i] = NULL;
		}
		free(v[i]);
	}
	info->rooms_bad = net->nrooms < n;
	free(v);
}

static void network_themes(struct parser *p, const char *value)
{
	struct wt_network *net = &p->cfg->networks[p->net];
	size_t n;
	char **v = split_list(p, "themes", value, &n);
	net->themes = xcalloc(n + 1, sizeof *net->themes);
	for (size_t i = 0; i < n; i++) {
		bool ok = true;
		if (strlen(v[i]) > MAX_NAME) {
			perr(p, p->line, "themes: \"%s\" is too long; a theme is a "
			     "short name of at most %d characters", v[i], MAX_NAME);
			ok = false;
		}
		for (size_t j = 0; ok && j < net->nthemes; j++)
			if (strcasecmp(v[i], net->themes[j]) == 0) {
				perr(p, p->line, "themes: \"%s\" is listed twice", v[i]);
				ok = false;
			}
		if (ok) {
			net->themes[net->nthemes++] = v[i];
			v[i] = NULL;
		}
		free(v[i]);
	}
	free(v);
}

static void network_key(struct parser *p, const char *key, const char *value)
{
	struct wt_network *net = &p->cfg->networks[p->net];
	struct net_info *info = &p->info[p->net];
	if (strcmp(key, "rooms") == 0) {
		network_rooms(p, value);
	} else if (strcmp(key, "themes") == 0) {
		network_themes(p, value);
	} else if (strcmp(key, "language") == 0) {
		info->lang_set = parse_lang(p, value, &net->lang);
	} else if (strcmp(key, "timezone") == 0) {
		if (check_zone(p, value)) {
			set_str(&net->tz, value);
			info->tz_set = true;
		}
	} else { /* remind_* */
		const char *kind = key + strlen("remind_");
		long s = parse_offset(value);
		if (s < 0) {
			perr(p, p->line, "%s: \"%s\" is not an offset; write a number "
			     "with d, h or m (e.g. 7d, 12h, 90m) or off", key, value);
			return;
		}
		for (size_t i = 0; i < NREMINDERS; i++)
			if (strcmp(reminder_defaults[i].kind, kind) == 0)
				info->offsets[i] = s;
	}
}

/* ---- sections and lines ---- */

/* Begin the section named name (the text between the brackets). */
static void begin_section(struct parser *p, const char *name)
{
	struct wt_config *c = p->cfg;
	p->nseen = 0;
	p->sec = SEC_SKIP;
	if (strcmp(name, "matrix") == 0 || strcmp(name, "bot") == 0) {
		int *first = name[0] == 'm' ? &c->matrix_line : &p->bot_line;
		if (*first) {
			perr(p, p->line, "section [%s] appears twice (first at line "
			     "%d); merge them", name, *first);
			return;
		}
		*first = p->line;
		p->sec = name[0] == 'm' ? SEC_MATRIX : SEC_BOT;
		return;
	}
	if (strncmp(name, "network.", 8) != 0) {
		static const char *const known[] = { "matrix", "bot", "network",
						     NULL };
		size_t head = strcspn(name, ".");
		char *h = xstrndup(name, head);
		const char *guess = closest(h, known);
		free(h);
		if (guess && strcmp(guess, "network") == 0)
			perr(p, p->line, "unknown section [%s]; did you mean "
			     "[network%s]?", name, name[head] ? name + head : ".NAME");
		else if (guess)
			perr(p, p->line, "unknown section [%s]; did you mean [%s]?",
			     name, guess);
		else
			perr(p, p->line, "unknown section [%s]; sections are "
			     "[matrix], [bot] and [network.NAME]", name);
		return;
	}
	const char *nn = name + 8;
	bool ok = nn[0] != '\0' && strlen(nn) <= MAX_NAME;
	for (const char *s = nn; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || *s == '_' || *s == '-';
	if (!ok) {
		perr(p, p->line, "[%s]: a network name is 1 to %d letters, digits, "
		     "- or _ (e.g. [network.regio-noord])", name, MAX_NAME);
		return;
	}
	for (size_t i = 0; i < c->nnetworks; i++)
		if (strcmp(c->networks[i].name, nn) == 0) {
			perr(p, p->line, "section [%s] appears twice (first at line "
			     "%d); merge them", name, p->info[i].line);
			return;
		}
	c->networks = xrealloc(c->networks, (c->nnetworks + 1) * sizeof *c->networks);
	p->info = xrealloc(p->info, (c->nnetworks + 1) * sizeof *p->info);
	p->net = c->nnetworks++;
	memset(&c->networks[p->net], 0, sizeof c->networks[p->net]);
	memset(&p->info[p->net], 0, sizeof p->info[p->net]);
	c->networks[p->net].name = xstrdup(nn);
	p->info[p->net].line = p->line;
	for (size_t i = 0; i < NREMINDERS; i++)
		p->info[p->net].offsets[i] = reminder_defaults[i].seconds;
	p->sec = SEC_NETWORK;
}

/* Check the shape of one line (start is past leading blanks, end at its
 * newline); handle a section header. Returns false when the line is wrong
 * (already reported): inih then gets an empty line instead. */
static bool check_line(struct parser *p, const char *start, const char *end,
		       bool indented)
{
	if (memchr(start, '\0', (size_t)(end - start))) {
		perr(p, p->line, "the line contains a NUL byte; the file must be "
		     "text");
		return false;
	}
	if (end - start > MAX_LINE - 3) {
		perr(p, p->line, "the line is longer than %d bytes", MAX_LINE - 3);
		return false;
	}
	if (start == end || *start == ';' || *start == '#')
		return true;
	if (*start == '=') {
		perr(p, p->line, "a key is missing before '='; write \"key = "
		     "value\"");
		return false;
	}
	if (*start == '[') {
		const char *close = memchr(start, ']', (size_t)(end - start));
		const char *rest = close ? close + 1 : end;
		while (rest < end && isspace((unsigned char)*rest))
			rest++;
		if (!close || (rest < end && *rest != ';' && *rest != '#')) {
			p->sec = SEC_SKIP; /* its keys would only add noise */
			perr(p, p->line, "a section header is [NAME] alone on its "
			     "line (e.g. [bot] or [network.regio-noord])");
			return false;
		}
		const char *b = start + 1, *e = close;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		char *name = xstrndup(b, (size_t)(e - b));
		begin_section(p, name);
		free(name);
		return true;
	}
	/* a key line: inih splits at the first '=' or ':' before a comment */
	for (const char *s = start; s < end; s++) {
		if (*s == '=')
			return true;
		if (*s == ':' || (*s == ';' && isspace((unsigned char)s[-1])))
			break;
	}
	if (indented)
		perr(p, p->line, "continued lines are not supported; write the "
		     "whole value on the line of its key");
	else
		perr(p, p->line, "expected \"key = value\" or [section]");
	return false;
}

/* fgets-like reader for ini_parse_stream: hands inih the file line by line,
 * counting lines and checking each one first. */
static char *parse_reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	if (!p->mid_line) {
		if (p->pos >= p->len)
			return NULL;
		p->line++;
		const char *s = p->text + p->pos;
		const char *nl = memchr(s, '\n', p->len - p->pos);
		const char *end = nl ? nl : p->text + p->len;
		p->line_end = (size_t)(end - p->text) + (nl ? 1 : 0);
		const char *start = s;
		if (p->line == 1 && p->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			start += 3;
		while (start < end && isspace((unsigned char)*start))
			start++;
		if (!check_line(p, start, end, start > s)) {
			p->pos = p->line_end;
			return strcpy(str, "\n");
		}
		/* leading blanks dropped, so inih never sees a continuation */
		p->pos = (size_t)(start - p->text);
		p->mid_line = true;
	}
	size_t n = p->line_end - p->pos;
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, p->text + p->pos, n);
	str[n] = '\0';
	p->pos += n;
	p->mid_line = p->pos < p->line_end;
	return str;
}

/* inih handler: one "key = value" of the line parse_reader just gave. */
static int on_key(void *user, const char *section, const char *key,
		  const char *value)
{
	struct parser *p = user;
	static const char *const *const tables[] = {
		[SEC_MATRIX] = matrix_keys, [SEC_BOT] = bot_keys,
		[SEC_NETWORK] = network_keys,
	};
	(void)section;
	if (p->sec == SEC_SKIP)
		return 1;
	if (p->sec == SEC_NONE) {
		perr(p, p->line, "\"%s\" is outside any section; put it under "
		     "[matrix], [bot] or [network.NAME]", key);
		return 1;
	}
	struct strbuf sec = STRBUF_INIT;
	if (p->sec == SEC_NETWORK)
		sb_addf(&sec, "network.%s", p->cfg->networks[p->net].name);
	else
		sb_add(&sec, p->sec == SEC_MATRIX ? "matrix" : "bot");
	const char *const *keys = tables[p->sec];
	size_t k = 0;
	while (keys[k] && strcmp(keys[k], key) != 0)
		k++;
	if (!keys[k]) {
		const char *guess = closest(key, keys);
		struct strbuf known = STRBUF_INIT;
		for (size_t i = 0; keys[i]; i++)
			sb_addf(&known, "%s%s", i ? ", " : "", keys[i]);
		if (guess)
			perr(p, p->line, "unknown key \"%s\" in [%s]; did you mean "
			     "\"%s\"?", key, sec.buf, guess);
		else
			perr(p, p->line, "unknown key \"%s\" in [%s]; known keys: %s",
			     key, sec.buf, known.buf);
		sb_release(&known);
	} else {
		size_t i = 0;
		while (i < p->nseen && p->seen[i].key != keys[k])
			i++;
		if (i < p->nseen) {
			perr(p, p->line, "%s is set twice in [%s] (first at line %d); "
			     "keep one", key, sec.buf, p->seen[i].line);
		} else {
			p->seen[p->nseen].key = keys[k];
			p->seen[p->nseen++].line = p->line;
			if (p->sec == SEC_MATRIX)
				matrix_key(p, key, value);
			else if (p->sec == SEC_BOT)
				bot_key(p, key, value);
			else
				network_key(p, key, value);
		}
	}
	sb_release(&sec);
	return 1;
}

/* After the whole file: fill network defaults from [bot], turn offsets into
 * wt_offset lists, and report networks without rooms. */
static void finish(struct parser *p)
{
	struct wt_config *c = p->cfg;
	for (size_t i = 0; i < c->nnetworks; i++) {
		struct wt_network *n = &c->networks[i];
		struct net_info *info = &p->info[i];
		if (!info->lang_set)
			n->lang = c->lang;
		if (!info->tz_set)
			set_str(&n->tz, c->timezone);
		if (!n->rooms)
			n->rooms = xcalloc(1, sizeof *n->rooms);
		if (!n->themes)
			n->themes = xcalloc(1, sizeof *n->themes);
		if (n->nrooms == 0 && !info->rooms_bad)
			perr(p, info->line, "[network.%s] has no rooms; add rooms = "
			     "!id:server, #alias:server or console room names",
			     n->name);
		n->offsets = xcalloc(NREMINDERS, sizeof *n->offsets);
		for (size_t k = 0; k < NREMINDERS; k++)
			if (info->offsets[k] > 0) {
				n->offsets[n->noffsets].kind =
					xstrdup(reminder_defaults[k].kind);
				n->offsets[n->noffsets++].seconds = info->offsets[k];
			}
		free(info->room_lines);
	}
	free(p->info);
	p->info = NULL;
}

/* Read the whole file into a NUL-terminated buffer. */
static char *read_file(const char *path, size_t *len, struct strbuf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		sb_addf(err, "%s: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_addn(&sb, chunk, n);
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		sb_addf(err, "%s: cannot read: %s\n", path, strerror(errno));
		sb_release(&sb);
		return NULL;
	}
	*len = sb.len;
	return sb_detach(&sb);
}

int config_load(const char *path, struct wt_config *cfg, struct strbuf *err)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->transport = TRANSPORT_HTTP;
	cfg->log_level = LOG_INFO;
	cfg->lang = LANG_NL;
	cfg->timezone = xstrdup("Europe/Amsterdam");
	cfg->database = xstrdup("werktafel.db");
	cfg->admins = xcalloc(1, sizeof *cfg->admins);
	cfg->late_limit_hours = 24;
	cfg->path = xstrdup(path);

	struct parser p = { .path = path, .cfg = cfg, .err = err };
	char *text = read_file(path, &p.len, err);
	if (!text) {
		config_free(cfg);
		return -1;
	}
	p.text = text;
	/* Debian's libinih takes these as run-time settings: a heap line
	 * buffer that grows, so long room lists are not cut at 200 bytes. */
	bool use_stack = ini_use_stack, allow_realloc = ini_allow_realloc;
	int max_line = ini_max_line;
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = MAX_LINE;
	int r = ini_parse_stream(parse_reader, &p, on_key, &p);
	ini_use_stack = use_stack;
	ini_allow_realloc = allow_realloc;
	ini_max_line = max_line;
	if (r > 0)
		perr(&p, r, "cannot parse this line");
	else if (r < 0)
		perr(&p, p.line, "out of memory while parsing");
	cfg->nlines = p.line;
	finish(&p);
	free(text);
	if (p.nerr) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

int config_check_matrix(const struct wt_config *c, struct strbuf *err)
{
	size_t before = err->len;
	const char *path = c->path ? c->path : "config";
	int line = c->matrix_line;
	if (!line) {
		sb_addf(err, "%s:%d: no [matrix] section; add one with homeserver, "
			"user_id and password or access_token_file\n", path,
			c->nlines ? c->nlines : 1);
		return -1;
	}
	if (!c->homeserver)
		sb_addf(err, "%s:%d: [matrix] has no homeserver; add homeserver = "
			"https://matrix.example.org\n", path, line);
	if (!c->user_id)
		sb_addf(err, "%s:%d: [matrix] has no user_id; add user_id = "
			"@werktafel:example.org\n", path, line);
	if (!c->password && !c->access_token_file) {
		sb_addf(err, "%s:%d: [matrix] has neither password nor "
			"access_token_file; the bot needs one to log in\n", path, line);
	} else if (!c->password) {
		FILE *f = fopen(c->access_token_file, "r");
		if (!f)
			sb_addf(err, "%s:%d: access_token_file \"%s\" cannot be read "
				"(%s) and there is no password to log in with\n", path,
				line, c->access_token_file, strerror(errno));
		else
			fclose(f);
	}
	if (c->transport == TRANSPORT_WEBSOCKET && !c->websocket_url)
		sb_addf(err, "%s:%d: transport = websocket needs websocket_url "
			"(e.g. wss://matrix.example.org/_matrix/client/unstable/"
			"stream), or use transport = auto\n", path,
			c->transport_line ? c->transport_line : line);
	return err->len > before ? -1 : 0;
}

static void free_network(struct wt_network *n)
{
	free(n->name);
	for (size_t i = 0; i < n->nrooms; i++)
		free(n->rooms[i]);
	free(n->rooms);
	for (size_t i = 0; i < n->nthemes; i++)
		free(n->themes[i]);
	free(n->themes);
	free(n->tz);
	for (size_t i = 0; i < n->noffsets; i++)
		free(n->offsets[i].kind);
	free(n->offsets);
}

void config_free(struct wt_config *cfg)
{
	free(cfg->homeserver);
	free(cfg->user_id);
	free(cfg->password);
	free(cfg->access_token_file);
	free(cfg->device_id);
	free(cfg->websocket_url);
	free(cfg->database);
	free(cfg->timezone);
	free_list(cfg->admins);
	for (size_t i = 0; i < cfg->nnetworks; i++)
		free_network(&cfg->networks[i]);
	free(cfg->networks);
	free(cfg->path);
	memset(cfg, 0, sizeof *cfg);
}

const struct wt_network *config_network_for_room(const struct wt_config *cfg,
						 const char *room)
{
	for (size_t i = 0; i < cfg->nnetworks; i++)
		for (size_t j = 0; j < cfg->networks[i].nrooms; j++)
			if (strcmp(cfg->networks[i].rooms[j], room) == 0)
				return &cfg->networks[i];
	return NULL;
}

const struct wt_network *config_network_by_name(const struct wt_config *cfg,
						const char *name)
{
	for (size_t i = 0; i < cfg->nnetworks; i++)
		if (strcmp(cfg->networks[i].name, name) == 0)
			return &cfg->networks[i];
	return NULL;
}
