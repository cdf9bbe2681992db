/* test-impact.c - unit tests of impact.c: a small model and hand-made one-file changes in,
 * change slots, extra coverage, test priors, removed and new tests and notes out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "coverage-vector.h"
#include "impact.h"
#include "model-merge.h"
#include "xalloc.h"

static const char A_PY[] =
	"LIMIT = 3\n"
	"\n"
	"\n"
	"def f(x):\n"
	"    return x + 1\n"
	"\n"
	"\n"
	"def g(x):\n"
	"    return x * 2\n"
	"\n"
	"\n"
	"class C:\n"
	"    size = 1\n"
	"\n"
	"    def m(self):\n"
	"        return self.size\n";

static const char TEST_A_PY[] =
	"import pytest\n"
	"from pkg import a\n"
	"\n"
	"\n"
	"def helper():\n"
	"    return 1\n"
	"\n"
	"\n"
	"def test_f():\n"
	"    assert a.f(1) == 2\n"
	"\n"
	"\n"
	"@pytest.mark.parametrize(\"v\", [1, 2])\n"
	"def test_g(v):\n"
	"    assert a.g(v) == 2 * v\n"
	"\n"
	"\n"
	"class TestC:\n"
	"    def test_m(self):\n"
	"        assert a.C().m() == 1\n";

/* Python keeps the second test_d; pytest collects it as test_d. */
static const char TEST_DUP_PY[] =
	"def test_d():\n"
	"    assert 1\n"
	"\n"
	"\n"
	"def test_d():\n"
	"    assert 2\n";

#define HEX0 "0000000000000000000000000000000000000000"

static void add_features(struct model *m, uint32_t file,
			 const char *const *names, const enum feature_kind *kinds)
{
	for (size_t i = 0; names[i]; i++)
		model_add_feature(m, file, names[i], kinds[i], 0, 1);
}

static void set_imports(struct model *m, uint32_t file, uint32_t to)
{
	m->files[file].imports = xmalloc(sizeof(uint32_t));
	m->files[file].imports[0] = to;
	m->files[file].imports_nr = 1;
}

/*
 * pkg/a.py (A_PY); pkg/b.py imports it; tests/test_a.py (TEST_A_PY)
 * imports pkg/a.py; tests/test_b.py imports pkg/b.py; tests/test_dup.py
 * (TEST_DUP_PY) defines test_d twice.
 */
static void build_model(struct model *m)
{
	static const char *const a_names[] = { "<module>", "C", "C.m", "f",
					       "g", NULL };
	static const enum feature_kind a_kinds[] = {
		FEATURE_MODULE, FEATURE_CLASS, FEATURE_FUNCTION,
		FEATURE_FUNCTION, FEATURE_FUNCTION };
	static const char *const t_names[] = { "<module>", "TestC",
					       "TestC.test_m", "helper",
					       "test_f", "test_g", NULL };
	static const enum feature_kind t_kinds[] = {
		FEATURE_MODULE, FEATURE_CLASS, FEATURE_FUNCTION,
		FEATURE_FUNCTION, FEATURE_FUNCTION, FEATURE_FUNCTION };
	static const char *const tests[] = {
		"tests/test_a.py::TestC::test_m", "tests/test_a.py::test_f",
		"tests/test_a.py::test_g[1]", "tests/test_a.py::test_g[2]",
		"tests/test_b.py::test_b", "tests/test_dup.py::test_d", NULL };

	model_init(m);
	model_add_flag(m, "default", HEX0, 1, 0, 0);
	model_add_file(m, "pkg/a.py", HEX0);
	model_add_file(m, "pkg/b.py", HEX0);
	model_add_file(m, "tests/test_a.py", HEX0);
	model_add_file(m, "tests/test_b.py", HEX0);
	model_add_file(m, "tests/test_dup.py", HEX0);
	set_imports(m, 1, 0);
	set_imports(m, 2, 0);
	set_imports(m, 3, 1);
	add_features(m, 0, a_names, a_kinds);
	model_add_feature(m, 1, "<module>", FEATURE_MODULE, 0, 1);
	add_features(m, 2, t_names, t_kinds);
	model_add_feature(m, 3, "test_b", FEATURE_FUNCTION, 0, 1);
	model_add_feature(m, 4, "test_d", FEATURE_FUNCTION, 0, 1);
	model_add_feature(m, 4, "test_d#2", FEATURE_FUNCTION, 0, 1);
	/* test_m runs C.m (2), test_f f (3), test_g g (4); the rest nothing */
	static const long runs[] = { 2, 3, 4, 4, -1, -1 };

	for (size_t i = 0; tests[i]; i++) {
		unsigned char *sig = NULL;
		size_t len = 0;

		if (runs[i] >= 0) {
			struct covvec_writer w;

			covvec_writer_init(&w);
			covvec_writer_add(&w, (uint32_t)runs[i], 16);
			sig = covvec_writer_finish(&w, &len);
		}
		model_add_test(m, tests[i], 0, 0.1, OUTCOME_PASSED, 0, sig,
			       len);
	}
	assert_int_equal(model_validate(m, "test model"), 0);
}

