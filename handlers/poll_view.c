/* poll_view: a poll's results, its closing, `!peilingen`, the responses
 * that reach the bot and the MSC3381 event contents (see poll.h). */
#include "handlers/poll.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/commands.h"
#include "handlers/event.h"
#include "handlers/reply.h"
#include "storage/goals.h"
#include "handlers/when.h"
#include "storage/room_members.h"

/* The people who chose answer a, by display name where known, into sb. */
static int add_voters(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_poll *p,
		      const struct wt_poll_answer *a)
{
	char **who;
	int n = polls_voters(ctx->db, p->id, a->key, &who);
	if (n < 0)
		return -1;
	const char **names = calloc((size_t)n + 1, sizeof *names);
	char **owned = calloc((size_t)n + 1, sizeof *owned);
	for (int i = 0; names && owned && i < n; i++) {
		char *name = NULL;
		room_members_name_dup(ctx->db, p->network, p->room_id, who[i], &name, NULL);
		owned[i] = name;
		names[i] = ctx_md(ctx, name ? name : who[i]);
	}
	if (names && owned)
		sb_addlist(sb, ctx, names, (size_t)n);
	for (int i = 0; owned && i < n; i++)
		free(owned[i]);
	free(owned);
	free(names);
	poll_voters_free(who, (size_t)n);
	return 0;
}

/* The average of a scale poll's votes, formatted for ctx's language; 0
 * when nobody answered. */
static int scale_average(const struct wt_poll_answer *a, int n, double *avg)
{
	double sum = 0;
	long long votes = 0;
	for (int i = 0; i < n; i++) {
		sum += atof(a[i].text) * (double)a[i].votes;
		votes += a[i].votes;
	}
	if (!votes)
		return 0;
	*avg = sum / (double)votes;
	return 1;
}

static void add_average(struct strbuf *sb, struct wt_ctx *ctx, double avg)
{
	char num[32];
	snprintf(num, sizeof num, "%.1f", avg);
	if (ctx->lang == LANG_NL)
		for (char *c = num; *c; c++)
			if (*c == '.')
				*c = ',';
	sb_add(sb, "\n");
	sb_addm(sb, ctx, M_POLL_AVERAGE, num);
}

/* Its state: open, open until, closed on. */
static void add_state(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_poll *p)
{
	struct strbuf when = STRBUF_INIT;
	const char *tz = ctx->net && ctx->net->tz ? ctx->net->tz : "UTC";
	if (p->ended_at || p->ends_at)
		when_format_long(&when, p->ended_at ? p->ended_at : p->ends_at, ctx->now, tz,
				 ctx->lang);
	sb_addm(sb, ctx, p->ended_at ? M_POLL_STATE_ENDED
			 : p->ends_at ? M_POLL_STATE_UNTIL : M_POLL_STATE_OPEN, when.buf);
	sb_release(&when);
}

int poll_render_results(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_poll *p)
{
	struct wt_poll_answer *a;
	int n = polls_answers(ctx->db, p->id, &a);
	long long people = n < 0 ? -1 : polls_voter_count(ctx->db, p->id);
	if (n < 0 || people < 0) {
		poll_answers_free(a, n < 0 ? 0 : (size_t)n);
		return -1;
	}
	sb_addm(sb, ctx, M_POLL_RESULT_HEAD, p->short_id, ctx_md(ctx, p->question));
	sb_add(sb, " ");
	add_state(sb, ctx, p);
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct strbuf votes = STRBUF_INIT, who = STRBUF_INIT;
		sb_addcount(&votes, ctx, M_N_VOTE_ONE, a[i].votes);
		sb_add(sb, "\n");
		if (!p->anonymous && a[i].votes > 0 && (rc = add_voters(&who, ctx, p, &a[i])) == 0)
			sb_addm(sb, ctx, M_POLL_ANSWER_WHO, ctx_md(ctx, a[i].text), votes.buf, who.buf);
		else
			sb_addm(sb, ctx, M_POLL_ANSWER_LINE, ctx_md(ctx, a[i].text), votes.buf);
		sb_release(&votes);
		sb_release(&who);
	}
	double avg;
	if (p->scale && scale_average(a, n, &avg))
		add_average(sb, ctx, avg);
	sb_add(sb, "\n\n");
	if (people)
		sb_addcount(sb, ctx, M_N_RESPONDENT_ONE, people);
	else
		sb_addm(sb, ctx, M_POLL_NOBODY);
	if (p->anonymous) {
		sb_add(sb, " ");
		sb_addm(sb, ctx, M_POLL_ANON_NOTE);
	}
	poll_answers_free(a, (size_t)n);
	return rc;
}

