/* quote: the text of a message a reminder is about, when the reply that
 * set it carried no fallback to quote (clients may send replies without
 * one): GET /rooms/{room}/event/{id}, one at a time, and keep a short
 * excerpt (storage/reminder_quotes.h). Any failure (the event is gone,
 * encrypted, no message, the server says no) leaves the reminder with the
 * link alone: the command is never lost over it. */
#ifndef WT_QUOTE_H
#define WT_QUOTE_H

struct matrix;

/* Fetch the next wanted excerpt (asynchronously); each answer starts the
 * next. Cheap when none are wanted: call it after every sync. */
void quote_run(struct matrix *m);

/* The excerpt kept of a message's body: the body past its own reply
 * fallback, at most QUOTE_MAX bytes (cut on a character boundary), or
 * NULL when nothing is left. Caller frees. */
#define QUOTE_MAX 400
char *quote_excerpt_dup(const char *body);

#endif