/* The number of lines of s (a last line without '\n' counts). */
static uint32_t count_lines(const char *s)
{
	uint32_t n = 0;

	for (const char *p = s; *p; p++)
		n += *p == '\n' || !p[1];
	return n;
}

/* The start of line n (1-based) of s. */
static const char *line_at(const char *s, uint32_t n)
{
	while (--n && (s = strchr(s, '\n')))
		s++;
	return s;
}

static int same_line(const char *a, const char *b)
{
	size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

	return la == lb && !memcmp(a, b, la);
}

static void add_range(struct line_range **r, size_t *nr, size_t *alloc,
		      uint32_t start, uint32_t count)
{
	if (!count)
		return;
	ALLOC_GROW(*r, *nr + 1, *alloc);
	(*r)[*nr].start = start;
	(*r)[(*nr)++].count = count;
}

/* The changed lines as one hunk: all but the common first and last lines. */
static void one_hunk(struct file_change *fc, const char *old, const char *new)
{
	uint32_t on = count_lines(old), nn = count_lines(new), head = 0, tail = 0;

	while (head < on && head < nn &&
	       same_line(line_at(old, head + 1), line_at(new, head + 1)))
		head++;
	while (tail < on - head && tail < nn - head &&
	       same_line(line_at(old, on - tail), line_at(new, nn - tail)))
		tail++;
	add_range(&fc->old_ranges, &fc->old_nr, &fc->old_alloc, head + 1,
		  on - head - tail);
	add_range(&fc->new_ranges, &fc->new_nr, &fc->new_alloc, head + 1,
		  nn - head - tail);
}

static const char *base_text(const char *path)
{
	if (!strcmp(path, "pkg/a.py"))
		return A_PY;
	if (!strcmp(path, "tests/test_a.py"))
		return TEST_A_PY;
	if (!strcmp(path, "tests/test_dup.py"))
		return TEST_DUP_PY;
	return NULL;
}

/* s with its one occurrence of from replaced by to. */
static char *replaced(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	struct sbuf sb = SBUF_INIT;

	assert_non_null(at);
	assert_null(strstr(at + 1, from));
	sbuf_add(&sb, s, (size_t)(at - s));
	sbuf_addstr(&sb, to);
	sbuf_addstr(&sb, at + strlen(from));
	return sbuf_detach(&sb, NULL);
}

enum edit {
	EDIT,		/* replace from by to in the file's base text */
	ADD,		/* a new file holding to */
	DELETE,		/* the file, its base text, deleted */
	BINARY,		/* a binary file changed */
	MODE,		/* only the mode changed */
};

struct impact_case {
	const char *what;
	const char *path;
	enum edit edit;
	const char *from, *to;
	const char *expect;	/* summary(), lines joined */
};

