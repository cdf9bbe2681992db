/* test-new-tests.c - unit tests of new-tests.c: test ids of a source, tests added and deleted since
 * the model's commit (the change having the last word), untracked test files. Hand-made changes, no git. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "diff.h"
#include "impact.h"
#include "model.h"
#include "new-tests.h"
#include "strlist.h"
#include "xalloc.h"

#define HEX0 "0000000000000000000000000000000000000000"

/* t/test_t.py as the model's commit has it. */
static const char BEFORE[] =
	"import pytest\n"
	"\n"
	"def helper():\n"
	"    return 1\n"
	"\n"
	"def test_old():\n"
	"    assert helper()\n"
	"\n"
	"@pytest.mark.parametrize('v', [1, 2])\n"
	"def test_gone(v):\n"
	"    assert v\n"
	"\n"
	"class TestKept:\n"
	"    def test_kept(self):\n"
	"        assert 1\n";

/* ... as the base has it: test_gone deleted, test_new added. */
static const char AFTER[] =
	"import pytest\n"
	"\n"
	"def helper():\n"
	"    return 1\n"
	"\n"
	"def test_old():\n"
	"    assert helper()\n"
	"\n"
	"class TestKept:\n"
	"    def test_kept(self):\n"
	"        assert 1\n"
	"\n"
	"@pytest.mark.parametrize('v', ['a b', 'c'])\n"
	"def test_new(v):\n"
	"    def test_inner():\n"
	"        pass\n"
	"    assert v\n";

/* ... as the change leaves it: test_new gone again, test_later added. */
static const char CHANGED[] =
	"def test_old():\n"
	"    assert 1\n"
	"\n"
	"class TestKept:\n"
	"    def test_kept(self):\n"
	"        assert 1\n"
	"\n"
	"def test_later():\n"
	"    assert 1\n";

static const char *const patterns_init[] = { "test_*.py", NULL };

static struct strlist patterns = STRLIST_INIT;

static void build_model(struct model *m)
{
	static const char *const ids[] = {
		"t/test_t.py::TestKept::test_kept",
		"t/test_t.py::test_gone[1]", "t/test_t.py::test_gone[2]",
		"t/test_t.py::test_old", "t/test_u.py::test_elsewhere", NULL };

	model_init(m);
	model_add_flag(m, "default", HEX0, 1, 0, 0);
	model_add_file(m, "t/test_t.py", HEX0);
	for (size_t i = 0; ids[i]; i++)
		model_add_test(m, ids[i], 0, 0.1, OUTCOME_PASSED, 0, NULL, 0);
	assert_int_equal(model_validate(m, "test model"), 0);
	if (!patterns.nr)
		for (size_t i = 0; patterns_init[i]; i++)
			strlist_append(&patterns, patterns_init[i]);
}

/* Append a change of path: old and new contents (NULL: that side is absent). */
static void add_change(struct change_set *set, enum change_status status,
		       const char *old_path, const char *old,
		       const char *new_path, const char *new)
{
	struct file_change *fc;

	ALLOC_GROW(set->items, set->nr + 1, set->alloc);
	fc = &set->items[set->nr++];
	memset(fc, 0, sizeof(*fc));
	fc->status = status;
	fc->old_path = old_path ? xstrdup(old_path) : NULL;
	fc->new_path = new_path ? xstrdup(new_path) : NULL;
	sbuf_init(&fc->old_data, 0);
	sbuf_init(&fc->new_data, 0);
	if (old) {
		fc->has_old = 1;
		sbuf_addstr(&fc->old_data, old);
	}
	if (new) {
		fc->has_new = 1;
		sbuf_addstr(&fc->new_data, new);
	}
}

/* An empty impact for m, as impact_analyze() leaves one for no change. */
static void impact_for(struct impact *imp, const struct model *m)
{
	memset(imp, 0, sizeof(*imp));
	imp->global_slot = -1;
	imp->prior = xcalloc(m->tests_nr + 1, sizeof(double));
	imp->removed = xcalloc(m->tests_nr + 1, 1);
}

static void assert_list(const struct strlist *list, const char *const *want)
{
	size_t n = 0;

	for (; want[n]; n++) {
		assert_true(n < list->nr);
		assert_string_equal(list->items[n], want[n]);
	}
	assert_int_equal(list->nr, n);
}

