/* test-optimizer.c - unit tests for the budgeted test selection optimizer.
 * Known answers, bad input, and the exhaustive optimum of random instances. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "optimizer.h"

#define K OPT_SATURATION
#define MAX_SLOTS 16
#define MAX_CANDS 16
#define MAX_ENTRIES 128
#define NO_BUDGET -1.0

/* A problem held in fixed arrays, built from the text of a case. */
struct fixture {
	double weight[MAX_SLOTS];
	struct opt_candidate cands[MAX_CANDS];
	struct opt_entry entries[MAX_ENTRIES];
	struct opt_problem p;
};

static double f(double x)
{
	return x / (x + K);
}

/* weights: "w0 w1 ..."; each candidate: "cost prior slot:a slot:a ..." */
static void build(struct fixture *fx, const char *weights,
		  const char *const *cands, double budget, size_t top_n,
		  double share)
{
	const char *s = weights;
	char *end;

	memset(fx, 0, sizeof(*fx));
	for (;;) {
		double w = strtod(s, &end);

		if (end == s)
			break;
		assert_true(fx->p.slots_nr < MAX_SLOTS);
		fx->weight[fx->p.slots_nr++] = w;
		s = end;
	}
	for (; cands[fx->p.cands_nr]; fx->p.cands_nr++) {
		struct opt_candidate *c = &fx->cands[fx->p.cands_nr];

		assert_true(fx->p.cands_nr < MAX_CANDS);
		s = cands[fx->p.cands_nr];
		c->cost = strtod(s, &end);
		c->prior = strtod(end, &end);
		c->first = fx->p.entries_nr;
		for (s = end;; s = end) {
			unsigned long slot = strtoul(s, &end, 10);

			if (end == s)
				break;
			assert_int_equal(*end, ':');
			assert_true(fx->p.entries_nr < MAX_ENTRIES);
			fx->entries[fx->p.entries_nr].slot = (uint32_t)slot;
			fx->entries[fx->p.entries_nr++].a =
				(float)strtod(end + 1, &end);
			c->nr++;
		}
	}
	fx->p.weight = fx->weight;
	fx->p.cands = fx->cands;
	fx->p.entries = fx->entries;
	fx->p.budget = budget;
	fx->p.top_n = top_n;
	fx->p.target_share = share;
}

/* ------------------------------------------------------------------ */
/* hand-built cases with known answers                                 */

struct hand_case {
	const char *name;
	const char *weights;
	const char *cands[MAX_CANDS];
	double budget;
	size_t top_n;
	double share;
	const char *want;	/* chosen indices, in pick order */
	const char *strategy;
	double utility;		/* NAN: do not check */
	double bound;		/* NAN: do not check */
	size_t affected;
};

