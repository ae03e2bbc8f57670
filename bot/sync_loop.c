/* The /sync long-poll loop (and the catch-up of cut timelines) around
 * sync_apply; see bot/sync.h. */
#include "bot/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "bot/matrix.h"
#include "bot/mx_error.h"
#include "bot/rooms.h"
#include "bot/sync_filter.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "storage/db.h"
#include "storage/db_fault.h"

#define POLL_MAX_MS 30000L

static const char *str_at(json_t *obj, const char *key)
{
	return json_in_str(obj, key);  /* NULL for a string with a NUL */
}

/* ---- the long-poll ---- */

long sync_poll_timeout_ms(const struct sync_env *env)
{
	long t = env->next_wakeup_ms ? env->next_wakeup_ms(env->wakeup_arg) : -1;
	if (t < 0 || t > POLL_MAX_MS)
		return POLL_MAX_MS;
	return t;
}

struct gap;

struct sync_loop {
	struct matrix *m;
	struct sync_env env;
	void (*after)(void *arg);
	void *arg;
	uv_timer_t *timer;
	int failures;
	int inline_filter;   /* the filter goes inline, not by its id */
	int filter_said;     /* the switch to inline was logged */
	int filter_ignored;  /* even the inline filter is ignored: stop looking */
	int filter_trial;    /* inline on trial: the id or the token refused? */
	int probing;         /* the sync token was refused: asking without it */
	char filter_why[96]; /* the refusal that started the trial */
	char probe_why[96];  /* the refusal that started the probe */
	struct gap *gap;     /* missed events being fetched, or NULL */
	/* Another transport (bot/transport_ws.c) may carry the sync. */
	struct mx_req *req;  /* the /sync in flight, or NULL */
	int paused;          /* no long-poll; bodies come by sync_loop_feed */
	unsigned epoch;      /* changes at pause/resume: older gaps are dropped */
	json_t *queue;       /* fed bodies waiting behind a gap fill */
	json_t *filter;      /* matrix_filter_json parsed, once (check_answer) */
	void (*feed_failed)(void *arg);
	void *feed_arg;
	int (*busy)(void *arg);  /* replies in flight: the next poll waits */
	void *busy_arg;
	int held;            /* the next poll waits for sync_loop_sent or timer */
};

/* Catching up a response whose timelines were cut ("limited": more
 * happened since the last sync than the timeline limit). For each such
 * room the missed events are read forward, page by page, with /messages
 * from the stored sync token up to the timeline's prev_batch; each page is
 * handled and committed as it arrives (sync_apply_room_events), so memory
 * holds one page whatever the backlog, and the sync token is committed
 * only after the last page and the timeline itself (sync_apply). A stop in
 * the middle replays from the old token; handled_events skips what was
 * done.
 *
 * Before that, a pre-pass reads the same range with a filter on the bot's
 * own events only, page by page, and records the commands they answer as
 * handled (sync_note_own_answers; the timeline's own answers too): a
 * database restored from an older backup has an older token, and the
 * bot's reply to a command of the gap may lie pages after the command.
 * Each page is committed; run again after a stop, it records nothing new. */
#define GAP_PAGE 100

struct gap {
	struct sync_loop *s;
	json_t *resp;
	char *since;
	json_t *rooms;       /* ids of the rooms to catch up */
	size_t i;
	char *from;          /* the next page starts here */
	const char *first_id;/* the first event of rooms[i]'s timeline */
	struct mx_req *req;  /* the page in flight */
	long pages, events;  /* of rooms[i] */
	int own_pass;        /* the pre-pass over the bot's own events runs */
	long answered;       /* commands the pre-pass found answered */
	unsigned epoch;      /* the loop's epoch when the response came */
};

static void process(struct sync_loop *s, json_t *body);
static void gap_next(struct gap *g);
static void feed_next(struct sync_loop *s);
static void poll_later(struct sync_loop *s);

