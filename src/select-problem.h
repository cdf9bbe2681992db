/* select-problem.h - the optimizer's problem for a selection: which tests compete, their weights and costs.
 * Pure: from the model, the change's impact and the costs; whether a test exists is asked of a callback. */
#ifndef COVOPT_SELECT_PROBLEM_H
#define COVOPT_SELECT_PROBLEM_H

#include "impact.h"
#include "model.h"
#include "optimizer.h"
#include "strlist.h"

/* The optimizer works in whole microseconds, so sums are exact and a
 * budget of 0.3 s fits three tests of 0.1 s. */
#define SELECT_TICKS_PER_SECOND 1e6

/* Does the test id exist in the target (its file is there)? */
typedef int (*select_exists_fn)(const char *id, void *payload);

struct select_problem_input {
	const struct model *model;
	struct impact *impact;		/* its extra entries get sorted */
	const struct strlist *always_run;	/* sorted; forced, not candidates */
	/* The suite as the runner collected it (sorted), or NULL: tests
	 * outside it are gone, tests in it the model lacks are new. */
	const struct strlist *collected;
	int run_all;			/* "covopt: run-all": every test has a prior */
	double default_cost;		/* seconds of a test of unknown cost */
	select_exists_fn exists;	/* asked when collected is NULL */
	void *exists_payload;
};

/*
 * Why a candidate ranks where it does, beyond its coverage of the change
 * (each a modular bonus on its prior, scaled by how surely it meets the
 * change): specificity, the share of the lines it runs that lie in changed
 * features (in 1/16 steps: a line more elsewhere reorders nothing);
 * affinity, its name naming a changed feature (affinity.h);
 * failed_ago, the latest earlier recording it failed in (0: none).
 */
struct select_rank {
	float specificity;
	uint8_t affinity;
	uint8_t failed_ago;
};

/*
 * Weights of the ranking bonuses, as shares of the change's total weight.
 * SELECT_MEET_BONUS: meeting the change at all, import-time reach included;
 * far below every coverage gain, it orders the tests once the change's
 * signal is covered: the cheapest per unit of evidence first.
 */
#define SELECT_MEET_BONUS 0.0002
#define SELECT_FAILURE_BONUS 0.1
#define SELECT_SPECIFICITY_BONUS 0.02
#define SELECT_AFFINITY_BONUS 0.02

struct select_problem {
	struct opt_problem p;		/* what optimizer_solve() takes */
	double *weight;
	struct opt_candidate *cands;	/* costs in SELECT_TICKS_PER_SECOND */
	size_t cands_nr, cands_alloc;
	struct opt_entry *entries;
	size_t entries_nr, entries_alloc;
	long *test_of;		/* candidate -> model test, or -(1 + new test) */
	size_t test_of_alloc;
	struct select_rank *rank;	/* per candidate */
	size_t rank_alloc;
	char *slot_word;	/* per slot: AFFINITY_WORD_MAX bytes, the folded
				 * name of its feature ("" for none) */
	unsigned char *forced;	/* per model test: in always_run */
	struct strlist new_ids;	/* new tests, sorted (borrowed strings) */
};

/*
 * Build the problem: one slot per impact slot (weighted as the impact
 * says); a candidate per model test the change reaches (or with a prior),
 * that exists, is not removed and not in always_run; a candidate per new
 * test that exists. p.budget, p.top_n and p.target_share are left 0 for
 * the caller. Release with select_problem_release().
 */
void select_problem_build(struct select_problem *pb,
			  const struct select_problem_input *in);
void select_problem_release(struct select_problem *pb);

/* The test id candidate c stands for (borrowed from the model or new_ids). */
const char *select_problem_test_id(const struct select_problem *pb,
				   const struct model *m, size_t c);

/* Median cost of the tests with a known cost (at least 1 ms; 1 s when
 * none is known): the cost of a test of unknown cost. */
double select_default_cost(const struct model *m);

#endif