static void make_change(struct file_change *fc, const struct impact_case *c)
{
	const char *base = base_text(c->path);
	char *new = NULL;

	memset(fc, 0, sizeof(*fc));
	sbuf_init(&fc->old_data, 0);
	sbuf_init(&fc->new_data, 0);
	fc->status = c->edit == ADD ? CHANGE_ADDED :
		     c->edit == DELETE ? CHANGE_DELETED : CHANGE_MODIFIED;
	fc->old_path = c->edit == ADD ? NULL : xstrdup(c->path);
	fc->new_path = c->edit == DELETE ? NULL : xstrdup(c->path);
	fc->binary = c->edit == BINARY;
	fc->mode_only = c->edit == MODE;
	if (c->edit == EDIT)
		new = replaced(base, c->from, c->to);
	else if (c->edit == ADD)
		new = xstrdup(c->to);
	if (c->edit == EDIT || c->edit == DELETE) {
		fc->has_old = 1;
		sbuf_addstr(&fc->old_data, base);
	}
	if (new) {
		fc->has_new = 1;
		sbuf_addstr(&fc->new_data, new);
	}
	one_hunk(fc, fc->has_old ? fc->old_data.buf : "",
		 fc->has_new ? fc->new_data.buf : "");
	free(new);
}

/* What an analysis found, one fact a line, in a fixed order. */
static char *summary(const struct impact *imp, const struct model *m)
{
	struct sbuf sb = SBUF_INIT;
	static const char *const kinds[] = { "feature", "global", "helper" };

	sbuf_addf(&sb, "files %zu features %zu\n", imp->files_changed,
		  imp->features_changed);
	for (size_t j = 0; j < imp->slots_nr; j++)
		sbuf_addf(&sb, "slot %s %s %.0f\n", kinds[imp->slots[j].kind],
			  imp->slots[j].label, imp->slots[j].weight);
	for (size_t k = 0; k < imp->extra_nr; k++)
		sbuf_addf(&sb, "extra %s slot %u %g\n",
			  m->tests[imp->extra[k].test].id, imp->extra[k].slot,
			  imp->extra[k].a);
	for (size_t i = 0; i < m->tests_nr; i++) {
		if (imp->prior[i])
			sbuf_addf(&sb, "prior %s\n", m->tests[i].id);
		if (imp->removed[i])
			sbuf_addf(&sb, "removed %s\n", m->tests[i].id);
	}
	for (size_t i = 0; i < imp->new_tests.nr; i++)
		sbuf_addf(&sb, "new %s\n", imp->new_tests.items[i]);
	for (size_t i = 0; i < imp->notes.nr; i++)	/* see test_two_files */
		if (!strstr(imp->notes.items[i], "no line evidence (format 1)"))
			sbuf_addf(&sb, "note %s\n", imp->notes.items[i]);
	return sbuf_detach(&sb, NULL);
}