static void gap_free(struct gap *g)
{
	if (!g)
		return;
	/* g->req, if any, is dropped by matrix_free (which runs first). */
	json_decref(g->resp);
	json_decref(g->rooms);
	free(g->since);
	free(g->from);
	free(g);
}

static json_t *joined_room(json_t *resp, const char *room_id)
{
	json_t *join = json_object_get(json_object_get(resp, "rooms"), "join");
	return json_object_get(join, room_id);
}

static json_t *timeline_of(json_t *resp, const char *room_id)
{
	return json_object_get(joined_room(resp, room_id), "timeline");
}

/* Rooms of a network whose timeline was cut and whose missed events are
 * the bot's (not history from before its join). */
static json_t *limited_rooms(struct sync_loop *s, json_t *resp)
{
	json_t *ids = json_array();
	json_t *join = json_object_get(json_object_get(resp, "rooms"), "join");
	const char *room_id;
	json_t *room;
	json_object_foreach(join, room_id, room) {
		json_t *tl = json_object_get(room, "timeline");
		if (json_is_true(json_object_get(tl, "limited"))
		    && rooms_network(s->env.db, s->env.cfg, room_id)
		    && sync_gap_wanted(&s->env, room))
			json_array_append_new(ids, json_string(room_id));
	}
	return ids;
}

static void on_messages(void *arg, long status, json_t *body);

/* The /messages filter of a page: in the pre-pass the bot's own replies
 * and reactions only, else the types the sync filter lets through. */
static char *gap_filter_new(struct gap *g)
{
	if (!g->own_pass)
		return mx_escape("{\"types\":[\"m.room.message\",\"m.room.member\","
				 "\"m.room.power_levels\",\"m.room.create\","
				 "\"m.room.redaction\",\"m.reaction\","
				 "\"m.room.encrypted\",\"m.room.encryption\","
				 "\"m.room.history_visibility\",\"m.poll.response\","
				 "\"org.matrix.msc3381.poll.response\"],"
				 "\"lazy_load_members\":true}");
	/* Encrypted answers keep their m.relates_to in the clear. */
	json_t *f = json_pack("{s:[s],s:[s,s,s]}", "senders", g->s->env.user_id,
			      "types", "m.room.message", "m.reaction",
			      "m.room.encrypted");
	char *json = f ? json_dumps(f, JSON_COMPACT) : NULL;
	json_decref(f);
	char *e = mx_escape(json ? json : "{}");
	free(json);
	return e;
}

/* Ask for the next page of rooms[i]: forward from g->from up to the
 * timeline's prev_batch (without one, on until the timeline's first event
 * shows). */
static void gap_fetch(struct gap *g)
{
	const char *room_id = json_string_value(json_array_get(g->rooms, g->i));
	const char *to = str_at(timeline_of(g->resp, room_id), "prev_batch");
	char *r = mx_escape(room_id), *f = mx_escape(g->from);
	char *t = to ? mx_escape(to) : NULL;
	char *filter = gap_filter_new(g);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "/_matrix/client/v3/rooms/%s/messages?dir=f&limit=%d"
		"&from=%s&filter=%s", r, GAP_PAGE, f, filter);
	if (t)
		sb_addf(&path, "&to=%s", t);
	g->req = mx_request(g->s->m, "GET", path.buf, NULL, 0, 0, on_messages, g);
	sb_release(&path);
	free(r);
	free(f);
	free(t);
	free(filter);
}

/* Cut chunk at the first event of the timeline, if it is there (the
 * timeline comes with the response); 1 when it was. */
static int cut_at_timeline(json_t *chunk, const char *first_id)
{
	size_t k;
	json_t *ev;
	if (!first_id)
		return 0;
	json_array_foreach(chunk, k, ev) {
		const char *id = str_at(ev, "event_id");
		if (id && strcmp(id, first_id) == 0) {
			while (json_array_size(chunk) > k)
				json_array_remove(chunk, k);
			return 1;
		}
	}
	return 0;
}

