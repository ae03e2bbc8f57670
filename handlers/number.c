/* number: measured values written the Dutch way (see number.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "handlers/number.h"

static int is_end(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The integer part with optional thousands dots: digits, or 1-3 digits
 * then groups ".ddd". Returns the bytes read, or -1. */
static int read_int(const char *p, double *v)
{
	int n = 0, first = 0;
	double x = 0;
	while (p[n] >= '0' && p[n] <= '9') {
		x = x * 10 + (p[n] - '0');
		n++;
	}
	first = n;
	if (!n)
		return -1;
	while (p[n] == '.') {
		if (first > 3 && n == first)
			return -1;
		for (int k = 1; k <= 3; k++)
			if (p[n + k] < '0' || p[n + k] > '9')
				return -1;
		if (p[n + 4] >= '0' && p[n + 4] <= '9')
			return -1;
		for (int k = 1; k <= 3; k++)
			x = x * 10 + (p[n + k] - '0');
		n += 4;
	}
	*v = x;
	return n;
}

int number_parse(const char *text, double *value, size_t *consumed)
{
	const char *s = text;
	while (*s == ' ' || *s == '\t')
		s++;
	if (is_end(*s))
		return NUMBER_EMPTY;
	const char *p = s;
	int neg = 0;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	double v;
	int n = read_int(p, &v);
	if (n < 0)
		return NUMBER_BAD;
	p += n;
	if (*p == ',') {
		int k = 0;
		double scale = 0.1;
		while (p[1 + k] >= '0' && p[1 + k] <= '9') {
			v += (p[1 + k] - '0') * scale;
			scale /= 10;
			k++;
		}
		if (k == 0 || k > 3)
			return NUMBER_BAD;
		p += 1 + k;
	}
	if (*p == '%')
		p++;
	if (!is_end(*p))
		return NUMBER_BAD;
	if (v > NUMBER_MAX)
		return NUMBER_TOO_BIG;
	/* A "%" as the next word belongs to the number. */
	const char *q = p;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q == '%' && is_end(q[1]))
		p = q + 1;
	*value = neg ? -v : v;
	*consumed = (size_t)(p - text);
	return NUMBER_OK;
}

void number_format(struct strbuf *sb, double value, enum wt_lang lang)
{
	char dot = lang == LANG_EN ? ',' : '.', comma = lang == LANG_EN ? '.' : ',';
	long long thousandths = llround(fabs(value) * 1000);
	long long whole = thousandths / 1000;
	int frac = (int)(thousandths % 1000);
	if (value < 0 && thousandths)
		sb_addc(sb, '-');
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%lld", whole);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			sb_addc(sb, dot);
		sb_addc(sb, digits[i]);
	}
	if (frac) {
		char f[4];
		snprintf(f, sizeof f, "%03d", frac);
		int k = 3;
		while (k > 0 && f[k - 1] == '0')
			k--;
		sb_addc(sb, comma);
		sb_addn(sb, f, (size_t)k);
	}
}
