/* test-glob.c - unit tests for glob matching, cases from gitignore(5) PATTERN FORMAT.
 * "test-glob --list" prints the cases; t1001-glob.sh checks each against git check-ignore. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "glob.h"
#include "xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

struct glob_case {
	const char *pattern, *path;
	int match;
};

/* Each as git check-ignore --no-index says with the pattern in .gitignore. */
static const struct glob_case cases[] = {
	/* no '/': a name at any depth, a file or a directory on the way */
	{ "conftest.py", "conftest.py", 1 },
	{ "conftest.py", "tests/unit/conftest.py", 1 },
	{ "conftest.py", "tests/conftest.pyc", 0 },
	{ "conftest.py", "xconftest.py", 0 },
	{ "*.md", "README.md", 1 },
	{ "*.md", "docs/guide/intro.md", 1 },
	{ "*.md", "docs/guide/intro.mdx", 0 },
	{ "*.py", ".hidden.py", 1 },
	{ ".*", "a/.env", 1 },
	{ "test_*.py", "tests/test_a.py", 1 },
	{ "test_*.py", "tests/a_test.py", 0 },
	{ "*_test.py", "pkg/a_test.py", 1 },
	{ "requirements*.txt", "requirements-dev.txt", 1 },
	{ "requirements*.txt", "sub/requirements.txt", 1 },
	{ "README", "readme", 0 },
	/* a file inside a matched directory */
	{ "docs", "docs/a.md", 1 },
	{ "docs", "docs/a/b.md", 1 },
	{ "docs", "src/docs/a.md", 1 },
	{ "docs", "docsx/a.md", 0 },
	{ "docs", "xdocs/a.md", 0 },
	{ "*.py", "a.py/b", 1 },
	{ "a.py", "a.py/", 1 },
	/* a trailing '/': a directory only, so a path under it */
	{ "docs/", "docs/a.md", 1 },
	{ "docs/", "docs", 0 },
	{ "docs/", "a/docs/b/c.md", 1 },
	{ "docs/", "src/docs", 0 },
	{ "frotz/", "a/frotz/b", 1 },
	{ "doc/frotz/", "doc/frotz/a", 1 },
	{ "doc/frotz/", "doc/frotz", 0 },
	{ "doc/frotz/", "a/doc/frotz/b", 0 },
	/* a leading '/' anchors at the top */
	{ "/setup.py", "setup.py", 1 },
	{ "/setup.py", "sub/setup.py", 0 },
	{ "/docs", "docs/a", 1 },
	{ "/docs", "x/docs/a", 0 },
	{ "/*.c", "cat-file.c", 1 },
	{ "/*.c", "mozilla-sha1/sha1.c", 0 },
	{ "/*", "a/b", 1 },
	/* a '/' in the middle anchors too */
	{ "doc/frotz", "doc/frotz", 1 },
	{ "doc/frotz", "doc/frotz/x", 1 },
	{ "doc/frotz", "a/doc/frotz", 0 },
	{ "src/app.py", "src/app.py", 1 },
	{ "src/app.py", "lib/src/app.py", 0 },
	{ "src/pkg", "src/pkg/a.py", 1 },
	/* '*' and '?' do not cross '/' */
	{ "src/*.py", "src/a.py", 1 },
	{ "src/*.py", "src/pkg/a.py", 0 },
	{ "src/*", "src/pkg/a.py", 1 },		/* the directory matches */
	{ "foo/*", "foo/bar/hello.c", 1 },
	{ "src/a*b", "src/a/b", 0 },
	{ "a*c", "ab/c", 0 },
	{ "src/a?b", "src/a/b", 0 },
	{ "src/a?b", "src/axb", 1 },
	{ "*", "a/b", 1 },
	{ "*a*b*c", "xaybzc", 1 },
	{ "*a*b*c", "xaybz", 0 },
	{ "?.py", "a.py", 1 },
	{ "?.py", "ab.py", 0 },
	{ "?.py", ".py", 0 },
	{ "a?c", "a/c", 0 },
	/* a leading "**" */
	{ "**/foo", "foo", 1 },
	{ "**/foo", "a/b/foo", 1 },
	{ "**/foo", "a/foo/x", 1 },
	{ "**/foo/bar", "foo/bar", 1 },
	{ "**/foo/bar", "x/y/foo/bar", 1 },
	{ "**/foo/bar", "x/foo/baz", 0 },
	{ "**/tests/*.py", "x/tests/a.py", 1 },
	{ "**/tests/*.py", "x/tests/sub/a.py", 0 },
	{ "**/tests/*.py", "x/tests/a.py/b", 1 },
	{ "/**/b", "a/b", 1 },
	{ "/**/b", "b", 1 },
	/* a trailing "**": inside, not the directory itself */
	{ "abc/**", "abc/a", 1 },
	{ "abc/**", "abc/x/y", 1 },
	{ "abc/**", "abc", 0 },
	{ "abc/**", "x/abc/a", 0 },
	{ "a/**/", "a/b/c", 1 },
	{ "a/**/", "a/b", 0 },
	{ "**", "anything/at/all", 1 },
	{ "/**", "a/b", 1 },
	{ "**/", "a/b", 1 },
	{ "**/", "c", 0 },			/* a file, not a directory */
	{ "**", "c", 1 },
	/* "**" in the middle: zero or more directories */
	{ "a/**/b", "a/b", 1 },
	{ "a/**/b", "a/x/b", 1 },
	{ "a/**/b", "a/x/y/b", 1 },
	{ "a/**/b", "a/x/y/c", 0 },
	{ "a/**/b", "x/a/b", 0 },
	{ "a/**/b", "a/b/c", 1 },
	{ "src/**/a.py", "src/x/y/z/a.py", 1 },
	{ "src/**/a.py", "lib/src/x/a.py", 0 },
	{ "a/**/b/**/c", "a/b/c", 1 },
	{ "a/**/b/**/c", "a/x/b/y/z/c", 1 },
	{ "a/**/b/**/c", "a/x/y/z/c", 0 },
	{ "a/***/b", "a/x/y/b", 1 },
	{ "***/foo", "x/y/foo", 1 },
	/* "**" not a whole segment is a '*' */
	{ "a**b.py", "axxb.py", 1 },
	{ "src/a**b.py", "src/a/b.py", 0 },
	{ "foo/**bar", "foo/bar", 1 },
	{ "foo/**bar", "foo/x/bar", 0 },
	{ "**foo", "x/afoo", 1 },
	/* classes */
	{ "test_[abc].py", "t/test_b.py", 1 },
	{ "test_[abc].py", "t/test_d.py", 0 },
	{ "test_[a-c].py", "test_c.py", 1 },
	{ "test_[!a-c].py", "test_c.py", 0 },
	{ "test_[!a-c].py", "test_d.py", 1 },
	{ "test_[^a-c].py", "test_d.py", 1 },
	{ "test_[^a-c].py", "test_a.py", 0 },
	{ "[]]x", "]x", 1 },
	{ "[!]]x", "]x", 0 },
	{ "[a-]x", "-x", 1 },
	{ "[-a]x", "-x", 1 },
	{ "[a\\-c]x", "-x", 1 },
	{ "[a\\-c]x", "bx", 0 },
	{ "[\\]]x", "]x", 1 },
	{ "[z-a]x", "mx", 0 },
	{ "[*]x", "*x", 1 },
	{ "[*]x", "ax", 0 },
	{ "[?]x", "ax", 0 },
	{ "[ab", "[ab", 0 },			/* not closed: nothing */
	{ "[ab", "a", 0 },
	{ "[[:digit:]]x", "1x", 1 },
	{ "[[:digit:]]x", "ax", 0 },
	{ "[![:digit:]]x", "ax", 1 },
	{ "[[:upper:][:digit:]]", "x/Q", 1 },
	{ "[[:upper:][:digit:]]", "x/q", 0 },
	{ "[a-c[:space:]]x", " x", 1 },
	{ "[[:foo:]]x", "fx", 0 },		/* unknown class: nothing */
	{ "x[[:y]", "x:", 1 },			/* no ":]": an ordinary '[' */
	{ "x[a/b]", "xa", 1 },			/* a '/' in a class */
	/* escapes */
	{ "\\*.py", "*.py", 1 },
	{ "\\*.py", "a.py", 0 },
	{ "a\\?b", "a?b", 1 },
	{ "a\\?b", "axb", 0 },
	{ "\\[ab]", "[ab]", 1 },
	{ "\\[ab]", "a", 0 },
	{ "\\#a", "#a", 1 },
	{ "\\!a", "!a", 1 },
	{ "a\\\\b", "a\\b", 1 },
	{ "a\\", "a\\", 0 },			/* a trailing '\': nothing */
	/* trailing spaces are dropped unless escaped */
	{ "a ", "a", 1 },
	{ "a ", "a ", 0 },
	{ "a\\ ", "a ", 1 },
	{ "a\\ ", "a", 0 },
	{ "a b", "a b", 1 },
};

