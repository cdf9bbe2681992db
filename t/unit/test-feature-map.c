/* test-feature-map.c - unit tests for splitting Python sources into features.
 * Exact spans, owners, imports; hash invariance; truncated and random input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "feature-map.h"

#define MAX_EXPECT 12

struct want_feature {
	const char *name;
	enum feature_kind kind;
	uint32_t first, last;
};

struct want_owner {
	uint32_t line;
	const char *name;
};

struct parse_case {
	const char *title;
	const char *path;
	const char *src;
	size_t len;		/* 0: strlen(src) */
	size_t lines_nr;
	struct want_feature features[MAX_EXPECT];	/* all of them */
	struct want_owner owners[MAX_EXPECT];
	const char *imports[20];			/* all, sorted */
};

#define M FEATURE_MODULE
#define C FEATURE_CLASS
#define F FEATURE_FUNCTION

static const struct parse_case parse_cases[] = {
	{ "module, function, class and method", "m.py",
	  "import os\n"
	  "\n"
	  "def f():\n"
	  "    return 1\n"
	  "\n"
	  "class A:\n"
	  "    x = 1\n"
	  "\n"
	  "    def m(self):\n"
	  "        pass\n", 0, 10,
	  { { "<module>", M, 1, 10 }, { "A", C, 6, 10 },
	    { "A.m", F, 9, 10 }, { "f", F, 3, 4 } },
	  { { 1, "<module>" }, { 2, "<module>" }, { 3, "f" }, { 4, "f" },
	    { 5, "<module>" }, { 6, "A" }, { 7, "A" }, { 8, "A" },
	    { 9, "A.m" }, { 10, "A.m" } },
	  { "os" }},
	{ "decorators with arguments over several lines", "m.py",
	  "@app.route(\n"
	  "    \"/x\",\n"
	  "    methods=[\"GET\"],\n"
	  ")\n"
	  "@other\n"
	  "def view():\n"
	  "    return 1\n"
	  "x = 2\n", 0, 8,
	  { { "<module>", M, 1, 8 }, { "view", F, 1, 7 } },
	  { { 1, "view" }, { 3, "view" }, { 5, "view" }, { 7, "view" },
	    { 8, "<module>" } }, { NULL } },
	{ "nested def and class inside a function", "m.py",
	  "def outer():\n"
	  "    def inner():\n"
	  "        return 1\n"
	  "    class Local:\n"
	  "        def meth(self):\n"
	  "            pass\n"
	  "    return inner\n", 0, 7,
	  { { "<module>", M, 1, 7 }, { "outer", F, 1, 7 } },
	  { { 2, "outer" }, { 5, "outer" }, { 7, "outer" } }, { NULL } },
	{ "nested classes", "m.py",
	  "class Outer:\n"
	  "    class Inner:\n"
	  "        def meth(self):\n"
	  "            return 1\n"
	  "        y = 2\n"
	  "    def after(self): pass\n", 0, 6,
	  { { "<module>", M, 1, 6 }, { "Outer", C, 1, 6 },
	    { "Outer.Inner", C, 2, 5 }, { "Outer.Inner.meth", F, 3, 4 },
	    { "Outer.after", F, 6, 6 } },
	  { { 1, "Outer" }, { 2, "Outer.Inner" }, { 4, "Outer.Inner.meth" },
	    { 5, "Outer.Inner" }, { 6, "Outer.after" } }, { NULL } },
	{ "async def", "m.py",
	  "async def fetch():\n"
	  "    await x\n"
	  "\n"
	  "class C:\n"
	  "    async  def go(self): pass\n", 0, 5,
	  { { "<module>", M, 1, 5 }, { "C", C, 4, 5 }, { "C.go", F, 5, 5 },
	    { "fetch", F, 1, 2 } },
	  { { 3, "<module>" }, { 5, "C.go" } }, { NULL } },
	{ "one-line defs and classes", "m.py",
	  "def f(): return 1\n"
	  "class A: pass\n"
	  "x = 1\n", 0, 3,
	  { { "<module>", M, 1, 3 }, { "A", C, 2, 2 }, { "f", F, 1, 1 } },
	  { { 1, "f" }, { 2, "A" }, { 3, "<module>" } }, { NULL } },
	{ "'#' and 'def ' inside strings", "m.py",
	  "s = \"def fake(): # not a comment\"\n"
	  "t = 'class Nope: pass'\n"
	  "def real():\n"
	  "    return \"# x\" + 'def y(): \\' def z'\n", 0, 4,
	  { { "<module>", M, 1, 4 }, { "real", F, 3, 4 } },
	  { { 2, "<module>" }, { 4, "real" } }, { NULL } },
	{ "triple-quoted string with a def at column 0", "m.py",
	  "def f():\n"
	  "    doc = \"\"\"\n"
	  "def x():\n"
	  "    pass\n"
	  "\"\"\"\n"
	  "    return doc\n"
	  "y = 1\n", 0, 7,
	  { { "<module>", M, 1, 7 }, { "f", F, 1, 6 } },
	  { { 3, "f" }, { 5, "f" }, { 6, "f" }, { 7, "<module>" } }, { NULL } },
	{ "string prefixes and escaped quotes", "m.py",
	  "x = rb'''\n"
	  "def a(): pass\n"
	  "'''\n"
	  "y = BR\"\"\"\\\"\"\"\n"
	  "class B: pass\n"
	  "\"\"\"\n"
	  "z = f'{x}' + u\"\\\\\"\n"
	  "def real(): pass\n", 0, 8,
	  { { "<module>", M, 1, 8 }, { "real", F, 8, 8 } },
	  { { 2, "<module>" }, { 5, "<module>" }, { 8, "real" } }, { NULL } },
	{ "backslash continuation", "m.py",
	  "def f(a, \\\n"
	  "b):\n"
	  "    return a + \\\n"
	  "1\n"
	  "x = 1\n", 0, 5,
	  { { "<module>", M, 1, 5 }, { "f", F, 1, 4 } },
	  { { 2, "f" }, { 4, "f" }, { 5, "<module>" } }, { NULL } },
	{ "bracket spanning lines with a dedented line inside", "m.py",
	  "class A:\n"
	  "    def m(self):\n"
	  "        return [\n"
	  "1,\n"
	  "        ]\n"
	  "    def n(self): pass\n", 0, 6,
	  { { "<module>", M, 1, 6 }, { "A", C, 1, 6 }, { "A.m", F, 2, 5 },
	    { "A.n", F, 6, 6 } },
	  { { 1, "A" }, { 4, "A.m" }, { 5, "A.m" }, { 6, "A.n" } }, { NULL } },
	{ "tabs count to the next multiple of 8", "m.py",
	  "class T:\n"
	  "\tdef a(self):\n"
	  "\t\treturn 1\n"
	  "        def b(self):\n"
	  "  \t\treturn 2\n"
	  "  \tz = 3\n", 0, 6,
	  { { "<module>", M, 1, 6 }, { "T", C, 1, 6 }, { "T.a", F, 2, 3 },
	    { "T.b", F, 4, 5 } },
	  { { 3, "T.a" }, { 5, "T.b" }, { 6, "T" } }, { NULL } },
	{ "CRLF line endings", "m.py",
	  "def f():\r\n"
	  "    return 1\r\n"
	  "\r\n"
	  "x = 1\r\n", 0, 4,
	  { { "<module>", M, 1, 4 }, { "f", F, 1, 2 } },
	  { { 2, "f" }, { 3, "<module>" }, { 4, "<module>" } }, { NULL } },
	{ "comments and blank lines between features", "m.py",
	  "class K:\n"
	  "    def a(self):\n"
	  "        pass\n"
	  "        # end of a\n"
	  "\n"
	  "    # about b\n"
	  "    def b(self):\n"
	  "        x = 1\n"
	  "\n"
	  "# inside b, at column 0\n"
	  "        return x\n"
	  "\n"
	  "# module comment\n", 0, 13,
	  { { "<module>", M, 1, 13 }, { "K", C, 1, 11 }, { "K.a", F, 2, 3 },
	    { "K.b", F, 7, 11 } },
	  { { 4, "K" }, { 5, "K" }, { 6, "K" }, { 9, "K.b" }, { 10, "K.b" },
	    { 12, "<module>" }, { 13, "<module>" } }, { NULL } },
	{ "duplicate names get #2, #3", "m.py",
	  "class P:\n"
	  "    @property\n"
	  "    def v(self):\n"
	  "        return 1\n"
	  "    @v.setter\n"
	  "    def v(self, x):\n"
	  "        pass\n"
	  "def f(): pass\n"
	  "def f(): pass\n"
	  "if True:\n"
	  "    def f(): pass\n", 0, 11,
	  { { "<module>", M, 1, 11 }, { "P", C, 1, 7 }, { "P.v", F, 2, 4 },
	    { "P.v#2", F, 5, 7 }, { "f", F, 8, 8 }, { "f#2", F, 9, 9 },
	    { "f#3", F, 11, 11 } },
	  { { 2, "P.v" }, { 5, "P.v#2" }, { 10, "<module>" },
	    { 11, "f#3" } }, { NULL } },
	{ "keywords only as whole words at a statement start", "m.py",
	  "define = 1\n"
	  "classy = lambda x: x\n"
	  "def_ = 2\n"
	  "x = [\n"
	  "def]\n"
	  "y = (1,\n"
	  "class Z: pass)\n", 0, 7,
	  { { "<module>", M, 1, 7 } },
	  { { 5, "<module>" }, { 7, "<module>" } }, { NULL } },
	{ "last line without a newline", "m.py",
	  "x = 1\ndef f(): pass", 0, 2,
	  { { "<module>", M, 1, 2 }, { "f", F, 2, 2 } },
	  { { 1, "<module>" }, { 2, "f" } }, { NULL } },
	{ "empty file", "m.py", "", 0, 0,
	  { { "<module>", M, 0, 0 } },
	  { { 0, NULL } }, { NULL } },
	{ "comments only", "m.pyi", "# a\n\n# b\n", 0, 3,
	  { { "<module>", M, 1, 3 } },
	  { { 1, "<module>" }, { 3, "<module>" } }, { NULL } },
	{ "unterminated bracket at EOF", "m.py",
	  "def f(\n"
	  "    a,\n"
	  "x = 1\n", 0, 3,
	  { { "<module>", M, 1, 3 }, { "f", F, 1, 3 } },
	  { { 3, "f" } }, { NULL } },
	{ "unterminated triple-quoted string at EOF", "m.py",
	  "def f():\n"
	  "    \"\"\"never closed\n"
	  "def g(): pass\n", 0, 3,
	  { { "<module>", M, 1, 3 }, { "f", F, 1, 3 } },
	  { { 3, "f" } }, { NULL } },
	{ "unterminated one-line string ends at the line end", "m.py",
	  "x = 'oops\n"
	  "def g(): pass\n", 0, 2,
	  { { "<module>", M, 1, 2 }, { "g", F, 2, 2 } },
	  { { 0, NULL } }, { NULL } },
	{ "non-UTF-8 bytes and NUL bytes", "m.py",
	  "def f\xff\xfe():\n"
	  "    return '\0'\n"
	  "\0\n", 28, 3,
	  { { "<module>", M, 1, 3 }, { "f\xff\xfe", F, 1, 2 } },
	  { { 2, "f\xff\xfe" }, { 3, "<module>" } }, { NULL } },
	{ "decorator not followed by a def", "m.py",
	  "class A:\n"
	  "    @dec\n"
	  "x = 1\n", 0, 3,
	  { { "<module>", M, 1, 3 }, { "A", C, 1, 2 } },
	  { { 2, "A" }, { 3, "<module>" } }, { NULL } },
	{ "imports", "m.py",
	  "import a.b, c as d\n"
	  "from a.b import x, y\n"
	  "from . import x\n"
	  "from ..p import q\n"
	  "from m import (\n"
	  "    n,  # first\n"
	  "    o as oo,\n"
	  ")\n"
	  "from z import *\n"
	  "def f():\n"
	  "    import inside\n"
	  "s = \"import fake\"\n"
	  "# import commented\n"
	  "x = 1; import semi\n"
	  "if T: from typing import List\n"
	  "try: import c\n"
	  "except ImportError: pass\n"
	  "from .sub.mod import thing\n"
	  "r = '''\n"
	  "import in_string\n"
	  "'''\n", 0, 21,
	  { { "<module>", M, 1, 21 }, { "f", F, 10, 11 } },
	  { { 11, "f" } },
	  { ".", "..p", "..p.q", ".sub.mod", ".sub.mod.thing", ".x", "a.b",
	    "a.b.x", "a.b.y", "c", "inside", "m", "m.n", "m.o", "semi",
	    "typing", "typing.List", "z" }},
	{ "import continued with a backslash", "m.py",
	  "from pkg import \\\n"
	  "    one, two\n"
	  "import os.path as osp, \\\n"
	  "    json\n", 0, 4,
	  { { "<module>", M, 1, 4 } },
	  { { 2, "<module>" } },
	  { "json", "os.path", "pkg", "pkg.one", "pkg.two" }},
	{ "lone CR line endings: g is not folded into f", "m.py",
	  "def f():\r"
	  "    pass\r"
	  "def g():\r"
	  "    return 'a\\\r'\r", 0, 5,
	  { { "<module>", M, 1, 5 }, { "f", F, 1, 2 }, { "g", F, 3, 5 } },
	  { { 2, "f" }, { 3, "g" }, { 5, "g" } }, { NULL } },
	{ "Python 3.12 f-string field over lines keeps the class open", "m.py",
	  "class A:\n"
	  "    def f(self):\n"
	  "        return f\"{\n"
	  "0 + self.d[\"k\"]}\"\n"
	  "    def g(self):\n"
	  "        pass\n", 0, 6,
	  { { "<module>", M, 1, 6 }, { "A", C, 1, 6 }, { "A.f", F, 2, 4 },
	    { "A.g", F, 5, 6 } },
	  { { 4, "A.f" }, { 5, "A.g" } }, { NULL } },
	{ "imports in the case blocks of a match", "m.py",
	  "def f(x):\n"
	  "    match x:\n"
	  "        case 1: import one\n"
	  "        case [2, *_]: from two import a; import three\n"
	  "        case _:\n"
	  "            from . import four\n", 0, 6,
	  { { "<module>", M, 1, 6 }, { "f", F, 1, 6 } },
	  { { 3, "f" } },
	  { ".", ".four", "one", "three", "two", "two.a" }},
	{ "non-Python file", "README.md",
	  "# Title\n"
	  "def f():\n"
	  "    import os\n", 0, 3,
	  { { "<file>", FEATURE_FILE, 1, 3 } },
	  { { 1, "<file>" }, { 3, "<file>" } }, { NULL } },
	{ "empty non-Python file", "Makefile", "", 0, 0,
	  { { "<file>", FEATURE_FILE, 0, 0 } },
	  { { 0, NULL } }, { NULL } },
};

