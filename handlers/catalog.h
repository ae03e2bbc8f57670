/* catalog: every user-visible text, in Dutch and English.
 *
 * Texts are defined in handlers/msg_*.def files as MSG(KEY, "nl", "en"),
 * one file per command family, all listed in handlers/messages.def. A text is
 * a printf format; both languages of one key take the same arguments in the
 * same order (a unit test checks this). Replies are Markdown.
 *
 * A text that holds a count has two keys, one after the other: M_X_ONE, the
 * form for 1 ("1 punt staat"), and M_X_MANY, the form for every other count
 * ("0 punten", "3 punten staan"); both take the same arguments. msg_count
 * picks the key for a count. A counted phrase inside a longer text is a pair
 * M_N_..._ONE/_MANY whose only argument is the count (%lld), written with
 * sb_addcount (handlers/reply.h) and passed to the text as a %s. */
#ifndef WT_CATALOG_H
#define WT_CATALOG_H

#include "handlers/network.h"

enum msg_id {
#define MSG(id, nl, en) id,
#include "handlers/messages.def"
#undef MSG
	M__COUNT
};

/* The text of id in lang (never NULL). */
const char *msg_text(enum wt_lang lang, enum msg_id id);
/* The key for count n of the pair that starts at one (an M_..._ONE key):
 * one itself when n is 1, else the M_..._MANY key after it. */
enum msg_id msg_count(enum msg_id one, long long n);
/* The key's name, e.g. "M_HELP_HEADER", for tests and logs. */
const char *msg_name(enum msg_id id);

#endif
