#include "handlers/catalog.h"

struct msg_entry {
	const char *name;
	const char *text[WT_NLANGS];
};

static const struct msg_entry catalog[M__COUNT] = {
#define MSG(id, nl, en) [id] = { #id, { nl, en } },
#include "handlers/messages.def"
#undef MSG
};

const char *msg_text(enum wt_lang lang, enum msg_id id)
{
	if ((unsigned)id >= M__COUNT)
		return "";
	const char *t = catalog[id].text[lang == LANG_EN ? 1 : 0];
	return t ? t : "";
}

enum msg_id msg_count(enum msg_id one, long long n)
{
	return n == 1 ? one : (enum msg_id)(one + 1);
}

const char *msg_name(enum msg_id id)
{
	return (unsigned)id < M__COUNT ? catalog[id].name : "?";
}