/* Lines end at "\n", "\r\n" or a lone "\r" in Python, at "\n" elsewhere. */
static size_t count_lines(const char *path, const char *buf, size_t len)
{
	int py = features_is_python(path);
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n' ||
		    (py && buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n')))
			n++;
	return n + (len && buf[len - 1] != '\n' && (!py || buf[len - 1] != '\r'));
}

/* Properties every map must have, whatever the input. */
static void check_invariants(const struct feature_map *m, const char *path,
			     const char *buf, size_t len)
{
	assert_true(m->nr >= 1);
	assert_int_equal(m->lines_nr, count_lines(path, buf, len));
	assert_non_null(m->owner);
	for (size_t i = 0; i < m->nr; i++) {
		const struct feature_span *f = &m->items[i];

		if (i)
			assert_true(strcmp(m->items[i - 1].name, f->name) < 0);
		assert_true(f->kind <= FEATURE_KIND_MAX);
		assert_true(f->first_line <= f->last_line);
		assert_true(f->last_line <= m->lines_nr);
		if (f->kind == FEATURE_FUNCTION || f->kind == FEATURE_CLASS) {
			assert_true(f->first_line >= 1);
			assert_int_equal(m->items[m->owner[f->first_line]].kind,
					 f->kind);
		}
	}
	if (features_is_python(path))
		assert_true(feature_map_find(m, "<module>") >= 0);
	else
		assert_int_equal(m->nr, 1);
	for (size_t l = 1; l <= m->lines_nr; l++) {
		const struct feature_span *f;

		assert_true(m->owner[l] < m->nr);
		f = &m->items[m->owner[l]];
		assert_true(f->first_line <= l && l <= f->last_line);
	}
	for (size_t i = 1; i < m->imports.nr; i++)
		assert_true(strcmp(m->imports.items[i - 1],
				   m->imports.items[i]) < 0);
}

/* Parse a heap copy of exactly len bytes, so reads past the end are caught. */
static void parse_exact(struct feature_map *m, const char *path,
			const char *src, size_t len)
{
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, src, len);
	assert_int_equal(features_parse(m, path, copy, len), 0);
	free(copy);
}

