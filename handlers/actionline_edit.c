/* !al status / update / fase / resultaat / uitgave: what the team keeps up
 * to date on one action line.
 *
 *   status <code> <status> [reden]         project lead, sponsor or chair
 *   update <code> <tekst>                  the line's team or the chair
 *   fase <code> nieuw <start> <eind> <naam>
 *   fase <code> <nr> start|klaar [datum]
 *   fase <code> <nr> verzet <start> <eind>
 *   resultaat <code> toevoegen <datum> [fase <nr>] <tekst>
 *   resultaat <code> klaar <nr> [datum]
 *   resultaat <code> verzet <nr> <datum>
 *   uitgave <code> <bedrag> [datum] <omschrijving>
 *
 * Phases, deliverables and spending are kept by the project lead or
 * sponsor, the secretary or the chair. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/money.h"
#include "handlers/reply.h"

/* 1 when the sender leads or sponsors l. */
static int leads(const struct wt_ctx *ctx, const struct actionline *l)
{
	return al_has_person(l, AL_LEAD, ctx->sender) || al_has_person(l, AL_SPONSOR, ctx->sender);
}

/* WT_OK when the sender has role min or is allowed as one of l's people;
 * else the per-line refusal m naming the code. */
static int require_line_role(struct wt_ctx *ctx, const struct actionline *l, enum wt_role min,
			     int allowed, enum msg_id m)
{
	struct strbuf code = STRBUF_INIT;
	al_add_code(&code, l);
	int rc = reply_require_role_unless(ctx, min, allowed, m, code.buf);
	sb_release(&code);
	return rc;
}

/* Read the line named first at *p and check that the sender may keep it
 * (its lead or sponsor, or role min; else the refusal m naming the line).
 * WT_OK with *l loaded and *p after the code; else the reply is added. */
static int load_managed(struct wt_ctx *ctx, const char **p, enum msg_id syn,
			struct actionline *l, enum wt_role min, enum msg_id m)
{
	int rc = WT_OK;
	const char *q = al_read_line(ctx, *p, syn, l, &rc);
	if (!q)
		return rc;
	if ((rc = require_line_role(ctx, l, min, leads(ctx, l), m)) != WT_OK) {
		al_free(l);
		return rc;
	}
	*p = q;
	return WT_OK;
}

/* Parse an optional day at p (today when the line is empty there); on
 * error adds the reply and returns negative. */
static int optional_day(struct wt_ctx *ctx, const char *p, enum msg_id syn, long *day,
			size_t *used)
{
	p = args_skip_blank(p);
	*used = 0;
	if (!*p || *p == '\n') {
		*day = al_today(ctx);
		return WT_OK;
	}
	int err = al_read_day(ctx, p, day, used);
	if (err == WHEN_OK)
		return WT_OK;
	struct strbuf line = STRBUF_INIT;
	args_line(p, &line);
	int rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AL_DAY_BAD, ctx_md(ctx, line.buf),
			      when_error_text(ctx->lang, err, AL_DAY_FLAGS));
	sb_release(&line);
	return rc;
}

