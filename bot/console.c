#include "bot/console.h"
#include "bot/exit.h"

#include <editline/readline.h>
#include <errno.h>
#include <jansson.h>
#include <locale.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/scheduler.h"
#include "handlers/dispatch.h"
#include "handlers/reminder_kinds.h"

#include "handlers/args.h"
#include "handlers/catalog.h"
#include "handlers/event.h"
#include "handlers/render.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/command_edits.h"
#include "storage/db.h"
#include "storage/documents.h"
#include "storage/outbox.h"
#include "storage/reminders.h"
#include "storage/sent_links.h"

struct console {
	sqlite3 *db;
	const struct wt_config *cfg;
	const struct wt_network *net;
	char *sender;
	char *room;
	FILE *in, *out;
	int interactive;
	/* The console's timeline: every message typed or shown has a number
	 * (shown in brackets), message n at msgs[n - 1]: its text (a reply
	 * quotes it) and who typed it (NULL: the bot; only the author edits
	 * a message); edits and reactions count apart (changes). Event
	 * ids carry the session's number, so those of an earlier session in
	 * the same database are not taken for this one's. */
	long seq;
	struct console_msg { char *text, *sender; } *msgs;
	long changes;
	long session;
	time_t started;   /* the console's clock when it started */
	time_t timed_at;  /* next clock-driven generation (0: full first) */
	long long skew;   /* seconds /wait moved the clock on */
	struct strbuf pending;  /* a message continued with a backslash */
	int quit;
	char *matrix_owner;     /* set when a Matrix bot uses this database */
};

/* The console's clock in milliseconds: WERKTAFEL_NOW (seconds, for tests)
 * or the real time, moved on by /wait. */
static int64_t console_now_ms(const struct console *c)
{
	const char *fake = getenv("WERKTAFEL_NOW");
	int64_t base = fake && *fake ? (int64_t)strtoll(fake, NULL, 10) * 1000
				     : scheduler_real_clock(NULL);
	return base + (int64_t)c->skew * 1000;
}

static time_t console_now(const struct console *c)
{
	return (time_t)(console_now_ms(c) / 1000);
}

static const char *C(const struct console *c, enum msg_id id)
{
	return msg_text(c->net ? c->net->lang : c->cfg->lang, id);
}

/* The event id of the console's message n (change: of its edit or
 * reaction n). */
static void console_event_id(const struct console *c, long n, int change,
			     char *buf, size_t size)
{
	snprintf(buf, size, "$console-%ld-%s%ld", c->session, change ? "e" : "", n);
}

/* A new message in the console's timeline, with its text and who typed
 * it (NULL: the bot): its number. */
static long note_message(struct console *c, const char *text, const char *sender)
{
	c->msgs = xrealloc(c->msgs, (size_t)(c->seq + 1) * sizeof *c->msgs);
	c->msgs[c->seq].text = xstrdup(text ? text : "");
	c->msgs[c->seq].sender = sender ? xstrdup(sender) : NULL;
	return ++c->seq;
}

/* Print a catalogue line (already plain text after rendering). */
static void say(struct console *c, const char *markdown)
{
	char *plain = render_plain(markdown);
	fprintf(c->out, "%s\n\n", plain);
	free(plain);
	fflush(c->out);
}

/* A message as the console shows it: its number, who it goes to when
 * that is not the current room, the file it is, then its plain text.
 * Returns its number. */
static long print_message(struct console *c, const char *to_user, const char *room,
			  const char *filename, const char *plain)
{
	struct strbuf sb = STRBUF_INIT;
	long n = note_message(c, plain, NULL);
	sb_addf(&sb, C(c, M_CONSOLE_NUMBER), n);
	size_t head = sb.len;
	if (to_user)
		sb_addf(&sb, C(c, M_CONSOLE_DM), to_user);
	else if (room && strcmp(room, c->room) != 0)
		sb_addf(&sb, C(c, M_CONSOLE_TO_ROOM), room);
	if (sb.len > head)
		sb_addc(&sb, '\n');
	if (filename) {
		sb_addf(&sb, C(c, M_CONSOLE_FILE), filename);
		sb_addc(&sb, '\n');
	}
	fprintf(c->out, "%s%s\n\n", sb.buf, plain);
	sb_release(&sb);
	return n;
}