static void test_parse_cases(void **state)
{
	for (size_t c = 0; c < sizeof(parse_cases) / sizeof(*parse_cases); c++) {
		const struct parse_case *pc = &parse_cases[c];
		struct feature_map m = FEATURE_MAP_INIT;
		size_t len = pc->len ? pc->len : strlen(pc->src), nr = 0;

		print_message("# case: %s\n", pc->title);
		parse_exact(&m, pc->path, pc->src, len);
		check_invariants(&m, pc->path, pc->src, len);
		assert_int_equal(m.lines_nr, pc->lines_nr);
		for (; nr < MAX_EXPECT && pc->features[nr].name; nr++) {
			const struct want_feature *w = &pc->features[nr];
			long i = feature_map_find(&m, w->name);

			assert_true(i >= 0);
			assert_string_equal(m.items[i].name, w->name);
			assert_int_equal(m.items[i].kind, w->kind);
			assert_int_equal(m.items[i].first_line, w->first);
			assert_int_equal(m.items[i].last_line, w->last);
		}
		assert_int_equal(m.nr, nr);
		for (size_t k = 0; k < MAX_EXPECT && pc->owners[k].name; k++) {
			uint32_t l = pc->owners[k].line;

			assert_true(l >= 1 && l <= m.lines_nr);
			assert_string_equal(m.items[m.owner[l]].name,
					    pc->owners[k].name);
		}
		nr = 0;
		for (; pc->imports[nr]; nr++) {
			assert_true(nr < m.imports.nr);
			assert_string_equal(m.imports.items[nr],
					    pc->imports[nr]);
		}
		assert_int_equal(m.imports.nr, nr);
		feature_map_release(&m);
	}
}

