/* logging: decisions, action items and notes logged by message — from a
 * command or from #-lines — and what happens when that message is edited
 * (the items follow the new text) or redacted (they go). See
 * handlers/meeting_mode.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/actionline.h"
#include "handlers/args.h"
#include "handlers/body.h"
#include "handlers/commands.h"
#include "handlers/dispatch.h"
#include "handlers/meeting_mode.h"
#include "storage/minutes_approval.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/readback.h"
#include "handlers/reply.h"
#include "handlers/when_ctx.h"
#include "storage/db.h"
#include "storage/decisions.h"
#include "storage/minutes.h"
#include "storage/room_members.h"

int mm_may_log(const struct wt_ctx *ctx)
{
	return ctx->role >= ROLE_SECRETARY
	       || (ctx->net && ctx->net->log_anyone && ctx->role >= ROLE_MEMBER);
}

int mm_log_denied(struct wt_ctx *ctx)
{
	return reply_error(ctx, WT_EPERM, M_MM_ERR_LOG_DENIED, role_name(ctx, ctx->role));
}

/* The short id after a code at p ("AL2": prefix "AL"), when the code
 * stands alone as a word; else 0. */
static long long code_at(const char *text, const char *p, const char *prefix, int nocase)
{
	size_t k = strlen(prefix);
	if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return 0;
	if (nocase ? strncasecmp(p, prefix, k) != 0 : strncmp(p, prefix, k) != 0)
		return 0;
	const char *d = p + k;
	long long v = 0;
	int n = 0;
	while (isdigit((unsigned char)*d) && n < 9)
		v = v * 10 + (*d++ - '0'), n++;
	if (!n || isalnum((unsigned char)*d) || *d == '_')
		return 0;
	return v;
}

/* Link the first action line (AL2) and advice request (A12) named in the
 * text that exist in the network. */
static void find_links(struct wt_ctx *ctx, struct wt_logged *it)
{
	for (const char *p = it->text; *p; p++) {
		long long al = code_at(it->text, p, "AL", 1);
		long long a = al ? 0 : code_at(it->text, p, "A", 0);
		if (al && !it->action_line
		    && decisions_ref_exists(ctx->db, ctx->net->name, 0, al) == 1)
			it->action_line = al;
		if (a && !it->advice && decisions_ref_exists(ctx->db, ctx->net->name, 1, a) == 1)
			it->advice = a;
	}
}

/* The explicit link to an action line, a word `al:AL1` (also
 * `actielijn:AL1`, `line:AL1`) anywhere in text: taken out of the text
 * into *al. A code no line of the network has is an error (in err), not
 * text. Returns 0 (no such word: *al untouched) or -1. */
static int take_line_link(struct wt_ctx *ctx, struct strbuf *text, long long *al,
			  struct strbuf *err)
{
	static const char *const keys[] = { "al:", "actielijn:", "line:" };
	for (size_t i = 0; i < text->len; i++) {
		if (i && text->buf[i - 1] != ' ')
			continue;
		size_t k = 0;
		for (size_t j = 0; !k && j < sizeof keys / sizeof keys[0]; j++)
			if (strncasecmp(text->buf + i, keys[j], strlen(keys[j])) == 0)
				k = strlen(keys[j]);
		if (!k)
			continue;
		size_t end = i + k;
		while (end < text->len && text->buf[end] != ' ')
			end++;
		struct strbuf code = STRBUF_INIT;
		sb_addn(&code, text->buf + i + k, end - i - k);
		while (code.len && strchr(".,;", code.buf[code.len - 1]))
			sb_setlen(&code, code.len - 1);
		long long sid = code.len ? al_code_parse(code.buf) : -1;
		int ok = sid > 0 && decisions_ref_exists(ctx->db, ctx->net->name, 0, sid) == 1;
		if (!ok)
			sb_addm(err, ctx, M_MM_ERR_LINK_LINE, ctx_md(ctx, code.len ? code.buf : "?"));
		sb_release(&code);
		if (!ok)
			return -1;
		*al = sid;
		if (end < text->len)
			end++;  /* and the blank after it */
		memmove(text->buf + i, text->buf + end, text->len - end + 1);
		sb_setlen(text, text->len - (end - i));
		sb_rtrim(text);
		return 0;
	}
	return 0;
}

