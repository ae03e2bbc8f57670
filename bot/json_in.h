/* json_in: JSON from the network, read so that no text a homeserver (or
 * anything posing as one) sends can wedge the bot.
 *
 * jansson refuses things that are valid JSON or harmless: a \u0000 escape
 * (without JSON_ALLOW_NUL; in object keys always), lone surrogate escapes
 * (\ud800), nesting deeper than 2048, integers beyond 64 bits, reals beyond
 * DBL_MAX; and, with JSON_REJECT_DUPLICATES, a key given twice. One refusal
 * anywhere used to fail a whole /sync body, so the bot asked for the same
 * token forever. json_in_parse first repairs the raw text in one
 * string-aware pass (no recursion, no limit on the input's depth):
 *   - lone surrogate escapes and malformed escapes become \ufffd;
 *   - invalid UTF-8 bytes inside strings become U+FFFD;
 *   - raw control characters inside strings are escaped, outside dropped;
 *   - \u0000 in an object key becomes \ufffd (values keep their NUL);
 *   - a value nested deeper than JSON_IN_MAX_DEPTH becomes null;
 *   - a number jansson cannot hold becomes null;
 * then parses with JSON_ALLOW_NUL; a key given twice keeps its last value
 * (as the homeserver's own JSON reader does). Text that is not JSON at all
 * (cut off, unbalanced) is still refused.
 *
 * Strings may therefore hold NUL characters: json_string_value stops at the
 * first one. Read event fields through json_in_str, which refuses such a
 * string instead of handing out half of it. */
#ifndef WT_JSON_IN_H
#define WT_JSON_IN_H

#include <jansson.h>
#include <stddef.h>

#include "lib/strbuf.h"

/* Deepest nesting kept; a Matrix event the bot reads is about 10 deep. */
#define JSON_IN_MAX_DEPTH 64

/* What the repair changed (all zero: the text went through as it was). */
struct json_in_stats {
	size_t surrogates;   /* lone surrogate escapes */
	size_t bad_escapes;  /* malformed backslash escapes */
	size_t bad_utf8;     /* invalid UTF-8 sequences */
	size_t controls;     /* raw control characters in strings */
	size_t key_nuls;     /* \u0000 in object keys */
	size_t deep;         /* values nested too deep */
	size_t numbers;      /* numbers out of range */
	size_t duplicates;   /* 1 when some object had a key twice */
};

/* Append the repaired copy of text[0..len) to out (see above). */
void json_in_sanitize(const char *text, size_t len, struct strbuf *out,
		      struct json_in_stats *st);

/* Parse network JSON (any value) after the repair. NULL when it is not
 * JSON at all. st may be NULL. */
json_t *json_in_parse(const char *text, size_t len, struct json_in_stats *st);

/* Nonzero when the repair changed anything; describes it in why. */
int json_in_repaired(const struct json_in_stats *st, struct strbuf *why);

/* The string at key of obj, or NULL when it is absent, not a string, or
 * holds a NUL character (it would be read only up to there). */
const char *json_in_str(json_t *obj, const char *key);

/* 1 when v is a string holding a NUL character. */
int json_in_has_nul(json_t *v);

#endif
