/* quote: fetch the text of messages reminders are about; see quote.h. */
#include "bot/quote.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/message.h"
#include "handlers/readback.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/reminder_quotes.h"

struct fetch {
	struct matrix *m;
	long long reminder_id;
};

char *quote_excerpt_dup(const char *body)
{
	return text_cut_dup(message_body_without_reply(body), QUOTE_MAX);
}

/* The event's answer: its body's excerpt when it is a message. */
static void on_event(void *arg, long status, json_t *body)
{
	struct fetch *f = arg;
	struct matrix *m = f->m;
	char *excerpt = NULL;
	const char *type = json_in_str(body, "type");
	json_t *content = json_object_get(body, "content");
	if (status == 200 && type && strcmp(type, "m.room.message") == 0)
		excerpt = quote_excerpt_dup(json_in_str(content, "body"));
	if (!excerpt)
		log_info("reminder %lld: the message it is about cannot be read (HTTP %ld %s);"
			 " it goes out with the link alone", f->reminder_id, status,
			 status == 200 ? "no message text" : mx_errcode(body));
	int rc = reminder_quote_done(m->db, f->reminder_id, excerpt);
	if (rc < 0)  /* tried again after the next sync, not in a loop */
		log_warn("reminder %lld: the excerpt of its message was not stored",
			 f->reminder_id);
	free(excerpt);
	free(f);
	m->quote_busy = 0;
	if (rc == 0)
		quote_run(m);
}

/* One fetch at a time (like the member lists): m->quote_busy. */
void quote_run(struct matrix *m)
{
	if (m->quote_busy || m->stopping)
		return;
	long long id = 0;
	struct wt_quote q;
	if (reminder_quote_next_wanted(m->db, &id, &q) != 1)
		return;
	struct fetch *f = xcalloc(1, sizeof *f);
	f->m = m;
	f->reminder_id = id;
	char *rid = mx_escape(q.room_id), *eid = mx_escape(q.event_id);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/rooms/%s/event/%s", rid, eid);
	m->quote_busy = 1;
	mx_request(m, "GET", path.buf, NULL, 10000, MX_NORETRY, on_event, f);
	sb_release(&path);
	free(rid);
	free(eid);
	reminder_quote_free(&q);
}
