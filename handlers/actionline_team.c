/* !al nieuw / team / wijzig: making a line and keeping its people and
 * fields, for the secretary and the chair.
 *
 *   !al nieuw <titel> (+ lines "doel:", "budget:", "penvoerder:",
 *                      "projectleider:", "zorgprofessional:", "team:")
 *   !al team <code> <rol> @iemand ... | !al team <code> weg @iemand ...
 *   !al wijzig <code> titel|doel|budget <waarde>
 *
 * A line has one sponsor: naming a new one replaces the old. */
#include <stdlib.h>
#include <string.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/money.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"

static const enum msg_id part_msgs[AL_NPARTS] = {
	M_AL_PART_SPONSOR, M_AL_PART_LEAD, M_AL_PART_CARE, M_AL_PART_MEMBER, M_AL_PART_GUIDE,
};

/* Read users (@a:b @c:d ...) from text into the line's part; the first bad
 * word refuses. */
static int add_people(struct wt_ctx *ctx, long long id, enum al_part part, const char *text,
		      enum msg_id syn, struct strbuf *names)
{
	struct strbuf w = STRBUF_INIT;
	int n = 0, rc = WT_OK;
	const char *p = text;
	int pr;
	/* Each person by id, pill, @name or display name. */
	while ((pr = person_arg(ctx, p, &w, &p, syn)) != PERSON_NONE) {
		if (pr != WT_OK) {
			rc = pr;
			break;
		}
		if (al_person_add(ctx->db, id, part, w.buf, ctx->now) < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
			break;
		}
		if (n++)
			sb_add(names, ", ");
		sb_add_person(names, ctx, w.buf);
	}
	if (rc == WT_OK && !n)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_AL_NEED_USER);
	sb_release(&w);
	return rc;
}

/* The field lines `!al nieuw` reads, for the empty-value check. */
static const struct args_key new_keys[] = {
	{ "doel", "goal" }, { "budget", "budget" }, { "penvoerder", "sponsor" },
	{ "projectleider", "lead" }, { "projectleiding", "project lead" },
	{ "zorgprofessional", "care" }, { "team", "members" }, { "teamleden", "member" },
	{ "begeleider", "guide" }, { "externe begeleider", "external guide" },
};

/* !al nieuw <titel> with optional field lines. */
int al_cmd_new(struct wt_ctx *ctx, const char *args)
{
	struct strbuf title = STRBUF_INIT, f = STRBUF_INIT, names = STRBUF_INIT;
	const char *rest = args_line(args, &title);
	int rc = WT_OK;
	if (!title.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_NEW, M_AL_NEED_TITLE);
	else
		rc = reply_if_too_long(ctx, M_FIELD_TITLE, title.buf, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = reply_if_empty_field(ctx, rest, new_keys, sizeof new_keys / sizeof new_keys[0],
					  M_AL_SYN_NEW);
	struct actionline l = { 0 };
	l.network = ctx->net->name;
	l.title = title.buf;
	l.created_by = (char *)ctx->sender;
	l.created_at = ctx->now;
	if (rc == WT_OK && args_field(rest, "budget", "budget", &f) && !f.len) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_NEW, M_FIELD_BLANK, "budget");
	} else if (rc == WT_OK && f.len) {
		size_t used;
		int m = money_parse(f.buf, &l.budget_cents, &used);
		if (m == MONEY_OK && *args_skip_blank(f.buf + used))
			m = MONEY_BAD;
		if (m != MONEY_OK)
			rc = reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_NEW, m == MONEY_NEGATIVE
					   ? M_AL_MONEY_NEGATIVE : M_AL_MONEY_BAD, f.buf);
	}
	struct strbuf goal = STRBUF_INIT;
	if (rc == WT_OK && args_field(rest, "doel", "goal", &goal)) {
		rc = goal.len ? reply_if_too_long(ctx, M_AL_F_GOAL, goal.buf, WT_MAX_MESSAGE)
		     : reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_NEW, M_FIELD_BLANK,
				    ctx->lang == LANG_EN ? "goal" : "doel");
		l.goal = goal.buf;
	}
	if (rc == WT_OK && al_create(ctx->db, &l) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	static const struct { const char *nl, *en; enum al_part part; } fields[] = {
		{ "penvoerder", "sponsor", AL_SPONSOR }, { "projectleider", "lead", AL_LEAD },
		{ "projectleiding", "project lead", AL_LEAD },
		{ "zorgprofessional", "care", AL_CARE }, { "team", "members", AL_MEMBER },
		{ "teamleden", "member", AL_MEMBER }, { "begeleider", "guide", AL_GUIDE },
		{ "externe begeleider", "external guide", AL_GUIDE },
	};
	for (size_t i = 0; rc == WT_OK && i < sizeof fields / sizeof fields[0]; i++)
		if (args_field(rest, fields[i].nl, fields[i].en, &f))
			rc = f.len ? add_people(ctx, l.id, fields[i].part, f.buf, M_AL_SYN_NEW, &names)
			     : reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_NEW, M_FIELD_BLANK,
					    ctx->lang == LANG_EN ? fields[i].en : fields[i].nl);
	if (rc == WT_OK) {
		sb_reset(&f);
		sb_add_md(&f, title.buf);
		reply_msgf(ctx, M_AL_CREATED, l.short_id, f.buf);
	}
	sb_release(&title);
	sb_release(&goal);
	sb_release(&f);
	sb_release(&names);
	return rc;
}