/* 1 when only blanks and final punctuation are left. */
static int only_tail(const char *p)
{
	for (; *p; p++)
		if (!strchr(" \t\r\n.,;!", *p))
			return 0;
	return 1;
}

/* The due-date keywords: "voor vrijdag", "vóór 1 maart", "uiterlijk 15
 * jan", "by friday", "before 1 March", "due 1 March". */
static const char *const due_words[] = {
	"voor", "v\xc3\xb3\xc3\xb3r", "uiterlijk", "by", "before", "due", NULL
};

/* The length of the due keyword at p (a whole word), or 0. */
static size_t due_word_at(const char *p)
{
	for (int k = 0; due_words[k]; k++) {
		size_t n = strlen(due_words[k]);
		if (strncasecmp(p, due_words[k], n) == 0 && (p[n] == ' ' || p[n] == '\t'))
			return n;
	}
	return 0;
}

/* Split "text voor <when>" / "text by <when>": the last such keyword whose
 * rest is one whole date phrase (handlers/when.c, periods too: "eind
 * januari", "volgende week") sets *due and cuts the text there. A date
 * that cannot be a due date (past, a month alone, no such day), or a
 * keyword followed by what starts like a date but is none ("voor eind
 * jannuari"), is an error (message in err): it is never kept as text. */
static int read_due(struct wt_ctx *ctx, struct strbuf *text, time_t *due, struct strbuf *err)
{
	*due = 0;
	for (size_t i = text->len; i-- > 0;) {
		const char *p = text->buf + i;
		if (i == 0 || (p[-1] != ' ' && p[-1] != '\t'))
			continue;
		size_t k = due_word_at(p);
		if (!k)
			continue;
		const char *rest = args_skip_blank(p + k);
		struct when_out w;
		int e = ctx_when(ctx, rest, MM_DUE_HOUR, 0, &w);
		if (e == WHEN_OK && only_tail(rest + w.used)) {
			*due = w.at;
			sb_setlen(text, i);
			sb_rtrim(text);
			return 0;
		}
		int dated = e != WHEN_OK && e != WHEN_UNKNOWN && e != WHEN_EMPTY;
		if (dated || (e != WHEN_OK && when_starts_date(rest))) {
			struct strbuf kw = STRBUF_INIT;
			sb_addn(&kw, p, k);
			sb_addm(err, ctx, M_MM_ERR_BAD_DUE, kw.buf, ctx_when_error(ctx, e, 0));
			sb_release(&kw);
			return -1;
		}
	}
	return 0;
}

/* Read one item's text into it (text, owner, due, links); on a problem
 * writes it into err and returns -1. */
static int parse_item(struct wt_ctx *ctx, enum tag_kind kind, const char *raw,
		      struct wt_logged *it, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, w = STRBUF_INIT;
	const char *p = args_skip_blank(raw);
	int rc = 0;
	it->kind = kind == TAG_DECISION ? LOGGED_DECISION
		   : kind == TAG_ACTION ? LOGGED_ACTION : LOGGED_NOTE;
	if (kind == TAG_ACTION) {
		/* The owner first: a Matrix id, a pill, @name or a display name. */
		const char *after;
		int pr = person_read(ctx, p, &w, &after, err);
		if (pr != PERSON_OK) {
			/* A first word that names nobody: most likely no owner. */
			if (pr == PERSON_BAD && *p != '@')
				sb_reset(err);
			if (pr == PERSON_EDB)
				sb_add(err, T(ctx, M_DB_ERROR));
			else if (err->len)
				sb_add(err, "\n\n");
			if (pr != PERSON_EDB)
				sb_add(err, T(ctx, M_MM_ERR_NO_OWNER));
			rc = -1;
		} else {
			it->owner = xstrdup(w.buf);
			p = args_skip_blank(after);
		}
	}
	if (rc == 0) {
		sb_add(&text, p);
		sb_rtrim(&text);
		for (size_t i = 0; i < text.len; i++)
			if (text.buf[i] == '\n' || text.buf[i] == '\r' || text.buf[i] == '\t')
				text.buf[i] = ' ';
		rc = take_line_link(ctx, &text, &it->action_line, err);
		if (rc == 0 && kind == TAG_ACTION)
			rc = read_due(ctx, &text, &it->due_at, err);
	}
	if (rc == 0 && !text.len) {
		sb_add(err, T(ctx, M_MM_ERR_EMPTY_TEXT));
		rc = -1;
	}
	size_t n = rc == 0 ? utf8_chars(text.buf) : 0;
	if (rc == 0 && n > MM_MAX_TEXT) {
		sb_addm(err, ctx, M_MM_ERR_TEXT_TOO_LONG, n, MM_MAX_TEXT);
		rc = -1;
	}
	if (rc == 0) {
		it->text = sb_detach(&text);
		find_links(ctx, it);
	}
	sb_release(&text);
	sb_release(&w);
	return rc;
}