/* A page could not be stored: nothing of the response is committed (the
 * pages before are, and are skipped when they come again). */
static void gap_abort(struct gap *g)
{
	struct sync_loop *s = g->s;
	int stale = g->epoch != s->epoch;
	if (s->gap == g)
		s->gap = NULL;
	g->req = NULL;
	gap_free(g);
	if (stale) {
		if (s->paused)
			feed_next(s);
		return;
	}
	if (s->paused) {
		log_error("cannot process a pushed sync response");
		if (s->feed_failed)
			s->feed_failed(s->feed_arg);
		return;
	}
	if (s->failures == 0)
		log_error("cannot store missed events, retrying");
	poll_later(s);
}

/* The pre-pass of rooms[i] is done (or failed: status): note the
 * timeline's own answers too (a command of the gap may be answered
 * there), then read the gap itself from the stored token. Returns 0, or
 * negative when nothing could be stored. */
static int own_pass_done(struct gap *g, const char *room_id, long status,
			 json_t *body)
{
	int n = 0;
	if (status != 200)
		log_warn("%s: cannot read the bot's own answers (HTTP %ld %s); a "
			 "command answered before a restore may be answered again",
			 room_id, status, mx_errcode(body));
	json_t *events = json_object_get(timeline_of(g->resp, room_id), "events");
	if (sync_note_own_answers(&g->s->env, room_id, events, &n) < 0)
		return -1;
	g->answered += n;
	if (g->answered)
		log_info("%s: %ld commands of the gap were answered before "
			 "(restored database?), not again", room_id, g->answered);
	g->own_pass = 0;
	free(g->from);
	g->from = xstrdup(g->since);
	gap_fetch(g);
	return 0;
}

/* A page of the pre-pass: record what the bot's own events answer. */
static void on_own_page(struct gap *g, const char *room_id, long status,
			json_t *body)
{
	json_t *chunk = json_object_get(body, "chunk");
	const char *end = str_at(body, "end");
	if (status != 200 || !json_is_array(chunk)) {
		if (own_pass_done(g, room_id, status == 200 ? 0 : status, body) < 0)
			gap_abort(g);
		return;
	}
	int reached = cut_at_timeline(chunk, g->first_id), n = 0;
	if (sync_note_own_answers(&g->s->env, room_id, chunk, &n) < 0) {
		gap_abort(g);
		return;
	}
	g->answered += n;
	if (!reached && end && strcmp(end, g->from) != 0) {
		free(g->from);
		g->from = xstrdup(end);
		gap_fetch(g);
		return;
	}
	if (own_pass_done(g, room_id, 200, body) < 0)
		gap_abort(g);
}

static void on_messages(void *arg, long status, json_t *body)
{
	struct gap *g = arg;
	g->req = NULL;
	const char *room_id = json_string_value(json_array_get(g->rooms, g->i));
	json_t *chunk = json_object_get(body, "chunk");
	const char *end = str_at(body, "end");
	if (g->epoch != g->s->epoch) {  /* the transport changed: drop it */
		g->i = json_array_size(g->rooms);
		gap_next(g);
		return;
	}
	if (g->own_pass) {
		on_own_page(g, room_id, status, body);
		return;
	}
	if (status != 200 || !json_is_array(chunk)) {
		log_warn("%s: cannot fetch missed events (HTTP %ld %s); those before "
			 "the last %zu are not handled", room_id, status,
			 mx_errcode(body), json_array_size(json_object_get(
				 timeline_of(g->resp, room_id), "events")));
		g->i++;
		gap_next(g);
		return;
	}
	int reached = cut_at_timeline(chunk, g->first_id);
	struct sync_stats st;
	if (g->s->env.decrypt_page)
		g->s->env.decrypt_page(g->s->env.crypto_arg, room_id, chunk);
	if (json_array_size(chunk)
	    && sync_apply_room_events(&g->s->env, room_id,
				      joined_room(g->resp, room_id), chunk, &st) < 0) {
		gap_abort(g);
		return;
	}
	g->pages++;
	g->events += (long)json_array_size(chunk);
	if (json_array_size(chunk) && st.replies && g->s->after)
		g->s->after(g->s->arg);  /* the replies go out while the rest comes */
	if (!reached && end && strcmp(end, g->from) != 0) {
		free(g->from);
		g->from = xstrdup(end);
		gap_fetch(g);
		return;
	}
	if (g->events)
		log_info("%s: %ld missed events read in %ld pages", room_id,
			 g->events, g->pages);
	g->i++;
	gap_next(g);
}

