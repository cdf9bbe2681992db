/* test-path-map.c - unit tests for mapping recorded paths to tracked paths.
 * Longest shared suffix of whole components wins; ties and misses give -1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "path-map.h"

static const char *const tracked[] = {
	"README", "pkg/__init__.py", "pkg/mod.py", "src/pkg/mod.py",
	"src/pkg/util.py", "other/util.py", "a/b/c.py", "x/b/c.py",
	"tests/test_a.py", "mod.pyc", "deep/er/mod.py",
};

static const struct {
	const char *recorded, *want;	/* want NULL: -1 */
} cases[] = {
	{ "/home/ci/build/src/pkg/mod.py", "src/pkg/mod.py" },
	{ "src/pkg/mod.py", "src/pkg/mod.py" },
	{ "/home/ci/build/tests/test_a.py", "tests/test_a.py" },
	{ "tests/test_a.py", "tests/test_a.py" },
	{ "test_a.py", "tests/test_a.py" },
	{ "/ci/README", "README" },
	{ "/ci/a/b/c.py", "a/b/c.py" },
	{ "/ci/deep/er/mod.py", "deep/er/mod.py" },
	/* Windows and mixed separators, repeated separators */
	{ "C:\\ci\\src\\pkg\\util.py", "src/pkg/util.py" },
	{ "D:\\w\\other\\util.py", "other/util.py" },
	{ "/ci/src//pkg\\mod.py", "src/pkg/mod.py" },
	{ "/ci/src/pkg/mod.py/", "src/pkg/mod.py" },
	/* ties: equally long suffixes are ambiguous */
	{ "/home/ci/build/pkg/mod.py", NULL },
	{ "/x/util.py", NULL },
	{ "util.py", NULL },
	{ "mod.py", NULL },
	{ "/ci/q/b/c.py", NULL },
	/* nothing matches */
	{ "/nope/missing.py", NULL },
	{ "/ci/src/pkg/Mod.py", NULL },
	{ "/ci/mod.p", NULL },
	{ "/ci/mod.pycx", NULL },
	{ "/ci/c.py.bak", NULL },
	{ "", NULL },
	{ "/", NULL },
	{ "\\\\", NULL },
	{ "pkg/", NULL },
};

static void load(struct strlist *list, const char *const *paths, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		strlist_append(list, paths[i]);
	strlist_sort(list);
}

static void test_resolve(void **state)
{
	struct strlist paths = STRLIST_INIT;
	struct path_map map;

	load(&paths, tracked, sizeof(tracked) / sizeof(*tracked));
	path_map_init(&map, &paths);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long got = path_map_resolve(&map, cases[i].recorded);
		const char *want = cases[i].want;

		if (want ? got < 0 || strcmp(paths.items[got], want) : got >= 0)
			fail_msg("'%s' resolved to '%s', want '%s'",
				 cases[i].recorded,
				 got >= 0 ? paths.items[got] : "(none)",
				 want ? want : "(none)");
	}
	path_map_release(&map);
	path_map_release(&map);	/* twice is harmless */
	strlist_release(&paths);
}

static void test_empty(void **state)
{
	struct strlist paths = STRLIST_INIT;
	struct path_map map;

	path_map_init(&map, &paths);
	assert_int_equal(path_map_resolve(&map, "/a/b.py"), -1);
	assert_int_equal(path_map_resolve(&map, ""), -1);
	path_map_release(&map);
}

/* a single tracked file: a shared basename is enough */
static void test_single(void **state)
{
	static const char *const one[] = { "lib/thing.py" };
	struct strlist paths = STRLIST_INIT;
	struct path_map map;

	load(&paths, one, 1);
	path_map_init(&map, &paths);
	assert_int_equal(path_map_resolve(&map, "/opt/x/y/thing.py"), 0);
	assert_int_equal(path_map_resolve(&map, "thing.py"), 0);
	assert_int_equal(path_map_resolve(&map, "lib"), -1);
	assert_int_equal(path_map_resolve(&map, "/opt/thing"), -1);
	path_map_release(&map);
	strlist_release(&paths);
}

/* many files with few basenames: each full path still finds itself */
static void test_many(void **state)
{
	struct strlist paths = STRLIST_INIT;
	struct path_map map;
	char buf[64];

	for (int d = 0; d < 500; d++)
		for (int f = 0; f < 5; f++) {
			snprintf(buf, sizeof(buf), "pkg%d/sub/m%d.py", d, f);
			strlist_append(&paths, buf);
		}
	strlist_sort(&paths);
	path_map_init(&map, &paths);
	for (int d = 0; d < 500; d++)
		for (int f = 0; f < 5; f++) {
			long got;

			snprintf(buf, sizeof(buf), "/build/pkg%d/sub/m%d.py", d,
				 f);
			got = path_map_resolve(&map, buf);
			assert_true(got >= 0);
			assert_string_equal(paths.items[got], buf + 7);
		}
	assert_int_equal(path_map_resolve(&map, "/build/sub/m1.py"), -1);
	path_map_release(&map);
	strlist_release(&paths);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
