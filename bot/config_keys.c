/* config_keys: the value of each config key, checked and stored. Every
 * message names the key and says what a right value looks like. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/config_parse.h"
#include "bot/profile.h"
#include "handlers/readback.h"
#include "lib/log.h"
#include "lib/tz.h"

const struct cfg_reminder cfg_reminders[NREMINDERS] = {
	{ "agenda_call", 21 * DAY },   { "agenda_final", 10 * DAY },
	{ "invitation", 7 * DAY },     { "meeting_tomorrow", DAY },
	{ "room_day_before", DAY },    { "room_hour_before", HOUR },
};

const char *const cfg_matrix_keys[] = { "homeserver", "user_id", "password",
	"password_file", "access_token_file", "device_id", "transport", "websocket_url", NULL };
const char *const cfg_bot_keys[] = { "database", "log_level", "language",
	"timezone", "admins", "late_limit_hours", "max_reminders",
	"commands_per_minute", "command_burst", "replies", "displayname", "avatar",
	NULL };
const char *const cfg_network_keys[] = { "rooms", "themes", "language",
	"timezone", "remind_agenda_call", "remind_agenda_final",
	"remind_invitation", "remind_meeting_tomorrow", "remind_room_day_before",
	"remind_room_hour_before", "log_anyone", "advice_wait_days", "actionline_team_size",
	"day_end",
	"unknown_commands", "encrypt_direct_chats",
	"notify_action_owner", "agenda_call", "quorum", "keep_handled_days",
	"keep_failed_messages_days", "keep_fired_reminders_days", "keep_advice_drafts_days",
	"keep_quarantine_days", "report_quarterly", "report_halfyear", "report_post_day",
	"report_room", NULL };
const char *const cfg_crypto_keys[] = { "enabled", "store", "passphrase_file",
	"key_wait_minutes", NULL };

static bool parse_yes_no(struct parser *p, const char *key, const char *value,
			 int *out);
static char **split_list(struct parser *p, const char *key, const char *value,
			 size_t *n);
static bool user_id_ok(const char *s);

char **cfg_list(struct parser *p, const char *key, const char *value, size_t *n)
{
	return split_list(p, key, value, n);
}

bool cfg_user_id_ok(const char *s)
{
	return user_id_ok(s);
}

/* 1 when s holds a blank or a control character. */
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
			cfg_error(p, p->line, "%s: empty entry in the list; separate "
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

/* Free a NULL-terminated list of strings (NULL is fine). */
void cfg_free_list(char **v)
{
	if (!v)
		return;
	for (char **s = v; *s; s++)
		free(*s);
	free(v);
}

/* Store value in *slot, replacing the default. */
void cfg_set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

/* ---- keys ---- */

void cfg_matrix_key(struct parser *p, const char *key, const char *value)
{
	struct wt_config *c = p->cfg;
	if (strcmp(key, "homeserver") == 0) {
		if (!url_ok(value, "http://") && !url_ok(value, "https://")) {
			cfg_error(p, p->line, "homeserver: \"%s\" is not an http:// or "
			          "https:// URL (e.g. https://matrix.example.org)", value);
			return;
		}
		cfg_set_str(&c->homeserver, value);
		size_t n = strlen(c->homeserver);
		while (n > 0 && c->homeserver[n - 1] == '/')
			c->homeserver[--n] = '\0';
	} else if (strcmp(key, "user_id") == 0) {
		if (!user_id_ok(value))
			cfg_error(p, p->line, "user_id: \"%s\" is not a Matrix user id; "
			          "write @name:server (e.g. @werktafel:example.org)", value);
		else
			cfg_set_str(&c->user_id, value);
	} else if (strcmp(key, "transport") == 0) {
		p->cfg->transport_line = p->line;
		if (strcmp(value, "http") == 0)
			c->transport = TRANSPORT_HTTP;
		else if (strcmp(value, "websocket") == 0)
			c->transport = TRANSPORT_WEBSOCKET;
		else if (strcmp(value, "auto") == 0)
			c->transport = TRANSPORT_AUTO;
		else
			cfg_error(p, p->line, "transport: \"%s\" is unknown; use http, "
			          "websocket or auto", value);
	} else if (strcmp(key, "websocket_url") == 0) {
		if (!url_ok(value, "ws://") && !url_ok(value, "wss://"))
			cfg_error(p, p->line, "websocket_url: \"%s\" is not a ws:// or "
			          "wss:// URL (e.g. wss://matrix.example.org/_matrix/"
			          "client/unstable/stream)", value);
		else
			cfg_set_str(&c->websocket_url, value);
	} else {
		/* password, password_file, access_token_file, device_id: any
		 * non-empty text */
		char **slot = strcmp(key, "password") == 0 ? &c->password
			: strcmp(key, "password_file") == 0 ? &c->password_file
			: strcmp(key, "access_token_file") == 0 ? &c->access_token_file
			: &c->device_id;
		if (value[0] == '\0')
			cfg_error(p, p->line, "%s: empty value; give one or remove the "
			          "line", key);
		else if (slot == &c->device_id && has_space_or_ctrl(value))
			cfg_error(p, p->line, "device_id: \"%s\" contains spaces; a device "
			          "id is one word (e.g. WERKTAFEL01)", value);
		else
			cfg_set_str(slot, value);
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
		cfg_error(p, p->line, "language: \"%s\" is not supported; use nl or en",
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
	cfg_error(p, p->line, "timezone: \"%s\" is not a known time zone; use an IANA "
	          "name such as Europe/Amsterdam", value);
	return false;
}

/* A whole number from min to max; what (" of hours") and example go into
 * the message. */
static void set_number(struct parser *p, const char *key, const char *value,
		       long min, long max, const char *what, long example,
		       long *out)
{
	char *end;
	errno = 0;
	long n = strtol(value, &end, 10);
	if (!isdigit((unsigned char)value[0]) || *end || errno || n < min ||
	    n > max)
		cfg_error(p, p->line, "%s: \"%s\" is not a whole number%s from %ld "
		          "to %ld (e.g. %ld)", key, value, what, min, max, example);
	else
		*out = n;
}

void cfg_bot_key(struct parser *p, const char *key, const char *value)
{
	struct wt_config *c = p->cfg;
	if (strcmp(key, "database") == 0) {
		if (value[0] == '\0')
			cfg_error(p, p->line, "database: empty value; give a file path "
			          "(e.g. /var/lib/werktafel/werktafel.db)");
		else
			cfg_set_str(&c->database, value);
	} else if (strcmp(key, "log_level") == 0) {
		int l = log_level_parse(value);
		if (l < 0)
			cfg_error(p, p->line, "log_level: \"%s\" is unknown; use error, "
			          "warn, info or debug", value);
		else
			c->log_level = l;
	} else if (strcmp(key, "language") == 0) {
		parse_lang(p, value, &c->lang);
	} else if (strcmp(key, "timezone") == 0) {
		if (check_zone(p, value))
			cfg_set_str(&c->timezone, value);
	} else if (strcmp(key, "admins") == 0) {
		size_t n;
		char **v = split_list(p, key, value, &n);
		for (size_t i = 0; i < n; i++) {
			if (!user_id_ok(v[i]))
				cfg_error(p, p->line, "admins: \"%s\" is not a Matrix user "
				          "id; write @name:server, separated by commas", v[i]);
			for (size_t j = 0; j < i; j++)
				if (strcmp(v[i], v[j]) == 0)
					cfg_error(p, p->line, "admins: \"%s\" is listed twice",
					          v[i]);
		}
		cfg_free_list(c->admins);
		c->admins = v;
	} else if (strcmp(key, "late_limit_hours") == 0) {
		set_number(p, key, value, 0, MAX_LATE_HOURS, " of hours", 24,
			   &c->late_limit_hours);
	} else if (strcmp(key, "commands_per_minute") == 0) {
		set_number(p, key, value, 1, WT_RATE_MAX, " of commands",
			   WT_RATE_PER_MINUTE, &c->ratelimit.per_minute);
	} else if (strcmp(key, "command_burst") == 0) {
		set_number(p, key, value, 1, WT_RATE_MAX, " of commands",
			   WT_RATE_BURST, &c->ratelimit.burst);
	} else if (strcmp(key, "replies") == 0) {
		if (strcasecmp(value, "notice") == 0)
			c->replies_text = 0;
		else if (strcasecmp(value, "text") == 0)
			c->replies_text = 1;
		else
			cfg_error(p, p->line, "replies: \"%s\" is unknown; use notice "
			          "(replies do not notify) or text", value);
	} else if (strcmp(key, "displayname") == 0) {
		const char *why = profile_name_problem(value);
		if (why)
			cfg_error(p, p->line, "displayname: %s; write the name people see, "
				  "e.g. Werktafel-bot", why);
		else
			cfg_set_str(&c->displayname, value);
	} else if (strcmp(key, "avatar") == 0) {
		struct strbuf why = STRBUF_INIT;
		if (profile_avatar_problem(value, &why) < 0)
			cfg_error(p, p->line, "avatar: %s", why.buf);
		else
			cfg_set_str(&c->avatar, value);
		sb_release(&why);
	} else { /* max_reminders */
		set_number(p, key, value, 1, MAX_REMINDERS, "",
			   WT_MAX_REMINDERS_DEFAULT, &c->limits.max_reminders);
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
			cfg_error(p, p->line, "rooms: \"%s\" is not a room; write !id:server, "
			          "#alias:server or a console room name (letters, digits, "
			          "- _ .)", v[i]);
		} else if ((owner = room_owner(p, v[i], &line)) == net) {
			cfg_error(p, p->line, "rooms: \"%s\" is listed twice", v[i]);
		} else if (owner) {
			cfg_error(p, p->line, "rooms: \"%s\" already belongs to network "
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
			cfg_error(p, p->line, "themes: \"%s\" is too long; a theme is a "
			          "short name of at most %d characters", v[i], MAX_NAME);
			ok = false;
		}
		for (size_t j = 0; ok && j < net->nthemes; j++)
			if (strcasecmp(v[i], net->themes[j]) == 0) {
				cfg_error(p, p->line, "themes: \"%s\" is listed twice", v[i]);
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

/* report_quarterly, report_halfyear, report_post_day, report_room: the
 * reports compiled on their schedule (handlers/report.h). */
static void report_key(struct parser *p, struct wt_network *net, const char *key,
		       const char *value)
{
	if (strcmp(key, "report_quarterly") == 0) {
		parse_yes_no(p, key, value, &net->report_quarterly);
	} else if (strcmp(key, "report_halfyear") == 0) {
		parse_yes_no(p, key, value, &net->report_halfyear);
	} else if (strcmp(key, "report_post_day") == 0) {
		long d = 0;
		set_number(p, key, value, 1, 90, " of days after the period's end", 10, &d);
		net->report_post_day = (int)d;
	} else if (!room_ok(value)) {
		cfg_error(p, p->line, "report_room: \"%s\" is not a room; give one of the "
			  "network's rooms (!id:server, #alias:server or a console room name)", value);
	} else {
		cfg_set_str(&net->report_room, value);
	}
}

void cfg_network_key(struct parser *p, const char *key, const char *value)
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
			cfg_set_str(&net->tz, value);
			info->tz_set = true;
		}
	} else if (strcmp(key, "encrypt_direct_chats") == 0) {
		int on;
		if (parse_yes_no(p, key, value, &on))
			net->plain_direct_chats = !on;
	} else if (strcmp(key, "unknown_commands") == 0) {
		if (strcasecmp(value, "suggest") == 0)
			net->unknown_commands = WT_UNKNOWN_SUGGEST;
		else if (strcasecmp(value, "answer") == 0)
			net->unknown_commands = WT_UNKNOWN_ANSWER;
		else if (strcasecmp(value, "silent") == 0)
			net->unknown_commands = WT_UNKNOWN_SILENT;
		else
			cfg_error(p, p->line, "unknown_commands: \"%s\" is unknown; use "
			          "suggest (answer only when a command is close), answer "
			          "or silent", value);
	} else if (strcmp(key, "log_anyone") == 0) {
		if (strcasecmp(value, "true") == 0 || strcasecmp(value, "yes") == 0
		    || strcasecmp(value, "ja") == 0)
			net->log_anyone = 1;
		else if (strcasecmp(value, "false") == 0 || strcasecmp(value, "no") == 0
			 || strcasecmp(value, "nee") == 0)
			net->log_anyone = 0;
		else
			cfg_error(p, p->line, "log_anyone: \"%s\" is not true or false", value);
	} else if (strcmp(key, "notify_action_owner") == 0) {
		if (strcasecmp(value, "true") == 0 || strcasecmp(value, "yes") == 0
		    || strcasecmp(value, "ja") == 0)
			net->no_action_owner_dm = 0;
		else if (strcasecmp(value, "false") == 0 || strcasecmp(value, "no") == 0
			 || strcasecmp(value, "nee") == 0)
			net->no_action_owner_dm = 1;
		else
			cfg_error(p, p->line, "notify_action_owner: \"%s\" is not yes or no", value);
	} else if (strcmp(key, "agenda_call") == 0) {
		if (strcasecmp(value, "auto") == 0)
			net->agenda_call_auto = 1;
		else if (strcasecmp(value, "chair") == 0)
			net->agenda_call_auto = 0;
		else
			cfg_error(p, p->line, "agenda_call: \"%s\" is unknown; use chair (the "
			          "chair gets the call ready to forward, the default) or auto "
			          "(the bot posts it in the network's rooms itself)", value);
	} else if (strcmp(key, "day_end") == 0) {
		long h = 0;
		set_number(p, key, value, 1, 23, " (an hour, 1 to 23)", 17, &h);
		net->day_end_hour = (int)h;
	} else if (strcmp(key, "quorum") == 0) {
		long q = 0;
		set_number(p, key, value, 1, 1000, " of people", 6, &q);
		net->quorum = (int)q;
	} else if (strncmp(key, "report_", 7) == 0) {
		report_key(p, net, key, value);
	} else if (strcmp(key, "advice_wait_days") == 0) {
		set_number(p, key, value, 1, 365, " of days", 14, &net->advice_wait_days);
	} else if (strcmp(key, "actionline_team_size") == 0) {
		long size = 0;
		set_number(p, key, value, 1, 50, " of team members", 3, &size);
		net->al_team_size = (int)size;
	} else if (strncmp(key, "keep_", 5) == 0) {
		long *slot = strcmp(key, "keep_handled_days") == 0 ? &net->keep.handled_days
			: strcmp(key, "keep_failed_messages_days") == 0 ? &net->keep.failed_days
			: strcmp(key, "keep_fired_reminders_days") == 0 ? &net->keep.reminder_days
			: strcmp(key, "keep_advice_drafts_days") == 0 ? &net->keep.draft_days
			: &net->keep.quarantine_days;
		set_number(p, key, value, 1, KEEP_MAX_DAYS, " of days", 30, slot);
	} else { /* remind_* */
		const char *kind = key + strlen("remind_");
		long s = parse_offset(value);
		if (s < 0) {
			cfg_error(p, p->line, "%s: \"%s\" is not an offset; write a number "
			          "with d, h or m (e.g. 7d, 12h, 90m) or off", key, value);
			return;
		}
		for (size_t i = 0; i < NREMINDERS; i++)
			if (strcmp(cfg_reminders[i].kind, kind) == 0)
				info->offsets[i] = s;
	}
}

/* yes|no (also on/off, true/false); key names the key in the message. */
static bool parse_yes_no(struct parser *p, const char *key, const char *value,
			 int *out)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "on")
	    || !strcasecmp(value, "true")) {
		*out = 1;
		return true;
	}
	if (!strcasecmp(value, "no") || !strcasecmp(value, "off")
	    || !strcasecmp(value, "false")) {
		*out = 0;
		return true;
	}
	cfg_error(p, p->line, "%s: \"%s\" is unknown; use yes or no", key, value);
	return false;
}

/* [crypto]: end-to-end encryption (bot/e2ee.h). */
void cfg_crypto_key(struct parser *p, const char *key, const char *value)
{
	struct wt_config *c = p->cfg;
	int on;
	if (strcmp(key, "enabled") == 0) {
		if (parse_yes_no(p, key, value, &on))
			c->crypto_off = !on;
	} else if (strcmp(key, "store") == 0 || strcmp(key, "passphrase_file") == 0) {
		if (value[0] == '\0')
			cfg_error(p, p->line, "%s: empty value; give a path (e.g. "
			          "/var/lib/werktafel/%s)", key, key[0] == 's'
			          ? "werktafel.crypto" : "crypto.pass");
		else
			cfg_set_str(key[0] == 's' ? &c->crypto_store
				    : &c->crypto_passphrase_file, value);
	} else { /* key_wait_minutes */
		set_number(p, key, value, 1, 7 * 24 * 60, " of minutes", 60,
			   &c->key_wait_minutes);
	}
}
