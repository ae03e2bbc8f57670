/* readback: the notice that says back what a logged message was read as,
 * and the direct message to a new action's owner; see readback.h. */
#include "handlers/readback.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/meeting_mode.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "handlers/when_ctx.h"
#include "storage/room_members.h"

/* Longest excerpt of an item's text in the read-back, in characters. */
#define RB_EXCERPT 80
/* Longest quote of a message a reminder is about, in characters. */
#define RB_QUOTE 140

/* Append s with every byte outside a conservative URL-safe set as %XX, so
 * the link survives Markdown (no parentheses, blanks or brackets) and a
 * "/" or "?" inside an id cannot be read as the link's structure. */
static void add_url_part(struct strbuf *sb, const char *s)
{
	static const char safe[] = "!$@:._~=+-";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
		    || (*p >= '0' && *p <= '9') || strchr(safe, *p))
			sb_addc(sb, (char)*p);
		else
			sb_addf(sb, "%%%02X", *p);
	}
}

void sb_add_event_link(struct strbuf *sb, const char *room, const char *event_id)
{
	sb_add(sb, "https://matrix.to/#/");
	add_url_part(sb, room);
	sb_addc(sb, '/');
	add_url_part(sb, event_id);
	/* The room's own server, so that clients can find the room. */
	const char *colon = strchr(room, ':');
	if (colon && colon[1]) {
		sb_add(sb, "?via=");
		add_url_part(sb, colon + 1);
	}
}

void sb_add_person_pill(struct strbuf *sb, struct wt_ctx *ctx, const char *user)
{
	struct room_person *people = NULL;
	int n = ctx->net ? room_members_people(ctx->db, ctx->net->name, ctx->room, &people) : 0;
	const char *name = NULL;
	for (int i = 0; i < n && !name; i++)
		if (strcmp(people[i].user_id, user) == 0 && people[i].displayname
		    && *people[i].displayname)
			name = people[i].displayname;
	struct strbuf local = STRBUF_INIT;
	if (!name) {  /* the localpart: @piet:server is "piet" */
		const char *colon = strchr(user, ':');
		sb_addn(&local, user + (*user == '@'), colon ? (size_t)(colon - user) - (*user == '@')
							     : strlen(user + (*user == '@')));
		name = local.buf;
	}
	sb_addc(sb, '[');
	sb_add_md(sb, name);
	sb_add(sb, "](https://matrix.to/#/");
	add_url_part(sb, user);
	sb_addc(sb, ')');
	sb_release(&local);
	if (n > 0)
		room_people_free(people, (size_t)n);
}

void sb_add_excerpt_md(struct strbuf *sb, const char *text, size_t max)
{
	struct strbuf cut = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	size_t chars = 0;
	int blank = 0;
	for (; *p && *p != '\n' && *p != '\r'; p++) {
		if (*p == ' ' || *p == '\t') {
			blank = 1;
			continue;
		}
		if ((*p & 0xC0) != 0x80) {  /* a character starts here */
			if (chars + blank >= max) {
				sb_add(&cut, "\xE2\x80\xA6");
				break;
			}
			if (blank)
				sb_addc(&cut, ' '), chars++;
			chars++;
		}
		blank = 0;
		sb_addc(&cut, (char)*p);
	}
	if (*p == '\n' && !(cut.len >= 3 && !strcmp(cut.buf + cut.len - 3, "\xE2\x80\xA6"))) {
		const unsigned char *q = p;
		while (*q == '\n' || *q == '\r' || *q == ' ' || *q == '\t')
			q++;
		if (*q)
			sb_add(&cut, "\xE2\x80\xA6");
	}
	sb_add_md(sb, cut.buf);
	sb_release(&cut);
}

void sb_add_quote_md(struct strbuf *sb, const struct wt_ctx *ctx, const char *room,
		     const char *event_id, const char *excerpt)
{
	if (excerpt && *excerpt) {
		sb_add(sb, "\n\n> ");
		sb_add_excerpt_md(sb, excerpt, RB_QUOTE);
	}
	if (room && event_id && room[0] == '!') {
		struct strbuf link = STRBUF_INIT;  /* an autolink: <url> */
		sb_addc(&link, '<');
		sb_add_event_link(&link, room, event_id);
		sb_addc(&link, '>');
		sb_add(sb, "\n\n");
		sb_addm(sb, ctx, M_RB_DM_LINK, link.buf);
		sb_release(&link);
	}
}

