/* test-data-refs.c - unit tests of data-refs.c: which string literals name a data file.
 * Whole names only, paths and f-strings, comments and code ignored, odd bytes read safely. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "data-refs.h"

static int names(const char *s, const char *name)
{
	return data_refs_names(s, strlen(s), name);
}

static void test_whole_names(void **state)
{
	(void)state;
	assert_true(names("\"default_en.txt\"", "default_en.txt"));
	assert_true(names("'data/default_en.txt'", "default_en.txt"));
	assert_true(names("r'C:\\data\\x.json'", "x.json"));
	assert_true(names("\"x.json x.json.gz\"", "x.json"));
	assert_false(names("\"x.json.gz\"", "x.json"));
	assert_false(names("\"old_x.json\"", "x.json"));
	assert_false(names("\"my-x.json\"", "x.json"));
	assert_false(names("\"x.jsonl\"", "x.json"));
	assert_false(names("\"x.json\"", ""));
	assert_false(names("x", "x.json"));
	assert_true(names("x.json", "x.json"));
	assert_true(names("\"etc/VERSION\"", "VERSION"));
	assert_false(names("\"VERSION\"", "VERSION"));
	assert_false(names("{'data': 1}", "data"));
}

static size_t lines_of(const char *src, const char *name, uint32_t **lines)
{
	return data_refs_lines(src, strlen(src), name, lines);
}

static void test_lines(void **state)
{
	const char *src =
		"# prices.json is read below\n"			/* 1 */
		"PRICES = 'prices.json'\n"			/* 2 */
		"def load(d):\n"				/* 3 */
		"    return open(f\"{d}/prices.json\")\n"	/* 4 */
		"prices_json = 1\n"				/* 5 */
		"DOC = '''\n"					/* 6 */
		"see prices.json\n"				/* 7 */
		"''' + 'prices.json'\n";			/* 8 */
	uint32_t *lines;
	size_t nr = lines_of(src, "prices.json", &lines);

	(void)state;
	assert_int_equal(nr, 4);
	assert_int_equal(lines[0], 2);
	assert_int_equal(lines[1], 4);
	assert_int_equal(lines[2], 6);
	assert_int_equal(lines[3], 8);
	free(lines);
	assert_int_equal(lines_of(src, "other.json", &lines), 0);
	assert_null(lines);
	assert_int_equal(lines_of("# only prices.json here\n", "prices.json",
				  &lines), 0);
	assert_null(lines);
}

/* Unterminated strings and stray bytes: no read past the buffer. */
static void test_odd_bytes(void **state)
{
	static const char src[] = { 'x', '=', '"', 'a', '.', 't', 'x', 't' };
	uint32_t *lines;

	(void)state;
	assert_int_equal(data_refs_lines(src, sizeof(src), "a.txt", &lines), 1);
	assert_int_equal(lines[0], 1);
	free(lines);
	assert_int_equal(data_refs_lines("\"\xff\x00" "a.txt\"", 9, "a.txt",
					 &lines), 1);
	free(lines);
	assert_int_equal(data_refs_lines("", 0, "a.txt", &lines), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_names),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_odd_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