int al_cmd_status(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	const char *p = args;
	int rc = load_managed(ctx, &p, M_AL_SYN_STATUS, &l, ROLE_CHAIR, M_AL_DENIED_STATUS);
	if (rc != WT_OK)
		return rc;
	struct strbuf w = STRBUF_INIT, w2 = STRBUF_INIT, reason = STRBUF_INIT, a = STRBUF_INIT;
	const char *q = args_word(p, &w);
	const char *q2 = q ? args_word(q, &w2) : NULL;
	/* "vertraagd: reden" */
	if (w.len > 1 && w.buf[w.len - 1] == ':')
		sb_setlen(&w, w.len - 1);
	if (w2.len > 1 && w2.buf[w2.len - 1] == ':')
		sb_setlen(&w2, w2.len - 1);
	int used = 1;
	int s = q ? al_status_word(w.buf, q2 ? w2.buf : NULL, &used) : -1;
	if (s < 0) {
		sb_add_md(&a, w.buf);
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_STATUS, M_AL_UNKNOWN_STATUS, a.buf,
			      T(ctx, M_AL_STATUS_LIST));
	} else {
		args_line(used == 2 ? q2 : q, &reason);
		while (reason.len && (reason.buf[0] == ':' || reason.buf[0] == '-' || reason.buf[0] == ' '))
			memmove(reason.buf, reason.buf + 1, reason.len--);
		rc = reply_if_too_long(ctx, M_AL_F_REASON, reason.buf, WT_MAX_FIELD);
	}
	if (rc == WT_OK && al_set_status(ctx->db, l.id, (enum al_status)s,
					 reason.len ? reason.buf : NULL, ctx->sender, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf code = STRBUF_INIT;
		al_add_code(&code, &l);
		sb_reset(&a);
		if (reason.len) {
			sb_add(&a, " — ");
			sb_add_md(&a, reason.buf);
		}
		reply_msgf(ctx, M_AL_STATUS_SET, code.buf, al_status_now(ctx, (enum al_status)s),
			   a.buf);
		sb_release(&code);
	}
	sb_release(&w);
	sb_release(&w2);
	sb_release(&reason);
	sb_release(&a);
	al_free(&l);
	return rc;
}

int al_cmd_update(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	int rc = WT_OK;
	const char *p = al_read_line(ctx, args, M_AL_SYN_UPDATE, &l, &rc);
	if (!p)
		return rc;
	if ((rc = require_line_role(ctx, &l, ROLE_CHAIR, al_has_person(&l, -1, ctx->sender),
				    M_AL_DENIED_UPDATE)) != WT_OK) {
		al_free(&l);
		return rc;
	}
	/* The text may span lines; keep it as written, trimmed. */
	struct strbuf text = STRBUF_INIT;
	sb_add(&text, args_skip_blank(p));
	sb_rtrim(&text);
	const char *t = text.buf;
	while (*t == '\n' || *t == ' ' || *t == '\r')
		t++;
	if (!*t)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_UPDATE, M_AL_NEED_TEXT);
	else
		rc = reply_if_too_long(ctx, M_AL_F_UPDATE, t, WT_MAX_MESSAGE);
	if (rc == WT_OK && al_update_add(ctx->db, l.id, ctx->sender, t, ctx->now, ctx->event_id) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf code = STRBUF_INIT;
		al_add_code(&code, &l);
		reply_msgf(ctx, M_AL_UPDATE_ADDED, code.buf);
		sb_release(&code);
	}
	sb_release(&text);
	al_free(&l);
	return rc;
}

/* The list "1. name, 2. name" of l's phases (escaped). */
static void phase_list(struct strbuf *sb, const struct actionline *l)
{
	for (size_t i = 0; i < l->nphases; i++) {
		if (i)
			sb_add(sb, ", ");
		sb_addf(sb, "%d. ", l->phases[i].position);
		sb_add_md(sb, l->phases[i].name);
	}
}

const struct al_phase *al_find_phase(struct wt_ctx *ctx, const struct actionline *l,
				     const char *word, enum msg_id syn, int *rc)
{
	long long n = args_id(word);
	for (size_t i = 0; n > 0 && i < l->nphases; i++)
		if (l->phases[i].position == n)
			return &l->phases[i];
	/* Or the first word(s) of its name, when only one phase has them. */
	const struct al_phase *byname = NULL;
	int matches = 0;
	for (size_t i = 0; n <= 0 && *word && i < l->nphases; i++)
		if (strncasecmp(l->phases[i].name, word, strlen(word)) == 0) {
			byname = &l->phases[i];
			matches++;
		}
	if (matches == 1)
		return byname;
	struct strbuf code = STRBUF_INIT, list = STRBUF_INIT;
	al_add_code(&code, l);
	phase_list(&list, l);
	if (!l->nphases)
		*rc = reply_usagef(ctx, WT_ENOTFOUND, syn, M_AL_NO_PHASES, code.buf, code.buf);
	else
		*rc = reply_usagef(ctx, WT_ENOTFOUND, syn, M_AL_UNKNOWN_PHASE, code.buf,
				   ctx_md(ctx, word), list.buf);
	sb_release(&code);
	sb_release(&list);
	return NULL;
}

