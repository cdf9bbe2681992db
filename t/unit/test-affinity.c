/* test-affinity.c - unit tests of affinity.c: which test names name which changed functions.
 * Parameters, prefixes and suffixes, classes, dunders, short names, long names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "affinity.h"

static const struct {
	const char *id, *name;
	int want;
} cases[] = {
	{ "tests/test_pricing.py::test_discount[HALF-50]", "discount", 1 },
	{ "tests/test_pricing.py::test_discount_half", "discount", 1 },
	{ "tests/test_pricing.py::discount_test", "discount", 1 },
	{ "tests/test_pricing.py::test_total", "discount", 0 },
	{ "tests/test_pricing.py::test_total[discount]", "discount", 0 },
	{ "t/test_q.py::TestQuantity::test_to_base_units", "Quantity.to_base_units", 1 },
	{ "t/test_q.py::TestQuantity::test_ToBaseUnits", "Quantity.to_base_units", 1 },
	{ "t/test_q.py::TestQuantity::test_add", "Quantity.to_base_units", 0 },
	{ "t/test_q.py::TestQuantity::test_add", "Quantity", 0 },
	{ "t/test_x.py::test_init", "Quantity.__init__", 0 },
	{ "t/test_x.py::test_to", "Quantity.to", 1 },
	{ "t/test_x.py::test_total", "Quantity.to", 0 },
	{ "t/test_x.py::test_module", "<module>", 0 },
	{ "t/test_x.py", "<file>", 0 },
	{ "t/test_x.py::test_b[a::b]", "b", 1 },
	{ "t/test_x.py::test_", "x", 0 },
	{ "", "", 0 },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = name_affinity(cases[i].id, cases[i].name);

		if (got != cases[i].want)
			fail_msg("%s vs %s: %d, want %d", cases[i].id,
				 cases[i].name, got, cases[i].want);
	}
}

/* Words are cut to a fixed size: a long name still matches; a longer one is read safely. */
static void test_long_words(void **state)
{
	char id[600], name[400];
	int got;

	(void)state;
	memset(name, 'a', 100);
	name[100] = '\0';
	snprintf(id, sizeof(id), "t/test_m.py::test_%s_x", name);
	assert_int_equal(name_affinity(id, name), 1);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(id, sizeof(id), "t/test_m.py::test_%s", name);
	got = name_affinity(id, name);
	assert_true(got == 0 || got == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_long_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
