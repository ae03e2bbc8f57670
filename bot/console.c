#include "bot/console.h"

#include <editline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "handlers/args.h"
#include "handlers/catalog.h"
#include "handlers/render.h"
#include "handlers/reply.h"
#include "storage/db.h"

struct console {
	sqlite3 *db;
	const struct wt_config *cfg;
	const struct wt_network *net;
	char *sender;
	char *room;
	FILE *in, *out;
	int interactive;
	long seq;
};

static const char *C(const struct console *c, enum msg_id id)
{
	return msg_text(c->net ? c->net->lang : c->cfg->lang, id);
}

/* Print a catalogue line (already plain text after rendering). */
static void say(struct console *c, const char *markdown)
{
	char *plain = render_plain(markdown);
	fprintf(c->out, "%s\n\n", plain);
	free(plain);
	fflush(c->out);
}

static void print_reply(struct console *c, const struct wt_reply *r)
{
	struct strbuf sb = STRBUF_INIT;
	if (r->kind == REPLY_REACTION) {
		sb_addf(&sb, C(c, M_CONSOLE_REACTION), r->markdown);
		fprintf(c->out, "%s\n\n", sb.buf);
		sb_release(&sb);
		return;
	}
	if (r->to_user) {
		sb_addf(&sb, C(c, M_CONSOLE_DM), r->to_user);
		sb_addc(&sb, '\n');
	} else if (r->room && strcmp(r->room, c->room) != 0) {
		sb_addf(&sb, C(c, M_CONSOLE_TO_ROOM), r->room);
		sb_addc(&sb, '\n');
	}
	if (r->kind == REPLY_FILE) {
		sb_addf(&sb, C(c, M_CONSOLE_FILE), r->filename ? r->filename : "");
		sb_addc(&sb, '\n');
		sb_add(&sb, r->markdown);
		fprintf(c->out, "%s\n\n", sb.buf);
	} else {
		char *plain = render_plain(r->markdown);
		fprintf(c->out, "%s%s\n\n", sb.buf, plain);
		free(plain);
	}
	sb_release(&sb);
}

/* /as and /room. */
static void console_command(struct console *c, const char *line)
{
	struct strbuf cmd = STRBUF_INIT, arg = STRBUF_INIT;
	const char *p = args_word(line, &cmd);
	args_word(p ? p : "", &arg);
	struct strbuf msg = STRBUF_INIT;
	if (strcmp(cmd.buf, "/as") == 0 && is_user_id(arg.buf)) {
		free(c->sender);
		c->sender = xstrdup(arg.buf);
		struct wt_ctx ctx = { .lang = c->net ? c->net->lang : LANG_NL };
		enum wt_role role = wt_role_of(c->db, c->net,
					       (const char *const *)c->cfg->admins, c->sender);
		sb_addf(&msg, C(c, M_CONSOLE_NOW_AS), c->sender, role_name(&ctx, role));
	} else if (strcmp(cmd.buf, "/as") == 0) {
		sb_add(&msg, C(c, M_CONSOLE_BAD_USER));
	} else if (strcmp(cmd.buf, "/room") == 0 && arg.len) {
		const struct wt_network *net = config_network_for_room(c->cfg, arg.buf);
		if (net) {
			c->net = net;
			free(c->room);
			c->room = xstrdup(arg.buf);
			sb_addf(&msg, C(c, M_CONSOLE_NOW_ROOM), c->room, net->name);
		} else {
			struct strbuf rooms = STRBUF_INIT;
			for (size_t i = 0; i < c->cfg->nnetworks; i++)
				for (size_t j = 0; j < c->cfg->networks[i].nrooms; j++)
					sb_addf(&rooms, "%s%s", rooms.len ? ", " : "",
						c->cfg->networks[i].rooms[j]);
			sb_addf(&msg, C(c, M_CONSOLE_BAD_ROOM), arg.buf, rooms.buf);
			sb_release(&rooms);
		}
	} else {
		sb_add(&msg, C(c, M_CONSOLE_UNKNOWN));
	}
	fprintf(c->out, "%s\n\n", msg.buf);
	fflush(c->out);
	sb_release(&msg);
	sb_release(&cmd);
	sb_release(&arg);
}

/* One message through dispatch, in its own transaction as in Matrix. */
static void console_message(struct console *c, const char *body)
{
	struct wt_replies replies = { 0 };
	char event_id[48];
	snprintf(event_id, sizeof event_id, "$console-%ld", ++c->seq);
	struct wt_ctx ctx = {
		.db = c->db, .net = c->net, .sender = c->sender, .room = c->room,
		.event_id = event_id, .now = time(NULL), .lang = c->net->lang,
		.admins = (const char *const *)c->cfg->admins, .out = &replies,
	};
	const char *fake_now = getenv("WERKTAFEL_NOW");
	if (fake_now && *fake_now)
		ctx.now = (time_t)strtoll(fake_now, NULL, 10);
	if (db_begin(c->db) < 0) {
		say(c, C(c, M_DB_ERROR));
		return;
	}
	wt_dispatch_message(&ctx, body);
	if (db_commit(c->db) < 0) {
		db_rollback(c->db);
		say(c, C(c, M_DB_ERROR));
	} else {
		for (size_t i = 0; i < replies.n; i++)
			print_reply(c, &replies.v[i]);
	}
	fflush(c->out);
	wt_replies_free(&replies);
}

/* Next physical line without its newline, or NULL at EOF. */
static char *read_line(struct console *c, int continued)
{
	if (c->interactive) {
		char *l = readline(continued ? "... " : "werktafel> ");
		if (l && *l)
			add_history(l);
		return l;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, c->in);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

int console_run(sqlite3 *db, const struct wt_config *cfg, const char *as,
		const char *room, FILE *in, FILE *out)
{
	struct console c = { .db = db, .cfg = cfg, .in = in, .out = out };
	c.interactive = in == stdin && isatty(0) && isatty(1);
	c.sender = xstrdup(as);
	c.room = xstrdup(room);
	c.net = config_network_for_room(cfg, room);
	if (!c.net && cfg->nnetworks) {
		c.net = &cfg->networks[0];
		free(c.room);
		c.room = xstrdup(c.net->nrooms ? c.net->rooms[0] : room);
	}
	if (!c.net) {
		free(c.sender);
		free(c.room);
		return 2;
	}
	if (c.interactive) {
		struct strbuf w = STRBUF_INIT;
		sb_addf(&w, C(&c, M_CONSOLE_WELCOME), c.net->name, c.room, c.sender);
		say(&c, w.buf);
		sb_release(&w);
	}
	struct strbuf msg = STRBUF_INIT;
	char *line;
	while ((line = read_line(&c, msg.len > 0))) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\\') {
			sb_addn(&msg, line, n - 1);
			sb_addc(&msg, '\n');
			free(line);
			continue;
		}
		sb_add(&msg, line);
		free(line);
		if (strcmp(msg.buf, "/quit") == 0)
			break;
		if (msg.buf[0] == '/' && msg.buf[1] != '/')
			console_command(&c, msg.buf);
		else if (msg.len)
			console_message(&c, msg.buf);
		sb_reset(&msg);
	}
	if (msg.len && msg.buf[0] != '/')
		console_message(&c, msg.buf);
	sb_release(&msg);
	free(c.sender);
	free(c.room);
	return 0;
}