/* "<start> <eind>" at *p, both required and the end not before the
 * start; moves *p past them. WT_OK, or the refusal added. */
static int read_span(struct wt_ctx *ctx, const char **p, long *start, long *end)
{
	size_t used;
	int rc = optional_day(ctx, *p, M_AL_SYN_PHASE, start, &used);
	if (rc == WT_OK && !used)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_DAY_EMPTY);
	if (rc != WT_OK)
		return rc;
	*p = args_skip_blank(*p) + used;
	rc = optional_day(ctx, *p, M_AL_SYN_PHASE, end, &used);
	if (rc == WT_OK && !used)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_DAY_EMPTY);
	if (rc != WT_OK)
		return rc;
	*p = args_skip_blank(*p) + used;
	if (*end < *start) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		al_format_day(&a, ctx, *end);
		al_format_day(&b, ctx, *start);
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_PHASE_END_BEFORE, a.buf, b.buf);
		sb_release(&a);
		sb_release(&b);
	}
	return rc;
}

/* fase <code> nieuw <start> <eind> <naam> */
static int phase_add(struct wt_ctx *ctx, struct actionline *l, const char *p)
{
	long start, end;
	int rc = read_span(ctx, &p, &start, &end);
	if (rc != WT_OK)
		return rc;
	struct strbuf name = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, code = STRBUF_INIT;
	args_line(p, &name);
	al_format_day(&a, ctx, end);
	al_format_day(&b, ctx, start);
	if (!name.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_NEED_NAME);
	else
		rc = reply_if_too_long(ctx, M_AL_F_PHASE, name.buf, WT_MAX_FIELD);
	struct al_phase ph = { .name = name.buf, .start_day = start, .end_day = end };
	if (rc == WT_OK && al_phase_add(ctx->db, l->id, &ph) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		al_add_code(&code, l);
		struct strbuf n = STRBUF_INIT;
		sb_add_md(&n, name.buf);
		reply_msgf(ctx, M_AL_PHASE_ADDED, code.buf, ph.position, n.buf, b.buf, a.buf);
		sb_release(&n);
	}
	sb_release(&name);
	sb_release(&a);
	sb_release(&b);
	sb_release(&code);
	return rc;
}

/* fase <code> <nr> verzet <start> <eind>: the planned dates move. */
static int phase_move(struct wt_ctx *ctx, const struct actionline *l,
		      const struct al_phase *ph, const char *p)
{
	long start, end;
	int rc = read_span(ctx, &p, &start, &end);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, p);
	if (rc == WT_OK && al_phase_plan(ctx->db, ph->id, start, end) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf code = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
		al_add_code(&code, l);
		al_format_day(&a, ctx, start);
		al_format_day(&b, ctx, end);
		reply_msgf(ctx, M_AL_PHASE_MOVED, code.buf, ph->position, a.buf, b.buf);
		sb_release(&code);
		sb_release(&a);
		sb_release(&b);
	}
	return rc;
}

/* fase <code> nieuw ...: the row `nieuw` of !al fase. */
static int phase_add_cmd(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	const char *p = args;
	int rc = load_managed(ctx, &p, M_AL_SYN_PHASE, &l, ROLE_SECRETARY, M_AL_DENIED_MANAGE);
	if (rc != WT_OK)
		return rc;
	rc = phase_add(ctx, &l, p);
	al_free(&l);
	return rc;
}

