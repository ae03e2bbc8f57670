/* action: action items.
 *
 *   !actie @wie <tekst> [voor <wanneer>]   log one (secretary, chair)
 *   !actie klaar <id>                      mark it done
 *   !actie verzet <id> <wanneer>           a new due date
 *   !acties                                the open ones, yours first
 *
 * Done and move are for the owner, the secretary and the chair
 * (action_subs: anyone's row, the owner rule in read_action). The owner
 * gets a direct message on the due date: the "action." reminder family,
 * one reminder per action (source key "action:<row id>:due"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/names.h"
#include "handlers/page.h"
#include "handlers/reminder_kinds.h"
#include "handlers/commands.h"
#include "handlers/meeting_mode.h"
#include "handlers/reply.h"
#include "handlers/when_ctx.h"
#include "lib/tz.h"
#include "storage/actions.h"
#include "storage/reminder_dirty.h"
#include "storage/reminders.h"

#define ACTION_REMINDER_KIND "action.due"

/* "action:<id>:" — the prefix of the action's reminder keys. */
static void key_prefix(struct strbuf *sb, long long id)
{
	sb_addf(sb, "action:%lld:", id);
}

void action_reminder_cancel(struct wt_ctx *ctx, long long id)
{
	struct strbuf key = STRBUF_INIT;
	key_prefix(&key, id);
	reminders_cancel_generated(ctx->db, key.buf);
	sb_release(&key);
}

int action_reminder_sync(struct wt_ctx *ctx, const struct wt_logged *it)
{
	if (it->kind != LOGGED_ACTION)
		return 0;
	if (!it->due_at || it->done_at || !it->owner) {
		action_reminder_cancel(ctx, it->id);
		return 0;
	}
	/* In the morning of the due date, or at the due time when earlier. */
	time_t at = it->due_at;
	struct tz_local l;
	if (tz_from_utc(ctx->net->tz, it->due_at, &l) == 0) {
		time_t morning;
		l.hour = MM_DUE_HOUR;
		l.min = l.sec = 0;
		if (tz_to_utc(ctx->net->tz, &l, &morning) == 0 && morning < at)
			at = morning;
	}
	struct strbuf key = STRBUF_INIT;
	key_prefix(&key, it->id);
	sb_add(&key, "due");
	int rc = reminder_want(ctx, it->network ? it->network : ctx->net->name, key.buf,
			       ACTION_REMINDER_KIND, it->id, it->owner, NULL, at);
	sb_release(&key);
	return rc < 0 ? -1 : 0;
}

int action_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			   struct strbuf *out)
{
	struct wt_logged it = { 0 };
	int found = logged_by_id(ctx->db, ref_id, &it);
	if (found < 0)
		return -1;
	int rc = 1;
	if (found && it.kind == LOGGED_ACTION && !it.done_at) {
		struct strbuf md = STRBUF_INIT;
		sb_add_md(&md, it.text);
		sb_addm(out, ctx, M_MM_REMIND_ACTION, it.short_id, md.buf, it.short_id, it.short_id);
		sb_release(&md);
		rc = 0;
	}
	logged_free(&it);
	return rc;
}

/* The reminder of action id as the family wants it: the action's own
 * when it is an open action of this network with a due date (1 when one
 * is wanted), else none. */
static int sync_id(struct wt_ctx *ctx, long long id)
{
	struct wt_logged it = { 0 };
	int found = logged_by_id(ctx->db, id, &it);
	if (found < 0)
		return -1;
	int rc = 0;
	if (found && it.kind == LOGGED_ACTION && it.network
	    && strcmp(it.network, ctx->net->name) == 0) {
		rc = action_reminder_sync(ctx, &it);
		if (rc == 0)
			rc = it.due_at && !it.done_at && it.owner;
	} else {
		action_reminder_cancel(ctx, id);
	}
	logged_free(&it);
	return rc;
}

int action_reminder_generate(struct wt_ctx *ctx)
{
	if (!ctx->net || !ctx->net->name)
		return 0;
	/* The open actions with a due date only; a pending reminder of any
	 * other (done, moved away, deleted) is cancelled. */
	long long *ids;
	int n = reminder_open_actions(ctx->db, ctx->net->name, &ids);
	if (n < 0)
		return -1;
	int rc = 0;
	struct reminder_keys wanted = { 0 };
	struct strbuf key = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		int w = sync_id(ctx, ids[i]);
		if (w < 0)
			rc = -1;
		if (w > 0) {
			sb_reset(&key);
			key_prefix(&key, ids[i]);
			sb_add(&key, "due");
			reminder_keys_add(&wanted, key.buf);
		}
	}
	free(ids);
	sb_release(&key);
	return reminder_keys_settle(ctx, "action:", &wanted, rc);
}

int action_reminder_generate_ref(struct wt_ctx *ctx, long long id)
{
	return sync_id(ctx, id) < 0 ? -1 : 0;
}

/* Read an action's short id from *p and load it; besides the secretary
 * and up (the row's rule for anyone) its owner may change it. */
