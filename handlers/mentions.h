/* mentions: the people a message names, as the transport read them. */
#ifndef WT_MENTIONS_H
#define WT_MENTIONS_H

#include <stddef.h>

/* The people a message names the way clients do it (read from the event
 * by the transport): pills (a link to https://matrix.to/#/@user:server in
 * formatted_body, shown with text in body) and m.mentions.user_ids. The
 * person resolver (handlers/person.h) uses them. */
struct wt_pill {
	char *user_id;
	char *text;              /* the pill's text as body shows it */
};
struct wt_mentions {
	struct wt_pill *pills;
	size_t npills;
	char **user_ids;         /* m.mentions.user_ids */
	size_t nuser_ids;
};

#endif
