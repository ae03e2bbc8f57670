/* remind: !herinner / !remind (set, cancel, snooze), !herinneringen /
 * !reminders (list) and !tijdzone / !timezone. Reminders set by people are
 * stored with their due time; bot/scheduler.c sends them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/person.h"
#include "handlers/readback.h"
#include "handlers/recur.h"
#include "handlers/remind.h"
#include "handlers/reply.h"
#include "handlers/series.h"
#include "handlers/when.h"
#include "handlers/when_ctx.h"
#include "lib/textdist.h"
#include "lib/tz.h"
#include "storage/reminder_quotes.h"
#include "storage/reminders.h"

/* Most pending reminders the sender may have: the config's max_reminders
 * (through the context), else the default. */
static long max_reminders(const struct wt_ctx *ctx)
{
	long n = ctx->limits ? ctx->limits->max_reminders : 0;
	return n > 0 ? n : WT_MAX_REMINDERS_DEFAULT;
}

/* Longest reminder text, in characters. */
#define MAX_TEXT 1000
/* Longest excerpt kept of a message a reminder is about, in bytes. */
#define REMIND_QUOTE_MAX 400

/* Add an error reply with a ready text (date and recurrence errors). */
static int error_text(struct wt_ctx *ctx, const char *text)
{
	struct wt_reply *r = reply_add(ctx, text);
	r->is_error = 1;
	return WT_EUSAGE;
}

/* The zone the sender reads and writes times in (caller frees). */
static char *reader_tz(struct wt_ctx *ctx, const char *user)
{
	char *tz = user ? user_tz_dup(ctx->db, user) : NULL;
	if (tz && !tz_valid(tz)) {
		free(tz);
		tz = NULL;
	}
	return tz ? tz : xstrdup(ctx->net->tz);
}

/* Set a reminder: args is "<when> <text>" for target (kind personal with
 * to_user, or kind room). */
/* When a reminder set with args is due: a recurrence (rec filled, to free)
 * or a date phrase, read in the sender's zone tz. WT_OK with *due, *dtstart
 * (a series' anchor) and *used, or the refusal added. */
static int read_due(struct wt_ctx *ctx, const char *args, const char *tz, struct recur *rec,
		    time_t *due, time_t *dtstart, size_t *used)
{
	struct recur_in rin = { tz, ctx->now, ctx->lang };
	int rc = recur_parse_in(args, &rin, rec, used);
	if (rc == RECUR_OK) {
		rc = recur_first(rec, tz, ctx->now, 9, dtstart, due);
		if (rc == RECUR_OK)
			return WT_OK;
		recur_free(rec);
	}
	if (rc != RECUR_NONE)
		return error_text(ctx, recur_error_text(ctx->lang, rc));
	struct when_in in = { ctx->now, tz, ctx->lang, 9, 0, ctx_day_end(ctx) };
	struct when_out o;
	rc = when_read(args, &in, &o);
	if (rc != WHEN_OK)
		return error_text(ctx, when_error_text(ctx->lang, rc, 0));
	*due = o.at;
	*used = o.used;
	return WT_OK;
}

