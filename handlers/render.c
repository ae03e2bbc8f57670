#include "handlers/render.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"

/* HTML with raw HTML and dangerous URLs suppressed (CMARK_OPT_SAFE is the
 * default since cmark 0.29; it is named for older versions). */
char *render_html(const char *markdown)
{
	char *html = cmark_markdown_to_html(markdown, strlen(markdown),
					    CMARK_OPT_SAFE | CMARK_OPT_HARDBREAKS);
	char *out = xstrdup(html ? html : "");
	free(html);
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, out);
	free(out);
	sb_rtrim(&sb);
	return sb_detach(&sb);
}

/* Blank line between blocks, but not before the first one. */
static void block_break(struct strbuf *sb)
{
	if (sb->len == 0)
		return;
	sb_rtrim(sb);
	sb_add(sb, "\n\n");
}

/* Plain text: the Markdown's text with markup removed, list items as "- " or
 * "1. ", code as is, a link as its text and <url> (a person's pill as the
 * name only). Walks cmark's tree rather than stripping characters, so
 * escapes like \* come out as the character. */
static char *plain_of(cmark_node *doc)
{
	struct strbuf sb = STRBUF_INIT;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *lit = cmark_node_get_literal(n);
		if (ev == CMARK_EVENT_ENTER) {
			switch (t) {
			case CMARK_NODE_PARAGRAPH:
			case CMARK_NODE_HEADING:
			case CMARK_NODE_THEMATIC_BREAK:
			case CMARK_NODE_BLOCK_QUOTE: {
				cmark_node *parent = cmark_node_parent(n);
				if (!(parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM
				      && cmark_node_first_child(parent) == n))
					block_break(&sb);
				if (t == CMARK_NODE_THEMATIC_BREAK)
					sb_add(&sb, "----");
				break;
			}
			case CMARK_NODE_LIST:
				if (!cmark_node_parent(n) ||
				    cmark_node_get_type(cmark_node_parent(n)) != CMARK_NODE_ITEM)
					block_break(&sb);
				break;
			case CMARK_NODE_ITEM: {
				cmark_node *list = cmark_node_parent(n);
				if (sb.len < 2 || strcmp(sb.buf + sb.len - 2, "\n\n") != 0) {
					sb_rtrim(&sb);
					if (sb.len)
						sb_addc(&sb, '\n');
				}
				for (cmark_node *p = cmark_node_parent(list); p; p = cmark_node_parent(p))
					if (cmark_node_get_type(p) == CMARK_NODE_ITEM)
						sb_add(&sb, "  ");
				if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
					int num = cmark_node_get_list_start(list);
					for (cmark_node *p = cmark_node_previous(n); p; p = cmark_node_previous(p))
						num++;
					sb_addf(&sb, "%d. ", num);
				} else {
					sb_add(&sb, "- ");
				}
				break;
			}
			case CMARK_NODE_CODE_BLOCK:
				block_break(&sb);
				sb_add(&sb, lit ? lit : "");
				break;
			case CMARK_NODE_TEXT:
			case CMARK_NODE_CODE:
			case CMARK_NODE_HTML_INLINE:
				sb_add(&sb, lit ? lit : "");
				break;
			case CMARK_NODE_SOFTBREAK:
			case CMARK_NODE_LINEBREAK:
				sb_addc(&sb, '\n');
				break;
			default:
				break;
			}
		} else if (ev == CMARK_EVENT_EXIT && t == CMARK_NODE_LINK) {
			/* A person's pill shows as their name alone. */
			const char *url = cmark_node_get_url(n);
			/* A pill (a link to a person) shows as the name alone,
			 * as clients show it; an autolink (<url>) once. */
			size_t ul = url ? strlen(url) : 0;
			int shown = ul && sb.len >= ul && memcmp(sb.buf + sb.len - ul, url, ul) == 0;
			if (url && *url && strncmp(url, "mailto:", 7) != 0 && !shown
			    && strncmp(url, "https://matrix.to/#/@", 21) != 0)
				sb_addf(&sb, " <%s>", url);
		}
	}
	cmark_iter_free(it);
	sb_rtrim(&sb);
	return sb_detach(&sb);
}

char *render_plain(const char *markdown)
{
	cmark_node *doc = cmark_parse_document(markdown, strlen(markdown),
					       CMARK_OPT_SAFE);
	char *plain = plain_of(doc);
	cmark_node_free(doc);
	return plain;
}

void render_plain_html(const char *markdown, char **plain, char **html)
{
	/* SAFE and HARDBREAKS only change the rendering: one parse serves
	 * both, the HTML the same as render_html's. */
	int opts = CMARK_OPT_SAFE | CMARK_OPT_HARDBREAKS;
	cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), opts);
	*plain = plain_of(doc);
	char *h = cmark_render_html(doc, opts);
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, h ? h : "");
	free(h);
	sb_rtrim(&sb);
	*html = sb_detach(&sb);
	cmark_node_free(doc);
}

/* 1 when the text before i on its line holds only blanks and what may
 * open a block there (list markers "-", "1.", "2)", quote and heading
 * marks): where the escaped character at i could start a list, heading,
 * quote or rule. */
static int at_block_start(const char *md, size_t i)
{
	while (i > 0 && md[i - 1] != '\n') {
		char p = md[--i];
		if (!strchr(" -*+>#.)0123456789", p))
			return 0;
	}
	return 1;
}

/* 1 when the backslash before md[i] must stay for md to mean the same. */
static int escape_needed(const char *md, size_t i, size_t out_last)
{
	char c = md[i];
	if (strchr("\\`*_[]<>|~", c))
		return 1;
	switch (c) {
	case '&': { /* only before what reads as an entity: &amp; &#38; */
		size_t k = i + 1;
		k += md[k] == '\\';
		if (md[k] == '#')
			k++;
		k += md[k] == '\\';
		size_t start = k;
		while ((md[k] >= 'a' && md[k] <= 'z') || (md[k] >= 'A' && md[k] <= 'Z')
		       || (md[k] >= '0' && md[k] <= '9'))
			k++;
		return k > start && md[k] == ';';
	}
	case '!': /* an image opens with "![" */
		return md[i + 1] == '[';
	case '(':
		return out_last == ']';
	case '.': case ')': case '#': case '+': case '-': case '=':
		return at_block_start(md, i - 1);
	default:
		return 0;
	}
}

char *markdown_for_file_dup(const char *md)
{
	struct strbuf sb = STRBUF_INIT;
	char last = 0;
	for (size_t i = 0; md[i]; i++) {
		if (md[i] == '\\' && md[i + 1] && strchr("\\`*_{}[]()<>#+-.!|~&@:=\"'$%^", md[i + 1])) {
			if (escape_needed(md, i + 1, (size_t)(unsigned char)last))
				sb_addc(&sb, '\\');
			sb_addc(&sb, md[i + 1]);
			last = md[++i];
			continue;
		}
		sb_addc(&sb, md[i]);
		last = md[i];
	}
	return sb_detach(&sb);
}