static const struct impact_case cases[] = {
	{ "a comment in a function changes nothing", "pkg/a.py", EDIT,
	  "    return x + 1\n", "    # one more\n    return x + 1  # plus one\n",
	  "files 1 features 0\n" },
	{ "blank lines between functions change nothing", "pkg/a.py", EDIT,
	  "\n\ndef g(x):", "\n\n\n\ndef g(x):",
	  "files 1 features 0\n" },
	{ "a changed function is one slot, weighted by its changed lines",
	  "pkg/a.py", EDIT, "    return x + 1\n",
	  "    y = x + 1\n    return y\n",
	  "files 1 features 1\n"
	  "slot feature pkg/a.py::f 2\n" },
	{ "a changed method", "pkg/a.py", EDIT, "return self.size",
	  "return self.size + 0",
	  "files 1 features 1\n"
	  "slot feature pkg/a.py::C.m 1\n" },
	/* test_m, test_f and test_g ran code of pkg/a.py; test_b imports it
	 * through pkg/b.py; test_dup does not import it */
	{ "a module constant reaches tests that ran the module, then importers",
	  "pkg/a.py", EDIT, "LIMIT = 3", "LIMIT = 4",
	  "files 1 features 1\n"
	  "slot feature pkg/a.py::<module> 1\n"
	  "extra tests/test_a.py::TestC::test_m slot 0 0.3\n"
	  "extra tests/test_a.py::test_f slot 0 0.3\n"
	  "extra tests/test_a.py::test_g[1] slot 0 0.3\n"
	  "extra tests/test_a.py::test_g[2] slot 0 0.3\n"
	  "extra tests/test_b.py::test_b slot 0 0.02\n"
	  "note reached through import time (5 tests, module or class body): "
	  "pkg/a.py::<module>\n" },
	{ "a class attribute reaches the tests of its methods first",
	  "pkg/a.py", EDIT, "    size = 1\n", "    size = 2\n",
	  "files 1 features 1\n"
	  "slot feature pkg/a.py::C 1\n"
	  "extra tests/test_a.py::TestC::test_m slot 0 1\n"
	  "extra tests/test_a.py::test_f slot 0 0.3\n"
	  "extra tests/test_a.py::test_g[1] slot 0 0.3\n"
	  "extra tests/test_a.py::test_g[2] slot 0 0.3\n"
	  "extra tests/test_b.py::test_b slot 0 0.02\n"
	  "note reached through import time (5 tests, module or class body): "
	  "pkg/a.py::C\n" },
	{ "a default value: the function's tests, then the module's, weakly",
	  "pkg/a.py", EDIT, "def f(x):", "def f(x=0):",
	  "files 1 features 1\n"
	  "slot feature pkg/a.py::f 1\n"
	  "extra tests/test_a.py::TestC::test_m slot 0 0.01\n"
	  "extra tests/test_a.py::test_f slot 0 0.01\n"
	  "extra tests/test_a.py::test_g[1] slot 0 0.01\n"
	  "extra tests/test_a.py::test_g[2] slot 0 0.01\n"
	  "extra tests/test_b.py::test_b slot 0 0.001\n"
	  "note reached through import time (5 tests, changed decorator, "
	  "signature or default): "
	  "pkg/a.py::f\n" },
	{ "a method's decorator: its class's tests, then the module's, weakly",
	  "pkg/a.py", EDIT, "    def m(self):", "    @property\n    def m(self):",
	  "files 1 features 1\n"
	  "slot feature pkg/a.py::C.m 1\n"
	  "extra tests/test_a.py::TestC::test_m slot 0 0.01\n"
	  "extra tests/test_a.py::test_f slot 0 0.01\n"
	  "extra tests/test_a.py::test_g[1] slot 0 0.01\n"
	  "extra tests/test_a.py::test_g[2] slot 0 0.01\n"
	  "extra tests/test_b.py::test_b slot 0 0.001\n"
	  "note reached through import time (5 tests, changed decorator, "
	  "signature or default): "
	  "pkg/a.py::C.m\n" },
	{ "a function the model lacks is a note", "pkg/a.py", EDIT,
	  "\n\nclass C:", "\n\ndef h():\n    return 0\n\n\nclass C:",
	  "files 1 features 1\n"
	  "note new code, not in the model: pkg/a.py::h\n" },
	{ "a changed test gets a prior", "tests/test_a.py", EDIT,
	  "a.f(1) == 2", "a.f(2) == 3",
	  "files 1 features 1\n"
	  "prior tests/test_a.py::test_f\n" },
	{ "a changed parametrized test: every parameter", "tests/test_a.py",
	  EDIT, "2 * v\n", "v + v\n",
	  "files 1 features 1\n"
	  "prior tests/test_a.py::test_g[1]\n"
	  "prior tests/test_a.py::test_g[2]\n" },
	{ "a changed test method", "tests/test_a.py", EDIT, "m() == 1",
	  "m() >= 1",
	  "files 1 features 1\n"
	  "prior tests/test_a.py::TestC::test_m\n" },
	{ "a changed helper reaches every test of its file",
	  "tests/test_a.py", EDIT, "return 1\n", "return 2\n",
	  "files 1 features 1\n"
	  "slot helper tests/test_a.py::helper 1\n"
	  "extra tests/test_a.py::TestC::test_m slot 0 0.5\n"
	  "extra tests/test_a.py::test_f slot 0 0.5\n"
	  "extra tests/test_a.py::test_g[1] slot 0 0.5\n"
	  "extra tests/test_a.py::test_g[2] slot 0 0.5\n" },
	{ "a new test is new, by its node id", "tests/test_a.py", EDIT,
	  "\n\nclass TestC:", "\n\ndef test_h():\n    pass\n\n\nclass TestC:",
	  "files 1 features 1\n"
	  "new tests/test_a.py::test_h\n" },
	{ "a new test method is new, by its node id", "tests/test_a.py", EDIT,
	  "        assert a.C().m() == 1\n",
	  "        assert a.C().m() == 1\n\n    def test_n(self):\n"
	  "        pass\n",
	  "files 1 features 1\n"
	  "new tests/test_a.py::TestC::test_n\n" },
	{ "a removed test is removed", "tests/test_a.py", EDIT,
	  "def test_f():\n    assert a.f(1) == 2\n\n\n", "",
	  "files 1 features 1\n"
	  "removed tests/test_a.py::test_f\n" },
	{ "a second definition of a test is that test, never test_f#2",
	  "tests/test_a.py", EDIT, "\n\nclass TestC:",
	  "\n\ndef test_f():\n    assert a.f(0) == 1\n\n\nclass TestC:",
	  "files 1 features 1\n"
	  "prior tests/test_a.py::test_f\n" },
	{ "a second definition of a new test is one new test",
	  "tests/test_a.py", EDIT, "\n\nclass TestC:",
	  "\n\ndef test_h():\n    pass\n\n\ndef test_h():\n    pass\n"
	  "\n\nclass TestC:",
	  "files 1 features 2\n"
	  "new tests/test_a.py::test_h\n" },
	/* its helpers' slots go to its tests, which are gone: no test can
	 * cover them (select drops removed tests) */
	{ "removing the second of two definitions leaves the test",
	  "tests/test_dup.py", EDIT, "\n\ndef test_d():\n    assert 2\n", "",
	  "files 1 features 1\n"
	  "prior tests/test_dup.py::test_d\n" },
	{ "removing the first of two definitions leaves the test",
	  "tests/test_dup.py", EDIT, "def test_d():\n    assert 1\n\n\n", "",
	  "files 1 features 2\n"
	  "prior tests/test_dup.py::test_d\n" },
	{ "a changed second definition is the test", "tests/test_dup.py",
	  EDIT, "assert 2", "assert 3",
	  "files 1 features 1\n"
	  "prior tests/test_dup.py::test_d\n" },
	{ "a test file deleted: its tests are removed", "tests/test_a.py",
	  DELETE, NULL, NULL,
	  "files 1 features 6\n"
	  "slot helper tests/test_a.py::<module> 20\n"
	  "slot helper tests/test_a.py::TestC 3\n"
	  "slot helper tests/test_a.py::helper 2\n"
	  "extra tests/test_a.py::TestC::test_m slot 0 0.5\n"
	  "extra tests/test_a.py::test_f slot 0 0.5\n"
	  "extra tests/test_a.py::test_g[1] slot 0 0.5\n"
	  "extra tests/test_a.py::test_g[2] slot 0 0.5\n"
	  "extra tests/test_a.py::TestC::test_m slot 1 0.5\n"
	  "extra tests/test_a.py::test_f slot 1 0.5\n"
	  "extra tests/test_a.py::test_g[1] slot 1 0.5\n"
	  "extra tests/test_a.py::test_g[2] slot 1 0.5\n"
	  "extra tests/test_a.py::TestC::test_m slot 2 0.5\n"
	  "extra tests/test_a.py::test_f slot 2 0.5\n"
	  "extra tests/test_a.py::test_g[1] slot 2 0.5\n"
	  "extra tests/test_a.py::test_g[2] slot 2 0.5\n"
	  "removed tests/test_a.py::TestC::test_m\n"
	  "removed tests/test_a.py::test_f\n"
	  "removed tests/test_a.py::test_g[1]\n"
	  "removed tests/test_a.py::test_g[2]\n" },
	{ "a new test file matching test_patterns", "tests/test_new.py", ADD,
	  NULL, "def test_one():\n    pass\n\n\nclass TestX:\n"
	  "    def test_two(self):\n        pass\n",
	  "files 1 features 4\n"
	  "slot helper tests/test_new.py::<module> 7\n"
	  "slot helper tests/test_new.py::TestX 3\n"
	  "new tests/test_new.py::TestX::test_two\n"
	  "new tests/test_new.py::test_one\n" },
	/* weight: the slot's floor of 1, then its changed lines added */
	{ "a global path is one slot every test covers", "setup.cfg", ADD,
	  NULL, "[x]\n",
	  "files 1 features 0\n"
	  "slot global setup.cfg 2\n"
	  "note affects every test: setup.cfg\n" },
	{ "an ignored path is a note only", "docs/x.md", ADD, NULL, "# x\n",
	  "files 0 features 0\n"
	  "note ignored path: docs/x.md\n" },
	{ "a binary file is a note", "pkg/logo.png", BINARY, NULL, NULL,
	  "files 1 features 1\n"
	  "note binary file: pkg/logo.png\n"
	  "note outside every feature: pkg/logo.png\n" },
	{ "a mode change is a note", "pkg/a.py", MODE, NULL, NULL,
	  "files 1 features 0\n"
	  "note mode change only: pkg/a.py\n" },
};