/* fase <code> <nr> start|klaar [datum]: the phase starts or is done. */
static int phase_mark(struct wt_ctx *ctx, const struct actionline *l,
		      const struct al_phase *ph, const char *p, int done)
{
	long day;
	size_t used;
	int rc = optional_day(ctx, p, M_AL_SYN_PHASE, &day, &used);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, args_skip_blank(p) + used);
	if (rc != WT_OK)
		return rc;
	long started = !done ? day : (ph->started_on ? ph->started_on : day);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, code = STRBUF_INIT;
	al_format_day(&a, ctx, day);
	al_format_day(&b, ctx, started);
	al_add_code(&code, l);
	if (done && day < started)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_DONE_BEFORE_START, a.buf, b.buf);
	else if (al_phase_set(ctx->db, ph->id, started, done ? day : 0) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else
		reply_msgf(ctx, done ? M_AL_PHASE_FINISHED : M_AL_PHASE_STARTED, code.buf,
			   ph->position, a.buf);
	sb_release(&a);
	sb_release(&b);
	sb_release(&code);
	return rc;
}

enum phase_step { PHASE_START, PHASE_DONE, PHASE_MOVE };

/* fase <code> <nr> <step> ...: load the line and the phase, then the step. */
static int phase_step_cmd(struct wt_ctx *ctx, const char *args, enum phase_step step)
{
	struct actionline l;
	const char *p = args;
	int rc = load_managed(ctx, &p, M_AL_SYN_PHASE, &l, ROLE_SECRETARY, M_AL_DENIED_MANAGE);
	if (rc != WT_OK)
		return rc;
	struct strbuf w = STRBUF_INIT;
	const struct al_phase *ph = NULL;
	if (!(p = args_word(p, &w)))
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_PHASE_ACTION);
	else
		ph = al_find_phase(ctx, &l, w.buf, M_AL_SYN_PHASE, &rc);
	if (ph && step == PHASE_MOVE)
		rc = phase_move(ctx, &l, ph, p);
	else if (ph)
		rc = phase_mark(ctx, &l, ph, p, step == PHASE_DONE);
	sb_release(&w);
	al_free(&l);
	return rc;
}

static int phase_start_cmd(struct wt_ctx *ctx, const char *args)
{
	return phase_step_cmd(ctx, args, PHASE_START);
}

static int phase_done_cmd(struct wt_ctx *ctx, const char *args)
{
	return phase_step_cmd(ctx, args, PHASE_DONE);
}

static int phase_move_cmd(struct wt_ctx *ctx, const char *args)
{
	return phase_step_cmd(ctx, args, PHASE_MOVE);
}

/* The parts of !al fase: `nieuw` right after the code, the others after
 * the phase (al_part_after finds them there). */
const struct wt_command al_phase_subs[] = {
	{ { "nieuw", "add" }, "toevoegen new", ROLE_MEMBER, M_AL_SYN_PHASE_ADD, M_AL_HELP_MANAGE,
	  phase_add_cmd, 0, NULL },
	{ { "start", "start" }, "begin", ROLE_MEMBER, M_AL_SYN_PHASE_START, M_AL_HELP_MANAGE,
	  phase_start_cmd, 0, NULL },
	{ { "klaar", "done" }, "afgerond finish", ROLE_MEMBER, M_AL_SYN_PHASE_DONE,
	  M_AL_HELP_MANAGE, phase_done_cmd, 0, NULL },
	{ { "verzet", "move" }, NULL, ROLE_MEMBER, M_AL_SYN_PHASE_MOVE, M_AL_HELP_MANAGE,
	  phase_move_cmd, 0, NULL },
	{ { "budget", "budget" }, NULL, ROLE_MEMBER, M_AL_SYN_PHASE_BUDGET, M_AL_HELP_MANAGE,
	  al_cmd_phase_budget, 0, NULL },
	{ { "go", "go" }, NULL, ROLE_MEMBER, M_AL_SYN_PHASE_GO, M_AL_HELP_GATE, al_cmd_phase_go, 0,
	  NULL },
	{ { "nogo", "nogo" }, "no-go stop", ROLE_MEMBER, M_AL_SYN_PHASE_NOGO, M_AL_HELP_GATE,
	  al_cmd_phase_nogo, 0, NULL },
	WT_SUBS_END,
};