static const struct hand_case hand_cases[] = {
	{ "identical twins: second after first",
	  "1", { "1 0 0:1", "1 0 0:1", NULL }, NO_BUDGET, 0, 0,
	  "0 1", "all", 2 / (2 + K), 2 / (2 + K), 2 },
	{ "identical twins under a budget for one",
	  "1", { "1 0 0:1", "1 0 0:1", NULL }, 1.5, 0, 0,
	  "0", "ratio-greedy", 1 / (1 + K), 2 / (2 + K), 2 },
	{ "cheap small fits, expensive large does not",
	  "1 1 1 1", { "1 0 0:1", "10 0 0:1 1:1 2:1 3:1", NULL }, 5, 0, 0,
	  "0", "ratio-greedy", 0.8, 0.8 + 0.5 * (2 / (2 + K) - 0.8 + 2.4),
	  2 },
	{ "expensive large beats cheap small that blocks it",
	  "1 1 1 1", { "1 0 0:1", "10 0 0:1 1:1 2:1 3:1", NULL }, 10, 0, 0,
	  "1", "gain-greedy", 3.2, NAN, 2 },
	{ "room for both: ratio greedy takes both",
	  "1 1 1 1", { "1 0 0:1", "10 0 0:1 1:1 2:1 3:1", NULL }, 11, 0, 0,
	  "0 1", "ratio-greedy", 2 / (2 + K) + 2.4, NAN, 2 },
	{ "a candidate that does not fit is skipped, not a stop",
	  "1 5 0.25", { "1 0 0:1", "10 0 1:1", "1 0 2:1", NULL }, 5, 0, 0,
	  "0 2", "ratio-greedy", 1.0, 1.0 + 2, 3 },
	/* ratio greedy alone would keep the tiny item (ratio 0.08 > 0.04) */
	{ "safeguard: whole-budget item with huge gain",
	  "0.1 5", { "1 0 0:1", "100 0 1:1", NULL }, 100, 0, 0,
	  "1", "gain-greedy", 4, NAN, 2 },
	{ "zero-gain candidates never enter",
	  "0 1", { "1 0 0:1", "1 0", "1 0 1:0.5", "1 0.25", NULL },
	  NO_BUDGET, 0, 0, "2 3", "all", 0.25 + 0.5 / 0.75, NAN, 2 },
	{ "zero-gain candidates never enter, budgeted",
	  "0 1", { "0.5 0 0:1", "0.5 0", "1 0 1:0.5", NULL },
	  100, 0, 0, "2", "ratio-greedy", 0.5 / 0.75, 0.5 / 0.75, 1 },
	{ "unbudgeted: all positive-gain, most valuable first",
	  "1 2 3", { "9 0 0:1", "1 0 1:1", "5 0 2:1", NULL },
	  NO_BUDGET, 0, 0, "2 1 0", "all", 4.8, 4.8, 3 },
	{ "budget below every cost: nothing",
	  "1", { "1 0 0:1", "2 0 0:1", NULL }, 0.5, 0, 0,
	  "", "ratio-greedy", 0, 0.4, 2 },
	{ "zero budget: nothing, zero bound",
	  "1", { "1 0 0:1", NULL }, 0, 0, 0, "", "ratio-greedy", 0, 0, 1 },
	{ "prior only candidate",
	  "1", { "2 1.5", "1 0 0:1", NULL }, NO_BUDGET, 0, 0,
	  "0 1", "all", 2.3, 2.3, 2 },
	{ "top_n keeps the two most valuable",
	  "1 2 3", { "1 0 0:1", "1 0 1:1", "1 0 2:1", NULL },
	  NO_BUDGET, 2, 0, "2 1", "all", 4.0, 4.8, 3 },
	{ "top_n ties: lower cost, then lower index",
	  "1 1 1", { "2 0 0:1", "1 0 1:1", "1 0 2:1", NULL },
	  NO_BUDGET, 2, 0, "1 2", "all", 1.6, 2.4, 3 },
	{ "top_n ties: lower index when cost ties too",
	  "1 1 1", { "1 0 2:1", "1 0 1:1", "1 0 0:1", NULL },
	  NO_BUDGET, 2, 0, "0 1", "all", 1.6, 2.4, 3 },
	{ "top_n larger than the affected set",
	  "1 0", { "1 0 0:1", "1 0 1:1", NULL },
	  NO_BUDGET, 5, 0, "0", "all", 0.8, 0.8, 1 },
	{ "top_n under a budget",
	  "1 2 3", { "1 0 0:1", "1 0 1:1", "1 0 2:1", NULL },
	  2, 1, 0, "2", "ratio-greedy", 2.4, 2.4 + 2.4, 3 },
	{ "target share reached by the first pick",
	  "4 2 1 1", { "1 0 0:1", "1 0 1:1", "1 0 2:1", "1 0 3:1", NULL },
	  NO_BUDGET, 0, 0.45, "0", "ratio-greedy", 3.2, 6.4, 4 },
	{ "target share needs two picks",
	  "4 2 1 1", { "1 0 0:1", "1 0 1:1", "1 0 2:1", "1 0 3:1", NULL },
	  NO_BUDGET, 0, 0.6, "0 1", "ratio-greedy", 4.8, 6.4, 4 },
	{ "target share follows gain per cost",
	  "4 2 1 1", { "8 0 0:1", "1 0 1:1", "1 0 2:1", "1 0 3:1", NULL },
	  NO_BUDGET, 0, 0.4, "1 2 3", "ratio-greedy", 3.2, 6.4, 4 },
	{ "target share within a budget",
	  "4 2 1 1", { "8 0 0:1", "1 0 1:1", "1 0 2:1", "1 0 3:1", NULL },
	  3, 0, 0.6, "1 2 3", "ratio-greedy", 3.2, 3.2 + 1.2, 4 },
	{ "target share of one: everything",
	  "1 1", { "1 0 0:1", "1 0 1:1", NULL },
	  NO_BUDGET, 0, 1, "0 1", "ratio-greedy", 1.6, 1.6, 2 },
	{ "ties: equal gain and cost, lower index first",
	  "1 1 1", { "1 0 2:1", "1 0 1:1", "1 0 0:1", NULL },
	  NO_BUDGET, 0, 0, "0 1 2", "all", 2.4, 2.4, 3 },
	{ "ties: equal gain, lower cost first",
	  "1 1 1", { "3 0 0:1", "2 0 1:1", "1 0 2:1", NULL },
	  NO_BUDGET, 0, 0, "2 1 0", "all", 2.4, 2.4, 3 },
	{ "ties under a budget: lower index first",
	  "1 1", { "1 0 1:1", "1 0 0:1", NULL }, 1, 0, 0,
	  "0", "ratio-greedy", 0.8, 1.6, 2 },
	{ "no candidates",
	  "1", { NULL }, 10, 0, 0, "", "ratio-greedy", 0, 0, 0 },
	{ "no slots, only priors",
	  "", { "1 0.5", "3 0.6", "1 0", NULL }, 1, 0, 0,
	  "0", "ratio-greedy", 0.5, 0.7, 2 },
};