static int remind_set(struct wt_ctx *ctx, const char *args, const char *to_user)
{
	char *tz = reader_tz(ctx, ctx->sender);
	struct recur rec = { 0 };
	size_t used = 0;
	time_t due = 0, dtstart = 0;
	int rc = read_due(ctx, args, tz, &rec, &due, &dtstart, &used);
	if (rc != WT_OK) {
		free(tz);
		return rc;
	}
	struct strbuf text = STRBUF_INIT;
	for (const char *p = args_line(args + used, &text); *p; ) {
		/* Keep every line of a longer text. */
		struct strbuf more = STRBUF_INIT;
		p = args_line(p, &more);
		if (more.len)
			sb_addf(&text, "%s%s", text.len ? " " : "", more.buf);
		sb_release(&more);
	}
	int result = WT_OK;
	int have = reminders_count_owned(ctx->db, ctx->net->name, ctx->sender);
	/* Sent as a reply, the message it answers is what to remind of: the
	 * text after the time is then a note and may be left out. */
	const char *about = ctx->reply_to && ctx->room ? ctx->reply_to : NULL;
	if (!text.len && !about) {
		result = reply_usage(ctx, M_REMIND_E_NO_TEXT, M_SYN_REMIND);
	} else if (utf8_chars(text.buf) > MAX_TEXT) {
		result = reply_error(ctx, WT_EUSAGE, M_REMIND_E_TEXT_LONG,
				     utf8_chars(text.buf), MAX_TEXT);
	} else if (have < 0) {
		result = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else if (have >= max_reminders(ctx)) {
		result = reply_error(ctx, WT_EUSAGE, msg_count(M_REMIND_E_TOO_MANY_ONE, have), have,
				     max_reminders(ctx));
	}
	if (result != WT_OK)
		goto out;
	struct wt_reminder r = {
		.network = ctx->net->name, .kind = to_user ? "personal" : "room",
		.owner = (char *)ctx->sender, .to_user = (char *)to_user,
		.room_id = to_user ? NULL : (char *)ctx->room, .text = text.buf,
		.rrule = rec.rrule,
		.tz = tz, .due_at = due, .dtstart = dtstart, .created_at = ctx->now,
	};
	char *quote = about ? text_cut_dup(ctx->reply_quote, REMIND_QUOTE_MAX) : NULL;
	if (reminders_add(ctx->db, &r) < 0
	    || (about && reminder_quote_add(ctx->db, r.id, ctx->room, about, quote) < 0)) {
		free(quote);
		result = reply_error(ctx, WT_EDB, M_DB_ERROR);
		goto out;
	}
	struct strbuf msg = STRBUF_INIT, when = STRBUF_INIT, md = STRBUF_INIT;
	when_format_long(&when, due, ctx->now, tz, ctx->lang);
	int mon;
	if (!r.rrule && when_is_period_end(due, tz, ctx_day_end(ctx), &mon))  /* "eind januari" */
		sb_addm(&when, ctx, M_RB_PERIOD_END, T(ctx, (enum msg_id)(M_DATE_MON_LONG_1 + mon - 1)));
	sb_add_md(&md, text.len ? text.buf : T(ctx, M_REMIND_ABOUT_MESSAGE));
	if (r.rrule) {
		struct strbuf how = STRBUF_INIT;
		recur_describe_in(&how, r.rrule, tz, ctx->lang);
		sb_addm(&msg, ctx, M_REMIND_SET_RECUR, r.short_id, how.buf, when.buf, md.buf);
		sb_release(&how);
		sb_addc(&msg, '\n');
		series_add_next_dates(&msg, ctx, r.rrule, tz, dtstart, ctx->now);
	} else {
		sb_addm(&msg, ctx, M_REMIND_SET, r.short_id, when.buf, md.buf);
	}
	if (!to_user) {
		sb_add(&msg, T(ctx, M_REMIND_FOR_ROOM));
	} else if (strcmp(to_user, ctx->sender) != 0) {
		struct strbuf who = STRBUF_INIT;
		sb_add_person(&who, ctx, to_user);
		sb_addm(&msg, ctx, M_REMIND_FOR_USER, who.buf);
		sb_release(&who);
	}
	if (about)
		sb_add_quote_md(&msg, ctx, ctx->room, about, quote);
	free(quote);
	reply_add(ctx, msg.buf);
	sb_release(&msg);
	sb_release(&when);
	sb_release(&md);
out:
	recur_free(&rec);
	sb_release(&text);
	free(tz);
	return result;
}

/* WT_OK when the sender may change reminder r (who set it, whom it is
 * for, a secretary for the room's, the chair for any), else a refusal. */
static int may_change(struct wt_ctx *ctx, const struct wt_reminder *r)
{
	int mine = (r->owner && strcmp(r->owner, ctx->sender) == 0)
		|| (r->to_user && strcmp(r->to_user, ctx->sender) == 0)
		|| (!r->to_user && ctx->role >= ROLE_SECRETARY);
	return reply_require_role_unless(ctx, ROLE_CHAIR, mine, M_REMIND_E_NOT_YOURS, r->short_id);
}

/* Look up reminder <id> from the next word and check the sender may change
 * it. Returns WT_OK with *out filled, or an error code after replying. */
static int own_reminder(struct wt_ctx *ctx, const char **p, struct wt_reminder *out,
			int fired_ok)
{
	struct strbuf w = STRBUF_INIT;
	*p = args_word(*p, &w);
	long long id = args_id(w.buf);
	sb_release(&w);
	if (id <= 0)
		return reply_usage(ctx, M_REMIND_E_ID, M_SYN_REMINDERS);
	int found = reminders_by_short_id(ctx->db, ctx->net->name, id, out);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found || out->state == REMINDER_CANCELLED
	    || (out->state == REMINDER_FIRED && !fired_ok)) {
		if (found)
			reminder_free(out);
		return reply_error(ctx, WT_ENOTFOUND, M_REMIND_E_NOT_FOUND, id);
	}
	int rc = may_change(ctx, out);
	if (rc != WT_OK)
		reminder_free(out);
	return rc;
}