static long print_reply(struct console *c, const struct wt_reply *r)
{
	long n = 0;
	if (r->kind == REPLY_REACTION) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, C(c, M_CONSOLE_REACTION), r->markdown);
		fprintf(c->out, "%s\n\n", sb.buf);
		sb_release(&sb);
	} else if (r->kind == REPLY_FILE) {
		n = print_message(c, r->to_user, r->room, r->filename ? r->filename : "",
				  r->markdown);
	} else {
		char *plain = render_plain(r->markdown);
		n = print_message(c, r->to_user, r->room, NULL, plain);
		free(plain);
	}
	/* An invitation shown as message n: a /react to it finds its meeting
	 * (storage/sent_links.h), as one sent to a homeserver does. */
	if (n > 0 && r->link_kind) {
		char id[64];
		console_event_id(c, n, 0, id, sizeof id);
		if (sent_links_add_sent(c->db, id, r->link_kind, r->link_id) < 0)
			say(c, C(c, M_DB_ERROR));
	}
	return n;
}

/* Show what the scheduler put in the outbox, and take it out: the console
 * stands in for the homeserver. Returns the number of messages shown. */
static int drain_outbox(struct console *c)
{
	struct outbox_row row;
	int shown = 0;
	while (outbox_next_pending(c->db, &row) == 1) {
		json_t *content = json_loads(row.content ? row.content : "", 0, NULL);
		const char *body = json_string_value(json_object_get(content, "body"));
		char id[64] = "";
		if (strcmp(row.event_type, "m.room.message") == 0) {
			long n = row.upload
				? print_message(c, row.to_user, row.room_id, row.upload_name,
						row.upload)
				: print_message(c, row.to_user, row.room_id, NULL,
						body ? body : "");
			console_event_id(c, n, 0, id, sizeof id);
			shown++;
		}
		json_decref(content);
		/* Sent as message n: a reply or 👍 to it finds its reminder. */
		int rc = *id && (reminders_note_sent_row(c->db, row.id, id) < 0
				 || command_edits_note_sent_row(c->db, row.id, id) < 0
				 || sent_links_note_sent_row(c->db, row.id, id) < 0)
			 ? -1 : outbox_delete(c->db, row.id);
		outbox_row_free(&row);
		if (rc < 0)
			break;
	}
	fflush(c->out);
	return shown;
}

/* Let the scheduler do at the console's clock what it does in the bot:
 * generate at start what the configuration wants, then what the clock
 * brings (commands regenerate their own changes), and fire what is due. Returns the
 * messages now waiting in the outbox, or -1 after saying so. */
static int fire_now(struct console *c)
{
	/* A database a Matrix bot uses: that bot sends its reminders; the
	 * console must not take its outbox. */
	if (c->matrix_owner)
		return 0;
	time_t now = console_now(c);
	if (scheduler_refresh(c->db, c->cfg, now, &c->timed_at) < 0 ||
	    scheduler_fire_due(c->db, c->cfg, now, c->started) < 0 ||
	    scheduler_end_polls(c->db, c->cfg, now) < 0) {
		say(c, C(c, M_DB_ERROR));
		return -1;
	}
	return outbox_count_pending(c->db);
}

/* Fire what is due and show it; the number of messages shown. */
static int console_tick(struct console *c)
{
	return fire_now(c) > 0 ? drain_outbox(c) : 0;
}

/* A catalogue line with a time in the console's zone. */
static void say_time(struct console *c, enum msg_id id, time_t t)
{
	struct strbuf when = STRBUF_INIT, line = STRBUF_INIT;
	when_format(&when, t, c->net->tz, c->net->lang);
	sb_addf(&line, C(c, id), when.buf);
	say(c, line.buf);
	sb_release(&line);
	sb_release(&when);
}

/* /wait <duration>: move the clock on as time would pass, stopping at each
 * reminder's due time on the way, so that each fires when it would have
 * (a "meeting tomorrow" before the meeting, not after it). */
