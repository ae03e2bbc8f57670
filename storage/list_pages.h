/* list_pages: per room and person, the list they last read in pages (the
 * command, its arguments without the page request, the next page), so
 * `!meer` / `!more` shows the next page without retyping the command. */
#ifndef WT_STORAGE_LIST_PAGES_H
#define WT_STORAGE_LIST_PAGES_H

#include <sqlite3.h>

struct list_page {
	char *command;   /* the command's Dutch name, e.g. "besluiten" */
	char *args;      /* its arguments without the page request; "" for none */
	long next;       /* the page `!meer` shows; 0: the last one was shown */
};

/* Remember that sender, in room, read command with args; next: the page
 * `!meer` shows. next 0 (that list is at its end) only updates the row
 * of the same command, so a list of one page writes nothing. 0 or
 * negative. */
int list_pages_set(sqlite3 *db, const char *room, const char *sender,
		   const char *command, const char *args, long next, long long at);
/* The list sender last read in room: 1 and *out filled (free with
 * list_page_free), 0 when there is none, negative on error. */
int list_pages_get(sqlite3 *db, const char *room, const char *sender,
		   struct list_page *out);
void list_page_free(struct list_page *p);

#endif
