/* minutes_approve: minutes are a draft until a later meeting approves
 * them; then they are read-only.
 *
 *   !notulen vaststellen <id>        approve meeting id's minutes
 *   <a line per correction>          (optional, on the lines after it)
 *
 * Secretary or chair (the row says so). The corrections are kept with the
 * minutes and listed in them; the meeting open in the room, if any, is
 * the one that approved them. Once approved, `!ongedaan` and edits of the
 * messages their items came from are refused (mm_refuse_if_approved), so
 * the register and the exports show the approved version. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/meeting_mode.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/meetings.h"
#include "storage/minutes.h"
#include "storage/minutes_approval.h"

/* Longest correction, in characters, and most corrections at once. */
#define MIN_MAX_CORRECTION 500
#define MIN_MAX_CORRECTIONS 20

/* "In this meeting the minutes of meeting 1 and 2 were approved.", when
 * it approved any (a paragraph of its own). */
static void add_approved_here(struct strbuf *sb, struct wt_ctx *ctx, long long meeting_id)
{
	long long *ids = NULL;
	int n = minutes_approved_in(ctx->db, meeting_id, &ids);
	if (n > 0) {
		struct strbuf list = STRBUF_INIT;
		for (int i = 0; i < n; i++) {
			if (i)
				sb_add(&list, i == n - 1 ? T(ctx, M_MIN_AND) : ", ");
			sb_addf(&list, "%lld", ids[i]);
		}
		sb_addm(sb, ctx, msg_count(M_MIN_APPROVED_HERE_ONE, n), list.buf);
		sb_release(&list);
	}
	free(ids);
}

/* Approved on, by, in which meeting, and the corrections made then. */
static void add_approved(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
			 const struct wt_approval *a)
{
	struct strbuf date = STRBUF_INIT, who = STRBUF_INIT;
	struct wt_meeting in = { 0 };
	when_format_long(&date, a->at, 0, ctx->net->tz, ctx->lang);
	sb_add_person(&who, ctx, a->by ? a->by : "");
	if (a->in_meeting && meeting_by_id(ctx->db, a->in_meeting, &in) == 1)
		sb_addm(sb, ctx, M_MIN_APPROVED_IN, date.buf, who.buf, in.short_id);
	else
		sb_addm(sb, ctx, M_MIN_APPROVED, date.buf, who.buf);
	char **corr = NULL;
	int n = minutes_corrections(ctx->db, m->id, &corr);
	if (n > 0) {
		sb_add(sb, "\n\n");
		sb_add(sb, T(ctx, M_MIN_CORRECTIONS_HEAD));
		for (int i = 0; i < n; i++) {
			sb_add(sb, "\n- ");
			sb_add_md(sb, corr[i]);
		}
	}
	minutes_corrections_free(corr);
	meeting_free(&in);
	sb_release(&date);
	sb_release(&who);
}

/* Start a new paragraph in sb unless it is empty. */
static void para(struct strbuf *sb)
{
	if (sb->len)
		sb_add(sb, "\n\n");
}

void minutes_status(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
		    const struct wt_run *run)
{
	struct strbuf st = STRBUF_INIT;
	struct wt_approval a;
	int found = run->closed_at ? minutes_approval_of(ctx->db, m->id, &a) : 0;
	if (found == 1 && a.afterwards)
		sb_add(&st, T(ctx, M_MIN_AFTERWARDS));
	if (found == 1 && !a.at) {
		para(&st);
		sb_addm(&st, ctx, M_MIN_DRAFT, m->short_id);
	} else if (found == 1) {
		para(&st);
		add_approved(&st, ctx, m, &a);
	}
	size_t before = st.len;
	para(&st);
	add_approved_here(&st, ctx, m->id);
	if (st.len == before + 2)
		sb_setlen(&st, before);
	sb_add(sb, st.buf);
	if (found == 1)
		approval_free(&a);
	sb_release(&st);
}

int mm_refuse_if_approved(struct wt_ctx *ctx, long long meeting_id, enum msg_id why)
{
	struct wt_approval a;
	int found = meeting_id ? minutes_approval_of(ctx->db, meeting_id, &a) : 0;
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return WT_OK;
	int rc = WT_OK;
	if (a.at) {
		struct wt_meeting m = { 0 };
		struct strbuf date = STRBUF_INIT;
		when_format_long_day(&date, a.at, 0, ctx->net->tz, ctx->lang);
		long long sid = meeting_by_id(ctx->db, meeting_id, &m) == 1 ? m.short_id : 0;
		rc = reply_error(ctx, WT_EUSAGE, why, sid, date.buf);
		meeting_free(&m);
		sb_release(&date);
	}
	approval_free(&a);
	return rc;
}

/* A correction line without a leading "correctie:", "correction:" or
 * list dash, trimmed. */