static void console_wait(struct console *c, const char *arg, struct strbuf *msg)
{
	if (c->matrix_owner) {
		sb_addf(msg, C(c, M_CONSOLE_MATRIX_DB), c->matrix_owner);
		return;
	}
	struct when_in in = { console_now(c), c->net->tz, c->net->lang, 9, WHEN_DURATION, 0 };
	struct when_out o;
	if (when_read(arg, &in, &o) != WHEN_OK || o.secs <= 0 || arg[o.used] != '\0') {
		sb_addf(msg, C(c, M_CONSOLE_WAIT_USAGE),
			when_error_text(c->net->lang, WHEN_BAD_DURATION, WHEN_DURATION));
		return;
	}
	time_t target = console_now(c) + o.secs;
	int shown = 0;
	time_t due;
	while (reminders_next_due(c->db, &due) == 1 && due <= target) {
		if (due > console_now(c))
			c->skew += due - console_now(c);
		int waiting = fire_now(c);
		if (waiting < 0)
			break;
		if (waiting > 0) {
			say_time(c, M_CONSOLE_AT, console_now(c));
			shown += drain_outbox(c);
		}
	}
	c->skew += target - console_now(c);
	shown += console_tick(c);
	say_time(c, M_CONSOLE_CLOCK, console_now(c));
	if (!shown)
		sb_add(msg, C(c, M_CONSOLE_WAIT_NOTHING));
}

/* What an edit of a console command needs later (bot/edits.h notes it
 * for Matrix with the outbox row of the refusal; the console shows its
 * replies at once, so a correction answers anew): a refused command is
 * open to a correction, a correction that ran closes it. */
static int note_outcome(struct console *c, const struct wt_event_done *done, int rc)
{
	int refused = rc == WT_EUSAGE || rc == WT_EPERM || rc == WT_ENOTFOUND;
	if (!done->command)
		return 0;
	if (done->correction)
		return rc == WT_OK ? command_edits_set_state(c->db, done->command,
							     CMD_EDIT_RUN) : 0;
	return refused ? command_edits_add_refused(c->db, done->command, c->room,
						   c->sender, console_now(c), NULL, 0) : 0;
}

/* One event through the handlers (handlers/event.h), in its own
 * transaction as in Matrix; the replies shown. */
static void console_event(struct console *c, struct wt_event *ev)
{
	struct wt_replies replies = { 0 };
	struct wt_ctx ctx = {
		.db = c->db, .net = c->net, .room = c->room, .now = console_now(c),
		.lang = c->net->lang, .admins = (const char *const *)c->cfg->admins,
		.limits = &c->cfg->limits, .networks = c->cfg->networks,
		.nnetworks = c->cfg->nnetworks, .out = &replies,
	};
	ev->sender = c->sender;
	ev->ts_ms = console_now_ms(c);
	if (db_begin(c->db) < 0) {
		say(c, C(c, M_DB_ERROR));
		return;
	}
	struct wt_event_done done;
	int rc = wt_handle_event(&ctx, ev, NULL, &done);
	if (note_outcome(c, &done, rc) < 0 || db_commit(c->db) < 0) {
		db_rollback(c->db);
		say(c, C(c, M_DB_ERROR));
	} else {
		for (size_t i = 0; i < replies.n; i++)
			print_reply(c, &replies.v[i]);
	}
	fflush(c->out);
	wt_replies_free(&replies);
	console_tick(c);
}

/* One message typed: the next number in the timeline. */
static void console_message(struct console *c, const char *body)
{
	char id[64];
	console_event_id(c, note_message(c, body, c->sender), 0, id, sizeof id);
	struct wt_event ev = { .kind = WT_EV_MESSAGE, .event_id = id, .body = body };
	console_event(c, &ev);
}

/* /edit N text, /react N key, /reply N text (and the Dutch /bewerk,
 * /reageer, /antwoord): an edit of, a reaction to or a reply to message
 * N of the timeline, as a Matrix client sends them. */
