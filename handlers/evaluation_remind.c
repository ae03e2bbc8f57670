/* evaluation_remind: the "evaluation." reminder family. Each member asked
 * in an open round gets one direct message EVAL_REMIND_DAYS before its
 * deadline ("evaluation.remind", about the evaluation_members row, source
 * key "eval:<round>:<member row>"), dropped when it fires for a member
 * who answered everything or a round already closed; at the deadline the
 * round closes itself and its report goes to its room ("evaluation.due", about the round,
 * "eval:<round>:due"). A round's reminders are set when it starts; the
 * render decides, so an answer or a close needs no regeneration. */
#include <stdlib.h>
#include <string.h>

#include "handlers/evaluation.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/reminders.h"

#define EVAL_KIND_REMIND "evaluation.remind"
#define EVAL_KIND_DUE "evaluation.due"

/* Want the reminders of round e, adding their keys to wanted (may be
 * NULL). 0 or negative. */
static int sync_round(struct wt_ctx *ctx, const struct wt_eval *e, struct reminder_keys *wanted)
{
	struct strbuf key = STRBUF_INIT;
	int rc = 0;
	time_t at = e->deadline - EVAL_REMIND_DAYS * 86400;
	long long *ids = NULL;
	int n = at > e->created_at ? evals_member_ids(ctx->db, e->id, &ids) : 0;
	if (n < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < n; i++) {
		long long eid;
		char *user;
		if (evals_member_by_id(ctx->db, ids[i], &eid, &user) <= 0) {
			rc = -1;
			break;
		}
		sb_reset(&key);
		sb_addf(&key, "eval:%lld:%lld", e->id, ids[i]);
		rc = reminder_want(ctx, e->network, key.buf, EVAL_KIND_REMIND, ids[i], user, NULL,
				   at) < 0 ? -1 : 0;
		if (wanted)
			reminder_keys_add(wanted, key.buf);
		free(user);
	}
	free(ids);
	sb_reset(&key);
	sb_addf(&key, "eval:%lld:due", e->id);
	if (rc == 0)
		rc = reminder_want(ctx, e->network, key.buf, EVAL_KIND_DUE, e->id, NULL, e->room_id,
				   e->deadline) < 0 ? -1 : 0;
	if (wanted)
		reminder_keys_add(wanted, key.buf);
	sb_release(&key);
	return rc;
}

int eval_reminder_generate_ref(struct wt_ctx *ctx, long long eval_id)
{
	struct wt_eval e;
	int found = evals_get_by_id(ctx->db, eval_id, &e);
	if (found < 0)
		return -1;
	int rc = 0;
	if (found && !e.closed_at && ctx->net && strcmp(e.network, ctx->net->name) == 0) {
		rc = sync_round(ctx, &e, NULL);
	} else {
		struct strbuf key = STRBUF_INIT;
		sb_addf(&key, "eval:%lld:", eval_id);
		rc = reminders_cancel_generated(ctx->db, key.buf) < 0 ? -1 : 0;
		sb_release(&key);
	}
	if (found)
		eval_free(&e);
	return rc;
}

int eval_reminder_generate(struct wt_ctx *ctx)
{
	if (!ctx->net || !ctx->net->name)
		return 0;
	long long *ids;
	int n = evals_open_ids(ctx->db, ctx->net->name, &ids), rc = n < 0 ? -1 : 0;
	struct reminder_keys wanted = { 0 };
	for (int i = 0; rc == 0 && i < n; i++) {
		struct wt_eval e;
		int found = evals_get_by_id(ctx->db, ids[i], &e);
		if (found < 0)
			rc = -1;
		if (found > 0) {
			rc = sync_round(ctx, &e, &wanted);
			eval_free(&e);
		}
	}
	if (n >= 0)
		free(ids);
	reminder_keys_sort(&wanted);
	struct wt_reminder *p = NULL;
	int np = rc == 0 ? reminders_pending_generated(ctx->db, ctx->net->name, "eval:", &p) : 0;
	if (np < 0)
		rc = -1;
	for (int i = 0; i < np && rc == 0; i++)
		if (p[i].source_key && !reminder_keys_has(&wanted, p[i].source_key))
			rc = reminders_cancel(ctx->db, p[i].id) < 0 ? -1 : 0;
	if (np > 0)
		reminders_list_free(p, (size_t)np);
	reminder_keys_free(&wanted);
	return rc;
}

/* The member's reminder: 1 (drop) when they are done or the round closed. */
static int render_member(struct wt_ctx *ctx, long long member_id, struct strbuf *out)
{
	long long eval_id = 0;
	char *user;
	int found = evals_member_by_id(ctx->db, member_id, &eval_id, &user);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	struct wt_eval e;
	int rc = evals_get_by_id(ctx->db, eval_id, &e);
	if (rc > 0) {
		int done = e.closed_at ? 1 : evals_member_done(ctx->db, e.id, user);
		rc = done < 0 ? -1 : 1;
		if (done == 0) {
			struct strbuf day = STRBUF_INIT;
			when_format_long(&day, e.deadline, ctx->now, ctx->net->tz, ctx->lang);
			sb_addm(out, ctx, M_EVAL_REMIND, e.short_id, ctx_md(ctx, e.network), day.buf,
				e.short_id);
			sb_release(&day);
			rc = 0;
		}
		eval_free(&e);
	} else {
		rc = rc < 0 ? -1 : 1;
	}
	free(user);
	return rc;
}

int eval_reminder_render(struct wt_ctx *ctx, const char *kind, long long ref_id,
			 struct strbuf *out)
{
	if (strcmp(kind, EVAL_KIND_REMIND) == 0)
		return render_member(ctx, ref_id, out);
	if (strcmp(kind, EVAL_KIND_DUE) != 0)
		return 1;
	struct wt_eval e;
	int found = evals_get_by_id(ctx->db, ref_id, &e);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	int rc = 1;
	if (!e.closed_at) {
		/* The deadline closes the round: its polls end, and the summary
		 * and the report go to its room in the reminder's place. */
		const char *room = ctx->room;
		ctx->room = e.room_id;
		rc = eval_close(ctx, &e) == WT_OK ? 1 : -1;
		ctx->room = room;
	}
	eval_free(&e);
	return rc;
}