/* Catch up the next room, or, after the last, process the response. */
static void gap_next(struct gap *g)
{
	struct sync_loop *s = g->s;
	if (g->i >= json_array_size(g->rooms)) {
		json_t *resp = json_incref(g->resp);
		int stale = g->epoch != s->epoch;  /* the transport changed */
		if (s->gap == g)
			s->gap = NULL;
		gap_free(g);
		if (!stale)
			process(s, resp);
		else if (s->paused)
			feed_next(s);
		json_decref(resp);
		return;
	}
	const char *room_id = json_string_value(json_array_get(g->rooms, g->i));
	json_t *events = json_object_get(timeline_of(g->resp, room_id), "events");
	free(g->from);
	g->from = xstrdup(g->since);
	g->first_id = str_at(json_array_get(events, 0), "event_id");
	g->pages = g->events = g->answered = 0;
	g->own_pass = 1;  /* first the bot's own answers in the gap */
	gap_fetch(g);
}

static void poll_once(struct sync_loop *s);

static void on_timer(uv_timer_t *t)
{
	struct sync_loop *s = t->data;
	s->held = 0;
	poll_once(s);
}

/* Try again later after a refused or unprocessable response. */
static void poll_later(struct sync_loop *s)
{
	long ms = mx_backoff_ms(s->m, s->failures);
	s->failures++;
	uv_timer_start(s->timer, on_timer, (uint64_t)ms, 0);
}

/* The filter id goes no more: send the filter inline from now on, and
 * register it anew at the next start. Logged once. */
static void go_inline(struct sync_loop *s, const char *what, const char *why)
{
	s->inline_filter = 1;
	s->filter_trial = 0;
	db_kv_del(s->env.db, "sync.filter_id");
	if (!s->filter_said)
		log_warn("the homeserver %s the sync filter id %s (%s); sending "
			 "the filter with each sync instead", what,
			 s->m->filter_id ? s->m->filter_id : "", why);
	s->filter_said = 1;
}

/* A refused /sync, judged by errcode (bot/mx_error.h): the filter goes
 * inline on trial first (the id is dropped only when that is answered),
 * then the since token is probed: the same sync without it. Only when the
 * server answers that does the token go, and the filter id comes back (it
 * was not the cause); a refusal of the probe too keeps both. */
static void on_refused(struct sync_loop *s, long status, json_t *body)
{
	if (s->probing) {
		s->probing = 0;
		if (s->filter_trial)
			s->inline_filter = s->filter_trial = 0;
		log_warn("sync refused without the sync token too (HTTP %ld %s): "
			 "the token is kept, retrying", status, mx_errcode(body));
		poll_later(s);
		return;
	}
	if (s->failures == 0)
		log_error("sync refused (HTTP %ld %s), retrying", status,
			  mx_errcode(body));
	char *since = db_kv_get(s->env.db, "sync.next_batch");
	enum mx_sync_refusal r = mx_sync_refusal(status, body,
		s->m->filter_id && !s->inline_filter, since != NULL);
	free(since);
	if (r == MX_SYNC_FILTER) {
		s->inline_filter = s->filter_trial = 1;
		snprintf(s->filter_why, sizeof s->filter_why, "HTTP %ld %s", status,
			 mx_errcode(body));
	} else if (r == MX_SYNC_SINCE) {
		s->probing = 1;
		snprintf(s->probe_why, sizeof s->probe_why, "HTTP %ld %s", status,
			 mx_errcode(body));
	} else {
		poll_later(s);
		return;
	}
	s->failures++;
	poll_once(s);
}

