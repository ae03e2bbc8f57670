/* Fuzz target: measured values (handlers/number.c). An accepted number is
 * at most NUMBER_MAX in size, used bytes of the input, and reads back to
 * the same value (to three decimals) from the way the bot writes it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/number.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_str_dup(data, size);
	double v = 0;
	size_t used = 0;
	int rc = number_parse(text, &v, &used);
	FZ_CHECK(rc == NUMBER_OK || rc == NUMBER_EMPTY || rc == NUMBER_BAD || rc == NUMBER_TOO_BIG);
	if (rc == NUMBER_OK) {
		FZ_CHECK(fabs(v) <= NUMBER_MAX);
		FZ_CHECK(used > 0 && used <= strlen(text));
		struct strbuf sb = STRBUF_INIT;
		number_format(&sb, v, LANG_NL);
		double back = 0;
		size_t used2 = 0;
		FZ_CHECK(number_parse(sb.buf, &back, &used2) == NUMBER_OK);
		FZ_CHECK(fabs(back - v) < 0.001);
		FZ_CHECK(used2 == sb.len);
		sb_release(&sb);
	}
	free(text);
	return 0;
}
