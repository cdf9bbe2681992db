/* test-relative-id.c - unit tests of relative-id.c: test ids as seen from a subdirectory.
 * Only the file part before the first "::" moves; "/" in brackets or after "::" is kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "relative-id.h"

static const struct {
	const char *prefix, *id, *want;
} ids[] = {
	/* at the top: nothing changes */
	{ "", "tests/test_x.py::test_y", "tests/test_x.py::test_y" },
	{ "", "test_x.py::test_y[a/b]", "test_x.py::test_y[a/b]" },
	/* in the test file's directory, and above and beside it */
	{ "tests/", "tests/test_x.py::test_y", "test_x.py::test_y" },
	{ "tests/", "tests/unit/test_x.py::C::test_y",
	  "unit/test_x.py::C::test_y" },
	{ "src/", "tests/test_x.py::test_y", "../tests/test_x.py::test_y" },
	{ "src/pkg/", "tests/test_x.py::test_y",
	  "../../tests/test_x.py::test_y" },
	{ "tests/unit/", "tests/test_x.py::test_y", "../test_x.py::test_y" },
	{ "tests/unit/", "tests/unit/deep/t.py::test_y",
	  "deep/t.py::test_y" },
	{ "src/", "test_top.py::test_y", "../test_top.py::test_y" },
	/* whole directory names only: "test/" is not "tests/" */
	{ "test/", "tests/test_x.py::test_y", "../tests/test_x.py::test_y" },
	{ "tests/", "tests_more/t.py::test_y", "../tests_more/t.py::test_y" },
	/* "/" and "::" after the file part stay as they are */
	{ "tests/", "tests/test_x.py::test_y[tests/a/b]",
	  "test_x.py::test_y[tests/a/b]" },
	{ "src/", "tests/test_x.py::test_y[a::b/c]",
	  "../tests/test_x.py::test_y[a::b/c]" },
	{ "tests/", "tests/test_x.py::C::test_y[../x]",
	  "test_x.py::C::test_y[../x]" },
	/* an id without "::" is all file */
	{ "tests/", "tests/test_x.py", "test_x.py" },
	{ "src/", "tests/test_x.py", "../tests/test_x.py" },
	{ "tests/", "tests", "../tests" },
};

static void test_relative_id(void **state)
{
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		struct sbuf out = SBUF_INIT;

		relative_id(&out, ids[i].id, ids[i].prefix);
		assert_string_equal(out.buf, ids[i].want);
		sbuf_release(&out);
	}
}

static const struct {
	const char *top, *cwd, *want;
} prefixes[] = {
	{ "/w/repo", "/w/repo", "" },
	{ "/w/repo/", "/w/repo", "" },
	{ "/w/repo", "/w/repo/tests", "tests/" },
	{ "/w/repo/", "/w/repo/tests/unit", "tests/unit/" },
	{ "/w/repo", "/w/repo//tests/", "tests/" },
	/* outside the work tree, or a sibling sharing its name's start */
	{ "/w/repo", "/w", "" },
	{ "/w/repo", "/w/repository/tests", "" },
	{ "/w/repo", "/elsewhere", "" },
	/* the work tree is the root directory */
	{ "/", "/", "" },
	{ "/", "/srv/x", "srv/x/" },
};

static void test_relative_prefix(void **state)
{
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++) {
		char *got = relative_prefix(prefixes[i].top, prefixes[i].cwd);

		assert_string_equal(got, prefixes[i].want);
		free(got);
	}
}

static const struct {
	const char *path, *prefix, *want;
} top_paths[] = {
	{ "mod.py", "", "mod.py" },
	{ "mod.py", "sub/", "sub/mod.py" },
	{ "deep/t.py", "sub/", "sub/deep/t.py" },
	{ "../x.py", "sub/", "x.py" },
	{ "../../x", "a/b/", "x" },
	{ "../c/./d//e/", "a/b/", "a/c/d/e" },
	{ ".", "sub/", "sub" },
	{ ".", "", "" },
	{ "..", "sub/", "" },
	{ "*.py", "sub/", "sub/*.py" },
	{ "..x/y", "sub/", "sub/..x/y" },
	/* git's ":/" names the top from anywhere */
	{ ":/inventory/units.py", "tests/deep/", "inventory/units.py" },
	{ ":/", "sub/", "" },
	{ ":x", "sub/", "sub/:x" },
};

static void test_top_path(void **state)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < sizeof(top_paths) / sizeof(*top_paths); i++) {
		sbuf_reset(&sb);
		sbuf_addstr(&sb, "kept ");
		assert_int_equal(top_path(&sb, top_paths[i].path,
					  top_paths[i].prefix), 0);
		if (strcmp(sb.buf + 5, top_paths[i].want))
			fail_msg("'%s' from '%s' is '%s', want '%s'",
				 top_paths[i].path, top_paths[i].prefix,
				 sb.buf + 5, top_paths[i].want);
	}
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "kept ");
	assert_int_equal(top_path(&sb, "../x", ""), -1);
	assert_int_equal(top_path(&sb, "../../x", "sub/"), -1);
	assert_int_equal(top_path(&sb, "/abs/x", "sub/"), -1);
	assert_int_equal(top_path(&sb, ":/..", "sub/"), -1);
	assert_string_equal(sb.buf, "kept ");
	sbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative_id),
		cmocka_unit_test(test_relative_prefix),
		cmocka_unit_test(test_top_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