/* annuleer <id>: a pending reminder of the sender is cancelled. */
static int remind_cancel(struct wt_ctx *ctx, const char *p)
{
	struct wt_reminder r;
	int rc = own_reminder(ctx, &p, &r, 0);
	if (rc != WT_OK)
		return rc;
	rc = reminders_cancel(ctx->db, r.id) < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	if (rc == WT_OK)
		reply_msgf(ctx, M_REMIND_CANCELLED, r.short_id);
	reminder_free(&r);
	return rc;
}

/* Where a snooze of r counts from: its due time while that is still to
 * come, else (it went out, or this is an occurrence of a series that just
 * did) now. */
static time_t snooze_from(const struct wt_ctx *ctx, const struct wt_reminder *r, int occurrence)
{
	return !occurrence && r->state == REMINDER_PENDING && r->due_at > ctx->now ? r->due_at
										   : ctx->now;
}

/* The new due time of a snooze from `from`: a duration ("1u", "30m",
 * "10s") later, a time ("morgen 9:00") that is not before it, or one hour
 * later when p is empty and empty_ok. A snooze never moves a reminder
 * earlier; nothing may follow the time. */
static int snooze_time(struct wt_ctx *ctx, const char *p, int empty_ok, time_t from,
		       time_t *due)
{
	p = args_skip_blank(p);
	if (!*p && empty_ok) {
		*due = from + 3600;
		return WT_OK;
	}
	char *tz = reader_tz(ctx, ctx->sender);
	struct when_in in = { ctx->now, tz, ctx->lang, 9, WHEN_DURATION, ctx_day_end(ctx) };
	struct when_out o;
	int w = when_read(p, &in, &o);
	if (w == WHEN_OK && o.secs > 0) {
		*due = from + o.secs;
	} else {
		in.flags = 0;
		w = when_read(p, &in, &o);
		*due = o.at;
	}
	int rc = WT_OK;
	if (w != WHEN_OK) {
		rc = error_text(ctx, when_error_text(ctx->lang, w, *p ? 0 : WHEN_DURATION));
	} else if (*due < from) {
		struct strbuf at = STRBUF_INIT;
		when_format(&at, from, tz, ctx->lang);
		rc = reply_error(ctx, WT_EUSAGE, M_REMIND_E_SNOOZE_EARLIER, at.buf);
		sb_release(&at);
	} else {
		rc = reply_if_extra(ctx, p + o.used);
	}
	free(tz);
	return rc;
}