/* !al fase <code> ...: the part after the code (nieuw) or after the phase
 * (start, klaar, verzet); else the line, the sender and the phase are
 * checked before the missing or unknown part is refused. */
int al_cmd_phase(struct wt_ctx *ctx, const char *args)
{
	struct strbuf head = STRBUF_INIT;
	const struct wt_command *row = al_part_after(ctx, args, 1, &head);
	if (!row || row->fn != phase_add_cmd) {
		sb_reset(&head);
		row = al_part_after(ctx, args, 2, &head);
		if (row && row->fn == phase_add_cmd)
			row = NULL;
	}
	int rc;
	if (row) {
		rc = command_run(ctx, row, head.buf);
		sb_release(&head);
		return rc;
	}
	sb_release(&head);
	struct actionline l;
	const char *p = args;
	rc = load_managed(ctx, &p, M_AL_SYN_PHASE, &l, ROLE_SECRETARY, M_AL_DENIED_MANAGE);
	if (rc != WT_OK)
		return rc;
	struct strbuf w = STRBUF_INIT;
	const struct al_phase *ph = NULL;
	if (!(p = args_word(p, &w)))
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_PHASE_ACTION);
	else
		ph = al_find_phase(ctx, &l, w.buf, M_AL_SYN_PHASE, &rc);
	if (ph && !args_word(p, &w))
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_PHASE, M_AL_PHASE_ACTION);
	else if (ph)
		rc = reply_unknown_sub(ctx, w.buf);
	sb_release(&w);
	al_free(&l);
	return rc;
}

/* resultaat <code> toevoegen <datum> [fase <nr>] <tekst> */
static int deliv_add(struct wt_ctx *ctx, struct actionline *l, const char *p)
{
	long due;
	size_t used;
	int rc = optional_day(ctx, p, M_AL_SYN_DELIV, &due, &used);
	if (rc == WT_OK && !used)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_DELIV, M_AL_DAY_EMPTY);
	if (rc != WT_OK)
		return rc;
	p = args_skip_blank(p) + used;
	struct strbuf w = STRBUF_INIT, text = STRBUF_INIT;
	long long phase_id = 0;
	const char *q = args_word(p, &w);
	if (q && args_is(w.buf, "fase", "phase")) {
		const char *r = args_word(q, &w);
		const struct al_phase *ph = r ? al_find_phase(ctx, l, w.buf, M_AL_SYN_DELIV, &rc) : NULL;
		if (!r)
			rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_DELIV, M_AL_NEED_TEXT);
		if (ph) {
			phase_id = ph->id;
			p = r;
		}
	}
	if (rc == WT_OK) {
		args_line(p, &text);
		rc = !text.len ? reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_DELIV, M_AL_NEED_TEXT)
		     : reply_if_too_long(ctx, M_AL_F_DELIV, text.buf, WT_MAX_FIELD);
	}
	struct al_deliverable d = { .text = text.buf, .due_day = due, .phase_id = phase_id };
	if (rc == WT_OK && al_deliv_add(ctx->db, l->id, &d, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf code = STRBUF_INIT, a = STRBUF_INIT;
		al_add_code(&code, l);
		al_format_day(&a, ctx, due);
		reply_msgf(ctx, M_AL_DELIV_ADDED, code.buf, d.number, a.buf);
		sb_release(&code);
		sb_release(&a);
	}
	sb_release(&w);
	sb_release(&text);
	return rc;
}

/* The deliverable numbered by the word at *p (moved past it), or NULL
 * after adding the refusal to *rc. */
