/* config: reads the ini file with inih; checks the file's shape, its
 * sections and keys (each key's value: bot/config_keys.c).
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/config_parse.h"
#include "handlers/readback.h"
#include "lib/log.h"
#include "lib/private_file.h"
#include "lib/textdist.h"

/* Note a problem at line; config_load reports them sorted by line. */
void cfg_error(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	struct strbuf msg = STRBUF_INIT;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	p->errors = xrealloc(p->errors, (p->nerr + 1) * sizeof *p->errors);
	p->errors[p->nerr].line = line;
	p->errors[p->nerr].seq = p->nerr;
	p->errors[p->nerr++].msg = sb_detach(&msg);
}

static int error_cmp(const void *a, const void *b)
{
	const struct cfg_problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Append the problems to err as "path:line: message" lines, by line. */
static void report_errors(struct parser *p)
{
	if (p->nerr)
		qsort(p->errors, p->nerr, sizeof *p->errors, error_cmp);
	for (size_t i = 0; i < p->nerr; i++) {
		sb_addf(p->err, "%s:%d: %s\n", p->path, p->errors[i].line,
			p->errors[i].msg);
		free(p->errors[i].msg);
	}
	free(p->errors);
}

/* The entry of names closest to s when it is close enough, or NULL. */
static const char *closest(const char *s, const char *const *names)
{
	const char *best = NULL;
	size_t bestd = strlen(s) / 3 + 1;
	if (bestd > 3)
		bestd = 3;
	for (; *names; names++) {
		size_t d = text_distance(s, *names);
		if (d <= bestd) {
			best = *names;
			bestd = d;
		}
	}
	return best;
}

/* Begin the section named name (the text between the brackets). */
static void begin_section(struct parser *p, const char *name)
{
	struct wt_config *c = p->cfg;
	p->nseen = 0;
	p->sec = SEC_SKIP;
	if (strcmp(name, "matrix") == 0 || strcmp(name, "bot") == 0) {
		int *first = name[0] == 'm' ? &c->matrix_line : &p->bot_line;
		if (*first) {
			cfg_error(p, p->line, "section [%s] appears twice (first at line "
			          "%d); merge them", name, *first);
			return;
		}
		*first = p->line;
		p->sec = name[0] == 'm' ? SEC_MATRIX : SEC_BOT;
		return;
	}
	if (strcmp(name, "crypto") == 0 || strcmp(name, "web") == 0) {
		int *first = name[0] == 'c' ? &p->crypto_line : &p->web_line;
		if (*first) {
			cfg_error(p, p->line, "section [%s] appears twice (first at "
			          "line %d); merge them", name, *first);
			return;
		}
		*first = p->line;
		p->sec = name[0] == 'c' ? SEC_CRYPTO : SEC_WEB;
		return;
	}
	if (strncmp(name, "body.", 5) == 0) {
		cfg_body_begin(p, name + 5);
		return;
	}
	if (strncmp(name, "network.", 8) != 0) {
		static const char *const known[] = { "matrix", "bot", "network",
						     "crypto", "web", "body", NULL };
		size_t head = strcspn(name, ".");
		char *h = xstrndup(name, head);
		const char *guess = closest(h, known);
		free(h);
		if (guess && (strcmp(guess, "network") == 0 || strcmp(guess, "body") == 0))
			cfg_error(p, p->line, "unknown section [%s]; did you mean "
			          "[%s%s]?", name, guess, name[head] ? name + head : ".NAME");
		else if (guess)
			cfg_error(p, p->line, "unknown section [%s]; did you mean [%s]?",
			          name, guess);
		else
			cfg_error(p, p->line, "unknown section [%s]; sections are "
			          "[matrix], [bot], [crypto], [web], [network.NAME] and [body.NAME]", name);
		return;
	}
	const char *nn = name + 8;
	bool ok = nn[0] != '\0' && strlen(nn) <= MAX_NAME;
	for (const char *s = nn; ok && *s; s++)
		ok = isalnum((unsigned char)*s) || *s == '_' || *s == '-';
	if (!ok) {
		cfg_error(p, p->line, "[%s]: a network name is 1 to %d letters, digits, "
		          "- or _ (e.g. [network.regio-noord])", name, MAX_NAME);
		return;
	}
	for (size_t i = 0; i < c->nnetworks; i++)
		if (strcmp(c->networks[i].name, nn) == 0) {
			cfg_error(p, p->line, "section [%s] appears twice (first at line "
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
		p->info[p->net].offsets[i] = cfg_reminders[i].seconds;
	p->sec = SEC_NETWORK;
}

/* Check the shape of one line (start is past leading blanks, end at its
 * newline); handle a section header. Returns false when the line is wrong
 * (already reported): inih then gets an empty line instead. */
static bool check_line(struct parser *p, const char *start, const char *end,
		       bool indented)
{
	if (memchr(start, '\0', (size_t)(end - start))) {
		cfg_error(p, p->line, "the line contains a NUL byte; the file must be "
		          "text");
		return false;
	}
	if (end - start > MAX_LINE - 3) {
		cfg_error(p, p->line, "the line is longer than %d bytes", MAX_LINE - 3);
		return false;
	}
	if (start == end || *start == ';' || *start == '#')
		return true;
	if (*start == '=') {
		cfg_error(p, p->line, "a key is missing before '='; write \"key = "
		          "value\"");
		return false;
	}
	if (*start == '[') {
		/* like inih: a " ;" comment ends the search for ']' */
		const char *close = NULL;
		for (const char *c = start + 1; c < end && !close; c++) {
			if (*c == ';' && isspace((unsigned char)c[-1]))
				break;
			if (*c == ']')
				close = c;
		}
		const char *rest = close ? close + 1 : end;
		while (rest < end && isspace((unsigned char)*rest))
			rest++;
		if (!close || (rest < end && *rest != ';' && *rest != '#')) {
			p->sec = SEC_SKIP; /* its keys would only add noise */
			cfg_error(p, p->line, "a section header is [NAME] alone on its "
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
		cfg_error(p, p->line, "continued lines are not supported; write the "
		          "whole value on the line of its key");
	else
		cfg_error(p, p->line, "expected \"key = value\" or [section]");
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
		[SEC_MATRIX] = cfg_matrix_keys, [SEC_BOT] = cfg_bot_keys,
		[SEC_NETWORK] = cfg_network_keys, [SEC_CRYPTO] = cfg_crypto_keys,
		[SEC_WEB] = cfg_web_keys,
		[SEC_BODY] = cfg_body_keys,
	};
	(void)section;
	if (p->sec == SEC_SKIP)
		return 1;
	if (p->sec == SEC_NONE) {
		cfg_error(p, p->line, "\"%s\" is outside any section; put it under "
		          "[matrix], [bot] or [network.NAME]", key);
		return 1;
	}
	struct strbuf sec = STRBUF_INIT;
	if (p->sec == SEC_NETWORK)
		sb_addf(&sec, "network.%s", p->cfg->networks[p->net].name);
	else if (p->sec == SEC_BODY)
		sb_addf(&sec, "body.%s", p->cfg->bodies[p->body].name);
	else
		sb_add(&sec, p->sec == SEC_MATRIX ? "matrix"
		       : p->sec == SEC_CRYPTO ? "crypto"
		       : p->sec == SEC_WEB ? "web" : "bot");
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
			cfg_error(p, p->line, "unknown key \"%s\" in [%s]; did you mean "
			          "\"%s\"?", key, sec.buf, guess);
		else
			cfg_error(p, p->line, "unknown key \"%s\" in [%s]; known keys: %s",
			          key, sec.buf, known.buf);
		sb_release(&known);
	} else {
		size_t i = 0;
		while (i < p->nseen && p->seen[i].key != keys[k])
			i++;
		if (i < p->nseen) {
			cfg_error(p, p->line, "%s is set twice in [%s] (first at line %d); "
			          "keep one", key, sec.buf, p->seen[i].line);
		} else {
			if (p->nseen < sizeof p->seen / sizeof p->seen[0]) {
				p->seen[p->nseen].key = keys[k];
				p->seen[p->nseen++].line = p->line;
			}
			if (p->sec == SEC_MATRIX)
				cfg_matrix_key(p, key, value);
			else if (p->sec == SEC_BOT)
				cfg_bot_key(p, key, value);
			else if (p->sec == SEC_CRYPTO)
				cfg_crypto_key(p, key, value);
			else if (p->sec == SEC_WEB)
				cfg_web_key(p, key, value);
			else if (p->sec == SEC_BODY)
				cfg_body_key(p, key, value);
			else
				cfg_network_key(p, key, value);
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
	cfg_web_finish(p);
	for (size_t i = 0; i < c->nnetworks; i++) {
		struct wt_network *n = &c->networks[i];
		struct net_info *info = &p->info[i];
		if (!info->lang_set)
			n->lang = c->lang;
		if (!info->tz_set)
			cfg_set_str(&n->tz, c->timezone);
		if (!n->advice_wait_days)
			n->advice_wait_days = 14;
		if (!n->rooms)
			n->rooms = xcalloc(1, sizeof *n->rooms);
		if (!n->themes)
			n->themes = xcalloc(1, sizeof *n->themes);
		if (n->nrooms == 0 && !info->rooms_bad)
			cfg_error(p, info->line, "[network.%s] has no rooms; add rooms = "
			          "!id:server, #alias:server or console room names",
			          n->name);
		int listed = !n->report_room;
		for (size_t k = 0; k < n->nrooms && !listed; k++)
			listed = strcmp(n->rooms[k], n->report_room) == 0;
		if (!listed)
			cfg_error(p, info->line, "[network.%s] report_room: \"%s\" is not one of "
			          "its rooms; add it to rooms or name one of them", n->name,
			          n->report_room);
		n->offsets = xcalloc(NREMINDERS, sizeof *n->offsets);
		for (size_t k = 0; k < NREMINDERS; k++)
			if (info->offsets[k] > 0) {
				n->offsets[n->noffsets].kind =
					xstrdup(cfg_reminders[k].kind);
				n->offsets[n->noffsets++].seconds = info->offsets[k];
			}
		free(info->room_lines);
		info->room_lines = NULL;
	}
	cfg_body_finish(p);
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
	int e = sb_read_file(&sb, f, SIZE_MAX) < 0 ? errno : 0;
	fclose(f);
	if (e) {
		sb_addf(err, "%s: cannot read: %s\n", path, strerror(e));
		sb_release(&sb);
		return NULL;
	}
	*len = sb.len;
	return sb_detach(&sb);
}

/* The password from password_file or $WERKTAFEL_PASSWORD when the file
 * has no password line; a password written in a file others may read is
 * warned about (it logs the bot in as itself). */
static void resolve_password(struct parser *p)
{
	struct wt_config *c = p->cfg;
	int line = c->matrix_line ? c->matrix_line : 1;
	if (c->password && c->password_file) {
		cfg_error(p, line, "[matrix] has both password and password_file; "
			  "keep one");
	} else if (c->password) {
		if (private_readable_by_others(p->path))
			log_warn("%s holds the bot's password and others may read it; "
				 "make it private (chmod 600 %s) or move the password to "
				 "password_file or $WERKTAFEL_PASSWORD", p->path, p->path);
	} else if (c->password_file) {
		FILE *f = fopen(c->password_file, "r");
		struct strbuf sb = STRBUF_INIT;
		if (f) {
			sb_read_file(&sb, f, 4096);
			fclose(f);
			sb_rtrim(&sb);
		}
		if (!f)
			cfg_error(p, line, "password_file \"%s\" cannot be read (%s)",
				  c->password_file, strerror(errno));
		else if (sb.len == 0 || strchr(sb.buf, '\n'))
			cfg_error(p, line, "password_file \"%s\" must hold the password "
				  "on one line", c->password_file);
		else
			c->password = sb_detach(&sb);
		sb_release(&sb);
		if (f && private_readable_by_others(c->password_file))
			log_warn("%s holds the bot's password and others may read it; "
				 "make it private (chmod 600 %s)", c->password_file,
				 c->password_file);
	} else {
		const char *env = getenv("WERKTAFEL_PASSWORD");
		if (env && *env)
			c->password = xstrdup(env);
	}
	log_secret_add(c->password);
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
	cfg->key_wait_minutes = 60;
	cfg->limits.max_reminders = WT_MAX_REMINDERS_DEFAULT;
	cfg->ratelimit.per_minute = WT_RATE_PER_MINUTE;
	cfg->ratelimit.burst = WT_RATE_BURST;
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
		cfg_error(&p, r, "cannot parse this line");
	else if (r < 0)
		cfg_error(&p, p.line, "out of memory while parsing");
	cfg->nlines = p.line;
	finish(&p);
	resolve_password(&p);
	free(text);
	report_errors(&p);
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
			"user_id and password or access_token_file (only --shell "
			"runs without it)\n", path,
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
			"access_token_file (nor password_file, nor WERKTAFEL_PASSWORD in "
			"the environment); the bot needs one to log in\n", path, line);
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
	free(n->report_room);
	for (size_t i = 0; i < n->noffsets; i++)
		free(n->offsets[i].kind);
	free(n->offsets);
}

void config_free(struct wt_config *cfg)
{
	free(cfg->homeserver);
	free(cfg->user_id);
	if (cfg->password)
		memset(cfg->password, 0, strlen(cfg->password));
	free(cfg->password);
	free(cfg->password_file);
	free(cfg->crypto_store);
	free(cfg->crypto_passphrase_file);
	free(cfg->web_listen);
	free(cfg->web_public_url);
	free(cfg->web_frame_ancestors);
	free(cfg->access_token_file);
	free(cfg->device_id);
	free(cfg->websocket_url);
	free(cfg->database);
	free(cfg->timezone);
	free(cfg->displayname);
	free(cfg->avatar);
	cfg_free_list(cfg->admins);
	for (size_t i = 0; i < cfg->nnetworks; i++)
		free_network(&cfg->networks[i]);
	free(cfg->networks);
	cfg_body_free(cfg);
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
