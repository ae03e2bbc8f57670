#include "storage/expertise.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "storage/db.h"

/* Plain letters for U+00C0..U+00FF (NULL: keep the character). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",   /* C0-C7 ÀÁÂÃÄÅÆÇ */
	"e", "e", "e", "e", "i", "i", "i", "i",    /* C8-CF ÈÉÊËÌÍÎÏ */
	"d", "n", "o", "o", "o", "o", "o", NULL,   /* D0-D7 ÐÑÒÓÔÕÖ× */
	"o", "u", "u", "u", "u", "y", "th", "ss",  /* D8-DF ØÙÚÛÜÝÞß */
	"a", "a", "a", "a", "a", "a", "ae", "c",   /* E0-E7 */
	"e", "e", "e", "e", "i", "i", "i", "i",    /* E8-EF */
	"d", "n", "o", "o", "o", "o", "o", NULL,   /* F0-F7 (÷ kept) */
	"o", "u", "u", "u", "u", "y", "th", "y",   /* F8-FF */
};

void expertise_fold(const char *s, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	int space = 0;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = 1;
			p++;
			continue;
		}
		if (space)
			sb_addc(out, ' ');
		space = 0;
		if (*p < 0x80) {
			sb_addc(out, (char)tolower(*p));
			p++;
		} else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF && latin1[p[1] - 0x80]) {
			sb_add(out, latin1[p[1] - 0x80]);
			p += 2;
		} else if (p[0] == 0xC4 && (p[1] == 0xB2 || p[1] == 0xB3)) {
			sb_add(out, "ij");     /* U+0132/U+0133 */
			p += 2;
		} else {
			sb_addc(out, (char)*p);
			p++;
		}
	}
}

/* Words too common to say anything about expertise. */
static int common_word(const char *w, size_t n)
{
	static const char *const words[] = {
		"voor", "over", "door", "naar", "zijn", "wordt", "worden", "deze",
		"onze", "hoe", "met", "van", "bij", "ook", "niet", "meer", "regio",
		"regionaal", "regionale", "advies", "vraag", "with", "from", "that",
		"this", "what", "which", "about", "advice", "question", "their",
		NULL,
	};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
			return 1;
	return 0;
}

static int word_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* 1 when needle occurs in hay starting at a word boundary. */
static int contains_at_word(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n < 3)
		return 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		if (p == hay || !word_char((unsigned char)p[-1]))
			return 1;
	return 0;
}

/* Count the significant words of a that start with, or are the start of,
 * a significant word of b. */
static int prefix_pairs(const char *a, const char *b)
{
	int score = 0;
	for (const char *p = a; *p;) {
		while (*p && !word_char((unsigned char)*p))
			p++;
		const char *s = p;
		while (*p && word_char((unsigned char)*p))
			p++;
		size_t la = (size_t)(p - s);
		if (la < 4 || common_word(s, la))
			continue;
		for (const char *q = b; *q;) {
			while (*q && !word_char((unsigned char)*q))
				q++;
			const char *t = q;
			while (*q && word_char((unsigned char)*q))
				q++;
			size_t lb = (size_t)(q - t);
			if (lb < 4 || common_word(t, lb))
				continue;
			size_t m = la < lb ? la : lb;
			if (memcmp(s, t, m) == 0) {
				score++;
				break;
			}
		}
	}
	return score;
}

int expertise_score(const char *text, const char *topic)
{
	if (!*text || !*topic)
		return 0;
	if (contains_at_word(text, topic) || contains_at_word(topic, text))
		return 100;
	return prefix_pairs(text, topic);
}

int expertise_add(sqlite3 *db, const char *network, const char *user,
		  const char *topic, time_t now)
{
	struct strbuf f = STRBUF_INIT;
	expertise_fold(topic, &f);
	int rc = db_execf(db,
		"INSERT OR IGNORE INTO expertise(network, user_id, topic, folded, added_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)", "tttti", network, user, topic, f.buf,
		(sqlite3_int64)now);
	sb_release(&f);
	if (rc < 0)
		return rc;
	return sqlite3_changes(db) > 0;
}

int expertise_remove(sqlite3 *db, const char *network, const char *user,
		     const char *topic)
{
	struct strbuf f = STRBUF_INIT;
	expertise_fold(topic, &f);
	int rc = db_execf(db,
		"DELETE FROM expertise WHERE network = ?1 AND user_id = ?2 AND folded = ?3",
		"ttt", network, user, f.buf);
	sb_release(&f);
	if (rc < 0)
		return rc;
	return sqlite3_changes(db) > 0;
}

/* The integer the one-row query st gives (bound by the caller), or 0. */
static int count_of(sqlite3_stmt *st)
{
	if (!st)
		return 0;
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	db_done(st);
	return n;
}

int expertise_user_listed(sqlite3 *db, const char *network, const char *user)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT count(*) FROM expertise WHERE network = ?1 AND user_id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	}
	return count_of(st) > 0;
}

int expertise_count(sqlite3 *db, const char *network)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM expertise WHERE network = ?1");
	if (st)
		sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	return count_of(st);
}

int expertise_of(sqlite3 *db, const char *network, const char *user,
		 struct strbuf *out)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT topic FROM expertise WHERE network = ?1 AND user_id = ?2"
		" ORDER BY folded");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++)
			sb_add(out, ", ");
		sb_add(out, (const char *)sqlite3_column_text(st, 0));
	}
	db_done(st);
	return n;
}

/* Order hits by score, then user id. */
static int hit_cmp(const void *a, const void *b)
{
	const struct expertise_hit *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return strcmp(x->user, y->user);
}

int expertise_find(sqlite3 *db, const char *network, const char *text,
		   size_t max, struct expertise_hit **out)
{
	*out = NULL;
	struct strbuf q = STRBUF_INIT;
	expertise_fold(text, &q);
	sqlite3_stmt *st = db_prepare(db,
		"SELECT user_id, topic, folded FROM expertise WHERE network = ?1"
		" ORDER BY user_id, folded");
	if (!st) {
		sb_release(&q);
		return -1;
	}
	sqlite3_bind_text(st, 1, network, -1, SQLITE_STATIC);
	struct expertise_hit *v = NULL;
	size_t n = 0, cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *user = (const char *)sqlite3_column_text(st, 0);
		const char *topic = (const char *)sqlite3_column_text(st, 1);
		int score = expertise_score(q.buf, (const char *)sqlite3_column_text(st, 2));
		if (score <= 0)
			continue;
		if (n && strcmp(v[n - 1].user, user) == 0) {
			struct strbuf t = STRBUF_INIT;
			sb_addf(&t, "%s, %s", v[n - 1].topics, topic);
			free(v[n - 1].topics);
			v[n - 1].topics = sb_detach(&t);
			v[n - 1].score += score;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n].user = xstrdup(user);
		v[n].topics = xstrdup(topic);
		v[n].score = score;
		n++;
	}
	db_done(st);
	sb_release(&q);
	if (n)
		qsort(v, n, sizeof *v, hit_cmp);
	while (n > max) {
		n--;
		free(v[n].user);
		free(v[n].topics);
	}
	*out = v;
	return (int)n;
}

void expertise_hits_free(struct expertise_hit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].user);
		free(v[i].topics);
	}
	free(v);
}
