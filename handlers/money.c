/* money: Dutch euro notation to cents, and cents to Dutch or English
 * notation; see handlers/money.h. */
#include "handlers/money.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* 1 when p starts with the UTF-8 euro sign. */
static int is_euro(const char *p)
{
	return (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x82
	       && (unsigned char)p[2] == 0xac;
}

/* 1 when c ends a word. */
static int is_end(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Read the digits and separators of an amount from p[0..n) into cents. */
static int parse_number(const char *p, size_t n, long long *cents)
{
	long long euros = 0;
	size_t i = 0, group = 0, groups = 0;
	int digits = 0;
	for (; i < n && p[i] != ','; i++) {
		if (p[i] == '.') {
			/* A dot groups thousands: the first group has 1-3 digits,
			 * every later one exactly three. */
			if (group == 0 || (groups > 0 && group != 3) || group > 3)
				return MONEY_BAD;
			groups++;
			group = 0;
			continue;
		}
		if (!isdigit((unsigned char)p[i]))
			return MONEY_BAD;
		euros = euros * 10 + (p[i] - '0');
		if (euros > MONEY_MAX_CENTS / 100)
			return MONEY_TOO_BIG;
		group++;
		digits++;
	}
	if (!digits || (groups > 0 && group != 3))
		return MONEY_BAD;
	long long c = 0;
	if (i < n) { /* after the comma */
		const char *f = p + i + 1;
		size_t fn = n - i - 1;
		if ((fn == 1 && f[0] == '-') || (fn == 2 && f[0] == '-' && f[1] == '-')) {
			c = 0;
		} else if (fn == 1 && isdigit((unsigned char)f[0])) {
			c = (f[0] - '0') * 10;
		} else if (fn == 2 && isdigit((unsigned char)f[0]) && isdigit((unsigned char)f[1])) {
			c = (f[0] - '0') * 10 + (f[1] - '0');
		} else {
			return MONEY_BAD;
		}
	}
	*cents = euros * 100 + c;
	if (*cents > MONEY_MAX_CENTS)
		return MONEY_TOO_BIG;
	return MONEY_OK;
}

int money_parse(const char *text, long long *cents, size_t *consumed)
{
	const char *p = text;
	*cents = 0;
	*consumed = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (is_end(*p))
		return MONEY_EMPTY;
	int neg = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (is_euro(p)) {
		p += 3;
		while (*p == ' ' || *p == '\t')
			p++;
	} else if (strncasecmp(p, "eur", 3) == 0 && (p[3] == ' ' || isdigit((unsigned char)p[3]))) {
		p += 3;
		while (*p == ' ')
			p++;
	}
	if (*p == '-') {
		neg = 1;
		p++;
	}
	const char *start = p;
	while (!is_end(*p))
		p++;
	if (p == start)
		return neg ? MONEY_NEGATIVE : MONEY_EMPTY;
	long long c;
	int rc = parse_number(start, (size_t)(p - start), &c);
	if (rc == MONEY_OK && neg && c > 0)
		return MONEY_NEGATIVE;
	if (rc != MONEY_OK)
		return neg && isdigit((unsigned char)*start) ? MONEY_NEGATIVE : rc;
	/* An optional currency word after the number. */
	const char *q = p;
	while (*q == ' ' || *q == '\t')
		q++;
	if ((strncasecmp(q, "euro", 4) == 0 && is_end(q[4]))
	    || (strncasecmp(q, "eur", 3) == 0 && is_end(q[3])))
		p = q + (strncasecmp(q, "euro", 4) == 0 ? 4 : 3);
	*cents = c;
	*consumed = (size_t)(p - text);
	return MONEY_OK;
}

void money_format(struct strbuf *sb, long long cents, enum wt_lang lang)
{
	int en = lang == LANG_EN;
	/* Dutch "€ -1.250,50", English "-€1,250.50" */
	if (cents < 0 && en)
		sb_addc(sb, '-');
	sb_add(sb, en ? "€" : "€ ");
	unsigned long long v;
	if (cents < 0) {
		if (!en)
			sb_addc(sb, '-');
		v = (unsigned long long)(-(cents + 1)) + 1;
	} else {
		v = (unsigned long long)cents;
	}
	unsigned long long euros = v / 100;
	char digits[32];
	int n = 0;
	do {
		digits[n++] = (char)('0' + euros % 10);
		euros /= 10;
	} while (euros);
	for (int i = n - 1; i >= 0; i--) {
		sb_addc(sb, digits[i]);
		if (i > 0 && i % 3 == 0)
			sb_addc(sb, en ? ',' : '.');
	}
	sb_addf(sb, en ? ".%02llu" : ",%02llu", v % 100);
}
