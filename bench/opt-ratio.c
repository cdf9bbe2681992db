/* opt-ratio.c - how close the optimizer gets to the optimum, and how fast.
 * Ratio to the exhaustive optimum of small instances; time of large solves. */
/*
 * Build (from the build directory, after `make libcovopt.a`):
 *   gcc -std=gnu11 -O2 -I$(top_srcdir)/src -o bench/opt-ratio \
 *       $(top_srcdir)/bench/opt-ratio.c libcovopt.a -lgit2 -lm
 * Run: bench/opt-ratio   (prints a few lines on stdout)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "optimizer.h"

#define SMALL_CANDS 12
#define SMALL_SLOTS 6
#define SMALL_ROUNDS 1000

#define BIG_CANDS 100000
#define BIG_SLOTS 5000
#define BIG_PER_CAND 50

static uint64_t rng_state = 20240601;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_unit(void)
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static size_t rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

struct instance {
	double *weight;
	struct opt_candidate *cands;
	struct opt_entry *entries;
	struct opt_problem p;
};

static void *must_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "opt-ratio: out of memory\n");
		exit(1);
	}
	return p;
}

static void instance_alloc(struct instance *in, size_t slots, size_t cands,
			   size_t entries)
{
	memset(in, 0, sizeof(*in));
	in->weight = must_calloc(slots, sizeof(*in->weight));
	in->cands = must_calloc(cands, sizeof(*in->cands));
	in->entries = must_calloc(entries, sizeof(*in->entries));
	in->p.weight = in->weight;
	in->p.cands = in->cands;
	in->p.entries = in->entries;
}

static void instance_free(struct instance *in)
{
	free(in->weight);
	free(in->cands);
	free(in->entries);
}

/* Same shape as the unit test's instances; costs are multiples of 1/8. */
static void small_instance(struct instance *in)
{
	double total = 0;

	in->p.slots_nr = 1 + rng_below(SMALL_SLOTS);
	in->p.cands_nr = 1 + rng_below(SMALL_CANDS);
	in->p.entries_nr = 0;
	for (size_t j = 0; j < in->p.slots_nr; j++)
		in->weight[j] = rng_below(5) ? 3 * rng_unit() : 0;
	for (size_t i = 0; i < in->p.cands_nr; i++) {
		struct opt_candidate *c = &in->cands[i];

		c->cost = (double)(1 + rng_below(40)) / 8;
		c->prior = rng_below(2) ? 0 : 0.5 * rng_unit();
		c->first = in->p.entries_nr;
		c->nr = 0;
		for (uint32_t j = 0; j < in->p.slots_nr; j++) {
			if (rng_below(2))
				continue;
			in->entries[in->p.entries_nr].slot = j;
			in->entries[in->p.entries_nr++].a =
				(float)(1 - rng_unit());
			c->nr++;
		}
		total += c->cost;
	}
	in->p.budget = total * pow(10, -2 + 2.1 * rng_unit());
}

static double small_opt(const struct instance *in)
{
	uint32_t set[SMALL_CANDS];
	double best = 0;

	for (unsigned mask = 0; mask < (1u << in->p.cands_nr); mask++) {
		double cost = 0, u;
		size_t nr = 0;

		for (uint32_t i = 0; i < in->p.cands_nr; i++) {
			if (!(mask & (1u << i)))
				continue;
			cost += in->cands[i].cost;
			set[nr++] = i;
		}
		if (!(cost <= in->p.budget))
			continue;
		u = optimizer_utility(&in->p, set, nr);
		if (u > best)
			best = u;
	}
	return best;
}

static int small_ratios(void)
{
	struct instance in;
	double sum = 0, min = HUGE_VAL, bound_sum = 0;
	size_t counted = 0, strat[3] = { 0, 0, 0 };

	instance_alloc(&in, SMALL_SLOTS, SMALL_CANDS,
		       SMALL_SLOTS * SMALL_CANDS);
	for (int round = 0; round < SMALL_ROUNDS; round++) {
		struct opt_result res;
		double opt;

		small_instance(&in);
		if (optimizer_solve(&res, &in.p) < 0)
			return 1;
		opt = small_opt(&in);
		if (opt > 0) {
			double r = res.utility / opt;

			sum += r;
			bound_sum += res.bound / opt;
			if (r < min)
				min = r;
			counted++;
		}
		strat[!strcmp(res.strategy, "gain-greedy") ? 1 :
		      !strcmp(res.strategy, "best-single") ? 2 : 0]++;
		opt_result_release(&res);
	}
	printf("small instances: %zu with a positive optimum of %d\n",
	       counted, SMALL_ROUNDS);
	printf("utility/OPT: mean %.4f, min %.4f (guarantee %.4f)\n",
	       sum / counted, min, (1 - exp(-1)) / 2);
	printf("bound/OPT: mean %.4f\n", bound_sum / counted);
	printf("strategy: ratio-greedy %zu, gain-greedy %zu, best-single %zu\n",
	       strat[0], strat[1], strat[2]);
	instance_free(&in);
	return 0;
}

