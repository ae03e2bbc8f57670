/* documents: !stuk and !stukken; see documents.h. */
#include "handlers/documents.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/meeting.h"
#include "handlers/names.h"
#include "handlers/reply.h"
#include "handlers/when.h"
#include "storage/agenda.h"

/* What a document is attached to: an agenda item (row and short id) or,
 * when item_id is 0, a meeting. */
struct doc_target {
	long long item_id, item_sid;
	long long meeting_id, meeting_sid;
};

/* Whether word is meant as a link (a scheme such as "ftp:" or "mailto:"
 * with something right after it, or a start as a web address): a link
 * that is no http(s) one is refused, not read as a title ("Notitie:" is
 * a title's word). */
static int looks_like_link(const char *word)
{
	size_t n = 0;
	if ((word[0] >= 'a' && word[0] <= 'z') || (word[0] >= 'A' && word[0] <= 'Z'))
		n = strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789+.-");
	return (n && word[n] == ':' && word[n + 1]) || strncasecmp(word, "www.", 4) == 0;
}

/* The documents t already has, for the "attached twice" check. */
static int target_docs(struct wt_ctx *ctx, const struct doc_target *t,
		       struct wt_document **v)
{
	return t->item_id ? documents_of_item(ctx->db, t->item_id, v)
			  : documents_of_meeting(ctx->db, t->meeting_id, v);
}

