/* test-imports.c - unit tests for resolving Python import names to tracked files.
 * Package roots, the importer's own root first, relative imports, stubs, namespace packages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "imports.h"
#include "strlist.h"

struct import_case {
	const char *title;
	const char *paths[12];	/* the tracked files, any order */
	const char *importer;
	const char *names[6];	/* as feature_map gives them */
	const char *want[8];	/* resolved paths, sorted */
};

static const struct import_case cases[] = {
	{ "a chain of packages under src/",
	  { "src/pkg/__init__.py", "src/pkg/sub/__init__.py",
	    "src/pkg/sub/mod.py", "tests/test_x.py" },
	  "tests/test_x.py", { "pkg.sub.mod", "pkg.sub.mod.func" },
	  { "src/pkg/__init__.py", "src/pkg/sub/__init__.py",
	    "src/pkg/sub/mod.py" } },
	{ "no suffix match: a/b/utils.py is b.utils",
	  { "a/b/__init__.py", "a/b/utils.py", "tests/test_a.py",
	    "tests/utils.py" },
	  "tests/test_a.py", { "utils" }, { "tests/utils.py" } },
	{ "b.utils from elsewhere",
	  { "a/b/__init__.py", "a/b/utils.py", "tests/test_a.py" },
	  "tests/test_a.py", { "b.utils" },
	  { "a/b/__init__.py", "a/b/utils.py" } },
	{ "the importer's own root wins",
	  { "lib/utils.py", "tests/test_a.py", "tests/utils.py" },
	  "tests/test_a.py", { "utils" }, { "tests/utils.py" } },
	{ "else every root that has the name",
	  { "lib/utils.py", "other/test_b.py", "tests/utils.py" },
	  "other/test_b.py", { "utils" },
	  { "lib/utils.py", "tests/utils.py" } },
	{ "the root is chosen by the first component",
	  { "src/pkg/__init__.py", "src/pkg/x.py", "tests/pkg/__init__.py",
	    "tests/pkg/y.py", "tests/test_p.py" },
	  "tests/test_p.py", { "pkg.x", "pkg.y" },
	  { "tests/pkg/__init__.py", "tests/pkg/y.py" } },
	{ "stubs: pkg/__init__.pyi is pkg",
	  { "main.py", "pkg/__init__.pyi", "pkg/mod.pyi", "README.md" },
	  "main.py", { "pkg.mod" }, { "pkg/__init__.pyi", "pkg/mod.pyi" } },
	{ "stubs: pkg.__init__ is no module name",
	  { "main.py", "pkg/__init__.pyi" },
	  "main.py", { "pkg.__init__" }, { "pkg/__init__.pyi" } },
	{ "module and package of the same name",
	  { "a.py", "main.py", "a/__init__.py", "a/__init__.pyi" },
	  "main.py", { "a" }, { "a.py", "a/__init__.py", "a/__init__.pyi" } },
	{ "relative: parent package and sibling",
	  { "src/pkg/__init__.py", "src/pkg/a.py", "src/pkg/sub/__init__.py",
	    "src/pkg/sub/b.py", "src/a.py" },
	  "src/pkg/sub/b.py", { "..a", "." },
	  { "src/pkg/__init__.py", "src/pkg/a.py",
	    "src/pkg/sub/__init__.py" } },
	{ "relative from an __init__",
	  { "src/pkg/__init__.py", "src/pkg/sub/__init__.py",
	    "src/pkg/sub/b.py", "tests/sub/b.py" },
	  "src/pkg/sub/__init__.py", { ".b" },
	  { "src/pkg/__init__.py", "src/pkg/sub/__init__.py",
	    "src/pkg/sub/b.py" } },
	{ "relative in a directory that is no package",
	  { "other/helpers.py", "tests/helpers.py", "tests/test_a.py" },
	  "tests/test_a.py", { ".", ".helpers" }, { "tests/helpers.py" } },
	{ "relative above the top package stops at the root",
	  { "src/pkg/__init__.py", "src/pkg/a.py", "src/x.py" },
	  "src/pkg/a.py", { "....x" }, { "src/x.py" } },
	{ "namespace package: no root has it, the path suffix does",
	  { "src/ns/mod.py", "tests/test_n.py" },
	  "tests/test_n.py", { "ns.mod", "os.path", "json" },
	  { "src/ns/mod.py" } },
	{ "found by path suffix: parent packages under the same directory",
	  { "lib/__init__.py", "lib/pgen2/__init__.py", "lib/pgen2/conv.py",
	    "lib/pgen2/grammar.py", "x/pgen2/grammar.txt" },
	  "lib/pgen2/conv.py", { "pgen2.grammar" },
	  { "lib/pgen2/__init__.py", "lib/pgen2/grammar.py" } },
	{ "a package at the top of the repository",
	  { "__init__.py", "a.py", "b.py" },
	  "b.py", { "a", "." }, { "a.py" } },
	{ "namespace package inside a package, relative",
	  { "pkg/__init__.py", "pkg/_vendor/appdirs.py", "pkg/reg.py" },
	  "pkg/reg.py", { "._vendor", "._vendor.appdirs" },
	  { "pkg/__init__.py", "pkg/_vendor/appdirs.py" } },
	{ "namespace package inside a package, from another root",
	  { "src/pkg/__init__.py", "src/pkg/_vendor/appdirs.py",
	    "tests/test_x.py" },
	  "tests/test_x.py", { "pkg._vendor.appdirs" },
	  { "src/pkg/__init__.py", "src/pkg/_vendor/appdirs.py" } },
	{ "namespace package in the importer's root",
	  { "ns/mod.py", "src/ns/__init__.py", "src/ns/mod.py",
	    "test_n.py" },
	  "test_n.py", { "ns.mod" }, { "ns/mod.py" } },
	{ "nothing to resolve",
	  { "a.py" }, "a.py", { "os", "sys.path", ".missing" }, { NULL } },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		const struct import_case *ic = &cases[c];
		struct strlist paths = STRLIST_INIT, names = STRLIST_INIT;
		struct import_index idx;
		uint32_t *got;
		size_t nr = 0, k = 0;

		print_message("# case: %s\n", ic->title);
		for (size_t i = 0; ic->paths[i]; i++)
			strlist_append(&paths, ic->paths[i]);
		strlist_sort(&paths);
		for (size_t i = 0; ic->names[i]; i++)
			strlist_append(&names, ic->names[i]);
		import_index_build(&idx, &paths);
		got = import_index_resolve(&idx, ic->importer, &names, &nr);
		for (; ic->want[k]; k++) {
			assert_true(k < nr);
			assert_string_equal(paths.items[got[k]], ic->want[k]);
		}
		assert_int_equal(nr, k);
		if (!nr)
			assert_null(got);
		free(got);
		import_index_release(&idx);
		strlist_release(&names);
		strlist_release(&paths);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