/* ---- hashes ------------------------------------------------------------ */

#define BASE_F \
	"def f(a, b=1):\n" \
	"    \"\"\"Doc.\n" \
	"\n" \
	"    More.\n" \
	"    \"\"\"\n" \
	"    x = a + b\n" \
	"    if x:\n" \
	"        x += 1\n" \
	"    return x\n"

static const struct hash_case {
	const char *title;
	const char *a, *a_name;
	const char *b, *b_name;
	int equal;
} hash_cases[] = {
	{ "same source", BASE_F, "f", BASE_F, "f", 1 },
	{ "moved down 10 lines", BASE_F, "f",
	  "import os\n\n\n\n\n\n\nx = 1\n\n\n" BASE_F, "f", 1 },
	{ "comments added", BASE_F, "f",
	  "# leading comment\n"
	  "def f(a, b=1):  # signature\n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "    More.\n"
	  "    \"\"\"\n"
	  "    # explain\n"
	  "    x = a + b  # sum\n"
	  "    if x:\n"
	  "# odd comment\n"
	  "        x += 1\n"
	  "    return x\n", "f", 1 },
	{ "blank lines and trailing blanks added", BASE_F, "f",
	  "def f(a, b=1):   \n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "    More.\n"
	  "    \"\"\"\n"
	  "\n"
	  "    x = a + b\t\n"
	  "\n"
	  "    if x:\n"
	  "        x += 1\n"
	  "\n"
	  "    return x\n", "f", 1 },
	{ "re-indented as a method", BASE_F, "f",
	  "class K:\n"
	  "    def f(a, b=1):\n"
	  "        \"\"\"Doc.\n"
	  "\n"
	  "        More.\n"
	  "        \"\"\"\n"
	  "        x = a + b\n"
	  "        if x:\n"
	  "            x += 1\n"
	  "        return x\n", "K.f", 1 },
	{ "re-indented with tabs", "def g():\n    if a:\n        b()\n", "g",
	  "class K:\n\tdef g():\n\t    if a:\n\t\tb()\n", "K.g", 1 },
	{ "CRLF line endings", "def g():\n    return 1\n", "g",
	  "def g():\r\n    return 1\r\n", "g", 1 },
	{ "lone CR line endings", "def g():\n    x = '''a\n b'''\n", "g",
	  "def g():\r    x = '''a\r b'''\r", "g", 1 },
	{ "changed operator", BASE_F, "f",
	  "def f(a, b=1):\n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "    More.\n"
	  "    \"\"\"\n"
	  "    x = a - b\n"
	  "    if x:\n"
	  "        x += 1\n"
	  "    return x\n", "f", 0 },
	{ "changed default value", BASE_F, "f",
	  "def f(a, b=2):\n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "    More.\n"
	  "    \"\"\"\n"
	  "    x = a + b\n"
	  "    if x:\n"
	  "        x += 1\n"
	  "    return x\n", "f", 0 },
	{ "changed docstring", BASE_F, "f",
	  "def f(a, b=1):\n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "    Less.\n"
	  "    \"\"\"\n"
	  "    x = a + b\n"
	  "    if x:\n"
	  "        x += 1\n"
	  "    return x\n", "f", 0 },
	{ "changed indentation inside a docstring", BASE_F, "f",
	  "def f(a, b=1):\n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "      More.\n"
	  "    \"\"\"\n"
	  "    x = a + b\n"
	  "    if x:\n"
	  "        x += 1\n"
	  "    return x\n", "f", 0 },
	{ "blank line added inside a docstring", BASE_F, "f",
	  "def f(a, b=1):\n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "\n"
	  "    More.\n"
	  "    \"\"\"\n"
	  "    x = a + b\n"
	  "    if x:\n"
	  "        x += 1\n"
	  "    return x\n", "f", 0 },
	{ "'#' inside a string is code", "def g():\n    return '#a'\n", "g",
	  "def g():\n    return '#b'\n", "g", 0 },
	{ "changed relative indentation", BASE_F, "f",
	  "def f(a, b=1):\n"
	  "    \"\"\"Doc.\n"
	  "\n"
	  "    More.\n"
	  "    \"\"\"\n"
	  "    x = a + b\n"
	  "    if x:\n"
	  "        x += 1\n"
	  "        return x\n", "f", 0 },
	{ "changed decorator", "@a\ndef g():\n    pass\n", "g",
	  "@b\ndef g():\n    pass\n", "g", 0 },
	{ "changed decorator argument on a later line",
	  "@a(\n    1)\ndef g():\n    pass\n", "g",
	  "@a(\n    2)\ndef g():\n    pass\n", "g", 0 },
	{ "class body ignores its methods",
	  "class K:\n    x = 1\n    def m(self):\n        return 1\n", "K",
	  "class K:\n    x = 1\n\n    def m(self):\n        return 2\n"
	  "    def n(self): pass\n", "K", 1 },
	{ "method changed with the class body unchanged",
	  "class K:\n    x = 1\n    def m(self):\n        return 1\n", "K.m",
	  "class K:\n    x = 1\n    def m(self):\n        return 2\n", "K.m",
	  0 },
	{ "class attribute changed",
	  "class K:\n    x = 1\n    def m(self):\n        return 1\n", "K",
	  "class K:\n    x = 2\n    def m(self):\n        return 1\n", "K", 0 },
	{ "class bases changed", "class K(A):\n    x = 1\n", "K",
	  "class K(B):\n    x = 1\n", "K", 0 },
	{ "module level ignores functions",
	  "import os\ndef g():\n    return 1\nX = 1\n", "<module>",
	  "import os\n\ndef g():\n    return 2\n\n# c\nX = 1\n", "<module>",
	  1 },
	{ "module level statement changed", "import os\nX = 1\n", "<module>",
	  "import os\nX = 2\n", "<module>", 0 },
	{ "nested function changes its enclosing function",
	  "def g():\n    def h():\n        return 1\n    return h\n", "g",
	  "def g():\n    def h():\n        return 2\n    return h\n", "g", 0 },
};