/* 100,000 candidates with ~50 entries each over 5,000 slots. */
static double big_instance(struct instance *in)
{
	unsigned char *seen = must_calloc(BIG_SLOTS, 1);
	double total = 0;

	instance_alloc(in, BIG_SLOTS, BIG_CANDS, BIG_CANDS * BIG_PER_CAND);
	in->p.slots_nr = BIG_SLOTS;
	in->p.cands_nr = BIG_CANDS;
	for (size_t j = 0; j < BIG_SLOTS; j++)
		in->weight[j] = rng_below(10) ? rng_unit() : 0;
	for (size_t i = 0; i < BIG_CANDS; i++) {
		struct opt_candidate *c = &in->cands[i];
		size_t want = BIG_PER_CAND / 2 + rng_below(BIG_PER_CAND + 1);
		uint32_t base = (uint32_t)rng_below(BIG_SLOTS);

		c->cost = 0.01 * exp(6 * rng_unit());
		c->prior = rng_below(100) ? 0 : rng_unit();
		c->first = in->p.entries_nr;
		/* mostly near one module, a few anywhere: sort via a bitmap */
		for (size_t n = 0; n < want; n++) {
			uint32_t s = rng_below(4) ?
				(base + (uint32_t)rng_below(200)) % BIG_SLOTS :
				(uint32_t)rng_below(BIG_SLOTS);
			seen[s] = 1;
		}
		for (uint32_t s = 0; s < BIG_SLOTS; s++) {
			if (!seen[s])
				continue;
			seen[s] = 0;
			if (in->p.entries_nr >= BIG_CANDS * BIG_PER_CAND)
				break;
			in->entries[in->p.entries_nr].slot = s;
			in->entries[in->p.entries_nr++].a =
				(float)(1 - rng_unit());
			c->nr++;
		}
		total += c->cost;
	}
	free(seen);
	return total;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int time_solve(struct instance *in, const char *what)
{
	double best = HUGE_VAL;
	struct opt_result res;

	for (int run = 0; run < 3; run++) {
		double t0 = now(), t;

		if (optimizer_solve(&res, &in->p) < 0)
			return 1;
		t = now() - t0;
		if (t < best)
			best = t;
		if (run < 2)
			opt_result_release(&res);
	}
	printf("%-28s %7.1f ms  %zu of %zu chosen, %s, "
	       "utility %.1f of %.1f, bound %.1f\n",
	       what, best * 1e3, res.nr, res.affected, res.strategy,
	       res.utility, res.utility_all, res.bound);
	opt_result_release(&res);
	return 0;
}

static int big_times(void)
{
	struct instance in;
	double total = big_instance(&in);
	double *dense = must_calloc(BIG_SLOTS, sizeof(*dense));

	printf("large instance: %zu candidates, %zu entries, %zu slots\n",
	       in.p.cands_nr, in.p.entries_nr, in.p.slots_nr);
	/* a typical change: 2% of the features carry weight */
	memcpy(dense, in.weight, BIG_SLOTS * sizeof(*dense));
	for (size_t j = 0; j < BIG_SLOTS; j++)
		if (rng_below(50))
			in.weight[j] = 0;
	in.p.budget = -1;
	if (time_solve(&in, "2% weighted, unbudgeted"))
		return 1;
	in.p.budget = total / 10;
	if (time_solve(&in, "2% weighted, budget 10%"))
		return 1;
	memcpy(in.weight, dense, BIG_SLOTS * sizeof(*dense));
	free(dense);
	printf("every feature weighted (worst case):\n");
	in.p.budget = -1;
	if (time_solve(&in, "unbudgeted"))
		return 1;
	in.p.budget = total / 10;
	if (time_solve(&in, "budget 10%"))
		return 1;
	in.p.budget = total / 100;
	if (time_solve(&in, "budget 1%"))
		return 1;
	in.p.budget = -1;
	in.p.target_share = 0.9;
	if (time_solve(&in, "target share 0.9"))
		return 1;
	instance_free(&in);
	return 0;
}

int main(void)
{
	if (small_ratios() || big_times())
		return 1;
	return 0;
}
