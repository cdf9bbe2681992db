/* test-strlist.c - unit tests of the string list and the binary searches over sorted
 * string keys that the model, the import index and record's JUnit keys use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "strlist.h"

struct rec {
	int payload;
	const char *key;
};

static const struct rec recs[] = {
	{ 0, "a" }, { 1, "b" }, { 2, "b" }, { 3, "b" }, { 4, "d" }, { 5, "e" },
};
#define NR (sizeof(recs) / sizeof(*recs))
#define KEY offsetof(struct rec, key)

static void test_first_not_below(void **state)
{
	(void)state;
	assert_int_equal(sorted_first_str(recs, NR, sizeof(*recs), KEY, ""), 0);
	assert_int_equal(sorted_first_str(recs, NR, sizeof(*recs), KEY, "a"), 0);
	assert_int_equal(sorted_first_str(recs, NR, sizeof(*recs), KEY, "b"), 1);
	assert_int_equal(sorted_first_str(recs, NR, sizeof(*recs), KEY, "c"), 4);
	assert_int_equal(sorted_first_str(recs, NR, sizeof(*recs), KEY, "e"), 5);
	assert_int_equal(sorted_first_str(recs, NR, sizeof(*recs), KEY, "f"), NR);
	assert_int_equal(sorted_first_str(recs, 0, sizeof(*recs), KEY, "a"), 0);
}

static void test_find_first_equal(void **state)
{
	(void)state;
	/* duplicates: always the first of them, whatever the size */
	for (size_t nr = 2; nr <= NR; nr++)
		assert_int_equal(sorted_find_str(recs, nr, sizeof(*recs), KEY, "b"), 1);
	assert_int_equal(sorted_find_str(recs, NR, sizeof(*recs), KEY, "a"), 0);
	assert_int_equal(sorted_find_str(recs, NR, sizeof(*recs), KEY, "e"), 5);
	assert_int_equal(sorted_find_str(recs, NR, sizeof(*recs), KEY, "c"), -1);
	assert_int_equal(sorted_find_str(recs, NR, sizeof(*recs), KEY, "bb"), -1);
	assert_int_equal(sorted_find_str(recs, NR, sizeof(*recs), KEY, "z"), -1);
	assert_int_equal(sorted_find_str(recs, 0, sizeof(*recs), KEY, "a"), -1);
}

static void test_list_sort_and_find(void **state)
{
	static const char *const words[] = { "pear", "apple", "fig", "kiwi" };
	struct strlist list = STRLIST_INIT;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		strlist_append(&list, words[i]);
	strlist_sort(&list);
	assert_string_equal(list.items[0], "apple");
	assert_string_equal(list.items[3], "pear");
	assert_int_equal(strlist_find_sorted(&list, "fig"), 1);
	assert_int_equal(strlist_find_sorted(&list, "kiwi"), 2);
	assert_int_equal(strlist_find_sorted(&list, "plum"), -1);
	strlist_release(&list);
	assert_null(list.items);
	assert_int_equal(list.nr, 0);
}

static void test_list_sort_unique(void **state)
{
	static const char *const words[] = { "b", "a", "b", "c", "a", "b" };
	struct strlist list = STRLIST_INIT;

	(void)state;
	strlist_sort_unique(&list);
	assert_int_equal(list.nr, 0);
	for (size_t i = 0; i < 6; i++)
		strlist_append(&list, words[i]);
	strlist_sort_unique(&list);
	assert_int_equal(list.nr, 3);
	assert_string_equal(list.items[0], "a");
	assert_string_equal(list.items[1], "b");
	assert_string_equal(list.items[2], "c");
	strlist_release(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_not_below),
		cmocka_unit_test(test_find_first_equal),
		cmocka_unit_test(test_list_sort_and_find),
		cmocka_unit_test(test_list_sort_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