static void test_ids_of_source(void **state)
{
	static const char *const want[] = {
		"t/test_t.py::TestKept::test_kept", "t/test_t.py::test_new",
		"t/test_t.py::test_old", NULL };
	static const char dup[] =
		"def test_d():\n    pass\n\ndef test_d():\n    pass\n";
	struct strlist ids = STRLIST_INIT;

	(void)state;
	assert_int_equal(new_tests_in_source(&ids, "t/test_t.py", AFTER,
					     strlen(AFTER)), 0);
	assert_list(&ids, want);
	strlist_release(&ids);
	/* a function defined twice is one test, by its plain name */
	assert_int_equal(new_tests_in_source(&ids, "t/test_d.py", dup,
					     strlen(dup)), 0);
	assert_int_equal(ids.nr, 1);
	assert_string_equal(ids.items[0], "t/test_d.py::test_d");
	strlist_release(&ids);
}

static void test_added_and_deleted_since(void **state)
{
	static const char *const want[] = { "t/test_t.py::test_new", NULL };
	struct change_set since = CHANGE_SET_INIT;
	struct new_tests_input in = { .since = &since,
				      .test_patterns = &patterns };
	struct new_tests_count n;
	struct impact imp;
	struct model m;

	(void)state;
	build_model(&m);
	in.model = &m;
	impact_for(&imp, &m);
	add_change(&since, CHANGE_MODIFIED, "t/test_t.py", BEFORE,
		   "t/test_t.py", AFTER);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_list(&imp.new_tests, want);
	assert_int_equal(n.since, 1);
	assert_int_equal(n.untracked, 0);
	/* both parametrized ids of test_gone, nothing else */
	assert_int_equal(imp.removed[0], 0);
	assert_int_equal(imp.removed[1], 1);
	assert_int_equal(imp.removed[2], 1);
	assert_int_equal(imp.removed[3], 0);
	assert_int_equal(imp.removed[4], 0);
	impact_release(&imp);

	/* a collected suite lacks test_gone too: still removed (--rest) */
	in.collected = 1;
	impact_for(&imp, &m);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_list(&imp.new_tests, want);
	assert_int_equal(imp.removed[1] + imp.removed[2], 2);
	impact_release(&imp);
	change_set_release(&since);
	model_release(&m);
}

static void test_change_has_the_last_word(void **state)
{
	static const char *const want[] = { "t/test_t.py::test_later", NULL };
	struct change_set since = CHANGE_SET_INIT, change = CHANGE_SET_INIT;
	struct new_tests_input in = { .since = &since, .change = &change,
				      .test_patterns = &patterns };
	struct new_tests_count n;
	struct impact imp;
	struct model m;

	(void)state;
	build_model(&m);
	in.model = &m;
	impact_for(&imp, &m);
	/* impact_analyze() found test_later new in the change itself */
	strlist_append(&imp.new_tests, "t/test_t.py::test_later");
	add_change(&since, CHANGE_MODIFIED, "t/test_t.py", BEFORE,
		   "t/test_t.py", AFTER);
	add_change(&change, CHANGE_MODIFIED, "t/test_t.py", AFTER,
		   "t/test_t.py", CHANGED);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_list(&imp.new_tests, want);
	assert_int_equal(n.since, 0);
	impact_release(&imp);
	change_set_release(&change);

	/* the change renames the file: every test of the old path is gone */
	impact_for(&imp, &m);
	add_change(&change, CHANGE_RENAMED, "t/test_t.py", AFTER,
		   "t/test_moved.py", AFTER);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_int_equal(n.since, 3);
	assert_string_equal(imp.new_tests.items[0],
			    "t/test_moved.py::TestKept::test_kept");
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(imp.removed[i], 1);
	assert_int_equal(imp.removed[4], 0);
	impact_release(&imp);
	change_set_release(&change);
	change_set_release(&since);
	model_release(&m);
}

/* ... with test_gone's cases changed: its model ids may be gone. */
static const char RECASED[] =
	"import pytest\n"
	"\n"
	"def helper():\n"
	"    return 1\n"
	"\n"
	"def test_old():\n"
	"    assert helper()\n"
	"\n"
	"@pytest.mark.parametrize('v', [1, 3])\n"
	"def test_gone(v):\n"
	"    assert v\n"
	"\n"
	"class TestKept:\n"
	"    def test_kept(self):\n"
	"        assert 1\n";

