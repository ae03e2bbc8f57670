#include "bot/outbox.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/matrix.h"
#include "bot/message.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/outbox.h"
#include "storage/reminders.h"

/* A send in flight; the flusher keeps a list of them, one per room. */
struct send {
	struct outbox_flusher *f;
	struct mx_req *req;
	char *room_id;
	long long row_id;
	char *content;      /* while a file uploads: the message to complete */
	char *answers;      /* whose command the row answers, or NULL */
	struct send *next;
};

struct outbox_flusher {
	struct matrix *m;
	struct send *busy;
	outbox_send_hook hook;     /* another transport first, or NULL */
	void *hook_arg;
};

void outbox_set_send_hook(struct outbox_flusher *f, outbox_send_hook hook,
			  void *hook_arg)
{
	f->hook = hook;
	f->hook_arg = hook_arg;
}

char *outbox_send_path(const char *room_id, const char *event_type,
		       const char *txn_id)
{
	char *r = mx_escape(room_id), *t = mx_escape(event_type), *x = mx_escape(txn_id);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "/_matrix/client/v3/rooms/%s/send/%s/%s", r, t, x);
	free(r);
	free(t);
	free(x);
	return sb_detach(&sb);
}

struct outbox_flusher *outbox_flusher_new(struct matrix *m)
{
	struct outbox_flusher *f = xcalloc(1, sizeof *f);
	f->m = m;
	return f;
}

static void send_free(struct send *s)
{
	free(s->content);
	free(s->answers);
	free(s->room_id);
	free(s);
}

void outbox_flusher_free(struct outbox_flusher *f)
{
	if (!f)
		return;
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
	int n = 0;
	for (const struct send *s = f->busy; s; s = s->next)
		n++;
	return n;
}

static int room_busy(const struct outbox_flusher *f, const char *room)
{
	for (const struct send *s = f->busy; s; s = s->next)
		if (strcmp(s->room_id, room) == 0)
			return 1;
	return 0;
}

static void unlink_send(struct outbox_flusher *f, struct send *s)
{
	for (struct send **p = &f->busy; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			return;
		}
}

static void send_next(struct outbox_flusher *f, const char *room, const char *last);

/* The homeserver's final answer to one send. */
static void on_sent(void *arg, long status, json_t *body)
{
	struct send *s = arg;
	struct outbox_flusher *f = s->f;
	struct matrix *m = f->m;
	unlink_send(f, s);
	if (status == 200) {
		/* A reminder's message: a reply or 👍 to it finds the reminder. */
		json_t *ev = json_object_get(body, "event_id");
		if (json_is_string(ev))
			reminders_note_sent_row(m->db, s->row_id, json_string_value(ev));
		outbox_delete(m->db, s->row_id);
	} else {
		/* A 4xx that is not 401/429 (those are retried in matrix.c):
		 * the homeserver will never take this event; keep it for the
		 * log and go on with the room's next one. */
		struct strbuf why = STRBUF_INIT;
		json_t *e = json_object_get(body, "error");
		sb_addf(&why, "HTTP %ld %s %s", status, mx_errcode(body),
			json_is_string(e) ? json_string_value(e) : "");
		sb_rtrim(&why);
		log_warn("message %lld to %s refused: %s", s->row_id, s->room_id,
			 why.buf);
		outbox_mark_failed(m->db, s->row_id, why.buf, time(NULL));
		sb_release(&why);
	}
	char *room = s->room_id, *last = s->answers;
	s->room_id = NULL;
	s->answers = NULL;
	send_free(s);
	send_next(f, room, last);
	free(room);
	free(last);
}

/* The media repository's answer to a file's upload: the message gets the
 * file's URL (stored, so a restart does not upload again) and goes out as
 * the room's next send. A final refusal fails the row like a refused send. */
static void on_uploaded(void *arg, long status, json_t *body)
{
	struct send *s = arg;
	struct outbox_flusher *f = s->f;
	json_t *uri = json_object_get(body, "content_uri");
	char *content = status == 200 && json_is_string(uri)
		? message_with_url(s->content, json_string_value(uri)) : NULL;
	if (status == 200 && !content)
		status = 502;  /* an answer without a URL: give the row up */
	if (status != 200 || outbox_set_uploaded(f->m->db, s->row_id, content) < 0) {
		free(content);
		on_sent(s, status == 200 ? 500 : status, body);
		return;
	}
	free(content);
	log_debug("file of message %lld uploaded: %s", s->row_id, json_string_value(uri));
	unlink_send(f, s);
	char *room = s->room_id;
	s->room_id = NULL;
	send_free(s);
	send_next(f, room, NULL);  /* the uploaded row itself goes next */
	free(room);
}

/* Start the upload of a row's file. */
static void upload_file(struct outbox_flusher *f, struct send *s,
			const struct outbox_row *row)
{
	char *name = mx_escape(row->upload_name ? row->upload_name : "werktafel.txt");
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/media/v3/upload?filename=%s", name);
	s->content = xstrdup(row->content);
	log_debug("uploading the file of message %lld (%s)", row->id, row->upload_name);
	s->req = mx_request_typed(f->m, "POST", path.buf,
				  row->upload_type ? row->upload_type : "text/plain",
				  row->upload, 60000, 0, on_uploaded, s);
	sb_release(&path);
	free(name);
}

/* Send the room's next row, unless one is in flight already. Rows take
 * turns between the users they answer (last: whom the previous send
 * answered), so one member's flood of answers does not hold up another's. */
static void send_next(struct outbox_flusher *f, const char *room, const char *last)
{
	struct matrix *m = f->m;
	if (m->stopping || room_busy(f, room))
		return;
	struct outbox_row row;
	if (outbox_next_for_room_turn(m->db, room, last, &row) <= 0)
		return;
	struct send *s = xcalloc(1, sizeof *s);
	s->f = f;
	s->room_id = xstrdup(room);
	s->row_id = row.id;
	s->answers = row.answers ? xstrdup(row.answers) : NULL;
	s->next = f->busy;
	f->busy = s;
	if (row.upload) {
		upload_file(f, s, &row);
		outbox_row_free(&row);
		return;
	}
	char *path = outbox_send_path(row.room_id, row.event_type, row.txn_id);
	log_debug("sending message %lld to %s (txn %s)", row.id, room, row.txn_id);
	if (!f->hook || !f->hook(f->hook_arg, &row, path, on_sent, s))
		s->req = mx_request(m, "PUT", path, row.content, 30000, 0, on_sent, s);
	free(path);
	outbox_row_free(&row);
}

void outbox_flush(struct outbox_flusher *f)
{
	char **rooms;
	if (f->m->stopping || outbox_pending_rooms(f->m->db, &rooms) < 0)
		return;
	for (size_t i = 0; rooms[i]; i++)
		send_next(f, rooms[i], NULL);
	outbox_rooms_free(rooms);
}

void outbox_flush_cb(void *arg)
{
	outbox_flush(arg);
}