static int read_action(struct wt_ctx *ctx, const char **p, enum msg_id syn,
		       struct wt_logged *it)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(*p, &w);
	long long id = after ? args_id(w.buf) : -1;
	int rc = WT_OK, found = 0;
	if (!after)
		rc = reply_usage_md(ctx, WT_EUSAGE, syn, T(ctx, M_MM_ERR_ACT_NO_ID));
	else if (id <= 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_MM_ERR_BAD_ID, w.buf);
	else if ((found = logged_by_short_id(ctx->db, ctx->net->name, LOGGED_ACTION, id, it)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (!found)
		rc = reply_error(ctx, WT_ENOTFOUND, M_MM_ERR_ACT_NOT_FOUND, id);
	else {
		struct strbuf owner = STRBUF_INIT;
		sb_add_person(&owner, ctx, it->owner ? it->owner : "");
		rc = reply_require_role_unless(ctx, ROLE_SECRETARY,
					       it->owner && strcmp(it->owner, ctx->sender) == 0,
					       M_MM_ERR_ACT_NOT_YOURS, id, owner.buf);
		sb_release(&owner);
	}
	if (rc == WT_OK)
		*p = after;
	sb_release(&w);
	return rc;
}

/* !actie klaar <id> */
static int action_done(struct wt_ctx *ctx, const char *args)
{
	struct wt_logged it = { 0 };
	const char *p = args;
	int rc = read_action(ctx, &p, M_MM_SYN_ACT_DONE, &it);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && it.done_at)
		rc = reply_error(ctx, WT_EUSAGE, M_MM_ERR_ACT_ALREADY_DONE, it.short_id);
	if (rc == WT_OK && actions_set_done(ctx->db, it.id, ctx->sender, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		action_reminder_cancel(ctx, it.id);
		reply_msgf(ctx, M_MM_ACT_DONE, it.short_id, ctx_md(ctx, it.text));
	}
	logged_free(&it);
	return rc;
}

/* !actie verzet <id> <when> */
static int action_move(struct wt_ctx *ctx, const char *args)
{
	struct wt_logged it = { 0 };
	const char *p = args;
	int rc = read_action(ctx, &p, M_MM_SYN_ACT_MOVE, &it);
	if (rc == WT_OK && it.done_at)
		rc = reply_error(ctx, WT_EUSAGE, M_MM_ERR_ACT_ALREADY_DONE, it.short_id);
	struct strbuf line = STRBUF_INIT;
	time_t t = 0;
	if (rc == WT_OK) {
		args_line(p, &line);
		if (!line.len)
			rc = reply_usage_md(ctx, WT_EUSAGE, M_MM_SYN_ACT_MOVE, T(ctx, M_MM_ERR_NO_WHEN));
	}
	if (rc == WT_OK) {
		struct when_out w;
		int e = ctx_when(ctx, line.buf, MM_DUE_HOUR, 0, &w);
		t = w.at;
		if (e != WHEN_OK)
			rc = reply_usage_md(ctx, WT_EUSAGE, M_MM_SYN_ACT_MOVE, ctx_when_error(ctx, e, 0));
		else
			rc = reply_if_extra(ctx, line.buf + w.used);
	}
	if (rc == WT_OK && actions_set_due(ctx->db, it.id, t) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		it.due_at = t;
		if (action_reminder_sync(ctx, &it) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK) {
		struct strbuf when = STRBUF_INIT;
		when_format_day_long(&when, t, ctx->net->tz, ctx->lang, MM_DUE_HOUR);
		reply_msgf(ctx, M_MM_ACT_MOVED, it.short_id, when.buf);
		sb_release(&when);
	}
	sb_release(&line);
	logged_free(&it);
	return rc;
}

const struct wt_command action_subs[] = {
	{ { "klaar", "done" }, "gedaan close", ROLE_MEMBER, M_MM_SYN_ACT_DONE, M_MM_HELP_ACT_DONE,
	  action_done, 0, NULL },
	{ { "verzet", "move" }, NULL, ROLE_MEMBER, M_MM_SYN_ACT_MOVE, M_MM_HELP_ACT_MOVE,
	  action_move, 0, NULL },
	WT_SUBS_END,
};

/* !actie @wie <tekst> [voor <wanneer>]: log one action item (the logging
 * rule of mm_may_log, as for #actie lines). */
int cmd_action(struct wt_ctx *ctx, const char *args)
{
	return mm_log_command(ctx, TAG_ACTION, args);
}

/* !acties / !actions: the open ones, the sender's first, overdue marked. */
int cmd_actions(struct wt_ctx *ctx, const char *args)
{
	struct wt_page pg;
	int rc = page_only(ctx, args, &pg, M_SYN_ACTIONS);
	if (rc != WT_OK)
		return rc;
	struct wt_logged *v = NULL;
	long long total = 0;
	int n = actions_open_page(ctx->db, ctx->net->name, ctx->sender, pg.limit,
				  pg.offset, page_count_limit(&pg), &v, &total);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if ((rc = page_check(ctx, &pg, total)) != WT_OK)
		return rc;
	if (n == 0) {
		reply_add(ctx, T(ctx, M_MM_ACT_NONE));
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT, text = STRBUF_INIT, date = STRBUF_INIT;
	struct strbuf all = STRBUF_INIT;
	page_total(&all, ctx, &pg, total);
	sb_addm(&sb, ctx, M_MM_ACT_HEAD, all.buf);
	sb_release(&all);
	sb_addc(&sb, '\n');
	for (int i = 0; i < n; i++) {
		sb_reset(&who);
		sb_reset(&text);
		sb_add_person(&who, ctx, v[i].owner);
		sb_add_md(&text, v[i].text);
		sb_addc(&sb, '\n');
		sb_addm(&sb, ctx, M_MM_ACT_LINE, v[i].short_id, who.buf, text.buf);
		if (v[i].due_at) {
			sb_reset(&date);
			when_format_day_long(&date, v[i].due_at, ctx->net->tz, ctx->lang,
					     MM_DUE_HOUR);
			sb_addm(&sb, ctx, M_MM_DUE, date.buf);
			if (v[i].due_at < ctx->now)
				sb_add(&sb, T(ctx, M_MM_OVERDUE));
		}
	}
	page_footer(&sb, ctx, &pg, n, total, "acties", "actions");
	reply_add(ctx, sb.buf);
	logged_list_free(v, (size_t)n);
	sb_release(&sb);
	sb_release(&who);
	sb_release(&text);
	sb_release(&date);
	return WT_OK;
}