static const struct al_deliverable *find_deliv(struct wt_ctx *ctx, const struct actionline *l,
					       const char **p, int *rc)
{
	struct strbuf w = STRBUF_INIT, code = STRBUF_INIT;
	*p = args_word(*p, &w);
	long long n = *p ? args_id(w.buf) : -1;
	const struct al_deliverable *d = NULL;
	for (size_t i = 0; n > 0 && i < l->ndelivs; i++)
		if (l->delivs[i].number == n)
			d = &l->delivs[i];
	if (!d) {
		struct strbuf list = STRBUF_INIT;
		al_add_code(&code, l);
		for (size_t i = 0; i < l->ndelivs; i++)
			sb_addf(&list, "%s%d", i ? ", " : "", l->delivs[i].number);
		*rc = l->ndelivs ? reply_usagef(ctx, WT_ENOTFOUND, M_AL_SYN_DELIV, M_AL_UNKNOWN_DELIV,
						code.buf, ctx_md(ctx, w.buf), list.buf)
				 : reply_usagef(ctx, WT_ENOTFOUND, M_AL_SYN_DELIV, M_AL_NO_DELIVS, code.buf);
		sb_release(&list);
	}
	sb_release(&w);
	sb_release(&code);
	return d;
}

/* resultaat <code> klaar <nr> [datum]; resultaat <code> verzet <nr> <datum>. */
static int deliv_set(struct wt_ctx *ctx, struct actionline *l, const char *p, int move)
{
	int rc = WT_OK;
	const struct al_deliverable *d = find_deliv(ctx, l, &p, &rc);
	if (!d)
		return rc;
	long day;
	size_t used;
	rc = optional_day(ctx, p, M_AL_SYN_DELIV, &day, &used);
	if (rc == WT_OK && move && !used)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_DELIV, M_AL_DAY_EMPTY);
	if (rc == WT_OK)
		rc = reply_if_extra(ctx, args_skip_blank(p) + used);
	if (rc == WT_OK && (move ? al_deliv_set_due(ctx->db, d->id, day)
			    : al_deliv_set_done(ctx->db, d->id, day)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf a = STRBUF_INIT, code = STRBUF_INIT;
		al_add_code(&code, l);
		al_format_day(&a, ctx, day);
		reply_msgf(ctx, move ? M_AL_DELIV_MOVED : M_AL_DELIV_DONE, code.buf, d->number, a.buf);
		sb_release(&a);
		sb_release(&code);
	}
	return rc;
}

/* resultaat <code> <part> ...: load the line, then the part's work. */
static int deliv_cmd(struct wt_ctx *ctx, const char *args,
		     int (*fn)(struct wt_ctx *, struct actionline *, const char *))
{
	struct actionline l;
	const char *p = args;
	int rc = load_managed(ctx, &p, M_AL_SYN_DELIV, &l, ROLE_SECRETARY, M_AL_DENIED_MANAGE);
	if (rc != WT_OK)
		return rc;
	rc = fn(ctx, &l, p);
	al_free(&l);
	return rc;
}

static int deliv_done(struct wt_ctx *ctx, struct actionline *l, const char *p)
{
	return deliv_set(ctx, l, p, 0);
}

static int deliv_move(struct wt_ctx *ctx, struct actionline *l, const char *p)
{
	return deliv_set(ctx, l, p, 1);
}

static int deliv_add_cmd(struct wt_ctx *ctx, const char *args)
{
	return deliv_cmd(ctx, args, deliv_add);
}

static int deliv_done_cmd(struct wt_ctx *ctx, const char *args)
{
	return deliv_cmd(ctx, args, deliv_done);
}

static int deliv_move_cmd(struct wt_ctx *ctx, const char *args)
{
	return deliv_cmd(ctx, args, deliv_move);
}

/* The parts of !al resultaat, named after the code. */
const struct wt_command al_deliv_subs[] = {
	{ { "toevoegen", "add" }, "nieuw new", ROLE_MEMBER, M_AL_SYN_DELIV_ADD, M_AL_HELP_MANAGE,
	  deliv_add_cmd, 0, NULL },
	{ { "klaar", "done" }, "afgerond finish", ROLE_MEMBER, M_AL_SYN_DELIV_DONE,
	  M_AL_HELP_MANAGE, deliv_done_cmd, 0, NULL },
	{ { "verzet", "move" }, NULL, ROLE_MEMBER, M_AL_SYN_DELIV_MOVE, M_AL_HELP_MANAGE,
	  deliv_move_cmd, 0, NULL },
	WT_SUBS_END,
};