/* Where a pattern means something else in a .gitignore file. */
static const struct glob_case not_gitignore[] = {
	{ "#a", "#a", 1 },			/* no comments in a list */
	{ "!a", "!a", 1 },			/* no negation */
	{ "!a", "a", 0 },
	/*
	 * gitignore(5): "Other consecutive asterisks are considered regular
	 * asterisks". git 2.39 matches these all the same: it compares the
	 * literal "x" apart, and then sees the "**" as leading.
	 */
	{ "x**/b", "xy/a/b", 0 },
	{ "x**/.a", "x.a", 0 },
	/* degenerate */
	{ "", "a", 0 },
	{ "/", "a", 0 },
	{ "a", "", 0 },
	{ " ", " ", 0 },
};

static void check_cases(const struct glob_case *c, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		int got = glob_match(c[i].pattern, c[i].path);

		if (got != c[i].match)
			fail_msg("'%s' vs '%s': %d, want %d", c[i].pattern,
				 c[i].path, got, c[i].match);
	}
}

static void test_gitignore_cases(void **state)
{
	check_cases(cases, ARRAY_SIZE(cases));
}

static void test_not_gitignore(void **state)
{
	check_cases(not_gitignore, ARRAY_SIZE(not_gitignore));
}

static void test_match_any(void **state)
{
	struct strlist list = STRLIST_INIT;

	assert_false(glob_match_any(&list, "a.md"));
	assert_false(glob_match_any(NULL, "a.md"));
	strlist_append(&list, "docs/**");
	strlist_append(&list, "*.md");
	assert_true(glob_match_any(&list, "x/a.md"));
	assert_true(glob_match_any(&list, "docs/a.txt"));
	assert_false(glob_match_any(&list, "src/a.txt"));
	strlist_release(&list);
}

