/* test-budget.c - unit tests of budget.c: seconds, shares, and what the strict (.covopt.yml)
 * and loose (--time, covopt.budget) readings accept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "budget.h"

static const struct {
	const char *text;
	enum budget_status strict, loose;
	double value;
	int is_share;
} cases[] = {
	{ "10", BUDGET_OK, BUDGET_OK, 10, 0 },
	{ "2.5", BUDGET_OK, BUDGET_OK, 2.5, 0 },
	{ "5%", BUDGET_OK, BUDGET_OK, 5, 1 },
	{ "100%", BUDGET_OK, BUDGET_OK, 100, 1 },
	{ "0.5%", BUDGET_OK, BUDGET_OK, 0.5, 1 },
	{ "0", BUDGET_ZERO, BUDGET_OK, 0, 0 },
	{ "0%", BUDGET_ZERO, BUDGET_OK, 0, 1 },
	{ "0.0", BUDGET_ZERO, BUDGET_OK, 0, 0 },
	{ "101%", BUDGET_OVER_100, BUDGET_OVER_100, 101, 1 },
	{ "1e2", BUDGET_SYNTAX, BUDGET_OK, 100, 0 },
	{ " 5", BUDGET_SYNTAX, BUDGET_OK, 5, 0 },
	{ "-1", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "%", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ ".", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "5%%", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "5 %", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "10s", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "1.2.3", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "inf", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
	{ "nan%", BUDGET_SYNTAX, BUDGET_SYNTAX, 0, 0 },
};

static void check(int strict)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct budget b = { .value = -7, .is_share = -7 };
		enum budget_status want = strict ? cases[i].strict :
						   cases[i].loose;

		print_message("%s '%s'\n", strict ? "strict" : "loose",
			      cases[i].text);
		assert_int_equal(budget_parse(&b, cases[i].text, strict), want);
		if (want == BUDGET_SYNTAX)
			continue;
		assert_true(b.value == cases[i].value);
		assert_int_equal(b.is_share, cases[i].is_share);
	}
}

static void test_strict(void **state)
{
	(void)state;
	check(1);
}

static void test_loose(void **state)
{
	(void)state;
	check(0);
}

static void test_seconds(void **state)
{
	struct budget secs = { .value = 2.5, .is_share = 0 };
	struct budget share = { .value = 5, .is_share = 1 };

	(void)state;
	assert_true(budget_seconds(&secs, 1000) == 2.5);
	assert_true(budget_seconds(&share, 200) == 10);
	assert_true(budget_seconds(&share, 0) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_loose),
		cmocka_unit_test(test_seconds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
