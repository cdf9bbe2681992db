/* test-shard.c - unit tests of shard.c: LPT balance, determinism, K/N parsing.
 * Random instances check the 4/3 bound against max(total/N, largest cost). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "shard.h"

static void test_parse(void **state)
{
	static const struct { const char *spec; int ok; uint32_t k, n; } cases[] = {
		{ "1/1", 1, 0, 1 }, { "2/4", 1, 1, 4 }, { "4/4", 1, 3, 4 },
		{ "0/4", 0, 0, 0 }, { "5/4", 0, 0, 0 }, { "1/", 0, 0, 0 },
		{ "/4", 0, 0, 0 }, { "a/b", 0, 0, 0 }, { "1/4x", 0, 0, 0 },
		{ "-1/4", 0, 0, 0 }, { "1/-4", 0, 0, 0 }, { "1/99999", 0, 0, 0 },
		{ "", 0, 0, 0 }, { "2", 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uint32_t k = 77, n = 77;
		int ret = shard_parse(&k, &n, cases[i].spec);

		assert_int_equal(ret, cases[i].ok ? 0 : -1);
		if (cases[i].ok) {
			assert_int_equal(k, cases[i].k);
			assert_int_equal(n, cases[i].n);
		}
	}
}

static void test_known_split(void **state)
{
	/* LPT: 5 -> p0, 4 -> p1, 3 -> p1 (4 < 5), 3 -> p0 (5 < 7), 1 -> p0 (8 = 7? no: 7 < 8) */
	const double cost[] = { 3, 5, 1, 4, 3 };
	uint32_t part[5];

	(void)state;
	shard_assign(part, cost, 5, 2);
	assert_int_equal(part[1], 0);
	assert_int_equal(part[3], 1);
	assert_int_equal(part[0], 1);
	assert_int_equal(part[4], 0);
	assert_int_equal(part[2], 1);
}

/* The optimal makespan of nr items on n parts, by exhaustive search. */
static double best_makespan(const double *cost, size_t nr, uint32_t n,
			    double *load, size_t i, double worst, double best)
{
	if (worst >= best)
		return best;
	if (i == nr)
		return worst;
	for (uint32_t p = 0; p < n; p++) {
		double w;

		load[p] += cost[i];
		w = load[p] > worst ? load[p] : worst;
		best = best_makespan(cost, nr, n, load, i + 1, w, best);
		load[p] -= cost[i];
		if (load[p] == 0)
			break;	/* empty parts are interchangeable */
	}
	return best;
}

static double makespan(const uint32_t *part, const double *cost, size_t nr,
		       uint32_t n)
{
	double load[8] = { 0 }, worst = 0;

	for (size_t i = 0; i < nr; i++) {
		assert_true(part[i] < n);
		load[part[i]] += cost[i];
	}
	for (uint32_t p = 0; p < n; p++)
		if (load[p] > worst)
			worst = load[p];
	return worst;
}

static void test_random_vs_optimum(void **state)
{
	srand(7);
	(void)state;
	for (int round = 0; round < 400; round++) {
		size_t nr = (size_t)(rand() % 11);
		uint32_t n = (uint32_t)(1 + rand() % 3);
		double cost[12], load[8] = { 0 }, opt;
		uint32_t part[12], again[12];

		for (size_t i = 0; i < nr; i++)
			cost[i] = (rand() % 1000) / 100.0 + 0.01;
		shard_assign(part, cost, nr, n);
		shard_assign(again, cost, nr, n);
		assert_memory_equal(part, again, nr * sizeof(*part));
		opt = best_makespan(cost, nr, n, load, 0, 0, 1e18);
		assert_true(makespan(part, cost, nr, n) <=
			    (4.0 / 3.0 - 1.0 / (3.0 * n)) * opt + 1e-9);
	}
}

/* Many small tests, as a real selection has: within 4/3 of the lower bound. */
static void test_realistic_lower_bound(void **state)
{
	double cost[500], total = 0, largest = 0, lb;
	uint32_t part[500];

	srand(11);
	(void)state;
	for (size_t i = 0; i < 500; i++) {
		cost[i] = 0.001 + (rand() % 5000) / 1000.0;
		total += cost[i];
		if (cost[i] > largest)
			largest = cost[i];
	}
	for (uint32_t n = 1; n <= 8; n++) {
		shard_assign(part, cost, 500, n);
		lb = total / n > largest ? total / n : largest;
		assert_true(makespan(part, cost, 500, n) <= 4.0 / 3.0 * lb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_known_split),
		cmocka_unit_test(test_random_vs_optimum),
		cmocka_unit_test(test_realistic_lower_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