static void test_changed_cases(void **state)
{
	static const char *const want[] = { "t/test_t.py::test_gone", NULL };
	struct change_set since = CHANGE_SET_INIT;
	struct new_tests_input in = { .since = &since,
				      .test_patterns = &patterns };
	struct new_tests_count n;
	struct impact imp;
	struct model m;

	(void)state;
	build_model(&m);
	in.model = &m;
	impact_for(&imp, &m);
	add_change(&since, CHANGE_MODIFIED, "t/test_t.py", BEFORE,
		   "t/test_t.py", RECASED);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	/* the function's id stands for its cases; it was not added */
	assert_list(&imp.new_tests, want);
	assert_int_equal(n.since, 0);
	assert_int_equal(imp.removed[0], 0);
	assert_int_equal(imp.removed[1], 1);
	assert_int_equal(imp.removed[2], 1);
	assert_int_equal(imp.removed[3], 0);
	assert_int_equal(imp.notes.nr, 1);
	assert_string_equal(imp.notes.items[0], "changed since the model's "
			    "commit, run whole: t/test_t.py::test_gone");
	impact_release(&imp);

	/* a collected suite says which cases exist: nothing restated */
	in.collected = 1;
	impact_for(&imp, &m);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_int_equal(imp.new_tests.nr, 0);
	assert_int_equal(imp.notes.nr, 0);
	for (size_t i = 0; i < m.tests_nr; i++)
		assert_int_equal(imp.removed[i], 0);
	impact_release(&imp);
	change_set_release(&since);
	model_release(&m);
}

static void test_deleted_and_binary(void **state)
{
	struct change_set since = CHANGE_SET_INIT;
	struct new_tests_input in = { .since = &since,
				      .test_patterns = &patterns };
	struct new_tests_count n;
	struct impact imp;
	struct model m;

	(void)state;
	build_model(&m);
	in.model = &m;
	impact_for(&imp, &m);
	add_change(&since, CHANGE_DELETED, "t/test_t.py", BEFORE, NULL, NULL);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_int_equal(imp.new_tests.nr, 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(imp.removed[i], 1);
	impact_release(&imp);
	change_set_release(&since);

	/* a binary file says nothing: no test added, none removed */
	impact_for(&imp, &m);
	add_change(&since, CHANGE_MODIFIED, "t/test_t.py", NULL,
		   "t/test_t.py", NULL);
	since.items[0].binary = 1;
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_int_equal(imp.new_tests.nr, 0);
	for (size_t i = 0; i < m.tests_nr; i++)
		assert_int_equal(imp.removed[i], 0);
	impact_release(&imp);
	change_set_release(&since);
	model_release(&m);
}

static void test_untracked(void **state)
{
	static const char *const want[] = { "t/test_v.py::test_v", NULL };
	static const char v[] = "def test_v():\n    pass\n";
	struct change_set untracked = CHANGE_SET_INIT;
	struct new_tests_input in = { .untracked = &untracked,
				      .test_patterns = &patterns };
	struct new_tests_count n;
	struct impact imp;
	struct model m;

	(void)state;
	build_model(&m);
	in.model = &m;
	impact_for(&imp, &m);
	add_change(&untracked, CHANGE_ADDED, NULL, NULL, "t/helper.py", v);
	add_change(&untracked, CHANGE_ADDED, NULL, NULL, "t/test_v.py", v);
	assert_int_equal(new_tests_find(&imp, &n, &in), 0);
	assert_list(&imp.new_tests, want);
	assert_int_equal(n.untracked, 1);
	assert_int_equal(n.since, 0);
	impact_release(&imp);
	change_set_release(&untracked);
	model_release(&m);
	strlist_release(&patterns);
}

static void test_skipped_dirs(void **state)
{
	(void)state;
	assert_false(new_tests_in_skipped_dir("tests/test_a.py"));
	assert_false(new_tests_in_skipped_dir("tests/sub/"));
	assert_false(new_tests_in_skipped_dir("test_build.py"));
	assert_false(new_tests_in_skipped_dir("builder/test_a.py"));
	assert_true(new_tests_in_skipped_dir("build/lib/test_a.py"));
	assert_true(new_tests_in_skipped_dir("src/.tox/test_a.py"));
	assert_true(new_tests_in_skipped_dir("pkg.egg/test_a.py"));
	assert_true(new_tests_in_skipped_dir("a/node_modules/"));
	assert_true(new_tests_in_skipped_dir("venv/"));
	assert_false(new_tests_in_skipped_dir("venvs/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_of_source),
		cmocka_unit_test(test_added_and_deleted_since),
		cmocka_unit_test(test_change_has_the_last_word),
		cmocka_unit_test(test_changed_cases),
		cmocka_unit_test(test_deleted_and_binary),
		cmocka_unit_test(test_untracked),
		cmocka_unit_test(test_skipped_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