/* Move reminder r to due and say so. */
static int snooze_to(struct wt_ctx *ctx, const struct wt_reminder *r, time_t due)
{
	if (reminders_set_due(ctx->db, r->id, due) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	char *tz = reader_tz(ctx, ctx->sender);
	struct strbuf when = STRBUF_INIT;
	when_format_long(&when, due, ctx->now, tz, ctx->lang);
	reply_msgf(ctx, M_REMIND_SNOOZED, r->short_id, when.buf);
	sb_release(&when);
	free(tz);
	return WT_OK;
}

/* Snooze: a duration ("1u", "30m") or a new time ("morgen 9:00"); a
 * reminder that already went out may be snoozed too. */
static int remind_snooze(struct wt_ctx *ctx, const char *p)
{
	struct wt_reminder r;
	int rc = own_reminder(ctx, &p, &r, 1);
	if (rc != WT_OK)
		return rc;
	time_t due = 0;
	rc = snooze_time(ctx, p, 0, snooze_from(ctx, &r, 0), &due);
	if (rc == WT_OK)
		rc = snooze_to(ctx, &r, due);
	reminder_free(&r);
	return rc;
}

/* The sender's pending reminders, in their zone. */
static int remind_list(struct wt_ctx *ctx, const char *args)
{
	struct wt_reminder *v;
	struct wt_page pg;
	long long total = 0;
	int rc = page_only(ctx, args, &pg, M_SYN_REMINDERS);
	if (rc != WT_OK)
		return rc;
	int n = reminders_list_mine_page(ctx->db, ctx->net->name, ctx->sender,
					 pg.limit, pg.offset, &v, &total);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if ((rc = page_check(ctx, &pg, total)) != WT_OK) {
		reminders_list_free(v, (size_t)n);
		return rc;
	}
	if (n == 0) {
		reply_msgf(ctx, M_REMINDERS_NONE);
		return WT_OK;
	}
	char *tz = reader_tz(ctx, ctx->sender);
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_REMINDERS_HEADER, tz);
	sb_add(&sb, "\n\n");
	for (int i = 0; i < n; i++) {
		struct strbuf when = STRBUF_INIT, text = STRBUF_INIT;
		when_format(&when, v[i].due_at, tz, ctx->lang);
		sb_add_md(&text, v[i].text && *v[i].text ? v[i].text : T(ctx, M_REMIND_ABOUT_MESSAGE));
		if (v[i].rrule) {
			struct strbuf how = STRBUF_INIT;
			recur_describe(&how, v[i].rrule, ctx->lang);
			sb_addm(&text, ctx, M_REMINDERS_RECUR, how.buf);
			sb_release(&how);
		}
		if (!v[i].to_user) {
			sb_add(&text, T(ctx, M_REMIND_FOR_ROOM));
		} else if (strcmp(v[i].to_user, ctx->sender) != 0) {
			struct strbuf who = STRBUF_INIT;
			sb_add_person(&who, ctx, v[i].to_user);
			sb_addm(&text, ctx, M_REMIND_FOR_USER, who.buf);
			sb_release(&who);
		}
		sb_addm(&sb, ctx, M_REMINDERS_LINE, v[i].short_id, when.buf, text.buf);
		sb_addc(&sb, '\n');
		sb_release(&when);
		sb_release(&text);
	}
	page_footer(&sb, ctx, &pg, n, total, "herinneringen", "reminders");
	sb_addc(&sb, '\n');
	sb_add(&sb, T(ctx, M_REMINDERS_FOOTER));
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	reminders_list_free(v, (size_t)n);
	free(tz);
	return WT_OK;
}

/* !herinner mij <wanneer> <tekst> */
static int remind_me(struct wt_ctx *ctx, const char *args)
{
	return remind_set(ctx, args, ctx->sender);
}

/* !herinner kamer <wanneer> <tekst> (the row needs the secretary) */
static int remind_room(struct wt_ctx *ctx, const char *args)
{
	return remind_set(ctx, args, NULL);
}

/* The parts of !herinner; !herinneringen has the last three as well. */
const struct wt_command remind_subs[] = {
	{ { "mij", "me" }, "ik myself", ROLE_MEMBER, M_REMIND_SYN_ME, M_NONE, remind_me, 0, NULL },
	{ { "kamer", "room" }, "hier here", ROLE_SECRETARY, M_REMIND_SYN_ROOM, M_NONE, remind_room,
	  0, NULL },
	{ { "annuleer", "cancel" }, "verwijder delete", ROLE_MEMBER, M_REMIND_SYN_CANCEL,
	  M_REMIND_HELP_CHANGE, remind_cancel, 0, NULL },
	{ { "uitstellen", "snooze" }, "later postpone", ROLE_MEMBER, M_REMIND_SYN_SNOOZE,
	  M_REMIND_HELP_CHANGE, remind_snooze, 0, NULL },
	{ { "lijst", "list" }, NULL, ROLE_MEMBER, M_REMIND_SYN_LIST, M_NONE, remind_list, 0, NULL },
	WT_SUBS_END,
};

const struct wt_command reminders_subs[] = {
	{ { "annuleer", "cancel" }, "verwijder delete", ROLE_MEMBER, M_REMINDERS_SYN_CANCEL,
	  M_REMIND_HELP_CHANGE, remind_cancel, 0, NULL },
	{ { "uitstellen", "snooze" }, "later postpone", ROLE_MEMBER, M_REMINDERS_SYN_SNOOZE,
	  M_REMIND_HELP_CHANGE, remind_snooze, 0, NULL },
	{ { "lijst", "list" }, NULL, ROLE_MEMBER, M_REMINDERS_SYN_LIST, M_NONE, remind_list, 0,
	  NULL },
	WT_SUBS_END,
};

/* 1 when the first word of args names nobody but is close to the name of
 * a part of ctx->cmd (`annuleren` for `annuleer`): that part was meant. */