/* An action whose owner is not in the room, when the room's member list is
 * known: the problem goes into err and it returns -1. An edit that keeps
 * the old owner (was) passes, so the text of an action whose owner left
 * since can still be fixed. */
static int owner_in_room(struct wt_ctx *ctx, const struct wt_logged *it, const char *was,
			 struct strbuf *err)
{
	if (it->kind != LOGGED_ACTION || !it->owner || (was && strcmp(was, it->owner) == 0)
	    || !room_members_outside(ctx->db, ctx->room, it->owner))
		return 0;
	struct strbuf md = STRBUF_INIT;
	sb_add_md(&md, it->owner);  /* the id, for /invite */
	sb_addm(err, ctx, M_MM_ERR_OWNER_NOT_IN_ROOM, md.buf, md.buf);
	sb_release(&md);
	return -1;
}

/* One error reply with every problem found, each on its own line. */
static int reply_problems(struct wt_ctx *ctx, struct strbuf *problems, int code)
{
	sb_add(problems, "\n\n");
	sb_add(problems, T(ctx, M_MM_ERR_NOTHING_LOGGED));
	struct wt_reply *r = reply_add(ctx, problems->buf);
	r->is_error = 1;
	return code;
}

/* Add a problem: "Regel 3: ..." when line > 0. */
static void add_problem(struct strbuf *problems, const struct wt_ctx *ctx, int line,
			const char *what)
{
	if (problems->len)
		sb_addc(problems, '\n');
	if (line > 0)
		sb_addm(problems, ctx, M_MM_ERR_AT_LINE, line, what);
	else
		sb_add(problems, what);
}

/* Store a new item, with its reminder. */
static int store_new(struct wt_ctx *ctx, struct wt_logged *it)
{
	if (logged_add(ctx->db, it) < 0)
		return -1;
	return it->kind == LOGGED_ACTION ? action_reminder_sync(ctx, it) : 0;
}