static uint64_t hash_of(const char *src, const char *name)
{
	struct feature_map m = FEATURE_MAP_INIT;
	uint64_t h;
	long i;

	parse_exact(&m, "m.py", src, strlen(src));
	i = feature_map_find(&m, name);
	assert_true(i >= 0);
	h = m.items[i].hash;
	feature_map_release(&m);
	return h;
}

static void test_hashes(void **state)
{
	for (size_t c = 0; c < sizeof(hash_cases) / sizeof(*hash_cases); c++) {
		const struct hash_case *hc = &hash_cases[c];
		uint64_t a = hash_of(hc->a, hc->a_name);
		uint64_t b = hash_of(hc->b, hc->b_name);

		print_message("# hash: %s\n", hc->title);
		if (hc->equal)
			assert_true(a == b);
		else
			assert_true(a != b);
	}
}

/* The header of a def or class: its lines above body_line, hashed alone. */
static void test_headers(void **state)
{
	static const char src[] =
		"@deco(\n"		/* 1 */
		"    1)\n"
		"def f(a,\n"		/* 3 */
		"      b=2):\n"
		"    # note\n"		/* 5 */
		"    return a\n"
		"def one(): return 1\n"	/* 7 */
		"class K:\n"		/* 8 */
		"    x = 1\n"
		"    def m(self, c=3):\n"	/* 10 */
		"        return c\n";
	static const struct { const char *name; uint32_t body; } want[] = {
		{ "<module>", 0 }, { "K", 9 }, { "K.m", 11 }, { "f", 6 },
		{ "one", 0 },
	};
	struct feature_map m = FEATURE_MAP_INIT;

	(void)state;
	parse_exact(&m, "m.py", src, strlen(src));
	assert_int_equal(m.nr, 5);
	for (size_t i = 0; i < m.nr; i++) {
		assert_string_equal(m.items[i].name, want[i].name);
		assert_int_equal(m.items[i].body_line, want[i].body);
	}
	assert_true(m.items[4].header_hash == m.items[4].hash);
	assert_true(m.items[3].header_hash != m.items[3].hash);
	feature_map_release(&m);
	/* a changed default changes the header; a changed body does not */
	{
		static const char *const pairs[][2] = {
			{ "def f(a, b=2):\n    return a\n",
			  "def f(a, b=3):\n    return a\n" },
			{ "@x\ndef f(a):\n    return a\n",
			  "@y\ndef f(a):\n    return a\n" },
			{ "def f(a):\n    return a\n",
			  "def f(a):\n    return a + 1\n" },
		};
		for (size_t k = 0; k < 3; k++) {
			struct feature_map a = FEATURE_MAP_INIT,
					   b = FEATURE_MAP_INIT;

			parse_exact(&a, "m.py", pairs[k][0],
				    strlen(pairs[k][0]));
			parse_exact(&b, "m.py", pairs[k][1],
				    strlen(pairs[k][1]));
			assert_true(a.items[1].hash != b.items[1].hash);
			assert_int_equal(a.items[1].header_hash ==
					 b.items[1].header_hash, k == 2);
			feature_map_release(&a);
			feature_map_release(&b);
		}
	}
}