static void console_change(struct console *c, const char *cmd, const char *rest,
			   struct strbuf *msg)
{
	struct strbuf num = STRBUF_INIT;
	const char *after = args_word(rest, &num);
	const char *text = after ? args_skip_blank(after) : "";
	char *end = NULL;
	long n = num.len ? strtol(num.buf, &end, 10) : 0;
	int ok = end && !*end && n >= 1 && n <= c->seq && *text;
	sb_release(&num);
	if (!ok) {
		if (c->seq)
			sb_addf(msg, C(c, M_CONSOLE_CHANGE_USAGE), c->seq);
		else
			sb_add(msg, C(c, M_CONSOLE_CHANGE_NONE));
		return;
	}
	char target[64], id[64];
	console_event_id(c, n, 0, target, sizeof target);
	struct wt_event ev = { .event_id = id };
	if (strcmp(cmd, "/reply") == 0 || strcmp(cmd, "/antwoord") == 0) {
		console_event_id(c, note_message(c, text, c->sender), 0, id, sizeof id);
		ev.kind = WT_EV_REPLY;
		ev.body = text;
		ev.reply_to = target;
		ev.reply_quote = c->msgs[n - 1].text;
	} else {
		int edit = strcmp(cmd, "/edit") == 0 || strcmp(cmd, "/bewerk") == 0;
		const char *author = c->msgs[n - 1].sender;
		if (edit && (!author || strcmp(author, c->sender) != 0)) {
			/* As a client: only its author edits a message. */
			sb_addf(msg, C(c, M_CONSOLE_EDIT_NOT_YOURS), n);
			return;
		}
		console_event_id(c, ++c->changes, 1, id, sizeof id);
		ev.kind = edit ? WT_EV_EDIT : WT_EV_REACTION;
		ev.edit.target = edit ? target : NULL;
		ev.edit.body = edit ? text : NULL;
		ev.reaction.target = edit ? NULL : target;
		ev.reaction.key = edit ? NULL : text;
	}
	console_event(c, &ev);
}

/* /bestand NAAM (/file NAME): a file message in the timeline, as a
 * client sends an upload, noted as the sync notes one
 * (bot/sync_files.h), so `/antwoord N !stuk 1` attaches it. */
static void console_file(struct console *c, const char *name, struct strbuf *msg)
{
	if (!*name) {
		sb_add(msg, C(c, M_CONSOLE_FILE_USAGE));
		return;
	}
	char id[64], url[80];
	long n = note_message(c, name, c->sender);
	console_event_id(c, n, 0, id, sizeof id);
	snprintf(url, sizeof url, "mxc://console/%ld-%ld", c->session, n);
	struct wt_room_file f = {
		.event_id = id, .room_id = c->room, .sender = c->sender,
		.msgtype = "m.file", .name = (char *)name, .url = url,
		.seen_at = console_now(c),
	};
	if (room_file_note(c->db, &f) < 0)
		sb_add(msg, C(c, M_DB_ERROR));
	else
		sb_addf(msg, C(c, M_CONSOLE_FILE_SENT), n, name, n);
}

/* Whether cmd is one of console_change's. */
static int is_change(const char *cmd)
{
	static const char *const names[] = { "/edit", "/bewerk", "/react", "/reageer",
					     "/reply", "/antwoord" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(cmd, names[i]) == 0)
			return 1;
	return 0;
}

/* The console's own commands: /as, /room, /wait and console_change's. */
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
	} else if (is_change(cmd.buf)) {
		console_change(c, cmd.buf, p ? p : "", &msg);
	} else if (strcmp(cmd.buf, "/file") == 0 || strcmp(cmd.buf, "/bestand") == 0) {
		struct strbuf name = STRBUF_INIT;
		args_line(p ? p : "", &name);
		console_file(c, name.buf, &msg);
		sb_release(&name);
	} else if (strcmp(cmd.buf, "/wait") == 0 || strcmp(cmd.buf, "/wacht") == 0) {
		console_wait(c, args_skip_blank(p ? p : ""), &msg);
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
	if (msg.len)
		fprintf(c->out, "%s\n\n", msg.buf);
	fflush(c->out);
	sb_release(&msg);
	sb_release(&cmd);
	sb_release(&arg);
}

/* One physical line typed or read: a line ending in a backslash continues
 * the message; /quit sets c->quit. */
static void feed_line(struct console *c, const char *line)
{
	size_t n = strlen(line);
	if (n && line[n - 1] == '\\') {
		sb_addn(&c->pending, line, n - 1);
		sb_addc(&c->pending, '\n');
		return;
	}
	sb_add(&c->pending, line);
	const char *msg = c->pending.buf;
	if (strcmp(msg, "/quit") == 0)
		c->quit = 1;
	else if (msg[0] == '/' && msg[1] != '/')
		console_command(c, msg);
	else if (c->pending.len)
		console_message(c, msg);
	sb_reset(&c->pending);
}

/* Piped input: one line after the other; time moves only by /wait. */
static void run_piped(struct console *c)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (!c->quit && (n = getline(&line, &cap, c->in)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		feed_line(c, line);
	}
	free(line);
}

