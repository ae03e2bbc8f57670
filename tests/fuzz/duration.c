/* Fuzz target: durations ("2u", "1h30", "1,5 uur", "3 dagen";
 * when_parse_duration in handlers/when_lex.c). A duration is -1 or between
 * 0 and ten years, from bytes of the input. */
#include <stdlib.h>
#include <string.h>

#include "handlers/when.h"
#include "tests/fuzz/fuzz.h"

#define TEN_YEARS (3653L * 86400)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_str_dup(data, size);
	size_t used = 0;
	long s = when_parse_duration(text, &used);
	FZ_CHECK(s == -1 || (s >= 0 && s <= TEN_YEARS));
	if (s >= 0)
		FZ_CHECK(used > 0 && used <= strlen(text));
	free(text);
	return 0;
}
