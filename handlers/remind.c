/* remind: !herinner / !remind (set, cancel, snooze), !herinneringen /
 * !reminders (list) and !tijdzone / !timezone. Reminders set by people are
 * stored with their due time; bot/scheduler.c sends them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/recur.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "lib/tz.h"
#include "storage/reminders.h"

long wt_max_reminders_per_person = WT_MAX_REMINDERS_DEFAULT;

/* Longest reminder text, in characters. */
#define MAX_TEXT 1000

/* Add an error reply with a ready text (date and recurrence errors). */
static int error_text(struct wt_ctx *ctx, const char *text)
{
	struct wt_reply *r = reply_add(ctx, text);
	r->is_error = 1;
	return WT_EUSAGE;
}

/* Seconds, which the date phrases do not have: "5s", "30 sec",
 * "10 seconden", "20 seconds", after "over"/"in" when need_prefix. Returns
 * the number of seconds (> 0) and sets *used, or returns 0. */
static long parse_seconds(const char *p, int need_prefix, size_t *used)
{
	const char *s = args_skip_blank(p);
	if (need_prefix) {
		if (strncasecmp(s, "over ", 5) == 0)
			s += 5;
		else if (strncasecmp(s, "in ", 3) == 0)
			s += 3;
		else
			return 0;
		s = args_skip_blank(s);
	}
	char *end;
	if (*s < '0' || *s > '9')
		return 0;
	long n = strtol(s, &end, 10);
	s = args_skip_blank(end);
	static const char *const units[] = { "seconden", "seconde", "seconds", "second",
					     "sec", "s", NULL };
	for (int i = 0; units[i]; i++) {
		size_t len = strlen(units[i]);
		if (strncasecmp(s, units[i], len) == 0
		    && (s[len] == '\0' || s[len] == ' ' || s[len] == '\t' || s[len] == '\n')) {
			if (n <= 0 || n > 86400)
				return 0;
			*used = (size_t)(s + len - p);
			return n;
		}
	}
	return 0;
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
static int remind_set(struct wt_ctx *ctx, const char *args, const char *to_user)
{
	char *tz = reader_tz(ctx, ctx->sender);
	struct recur rec = { 0 };
	size_t used = 0;
	time_t due = 0, dtstart = 0;
	long secs = parse_seconds(args, 1, &used);
	int rc = secs > 0 ? RECUR_NONE : recur_parse(args, &rec, &used);
	if (secs > 0) {
		due = ctx->now + secs;
	} else if (rc == RECUR_OK) {
		rc = recur_first(&rec, tz, ctx->now, 9, &dtstart, &due);
		if (rc != RECUR_OK) {
			recur_free(&rec);
			free(tz);
			return error_text(ctx, recur_error_text(ctx->lang, rc));
		}
	} else if (rc == RECUR_BAD) {
		free(tz);
		return error_text(ctx, recur_error_text(ctx->lang, rc));
	} else {
		rc = when_parse(args, ctx->now, tz, ctx->lang, 9, &due, &used);
		if (rc != WHEN_OK) {
			free(tz);
			return error_text(ctx, when_error_text(ctx->lang, rc));
		}
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
	if (!text.len) {
		result = reply_usage(ctx, M_REMIND_E_NO_TEXT, M_SYN_REMIND);
	} else if (utf8_chars(text.buf) > MAX_TEXT) {
		result = reply_error(ctx, WT_EUSAGE, M_REMIND_E_TEXT_LONG,
				     utf8_chars(text.buf), MAX_TEXT);
	} else if (have < 0) {
		result = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else if (have >= wt_max_reminders_per_person) {
		result = reply_error(ctx, WT_EUSAGE, M_REMIND_E_TOO_MANY, have,
				     wt_max_reminders_per_person);
	}
	if (result != WT_OK)
		goto out;
	struct wt_reminder r = {
		.network = ctx->net->name, .kind = to_user ? "personal" : "room",
		.owner = (char *)ctx->sender, .to_user = (char *)to_user,
		.room_id = to_user ? NULL : (char *)ctx->room, .text = text.buf,
		.rrule = rc == RECUR_OK && rec.rrule ? rec.rrule : NULL,
		.tz = tz, .due_at = due, .dtstart = dtstart, .created_at = ctx->now,
	};
	if (reminders_add(ctx->db, &r) < 0) {
		result = reply_error(ctx, WT_EDB, M_DB_ERROR);
		goto out;
	}
	struct strbuf msg = STRBUF_INIT, when = STRBUF_INIT, md = STRBUF_INIT;
	when_format(&when, due, tz, ctx->lang);
	sb_add_md(&md, text.buf);
	if (r.rrule) {
		struct strbuf how = STRBUF_INIT;
		recur_describe(&how, r.rrule, ctx->lang);
		sb_addm(&msg, ctx, M_REMIND_SET_RECUR, r.short_id, how.buf, when.buf, md.buf);
		sb_release(&how);
	} else {
		sb_addm(&msg, ctx, M_REMIND_SET, r.short_id, when.buf, md.buf);
	}
	if (!to_user) {
		sb_add(&msg, T(ctx, M_REMIND_FOR_ROOM));
	} else if (strcmp(to_user, ctx->sender) != 0) {
		struct strbuf who = STRBUF_INIT;
		sb_add_md(&who, to_user);
		sb_addm(&msg, ctx, M_REMIND_FOR_USER, who.buf);
		sb_release(&who);
	}
	reply_add(ctx, msg.buf);
	sb_release(&msg);
	sb_release(&when);
	sb_release(&md);
out:
	if (rc == RECUR_OK)
		recur_free(&rec);
	sb_release(&text);
	free(tz);
	return result;
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
	int mine = (out->owner && strcmp(out->owner, ctx->sender) == 0)
		|| (out->to_user && strcmp(out->to_user, ctx->sender) == 0);
	if (!mine && ctx->role < ROLE_CHAIR) {
		reminder_free(out);
		return reply_error(ctx, WT_EPERM, M_REMIND_E_NOT_YOURS, id);
	}
	return WT_OK;
}

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

/* Snooze: a duration ("1u", "30m") or a new time ("morgen 9:00"); a
 * reminder that already went out may be snoozed too. */
static int remind_snooze(struct wt_ctx *ctx, const char *p)
{
	struct wt_reminder r;
	int rc = own_reminder(ctx, &p, &r, 1);
	if (rc != WT_OK)
		return rc;
	p = args_skip_blank(p);
	size_t used = 0;
	long secs = parse_seconds(p, 0, &used);
	if (secs <= 0)
		secs = when_parse_duration(p, &used);
	time_t due = 0;
	char *tz = reader_tz(ctx, ctx->sender);
	if (secs > 0) {
		due = ctx->now + secs;
	} else {
		int w = when_parse(p, ctx->now, tz, ctx->lang, 9, &due, &used);
		if (w != WHEN_OK)
			rc = error_text(ctx, *p ? when_error_text(ctx->lang, w)
					: when_duration_error_text(ctx->lang));
	}
	if (rc == WT_OK && reminders_set_due(ctx->db, r.id, due) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf when = STRBUF_INIT;
		when_format(&when, due, tz, ctx->lang);
		reply_msgf(ctx, M_REMIND_SNOOZED, r.short_id, when.buf);
		sb_release(&when);
	}
	free(tz);
	reminder_free(&r);
	return rc;
}

/* The sender's pending reminders, in their zone. */
static int remind_list(struct wt_ctx *ctx)
{
	struct wt_reminder *v;
	int n = reminders_list_mine(ctx->db, ctx->net->name, ctx->sender, &v);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
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
		sb_add_md(&text, v[i].text ? v[i].text : "");
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
			sb_add_md(&who, v[i].to_user);
			sb_addm(&text, ctx, M_REMIND_FOR_USER, who.buf);
			sb_release(&who);
		}
		sb_addm(&sb, ctx, M_REMINDERS_LINE, v[i].short_id, when.buf, text.buf);
		sb_addc(&sb, '\n');
		sb_release(&when);
		sb_release(&text);
	}
	sb_addc(&sb, '\n');
	sb_add(&sb, T(ctx, M_REMINDERS_FOOTER));
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	reminders_list_free(v, (size_t)n);
	free(tz);
	return WT_OK;
}

/* Sub-commands shared by !herinner and !herinneringen; returns 1 when the
 * word was none of them. */
static int remind_sub(struct wt_ctx *ctx, const char *word, const char *rest, int *rc)
{
	if (args_is(word, "annuleer", "cancel") || args_is(word, "verwijder", "delete"))
		*rc = remind_cancel(ctx, rest);
	else if (args_is(word, "uitstellen", "snooze") || args_is(word, "later", "postpone"))
		*rc = remind_snooze(ctx, rest);
	else if (args_is(word, "lijst", "list"))
		*rc = remind_list(ctx);
	else
		return 1;
	return 0;
}

int cmd_remind(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	rest = rest ? args_skip_blank(rest) : "";
	int rc = WT_OK;
	if (!w.len) {
		rc = reply_usage(ctx, M_REMIND_E_WHO, M_SYN_REMIND);
	} else if (remind_sub(ctx, w.buf, rest, &rc) == 0) {
		/* done */
	} else if (args_is(w.buf, "mij", "me") || args_is(w.buf, "ik", "myself")) {
		rc = remind_set(ctx, rest, ctx->sender);
	} else if (args_is(w.buf, "kamer", "room") || args_is(w.buf, "hier", "here")) {
		rc = reply_require_role(ctx, ROLE_SECRETARY);
		if (rc == WT_OK)
			rc = remind_set(ctx, rest, NULL);
	} else if (is_user_id(w.buf)) {
		rc = strcmp(w.buf, ctx->sender) == 0 ? WT_OK : reply_require_role(ctx, ROLE_CHAIR);
		if (rc == WT_OK)
			rc = remind_set(ctx, rest, w.buf);
	} else {
		rc = reply_usage(ctx, M_REMIND_E_WHO, M_SYN_REMIND);
	}
	sb_release(&w);
	return rc;
}

int cmd_reminders(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *rest = args_word(args, &w);
	rest = rest ? args_skip_blank(rest) : "";
	int rc = WT_OK;
	if (!w.len)
		rc = remind_list(ctx);
	else if (remind_sub(ctx, w.buf, rest, &rc) != 0)
		rc = reply_usage(ctx, M_REMIND_E_ID, M_SYN_REMINDERS);
	sb_release(&w);
	return rc;
}

int cmd_timezone(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT, now = STRBUF_INIT;
	args_word(args, &w);
	int rc = WT_OK;
	if (!w.len) {
		char *tz = user_tz_dup(ctx->db, ctx->sender);
		if (tz) {
			when_format(&now, ctx->now, tz, ctx->lang);
			reply_msgf(ctx, M_TZ_SHOW, tz, now.buf);
		} else {
			reply_msgf(ctx, M_TZ_SHOW_DEFAULT, ctx->net->tz);
		}
		free(tz);
	} else if (args_is(w.buf, "standaard", "default") || args_is(w.buf, "netwerk", "network")) {
		if (user_tz_set(ctx->db, ctx->sender, NULL) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else
			reply_msgf(ctx, M_TZ_CLEARED, ctx->net->tz);
	} else if (!tz_valid(w.buf) || strlen(w.buf) > 64) {
		struct strbuf md = STRBUF_INIT;
		sb_add_md(&md, w.buf);
		rc = reply_error(ctx, WT_EUSAGE, M_TZ_E_UNKNOWN, md.buf);
		sb_release(&md);
	} else if (user_tz_set(ctx->db, ctx->sender, w.buf) < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else {
		when_format(&now, ctx->now, w.buf, ctx->lang);
		reply_msgf(ctx, M_TZ_SET, w.buf, now.buf);
	}
	sb_release(&w);
	sb_release(&now);
	return rc;
}
