/* utf8: the one UTF-8 validator (strict, as RFC 3629 and Matrix want it:
 * no overlong forms, no surrogates U+D800..U+DFFF, nothing above
 * U+10FFFF, no sequence cut short). The JSON reader, the reply builder,
 * the profile check and the command entry all use it. */
#ifndef WT_UTF8_H
#define WT_UTF8_H

#include <stddef.h>

struct strbuf;

/* Length (1 to 4) of the valid UTF-8 sequence at p, of which left bytes
 * may be read; 0 when p holds no valid sequence (or left is 0). A NUL
 * byte is a valid sequence of 1 here. */
size_t utf8_seq_len(const unsigned char *p, size_t left);
/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int utf8_valid(const char *s, size_t n);
/* Number of Unicode code points in s (valid UTF-8 assumed). */
size_t utf8_chars(const char *s);
/* Append s to out with each byte that starts no valid sequence made
 * U+FFFD. */
void utf8_add_lossy(struct strbuf *out, const char *s);

#endif
