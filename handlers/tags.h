/* tags: the line prefixes that log things from an ordinary message.
 *
 *   #besluit ... / #agreed ... / #decision ...    a decision
 *   #actie @user ... [voor <wanneer>] / #action @user ... [by <when>]
 *   #info ... / #notitie ... / #note ...          a note for the minutes
 *
 * A tag counts at the start of a line (after at most three spaces and an
 * optional "- " or "* " bullet), case-insensitively, followed by a blank,
 * a colon or the end of the line; its text is the rest of that line. One
 * message may hold several. Tags inside code — a fenced block (``` or ~~~)
 * or an inline code span, even one spanning lines — do not count, nor do
 * quoted lines ("> #besluit", a reply's fallback). */
#ifndef WT_TAGS_H
#define WT_TAGS_H

#include <stddef.h>

enum tag_kind { TAG_DECISION = 0, TAG_ACTION = 1, TAG_INFO = 2 };

struct wt_tag {
	enum tag_kind kind;
	char *text;      /* the rest of the line, trimmed (may be empty) */
	int line;        /* 1-based line number in the message */
};

struct wt_tags {
	struct wt_tag *v;
	size_t n;
};

/* Find the tags of body (NUL-terminated) in order; out is reset first.
 * Returns the number found. */
size_t tags_parse(const char *body, struct wt_tags *out);
void tags_free(struct wt_tags *t);

#endif
