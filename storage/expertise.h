/* expertise: who in a network knows what (table expertise, migration 7),
 * and the matching that finds them: case- and accent-insensitive
 * ("Dementie", "démentie" and "DEMENTIE" are one topic), with a crude
 * word-prefix match instead of stemming ("dementie" finds
 * "dementiezorg"). */
#ifndef WT_STORAGE_EXPERTISE_H
#define WT_STORAGE_EXPERTISE_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "lib/strbuf.h"

/* Append s folded for matching to out: ASCII lower case, the accented
 * Latin letters of U+00C0..U+00FF (and the Dutch ij ligature) as plain
 * letters (é -> e, ß -> ss, æ -> ae), runs of blanks as one space, trimmed.
 * Other characters are kept as they are. */
void expertise_fold(const char *s, struct strbuf *out);

/* How well an expertise topic matches a text (both given folded): 100 when
 * one contains the other starting at a word, else the number of word pairs
 * (words of 4+ letters, common words left out) where one word starts with
 * the other; 0 = no match. */
int expertise_score(const char *folded_text, const char *folded_topic);

/* Add topic to user's profile in network: 1 added, 0 already there. */
int expertise_add(sqlite3 *db, const char *network, const char *user,
		  const char *topic, time_t now);
/* Remove topic (matched folded) from user's profile: 1 removed, 0 not
 * found. */
int expertise_remove(sqlite3 *db, const char *network, const char *user,
		     const char *topic);
/* 1 when user listed any expertise in network. */
int expertise_user_listed(sqlite3 *db, const char *network, const char *user);
/* Number of rows of network (0: nobody listed anything). */
int expertise_count(sqlite3 *db, const char *network);

/* One person and their best-matching topic. */
struct expertise_hit {
	char *user;
	char *topics;      /* the matching topics, comma-separated, as typed */
	int score;
};

/* The network's people whose topics match text (any text: a query, or a
 * request's theme, title and question), best first, at most max. Returns
 * the count or negative; free with expertise_hits_free. */
int expertise_find(sqlite3 *db, const char *network, const char *text,
		   size_t max, struct expertise_hit **v);
/* user's topics in network, as typed, comma-separated ("" when none). */
int expertise_of(sqlite3 *db, const char *network, const char *user,
		 struct strbuf *out);
void expertise_hits_free(struct expertise_hit *v, size_t n);

#endif
