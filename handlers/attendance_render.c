/* attendance_render: who comes, who sent apologies and who has not
 * answered (the overview), the attendance in the minutes, the absentees
 * and their summary after the meeting (see handlers/invite.h).
 *
 * Everyone the overview and the minutes count is gathered once: the
 * joined members of the network's rooms (the bot left out), everyone who
 * answered or was recorded present, and everyone who spoke while the
 * meeting was open. */
#include "handlers/invite.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/meeting_mode.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/attendance.h"
#include "storage/minutes.h"
#include "storage/roles.h"
#include "storage/room_members.h"

struct person_att {
	char *user;
	int answer;        /* RSVP_* */
	char *reason;      /* borrowed from the rsvp rows */
	int present;       /* PRESENT_* */
	int spoke;
};

struct gathered {
	struct person_att *v;
	size_t n, cap;
	struct wt_rsvp *rsvp;
	int nrsvp;
};

/* The entry of user, made when there is none yet. */
static struct person_att *entry(struct gathered *g, const char *user)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->v[i].user, user) == 0)
			return &g->v[i];
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
	}
	struct person_att *e = &g->v[g->n++];
	memset(e, 0, sizeof *e);
	e->user = xstrdup(user);
	return e;
}

static int by_user(const void *a, const void *b)
{
	return strcmp(((const struct person_att *)a)->user, ((const struct person_att *)b)->user);
}

static void gathered_free(struct gathered *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].user);
	free(g->v);
	if (g->nrsvp > 0)
		attendance_free(g->rsvp, (size_t)g->nrsvp);
	memset(g, 0, sizeof *g);
}

/* Everyone the meeting concerns, sorted by id. 0 or negative. */
static int gather(struct wt_ctx *ctx, const struct wt_meeting *m, struct gathered *g)
{
	memset(g, 0, sizeof *g);
	char **people = NULL, **spoke = NULL;
	int np = invite_members(ctx, m, m->network, &people);
	g->nrsvp = attendance_list(ctx->db, m->id, &g->rsvp);
	int ns = attendees_list(ctx->db, m->id, &spoke);
	int rc = np < 0 || g->nrsvp < 0 || ns < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && i < np; i++)
		entry(g, people[i]);
	for (int i = 0; rc == 0 && i < g->nrsvp; i++) {
		struct person_att *e = entry(g, g->rsvp[i].user_id);
		e->answer = g->rsvp[i].answer;
		e->reason = g->rsvp[i].reason;
		e->present = g->rsvp[i].present;
	}
	for (int i = 0; rc == 0 && i < ns; i++)
		entry(g, spoke[i])->spoke = 1;
	if (g->n)
		qsort(g->v, g->n, sizeof *g->v, by_user);
	attendance_people_free(people);
	attendees_free(spoke);
	return rc;
}

/* Which list a person is in. */
enum att_list { L_COMING, L_APOLOGIES, L_MAYBE, L_NO_ANSWER, L_PRESENT, L_ABSENT };

static int was_there(const struct person_att *e)
{
	return e->spoke || e->present != PRESENT_NO;
}

/* The list of e before the meeting (overview) or after it (minutes). */
static enum att_list list_of(const struct person_att *e, int minutes)
{
	if (minutes)
		return was_there(e) ? L_PRESENT : e->answer == RSVP_NO ? L_APOLOGIES : L_ABSENT;
	if (e->answer == RSVP_YES || was_there(e))
		return L_COMING;
	return e->answer == RSVP_NO ? L_APOLOGIES : e->answer == RSVP_MAYBE ? L_MAYBE
		: L_NO_ANSWER;
}

/* "Label: a, b (reden), c (telefonisch)" as a line; the count shown. */
static int add_list(struct strbuf *sb, struct wt_ctx *ctx, const struct gathered *g,
		    enum att_list which, int minutes, enum msg_id label)
{
	struct strbuf list = STRBUF_INIT, who = STRBUF_INIT;
	int n = 0;
	for (size_t i = 0; i < g->n; i++) {
		const struct person_att *e = &g->v[i];
		if (list_of(e, minutes) != which)
			continue;
		if (n++)
			sb_add(&list, ", ");
		sb_reset(&who);
		sb_add_person(&who, ctx, e->user);
		if (which == L_APOLOGIES && e->reason && *e->reason)
			sb_addm(&list, ctx, M_ATT_WITH_REASON, who.buf, ctx_md(ctx, e->reason));
		else if (minutes && e->present == PRESENT_PHONE)
			sb_addm(&list, ctx, M_ATT_BY_PHONE, who.buf);
		else
			sb_add(&list, who.buf);
	}
	sb_addm(sb, ctx, label, n ? list.buf : T(ctx, M_ATT_NOBODY));
	sb_release(&list);
	sb_release(&who);
	return n;
}

