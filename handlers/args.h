/* args: small helpers to read a command's arguments. */
#ifndef WT_ARGS_H
#define WT_ARGS_H

#include <stddef.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"  /* utf8_valid, utf8_chars: handlers use them with args */

/* Skip spaces and tabs (not newlines). */
const char *args_skip_blank(const char *p);
/* Copy the next word (up to blank or newline) into out (reset first) and
 * return the position after it; returns NULL (out empty) at end of line. */
const char *args_word(const char *p, struct strbuf *out);
/* 1 when word equals one of the given names, case-insensitively (ASCII). */
int args_is(const char *word, const char *nl, const char *en);
/* Parse a positive decimal id ("12", "#12"); returns -1 when not one. */
long long args_id(const char *word);
/* The rest of the first line, trimmed, into out; returns the start of the
 * next line (or the end). */
const char *args_line(const char *p, struct strbuf *out);
/* Look for a line "key: value" (case-insensitive key, either of two names)
 * in the lines of text; copies the trimmed value into out and returns 1 when
 * found. */
int args_field(const char *text, const char *key_nl, const char *key_en,
	       struct strbuf *out);
/* A field's two names, as args_field takes them. */
struct args_key {
	const char *nl, *en;
};
/* Take a page request, "pagina N" or "page N" (any case, anywhere on the
 * first line), out of a list command's arguments: rest gets the arguments
 * without those two words. *page is N, or 1 when there is none. Returns 0,
 * or -1 (rest then holds all of args) when the word is followed by a
 * number that is no page number (0, too big); "pagina" followed by no
 * number is left in rest as an ordinary word. */
int args_take_page(const char *args, struct strbuf *rest, long *page);
/* 1 when s looks like a Matrix user id (@local:server). */
int is_user_id(const char *s);

#endif
