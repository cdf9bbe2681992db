/* test-python-find.c - unit tests of python_candidates(): the configured interpreter alone, else
 * python3, python, /usr/bin/python3 in that order; a configured one is used without a probe. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "python-find.h"

static void test_default_order(void **state)
{
	struct strlist c = STRLIST_INIT;

	(void)state;
	python_candidates(&c, NULL);
	assert_int_equal(c.nr, 3);
	assert_string_equal(c.items[0], "python3");
	assert_string_equal(c.items[1], "python");
	assert_string_equal(c.items[2], "/usr/bin/python3");
	strlist_release(&c);
}

static void test_empty_is_unset(void **state)
{
	struct strlist c = STRLIST_INIT;

	(void)state;
	python_candidates(&c, "");
	assert_int_equal(c.nr, 3);
	assert_string_equal(c.items[0], "python3");
	strlist_release(&c);
}

static void test_configured_alone(void **state)
{
	struct strlist c = STRLIST_INIT;

	(void)state;
	python_candidates(&c, ".venv/bin/python");
	assert_int_equal(c.nr, 1);
	assert_string_equal(c.items[0], ".venv/bin/python");
	strlist_release(&c);
}

/* A configured interpreter is not run: even one that does not exist. */
static void test_configured_not_probed(void **state)
{
	(void)state;
	assert_string_equal(python_find("/nonexistent/python", "pytest"),
			    "/nonexistent/python");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_order),
		cmocka_unit_test(test_empty_is_unset),
		cmocka_unit_test(test_configured_alone),
		cmocka_unit_test(test_configured_not_probed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
