/* catalog: every user-visible text, in Dutch and English.
 *
 * Texts are defined in handlers/msg_*.def files as MSG(KEY, "nl", "en"),
 * one file per command family, all listed in handlers/messages.def. A text is
 * a printf format; both languages of one key take the same arguments in the
 * same order (a unit test checks this). Replies are Markdown. */
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
/* The key's name, e.g. "M_HELP_HEADER", for tests and logs. */
const char *msg_name(enum msg_id id);

#endif