/* A scale poll tied to a goal (`!peiling doel <nr> schaal ...`): its final
 * average becomes a measurement of the goal, its source the poll. */
static int poll_record_goal(struct wt_ctx *ctx, const struct wt_poll *p, double avg)
{
	if (!p->goal_id)
		return 0;
	char source[64];
	snprintf(source, sizeof source, "%s %lld", T(ctx, M_POLL_SOURCE), p->short_id);
	return goal_measurement_add(ctx->db, p->goal_id, avg, ctx->now, source);
}

/* A scale poll's final average to its goal, when it has one and votes. */
static int hand_to_goal(struct wt_ctx *ctx, const struct wt_poll *p)
{
	if (!p->scale || !p->goal_id)
		return 0;
	struct wt_poll_answer *a;
	int n = polls_answers(ctx->db, p->id, &a);
	if (n < 0)
		return -1;
	double avg;
	int rc = scale_average(a, n, &avg) ? poll_record_goal(ctx, p, avg) : 0;
	poll_answers_free(a, (size_t)n);
	return rc;
}

int poll_close(struct wt_ctx *ctx, const struct wt_poll *p)
{
	struct wt_poll closed = *p;
	closed.ended_at = ctx->now;
	if (polls_end(ctx->db, p->id, ctx->now) < 0 || hand_to_goal(ctx, p) < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_POLL_END_HEAD);
	sb_add(&sb, "\n\n");
	if (poll_render_results(&sb, ctx, &closed) < 0) {
		sb_release(&sb);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	struct wt_reply *r = reply_add(ctx, sb.buf);
	free(r->in_reply_to);
	free(r->thread_root);
	r->in_reply_to = r->thread_root = NULL;
	r->room = xstrdup(p->room_id);
	/* Sent before its start event went out (or in the console): the
	 * results as an ordinary message. */
	if (p->event_id) {
		r->kind = REPLY_EVENT;
		r->event_type = xstrdup(POLL_END_TYPE);
		r->content = poll_end_content_dup(p, sb.buf);
		if (!r->content)
			r->kind = REPLY_NOTICE;
	}
	sb_release(&sb);
	return WT_OK;
}

/* !peilingen: the latest polls. */
int cmd_polls(struct wt_ctx *ctx, const char *args)
{
	int rc = reply_if_extra(ctx, args);
	if (rc != WT_OK)
		return rc;
	struct wt_poll *v;
	int n = polls_list(ctx->db, ctx->net->name, 20, &v);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (n == 0) {
		reply_msgf(ctx, M_POLLS_NONE);
		return WT_OK;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addm(&sb, ctx, M_POLLS_HEAD);
	for (int i = 0; i < n && rc == WT_OK; i++) {
		long long people = polls_voter_count(ctx->db, v[i].id);
		struct strbuf count = STRBUF_INIT;
		sb_addcount(&count, ctx, M_N_ANSWERED_ONE, people < 0 ? 0 : people);
		sb_add(&sb, "\n");
		sb_addm(&sb, ctx, M_POLLS_LINE, v[i].short_id, ctx_md(ctx, v[i].question),
			T(ctx, v[i].ended_at ? M_POLLS_ENDED : M_POLLS_OPEN), count.buf);
		sb_release(&count);
		if (people < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc == WT_OK)
		reply_add(ctx, sb.buf);
	sb_release(&sb);
	polls_list_free(v, (size_t)n);
	return rc;
}

/* The chosen answers that are p's, each once, at most max_selections. */
static size_t valid_answers(const struct wt_poll_answer *a, int na, const struct wt_poll *p,
			    const char *const *in, size_t n, const char **out)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < (size_t)p->max_selections; i++) {
		int ok = 0, dup = 0;
		for (int j = 0; j < na; j++)
			ok |= strcmp(a[j].key, in[i]) == 0;
		for (size_t j = 0; j < k; j++)
			dup |= strcmp(out[j], in[i]) == 0;
		if (ok && !dup)
			out[k++] = in[i];
	}
	return k;
}

int poll_on_response(struct wt_ctx *ctx, const char *target, const char *const *answers,
		     size_t n, long long ts_ms)
{
	if (!ctx->net || !target || !ctx->room)
		return WT_NOT_COMMAND;
	struct wt_poll p;
	int found = polls_by_event(ctx->db, ctx->room, target, &p);
	if (found <= 0)
		return found < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_NOT_COMMAND;
	long long at = ts_ms > 0 ? ts_ms / 1000 : (long long)ctx->now;
	int rc = WT_NOT_COMMAND;
	struct wt_poll_answer *a = NULL;
	int na = 0;
	/* Open, the network's, and from someone in its room. */
	if (!p.ended_at && !(p.ends_at && at > (long long)p.ends_at)
	    && strcmp(p.network, ctx->net->name) == 0
	    && room_members_outside(ctx->db, p.room_id, ctx->sender) != 1)
		na = polls_answers(ctx->db, p.id, &a);
	const char *keep[WT_POLL_SELECT_MAX];
	size_t k = na > 0 ? valid_answers(a, na, &p, answers, n, keep) : 0;
	if (na < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (k > 0 && polls_vote(ctx->db, p.id, ctx->sender, keep, k,
				     ts_ms > 0 ? ts_ms : at * 1000, ctx->event_id) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (k > 0)
		rc = WT_OK;
	poll_answers_free(a, na > 0 ? (size_t)na : 0);
	poll_free(&p);
	return rc;
}

/* ---- MSC3381 contents ---------------------------------------------------- */

/* text as an MSC1767 text block, both the unstable string and the
 * stable array form. */
static void set_text(json_t *obj, const char *text)
{
	json_object_set_new(obj, "org.matrix.msc1767.text", json_string(text));
}

char *poll_start_content_dup(const struct wt_poll *p, const char *const *answers,
			     size_t n, const char *fallback)
{
	json_t *q = json_object(), *list = json_array(), *poll = json_object();
	json_t *c = json_object();
	set_text(q, p->question);
	json_object_set_new(q, "body", json_string(p->question));
	json_object_set_new(q, "msgtype", json_string("m.text"));
	for (size_t i = 0; i < n; i++) {
		char key[24];
		snprintf(key, sizeof key, "a%zu", i + 1);
		json_t *ans = json_object();
		json_object_set_new(ans, "id", json_string(key));
		set_text(ans, answers[i]);
		json_array_append_new(list, ans);
	}
	json_object_set_new(poll, "question", q);
	json_object_set_new(poll, "kind", json_string(p->anonymous
		? "org.matrix.msc3381.poll.undisclosed" : "org.matrix.msc3381.poll.disclosed"));
	json_object_set_new(poll, "max_selections", json_integer(p->max_selections));
	json_object_set_new(poll, "answers", list);
	json_object_set_new(c, POLL_START_TYPE, poll);
	set_text(c, fallback);
	char *out = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return out;
}

char *poll_end_content_dup(const struct wt_poll *p, const char *results)
{
	json_t *c = json_pack("{s:{s:s,s:s},s:{},s:[{s:s}]}",
			      "m.relates_to", "rel_type", "m.reference", "event_id", p->event_id,
			      POLL_END_TYPE, "m.text", "body", results);
	if (!c)
		return NULL;
	set_text(c, results);
	char *out = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return out;
}