static void check_hand_case(const struct hand_case *hc)
{
	struct fixture fx;
	struct opt_result res;
	const char *s = hc->want;
	char *end;
	size_t nr = 0;
	double cost = 0, sum = 0;

	build(&fx, hc->weights, hc->cands, hc->budget, hc->top_n, hc->share);
	if (optimizer_solve(&res, &fx.p))
		fail_msg("%s: solve failed", hc->name);
	for (;; s = end) {
		unsigned long want = strtoul(s, &end, 10);

		if (end == s)
			break;
		if (nr >= res.nr || res.chosen[nr] != want)
			fail_msg("%s: pick %zu is %ld, want %lu", hc->name, nr,
				 nr < res.nr ? (long)res.chosen[nr] : -1L,
				 want);
		cost += fx.cands[want].cost;
		nr++;
	}
	if (res.nr != nr)
		fail_msg("%s: %zu picks, want %zu", hc->name, res.nr, nr);
	if (strcmp(res.strategy, hc->strategy))
		fail_msg("%s: strategy '%s', want '%s'", hc->name,
			 res.strategy, hc->strategy);
	if (!isnan(hc->utility) && fabs(res.utility - hc->utility) > 1e-9)
		fail_msg("%s: utility %.17g, want %.17g", hc->name,
			 res.utility, hc->utility);
	if (!isnan(hc->bound) && fabs(res.bound - hc->bound) > 1e-9)
		fail_msg("%s: bound %.17g, want %.17g", hc->name, res.bound,
			 hc->bound);
	if (res.affected != hc->affected)
		fail_msg("%s: affected %zu, want %zu", hc->name, res.affected,
			 hc->affected);
	assert_true(fabs(res.cost - cost) < 1e-12);
	assert_true(res.bound >= res.utility - 1e-12);
	if (hc->budget >= 0)
		assert_true(res.cost <= hc->budget);
	/* the gains are the marginal gains, so they add up to the utility */
	for (size_t n = 0; n < res.nr; n++) {
		assert_true(res.gain[n] > 0);
		sum += res.gain[n];
	}
	assert_true(fabs(sum - res.utility) < 1e-9);
	assert_true(fabs(optimizer_utility(&fx.p, res.chosen, res.nr) -
			 res.utility) < 1e-12);
	opt_result_release(&res);
	assert_null(res.chosen);
	assert_int_equal(res.nr, 0);
}

static void test_hand_cases(void **state)
{
	for (size_t i = 0; i < sizeof(hand_cases) / sizeof(*hand_cases); i++)
		check_hand_case(&hand_cases[i]);
}

/* The second of two identical tests is worth less, and exactly this. */
static void test_twin_gains(void **state)
{
	static const char *const cands[] = { "1 0 0:1", "1 0 0:1", NULL };
	struct fixture fx;
	struct opt_result res;

	build(&fx, "1", cands, NO_BUDGET, 0, 0);
	assert_int_equal(optimizer_solve(&res, &fx.p), 0);
	assert_int_equal(res.nr, 2);
	assert_true(fabs(res.gain[0] - f(1)) < 1e-12);
	assert_true(fabs(res.gain[1] - (f(2) - f(1))) < 1e-12);
	assert_true(res.gain[1] < res.gain[0]);
	assert_true(fabs(res.utility_all - f(2)) < 1e-12);
	opt_result_release(&res);
}

