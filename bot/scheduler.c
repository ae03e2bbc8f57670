/* scheduler: one timer at the earliest due reminder; firing into the
 * outbox in the same transaction that marks the reminder fired. */
#include "bot/scheduler.h"

#include <stdlib.h>
#include <string.h>

#include "bot/message.h"
#include "handlers/catalog.h"
#include "handlers/names.h"
#include "handlers/readback.h"
#include "handlers/recur.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "lib/log.h"
#include "storage/db.h"
#include "storage/decisions.h"
#include "storage/retention.h"
#include "storage/db_fault.h"
#include "storage/outbox.h"
#include "storage/polls.h"
#include "storage/reminder_dirty.h"
#include "storage/reminder_quotes.h"
#include "storage/reminders.h"

/* Reminders fired per transaction. */
#define BATCH 64
/* After a database failure, try again this much later (ms). */
#define RETRY_MS 5000

struct scheduler {
	uv_loop_t *loop;
	uv_timer_t timer;
	sqlite3 *db;
	const struct wt_config *cfg;
	time_t started;
	time_t armed_for;
	int armed_known;          /* armed_for is the next due one (0: none) */
	time_t timed_at;          /* next clock-driven generation */
	scheduler_clock_fn clock;
	void *clock_arg;
	scheduler_enqueued_fn enqueued;
	void *enqueued_arg;
	uv_timer_t compact;       /* the register index's merge, after the
				   * daily pass (compact_start) */
	int compact_steps;
	int open_handles;         /* freed when both timers are closed */
};

/* The register index's merge: a step of about COMPACT_PAGES pages (a few
 * ms at 100k decisions), then COMPACT_GAP_MS for the rest of the loop. */
#define COMPACT_PAGES 32
#define COMPACT_GAP_MS 100
#define COMPACT_MIN_SEGMENTS 4

