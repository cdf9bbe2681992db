/* optimizer.h - choose the most valuable set of tests within a time budget.
 * utility(S) = sum_j w_j f(sum_{i in S} a_ij) + sum_{i in S} prior_i, f(x) = x / (x + k):
 * monotone submodular; budgeted lazy greedy (CELF) with the classic safeguards. */
#ifndef COVOPT_OPTIMIZER_H
#define COVOPT_OPTIMIZER_H

#include <stddef.h>
#include <stdint.h>

/* f(x) = x / (x + OPT_SATURATION): one test covering a feature fully earns 0.8 of its weight. */
#define OPT_SATURATION 0.25

/* One (candidate, feature slot) coverage value a_ij in (0, 1]. */
struct opt_entry {
	uint32_t slot;
	float a;
};

struct opt_candidate {
	double cost;		/* > 0, in the unit of budget (select: whole microseconds) */
	double prior;		/* modular bonus, >= 0 (new/changed test, recent failure) */
	size_t first;		/* its entries: entries[first .. first + nr) */
	size_t nr;		/* (slots strictly increasing within a candidate) */
};

struct opt_problem {
	const double *weight;	/* w_j >= 0 per slot */
	size_t slots_nr;
	const struct opt_candidate *cands;
	size_t cands_nr;
	const struct opt_entry *entries;
	size_t entries_nr;
	double budget;		/* in the unit of the costs; < 0 means no budget */
	size_t top_n;		/* 0 = all; else only the top_n by initial gain compete */
	double target_share;	/* 0 = off; else stop once utility >= share * utility(all) */
};

struct opt_result {
	uint32_t *chosen;	/* candidate indices, in pick order (most valuable first) */
	double *gain;		/* marginal gain of each pick when picked */
	size_t nr;
	double utility;		/* utility of the chosen set */
	double cost;		/* total cost of the chosen set (the costs' unit) */
	double utility_all;	/* utility of every candidate with positive gain */
	double bound;		/* online upper bound on the optimum within budget */
	size_t affected;	/* candidates with positive initial gain */
	const char *strategy;	/* "ratio-greedy", "gain-greedy", "best-single", "all" */
};

/*
 * Solve p. Candidates with zero gain are never chosen; without a budget the
 * result is every candidate with positive gain, most valuable first. Ties
 * break on lower cost, then lower candidate index, so the result is the
 * same for the same input. The chosen cost never exceeds the budget.
 * Returns 0, or -1 on invalid input (negative weight, cost <= 0, slot out
 * of range, entries out of range).
 */
int optimizer_solve(struct opt_result *out, const struct opt_problem *p);

/* The utility of the candidate set (indices, any order) under p. */
double optimizer_utility(const struct opt_problem *p, const uint32_t *set,
			 size_t nr);

void opt_result_release(struct opt_result *r);

#endif
