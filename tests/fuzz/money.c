/* Fuzz target: euro amounts (handlers/money.c). An accepted amount is
 * between 0 and MONEY_MAX_CENTS, used bytes of the input, and reads back
 * to the same cents from the way the bot writes it. */
#include <stdlib.h>
#include <string.h>

#include "handlers/money.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_str_dup(data, size);
	long long cents = -1;
	size_t used = 0;
	int rc = money_parse(text, &cents, &used);
	FZ_CHECK(rc == MONEY_OK || rc == MONEY_EMPTY || rc == MONEY_NEGATIVE
		 || rc == MONEY_BAD || rc == MONEY_TOO_BIG);
	if (rc == MONEY_OK) {
		FZ_CHECK(cents >= 0 && cents <= MONEY_MAX_CENTS);
		FZ_CHECK(used > 0 && used <= strlen(text));
		struct strbuf sb = STRBUF_INIT;
		money_format(&sb, cents, LANG_NL);
		long long back = -1;
		size_t used2 = 0;
		FZ_CHECK(money_parse(sb.buf, &back, &used2) == MONEY_OK);
		FZ_CHECK(back == cents);
		FZ_CHECK(used2 == sb.len);
		sb_release(&sb);
	}
	free(text);
	return 0;
}