/* Wall-clock milliseconds: due times are wall-clock instants. */
int64_t scheduler_real_clock(void *arg)
{
	(void)arg;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The reader's view of a reminder's network: its language, and the zone of
 * the person it goes to when they set one. *tz_owned is freed by the
 * caller. */
static void reader_net(sqlite3 *db, const struct wt_config *cfg,
		       const struct wt_reminder *r, struct wt_network *out,
		       char **tz_owned)
{
	const struct wt_network *net = config_network_by_name(cfg, r->network);
	memset(out, 0, sizeof *out);
	if (net) {
		*out = *net;
	} else {
		out->name = r->network;
		out->lang = cfg->lang;
		out->tz = cfg->timezone ? cfg->timezone : "Europe/Amsterdam";
	}
	*tz_owned = r->to_user ? user_tz_dup(db, r->to_user) : NULL;
	if (*tz_owned)
		out->tz = *tz_owned;
}

/* Write the message of reminder r into out. Returns 0, 1 when there is
 * nothing to send (its object is gone), or negative. */
static int write_text(struct wt_ctx *ctx, const struct wt_reminder *r, int late,
		      struct strbuf *out)
{
	int rc = 0;
	if (r->source_key) {
		rc = reminder_render(ctx, r->kind, r->ref_id, out);
	} else {
		struct strbuf text = STRBUF_INIT, from = STRBUF_INIT;
		struct wt_quote q;
		int about = reminder_quote_get(ctx->db, r->id, &q);
		if (about < 0)  /* the reminder goes out without its quote */
			about = 0;
		sb_add_md(&text, r->text && *r->text ? r->text
			  : about ? T(ctx, M_REMIND_ABOUT_MESSAGE) : "");
		if (r->owner && r->to_user && strcmp(r->owner, r->to_user) != 0) {
			sb_add_person(&from, ctx, r->owner);
			sb_addm(out, ctx, M_REMIND_FIRE_FROM, r->short_id, from.buf, text.buf);
		} else {
			sb_addm(out, ctx, M_REMIND_FIRE, r->short_id, text.buf);
		}
		/* About a message: its excerpt and the link to it. */
		if (about) {
			sb_add_quote_md(out, ctx, q.room_id, q.event_id, q.excerpt);
			reminder_quote_free(&q);
		}
		if (r->to_user) {
			sb_add(out, "\n\n");
			sb_addm(out, ctx, M_REMIND_FIRE_HINT, r->short_id);
		}
		sb_release(&text);
		sb_release(&from);
	}
	if (rc == 0 && late) {
		struct strbuf when = STRBUF_INIT;
		when_format_long(&when, r->due_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_add(out, "\n\n");
		sb_addm(out, ctx, M_REMIND_LATE, when.buf);
		sb_release(&when);
	}
	return rc;
}

/* Put a reminder for a room or a user in the outbox; *outbox_id (may be
 * NULL) receives its row. A reminder is meant for people: it notifies
 * (m.text), pinging the user it is for (message.c mentions to_user). */
static int enqueue(sqlite3 *db, const char *room, const char *to_user,
		   const char *markdown, time_t now, long long *outbox_id)
{
	struct wt_reply rep = { .kind = REPLY_NOTICE, .room = (char *)room,
				.to_user = (char *)to_user, .markdown = (char *)markdown,
				.notify = 1 };
	return message_enqueue(db, &rep, to_user ? NULL : room, now, outbox_id);
}

/* The messages a renderer added to its context's replies besides the
 * reminder's own text (the call for agenda items posted in the network's
 * rooms, handlers/agenda_call.h; an evaluation's report at its deadline):
 * into the outbox with the reminder, to room when they name none. */
static int enqueue_extra(sqlite3 *db, const struct wt_replies *extra, const char *room,
			 time_t now)
{
	for (size_t i = 0; i < extra->n; i++) {
		const struct wt_reply *x = &extra->v[i];
		int rc = message_enqueue(db, x, x->room ? x->room : room, now, NULL);
		if (rc == MESSAGE_EDB)
			return -1;
	}
	return 0;
}

/* After reminder r was handled at now: the next occurrence of a recurring
 * one, else fired. */
static int finish(sqlite3 *db, const struct wt_reminder *r, time_t now)
{
	if (r->rrule && r->tz) {
		time_t next;
		time_t after = r->occurs_at > now ? r->occurs_at : now;
		if (recur_next(r->rrule, r->tz, r->dtstart, after, &next) == RECUR_OK)
			return reminders_advance(db, r->id, next, now, NULL);
	}
	return reminders_mark_fired(db, r->id, now, NULL);
}

/* Fire one reminder inside the caller's transaction. Returns 1 when a
 * message was enqueued, 0 when dropped, negative on error. */
static int fire_one(sqlite3 *db, const struct wt_config *cfg,
		    const struct wt_reminder *r, time_t now, time_t started)
{
	struct wt_network net;
	char *tz;
	reader_net(db, cfg, r, &net, &tz);
	struct wt_replies none = { 0 };
	struct wt_ctx ctx = { .db = db, .net = &net, .sender = r->owner ? r->owner : "",
			      .room = r->room_id, .now = now, .lang = net.lang,
			      .role = ROLE_ADMIN, .out = &none };
	struct strbuf text = STRBUF_INIT;
	int rc = write_text(&ctx, r, r->due_at < started, &text);
	int sent = 0;
	long long oid = 0;
	if (rc == 0) {
		rc = enqueue(db, r->room_id, r->to_user, text.buf, now, &oid);
		sent = rc == 0;
	}
	if (rc >= 0)
		rc = enqueue_extra(db, &none, r->room_id, now);
	if (rc >= 0)
		rc = finish(db, r, now);
	/* A reply or reaction to this message finds the reminder. */
	if (rc >= 0 && sent)
		rc = reminders_link_outbox(db, r->id, oid);
	ctx_release_owned(&ctx, 0);  /* the renderer's ctx_md strings */
	wt_replies_free(&none);
	sb_release(&text);
	free(tz);
	return rc < 0 ? rc : sent;
}

int scheduler_fire_due(sqlite3 *db, const struct wt_config *cfg, time_t now,
		       time_t started)
{
	int total = 0;
	for (;;) {
		struct wt_reminder *v;
		if (db_begin(db) < 0)
			return -1;
		int n = reminders_due(db, now, BATCH, &v);
		int rc = n < 0 ? -1 : 0, sent = 0;
		for (int i = 0; i < n && rc >= 0; i++) {
			/* A reminder that cannot be written is given up (and
			 * logged), so it cannot block the others or spin. */
			if (db_savepoint(db, "wt_fire") < 0) {
				rc = -1;
				break;
			}
			rc = fire_one(db, cfg, &v[i], now, started);
			if (rc < 0) {
				log_error("reminder %lld (%s) could not be written; dropped",
					  v[i].id, v[i].kind);
				db_rollback_to(db, "wt_fire");
				rc = reminders_mark_fired(db, v[i].id, now, NULL);
			} else if (db_release(db, "wt_fire") < 0) {
				rc = -1;
			}
			sent += rc > 0;
		}
		if (n > 0)
			reminders_list_free(v, (size_t)n);
		if (rc < 0 || db_commit(db) < 0) {
			db_rollback(db);
			return -1;
		}
		total += sent;
		if (n < BATCH)
			return total;
	}
}

/* One summary: its recipient and the lines gathered for it. */
struct summary {
	char *owner, *to_user, *room;
	struct strbuf lines;
	int n;
	struct wt_network net;
	char *tz;
};

int scheduler_summarise_missed(sqlite3 *db, const struct wt_config *cfg,
			       time_t started)
{
	time_t cutoff = started - (time_t)cfg->late_limit_hours * 3600;
	struct wt_reminder *v;
	if (db_begin(db) < 0)
		return -1;
	int n = reminders_due(db, cutoff - 1, 1000000, &v);
	int rc = n < 0 ? -1 : 0;
	struct summary *s = NULL;
	size_t ns = 0;
	for (int i = 0; i < n && rc >= 0; i++) {
		const struct wt_reminder *r = &v[i];
		/* The person who set it hears of it; else whoever it was for. */
		const char *user = r->owner ? r->owner : r->to_user;
		const char *room = user ? NULL : r->room_id;
		size_t k = 0;
		while (k < ns && !((user && s[k].to_user && strcmp(s[k].to_user, user) == 0)
				   || (room && s[k].room && strcmp(s[k].room, room) == 0)))
			k++;
		if (k == ns) {
			s = xrealloc(s, (ns + 1) * sizeof *s);
			memset(&s[ns], 0, sizeof s[ns]);
			s[ns].to_user = user ? xstrdup(user) : NULL;
			s[ns].room = room ? xstrdup(room) : NULL;
			sb_init(&s[ns].lines);
			struct wt_reminder as_reader = *r;
			as_reader.to_user = s[ns].to_user;
			reader_net(db, cfg, &as_reader, &s[ns].net, &s[ns].tz);
			ns++;
		}
		struct wt_replies none = { 0 };
		struct wt_ctx ctx = { .db = db, .net = &s[k].net, .sender = "", .now = started,
				      .lang = s[k].net.lang, .role = ROLE_ADMIN, .out = &none };
		struct strbuf text = STRBUF_INIT, when = STRBUF_INIT;
		int w = 0;
		if (r->source_key)
			w = reminder_render(&ctx, r->kind, r->ref_id, &text);
		else
			sb_add_md(&text, r->text ? r->text : "");
		if (w == 0) {
			/* One line per reminder: the first line of its text. */
			char *nl = strchr(text.buf, '\n');
			if (nl)
				sb_setlen(&text, (size_t)(nl - text.buf));
			when_format(&when, r->due_at, s[k].net.tz, s[k].net.lang);
			sb_addm(&s[k].lines, &ctx, M_REMIND_MISSED_LINE, when.buf, text.buf);
			sb_addc(&s[k].lines, '\n');
			s[k].n++;
		}
		if (w >= 0)  /* what the reminder posts itself still goes (the call) */
			w = enqueue_extra(db, &none, r->room_id, started);
		rc = w < 0 ? w : finish(db, r, started);
		ctx_release_owned(&ctx, 0);
		wt_replies_free(&none);
		sb_release(&text);
		sb_release(&when);
	}
	int total = 0;
	for (size_t k = 0; k < ns; k++) {
		if (rc >= 0 && s[k].n) {
			struct strbuf msg = STRBUF_INIT, hours = STRBUF_INIT;
			long long h = cfg->late_limit_hours;
			sb_addf(&hours, msg_text(s[k].net.lang, msg_count(M_N_HOUR_ONE, h)), h);
			enum msg_id head = msg_count(M_REMIND_MISSED_HEADER_ONE, s[k].n);
			sb_addf(&msg, msg_text(s[k].net.lang, head), s[k].n, hours.buf);
			sb_release(&hours);
			sb_add(&msg, "\n\n");
			sb_add(&msg, s[k].lines.buf);
			rc = enqueue(db, s[k].room, s[k].to_user, msg.buf, started, NULL);
			total += s[k].n;
			sb_release(&msg);
		}
		free(s[k].to_user);
		free(s[k].room);
		free(s[k].tz);
		sb_release(&s[k].lines);
	}
	free(s);
	if (n > 0)
		reminders_list_free(v, (size_t)n);
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return total;
}

long long scheduler_generate_passes;

/* A context for network i of cfg at now (replies go to *none). */
static struct wt_ctx net_ctx(sqlite3 *db, const struct wt_config *cfg, size_t i,
			     time_t now, struct wt_replies *none)
{
	struct wt_ctx ctx = { .db = db, .net = &cfg->networks[i], .sender = "",
			      .now = now, .lang = cfg->networks[i].lang,
			      .role = ROLE_ADMIN, .out = none, .networks = cfg->networks,
			      .nnetworks = cfg->nnetworks };
	return ctx;
}

/* One pass in one transaction: full (every family of every network),
 * clock-driven (timed), then the changed sources. */
static int generate_pass(sqlite3 *db, const struct wt_config *cfg, time_t now,
			 int full, int timed)
{
	if (!cfg->nnetworks)
		return reminder_dirty_clear(db, NULL);
	scheduler_generate_passes++;
	if (db_begin(db) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < cfg->nnetworks && rc == 0 && (full || timed); i++) {
		struct wt_replies none = { 0 };
		struct wt_ctx ctx = net_ctx(db, cfg, i, now, &none);
		rc = full ? reminder_generate_all(&ctx) : reminder_generate_timed(&ctx);
		ctx_release_owned(&ctx, 0);
		wt_replies_free(&none);
	}
	if (rc == 0 && full) {
		rc = reminder_dirty_clear(db, NULL);
	} else if (rc == 0) {
		struct wt_replies none = { 0 };
		struct wt_ctx ctx = net_ctx(db, cfg, 0, now, &none);
		rc = reminder_regen_dirty(&ctx);
		ctx_release_owned(&ctx, 0);
		wt_replies_free(&none);
	}
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		rc = -1;
	}
	return rc;
}

int scheduler_generate(sqlite3 *db, const struct wt_config *cfg, time_t now)
{
	return generate_pass(db, cfg, now, 1, 0);
}

int scheduler_prune(sqlite3 *db, const struct wt_config *cfg, time_t now)
{
	struct retention_counts c = { 0 };
	if (db_begin(db) < 0)
		return -1;
	int rc = retention_prune(db, NULL, NULL, now, &c);
	for (size_t i = 0; rc == 0 && i < cfg->nnetworks; i++)
		rc = retention_prune(db, cfg->networks[i].name, &cfg->networks[i].keep,
				     now, &c);
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	if (c.handled || c.failed || c.reminders || c.drafts || c.quarantined)
		log_info("retention: pruned %lld handled event ids, %lld refused "
			 "messages, %lld fired reminders, %lld closed advice drafts, "
			 "%lld quarantined events", c.handled, c.failed, c.reminders,
			 c.drafts, c.quarantined);
	return 0;
}

int scheduler_refresh(sqlite3 *db, const struct wt_config *cfg, time_t now,
		      time_t *timed_at)
{
	int full = *timed_at == 0, timed = !full && now >= *timed_at;
	int dirty = full || timed ? 0 : reminder_dirty_any(db);
	if (dirty < 0)
		return -1;
	if (!full && !timed && !dirty)
		return 0;
	if (generate_pass(db, cfg, now, full, timed) < 0)
		return -1;
	if ((full || timed) && scheduler_prune(db, cfg, now) < 0)
		return -1;
	if (full || timed)
		*timed_at = now + SCHEDULER_TIMED_EVERY;
	return 0;
}

/* The earliest instant something is due: a pending reminder or the end
 * time of an open poll. 1 and *due, 0 when nothing waits, negative. */
static int next_due(sqlite3 *db, time_t *due)
{
	time_t end;
	int have = reminders_next_due(db, due);
	int poll = have < 0 ? 0 : polls_next_end(db, &end);
	if (have < 0 || poll < 0)
		return -1;
	if (poll == 1 && (have != 1 || end < *due)) {
		*due = end;
		have = 1;
	}
	return have;
}

long scheduler_delay_ms(sqlite3 *db, int64_t now_ms, long cap_ms)
{
	time_t due;
	if (next_due(db, &due) != 1)
		return cap_ms;
	int64_t d = (int64_t)due * 1000 - now_ms;
	if (d < 0)
		d = 0;
	return d < cap_ms ? (long)d : cap_ms;
}

/* ---- the timer ---------------------------------------------------------- */

static void arm(struct scheduler *s);
static void on_timer(uv_timer_t *t);

/* Fire what is due, tell the outbox, arm for the next one. */
static void run_due(struct scheduler *s)
{
	time_t now = (time_t)(s->clock(s->clock_arg) / 1000);
	int n = scheduler_fire_due(s->db, s->cfg, now, s->started);
	int ended = n < 0 ? 0 : scheduler_end_polls(s->db, s->cfg, now);
	if (ended < 0)
		n = -1;
	else
		n += ended;
	if (n > 0 && s->enqueued)
		s->enqueued(s->enqueued_arg);
	if (n < 0) {
		/* A storage fault is said once by storage/db_fault.c. */
		log_msg(db_fault_current() ? LOG_DEBUG : LOG_ERROR,
			"scheduler: firing reminders failed; trying again in %d s",
			RETRY_MS / 1000);
		uv_update_time(s->loop);
		s->armed_known = 0;
		uv_timer_start(&s->timer, on_timer, RETRY_MS, 0);
		return;
	}
	arm(s);
}

static void on_timer(uv_timer_t *t)
{
	run_due(t->data);
}

static void on_compact(uv_timer_t *t)
{
	struct scheduler *s = t->data;
	int rc = decisions_index_merge_step(s->db, COMPACT_PAGES);
	if (rc == 1) {
		s->compact_steps++;
		uv_timer_start(&s->compact, on_compact, COMPACT_GAP_MS, 0);
		return;
	}
	if (rc < 0)
		log_msg(db_fault_current() ? LOG_DEBUG : LOG_WARN,
			"scheduler: merging the register's search index failed;"
			" trying again after the next daily pass");
	else if (s->compact_steps > 0)
		log_debug("scheduler: the register's search index merged in %d steps",
			  s->compact_steps);
	s->compact_steps = 0;
}

/* After the daily (or start-up) pass: merge the register's search index
 * into one segment, a step at a time, once it has more segments than FTS5's
 * own merging by level keeps (COMPACT_MIN_SEGMENTS); a quiet network's
 * index is not rewritten every day. */
static void compact_start(struct scheduler *s)
{
	if (uv_is_active((uv_handle_t *)&s->compact)
	    || decisions_index_segments(s->db) <= COMPACT_MIN_SEGMENTS)
		return;
	s->compact_steps = 0;
	uv_update_time(s->loop);
	uv_timer_start(&s->compact, on_compact, COMPACT_GAP_MS, 0);
}

/* Arm the one timer at the earliest pending due time. */
/* Arm for due (has: next_due's answer for it). */
static void arm_for(struct scheduler *s, int has, time_t due)
{
	s->armed_known = has >= 0;
	if (has != 1) {
		uv_timer_stop(&s->timer);
		s->armed_for = 0;
		return;
	}
	int64_t d = (int64_t)due * 1000 - s->clock(s->clock_arg);
	uv_update_time(s->loop);
	uv_timer_start(&s->timer, on_timer, d > 0 ? (uint64_t)d : 0, 0);
	s->armed_for = due;
}

static void arm(struct scheduler *s)
{
	time_t due;
	int has = next_due(s->db, &due);
	arm_for(s, has, due);
}

struct scheduler *scheduler_new(uv_loop_t *loop, sqlite3 *db, const struct wt_config *cfg)
{
	struct scheduler *s = xcalloc(1, sizeof *s);
	s->loop = loop;
	s->db = db;
	s->cfg = cfg;
	s->clock = scheduler_real_clock;
	uv_timer_init(loop, &s->timer);
	s->timer.data = s;
	uv_timer_init(loop, &s->compact);
	s->compact.data = s;
	s->open_handles = 2;
	return s;
}

static void on_closed(uv_handle_t *h)
{
	struct scheduler *s = h->data;
	if (--s->open_handles == 0)
		free(s);
}

void scheduler_free(struct scheduler *s)
{
	if (!s)
		return;
	uv_timer_stop(&s->timer);
	uv_timer_stop(&s->compact);
	uv_close((uv_handle_t *)&s->timer, on_closed);
	uv_close((uv_handle_t *)&s->compact, on_closed);
}

void scheduler_set_clock(struct scheduler *s, scheduler_clock_fn fn, void *arg)
{
	s->clock = fn ? fn : scheduler_real_clock;
	s->clock_arg = arg;
}

void scheduler_on_enqueued(struct scheduler *s, scheduler_enqueued_fn fn, void *arg)
{
	s->enqueued = fn;
	s->enqueued_arg = arg;
}

int scheduler_start(struct scheduler *s)
{
	s->started = (time_t)(s->clock(s->clock_arg) / 1000);
	long long pending = reminders_count_pending(s->db);
	int missed = scheduler_summarise_missed(s->db, s->cfg, s->started);
	s->timed_at = 0;
	if (missed < 0 || scheduler_refresh(s->db, s->cfg, s->started, &s->timed_at) < 0)
		return -1;
	log_info("scheduler: %lld reminders pending, %d too old to send (summarised)",
		 pending, missed);
	compact_start(s);
	if (missed > 0 && s->enqueued)
		s->enqueued(s->enqueued_arg);
	run_due(s);
	return 0;
}

void scheduler_changed(struct scheduler *s)
{
	time_t now = (time_t)(s->clock(s->clock_arg) / 1000);
	time_t daily = s->timed_at;
	if (scheduler_refresh(s->db, s->cfg, now, &s->timed_at) < 0)
		log_msg(db_fault_current() ? LOG_DEBUG : LOG_ERROR,
			"scheduler: generating reminders failed");
	else if (s->timed_at != daily)
		compact_start(s);
	/* One indexed look at the next due reminder or poll end; firing
	 * only when due. */
	time_t due;
	int has = next_due(s->db, &due);
	if (has == 1 && due <= now)
		run_due(s);
	else if (has != 1 || due != s->armed_for || !s->armed_known)
		arm_for(s, has, due);
}

long scheduler_timeout_ms(struct scheduler *s, long cap_ms)
{
	/* The timer's instant, kept current by scheduler_changed after
	 * every batch: no query per long-poll. */
	if (!s->armed_known)
		return scheduler_delay_ms(s->db, s->clock(s->clock_arg), cap_ms);
	if (!s->armed_for)
		return cap_ms;
	int64_t d = (int64_t)s->armed_for * 1000 - s->clock(s->clock_arg);
	if (d < 0)
		d = 0;
	return d < cap_ms ? (long)d : cap_ms;
}

time_t scheduler_armed_for(const struct scheduler *s)
{
	return s->armed_for;
}