/* A 200 answer: the probe without the sync token worked (so the token was
 * foreign: start over from now), and a filter the server ignored shows. */
static void check_answer(struct sync_loop *s, json_t *body)
{
	if (s->probing) {
		s->probing = 0;
		log_warn("the homeserver refused the sync token (%s) but answers "
			 "without it: its database was reset or the token is "
			 "another server's; starting again from now", s->probe_why);
		db_kv_del(s->env.db, "sync.next_batch");
		if (s->filter_trial)
			s->inline_filter = s->filter_trial = 0;
	} else if (s->filter_trial) {
		go_inline(s, "refused", s->filter_why);
	}
	if (s->paused || s->filter_ignored)
		return;  /* a pushed body: its transport filters, or not */
	if (!s->filter) {
		char *json = matrix_filter_json();
		s->filter = json_loads(json, 0, NULL);
		free(json);
	}
	struct strbuf why = STRBUF_INIT;
	if (sync_filter_ignored(s->filter, body, &why)) {
		if (!s->inline_filter) {
			log_info("sync answer holds %s", why.buf);
			go_inline(s, "ignored", "answered unfiltered");
		} else {
			s->filter_ignored = 1;
			log_warn("the homeserver ignores the sync filter even inline "
				 "(%s); the bot skips what it does not read", why.buf);
		}
	}
	sb_release(&why);
}

static void on_sync(void *arg, long status, json_t *body)
{
	struct sync_loop *s = arg;
	s->req = NULL;
	if (status != 200) {
		on_refused(s, status, body);
		return;
	}
	check_answer(s, body);
	/* Room keys first: the timelines (and the gaps' pages) may need them. */
	if (s->env.decrypt_sync)
		s->env.decrypt_sync(s->env.crypto_arg, body);
	char *since = db_kv_get(s->env.db, "sync.next_batch");
	json_t *gaps = since ? limited_rooms(s, body) : NULL;
	if (gaps && json_array_size(gaps) > 0) {
		struct gap *g = xcalloc(1, sizeof *g);
		g->s = s;
		g->resp = json_incref(body);
		g->since = since;
		g->rooms = gaps;
		g->epoch = s->epoch;
		s->gap = g;
		gap_next(g);
		return;
	}
	json_decref(gaps);
	free(since);
	process(s, body);
}

/* Apply a complete response, then run the after-hook and poll again. */
static void process(struct sync_loop *s, json_t *body)
{
	struct sync_stats st;
	if (sync_apply(&s->env, body, &st) < 0) {
		if (s->paused) {  /* a fed body: its transport gives way to HTTP */
			log_msg(db_fault_current() ? LOG_DEBUG : LOG_ERROR,
				"cannot process a pushed sync response");
			if (s->feed_failed)
				s->feed_failed(s->feed_arg);
			return;
		}
		if (s->failures == 0)  /* storage faults: said by db_fault */
			log_msg(db_fault_current() ? LOG_DEBUG : LOG_ERROR,
				"cannot process a sync response, retrying");
		poll_later(s);
		return;
	}
	if (s->failures)
		log_info("sync works again");
	s->failures = 0;
	if (st.first)
		log_info("first sync: history skipped, listening from now on");
	else if (st.commands || st.duplicates)
		log_debug("sync: %d commands, %d duplicates, %d replies queued",
			  st.commands, st.duplicates, st.replies);
	if (s->after)
		s->after(s->arg);
	if (s->paused) {
		feed_next(s);
	} else if (st.replies && s->busy && s->busy(s->busy_arg)) {
		s->held = 1;  /* sync_loop_sent, or at the latest the timer */
		uv_timer_start(s->timer, on_timer, SYNC_HOLD_MAX_MS, 0);
	} else {
		poll_once(s);
	}
}