/* !al resultaat <code> <part> ...: the part after the code; else the line
 * and the sender are checked before the missing or unknown part is
 * refused. */
int al_cmd_deliv(struct wt_ctx *ctx, const char *args)
{
	struct strbuf head = STRBUF_INIT;
	const struct wt_command *row = al_part_after(ctx, args, 1, &head);
	int rc;
	if (row) {
		rc = command_run(ctx, row, head.buf);
		sb_release(&head);
		return rc;
	}
	sb_release(&head);
	struct actionline l;
	const char *p = args;
	rc = load_managed(ctx, &p, M_AL_SYN_DELIV, &l, ROLE_SECRETARY, M_AL_DENIED_MANAGE);
	if (rc != WT_OK)
		return rc;
	struct strbuf w = STRBUF_INIT;
	if (!args_word(p, &w))
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_DELIV, M_AL_DELIV_ACTION);
	else
		rc = reply_unknown_sub(ctx, w.buf);
	sb_release(&w);
	al_free(&l);
	return rc;
}

int al_cmd_spend(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	const char *p = args;
	int rc = load_managed(ctx, &p, M_AL_SYN_SPEND, &l, ROLE_SECRETARY, M_AL_DENIED_MANAGE);
	if (rc != WT_OK)
		return rc;
	long long cents;
	size_t used;
	struct strbuf w = STRBUF_INIT, note = STRBUF_INIT;
	int m = money_parse(p, &cents, &used);
	if (m == MONEY_EMPTY) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_SPEND, M_AL_MONEY_EMPTY);
	} else if (m != MONEY_OK) {
		/* Show the word that failed: after a lone "€", the next one too. */
		const char *q = args_word(p, &w);
		if (q && (strcmp(w.buf, "€") == 0 || args_is(w.buf, "eur", "-€"))) {
			struct strbuf w2 = STRBUF_INIT;
			if (args_word(q, &w2)) {
				sb_addc(&w, ' ');
				sb_add(&w, w2.buf);
			}
			sb_release(&w2);
		}
		rc = reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_SPEND, m == MONEY_NEGATIVE
				   ? M_AL_MONEY_NEGATIVE : M_AL_MONEY_BAD, w.buf);
	} else if (cents == 0) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_SPEND, M_AL_MONEY_ZERO);
	}
	long day = al_today(ctx);
	if (rc == WT_OK) {
		p += used;
		long d;
		size_t dused;
		/* An optional day right after the amount. */
		if (al_read_day(ctx, p, &d, &dused) == WHEN_OK) {
			day = d;
			p += dused;
		}
		args_line(p, &note);
		rc = !note.len ? reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_SPEND, M_AL_NEED_TEXT)
		     : reply_if_too_long(ctx, M_AL_F_NOTE, note.buf, WT_MAX_FIELD);
	}
	if (rc == WT_OK && al_spend_add(ctx->db, l.id, cents, day, note.buf, ctx->sender, ctx->now) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf code = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT,
			      e = STRBUF_INIT;
		al_add_code(&code, &l);
		money_format(&a, cents, ctx->lang);
		al_format_day(&b, ctx, day);
		money_format(&c, al_spent(&l, 0, 0) + cents, ctx->lang);
		money_format(&e, l.budget_cents, ctx->lang);
		reply_msgf(ctx, M_AL_SPENT, code.buf, a.buf, b.buf, c.buf, e.buf);
		sb_release(&code);
		sb_release(&a);
		sb_release(&b);
		sb_release(&c);
		sb_release(&e);
	}
	sb_release(&w);
	sb_release(&note);
	al_free(&l);
	return rc;
}