char *text_cut_dup(const char *s, size_t max)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;  /* not inside a character */
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addn(&sb, s, n);
	sb_rtrim(&sb);
	if (!sb.len) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* An action's due date written out, and when it is the end of a month at
 * the end of the working day ("voor eind januari") a word that says so. */
static void add_due(struct strbuf *sb, struct wt_ctx *ctx, time_t due)
{
	int end = ctx_day_end(ctx), mon;
	when_format_day_long(sb, due, ctx->net->tz, ctx->lang, MM_DUE_HOUR);
	if (when_is_period_end(due, ctx->net->tz, end, &mon))
		sb_addm(sb, ctx, M_RB_PERIOD_END, T(ctx, (enum msg_id)(M_DATE_MON_LONG_1 + mon - 1)));
}

/* One item's line: "Actie 12 voor <pill>, uiterlijk <datum>: <tekst>". */
static void item_line(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_logged *it)
{
	struct strbuf text = STRBUF_INIT;
	sb_add_excerpt_md(&text, it->text, RB_EXCERPT);
	if (it->kind == LOGGED_ACTION) {
		struct strbuf who = STRBUF_INIT, due = STRBUF_INIT;
		sb_add_person_pill(&who, ctx, it->owner ? it->owner : "");
		if (it->due_at) {
			add_due(&due, ctx, it->due_at);
			sb_addm(sb, ctx, M_RB_ACTION_DUE, it->short_id, who.buf, due.buf, text.buf);
		} else {
			sb_addm(sb, ctx, M_RB_ACTION, it->short_id, who.buf, text.buf);
		}
		sb_release(&who);
		sb_release(&due);
	} else if (it->kind == LOGGED_DECISION) {
		sb_addm(sb, ctx, M_RB_DECISION, it->short_id, text.buf);
	} else {
		sb_addm(sb, ctx, M_RB_NOTE, text.buf);
	}
	if (it->action_line)
		sb_addm(sb, ctx, M_MM_LINK_AL, it->action_line);
	if (it->advice)
		sb_addm(sb, ctx, M_MM_LINK_ADVICE, it->advice);
	sb_release(&text);
}

/* The direct message to the owner of action it, logged by ctx->sender. */
static void tell_owner(struct wt_ctx *ctx, const struct wt_logged *it, const char *event_id)
{
	struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT, text = STRBUF_INIT, due = STRBUF_INIT;
	sb_add_person_pill(&who, ctx, ctx->sender);
	sb_add_excerpt_md(&text, it->text, RB_EXCERPT * 4);
	if (it->due_at)
		add_due(&due, ctx, it->due_at);
	sb_addm(&sb, ctx, it->due_at ? M_RB_DM_DUE : M_RB_DM, it->short_id, who.buf, text.buf,
		due.buf);
	sb_add_quote_md(&sb, ctx, ctx->room, event_id, NULL);
	sb_add(&sb, "\n\n");
	sb_addm(&sb, ctx, M_RB_DM_HINT, it->short_id, it->short_id);
	reply_dm(ctx, it->owner, sb.buf);
	sb_release(&sb);
	sb_release(&who);
	sb_release(&text);
	sb_release(&due);
}

void mm_read_back(struct wt_ctx *ctx, const struct wt_logged *v, size_t n, int open,
		  const char *event_id, char *const *was_owner)
{
	if (!n)
		return;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (n > 1)
			sb_add(&sb, i ? "\n- " : "- ");
		item_line(&sb, ctx, &v[i]);
	}
	if (!open) {
		sb_add(&sb, "\n\n");
		sb_add(&sb, T(ctx, M_RB_NO_MEETING));
	}
	struct wt_reply *r = reply_add(ctx, sb.buf);
	if (event_id) {
		free(r->in_reply_to);
		r->in_reply_to = xstrdup(event_id);
	}
	/* The owners of actions are addressed (not the one who wrote it, nor
	 * again after an edit that kept them). */
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == LOGGED_ACTION && v[i].owner && strcmp(v[i].owner, ctx->sender) != 0
		    && !(was_owner && was_owner[i] && strcmp(was_owner[i], v[i].owner) == 0))
			reply_mention(r, v[i].owner);
	sb_release(&sb);
	if (!ctx->net || ctx->net->no_action_owner_dm)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct wt_logged *it = &v[i];
		if (it->kind != LOGGED_ACTION || !it->owner || strcmp(it->owner, ctx->sender) == 0
		    || (was_owner && was_owner[i] && strcmp(was_owner[i], it->owner) == 0))
			continue;
		/* One message per owner per item; an owner twice gets both. */
		tell_owner(ctx, it, event_id);
	}
}