static const char *correction_text(const char *line)
{
	static const char *const prefixes[] = { "correctie:", "correction:", "- ", "* " };
	const char *p = args_skip_blank(line);
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncasecmp(p, prefixes[i], n) == 0)
			return args_skip_blank(p + n);
	}
	return p;
}

/* The corrections on the lines after the first: stored for meeting (row
 * id), or the refusal when one is too long or there are too many. Their
 * count in *n. */
static int store_corrections(struct wt_ctx *ctx, const char *lines, long long meeting_id,
			     int *n)
{
	struct strbuf line = STRBUF_INIT;
	int rc = WT_OK;
	*n = 0;
	for (const char *p = lines; rc == WT_OK && p && *p;) {
		p = args_line(p, &line);
		const char *text = correction_text(line.buf);
		if (!*text)
			continue;
		size_t chars = utf8_chars(text);
		if (chars > MIN_MAX_CORRECTION)
			rc = reply_usagef(ctx, WT_EUSAGE, M_MIN_SYN_APPROVE, M_MIN_ERR_CORR_LONG,
					  (long long)*n + 1, (long long)chars, (long long)MIN_MAX_CORRECTION);
		else if (++*n > MIN_MAX_CORRECTIONS)
			rc = reply_usagef(ctx, WT_EUSAGE, M_MIN_SYN_APPROVE, M_MIN_ERR_CORR_LIMIT,
					  (long long)MIN_MAX_CORRECTIONS);
		else if (minutes_correction_add(ctx->db, meeting_id, text, ctx->sender, ctx->now) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	sb_release(&line);
	return rc;
}

/* The meeting named on the first line, whose minutes may be approved:
 * closed, not yet approved. */
static int approvable(struct wt_ctx *ctx, const char *first, struct wt_meeting *m)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(first, &w);
	long long id = after ? args_id(w.buf) : 0;
	int rc = WT_OK;
	if (!after)
		rc = reply_usage(ctx, M_MIN_ERR_WHICH, M_MIN_SYN_APPROVE);
	else if (id <= 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, M_MIN_SYN_APPROVE, M_MM_ERR_BAD_ID, w.buf);
	else if (*args_skip_blank(after))
		rc = reply_usage(ctx, M_MIN_ERR_LINES, M_MIN_SYN_APPROVE);
	sb_release(&w);
	if (rc != WT_OK)
		return rc;
	int found = meeting_by_short_id(ctx->db, ctx->net->name, id, m);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_usagef(ctx, WT_ENOTFOUND, M_MIN_SYN_APPROVE,
				    M_MM_ERR_MEETING_NOT_FOUND, id);
	struct wt_run run = { 0 };
	found = run_of_meeting(ctx->db, m->id, &run);
	time_t closed = run.closed_at;
	run_free(&run);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_error(ctx, WT_ENOTFOUND, M_MM_ERR_NO_MINUTES, id, id);
	if (!closed)
		return reply_error(ctx, WT_EUSAGE, M_MIN_ERR_STILL_OPEN, id);
	return mm_refuse_if_approved(ctx, m->id, M_MIN_ERR_ALREADY);
}

/* !notulen vaststellen <id> (+ correction lines) */
static int minutes_approve_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf first = STRBUF_INIT;
	const char *rest = args_line(args, &first);
	struct wt_meeting m = { 0 };
	struct wt_run now = { 0 };
	int ncorr = 0;
	int rc = approvable(ctx, first.buf, &m);
	int open = rc == WT_OK ? run_open_in_room(ctx->db, ctx->room, &now) : 0;
	if (open < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		rc = store_corrections(ctx, rest, m.id, &ncorr);
	if (rc == WT_OK && minutes_approve(ctx->db, m.id, ctx->now, ctx->sender,
					   open ? now.meeting_id : 0) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf sb = STRBUF_INIT, c = STRBUF_INIT;
		if (ncorr) {
			sb_addcount(&c, ctx, M_N_CORRECTION_ONE, ncorr);
			sb_addm(&sb, ctx, M_MIN_APPROVED_REPLY, m.short_id, ctx_md(ctx, m.title), c.buf);
		} else {
			sb_addm(&sb, ctx, M_MIN_APPROVED_CLEAN, m.short_id, ctx_md(ctx, m.title));
		}
		reply_add(ctx, sb.buf);
		sb_release(&sb);
		sb_release(&c);
	}
	run_free(&now);
	meeting_free(&m);
	sb_release(&first);
	return rc;
}

const struct wt_command minutes_subs[] = {
	{ { "vaststellen", "approve" }, "goedkeuren", ROLE_SECRETARY, M_MIN_SYN_APPROVE,
	  M_MIN_HELP_APPROVE, minutes_approve_cmd, 0, NULL },
	WT_SUBS_END,
};
