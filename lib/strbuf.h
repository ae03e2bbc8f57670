/* strbuf: the one growing string type of werktafel.
 *
 * A strbuf always holds a NUL-terminated string in buf (never NULL once
 * initialised with STRBUF_INIT or sb_init). All add functions grow the
 * buffer as needed and abort() on out-of-memory: a bot that cannot
 * allocate a few bytes has nothing sensible left to do.
 *
 * Ownership: sb_release frees the buffer; sb_detach hands it to the caller
 * (free() it) and leaves the strbuf empty and reusable.
 */
#ifndef WT_STRBUF_H
#define WT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

/* The buffer of every empty strbuf (never written: sb_grow allocates
 * first), shared by the whole process like a string constant. */
extern char sb_empty_[];
#define STRBUF_INIT { sb_empty_, 0, 0 }

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_add(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Shorten to len bytes (no-op when already shorter). */
void sb_setlen(struct strbuf *sb, size_t len);
/* Remove trailing whitespace. */
void sb_rtrim(struct strbuf *sb);
/* Append what f holds from where it is: to its end, or until more than
 * max bytes are appended (then sb->len > max tells). 0, or -1 on a read
 * error (ferror; errno says why). */
int sb_read_file(struct strbuf *sb, FILE *f, size_t max);

/* Append user text escaped for CommonMark: every ASCII punctuation character
 * that could start markup gets a backslash, newlines become spaces, and '@'
 * is escaped too so user text never forms a mention or a link; "@room"
 * gets a word joiner after the '@' (no room ping from the plain body) and
 * bidi embedding, override and isolate controls are dropped (no reversed
 * reply lines). */
void sb_add_md(struct strbuf *sb, const char *s);

/* xstrdup/xmalloc: allocation that aborts on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
