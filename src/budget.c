/* budget.c - the one parser of a time budget: "10", "2.5" (seconds) or "5%" (of the suite's time).
 * Returns what is wrong rather than printing, as the file and the command line word it differently. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "budget.h"
#include "banned.h"

/* Only digits and dots before an optional '%', as .covopt.yml wants. */
static int plain_decimal(const char *text, size_t len)
{
	return strspn(text, "0123456789.") == len;
}

enum budget_status budget_parse(struct budget *out, const char *text,
				int strict)
{
	size_t len = strlen(text);
	int share = len && text[len - 1] == '%';
	char *end;
	double v;

	if (strict && !plain_decimal(text, len - share))
		return BUDGET_SYNTAX;
	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || end != text + len - share ||
	    !isfinite(v) || v < 0)
		return BUDGET_SYNTAX;
	out->value = v;
	out->is_share = share;
	if (share && v > 100)
		return BUDGET_OVER_100;
	if (strict && !(v > 0))
		return BUDGET_ZERO;
	return BUDGET_OK;
}

double budget_seconds(const struct budget *b, double suite_time)
{
	return b->is_share ? b->value / 100 * suite_time : b->value;
}