/* Tiny gains stay positive: no cancellation in the gain formula. */
static void test_tiny_gains(void **state)
{
	static const char *const cands[] = {
		"1 0 0:1", "1 0 0:1", "1 0 0:1", "1 0 0:1", "1 0 0:1",
		"1 0 0:1", "1 0 0:1", "1 0 0:1", "1 0 0:1", "1 0 0:1", NULL,
	};
	struct fixture fx;
	struct opt_result res;

	build(&fx, "1e-300", cands, NO_BUDGET, 0, 0);
	assert_int_equal(optimizer_solve(&res, &fx.p), 0);
	assert_int_equal(res.nr, 10);
	for (size_t n = 0; n < res.nr; n++) {
		assert_int_equal(res.chosen[n], n);
		assert_true(res.gain[n] > 0);
		if (n)
			assert_true(res.gain[n] < res.gain[n - 1]);
	}
	opt_result_release(&res);
}

static void test_utility(void **state)
{
	static const char *const cands[] = {
		"1 0.5 0:1 1:0.5", "1 0 1:0.25", "1 0.125", NULL,
	};
	uint32_t set[] = { 2, 0, 1 };
	struct fixture fx;

	build(&fx, "2 3", cands, NO_BUDGET, 0, 0);
	assert_true(fabs(optimizer_utility(&fx.p, set, 0)) == 0);
	assert_true(fabs(optimizer_utility(&fx.p, set + 1, 1) -
			 (2 * f(1) + 3 * f(0.5) + 0.5)) < 1e-12);
	assert_true(fabs(optimizer_utility(&fx.p, set, 3) -
			 (2 * f(1) + 3 * f(0.75) + 0.625)) < 1e-12);
}

/* ------------------------------------------------------------------ */
/* invalid input                                                      */

static const struct bad_case {
	const char *name;
	const char *weights;
	const char *cands[4];
	double budget;
	double share;
} bad_cases[] = {
	{ "negative weight", "1 -1", { "1 0 0:1", NULL }, 1, 0 },
	{ "nan weight", "nan", { "1 0 0:1", NULL }, 1, 0 },
	{ "infinite weight", "inf", { "1 0 0:1", NULL }, 1, 0 },
	{ "zero cost", "1", { "0 0 0:1", NULL }, 1, 0 },
	{ "negative cost", "1", { "-1 0 0:1", NULL }, 1, 0 },
	{ "nan cost", "1", { "nan 0 0:1", NULL }, 1, 0 },
	{ "infinite cost", "1", { "inf 0 0:1", NULL }, 1, 0 },
	{ "negative prior", "1", { "1 -0.5 0:1", NULL }, 1, 0 },
	{ "nan prior", "1", { "1 nan 0:1", NULL }, 1, 0 },
	{ "zero coverage", "1", { "1 0 0:0", NULL }, 1, 0 },
	{ "negative coverage", "1", { "1 0 0:-0.5", NULL }, 1, 0 },
	{ "coverage above one", "1", { "1 0 0:1.5", NULL }, 1, 0 },
	{ "nan coverage", "1", { "1 0 0:nan", NULL }, 1, 0 },
	{ "slot out of range", "1 1", { "1 0 0:1", "1 0 2:1", NULL }, 1, 0 },
	{ "slot repeated", "1 1", { "1 0 1:1 1:1", NULL }, 1, 0 },
	{ "slots decreasing", "1 1", { "1 0 1:1 0:1", NULL }, 1, 0 },
	{ "slot with no slots", "", { "1 0 0:1", NULL }, 1, 0 },
	{ "nan budget", "1", { "1 0 0:1", NULL }, NAN, 0 },
	{ "target share above one", "1", { "1 0 0:1", NULL }, 1, 1.5 },
	{ "negative target share", "1", { "1 0 0:1", NULL }, 1, -0.1 },
	{ "nan target share", "1", { "1 0 0:1", NULL }, 1, NAN },
};

static void expect_rejected(const char *name, const struct opt_problem *p)
{
	struct opt_result res;

	memset(&res, 0x55, sizeof(res));
	if (optimizer_solve(&res, p) != -1)
		fail_msg("%s: accepted", name);
	assert_null(res.chosen);
	assert_null(res.gain);
	assert_int_equal(res.nr, 0);
	opt_result_release(&res);
}

