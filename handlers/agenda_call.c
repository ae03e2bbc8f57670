/* The call for agenda items: `!agenda oproep [<meeting>]` (chair,
 * secretary) posts it in each room of the network, mentioning that room's
 * members, so their phones buzz; the chair's agenda_call reminder carries
 * the same text ready to forward, or (agenda_call = auto) says the bot
 * posted it. The deadline it names is when the agenda is finalised: the
 * meeting's start less the network's agenda_final offset. */
#include <stdlib.h>
#include <string.h>

#include "handlers/agenda_call.h"
#include "handlers/agenda_internal.h"
#include "handlers/args.h"
#include "handlers/invite.h"
#include "handlers/meeting.h"
#include "handlers/readback.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/agenda_final.h"
#include "storage/attendance.h"
#include "storage/bodies.h"
#include "storage/db.h"
#include "storage/room_members.h"
#include "storage/rooms.h"

struct call_rooms {
	const char *network;
	sqlite3 *db;
	char **v;
	size_t n;
};

static void rooms_add(struct call_rooms *r, const char *room)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i], room) == 0)
			return;
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n++] = xstrdup(room);
}

/* room_each_group callback: the network's rooms the bot is in. */
static int room_cb(void *arg, const char *room_id, const char *network)
{
	struct call_rooms *r = arg;
	if (network && strcmp(network, r->network) == 0 && room_is_in(r->db, room_id) == 1)
		rooms_add(r, room_id);
	return 0;
}

/* The rooms the call for m goes to: a body's meeting in the body's rooms
 * (handlers/invite.h); otherwise the network's verified rooms, else its
 * configured room ids (console names), else the command's room. */
static int call_rooms(struct wt_ctx *ctx, const struct wt_meeting *m, struct call_rooms *r)
{
	memset(r, 0, sizeof *r);
	r->network = ctx->net->name;
	r->db = ctx->db;
	long long body = 0;
	int has = body_of_meeting(ctx->db, m->id, &body);
	if (has < 0)
		return -1;
	if (has) {
		char **v = NULL;
		int n = invite_rooms(ctx, m, &v);
		for (int i = 0; i < n; i++)
			rooms_add(r, v[i]);
		attendance_rooms_free(v);
		return n < 0 ? -1 : 0;
	}
	if (room_each_group(ctx->db, room_cb, r) < 0)
		return -1;
	int verified = r->n > 0;
	for (size_t i = 0; !verified && i < ctx->net->nrooms; i++)
		if (ctx->net->rooms[i][0] != '#')
			rooms_add(r, ctx->net->rooms[i]);
	if (!r->n && ctx->room)
		rooms_add(r, ctx->room);
	return 0;
}

static void call_rooms_free(struct call_rooms *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
}

/* When the agenda of m is finalised (the agenda_final offset), or 0 when
 * the network has none. */
static time_t call_deadline(const struct wt_network *net, const struct wt_meeting *m)
{
	for (size_t i = 0; i < net->noffsets; i++)
		if (strcmp(net->offsets[i].kind, "agenda_final") == 0)
			return m->starts_at - (time_t)net->offsets[i].seconds;
	return 0;
}

/* The call for agenda items of m, as the rooms read it. */
static void call_text(struct wt_ctx *ctx, const struct wt_meeting *m, struct strbuf *out)
{
	struct strbuf when = STRBUF_INIT, title = STRBUF_INIT;
	when_format_long(&when, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
	sb_add_md(&title, m->title);
	sb_addm(out, ctx, M_AGENDA_CALL_HEAD, title.buf, m->short_id, when.buf);
	sb_release(&title);
	sb_add(out, "\n\n");
	time_t due = call_deadline(ctx->net, m);
	if (due) {
		sb_reset(&when);
		when_format_long(&when, due, ctx->now, ctx->net->tz, ctx->lang);
		sb_addm(out, ctx, M_AGENDA_CALL_DUE, when.buf);
	} else {
		sb_add(out, T(ctx, M_AGENDA_CALL_NO_DUE));
	}
	sb_add(out, "\n\n");
	sb_add(out, T(ctx, M_AGENDA_CALL_HOWTO));
	if (ctx->net->nthemes) {
		struct strbuf list = STRBUF_INIT;
		for (size_t i = 0; i < ctx->net->nthemes; i++) {
			if (i)
				sb_add(&list, ", ");
			sb_add_md(&list, ctx->net->themes[i]);
		}
		sb_add(out, "\n\n");
		sb_addm(out, ctx, M_AGENDA_CALL_THEMES, list.buf);
		sb_release(&list);
	}
	sb_release(&when);
}

/* Post text in each room of r, mentioning the room's members (all the
 * network's people when the room's list is not known). Returns how many
 * people were mentioned, each counted once, or negative. */
static int post_call(struct wt_ctx *ctx, const struct call_rooms *r, const char *text)
{
	struct room_person *people = NULL;
	int np = room_members_people(ctx->db, ctx->net->name, NULL, &people);
	if (np < 0)
		return -1;
	char *told = xcalloc(np > 0 ? (size_t)np : 1, 1);
	char *self = attendance_self_dup(ctx->db);  /* the bot: no call for it */
	int n = 0;
	for (size_t i = 0; i < r->n; i++) {
		int known = room_members_known(ctx->db, r->v[i]) == 1;
		struct strbuf sb = STRBUF_INIT, to = STRBUF_INIT;
		struct wt_reply *rep = reply_add(ctx, "");
		free(rep->in_reply_to);
		rep->in_reply_to = NULL;
		free(rep->thread_root);
		rep->thread_root = NULL;
		rep->room = xstrdup(r->v[i]);
		rep->notify = 1;
		for (int k = 0; k < np; k++) {
			if ((self && strcmp(self, people[k].user_id) == 0)
			    || (known && room_members_is_joined(ctx->db, r->v[i],
								people[k].user_id) != 1))
				continue;
			reply_mention(rep, people[k].user_id);
			if (to.len)
				sb_add(&to, ", ");
			sb_add_person_pill(&to, ctx, people[k].user_id);
			n += !told[k];
			told[k] = 1;
		}
		sb_add(&sb, text);
		if (to.len) {
			sb_add(&sb, "\n\n");
			sb_addm(&sb, ctx, M_AGENDA_CALL_TO, to.buf);
		}
		free(rep->markdown);
		rep->markdown = sb_detach(&sb);
		sb_release(&to);
	}
	free(told);
	free(self);
	room_people_free(people, np > 0 ? (size_t)np : 0);
	return n;
}

/* The meeting the call is for: the one named, else the next planned. */
static int call_meeting(struct wt_ctx *ctx, const char *args, struct wt_meeting *m)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	int rc = WT_OK, found;
	if (after) {
		long long id = args_id(w.buf);
		rc = reply_if_extra(ctx, after);
		if (rc == WT_OK && id < 0)
			rc = reply_usage_text(ctx, WT_EUSAGE, M_AGENDA_SYN_CALL,
					      M_MEETING_ERR_BAD_ID, w.buf);
		found = rc == WT_OK ? meeting_by_short_id(ctx->db, ctx->net->name, id, m) : 1;
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_ENOTFOUND, M_AGENDA_SYN_CALL,
					  M_MEETING_ERR_NOT_FOUND, id);
	} else {
		found = body_meeting_next_for_room(ctx->db, ctx->net->name, ctx->room, ctx->now, m);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			rc = reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_CALL,
					  M_AGENDA_CALL_ERR_NO_MEETING, T(ctx, M_MEETING_SYN_PLAN));
	}
	sb_release(&w);
	return rc;
}

