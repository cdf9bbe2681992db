/* test-nodeid.c - unit tests for pytest node ids and their JUnit form.
 * Expected keys were taken from pytest 7.2's own mangle_test_address(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "nodeid.h"

static const struct {
	const char *nodeid, *key;
} key_cases[] = {
	{ "tests/test_a.py::test_one", "tests.test_a\ttest_one" },
	{ "tests/test_a.py::TestX::test_y", "tests.test_a.TestX\ttest_y" },
	{ "tests/test_a.py::TestX::test_param[p::q-]",
	  "tests.test_a.TestX\ttest_param[p::q-]" },
	{ "tests/test_a.py::test_p[a/b.py]", "tests.test_a\ttest_p[a/b.py]" },
	{ "tests/test_a.py", "\ttests.test_a" },
	{ "test_top.py::test_x", "test_top\ttest_x" },
	{ "tests/test_a.pyx::t", "tests.test_a.pyx\tt" },
	{ "a.py.py::t", "a.py\tt" },
	{ "", "\t" },
	{ "::", "\t" },
	{ "tests/test_a.py::TestX::TestInner::test_z",
	  "tests.test_a.TestX.TestInner\ttest_z" },
	{ "tests/test_a.py::test[x]::y", "tests.test_a\ttest[x]::y" },
	{ "dir/sub/test_b.py::Test::test_c[1-a::b[c]]",
	  "dir.sub.test_b.Test\ttest_c[1-a::b[c]]" },
	{ "tests/test_a.py:::test", "tests.test_a\t:test" },
	{ "x[1]/t.py::a", "\tx[1]/t.py::a" },
	{ "tests/v1.2/test_d.py::TestQ::test_r",
	  "tests.v1.2.test_d.TestQ\ttest_r" },
	/* the name is escaped as bin_xml_escape() does, the classname not */
	{ "tests/test_e.py::test_e[\033[2J]", "tests.test_e\ttest_e[#x1B[2J]" },
	{ "tests/test_e.py::T::t[a\007b\177\302\233]",
	  "tests.test_e.T\tt[a#x07b\177\302\233]" },
	{ "tests/test_e.py::t[\360\237\230\200-\357\277\276-\t]",
	  "tests.test_e\tt[#x1F600-#xFFFE-\t]" },
	{ "tests/te\033st.py::t", "tests.te\033st\tt" },
	{ "tests/t\001.py", "\ttests.t#x01" },
	/* a broken UTF-8 sequence is copied */
	{ "t.py::t[\360\237\230]", "t\tt[\360\237\230]" },
};

static void test_junit_key(void **state)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < sizeof(key_cases) / sizeof(*key_cases); i++) {
		nodeid_junit_key(&sb, key_cases[i].nodeid);
		if (strcmp(sb.buf, key_cases[i].key))
			fail_msg("key of '%s' is '%s', want '%s'",
				 key_cases[i].nodeid, sb.buf,
				 key_cases[i].key);
	}
	/* the key replaces what out held */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "old contents");
	nodeid_junit_key(&sb, "t.py::x");
	assert_string_equal(sb.buf, "t\tx");
	assert_int_equal(sb.len, 3);
	sbuf_release(&sb);
}

static const char *const tracked[] = {
	"pkg/mod.py", "tests.py", "tests/__init__.py", "tests/test_a.py",
	"tests/sub/test_b.py", "tests/v1.2/test_d.py", "test_top.py",
	"README", "tests/data.txt",
};

static void load_tracked(struct strlist *list)
{
	for (size_t i = 0; i < sizeof(tracked) / sizeof(*tracked); i++)
		strlist_append(list, tracked[i]);
	strlist_sort(list);
}

