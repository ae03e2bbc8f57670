#include "bot/outbox.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "bot/matrix.h"
#include "bot/message.h"
#include "bot/mx_error.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/command_edits.h"
#include "storage/db.h"
#include "storage/outbox.h"
#include "storage/polls.h"
#include "storage/reminders.h"
#include "storage/sent_links.h"

/* A send in flight; the flusher keeps a list of them, up to
 * OUTBOX_ROOM_WINDOW per room and OUTBOX_MAX_IN_FLIGHT in all. */
struct send {
	struct outbox_flusher *f;
	struct mx_req *req;     /* the request in flight, or NULL */
	uv_timer_t *timer;      /* the wait before a look-up; freed once closed */
	char *room_id;
	long long row_id;
	struct outbox_row row;  /* its content carries the outbox id once sent */
	char *path;             /* the PUT's path */
	int unknown;            /* tries whose outcome was unknown */
	int held;               /* times the seal hook held the row back */
	int marked;             /* noted as tried already (with its room's others) */
	char *event_id;         /* sent as this event: its row leaves the
				 * outbox with the loop turn's others */
	struct send *next;
	struct send *next_done; /* the list of those sent, not yet written */
};

struct outbox_flusher {
	struct matrix *m;
	struct send *busy;
	int nbusy;                 /* the sends in busy */
	int starved;               /* a room waited for OUTBOX_MAX_IN_FLIGHT */
	struct send *done;         /* sent, their rows still to write */
	uv_check_t *check;         /* writes them after the loop's I/O */
	uv_idle_t *wake;           /* meanwhile: that I/O poll does not block */
	outbox_send_hook hook;     /* another transport first, or NULL */
	void *hook_arg;
	outbox_seal_hook seal;     /* encryption (bot/e2ee.c), or NULL */
	void *seal_arg;
	void (*idle)(void *arg);   /* the last send is over (outbox_on_idle) */
	void *idle_arg;
};

void outbox_on_idle(struct outbox_flusher *f, void (*idle)(void *arg), void *arg)
{
	f->idle = idle;
	f->idle_arg = arg;
}

/* Nothing in flight any more: tell (after the refill, which may start the
 * next rows). */
static void tell_idle(struct outbox_flusher *f)
{
	if (f->nbusy == 0 && f->idle)
		f->idle(f->idle_arg);
}

void outbox_set_seal_hook(struct outbox_flusher *f, outbox_seal_hook hook,
			  void *hook_arg)
{
	f->seal = hook;
	f->seal_arg = hook_arg;
}

void outbox_set_send_hook(struct outbox_flusher *f, outbox_send_hook hook,
			  void *hook_arg)
{
	f->hook = hook;
	f->hook_arg = hook_arg;
}

struct outbox_flusher *outbox_flusher_new(struct matrix *m)
{
	struct outbox_flusher *f = xcalloc(1, sizeof *f);
	f->m = m;
	return f;
}

static void timer_closed(uv_handle_t *h)
{
	free(h);
}

static void on_check(uv_check_t *c);
static void settle(struct outbox_flusher *f, int refill);

static void send_free(struct send *s)
{
	if (s->timer) {
		uv_timer_stop(s->timer);
		uv_close((uv_handle_t *)s->timer, timer_closed);
	}
	outbox_row_free(&s->row);
	free(s->event_id);
	free(s->path);
	free(s->room_id);
	free(s);
}

void outbox_flusher_free(struct outbox_flusher *f)
{
	if (!f)
		return;
	f->idle = NULL;  /* whoever listened may be gone already */
	settle(f, 0);
	if (f->check) {
		uv_check_stop(f->check);
		uv_close((uv_handle_t *)f->check, timer_closed);
	}
	if (f->wake) {
		uv_idle_stop(f->wake);
		uv_close((uv_handle_t *)f->wake, timer_closed);
	}
	/* The requests themselves belong to struct matrix, which drops them. */
	while (f->busy) {
		struct send *s = f->busy;
		f->busy = s->next;
		send_free(s);
	}
	free(f);
}

int outbox_in_flight(const struct outbox_flusher *f)
{
	return f->nbusy;
}

static void unlink_send(struct outbox_flusher *f, struct send *s)
{
	for (struct send **p = &f->busy; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			f->nbusy--;
			return;
		}
}

static void send_next(struct outbox_flusher *f, const char *room, const char *last);
static void look_up(struct send *s);

/* The bot's own user id, as the homeserver knows it. */
static const char *me(const struct matrix *m)
{
	return m->user_id ? m->user_id : m->cfg->user_id;
}

