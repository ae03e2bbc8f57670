/* documents_render: a document as a link, the lists of an item's and a
 * meeting's documents, and the check of a link people type; see
 * documents.h. */
#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/documents.h"
#include "handlers/readback.h"
#include "handlers/reply.h"
#include "storage/agenda.h"

/* Longest link, in bytes (browsers take more; a person types less). */
#define DOC_MAX_URL 2000

/* Append url as a Markdown link destination: in angle brackets, & as
 * an entity (cmark would read "&copy;" as ©). docs_url_ok keeps out
 * what would end or escape it (<, >, \, blanks). */
static void add_dest(struct strbuf *sb, const char *url)
{
	sb_addc(sb, '<');
	for (const char *p = url; *p; p++) {
		if (*p == '&')
			sb_add(sb, "&amp;");
		else
			sb_addc(sb, *p);
	}
	sb_addc(sb, '>');
}

void docs_add_line(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_document *d)
{
	struct strbuf title = STRBUF_INIT, link = STRBUF_INIT, dest = STRBUF_INIT;
	sb_add_md(&title, d->title ? d->title : "");
	if (d->kind == DOC_FILE && d->room_id && d->event_id)
		sb_add_event_link(&link, d->room_id, d->event_id);
	else
		sb_add(&link, d->url ? d->url : "");
	add_dest(&dest, link.buf);
	enum msg_id fmt = d->kind == DOC_LINK ? M_DOC_LINE_LINK
			  : d->file ? M_DOC_LINE_CRYPT : M_DOC_LINE_FILE;
	sb_addm(sb, ctx, fmt, title.buf, dest.buf, d->short_id);
	sb_release(&title);
	sb_release(&link);
	sb_release(&dest);
}

/* The n documents of v as lines "\n<indent>- 📎 ...". */
static void add_lines(struct strbuf *sb, const struct wt_ctx *ctx,
		      const struct wt_document *v, int n, const char *indent)
{
	for (int i = 0; i < n; i++) {
		sb_addf(sb, "\n%s- \xF0\x9F\x93\x8E ", indent);  /* 📎 */
		docs_add_line(sb, ctx, &v[i]);
	}
}

int docs_render_item(struct strbuf *sb, const struct wt_ctx *ctx, long long item_id,
		     const char *indent)
{
	struct wt_document *v;
	int n = documents_of_item(ctx->db, item_id, &v);
	if (n <= 0)
		return n;
	add_lines(sb, ctx, v, n, indent);
	documents_free(v, (size_t)n);
	return n;
}

int docs_render_meeting(struct strbuf *sb, const struct wt_ctx *ctx, long long meeting_id,
			const char *indent)
{
	struct wt_document *v;
	int n = documents_of_meeting(ctx->db, meeting_id, &v);
	if (n <= 0)
		return n;
	add_lines(sb, ctx, v, n, indent);
	documents_free(v, (size_t)n);
	return n;
}

/* The documents of the items of m: per item that has any, its heading
 * (its number on the agenda, or "proposal") and the documents. */
static int overview_items(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct wt_agenda_item *v;
	int n = agenda_list(ctx->db, ctx->net->name, m->id, &v), total = 0, num = 0;
	if (n < 0)
		return -1;
	struct strbuf docs = STRBUF_INIT, md = STRBUF_INIT;
	for (int i = 0; i < n && total >= 0; i++) {
		int numbered = v[i].state == AGENDA_ACCEPTED || v[i].state == AGENDA_DISCUSSED;
		num += numbered;
		if (v[i].state == AGENDA_WITHDRAWN)
			continue;
		sb_reset(&docs);
		int k = docs_render_item(&docs, ctx, v[i].id, "   ");
		if (k <= 0) {
			total = k < 0 ? -1 : total;
			continue;
		}
		sb_reset(&md);
		sb_add_md(&md, v[i].title);
		sb_add(sb, "\n\n");
		if (numbered)
			sb_addm(sb, ctx, M_DOCS_ITEM, num, md.buf, v[i].short_id);
		else
			sb_addm(sb, ctx, M_DOCS_PROPOSAL, md.buf, v[i].short_id);
		sb_add(sb, docs.buf);
		total += k;
	}
	sb_release(&docs);
	sb_release(&md);
	agenda_list_free(v, (size_t)n);
	return total;
}

int docs_render_overview(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_meeting *m)
{
	struct strbuf own = STRBUF_INIT;
	int n = docs_render_meeting(&own, ctx, m->id, "");
	if (n > 0) {
		sb_add(sb, "\n\n");
		sb_add(sb, T(ctx, M_DOC_MEETING_HEAD));
		sb_add(sb, own.buf);
	}
	sb_release(&own);
	int k = n < 0 ? -1 : overview_items(sb, ctx, m);
	return k < 0 ? -1 : n + k;
}

/* Whether the UTF-8 character at p is a bidi control (U+202A-U+202E,
 * U+2066-U+2069), which would make a link read other than it goes. */
static int is_bidi(const unsigned char *p)
{
	return p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
				|| (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9));
}

/* Whether url is a link the bot takes: http(s), a host, no blanks or
 * control characters, nothing that would end or escape a Markdown link
 * (<, >, \, ", `), no bidi controls, at most DOC_MAX_URL bytes. */
static int docs_url_ok(const char *url)
{
	size_t skip = strncasecmp(url, "https://", 8) == 0 ? 8
		      : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
	if (!skip || !url[skip] || url[skip] == '/')
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || strchr("<>\\\"`", *p) || is_bidi(p))
			return 0;
	return 1;
}

int docs_check_link(struct wt_ctx *ctx, const char *value, enum msg_id syn)
{
	struct strbuf url = STRBUF_INIT;
	const char *rest = args_word(value, &url);
	int rc = WT_OK;
	if (!rest)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_DOC_ERR_NOTHING);
	else if (url.len > DOC_MAX_URL)
		rc = reply_usagef(ctx, WT_EUSAGE, syn, M_DOC_ERR_URL_LONG, DOC_MAX_URL);
	else if (!docs_url_ok(url.buf))
		rc = reply_usage_text(ctx, WT_EUSAGE, syn, M_DOC_ERR_URL, url.buf);
	else
		rc = reply_if_too_long(ctx, M_FIELD_DOC_TITLE, args_skip_blank(rest),
				       WT_MAX_FIELD);
	sb_release(&url);
	return rc;
}

int docs_attach_link(struct wt_ctx *ctx, long long item_id, long long meeting_id,
		     const char *value, struct wt_document *out)
{
	struct strbuf url = STRBUF_INIT, title = STRBUF_INIT;
	const char *rest = args_word(value, &url);
	args_line(rest ? rest : "", &title);
	struct wt_document d = {
		.network = (char *)ctx->net->name, .item_id = item_id,
		.meeting_id = item_id > 0 ? 0 : meeting_id, .kind = DOC_LINK,
		.title = title.len ? title.buf : url.buf, .url = url.buf,
		.added_by = (char *)ctx->sender, .added_at = ctx->now,
	};
	int rc = document_add(ctx->db, &d) < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR) : WT_OK;
	if (rc == WT_OK && out) {
		*out = d;
		out->network = out->added_by = NULL;
		out->title = xstrdup(d.title);
		out->url = xstrdup(d.url);
	}
	sb_release(&url);
	sb_release(&title);
	return rc;
}