/* !al team <code> weg @user...: the people leave the line. */
static int team_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	int rc = WT_OK;
	const char *q = al_read_line(ctx, args, M_AL_SYN_TEAM, &l, &rc);
	if (!q)
		return rc;
	struct strbuf w = STRBUF_INIT, names = STRBUF_INIT, code = STRBUF_INIT;
	al_add_code(&code, &l);
	int pr;
	/* Each person by id, pill, @name or display name. */
	while (rc == WT_OK && (pr = person_arg(ctx, q, &w, &q, M_AL_SYN_TEAM)) != PERSON_NONE) {
		int n = pr == WT_OK ? al_person_remove(ctx->db, l.id, -1, w.buf) : 0;
		if (pr != WT_OK)
			rc = pr;
		else if (n < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (n == 0) {
			struct strbuf u = STRBUF_INIT;
			sb_add_person(&u, ctx, w.buf);
			rc = reply_error(ctx, WT_EUSAGE, M_AL_NOT_IN_LINE, u.buf, code.buf);
			sb_release(&u);
		} else {
			if (names.len)
				sb_add(&names, ", ");
			sb_add_person(&names, ctx, w.buf);
		}
	}
	if (rc == WT_OK && !names.len)
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_TEAM, M_AL_NEED_USER);
	if (rc == WT_OK)
		reply_msgf(ctx, M_AL_TEAM_REMOVED, code.buf, names.buf);
	sb_release(&w);
	sb_release(&names);
	sb_release(&code);
	al_free(&l);
	return rc;
}

/* The part of !al team named after the code. */
const struct wt_command al_team_subs[] = {
	{ { "weg", "remove" }, "verwijder del", ROLE_SECRETARY, M_AL_SYN_TEAM_REMOVE, M_NONE,
	  team_remove_cmd, 0, NULL },
	WT_SUBS_END,
};

/* !al team <code> <part> @user...: the people join the line in that part
 * (`weg` after the code: team_remove_cmd). */
int al_cmd_team(struct wt_ctx *ctx, const char *args)
{
	struct strbuf head = STRBUF_INIT;
	const struct wt_command *row = al_part_after(ctx, args, 1, &head);
	int rc = row ? command_run(ctx, row, head.buf) : WT_OK;
	sb_release(&head);
	if (row)
		return rc;
	struct actionline l;
	const char *p = al_read_line(ctx, args, M_AL_SYN_TEAM, &l, &rc);
	if (!p)
		return rc;
	struct strbuf w = STRBUF_INIT, names = STRBUF_INIT, code = STRBUF_INIT;
	al_add_code(&code, &l);
	p = args_word(p, &w);
	int part = p ? al_part_word(w.buf) : -1;
	if (part < 0) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_TEAM, M_AL_UNKNOWN_PART,
				  p ? ctx_md(ctx, w.buf) : "", T(ctx, M_AL_PART_LIST));
	} else {
		/* One sponsor per line: a new one replaces the old. */
		if (part == AL_SPONSOR)
			for (size_t i = 0; i < l.npeople; i++)
				if (l.people[i].part == AL_SPONSOR)
					al_person_remove(ctx->db, l.id, AL_SPONSOR, l.people[i].user);
		rc = add_people(ctx, l.id, (enum al_part)part, p, M_AL_SYN_TEAM, &names);
		if (rc == WT_OK)
			reply_msgf(ctx, M_AL_TEAM_ADDED, code.buf, names.buf, T(ctx, part_msgs[part]));
	}
	sb_release(&w);
	sb_release(&names);
	sb_release(&code);
	al_free(&l);
	return rc;
}