/* Interactive: editline reads through console_getc, which waits for a
 * key or the next reminder, whichever comes first, so that a reminder
 * falling due while nobody types is shown at its time. editline's getc hook
 * has no argument; there is one console per process. */
static struct console *interactive_console;

/* Fire what is due; when that gave messages, clear the line being typed,
 * show them and draw the prompt and the line again. */
static void show_due_while_idle(struct console *c)
{
	if (fire_now(c) <= 0)
		return;
	fputs("\r\033[K", c->out);
	drain_outbox(c);
	rl_forced_update_display();
}

/* One character (a whole UTF-8 sequence, as editline wants a wide
 * character) or -1 at the end of input. */
static int console_getc(FILE *in)
{
	struct console *c = interactive_console;
	int fd = fileno(in);
	for (;;) {
		int wait = c->matrix_owner ? -1
			   : (int)scheduler_delay_ms(c->db, console_now_ms(c), 60000) + 1;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, wait);
		if (r > 0)
			break;
		if (r == 0)
			show_due_while_idle(c);
		else if (errno != EINTR)
			return -1;
	}
	unsigned char b;
	if (read(fd, &b, 1) != 1)
		return -1;
	int more = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
	int cp = more == 3 ? b & 0x07 : more == 2 ? b & 0x0f : more == 1 ? b & 0x1f : b;
	while (more-- > 0) {
		if (read(fd, &b, 1) != 1)
			return -1;
		cp = (cp << 6) | (b & 0x3f);
	}
	return cp;
}

static void run_interactive(struct console *c)
{
	interactive_console = c;
	/* editline takes multibyte input by the locale's character type. */
	setlocale(LC_CTYPE, "");
	rl_getc_function = console_getc;
	char *line;
	struct strbuf prompt = STRBUF_INIT;
	for (;;) {
		/* The number the next message gets (for /edit, /react, /reply). */
		sb_reset(&prompt);
		sb_addf(&prompt, "werktafel [%ld]> ", c->seq + 1);
		if (c->quit || !(line = readline(c->pending.len ? "... " : prompt.buf)))
			break;
		if (*line)
			add_history(line);
		feed_line(c, line);
		free(line);
	}
	sb_release(&prompt);
	if (!c->quit)
		fputc('\n', c->out);
	interactive_console = NULL;
}

/* This console's number among those that used the database (kept in
 * kv console.sessions), so its event ids are its own. */
static long next_session(sqlite3 *db)
{
	char *was = db_kv_get(db, "console.sessions");
	long n = (was ? strtol(was, NULL, 10) : 0) + 1;
	free(was);
	char buf[24];
	snprintf(buf, sizeof buf, "%ld", n);
	db_kv_set(db, "console.sessions", buf);
	return n;
}

int console_run(sqlite3 *db, const struct wt_config *cfg, const char *as,
		const char *room, FILE *in, FILE *out)
{
	struct console c = { .db = db, .cfg = cfg, .in = in, .out = out,
			     .pending = STRBUF_INIT };
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
		return WT_EXIT_USAGE;
	}
	c.started = console_now(&c);
	c.session = next_session(db);
	c.matrix_owner = db_kv_get(db, "sync.owner");
	if (c.interactive) {
		struct strbuf w = STRBUF_INIT;
		sb_addf(&w, C(&c, M_CONSOLE_WELCOME), c.net->name, c.room, c.sender);
		say(&c, w.buf);
		sb_release(&w);
	}
	/* What fell due while the console was not running, as the bot does
	 * on start. */
	if (c.matrix_owner) {
		struct strbuf m = STRBUF_INIT;
		sb_addf(&m, C(&c, M_CONSOLE_MATRIX_DB), c.matrix_owner);
		say(&c, m.buf);
		sb_release(&m);
	} else if (scheduler_summarise_missed(db, cfg, c.started) < 0) {
		say(&c, C(&c, M_DB_ERROR));
	}
	console_tick(&c);
	if (c.interactive)
		run_interactive(&c);
	else
		run_piped(&c);
	if (c.pending.len && c.pending.buf[0] != '/')
		console_message(&c, c.pending.buf);
	sb_release(&c.pending);
	for (long i = 0; i < c.seq; i++) {
		free(c.msgs[i].text);
		free(c.msgs[i].sender);
	}
	free(c.msgs);
	free(c.matrix_owner);
	free(c.sender);
	free(c.room);
	return 0;
}
