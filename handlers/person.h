/* person: one resolver for every command that takes a person. A person may
 * be named as clients do it: by Matrix id (@piet:server), by a pill
 * (Element's autocomplete: the display name in body, a matrix.to link in
 * formatted_body, the user in m.mentions), by a bare localpart (@piet) or
 * by display name ("Piet Jansen"), resolved against the members of the
 * network's rooms (storage/room_members.h). */
#ifndef WT_PERSON_H
#define WT_PERSON_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "lib/strbuf.h"

/* The pills of formatted_body (HTML) added to m: each
 * <a href="https://matrix.to/#/@user:server">text</a>, in order. */
void person_pills_from_html(struct wt_mentions *m, const char *html);
/* Add one user of m.mentions.user_ids to m. */
void person_mention_add(struct wt_mentions *m, const char *user_id);
void person_mentions_free(struct wt_mentions *m);

/* body with each pill's text (in order, each once) replaced by the pill's
 * Matrix id, so that commands read the person the sender picked; NULL
 * when there is nothing to replace. Caller frees. */
char *person_body_dup(const struct wt_mentions *m, const char *body);

enum {
	PERSON_OK = 0,
	PERSON_NONE = 1,      /* nothing at p */
	PERSON_BAD = -1,      /* nobody fits: how to name someone is in err */
	PERSON_EDB = -2,      /* database error */
	PERSON_MANY = -3,     /* more than one fits: who they are is in err */
};

/* Read the person named at p (blanks skipped): on PERSON_OK user holds
 * their Matrix id and *after the text after the name (a trailing ':' or
 * ',' of the name is eaten). A Matrix id is taken as written; @local and
 * display names must fit the network's members: none, or more than one
 * (unless exactly one of those is in the message's m.mentions), gives
 * PERSON_BAD or PERSON_MANY with the catalogue's explanation (in ctx's
 * language, Markdown) in err. */
int person_read(struct wt_ctx *ctx, const char *p, struct strbuf *user,
		const char **after, struct strbuf *err);

/* person_read for a handler that answers itself: PERSON_OK as WT_OK;
 * PERSON_NONE returned as is (the caller decides); a bad name gets the
 * "how to name someone" (or "who of these") reply with the command's
 * synopsis and WT_EUSAGE; a database error WT_EDB. */
int person_arg(struct wt_ctx *ctx, const char *p, struct strbuf *user,
	       const char **after, enum msg_id synopsis);

#endif