int attendance_overview(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct gathered g;
	if (gather(ctx, m, &g) < 0) {
		gathered_free(&g);
		return -1;
	}
	/* The escaped texts are copied into sb: freed here, since the
	 * scheduler's reminders run no dispatch that would free them. */
	size_t owned = ctx->nowned;
	struct strbuf when = STRBUF_INIT;
	when_format_long(&when, m->starts_at, ctx->now, ctx->net->tz, ctx->lang);
	sb_addm(sb, ctx, M_ATT_HEAD, ctx_md(ctx, m->title), m->short_id, when.buf);
	sb_add(sb, "\n\n- ");
	int coming = add_list(sb, ctx, &g, L_COMING, 0, M_ATT_COMING);
	sb_add(sb, "\n- ");
	add_list(sb, ctx, &g, L_APOLOGIES, 0, M_ATT_APOLOGIES);
	sb_add(sb, "\n- ");
	add_list(sb, ctx, &g, L_MAYBE, 0, M_ATT_MAYBE);
	sb_add(sb, "\n- ");
	add_list(sb, ctx, &g, L_NO_ANSWER, 0, M_ATT_NO_ANSWER);
	if (ctx->net->quorum > 0) {
		sb_add(sb, "\n\n");
		sb_addm(sb, ctx, coming < ctx->net->quorum ? M_ATT_QUORUM_SHORT : M_ATT_QUORUM_OK,
			coming, ctx->net->quorum);
	}
	sb_release(&when);
	gathered_free(&g);
	ctx_release_owned(ctx, owned);
	return 0;
}

/* roles_each callback: the first chair. */
static void chair_cb(void *arg, const char *user, int role)
{
	char **chair = arg;
	if (role == ROLE_CHAIR && !*chair)
		*chair = xstrdup(user);
}

int attendance_possible(struct wt_ctx *ctx, const struct wt_meeting *m, int *possible)
{
	struct gathered g;
	int rc = gather(ctx, m, &g);
	*possible = 0;
	for (size_t i = 0; rc == 0 && i < g.n; i++)
		*possible += list_of(&g.v[i], 0) != L_APOLOGIES;
	gathered_free(&g);
	return rc;
}

char *attendance_chair_dup(struct wt_ctx *ctx, const char *network)
{
	char *chair = NULL;
	roles_each(ctx->db, network, chair_cb, &chair);
	return chair;
}

void attendance_minutes(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
			const struct wt_run *run)
{
	struct gathered g;
	char *chair = attendance_chair_dup(ctx, m->network);
	struct strbuf who = STRBUF_INIT;
	if (chair) {
		sb_add_person(&who, ctx, chair);
		sb_add(sb, "- ");
		sb_addm(sb, ctx, M_ATT_MIN_CHAIR, who.buf);
		sb_addc(sb, '\n');
	}
	if (run->opened_by) {
		sb_reset(&who);
		sb_add_person(&who, ctx, run->opened_by);
		sb_add(sb, "- ");
		sb_addm(sb, ctx, M_ATT_MIN_TAKER, who.buf);
		sb_addc(sb, '\n');
	}
	gather(ctx, m, &g);  /* on an error: the people it found */
	sb_add(sb, "- ");
	add_list(sb, ctx, &g, L_PRESENT, 1, M_ATT_MIN_PRESENT);
	sb_add(sb, "\n- ");
	add_list(sb, ctx, &g, L_APOLOGIES, 1, M_ATT_MIN_APOLOGIES);
	sb_add(sb, "\n- ");
	add_list(sb, ctx, &g, L_ABSENT, 1, M_ATT_MIN_ABSENT);
	gathered_free(&g);
	sb_release(&who);
	free(chair);
}

int attendance_absent(struct wt_ctx *ctx, const struct wt_meeting *m, char ***who)
{
	struct gathered g;
	*who = NULL;
	if (gather(ctx, m, &g) < 0) {
		gathered_free(&g);
		return -1;
	}
	int n = 0;
	*who = xcalloc(g.n + 1, sizeof **who);
	for (size_t i = 0; i < g.n; i++)
		if (!was_there(&g.v[i]))
			(*who)[n++] = xstrdup(g.v[i].user);
	gathered_free(&g);
	return n;
}

void attendance_people_free(char **who)
{
	for (size_t i = 0; who && who[i]; i++)
		free(who[i]);
	free(who);
}

int attendance_after_close(struct wt_ctx *ctx, const struct wt_meeting *m,
			   const struct wt_run *run)
{
	char **who = NULL;
	int n = attendance_absent(ctx, m, &who);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	struct strbuf summary = STRBUF_INIT, sb = STRBUF_INIT;
	if (n > 0)
		minutes_summary(&summary, ctx, m, run);
	for (int i = 0; i < n; i++) {
		sb_reset(&sb);
		sb_addm(&sb, ctx, M_ATT_ABSENT_DM, m->short_id, ctx_md(ctx, m->title), summary.buf,
			m->short_id);
		reply_dm(ctx, who[i], sb.buf);
	}
	sb_release(&summary);
	sb_release(&sb);
	attendance_people_free(who);
	return WT_OK;
}
