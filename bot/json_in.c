/* JSON from the network: repair, parse, read strings (see bot/json_in.h). */
#include "bot/json_in.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/utf8.h"

#define FFFD_ESC "\\ufffd"
#define FFFD_UTF8 "\xEF\xBF\xBD"

/* One pass over the text: where it is, what it writes. */
struct scan {
	const unsigned char *s;
	size_t len, i;
	struct strbuf *out;
	struct json_in_stats *st;
	char stack[JSON_IN_MAX_DEPTH]; /* '{' or '[' per open container */
	size_t depth;
};

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 4-hex-digit code unit at s[i], or -1 (fewer than 4 hex digits). */
static long hex4(const struct scan *x, size_t i)
{
	if (i + 4 > x->len)
		return -1;
	long v = 0;
	for (size_t k = 0; k < 4; k++) {
		int h = hexval(x->s[i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* One backslash escape inside a string, at s[i] == '\\'. */
static void escape(struct scan *x, int is_key)
{
	size_t i = x->i;
	if (i + 1 >= x->len) {
		x->st->bad_escapes++;
		sb_add(x->out, FFFD_ESC);
		x->i = x->len;
		return;
	}
	unsigned char e = x->s[i + 1];
	if (strchr("\"\\/bfnrt", e) && e) {
		sb_addn(x->out, (const char *)x->s + i, 2);
		x->i += 2;
		return;
	}
	long cp = e == 'u' ? hex4(x, i + 2) : -1;
	if (cp < 0) {
		x->st->bad_escapes++;
		sb_add(x->out, FFFD_ESC);
		x->i += 2;
		return;
	}
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		long lo = i + 7 < x->len && x->s[i + 6] == '\\' && x->s[i + 7] == 'u'
			? hex4(x, i + 8) : -1;
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			sb_addn(x->out, (const char *)x->s + i, 12);
			x->i += 12;
			return;
		}
	}
	if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp == 0 && is_key)) {
		if (cp)
			x->st->surrogates++;
		else
			x->st->key_nuls++;
		sb_add(x->out, FFFD_ESC);
	} else {
		sb_addn(x->out, (const char *)x->s + i, 6);
	}
	x->i += 6;
}

/* A string, from its opening quote to its closing one (or the end). */
static void string(struct scan *x, int is_key)
{
	sb_addc(x->out, '"');
	x->i++;
	while (x->i < x->len) {
		unsigned char c = x->s[x->i];
		if (c == '"') {
			sb_addc(x->out, '"');
			x->i++;
			return;
		}
		if (c == '\\') {
			escape(x, is_key);
		} else if (c < 0x20) {
			x->st->controls++;
			if (c == 0 && is_key)
				sb_add(x->out, FFFD_ESC);
			else
				sb_addf(x->out, "\\u%04x", c);
			x->i++;
		} else if (c < 0x80) {
			/* A run of plain ASCII goes in one copy. */
			size_t j = x->i + 1;
			while (j < x->len && x->s[j] >= 0x20 && x->s[j] < 0x80
			       && x->s[j] != '"' && x->s[j] != '\\')
				j++;
			sb_addn(x->out, (const char *)x->s + x->i, j - x->i);
			x->i = j;
		} else {
			size_t n = utf8_seq_len(x->s + x->i, x->len - x->i);
			if (n) {
				sb_addn(x->out, (const char *)x->s + x->i, n);
				x->i += n;
			} else {
				x->st->bad_utf8++;
				sb_add(x->out, FFFD_UTF8);
				x->i++;
			}
		}
	}
}

/* Skip the container opening at s[i] and everything in it (strings taken
 * as strings); write null instead. */
static void skip_deep(struct scan *x)
{
	size_t level = 0;
	x->st->deep++;
	while (x->i < x->len) {
		unsigned char c = x->s[x->i++];
		if (c == '"') {
			while (x->i < x->len && x->s[x->i] != '"')
				x->i += x->s[x->i] == '\\' ? 2 : 1;
			x->i++;
		} else if (c == '{' || c == '[') {
			level++;
		} else if ((c == '}' || c == ']') && --level == 0) {
			break;
		}
	}
	if (x->i > x->len)
		x->i = x->len;
	sb_add(x->out, "null");
}

static int has_exponent(const struct scan *x, size_t start, size_t n)
{
	for (size_t k = start; k < start + n; k++)
		if (x->s[k] == 'e' || x->s[k] == 'E')
			return 1;
	return 0;
}

