/* config_web: the [web] section, the board's web server (web/server.h).
 * Off unless listen and public_url are both set. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/config_parse.h"

const char *const cfg_web_keys[] = { "listen", "public_url", "frame_ancestors", NULL };

/* "host:port" with a port 1..65535 and a host without blanks. */
static int listen_ok(const char *s)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || strlen(s) > 255)
		return 0;
	for (const char *c = s; c < colon; c++)
		if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c))
			return 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	return colon[1] && !*end && port > 0 && port <= 65535;
}

/* An http(s) URL without blanks, quotes or angle brackets. */
static int public_url_ok(const char *s)
{
	if (strncasecmp(s, "https://", 8) != 0 && strncasecmp(s, "http://", 7) != 0)
		return 0;
	const char *host = strstr(s, "://") + 3;
	if (!*host || *host == '/')
		return 0;
	for (const char *c = s; *c; c++)
		if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c) ||
		    strchr("\"'<>\\`", *c))
			return 0;
	return strlen(s) <= 512;
}

/* CSP source expressions: letters, digits and :/.*-_' and blanks. */
static int sources_ok(const char *s)
{
	if (!*s || strlen(s) > 512)
		return 0;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr(":/.*-_' ", *c))
			return 0;
	return 1;
}

void cfg_web_key(struct parser *p, const char *key, const char *value)
{
	struct wt_config *c = p->cfg;
	if (strcmp(key, "listen") == 0) {
		if (!listen_ok(value))
			cfg_error(p, p->line, "listen: \"%s\" is not host:port; write "
				  "e.g. listen = 127.0.0.1:8090", value);
		else
			cfg_set_str(&c->web_listen, value);
	} else if (strcmp(key, "public_url") == 0) {
		if (!public_url_ok(value)) {
			cfg_error(p, p->line, "public_url: \"%s\" is not an http(s) URL; "
				  "write e.g. public_url = https://bord.example.org", value);
			return;
		}
		cfg_set_str(&c->web_public_url, value);
		size_t n = strlen(c->web_public_url);
		while (n && c->web_public_url[n - 1] == '/')
			c->web_public_url[--n] = '\0';
	} else { /* frame_ancestors */
		if (!sources_ok(value))
			cfg_error(p, p->line, "frame_ancestors: \"%s\" is not a list of "
				  "origins; write e.g. frame_ancestors = https://app.element.io",
				  value);
		else
			cfg_set_str(&c->web_frame_ancestors, value);
	}
}

void cfg_web_finish(struct parser *p)
{
	struct wt_config *c = p->cfg;
	if (!c->web_listen != !c->web_public_url)
		cfg_error(p, p->web_line, "[web]: listen and public_url go together; "
			  "set both (e.g. listen = 127.0.0.1:8090 and public_url = "
			  "https://bord.example.org) or neither");
	c->limits.web_url = c->web_listen ? c->web_public_url : NULL;
}