static void test_bad_input(void **state)
{
	struct fixture fx;

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(*bad_cases); i++) {
		const struct bad_case *bc = &bad_cases[i];

		build(&fx, bc->weights, bc->cands, bc->budget, 0, bc->share);
		expect_rejected(bc->name, &fx.p);
	}
}

static void test_bad_ranges(void **state)
{
	static const char *const cands[] = { "1 0 0:1 1:1", "1 0 1:1", NULL };
	struct fixture fx;
	struct opt_result res;

	build(&fx, "1 1", cands, 1, 0, 0);
	assert_int_equal(optimizer_solve(&res, &fx.p), 0);
	opt_result_release(&res);

	fx.cands[1].nr = 2;		/* runs past the end */
	expect_rejected("entries past the end", &fx.p);
	fx.cands[1].nr = 1;
	fx.cands[1].first = SIZE_MAX;	/* first + nr overflows */
	expect_rejected("first overflowing", &fx.p);
	fx.cands[1].first = 2;
	fx.cands[1].nr = SIZE_MAX;
	expect_rejected("nr overflowing", &fx.p);
	fx.cands[1].nr = 1;
	fx.p.entries_nr = 2;		/* the array got shorter */
	expect_rejected("entries array too short", &fx.p);
	fx.p.entries_nr = 3;
	fx.p.weight = NULL;
	expect_rejected("no weights", &fx.p);
	fx.p.weight = fx.weight;
	fx.p.cands = NULL;
	expect_rejected("no candidates", &fx.p);
	fx.p.cands = fx.cands;
	fx.p.entries = NULL;
	expect_rejected("no entries", &fx.p);
	fx.p.entries = fx.entries;
	assert_int_equal(optimizer_solve(&res, &fx.p), 0);
	opt_result_release(&res);
}

/* ------------------------------------------------------------------ */
/* randomized comparison with the exhaustive optimum                   */

#define RAND_CANDS 12
#define RAND_SLOTS 6

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static double rng_unit(void)
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static size_t rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

/*
 * A random instance: up to 12 candidates over up to 6 slots. Costs are
 * multiples of 1/8, so cost sums are exact in any order and the solver
 * and the exhaustive search agree on what fits.
 */
static void random_instance(struct fixture *fx)
{
	double total = 0;

	memset(fx, 0, sizeof(*fx));
	fx->p.slots_nr = 1 + rng_below(RAND_SLOTS);
	for (size_t j = 0; j < fx->p.slots_nr; j++)
		fx->weight[j] = rng_below(5) ? 3 * rng_unit() : 0;
	fx->p.cands_nr = 1 + rng_below(RAND_CANDS);
	for (size_t i = 0; i < fx->p.cands_nr; i++) {
		struct opt_candidate *c = &fx->cands[i];

		c->cost = (double)(1 + rng_below(40)) / 8;
		c->prior = rng_below(2) ? 0 : 0.5 * rng_unit();
		c->first = fx->p.entries_nr;
		for (uint32_t j = 0; j < fx->p.slots_nr; j++) {
			if (rng_below(2))
				continue;
			fx->entries[fx->p.entries_nr].slot = j;
			fx->entries[fx->p.entries_nr++].a =
				(float)(1 - rng_unit());
			c->nr++;
		}
		total += c->cost;
	}
	fx->p.weight = fx->weight;
	fx->p.cands = fx->cands;
	fx->p.entries = fx->entries;
	/* from below the cheapest candidate to more than all of them */
	fx->p.budget = total * pow(10, -2 + 2.1 * rng_unit());
}

/* Our own evaluation of the utility of a subset (bit i = candidate i). */
static double mask_utility(const struct fixture *fx, unsigned mask)
{
	double x[MAX_SLOTS] = { 0 }, u = 0;

	for (size_t i = 0; i < fx->p.cands_nr; i++) {
		const struct opt_candidate *c = &fx->cands[i];

		if (!(mask & (1u << i)))
			continue;
		u += c->prior;
		for (size_t n = 0; n < c->nr; n++)
			x[fx->entries[c->first + n].slot] +=
				fx->entries[c->first + n].a;
	}
	for (size_t j = 0; j < fx->p.slots_nr; j++)
		u += fx->weight[j] * f(x[j]);
	return u;
}

