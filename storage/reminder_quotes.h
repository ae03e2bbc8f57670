/* reminder_quotes: the message a reminder was set about ("!herinner mij
 * morgen 9:00" sent as a reply to it): where it is, for the link, and a
 * short excerpt of its text. An excerpt the reply's fallback did not give
 * is wanted: bot/quote.c fetches the event and stores it (or gives up, and
 * the reminder goes out with the link alone). */
#ifndef WT_STORAGE_REMINDER_QUOTES_H
#define WT_STORAGE_REMINDER_QUOTES_H

#include <sqlite3.h>

struct wt_quote {
	char *room_id;
	char *event_id;
	char *excerpt;   /* NULL: not known (yet) */
};

/* Record the message of reminder_id; excerpt NULL marks it wanted. 0 or
 * negative. */
int reminder_quote_add(sqlite3 *db, long long reminder_id, const char *room_id,
		       const char *event_id, const char *excerpt);
/* The message of reminder_id: 1 found (out filled), 0 none, negative. */
int reminder_quote_get(sqlite3 *db, long long reminder_id, struct wt_quote *out);
/* The next quote to fetch: 1 (out filled, *reminder_id set), 0, negative. */
int reminder_quote_next_wanted(sqlite3 *db, long long *reminder_id, struct wt_quote *out);
/* The fetch is over: excerpt (NULL: none could be read) stored, no longer
 * wanted. 0 or negative. */
int reminder_quote_done(sqlite3 *db, long long reminder_id, const char *excerpt);
void reminder_quote_free(struct wt_quote *q);

#endif
