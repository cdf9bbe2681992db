/* budget.h - the one parser of a time budget: "10", "2.5" (seconds) or "5%" (of the suite's time).
 * Callers phrase the message; .covopt.yml is strict, the command line and git config take what strtod reads. */
#ifndef COVOPT_BUDGET_H
#define COVOPT_BUDGET_H

struct budget {
	double value;		/* seconds, or a percentage when is_share */
	int is_share;		/* written with a trailing '%' */
};

enum budget_status {
	BUDGET_OK = 0,
	BUDGET_SYNTAX,		/* not seconds or a percentage */
	BUDGET_ZERO,		/* 0 or 0%, refused when strict */
	BUDGET_OVER_100,	/* a share of more than 100% */
};

/*
 * Parse text into out. strict (.covopt.yml): plain decimal digits and
 * dots only, more than 0. Otherwise (--time, covopt.budget): anything
 * strtod reads that is finite and not negative, 0 included. A share is at
 * most 100 either way.
 */
enum budget_status budget_parse(struct budget *out, const char *text,
				int strict);

/* The budget in seconds for a suite that takes suite_time seconds. */
double budget_seconds(const struct budget *b, double suite_time);

#endif