/* !al wijzig <code> titel|doel|budget <waarde> */
int al_cmd_edit(struct wt_ctx *ctx, const char *args)
{
	struct actionline l;
	int rc = WT_OK;
	const char *p = al_read_line(ctx, args, M_AL_SYN_EDIT, &l, &rc);
	if (!p)
		return rc;
	struct strbuf w = STRBUF_INIT, v = STRBUF_INIT, code = STRBUF_INIT;
	int said = 0;
	al_add_code(&code, &l);
	p = args_word(p, &w);
	if (p)
		args_line(p, &v);
	if (!p) {
		rc = reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_EDIT, M_AL_UNKNOWN_FIELD, "");
	} else if (args_is(w.buf, "titel", "title")) {
		rc = !v.len ? reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_EDIT, M_AL_NEED_TITLE)
		     : reply_if_too_long(ctx, M_FIELD_TITLE, v.buf, WT_MAX_FIELD);
		if (rc == WT_OK && al_set_title(ctx->db, l.id, v.buf) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else if (args_is(w.buf, "doel", "goal")) {
		rc = reply_if_too_long(ctx, M_AL_F_GOAL, v.buf, WT_MAX_MESSAGE);
		if (rc == WT_OK && al_set_goal(ctx->db, l.id, v.len ? v.buf : NULL) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else if (args_is(w.buf, "teamgrootte", "team-size") || args_is(w.buf, "teamsize", "size")) {
		long long size = args_id(v.buf);
		if (strcmp(v.buf, "0") == 0)
			size = 0;
		else if (size <= 0 || size > 50)
			size = -1;
		rc = size < 0 ? reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_EDIT, M_AL_TEAM_SIZE_BAD, v.buf)
		     : al_set_team_size(ctx->db, l.id, (int)size) < 0
		     ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
		if (rc == WT_OK) {
			l.team_size = (int)size;
			struct strbuf n = STRBUF_INIT;
			sb_addcount(&n, ctx, M_N_AL_WANTED_ONE, al_team_wanted(ctx, &l));
			reply_msgf(ctx, M_AL_TEAM_SIZE_SET, code.buf, n.buf);
			sb_release(&n);
		}
		said = 1;  /* its own confirmation */
	} else if (args_is(w.buf, "budget", "budget")) {
		long long cents;
		size_t used;
		int m = money_parse(v.buf, &cents, &used);
		if (m == MONEY_OK && *args_skip_blank(v.buf + used))
			m = MONEY_BAD;
		if (m == MONEY_EMPTY)
			rc = reply_usagef(ctx, WT_EUSAGE, M_AL_SYN_EDIT, M_AL_MONEY_EMPTY);
		else if (m != MONEY_OK)
			rc = reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_EDIT, m == MONEY_NEGATIVE
					   ? M_AL_MONEY_NEGATIVE : M_AL_MONEY_BAD, v.buf);
		else if (al_set_budget(ctx->db, l.id, cents) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else {
		rc = reply_usage_text(ctx, WT_EUSAGE, M_AL_SYN_EDIT, M_AL_UNKNOWN_FIELD, w.buf);
	}
	if (rc == WT_OK && !said)
		reply_msgf(ctx, M_AL_EDITED, code.buf);
	sb_release(&w);
	sb_release(&v);
	sb_release(&code);
	al_free(&l);
	return rc;
}