static void test_file_hash(void **state)
{
	struct feature_map a = FEATURE_MAP_INIT, b = FEATURE_MAP_INIT;
	struct feature_map c = FEATURE_MAP_INIT;

	assert_int_equal(features_parse(&a, "x.txt", "one\ntwo", 7), 0);
	assert_int_equal(features_parse(&b, "x.txt", "one\ntwo", 7), 0);
	assert_int_equal(features_parse(&c, "x.txt", "one\n  two", 9), 0);
	assert_int_equal(a.lines_nr, 2);
	assert_int_equal(a.items[0].last_line, 2);
	assert_true(a.items[0].hash == b.items[0].hash);
	assert_true(a.items[0].hash != c.items[0].hash);
	assert_int_equal(a.imports.nr, 0);
	feature_map_release(&a);
	feature_map_release(&b);
	feature_map_release(&c);
}

/* ---- API details ------------------------------------------------------- */

static void test_is_python(void **state)
{
	static const struct {
		const char *path;
		int want;
	} cases[] = {
		{ "a.py", 1 }, { "pkg/mod.pyi", 1 }, { ".py", 1 },
		{ "a.pyc", 0 }, { "a.py.bak", 0 }, { "a.PY", 0 },
		{ "py", 0 }, { "", 0 }, { "README", 0 }, { "x.pyx", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_int_equal(features_is_python(cases[i].path),
				 cases[i].want);
}

static void test_find_and_release(void **state)
{
	struct feature_map m = FEATURE_MAP_INIT;
	const char *src = "class B:\n    def m(self): pass\ndef a(): pass\n";

	assert_int_equal(features_parse(&m, "m.py", src, strlen(src)), 0);
	assert_int_equal(feature_map_find(&m, "<module>"), 0);
	assert_int_equal(feature_map_find(&m, "B"), 1);
	assert_int_equal(feature_map_find(&m, "B.m"), 2);
	assert_int_equal(feature_map_find(&m, "a"), 3);
	assert_int_equal(feature_map_find(&m, "m"), -1);
	assert_int_equal(feature_map_find(&m, ""), -1);
	assert_int_equal(feature_map_find(&m, "zzz"), -1);
	feature_map_release(&m);
	assert_int_equal(m.nr, 0);
	assert_null(m.items);
	assert_null(m.owner);
	assert_int_equal(feature_map_find(&m, "a"), -1);
	feature_map_release(&m);	/* twice is fine */
	feature_map_release(NULL);
	/* a released map can be parsed into again */
	assert_int_equal(features_parse(&m, "m.py", src, strlen(src)), 0);
	assert_int_equal(m.nr, 4);
	feature_map_release(&m);
}

static void test_too_large(void **state)
{
	static const char byte = 'x';
	struct feature_map m = FEATURE_MAP_INIT;

	/* refused before a single byte is read */
	assert_int_equal(features_parse(&m, "big.py", &byte,
					FEATURES_MAX_SOURCE + 1), -1);
	assert_int_equal(m.nr, 0);
	assert_null(m.owner);
	feature_map_release(&m);
	assert_int_equal(features_parse(&m, "m.py", NULL, 0), 0);
	assert_int_equal(m.nr, 1);
	assert_int_equal(m.lines_nr, 0);
	feature_map_release(&m);
}

/* FEATURES_SIG_ONLY marks the same lines, with 1, and keeps the rest. */
static void test_sig_only(void **state)
{
	static const char src[] =
		"import os\n"
		"\n"
		"def f(x):  # note\n"
		"    y = (x +\n"
		"         1)\n"
		"    return y\n";
	struct feature_map full = FEATURE_MAP_INIT, sig = FEATURE_MAP_INIT;
	size_t marked = 0;

	(void)state;
	assert_int_equal(features_parse(&full, "m.py", src, strlen(src)), 0);
	assert_int_equal(features_parse_flags(&sig, "m.py", src, strlen(src),
					      FEATURES_SIG_ONLY), 0);
	assert_int_equal(sig.nr, full.nr);
	assert_int_equal(sig.lines_nr, full.lines_nr);
	for (size_t k = 0; k < full.nr; k++) {
		assert_string_equal(sig.items[k].name, full.items[k].name);
		assert_true(sig.items[k].hash == full.items[k].hash);
		assert_true(sig.items[k].header_hash ==
			    full.items[k].header_hash);
	}
	for (size_t l = 1; l <= full.lines_nr; l++) {
		assert_int_equal(sig.owner[l], full.owner[l]);
		assert_int_equal(sig.stmt[l], full.stmt[l]);
		assert_true(sig.line_hash[l] == (full.line_hash[l] ? 1 : 0));
		marked += !!sig.line_hash[l];
	}
	assert_int_equal(marked, 5);
	feature_map_release(&full);
	feature_map_release(&sig);
}

/* ---- malformed input ---------------------------------------------------- */

static const char sample[] =
	"\"\"\"Module doc.\n"
	"def fake():\n"
	"\"\"\"\n"
	"import os, sys as system\n"
	"from .. import (x,\n"
	"    y as z)\n"
	"s = 'it\\'s # here' ; t = r\"\\\"\" \\\n"
	"    + b'x'\n"
	"@decorator(\n"
	"    arg=[1,\n"
	"2],\n"
	")\n"
	"async def top(a,\r\n"
	"\tb=2):\r\n"
	"    def inner(): return lambda: 1\n"
	"    class Local:\n"
	"        def m(self): pass\n"
	"    return inner  # done\n"
	"\n"
	"class Outer(Base):\n"
	"    '''Doc with \"\"\" inside'''\n"
	"    @property\n"
	"    def p(self):\n"
	"        return f\"{self.x!r:>{w}}\"\n"
	"    @p.setter\n"
	"    def p(self, v):\n"
	"        from x.y import *\n"
	"    class Inner:\n"
	"\tdef meth(self):\n"
	"\t    x = {1:\n"
	"2}\n"
	"\t    return x\n"
	"        # trailing\n"
	"\xff\xfe\0 = 1\n"
	"def one(): return '''\n"
	"tail";

static void test_truncated(void **state)
{
	size_t len = sizeof(sample) - 1;

	for (size_t n = 0; n <= len; n++) {
		struct feature_map m = FEATURE_MAP_INIT;

		parse_exact(&m, "t.py", sample, n);
		check_invariants(&m, "t.py", sample, n);
		feature_map_release(&m);
	}
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_random(void **state)
{
	static const char *const pieces[] = {
		"def ", "class ", "async ", "@d", "(", ")", "[", "]", "{",
		"}", "'", "\"", "'''", "\"\"\"", "#", "\\", "\n", "\r\n",
		"\t", "    ", "  ", ":", ";", ".", "import ", "from ", "x",
		"f", " as ", ",", "*", "r", "b", "\0", "\xff", "=",
	};
	size_t npieces = sizeof(pieces) / sizeof(*pieces);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char buf[600];

	for (int round = 0; round < 3000; round++) {
		struct feature_map m = FEATURE_MAP_INIT;
		size_t len = 0, want = rng_next(&seed) % 400;

		while (len < want) {
			uint64_t r = rng_next(&seed);
			const char *p = pieces[r % npieces];
			size_t n = p[0] ? strlen(p) : 1;

			if (round % 4 == 3) {
				/* every fourth buffer is raw random bytes */
				buf[len++] = (char)(r >> 56);
				continue;
			}
			memcpy(buf + len, p, n);
			len += n;
		}
		parse_exact(&m, "r.py", buf, len);
		check_invariants(&m, "r.py", buf, len);
		feature_map_release(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cases),
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_file_hash),
		cmocka_unit_test(test_is_python),
		cmocka_unit_test(test_find_and_release),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_sig_only),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
