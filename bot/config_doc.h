/* config_doc: what each config key means, for werktafel.ini(5). The keys
 * themselves are bot/config_keys.c's tables; test_config_doc checks that
 * every key there has a row here and every row is a key, so the manual
 * cannot drift from what the parser takes. */
#ifndef WT_CONFIG_DOC_H
#define WT_CONFIG_DOC_H

#include "lib/strbuf.h"

struct cfg_doc {
	const char *section;  /* "matrix", "bot", "crypto", "network" */
	const char *key;
	const char *value;    /* what a value looks like: "URL", "yes|no" */
	const char *text;     /* what it does, with "Default: ..." */
};

extern const struct cfg_doc cfg_docs[];
extern const size_t cfg_ndocs;

/* The row of key in section, or NULL. */
const struct cfg_doc *cfg_doc_find(const char *section, const char *key);

/* The section keys in the parser's tables (NULL-terminated), by the
 * section name of cfg_doc, or NULL for an unknown one. */
const char *const *cfg_doc_keys(const char *section);

/* The whole page werktafel.ini(5) in roff. */
void config_doc_man(struct strbuf *sb, const char *date, const char *version);

#endif
