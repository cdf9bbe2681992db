/* test-runner.c - unit tests of runner_parse_ids(): the ids in what a collector printed, pytest's
 * summary left out, and ids a real newline split over lines left out and counted, never mangled. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "runner.h"

#define MAX_IDS 8

struct parse_case {
	const char *what;
	enum runner_type type;
	const char *text;
	const char *ids[MAX_IDS];	/* NULL-terminated, in printed order */
	size_t split;
};

static const struct parse_case cases[] = {
	{ "pytest: ids, then the summary after a blank line", RUNNER_PYTEST,
	  "t.py::test_x[a b]\nt.py::TestC::test_y\n\n"
	  "2 tests collected in 0.01s\n",
	  { "t.py::test_x[a b]", "t.py::TestC::test_y" }, 0 },
	{ "pytest: a warnings summary names tests too", RUNNER_PYTEST,
	  "t.py::test_a\n\n"
	  "=============== warnings summary ===============\n"
	  "t.py::test_a\n  t.py:3: UserWarning: hi\n\n"
	  "-- Docs: https://docs.pytest.org/\n1 test collected in 0.01s\n",
	  { "t.py::test_a" }, 0 },
	{ "pytest: deselected tests, CRLF, no blank line before the summary",
	  RUNNER_PYTEST,
	  "t.py::test_a\r\nt.py::test_x[g[same]]\r\n"
	  "2/4 tests collected (2 deselected) in 0.01s\r\n",
	  { "t.py::test_a", "t.py::test_x[g[same]]" }, 0 },
	{ "pytest: ids with real newlines are left out, the others kept",
	  RUNNER_PYTEST,
	  "t.py::test_x[a\nb]\n"
	  "t.py::test_x[c\n\nd::e]\n"
	  "t.py::test_x[x y]\n"
	  "t.py::test_x[f]\ng]\n"
	  "t.py::test_y\n\n4 tests collected in 0.00s\n",
	  { "t.py::test_x[x y]", "t.py::test_y" }, 3 },
	{ "pytest: a split last id, output without a summary", RUNNER_PYTEST,
	  "t.py::test_a\nt.py::test_x[a\nb]\n",
	  { "t.py::test_a" }, 1 },
	{ "pytest: lines before the first id are not ids", RUNNER_PYTEST,
	  "some plugin says hello\nt.py::test_a\n\n1 test collected\n",
	  { "t.py::test_a" }, 0 },
	{ "command: every line that is not blank", RUNNER_COMMAND,
	  "test_a\n\n  \nsuite/test b\r\n",
	  { "test_a", "suite/test b" }, 0 },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct parse_case *c = &cases[i];
		struct runner_config r = { .type = c->type };
		struct strlist ids = STRLIST_INIT;
		size_t split = 99, n = 0;

		assert_int_equal(runner_parse_ids(&ids, &split, c->text,
						  strlen(c->text), &r), 0);
		for (; c->ids[n]; n++) {
			if (n >= ids.nr || strcmp(ids.items[n], c->ids[n]))
				fail_msg("%s: id %zu: want '%s'", c->what, n,
					 c->ids[n]);
		}
		if (ids.nr != n || split != c->split)
			fail_msg("%s: %zu ids (want %zu), %zu split (want %zu)",
				 c->what, ids.nr, n, split, c->split);
		strlist_release(&ids);
	}
}

static void test_nul(void **state)
{
	static const char text[] = "t.py::test_a\nt.py::test_x[a\0b]\n";
	struct runner_config r = { .type = RUNNER_PYTEST };
	struct strlist ids = STRLIST_INIT;
	size_t split;

	(void)state;
	assert_int_equal(runner_parse_ids(&ids, &split, text,
					  sizeof(text) - 1, &r), -1);
	assert_int_equal(ids.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