/* Rooms waited for a free place among all sends: start what may go. */
static void unstarve(struct outbox_flusher *f)
{
	if (f->starved && f->nbusy < OUTBOX_MAX_IN_FLIGHT) {
		f->starved = 0;
		outbox_flush(f);
	}
}

/* The send is over (sent, found or refused): the room's next rows go. */
static void finish(struct send *s)
{
	struct outbox_flusher *f = s->f;
	unlink_send(f, s);
	char *room = s->room_id, *last = s->row.answers;
	s->room_id = NULL;
	s->row.answers = NULL;  /* whose turn it was: the next row answers another */
	send_free(s);
	send_next(f, room, last);
	free(room);
	free(last);
	unstarve(f);
	tell_idle(f);
}

/* The writes for the rows sent, in one transaction: 0, or negative when
 * it failed (rolled back). */
static int plain_kind(const char *event_type)
{
	return event_type && (strcmp(event_type, "m.room.message") == 0
			      || strcmp(event_type, "m.reaction") == 0);
}

static int write_sent(sqlite3 *db, struct send *done)
{
	if (db_begin(db) < 0)
		return -1;
	int rc = 0;
	for (struct send *s = done; s && rc == 0; s = s->next_done) {
		/* A reminder's message: a reply or 👍 to it finds the reminder. */
		if (reminders_note_sent_row(db, s->row_id, s->event_id) < 0
		    /* A refusal: an edit of its command edits it (bot/edits.h). */
		    || command_edits_note_sent_row(db, s->row_id, s->event_id) < 0
		    /* An invitation: a reaction to it finds its meeting. */
		    || sent_links_note_sent_row(db, s->row_id, s->event_id) < 0
		    /* A poll's start: responses relate to this event id (a
		     * message or reaction is none; an encrypted row may be). */
		    || (!plain_kind(s->row.event_type)
			&& polls_note_sent_row(db, s->row_id, s->event_id) < 0)
		    || outbox_delete(db, s->row_id) < 0)
			rc = -1;
	}
	if (rc == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return -1;
}

/* Write the rows sent so far and take them from the list (refill: let
 * their rooms' next rows go). */
static void settle(struct outbox_flusher *f, int refill)
{
	struct send *done = f->done;
	f->done = NULL;
	if (f->check)
		uv_check_stop(f->check);
	if (f->wake)
		uv_idle_stop(f->wake);
	if (!done)
		return;
	if (write_sent(f->m->db, done) < 0)
		/* Each row stays, marked tried: its next turn looks for it
		 * in the room first and finds it (never a second send). */
		log_warn("outbox: cannot note the messages just sent; they are "
			 "looked for in their rooms before they are sent again");
	while (done) {
		struct send *s = done;
		done = s->next_done;
		unlink_send(f, s);
		char *room = s->room_id, *last = s->row.answers;
		s->room_id = NULL;
		s->row.answers = NULL;
		send_free(s);
		if (refill)
			send_next(f, room, last);
		free(room);
		free(last);
	}
	if (refill)
		unstarve(f);
	tell_idle(f);
}

void outbox_settle(struct outbox_flusher *f)
{
	settle(f, 1);
}

static void on_check(uv_check_t *c)
{
	outbox_settle(c->data);
}

static void on_wake(uv_idle_t *i)
{
	(void)i;   /* only there so that the loop's next poll does not wait */
}

/* The check runs after the loop's next I/O poll. An answer handled outside
 * the poll phase (a curl timer, the websocket transport) would otherwise
 * wait in f->done until some other I/O woke the loop (the next sync, up to
 * its timeout): an active idle handle makes that poll return at once. */
static void wake_soon(struct outbox_flusher *f)
{
	if (!f->wake) {
		f->wake = xmalloc(sizeof *f->wake);
		uv_idle_init(f->m->loop, f->wake);
		f->wake->data = f;
	}
	if (!uv_is_active((uv_handle_t *)f->wake))
		uv_idle_start(f->wake, on_wake);
}

/* The row is in the room as event_id: it leaves the outbox with the
 * others sent in this loop turn, in one transaction (outbox_settle). */
static void sent_as(struct send *s, const char *event_id)
{
	struct outbox_flusher *f = s->f;
	s->event_id = xstrdup(event_id);
	s->next_done = f->done;
	f->done = s;
	if (!f->check) {
		f->check = xmalloc(sizeof *f->check);
		uv_check_init(f->m->loop, f->check);
		f->check->data = f;
	}
	if (!uv_is_active((uv_handle_t *)f->check))
		uv_check_start(f->check, on_check);
	wake_soon(f);
}

/* A 4xx that is not 401/429 (those are retried in matrix.c): the
 * homeserver will never take this event; keep it for the log and go on
 * with the room's next one. */
static void refused(struct send *s, long status, json_t *body)
{
	struct strbuf why = STRBUF_INIT;
	json_t *e = json_object_get(body, "error");
	sb_addf(&why, "HTTP %ld %s %s", status, mx_errcode(body),
		json_is_string(e) ? json_string_value(e) : "");
	sb_rtrim(&why);
	log_warn("message %lld to %s refused: %s", s->row_id, s->room_id, why.buf);
	outbox_mark_failed(s->f->m->db, s->row_id, why.buf, time(NULL));
	/* A state event the bot lacks the power for: the room hears why. */
	if (s->row.state_key && s->row.refused_content
	    && mx_error_kind(status, body) == MX_ERR_FORBIDDEN
	    && outbox_enqueue(s->f->m->db, s->room_id, NULL, "m.room.message",
			      s->row.refused_content, time(NULL), NULL) < 0)
		log_warn("message %lld: cannot note why it was refused", s->row_id);
	sb_release(&why);
	finish(s);
}

static void on_look_timer(uv_timer_t *t)
{
	look_up(t->data);
}

/* An unknown outcome: after the backoff a retry would have waited, look
 * whether the event is in the room before sending it again. */
static void look_later(struct send *s)
{
	struct matrix *m = s->f->m;
	if (!s->timer) {
		s->timer = xmalloc(sizeof *s->timer);
		uv_timer_init(m->loop, s->timer);
		s->timer->data = s;
	}
	long wait = mx_backoff_ms(m, s->unknown++);
	log_debug("message %lld: outcome unknown; looking for it in %s in %ld ms",
		  s->row_id, s->room_id, wait);
	uv_timer_start(s->timer, on_look_timer, (uint64_t)wait, 0);
}

/* The homeserver's final answer to one PUT (or the hook's). */
static void on_sent(void *arg, long status, json_t *body)
{
	struct send *s = arg;
	s->req = NULL;
	json_t *ev = json_object_get(body, "event_id");
	if (status >= 200 && status < 300 && json_is_string(ev)) {
		sent_as(s, json_string_value(ev));
	} else if (status == 0 || status >= 500 || (status >= 200 && status < 300)) {
		/* Cut off, timed out, a 5xx or a 2xx without an event id:
		 * the event may be in the room, or not. */
		look_later(s);
	} else {
		refused(s, status, body);
	}
}

/* Send the row (the first time, or again after a look-up found nothing),
 * with the same txn id every time. */
static void put(struct send *s)
{
	struct outbox_flusher *f = s->f;
	struct matrix *m = f->m;
	if (!s->row.tried) {
		if (!s->marked && outbox_mark_tried(m->db, s->row_id) < 0)
			log_warn("message %lld: cannot note its first try", s->row_id);
		s->row.tried = 1;
	}
	log_debug("sending message %lld to %s (txn %s)", s->row_id, s->room_id,
		  s->row.txn_id);
	if (s->row.state_key || !f->hook
	    || !f->hook(f->hook_arg, &s->row, s->path, on_sent, s))
		s->req = mx_request(m, "PUT", s->path, s->row.content, 30000,
				    MX_UNSURE, on_sent, s);
}

/* The answer to a look-up: the event found means sent; otherwise the
 * same PUT again. */
static void on_looked(void *arg, long status, json_t *body)
{
	struct send *s = arg;
	s->req = NULL;
	if (status == 200) {
		const char *ev = outbox_find_sent(body, me(s->f->m), s->row.txn_id);
		if (ev) {
			log_info("message %lld is in %s already (%s); not sent again",
				 s->row_id, s->room_id, ev);
			sent_as(s, ev);
			return;
		}
		log_debug("message %lld is not in %s; sending it again", s->row_id,
			  s->room_id);
	} else {
		log_warn("message %lld: cannot read the timeline of %s (HTTP %ld %s); "
			 "sending it again with the same txn id", s->row_id,
			 s->room_id, status, mx_errcode(body));
	}
	put(s);
}

/* Ask the homeserver for the bot's recent events of the row's type in its
 * room, to find the row's outbox id among them. */
static void look_up(struct send *s)
{
	struct matrix *m = s->f->m;
	if (m->stopping)
		return;
	if (s->row.state_key) {
		put(s);  /* a state event: setting it again is harmless */
		return;
	}
	char *path = outbox_lookup_path(s->room_id, me(m), s->row.event_type);
	if (!path) {
		put(s);
		return;
	}
	s->req = mx_request(m, "GET", path, NULL, 30000, 0, on_looked, s);
	free(path);
}

/* The row's event goes out: put its outbox id into its content; a row a
 * previous run may have sent is looked for first. */
static void start_send(struct send *s)
{
	if (s->row.state_key) {
		/* A state event goes as it is (an empty content removes a
		 * widget) and may simply be set again. */
		s->path = outbox_state_path(s->row.room_id, s->row.event_type,
					    s->row.state_key);
		put(s);
		return;
	}
	char *c = message_with_outbox_id(s->row.content, s->row.txn_id);
	if (c) {
		free(s->row.content);
		s->row.content = c;
	}
	s->path = outbox_send_path(s->row.room_id, s->row.event_type, s->row.txn_id);
	if (s->row.tried) {
		log_info("message %lld to %s may have been sent before; looking for "
			 "it first", s->row_id, s->room_id);
		look_up(s);
	} else {
		put(s);
	}
}

/* The media repository's answer to a file's upload: the message gets the
 * file's URL (stored, so a restart does not upload again) and goes out.
 * A final refusal fails the row like a refused send. */
static void on_uploaded(void *arg, long status, json_t *body)
{
	struct send *s = arg;
	s->req = NULL;
	json_t *uri = json_object_get(body, "content_uri");
	char *content = status == 200 && json_is_string(uri)
		? message_with_url(s->row.content, json_string_value(uri)) : NULL;
	if (status == 200 && !content)
		status = 502;  /* an answer without a URL: give the row up */
	if (status != 200 || outbox_set_uploaded(s->f->m->db, s->row_id, content) < 0) {
		free(content);
		refused(s, status == 200 ? 500 : status, body);
		return;
	}
	log_debug("file of message %lld uploaded: %s", s->row_id, json_string_value(uri));
	free(s->row.content);
	s->row.content = content;
	free(s->row.upload);
	s->row.upload = NULL;
	start_send(s);
}

/* Start the upload of a row's file. */
static void upload_file(struct outbox_flusher *f, struct send *s)
{
	const struct outbox_row *row = &s->row;
	char *name = mx_escape(row->upload_name ? row->upload_name : "werktafel.txt");
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/media/v3/upload?filename=%s", name);
	log_debug("uploading the file of message %lld (%s)", row->id, row->upload_name);
	s->req = mx_request_typed(f->m, "POST", path.buf,
				  row->upload_type ? row->upload_type : "text/plain",
				  row->upload, 60000, 0, on_uploaded, s);
	sb_release(&path);
	free(name);
}

/* The row is ready (sealed when its room is encrypted): upload its file
 * first, or send it. */
static void go(struct send *s)
{
	if (s->row.upload)
		upload_file(s->f, s);
	else
		start_send(s);
}

static void seal(struct send *s);

static void on_seal_timer(uv_timer_t *t)
{
	seal(t->data);
}

/* The seal hook's answer: go, or ask again after a wait (the row stays
 * first in its room, so nothing after it overtakes it). */
static void on_sealed(void *arg, int rc)
{
	struct send *s = arg;
	struct matrix *m = s->f->m;
	if (rc == 0) {
		s->held = 0;
		go(s);
		return;
	}
	if (m->stopping)
		return;
	if (!s->timer) {
		s->timer = xmalloc(sizeof *s->timer);
		uv_timer_init(m->loop, s->timer);
		s->timer->data = s;
	}
	long wait = mx_backoff_ms(m, s->held++);
	log_debug("message %lld to %s held back; asking again in %ld ms",
		  s->row_id, s->room_id, wait);
	uv_timer_start(s->timer, on_seal_timer, (uint64_t)wait, 0);
}

/* Let the seal hook encrypt the row (or hold it), then go. */
static void seal(struct send *s)
{
	struct outbox_flusher *f = s->f;
	if (f->seal && !s->row.state_key)  /* state events are never encrypted */
		f->seal(f->seal_arg, &s->row, on_sealed, s);
	else
		go(s);
}

/* A row never sent whose content is too large for one event (written
 * before the bot split such replies, bot/message.h): its text goes as a
 * file instead of being refused by the homeserver. */
static void too_large(struct send *s)
{
	struct outbox_row *r = &s->row;
	if (r->tried || r->upload || strcmp(r->event_type, "m.room.message") != 0
	    || strlen(r->content) <= MESSAGE_CONTENT_MAX)
		return;
	char *text;
	char *c = message_file_of_text_dup(r->content, &text);
	if (!c || outbox_set_file(s->f->m->db, r->id, c, text,
				  MESSAGE_LARGE_TEXT_FILE, "text/plain") < 0) {
		free(c);
		free(text);
		return;
	}
	log_warn("message %lld to %s is too large for one event (%zu bytes); "
		 "sending its text as a file", r->id, r->room_id, strlen(r->content));
	free(r->content);
	r->content = c;
	r->upload = text;
	free(r->upload_name);
	r->upload_name = xstrdup(MESSAGE_LARGE_TEXT_FILE);
	free(r->upload_type);
	r->upload_type = xstrdup("text/plain");
}

/* The rows of room in flight into busy (at most OUTBOX_ROOM_WINDOW): their
 * count, or -1 when one of them keeps the room to itself (an ungrouped
 * row, or one the seal hook holds back). */
static int room_busy(const struct outbox_flusher *f, const char *room,
		     long long *busy)
{
	int n = 0;
	for (const struct send *s = f->busy; s; s = s->next)
		if (strcmp(s->room_id, room) == 0) {
			if (!s->row.grp || s->held || n == OUTBOX_ROOM_WINDOW)
				return -1;
			busy[n++] = s->row_id;
		}
	return n;
}

/* Start the room's next rows, as many as may be in flight together (see
 * storage/outbox.h outbox_next_sendable: one command's replies one after
 * another, different commands' side by side, an ungrouped row alone).
 * Rows take turns between the users they answer (last: whom the
 * previous send answered), so one member's flood of answers does not
 * hold up another's. */
/* Note the rows about to go as tried, in one transaction (each is
 * noted on its own before its PUT when this fails). */
static void mark_tried(sqlite3 *db, struct send **v, int n)
{
	int todo = 0;
	for (int i = 0; i < n; i++)
		todo += !v[i]->row.tried;
	if (todo < 2 || db_begin(db) < 0)
		return;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		if (!v[i]->row.tried)
			rc = outbox_mark_tried(db, v[i]->row_id);
	if (rc == 0 && db_commit(db) == 0) {
		for (int i = 0; i < n; i++)
			v[i]->marked = 1;
		return;
	}
	db_rollback(db);
}

static void send_next(struct outbox_flusher *f, const char *room, const char *last)
{
	struct matrix *m = f->m;
	long long busy[OUTBOX_ROOM_WINDOW];
	struct send *picked[OUTBOX_ROOM_WINDOW];
	int npicked = 0;
	char *turn = last ? xstrdup(last) : NULL;
	int began = db_read_begin(m->db);  /* the choice: reads only */
	for (;;) {
		if (m->stopping)
			break;
		int n = room_busy(f, room, busy);
		if (n < 0 || n >= OUTBOX_ROOM_WINDOW)
			break;
		if (f->nbusy >= OUTBOX_MAX_IN_FLIGHT) {
			f->starved = 1;
			break;
		}
		struct outbox_row row;
		if (outbox_next_sendable(m->db, room, turn, busy, (size_t)n, &row) <= 0)
			break;
		struct send *s = xcalloc(1, sizeof *s);
		s->f = f;
		s->room_id = xstrdup(room);
		s->row_id = row.id;
		s->row = row;  /* owned by s from here */
		s->next = f->busy;
		f->busy = s;
		f->nbusy++;
		free(turn);
		turn = row.answers ? xstrdup(row.answers) : NULL;
		picked[npicked++] = s;
	}
	db_read_end(m->db, began);
	free(turn);
	for (int i = 0; i < npicked; i++)
		too_large(picked[i]);
	mark_tried(m->db, picked, npicked);
	/* Each may finish at once (and start others): none is used after. */
	for (int i = 0; i < npicked; i++)
		seal(picked[i]);
}

void outbox_flush(struct outbox_flusher *f)
{
	char **rooms;
	if (f->m->stopping)
		return;
	/* The rooms and each one's choice in one read transaction; the
	 * "tried" mark before a PUT ends it (storage/db.h). */
	int began = db_read_begin(f->m->db);
	if (outbox_pending_rooms(f->m->db, &rooms) >= 0) {
		for (size_t i = 0; rooms[i] && f->nbusy < OUTBOX_MAX_IN_FLIGHT; i++)
			send_next(f, rooms[i], NULL);
		if (f->nbusy >= OUTBOX_MAX_IN_FLIGHT)
			f->starved = 1;
		outbox_rooms_free(rooms);
	}
	db_read_end(f->m->db, began);
}

void outbox_flush_cb(void *arg)
{
	outbox_flush(arg);
}