/* Backtracking must stay polynomial: exponential code would never end. */
static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t ulen = strlen(unit), tlen = strlen(tail);
	char *s = xmalloc(ulen * times + tlen + 1);

	for (size_t i = 0; i < times; i++)
		memcpy(s + i * ulen, unit, ulen);
	memcpy(s + ulen * times, tail, tlen + 1);
	return s;
}

static void test_pathological(void **state)
{
	clock_t start = clock();
	char *pat = repeat("*a", 20, "*b");
	char *path = repeat("a", 4000, "");
	double secs;

	assert_false(glob_match(pat, path));
	path[3999] = 'b';
	assert_true(glob_match(pat, path));
	free(pat);
	free(path);

	/* "**" over many directories */
	pat = repeat("**/", 40, "x/y");
	path = repeat("x/", 2000, "z");
	assert_false(glob_match(pat, path));
	path[4000] = 'y';
	assert_true(glob_match(pat, path));
	free(pat);
	free(path);

	/* the same in each of many directories */
	path = repeat("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/", 200,
		      "a");
	assert_false(glob_match("*a*a*a*a*a*a*b", path));
	free(path);

	secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	if (secs > 20)
		fail_msg("pathological globs took %.1f s", secs);
}

/* "--list": the gitignore cases, one "pattern TAB path TAB 0|1" a line. */
static void list_cases(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		printf("%s\t%s\t%d\n", cases[i].pattern, cases[i].path,
		       cases[i].match);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gitignore_cases),
		cmocka_unit_test(test_not_gitignore),
		cmocka_unit_test(test_match_any),
		cmocka_unit_test(test_pathological),
	};

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		list_cases();
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