static int misspelt_part(struct wt_ctx *ctx, const char *args, struct strbuf *word)
{
	args_word(args, word);
	if (!word->len || word->buf[0] == '@')
		return 0;
	size_t limit = word->len <= 4 ? 1 : 2;
	int near = 0;
	for (const struct wt_command *s = ctx->cmd->subs; s && s->name[0] && !near; s++)
		near = text_distance(word->buf, s->name[ctx->lang]) <= limit;
	if (!near)
		return 0;
	struct strbuf user = STRBUF_INIT, err = STRBUF_INIT;
	const char *after;
	int pr = person_read(ctx, args, &user, &after, &err);
	sb_release(&user);
	sb_release(&err);
	return pr == PERSON_BAD;
}

/* !herinner <persoon> <wanneer> <tekst>: for someone else only the chair
 * (and up); naming yourself is the same as `mij`. */
int cmd_remind(struct wt_ctx *ctx, const char *args)
{
	if (!*args)
		return reply_usage(ctx, M_REMIND_E_WHO, M_SYN_REMIND);
	struct strbuf w = STRBUF_INIT;
	if (misspelt_part(ctx, args, &w)) {
		int rc = reply_unknown_sub(ctx, w.buf);
		sb_release(&w);
		return rc;
	}
	/* A person: by id, pill, @name or display name. */
	const char *after;
	int rc = person_arg(ctx, args, &w, &after, M_SYN_REMIND);
	if (rc == WT_OK)
		rc = reply_require_role_unless(ctx, ROLE_CHAIR, strcmp(w.buf, ctx->sender) == 0,
					       M_NONE);
	if (rc == WT_OK)
		rc = remind_set(ctx, args_skip_blank(after), w.buf);
	else if (rc == PERSON_NONE)
		rc = reply_usage(ctx, M_REMIND_E_WHO, M_SYN_REMIND);
	sb_release(&w);
	return rc;
}

/* !herinneringen [pagina N]: the sender's list. */
int cmd_reminders(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	args_word(args, &w);
	int rc = !w.len || args_is(w.buf, "pagina", "page") ? remind_list(ctx, args)
		 : reply_unknown_sub(ctx, w.buf);
	sb_release(&w);
	return rc;
}

