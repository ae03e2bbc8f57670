/* secret: comparing secrets (tokens, session ids) without telling an
 * attacker by the time taken how much of a guess was right. */
#ifndef WT_LIB_SECRET_H
#define WT_LIB_SECRET_H

/* 1 when a and b are the same string, 0 when not, in time that depends on
 * their lengths only. */
int secret_equal(const char *a, const char *b);

#endif