/* Refuse a document t has already: the same file message or the same link. */
static int check_twice(struct wt_ctx *ctx, const struct doc_target *t, enum msg_id syn,
		       const char *event_id, const char *url)
{
	struct wt_document *v;
	int n = target_docs(ctx, t, &v);
	if (n < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	long long twice = 0;
	for (int i = 0; i < n && !twice; i++)
		if ((event_id && v[i].event_id && strcmp(v[i].event_id, event_id) == 0)
		    || (url && v[i].kind == DOC_LINK && v[i].url && strcmp(v[i].url, url) == 0))
			twice = v[i].short_id;
	documents_free(v, (size_t)n);
	return twice ? reply_usagef(ctx, WT_EUSAGE, syn, M_DOC_ERR_TWICE, twice) : WT_OK;
}

/* The file message the command replies to, with the title given or its
 * name, attached to t. */
static int attach_file(struct wt_ctx *ctx, const struct doc_target *t, enum msg_id syn,
		       const char *title, struct wt_document *d)
{
	struct wt_room_file f;
	int found = room_file_get(ctx->db, ctx->room, ctx->reply_to, &f);
	if (found < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (!found)
		return reply_usagef(ctx, WT_EUSAGE, syn, M_DOC_ERR_NOT_FILE);
	int rc = reply_if_too_long(ctx, M_FIELD_DOC_TITLE, title, WT_MAX_FIELD);
	if (rc == WT_OK)
		rc = check_twice(ctx, t, syn, f.event_id, NULL);
	struct wt_document nd = {
		.network = (char *)ctx->net->name, .item_id = t->item_id,
		.meeting_id = t->item_id ? 0 : t->meeting_id, .kind = DOC_FILE,
		.title = *title ? (char *)title : f.name, .url = f.url, .room_id = f.room_id,
		.event_id = f.event_id, .msgtype = f.msgtype, .file = f.file,
		.mimetype = f.mimetype, .size = f.size, .added_by = (char *)ctx->sender,
		.added_at = ctx->now,
	};
	if (rc == WT_OK && document_add(ctx->db, &nd) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		*d = (struct wt_document){ .short_id = nd.short_id, .title = xstrdup(nd.title) };
	}
	room_file_free(&f);
	return rc;
}

/* Attach what rest says to t: a link ("<link> [titel]"), or the file the
 * command replies to ("[titel]"). */
static int attach(struct wt_ctx *ctx, const struct doc_target *t, const char *rest,
		  enum msg_id syn)
{
	struct strbuf line = STRBUF_INIT, word = STRBUF_INIT;
	const char *next = args_line(rest, &line);
	int rc = reply_if_extra(ctx, next);
	args_word(line.buf, &word);
	struct wt_document d = { 0 };
	if (rc == WT_OK && word.len && looks_like_link(word.buf)) {
		rc = docs_check_link(ctx, line.buf, syn);
		if (rc == WT_OK)
			rc = check_twice(ctx, t, syn, NULL, word.buf);
		if (rc == WT_OK)
			rc = docs_attach_link(ctx, t->item_id, t->meeting_id, line.buf, &d);
	} else if (rc == WT_OK && ctx->reply_to) {
		rc = attach_file(ctx, t, syn, line.buf, &d);
	} else if (rc == WT_OK) {
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_DOC_ERR_NOTHING);
	}
	if (rc == WT_OK && t->item_id)
		reply_msgf(ctx, M_DOC_ADDED_ITEM, d.short_id, ctx_md(ctx, d.title), t->item_sid);
	else if (rc == WT_OK)
		reply_msgf(ctx, M_DOC_ADDED_MEETING, d.short_id, ctx_md(ctx, d.title),
			   t->meeting_sid, t->meeting_sid);
	document_free(&d);
	sb_release(&line);
	sb_release(&word);
	return rc;
}

/* !stuk <punt> ...: the item from the first word (a word that is no
 * number is an unknown sub-command), then attach. */
int cmd_document(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(args, &w);
	long long id = after ? args_id(w.buf) : 0;
	struct wt_agenda_item it = { 0 };
	int rc = WT_OK, found = 0;
	if (!after)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_DOC, M_AGENDA_ERR_NO_ID);
	else if (id <= 0)
		rc = reply_unknown_sub(ctx, w.buf);
	else if ((found = agenda_by_short_id(ctx->db, ctx->net->name, id, &it)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (!found)
		rc = reply_usagef(ctx, WT_ENOTFOUND, M_SYN_DOC, M_AGENDA_ERR_NOT_FOUND, id);
	else if (it.state == AGENDA_WITHDRAWN)
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_DOC, M_DOC_ERR_WITHDRAWN, id);
	if (rc == WT_OK) {
		struct doc_target t = { .item_id = it.id, .item_sid = it.short_id };
		rc = attach(ctx, &t, after, M_SYN_DOC);
	}
	if (found > 0)
		agenda_item_free(&it);
	sb_release(&w);
	return rc;
}

/* Read a meeting's short id from the next word of *p and load it;
 * refusals with synopsis syn. */
static int read_meeting(struct wt_ctx *ctx, const char **p, enum msg_id syn,
			struct wt_meeting *m)
{
	struct strbuf w = STRBUF_INIT;
	const char *after = args_word(*p, &w);
	long long id = after ? args_id(w.buf) : -1;
	int rc = WT_OK, found = 0;
	if (!after)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_MEETING_ERR_NO_ID);
	else if (id < 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_MEETING_ERR_BAD_ID, w.buf);
	else if ((found = meeting_by_short_id(ctx->db, ctx->net->name, id, m)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (!found)
		rc = reply_usagef(ctx, WT_ENOTFOUND, syn, M_MEETING_ERR_NOT_FOUND, id);
	else
		*p = after;
	sb_release(&w);
	return rc;
}

/* !stuk vergadering <id> ... */
static int doc_meeting_cmd(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	const char *p = args;
	int rc = read_meeting(ctx, &p, M_DOC_SYN_MEETING, &m);
	if (rc == WT_OK && m.state == MEETING_CANCELLED)
		rc = reply_usagef(ctx, WT_EUSAGE, M_DOC_SYN_MEETING, M_DOC_ERR_CANCELLED,
				  m.short_id);
	if (rc == WT_OK) {
		struct doc_target t = { .meeting_id = m.id, .meeting_sid = m.short_id };
		rc = attach(ctx, &t, p, M_DOC_SYN_MEETING);
	}
	meeting_free(&m);
	return rc;
}

/* !stuk weg <stuk>: who attached it, or a secretary and up. */
static int doc_remove_cmd(struct wt_ctx *ctx, const char *args)
{
	struct strbuf w = STRBUF_INIT, who = STRBUF_INIT;
	const char *after = args_word(args, &w);
	long long id = after ? args_id(w.buf) : -1;
	struct wt_document d = { 0 };
	int rc = WT_OK, found = 0;
	if (!after)
		rc = reply_usagef(ctx, WT_EUSAGE, M_DOC_SYN_REMOVE, M_DOC_ERR_NO_ID);
	else if (id < 0)
		rc = reply_usage_text(ctx, WT_EUSAGE, M_DOC_SYN_REMOVE, M_DOC_ERR_BAD_ID, w.buf);
	else if ((rc = reply_if_extra(ctx, after)) != WT_OK)
		;
	else if ((found = document_by_short_id(ctx->db, ctx->net->name, id, &d)) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else if (!found)
		rc = reply_usagef(ctx, WT_ENOTFOUND, M_DOC_SYN_REMOVE, M_DOC_ERR_NOT_FOUND, id);
	if (rc == WT_OK) {
		sb_add_person(&who, ctx, d.added_by);
		rc = reply_require_role_unless(ctx, ROLE_SECRETARY,
					       strcmp(d.added_by, ctx->sender) == 0,
					       M_DOC_ERR_NOT_YOURS, d.short_id, who.buf);
	}
	if (rc == WT_OK && document_delete(ctx->db, d.id) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK)
		reply_msgf(ctx, M_DOC_REMOVED, d.short_id, ctx_md(ctx, d.title));
	document_free(&d);
	sb_release(&w);
	sb_release(&who);
	return rc;
}

const struct wt_command doc_subs[] = {
	{ { "vergadering", "meeting" }, "vg", ROLE_MEMBER, M_DOC_SYN_MEETING, M_NONE,
	  doc_meeting_cmd, 0, NULL },
	{ { "weg", "remove" }, "verwijder delete", ROLE_MEMBER, M_DOC_SYN_REMOVE, M_NONE,
	  doc_remove_cmd, 0, NULL },
	WT_SUBS_END,
};

/* The heading and every document of meeting m. */
static int show_documents(struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
	when_format(&when, m->starts_at, ctx->net->tz, ctx->lang);
	sb_addm(&sb, ctx, M_DOCS_HEAD, ctx_md(ctx, m->title), m->short_id, when.buf);
	int n = docs_render_overview(&sb, ctx, m), rc = WT_OK;
	if (n < 0) {
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	} else {
		if (n == 0) {
			sb_add(&sb, "\n\n");
			sb_addm(&sb, ctx, M_DOCS_NONE, m->short_id);
		}
		reply_add(ctx, sb.buf);
	}
	sb_release(&sb);
	sb_release(&when);
	return rc;
}

/* !stukken [<vergadering-id>]: the next meeting's documents, or that
 * meeting's. */
int cmd_documents(struct wt_ctx *ctx, const char *args)
{
	struct wt_meeting m = { 0 };
	const char *p = args;
	int rc = WT_OK, found = 1;
	if (!*args_skip_blank(args)) {
		found = meeting_next(ctx->db, ctx->net->name, ctx->now, &m);
		if (found < 0)
			rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
		else if (!found)
			reply_msgf(ctx, M_DOCS_NO_MEETING);
	} else {
		rc = read_meeting(ctx, &p, M_SYN_DOCS, &m);
		if (rc == WT_OK)
			rc = reply_if_extra(ctx, p);
	}
	if (rc == WT_OK && found > 0)
		rc = show_documents(ctx, &m);
	meeting_free(&m);
	return rc;
}
