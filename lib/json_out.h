/* json_out: JSON text written directly into a strbuf, byte for byte as
 * jansson's json_dumps(..., JSON_COMPACT) writes it, without building a
 * tree first (bot/message_json.c writes every text reply with it).
 *
 * Escaping is jansson's without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH:
 * '"' and '\\' get a backslash; control characters below U+0020 are \b,
 * \f, \n, \r, \t or \u00XX (upper-case hex); everything else (DEL,
 * U+2028, emoji) is copied as its UTF-8 bytes. */
#ifndef WT_JSON_OUT_H
#define WT_JSON_OUT_H

#include "lib/strbuf.h"

/* s as a JSON string (with its quotes) appended to sb. Text that may
 * hold bad UTF-8 (user input copied into a reply): each byte that starts
 * no valid sequence (lib/utf8.h) becomes U+FFFD, as utf8_add_lossy does,
 * so the string is never refused. */
void json_out_str(struct strbuf *sb, const char *s);

/* The same without the quotes: s's characters escaped, to put after
 * other characters of one string (" * " and the text, in an edit). */
void json_out_chars(struct strbuf *sb, const char *s);

/* s as a JSON string when it is valid UTF-8 (what json_string accepts):
 * 0; else -1 and nothing appended. */
int json_out_str_strict(struct strbuf *sb, const char *s);

/* 1 when json_out_str_strict would take s (valid UTF-8, not NULL). */
int json_out_ok(const char *s);

/* A key and the ':' after it (key: static text that needs no escaping),
 * with the ',' before it unless it is the object's first. */
void json_out_key(struct strbuf *sb, const char *key, int first);

#endif
