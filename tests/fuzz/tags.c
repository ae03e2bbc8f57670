/* Fuzz target: the #besluit / #actie / #info lines of a message
 * (handlers/tags.c). Each tag found lies on a line of the message and has
 * a text; parsing twice gives the same tags. */
#include <stdlib.h>
#include <string.h>

#include "handlers/tags.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = fz_str_dup(data, size);
	int lines = 1;
	for (const char *p = body; *p; p++)
		lines += *p == '\n';
	struct wt_tags t = { 0 }, again = { 0 };
	size_t n = tags_parse(body, &t);
	FZ_CHECK(n == t.n);
	FZ_CHECK(n <= (size_t)lines);
	int prev = 0;
	for (size_t i = 0; i < n; i++) {
		FZ_CHECK(t.v[i].kind == TAG_DECISION || t.v[i].kind == TAG_ACTION
			 || t.v[i].kind == TAG_INFO);
		FZ_CHECK(t.v[i].text != NULL);
		FZ_CHECK(strlen(t.v[i].text) < strlen(body));
		FZ_CHECK(t.v[i].line > prev && t.v[i].line <= lines);
		prev = t.v[i].line;
	}
	FZ_CHECK(tags_parse(body, &again) == n);
	for (size_t i = 0; i < n; i++)
		FZ_CHECK(strcmp(t.v[i].text, again.v[i].text) == 0);
	tags_free(&t);
	tags_free(&again);
	free(body);
	return 0;
}