/* !tijdzone standaard: back to the network's zone. */
static int tz_default(struct wt_ctx *ctx, const char *args)
{
	(void)args;
	if (user_tz_set(ctx->db, ctx->sender, NULL) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	reply_msgf(ctx, M_TZ_CLEARED, ctx->net->tz);
	return WT_OK;
}

const struct wt_command timezone_subs[] = {
	{ { "standaard", "default" }, "netwerk network", ROLE_MEMBER, M_TZ_SYN_DEFAULT, M_NONE,
	  tz_default, 0, NULL },
	WT_SUBS_END,
};

/* !tijdzone [zone]: show or set the sender's zone. */
int cmd_timezone(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT, now = STRBUF_INIT;
	args_word(args, &w);
	int rc = WT_OK;
	if (!w.len) {
		char *tz = user_tz_dup(ctx->db, ctx->sender);
		if (tz) {
			when_format_long(&now, ctx->now, ctx->now, tz, ctx->lang);
			reply_msgf(ctx, M_TZ_SHOW, tz, now.buf);
		} else {
			reply_msgf(ctx, M_TZ_SHOW_DEFAULT, ctx->net->tz);
		}
		free(tz);
	} else if (!tz_valid(w.buf) || strlen(w.buf) > 64) {
		rc = reply_error(ctx, WT_EUSAGE, M_TZ_E_UNKNOWN, ctx_md(ctx, w.buf));
	} else if (user_tz_set(ctx->db, ctx->sender, w.buf) < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else {
		when_format_long(&now, ctx->now, ctx->now, w.buf, ctx->lang);
		reply_msgf(ctx, M_TZ_SET, w.buf, now.buf);
	}
	sb_release(&w);
	sb_release(&now);
	return rc;
}

/* 1 when word asks for a snooze. */
static int is_snooze_word(const char *w)
{
	return args_is(w, "uitstellen", "snooze") || args_is(w, "later", "postpone")
	       || args_is(w, "sluimer", "remind");
}

int remind_on_reply(struct wt_ctx *ctx, const char *replied_event_id, const char *body)
{
	if (!replied_event_id || !body || !ctx->net)
		return WT_NOT_COMMAND;
	/* Skip a quoted fallback of the original ("> ..." lines). */
	const char *p = body;
	while (*p == '>' || *p == '\n' || *p == ' ') {
		const char *nl = *p == '>' ? strchr(p, '\n') : p;
		if (!nl)
			return WT_NOT_COMMAND;
		p = nl + 1;
	}
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(p, &w);
	int snooze = w.len && is_snooze_word(w.buf);
	sb_release(&w);
	if (!snooze)
		return WT_NOT_COMMAND;
	struct wt_reminder r;
	int found = reminders_by_event(ctx->db, replied_event_id, &r);
	if (found <= 0)
		return found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_NOT_COMMAND;
	ctx->role = wt_role_of(ctx->db, ctx->net, ctx->admins, ctx->sender);
	int rc = r.state == REMINDER_CANCELLED || r.short_id <= 0
		? reply_error(ctx, WT_ENOTFOUND, M_REMIND_E_NOT_FOUND, r.short_id)
		: may_change(ctx, &r);
	time_t due = 0;
	if (rc == WT_OK)
		rc = snooze_time(ctx, rest ? rest : "", 1, snooze_from(ctx, &r, r.rrule != NULL),
				 &due);
	if (rc == WT_OK && r.rrule) {
		/* The series keeps its times; this occurrence comes again once. */
		struct wt_reminder copy = {
			.network = r.network, .kind = r.kind, .owner = (char *)ctx->sender,
			.to_user = r.to_user, .room_id = r.room_id, .text = r.text,
			.due_at = due, .created_at = ctx->now,
		};
		rc = reminders_add(ctx->db, &copy) < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
							: snooze_to(ctx, &copy, due);
	} else if (rc == WT_OK) {
		rc = snooze_to(ctx, &r, due);
	}
	reminder_free(&r);
	return rc;
}

int remind_on_reaction(struct wt_ctx *ctx, const char *target_event_id, const char *key)
{
	if (!target_event_id || !key || strncmp(key, "\xF0\x9F\x91\x8D", 4) != 0 || !ctx->net)
		return WT_NOT_COMMAND;
	struct wt_reminder r;
	int found = reminders_by_event(ctx->db, target_event_id, &r);
	if (found <= 0)
		return found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_NOT_COMMAND;
	int rc = WT_NOT_COMMAND;
	if (strcmp(r.kind, "room") == 0 && r.rrule && r.state == REMINDER_PENDING) {
		/* Subscribed already: a second 👍 changes nothing. */
		struct wt_reminder *v;
		int n = reminders_list_mine(ctx->db, ctx->net->name, ctx->sender, &v);
		int have = 0;
		for (int i = 0; i < n; i++)
			have |= v[i].to_user && strcmp(v[i].kind, "personal") == 0 && v[i].rrule
				&& strcmp(v[i].rrule, r.rrule) == 0 && v[i].text && r.text
				&& strcmp(v[i].text, r.text) == 0;
		if (n > 0)
			reminders_list_free(v, (size_t)n);
		int owned = reminders_count_owned(ctx->db, ctx->net->name, ctx->sender);
		struct wt_reminder copy = {
			.network = r.network, .kind = "personal", .owner = (char *)ctx->sender,
			.to_user = (char *)ctx->sender, .text = r.text, .rrule = r.rrule,
			.tz = r.tz, .dtstart = r.dtstart, .due_at = r.due_at,
			.created_at = ctx->now,
		};
		if (n < 0 || owned < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		} else if (have) {
			rc = WT_OK;
		} else if (owned >= max_reminders(ctx)) {
			rc = reply_error(ctx, WT_EUSAGE, msg_count(M_REMIND_E_TOO_MANY_ONE, owned),
					 owned, max_reminders(ctx));
		} else if (reminders_add(ctx->db, &copy) < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		} else {
			struct strbuf sb = STRBUF_INIT, how = STRBUF_INIT, text = STRBUF_INIT;
			recur_describe(&how, r.rrule, ctx->lang);
			sb_add_md(&text, r.text ? r.text : "");
			sb_addm(&sb, ctx, M_REMIND_SUBSCRIBED, how.buf, copy.short_id, text.buf,
				copy.short_id);
			struct wt_reply *rep = reply_add(ctx, sb.buf);
			free(rep->in_reply_to);
			rep->in_reply_to = NULL;
			rep->to_user = xstrdup(ctx->sender);
			sb_release(&sb);
			sb_release(&how);
			sb_release(&text);
			rc = WT_OK;
		}
	}
	reminder_free(&r);
	return rc;
}