/* A number token: kept when jansson can hold it, else null. */
static void number(struct scan *x)
{
	size_t start = x->i;
	int real = 0;
	while (x->i < x->len && strchr("0123456789+-.eE", x->s[x->i]) && x->s[x->i]) {
		real |= x->s[x->i] == '.' || x->s[x->i] == 'e' || x->s[x->i] == 'E';
		x->i++;
	}
	size_t n = x->i - start;
	/* Up to 18 digits (an integer) or 300 characters without an
	 * exponent (a real) always fit: copied without a conversion. */
	if (n && ((!real && n <= 18) || (real && n < 300 && !has_exponent(x, start, n)))) {
		sb_addn(x->out, (const char *)x->s + start, n);
		return;
	}
	struct strbuf tok = STRBUF_INIT;
	sb_addn(&tok, (const char *)x->s + start, n);
	char *end;
	errno = 0;
	int out_of_range;
	if (real) {
		double d = strtod(tok.buf, &end);
		out_of_range = errno == ERANGE && isinf(d);
	} else {
		(void)strtoll(tok.buf, &end, 10);
		out_of_range = errno == ERANGE;
	}
	if (out_of_range) {
		x->st->numbers++;
		sb_add(x->out, "null");
	} else {
		sb_addn(x->out, tok.buf, n);
	}
	sb_release(&tok);
}

void json_in_sanitize(const char *text, size_t len, struct strbuf *out,
		      struct json_in_stats *st)
{
	struct json_in_stats dummy;
	struct scan x = { .s = (const unsigned char *)text, .len = len, .out = out,
			  .st = st ? st : &dummy };
	memset(x.st, 0, sizeof *x.st);
	sb_grow(out, len + 16);
	int expect_key = 0;
	while (x.i < x.len) {
		unsigned char c = x.s[x.i];
		if (c == '"') {
			string(&x, expect_key);
			expect_key = 0;
		} else if (c == '{' || c == '[') {
			if (x.depth >= JSON_IN_MAX_DEPTH) {
				skip_deep(&x);
				continue;
			}
			x.stack[x.depth++] = (char)c;
			expect_key = c == '{';
			sb_addc(out, (char)c);
			x.i++;
		} else if (c == '}' || c == ']') {
			if (x.depth)
				x.depth--;
			expect_key = 0;
			sb_addc(out, (char)c);
			x.i++;
		} else if (c == ',') {
			expect_key = x.depth && x.stack[x.depth - 1] == '{';
			sb_addc(out, ',');
			x.i++;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			number(&x);
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			x.st->controls++;   /* e.g. a C string's NUL sent along */
			x.i++;
		} else {
			sb_addc(out, (char)c);
			x.i++;
		}
	}
}

json_t *json_in_parse(const char *text, size_t len, struct json_in_stats *st)
{
	struct json_in_stats dummy;
	if (!st)
		st = &dummy;
	struct strbuf fixed = STRBUF_INIT;
	json_in_sanitize(text, len, &fixed, st);
	json_error_t err;
	json_t *j = json_loadb(fixed.buf, fixed.len,
			       JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!j && json_error_code(&err) == json_error_duplicate_key) {
		st->duplicates = 1;
		j = json_loadb(fixed.buf, fixed.len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
	}
	sb_release(&fixed);
	return j;
}

/* Append "n what" to why, comma-separated, when n > 0. */
static void note(struct strbuf *why, size_t n, const char *what)
{
	if (!n)
		return;
	if (why->len)
		sb_add(why, ", ");
	sb_addf(why, "%zu %s", n, what);
}

int json_in_repaired(const struct json_in_stats *st, struct strbuf *why)
{
	note(why, st->surrogates, "lone surrogate escape(s) made U+FFFD");
	note(why, st->bad_escapes, "malformed escape(s) made U+FFFD");
	note(why, st->bad_utf8, "invalid UTF-8 sequence(s) made U+FFFD");
	note(why, st->controls, "raw control character(s) escaped");
	note(why, st->key_nuls, "NUL(s) in object keys made U+FFFD");
	note(why, st->deep, "value(s) nested too deep made null");
	note(why, st->numbers, "number(s) out of range made null");
	note(why, st->duplicates, "object(s) with a key twice (the last value counts)");
	return why->len > 0;
}

const char *json_in_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v) || json_in_has_nul(v))
		return NULL;
	return json_string_value(v);
}

int json_in_has_nul(json_t *v)
{
	return json_is_string(v)
	       && memchr(json_string_value(v), '\0', json_string_length(v)) != NULL;
}