/* A covered file turned binary (a NUL byte added): every feature it had
 * changed as a whole, reaching the tests that ran it (issue 13). */
static void test_binary_covered_file(void **state)
{
	static const struct impact_case turned = {
		"a covered file turned binary", "pkg/a.py", BINARY, NULL, NULL,
		NULL
	};
	static const char *const want[] = {
		"files 1 features 5\n"
		"slot feature pkg/a.py::<module> 1\n"
		"slot feature pkg/a.py::C 1\n"
		"slot feature pkg/a.py::C.m 1\n"
		"slot feature pkg/a.py::f 1\n"
		"slot feature pkg/a.py::g 1\n",
		"extra tests/test_a.py::test_f slot 3 ",
		"note binary file: pkg/a.py\n",
	};
	struct strlist none = STRLIST_INIT;
	struct impact_options o = { .global_paths = &none,
				    .ignore_paths = &none,
				    .test_patterns = &none };
	struct change_set set = CHANGE_SET_INIT;
	struct impact imp;
	struct model m;
	char *got;

	(void)state;
	build_model(&m);
	ALLOC_GROW(set.items, 1, set.alloc);
	set.nr = 1;
	make_change(&set.items[0], &turned);
	assert_int_equal(impact_analyze(&imp, &m, &set, &o), 0);
	got = summary(&imp, &m);
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		if (!strstr(got, want[i]))
			fail_msg("no '%s' in:\n%s", want[i], got);
	assert_null(strstr(got, "outside every feature"));
	free(got);
	impact_release(&imp);
	change_set_release(&set);
	model_release(&m);
}