/* Refuse a call for a meeting that is not planned, or whose agenda is
 * final already. */
static int call_allowed(struct wt_ctx *ctx, const struct wt_meeting *m)
{
	if (m->state != MEETING_PLANNED)
		return reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_CALL, M_AGENDA_CALL_ERR_STATE,
				    m->short_id, T(ctx, meeting_state_msg(m->state)));
	int fin = agenda_final_at(ctx->db, m->id, NULL);
	if (fin < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (fin)
		return reply_usagef(ctx, WT_EUSAGE, M_AGENDA_SYN_CALL, M_AGENDA_CALL_ERR_FINAL,
				    m->short_id);
	return WT_OK;
}

/* !agenda oproep [<vergadering>] */
int agenda_call_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	struct call_rooms r = { 0 };
	int rc = call_meeting(ctx, args, &m);
	if (rc == WT_OK)
		rc = call_allowed(ctx, &m);
	if (rc == WT_OK && call_rooms(ctx, &m, &r) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf text = STRBUF_INIT, rooms = STRBUF_INIT;
		call_text(ctx, &m, &text);
		size_t answer = ctx->out->n;  /* the answer comes first, filled in below */
		reply_add(ctx, "");
		int n = post_call(ctx, &r, text.buf);  /* fails before it posts */
		struct strbuf sb = STRBUF_INIT;
		if (n < 0) {
			rc = WT_EDB;
			sb_add(&sb, T(ctx, M_DB_ERROR));
			ctx->out->v[answer].is_error = 1;
		} else {
			sb_addcount(&rooms, ctx, M_N_ROOM_ONE, (long long)r.n);
			sb_addm(&sb, ctx, msg_count(M_AGENDA_CALL_POSTED_ONE, n), m.short_id, rooms.buf,
				n);
		}
		free(ctx->out->v[answer].markdown);
		ctx->out->v[answer].markdown = sb_detach(&sb);
		sb_release(&text);
		sb_release(&rooms);
	}
	call_rooms_free(&r);
	meeting_free(&m);
	return rc;
}

int agenda_call_reminder(struct wt_ctx *ctx, const struct wt_meeting *m, struct strbuf *out)
{
	struct strbuf when = STRBUF_INIT, text = STRBUF_INIT, md = STRBUF_INIT;
	when_format_long(&when, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
	sb_add_md(&md, m->title);
	const char *title = md.buf;
	call_text(ctx, m, &text);
	int fin = agenda_final_at(ctx->db, m->id, NULL);
	int rc = fin < 0 ? -1 : 0;
	time_t due = call_deadline(ctx->net, m);
	int open = !fin && (!due || due > ctx->now);  /* a call still makes sense */
	if (rc == 0 && ctx->net->agenda_call_auto && ctx->out && open) {
		struct call_rooms r;
		if (call_rooms(ctx, m, &r) < 0 || post_call(ctx, &r, text.buf) < 0) {
			rc = -1;
		} else if (ctx->room) {
			rc = 1;  /* a room reminder: the rooms have the call */
		} else {
			struct strbuf rooms = STRBUF_INIT;
			sb_addcount(&rooms, ctx, M_N_ROOM_ONE, (long long)r.n);
			sb_addm(out, ctx, M_AGENDA_CALL_REMIND_AUTO, title, when.buf, rooms.buf);
			sb_release(&rooms);
		}
		call_rooms_free(&r);
	} else if (rc == 0) {
		sb_addm(out, ctx, M_AGENDA_CALL_REMIND, title, when.buf, m->short_id);
	}
	if (rc == 0) {
		sb_add(out, "\n\n---\n\n");
		sb_add(out, text.buf);
	}
	sb_release(&when);
	sb_release(&text);
	sb_release(&md);
	return rc;
}
