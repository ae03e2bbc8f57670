/* invite: `!agenda vaststellen` freezes a meeting's agenda and sends it
 * (to the network's rooms, and to each member by direct message as the
 * invitation, with how to answer); the changes after that; the RSVP
 * reactions. See handlers/invite.h. */
#include "handlers/invite.h"

#include "handlers/documents.h"
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/documents.h"
#include "handlers/meeting.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/agenda.h"
#include "storage/agenda_final.h"
#include "storage/attendance.h"
#include "storage/bodies.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "storage/sent_links.h"

/* The body meeting m belongs to: 1 with *b filled (body_free), 0 when the
 * meeting has none (or m is NULL), negative on a database error. */
static int meeting_body(struct wt_ctx *ctx, const struct wt_meeting *m, struct wt_body *b)
{
	long long id = 0;
	int has = m ? body_of_meeting(ctx->db, m->id, &id) : 0;
	return has > 0 ? body_by_id(ctx->db, id, b) : has;
}

/* v (n entries, NULL-terminated) with s added. */
static void list_add(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

int invite_rooms(struct wt_ctx *ctx, const struct wt_meeting *m, char ***rooms)
{
	struct wt_body b = { 0 };
	int has = meeting_body(ctx, m, &b);
	if (has < 0)
		return -1;
	size_t k = 0;
	if (has) {
		/* A body's meeting: its own rooms only. */
		*rooms = xcalloc(1, sizeof **rooms);
		for (size_t i = 0; i < b.nrooms; i++)
			list_add(rooms, &k, b.rooms[i]);
		body_free(&b);
		return (int)k;
	}
	int n = attendance_rooms(ctx->db, ctx->net->name, rooms);
	if (n != 0)
		return n;
	/* None joined (the console): the configured rooms given by id or name. */
	for (size_t i = 0; i < ctx->net->nrooms; i++)
		if (ctx->net->rooms[i][0] != '#')
			list_add(rooms, &k, ctx->net->rooms[i]);
	return (int)k;
}

/* roles_each callback: each role holder into the list (sorted later). */
static void holder_cb(void *arg, const char *user, int role)
{
	struct { char **v; size_t n; } *l = arg;
	(void)role;
	list_add(&l->v, &l->n, user);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The joined members of room (all of network's rooms when room is NULL)
 * into l, the bot left out. Count or negative. */
static int add_room_people(struct wt_ctx *ctx, const char *network, const char *room,
			   const char *self, void *l)
{
	struct room_person *people = NULL;
	int n = room_members_people(ctx->db, network, room, &people);
	for (int i = 0; i < n; i++)
		if (!self || strcmp(people[i].user_id, self) != 0)
			holder_cb(l, people[i].user_id, 0);
	if (n > 0)
		room_people_free(people, (size_t)n);
	return n;
}

/* A body's people: the members of its rooms, its listed members (advisory
 * ones too: they are invited) and its chair and secretary. */
static int add_body_people(struct wt_ctx *ctx, const struct wt_body *b, const char *self,
			   void *l)
{
	int n = 0;
	for (size_t i = 0; n >= 0 && i < b->nrooms; i++)
		n = add_room_people(ctx, b->network, b->rooms[i], self, l);
	for (size_t i = 0; i < b->nmembers; i++)
		holder_cb(l, b->members[i].user, 0);
	if (b->chair)
		holder_cb(l, b->chair, 0);
	if (b->secretary)
		holder_cb(l, b->secretary, 0);
	return n < 0 ? -1 : 0;
}

int invite_members(struct wt_ctx *ctx, const struct wt_meeting *m, const char *network,
		   char ***who)
{
	struct { char **v; size_t n; } l = { xcalloc(1, sizeof(char *)), 0 };
	char *self = attendance_self_dup(ctx->db);
	struct wt_body b = { 0 };
	int n = meeting_body(ctx, m, &b);
	if (n > 0) {
		n = add_body_people(ctx, &b, self, &l);
		body_free(&b);
	} else if (n == 0) {
		n = add_room_people(ctx, network, NULL, self, &l);
		if (n == 0 && roles_each(ctx->db, network, holder_cb, &l) < 0)
			n = -1;
	}
	free(self);
	if (n < 0) {
		attendance_people_free(l.v);
		*who = NULL;
		return -1;
	}
	qsort(l.v, l.n, sizeof *l.v, by_str);
	size_t k = 0;  /* a person in two rooms, or listed too, once */
	for (size_t i = 0; i < l.n; i++) {
		if (k && strcmp(l.v[k - 1], l.v[i]) == 0)
			free(l.v[i]);
		else
			l.v[k++] = l.v[i];
	}
	l.v[k] = NULL;
	*who = l.v;
	return (int)k;
}

struct wt_reply *invite_post(struct wt_ctx *ctx, const char *room, const char *text)
{
	struct wt_reply *r = reply_add(ctx, text);
	free(r->in_reply_to);
	r->in_reply_to = NULL;
	free(r->thread_root);
	r->thread_root = NULL;
	r->room = xstrdup(room);
	return r;
}

/* "  - <fmt with the escaped value>" under an item, when value is set. */
static void add_detail(struct strbuf *sb, struct wt_ctx *ctx, enum msg_id fmt, const char *value)
{
	if (!value || !*value)
		return;
	sb_add(sb, "\n   - ");
	sb_addm(sb, ctx, fmt, ctx_md(ctx, value));
}

/* The meeting's items on the agenda, numbered, with theme, proposer and
 * why/what/how. */
static int add_agenda(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct wt_agenda_item *v;
	int n = agenda_list(ctx->db, m->network, m->id, &v);
	if (n < 0)
		return -1;
	int num = 0;
	sb_add(sb, T(ctx, M_INV_AGENDA_HEAD));
	for (int i = 0; i < n; i++) {
		if (v[i].state != AGENDA_ACCEPTED && v[i].state != AGENDA_DISCUSSED)
			continue;
		sb_addc(sb, '\n');
		sb_addm(sb, ctx, M_INV_ITEM, ++num, ctx_md(ctx, v[i].title), v[i].short_id);
		add_detail(sb, ctx, M_INV_THEME, v[i].theme);
		add_detail(sb, ctx, M_INV_WHY, v[i].why);
		add_detail(sb, ctx, M_INV_WHAT, v[i].what);
		add_detail(sb, ctx, M_INV_HOW, v[i].how);
		if (docs_render_item(sb, ctx, v[i].id, "   ") < 0)
			num = -1;
	}
	if (!num) {
		sb_addc(sb, '\n');
		sb_add(sb, T(ctx, M_INV_EMPTY));
	}
	agenda_list_free(v, (size_t)n);
	/* The meeting's own documents (the annual plan, last minutes). */
	struct strbuf docs = STRBUF_INIT;
	int nd = num < 0 ? 0 : docs_render_meeting(&docs, ctx, m->id, "");
	if (nd > 0) {
		sb_add(sb, "\n\n");
		sb_add(sb, T(ctx, M_DOC_MEETING_HEAD));
		sb_add(sb, docs.buf);
	}
	sb_release(&docs);
	return nd < 0 ? -1 : num;
}

/* 1 when place is one web address (https://...), made of a URL's
 * characters only. */
static int is_link(const char *place)
{
	if (strncmp(place, "https://", 8) != 0 && strncmp(place, "http://", 7) != 0)
		return 0;
	for (const char *p = place; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-._~:/?#@!$&'()*+,;=%", *p))
			return 0;
	return 1;
}

/* The invitation (head M_INV_HEAD) or the posted agenda (M_INV_ROOM_HEAD):
 * date, place or video link, agenda, how to answer. Returns the number
 * of items on the agenda, or negative. */
static int invitation_text(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
			   enum msg_id head)
{
	struct strbuf when = STRBUF_INIT;
	sb_addm(sb, ctx, head, ctx_md(ctx, m->title), m->short_id);
	sb_add(sb, "\n\n");
	when_format_long(&when, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
	sb_addm(sb, ctx, M_INV_WHEN, when.buf);
	if (m->place && *m->place) {
		sb_addc(sb, '\n');
		if (is_link(m->place)) {
			/* A video link: clickable (an autolink; its characters
			 * are a URL's only, so nothing in it formats). */
			struct strbuf link = STRBUF_INIT;
			sb_addf(&link, "<%s>", m->place);
			sb_addm(sb, ctx, M_INV_VIDEO, link.buf);
			sb_release(&link);
		} else {
			sb_addm(sb, ctx, M_INV_PLACE, ctx_md(ctx, m->place));
		}
	}
	sb_add(sb, "\n\n");
	int n = add_agenda(sb, ctx, m);
	sb_add(sb, "\n\n");
	sb_add(sb, T(ctx, M_INV_RSVP));
	sb_release(&when);
	return n;
}

/* The meeting named by the optional id at args, else the next one
 * (planned, not started); refusals with the finalise synopsis. */
static int pick_meeting(struct wt_ctx *ctx, const char *args, struct wt_meeting *m)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	int rc = WT_OK, found;
	if (after) {
		long long id = args_id(w.buf);
		if (id <= 0)
			rc = reply_usage_text(ctx, WT_EUSAGE, M_INV_SYN_FINALISE, M_INV_E_BAD_ID, w.buf);
		else if ((rc = reply_if_extra(ctx, after)) == WT_OK
			 && (found = meeting_by_short_id(ctx->db, ctx->net->name, id, m)) <= 0)
			rc = found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
				: reply_usagef(ctx, WT_ENOTFOUND, M_INV_SYN_FINALISE,
					       M_INV_E_NOT_FOUND, id);
	} else if ((found = meeting_next_after(ctx->db, ctx->net->name, ctx->now, 0, m)) <= 0) {
		rc = found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
			: reply_usagef(ctx, WT_EUSAGE, M_INV_SYN_FINALISE, M_INV_E_NO_MEETING);
	}
	if (rc == WT_OK && m->state != MEETING_PLANNED)
		rc = reply_usagef(ctx, WT_EUSAGE, M_INV_SYN_FINALISE, M_INV_E_NOT_PLANNED,
				  m->short_id, T(ctx, meeting_state_msg(m->state)));
	sb_release(&w);
	return rc;
}

/* Refuse a meeting whose agenda is final already. */
static int check_not_final(struct wt_ctx *ctx, const struct wt_meeting *m)
{
	long long at = 0;
	int final = agenda_final_at(ctx->db, m->id, &at);
	if (final < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!final)
		return WT_OK;
	struct strbuf when = STRBUF_INIT;
	when_format_long(&when, (time_t)at, ctx->now, ctx->net->tz, ctx->lang);
	int rc = reply_usagef(ctx, WT_EUSAGE, M_INV_SYN_FINALISE, M_INV_E_ALREADY, m->short_id,
			      when.buf);
	sb_release(&when);
	return rc;
}

/* The agenda in each room and the invitation to each member; counts. */
static int send_invitations(struct wt_ctx *ctx, const struct wt_meeting *m, int *nrooms,
			    int *npeople)
{
	struct strbuf post = STRBUF_INIT, dm = STRBUF_INIT;
	char **rooms = NULL, **people = NULL;
	int rc = invitation_text(&post, ctx, m, M_INV_ROOM_HEAD) < 0
		|| invitation_text(&dm, ctx, m, M_INV_HEAD) < 0 ? -1 : 0;
	*nrooms = rc == 0 ? invite_rooms(ctx, m, &rooms) : -1;
	*npeople = *nrooms >= 0 ? invite_members(ctx, m, ctx->net->name, &people) : -1;
	if (*nrooms < 0 || *npeople < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < *nrooms; i++) {
		struct wt_reply *r = invite_post(ctx, rooms[i], post.buf);
		r->link_kind = SENT_LINK_AGENDA;
		r->link_id = m->id;
	}
	for (int i = 0; rc == 0 && i < *npeople; i++) {
		struct wt_reply *r = reply_dm(ctx, people[i], dm.buf);
		r->link_kind = SENT_LINK_INVITE;
		r->link_id = m->id;
	}
	attendance_rooms_free(rooms);
	attendance_people_free(people);
	sb_release(&post);
	sb_release(&dm);
	return rc;
}

int invite_meeting_news(struct wt_ctx *ctx, const struct wt_meeting *m, const char *text)
{
	int final = agenda_final_at(ctx->db, m->id, NULL);
	if (final <= 0)
		return final < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	char **rooms = NULL, **people = NULL;
	int nrooms = invite_rooms(ctx, m, &rooms);
	int npeople = nrooms >= 0 ? invite_members(ctx, m, ctx->net->name, &people) : -1;
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_INV_MEETING_NEWS, ctx_md(ctx, m->title), m->short_id, text);
	for (int i = 0; i < nrooms; i++)
		if (!ctx->room || strcmp(rooms[i], ctx->room) != 0)
			invite_post(ctx, rooms[i], sb.buf);
	for (int i = 0; i < npeople; i++)
		if (strcmp(people[i], ctx->sender) != 0)
			reply_dm(ctx, people[i], sb.buf);
	attendance_rooms_free(rooms);
	attendance_people_free(people);
	sb_release(&sb);
	return nrooms < 0 || npeople < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
}

int invite_finalise_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	int rc = pick_meeting(ctx, args, &m);
	if (rc == WT_OK)
		rc = check_not_final(ctx, &m);
	struct wt_agenda_item *v = NULL;
	int n = 0, items = 0;
	if (rc == WT_OK && (n = agenda_list(ctx->db, m.network, m.id, &v)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	for (int i = 0; rc == WT_OK && i < n; i++)
		items += v[i].state == AGENDA_ACCEPTED || v[i].state == AGENDA_DISCUSSED;
	if (rc == WT_OK && !items)
		rc = reply_usagef(ctx, WT_EUSAGE, M_INV_SYN_FINALISE, M_INV_E_EMPTY, m.short_id);
	if (rc == WT_OK && agenda_set_final(ctx->db, m.id, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		/* The confirmation first: it is the command's answer. */
		size_t first = ctx->out->n;
		reply_add(ctx, "");
		int nrooms = 0, npeople = 0;
		if (send_invitations(ctx, &m, &nrooms, &npeople) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		if (rc == WT_OK) {
			struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
			sb_addcount(&a, ctx, M_N_ROOM_ONE, nrooms);
			sb_addcount(&b, ctx, M_N_MEMBER_ONE, npeople);
			sb_addm(&sb, ctx, M_INV_FINALISED, m.short_id, ctx_md(ctx, m.title), a.buf, b.buf);
			free(ctx->out->v[first].markdown);
			ctx->out->v[first].markdown = sb_detach(&sb);
			sb_release(&a);
			sb_release(&b);
		}
	}
	agenda_list_free(v, n > 0 ? (size_t)n : 0);
	meeting_free(&m);
	return rc;
}

int invite_change_allowed(struct wt_ctx *ctx, const struct wt_meeting *m)
{
	int final = agenda_final_at(ctx->db, m->id, NULL);
	if (final < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	return reply_require_role_unless(ctx, ROLE_CHAIR, !final, M_INV_E_FINAL_CHAIR,
					 m->short_id);
}

int invite_change_announce(struct wt_ctx *ctx, const struct wt_meeting *m)
{
	int final = agenda_final_at(ctx->db, m->id, NULL);
	if (final < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!final || !ctx->out->n)
		return WT_OK;
	char **rooms = NULL;
	int n = invite_rooms(ctx, m, &rooms);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	/* The command's own answer: the last reply to its room (a direct
	 * message to the proposer may follow it). */
	struct wt_reply *answer = &ctx->out->v[ctx->out->n - 1];
	for (size_t i = ctx->out->n; i-- > 0;)
		if (!ctx->out->v[i].to_user && !ctx->out->v[i].room) {
			answer = &ctx->out->v[i];
			break;
		}
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_INV_CHANGE, m->short_id, ctx_md(ctx, m->title), answer->markdown);
	/* In the command's room the answer itself says it is a change. */
	free(answer->markdown);
	answer->markdown = xstrdup(sb.buf);
	for (int i = 0; i < n; i++) {
		if (ctx->room && strcmp(rooms[i], ctx->room) == 0)
			continue;
		struct wt_reply *r = invite_post(ctx, rooms[i], sb.buf);
		r->link_kind = SENT_LINK_AGENDA;
		r->link_id = m->id;
	}
	sb_release(&sb);
	attendance_rooms_free(rooms);
	return WT_OK;
}

/* The answer a reaction key gives (its emoji, with or without the
 * variation selector), or RSVP_NONE. */
static int answer_of_key(const char *key)
{
	static const struct { const char *emoji; int answer; } keys[] = {
		{ "\xE2\x9C\x85", RSVP_YES },    /* ✅ */
		{ "\xE2\x9C\x94", RSVP_YES },    /* ✔ */
		{ "\xF0\x9F\x91\x8D", RSVP_YES },/* 👍 */
		{ "\xE2\x9D\x8C", RSVP_NO },     /* ❌ */
		{ "\xE2\x9D\x94", RSVP_MAYBE },  /* ❔ */
		{ "\xE2\x9D\x93", RSVP_MAYBE },  /* ❓ */
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t len = strlen(keys[i].emoji);
		if (strncmp(key, keys[i].emoji, len) == 0
		    && (!key[len] || strcmp(key + len, "\xEF\xB8\x8F") == 0))
			return keys[i].answer;
	}
	return RSVP_NONE;
}

int invite_on_reaction(struct wt_ctx *ctx, const char *target, const char *key)
{
	if (!target || !key || !ctx->net)
		return WT_NOT_COMMAND;
	int answer = answer_of_key(key);
	if (answer == RSVP_NONE)
		return WT_NOT_COMMAND;
	char *kind = NULL;
	long long id = 0;
	int found = sent_links_by_event(ctx->db, target, &kind, &id);
	int ours = found == 1 && (strcmp(kind, SENT_LINK_INVITE) == 0
				  || strcmp(kind, SENT_LINK_AGENDA) == 0);
	free(kind);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct wt_meeting m = { 0 };
	if (ours && (found = meeting_by_id(ctx->db, id, &m)) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	int rc = WT_NOT_COMMAND;
	/* A meeting that is over, or cancelled, takes no answers. The text
	 * ctx_md escaped is freed here: no dispatch runs for a reaction. */
	size_t owned = ctx->nowned;
	if (ours && found == 1 && (m.state == MEETING_PLANNED || m.state == MEETING_OPEN))
		rc = attendance_record(ctx, &m, answer, NULL, 1);
	ctx_release_owned(ctx, owned);
	meeting_free(&m);
	return rc;
}

int invite_on_redaction(struct wt_ctx *ctx, const char *redacted)
{
	if (!redacted || !ctx->net)
		return WT_NOT_COMMAND;
	long long id = 0;
	char *user = NULL;
	int found = attendance_unanswer(ctx->db, redacted, &id, &user);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	/* The reaction is gone (its sender or a moderator removed it): so
	 * is the answer it gave; its giver hears it. */
	struct wt_meeting m = { 0 };
	if (found && meeting_by_id(ctx->db, id, &m) == 1) {
		struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT, title = STRBUF_INIT;
		when_format_long(&when, m.starts_at, ctx->now, ctx->net->tz, ctx->lang);
		sb_add_md(&title, m.title);
		sb_addm(&sb, ctx, M_RSVP_TAKEN_BACK, title.buf, when.buf);
		struct wt_reply *r = reply_dm(ctx, user, sb.buf);
		r->notify = 0;
		sb_release(&sb);
		sb_release(&when);
		sb_release(&title);
	}
	meeting_free(&m);
	free(user);
	return found ? WT_OK : WT_NOT_COMMAND;
}