static const struct {
	const char *classname, *name, *file, *want;
} junit_cases[] = {
	{ "tests.test_a", "test_one", NULL, "tests/test_a.py::test_one" },
	{ "tests.test_a.TestX", "test_param[p::q-]", NULL,
	  "tests/test_a.py::TestX::test_param[p::q-]" },
	{ "tests.test_a.TestX.Inner", "t[a.b]", NULL,
	  "tests/test_a.py::TestX::Inner::t[a.b]" },
	{ "tests.sub.test_b", "t", NULL, "tests/sub/test_b.py::t" },
	{ "test_top", "test_x", NULL, "test_top.py::test_x" },
	/* longest module prefix wins over tests.py */
	{ "tests.test_a.TestX", "test_y", NULL,
	  "tests/test_a.py::TestX::test_y" },
	{ "tests.Foo", "t", NULL, "tests.py::Foo::t" },
	/* xunit1: file given, used even when not tracked */
	{ "tests.test_a.TestX", "test_y", "tests/test_a.py",
	  "tests/test_a.py::TestX::test_y" },
	{ "tests.gen.test_x", "t", "tests/gen/test_x.py",
	  "tests/gen/test_x.py::t" },
	/* inherited test: file is the base class's module */
	{ "tests.test_a.TestX", "test_base", "tests/base.py",
	  "tests/test_a.py::TestX::test_base" },
	/* a directory with a dot in its name needs the slow path */
	{ "tests.v1.2.test_d.TestQ", "test_r", NULL,
	  "tests/v1.2/test_d.py::TestQ::test_r" },
	/* collection errors: empty classname, name is the module */
	{ "", "tests.test_a", NULL, "tests/test_a.py" },
	{ NULL, "tests.sub.test_b", NULL, "tests/sub/test_b.py" },
	{ "", "tests.test_a.nothing", NULL, NULL },
	{ "", "tests.missing", NULL, NULL },
	/* no match or malformed */
	{ "nope.mod", "t", NULL, NULL },
	{ "tests.data", "t", NULL, "tests.py::data::t" },
	{ "other.data", "t", NULL, NULL },
	{ "README", "t", NULL, NULL },
	{ "tests/test_a.X", "t", NULL, NULL },
	{ "tests.test_a", "", NULL, NULL },
	{ "tests.test_a", NULL, NULL, NULL },
	{ ".", "t", NULL, NULL },
	{ "..", "t", NULL, NULL },
};

static void test_from_junit(void **state)
{
	struct strlist paths = STRLIST_INIT;

	load_tracked(&paths);
	for (size_t i = 0; i < sizeof(junit_cases) / sizeof(*junit_cases);
	     i++) {
		char *got = nodeid_from_junit(junit_cases[i].classname,
					      junit_cases[i].name,
					      junit_cases[i].file, &paths);
		const char *want = junit_cases[i].want;

		if (!want != !got || (got && strcmp(got, want)))
			fail_msg("case %zu ('%s', '%s'): got '%s', want '%s'",
				 i, junit_cases[i].classname,
				 junit_cases[i].name, got ? got : "(null)",
				 want ? want : "(null)");
		free(got);
	}
	strlist_release(&paths);
}

static void test_no_paths(void **state)
{
	struct strlist paths = STRLIST_INIT;

	assert_null(nodeid_from_junit("tests.test_a", "t", NULL, &paths));
	assert_null(nodeid_from_junit("", "tests.test_a", NULL, &paths));
}

/* nodeid -> junit key -> nodeid gives back the same node id */
static void test_round_trip(void **state)
{
	static const char *const ids[] = {
		"tests/test_a.py::test_one",
		"tests/test_a.py::TestX::test_y",
		"tests/test_a.py::TestX::test_param[p::q-]",
		"tests/test_a.py::TestX::test_param[-1-5]",
		"tests/sub/test_b.py::A::B::test_c[x.y/z]",
		"tests/v1.2/test_d.py::TestQ::test_r",
		"test_top.py::test_x[]",
		"tests/test_a.py",
		"tests/test_a.py::test_one[\033[2J\a]",
	};
	struct strlist paths = STRLIST_INIT;
	struct sbuf key = SBUF_INIT;

	load_tracked(&paths);
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		char *tab, *back;

		nodeid_junit_key(&key, ids[i]);
		tab = strchr(key.buf, '\t');
		assert_non_null(tab);
		*tab = '\0';
		back = nodeid_from_junit(key.buf, tab + 1, NULL, &paths);
		if (!back || strcmp(back, ids[i]))
			fail_msg("'%s' came back as '%s'", ids[i],
				 back ? back : "(null)");
		free(back);
	}
	sbuf_release(&key);
	strlist_release(&paths);
}

/* A case only JUnit names gets its control characters back. */
static void test_from_junit_escaped(void **state)
{
	struct strlist paths = STRLIST_INIT;
	char *id;

	strlist_append(&paths, "tests/test_e.py");
	id = nodeid_from_junit("tests.test_e", "test_e[#x1B[2J#x07]", NULL,
			       &paths);
	assert_string_equal(id, "tests/test_e.py::test_e[\033[2J\007]");
	free(id);
	/* not a control character, or not pytest's escape: as written */
	id = nodeid_from_junit("tests.test_e", "t[#x41#x0A#x1b#x1F600#x1]",
			       NULL, &paths);
	assert_string_equal(id, "tests/test_e.py::t[#x41#x0A#x1b\037600#x1]");
	free(id);
	strlist_release(&paths);
}

static void test_escape(void **state)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, "kept:");
	nodeid_junit_escape(&sb, "a\0\033\r\n\364\217\277\277", 9);
	assert_int_equal(sb.len, 5 + 1 + 4 + 4 + 2 + 8);
	assert_memory_equal(sb.buf, "kept:a#x00#x1B\r\n#x10FFFF", sb.len);
	sbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junit_key),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_from_junit_escaped),
		cmocka_unit_test(test_from_junit),
		cmocka_unit_test(test_no_paths),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