static double exhaustive_opt(const struct fixture *fx)
{
	double best = 0;

	for (unsigned mask = 0; mask < (1u << fx->p.cands_nr); mask++) {
		double cost = 0, u;

		for (size_t i = 0; i < fx->p.cands_nr; i++)
			if (mask & (1u << i))
				cost += fx->cands[i].cost;
		if (!(cost <= fx->p.budget))
			continue;
		u = mask_utility(fx, mask);
		if (u > best)
			best = u;
	}
	return best;
}

static unsigned result_mask(const struct opt_result *res)
{
	unsigned mask = 0;

	for (size_t n = 0; n < res->nr; n++) {
		assert_true(res->chosen[n] < RAND_CANDS);
		assert_false(mask & (1u << res->chosen[n]));
		mask |= 1u << res->chosen[n];
	}
	return mask;
}

static void same_result(const struct opt_result *a,
			const struct opt_result *b)
{
	assert_int_equal(a->nr, b->nr);
	if (a->nr) {
		assert_memory_equal(a->chosen, b->chosen,
				    a->nr * sizeof(*a->chosen));
		assert_memory_equal(a->gain, b->gain, a->nr * sizeof(*a->gain));
	}
	assert_memory_equal(&a->utility, &b->utility, sizeof(double));
	assert_memory_equal(&a->bound, &b->bound, sizeof(double));
	assert_string_equal(a->strategy, b->strategy);
}

static void check_budgeted(const struct fixture *fx)
{
	const double factor = (1 - exp(-1)) / 2;
	struct opt_result res, again;
	double opt = exhaustive_opt(fx), cost = 0;
	unsigned mask;

	assert_int_equal(optimizer_solve(&res, &fx->p), 0);
	mask = result_mask(&res);
	for (size_t n = 0; n < res.nr; n++)
		cost += fx->cands[res.chosen[n]].cost;
	assert_true(cost <= fx->p.budget);
	assert_true(res.cost <= fx->p.budget);
	assert_true(fabs(res.utility - mask_utility(fx, mask)) < 1e-9);
	if (!(res.utility >= factor * opt - 1e-12))
		fail_msg("utility %g below (1-1/e)/2 of %g", res.utility, opt);
	assert_true(res.utility <= opt + 1e-9);
	if (!(opt <= res.bound + 1e-9))
		fail_msg("bound %g below the optimum %g", res.bound, opt);

	assert_int_equal(optimizer_solve(&again, &fx->p), 0);
	same_result(&res, &again);
	opt_result_release(&again);
	opt_result_release(&res);
}

/* Without a budget: exactly the positive-gain candidates, best first. */
static void check_unbudgeted(struct fixture *fx)
{
	struct opt_result res;
	unsigned mask, want = 0;

	fx->p.budget = NO_BUDGET;
	assert_int_equal(optimizer_solve(&res, &fx->p), 0);
	for (size_t i = 0; i < fx->p.cands_nr; i++)
		if (mask_utility(fx, 1u << i) > 0)
			want |= 1u << i;
	mask = result_mask(&res);
	assert_int_equal(mask, want);
	assert_int_equal(res.affected, res.nr);
	assert_string_equal(res.strategy, "all");
	assert_true(fabs(res.utility - res.utility_all) < 1e-9);
	assert_true(fabs(res.utility -
			 mask_utility(fx, (1u << fx->p.cands_nr) - 1)) < 1e-9);
	for (size_t n = 1; n < res.nr; n++)
		assert_true(res.gain[n] <= res.gain[n - 1]);
	opt_result_release(&res);
}

/* A target share stops at the first prefix that reaches it. */
static void check_target(struct fixture *fx)
{
	struct opt_result res;
	double target;

	fx->p.budget = NO_BUDGET;
	fx->p.target_share = 0.05 + 0.95 * rng_unit();
	assert_int_equal(optimizer_solve(&res, &fx->p), 0);
	target = fx->p.target_share * res.utility_all;
	assert_true(res.utility >= target - 1e-9);
	if (res.nr)
		assert_true(res.utility - res.gain[res.nr - 1] < target);
	fx->p.target_share = 0;
	opt_result_release(&res);
}

static void test_random_vs_exhaustive(void **state)
{
	struct fixture fx;

	rng_state = 20240601;
	for (int round = 0; round < 300; round++) {
		random_instance(&fx);
		check_budgeted(&fx);
		check_unbudgeted(&fx);
		check_target(&fx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_cases),
		cmocka_unit_test(test_twin_gains),
		cmocka_unit_test(test_tiny_gains),
		cmocka_unit_test(test_utility),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_random_vs_exhaustive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