static void test_analyze(void **state)
{
	struct strlist global = STRLIST_INIT, ignore = STRLIST_INIT,
		       patterns = STRLIST_INIT;
	struct impact_options o = { .global_paths = &global,
				    .ignore_paths = &ignore,
				    .test_patterns = &patterns };
	struct model m;

	(void)state;
	strlist_append(&global, "setup.cfg");
	strlist_append(&ignore, "docs/*");
	strlist_append(&patterns, "tests/test_*.py");
	build_model(&m);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct impact_case *c = &cases[i];
		struct change_set set = CHANGE_SET_INIT;
		struct impact imp;
		char *got;

		ALLOC_GROW(set.items, 1, set.alloc);
		set.nr = 1;
		make_change(&set.items[0], c);
		assert_int_equal(impact_analyze(&imp, &m, &set, &o), 0);
		got = summary(&imp, &m);
		if (strcmp(got, c->expect))
			print_error("case '%s':\n%s", c->what, got);
		assert_string_equal(got, c->expect);
		free(got);
		impact_release(&imp);
		change_set_release(&set);
	}
	model_release(&m);
	strlist_release(&global);
	strlist_release(&ignore);
	strlist_release(&patterns);
}

static void test_is_test_name(void **state)
{
	static const struct { const char *name; int is_test; } names[] = {
		{ "test_x", 1 }, { "test", 1 }, { "testing", 1 },
		{ "TestA.test_y", 1 }, { "TestA.TestB.test_c", 1 },
		{ "test_x#2", 1 }, { "helper", 0 }, { "Test_x", 0 },
		{ "TestA", 0 }, { "Helper.test_y", 0 },
		{ "TestA.Helper.test_c", 0 }, { "TestA.helper", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (impact_is_test_name(names[i].name) != names[i].is_test)
			fail_msg("'%s' should %sbe a test name", names[i].name,
				 names[i].is_test ? "" : "not ");
}

/* Two files in one change: slots add up, every file counts. */
static void test_two_files(void **state)
{
	static const struct impact_case parts[] = {
		{ "", "pkg/a.py", EDIT, "x * 2", "x + x", NULL },
		{ "", "tests/test_a.py", EDIT, "a.f(1) == 2", "a.f(2) == 3",
		  NULL },
	};
	struct impact_options o = { 0 };
	struct change_set set = CHANGE_SET_INIT;
	struct impact imp;
	struct model m;
	char *got;

	(void)state;
	build_model(&m);
	ALLOC_GROW(set.items, 2, set.alloc);
	for (set.nr = 0; set.nr < 2; set.nr++)
		make_change(&set.items[set.nr], &parts[set.nr]);
	assert_int_equal(impact_analyze(&imp, &m, &set, &o), 0);
	got = summary(&imp, &m);
	assert_string_equal(got, "files 2 features 2\n"
			    "slot feature pkg/a.py::g 1\n"
			    "prior tests/test_a.py::test_f\n");
	assert_int_equal(imp.feature_slot[model_find_feature(&m, 0, "g")], 0);
	assert_int_equal(imp.global_slot, -1);
	/* a model without line evidence: said once */
	assert_int_equal(imp.notes.nr, 1);
	assert_string_equal(imp.notes.items[0], "the model has no line "
			    "evidence (format 1), function-level signals: "
			    "changed functions");
	free(got);
	impact_release(&imp);
	change_set_release(&set);
	model_release(&m);
}

/* A function that ran at collection time reaches its module's users and
 * importers, closer than a header change does; its body counts too. */
static void test_collected_function(void **state)
{
	static const struct impact_case body = {
		"", "pkg/a.py", EDIT, "return x + 1", "return x + 2", NULL
	};
	struct impact_options o = { 0 };
	struct change_set set = CHANGE_SET_INIT;
	struct impact imp;
	struct model m;
	char *got;

	(void)state;
	build_model(&m);
	/* unflagged: a body change reaches only the tests that ran f */
	ALLOC_GROW(set.items, 1, set.alloc);
	set.nr = 1;
	make_change(&set.items[0], &body);
	assert_int_equal(impact_analyze(&imp, &m, &set, &o), 0);
	got = summary(&imp, &m);
	assert_string_equal(got, "files 1 features 1\n"
			    "slot feature pkg/a.py::f 1\n");
	free(got);
	impact_release(&imp);
	m.features[model_find_feature(&m, 0, "f")].import_time = 1;
	assert_int_equal(impact_analyze(&imp, &m, &set, &o), 0);
	got = summary(&imp, &m);
	assert_string_equal(got, "files 1 features 1\n"
			    "slot feature pkg/a.py::f 1\n"
			    "extra tests/test_a.py::TestC::test_m slot 0 0.04\n"
			    "extra tests/test_a.py::test_f slot 0 0.04\n"
			    "extra tests/test_a.py::test_g[1] slot 0 0.04\n"
			    "extra tests/test_a.py::test_g[2] slot 0 0.04\n"
			    "extra tests/test_b.py::test_b slot 0 0.01\n"
			    "note reached through import time (5 tests, ran at "
			    "import or collection): pkg/a.py::f\n");
	free(got);
	impact_release(&imp);
	change_set_release(&set);
	model_release(&m);
}

/* The tiers keep their order: every reach stays below a function's own
 * weakest signal (1/16) unless it is module level or a class body. */
static void test_reach_order(void **state)
{
	const struct impact_reach *r[] = { &impact_reach_body,
					   &impact_reach_collected,
					   &impact_reach_header };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		assert_true(r[i]->in_class >= r[i]->in_module);
		assert_true(r[i]->in_module >= r[i]->direct);
		assert_true(r[i]->direct > r[i]->indirect);
		assert_true(r[i]->indirect > 0);
		if (i)
			assert_true(r[i]->in_class < 1.0f / 16 &&
				    r[i]->in_class > r[i + 1 < 3 ? i + 1 : i]
				    ->indirect);
	}
	assert_true(impact_reach_collected.direct >
		    impact_reach_header.in_module);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analyze),
		cmocka_unit_test(test_binary_covered_file),
		cmocka_unit_test(test_is_test_name),
		cmocka_unit_test(test_two_files),
		cmocka_unit_test(test_collected_function),
		cmocka_unit_test(test_reach_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