int mm_log_items(struct wt_ctx *ctx, const struct wt_tags *tags, int lines)
{
	struct wt_run run = { 0 };
	int open = run_open_in_room(ctx->db, ctx->room, &run);
	if (open < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	for (size_t i = 0; open && i < tags->n; i++) {
		if (tags->v[i].kind != TAG_DECISION)
			continue;
		int adv = body_refuse_advisory(ctx, run.meeting_id);
		if (adv != WT_OK) {
			run_free(&run);
			return adv;
		}
		break;
	}
	struct wt_logged *v = xcalloc(tags->n ? tags->n : 1, sizeof *v);
	struct strbuf problems = STRBUF_INIT, err = STRBUF_INIT;
	for (size_t i = 0; i < tags->n; i++) {
		sb_reset(&err);
		if (parse_item(ctx, tags->v[i].kind, tags->v[i].text, &v[i], &err) < 0
		    || owner_in_room(ctx, &v[i], NULL, &err) < 0)
			add_problem(&problems, ctx, lines ? tags->v[i].line : 0, err.buf);
		else if (v[i].kind == LOGGED_NOTE && !open)
			add_problem(&problems, ctx, lines ? tags->v[i].line : 0,
				    T(ctx, M_MM_ERR_NOTE_NO_MEETING));
	}
	int rc = WT_OK;
	if (problems.len)
		rc = reply_problems(ctx, &problems, WT_EUSAGE);
	size_t stored = 0;
	for (size_t i = 0; rc == WT_OK && i < tags->n; i++) {
		struct wt_logged *it = &v[i];
		it->network = xstrdup(ctx->net->name);
		it->meeting_id = open ? run.meeting_id : 0;
		it->agenda_item_id = open ? run.current_item : 0;
		it->logged_by = xstrdup(ctx->sender);
		it->room = xstrdup(ctx->room);
		it->event_id = ctx->event_id ? xstrdup(ctx->event_id) : NULL;
		it->part = (int)i;
		it->created_at = ctx->now;
		if (store_new(ctx, it) < 0) {
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
			break;
		}
		stored++;
	}
	/* Said back as understood: numbers, owners, due dates (readback.h). */
	if (rc == WT_OK)
		mm_read_back(ctx, v, stored, open, ctx->event_id, NULL);
	logged_list_free(v, tags->n);
	sb_release(&problems);
	sb_release(&err);
	run_free(&run);
	return rc;
}

int mm_log_command(struct wt_ctx *ctx, enum tag_kind kind, const char *args)
{
	if (!mm_may_log(ctx))
		return mm_log_denied(ctx);
	struct strbuf text = STRBUF_INIT;
	sb_add(&text, args);
	sb_rtrim(&text);
	struct wt_tag tag = { kind, text.buf, 1 };
	struct wt_tags tags = { &tag, 1 };
	int rc = mm_log_items(ctx, &tags, 0);
	if (rc == WT_OK)
		reply_react(ctx, MM_ACK);
	sb_release(&text);
	return rc;
}

/* 1 when the first word of !actie (cmd) names one of its sub-commands or
 * an id, not a new action. */
static int action_is_sub(const struct wt_command *cmd, const char *word)
{
	return subcommand_find(cmd, word) != NULL || args_id(word) > 0;
}

size_t mm_items_of_body(const char *body, struct wt_tags *out)
{
	memset(out, 0, sizeof *out);
	const char *p = body;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '!')
		return tags_parse(body, out);
	struct strbuf w = STRBUF_INIT, first = STRBUF_INIT;
	const char *rest = args_word(p + 1, &w);
	const struct wt_command *cmd = rest ? command_find(w.buf) : NULL;
	const char *args = rest ? args_skip_blank(rest) : "";
	const char *after = args_word(args, &first);
	enum tag_kind kind = TAG_INFO;
	int found = 0;
	if (cmd && cmd->fn == cmd_decision && after && !(args_id(first.buf) > 0 && only_tail(after)))
		kind = TAG_DECISION, found = 1;
	else if (cmd && cmd->fn == cmd_action && after && !action_is_sub(cmd, first.buf))
		kind = TAG_ACTION, found = 1;
	if (found) {
		struct strbuf text = STRBUF_INIT;
		sb_add(&text, args);
		sb_rtrim(&text);
		out->v = xmalloc(sizeof *out->v);
		out->v[0] = (struct wt_tag){ kind, sb_detach(&text), 1 };
		out->n = 1;
	}
	sb_release(&w);
	sb_release(&first);
	return out->n;
}

/* React with MM_ACK to event (the logged message). */
static void react_to(struct wt_ctx *ctx, const char *event)
{
	struct wt_reply *r = reply_add(ctx, MM_ACK);
	r->kind = REPLY_REACTION;
	free(r->in_reply_to);
	r->in_reply_to = event ? xstrdup(event) : NULL;
}

/* Close the savepoint wt_log: keep its changes when rc >= 0, else roll
 * them back. Returns rc (or WT_EDB when the release failed). */