void sync_loop_hold_while(struct sync_loop *s, int (*busy)(void *arg), void *arg)
{
	s->busy = busy;
	s->busy_arg = arg;
}

void sync_loop_sent(struct sync_loop *s)
{
	if (!s->held)
		return;
	s->held = 0;
	uv_timer_stop(s->timer);
	poll_once(s);
}

static void poll_once(struct sync_loop *s)
{
	struct matrix *m = s->m;
	if (m->stopping || s->paused || s->req)
		return;
	char *since = s->probing ? NULL : db_kv_get(s->env.db, "sync.next_batch");
	long timeout = since ? sync_poll_timeout_ms(&s->env) : 0;
	struct strbuf path = STRBUF_INIT;
	char *filter = NULL;
	if (m->filter_id && !s->inline_filter) {
		filter = mx_escape(m->filter_id);
	} else {
		char *json = matrix_filter_json();
		filter = mx_escape(json);
		free(json);
	}
	sb_addf(&path, "/_matrix/client/v3/sync?filter=%s&timeout=%ld", filter,
		timeout);
	free(filter);
	if (since) {
		char *e = mx_escape(since);
		sb_addf(&path, "&since=%s", e);
		free(e);
	}
	s->req = mx_request(m, "GET", path.buf, NULL, timeout + 30000, 0, on_sync, s);
	sb_release(&path);
	free(since);
}

struct sync_loop *sync_loop_new(struct matrix *m, const struct sync_env *env,
				void (*after)(void *arg), void *arg)
{
	struct sync_loop *s = xcalloc(1, sizeof *s);
	s->m = m;
	s->env = *env;
	s->after = after;
	s->arg = arg;
	s->timer = xmalloc(sizeof *s->timer);
	uv_timer_init(m->loop, s->timer);
	s->timer->data = s;
	return s;
}

void sync_loop_start(struct sync_loop *s)
{
	poll_once(s);
}

static void timer_closed(uv_handle_t *h)
{
	free(h);
}

void sync_loop_free(struct sync_loop *s)
{
	if (!s)
		return;
	uv_timer_stop(s->timer);
	uv_close((uv_handle_t *)s->timer, timer_closed);
	gap_free(s->gap);
	json_decref(s->queue);
	json_decref(s->filter);
	free(s);
}

/* ---- another transport carries the sync (bot/transport_ws.c) ---- */

void sync_loop_pause(struct sync_loop *s)
{
	if (s->paused)
		return;
	s->paused = 1;
	s->epoch++;
	s->probing = 0;  /* a fed body is no answer to the probe or trial */
	if (s->filter_trial)
		s->inline_filter = s->filter_trial = 0;
	mx_cancel(s->req);
	s->req = NULL;
	s->held = 0;
	uv_timer_stop(s->timer);
}

void sync_loop_resume(struct sync_loop *s)
{
	if (!s->paused)
		return;
	s->paused = 0;
	s->epoch++;
	if (s->queue)
		json_array_clear(s->queue);
	poll_once(s);
}

void sync_loop_on_feed_failure(struct sync_loop *s, void (*failed)(void *arg),
			       void *arg)
{
	s->feed_failed = failed;
	s->feed_arg = arg;
}

void sync_loop_feed(struct sync_loop *s, json_t *body)
{
	if (!s->paused)
		return;   /* HTTP carries the sync now */
	if (!s->queue)
		s->queue = json_array();
	if (s->gap || json_array_size(s->queue)) {
		json_array_append(s->queue, body);
		return;
	}
	on_sync(s, 200, body);
}

/* The next fed body that waited behind a gap fill, if any. */
static void feed_next(struct sync_loop *s)
{
	if (s->gap || !s->queue || !json_array_size(s->queue))
		return;
	json_t *body = json_incref(json_array_get(s->queue, 0));
	json_array_remove(s->queue, 0);
	on_sync(s, 200, body);
	json_decref(body);
}