static int in_savepoint(struct wt_ctx *ctx, int rc)
{
	if (rc < 0) {
		db_rollback_to(ctx->db, "wt_log");
		return rc;
	}
	if (db_release(ctx->db, "wt_log") < 0) {
		db_rollback_to(ctx->db, "wt_log");
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	return rc;
}

/* The checks every message-borne change shares: valid UTF-8, length, a
 * network. Returns WT_OK or an error code (reply added). */
static int check_body(struct wt_ctx *ctx, const char *body)
{
	size_t len = strlen(body);
	if (!utf8_valid(body, len))
		return reply_error(ctx, WT_EUSAGE, M_BAD_UTF8);
	if (len > WT_MAX_MESSAGE)
		return reply_error(ctx, WT_EUSAGE, M_TOO_LONG, len, WT_MAX_MESSAGE);
	return WT_OK;
}

int mm_log_message(struct wt_ctx *ctx, const char *body)
{
	if (!ctx->net || !ctx->net->name)
		return WT_NOT_COMMAND;
	struct wt_tags tags;
	if (tags_parse(body, &tags) == 0)
		return WT_NOT_COMMAND;
	ctx->role = wt_role_of(ctx->db, ctx->net, ctx->admins, ctx->sender);
	int rc = check_body(ctx, body);
	if (rc == WT_OK && !mm_may_log(ctx))
		rc = mm_log_denied(ctx);
	if (rc == WT_OK) {
		if (db_savepoint(ctx->db, "wt_log") < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else
			rc = in_savepoint(ctx, mm_log_items(ctx, &tags, 1));
	}
	if (rc == WT_OK)
		react_to(ctx, ctx->event_id);
	tags_free(&tags);
	return rc;
}

/* The k-th item of kind in v (0-based), or NULL. */
static struct wt_logged *nth_of_kind(struct wt_logged *v, int n, enum logged_kind kind, int k)
{
	for (int i = 0; i < n; i++)
		if (v[i].kind == kind && k-- == 0)
			return &v[i];
	return NULL;
}

/* Apply an edit: the k-th new item of each kind updates the k-th old one
 * of that kind; old ones left over are removed, new ones added (in the old
 * items' meeting, else the room's open one). All or nothing. */
static int apply_edit(struct wt_ctx *ctx, const char *orig, struct wt_logged *old, int n,
		      const struct wt_tags *tags)
{
	struct strbuf problems = STRBUF_INIT, err = STRBUF_INIT;
	struct wt_logged *nv = xcalloc(tags->n ? tags->n : 1, sizeof *nv);
	int count[3] = { 0, 0, 0 };
	char *used = xcalloc(n ? (size_t)n : 1, 1);
	char **was = xcalloc(tags->n ? tags->n : 1, sizeof *was);  /* old owners, borrowed */
	struct wt_run run = { 0 };
	int open = n == 0 ? run_open_in_room(ctx->db, ctx->room, &run) : 0;
	int rc = open < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	int seen[3] = { 0, 0, 0 };
	for (size_t i = 0; rc == WT_OK && i < tags->n; i++) {
		sb_reset(&err);
		if (parse_item(ctx, tags->v[i].kind, tags->v[i].text, &nv[i], &err) < 0)
			add_problem(&problems, ctx, tags->v[i].line, err.buf);
		struct wt_logged *o = nth_of_kind(old, n, nv[i].kind, seen[nv[i].kind]++);
		if (!err.len && owner_in_room(ctx, &nv[i], o ? o->owner : NULL, &err) < 0)
			add_problem(&problems, ctx, tags->v[i].line, err.buf);
	}
	if (rc == WT_OK && problems.len)
		rc = reply_problems(ctx, &problems, WT_EUSAGE);
	for (size_t i = 0; rc == WT_OK && i < tags->n; i++) {
		struct wt_logged *it = &nv[i];
		struct wt_logged *o = nth_of_kind(old, n, it->kind, count[it->kind]++);
		it->part = (int)i;
		if (o) {
			used[o - old] = 1;
			was[i] = o->owner;
			it->id = o->id;
			it->short_id = o->short_id;
			it->edited_at = ctx->now;
			if (logged_update(ctx->db, it) < 0
			    || logged_set_part(ctx->db, o->id, (int)i) < 0)
				rc = WT_EDB;
			it->kind = o->kind;
			it->network = xstrdup(o->network);
			it->done_at = o->done_at;
			if (rc == WT_OK && it->kind == LOGGED_ACTION && action_reminder_sync(ctx, it) < 0)
				rc = WT_EDB;
			continue;
		}
		if (it->kind == LOGGED_NOTE && !(n ? old[0].meeting_id : open)) {
			add_problem(&problems, ctx, tags->v[i].line, T(ctx, M_MM_ERR_NOTE_NO_MEETING));
			rc = reply_problems(ctx, &problems, WT_EUSAGE);
			break;
		}
		it->network = xstrdup(ctx->net->name);
		it->meeting_id = n ? old[0].meeting_id : open ? run.meeting_id : 0;
		it->agenda_item_id = n ? old[0].agenda_item_id : open ? run.current_item : 0;
		it->logged_by = xstrdup(ctx->sender);
		it->room = xstrdup(ctx->room);
		it->event_id = xstrdup(orig);
		it->created_at = ctx->now;
		if (store_new(ctx, it) < 0)
			rc = WT_EDB;
	}
	for (int i = 0; rc == WT_OK && i < n; i++) {
		if (used[i])
			continue;
		if (logged_delete(ctx->db, old[i].id) < 0)
			rc = WT_EDB;
		else if (old[i].kind == LOGGED_ACTION)
			action_reminder_cancel(ctx, old[i].id);
	}
	if (rc == WT_EDB)
		reply_error(ctx, WT_EDB, M_DB_ERROR);
	/* The edited message is read back too; only a new owner is told. */
	if (rc == WT_OK)
		mm_read_back(ctx, nv, tags->n, n ? old[0].meeting_id != 0 : open, orig, was);
	logged_list_free(nv, tags->n);
	free(was);
	free(used);
	run_free(&run);
	sb_release(&problems);
	sb_release(&err);
	return rc;
}

int wt_dispatch_edit(struct wt_ctx *ctx, const char *original_event_id, const char *new_body)
{
	if (!ctx->net || !ctx->net->name || !original_event_id || !new_body)
		return WT_NOT_COMMAND;
	struct wt_logged *old = NULL;
	int n = logged_by_event(ctx->db, original_event_id, &old);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	/* Pills of the new text are read as their ids, as in new messages. */
	char *named = person_body_dup(ctx->mentions, new_body);
	if (named)
		new_body = named;
	struct wt_tags tags;
	mm_items_of_body(new_body, &tags);
	int rc = WT_NOT_COMMAND;
	/* Only the author's edits count (clients show no others). */
	if ((n == 0 && tags.n == 0) || (n > 0 && strcmp(old[0].logged_by, ctx->sender) != 0))
		goto out;
	ctx->role = wt_role_of(ctx->db, ctx->net, ctx->admins, ctx->sender);
	rc = check_body(ctx, new_body);
	if (rc == WT_OK && n > 0)
		rc = mm_refuse_if_approved(ctx, old[0].meeting_id, M_MIN_ERR_EDIT_APPROVED);
	if (rc == WT_OK && !mm_may_log(ctx))
		rc = mm_log_denied(ctx);
	if (rc == WT_OK) {
		if (db_savepoint(ctx->db, "wt_log") < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else
			rc = in_savepoint(ctx, apply_edit(ctx, original_event_id, old, n, &tags));
	}
	if (rc == WT_OK && n == 0)
		react_to(ctx, original_event_id);
out:
	logged_list_free(old, n > 0 ? (size_t)n : 0);
	tags_free(&tags);
	free(named);
	return rc;
}

int wt_dispatch_redact(struct wt_ctx *ctx, const char *redacted_event_id)
{
	if (!redacted_event_id)
		return WT_NOT_COMMAND;
	struct wt_logged *old = NULL;
	int n = logged_by_event(ctx->db, redacted_event_id, &old);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (n == 0)
		return WT_NOT_COMMAND;
	int rc = WT_OK;
	/* Approved minutes keep the items of a message removed later. */
	int approved = minutes_are_approved(ctx->db, old[0].meeting_id);
	if (approved != 0) {
		if (approved > 0)
			mm_refuse_if_approved(ctx, old[0].meeting_id, M_MIN_REDACT_APPROVED);
		logged_list_free(old, (size_t)n);
		return approved > 0 ? WT_OK : reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (db_savepoint(ctx->db, "wt_log") < 0) {
		logged_list_free(old, (size_t)n);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	for (int i = 0; rc == WT_OK && i < n; i++) {
		if (logged_delete(ctx->db, old[i].id) < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (old[i].kind == LOGGED_ACTION)
			action_reminder_cancel(ctx, old[i].id);
	}
	rc = in_savepoint(ctx, rc);
	logged_list_free(old, (size_t)n);
	return rc;
}

void mm_note_speaker(struct wt_ctx *ctx)
{
	if (!ctx->room || !ctx->sender)
		return;
	struct wt_run run = { 0 };
	if (run_open_in_room(ctx->db, ctx->room, &run) == 1)
		attendee_note(ctx->db, run.meeting_id, ctx->sender, ctx->now);
	run_free(&run);
}
